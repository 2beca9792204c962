"""The studio as an app: make a video, watch it, rate it, see which settings score best.

``kn.studio_app()`` is one widget, top to bottom: whether jobs run live or in the SANDBOX, the
studio (model picker, form, Generate with live progress), this session's videos on the compare
board (play them in sync, rate 1-5, tag, note, "remix this" back into the form) and the ratings
as a leaderboard (by model, prompt, seed, duration or mode; this session or the whole journal)
that follows every rating; then a blind review of the videos (two at a time, labels hidden)
with their Bradley-Terry ranking. Ratings, tags, notes and verdicts go to the journal the
client reports to.

``kling-nb studio`` serves it as a page of its own with Voila, for people who do not write
code (``kling_nb.cli.studio``; the page is ``kling_nb/apps/studio.ipynb``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import ipywidgets as w

from kling_nb.core.apps import APPS, FOLDER_VARIABLE
from kling_nb.core.errors import KlingError
from kling_nb.core.html import BANNER, SANDBOX_TAG, esc, shown_path
from kling_nb.journal.client import Client
from kling_nb.journal.entries import Entry
from kling_nb.journal.journal import Journal
from kling_nb.journal.leaderboard import BY, Leaderboard
from kling_nb.specs.base import Spec
from kling_nb.specs.providers import PROVIDER_NAMES
from kling_nb.specs.results import Result

from .app_review import ReviewPanel
from .background import Runner
from .fallback import WIDGET_NOTE, TextFallback
from .gallery import Gallery, Item, params_of
from .studio import Studio

EMPTY = ("<i>No videos yet: pick a model, write a prompt and press Generate. Each video lands "
         "here, newest first, to play, rate (1-5 stars), tag and note.</i>")
SCOPES = (("this session", "session"), ("whole journal", "journal"))
STYLE = ("<style>.kling-nb-leaderboard{border-collapse:collapse}"
         ".kling-nb-leaderboard th,.kling-nb-leaderboard td{border-bottom:1px solid #dee2e6;"
         "padding:2px 10px 2px 0;text-align:left}</style>")


def _heading(text: str) -> Any:
    return w.HTML(f"<h3 style='margin:14px 0 4px'>{esc(text)}</h3>")


class StudioApp(TextFallback, w.VBox):  # type: ignore[misc]
    """The studio, this session's videos on the compare board, and the ratings leaderboard.

    ``client`` defaults to ``kn.Client()`` working in ``folder`` (see ``app_folder``); the
    board rates into the journal that client reports to (``Journal.of(client)``). ``by`` is
    what the leaderboard ranks first (a ``kling_nb.journal.leaderboard.BY`` name).
    """

    def __init__(self, client: Any = None, model: str | None = None, *,
                 folder: str | os.PathLike[str] | None = None, by: str = "model",
                 debounce: float = 0.25, runner: Runner | None = None) -> None:
        self.folder = app_folder(folder)
        self.client = client if client is not None else app_client(self.folder)
        self.journal = Journal.of(self.client)
        self.items: list[Item] = []
        """This session's videos, newest first (their rating, tags and note as written)."""
        self.gallery: Gallery | None = None
        self.mode = w.HTML(mode_html(self.client))
        self.studio = Studio(self.client, model, debounce=debounce, runner=runner,
                             journal=self.journal)
        self.studio.on_generated(self._generated)
        self.board = w.VBox([w.HTML(EMPTY)])
        self.by = w.Dropdown(options=list(BY), value=by, description="rank by",
                             layout=w.Layout(width="220px"))
        self.scope = w.ToggleButtons(options=list(SCOPES), value="session",
                                     style={"button_width": "auto"})
        self.leaderboard = w.HTML("")
        for control in (self.by, self.scope):
            control.observe(lambda _: self.refresh_leaderboard(), "value")
        self.review = ReviewPanel(self)
        off = ("" if self.journal is not None else
               "<p><b>The journal is off</b> (KLING_NB_JOURNAL=off): videos play, but ratings, "
               "tags and notes cannot be kept.</p>")
        super().__init__([
            w.HTML("<h2 style='margin:4px 0'>kling_nb studio</h2>"), self.mode,
            _heading("1. Make a video"), self.studio,
            _heading("2. This session's videos"), w.HTML(off), self.board,
            _heading("3. Ratings"), w.HBox([self.by, self.scope]), self.leaderboard,
            _heading("4. Blind review"), self.review])
        self.add_class("kling-nb-studio-app")
        self.mode.add_class("kling-nb-mode")
        self.board.add_class("kling-nb-app-board")
        self.leaderboard.add_class("kling-nb-app-ratings")
        self.refresh_leaderboard()

    # -- videos ----------------------------------------------------------------------------
    def _generated(self, form: Any, result: Result) -> None:
        job_spec = getattr(form.job, "spec", None)
        spec = job_spec if isinstance(job_spec, Spec) else form.spec
        self.add(result, spec)
        form.output.outputs = ({"output_type": "display_data", "metadata": {},
                                "data": done_bundle(result)},)

    def add(self, result: Result, spec: Spec | None = None) -> Item:
        """Put a result first on the board (Generate does this) and re-rank."""
        item = Item(result, params_of(result, spec), spec=spec)
        self.items.insert(0, item)
        self._show_board()
        self.refresh_leaderboard()
        self.review.refresh()
        return item

    def _show_board(self) -> None:
        old = self.gallery
        self.gallery = Gallery(self.items, journal=self.journal, on_remix=self.remix,
                               on_change=lambda _: self.refresh_leaderboard())
        self.board.children = [self.gallery]
        if old is not None:
            for widget in (old.board, old.remix_area, old):
                widget.close()

    def remix(self, spec: Spec) -> None:
        """A card's "remix this": its model and values back in the form, to change and run."""
        self.studio.select(spec.key)
        self.studio.form.set_values({k: v for k, v in spec.to_dict().items() if k != "model"})

    # -- ratings ---------------------------------------------------------------------------
    def standings(self) -> Leaderboard | None:
        """The leaderboard shown: this session's jobs or the whole journal's (None without
        a journal)."""
        if self.journal is None:
            return None
        entries: list[Entry] = []
        if self.scope.value == "journal":
            entries = list(self.journal.history())
        else:
            for item in self.items:
                try:
                    entries.append(self.journal.entry(item.job_id))
                except (KlingError, KeyError):  # not in this journal: nothing to rank
                    continue
        return Leaderboard.of(entries, self.by.value)

    def refresh_leaderboard(self) -> None:
        """Rank again (after a video, a rating, or another choice of grouping)."""
        board = self.standings()
        if board is None:
            text = "<i>The journal is off: there are no ratings to rank.</i>"
        elif not len(board):
            text = "<i>No jobs to rank yet: rate a video on the board above.</i>"
        else:
            text = STYLE + board.html()
        self.leaderboard.value = text

    def __repr__(self) -> str:
        count = len(self.items)
        return (f"Studio app: a model's form, Generate, this session's videos on the compare "
                f"board ({count} so far) and the ratings leaderboard ({WIDGET_NOTE})")


