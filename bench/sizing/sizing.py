#!/usr/bin/env python3
"""Sizing bench: a synthetic family on the real Dendrite image (podman), SQLite or Postgres mode.

Starts docker.io/matrixdotorg/dendrite-monolith:v0.15.2 bare under podman. The config is either the image's own
generate-config (--config generated, SQLite only; the first runs) or the product's (--config rendered, the default):
the ConfigRenderer CLI (`dotnet build ConfigRenderer -o DIR`, pass --renderer DIR/DendriteAspire.ConfigRenderer.Cli.dll)
renders dendrite.yaml from the same settings the AppHost binds (Dendrite section of AppHost/appsettings.json), with
metrics on behind basic auth and rate limits off so the load is not refused. In Postgres mode the postgres:18.3 image
runs beside Dendrite in one podman pod and Dendrite gets the connection string the AppHost gives it
(postgres://postgres:<password>@<host>:5432/dendrite?sslmode=disable).

It registers USERS people through the shared-secret API, makes ROOMS rooms with history (--history N messages spread
over the rooms, sent by --senders parallel senders, one room per sender at a time) and media, then measures with USERS
clients syncing, in --rounds rounds of an idle and a scraped phase (order alternating: idle/scraped, scraped/idle, ...):
  * /sync latency (incremental, timeout=0) percentiles, idle and with /metrics scraped every 15 s,
  * Dendrite's (and Postgres') CPU and memory from `podman stats` (sampled every 5 s),
  * the database size.
With --element it also starts the element-web image and has every client load the app (index, config, scripts).
Prints markdown tables and the load average before every phase. Removes its containers, pod and volumes.

  python3 bench/sizing/sizing.py [--mode sqlite|postgres] [--history 1200] [--rounds 1] [--seconds 60] [--element]
"""
import argparse, base64, hashlib, hmac, json, os, statistics, subprocess, sys, threading, time, urllib.request, urllib.error, uuid

IMAGE = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2"
POSTGRES_IMAGE = "docker.io/library/postgres:18.3"
ELEMENT_IMAGE = "docker.io/vectorim/element-web:v1.11.31"
POSTGRES_PASSWORD = "bench-postgres-" + uuid.uuid4().hex
# Dendrite's volumes as the AppHost mounts them (Hosting's DendriteVolume, ConfigRenderer's DendritePaths).
PRODUCT_VOLUMES = [("storage-keys", "/var/dendrite/storage-keys"), ("jetstream", "/var/dendrite/jetstream"),
                   ("sqlite", "/var/sqlite/dendrite"), ("media", "/var/dendrite/media"), ("searchindex", "/var/dendrite/searchindex")]
SECRET = "bench-shared-secret-" + uuid.uuid4().hex
METRICS_PASSWORD = "bench-metrics-" + uuid.uuid4().hex


