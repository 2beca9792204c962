"""The factor table as text and HTML: factors ranked, each level's mean and interval."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kling_nb.core.compare import apart
from kling_nb.core.html import esc

if TYPE_CHECKING:
    from .factors import Factor, FactorTable, Level

CHANCE = 0.05
"""A share whose permutation p-value is above this could well be chance (said so)."""


def head(table: FactorTable) -> str:
    """``What each choice does for rating: 24 jobs (3 without one left out)``."""
    left = f" ({table.dropped} without one left out)" if table.dropped else ""
    return f"What each choice does for {table.outcome}: {table.jobs} jobs{left}"


def verdict(factor: Factor) -> str:
    """``explains 62% (alone 63%; pure noise ~25%), p = 0.001`` and a word when it could be
    chance."""
    noise = f"; pure noise ~{factor.noise:.0%}" if factor.noise is not None else ""
    text = f"explains {factor.share:.0%} (alone {factor.alone:.0%}{noise})"
    if factor.p is not None:
        text += f", p = {factor.p:.3f}" + ("  could be chance" if factor.p > CHANCE else "")
    return text + (f"  [{factor.note}]" if factor.note else "")


def interval(level: Level) -> str:
    """``[3.81, 4.59]``, or ``-`` for a single job."""
    if level.low is None or level.high is None:
        return "-"
    return f"[{level.low:.3g}, {level.high:.3g}]"


def labels(factor: Factor) -> dict[str, str]:
    """Each level's label, long ones cut where they differ from the others (``apart``)."""
    return apart([level.label_text for level in factor.levels], 48)


def by_mean(factor: Factor) -> list[Level]:
    """The levels, best mean first."""
    return sorted(factor.levels, key=lambda level: -level.mean)


def table_text(table: FactorTable) -> str:
    """Each factor (most important first), then its levels, best first."""
    lines = [head(table)]
    if not table.factors:
        lines.append("  no factor varied between these jobs")
    for rank, factor in enumerate(table.factors, 1):
        lines.append(f"{rank}. {factor.name}: {verdict(factor)}")
        shown = labels(factor)
        width = max(len(label) for label in shown.values())
        lines += [f"     {shown[level.label_text]:<{width}}  {level.mean:8.3g}  "
                  f"{interval(level):<18} n={level.n}" for level in by_mean(factor)]
    confidence = f"{table.confidence:.0%}"
    lines.append(f"(means with {confidence} t intervals; 'explains': share of the variation "
                 "beyond the other factors; 'pure noise': what a factor with as many levels "
                 f"explains on average when nothing has any effect; p: {table.permutations} "
                 "permutations)")
    lines += [f"note: {note}" for note in table.notes]
    return "\n".join(lines)


def table_html(table: FactorTable) -> str:
    """One row per factor (a bar for its share), its levels listed under it."""
    rows = []
    for rank, factor in enumerate(table.factors, 1):
        bar = (f"<div style='background:#0d6efd;height:8px;width:{factor.share * 100:.0f}%'>"
               "</div>")
        shown = labels(factor)
        levels = "".join(
            f"<tr class='kn-level'><td></td><td title='{esc(level.label_text)}'>"
            f"{esc(shown[level.label_text])}</td><td colspan='3'>"
            f"{level.mean:.3g} {esc(interval(level))}</td><td>n={level.n}</td></tr>"
            for level in by_mean(factor))
        p = "-" if factor.p is None else f"{factor.p:.3f}"
        note = f"<br/><small>{esc(factor.note)}</small>" if factor.note else ""
        noise = "-" if factor.noise is None else f"~{factor.noise:.0%}"
        rows.append(f"<tr class='kn-factor'><td>{rank}</td><td><b>{esc(factor.name)}</b>{note}"
                    f"</td><td>{factor.share:.0%}{bar}</td><td>{factor.alone:.0%}</td>"
                    f"<td>{noise}</td><td>{p}</td></tr>{levels}")
    notes = "".join(f"<li>{esc(note)}</li>" for note in table.notes)
    foot = (f"<p><small>means with {table.confidence:.0%} t intervals; explains: share of the "
            "variation beyond the other factors (Type II); alone: on its own (eta²); pure "
            "noise: what a factor with as many levels explains on average when nothing has any "
            f"effect; p: {table.permutations} permutations</small></p>")
    return (f"<div class='kling-nb-factors'><p><b>{esc(head(table))}</b></p>"
            "<table><thead><tr><th>#</th><th>factor / level</th><th>explains</th>"
            "<th>alone</th><th>pure noise</th><th>p</th></tr></thead><tbody>" + "".join(rows)
            + f"</tbody></table>{foot}" + (f"<ul>{notes}</ul>" if notes else "") + "</div>")