def app_folder(folder: str | os.PathLike[str] | None = None) -> Path | None:
    """The folder the app works in: ``folder``; else ``$KLING_NB_STUDIO_DIR`` (``kling-nb
    studio`` sets it to where it was started); else the home folder if the kernel runs in the
    package's own app folder (plain ``voila`` on the shipped page: never write into the
    package); else None, the current folder, as for any notebook."""
    if folder is not None:
        return Path(folder)
    chosen = os.environ.get(FOLDER_VARIABLE, "").strip()
    if chosen:
        return Path(chosen)
    try:
        inside = Path.cwd().resolve() == APPS.resolve()
    except OSError:
        inside = False
    return Path.home() if inside else None


def app_client(folder: Path | None) -> Client:
    """``kn.Client()``, saving videos in ``folder/kling_videos`` and reading ``folder/.env``."""
    if folder is None:
        return Client()
    return Client(download_dir=folder / "kling_videos", env_file=folder / ".env")


def mode_html(client: Any) -> str:
    """Where each provider's jobs go, always saying SANDBOX for the offline emulator."""
    def reason(provider: str) -> str:
        config = getattr(client, "configs", {}).get(provider)
        return ("no API key set" if config is not None and config.key is None
                else "the sandbox was chosen")

    sandboxed = [p for p in PROVIDER_NAMES if client.is_sandbox(p)]
    if len(sandboxed) == len(PROVIDER_NAMES):
        why = "; ".join(f"{PROVIDER_NAMES[p]}: {reason(p)}" for p in sandboxed)
        return (f"<div>{BANNER}<small>Every job runs in the offline emulator ({esc(why)}):"
                " nothing is billed. Set LEONARDO_API_KEY or AIMLAPI_API_KEY (or a .env file) "
                "for real videos.</small></div>")
    parts = [f"{esc(name)}: {SANDBOX_TAG} offline emulator ({esc(reason(p))})"
             if p in sandboxed else f"{esc(name)}: <b>live</b>, real jobs billed to your account"
             for p, name in PROVIDER_NAMES.items()]
    return "<div>" + "<br>".join(parts) + "</div>"


def done_bundle(result: Result) -> dict[str, str]:
    """What the form says once a video is made: it is first on the board, and where it is."""
    where = (f" Saved at <code>{esc(shown_path(result.path))}</code>."
             if result.path is not None else "")
    mark = SANDBOX_TAG + " " if result.sandbox else ""
    html = (f"<div class='kling-nb-done'>{mark}Done: job <code>{esc(result.job_id)}</code> "
            f"is first on the board below: play it, rate it, tag it, note it.{where}</div>")
    text = f"Done: job {result.job_id} is first on the board below." + (
        f" Saved at {shown_path(result.path)}." if result.path is not None else "")
    return {"text/plain": text + (" [SANDBOX]" if result.sandbox else ""), "text/html": html}


def studio_app(client: Any = None, model: str | None = None, **options: Any) -> StudioApp:
    """The studio app widget: make, watch and rate videos (display it, or leave it last in a
    cell; ``kling-nb studio`` serves it as a page of its own)."""
    return StudioApp(client, model, **options)
