"""How specs and results show themselves: parameters, cost, curl; players by URL.

A result shows a ``<video controls>`` player *by URL* (never base64 data in the notebook), the
poster, size, duration, seed, prompt, cost and the URL as text; a list of results shows them
side by side. Everything a user typed is HTML-escaped.

Sandbox videos live at ``https://cdn.sandbox.kling-nb.invalid/...``, which no browser can load,
so a sandbox result plays its downloaded file through a path *relative to the kernel's working
directory* (the notebook's folder, where the client downloads into ``kling_videos/``); the
notebook front end resolves that against the notebook's location. A sandbox result that was not
downloaded (or lies outside that folder) says so instead of showing a dead player, and every
sandbox result carries a visible SANDBOX banner.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling_nb.core.errors import KlingError
from kling_nb.core.html import (
    BANNER,
    NOTICE_HTML,
    SANDBOX_TEXT,
    URL_DAYS,
    attr,
    duration_text,
    esc,
    fresh,
    relative_src,
    rows,
    servable,
    shown_path,
)
from kling_nb.media.sheets import existing, sheet_img

from .base import size_label
from .catalogue import MODELS
from .docmodel import described
from .providers import PROVIDER_NAMES
from .refs import ImageFile, ImageRef, VideoRef
from .results import Cost, Result, cost_text

if TYPE_CHECKING:
    from .base import Spec


def model_label(key: str) -> str:
    """The model's name with its provider when another row shares the name."""
    if key not in MODELS:
        return key
    row = MODELS[key]
    shared = sum(1 for other in MODELS.values() if other.name == row.name) > 1
    return f"{row.name} ({row.provider_name})" if shared else row.name


def value_text(value: Any) -> str:
    """A field value as short text: images by their label or id, never their bytes."""
    if isinstance(value, ImageFile):
        return value.label
    if isinstance(value, (ImageRef, VideoRef)):
        return f"{value.type.lower()} {value.id}"
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value) if value else "[]"
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    if isinstance(value, dict):  # a part of an unchecked body
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str) and value.startswith("data:") and len(value) > 80:
        return f"{value[:value.find(',') + 1]}... ({len(value) // 1000} kB)"
    return str(value)


# -- specs ---------------------------------------------------------------------------------
_DERIVED = ("width", "height", "mode")


def spec_fields(spec: Spec) -> list[tuple[str, Any]]:
    """The fields that were set, and the size and mode the spec derived, in declaration order
    (without ``model``)."""
    return [(name, getattr(spec, name)) for name in type(spec).model_fields
            if name != "model" and (name in spec.model_fields_set or (
                name in _DERIVED and getattr(spec, name) is not None))]


def shown_fields(spec: Spec) -> list[tuple[str, Any]]:
    """``spec_fields`` as a person reads them: width and height as one ``size`` (``auto
    (follows the start frame)`` for the 0x0 the body sends); a body's ``wire_id`` shows as the
    "sent as" line instead."""
    fields = [(name, value) for name, value in spec_fields(spec) if name != "wire_id"]
    names = [name for name, _ in fields]
    if "width" not in names or "height" not in names:
        return fields
    size = size_label((spec.width, spec.height))  # type: ignore[attr-defined]
    return [("size", size) if name == "width" else (name, value)
            for name, value in fields if name != "height"]


_DATA_URL = re.compile(r"data:(?:image|audio|video)/[\w.+-]+;base64,[A-Za-z0-9+/=]{200,}")


def curl_text(spec: Spec) -> str:
    """The spec's curl command for display: inline image, sound and video data is
    abbreviated."""
    try:
        curl = spec.to_curl()
    except KlingError as exc:  # a local image: only a client can upload it
        return f"# no curl yet: {exc}"
    short = _DATA_URL.sub(lambda m: f"{m.group(0)[:40]}...({len(m.group(0)) // 1000} kB)", curl)
    if short != curl:
        short = "# inline data abbreviated here; spec.to_curl() gives it whole\n" + short
    return short


def _notice(spec: Spec) -> str | None:
    row = MODELS.get(spec.key)
    return row.notice if row is not None else None


def estimate_text(spec: Spec) -> str:
    """The estimated price of one job, marked as an estimate (empty when unknown)."""
    from .prices import tier_of

    return price_text(type(spec), getattr(spec, "duration", None),
                      getattr(spec, "quantity", None), tier_of(spec.to_dict()))


