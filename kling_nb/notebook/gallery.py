"""Gallery and compare: results side by side, what differs between them, rating and tags.

``Gallery(results)`` takes a list of ``Result``s, of jobs (their spec gives the parameters), of
``(spec, result)`` pairs or the items of a sweep, or the records of a journal query
(``Gallery.from_history(journal, ...)``). What every item shares is listed once at the top;
each card shows only what differs (highlighted), its full record one click away, and, with a
journal, 1-5 stars, tags and a note written through ``journal.rate``, ``journal.tag``,
``journal.untag`` and ``journal.annotate``. "remix this" opens the card's spec in a form.
The cards are one ``Board`` (see ``board.py``): one bar plays them all in sync, and each card
with a downloaded video shows its contact sheet above the player.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w

from kling_nb.core.compare import differing
from kling_nb.core.html import loadable
from kling_nb.specs.base import Spec, size_label
from kling_nb.specs.results import Result, cost_text
from kling_nb.specs.unchecked import UncheckedSpec, is_unchecked
from kling_nb.specs.views import value_text

from .board import Board
from .fallback import WIDGET_NOTE, TextFallback


class Item:
    """One gallery entry: the result, its parameters, and what the journal knows of it."""

    def __init__(self, result: Result, params: Mapping[str, Any], *, rating: int | None = None,
                 tags: Iterable[str] = (), note: str = "", spec: Spec | None = None,
                 label: str | None = None) -> None:
        self.result = result
        self.label = label
        """Said before the card's job id (``draft 1``, ``final 1``), instead of its number."""
        self.spec = spec
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
    if isinstance(spec, UncheckedSpec):  # the body's own values (the prompt, the seed...)
        params.update({name: value_text(value) for name, value in spec.parameters.items()
                       if name != "model" and value not in (None, "", [], {})})
    elif spec is not None:
        for name in type(spec).model_fields:
            value = getattr(spec, name)
            if name in spec.model_fields_set and name not in ("model", "height") and not (
                    _off_default(spec, name, value)):
                params["size" if name == "width" else name] = (
                    size_label((value, spec.height)) if name == "width"  # type: ignore[attr-defined]
                    else value_text(value))
    else:
        for name, value in (("prompt", result.prompt), ("duration", result.duration),
                            ("size", result.size)):
            if value not in (None, ""):
                params[name] = str(value)
    if result.seed is not None and "seed" not in params:
        params["seed"] = str(result.seed)
    return params


def _off_default(spec: Spec, name: str, value: Any) -> bool:
    """Whether a field was left at an off or empty default (``public False``, no references,
    ``prompt_enhance`` unset): not worth a line on the board. A default that shapes the video
    (a 5 s duration) still counts."""
    default = type(spec).model_fields[name].get_default(call_default_factory=True)
    return value == default and not default


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
    spec = spec if isinstance(spec, Spec) else None
    return Item(result, params_of(result, spec),
                rating=int(rating) if isinstance(rating, int) else None,
                tags=[str(t) for t in tags], note=str(note), spec=spec)


def record_of(item: Item) -> list[list[str]]:
    """The card's full record: every parameter, then where the video is and what it cost."""
    result = item.result
    facts = {**item.params, "job id": result.job_id, "provider": result.provider,
             "url": result.video_url, "file": str(result.path or ""),
             "size": result.size or "",
             "price" if result.sandbox else "cost": cost_text(
                 result.cost, sandbox=result.sandbox, model=result.model),
             "took": f"{result.elapsed:.0f} s" if result.elapsed is not None else ""}
    measured = result.metrics.rows() if result.metrics is not None else []
    return [[name, str(value)] for name, value in [*facts.items(), *measured] if value != ""]


def downloaded(result: Result) -> Path | None:
    """The result's downloaded video file, when there is one (its contact sheet's source)."""
    path = result.path
    return path if path is not None and path.is_file() else None


