"""HTML and text fragments every view is built from; knows no kling_nb type.

Objects show themselves in a notebook through ``Renders``: a type writes its own
``_text_view`` and ``_html_view`` and gets ``_repr_mimebundle_`` (as rich's objects do through
a protocol method). Text goes into HTML through ``esc`` (element content) or ``attr``
(attribute values).

JupyterLab typesets every HTML output (and ipywidgets' ``HTML``) with MathJax: two dollar
signs in one output ("$3.42 committed of max $5.0") turn the text between them into italic
math, and a backslash before a parenthesis or bracket starts math too. HTML entities do not
help (MathJax reads the decoded text), so ``esc`` puts each dollar sign and backslash in an
element of its own with MathJax's ignore classes: MathJax 3 ends a text run at the end of an
element, so no delimiter pair can form, and MathJax 2 skips the element. The text reads,
copies and prints exactly as written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

SANDBOX_TEXT = "SANDBOX: offline emulator, not a video made by Kling"
BANNER = ("<div class='kling-nb-banner' style='display:block;margin:2px 0 6px'>"
          "<span style='background:#fff3cd;color:#664d03;border:1px solid #ffecb5;"
          "padding:2px 8px;font-weight:bold;display:inline-block'>SANDBOX</span> "
          "<span style='color:#664d03'>offline emulator: not a video made by Kling</span></div>")
"""The banner on every sandbox job and result: a line of its own, so the player below it
starts at the card's left edge instead of being pushed right beside the badge."""
SANDBOX_TAG = ("<span title='offline emulator: not a video made by Kling' style='background:"
               "#fff3cd;color:#664d03;border:1px solid #ffecb5;padding:0 4px;font-size:85%;"
               "font-weight:bold'>SANDBOX</span>")
"""The mark on every sandbox row and card: a sandbox video is never passed off as real."""
NOTICE_HTML = ("<div style='background:#f8d7da;color:#58151c;border:1px solid #f1aeb5;"
               "padding:4px 8px;margin:4px 0'>{}</div>")
HIGHLIGHT = "background:#fff3cd;font-weight:bold;padding:0 3px"
_TABLE = "<table style='border-collapse:collapse;text-align:left'>{}</table>"
_ROW = ("<tr><th style='padding:1px 8px 1px 0;vertical-align:top;text-align:left'{tip}>{k}</th>"
        "<td style='padding:1px 0;text-align:left'>{v}</td></tr>")
_STATUS_COLOURS = {"pending": "#6c757d", "running": "#0d6efd", "complete": "#198754",
                   "failed": "#dc3545"}
