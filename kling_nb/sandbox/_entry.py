"""A model row's sandbox entry: what the vendor documents for its wire model ids, as data.

Each row has one module in ``kling_nb/sandbox/rows/``, named as its spec module in
``kling_nb/specs/rows/`` and holding ``ENTRY``: a ``LeonardoV1``, ``LeonardoV2`` or ``Aiml``.
The sandbox finds every entry by itself (``_registry``); it never reads the specs layer, so a
wire mistake in a spec cannot hide here. What an entry says:

- ``row``: our row key (``leonardo/kling-3.0``); ``source``: the vendor pages it is written
  from; the wire model id(s) (``model``; an AI/ML entry's ``variants``, each with the keys it
  requires and takes);
- ``durations`` (whole seconds; empty: the length follows an input), ``sizes`` (per tier, by
  size, with "Auto", or any: ``Sizes``), ``prompt_max`` (None: no documented limit);
- ``sound``: none, optional with a default, always, or following an input (``Sound``);
- ``rules``: exclusions, requirements and limits (``kling_nb.sandbox._rules``), each
  ``documented=`` with its source (a body breaking it is refused) or ``inferred=`` with why
  (accepted: the sandbox is never stricter than the docs), each with ``breaks=``;
- ``price``: published (where) or made up (why) (``kling_nb.sandbox._prices``);
- ``samples``: valid bodies, the vendor's own where the docs show one. ``<ID>`` stands for an
  image id (of the ``type`` beside it), ``<VIDEO_ID>`` for a finished 5 s video's id
  (``<VIDEO_ID 12 s>``: 12 s long) and ``<VIDEO_URL>`` for its URL, ``<PNG WxH>`` for a data
  URI of a PNG of that size, ``<WAV 3 s>`` for a data URI of a 3 s WAV clip and
  ``<MP4 WxH 5 s>`` for a data URI of a 5 s MP4 video of that size. A rule's ``breaks``
  changes the first sample (the first with its ``model``, if it names one): dotted paths to
  values, None removes;
- ``pace``: seconds of work per second of video under realistic timing.

Anything a page leaves open stays open here (a size list that is only inferred is
``Sizes(inferred=...)``: any size is taken; an unknown prompt limit is None).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._prices import Credits, Linear, PerJob, PerSecond, Price
from ._rules import (
    AtMost,
    AudioLimits,
    CountWhen,
    Excludes,
    ImageLimits,
    MaxSeconds,
    Needs,
    NeedsOff,
    OneOf,
    Required,
    SourceLength,
    SourceVideo,
    WireRule,
)
from ._wire import IMAGE_TYPES
from ._wire_aiml_fields import (
    ASPECTS,
    CAMERA_PRESETS,
    Audio,
    Camera,
    CameraMove,
    Check,
    Choice,
    Elements,
    Flag,
    Image,
    Images,
    Masks,
    Number,
    Seconds,
    Shots,
    Text,
    Url,
    Video,
)

__all__ = [
    "ASPECTS",
    "CAMERA_PRESETS",
    "IMAGE",
    "IMAGE_TYPES",
    "SIZES_720",
    "SIZES_1080",
    "V2_PARAMETERS",
    "VIDEO",
    "VIDEO_BASE",
    "Aiml",
    "AimlVariant",
    "AtMost",
    "Audio",
    "AudioLimits",
    "Camera",
    "CameraMove",
    "Check",
    "Choice",
    "CountWhen",
    "Credits",
    "Elements",
    "Entry",
    "Excludes",
    "Flag",
    "Guide",
    "Image",
    "ImageLimits",
    "Images",
    "LeonardoV1",
    "LeonardoV2",
    "Linear",
    "Masks",
    "MaxSeconds",
    "Needs",
    "NeedsOff",
    "Number",
    "OneOf",
    "PerJob",
    "PerSecond",
    "Price",
    "Required",
    "Seconds",
    "Shots",
    "Sizes",
    "Sound",
    "SourceLength",
    "SourceVideo",
    "Text",
    "Url",
    "Video",
    "WireRule",
]

Size = tuple[int, int]
SIZES_720: tuple[Size, ...] = ((1280, 720), (720, 1280), (960, 960))
"""Leonardo's 720p sizes (16:9, 9:16, 1:1)."""
SIZES_1080: tuple[Size, ...] = ((1920, 1080), (1080, 1920), (1440, 1440))
"""Leonardo's 1080p sizes (16:9, 9:16, 1:1)."""
V2_PARAMETERS = frozenset({"prompt", "duration", "width", "height", "mode", "prompt_enhance",
                           "quantity", "seed"})
