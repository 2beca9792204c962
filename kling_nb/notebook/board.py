"""The compare board: a grid of players with one shared play, pause, seek, loop and speed bar.

One anywidget. Its state is text only (what all share, each card's differing parameters, its
full record, rating, tags and note); no video bytes are ever in it, so nothing of a video is
saved into the notebook. A live video plays from its https URL. A local file (a sandbox video,
or one saved outside the folder the page is served from) is asked for by the front end once
the board is on screen, and sent over the widget's comm as one binary buffer that the page
plays from a blob URL: it plays in JupyterLab, Notebook 7, Voila, VS Code and Colab alike.

Each card with a downloaded video (live or sandbox) shows its contact sheet above the player:
the page asks for it first, the kernel makes it if needed (``contact_sheet``: cached beside the
video as ``<video>.sheet.jpg``) and sends the JPEG the same way, as one buffer shown from a blob
URL, so a grid can be judged before any video plays and no image is saved into the notebook
either. "more frames" asks for a longer strip; a click on a frame seeks the card's player there.
A card with no local file shows no sheet; a live video's poster URL (when the API gave one)
stands in before it plays.

Card actions (rate, tag, untag, note, remix) arrive as messages and go to ``on_action``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

from kling_nb.core.errors import MediaError
from kling_nb.media.sheets import FRAMES, MAX_FRAMES, contact_sheet

_HERE = Path(__file__).resolve().parent
ACTIONS = {"rate": "stars", "tag": "tag", "untag": "tag", "note": "note", "remix": "index"}
"""The card actions the front end can send, and the field that carries each one's value."""

Action = Callable[[str, int, Any], None]


class Board(anywidget.AnyWidget):
    """Cards side by side with one sync bar; local videos and contact sheets sent as bytes
    when asked for (``files``: the local video each card plays, ``sheets``: the downloaded
    video each card's sheet is made from; ``None`` where there is none)."""

    _esm = _HERE / "board.js"
    _css = _HERE / "board.css"
    title = t.Unicode("").tag(sync=True)
    shared = t.List(t.List(t.Unicode())).tag(sync=True)
    cards = t.List(t.Dict()).tag(sync=True)
    can_rate = t.Bool(False).tag(sync=True)

    def __init__(self, *, files: Sequence[Path | None] = (), sheets: Sequence[Path | None] = (),
                 on_action: Action | None = None, **state: Any) -> None:
        super().__init__(**state)
        self.files = list(files)
        self.sheets = list(sheets)
        self.on_action = on_action
        self.on_msg(self._receive)

    def _receive(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        kind, index = content.get("kind"), content.get("index")
        if not isinstance(index, int) or not 0 <= index < len(self.cards):
            return
        if kind == "fetch":
            self.send_video(index)
        elif kind == "sheet":
            self.send_sheet(index, content.get("frames", FRAMES))
        elif isinstance(kind, str) and kind in ACTIONS and self.on_action is not None:
            self.on_action(kind, index, content.get(ACTIONS[kind]))

    def send_video(self, index: int) -> None:
        """Send card ``index``'s local file as a buffer, or say why it cannot be played."""
        key = self.cards[index]["key"]
        path = self.files[index] if index < len(self.files) else None
        try:
            data = path.read_bytes() if path is not None else None
        except OSError as exc:
            self.send({"kind": "error", "key": key, "message": f"cannot read {path}: "
                       f"{exc.strerror or exc}"})
            return
        if data is None:
            self.send({"kind": "error", "key": key, "message": "no local file to play"})
            return
        self.send({"kind": "video", "key": key, "type": "video/mp4"}, [data])

    def send_sheet(self, index: int, frames: Any = FRAMES) -> None:
        """Send card ``index``'s contact sheet (made if needed) as a JPEG buffer, or say why
        there is none; ``frames`` outside 1 to ``MAX_FRAMES`` means the default three."""
        key = self.cards[index]["key"]
        if isinstance(frames, bool) or not isinstance(frames, int) or not (
                1 <= frames <= MAX_FRAMES):
            frames = FRAMES
        video = self.sheets[index] if index < len(self.sheets) else None
        if video is None:
            self.send({"kind": "sheet", "key": key, "message": "no downloaded video"})
            return
        try:
            data = contact_sheet(video, frames).path.read_bytes()
        except (MediaError, OSError) as exc:
            self.send({"kind": "sheet", "key": key, "message": f"no contact sheet: {exc}"})
            return
        self.send({"kind": "sheet", "key": key, "type": "image/jpeg", "frames": frames}, [data])

    def __repr__(self) -> str:
        return f"Board({self.title})"
