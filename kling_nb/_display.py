"""How kling_nb objects show themselves in a notebook (``_repr_mimebundle_``).

``mimebundle(obj)`` dispatches by type: a spec shows its parameters, its estimated cost and its
curl command (retired models show their notice); a job shows model, status, elapsed time, cost
and a SANDBOX mark; a result shows a ``<video controls>`` player *by URL* (never base64 data in
the notebook), the poster, size, duration, seed, prompt, cost and the URL as text; a list of
results shows them side by side. Everything a user typed is HTML-escaped.

Sandbox videos live at ``https://cdn.sandbox.kling-nb.invalid/...``, which no browser can load,
so a sandbox result plays its downloaded file through a path *relative to the kernel's working
directory* (the notebook's folder, where the client downloads into ``kling_videos/``); the
notebook front end resolves that against the notebook's location. A sandbox result that was not
downloaded (or lies outside that folder) says so instead of showing a dead player, and every
sandbox result carries a visible SANDBOX banner.

Only the standard library is used here; IPython is never imported at module level.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from ._client import Job
    from ._results import Result
    from ._spec import Spec

SANDBOX_TEXT = "SANDBOX: offline emulator, not a video made by Kling"
_BANNER = ("<div style='background:#fff3cd;color:#664d03;border:1px solid #ffecb5;"
           "padding:2px 8px;font-weight:bold;display:inline-block;margin:2px 0'>"
           "SANDBOX</div> <span style='color:#664d03'>offline emulator: not a video made by "
           "Kling</span>")
NOTICE_HTML = ("<div style='background:#f8d7da;color:#58151c;border:1px solid #f1aeb5;"
           "padding:4px 8px;margin:4px 0'>{}</div>")
_TABLE = "<table style='border-collapse:collapse;text-align:left'>{}</table>"
_ROW = ("<tr><th style='padding:1px 8px 1px 0;vertical-align:top;text-align:left'{tip}>{k}</th>"
        "<td style='padding:1px 0;text-align:left'>{v}</td></tr>")


def esc(value: object) -> str:
    """``value`` as text safe inside HTML content and attribute values."""
    return escape(str(value), quote=True)


def mimebundle(obj: Any, include: Iterable[str] | None = None,
               exclude: Iterable[str] | None = None) -> dict[str, str]:
    """The MIME bundle for any kling_nb object: ``text/plain`` and ``text/html``."""
    from ._client import Job
    from ._results import Result
    from ._spec import Spec

    if isinstance(obj, Spec):
        bundle = {"text/plain": spec_text(obj), "text/html": spec_html(obj)}
    elif isinstance(obj, Job):
        expected = obj.client.schedule(obj).expected if obj.client is not None else None
        bundle = {"text/plain": job_text(obj, expected), "text/html": job_html(obj, expected)}
    elif isinstance(obj, Result):
        bundle = {"text/plain": result_text(obj), "text/html": result_html(obj)}
    elif _is_results(obj):
        bundle = {"text/plain": results_text(obj), "text/html": results_html(obj)}
    else:
        text = str(obj)
        bundle = {"text/plain": text, "text/html": f"<pre>{esc(text)}</pre>"}
    return _filter(bundle, include, exclude)


def _filter(bundle: dict[str, str], include: Iterable[str] | None,
            exclude: Iterable[str] | None) -> dict[str, str]:
    if include is not None:
        wanted = set(include)
        bundle = {k: v for k, v in bundle.items() if k in wanted}
    if exclude is not None:
        unwanted = set(exclude)
        bundle = {k: v for k, v in bundle.items() if k not in unwanted}
    return bundle


def _is_results(obj: Any) -> bool:
    from ._results import Result

    return (isinstance(obj, (list, tuple)) and bool(obj)
            and all(isinstance(item, Result) for item in obj))


class ResultList(list):  # type: ignore[type-arg]
    """A list of results that shows itself as a grid of players in a notebook."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return mimebundle(list(self), include, exclude)

    def __str__(self) -> str:
        return results_text(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


# -- small formatting helpers --------------------------------------------------------------
def duration_text(seconds: float | None) -> str:
    """``75.2`` as ``1:15``; ``None`` as an empty string."""
    if seconds is None:
        return ""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _rows(items: Iterable[tuple[str, str, str]]) -> str:
    """Table rows from ``(label, html value, tooltip)``; empty values are left out."""
    out = []
    for label, value, tip in items:
        if value == "":
            continue
        title = f" title='{esc(tip)}'" if tip else ""
        out.append(_ROW.format(k=esc(label), v=value, tip=title))
    return _TABLE.format("".join(out))


def value_text(value: Any) -> str:
    """A field value as short text: images by their label or id, never their bytes."""
    from ._images import ImageFile, ImageRef, VideoRef

    if isinstance(value, ImageFile):
        return value.label
    if isinstance(value, (ImageRef, VideoRef)):
        return f"{value.type.lower()} {value.id}"
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value) if value else "[]"
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    return str(value)


