"""The leaderboard as a bar chart with matplotlib (``pip install 'kling-nb[plot]'``), or the
plain table when matplotlib is not installed."""

from __future__ import annotations

import importlib
from typing import Any

from .leaderboard import KEPT, Leaderboard

NO_MATPLOTLIB = ("matplotlib is not installed (pip install 'kling-nb[plot]'): "
                 "the table instead of a plot")
_LIVE, _SANDBOX = "#0d6efd", "#adb5bd"


def pyplot() -> Any | None:
    """``matplotlib.pyplot``, or None when matplotlib is not installed."""
    try:
        return importlib.import_module("matplotlib.pyplot")
    except ImportError:
        return None


def plot(board: Leaderboard, *, ax: Any = None, top: int = 20) -> Any:
    """Mean rating per group as horizontal bars (kept and rated counts as labels); returns the
    matplotlib ``Axes``, or ``board`` with a note when matplotlib is missing."""
    plt = pyplot() if ax is None else None
    if ax is None and plt is None:
        board.note = NO_MATPLOTLIB
        return board
    rows = [r for r in board.rows if r.mean is not None][:top]
    if ax is None:
        _figure, ax = plt.subplots(figsize=(7, 0.45 * max(len(rows), 2) + 1))  # type: ignore[union-attr]
    shown = board.labels()
    labels = [f"{shown[id(r)]}{' [sandbox]' if r.sandbox else ''}" for r in rows]
    bars = ax.barh(range(len(rows)), [r.mean for r in rows],
                   color=[_SANDBOX if r.sandbox else _LIVE for r in rows])
    for bar, row in zip(bars, rows, strict=True):
        ax.text(bar.get_width() + 0.05, bar.get_y() + bar.get_height() / 2,
                f"{row.kept}/{row.rated} kept" + (f", {row.cost_text()}/kept"
                                                  if row.usd_per_kept is not None else ""),
                va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 6)
    ax.axvline(KEPT, color="#198754", linestyle=":", linewidth=1)
    ax.set_xlabel(f"mean rating (kept = {KEPT}+ stars)")
    ax.set_title(f"ratings by {' · '.join(board.by)}")
    return ax
