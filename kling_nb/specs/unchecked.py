"""A model the catalogue does not know yet, sent on purpose: the provider's body as given.

``kn.parse_spec(body, unchecked=True)`` holds a provider's own JSON body for a model id no row
describes (a Kling model released yesterday) as an ``UncheckedSpec``. Nothing is checked but
what the request needs to be sent at all: the body is a JSON object whose ``model`` is a
string, the provider is known, and (Leonardo v2) ``parameters`` is an object. Everything else
is the provider's to judge. The journal, one create per request, lost-answer reconciliation,
polling, downloads, history, costs, sweeps over the body's ``prompt`` and ``seed``, the compare
board, sidecars and remix all work as for a row; it is labelled unchecked wherever it is shown
(its key ends in `` (unchecked)``).

Where the request goes:

- the provider is ``provider=`` when given, else read from the body: Leonardo's v2 envelope
  (``parameters``) or v1 camelCase keys (``imageId``, ``isPublic``...) mean Leonardo.AI, a
  ``model`` id with a ``/`` (``kling-video/v4/...``) the AI/ML API; anything else must say;
- the endpoint is ``endpoint=`` (a path on the provider's own host) when given, else Leonardo's
  v2 ``/api/rest/v2/generations`` for the envelope, v1 ``generations-image-to-video`` for a
  camelCase body with an ``imageId`` and ``generations-text-to-video`` without one, and the AI/ML
  universal ``/v2/video/generations``. Leonardo jobs are polled with v1 ``GET
  /generations/{id}`` (as every Leonardo job), AI/ML jobs with the create path
  ``?generation_id=``.

Local images are not guessed at: ``client.image_for_body(image, provider=...)`` uploads one
(Leonardo: an ``ImageRef``, whose ``id`` and ``type`` the body names) or encodes it (AI/ML: a
data URI, or the https URL as given). An ``ImageRef`` may stand in the body as it is: it is
sent as ``{"id", "type"}``.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import model_validator
from typing_extensions import Self

from kling_nb.core.errors import Problem, SpecError
from kling_nb.core.warn import warn

from .base import Spec
from .providers import PROVIDER_NAMES, PROVIDERS, Provider
from .refs import ImageRef, VideoRef

SUFFIX = " (unchecked)"
"""What an unchecked model's key ends with: ``leonardo/kling-5.0 (unchecked)``."""
LEONARDO_V2 = "/api/rest/v2/generations"
LEONARDO_V1_IMAGE = "/api/rest/v1/generations-image-to-video"
LEONARDO_V1_TEXT = "/api/rest/v1/generations-text-to-video"
LEONARDO_POLL = "/api/rest/v1/generations/{id}"
AIML_UNIVERSAL = "/v2/video/generations"
FACTS = ("prompt", "duration", "seed", "width", "height", "external_task_id")
"""Body values every view, the journal and the poll schedule read (where the body has them)."""
_V1_KEYS = frozenset({"isPublic", "imageId", "imageType", "endFrameImage", "resolution"})
_PATH = re.compile(r"^/[A-Za-z0-9._~/-]*$")
_HOW = ("kn.parse_spec(body, unchecked=True, provider='leonardo' or 'aimlapi'), or "
        "kling-nb generate --spec FILE --unchecked --provider leonardo")


class CheckedSpecWarning(UserWarning):
    """A model sent unchecked has a row in the catalogue, whose spec would check it first."""


def is_unchecked(key: str | None) -> bool:
    """Whether a model key names an unchecked model (``leonardo/kling-5.0 (unchecked)``)."""
    return bool(key) and str(key).endswith(SUFFIX)


def provider_of(key: str) -> str | None:
    """The provider of an unchecked key, None for any other."""
    provider = key.split("/", 1)[0]
    return provider if is_unchecked(key) and provider in PROVIDERS else None


