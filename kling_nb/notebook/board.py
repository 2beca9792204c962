"""The compare board: a grid of players with one shared play, pause, seek, loop and speed bar.

One anywidget. Its state is text only (what all share, each card's differing parameters, its
full record, rating, tags and note); no video bytes are ever in it, so nothing of a video is
saved into the notebook. A live video plays from its https URL. A local file (a sandbox video,
or one saved outside the folder the page is served from) is asked for by the front end once
the board is on screen, and sent over the widget's comm as one binary buffer that the page
plays from a blob URL: it plays in JupyterLab, Notebook 7, Voila, VS Code and Colab alike.

Card actions (rate, tag, untag, note, remix) arrive as messages and go to ``on_action``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

_HERE = Path(__file__).resolve().parent
ACTIONS = {"rate": "stars", "tag": "tag", "untag": "tag", "note": "note", "remix": "index"}
"""The card actions the front end can send, and the field that carries each one's value."""

Action = Callable[[str, int, Any], None]


class Board(anywidget.AnyWidget):
    """Cards side by side with one sync bar; local videos sent as bytes when asked for."""

    _esm = _HERE / "board.js"
    _css = _HERE / "board.css"
    title = t.Unicode("").tag(sync=True)
    shared = t.List(t.List(t.Unicode())).tag(sync=True)
    cards = t.List(t.Dict()).tag(sync=True)
    can_rate = t.Bool(False).tag(sync=True)

    def __init__(self, *, files: Sequence[Path | None] = (), on_action: Action | None = None,
                 **state: Any) -> None:
        super().__init__(**state)
        self.files = list(files)
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

    def __repr__(self) -> str:
        return f"Board({self.title})"
