#!/usr/bin/env python3
"""Sizing bench: a synthetic family on the real Dendrite image (podman, or Docker), SQLite or Postgres mode.

Starts docker.io/matrixdotorg/dendrite-monolith:v0.15.2 bare under podman (--runtime docker: Docker, SQLite mode).
The config is either the image's own generate-config (--config generated, SQLite only; the first runs) or the
product's (--config rendered, the default): the ConfigRenderer CLI (`dotnet build ConfigRenderer -o DIR`, pass --renderer DIR/DendriteAspire.ConfigRenderer.Cli.dll)
renders dendrite.yaml from the same settings the AppHost binds (Dendrite section of AppHost/appsettings.json), with
metrics on behind basic auth and rate limits off so the load is not refused. In Postgres mode the postgres:18.3 image
runs beside Dendrite in one podman pod and Dendrite gets the connection string the AppHost gives it
(postgres://postgres:<password>@<host>:5432/dendrite?sslmode=disable).

It registers USERS people through the shared-secret API, makes ROOMS rooms with history (--history N messages spread
over the rooms, sent by --senders parallel senders, one room per sender at a time; every --read-every messages the
room's members read it, as a family does) and media, then measures with USERS
clients syncing, in --rounds rounds of an idle and a scraped phase (order alternating: idle/scraped, scraped/idle, ...):
  * /sync latency (incremental, timeout=0) percentiles, idle and with /metrics scraped every 15 s,
  * Dendrite's (and Postgres') CPU and memory from `podman stats` (sampled every 5 s),
  * the database size.
With --element it also starts the element-web image and has every client load the app (index, config, scripts).
Prints markdown tables and the load average before every phase. Removes its containers, pod and volumes.

  python3 bench/sizing/sizing.py [--mode sqlite|postgres] [--history 1200] [--rounds 1] [--seconds 60] [--element]
"""
import argparse, base64, hashlib, hmac, json, os, shutil, statistics, subprocess, sys, threading, time, urllib.request, urllib.error, uuid

IMAGE = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2"
# The container runtime: podman, or docker with --runtime docker (SQLite mode; pods are podman's).
RUNTIME = "podman"
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
    raise SystemExit(f"{what}: " + sh(RUNTIME, "logs", "--tail", "20", container, check=False))


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


def working_set(container):
    """The container's memory as the kubelet counts it (usage minus inactive page cache) and its RSS, from its cgroup:
    podman stats' usage includes the page cache, which after a media upload is mostly reclaimable file pages."""
    script = ("f=/sys/fs/cgroup/memory/memory.stat; u=/sys/fs/cgroup/memory/memory.usage_in_bytes; "
              "[ -f $f ] || { f=/sys/fs/cgroup/memory.stat; u=/sys/fs/cgroup/memory.current; }; cat $u; cat $f")
    out = subprocess.run([RUNTIME, "exec", container, "sh", "-c", script], capture_output=True, text=True).stdout.split("\n")
    try:
        usage = int(out[0])
        stat = dict((k, int(v)) for k, v in (line.split() for line in out[1:] if len(line.split()) == 2))
        inactive = stat.get("total_inactive_file", stat.get("inactive_file", 0))
        rss = stat.get("total_rss", stat.get("anon", 0))
        return f"{(usage - inactive) / 1024**2:.0f} MiB, RSS {rss / 1024**2:.0f} MiB"
    except (ValueError, IndexError):
        return "n/a"


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


