"""The board's side of the comm, headless: a request for a video gets its bytes as a buffer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kling_nb.notebook.board import Board


class Sent(Board):
    """A board that records what it sends instead of sending it over a comm."""

    sent: list[tuple[Any, Any]]

    def send(self, content: Any, buffers: Any = None) -> None:
        self.sent.append((content, buffers))


def board(files: list[Path | None]) -> Sent:
    made = Sent(cards=[{"key": f"card-{n}"} for n in range(len(files))], files=files)
    made.sent = []
    return made


def test_a_request_yields_the_files_bytes_as_a_buffer(tmp_path: Path) -> None:
    """fetch -> one message naming the card, the file's bytes as its only buffer."""
    video = tmp_path / "v.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42 bytes")
    made = board([None, video])
    made._receive(made, {"kind": "fetch", "index": 1}, [])
    assert made.sent == [({"kind": "video", "key": "card-1", "type": "video/mp4"},
                          [video.read_bytes()])]


def test_a_missing_file_yields_an_error_message_not_an_exception(tmp_path: Path) -> None:
    """A file that is gone, or no file at all, is answered with an error the card shows."""
    made = board([tmp_path / "gone.mp4", None])
    made._receive(made, {"kind": "fetch", "index": 0}, [])
    made._receive(made, {"kind": "fetch", "index": 1}, [])
    (first, buffers), (second, _) = made.sent
    assert first["kind"] == "error"
    assert first["key"] == "card-0"
    assert "gone.mp4" in first["message"]
    assert buffers is None
    assert second == {"kind": "error", "key": "card-1", "message": "no local file to play"}


def test_stray_messages_are_ignored() -> None:
    """Unknown kinds, bad indexes and non-dict content send nothing and raise nothing."""
    made = board([None])
    for content in ({"kind": "fetch", "index": 5}, {"kind": "fetch"}, "fetch",
                    {"kind": "rate", "index": 0, "stars": 3}, {"kind": "nope", "index": 0},
                    {"kind": ["rate"], "index": 0}):
        made._receive(made, content, [])
    assert made.sent == []


def test_the_state_holds_no_video_bytes(tmp_path: Path) -> None:
    """Bytes are pushed after display when asked for, never in the widget's state."""
    video = tmp_path / "v.mp4"
    video.write_bytes(b"ftyp" * 1000)
    made = board([video])
    state = made.get_state()
    assert "files" not in state
    assert all(not isinstance(v, (bytes, memoryview)) for v in state.values())
    assert repr(made) == "Board()"
