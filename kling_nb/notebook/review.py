"""Blind review in the notebook: two videos side by side, labels hidden, sides random, played in
sync; a key or a click says which is better (or tie, or skip), with undo and a progress count.

``kn.review(results)`` takes results, jobs, journal entries, a sweep's results or a history
(``journal.history(...)``). One anywidget, built like the compare board: its state is text only
(a random key per video, never its job id, prompt or file name; a live video's https URL), a
local file (every sandbox video) is asked for by the page and sent over the widget's comm as
one buffer played from a ``blob:`` URL, so nothing of a video is saved into the notebook and it
plays in JupyterLab, Notebook 7, Voila, VS Code and Colab alike. Each verdict goes to the
journal at once (``journal.judge``); the next pair is the most informative one never judged
(``kling_nb.journal.pairs``). ``review.ranking(by=...)`` ranks what was judged.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

from kling_nb.core.html import fresh
from kling_nb.journal.entries import Entry
from kling_nb.journal.journal import Journal
from kling_nb.journal.ranking import Ranking
from kling_nb.journal.reviews import ReviewSession, Shown
from kling_nb.journal.verdicts import OUTCOMES
from kling_nb.specs.results import Result

from .fallback import WIDGET_NOTE

_HERE = Path(__file__).resolve().parent
Listener = Callable[["Review"], None]
Judge = Callable[[Entry, Entry], str]
"""A scripted judge: the left and the right video's journal entries -> ``left``, ``right``,
``tie`` or ``skip``."""


@dataclass(frozen=True)
class Source:
    """Where the page gets one video: an https URL it can load, else a local file sent over
    the comm (``path``), and a poster URL."""

    url: str = ""
    path: Path | None = None
    poster: str = ""


def source_of(entry: Entry) -> Source | None:
    """How the page can play the entry's video (None when it has none to play): its local
    file first, unlike the board, because a file sent under a random key tells the reviewer
    nothing while a provider's URL can name the job or the model; else its URL."""
    if entry.path is not None and entry.path.is_file():
        return Source(path=entry.path,
                      poster=entry.poster_url or "" if fresh(entry.poster_url, entry.finished_at)
                      else "")
    if fresh(entry.video_url, entry.finished_at):
        return Source(url=entry.video_url or "", poster=entry.poster_url or "")
    return None


