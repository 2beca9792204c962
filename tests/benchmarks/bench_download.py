"""Downloads: throughput as a ratio to curl on the same file, and peak memory growth."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import Row
from .fileserver import serve_file

SIZE_MB = 512
_CHILD = """
import json, sys, time
from pathlib import Path
import httpx
from kling_nb.client.download import download
from kling_nb.client.http import RetryPolicy
url, dest = sys.argv[1], Path(sys.argv[2])
def kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])
open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM) to the current RSS
before = kb("VmRSS:")
with httpx.Client(timeout=60) as http:
    started = time.perf_counter()
    download(http, url, dest, "leonardo", RetryPolicy())
    seconds = time.perf_counter() - started
peak = kb("VmHWM:")
print(json.dumps({"seconds": seconds, "growth_mb": (peak - before) / 1024}))
"""


def _make_file(folder: Path) -> Path:
    path = folder / "big.mp4"
    block = bytes(range(256)) * 4096
    with path.open("wb") as handle:
        for _ in range(SIZE_MB):
            handle.write(block)
    return path


def _curl(url: str, dest: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["curl", "-s", "-f", "-o", str(dest), url], check=True)
    return time.perf_counter() - started


def _ours(url: str, dest: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, url, str(dest)], check=True,
                         capture_output=True, text=True)
    return dict(json.loads(out.stdout))


def benchmark() -> list[Row]:
    """Best of three runs each, on a file of SIZE_MB, from a loopback server."""
    if shutil.which("curl") is None:
        return [Row("downloads", "curl baseline", "skipped: curl is not installed")]
    memory = "/dev/shm" if Path("/dev/shm").is_dir() else None  # keep the disk out of it
    with tempfile.TemporaryDirectory(dir=memory) as tmp:
        folder = Path(tmp)
        source = _make_file(folder)
        server, url = serve_file(source)
        curl_runs, runs, same = [], [], True
        try:
            for _ in range(3):  # alternate, so both see the same machine state
                curl_runs.append(_curl(url, folder / "curl.mp4"))
                (folder / "curl.mp4").unlink()
                runs.append(_ours(url, folder / "ours.mp4"))
                same = same and (folder / "ours.mp4").read_bytes() == source.read_bytes()
                (folder / "ours.mp4").unlink()
        finally:
            server.shutdown()
    curl_s, ours_s = min(curl_runs), min(r["seconds"] for r in runs)
    growth = max(r["growth_mb"] for r in runs)
    ratio = curl_s / ours_s
    return [
        Row("downloads", f"{SIZE_MB} MB from loopback: throughput",
            f"{SIZE_MB / ours_s:.0f} MB/s", f"curl {SIZE_MB / curl_s:.0f} MB/s",
            f"{ratio:.2f}x curl", ">= 0.8x curl", ratio >= 0.8 and same),
        Row("downloads", "peak memory growth during the download", f"{growth:.1f} MB",
            target="< 50 MB", met=growth < 50),
    ]
