"""The ``kling-nb`` command: generate a video from a spec file or flags, keep track of every
job (``jobs``, ``show``, ``resume``, ``download``, ``resubmit``), measure the videos
(``metrics``), rank blind verdicts (``ranking``), list the models, or run the sandbox.

The exit statuses are listed once, in ``DESCRIPTION`` (what ``kling-nb --help`` prints).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any, TextIO

from kling_nb.client.observer import ObserverChain
from kling_nb.client.retrylog import report_retries
from kling_nb.client.submitting import RecoveredJobWarning
from kling_nb.core.errors import KlingError
from kling_nb.journal.client import Client
from kling_nb.specs.base import Spec, parse_size
from kling_nb.specs.catalogue import MODELS, parse_spec
from kling_nb.specs.providers import PROVIDER_NAMES

from . import jobs as journal_cli
from . import listing, measured, pickup
from .jobs import (
    EXIT_PIPE,
    EXIT_USAGE,
    DownloadFailedError,
    Printer,
    fail,
    finish,
    next_command,
    status_of,
)
from .messages import check_input_flags, check_shape_flags, warning_lines
from .models import TAKES, UsageError, models_command, suggested_model
from .ranking import add_parser as add_ranking_parser
from .ranking import ranking_command
from .specfile import load_json, load_spec, shots


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


DESCRIPTION = """\
Make videos with the Kling models through Leonardo.AI and the AI/ML API,
and keep track of every job: generate one, list them (jobs), look at one
(show), pick up what was in flight (resume), download, or send a request
again on purpose (resubmit); measure the videos (metrics), rank blind
verdicts (ranking); list the model rows (models); serve the offline
sandbox or the studio page. With no API key, every job runs in the
offline sandbox and says SANDBOX.

exit status:
  0  done
  1  the job or a request failed
  2  bad input (spec, image, clip, key, URL or handle): nothing was sent
  3  stopped waiting (--timeout): the job goes on at the provider
  4  the create request's answer was lost and looking for the job did
     not settle it: a paid job may exist
  5  the create request's answer was lost and the provider shows no job
     for it: nothing billed
141  the reader of the output went away (kling-nb models | head): it stops
     quietly; a job already sent stays in the journal
Every other non-zero exit ends with a next: line naming the command to run."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kling-nb", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
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
    gen.add_argument("--image", action="append", metavar="IMAGE",
                     help="an input image of a model made from several (repeat, in order): "
                          "2-4 for multi-image-to-video, two people side by side for an "
                          "effect (the first on the left); local image path or https URL")
    gen.add_argument("--effect", metavar="SCENE",
                     help="the effect scene of an effects model: hug, kiss, heart_gesture "
                          "(two --image), squish, expansion (one), ...")
    gen.add_argument("--video", help="the video to edit or reference: a generated video id "
                     "or an https URL")
    gen.add_argument("--motion-video", metavar="FILE|URL",
                     help="the reference video whose motion the image's character performs "
                          "(motion control): a local video file or an https URL")
    gen.add_argument("--character-orientation", choices=["image", "video"],
                     help="motion control: face as in the image (reference at most 10 s) or as "
                          "in the video (at most 30 s)")
    gen.add_argument("--keep-audio", action=argparse.BooleanOptionalAction, default=None,
                     help="keep the source or reference video's sound (or --no-keep-audio)")
    gen.add_argument("--aspect-ratio", choices=["16:9", "9:16", "1:1"])
    gen.add_argument("--duration", type=int)
    gen.add_argument("--size", help="WIDTHxHEIGHT, e.g. 1920x1080")
    gen.add_argument("--mode", choices=["RESOLUTION_720", "RESOLUTION_1080", "std", "pro"],
                     help="Leonardo's resolution mode, or motion control's std or pro")
    gen.add_argument("--audio", nargs="?", const=True, default=None, metavar="FILE|URL",
                     help="with sound, where the model takes a sound switch; --audio FILE|URL: "
                          "the sound clip an avatar speaks (MP3, WAV, M4A or AAC, at most "
                          "5 MB: a local file, checked before anything is sent, or an https "
                          "URL)")
    gen.add_argument("--no-audio", dest="audio", action="store_false",
                     help="without sound, where the model takes a sound switch")
    gen.add_argument("--seed", type=int)
    gen.add_argument("--unchecked", action="store_true",
                     help="send --spec, a provider's body for a model the catalogue does not "
                          "know yet, as given: nothing is checked but its JSON shape "
                          "(--prompt, --seed, --duration and --size change its values)")
    gen.add_argument("--provider", choices=["leonardo", "aimlapi"],
                     help="with --unchecked: where the body goes, when it cannot tell")
    gen.add_argument("--endpoint", metavar="PATH",
                     help="with --unchecked: the path it is posted to on the provider's host "
                          "(default: chosen from the body)")
    _waiting(gen)
    gen.add_argument("--no-image-limits", action="store_true",
                     help="send images outside Kling's documented input limits (at least 300 px"
                          " a side, aspect 1:2.5 to 2.5:1, at most 10 MB) on purpose")
    journal_cli.add_parsers(commands, _waiting)
    measured.add_parser(commands)
    add_ranking_parser(commands)
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