_MATH_SAFE = "<span class='tex2jax_ignore mathjax_ignore'>{}</span>"
_MATH_TRIGGERS = re.compile(r"[$\\]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})
"""What ``html.escape(text, quote=True)`` replaces (without importing its entity tables)."""


def escape(text: str) -> str:
    """``text`` with ``& < > " '`` escaped, exactly as ``html.escape(text, quote=True)``."""
    return text.translate(_ESCAPES)


def esc(value: object) -> str:
    """``value`` as HTML element content: escaped, and shown as written (never as math)."""
    return _MATH_TRIGGERS.sub(lambda m: _MATH_SAFE.format(m.group()),
                              escape(str(value)))


def attr(value: object) -> str:
    """``value`` as an HTML attribute value (quoted with ``'`` or ``"``)."""
    return escape(str(value))


class Renders:
    """Gives a type ``_repr_mimebundle_`` from its own ``_text_view`` and ``_html_view``."""

    def _text_view(self) -> str:
        return str(self)

    def _html_view(self) -> str:
        return f"<pre>{esc(self._text_view())}</pre>"

    def _repr_mimebundle_(self, include: Iterable[str] | None = None,
                          exclude: Iterable[str] | None = None) -> dict[str, str]:
        return bundle(self._text_view(), self._html_view(), include, exclude)


def bundle(text: str, html: str, include: Iterable[str] | None = None,
           exclude: Iterable[str] | None = None) -> dict[str, str]:
    """A ``text/plain`` + ``text/html`` MIME bundle, filtered as IPython asks."""
    found = {"text/plain": text, "text/html": html}
    if include is not None:
        wanted = set(include)
        found = {k: v for k, v in found.items() if k in wanted}
    if exclude is not None:
        unwanted = set(exclude)
        found = {k: v for k, v in found.items() if k not in unwanted}
    return found


def duration_text(seconds: float | None) -> str:
    """``75.2`` as ``1:15``; ``None`` as an empty string."""
    if seconds is None:
        return ""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def rows(items: Iterable[tuple[str, str, str]]) -> str:
    """A table from ``(label, html value, tooltip)`` rows; empty values are left out."""
    out = []
    for label, value, tip in items:
        if value == "":
            continue
        title = f" title='{attr(tip)}'" if tip else ""
        out.append(_ROW.format(k=esc(label), v=value, tip=title))
    return _TABLE.format("".join(out))


def status_badge(status: str) -> str:
    """A small coloured label for a job status."""
    colour = _STATUS_COLOURS.get(status, "#6c757d")
    return (f"<span style='background:{colour};color:white;padding:0 6px;border-radius:3px'>"
            f"{esc(status)}</span>")


def loadable(url: str | None) -> bool:
    """Whether a browser can load ``url``: https, and not one of the sandbox's .invalid hosts."""
    if not url or not url.startswith("https://"):
        return False
    host = url[len("https://"):].split("/", 1)[0].split(":", 1)[0]
    return not host.endswith(".invalid")


URL_DAYS = 3
"""How long after a job ended its video and poster URLs are trusted to load. The providers
document no lifetime; ``resume`` downloads recent videos within the same window."""


def fresh(url: str | None, ended: datetime | None) -> bool:
    """Whether ``url`` is loadable and young enough to still work (see ``URL_DAYS``)."""
    if not loadable(url):
        return False
    return ended is None or datetime.now(timezone.utc) - ended < timedelta(days=URL_DAYS)


def _inside(path: Path | str, cwd: str | os.PathLike[str] | None) -> str | None:
    """``path`` relative to ``cwd`` (the working directory by default) as a POSIX path, or
    None when it lies outside that folder (or on another drive)."""
    base = Path(cwd) if cwd is not None else Path.cwd()
    try:
        relative = Path(os.path.relpath(Path(path).resolve(), base.resolve()))
    except ValueError:  # another drive on Windows
        return None
    return None if relative.parts[:1] == ("..",) else relative.as_posix()


def shown_path(path: Path | str, cwd: str | os.PathLike[str] | None = None) -> str:
    """A local file as a person reads it: relative to the working directory (the notebook's
    folder) when it is inside it, so outputs do not carry the machine's folders; else in full."""
    return _inside(path, cwd) or str(path)


def servable(path: Path | None, cwd: str | os.PathLike[str] | None = None) -> str | None:
    """A local file as the notebook can load it: a URL-quoted path relative to the kernel's
    working directory (the notebook's folder, where the front end resolves it) and inside it;
    None for a file elsewhere (for example one the command line saved), which a notebook
    front end cannot serve."""
    inside = _inside(path, cwd) if path is not None else None
    return quote(inside) if inside is not None else None


relative_src = servable


def thumbnail(poster_url: str | None, path: Path | None, width: int = 160, *,
              video_url: str | None = None, ended: datetime | None = None) -> str:
    """An ``<img>`` of the poster or a ``<video>`` of the local file (never inline base64);
    for a file the notebook cannot serve, the video's URL while it works, else where it is."""
    if fresh(poster_url, ended):
        return f"<img src='{attr(poster_url or '')}' width='{width}' loading='lazy'/>"
    src = servable(path)
    if src is not None:
        return (f"<video src='{attr(src)}' width='{width}' preload='metadata' muted controls>"
                "</video>")
    if fresh(video_url, ended):
        return f"<a href='{attr(video_url or '')}' target='_blank'>{esc(video_url)}</a>"
    return (f"<small>saved at <code>{esc(shown_path(path))}</code></small>" if path is not None
            else "")


def short(text: str | None, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pretty(value: Any, printer: Any) -> None:
    """IPython's plain-text pretty printer: the object's own ``str``."""
    printer.text(str(value))
