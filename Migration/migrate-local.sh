#!/usr/bin/env bash
# Moves the LOCAL DendriteAspire deployment from SQLite to Postgres, on its own volumes (README: "SQLite to Postgres").
# Run from the repository root with the app stopped (Ctrl+C in the `dotnet run --project AppHost` console).
#
#   Migration/migrate-local.sh [--prefix dendriteaspire] [--host-port 8008] [--dry-run] [--replace]
#
# Step 2: starts the AppHost once with Dendrite:Database:Provider=Postgres until Dendrite is healthy (it creates its
#         empty schema in the <prefix>-postgres-data volume), then stops it.
# Step 3: copies the SQLite files out of <prefix>-sqlite with a one-off container (read-only mount).
# Step 4: starts Postgres alone on the <prefix>-postgres-data volume on a loopback port, runs migrate-to-postgres
#         against it (password from user secrets, passed through PGPASSWORD), stops it, deletes the copies.
# Then start the app on Postgres (step 5): dotnet run --project AppHost -- --Dendrite:Database:Provider=Postgres
# JetStream, media, the signing key and the search index stay on their volumes, untouched.
set -euo pipefail

prefix=dendriteaspire
host_port=8008
tool_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --host-port) host_port="$2"; shift 2 ;;
    --dry-run|--replace) tool_args+=("$1"); shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

rt="${ASPIRE_CONTAINER_RUNTIME:-}"
if [[ -z "$rt" ]]; then
  if docker info >/dev/null 2>&1; then rt=docker; elif podman info >/dev/null 2>&1; then rt=podman; else
    echo "error: neither docker nor podman answers; set ASPIRE_CONTAINER_RUNTIME" >&2; exit 1; fi
fi
step() { echo; echo "== $*"; }
fail() { echo "error: $*" >&2; exit 1; }

[[ -f AppHost/AppHost.csproj && -d Migration ]] || fail "run this from the repository root"

# The images come from the model itself, never restated here: the AppHost writes its manifest for the same settings
# (Postgres, this prefix, and any Dendrite__* in the environment), and each resource's "image" is read from it.
model_images=$(mktemp -d -t dendrite-model-XXXXXX)
dotnet run --project AppHost -- --operation publish --step publish-manifest --output-path "$model_images/aspire-manifest.json" \
  --Dendrite:Database:Provider=Postgres "--Dendrite:VolumePrefix=$prefix" >"$model_images/publish.log" 2>&1 \
  || { tail -n 20 "$model_images/publish.log" >&2; fail "the AppHost could not write its manifest, so the images are unknown (log above)"; }
model_image() {
  awk -v resource="    \"$1\": {" '$0 == resource {found = 1; next} found && /"image":/ {sub(/.*"image": "/, ""); sub(/",?$/, ""); print; exit}' \
    "$model_images/aspire-manifest.json"
}
dendrite_image=$(model_image dendrite)
postgres_image=$(model_image postgres)
rm -rf "$model_images"
[[ -n "$dendrite_image" && -n "$postgres_image" ]] || fail "the model's manifest names no image for dendrite or postgres"
echo "images (from the model): $dendrite_image, $postgres_image"
$rt volume inspect "$prefix-sqlite" >/dev/null 2>&1 || fail "no volume $prefix-sqlite: nothing to migrate (wrong --prefix?)"
for volume in sqlite jetstream postgres-data; do
  if [[ -n "$($rt ps -q --filter "volume=$prefix-$volume")" ]]; then
    fail "a running container uses $prefix-$volume; stop the app first (Ctrl+C in its console)"
  fi
done

# A Postgres volume that does not exist yet is made by step 2 and holds nothing but Dendrite's empty schema and the
# bootstrap admin the AppHost makes there, so the copy may replace those. An existing one may hold someone's data: then
# the tool refuses a non-empty target unless you pass --replace yourself.
fresh_target=
if ! $rt volume inspect "$prefix-postgres-data" >/dev/null 2>&1; then
  fresh_target=1
fi