class Review(anywidget.AnyWidget):
    """The review widget: the pair on screen, the progress; votes and undo come as messages."""

    _esm = _HERE / "review.js"
    _css = _HERE / "review.css"
    title = t.Unicode("").tag(sync=True)
    pair = t.Dict().tag(sync=True)
    progress = t.Dict().tag(sync=True)
    can_undo = t.Bool(False).tag(sync=True)

    def __init__(self, session: ReviewSession, sources: Sequence[Source], *,
                 left_out: int = 0) -> None:
        super().__init__()
        self.session = session
        self.sources = list(sources)
        self.video_keys = [f"v{secrets.token_hex(6)}" for _ in self.sources]
        """A random key per video: the page never learns which job it is."""
        self.left_out = left_out
        self.listeners: list[Listener] = []
        self.on_msg(self._receive)
        self._show()

    def on_vote(self, listener: Listener) -> None:
        """Call ``listener(review)`` after every vote and undo (for example to re-rank)."""
        self.listeners.append(listener)

    # -- kernel side of the comm ---------------------------------------------------------------
    def _receive(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("kind")
        if kind == "fetch" and isinstance(content.get("key"), str):
            self.send_video(content["key"])
        elif kind in ("vote", "undo"):
            try:
                if kind == "undo":
                    self.undo()
                elif content.get("outcome") in OUTCOMES:
                    number = content.get("round")
                    self.vote(content["outcome"], number if isinstance(number, int) else None)
            except Exception as exc:  # the page would wait for a pair that never comes
                self.send({"kind": "failed", "message": f"Not saved: {exc}. Try again."})

    def vote(self, outcome: str, round: int | None = None) -> int | None:
        """Say ``left``, ``right``, ``tie`` or ``skip`` on the pair on screen (for ``round``:
        ignored if another pair is on screen by now); the next pair follows."""
        verdict = self.session.vote(outcome, round)
        if verdict is not None:
            self._changed()
        return verdict

    def undo(self) -> bool:
        """Take back the last verdict of this review; its pair comes back on screen."""
        done = self.session.undo()
        if done:
            self._changed()
        return done

    def judge_with(self, judge: Judge, *, until: int | None = None) -> int:
        """Let ``judge(left, right)`` give verdicts in place of key presses: a function of the
        two journal entries on screen returning ``left``, ``right``, ``tie`` or ``skip`` (a
        metric, a model you run, or a simulated reviewer). It judges the pairs the review
        picks, one after another, until this review holds ``until`` verdicts (default: its
        goal; those given by key count) or no pair is left; returns how many it gave. They
        are kept like a person's: a ranking cannot tell them apart."""
        session = self.session
        wanted = session.goal if until is None else until
        if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted < 0:
            msg = f"until: {until!r} is not a whole number of at least 0"
            raise ValueError(msg)
        given = 0
        while session.current is not None and session.judged < wanted:
            shown = session.current
            outcome = judge(session.entries[shown.left], session.entries[shown.right])
            if outcome not in OUTCOMES:
                msg = (f"the judge said {outcome!r}: a verdict is one of "
                       f"{', '.join(OUTCOMES)}")
                raise ValueError(msg)
            self.vote(outcome, shown.round)
            given += outcome != "skip"
        return given

    def _changed(self) -> None:
        self._show()
        for listener in self.listeners:
            listener(self)

    def send_video(self, key: str) -> None:
        """Send the local file behind ``key`` as one buffer, or say why it cannot play."""
        if key not in self.video_keys:
            return
        path = self.sources[self.video_keys.index(key)].path
        try:
            data = path.read_bytes() if path is not None else None
        except OSError as exc:
            self.send({"kind": "error", "key": key, "message": f"cannot read the video: "
                       f"{exc.strerror or exc}"})
            return
        if data is None:
            self.send({"kind": "error", "key": key, "message": "no local file to play"})
            return
        self.send({"kind": "video", "key": key, "type": "video/mp4"}, [data])

    # -- state -----------------------------------------------------------------------------
    def _side(self, index: int) -> dict[str, str | bool]:
        source = self.sources[index]
        return {"key": self.video_keys[index], "src": source.url, "local": source.path is not None,
                "poster": source.poster}

    def _show(self) -> None:
        shown: Shown | None = self.session.current
        session = self.session
        entries = session.entries
        count = len(entries)
        with self.hold_sync():  # one message: the page never sees a new pair with old counts
            self.pair = {} if shown is None else {
                "round": shown.round, "left": self._side(shown.left),
                "right": self._side(shown.right), "sandbox": entries[shown.left].sandbox}
            self.progress = {"judged": session.judged, "goal": session.goal,
                             "skipped": session.skipped, "remaining": session.remaining,
                             "done": shown is None, "sandbox": any(e.sandbox for e in entries),
                             "round": session.round}
            self.can_undo = bool(session.undo_stack)
            self.title = (f"Blind review of {count} videos" + (
                f" ({self.left_out} without a playable video left out)" if self.left_out
                else ""))

    def ranking(self, by: str | Sequence[str] = "job", **options: Any) -> Ranking:
        """The ranking of these videos from every verdict between them (``by`` any field)."""
        return self.session.ranking(by, **options)

    def __repr__(self) -> str:
        progress = self.progress
        mark = " (SANDBOX)" if progress.get("sandbox") else ""
        return (f"Blind review of {len(self.sources)} videos{mark}: two at a time, labels "
                f"hidden; {progress.get('judged', 0)} of {progress.get('goal', 0)} verdicts "
                f"given, {progress.get('remaining', 0)} pairs never judged ({WIDGET_NOTE})")


# -- kn.review(...) ----------------------------------------------------------------------------
def _flatten(entries: Iterable[Any]) -> list[Any]:
    flat: list[Any] = []
    for entry in entries:
        is_pair = isinstance(entry, tuple) and len(entry) == 2
        if isinstance(entry, (list, tuple)) and not is_pair:
            flat += _flatten(entry)
        else:
            flat.append(entry)
    return flat


def _journal_of(items: Sequence[Any], given: Journal | None) -> Journal:
    """The journal to keep verdicts in: given; a history's; a job's client's; the default."""
    if given is not None:
        return given
    for item in items:
        found = getattr(item, "journal", None)
        if isinstance(found, Journal):
            return found
        job = getattr(item, "job", item)
        client = getattr(job, "client", None)
        if client is not None and Journal.of(client) is not None:
            return Journal.of(client)  # type: ignore[return-value]
    return Journal()


def _ident(item: Any) -> str | None:
    """The journal id of one item: an entry's handle, else its job id."""
    if isinstance(item, Entry):
        return item.handle
    if isinstance(item, tuple):
        item = next((i for i in item if isinstance(i, Result)), None)
    result = item if isinstance(item, Result) else getattr(item, "result", None)
    if isinstance(result, Result):
        return result.job_id
    job_id = getattr(item, "job_id", None) or getattr(item, "id", None)
    return job_id if isinstance(job_id, str) else None


def review(*entries: Any, journal: Journal | None = None, goal: int | None = None,
           seed: int | None = None) -> Review:
    """Judge videos blind, two at a time: ``kn.review(results)`` (results, jobs, journal
    entries, a sweep's results or ``journal.history(...)``; 2 or more with a video).

    Keys (or the buttons): ← or ``a`` the left is better, → or ``d`` the right, ↓ or ``t``
    a tie, ``s`` skip, ``u`` or Backspace undo, Space play/pause both. Verdicts go to
    ``journal`` (default: a history's or a job's client's journal, else the default journal;
    a result alone does not say which journal it is in); ``goal``
    is how many verdicts the progress counts towards (default about 3 per video); ``seed``
    fixes the random sides and tie-breaks.
    """
    given = [*entries]
    items = _flatten(given)
    kept = _journal_of([*given, *items], journal)
    found: list[Entry] = []
    left_out = 0
    for item in items:
        ident = _ident(item)
        if ident is None:
            msg = f"cannot review {item!r}: it is not a result, job or journal entry"
            raise TypeError(msg)
        try:
            entry = kept.entry(ident)
        except KeyError:
            msg = (f"{ident!r} is not in the journal {kept.path}: a result does not carry its "
                   "journal, so pass the one its client writes to: kn.review(..., journal=...)")
            raise LookupError(msg) from None
        if source_of(entry) is None or entry.status != "complete":
            left_out += 1
            continue
        found.append(entry)
    session = ReviewSession(kept, [e.handle for e in found], goal=goal, seed=seed)
    sources = [source_of(e) for e in session.entries]
    return Review(session, [s for s in sources if s is not None], left_out=left_out)
