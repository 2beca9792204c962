"""HTML fragments: text shows as written, never typeset as math by JupyterLab's MathJax."""

from __future__ import annotations

import html
from decimal import Decimal

from html_helpers import mathjax_sees, shown
from hypothesis import given
from hypothesis import strategies as st

import kling_nb as kn
from kling_nb.core.html import attr, esc, escape
from kling_nb.journal.costs import CostRow, CostTable
from kling_nb.runs.sweep import Sweep, _ProgressView


def test_dollars_and_backslashes_are_shown_as_written() -> None:
    """Every '$' and '\\' sits in an ignore element; the text reads exactly as given."""
    text = r"$3.42 committed of max $5.0; \(x\) and \[y\] and $$z$$ <b>"
    html = esc(text)
    assert "$" not in mathjax_sees(html)
    assert "\\" not in mathjax_sees(html)
    assert shown(html) == text.replace("<", "&lt;").replace(">", "&gt;")


@given(st.text())
def test_escape_is_the_standard_librarys(text: str) -> None:
    assert escape(text) == html.escape(text, quote=True)


def test_attribute_values_are_escaped_without_markup() -> None:
    """attr() escapes quotes and brackets and adds no elements (a title stays plain text)."""
    assert attr("it's $5 <b>") == "it&#x27;s $5 &lt;b&gt;"


def test_sweep_progress_line_is_not_typeset() -> None:
    """The sweep's progress line ("$0.00 committed of max $5.0") has no '$' MathJax can pair."""
    sweep = Sweep(kn.Kling30(prompt="waves", mode="RESOLUTION_720"), seeds=[1, 2],
                  max_cost_usd=5.0)
    html = _ProgressView(sweep)._repr_mimebundle_()["text/html"]
    assert "committed of max" in shown(html)
    assert "$0.00 committed of max $5.0" in shown(html)
    assert "$" not in mathjax_sees(html)


def test_cost_table_dollars_are_not_typeset() -> None:
    """A cost table with two USD cells keeps both dollar signs out of MathJax's reach."""
    row = CostRow("leonardo/kling-3.0", jobs=2, usd=Decimal("1.14"))
    html = CostTable("model", [row])._repr_mimebundle_()["text/html"]
    assert "$1.14" in shown(html)
    assert "$" not in mathjax_sees(html)


def test_long_texts_that_start_alike_are_cut_where_they_differ() -> None:
    """Prompt variants that share a long start are shown from a little before they part; short
    texts and texts that part early are cut at the end as before."""
    from kling_nb.core.compare import apart

    base = "Wide shot, slow push-in: a red hot-air balloon rises over a misty valley at "
    dawn, dusk = base + "sunrise; low golden light", base + "dusk; cool blue light, stars"
    shown = apart([dawn, dusk, "a balloon"], 40)
    assert shown["a balloon"] == "a balloon"
    assert shown[dawn] != shown[dusk]
    assert "sunrise" in shown[dawn]
    assert shown[dawn].startswith("…")
    assert "dusk" in shown[dusk]
    assert len(shown[dusk]) <= 40
    early = apart(["x" * 50, "y" * 50], 20)
    assert early["x" * 50] == "x" * 19 + "…"
