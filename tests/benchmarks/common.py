"""What the benchmarks share: a fake clock, result rows, the machine description."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass


@dataclass
class FakeClock:
    """Seconds on a clock that only moves when something sleeps on it."""

    now_s: float = 1_800_000_000.0

    def now(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        self.now_s += max(seconds, 0.0)


@dataclass
class Row:
    """One benchmark figure, with its baseline and target."""

    section: str
    name: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def mean(values: list[float]) -> float:
    """The mean."""
    return statistics.fmean(values) if values else 0.0


def machine() -> str:
    """A one-line description of the machine the figures came from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if "model name" in line]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| section | figure | value | baseline | ratio | target | met |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "NO")
        lines.append(f"| {r.section} | {r.name} | {r.value} | {r.baseline} | {r.ratio} | "
                     f"{r.target} | {met} |")
    return "\n".join(lines)
