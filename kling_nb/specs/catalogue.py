"""The model catalogue (``MODELS``) and ``parse_spec``, which routes any request to its row.

``ROWS`` is every row's key in order, found from the modules of ``kling_nb/specs/rows`` (each
named after its key: ``leonardo/kling-3.0`` is ``rows/leonardo_kling_3_0.py``); a row is
imported the first time it is needed, so touching ``kn.MODELS`` or one spec class stays cheap.
``MODELS`` answers what a user chooses a model by (inputs, lengths, sizes, sound, storyboards,
end frames, references, price, status) and can be filtered: ``MODELS.filter(image=True,
sound=True, active=True)``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Union

from kling_nb.core.errors import Problem, SpecError
from kling_nb.core.html import esc

from .base import Size, Spec, size_label
from .problems import closest
from .providers import PROVIDER_NAMES, PROVIDER_URLS
from .rowfiles import module_of, row_files

if TYPE_CHECKING:
    SPECS: tuple[type[Spec], ...]
    AnySpec: Any

ROWS: tuple[str, ...] = tuple(row.key for row in row_files())
"""Every model row, in the order the catalogue shows them: found from the files of
``kling_nb/specs/rows`` (``kling_nb.specs.rowfiles`` says how)."""

_END_FRAMES = ("end_frame", "tail_image_url", "last_image_url")
_VIDEOS = ("video_reference", "video_url")


def load_row(key: str) -> type[Spec]:
    """The spec class of a row (importing its module)."""
    module = importlib.import_module(module_of(key))
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Spec) and value.__dict__.get(
                "key") == key:
            return value
    msg = f"{module_of(key)} defines no spec with key {key!r}"
    raise LookupError(msg)


@dataclass(frozen=True)
class ModelInfo:
    """One row of the catalogue: the model, its provider and endpoint, and what it takes."""

    key: str
    name: str
    provider: str
    provider_name: str
    endpoint: str
    wire_model: str
    status: str
    retired_on: date | None
    successors: tuple[str, ...]
    seed_page: str
    spec: type[Spec] = field(repr=False)
    text: bool = False
    """Makes a video from a prompt alone (text-to-video)."""
    image: bool = False
    """Takes a start frame (image-to-video)."""
    video: bool = False
    """Takes a video (to edit, as a reference, or whose motion to copy)."""
    audio: bool = False
    """Takes a sound clip (an avatar speaks it)."""
    end_frame: bool = False
    references: bool = False
    """Takes reference images (or elements) besides a start frame."""
    multi_shot: bool = False
    """Takes a multi-shot storyboard."""
    sound: str = "none"
    """``none``, ``optional``, ``on by default``, ``always``, ``likely`` or ``with some
    effects`` (``Spec.sound``; ``Spec.sound_note`` says why, where no field switches it)."""

    @classmethod
    def of(cls, spec: type[Spec]) -> ModelInfo:
        """The catalogue row for a spec class."""
        names = spec.model_fields
        several = names.get("image_list") is not None and names["image_list"].is_required()
        needs_image = (names.get("image_url") is not None and names["image_url"].is_required()) \
            or several or any(rule.name == "start_frame-required" for rule in spec.checks)
        needs_video = names.get("video_url") is not None and names["video_url"].is_required()
        return cls(
            key=spec.key, name=spec.display_name, provider=spec.provider,
            provider_name=PROVIDER_NAMES[spec.provider],
            endpoint=PROVIDER_URLS[spec.provider] + spec.path, wire_model=spec.wire_model,
            status=spec.status, retired_on=spec.retired_on, successors=spec.successors,
            seed_page=spec.seed_page, spec=spec, text=not (needs_image or needs_video),
            image="start_frame" in names or "image_url" in names or several,
            video=any(n in names for n in _VIDEOS), audio="audio_url" in names,
            end_frame=any(n in names for n in _END_FRAMES),
            references=any(n in names for n in ("image_references", "image_list", "elements")),
            multi_shot="multi_prompt" in names, sound=spec.sound,
        )

    @property
    def retired(self) -> bool:
        """Whether the provider has retired this model (its live requests fail)."""
        return self.status == "retired"

    @property
    def active(self) -> bool:
        """Whether the model can be used live."""
        return not self.retired

    @property
    def durations(self) -> tuple[int, ...]:
        """The video lengths (seconds) the model accepts."""
        return self.spec.durations

    @property
    def sizes(self) -> Mapping[str, tuple[Size, ...]]:
        """The accepted width x height pairs per resolution mode."""
        return self.spec.sizes

    @property
    def aspect_ratios(self) -> tuple[str, ...]:
        """The aspect ratios a text-to-video request may ask for (AI/ML rows)."""
        return getattr(self.spec, "aspect_ratios", ())

    @property
    def inputs(self) -> tuple[str, ...]:
        """What the model makes videos from: ``text``, ``image``, ``video``, ``audio``."""
        return tuple(n for n in ("text", "image", "video", "audio") if getattr(self, n))

    @property
    def price(self) -> str:
        """The price rule: documented (unofficial) USD per job or per second by tier, or what
        is published; a figure that names no tier or sound setting is said to hold for all."""
        from .prices import rule_text

        rule = rule_text(self.spec)
        if rule is not None:
            return rule + self._one_figure(tiers=not self.spec.usd_per_second)
        if self.spec.credits_per_job:
            return (self.spec.price_note or "Leonardo API credits per job") + self._one_figure()
        return self.spec.price_note or "not published"

    def _one_figure(self, *, tiers: bool = True) -> str:
        tiers = tiers and len(self.sizes) > 1
        sound = self.sound == "optional"
        if not (tiers or sound):
            return ""
        which = " and ".join(w for w, on in (("every tier", tiers),
                                             ("with or without sound", sound)) if on)
        return f"; one figure for {which} (none is published apart)"

    def published(self, duration: int | None,
                  tier: int | None = None) -> tuple[float, str] | None:
        """The published price of one job of ``duration`` seconds (at ``tier``, the short
        side, where the price goes by tier): ``(amount, "USD")`` or ``(amount, "CREDITS")``;
        None where none is published (the provider reports it after the job). A length with
        no figure of its own takes the next longer one listed."""
        from .prices import published

        return published(self.spec, duration, tier)

    @property
    def cheapest(self) -> str:
        """The cheapest published job as a person reads it: ``$0.35 for 5 s``, ``604 credits
        for 5 s``, or ``not published``."""
        tier = min(self.spec.usd_per_second) if self.spec.usd_per_second else None
        lengths = sorted(self.spec.usd_per_job or self.spec.credits_per_job) or list(
            self.durations[:1])
        found = self.published(lengths[0], tier) if lengths else None
        if found is None:
            return "not published"
        amount, unit = found
        money = f"${amount:.2f}" if unit == "USD" else f"{amount:.0f} credits"
        return f"{money} for {lengths[0]} s" + (f" at {tier}p" if tier else "")

    @property
    def notice(self) -> str | None:
        """The retirement notice with the successors, for retired rows."""
        if not self.retired:
            return None
        names = ", ".join(f"{MODELS[k].name} via {MODELS[k].provider_name} ({k})"
                          for k in self.successors)
        return (f"{self.name} on {self.provider_name} was retired on {self.retired_on}: live "
                f"requests fail. Use instead: {names}.")

    def facts(self) -> dict[str, str]:
        """What a user chooses a model by, as short text (the catalogue's columns)."""
        shape = ", ".join(size_label(size) for sizes in self.sizes.values() for size in sizes) \
            or ", ".join(self.aspect_ratios) or "follows the input"
        return {
            "key": self.key, "model": self.name, "provider": self.provider_name,
            "status": self.status + (f" ({self.retired_on})" if self.retired else ""),
            "inputs": " + ".join(self.inputs),
            "durations": _durations(self.durations, getattr(self.spec, "length_follows", "")),
            "sizes / aspect": shape,
            "sound": self.sound, "multi-shot": _yes(self.multi_shot),
            "end frame": _yes(self.end_frame), "references": _yes(self.references),
            "price": self.price,
        }


def _yes(flag: bool) -> str:
    return "yes" if flag else "-"


def _durations(durations: tuple[int, ...], follows: str = "") -> str:
    if not durations:
        return f"as {follows or 'the source'}"
    if len(durations) > 2:
        return f"{durations[0]}-{durations[-1]} s"
    return " or ".join(map(str, durations)) + " s"


_FILTERS = ("text", "image", "video", "audio", "end_frame", "references", "multi_shot",
            "active")


class Catalogue(Mapping[str, ModelInfo]):
    """Every model row, by key; also found by the provider's own ``model`` value."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        self._keys = keys
        self._rows: dict[str, ModelInfo] = {}

    def __getitem__(self, key: str) -> ModelInfo:
        if key not in self._keys:
            raise KeyError(key)
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = ModelInfo.of(load_row(key))
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def filter(self, *, provider: str | None = None, sound: bool | None = None,
               **wanted: bool) -> Catalogue:
        """The rows with the wanted facts: ``MODELS.filter(image=True, sound=True,
        active=True)``; ``provider="aimlapi"``; any of ``text``, ``image``, ``video``, ``audio``,
        ``end_frame``, ``references``, ``multi_shot``, ``active``."""
        unknown = sorted(set(wanted) - set(_FILTERS))
        if unknown:
            msg = (f"filter: {', '.join(unknown)} is not a model fact; use provider, sound, "
                   f"{', '.join(_FILTERS)}")
            raise TypeError(msg)
        keys = tuple(k for k, row in self.items()
                     if (provider is None or row.provider == provider)
                     and (sound is None or (row.sound != "none") == sound)
                     and all(getattr(row, name) == value for name, value in wanted.items()))
        return Catalogue(keys)

    def find(self, model: str) -> ModelInfo | None:
        """The row for our key, any wire ``model`` value (``KLING2_5``, ``kling-3.0``...), or
        a key without its provider when only one provider has it (``kling-2.6-pro``)."""
        if model in self._keys:
            return self[model]
        for row in self.values():
            if model in row.spec.model_names():
                return row
        short = self.providers_of(model)
        return short[0] if len(short) == 1 else None

    def providers_of(self, name: str) -> list[ModelInfo]:
        """The rows whose key is ``<provider>/name``."""
        return [self[key] for key in self._keys if key.split("/", 1)[1] == name]

    def __repr__(self) -> str:
        columns = ("key", "model", "provider", "status", "inputs", "durations", "sound")
        table = [[row.facts()[c] for c in columns] for row in self.values()]
        widths = [max(len(c), *(len(r[i]) for r in table)) if table else len(c)
                  for i, c in enumerate(columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                  for r in table]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = [row.facts() for row in self.values()]
        head = "".join(f"<th>{esc(h)}</th>" for h in (rows[0] if rows else {}))
        body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in r.values()) + "</tr>"
                       for r in rows)
        return (f"<table class='kling-nb-models'><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")


MODELS = Catalogue(ROWS)


def __getattr__(name: str) -> Any:
    """``SPECS`` and ``AnySpec``, built on first use (they load every row)."""
    if name == "SPECS":
        return tuple(row.spec for row in MODELS.values())
    if name == "AnySpec":
        specs = tuple(row.spec for row in MODELS.values())
        from pydantic import Field

        return Annotated[Union[specs], Field(discriminator="model")]  # noqa: UP007
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def parse_spec(data: Spec | Mapping[str, Any] | str, *, unchecked: bool = False,
               provider: str | None = None, endpoint: str | None = None) -> Spec:
    """The validated spec for friendly fields or a provider's own body (a dict or JSON text).

    Raises ``SpecError`` naming every bad field, what was given and what is allowed.

    ``unchecked=True`` sends a provider's body for a model the catalogue does not know yet,
    on purpose, as given (an ``UncheckedSpec``: see ``kling_nb.specs.unchecked``; ``provider``
    and ``endpoint`` say where it goes when the body cannot).
    """
    if isinstance(data, Spec):
        return data
    if isinstance(data, str):
        data = _load_json(data)
    if not isinstance(data, Mapping):
        raise SpecError("request", [Problem((), f"expected a dict of fields, got {type(data)}")])
    if unchecked or str(data.get("model")).endswith(" (unchecked)"):
        from .unchecked import unchecked_spec  # a body as given: rare, so loaded when asked

        return unchecked_spec(data, provider=provider, endpoint=endpoint)
    row = _row_for(data.get("model"))
    body = row.spec.from_wire(data) if row.spec.is_wire(data) else dict(data)
    return row.spec(**body)


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem((), f"not valid JSON ({exc.msg} at line {exc.lineno}).")
        raise SpecError("request", [problem]) from None


def _row_for(model: Any) -> ModelInfo:
    row = MODELS.find(model) if isinstance(model, str) else None
    if row is not None:
        return row
    names = [name for row in MODELS.values() for name in row.spec.model_names()]
    close = [n for n in names if model and str(model).lower() in n.lower()][:1]
    guess = closest(str(model), names) if model else None
    close = close or ([guess] if guess else [])
    message = "is required." if model is None else f"{model!r} is not a known model."
    several = MODELS.providers_of(model) if isinstance(model, str) else []
    if len(several) > 1:
        keys = " or ".join(repr(option.key) for option in several)
        message = f"{model!r} is offered by more than one provider: say which, {keys}."
        close = []
    if close:
        message += f" Did you mean {close[0]!r}?"
    if isinstance(model, str) and model and not several:
        owner, slash, own = model.partition("/")
        how = (f"with the id {own!r} in the body and provider={owner!r}"
               if slash and owner in PROVIDER_NAMES else "with the provider's own model id")
        message += (" A model the catalogue does not know yet can be sent as its provider's "
                    f"body, unchecked, {how}: kn.parse_spec(body, unchecked=True) (kling-nb "
                    "generate --spec FILE --unchecked).")
    raise SpecError("request", [Problem(("model",), message, model, ", ".join(MODELS))])