# -- specs ---------------------------------------------------------------------------------
_DERIVED = ("width", "height", "mode")


def spec_fields(spec: Spec) -> list[tuple[str, Any]]:
    """The fields that were set, and the size and mode the spec derived, in declaration order
    (without ``model``)."""
    return [(name, getattr(spec, name)) for name in type(spec).model_fields
            if name != "model" and (name in spec.model_fields_set or (
                name in _DERIVED and getattr(spec, name) is not None))]


_DATA_URL = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]{200,}")


def curl_text(spec: Spec) -> str:
    """The spec's curl command for display: inline image data is abbreviated."""
    from ._errors import KlingError

    try:
        curl = spec.to_curl()
    except KlingError as exc:  # a local image: only a client can upload it
        return f"# no curl yet: {exc}"
    short = _DATA_URL.sub(lambda m: f"{m.group(0)[:40]}...({len(m.group(0)) // 1000} kB)", curl)
    if short != curl:
        short = "# inline image data abbreviated here; spec.to_curl() gives it whole\n" + short
    return short


def _notice(spec: Spec) -> str | None:
    from ._catalogue import MODELS

    row = MODELS.get(spec.key)
    return row.notice if row is not None else None


def estimate_text(spec: Spec) -> str:
    """The estimated price of one job, marked as an estimate (empty when unknown)."""
    return price_text(type(spec), getattr(spec, "duration", None),
                      getattr(spec, "quantity", None))


def price_text(spec: type[Spec], duration: Any, quantity: Any = None) -> str:
    """The estimated price for a model, duration and quantity (also for unfinished forms)."""
    usd = spec.estimated_usd(int(duration)) if isinstance(duration, int) else None
    if usd is None:
        return ""
    quantity = quantity if isinstance(quantity, int) and quantity > 0 else 1
    each = f" (${usd:.2f} each)" if quantity > 1 else ""
    return f"~${usd * quantity:.2f} estimated{each}: unofficial list price, not a quote"


def spec_text(spec: Spec) -> str:
    """The plain-text view of a spec."""
    from ._spec import PROVIDER_NAMES

    lines = [f"{spec.display_name} on {PROVIDER_NAMES[spec.provider]} [{spec.key}]"]
    notice = _notice(spec)
    if notice:
        lines.append(f"RETIRED: {notice}")
    lines += [f"  {name} = {value_text(value)}" for name, value in spec_fields(spec)]
    estimate = estimate_text(spec)
    if estimate:
        lines.append(f"  cost: {estimate}")
    lines += ["", curl_text(spec)]
    return "\n".join(lines)


def spec_html(spec: Spec) -> str:
    """The HTML view of a spec: parameters with their help as tooltips, cost and curl."""
    from ._spec import PROVIDER_NAMES

    cls = type(spec)
    head = (f"<b>{esc(spec.display_name)}</b> on {esc(PROVIDER_NAMES[spec.provider])} "
            f"<code>{esc(spec.key)}</code>")
    notice = _notice(spec)
    parts = [head]
    if notice:
        parts.append(NOTICE_HTML.format("<b>Retired.</b> " + esc(notice)))
    rows = [(name, esc(value_text(value)), cls.model_fields[name].description or "")
            for name, value in spec_fields(spec)]
    estimate = estimate_text(spec)
    if estimate:
        rows.append(("cost", esc(estimate), "Spec.estimated_usd: documented, unofficial"))
    parts.append(_rows(rows))
    parts.append(f"<details><summary>curl</summary><pre>{esc(curl_text(spec))}</pre></details>")
    return "<div class='kling-nb-spec'>" + "".join(parts) + "</div>"


# -- jobs ----------------------------------------------------------------------------------
def _model_name(key: str) -> str:
    """The model's name with its provider when another row shares the name."""
    from ._catalogue import MODELS

    if key not in MODELS:
        return key
    row = MODELS[key]
    shared = sum(1 for other in MODELS.values() if other.name == row.name) > 1
    return f"{row.name} ({row.provider_name})" if shared else row.name


