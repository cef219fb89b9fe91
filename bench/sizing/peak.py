#!/usr/bin/env python3
"""Peak CPU and memory of containers while a command runs (e.g. the Slack import bench).

Runs COMMAND, echoes its output lines with the elapsed time, and samples `podman stats` every --every seconds for
every running container whose name starts with --prefix. Each time the command prints a line, it also prints the peak
since its previous line (memory max, and the highest CPU over one sampling interval, in % of one core, from cpu_time),
so the peak of each phase the command reports is the line under it. At the end: the peak over the whole run.

  python3 bench/sizing/peak.py --prefix slack-bench- -- dotnet run -c Release --project bench/SlackImport.Bench -- 3000
"""
import argparse, json, os, subprocess, sys, threading, time

# The podman stats parsing is sizing.py's (same directory), so both benches read a sample the same way.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sizing import parse_mem as mem_mib, parse_cpu_seconds as cpu_seconds  # noqa: E402


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--every", type=float, default=1.0)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command

    lock = threading.Lock()
    last = {}  # name -> (t, cpu seconds)
    window, total = {}, {}  # name -> [mem max, cpu peak]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            names = subprocess.run(["podman", "ps", "--format", "{{.Names}}", "--filter", f"name=^{a.prefix}"],
                                   capture_output=True, text=True).stdout.split()
            names = [n for n in names if n.startswith(a.prefix)]
            if names:
                out = subprocess.run(["podman", "stats", "--no-stream", "--format", "json", *names], capture_output=True, text=True).stdout
                now = time.time()
                try:
                    stats = json.loads(out)
                except Exception:
                    stats = []
                with lock:
                    for st in stats:
                        name, mem, cpu = st.get("name", "?"), mem_mib(st), cpu_seconds(st)
                        step = None
                        if name in last and now > last[name][0]:
                            step = 100.0 * (cpu - last[name][1]) / (now - last[name][0])
                        last[name] = (now, cpu)
                        for d in (window, total):
                            m = d.setdefault(name, [0.0, 0.0])
                            m[0] = max(m[0], mem)
                            if step is not None:
                                m[1] = max(m[1], step)
            stop.wait(a.every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.time()
    print(f"[peak] load average at start: {loadavg()}", flush=True)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        with lock:
            peaks = "; ".join(f"{n}: {m[0]:.0f} MiB, {m[1]:.0f}% CPU" for n, m in window.items())
            window.clear()
        if peaks:
            print(f"[peak {time.time() - t0:7.1f} s, load {loadavg()}] since the previous line: {peaks}", flush=True)
        print(f"[{time.time() - t0:7.1f} s] {line.rstrip()}", flush=True)
    rc = proc.wait()
    stop.set()
    sampler.join()
    print(f"[peak] exit {rc}; whole run: " + "; ".join(f"{n}: memory max {m[0]:.0f} MiB, CPU peak {m[1]:.0f}% of one core over {a.every:.0f} s" for n, m in total.items()), flush=True)
    print(f"[peak] load average at end: {loadavg()}", flush=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
