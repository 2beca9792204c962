"""Gallery and compare: results side by side, what differs between them, rating and tags.

``Gallery(results)`` takes a list of ``Result``s, of jobs (their spec gives the parameters), of
``(spec, result)`` pairs from a sweep, or the records of a journal query
(``Gallery.from_history(journal, ...)``). Parameters shared by every item are listed once;
those that differ are highlighted on each card. Each card plays its video (through an
``Output`` widget holding the result's own display, so a sandbox video's relative path is
resolved by the front end like any cell output) and, with a journal, has 1-5 star and tag
buttons that call ``journal.rate(job_id, stars)``, ``journal.tag(job_id, tag)``,
``journal.untag(job_id, tag)`` and ``journal.annotate(job_id, note)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as w

from kling_nb.core.compare import differing
from kling_nb.core.html import HIGHLIGHT, esc
from kling_nb.specs.base import Spec
from kling_nb.specs.results import Result
from kling_nb.specs.views import value_text


class Item:
    """One gallery entry: the result, its parameters, and what the journal knows of it."""

    def __init__(self, result: Result, params: Mapping[str, Any], *, rating: int | None = None,
                 tags: Iterable[str] = (), note: str = "") -> None:
        self.result = result
        self.params = dict(params)
        self.rating = rating
        self.tags = list(tags)
        self.note = note

    @property
    def job_id(self) -> str:
        """The job id the journal knows the result by."""
        return self.result.job_id


def params_of(result: Result, spec: Spec | None = None) -> dict[str, str]:
    """The parameters of a result as short text: the spec's fields when known, else the
    result's own facts (model, prompt, duration, size, seed)."""
    params: dict[str, str] = {"model": result.model}
    if spec is not None:
        for name in type(spec).model_fields:
            if name in spec.model_fields_set and name != "model":
                params[name] = value_text(getattr(spec, name))
    else:
        for name, value in (("prompt", result.prompt), ("duration", result.duration),
                            ("size", result.size)):
            if value not in (None, ""):
                params[name] = str(value)
    if result.seed is not None and "seed" not in params:
        params["seed"] = str(result.seed)
    return params


def to_item(entry: Any) -> Item:
    """A gallery item from a Result, a job, a ``(spec, result)`` pair or a journal record."""
    if isinstance(entry, Item):
        return entry
    spec: Spec | None = None
    result: Any = None
    if isinstance(entry, tuple) and len(entry) == 2:
        first, second = entry
        spec, result = (first, second) if isinstance(first, Spec) else (second, first)
    elif isinstance(entry, Result):
        result = entry
    else:
        result = getattr(entry, "result", None)
        spec = getattr(entry, "spec", None)
    if not isinstance(result, Result):
        msg = f"cannot show {entry!r} in a gallery: it has no finished result"
        raise TypeError(msg)
    rating = getattr(entry, "rating", None) or getattr(entry, "stars", None)
    tags = getattr(entry, "tags", None) or ()
    note = getattr(entry, "note", None) or ""
    return Item(result, params_of(result, spec if isinstance(spec, Spec) else None),
                rating=int(rating) if isinstance(rating, int) else None,
                tags=[str(t) for t in tags], note=str(note))