def expected_text(expected: tuple[float, float] | None, elapsed: float) -> str:
    """The expected finish as a band, e.g. ``usually ready 3:00-4:00 after submit``."""
    if expected is None:
        return ""
    low, high = expected
    if high <= 0:
        return "sandbox fast mode: ready at the next status check"
    band = f"usually ready {duration_text(low)}-{duration_text(high)} after submit"
    if elapsed > high:
        return f"taking longer than usual ({band})"
    return band


def job_text(job: Job, expected: tuple[float, float] | None = None) -> str:
    """The plain-text view of a job."""
    mark = f" [{SANDBOX_TEXT}]" if job.sandbox else ""
    parts = [f"{_model_name(job.model)} job {job.id}: {job.status.value}",
             f"elapsed {duration_text(job.elapsed)}"]
    if job.cost:
        parts.append(f"cost {job.cost}")
    band = expected_text(expected, job.elapsed)
    if band:
        parts.append(band)
    text = ", ".join(parts) + mark
    if job.failure:
        text += f"\n  failed: {job.failure}"
    return text


_STATUS_COLOURS = {"pending": "#6c757d", "running": "#0d6efd", "complete": "#198754",
                   "failed": "#dc3545"}


def status_badge(status: str) -> str:
    """A small coloured label for a job status."""
    colour = _STATUS_COLOURS.get(status, "#6c757d")
    return (f"<span style='background:{colour};color:white;padding:0 6px;border-radius:3px'>"
            f"{esc(status)}</span>")


def job_html(job: Job, expected: tuple[float, float] | None = None) -> str:
    """The HTML view of a job (also the live progress line of a form)."""
    rows = [("model", esc(_model_name(job.model)), job.model),
            ("status", status_badge(job.status.value), ""),
            ("elapsed", esc(duration_text(job.elapsed)), "since submit"),
            ("expected", esc(expected_text(expected, job.elapsed)),
             "from the poll schedule: typical duration, not a percentage"),
            ("cost", esc(job.cost or ""), "as the API reported it"),
            ("job id", f"<code>{esc(job.id)}</code>", job.provider)]
    if job.failure:
        rows.append(("failure", esc(job.failure), ""))
    banner = _BANNER if job.sandbox else ""
    return f"<div class='kling-nb-job' style='line-height:1.4'>{banner}{_rows(rows)}</div>"


# -- results -------------------------------------------------------------------------------
def video_src(result: Result, cwd: str | os.PathLike[str] | None = None) -> str | None:
    """What a ``<video>`` should load: the https URL of a live result, or the relative path
    of a downloaded sandbox video (None when a sandbox video cannot be played)."""
    if not result.sandbox:
        return result.video_url if result.video_url.startswith("https://") else None
    if result.path is None:
        return None
    base = Path(cwd) if cwd is not None else Path.cwd()
    path = Path(result.path)
    try:
        relative = Path(os.path.relpath(path.resolve(), base.resolve()))
    except ValueError:  # another drive on Windows
        return None
    if relative.parts and relative.parts[0] == "..":
        return None
    return quote(relative.as_posix())


def video_tag(result: Result, cwd: str | os.PathLike[str] | None = None,
              width: int = 480) -> str:
    """A ``<video controls>`` player for a result, or a note saying why there is none."""
    src = video_src(result, cwd)
    if src is None:
        if result.sandbox:
            why = ("not downloaded yet: run client.download(result)" if result.path is None
                   else f"saved outside the notebook folder, at {result.path}")
            return f"<p><i>Sandbox video {esc(why)}.</i></p>"
        return "<p><i>No playable video URL.</i></p>"
    poster = ""
    if not result.sandbox and result.poster_url and result.poster_url.startswith("https://"):
        poster = f" poster='{esc(result.poster_url)}'"
    return (f"<video controls preload='metadata' width='{width}' style='max-width:100%'"
            f"{poster}><source src='{esc(src)}' type='video/mp4'>"
            f"Your browser cannot play this video: <a href='{esc(src)}'>{esc(src)}</a>"
            "</video>")


def _size(result: Result) -> str:
    if not result.size:
        return ""
    return f"{result.size} (the sandbox renders a small preview)" if result.sandbox else result.size


