"""Every download gets its contact sheet beside it; results show it by relative path."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from client_helpers import client, instant_retries, leo_spec, make_client, mock_client, sb
from PIL import Image

from kling_nb import MediaError
from kling_nb.sandbox import Sandbox
from kling_nb.specs.results import Result, ResultList

__all__ = ["client", "instant_retries", "sb"]


def test_a_download_makes_the_sheet(client: object, tmp_path: Path) -> None:
    """generate -> the mp4 and <mp4>.sheet.jpg (3 frames, 160 px high) in the folder."""
    result = client.generate(leo_spec(), progress=False)  # type: ignore[attr-defined]
    sheet = Path(f"{result.path}.sheet.jpg")
    assert sheet.is_file()
    with Image.open(sheet) as image:
        assert image.height == 160
    assert result.contact_sheet().path == sheet


def test_results_show_the_sheet_by_relative_path(sb: Sandbox, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A result and a list of results show the sheet as <img src='kling_videos/...'>."""
    monkeypatch.chdir(tmp_path)
    with make_client(sb, tmp_path, download_dir=Path("kling_videos")) as made:
        result = made.generate(leo_spec(), progress=False)
    html = result._repr_mimebundle_()["text/html"]
    assert f"src='kling_videos/{result.path.name}.sheet.jpg'" in html
    grid = ResultList([result, result])._repr_mimebundle_()["text/html"]
    assert grid.count("kling-nb-sheet") == 2
    for text in (html, grid, result.contact_sheet(frames=4)._repr_mimebundle_()["text/html"]):
        assert "base64" not in text
        assert "data:" not in text


def test_sheets_can_be_turned_off(sb: Sandbox, tmp_path: Path) -> None:
    """client.downloads.sheets = False downloads the video only; on demand still works."""
    with make_client(sb, tmp_path) as made:
        made.downloads.sheets = False
        result = made.generate(leo_spec(), progress=False)
    assert not list(result.path.parent.glob("*.jpg"))
    assert "kling-nb-sheet" not in result._repr_mimebundle_()["text/html"]
    assert result.contact_sheet().path.is_file()


def test_async_downloads_make_the_sheet(sb: Sandbox, tmp_path: Path) -> None:
    """The async download makes the sheet too (off the event loop)."""
    async def go() -> Result:
        async with make_client(sb, tmp_path) as made:
            return await made.generate_async(leo_spec(), progress=False)

    result = asyncio.run(go())
    assert Path(f"{result.path}.sheet.jpg").is_file()


def test_a_file_that_is_no_video_downloads_without_a_sheet(tmp_path: Path) -> None:
    """Bytes that are no video still download; there is just no sheet, and on demand it says
    why."""
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(b"not a video"))

    made = mock_client(handler, tmp_path)
    result = Result(job_id="j1", provider="leonardo", model="leonardo/kling-2.5-turbo",
                    video_url="https://cdn.example.com/v.mp4")
    path = made.download(result)
    assert path.read_bytes() == b"not a video"
    assert not list(path.parent.glob("*.jpg"))
    with pytest.raises(MediaError, match="could not be read"):
        result.contact_sheet()
    with pytest.raises(MediaError, match="not downloaded"):
        Result(job_id="j2", provider="leonardo", model="m", video_url="u").contact_sheet()