def _waiting(command: argparse.ArgumentParser) -> None:
    """The options of every command that waits for jobs and downloads their videos."""
    command.add_argument("--out", type=Path, default=Path("kling_videos"),
                         help="download folder")
    command.add_argument("--timeout", type=float,
                         help="seconds to wait before giving up waiting (the job goes on)")
    command.add_argument("--no-download", action="store_true")
    command.add_argument("--sandbox", action="store_true", help="use the offline sandbox")
    command.add_argument("--strict", action="store_true",
                         help="refuse a request that breaks an inferred rule (one our reading "
                              "of the vendor's pages gives) instead of warning; "
                              "KLING_NB_INFERRED_RULES=strict does the same")
    command.add_argument("-v", "--verbose", action="store_true",
                         help="say on stderr when a request is retried (retrying in 2 s: ...)")


FLAGS = {"model": "model", "prompt": "prompt", "start_frame": "start_frame",
         "end_frame": "end_frame", "duration": "duration", "size": "size", "mode": "mode",
         "audio": "audio", "seed": "seed", "negative_prompt": "negative_prompt",
         "aspect_ratio": "aspect_ratio", "image_references": "reference",
         "video_reference": "video", "images": "image", "effect_scene": "effect",
         "multi_prompt": "shot", "video_url": "motion_video",
         "character_orientation": "character_orientation", "keep_audio": "keep_audio"}
"""The spec field each ``generate`` flag sets (field: the flag's argparse name)."""
UNCHECKED_FLAGS = ("prompt", "seed", "duration", "size")
"""The flags that may change an unchecked body (the others belong in the body)."""
IMAGE_FLAGS = ("start_frame", "end_frame", "image_references", "video_reference", "images")


def _flag(field: str) -> str:
    return "--" + FLAGS[field].replace("_", "-")


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    data: dict[str, Any] = load_spec(args.spec) if args.spec else {}
    flags = {field: getattr(args, dest) for field, dest in FLAGS.items()}
    if args.shot:
        flags["multi_prompt"] = shots(args.shot)
    if isinstance(args.audio, str):  # --audio FILE|URL: a clip, not the sound switch
        flags["audio"], flags["audio_url"] = None, args.audio
    data.update({k: v for k, v in flags.items() if v is not None})
    return data


def _checked(fields: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    check_shape_flags(fields, aspect_flag=bool(args.aspect_ratio), size_flag=bool(args.size))
    check_input_flags(fields)
    return fields


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)



def _client(args: argparse.Namespace) -> Client:
    return Client(sandbox=True if args.sandbox else None, download_dir=args.out,
                  image_limits=not getattr(args, "no_image_limits", False))


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
    try:
        with warning_lines(strict=getattr(args, "strict", False)):
            status = _command(args, out)
        out.flush()  # a closed pipe shows here, not as Python's error at exit
        return status
    except BrokenPipeError:  # the reader went away (`kling-nb models | head`): stop quietly
        return _reader_gone(out)


def _reader_gone(out: TextIO) -> int:
    """Send what is left for a closed pipe nowhere, so exiting flushes without an error; a
    job already sent stays in the journal (``kling-nb resume`` picks it up)."""
    if out is sys.stdout:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_PIPE