class UncheckedSpec(Spec):
    """A provider's body for a model the catalogue does not check: sent as given.

    Made by ``kn.parse_spec(body, unchecked=True)``; one subclass per provider, model id and
    endpoint holds where it goes (``key``, ``provider``, ``path``, ``poll_path``).
    """

    body: dict[str, Any]
    """The provider's JSON body, exactly as it is sent."""

    api: ClassVar[str] = "unchecked"
    durations: ClassVar[tuple[int, ...]] = ()
    sound: ClassVar[str] = "unknown"
    price_note: ClassVar[str] = "not known: an unchecked model"
    summary: ClassVar[str] = "A model the catalogue does not know: its body is sent as given."
    example: ClassVar[Mapping[str, Any]] = {}

    @classmethod
    def normalize_input(cls, data: dict[str, Any]) -> dict[str, Any]:
        return data

    @model_validator(mode="before")
    @classmethod
    def _json_body(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "body" in data:
            body = _object(data["body"])
            _check_shape(body, cls.wire_model, cls.path)
            return {**data, "body": body}
        return data

    # -- what the body says --------------------------------------------------------------
    @property
    def parameters(self) -> dict[str, Any]:
        """Where the body's values live: Leonardo v2's ``parameters``, else the body itself."""
        return _level(self.body)

    def fact(self, name: str) -> Any:
        """A value of the body (``prompt``, ``duration``, ``seed``...), None when absent."""
        return self.parameters.get(name)

    @property
    def prompt(self) -> str | None:
        """The body's prompt, if it has one."""
        value = self.fact("prompt")
        return value if isinstance(value, str) else None

    @property
    def duration(self) -> int | None:
        """The body's duration in whole seconds (polls are scheduled from it), if it has one."""
        value = self.fact("duration")
        if isinstance(value, str) and value.isdigit():
            return int(value)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def seed(self) -> int | None:
        """The body's seed, if it has one."""
        value = self.fact("seed")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def width(self) -> int | None:
        """The body's width, if it has one."""
        value = self.fact("width")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def height(self) -> int | None:
        """The body's height, if it has one."""
        value = self.fact("height")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    # -- wire, copies, records -----------------------------------------------------------------
    def to_wire(self) -> dict[str, Any]:
        return copy.deepcopy(self.body)

    def replace(self, **changes: Any) -> Self:
        """A copy with the body changed: ``body=`` a new body, any other name a value of the
        body (at Leonardo v2's ``parameters`` level), None removing it."""
        body = copy.deepcopy(changes.pop("body", self.body))
        level = _level(body)
        for name, value in changes.items():
            if value is None:
                level.pop(name, None)
            else:
                level[name] = value
        return type(self)(body=body)

    def to_dict(self) -> dict[str, Any]:
        """The key, provider, endpoint and body, and the body's facts beside it (for the
        journal and sidecars); ``parse_spec`` takes it back (facts beside the body win)."""
        facts = {name: self.fact(name) for name in FACTS if self.fact(name) is not None}
        return {"model": self.key, "provider": self.provider, "endpoint": self.path,
                "body": json.loads(json.dumps(self.body)), **facts}

    def __hash__(self) -> int:
        return hash((self.key, json.dumps(self.body, sort_keys=True)))

    def __str__(self) -> str:
        prompt = f": {self.prompt!r}" if self.prompt else ""
        return f"{self.display_name} ({PROVIDER_NAMES[self.provider]}, unchecked){prompt}"

    def _text_view(self) -> str:
        from .views import curl_text

        body = json.dumps(self.body, indent=2, ensure_ascii=False)
        return (f"UNCHECKED: {self.wire_model} on {PROVIDER_NAMES[self.provider]} "
                f"[{self.key}]\n  {NOTE}\n  POST {self.path}\n{body}\n\n{curl_text(self)}")

    def _html_view(self) -> str:
        from kling_nb.core.html import esc

        from .views import curl_text

        body = json.dumps(self.body, indent=2, ensure_ascii=False)
        return (f"<div class='kling-nb-spec kling-nb-unchecked'><b>UNCHECKED</b> "
                f"<b>{esc(self.wire_model)}</b> on {esc(PROVIDER_NAMES[self.provider])} "
                f"<code>{esc(self.key)}</code><br><small>{esc(NOTE)}</small>"
                f"<pre>POST {esc(self.path)}\n{esc(body)}</pre><details><summary>curl"
                f"</summary><pre>{esc(curl_text(self))}</pre></details></div>")


NOTE = ("nothing was checked but the JSON's shape: the provider judges the rest, and a "
        "mistake may be refused (or billed) there")


@functools.cache
def unchecked_class(provider: str, model: str, path: str) -> type[UncheckedSpec]:
    """The spec class of one unchecked model at one endpoint (made once)."""
    poll = LEONARDO_POLL if provider == "leonardo" else path + "?generation_id={id}"
    namespace = {
        "__module__": __name__, "__doc__": f"{model} on {PROVIDER_NAMES[provider]}, unchecked.",
        "provider": provider, "key": f"{provider}/{model}{SUFFIX}",
        "display_name": f"{model}{SUFFIX}", "wire_model": model, "path": path,
        "poll_path": poll,
    }
    return type("UncheckedSpec", (UncheckedSpec,), namespace)


def unchecked_spec(data: Mapping[str, Any], *, provider: str | None = None,
                   endpoint: str | None = None) -> UncheckedSpec:
    """An unchecked spec from a provider's body, or from an unchecked spec's ``to_dict``."""
    if is_unchecked(str(data.get("model"))) and "body" in data:
        facts = {k: v for k, v in data.items() if k in FACTS}
        provider = provider or str(data.get("provider") or provider_of(str(data["model"])))
        spec = unchecked_spec(data["body"], provider=provider,
                              endpoint=endpoint or data.get("endpoint"))
        return spec.replace(**facts) if facts else spec
    body = _object(data)
    chosen = _provider(body, provider)
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise SpecError("unchecked request", [Problem(
            ("model",), "is required: the model id the provider knows, as a string.",
            model, "a model id such as 'kling-4.0' or 'kling-video/v4/reference-to-video'")])
    if model in _catalogue_keys():
        raise SpecError("unchecked request", [Problem(
            ("model",), f"{model!r} is a catalogue key: unchecked takes the provider's own "
            "body (its wire model id); friendly fields are checked: kn.parse_spec(fields).",
            model, "the provider's model id, e.g. 'kling-4.0'")])
    owner, slash, own = model.partition("/")
    if slash and owner in PROVIDERS:
        raise SpecError("unchecked request", [Problem(
            ("model",), f"{model!r} names the provider in front of the model: unchecked takes "
            f"the id the provider itself knows ({own!r}), with provider={owner!r}.", model,
            f"{{'model': {own!r}, ...}} with provider={owner!r}")])
    path = _endpoint(body, chosen, endpoint)
    _warn_if_known(chosen, model)
    return unchecked_class(chosen, model, path)(body=body)


def _provider(body: Mapping[str, Any], given: str | None) -> Provider:
    if given is not None:
        if given not in PROVIDERS:
            raise SpecError("unchecked request", [Problem(
                ("provider",), f"{given!r} is not a provider kling_nb knows.", given,
                " or ".join(PROVIDERS))])
        return given
    model = str(body.get("model") or "")
    if "parameters" in body or _V1_KEYS & set(body):
        return "leonardo"
    if "/" in model:
        return "aimlapi"
    raise SpecError("unchecked request", [Problem(
        ("provider",), "cannot tell from the body which provider it is for (no Leonardo "
        f"'parameters' or camelCase keys, no AI/ML model id with a '/'): say which: {_HOW}.",
        None, " or ".join(PROVIDERS))])


def _endpoint(body: Mapping[str, Any], provider: str, given: str | None) -> str:
    if given is not None:
        if not _PATH.match(given) or ".." in given:
            raise SpecError("unchecked request", [Problem(
                ("endpoint",), f"{given!r} is not a path on the provider's host.", given,
                "a path such as /api/rest/v2/generations or /v2/video/generations (the host "
                "is the client's: keys only go to the hosts their owner named)")])
        return given
    if provider == "aimlapi":
        return AIML_UNIVERSAL
    if "parameters" in body:
        return LEONARDO_V2
    return LEONARDO_V1_IMAGE if body.get("imageId") is not None else LEONARDO_V1_TEXT


def _check_shape(body: dict[str, Any], model: str, path: str) -> None:
    """What the request needs to be sent at all: the class's model, and v2's ``parameters``."""
    if body.get("model") != model:
        raise SpecError("body", [Problem(("model",), f"{body.get('model')!r} is not this "
                                         f"spec's model.", body.get("model"), model)])
    if path == LEONARDO_V2 and not isinstance(body.get("parameters"), dict):
        raise SpecError("body", [Problem(
            ("parameters",), "Leonardo's v2 envelope holds the request in 'parameters': it "
            "must be an object.", body.get("parameters"),
            '{"model", "public", "parameters": {...}}')])


def _catalogue_keys() -> tuple[str, ...]:
    """The catalogue's keys (imported when asked: the catalogue imports this module)."""
    from .catalogue import ROWS

    return ROWS


def _warn_if_known(provider: str, model: str) -> None:
    from .catalogue import MODELS

    row = MODELS.find(model)
    if row is not None and row.provider == provider:
        warn(f"{model} is the catalogue's {row.key} ({row.spec.__name__}): "
             f"kn.parse_spec(body) checks it before anything is sent. Sent unchecked, as "
             "asked.", CheckedSpecWarning)


def _level(body: dict[str, Any]) -> dict[str, Any]:
    params = body.get("parameters")
    return params if isinstance(params, dict) else body


def _object(value: Any) -> dict[str, Any]:
    """A body: a JSON object, as plain JSON."""
    if not isinstance(value, Mapping):
        raise SpecError("body", [Problem(("body",), f"must be a JSON object, not "
                                         f"{type(value).__name__}.")])
    found: dict[str, Any] = _plain(value, "body")
    return found


def _plain(value: Any, where: str) -> Any:
    """``value`` as plain JSON (an ``ImageRef`` as its ``{id, type}``); anything else that is
    not JSON is refused, naming where it is."""
    if isinstance(value, (ImageRef, VideoRef)):
        return value.to_wire()
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{where}[{n}]") for n, v in enumerate(value)]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise SpecError("body", [Problem(
        (where,), f"holds {type(value).__name__}, which is not JSON. Local images are not "
        "guessed at: client.image_for_body(image, provider=...) uploads one and gives what "
        "the body needs.", type(value).__name__, "JSON values (strings, numbers, lists, "
        "objects)")])
