"""Contact sheets of the sandbox's real videos: made once, cached, made again when the video
changes, shown by relative path and never as inline data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from kling_nb.core.errors import MediaError
from kling_nb.media import sheets
from kling_nb.media.sheets import GAP, HEIGHT, ContactSheet, contact_sheet, existing, quietly
from kling_nb.sandbox._media import RenderSpec, render


def _video(folder: Path, seed: int = 1, name: str = "clip.mp4") -> Path:
    """A real 320x180, 2-second sandbox MP4 (it pans, so its frames differ)."""
    path = folder / name
    path.write_bytes(render(RenderSpec(1280, 720, 2, "kling-3.0", f"seed {seed}", seed)).mp4)
    return path


def _thumb_width() -> int:
    return round(HEIGHT * 320 / 180 / 2) * 2


def test_a_sheet_is_frames_wide_beside_the_video(tmp_path: Path) -> None:
    """First, middle and last frame in a strip 160 px high, saved as <video>.sheet.jpg."""
    video = _video(tmp_path)
    sheet = contact_sheet(video)
    assert sheet.path == tmp_path / "clip.mp4.sheet.jpg"
    with Image.open(sheet.path) as image:
        assert image.format == "JPEG"
        assert image.size == (3 * _thumb_width() + 2 * GAP, HEIGHT)
        tiles = [image.crop((i * (_thumb_width() + GAP), 0, i * (_thumb_width() + GAP)
                             + _thumb_width(), HEIGHT)).resize((1, 1)).getpixel((0, 0))
                 for i in range(3)]
    assert len(set(tiles)) == 3  # the pan moved: three different frames


def test_more_frames_on_demand_get_their_own_file(tmp_path: Path) -> None:
    """frames=N makes an N-frame strip in <video>.sheet-N.jpg; the default one stays."""
    video = _video(tmp_path)
    five = contact_sheet(video, frames=5)
    assert five.path.name == "clip.mp4.sheet-5.jpg"
    with Image.open(five.path) as image:
        assert image.width == 5 * _thumb_width() + 4 * GAP
    one = contact_sheet(video, frames=1)
    with Image.open(one.path) as image:
        assert image.width == _thumb_width()


def test_the_sheet_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second call reads nothing: the sheet is newer than the video."""
    video = _video(tmp_path)
    first = contact_sheet(video)
    stamp = first.path.stat().st_mtime_ns

    def boom(*args: object) -> None:
        raise AssertionError("extracted again")

    monkeypatch.setattr(sheets, "_thumbnails", boom)
    assert contact_sheet(video) == first
    assert first.path.stat().st_mtime_ns == stamp
    assert existing(video) == first


def test_the_sheet_is_made_again_when_the_video_changes(tmp_path: Path) -> None:
    """A video newer than its sheet gets a new sheet (and a stale one is not shown)."""
    video = _video(tmp_path, seed=1)
    sheet = contact_sheet(video).path
    before = sheet.read_bytes()
    _video(tmp_path, seed=200)
    earlier = video.stat().st_mtime - 5  # as if the sheet was made well before
    os.utime(sheet, (earlier, earlier))
    assert existing(video) is None
    assert contact_sheet(video).path.read_bytes() != before
    assert existing(video) is not None


def test_not_a_video(tmp_path: Path) -> None:
    """A file that is no video raises MediaError; after a download it just gets no sheet."""
    bogus = tmp_path / "bogus.mp4"
    bogus.write_bytes(b"not a video at all")
    with pytest.raises(MediaError, match="could not be read"):
        contact_sheet(bogus)
    assert quietly(bogus) is None
    assert not list(tmp_path.glob("*.jpg"))
    with pytest.raises(MediaError, match="download it first"):
        contact_sheet(tmp_path / "missing.mp4")
    with pytest.raises(ValueError, match="1 to 24"):
        contact_sheet(bogus, frames=0)


def test_html_is_a_relative_img_never_inline_data(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The sheet shows as <img src='relative path'>; outside the folder it says where it is."""
    (tmp_path / "videos").mkdir()
    video = _video(tmp_path / "videos")
    monkeypatch.chdir(tmp_path)
    sheet = contact_sheet(Path("videos/clip.mp4"))
    html = sheet._repr_mimebundle_()["text/html"]
    assert "src='videos/clip.mp4.sheet.jpg'" in html
    assert "base64" not in html
    assert "data:" not in html
    assert str(sheet) == "videos/clip.mp4.sheet.jpg"
    assert os.fspath(sheet) == str(sheet.path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert "outside the notebook folder" in sheet.html(cwd=elsewhere)
    assert isinstance(existing(video), ContactSheet)