def price_text(spec: type[Spec], duration: Any, quantity: Any = None,
               tier: int | None = None) -> str:
    """The estimated price for a model, duration, quantity and tier (the short side, for a
    price per tier; unknown: the highest) - also for unfinished forms."""
    usd = spec.estimated_usd(int(duration), tier) if isinstance(duration, int) else None
    if usd is None:
        return ""
    quantity = quantity if isinstance(quantity, int) and quantity > 0 else 1
    each = f" (${usd:.2f} each)" if quantity > 1 else ""
    return f"~${usd * quantity:.2f} estimated{each}: unofficial list price, not a quote"


def spec_text(spec: Spec) -> str:
    """The plain-text view of a spec."""
    lines = [f"{spec.display_name} on {PROVIDER_NAMES[spec.provider]} [{spec.key}]"]
    notice = _notice(spec)
    if notice:
        lines.append(f"RETIRED: {notice}")
    lines += [f"  {name} = {value_text(value)}" for name, value in shown_fields(spec)]
    if spec.wire_note:
        lines.append(f"  sent as: {spec.wire_note}")
    estimate = estimate_text(spec)
    if estimate:
        lines.append(f"  cost: {estimate}")
    lines += ["", curl_text(spec)]
    return "\n".join(lines)


def spec_html(spec: Spec) -> str:
    """The HTML view of a spec: parameters with their help as tooltips, cost and curl."""
    cls = type(spec)
    head = (f"<b>{esc(spec.display_name)}</b> on {esc(PROVIDER_NAMES[spec.provider])} "
            f"<code>{esc(spec.key)}</code>")
    notice = _notice(spec)
    parts = [head]
    if notice:
        parts.append(NOTICE_HTML.format("<b>Retired.</b> " + esc(notice)))
    table = [(name, esc(value_text(value)), _help(cls, name)) for name, value in shown_fields(spec)]
    if spec.wire_note:
        table.append(("sent as", esc(spec.wire_note), "the provider's model id this request uses"))
    estimate = estimate_text(spec)
    if estimate:
        table.append(("cost", esc(estimate), "Spec.estimated_usd: documented, unofficial"))
    parts.append(rows(table))
    parts.append(f"<details><summary>curl</summary><pre>{esc(curl_text(spec))}</pre></details>")
    return "<div class='kling-nb-spec'>" + "".join(parts) + "</div>"


def _help(cls: type[Spec], name: str) -> str:
    if name == "size":
        return "width x height in pixels"
    return described(cls).model_fields[name].description or ""


# -- results -------------------------------------------------------------------------------
def video_src(result: Result, cwd: str | os.PathLike[str] | None = None) -> str | None:
    """What a ``<video>`` should load: a live result's https URL while it works, else (and
    always for a sandbox result) the downloaded file by a path relative to the notebook's
    folder; None when neither can be loaded (a file elsewhere, not downloaded, an old URL)."""
    if not result.sandbox and fresh(result.video_url, result.completed_at):
        return result.video_url
    return servable(result.path, cwd)


def video_tag(result: Result, cwd: str | os.PathLike[str] | None = None,
              width: int = 480) -> str:
    """A ``<video controls>`` player for a result, or a plain line saying why there is none."""
    src = video_src(result, cwd)
    if src is None:
        return f"<p><i>{esc(_no_player(result))}.</i></p>"
    poster = ""
    if not result.sandbox and fresh(result.poster_url, result.completed_at):
        poster = f" poster='{attr(result.poster_url)}'"
    return (f"<video controls preload='metadata' width='{width}' style='max-width:100%'"
            f"{poster}><source src='{attr(src)}' type='video/mp4'>"
            f"Your browser cannot play this video: <a href='{attr(src)}'>{esc(src)}</a>"
            "</video>")


def _no_player(result: Result) -> str:
    if result.sandbox:
        return ("Sandbox video not downloaded yet: run client.download(result)"
                if result.path is None
                else f"Sandbox video saved outside the notebook folder, at {result.path}")
    if result.path is not None:
        return (f"Video saved at {result.path} (outside the notebook folder, so it cannot play "
                "here; its URL may have expired)")
    if result.video_url.startswith("https://"):
        return (f"No player: the video URL is over {URL_DAYS} days old and may have expired: "
                f"{result.video_url}")
    return "No playable video URL"


