#!/usr/bin/env python3
"""Sizing bench: a synthetic family on the real Dendrite image (podman), SQLite mode.

Starts docker.io/matrixdotorg/dendrite-monolith:v0.15.2 bare under podman with a config from the image's own
generate-config (metrics on, behind basic auth, rate limits off for the load), registers USERS people through the
shared-secret API, makes ROOMS rooms with history and media, then measures with USERS clients syncing:
  * /sync latency (incremental, timeout=0) percentiles, idle and with /metrics scraped every 15 s,
  * Dendrite's CPU and memory from `podman stats` (sampled every 5 s),
  * the database size on the volume.
Prints a markdown table and the load average before and after. Removes its container and volume.

  python3 bench/sizing/sizing.py [--users 20] [--rooms 30] [--messages-per-room 40] [--seconds 60]
"""
import argparse, base64, hashlib, hmac, json, os, statistics, subprocess, sys, threading, time, urllib.request, urllib.error, uuid

IMAGE = "docker.io/matrixdotorg/dendrite-monolith:v0.15.2"
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


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rooms", type=int, default=30)
    ap.add_argument("--members-per-room", type=int, default=7)
    ap.add_argument("--messages-per-room", type=int, default=40)
    ap.add_argument("--media", type=int, default=20)
    ap.add_argument("--seconds", type=int, default=60)
    a = ap.parse_args()

    run = "sizing-" + uuid.uuid4().hex[:8]
    volume, container = run + "-data", run + "-dendrite"
    workdir = f"/tmp/{run}"
    os.makedirs(workdir)
    print(f"load average at start: {loadavg()}", flush=True)
    try:
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
        with open(f"{workdir}/dendrite.yaml", "w") as f:
            yaml.safe_dump(config, f)
        os.chmod(workdir, 0o755)
        os.chmod(f"{workdir}/dendrite.yaml", 0o644)

        sh("podman", "volume", "create", volume)
        sh("podman", "run", "--rm", "-v", f"{volume}:/var/dendrite", "--entrypoint", "/usr/bin/generate-keys", IMAGE,
           "--private-key", "/var/dendrite/matrix_key.pem")
        sh("podman", "run", "-d", "--name", container, "-p", "127.0.0.1::8008", "--tmpfs", "/etc/dendrite",
           "-v", f"{volume}:/var/dendrite", "-v", f"{workdir}/dendrite.yaml:/etc/dendrite-config/dendrite.yaml:ro",
           IMAGE, "-config", "/etc/dendrite-config/dendrite.yaml")
        port = sh("podman", "port", container, "8008").strip().split(":")[-1]
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if request(base, "GET", "/_dendrite/monitor/up", timeout=2)[0] == 200:
                    break
            except Exception:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit("dendrite did not come up: " + sh("podman", "logs", "--tail", "20", container, check=False))

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

        t0 = time.time()
        sent = 0
        for room_id, members in rooms:
            for k in range(a.messages_per_room):
                s, _ = request(base, "PUT", f"/_matrix/client/v3/rooms/{room_id}/send/m.room.message/{uuid.uuid4().hex}",
                               {"msgtype": "m.text", "body": f"message {k} " + "lorem ipsum " * 8}, members[k % len(members)])
                sent += s == 200
        setup["messages"] = time.time() - t0

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
            s, r = request(base, "GET", "/_matrix/client/v3/sync?timeout=0", token=t, timeout=120)
            initial.append((time.time() - s0) * 1000)
            since.append(r["next_batch"])

        def phase(scrape):
            stop = threading.Event()
            latencies, scrapes, stats = [], [], []

            def client(i):
                tok = since[i]
                while not stop.is_set():
                    s0 = time.time()
                    s, r = request(base, "GET", f"/_matrix/client/v3/sync?timeout=0&since={tok}", token=tokens[i])
                    latencies.append((time.time() - s0) * 1000)
                    if s == 200:
                        tok = r["next_batch"]
                    time.sleep(1.0)  # a client polling once a second: steady family load, not a flood

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

            def sampler():
                while not stop.is_set():
                    out = sh("podman", "stats", "--no-stream", "--format", "json", container, check=False)
                    try:
                        stats.append(json.loads(out)[0])
                    except Exception:
                        pass
                    stop.wait(5.0)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(len(tokens))] + [threading.Thread(target=sender), threading.Thread(target=sampler)]
            if scrape:
                threads.append(threading.Thread(target=scraper))
            for th in threads:
                th.start()
            time.sleep(a.seconds)
            stop.set()
            for th in threads:
                th.join()
            return latencies, scrapes, stats

        def pct(xs, p):
            xs = sorted(xs)
            return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")

        def parse_mem(s):
            v = s["mem_usage"].split("/")[0].strip() if "mem_usage" in s else s.get("MemUsage", "").split("/")[0].strip()
            units = {"kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3, "B": 1}
            for u in sorted(units, key=len, reverse=True):
                if v.endswith(u):
                    return float(v[: -len(u)]) * units[u] / 1024**2
            return float("nan")

        def parse_cpu_seconds(s):
            # podman 4's cpu_percent is the average since the container started (setup included), so the phase's CPU
            # is computed from cpu_time (a Go duration such as 1m35.8s) between the phase's first and last sample.
            import re
            total = 0.0
            for amount, unit in re.findall(r"([0-9.]+)(h|ms|us|µs|ns|m|s)", s.get("cpu_time", "")):
                total += float(amount) * {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}[unit]
            return total

        def phase_cpu(stats):
            if len(stats) < 2:
                return float("nan")
            seconds = 5.0 * (len(stats) - 1)
            return 100.0 * (parse_cpu_seconds(stats[-1]) - parse_cpu_seconds(stats[0])) / seconds

        load_before = loadavg()
        idle = phase(scrape=False)
        load_mid = loadavg()
        scraped = phase(scrape=True)
        load_after = loadavg()
        db = sh("podman", "exec", container, "sh", "-c", "du -sk /var/dendrite/*.db /var/dendrite/media /var/dendrite/jetstream /var/dendrite/searchindex 2>/dev/null", check=False)

        rows = []
        for name, (lat, scrapes, stats) in (("idle", idle), ("/metrics every 15 s", scraped)):
            mems = [parse_mem(s) for s in stats]
            cpu = phase_cpu(stats)
            rows.append(f"| {name} | {len(lat)} | {pct(lat, 50):.1f} | {pct(lat, 95):.1f} | {pct(lat, 99):.1f} | "
                        f"{cpu:.1f} | "
                        f"{statistics.mean(mems) if mems else float('nan'):.0f} / {max(mems) if mems else float('nan'):.0f} | "
                        f"{len(scrapes)} ({', '.join(f'{ms:.0f} ms {s} {b} B' for ms, s, b in scrapes[:2])}) |")
        print()
        print(f"users {a.users}, rooms {a.rooms} x {a.members_per_room} members, {sent} messages, {a.media} media ({media_bytes // 1024} KiB), phase {a.seconds} s")
        print("setup seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in setup.items()))
        print(f"initial sync ms: p50 {pct(initial, 50):.0f}, max {max(initial):.0f}")
        print(f"load average: before idle phase {load_before}; between phases {load_mid}; after {load_after}")
        print()
        print("| phase | /sync requests | p50 ms | p95 ms | p99 ms | CPU % of one core (phase mean) | memory MiB mean / max | scrapes |")
        print("|---|---|---|---|---|---|---|---|")
        print("\n".join(rows))
        print()
        print("disk (KiB):")
        print(db)
        print("idle podman stats sample: " + json.dumps(idle[2][-1] if idle[2] else {}))
    finally:
        subprocess.run(["podman", "rm", "-f", container], capture_output=True)
        subprocess.run(["podman", "volume", "rm", "-f", volume], capture_output=True)
        print(f"load average at end: {loadavg()}", flush=True)


if __name__ == "__main__":
    main()