def card_state(index: int, item: Item, differ: Iterable[str],
               sheet: bool = False) -> dict[str, Any]:
    """What the board shows of one card (text only: the video and its contact sheet come by
    URL or comm; ``sheet``: the card has a downloaded video to make a sheet of)."""
    result = item.result
    live = loadable(result.video_url)
    poster = result.poster_url or ""
    title = f"{item.label or f'#{index}'} {result.job_id[:8]}"
    return {"key": f"card-{index}", "title": title,
            "src": result.video_url if live else "", "local": not live, "sheet": sheet,
            "poster": poster if loadable(poster) else "",
            "sandbox": result.sandbox, "unchecked": is_unchecked(result.model),
            "remix": item.spec is not None,
            "differ": [[name, item.params.get(name, "(default)")] for name in sorted(differ)],
            "record": record_of(item), "rating": item.rating or 0, "tags": list(item.tags),
            "note": item.note, **metrics_state(result)}


def metrics_state(result: Result) -> dict[str, Any]:
    """The card's metrics line and flags (what is worth a look), when the video was measured."""
    metrics = result.metrics
    if metrics is None:
        return {"metrics": "", "flags": []}
    return {"metrics": metrics.summary(), "flags": metrics.flags}


class Gallery(TextFallback, w.VBox):  # type: ignore[misc]
    """Results side by side: shared once, differences per card, one bar plays them all."""

    def __init__(self, entries: Iterable[Any], *, journal: Any = None,
                 on_remix: Callable[[Spec], None] | None = None,
                 on_change: Callable[[Item], None] | None = None) -> None:
        self.items = [to_item(e) for e in entries]
        self.journal = journal
        self.on_remix = on_remix
        self.on_change = on_change
        """Called with the item after its rating, tags or note were written to the journal."""
        self.remixed: Spec | None = None
        self.shared, differ = differing([item.params for item in self.items])
        self.differ = set(differ)
        self.videos = [downloaded(item.result) for item in self.items]
        """Each card's downloaded video (``None`` where there is none): its sheet's source."""
        self.board = Board(title=self.title, can_rate=journal is not None,
                           shared=[[k, str(v)] for k, v in self.shared.items()],
                           cards=self._states(), on_action=self._act, sheets=self.videos,
                           files=[None if loadable(i.result.video_url) else i.result.path
                                  for i in self.items])
        self.remix_area = w.Output()
        super().__init__([self.board, self.remix_area])
        self.add_class("kling-nb-gallery")

    @property
    def title(self) -> str:
        """``6 results (6 SANDBOX); differing: prompt, seed``."""
        count = len(self.items)
        sandbox = sum(item.result.sandbox for item in self.items)
        text = f"{count} result{'s' * (count != 1)}" + (f" ({sandbox} SANDBOX)" if sandbox else "")
        return text + (f"; differing: {', '.join(sorted(self.differ))}" if self.differ else "")

    def _states(self) -> list[dict[str, Any]]:
        return [card_state(n, item, self.differ, self.videos[n] is not None)
                for n, item in enumerate(self.items)]

    def _act(self, kind: str, index: int, value: Any) -> None:
        actions: dict[str, Callable[[int, Any], Any]] = {
            "rate": self.rate, "tag": self.add_tag, "untag": self.remove_tag,
            "note": self.annotate, "remix": lambda n, _: self.remix(n)}
        actions[kind](index, value)

    def _write(self, method: str, index: int, *args: Any) -> bool:
        if self.journal is None:
            return False
        getattr(self.journal, method)(self.items[index].job_id, *args)
        return True

    def _changed(self, index: int) -> None:
        self.board.cards = self._states()
        if self.on_change is not None:
            self.on_change(self.items[index])

    def rate(self, index: int, stars: Any) -> None:
        """Give card ``index`` 1-5 stars (written to the journal)."""
        if isinstance(stars, int) and 1 <= stars <= 5 and self._write("rate", index, stars):
            self.items[index].rating = stars
            self._changed(index)

    def add_tag(self, index: int, tag: Any) -> None:
        """Tag card ``index`` (written to the journal)."""
        tag = str(tag or "").strip()
        if tag and tag not in self.items[index].tags and self._write("tag", index, tag):
            self.items[index].tags.append(tag)
            self._changed(index)

    def remove_tag(self, index: int, tag: Any) -> None:
        """Remove a tag from card ``index`` (written to the journal)."""
        if tag in self.items[index].tags and self._write("untag", index, tag):
            self.items[index].tags.remove(tag)
            self._changed(index)

    def annotate(self, index: int, note: Any) -> None:
        """Save a note on card ``index`` (written to the journal)."""
        if self._write("annotate", index, str(note or "")):
            self.items[index].note = str(note or "")
            self._changed(index)

    def remix(self, index: int) -> Spec | None:
        """Card ``index``'s spec, to change and run again: kept as ``gallery.remixed``, given to
        ``on_remix``, else opened in a form below the grid."""
        spec = self.items[index].spec
        if spec is None:
            return None
        self.remixed = spec
        if self.on_remix is not None:
            self.on_remix(spec)
        else:
            self._open_form(spec)
        return spec

    def _open_form(self, spec: Spec) -> None:
        from .form import SpecForm
        from .unchecked import UncheckedForm

        form: Any = (UncheckedForm(journal=self.journal) if isinstance(spec, UncheckedSpec)
                     else SpecForm(type(spec), journal=self.journal))
        form.set_values({k: v for k, v in spec.to_dict().items() if k != "model"})
        self.remix_area.clear_output()
        self.remix_area.append_display_data(form)

    @classmethod
    def from_history(cls, journal: Any, **query: Any) -> Gallery:
        """A gallery of a journal query (``journal.history(**query)``), rating into it."""
        records = [r for r in journal.history(**query)
                   if isinstance(r, Result) or isinstance(getattr(r, "result", None), Result)]
        return cls(records, journal=journal)

    def __repr__(self) -> str:
        return (f"Compare board: {self.title}; plays them in sync, side by side "
                f"({WIDGET_NOTE})")