def _size(result: Result) -> str:
    if not result.size:
        return ""
    return f"{result.size} (the sandbox renders a small preview)" if result.sandbox else result.size


def result_rows(result: Result) -> list[tuple[str, str, str]]:
    """The facts of a result as table rows (label, HTML value, tooltip)."""
    return [
        ("model", esc(model_label(result.model)), result.model),
        ("size", esc(_size(result)), "width x height in pixels"),
        ("duration", esc(f"{result.duration} s" if result.duration else ""), ""),
        ("seed", esc("" if result.seed is None else result.seed), ""),
        cost_row(result.cost, result.sandbox, result.model),
        ("took", esc(duration_text(result.elapsed)), "from submit to result"),
        ("prompt", esc(result.prompt or ""), ""),
        ("job id", f"<code>{esc(result.job_id)}</code>", result.provider),
        ("url", f"<code>{esc(result.video_url)}</code>",
         "sandbox URLs are not loadable" if result.sandbox else ""),
        ("file", f"<code>{esc(shown_path(result.path))}</code>" if result.path else "",
         "downloaded to"),
    ]


def cost_row(cost: Cost | None, sandbox: bool, model: str) -> tuple[str, str, str]:
    """The cost row of a job or result: a sandbox price is labelled so, never as spent."""
    if sandbox:
        return ("price", esc(cost_text(cost, sandbox=True, model=model)),
                "what the offline sandbox charges: nothing is billed")
    return ("cost", esc(cost or ""), "as the API reported it")


def result_text(result: Result) -> str:
    """The plain-text view of a result."""
    lines = [f"{model_label(result.model)} result {result.job_id}"]
    if result.sandbox:
        lines[0] += f" [{SANDBOX_TEXT}]"
    cost = cost_text(result.cost, sandbox=result.sandbox, model=result.model)
    facts = [(k, getattr(result, a)) for k, a in (
        ("size", "size"), ("duration", "duration"), ("seed", "seed"))]
    facts += [("price" if result.sandbox else "cost", cost)]
    facts += [(k, getattr(result, a)) for k, a in (
        ("prompt", "prompt"), ("url", "video_url"))]
    facts += [("file", shown_path(result.path) if result.path else None)]
    lines += [f"  {k}: {v}" for k, v in facts if v not in (None, "")]
    lines += [f"  video {v.index + 1}: {shown_path(v.path) if v.path else v.video_url}"
              for v in result.variants]
    return "\n".join(lines)


def result_html(result: Result, cwd: str | os.PathLike[str] | None = None,
                width: int = 480) -> str:
    """The HTML view of a result: the player, then its facts."""
    banner = BANNER if result.sandbox else ""
    players = video_tag(result, cwd, width)
    if result.variants:  # the other videos of the same job (quantity > 1), side by side
        small = width // 2
        players = ("<div style='display:flex;flex-wrap:wrap;gap:8px'>"
                   + "".join(video_tag(v, cwd, small) for v in result.videos) + "</div>")
    strip = sheet_strip(result.path, cwd)
    return (f"<div class='kling-nb-result'>{banner}{players}{strip}"
            f"{rows(result_rows(result))}</div>")


def sheet_strip(video: Path | None, cwd: str | os.PathLike[str] | None = None,
                height: int = 60) -> str:
    """The video's cached contact sheet as an ``<img>`` by relative path ("" when none)."""
    sheet = existing(video)
    if sheet is None or relative_src(sheet.path, cwd) is None:
        return ""
    return f"<div>{sheet_img(sheet.path, cwd, height)}</div>"


def results_text(results: Sequence[Result]) -> str:
    """The plain-text view of several results."""
    return "\n".join(result_text(r) for r in results)


def results_html(results: Sequence[Result], cwd: str | os.PathLike[str] | None = None) -> str:
    """Several results side by side (a wrapping grid of players)."""
    cells = "".join(
        f"<div style='flex:0 0 340px'>{result_html(r, cwd, width=320)}</div>" for r in results
    )
    return f"<div style='display:flex;flex-wrap:wrap;gap:12px'>{cells}</div>"
