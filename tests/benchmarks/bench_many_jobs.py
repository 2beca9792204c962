"""Many jobs: a 1,000-job ``Sweep`` through the sandbox server on loopback.

The sandbox server runs in this process; the client runs in a child process, so its CPU time
(``time.process_time()``), RSS high-water mark and thread count are the client's alone. The
sweep is the real ``kling_nb.Sweep`` (sync runner, one thread), journaled as by default, with
downloads off; the server uses fast timing (a job ends on its second status request).
``python -m tests.benchmarks.bench_many_jobs [JOBS]`` prints the figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from kling_nb.sandbox import serve

from .common import Row

JOBS = 1000
CAP = 10
KEY = "bench-many-jobs"
_CHILD = """
import json, resource, sys, threading, time
from pathlib import Path
import kling_nb as kn
url, jobs, cap, key, folder = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], \\
    Path(sys.argv[5])
peak = {"threads": threading.active_count(), "in_flight": 0}
stop = threading.Event()
def sample():
    while not stop.wait(0.02):
        peak["threads"] = max(peak["threads"], threading.active_count() - 1)  # minus this one
        peak["in_flight"] = max(peak["in_flight"], sweep.in_flight)
sampler = threading.Thread(target=sample, daemon=True)
environ = {"LEONARDO_API_KEY": key, "AIMLAPI_API_KEY": key, "LEONARDO_BASE_URL": url,
           "AIMLAPI_BASE_URL": url}
journal = kn.Journal(folder / "journal.db")
client = kn.Client(env_file=False, environ=environ, journal=journal, download_dir=folder)
prompts = [f"bench prompt {i}" for i in range(jobs // 25)]
sweep = kn.Sweep(kn.Kling30(prompt="x", duration=5, mode="RESOLUTION_720"), prompts=prompts,
                 seeds=list(range(25)), concurrency=cap)
sampler.start()
cpu, wall = time.process_time(), time.perf_counter()
results = sweep.run(client, download=False)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
stop.set()
sampler.join()
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"jobs": len(sweep.specs), "complete": len(results.results),
                  "errors": [str(e) for _, e in results.errors][:5], "cpu_s": cpu,
                  "wall_s": wall, "rss_mb": rss_kb / 1024, "threads": peak["threads"],
                  "in_flight": peak["in_flight"], "cap": sweep.cap}))
"""


def measure(jobs: int = JOBS, cap: int = CAP) -> dict[str, object]:
    """Run the sweep in a child process against a loopback server; the figures as a dict."""
    with tempfile.TemporaryDirectory() as tmp, serve(key=KEY, balance=1e9) as server:
        env = {**os.environ, "KLING_NB_JOURNAL": "off"}
        done = subprocess.run([sys.executable, "-c", _CHILD, server.url, str(jobs), str(cap),
                               KEY, tmp], env=env, capture_output=True, text=True, check=False,
                              timeout=1800)
        if done.returncode != 0:
            raise RuntimeError(f"the sweep process failed:\n{done.stderr[-3000:]}")
        figures: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
        sandbox = server.sandbox
        figures["served_429"] = sandbox.served_429
        figures["server_peak_running"] = sandbox.peak_running("leonardo")
        figures["creates"] = sum(1 for r in sandbox.requests
                                 if r.method == "POST" and r.path.endswith("/generations"))
        figures["requests"] = len(sandbox.requests)
    return figures


def benchmark() -> list[Row]:
    """Client CPU per job, peak RSS, threads, concurrency cap and 429s for a 1,000-job sweep."""
    f = measure()
    jobs = int(f["jobs"])  # type: ignore[call-overload]
    cpu_ms = float(f["cpu_s"]) * 1000 / jobs  # type: ignore[arg-type]
    rss, threads = float(f["rss_mb"]), int(f["threads"])  # type: ignore[arg-type, call-overload]
    peak = max(int(f["in_flight"]), int(f["server_peak_running"]))  # type: ignore[call-overload]
    section = "many jobs"
    return [
        Row(section, f"{jobs}-job sweep: complete / wall time",
            f"{f['complete']}/{jobs} in {float(f['wall_s']):.1f} s "  # type: ignore[arg-type]
            f"({int(f['requests']) / jobs:.1f} requests per job)",  # type: ignore[call-overload]
            target="all complete", met=f["complete"] == jobs),
        Row(section, "client CPU per job", f"{cpu_ms:.2f} ms", target="<= 5 ms",
            met=cpu_ms <= 5.0),
        Row(section, "client threads (peak)", str(threads), target="<= 4", met=threads <= 4),
        Row(section, "client peak memory (RSS high-water)", f"{rss:.0f} MB", target="< 250 MB",
            met=rss < 250),
        Row(section, "peak in-flight jobs (client / server)",
            f"{f['in_flight']} / {f['server_peak_running']}", target=f"<= cap {f['cap']}",
            met=peak <= int(f["cap"])),  # type: ignore[call-overload]
        Row(section, "429 answers / create requests",
            f"{f['served_429']} / {f['creates']}", target="0 / one per job",
            met=f["served_429"] == 0 and f["creates"] == jobs),
    ]


if __name__ == "__main__":
    from .common import machine, table

    count = int(sys.argv[1]) if len(sys.argv) > 1 else JOBS
    if count != JOBS:
        print(json.dumps(measure(count), indent=1))
    else:
        print(f"Machine: {machine()}\n")
        print(table(benchmark()))