def compare(*entries: Any, journal: Any = None) -> Gallery:
    """Two or more results (or jobs, records, a sweep's results) side by side:
    ``kn.compare(a, b)``."""
    flat: list[Any] = []
    for entry in entries:
        is_pair = isinstance(entry, tuple) and len(entry) == 2
        if isinstance(entry, (list, tuple)) and not is_pair:
            flat += [e for e in entry if getattr(e, "result", e) is not None]
        else:
            flat.append(entry)
    return Gallery(flat, journal=journal)


def promotion_gallery(results: Any, *, journal: Any = None) -> Gallery | None:
    """A promotion's results as one board, each draft beside its final (``draft 1``,
    ``final 1``, ...); None when nothing has a video yet."""
    items: list[Item] = []
    for number, (draft, final) in enumerate(results.pairs, 1):
        for label, source in ((f"draft {number}", draft), (f"final {number}", final)):
            if source is not None and getattr(source, "result", None) is not None:
                item = to_item(source)
                item.label = label
                items.append(item)
    return Gallery(items, journal=journal) if items else None


def promotion_bundle(results: Any) -> dict[str, Any]:
    """A promotion's results as the compare board, each draft beside its final (the static
    table kept as the fallback)."""
    data: dict[str, Any] = dict(results._repr_mimebundle_())
    gallery = promotion_gallery(results)
    if gallery is not None:
        data["application/vnd.jupyter.widget-view+json"] = gallery._repr_mimebundle_()[
            "application/vnd.jupyter.widget-view+json"]
    return data


def sweep_bundle(results: Sequence[Any]) -> dict[str, Any]:
    """A sweep's results as the compare board (its finished videos), the static grid kept as
    the fallback a page without widgets shows."""
    data: dict[str, Any] = dict(results._repr_mimebundle_())  # type: ignore[attr-defined]
    done = [item for item in results if getattr(item, "result", None) is not None]
    if done:
        board = Gallery(done)._repr_mimebundle_()
        data["application/vnd.jupyter.widget-view+json"] = board[
            "application/vnd.jupyter.widget-view+json"]
    return data
