"""Stored tutorial outputs that read well without running the notebook: on GitHub, nbviewer,
or in JupyterLab before "Run All".

``.ci/execute-notebooks`` runs this after executing the tutorials (``python -m
tests.notebook_outputs notebooks/*.ipynb``). The videos a tutorial makes are not in the
repository (``kling_videos/`` is ignored), so in the stored outputs:

- a player of a local video becomes a poster: the video's first, middle and last frame as one
  small WebP strip, inline (a couple of KB; never the video itself);
- a contact sheet, or any other image or link, by relative path is left out or unlinked (the
  poster shows the frames);
- a widget's view is left out (its state is not saved, so a page could only say "model not
  found"): the widget's own text fallback, which describes it, shows instead;
- a figure (a PNG, such as a leaderboard's plot) is stored with a 32-colour palette: it looks
  the same and weighs a third (nbval does not compare images).

``notebooks/sanitize.cfg`` maps a player and a poster to the same token, so nbval still
compares the rest of every output with what a fresh run shows.
"""

from __future__ import annotations

import base64
import io
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import nbformat

PLAYER = re.compile(r"(?s)<video\b.*?</video>")
SOURCE = re.compile(r"\bsrc='([^']*)'")
LOCAL = r"(?!https?:|data:|blob:|mailto:|#)"
LOCAL_IMAGE = re.compile(rf"<img\b[^>]*\bsrc='{LOCAL}[^']*'[^>]*>")
LOCAL_LINK = re.compile(rf"(?s)<a\b[^>]*\bhref='{LOCAL}[^']*'[^>]*>(.*?)</a>")
WIDGET = "application/vnd.jupyter.widget-view+json"
HEIGHT = 40
"""The poster's height in pixels: three frames side by side, about 214 px wide."""
QUALITY = 50
CAPTION = "first, middle and last frame: the video plays when you run the notebook"
COLOURS = 32
"""Colours of a stored figure's palette: plots use a handful, plus their antialiasing."""


def poster(video: Path) -> str:
    """A ``<figure class='kling-nb-poster'>`` of the video's first, middle and last frame as
    an inline WebP strip (a note instead when the file is gone)."""
    if not video.is_file():
        return ("<figure class='kling-nb-poster' style='margin:4px 0'><figcaption style="
                "'color:#6c757d'>a video: it plays when you run the notebook</figcaption>"
                "</figure>")
    from PIL import Image

    from kling_nb.media.sheets import contact_sheet

    with Image.open(contact_sheet(video, 3).path) as sheet:
        width = round(sheet.width * HEIGHT / sheet.height)
        small = sheet.convert("RGB").resize((width, HEIGHT), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, "WEBP", quality=QUALITY, method=6)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"<figure class='kling-nb-poster' style='margin:4px 0'><img src='data:image/webp;"
            f"base64,{data}' width='{width}' height='{HEIGHT}' alt='the video: {CAPTION}' "
            f"style='display:block;max-width:100%;height:auto'/><figcaption style='font-size:"
            f"85%;color:#6c757d'>{CAPTION}</figcaption></figure>")


def readable_html(html: str, folder: Path) -> str:
    """``html`` with local players as posters and local images and links left out."""
    def swap(match: re.Match[str]) -> str:
        sources = [unquote(s) for s in SOURCE.findall(match.group(0))]
        local = [s for s in sources if not re.match(r"[a-z]+:", s)]
        if not local:
            return match.group(0)  # a live video by URL: it plays anywhere
        return poster(folder / local[0])

    html = PLAYER.sub(swap, html)
    html = LOCAL_IMAGE.sub("", html)
    return LOCAL_LINK.sub(lambda m: m.group(1), html)


def slim_png(data: str) -> str:
    """A base64 PNG re-encoded with a 32-colour palette, if that is smaller (else as it was)."""
    from PIL import Image

    with Image.open(io.BytesIO(base64.b64decode(data))) as image:
        if image.mode == "P":
            return data
        small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
    buffer = io.BytesIO()
    small.save(buffer, "PNG", optimize=True)
    slimmer = base64.b64encode(buffer.getvalue()).decode("ascii")
    return slimmer if len(slimmer) < len(data) else data


def readable(notebook: Any, folder: Path) -> Any:
    """The notebook with every stored output made readable (see the module docstring)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            if WIDGET in data and "text/plain" in data:
                del data[WIDGET]
            if "text/html" in data:
                data["text/html"] = readable_html(str(data["text/html"]), folder)
            if "image/png" in data:
                data["image/png"] = slim_png(str(data["image/png"]).replace("\n", ""))
    return notebook


def main(paths: list[str]) -> int:
    """Rewrite each notebook in place; the videos are looked up beside it."""
    for name in paths:
        path = Path(name)
        notebook = nbformat.read(path, as_version=4)
        nbformat.write(readable(notebook, path.parent), path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
