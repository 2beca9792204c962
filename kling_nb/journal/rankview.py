"""A ranking as text and as an HTML table: live groups, then sandbox groups apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kling_nb.core.compare import apart
from kling_nb.core.html import SANDBOX_TAG, esc

if TYPE_CHECKING:
    from .ranking import Fitted, Ranking, Standing

_COLUMNS = ("score", "interval", "comparisons", "W-T-L")
SETTLED = 0.95
"""The first group's lead over the second is called settled from this share of resamples."""
_SANDBOX_TEXT = "SANDBOX (offline emulator: fitted apart from live verdicts)"


def _about(part: Fitted, level: float) -> str:
    if not part.verdicts:
        return "no verdicts between these groups yet"
    text = (f"{part.verdicts} verdict{'s' * (part.verdicts != 1)}; Bradley-Terry fit"
            + (f" with ties (Davidson, nu = {part.tie_nu:.2f})" if part.tie_nu is not None
               else "") + f"; {level:.0%} bootstrap intervals")
    if part.within:
        text += f"; {part.within} inside one group, not counted"
    if part.lead is not None:
        text += (f"; the first scores above the second in {part.lead:.0%} of the resamples"
                 + (" (settled)" if part.lead >= SETTLED else
                    f" (not settled: under {SETTLED:.0%})"))
    return text


def notes(ranking: Ranking) -> list[str]:
    """What the table rests on, per part (live, sandbox, or mixed)."""
    if ranking.mixed:
        return [f"live and SANDBOX verdicts mixed, as asked: {_about(ranking.live, ranking.level)}"]
    found = [f"live: {_about(ranking.live, ranking.level)}"] if ranking.live.rows else []
    if ranking.sandbox.rows:
        found.append(f"SANDBOX: {_about(ranking.sandbox, ranking.level)}")
    return found


def labels(ranking: Ranking) -> dict[int, str]:
    """Each row's label (by ``id``): long ones cut where they differ from the others'."""
    shown = apart([r.full or r.label for r in ranking.rows], 60)
    return {id(r): shown[r.full or r.label] for r in ranking.rows}


def ranking_text(ranking: Ranking) -> str:
    """The ranking as a plain-text table."""
    title = " · ".join(ranking.by)
    names = labels(ranking)
    width = max([len(title), *(len(names[id(r)]) for r in ranking.rows)])
    lines = [f"{title:<{width}} {'score':>6} {'interval':>16} {'n':>4}  W-T-L"]

    def line(row: Standing) -> str:
        score, interval, count, record = row.cells()
        mark = " [SANDBOX]" if ranking.mixed and row.sandbox else ""
        return f"{names[id(row)]:<{width}} {score:>6} {interval:>16} {count:>4}  {record}{mark}"

    lines += [line(r) for r in ranking.live.rows]
    if ranking.sandbox.rows:
        lines.append(_SANDBOX_TEXT)
        lines += [line(r) for r in ranking.sandbox.rows]
    if not ranking.rows:
        lines.append("(no jobs)")
    return "\n".join([*lines, *notes(ranking), *([ranking.note] if ranking.note else [])])


def _row(row: Standing, label: str, mixed: bool) -> str:
    mark = f" {SANDBOX_TAG}" if mixed and row.sandbox else ""
    cells = (esc(label) + mark, *(esc(c) for c in row.cells()))
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def ranking_html(ranking: Ranking) -> str:
    """The ranking as an HTML table (sandbox groups under a SANDBOX line)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in (" · ".join(ranking.by), *_COLUMNS))
    names = labels(ranking)
    body = "".join(_row(r, names[id(r)], ranking.mixed) for r in ranking.live.rows)
    if ranking.sandbox.rows:
        body += (f"<tr><td colspan='{len(_COLUMNS) + 1}'>{SANDBOX_TAG} offline emulator: "
                 "fitted apart from live verdicts</td></tr>")
        body += "".join(_row(r, names[id(r)], False) for r in ranking.sandbox.rows)
    if not ranking.rows:
        body = f"<tr><td colspan='{len(_COLUMNS) + 1}'>(no jobs)</td></tr>"
    said = [*notes(ranking), *([ranking.note] if ranking.note else [])]
    foot = "".join(f"<br/><small>{esc(n)}</small>" for n in said)
    return (f"<table class='kling-nb-ranking'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{foot}")