def result_rows(result: Result) -> list[tuple[str, str, str]]:
    """The facts of a result as table rows (label, HTML value, tooltip)."""
    return [
        ("model", esc(_model_name(result.model)), result.model),
        ("size", esc(_size(result)), "width x height in pixels"),
        ("duration", esc(f"{result.duration} s" if result.duration else ""), ""),
        ("seed", esc("" if result.seed is None else result.seed), ""),
        ("cost", esc(result.cost or ""), "as the API reported it"),
        ("took", esc(duration_text(result.elapsed)), "from submit to result"),
        ("prompt", esc(result.prompt or ""), ""),
        ("job id", f"<code>{esc(result.job_id)}</code>", result.provider),
        ("url", f"<code>{esc(result.video_url)}</code>",
         "sandbox URLs are not loadable" if result.sandbox else ""),
        ("file", f"<code>{esc(result.path)}</code>" if result.path else "", "downloaded to"),
    ]


def result_text(result: Result) -> str:
    """The plain-text view of a result."""
    lines = [f"{_model_name(result.model)} result {result.job_id}"]
    if result.sandbox:
        lines[0] += f" [{SANDBOX_TEXT}]"
    facts = [(k, getattr(result, a)) for k, a in (
        ("size", "size"), ("duration", "duration"), ("seed", "seed"), ("cost", "cost"),
        ("prompt", "prompt"), ("url", "video_url"), ("file", "path"))]
    lines += [f"  {k}: {v}" for k, v in facts if v not in (None, "")]
    lines += [f"  video {v.index + 1}: {v.path or v.video_url}" for v in result.variants]
    return "\n".join(lines)


def result_html(result: Result, cwd: str | os.PathLike[str] | None = None,
                width: int = 480) -> str:
    """The HTML view of a result: the player, then its facts."""
    banner = _BANNER if result.sandbox else ""
    players = video_tag(result, cwd, width)
    if result.variants:  # the other videos of the same job (quantity > 1), side by side
        small = width // 2
        players = ("<div style='display:flex;flex-wrap:wrap;gap:8px'>"
                   + "".join(video_tag(v, cwd, small) for v in result.videos) + "</div>")
    return f"<div class='kling-nb-result'>{banner}{players}{_rows(result_rows(result))}</div>"


def results_text(results: Sequence[Result]) -> str:
    """The plain-text view of several results."""
    return "\n".join(result_text(r) for r in results)


def results_html(results: Sequence[Result], cwd: str | os.PathLike[str] | None = None) -> str:
    """Several results side by side (a wrapping grid of players)."""
    cells = "".join(
        f"<div style='flex:0 0 340px'>{result_html(r, cwd, width=320)}</div>" for r in results
    )
    return f"<div style='display:flex;flex-wrap:wrap;gap:12px'>{cells}</div>"


# -- copy as code --------------------------------------------------------------------------
def _code_value(value: Any, uploads: list[str]) -> str:
    from ._images import ImageFile, ImageRef, VideoRef

    if isinstance(value, ImageRef):
        helper = "uploaded" if value.type == "UPLOADED" else "generated"
        return f"kn.{helper}({value.id!r})"
    if isinstance(value, VideoRef):
        return f"kn.VideoRef(id={value.id!r})"
    if isinstance(value, ImageFile):
        if value.url is not None:
            return repr(value.url)
        if value.path is not None:
            return f"kn.ImageFile(path={str(value.path)!r})"
        name = f"image_{len(uploads) + 1}"
        uploads.append(f"{name} = open('my_image.png', 'rb').read()  # the {value.label} "
                       "you uploaded in the form")
        return name
    if isinstance(value, list):
        return "[" + ", ".join(_code_value(v, uploads) for v in value) + "]"
    return repr(value)


def spec_code(spec: Spec) -> str:
    """The spec as Python that rebuilds it (``import kling_nb as kn`` first)."""
    uploads: list[str] = []
    args = [f"    {name}={_code_value(value, uploads)}," for name, value in spec_fields(spec)]
    lines = ["import kling_nb as kn", "", *uploads]
    if uploads:
        lines.append("")
    lines.append(f"spec = kn.{type(spec).__name__}(")
    lines += args
    lines.append(")")
    return "\n".join(lines)


def live_display(obj: Any, *, min_interval: float = 0.5) -> Callable[..., None] | None:
    """Show ``obj`` in the running notebook cell and return a refresher for that same output.

    The refresher redraws at most every ``min_interval`` seconds (``force=True`` always).
    Outside an IPython kernel (scripts, the command line) there is nothing to show: None.
    """
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    handle = display(obj, display_id=True)  # type: ignore[no-untyped-call]
    last = [time.monotonic()]

    def refresh(force: bool = False) -> None:
        now = time.monotonic()
        if handle is not None and (force or now - last[0] >= min_interval):
            handle.update(obj)
            last[0] = now

    return refresh