def _command(args: argparse.Namespace, out: TextIO) -> int:
    try:
        if args.command == "models":
            return models_command(args, out)
        if args.command == "jobs":
            return listing.jobs_command(args, out)
        if args.command == "show":
            return listing.show_command(args, out)
        if args.command == "metrics":
            return measured.metrics_command(args, out, journal_cli._journal())
        if args.command == "ranking":
            return ranking_command(args, out)
    except (UsageError, KeyError) as exc:
        return fail(_text(exc), EXIT_USAGE, next_command(exc, None, getattr(exc, "model", None)))
    return _run(args, out)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    """A command that sends requests, with every failure turned into a message, an exit
    status and the next command."""
    printer = Printer(out, lambda job: mode_label(client_box[0], job, args.sandbox),
                      events=args.command != "resume")  # resume prints its own report
    client_box: list[Client] = []
    retries = report_retries(_to_stderr if args.verbose else None)
    try:
        with retries, warnings.catch_warnings(), printer:  # live lines end before any error
            warnings.simplefilter("ignore", RecoveredJobWarning)  # the printer says it
            if args.command in ("generate", "download", "resubmit"):
                return _with_client(args, out, printer, client_box)
            client = _client(args)
            client_box.append(client)
            client.observer = ObserverChain(client.observer, printer)
            with client:
                return pickup.resume_command(client, args, out, printer)
    except (UsageError, KeyError, KlingError, DownloadFailedError) as exc:
        model = suggested_model(getattr(args, "model", None) or _spec_model(args))
        here = bool(client_box) and _in_process(client_box[0], exc)
        return fail(_text(exc), status_of(exc),
                    next_command(exc, _handle(exc, printer), model, in_process=here))
    except OSError as exc:
        where = getattr(exc, "filename", "") or ""
        return fail(f"{exc.strerror or exc} ({where})", 1,
                    next_command(exc, printer.handle))


def _with_client(args: argparse.Namespace, out: TextIO, printer: Printer,
                 client_box: list[Client]) -> int:
    spec = _spec(args, out) if args.command == "generate" else None
    client = _client(args)
    client_box.append(client)
    client.observer = ObserverChain(client.observer, printer)
    with client:
        if spec is not None:
            return finish(client, client.submit(spec), args, out, printer)
        if args.command == "download":
            return pickup.download_command(client, args, out, printer)
        return pickup.resubmit_command(client, args, out, printer)


def _spec(args: argparse.Namespace, out: TextIO) -> Spec:
    """The request ``generate`` sends: checked, or (``--unchecked``) the body as given."""
    if not args.unchecked:
        if args.provider or args.endpoint:
            raise UsageError("--provider and --endpoint go with --unchecked (a checked model "
                             "knows where it goes)")
        return parse_spec(_checked(_fields(args), args))
    if args.spec is None:
        raise UsageError("--unchecked sends a provider's body as given: put it in a JSON file "
                         "and name it with --spec FILE")
    given = [field for field, dest in FLAGS.items()
             if field not in UNCHECKED_FLAGS and getattr(args, dest) is not None]
    images = [_flag(field) for field in given if field in IMAGE_FLAGS]
    others = [_flag(field) for field in given if field not in IMAGE_FLAGS]
    if images or others:
        why = (" (local images are not guessed at: upload one with client.image_for_body() "
               "in Python and put what it gives in the body)" if images else "")
        raise UsageError(f"{', '.join(images + others)}: --unchecked sends the body as given; "
                         f"write it in the body instead{why}")
    spec = parse_spec(load_json(args.spec), unchecked=True, provider=args.provider,
                      endpoint=args.endpoint)
    changes = {"prompt": args.prompt, "seed": args.seed, "duration": args.duration}
    if args.size:
        changes["width"], changes["height"] = parse_size(args.size)
    changes = {k: v for k, v in changes.items() if v is not None}
    spec = spec.replace(**changes) if changes else spec
    print(f"UNCHECKED: {spec.key}, POST {spec.endpoint}: the body is sent as given (nothing "
          "is checked but its JSON shape; the provider judges the rest)", file=out, flush=True)
    return spec


def _in_process(client: Client, error: BaseException) -> bool:
    """Whether the error is about a job of this process's own (in-process) sandbox."""
    label = str(getattr(error, "provider", "") or "")
    return any(client.is_sandbox(p) and label.startswith(name)
               for p, name in PROVIDER_NAMES.items())


def _handle(error: BaseException, printer: Printer) -> str | None:
    return getattr(error, "handle", None) or printer.handle


def _spec_model(args: argparse.Namespace) -> str | None:
    spec = getattr(args, "spec", None)
    if spec is None:
        return None
    try:
        return str(json.loads(Path(spec).read_text(encoding="utf-8")).get("model") or "") or None
    except (OSError, ValueError, AttributeError):
        return None


def _text(error: BaseException) -> str:
    """A KeyError's message without the quotes ``str(KeyError)`` adds."""
    return str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
