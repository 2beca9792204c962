"""The tutorials read well without running them: light (each under 60 KB), no player or image
of a file the repository lacks (a small poster instead, never the video), and widgets that
describe themselves instead of looking like an error."""

from __future__ import annotations

import configparser
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from notebook_outputs import readable_html

from kling_nb.sandbox._media import RenderSpec, render

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
LIMIT = 60 * 1024
ADDRESS = re.compile(r"\b(?:src|href|poster)=['\"]([^'\"]*)['\"]")
WIDGET = "application/vnd.jupyter.widget-view+json"


def _outputs(path: Path) -> list[dict[str, Any]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [o for c in cells for o in c.get("outputs", [])]


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _tracked() -> set[str]:
    listed = subprocess.run(["git", "ls-files", "notebooks"], cwd=ROOT, capture_output=True,
                            text=True, check=False).stdout
    return {line.removeprefix("notebooks/") for line in listed.splitlines()}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_tutorial_is_light(path: Path) -> None:
    """Stored outputs included, a tutorial stays under 60 KB."""
    assert path.stat().st_size < LIMIT


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_point_at_no_file_the_repository_lacks(path: Path) -> None:
    """Every image, player and link in a stored output loads from the web, from inline data,
    or from a file in the repository: nothing shows broken before the notebook runs."""
    tracked = _tracked()
    for output in _outputs(path):
        for value in output.get("data", {}).values():
            for address in ADDRESS.findall(_text(value)):
                if re.match(r"(https?|data|mailto):|#", address):
                    continue
                assert address in tracked, f"{path.name}: {address} is not in the repository"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_name_no_folder_of_the_machine_that_ran_them(path: Path) -> None:
    """A file the tutorial saved shows by its path in the notebook's folder (kling_videos/...),
    so the stored output is the same wherever it was run and nbval compares it equal."""
    folders = {str(ROOT), str(Path.home()), "/work/", "/home/", "/Users/", "C:\\Users"}
    for output in _outputs(path):
        values = [*output.get("data", {}).values(), output.get("text", "")]
        for value in values:
            text = _text(value)
            for folder in folders:
                assert folder not in text, f"{path.name}: a stored output names {folder}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_video_is_stored_as_a_small_poster_never_itself(path: Path) -> None:
    """Where the tutorial showed a video, a poster (an inline WebP strip of a few KB) stands
    in; no video bytes and no player of a local file are stored."""
    html = "".join(_text(o.get("data", {}).get("text/html", "")) for o in _outputs(path))
    assert "data:video" not in html
    assert "<video" not in html  # every video the tutorials make is a local sandbox file
    posters = re.findall(r"src='data:image/webp;base64,([^']*)'", html)
    for data in posters:
        assert len(data) < 4000
    source = path.read_text(encoding="utf-8")
    if "client.generate(" in source or "download" in source:
        assert posters, f"{path.name} shows no poster of the videos it makes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_widgets_describe_themselves(path: Path) -> None:
    """No widget view without its state is stored (a page could only say "model not found");
    the text in its place says what the widget is, never an error count or a cut-off repr."""
    for output in _outputs(path):
        data = output.get("data", {})
        assert WIDGET not in data
        text = _text(data.get("text/plain", ""))
        assert "with errors" not in text
        assert "Error displaying widget" not in text
        assert not re.match(r"\w+\(children=", text)
        assert not text.endswith("\u2026")
        if "interactive widget" in text:
            assert text.endswith("(an interactive widget: run the notebook to use it)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_sizes_and_sandbox_prices_read_as_a_person_would(path: Path) -> None:
    """The tutorials run in the sandbox: no stored output shows a bare 0x0 size (it reads
    "auto (follows the start frame)") or calls a sandbox price what "the API reported"."""
    for output in _outputs(path):
        texts = [_text(v) for v in output.get("data", {}).values()] + [
            _text(output.get("text", ""))]
        for text in texts:
            assert "0x0" not in text
            assert "as the API reported it" not in text


def _sanitize(text: str) -> str:
    """What nbval compares: ``text`` after notebooks/sanitize.cfg, applied in its order."""
    config = configparser.ConfigParser()
    config.read(ROOT / "notebooks" / "sanitize.cfg")
    for section in config.sections():
        text = re.sub(config.get(section, "regex"), config.get(section, "replace"), text)
    return text


def test_players_become_posters_that_nbval_compares_equal(tmp_path: Path) -> None:
    """A local player becomes a poster of its frames, a local sheet and link are left out or
    unlinked, a live player stays; after sanitizing, stored and fresh outputs are equal."""
    folder = tmp_path / "kling_videos"
    folder.mkdir()
    (folder / "v.mp4").write_bytes(render(RenderSpec(1280, 720, 2, "kling-3.0", "a fox", 1)).mp4)
    fresh = ("<div class='kling-nb-result'><video controls width='320'><source "
             "src='kling_videos/v.mp4' type='video/mp4'>Your browser cannot play this video: "
             "<a href='kling_videos/v.mp4'>kling_videos/v.mp4</a></video><div><img "
             "class='kling-nb-sheet' src='kling_videos/v.mp4.sheet.jpg' height='60'/></div>"
             "<a href='kling_videos/v.mp4' target='_blank'>file</a>"
             "<video src='https://cdn.example/live.mp4' controls></video></div>")
    stored = readable_html(fresh, tmp_path)
    assert "kling_videos/" not in stored
    assert "<figure class='kling-nb-poster'" in stored
    assert "data:image/webp;base64," in stored
    assert "<video src='https://cdn.example/live.mp4' controls></video>" in stored
    assert ">file<" in stored
    assert _sanitize(stored) == _sanitize(fresh)
    gone = readable_html("<video src='kling_videos/missing.mp4'></video>", tmp_path)
    assert "it plays when you run the notebook" in gone
    assert "<img" not in gone


def test_a_stored_figure_is_a_palette_png_a_fraction_of_the_size() -> None:
    """A plot's PNG is stored with a 32-colour palette: the same picture to the eye (every
    pixel within a few levels), far fewer bytes; one already in a palette is left alone."""
    import base64
    import io

    from notebook_outputs import slim_png
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    draw = ImageDraw.Draw(image)
    for row in range(5):
        draw.rectangle((40, 20 + row * 35, 120 + row * 90, 45 + row * 35), fill="#adb5bd")
        draw.text((5, 25 + row * 35), f"prompt {row}", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    original = base64.b64encode(buffer.getvalue()).decode("ascii")
    slim = slim_png(original)
    assert len(slim) < len(original)
    with Image.open(io.BytesIO(base64.b64decode(slim))) as stored:
        assert stored.mode == "P"
        assert stored.size == image.size
        shown = stored.convert("RGB").tobytes()
        assert max(abs(a - b) for a, b in zip(shown, image.tobytes(), strict=True)) < 48
    assert slim_png(slim) == slim


def test_short_handles_compare_equal_and_nothing_else_does() -> None:
    """A journal handle's first 8 characters (a ranking's or a promotion's label) differ every
    run, and may be all digits: sanitized, two runs' texts are equal; longer or shorter runs of
    hex characters are kept."""
    first = "  #0 from draft a37fc3d9 leonardo/kling-3.0 'a heron'; e8e32a94 a heron"
    second = "  #0 from draft 83416440 leonardo/kling-3.0 'a heron'; 9f9e8d7c a heron"
    assert _sanitize(first) == _sanitize(second)
    for kept in ("1234567", "123456789", "deadbeef1", "sweep-<ID>", "$5.13"):
        assert _sanitize(kept) == kept