class Card(w.VBox):  # type: ignore[misc]
    """One result in the gallery: player, differing parameters, stars, tags and a note."""

    def __init__(self, item: Item, differ: set[str], journal: Any) -> None:
        self.item = item
        self.journal = journal
        self.player = w.Output(layout=w.Layout(width="340px"))
        self.player.outputs = ({"output_type": "display_data",
                                "data": item.result._repr_mimebundle_(), "metadata": {}},)
        rows = []
        for name in sorted(differ):
            value = item.params.get(name, "(unset)")
            rows.append(f"<div><span style='{HIGHLIGHT}'>{esc(name)} = {esc(value)}</span>"
                        "</div>")
        self.params = w.HTML("".join(rows))
        can = journal is not None
        tip = "" if can else "pass journal= to rate and tag"
        self.stars = [w.Button(description="★", tooltip=f"{n} star{'s' * (n > 1)}",
                               layout=w.Layout(width="34px"), disabled=not can)
                      for n in range(1, 6)]
        for n, button in enumerate(self.stars, 1):
            button.on_click(lambda _, n=n: self.rate(n))
        self.tag_text = w.Text(placeholder="tag", layout=w.Layout(width="120px"),
                               disabled=not can, tooltip=tip)
        self.tag_button = w.Button(description="tag", icon="tag", disabled=not can,
                                   layout=w.Layout(width="70px"), tooltip=tip)
        self.tag_button.on_click(lambda _: self.add_tag(self.tag_text.value))
        self.tag_list = w.HBox([])
        self.note = w.Textarea(value=item.note, placeholder="note", disabled=not can,
                               layout=w.Layout(width="320px", height="48px"))
        self.note_button = w.Button(description="save note", disabled=not can,
                                    layout=w.Layout(width="100px"))
        self.note_button.on_click(lambda _: self.annotate(self.note.value))
        self._show_rating()
        self._show_tags()
        super().__init__([self.player, self.params, w.HBox(self.stars),
                          w.HBox([self.tag_text, self.tag_button]), self.tag_list,
                          w.HBox([self.note, self.note_button])],
                         layout=w.Layout(border="1px solid #dee2e6", padding="6px",
                                         margin="4px"))

    def rate(self, stars: int) -> None:
        """Give the result 1-5 stars (written to the journal)."""
        if self.journal is None:
            return
        self.journal.rate(self.item.job_id, stars)
        self.item.rating = stars
        self._show_rating()

    def add_tag(self, tag: str) -> None:
        """Tag the result (written to the journal)."""
        tag = tag.strip()
        if self.journal is None or not tag or tag in self.item.tags:
            return
        self.journal.tag(self.item.job_id, tag)
        self.item.tags.append(tag)
        self.tag_text.value = ""
        self._show_tags()

    def remove_tag(self, tag: str) -> None:
        """Remove a tag (written to the journal)."""
        if self.journal is None or tag not in self.item.tags:
            return
        self.journal.untag(self.item.job_id, tag)
        self.item.tags.remove(tag)
        self._show_tags()

    def annotate(self, note: str) -> None:
        """Save a note on the result (written to the journal)."""
        if self.journal is None:
            return
        self.journal.annotate(self.item.job_id, note)
        self.item.note = note

    def _show_rating(self) -> None:
        for n, button in enumerate(self.stars, 1):
            button.button_style = "warning" if self.item.rating and n <= self.item.rating else ""

    def _show_tags(self) -> None:
        buttons = []
        for tag in self.item.tags:
            button = w.Button(description=f"{tag} ✕", tooltip=f"remove tag {tag}",
                              layout=w.Layout(width="auto"), disabled=self.journal is None)
            button.on_click(lambda _, tag=tag: self.remove_tag(tag))
            buttons.append(button)
        self.tag_list.children = buttons


class Gallery(w.VBox):  # type: ignore[misc]
    """Results side by side, with what differs between them highlighted."""

    def __init__(self, entries: Iterable[Any], *, journal: Any = None) -> None:
        self.items = [to_item(e) for e in entries]
        self.journal = journal
        self.shared, differ = differing([item.params for item in self.items])
        self.differ = set(differ)
        shared = ", ".join(f"{esc(k)} = {esc(v)}" for k, v in self.shared.items())
        sandbox = sum(item.result.sandbox for item in self.items)
        header = f"<b>{len(self.items)} result{'s' * (len(self.items) != 1)}</b>"
        if sandbox:
            header += f" ({sandbox} SANDBOX)"
        if self.differ:
            header += (f"; differing: <span style='{HIGHLIGHT}'>"
                       f"{esc(', '.join(sorted(self.differ)))}</span>")
        self.header = w.HTML(header + (f"<br><small>shared: {shared}</small>" if shared else ""))
        self.cards = [Card(item, self.differ, journal) for item in self.items]
        grid = w.Box(self.cards, layout=w.Layout(display="flex", flex_flow="row wrap"))
        super().__init__([self.header, grid])

    @classmethod
    def from_history(cls, journal: Any, **query: Any) -> Gallery:
        """A gallery of a journal query (``journal.history(**query)``), rating into it."""
        records = [r for r in journal.history(**query)
                   if isinstance(r, Result) or isinstance(getattr(r, "result", None), Result)]
        return cls(records, journal=journal)


def compare(*entries: Any, journal: Any = None) -> Gallery:
    """Two or more results (or jobs, or records) side by side: ``kn.compare(a, b)``."""
    flat: list[Any] = []
    for entry in entries:
        is_pair = isinstance(entry, tuple) and len(entry) == 2
        if isinstance(entry, (list, tuple)) and not is_pair:
            flat += list(entry)
        else:
            flat.append(entry)
    return Gallery(flat, journal=journal)
