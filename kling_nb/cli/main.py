"""The ``kling-nb`` command: generate a video from a spec file or flags, or run the sandbox.

Exit status: 0 done; 1 the job or a request failed; 2 bad input (spec, image, key or URL:
nothing was sent); 3 stopped waiting (the job goes on; the message says how to resume);
4 the create request's outcome is unknown (look for the job before submitting again).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from kling_nb.client.observer import JobObserver, ObserverChain
from kling_nb.client.retrylog import report_retries
from kling_nb.core.errors import (
    ConfigError,
    ImageError,
    JobTimeoutError,
    KlingError,
    SpecError,
    UnknownOutcomeError,
)
from kling_nb.journal.client import Client
from kling_nb.media.sheets import existing
from kling_nb.specs.catalogue import MODELS, parse_spec
from kling_nb.specs.refs import looks_like_path

from .models import TAKES, UsageError, models_command

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TIMEOUT, EXIT_UNKNOWN = 0, 1, 2, 3, 4


def mode_label(client: Client, job: Any, forced: bool) -> str:
    """Why a job runs in the sandbox, truthfully; empty for a live job.

    The in-process sandbox runs a provider with no key (unless ``--sandbox`` or
    ``KLING_NB_SANDBOX=1`` chose it, key or not); a keyed client whose base URL is a served
    sandbox (``kling-nb sandbox``) is told apart by the sandbox's answers.
    """
    if not job.sandbox:
        return ""
    if not client.is_sandbox(job.provider):
        return f"SANDBOX: the sandbox server at {client.base_url(job.provider)}, not the live API"
    if forced:
        return "SANDBOX: --sandbox, offline emulator"
    if client.configs[job.provider].key is None:
        return "SANDBOX: no API key, offline emulator"
    return "SANDBOX: KLING_NB_SANDBOX=1, offline emulator"


class _Progress(JobObserver):
    """Prints one line per status change to the terminal."""

    def __init__(self, out: TextIO, client: Client, forced: bool) -> None:
        self.out, self.client, self.forced = out, client, forced
        self.last: str | None = None

    def submitted(self, handle: str | None, job: Any) -> None:
        label = mode_label(self.client, job, self.forced)
        mark = f" ({label})" if label else ""
        cost = f", cost {job.cost}" if job.cost else ""
        print(f"submitted {job.provider} job {job.id}{cost}{mark}", file=self.out, flush=True)

    def status(self, job: Any) -> None:
        if job.status.value != self.last:
            self.last = job.status.value
            print(f"  {job.status.value} after {job.elapsed:.0f} s", file=self.out, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kling-nb", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="submit one job, wait, download the video")
    gen.add_argument("--spec", type=Path, help="a JSON file: friendly fields or a provider body")
    gen.add_argument("--model", help="model key or wire name: " + ", ".join(MODELS))
    gen.add_argument("--prompt")
    gen.add_argument("--start-frame", help="asset id, local image path or https URL")
    gen.add_argument("--end-frame", help="asset id, local image path or https URL")
    gen.add_argument("--negative-prompt", help="what to keep out of the video")
    gen.add_argument("--shot", action="append", metavar="[SECONDS:]PROMPT",
                     help="one shot of a multi-shot storyboard (repeat, in order)")
    gen.add_argument("--reference", action="append", metavar="IMAGE",
                     help="an image reference (repeat): asset id, local image path or URL")
    gen.add_argument("--video", help="the video to edit or reference: a generated video id "
                     "or an https URL")
    gen.add_argument("--aspect-ratio", choices=["16:9", "9:16", "1:1"])
    gen.add_argument("--duration", type=int)
    gen.add_argument("--size", help="WIDTHxHEIGHT, e.g. 1920x1080")
    gen.add_argument("--mode", choices=["RESOLUTION_720", "RESOLUTION_1080"])
    gen.add_argument("--audio", action=argparse.BooleanOptionalAction, default=None,
                     help="with sound (or --no-audio), where the model takes it")
    gen.add_argument("--seed", type=int)
    gen.add_argument("--out", type=Path, default=Path("kling_videos"), help="download folder")
    gen.add_argument("--timeout", type=float, help="seconds to wait before giving up waiting")
    gen.add_argument("--no-download", action="store_true")
    gen.add_argument("--sandbox", action="store_true", help="use the offline sandbox")
    gen.add_argument("-v", "--verbose", action="store_true",
                     help="say on stderr when a request is retried (retrying in 2 s: 503 ...)")
    gen.add_argument("--no-image-limits", action="store_true",
                     help="send images outside Kling's documented input limits (at least 300 px"
                          " a side, aspect 1:2.5 to 2.5:1, at most 10 MB) on purpose")
    box = commands.add_parser("sandbox", help="serve the sandbox on loopback")
    box.add_argument("rest", nargs=argparse.REMAINDER)
    commands.add_parser("studio", add_help=False,  # its options: kling_nb/cli/studio.py
                        help="the studio as a page in the browser (Voila): make, play and rate")
    models = commands.add_parser("models", help="list the model rows, or describe one")
    models.add_argument("key", nargs="?", help="a model key: print its inputs and rules")
    models.add_argument("--provider", choices=["leonardo", "aimlapi"])
    models.add_argument("--takes", default="", metavar="FACTS",
                        help="comma-separated: " + ", ".join(TAKES))
    models.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    data: dict[str, Any] = _load_spec(args.spec) if args.spec else {}
    flags = {"model": args.model, "prompt": args.prompt, "start_frame": args.start_frame,
             "end_frame": args.end_frame, "duration": args.duration, "size": args.size,
             "mode": args.mode, "audio": args.audio, "seed": args.seed,
             "negative_prompt": args.negative_prompt, "aspect_ratio": args.aspect_ratio,
             "image_references": args.reference, "video_reference": args.video,
             "multi_prompt": _shots(args.shot) if args.shot else None}
    data.update({k: v for k, v in flags.items() if v is not None})
    return data


def _shots(shots: list[str]) -> list[Any]:
    """``--shot "3:a fox wakes"`` -> a timed shot; ``--shot "a fox wakes"`` -> its prompt."""
    parsed: list[Any] = []
    for shot in shots:
        seconds, colon, prompt = shot.partition(":")
        if colon and seconds.strip().isdigit():
            parsed.append({"prompt": prompt.strip(), "duration": int(seconds)})
        else:
            parsed.append(shot)
    return parsed


def _load_spec(path: Path) -> dict[str, Any]:
    """The spec file's fields; relative image paths are taken from the spec file's folder."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _UsageError(f"cannot read the spec file {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _UsageError(f"the spec file {path} is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise _UsageError(f"the spec file {path} must hold a JSON object")
    return {k: _beside(path.parent, v) for k, v in data.items()}


def _beside(folder: Path, value: Any) -> Any:
    if isinstance(value, list):
        return [_beside(folder, v) for v in value]
    if not isinstance(value, str) or value.startswith("data:") or "://" in value \
            or not looks_like_path(value):
        return value
    local = Path(value).expanduser()
    try:
        if local.is_absolute() or local.is_file() or not (folder / local).is_file():
            return value
    except OSError:  # not a usable file name (too long, ...): leave it to the spec's checks
        return value
    return str(folder / local)


_UsageError = UsageError


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)



def _generate(args: argparse.Namespace, out: TextIO) -> int:
    spec = parse_spec(_fields(args))
    client = Client(sandbox=True if args.sandbox else None, download_dir=args.out,
                    image_limits=not args.no_image_limits)
    client.observer = ObserverChain(client.observer, _Progress(out, client, args.sandbox))
    retries = report_retries(_to_stderr if args.verbose else None)
    with client, retries:
        result = client.submit(spec).wait(args.timeout, progress=False)
        paths = [] if args.no_download else client.download_all(result)
    for index, video in enumerate(result.videos):
        path = paths[index] if index < len(paths) else "(not downloaded)"
        print(f"video: {path}", file=out)
        sheet = existing(path) if isinstance(path, Path) else None
        if sheet is not None:
            print(f"sheet: {sheet.path}", file=out)
        print(f"url:   {video.video_url}", file=out)
    print(f"cost:  {result.cost or 'not reported'}", file=out)
    if result.sandbox:
        print("note:  SANDBOX video from the offline emulator, not made by Kling", file=out)
    return EXIT_OK


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    out = out or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["sandbox"]:  # its options belong to the sandbox server's own parser
        from kling_nb.sandbox._server import main as serve

        return serve(argv[1:])
    if argv[:1] == ["studio"]:  # its options belong to its own parser too
        from .studio import studio_main

        return studio_main(argv[1:], out)
    args = _parser().parse_args(argv)
    if args.command == "models":
        try:
            return models_command(args, out)
        except _UsageError as exc:
            return _fail(exc, EXIT_USAGE)
    return _run(args, out)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    """``generate``, with every failure turned into a message and an exit status."""
    try:
        return _generate(args, out)
    except (_UsageError, SpecError, ImageError, ConfigError) as exc:
        return _fail(exc, EXIT_USAGE)
    except JobTimeoutError as exc:
        return _fail(exc, EXIT_TIMEOUT)
    except UnknownOutcomeError as exc:
        return _fail(exc, EXIT_UNKNOWN)
    except KlingError as exc:
        return _fail(exc, EXIT_FAILED)
    except OSError as exc:
        return _fail(f"{exc.strerror or exc} ({getattr(exc, 'filename', '') or ''})",
                     EXIT_FAILED)


def _fail(error: object, status: int) -> int:
    print(f"error: {error}", file=sys.stderr)
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