def sh(*args, check=True, capture=True):
    r = subprocess.run(args, capture_output=capture, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({r.returncode}): {r.stderr[-2000:]}")
    return r.stdout


def request(base, method, path, body=None, token=None, raw=None, content_type="application/json", auth=None, timeout=60):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            payload = resp.read()
            return resp.status, (json.loads(payload) if payload[:1] in (b"{", b"[") else payload)
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_for_200(base, path, tries, what, container):
    """Polls GET base+path every 0.5 s until it answers 200; otherwise stops the bench with the container's log tail."""
    for _ in range(tries):
        try:
            if request(base, "GET", path, timeout=2)[0] == 200:
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{what}: " + sh("podman", "logs", "--tail", "20", container, check=False))


def free_port():
    import socket
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def parse_mem(s):
    v = s["mem_usage"].split("/")[0].strip() if "mem_usage" in s else s.get("MemUsage", "").split("/")[0].strip()
    units = {"kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3, "B": 1}
    for u in sorted(units, key=len, reverse=True):
        if v.endswith(u):
            return float(v[: -len(u)]) * units[u] / 1024**2
    return float("nan")


def parse_cpu_seconds(s):
    # podman 4's cpu_percent is the average since the container started (setup included), so a phase's CPU is
    # computed from cpu_time (a Go duration such as 1m35.8s) between samples.
    import re
    total = 0.0
    for amount, unit in re.findall(r"([0-9.]+)(h|ms|us|µs|ns|m|s)", s.get("cpu_time", "")):
        total += float(amount) * {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}[unit]
    return total


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


class Sampler:
    """`podman stats` every `every` s for the named containers: memory samples, cpu_time at each sample, and the
    highest one-interval CPU (% of one core) seen, i.e. the peak over `every` seconds."""

    def __init__(self, containers, every=5.0):
        self.containers, self.every = containers, every
        self.samples = {c: [] for c in containers}  # (t, mem MiB, cpu seconds)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            out = sh("podman", "stats", "--no-stream", "--format", "json", *self.containers, check=False)
            now = time.time()
            try:
                for st in json.loads(out):
                    name = st.get("name") or st.get("Name")
                    for c in self.containers:
                        if name == c or (st.get("id", "") and c.startswith(st.get("id", "")[:12])):
                            self.samples[c].append((now, parse_mem(st), parse_cpu_seconds(st)))
            except Exception:
                pass
            self.stop.wait(self.every)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()

    def summary(self, c):
        xs = self.samples[c]
        if len(xs) < 2:
            return {"mem_mean": float("nan"), "mem_max": float("nan"), "cpu": float("nan"), "cpu_peak": float("nan")}
        mems = [m for _, m, _ in xs]
        steps = [100.0 * (b[2] - a[2]) / (b[0] - a[0]) for a, b in zip(xs, xs[1:]) if b[0] > a[0]]
        return {"mem_mean": statistics.mean(mems), "mem_max": max(mems),
                "cpu": 100.0 * (xs[-1][2] - xs[0][2]) / (xs[-1][0] - xs[0][0]), "cpu_peak": max(steps)}


def render_config(a, workdir, db_uri):
    """dendrite.yaml from the product's ConfigRenderer (the AppHost's Dendrite settings, plus the bench's)."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "..", "AppHost", "appsettings.json")) as f:
        dendrite = json.load(f)["Dendrite"]
    settings = {k: v for k, v in dendrite.items() if k not in ("Client", "Onboarding", "Family", "Kubernetes")}
    settings["ServerName"] = "bench.local"
    settings["Registration"] = {"SharedSecret": SECRET}
    settings["Metrics"] = {"Enabled": True, "Username": "metrics", "Password": METRICS_PASSWORD}
    settings["RateLimiting"] = {"Enabled": False}
    settings["Logging"] = {"Level": "warn"}
    settings["Database"] = {"Provider": "Postgres", "ConnectionString": db_uri} if db_uri else {"Provider": "Sqlite"}
    with open(f"{workdir}/settings.json", "w") as f:
        json.dump(settings, f)
    os.makedirs(f"{workdir}/config")
    out = sh("dotnet", a.renderer, "render", "--settings", f"{workdir}/settings.json", "--output", f"{workdir}/config")
    print("ConfigRenderer: " + out.strip(), flush=True)
    os.chmod(f"{workdir}/config", 0o755)
    os.chmod(f"{workdir}/config/dendrite.yaml", 0o644)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--config", choices=["rendered", "generated"], default="rendered")
    ap.add_argument("--renderer", default="/tmp/sizing-cr/DendriteAspire.ConfigRenderer.Cli.dll")
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rooms", type=int, default=30)
    ap.add_argument("--members-per-room", type=int, default=7)
    ap.add_argument("--history", type=int, default=1200, help="messages of history, spread over the rooms")
    ap.add_argument("--senders", type=int, default=4, help="parallel senders for the history")
    ap.add_argument("--media", type=int, default=20)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--element", action="store_true")
    ap.add_argument("--onboarding", default=None, help="the onboarding image (tests' localhost/dendrite-aspire-onboarding:live-test): run it beside Dendrite and load its pages")
    ap.add_argument("--backup", default=None, help="path of the Admin CLI (dotnet build Admin -o DIR: DIR/DendriteAspire.Admin.Cli.dll): take a backup after the rounds, with the clients syncing")
    a = ap.parse_args()
    if (a.mode == "postgres" or a.backup) and a.config == "generated":
        raise SystemExit("--mode postgres needs --config rendered (the product's config)")

    run = "sizing-" + uuid.uuid4().hex[:8]
    volume, container, pod = run + "-data", run + "-dendrite", run + "-pod"
    pg_container, pg_volume, el_container = run + "-postgres", run + "-postgres-data", run + "-element"
    ob_container = run + "-onboarding"
    workdir = f"/tmp/{run}"
    os.makedirs(workdir)
    print(f"{run}: mode {a.mode}, config {a.config}; load average at start: {loadavg()}", flush=True)
    pg = a.mode == "postgres"
    watched = [container] + ([pg_container] if pg else []) + ([el_container] if a.element else []) + ([ob_container] if a.onboarding else [])
    side = (el_container, ob_container)  # measured on their own, not in the sync phases' tables
    try:
        if a.config == "generated":
            sh("podman", "volume", "create", volume)
            import yaml
            generated = sh("podman", "run", "--rm", "--entrypoint", "/usr/bin/generate-config", IMAGE, "-dir", "/var/dendrite", "-server", "bench.local")
            config = yaml.safe_load(generated)
            g = config["global"]
            g["private_key"] = "/var/dendrite/matrix_key.pem"
            g["disable_federation"] = True
            g["presence"] = {"enable_inbound": False, "enable_outbound": False}
            g["metrics"] = {"enabled": True, "basic_auth": {"username": "metrics", "password": METRICS_PASSWORD}}
            g["jetstream"]["storage_path"] = "/var/dendrite/jetstream"
            config["client_api"]["registration_shared_secret"] = SECRET
            config["client_api"]["rate_limiting"]["enabled"] = False
            config["logging"] = [{"type": "std", "level": "warn"}]
            os.makedirs(f"{workdir}/config")
            with open(f"{workdir}/config/dendrite.yaml", "w") as f:
                yaml.safe_dump(config, f)
            os.chmod(f"{workdir}/config", 0o755)
            os.chmod(f"{workdir}/config/dendrite.yaml", 0o644)
            keygen = ["--private-key", "/var/dendrite/matrix_key.pem"]
            keyprep = None
            mounts = ["-v", f"{volume}:/var/dendrite"]
        else:
            render_config(a, workdir, f"postgres://postgres:{POSTGRES_PASSWORD}@127.0.0.1:5432/dendrite?sslmode=disable" if pg else None)
            keygen = ["--private-key", "/var/dendrite/storage-keys/matrix_key.pem"]
            keyprep = "true"
            # The AppHost's volumes, named the way the backup finds them (<prefix>-<volume>, Backup's ServerVolumes).
            mounts = []
            for name, target in PRODUCT_VOLUMES:
                sh("podman", "volume", "create", f"{run}-{name}")
                mounts += ["-v", f"{run}-{name}:{target}"]
        if keyprep:
            sh("podman", "run", "--rm", *mounts, "--entrypoint", "/bin/sh", IMAGE, "-c", keyprep + " && /usr/bin/generate-keys " + " ".join(keygen))
        else:
            sh("podman", "run", "--rm", *mounts, "--entrypoint", "/usr/bin/generate-keys", IMAGE, *keygen)
        port, ob_port = free_port(), free_port()
        net = []
        if pg or a.onboarding:
            sh("podman", "pod", "create", "--name", pod, "-p", f"127.0.0.1:{port}:8008", *(["-p", f"127.0.0.1:{ob_port}:8080"] if a.onboarding else []))
            net = ["--pod", pod]
        else:
            net = ["-p", f"127.0.0.1:{port}:8008"]
        if pg:
            sh("podman", "volume", "create", pg_volume)
            sh("podman", "run", "-d", "--name", pg_container, "--pod", pod, "-e", "POSTGRES_USER=postgres",
               "-e", f"POSTGRES_PASSWORD={POSTGRES_PASSWORD}", "-e", "POSTGRES_DB=dendrite", "-v", f"{pg_volume}:/var/lib/postgresql", POSTGRES_IMAGE)
            for _ in range(240):
                if subprocess.run(["podman", "exec", pg_container, "pg_isready", "-U", "postgres", "-d", "dendrite", "-h", "127.0.0.1"], capture_output=True).returncode == 0:
                    break
                time.sleep(0.5)
            else:
                raise SystemExit("postgres did not come up: " + sh("podman", "logs", "--tail", "20", pg_container, check=False))
        sh("podman", "run", "-d", "--name", container, *net, "--tmpfs", "/etc/dendrite", *mounts,
           "-v", f"{workdir}/config:/etc/dendrite-config:ro", IMAGE, "-config", "/etc/dendrite-config/dendrite.yaml")
        base = f"http://127.0.0.1:{port}"
        wait_for_200(base, "/_dendrite/monitor/up", 300, "dendrite did not come up", container)
        element_base = None
        if a.element:
            with open(f"{workdir}/element-config.json", "w") as f:
                json.dump({"default_server_config": {"m.homeserver": {"base_url": base, "server_name": "bench.local"}}}, f)
            os.chmod(f"{workdir}/element-config.json", 0o644)
            sh("podman", "run", "-d", "--name", el_container, "-p", "127.0.0.1::80",
               "-v", f"{workdir}/element-config.json:/app/config.json:ro", ELEMENT_IMAGE)
            element_base = "http://127.0.0.1:" + sh("podman", "port", el_container, "80").strip().split(":")[-1]

        t0 = time.time()
        tokens = []
        for i in range(a.users):
            _, n = request(base, "GET", "/_synapse/admin/v1/register")
            nonce = n["nonce"]
            user, password = f"user{i}", "bench-password-" + str(i)
            mac = hmac.new(SECRET.encode(), "\0".join([nonce, user, password, "notadmin"]).encode(), hashlib.sha1).hexdigest()
            s, r = request(base, "POST", "/_synapse/admin/v1/register", {"nonce": nonce, "username": user, "password": password, "admin": False, "mac": mac})
            if s != 200:
                raise SystemExit(f"register {user}: {s} {r}")
            tokens.append(r["access_token"])
        setup = {"register": time.time() - t0}

        t0 = time.time()
        rooms = []
        for r_ in range(a.rooms):
            owner = tokens[r_ % a.users]
            s, room = request(base, "POST", "/_matrix/client/v3/createRoom", {"preset": "public_chat", "name": f"room {r_}"}, owner)
            if s != 200:
                raise SystemExit(f"createRoom: {s} {room}")
            members = [tokens[(r_ + k) % a.users] for k in range(a.members_per_room)]
            for m in members[1:]:
                s, j = request(base, "POST", f"/_matrix/client/v3/join/{room['room_id']}", {}, m)
                if s != 200:
                    raise SystemExit(f"join: {s} {j}")
            rooms.append((room["room_id"], members))
        setup["rooms+joins"] = time.time() - t0

        # History: --history messages over the rooms (a busy family room gets more than a quiet one: room k gets a
        # share proportional to 1/(k+1)), --senders rooms written side by side, each room in order by one sender.
        t0 = time.time()
        weights = [1.0 / (k + 1) for k in range(len(rooms))]
        shares = [int(a.history * w / sum(weights)) for w in weights]
        shares[0] += a.history - sum(shares)
        sent = [0]
        failed = [0]
        lock = threading.Lock()
        queue = list(range(len(rooms)))
        history_stats = Sampler([c for c in watched if c not in side], every=5.0)

        def history_sender():
            while True:
                with lock:
                    if not queue:
                        return
                    idx = queue.pop(0)
                room_id, members = rooms[idx]
                for k in range(shares[idx]):
                    s, _ = request(base, "PUT", f"/_matrix/client/v3/rooms/{room_id}/send/m.room.message/{uuid.uuid4().hex}",
                                   {"msgtype": "m.text", "body": f"message {k} " + "lorem ipsum " * 8}, members[k % len(members)])
                    with lock:
                        sent[0] += s == 200
                        failed[0] += s != 200
                        if sent[0] % 1000 == 0 and s == 200:
                            print(f"  history: {sent[0]}/{a.history} sent, {time.time() - t0:.0f} s, load {loadavg()}", flush=True)

        with history_stats:
            senders = [threading.Thread(target=history_sender) for _ in range(a.senders)]
            for th in senders:
                th.start()
            for th in senders:
                th.join()
        setup["messages"] = time.time() - t0
        print(f"history: {sent[0]} sent, {failed[0]} failed, {setup['messages']:.0f} s ({sent[0] / setup['messages']:.1f} msg/s), "
              f"{a.senders} senders; load {loadavg()}", flush=True)
        for c in history_stats.containers:
            sm = history_stats.summary(c)
            print(f"  during history load, {c}: memory mean {sm['mem_mean']:.0f} MiB, max {sm['mem_max']:.0f} MiB; CPU mean {sm['cpu']:.0f}%, peak 5 s {sm['cpu_peak']:.0f}% of one core", flush=True)

        t0 = time.time()
        media_bytes = 0
        for k in range(a.media):
            blob = os.urandom(200 * 1024)
            s, r = request(base, "POST", "/_matrix/media/v3/upload?filename=photo.jpg", raw=blob, content_type="image/jpeg", token=tokens[k % a.users])
            if s == 200:
                media_bytes += len(blob)
                room_id, members = rooms[k % len(rooms)]
                request(base, "PUT", f"/_matrix/client/v3/rooms/{room_id}/send/m.room.message/{uuid.uuid4().hex}",
                        {"msgtype": "m.image", "body": "photo.jpg", "url": r["content_uri"]}, members[0])
        setup["media"] = time.time() - t0

        # Initial syncs (what a client does once when it signs in).
        initial = []
        since = []
        for t in tokens:
            s0 = time.time()
            s, r = request(base, "GET", "/_matrix/client/v3/sync?timeout=0", token=t, timeout=300)
            initial.append((time.time() - s0) * 1000)
            since.append(r["next_batch"])

        def element_loads():
            """Every client opens Element Web: index.html, config.json and every script and stylesheet it names."""
            import re
            lat, total = [], 0
            st, index = request(element_base, "GET", "/")
            assets = sorted(set(re.findall(rb'(?:src|href)="([^"]+\.(?:js|css))"', index if isinstance(index, bytes) else b"")))
            with Sampler([el_container], every=2.0) as es:
                def one(i):
                    nonlocal total
                    s0 = time.time()
                    for path in [b"/", b"/config.json"] + assets:
                        p_ = path.decode()
                        s, body = request(element_base, "GET", p_ if p_.startswith("/") else "/" + p_)
                        total += len(body) if isinstance(body, (bytes, bytearray)) else len(json.dumps(body))
                    lat.append((time.time() - s0) * 1000)
                ths = [threading.Thread(target=one, args=(i,)) for i in range(len(tokens))]
                for th in ths:
                    th.start()
                for th in ths:
                    th.join()
                time.sleep(4)
            return lat, total, len(assets), es.summary(el_container)

        if a.element:
            with Sampler([el_container], every=2.0) as idle_el:
                time.sleep(10)
            el_idle = idle_el.summary(el_container)
            lat, total, n_assets, el_load = element_loads()
            print(f"element: idle memory {el_idle['mem_mean']:.1f} MiB; {len(tokens)} concurrent app loads ({n_assets} assets, "
                  f"{total / 1024**2:.1f} MiB served): p50 {pct(lat, 50):.0f} ms, max {max(lat):.0f} ms; memory max {el_load['mem_max']:.1f} MiB, "
                  f"CPU peak 2 s {el_load['cpu_peak']:.0f}% of one core; load {loadavg()}", flush=True)

        if a.onboarding:
            # The onboarding service as the AppHost configures it (OnboardingBuilderExtensions), beside Dendrite.
            ob_env = {"PublicUrl": f"http://127.0.0.1:{ob_port}", "ServerName": "bench.local", "HomeserverUrl": base,
                      "FamilyRoomName": "Family", "DendriteUrl": "http://127.0.0.1:8008", "InviteSecret": uuid.uuid4().hex + uuid.uuid4().hex,
                      "AdminUserName": "admin", "RoomOwnerUserName": "family-rooms", "RoomOwnerPassword": "bench-owner-" + uuid.uuid4().hex,
                      "RegistrationSecret": SECRET, "DataDirectory": "/tmp/onboarding"}
            envs = [x for k, v in ob_env.items() for x in ("-e", f"Onboarding__{k}={v}")]
            sh("podman", "run", "-d", "--name", ob_container, "--pod", pod, *envs, a.onboarding)
            ob_base = f"http://127.0.0.1:{ob_port}"
            wait_for_200(ob_base, "/health", 240, "onboarding did not become healthy", ob_container)
            with Sampler([ob_container], every=2.0) as idle_ob:
                time.sleep(20)
            ob_idle = idle_ob.summary(ob_container)
            ob_lat, ob_codes = [], {}
            with Sampler([ob_container], every=2.0) as busy_ob:
                def relative(i):
                    # A relative opens a (here: unknown) invite link a few times, and the admin page loads.
                    for k in range(10):
                        s0 = time.time()
                        s, _ = request(ob_base, "GET", f"/join/{uuid.uuid4().hex}" if k % 2 == 0 else "/admin")
                        ob_lat.append((time.time() - s0) * 1000)
                        ob_codes[s] = ob_codes.get(s, 0) + 1
                ths = [threading.Thread(target=relative, args=(i,)) for i in range(len(tokens))]
                for th in ths:
                    th.start()
                for th in ths:
                    th.join()
                time.sleep(4)
            ob_busy = busy_ob.summary(ob_container)
            print(f"onboarding: idle memory {ob_idle['mem_mean']:.0f} MiB, CPU {ob_idle['cpu']:.1f}%; {len(ob_lat)} page loads by {len(tokens)} clients at once "
                  f"(answers {ob_codes}): p50 {pct(ob_lat, 50):.0f} ms, max {max(ob_lat):.0f} ms; memory max {ob_busy['mem_max']:.0f} MiB, "
                  f"CPU peak 2 s {ob_busy['cpu_peak']:.0f}% of one core; load {loadavg()}", flush=True)

        def phase(scrape, during=None, every=5.0):
            stop = threading.Event()
            latencies, scrapes = [], []

            def client(i):
                tok = since[i]
                while not stop.is_set():
                    s0 = time.time()
                    s, r = request(base, "GET", f"/_matrix/client/v3/sync?timeout=0&since={tok}", token=tokens[i])
                    latencies.append((time.time() - s0) * 1000)
                    if s == 200:
                        tok = r["next_batch"]
                    since[i] = tok
                    stop.wait(1.0)  # a client polling once a second: steady family load, not a flood

            def sender():
                k = 0
                while not stop.is_set():
                    room_id, members = rooms[k % len(rooms)]
                    request(base, "PUT", f"/_matrix/client/v3/rooms/{room_id}/send/m.room.message/{uuid.uuid4().hex}",
                            {"msgtype": "m.text", "body": "live"}, members[k % len(members)])
                    k += 1
                    stop.wait(2.0)

            def scraper():
                while not stop.is_set():
                    s0 = time.time()
                    s, body = request(base, "GET", "/metrics", auth=f"metrics:{METRICS_PASSWORD}")
                    scrapes.append(((time.time() - s0) * 1000, s, len(body) if isinstance(body, bytes) else 0))
                    stop.wait(15.0)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(len(tokens))] + [threading.Thread(target=sender)]
            if scrape:
                threads.append(threading.Thread(target=scraper))
            with Sampler([c for c in watched if c not in side], every=every) as sampler:
                for th in threads:
                    th.start()
                if during is None:
                    time.sleep(a.seconds)
                else:
                    time.sleep(every * 2)
                    during()
                    time.sleep(every * 2)
                stop.set()
                for th in threads:
                    th.join()
            return latencies, scrapes, sampler

        results = []  # (round, name, load before, latencies, scrapes, sampler)
        for rnd in range(a.rounds):
            order = (False, True) if rnd % 2 == 0 else (True, False)
            for scrape in order:
                before = loadavg()
                lat, scrapes, sampler = phase(scrape)
                name = "/metrics every 15 s" if scrape else "idle"
                results.append((rnd + 1, name, before, lat, scrapes, sampler))
                print(f"  round {rnd + 1} {name}: p50 {pct(lat, 50):.1f} ms, n {len(lat)}, load before {before}", flush=True)
        load_after = loadavg()

        backup_report = ""
        if a.backup:
            # A backup with the family still syncing: Dendrite's (and Postgres') peak while it runs, sampled every 1 s.
            out_dir = f"{workdir}/backups"
            took = {}

            def take_backup():
                env = dict(os.environ, ASPIRE_CONTAINER_RUNTIME="podman")
                env.pop("DENDRITE_BACKUP_PASSPHRASE", None)
                s0 = time.time()
                r = subprocess.run(["dotnet", a.backup, "backup", "--volume-prefix", run, "--output", out_dir, "--server-name", "bench.local"],
                                   capture_output=True, text=True, env=env)
                took["seconds"], took["rc"], took["log"] = time.time() - s0, r.returncode, (r.stdout + r.stderr).strip()

            before = loadavg()
            lat, _, sampler = phase(False, during=take_backup, every=1.0)
            sizes = [os.path.getsize(os.path.join(out_dir, f)) for f in os.listdir(out_dir)] if os.path.isdir(out_dir) else []
            backup_report = (f"backup (clients syncing, load before {before}, after {loadavg()}): exit {took['rc']}, {took['seconds']:.1f} s, "
                             f"archive {sum(sizes) / 1024**2:.1f} MiB; /sync p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms, max {max(lat):.0f} ms (n {len(lat)})\n")
            for c in sampler.containers:
                sm = sampler.summary(c)
                backup_report += f"  {c}: memory mean {sm['mem_mean']:.0f} MiB, max {sm['mem_max']:.0f} MiB; CPU mean {sm['cpu']:.0f}%, peak 1 s {sm['cpu_peak']:.0f}% of one core\n"
            backup_report += "  backup log (last lines): " + " | ".join(took["log"].splitlines()[-4:])
            print(backup_report, flush=True)

        if pg:
            db = sh("podman", "exec", pg_container, "psql", "-U", "postgres", "-d", "dendrite", "-tAc",
                    "select pg_size_pretty(pg_database_size('dendrite')), pg_database_size('dendrite')", check=False).strip()
            db += "\n" + sh("podman", "exec", pg_container, "sh", "-c", "du -sk /var/lib/postgresql", check=False)
            db += sh("podman", "exec", container, "sh", "-c", "du -sk /var/dendrite/media /var/dendrite/jetstream /var/dendrite/searchindex 2>/dev/null", check=False)
        else:
            db = sh("podman", "exec", container, "sh", "-c",
                    "du -sk /var/sqlite/dendrite/*.db /var/dendrite/*.db /var/dendrite/media /var/dendrite/jetstream /var/dendrite/searchindex 2>/dev/null", check=False)

        print()
        print(f"mode {a.mode}, config {a.config}: users {a.users}, rooms {a.rooms} x {a.members_per_room} members, {sent[0]} history messages "
              f"({a.senders} senders), {a.media} media ({media_bytes // 1024} KiB), phase {a.seconds} s x {a.rounds} round(s)")
        print("setup seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in setup.items()))
        print(f"initial sync ms: p50 {pct(initial, 50):.0f}, max {max(initial):.0f}")
        print(f"load average after: {load_after}")
        print()
        cols = "".join(f" {c.split('-')[-1]} CPU % mean / 5 s peak | {c.split('-')[-1]} MiB mean / max |" for c in watched if c not in side)
        print(f"| round | phase | load before | /sync requests | p50 ms | p95 ms | p99 ms |{cols} scrapes |")
        print("|---|---|---|---|---|---|---|" + "---|---|" * len([c for c in watched if c not in side]) + "---|")
        for rnd, name, before, lat, scrapes, sampler in results:
            cells = ""
            for c in sampler.containers:
                sm = sampler.summary(c)
                cells += f" {sm['cpu']:.1f} / {sm['cpu_peak']:.0f} | {sm['mem_mean']:.0f} / {sm['mem_max']:.0f} |"
            sc = f"{len(scrapes)} ({', '.join(f'{ms:.0f} ms {s}' for ms, s, _ in scrapes)}; {scrapes[0][2] // 1024} KiB)" if scrapes else "0"
            print(f"| {rnd} | {name} | {before} | {len(lat)} | {pct(lat, 50):.1f} | {pct(lat, 95):.1f} | {pct(lat, 99):.1f} |{cells} {sc} |")
        for name in ("idle", "/metrics every 15 s"):
            p50s = [pct(lat, 50) for _, n, _, lat, _, _ in results if n == name]
            alll = [x for _, n, _, lat, _, _ in results if n == name for x in lat]
            print(f"{name}: per-round p50 {', '.join(f'{x:.1f}' for x in p50s)}; pooled p50 {pct(alll, 50):.1f} ms, p95 {pct(alll, 95):.1f} ms (n {len(alll)})")
        print()
        if backup_report:
            print(backup_report)
        print("disk (KiB unless noted):")
        print(db)
    finally:
        for c in (el_container, container, pg_container):
            subprocess.run(["podman", "rm", "-f", "-v", c], capture_output=True)
        subprocess.run(["podman", "rm", "-f", "-v", ob_container], capture_output=True)
        if pg or a.onboarding:
            subprocess.run(["podman", "pod", "rm", "-f", pod], capture_output=True)
        for v in [volume, pg_volume] + [f"{run}-{name}" for name, _ in PRODUCT_VOLUMES]:
            subprocess.run(["podman", "volume", "rm", "-f", v], capture_output=True)
        print(f"load average at end: {loadavg()}", flush=True)


if __name__ == "__main__":
    main()
