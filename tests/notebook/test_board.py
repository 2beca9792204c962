"""The board's side of the comm, headless: a request for a video gets its bytes as a buffer,
a request for a card's contact sheet gets the JPEG (made once, then cached) the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kling_nb.media.sheets import sheet_path
from kling_nb.notebook import board as board_module
from kling_nb.notebook.board import Board
from kling_nb.sandbox._media import RenderSpec, render


class Sent(Board):
    """A board that records what it sends instead of sending it over a comm."""

    sent: list[tuple[Any, Any]]

    def send(self, content: Any, buffers: Any = None) -> None:
        self.sent.append((content, buffers))


def board(files: list[Path | None], sheets: list[Path | None] | None = None) -> Sent:
    made = Sent(cards=[{"key": f"card-{n}"} for n in range(len(files))], files=files,
                sheets=sheets or [])
    made.sent = []
    return made


def sandbox_video(folder: Path, seed: int = 1) -> Path:
    """A real 2-second sandbox MP4."""
    path = folder / f"v{seed}.mp4"
    path.write_bytes(render(RenderSpec(1280, 720, 2, "kling-3.0", f"seed {seed}", seed)).mp4)
    return path


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


def test_a_sheet_request_yields_the_jpeg_as_a_buffer_made_once(tmp_path: Path) -> None:
    """sheet -> the contact sheet made beside the video, its bytes as the only buffer; asked
    again, the cached file is sent (not made again)."""
    video = sandbox_video(tmp_path)
    made = board([video], [video])
    made._receive(made, {"kind": "sheet", "index": 0}, [])
    (content, buffers), = made.sent
    assert content == {"kind": "sheet", "key": "card-0", "type": "image/jpeg", "frames": 3}
    sheet = sheet_path(video)
    assert buffers == [sheet.read_bytes()]
    assert buffers[0][:3] == b"\xff\xd8\xff"  # a JPEG
    stamp = sheet.stat().st_mtime_ns
    made._receive(made, {"kind": "sheet", "index": 0}, [])
    assert made.sent[1] == made.sent[0]
    assert sheet.stat().st_mtime_ns == stamp


def test_more_frames_on_demand_and_bad_counts_fall_back(tmp_path: Path) -> None:
    """frames=6 sends a six-frame strip (its own file); a count out of range means three."""
    video = sandbox_video(tmp_path)
    made = board([None], [video])
    for frames in (6, 0, 99, True, "6"):
        made._receive(made, {"kind": "sheet", "index": 0, "frames": frames}, [])
    assert [content["frames"] for content, _ in made.sent] == [6, 3, 3, 3, 3]
    assert made.sent[0][1] == [sheet_path(video, 6).read_bytes()]


def test_no_sheet_is_a_message_not_an_exception(tmp_path: Path) -> None:
    """No downloaded video, a file that is no video, or one that is gone: a message, no buffer."""
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video")
    made = board([None, None, None], [None, junk, tmp_path / "gone.mp4"])
    for index in range(3):
        made._receive(made, {"kind": "sheet", "index": index}, [])
    assert made.sent[0] == ({"kind": "sheet", "key": "card-0", "message": "no downloaded video"},
                            None)
    for (content, buffers), key in zip(made.sent[1:], ("card-1", "card-2"), strict=True):
        assert content["key"] == key
        assert content["message"].startswith("no contact sheet: ")
        assert buffers is None
        assert "type" not in content


def test_the_boards_icons_need_no_font() -> None:
    """Play, pause, enlarge, stars and tag removal are inline SVG paths; the script and style
    hold no character a font may lack (nothing past Latin-1: no emoji, no media symbols)."""
    folder = Path(board_module.__file__).parent
    source = (folder / "board.js").read_text(encoding="utf-8")
    style = (folder / "board.css").read_text(encoding="utf-8")
    assert [ch for ch in source + style if ord(ch) > 0xFF] == []
    assert 'createElementNS(ns, "svg")' in source
    for name in ("enlarge", "star", "remove"):
        assert f'icon("{name}")' in source
    assert 'labelled(play, "play", "play all")' in source
    assert "labelled(play, state, `${state} all`)" in source  # play <-> pause, both drawn
    for name in ("play", "pause", "enlarge", "star", "remove"):
        assert f"  {name}: \"M" in source  # its SVG path
