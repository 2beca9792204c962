"""A ranking as a plot of scores with their intervals (matplotlib, the ``plot`` extra), or the
table with a note when matplotlib is not installed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .plot import NO_MATPLOTLIB, pyplot
from .rankview import labels as labels_of

if TYPE_CHECKING:
    from .ranking import Ranking

_LIVE, _SANDBOX = "#0d6efd", "#adb5bd"


def plot_ranking(ranking: Ranking, *, ax: Any = None, top: int = 20) -> Any:
    """Each compared group's score as a dot with its bootstrap interval as a bar, best on top,
    the comparisons behind it as a label; returns the ``Axes`` (or ``ranking`` with a note)."""
    plt = pyplot() if ax is None else None
    if ax is None and plt is None:
        ranking.note = NO_MATPLOTLIB
        return ranking
    rows = [r for r in ranking.rows if r.score is not None][:top]
    if ax is None:
        _figure, ax = plt.subplots(figsize=(7, 0.45 * max(len(rows), 2) + 1))  # type: ignore[union-attr]
    for y, row in enumerate(rows):
        colour = _SANDBOX if row.sandbox else _LIVE
        low, high, score = row.low or 0.0, row.high or 0.0, row.score or 0.0
        ax.errorbar(score, y, xerr=[[score - low], [high - score]], fmt="o", color=colour,
                    capsize=3)
        ax.annotate(f"n={row.comparisons}", (high, y), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    shown = labels_of(ranking)
    labels = [f"{shown[id(r)]}{' [sandbox]' if r.sandbox else ''}" for r in rows]
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.axvline(0, color="#6c757d", linestyle=":", linewidth=1)
    ax.set_xlabel(f"blind-comparison score (log-strength, {ranking.level:.0%} bootstrap "
                  "interval)")
    ax.set_title(f"blind verdicts by {' · '.join(ranking.by)}")
    return ax