"""The ``parameters`` keys Kling O1, 3.0 and O3 share on Leonardo v2 (api-notes §3)."""
IMAGE = {"image": {"id": "<ID>", "type": "UPLOADED"}}
"""A Leonardo v2 image guidance item naming an uploaded image (for samples and breaks)."""
VIDEO = {"video": {"id": "<VIDEO_ID>", "type": "GENERATED"}}
"""A Leonardo v2 video guidance item naming a finished video (for samples and breaks)."""


@dataclass(frozen=True)
class Sizes:
    """The output sizes a model takes.

    ``tiers``: tier name (Leonardo's resolution ``mode``) -> its sizes; the tier's short side
    is the number in its name (``RESOLUTION_720`` -> 720). ``by_size``: the request names no
    tier (or its ``mode`` is deprecated): the size decides it. ``auto``: 0x0 ("Auto") is taken
    and the output follows the start frame. ``inferred``: why the list is only our reading:
    then any size is taken (its tier from the list, else from its short side).
    """

    tiers: Mapping[str, tuple[Size, ...]] = field(default_factory=dict)
    default: str = "RESOLUTION_1080"
    by_size: bool = False
    auto: bool = False
    inferred: str = ""

    def tier_of(self, size: Size) -> str | None:
        """The tier whose sizes include ``size``."""
        return next((name for name, sizes in self.tiers.items() if size in sizes), None)

    def allows(self, size: Size, tier: str) -> bool:
        """Whether ``size`` is taken in ``tier``."""
        return bool(self.inferred) or size in self.tiers.get(tier, ())


def short_side(tier: str, default: int = 1080) -> int:
    """The short side of a tier's videos: the number in its name."""
    found = re.search(r"\d+", tier)
    return int(found.group()) if found else default


@dataclass(frozen=True)
class Sound:
    """Whether the video has sound.

    ``flag``: the body key that switches it (``motion_has_audio``, ``generate_audio``),
    ``default`` when the flag is absent (with no flag: always ``default``); ``keeps``: a flag
    that keeps the source video's sound (``keep_audio``, default ``keeps_default``): with
    ``plays``, the video plays that sound (a motion-control reference's), else a tone;
    ``follows``: an input whose sound the video carries and plays (an avatar's
    ``audio_url``: decoded and muxed into the MP4); ``dropped_by``: an input that drops it
    (an O3 edit); ``always``: the video has sound whatever the flag says (the flag is read,
    and may be ignored, as Kling 4.0's may); ``stereo``: two channels; ``when``: the values of
    a key that bring sound, the others being silent (an effect's scene). ``made_up``: why the
    sandbox decides what the docs leave open.
    """

    flag: str | None = None
    default: bool = False
    keeps: str | None = None
    keeps_default: bool = False
    plays: bool = False
    follows: str | None = None
    dropped_by: str | None = None
    always: bool = False
    stereo: bool = False
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    made_up: str = ""

    def decide(self, values: Mapping[str, Any], given: Mapping[str, int],
               source_sound: bool) -> bool:
        """The video's sound for a request's ``values`` (flags), its given inputs and
        whether its source video has sound."""
        if self.dropped_by is not None and given.get(self.dropped_by):
            return False
        if self.always:
            return True
        if self.when:
            return any(values.get(key) in wanted for key, wanted in self.when.items())
        if self.follows is not None:
            return bool(given.get(self.follows))
        if self.keeps is not None:
            keep = values.get(self.keeps)
            return bool((self.keeps_default if keep is None else keep) and source_sound)
        if self.flag is not None and values.get(self.flag) is not None:
            return bool(values[self.flag])
        return self.default


@dataclass(frozen=True)
class Guide:
    """A Leonardo v2 guidance: at most ``most`` items of ``kind`` (image or video), of
    ``types``."""

    most: int = 1
    kind: str = "image"
    types: tuple[str, ...] = IMAGE_TYPES


