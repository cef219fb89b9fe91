#!/usr/bin/env bash
# Backup and restore time of the cluster path (backup-mounted / restore-mounted: tar + zstd -3 + SHA-256 manifest +
# fsync + read-back verification) against the floor, `tar -I 'zstd -3'` of the same directories, and the floor with
# the same two guarantees (`sync` the archive, `zstd -t` it), interleaved round by round so all see the same machine;
# archive sizes; `uptime` before every timed step. KEEP_BENCH_DATA=1 keeps the generated data (its directory is
# printed); BENCH_DATA=that directory runs again on it instead of generating new data.
#
#   bench/Backup.Bench/run.sh [MEDIA_MIB=1024] [ROUNDS=3] [DB_MIB=128]
#
# The data is synthetic and says so: MEDIA_MIB of random 4 MiB files (photos do not compress either), a DB_MIB SQLite
# database of repetitive text rows (compressible, like Dendrite's JSON events, but not Dendrite's own data), a key.
# Needs: dotnet (builds the Admin CLI in Release once, or ADMIN_CLI=path to one), tar, zstd, bc, python3.
set -euo pipefail
MEDIA_MIB=${1:-1024}
ROUNDS=${2:-3}
DB_MIB=${3:-128}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DATA:-$(mktemp -d /var/tmp/dendrite-backup-bench-XXXXXX)}
[[ -n "${KEEP_BENCH_DATA:-}${BENCH_DATA:-}" ]] && echo "keeping $WORK" || trap 'rm -rf "$WORK"' EXIT
IMAGE=docker.io/matrixdotorg/dendrite-monolith:v0.15.2
if [[ -n "${ADMIN_CLI:-}" ]]; then
  CLI=$ADMIN_CLI   # a Release publish of Admin made earlier (as the backup image's)
else
  CLI="$WORK/cli/DendriteAspire.Admin.Cli"
  dotnet publish "$ROOT/Admin" -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true -o "$WORK/cli" -v q -nologo >/dev/null
fi

V="$WORK/v"
if [[ ! -d "$V" ]]; then
mkdir -p "$V/storage-keys" "$V/media" "$V/sqlite" "$V/jetstream"
printf -- '-----BEGIN MATRIX PRIVATE KEY-----\nbench\n-----END MATRIX PRIVATE KEY-----\n' > "$V/storage-keys/matrix_key.pem"
printf 'v0.15.2\n' > "$V/storage-keys/dendriteaspire-release"
for ((i = 0; i < MEDIA_MIB / 4; i++)); do
  d="$V/media/$(printf '%02x/%02x' $((i % 256)) $((i / 256)))"; mkdir -p "$d"
  head -c $((4 * 1024 * 1024)) /dev/urandom > "$d/file"
done
python3 - "$V/sqlite/roomserver.db" "$DB_MIB" <<'PY'
import sqlite3, sys, json, random
db = sqlite3.connect(sys.argv[1]); target = int(sys.argv[2]) * 1024 * 1024
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, json TEXT)")
db.execute("CREATE TABLE db_migrations (version TEXT PRIMARY KEY, time TEXT, dendrite_version TEXT)")
db.execute("INSERT INTO db_migrations VALUES ('roomserver: bench', '2026-12-05', '0.15.2')")
n = 0
while True:
    rows = [(json.dumps({"type": "m.room.message", "sender": f"@user{random.randrange(20)}:bench.example",
             "content": {"msgtype": "m.text", "body": f"message {n + k} " + "lorem ipsum " * random.randrange(1, 20)}}),) for k in range(5000)]
    db.executemany("INSERT INTO events (json) VALUES (?)", rows); db.commit(); n += 5000
    if n % 50000 == 0 and db.execute("PRAGMA page_count").fetchone()[0] * 4096 >= min(target, 128 * 1024 * 1024): break
# Past 128 MiB the rows are copied (ids renumbered) until the target: minutes instead of most of an hour at 4 GiB.
while (size := db.execute("PRAGMA page_count").fetchone()[0] * 4096) < target:
    more = min(n, int((target - size) * n / size) + 5000)
    db.execute("INSERT INTO events (json) SELECT json FROM events ORDER BY id LIMIT ?", (more,)); db.commit()
    n += more
# Dendrite's own files are in rollback-journal mode (its journal_mode=WAL is commented out): so is this one once built.
db.execute("PRAGMA wal_checkpoint(TRUNCATE)"); db.execute("PRAGMA journal_mode=DELETE"); db.close()
print(f"synthetic database: {n} rows")
PY
fi
echo "data: $(du -sh "$V" | cut -f1) in $V (media ${MEDIA_MIB} MiB random, sqlite ${DB_MIB} MiB synthetic)"

timed() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }; end=$(date +%s.%N); echo "$end - $start" | bc; }
load() { uptime | sed 's/.*load average: //'; }
printf '%-5s %-22s %8s %12s  %s\n' round step seconds bytes "load (1, 5, 15 min) before"
for ((r = 1; r <= ROUNDS; r++)); do
  rm -rf "$WORK/out" "$WORK/floor" "$WORK/t1" "$WORK/t2"; mkdir -p "$WORK/out" "$WORK/floor" "$WORK/t1"/{storage-keys,media,sqlite,jetstream} "$WORK/t2"
  l=$(load); s=$(timed "$CLI" backup-mounted --volumes "$V" --output "$WORK/out" --scratch "$WORK" --server-name bench.example --image "$IMAGE")
  a=$(ls "$WORK/out"/*.tar.zst); printf '%-5s %-22s %8.1f %12d  %s\n' "$r" "ours: backup+verify" "$s" "$(stat -c %s "$a")" "$l"
  l=$(load); s=$(timed tar -I 'zstd -3' -cf "$WORK/floor/floor.tar.zst" -C "$V" .)
  printf '%-5s %-22s %8.1f %12d  %s\n' "$r" "floor: tar zstd -3" "$s" "$(stat -c %s "$WORK/floor/floor.tar.zst")" "$l"
  # The floor with what ours adds before an archive counts: on disk (fsync) and read back whole (zstd's checksum).
  rm -f "$WORK/floor/floor.tar.zst"
  l=$(load); s=$(timed sh -c "tar -I 'zstd -3' -cf '$WORK/floor/floor.tar.zst' -C '$V' . && sync '$WORK/floor/floor.tar.zst' && zstd -tq '$WORK/floor/floor.tar.zst'")
  printf '%-5s %-22s %8.1f %12d  %s\n' "$r" "floor+fsync+zstd -t" "$s" "$(stat -c %s "$WORK/floor/floor.tar.zst")" "$l"
  l=$(load); s=$(timed "$CLI" restore-mounted "$a" --volumes "$WORK/t1" --image "$IMAGE")
  printf '%-5s %-22s %8.1f %12s  %s\n' "$r" "ours: verify+restore" "$s" "" "$l"
  l=$(load); s=$(timed tar -I 'zstd -d' -xf "$WORK/floor/floor.tar.zst" -C "$WORK/t2")
  printf '%-5s %-22s %8.1f %12s  %s\n' "$r" "floor: untar" "$s" "" "$l"
done