step "2. Start once on Postgres so that Dendrite creates its schema"
log=$(mktemp -t dendrite-apphost-XXXXXX.log)
dotnet run --project AppHost -- --Dendrite:Database:Provider=Postgres "--Dendrite:VolumePrefix=$prefix" "--Dendrite:HostPort=$host_port" >"$log" 2>&1 &
apphost=$!
healthy=
for _ in $(seq 1 300); do
  if curl -fsS "http://localhost:$host_port/_dendrite/monitor/health" >/dev/null 2>&1; then healthy=1; break; fi
  kill -0 $apphost 2>/dev/null || break
  sleep 1
done
echo "   stopping the AppHost"
# SIGTERM, not SIGINT: a background job of a script ignores SIGINT. The AppHost is the child of `dotnet run`.
kill -TERM $(pgrep -P $apphost) $apphost 2>/dev/null || true
wait $apphost 2>/dev/null || true
if [[ -z "$healthy" ]]; then
  tail -n 20 "$log" >&2
  fail "Dendrite did not become healthy on Postgres within 5 minutes (AppHost log: $log)"
fi
for _ in $(seq 1 60); do
  [[ -z "$($rt ps -q --filter "volume=$prefix-postgres-data")" ]] && break
  sleep 1
done
[[ -z "$($rt ps -q --filter "volume=$prefix-postgres-data")" ]] || fail "Postgres is still running after the AppHost stopped"

password=$(dotnet user-secrets list --project AppHost | sed -n 's/^Parameters:postgres-password = //p')
[[ -n "$password" ]] || fail "no Parameters:postgres-password in the AppHost's user secrets (dotnet user-secrets list --project AppHost)"

step "3. Copy the SQLite files out of $prefix-sqlite (mounted read-only)"
work=$(mktemp -d -t dendrite-sqlite-XXXXXX)
pg=""
cleanup() {
  [[ -n "$pg" ]] && $rt rm -f "$pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
$rt run --rm --entrypoint /bin/sh -v "$prefix-sqlite:/src:ro" -v "$work:/dst" "$dendrite_image" -c 'cp -a /src/. /dst/ && chmod -R a+r /dst'
ls -l "$work"

step "4. Migrate into $prefix-postgres-data"
pg="$prefix-migrate-postgres"
POSTGRES_PASSWORD="$password" $rt run -d --name "$pg" -e POSTGRES_PASSWORD -v "$prefix-postgres-data:/var/lib/postgresql" \
  -p 127.0.0.1::5432 "$postgres_image" >/dev/null
port=$($rt port "$pg" 5432/tcp | head -n1 | sed 's/.*://')
for _ in $(seq 1 60); do
  $rt exec "$pg" pg_isready -U postgres -d dendrite >/dev/null 2>&1 && break
  sleep 1
done
if [[ -n "$fresh_target" && " ${tool_args[*]} " != *" --replace "* ]]; then
  echo "   $prefix-postgres-data was created by step 2: replacing its empty schema and bootstrap admin"
  tool_args+=(--replace)
fi
PGPASSWORD="$password" dotnet run --project Migration -- migrate-to-postgres --from "$work" \
  --to "postgres://postgres@127.0.0.1:$port/dendrite?sslmode=disable" "${tool_args[@]}"

if [[ " ${tool_args[*]} " == *" --dry-run "* ]]; then
  echo "dry run: nothing was written; run again without --dry-run to migrate"
  exit 0
fi
step "Done. Start on Postgres (step 5):"
echo "   dotnet run --project AppHost -- --Dendrite:Database:Provider=Postgres"
echo "   (or set \"Database\": { \"Provider\": \"Postgres\" } in AppHost/appsettings.json), then rebuild the search index:"
echo "   DENDRITE_ADMIN_PASSWORD=\$(dotnet user-secrets list --project AppHost | sed -n 's/^Parameters:dendrite-admin-password = //p') \\"
echo "     dotnet run --project Admin -- reindex-search --homeserver http://localhost:$host_port"