class Sampler:
    """`podman stats` every `every` s for the named containers: memory samples, cpu_time at each sample, and the
    highest one-interval CPU (% of one core) seen, i.e. the peak over `every` seconds."""

    def __init__(self, containers, every=5.0):
        self.containers, self.every = containers, every
        self.samples = {c: [] for c in containers}  # (t, mem MiB, cpu seconds)
        self.ids = {}  # container name -> full id (Docker's cgroup paths)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            self.sample_docker() if RUNTIME == "docker" else self.sample_podman()
            self.stop.wait(self.every)

    def sample_podman(self):
        out = sh(RUNTIME, "stats", "--no-stream", "--format", "json", *self.containers, check=False)
        now = time.time()
        try:
            for st in json.loads(out):
                name = st.get("name") or st.get("Name")
                for c in self.containers:
                    if name == c or (st.get("id", "") and c.startswith(st.get("id", "")[:12])):
                        self.samples[c].append((now, parse_mem(st), parse_cpu_seconds(st)))
        except Exception:
            pass

    def sample_docker(self):
        """Docker's stats give no CPU time, so it is read from the container's cgroup on this host (v1 cpuacct, or v2
        cpu.stat). Never through `docker exec`: an exec starting while a backup has the container paused hangs Docker
        20.10 (runc init frozen in the cgroup, the daemon holding the container) and leaves Dendrite paused."""
        out = sh(RUNTIME, "stats", "--no-stream", "--format", "{{json .}}", *self.containers, check=False)
        now = time.time()
        for line in out.splitlines():
            try:
                st = json.loads(line)
            except ValueError:
                continue
            name = st.get("Name", "")
            if name in self.samples:
                ns = self.cgroup_cpu_ns(name)
                if ns is not None:
                    self.samples[name].append((now, parse_mem(st), ns / 1e9))

    def cgroup_cpu_ns(self, name):
        if name not in self.ids:
            self.ids[name] = sh(RUNTIME, "inspect", "--format", "{{.Id}}", name, check=False).strip()
        cid = self.ids[name]
        for path in (f"/sys/fs/cgroup/cpuacct/docker/{cid}/cpuacct.usage", f"/sys/fs/cgroup/cpu,cpuacct/docker/{cid}/cpuacct.usage"):
            try:
                with open(path) as f:
                    return int(f.read().strip())
            except (OSError, ValueError):
                pass
        for path in (f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/cpu.stat", f"/sys/fs/cgroup/docker/{cid}/cpu.stat"):
            try:
                with open(path) as f:
                    for row in f:
                        if row.startswith("usage_usec "):
                            return int(row.split()[1]) * 1000
            except (OSError, ValueError):
                pass
        return None

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
    ap.add_argument("--runtime", choices=["podman", "docker"], default="podman",
                    help="the container runtime (and the backups' ASPIRE_CONTAINER_RUNTIME); docker: SQLite mode without --onboarding")
    ap.add_argument("--config", choices=["rendered", "generated"], default="rendered")
    ap.add_argument("--renderer", default="/tmp/sizing-cr/DendriteAspire.ConfigRenderer.Cli.dll")
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rooms", type=int, default=30)
    ap.add_argument("--members-per-room", type=int, default=7)
    ap.add_argument("--history", type=int, default=1200, help="messages of history, spread over the rooms")
    ap.add_argument("--senders", type=int, default=4, help="parallel senders for the history")
    ap.add_argument("--read-every", type=int, default=50,
                    help="every N history messages in a room, its members mark it read (m.fully_read, as Element does when a "
                         "room is opened; 0: nobody reads). Dendrite's user API counts all of a member's unread notifications "
                         "for every new one, so a year nobody reads falls further and further behind")
    ap.add_argument("--media", type=int, default=20, help="photos uploaded and posted")
    ap.add_argument("--media-kib", type=int, default=200, help="size of each photo (random bytes: a JPEG does not compress)")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--element", action="store_true")
    ap.add_argument("--onboarding", default=None, help="the onboarding image (tests' localhost/dendrite-aspire-onboarding:live-test): run it beside Dendrite and load its pages")
    ap.add_argument("--backup", default=None, help="path of the Admin CLI (dotnet build Admin -o DIR: DIR/DendriteAspire.Admin.Cli.dll): after the rounds, a phase of backups back to back with the clients syncing")
    ap.add_argument("--backup-nice", type=int, default=0, help="also a phase of backups under `nice -n N` (the Admin CLI and what it starts)")
    ap.add_argument("--backup-foreground", action="store_true", help="also a phase of backups with --foreground (not in the idle CPU class after the pause)")
    ap.add_argument("--backup-to-memory", action="store_true", help="also a phase of backups written to /dev/shm (no disk writes): how much of the cost is the archive's I/O")
    ap.add_argument("--idle-hog", action="store_true", help="after the rounds, a phase with one busy loop per core in the idle CPU class (chrt --idle 0): what Dendrite's /sync loses to CPU work that yields to it at once")
    ap.add_argument("--backup-pairs", type=int, default=0,
                    help="instead of one phase per variant after the rounds: N rounds of an idle phase followed by each variant's phase "
                         "(idle, V1, V2, idle, V1, V2, ..., idle); each variant phase is compared with the idle phases on either side of it")
    ap.add_argument("--cp-hog", action="store_true",
                    help="with --backup-pairs, also a variant with no backup: the runtime's `cp` of the media volume out of a helper "
                         "container to /dev/null, back to back, the client in the idle class on the last core (under Docker the "
                         "daemon does the reading and the tar, outside the client's class and core)")
    ap.add_argument("--zstd-hog", action="store_true",
                    help="with --backup-pairs, also a variant with no backup: zstd -3 and sha256sum of a 256 MiB random file in /dev/shm, "
                         "one loop per core, in the idle CPU class (the backup's kind of CPU and memory work without its I/O, runtime commands or pause)")
    ap.add_argument("--backup-taskset", default=None,
                    help="with --backup-pairs, also a variant of backups run under `taskset -c CPUS` (the CLI and what it starts on those cores only)")
    ap.add_argument("--backup-variant", action="append", default=[],
                    help="with --backup-pairs, also a variant of backups with these extra CLI arguments (e.g. '--foreground'); "
                         "a first word taskset:CPUS runs it under `taskset -c CPUS`; a word exe:DLL runs that program instead of the Admin CLI "
                         "(bench/Backup.HostPath.Bench: backups the way the AppHost takes them)")
    ap.add_argument("--zstd-hog-one-core", action="store_true",
                    help="with --backup-pairs, also the zstd-hog variant with one loop, pinned to the last core")
    ap.add_argument("--long-poll", action="store_true", help="after the rounds, a phase with the clients long-polling /sync as Element does")
    a = ap.parse_args()
    global RUNTIME
    RUNTIME = a.runtime
    if RUNTIME == "docker" and (a.mode == "postgres" or a.onboarding):
        raise SystemExit("--runtime docker: SQLite mode without --onboarding only (Postgres and the onboarding service share a podman pod with Dendrite)")
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
            sh(RUNTIME, "volume", "create", volume)
            import yaml
            generated = sh(RUNTIME, "run", "--rm", "--entrypoint", "/usr/bin/generate-config", IMAGE, "-dir", "/var/dendrite", "-server", "bench.local")
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
                sh(RUNTIME, "volume", "create", f"{run}-{name}")
                mounts += ["-v", f"{run}-{name}:{target}"]
        if keyprep:
            sh(RUNTIME, "run", "--rm", *mounts, "--entrypoint", "/bin/sh", IMAGE, "-c", keyprep + " && /usr/bin/generate-keys " + " ".join(keygen))
        else:
            sh(RUNTIME, "run", "--rm", *mounts, "--entrypoint", "/usr/bin/generate-keys", IMAGE, *keygen)
        port, ob_port = free_port(), free_port()
        net = []
        if pg or a.onboarding:
            sh(RUNTIME, "pod", "create", "--name", pod, "-p", f"127.0.0.1:{port}:8008", *(["-p", f"127.0.0.1:{ob_port}:8080"] if a.onboarding else []))
            net = ["--pod", pod]
        else:
            net = ["-p", f"127.0.0.1:{port}:8008"]
        if pg:
            sh(RUNTIME, "volume", "create", pg_volume)
            sh(RUNTIME, "run", "-d", "--name", pg_container, "--pod", pod, "-e", "POSTGRES_USER=postgres",
               "-e", f"POSTGRES_PASSWORD={POSTGRES_PASSWORD}", "-e", "POSTGRES_DB=dendrite", "-v", f"{pg_volume}:/var/lib/postgresql", POSTGRES_IMAGE)
            for _ in range(240):
                if subprocess.run([RUNTIME, "exec", pg_container, "pg_isready", "-U", "postgres", "-d", "dendrite", "-h", "127.0.0.1"], capture_output=True).returncode == 0:
                    break
                time.sleep(0.5)
            else:
                raise SystemExit("postgres did not come up: " + sh(RUNTIME, "logs", "--tail", "20", pg_container, check=False))
        sh(RUNTIME, "run", "-d", "--name", container, *net, "--tmpfs", "/etc/dendrite", *mounts,
           "-v", f"{workdir}/config:/etc/dendrite-config:ro", IMAGE, "-config", "/etc/dendrite-config/dendrite.yaml")
        base = f"http://127.0.0.1:{port}"
        wait_for_200(base, "/_dendrite/monitor/up", 300, "dendrite did not come up", container)
        element_base = None
        if a.element:
            with open(f"{workdir}/element-config.json", "w") as f:
                json.dump({"default_server_config": {"m.homeserver": {"base_url": base, "server_name": "bench.local"}}}, f)
            os.chmod(f"{workdir}/element-config.json", 0o644)
            sh(RUNTIME, "run", "-d", "--name", el_container, "-p", "127.0.0.1::80",
               "-v", f"{workdir}/element-config.json:/app/config.json:ro", ELEMENT_IMAGE)
            element_base = "http://127.0.0.1:" + sh(RUNTIME, "port", el_container, "80").strip().split(":")[-1]

        def register(user, password, admin):
            _, n = request(base, "GET", "/_synapse/admin/v1/register")
            mac = hmac.new(SECRET.encode(), "\0".join([n["nonce"], user, password, "admin" if admin else "notadmin"]).encode(), hashlib.sha1).hexdigest()
            s, r = request(base, "POST", "/_synapse/admin/v1/register", {"nonce": n["nonce"], "username": user, "password": password, "admin": admin, "mac": mac})
            if s != 200:
                raise SystemExit(f"register {user}: {s} {r}")
            return r["access_token"]

        t0 = time.time()
        tokens = [register(f"user{i}", "bench-password-" + str(i), False) for i in range(a.users)]
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
        read_marks = [0]
        read_errors_shown = [0]
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
                    s, ev = request(base, "PUT", f"/_matrix/client/v3/rooms/{room_id}/send/m.room.message/{uuid.uuid4().hex}",
                                    {"msgtype": "m.text", "body": f"message {k} " + "lorem ipsum " * 8}, members[k % len(members)])
                    if a.read_every and s == 200 and (k + 1) % a.read_every == 0:
                        for m in members:  # the family opens the room and reads it
                            rs, rr = request(base, "POST", f"/_matrix/client/v3/rooms/{room_id}/read_markers",
                                             {"m.fully_read": ev["event_id"], "m.read": ev["event_id"]}, m)
                            with lock:
                                read_marks[0] += rs == 200
                                if rs != 200 and read_errors_shown[0] < 3:
                                    read_errors_shown[0] += 1
                                    print(f"  read_markers: {rs} {rr}", flush=True)
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
              f"{a.senders} senders, {read_marks[0]} read markers; load {loadavg()}", flush=True)
        for c in history_stats.containers:
            sm = history_stats.summary(c)
            print(f"  during history load, {c}: memory mean {sm['mem_mean']:.0f} MiB, max {sm['mem_max']:.0f} MiB; CPU mean {sm['cpu']:.0f}%, peak 5 s {sm['cpu_peak']:.0f}% of one core", flush=True)

        t0 = time.time()
        media_bytes = 0
        for k in range(a.media):
            blob = os.urandom(a.media_kib * 1024)
            s, r = request(base, "POST", "/_matrix/media/v3/upload?filename=photo.jpg", raw=blob, content_type="image/jpeg", token=tokens[k % a.users])
            if s == 200:
                media_bytes += len(blob)
                room_id, members = rooms[k % len(rooms)]
                request(base, "PUT", f"/_matrix/client/v3/rooms/{room_id}/send/m.room.message/{uuid.uuid4().hex}",
                        {"msgtype": "m.image", "body": "photo.jpg", "url": r["content_uri"]}, members[0])
        setup["media"] = time.time() - t0

        # Dendrite answers a send before its user API has evaluated every member's push rules and stored their
        # notifications; loading a year in minutes leaves that work queued for many minutes more, and measuring while
        # it drains charges it to the family's steady state (the first year runs did: ~1.2 cores "idle"). So: a marker
        # in a room of two, and wait until it is a notification of the second person (the user API works in order).
        t0 = time.time()
        watcher = register("drainwatch", "bench-drain-" + uuid.uuid4().hex, False)  # in no other room: few notifications to page
        s, drain_room = request(base, "POST", "/_matrix/client/v3/createRoom", {"preset": "private_chat", "invite": ["@drainwatch:bench.local"]}, tokens[0])
        request(base, "POST", f"/_matrix/client/v3/rooms/{drain_room['room_id']}/join", {}, watcher)
        s, sent_marker = request(base, "PUT", f"/_matrix/client/v3/rooms/{drain_room['room_id']}/send/m.room.message/{uuid.uuid4().hex}",
                                 {"msgtype": "m.text", "body": "drain marker"}, tokens[0])
        while True:
            s, notes = request(base, "GET", "/_matrix/client/v3/notifications?limit=100", token=watcher)
            if s == 200 and any(n["event"]["event_id"] == sent_marker["event_id"] for n in notes.get("notifications", [])):
                break
            time.sleep(2)
        setup["user API drain"] = time.time() - t0
        print(f"user API caught up with the history after {setup['user API drain']:.0f} s more; load {loadavg()}", flush=True)

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

        def onboarding_joins(ob_base, ob_env):
            """What a family's onboarding does on its busiest day: the admin makes an invite per relative through the
            invite API, then every relative opens the link and joins at once (account, sign-in, family room)."""
            import http.cookiejar, re, urllib.parse
            admin_token = register("admin", "bench-admin-" + uuid.uuid4().hex, True)
            register(ob_env["RoomOwnerUserName"], ob_env["RoomOwnerPassword"], False)
            n = len(tokens)
            with Sampler([ob_container, container], every=2.0) as js:
                t0 = time.time()
                links = []
                for i in range(n):
                    s, r = request(ob_base, "POST", "/api/invites", {"userName": f"relative{i}", "displayName": f"Relative {i}"}, admin_token)
                    if s != 201:
                        raise SystemExit(f"POST /api/invites: {s} {r}")
                    links.append(urllib.parse.urlparse(r["url"] if "url" in r else r["Url"]).path)
                invites_s = time.time() - t0
                lat, outcomes = [], {}

                def relative(i):
                    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
                    s0 = time.time()
                    page = opener.open(ob_base + links[i], timeout=120).read().decode()
                    field = re.search(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"', page)
                    password = "relative-password-" + uuid.uuid4().hex
                    form = urllib.parse.urlencode({"password": password, "confirm": password,
                                                   "__RequestVerificationToken": field.group(1) if field else ""}).encode()
                    try:
                        answer = opener.open(urllib.request.Request(ob_base + links[i], data=form, method="POST"), timeout=300).read().decode()
                        outcome = "joined" if "Welcome" in answer else "other page"
                    except urllib.error.HTTPError as e:
                        outcome = f"HTTP {e.code}"
                    lat.append((time.time() - s0) * 1000)
                    with lock:
                        outcomes[outcome] = outcomes.get(outcome, 0) + 1

                t0 = time.time()
                ths = [threading.Thread(target=relative, args=(i,)) for i in range(n)]
                for th in ths:
                    th.start()
                for th in ths:
                    th.join()
                joins_s = time.time() - t0
                time.sleep(4)
            ob, dd = js.summary(ob_container), js.summary(container)
            return (f"onboarding joins: {n} invites through the API in {invites_s:.1f} s, then {n} relatives joining at once "
                    f"(open the link, post the form): {outcomes} in {joins_s:.1f} s, p50 {pct(lat, 50):.0f} ms, max {max(lat):.0f} ms; "
                    f"onboarding memory max {ob['mem_max']:.0f} MiB, CPU peak 2 s {ob['cpu_peak']:.0f}% of one core; "
                    f"dendrite memory max {dd['mem_max']:.0f} MiB, CPU peak 2 s {dd['cpu_peak']:.0f}%; load {loadavg()}")

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
                      "RegistrationSecret": SECRET, "DataDirectory": "/tmp/onboarding",
                   # One address (the bench) makes every request here: the per-address limits would refuse most of them.
                   "JoinAttemptsPerMinute": "100000", "InvitesPerMinute": "100000"}
            envs = [x for k, v in ob_env.items() for x in ("-e", f"Onboarding__{k}={v}")]
            sh(RUNTIME, "run", "-d", "--name", ob_container, "--pod", pod, *envs, a.onboarding)
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
            joins = onboarding_joins(ob_base, ob_env)
            print(f"onboarding: idle memory {ob_idle['mem_mean']:.0f} MiB, CPU {ob_idle['cpu']:.1f}%; {len(ob_lat)} page loads by {len(tokens)} clients at once "
                  f"(answers {ob_codes}): p50 {pct(ob_lat, 50):.0f} ms, max {max(ob_lat):.0f} ms; memory max {ob_busy['mem_max']:.0f} MiB, "
                  f"CPU peak 2 s {ob_busy['cpu_peak']:.0f}% of one core; load {loadavg()}", flush=True)
            print(joins, flush=True)

        def phase(scrape, during=None, every=5.0, long_poll=False):
            stop = threading.Event()
            latencies, scrapes = [], []

            def client(i):
                tok = since[i]
                while not stop.is_set():
                    s0 = time.time()
                    if long_poll:
                        # As Element does: a long poll that Dendrite answers when something arrives for this person
                        # (or after 30 s); the next one at once. The latency is the wait, so it is not a figure here.
                        s, r = request(base, "GET", f"/_matrix/client/v3/sync?timeout=30000&since={tok}", token=tokens[i], timeout=90)
                    else:
                        s, r = request(base, "GET", f"/_matrix/client/v3/sync?timeout=0&since={tok}", token=tokens[i])
                    latencies.append((time.time() - s0) * 1000)
                    if s == 200:
                        tok = r["next_batch"]
                    since[i] = tok
                    if not long_poll:
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
                    during()
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
                ws = "; ".join(f"{c.split('-')[-1]} working set {working_set(c)}" for c in sampler.containers)
                print(f"  round {rnd + 1} {name}: p50 {pct(lat, 50):.1f} ms, n {len(lat)}, load before {before}; {ws}", flush=True)
        load_after = loadavg()
        if a.long_poll:
            # The family as Element clients are (30 s long polls), the same message rate: what the CPU request is for.
            before = loadavg()
            lat, _, sampler = phase(False, long_poll=True)
            report = f"long-poll clients (as Element), {a.seconds} s, load before {before}: {len(lat)} /sync answers ({len(lat) / a.seconds:.1f}/s against {len(tokens)}/s polling)"
            for c in sampler.containers:
                sm = sampler.summary(c)
                report += f"; {c.split('-')[-1]} CPU mean {sm['cpu']:.1f}%, peak 5 s {sm['cpu_peak']:.0f}%, memory mean {sm['mem_mean']:.0f} MiB, working set {working_set(c)}"
            print(report, flush=True)

        def with_hogs(commands, leftover):
            """A phase with these commands running for all of it; then they (and any child naming `leftover`) are killed."""
            hogs = [subprocess.Popen(c) for c in commands]
            try:
                return phase(False)
            finally:
                for h in hogs:
                    h.kill()
                    h.wait()
                if leftover:
                    subprocess.run(["pkill", "-f", leftover], capture_output=True)

        hog_report = ""
        if a.idle_hog:
            # Busy loops in SCHED_IDLE, one per core, for a whole phase: no I/O, no memory traffic to speak of. What
            # /sync p50 loses to them is what the idle class cannot give back (the cores' time slices, caches, the VM).
            before = loadavg()
            lat, _, _ = with_hogs([["chrt", "--idle", "0", "sh", "-c", "while :; do :; done"]] * (os.cpu_count() or 1), None)
            idle = [x for _, n, _, l, _, _ in results if n == "idle" for x in l]
            hog_report = (f"idle-class busy loops on every core for {a.seconds} s (load before {before}): /sync p50 {pct(lat, 50):.1f} ms against idle "
                          f"{pct(idle, 50):.1f} ms ({(pct(lat, 50) / pct(idle, 50) - 1) * 100:+.0f}%), p95 {pct(lat, 95):.1f} ms (n {len(lat)})\n")
            print(hog_report, flush=True)

        backup_report = ""
        env = dict(os.environ, ASPIRE_CONTAINER_RUNTIME=RUNTIME)
        env.pop("DENDRITE_BACKUP_PASSPHRASE", None)

        def backups_for(seconds, out_dir, nice=0, extra=()):
            """Backups back to back for `seconds`, keeping the newest archive only (the disk is not what is measured)."""
            took = []
            end = time.time() + seconds
            prefix, program = [], a.backup
            if extra and extra[0] == "taskset":
                prefix, extra = ["taskset", "-c", extra[1]], list(extra[2:])
            if extra and extra[0].startswith("exe:"):
                program, extra = extra[0][len("exe:"):], list(extra[1:])
            while time.time() < end:
                s0 = time.time()
                r = subprocess.run([*prefix, *(["nice", "-n", str(nice)] if nice else []), "dotnet", program, "backup", "--volume-prefix", run, "--output", out_dir, "--server-name", "bench.local", *extra],
                                   capture_output=True, text=True, env=env)
                took.append((time.time() - s0, r.returncode, (r.stdout + r.stderr).strip()))
                archives = sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []
                for old in archives[:-1]:
                    os.remove(os.path.join(out_dir, old))
                if r.returncode != 0:
                    break
            return took

        def backup_lines(took, out_dir):
            import re
            sizes = sorted(os.path.getsize(os.path.join(out_dir, f)) for f in os.listdir(out_dir)) if os.path.isdir(out_dir) else [0]
            line = (f"{len(took)} taken, exits {sorted(set(rc for _, rc, _ in took))}, {min(t for t, _, _ in took):.1f}-{max(t for t, _, _ in took):.1f} s each, "
                    f"archive {sizes[-1] / 1024**2:.1f} MiB")
            pauses = [int(m) for _, _, log in took for m in re.findall(r"dendrite resumed after (\d+) ms", log)]
            if pauses:
                line += f"; Dendrite paused {min(pauses)}-{max(pauses)} ms per backup, {sum(pauses) / 1000:.1f} s in all"
            failed = "".join(f"\n  backup that exited {rc} after {t:.1f} s, its whole log:\n    " + log.replace("\n", "\n    ") for t, rc, log in took if rc != 0)
            return line + "\n  last backup's log (last lines): " + " | ".join(took[-1][2].splitlines()[-4:]) + failed

        if a.backup and a.backup_pairs:
            # Drift-proof: idle, then each variant, N times, and a last idle phase; each variant phase against the mean
            # p50 of the idle phases just before and after it. 60 s idle phases on this VM differ by up to +-16% alone.
            hog_file = f"/dev/shm/{run}-hog"
            variants = [("backup (idle classes)", [])] + ([("backup --foreground", ["--foreground"])] if a.backup_foreground else []) \
                + ([(f"backup under taskset -c {a.backup_taskset}", ["taskset", a.backup_taskset])] if a.backup_taskset else []) \
                + [(f"backup {v}", (["taskset", v.split()[0][len("taskset:"):]] + v.split()[1:]) if v.startswith("taskset:") else v.split()) for v in a.backup_variant] \
                + ([("zstd + sha256sum in the idle class, no backup", None)] if a.zstd_hog else []) \
                + ([("zstd + sha256sum in the idle class on the last core only, no backup", "one")] if a.zstd_hog_one_core else []) \
                + ([(f"{RUNTIME} cp of the media volume to /dev/null, client idle on the last core, no backup", "cp")] if a.cp_hog else [])
            cp_helper = f"{run}-cp-helper"
            if a.cp_hog:
                sh(RUNTIME, "run", "-d", "--name", cp_helper, "--entrypoint", "sleep", "-v", f"{run}-media:/src:ro", IMAGE, "86400")
            if a.zstd_hog or a.zstd_hog_one_core:
                with open(hog_file, "wb") as f:
                    f.write(os.urandom(256 * 1024 * 1024))
            idle_p50, idle_all, seq = [], [], []
            per = {name: [] for name, _ in variants}
            try:
                for k in range(a.backup_pairs + 1):
                    before = loadavg()
                    lat, _, _ = phase(False)
                    idle_p50.append(pct(lat, 50))
                    idle_all.extend(lat)
                    print(f"  pair {k + 1} idle: p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms, n {len(lat)}, load before {before}", flush=True)
                    if k == a.backup_pairs:
                        break
                    for name, extra in variants:
                        before = loadavg()
                        out_dir = f"{workdir}/pairs-{k}"
                        took = []
                        if extra == "cp":
                            last = str((os.cpu_count() or 1) - 1)
                            lat, _, sampler = with_hogs([["taskset", "-c", last, "chrt", "--idle", "0", "sh", "-c",
                                                          f"while :; do {RUNTIME} cp {cp_helper}:/src - > /dev/null; done"]], f"cp {cp_helper}:/src")
                        elif extra is None or extra == "one":
                            cores = [None] * (os.cpu_count() or 1) if extra is None else [str((os.cpu_count() or 1) - 1)]
                            lat, _, sampler = with_hogs([[*(["taskset", "-c", c] if c else []), "chrt", "--idle", "0", "sh", "-c",
                                                          f"while :; do zstd -q -3 -T1 -c {hog_file} > /dev/null; sha256sum {hog_file} > /dev/null; done"]
                                                         for c in cores], hog_file)
                        else:
                            lat, _, sampler = phase(False, during=lambda: took.extend(backups_for(a.seconds, out_dir, extra=extra)))
                        seq.append((k, name, lat, took, out_dir, before, sampler))
                        extra_line = ("; " + backup_lines(took, out_dir)) if took else ""
                        print(f"  pair {k + 1} {name}: p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms, n {len(lat)}, load before {before}{extra_line}", flush=True)
            finally:
                if os.path.exists(hog_file):
                    os.remove(hog_file)
                if a.cp_hog:
                    subprocess.run([RUNTIME, "rm", "-f", "-v", cp_helper], capture_output=True)
            backup_report = f"paired phases ({a.backup_pairs} pairs, {a.seconds} s each): idle p50 per phase {', '.join(f'{x:.1f}' for x in idle_p50)} ms; pooled {pct(idle_all, 50):.1f} ms (n {len(idle_all)})\n"
            for k, name, lat, took, out_dir, before, sampler in seq:
                ref = (idle_p50[k] + idle_p50[k + 1]) / 2
                per[name].append(pct(lat, 50) / ref - 1)
                cpu = "; ".join(f"{c.split('-')[-1]} CPU mean {sampler.summary(c)['cpu']:.0f}%" for c in sampler.containers)
                backup_report += (f"| {k + 1} | {name} | {idle_p50[k]:.1f} / {idle_p50[k + 1]:.1f} | {pct(lat, 50):.1f} | {(pct(lat, 50) / ref - 1) * 100:+.0f}% "
                                  f"| {pct(lat, 95):.1f} | {len(lat)} | {cpu} | {backup_lines(took, out_dir).splitlines()[0] if took else ''} |\n")
            for name, _ in variants:
                lats = [x for _, n, l, _, _, _, _ in seq if n == name for x in l]
                rs = per[name]
                backup_report += (f"{name}: against the neighbouring idle phases {', '.join(f'{r * 100:+.0f}%' for r in rs)} (median {statistics.median(rs) * 100:+.0f}%); "
                                  f"pooled p50 {pct(lats, 50):.1f} ms against pooled idle {pct(idle_all, 50):.1f} ms ({(pct(lats, 50) / pct(idle_all, 50) - 1) * 100:+.0f}%)\n")
            print(backup_report, flush=True)

        elif a.backup:
            # Backups back to back for a whole phase (--seconds) with the family syncing as in the other phases: /sync
            # p50 against the idle phases' (issue 20: within 20%), and Dendrite's (and Postgres') peak while they run.
            # The local path: the Admin CLI on the named volumes through the runtime (SQLite: Dendrite paused while its
            # files are copied; Postgres: pg_dump from the running Postgres).
            variants = [("", 0, [])] + ([(f" (nice {a.backup_nice})", a.backup_nice, [])] if a.backup_nice else []) \
                + ([(" (--foreground)", 0, ["--foreground"]), (" (again as the first)", 0, [])] if a.backup_foreground else []) \
                + ([(" (archives to /dev/shm)", 0, ["shm"]), (" (again as the first)", 0, [])] if a.backup_to_memory else [])
            for i, (label, nice, extra) in enumerate(variants):
                out_dir = f"{workdir}/backups-{i}"
                if extra == ["shm"]:
                    out_dir, extra = f"/dev/shm/{run}-backups-{i}", []
                took = []
                before = loadavg()
                lat, _, sampler = phase(False, during=lambda: took.extend(backups_for(a.seconds, out_dir, nice, extra)), every=5.0)
                idle = [x for _, n, _, l, _, _ in results if n == "idle" for x in l]
                report = (f"backups back to back for {a.seconds} s{label} (clients syncing, load before {before}, after {loadavg()}): "
                          f"/sync p50 {pct(lat, 50):.1f} ms against idle {pct(idle, 50):.1f} ms "
                          f"({(pct(lat, 50) / pct(idle, 50) - 1) * 100:+.0f}%), p95 {pct(lat, 95):.1f} ms, max {max(lat):.0f} ms (n {len(lat)})\n  {backup_lines(took, out_dir)}\n")
                for c in sampler.containers:
                    sm = sampler.summary(c)
                    report += f"  {c}: memory mean {sm['mem_mean']:.0f} MiB, max {sm['mem_max']:.0f} MiB (working set at the end {working_set(c)}); CPU mean {sm['cpu']:.0f}%, peak 5 s {sm['cpu_peak']:.0f}% of one core\n"
                if out_dir.startswith("/dev/shm/"):
                    import shutil
                    shutil.rmtree(out_dir, ignore_errors=True)
                print(report, flush=True)
                backup_report += report

        if pg:
            db = sh(RUNTIME, "exec", pg_container, "psql", "-U", "postgres", "-d", "dendrite", "-tAc",
                    "select pg_size_pretty(pg_database_size('dendrite')), pg_database_size('dendrite')", check=False).strip()
            db += "\n" + sh(RUNTIME, "exec", pg_container, "sh", "-c", "du -sk /var/lib/postgresql", check=False)
            db += sh(RUNTIME, "exec", container, "sh", "-c", "du -sk /var/dendrite/media /var/dendrite/jetstream /var/dendrite/searchindex 2>/dev/null", check=False)
        else:
            db = sh(RUNTIME, "exec", container, "sh", "-c",
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
        if hog_report:
            print(hog_report)
        print("disk (KiB unless noted):")
        print(db)
    finally:
        for c in (el_container, container, pg_container):
            subprocess.run([RUNTIME, "rm", "-f", "-v", c], capture_output=True)
        subprocess.run([RUNTIME, "rm", "-f", "-v", ob_container], capture_output=True)
        if pg or a.onboarding:
            subprocess.run([RUNTIME, "pod", "rm", "-f", pod], capture_output=True)
        for v in [volume, pg_volume] + [f"{run}-{name}" for name, _ in PRODUCT_VOLUMES]:
            subprocess.run([RUNTIME, "volume", "rm", "-f", v], capture_output=True)
        # The backups' archives (about a gigabyte per phase; the report above has their sizes) go with the server:
        # left in /tmp they filled this machine's disk after a dozen runs.
        for d in os.listdir(workdir) if os.path.isdir(workdir) else []:
            if d.startswith("pairs-") or d.startswith("backups"):
                shutil.rmtree(os.path.join(workdir, d), ignore_errors=True)
        print(f"load average at end: {loadavg()}", flush=True)


if __name__ == "__main__":
    main()
