"""The factor table as a figure (matplotlib, ``pip install 'kling-nb[plot]'``): each factor's
share as a bar, and each factor's level means with their intervals beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kling_nb.core.compare import apart

from .plot import NO_MATPLOTLIB, pyplot

if TYPE_CHECKING:
    from .factors import Factor, FactorTable

_BAR, _DOT = "#0d6efd", "#212529"


def plot_factors(table: FactorTable, *, ax: Any = None, top: int = 6) -> Any:
    """With ``ax``: the shares on it (returns it). Without: a figure of the shares and one
    panel of level means per factor (the ``top`` most important); returns the figure. When
    matplotlib is missing: the table, with a note."""
    factors = table.factors[:top]
    if ax is not None:
        return _shares(ax, table, factors)
    plt = pyplot()
    if plt is None:
        if NO_MATPLOTLIB not in table.notes:
            table.notes.append(NO_MATPLOTLIB)
        return table
    panels = max(len(factors), 1)
    figure, axes = plt.subplots(1, panels + 1, figsize=(3.2 * (panels + 1), 3.2),
                                squeeze=False)
    _shares(axes[0][0], table, factors)
    for panel, factor in zip(axes[0][1:], factors, strict=False):
        _means(panel, factor, table.outcome)
    figure.suptitle(f"what each choice does for {table.outcome} ({table.jobs} jobs)")
    figure.tight_layout()
    return figure


def _shares(ax: Any, table: FactorTable, factors: list[Factor]) -> Any:
    names = [f.name for f in factors]
    ax.barh(range(len(factors)), [f.share for f in factors], color=_BAR)
    for row, factor in enumerate(factors):
        label = f"{factor.share:.0%}" + ("" if factor.p is None else f" p={factor.p:.2g}")
        ax.text(factor.share + 0.01, row, label, va="center", fontsize=8)
        if factor.noise is not None:  # what chance alone gives a factor with as many levels
            ax.plot([factor.noise] * 2, [row - 0.4, row + 0.4], color="#6c757d", linestyle=":")
    ax.set_yticks(range(len(factors)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("share of the variation explained")
    ax.set_title("factors")
    return ax


def _means(ax: Any, factor: Factor, outcome: str) -> None:
    levels = factor.levels
    means = [level.mean for level in levels]
    below = [level.mean - level.low if level.low is not None else 0.0 for level in levels]
    above = [level.high - level.mean if level.high is not None else 0.0 for level in levels]
    ax.errorbar(range(len(levels)), means, yerr=[below, above], fmt="o", color=_DOT,
                capsize=3)
    shown = apart([level.label_text for level in levels], 24)
    ax.set_xticks(range(len(levels)), [shown[level.label_text] for level in levels],
                  rotation=30, ha="right", fontsize=8)
    ax.set_title(factor.name)
    ax.set_ylabel(outcome)
