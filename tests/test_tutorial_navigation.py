"""The tutorials hang together without drift: the quickstart and the README list every one of
them by its own title; set-up is one cell, explained once (in the quickstart); each tutorial
shows a video before any error demo and opens with its live cost; "Which Kling model?" places
every active row under a need, each with the catalogue's price."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import kling_nb as kn

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
QUICKSTART = ROOT / "notebooks" / "00_quickstart.ipynb"
WHICH = ROOT / "notebooks" / "11_which_model.ipynb"
VIDEO = re.compile(r"client\.(generate|submit)\(|\.run\(client")
ERROR_DEMO = re.compile(r"except kn\.SpecError")
MENTION = re.compile(r"`((?:leonardo|aimlapi)/[a-z0-9.\-]+)`(?: \(([^)]*)\))?")


def _cells(path: Path) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return cells


def _source(cell: dict[str, Any]) -> str:
    return "".join(cell["source"])


def _title(path: Path) -> str:
    found = re.search(r"^# (.+)$", _source(_cells(path)[0]), re.MULTILINE)
    assert found, f"{path.name} opens with no title"
    return found.group(1).strip()


def _section(path: Path, heading: str) -> str:
    """The Markdown from ``## heading`` to the next ``##`` heading."""
    text = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "markdown")
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_the_quickstart_lists_every_tutorial_by_its_own_title() -> None:
    """Each tutorial (a new one too) is listed in the quickstart with the title it opens
    with, and every tutorial link there leads to a notebook that exists."""
    listed = _section(QUICKSTART, "The tutorials")
    for path in NOTEBOOKS:
        if path != QUICKSTART:
            assert f"- [{path.name[:2]} · {_title(path)}]({path.name})" in listed, path.name
    for target in re.findall(r"\]\(([^)]+\.ipynb)[^)]*\)", "\n".join(
            _source(c) for p in NOTEBOOKS for c in _cells(p) if c["cell_type"] == "markdown")):
        assert (ROOT / "notebooks" / target).exists(), target


def test_the_readme_links_every_tutorial() -> None:
    """The README's tutorials table has a line for each notebook."""
    table = (ROOT / "README.md").read_text().split("## Tutorials", 1)[1].split("\n## ", 1)[0]
    for path in NOTEBOOKS:
        assert f"(notebooks/{path.name})" in table, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_set_up_is_one_cell_and_explained_once(path: Path) -> None:
    """A tutorial makes its client in one short cell whose output says sandbox or live;
    "Sandbox or live?" and "Where things end up" are explained in the quickstart only."""
    cells = _cells(path)
    makers = [c for c in cells if c["cell_type"] == "code" and "kn.Client(" in _source(c)]
    assert makers, f"{path.name} makes no client"
    assert len(_source(makers[0]).splitlines()) <= 10
    assert "kn.Client(" not in "".join(_source(c) for c in cells[:cells.index(makers[0])])
    if path != QUICKSTART:
        prose = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
        assert "Sandbox or live?" not in prose
        assert "Where things end up" not in prose


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_video_comes_before_any_error_demo(path: Path) -> None:
    """The first video a tutorial makes comes before the first cell that shows a mistake
    being caught (a tutorial that makes no video is not held to it)."""
    code = [_source(c) for c in _cells(path) if c["cell_type"] == "code"]
    videos = [i for i, s in enumerate(code) if VIDEO.search(s)]
    errors = [i for i, s in enumerate(code) if ERROR_DEMO.search(s)]
    if videos and errors:
        assert videos[0] < errors[0], path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_tutorial_opens_with_its_live_cost(path: Path) -> None:
    """The first cell holds the banner (its figures are checked against a live run in
    tests/test_tutorials_live.py)."""
    assert re.search(r"^> \*\*Running it live:\*\* .+ In the sandbox \(no API key\) it is free\.$",
                     _source(_cells(path)[0]), re.MULTILINE), path.name


def test_which_model_names_rows_with_their_catalogue_price() -> None:
    """Every row the decision guide names is a catalogue row, and every price given beside a
    row is the catalogue's ("not published" where none is). A row added later need not be
    placed there (a row is two files): the guide points to the catalogue for every row."""
    guide = " ".join(_section(WHICH, "Decide by what you need").replace("\\$", "$").split())
    named = {key for key, _ in MENTION.findall(guide)}
    assert named <= set(kn.MODELS), named - set(kn.MODELS)
    priced = [(key, price) for key, price in MENTION.findall(guide) if price]
    assert priced
    for key, price in priced:
        assert key in kn.MODELS, key
        assert price.startswith(kn.MODELS[key].cheapest), (key, price)


def test_which_model_gives_a_paragraph_per_need() -> None:
    """The guide answers each need the issue names, in its own paragraph."""
    guide = _section(WHICH, "Decide by what you need")
    for need in ("Draft cheaply", "Final quality", "Sound", "Long shots",
                 "Editing a video you made", "References", "Storyboards"):
        assert f"**{need}" in guide, need