VIDEO_BASE = Guide(1, "video", ("GENERATED",))
"""``video_reference_base``: one finished video to edit (GENERATED ids only)."""


DEFAULT_PACE = 42.0
"""Seconds of work per second of video, in the middle of the documented 36-48 s (api-notes §4)."""


@dataclass(frozen=True, kw_only=True)
class Entry:
    """What every entry says (see the module docstring)."""

    row: str
    source: str
    price: Price
    samples: tuple[Mapping[str, Any], ...]
    durations: tuple[int, ...] = (5, 10)
    prompt_max: int | None = 1500
    sound: Sound = Sound()
    rules: tuple[WireRule, ...] = ()
    pace: float = DEFAULT_PACE
    """Seconds of work per second of video under realistic timing: the model's own typical
    pace, a sandbox convention within the documented 36-48 s."""

    @property
    def models(self) -> tuple[str, ...]:
        """Every wire model id the entry answers."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class LeonardoV1(Entry):
    """A Leonardo v1 model: ``POST /generations-image-to-video`` (and, with
    ``text_to_video``, ``/generations-text-to-video``); ``sizes`` per ``resolution``."""

    model: str
    sizes: Sizes
    text_to_video: bool = False

    @property
    def models(self) -> tuple[str, ...]:
        return (self.model,)


@dataclass(frozen=True, kw_only=True)
class LeonardoV2(Entry):
    """A Leonardo v2 model (``POST /v2/generations``).

    ``parameters``: the keys ``parameters`` may hold besides ``guidances``; ``guidances``:
    each guidance it takes and how many items; ``size_follows``: the inputs whose size the
    video takes when width and height are left out, in order (none: they are required);
    ``length_follows``: the input whose length is the default duration (an edit).
    """

    model: str
    parameters: frozenset[str]
    sizes: Sizes
    guidances: Mapping[str, Guide] = field(default_factory=dict)
    size_follows: tuple[str, ...] = ("start_frame",)
    length_follows: str | None = None
    max_quantity: int = 4

    @property
    def models(self) -> tuple[str, ...]:
        return (self.model,)


@dataclass(frozen=True, kw_only=True)
class AimlVariant:
    """One AI/ML wire model id: the keys it requires and takes, where its size and length
    come from, and the checks of its fields that differ from the entry's.

    ``size_follows``: None (``aspect_ratio``, 16:9 by default), ``image_url`` or
    ``video_url``; ``length_follows``: the input whose length the video takes when it has no
    ``duration`` key (an edit's ``video_url``, an avatar's ``audio_url``: to the sample, when
    the sandbox holds the clip); ``motion_follows``: the video input whose frames the video's
    picture follows (a motion-control reference); ``unlisted``: why keys the schema does not
    list are taken (its schema is not readable; empty: they are refused, as the docs'
    validator does); ``spellings``: keys a page's own example writes for a schema key
    (``last_image_url`` for ``tail_image_url``), taken as that key (a documented conflict:
    never stricter than a page); ``sequence``: an input whose images the video passes through
    in turn (multi-image).
    """

    model: str
    required: frozenset[str]
    optional: frozenset[str]
    size_follows: str | None = None
    length_follows: str | None = None
    motion_follows: str | None = None
    fields: Mapping[str, Check] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    unlisted: str = ""
    spellings: Mapping[str, str] = field(default_factory=dict)
    sequence: str | None = None

    @property
    def keys(self) -> frozenset[str]:
        """Every key the body may hold."""
        return self.required | self.optional | {"model"}


@dataclass(frozen=True, kw_only=True)
class Aiml(Entry):
    """An AI/ML API model: its wire ids (``variants``), the short side of its videos
    (``tier``) and the checks of its fields that differ from the usual ones."""

    variants: tuple[AimlVariant, ...]
    tier: int = 1080
    fields: Mapping[str, Check] = field(default_factory=dict)
    prompt_max: int | None = None

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(name for v in self.variants for name in (v.model, *v.aliases))

    def variant(self, model: str) -> AimlVariant | None:
        """The variant a wire id (or one of its aliases) names."""
        return next((v for v in self.variants if model in (v.model, *v.aliases)), None)
