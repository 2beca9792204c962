"""A model id no entry names, taken as a generic video model: ``accept_unknown_models``.

Like the live APIs, the sandbox refuses a model it does not know (Leonardo: ``invalid model``,
AI/ML: ``model must be one of ...``: a 400 the client shows unchanged). With the switch on
(``Sandbox(accept_unknown_models=True)``, ``kling-nb sandbox --accept-unknown-models``) such an
id is served as a generic video model instead, so a request sent unchecked for a made-up future
model can be followed end to end: any size, 1 to 60 s, the usual parameters and guidances and
whatever else the body holds, sound when its flag asks, and a price made up per second. The
entries made are kept by model id, so the job's price and pace are found like any other's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from ._entry import (
    SIZES_720,
    SIZES_1080,
    V2_PARAMETERS,
    VIDEO_BASE,
    Aiml,
    AimlVariant,
    Choice,
    Entry,
    Guide,
    LeonardoV1,
    LeonardoV2,
    PerSecond,
    Sizes,
    Sound,
)
from ._wire_aiml_fields import ASPECTS

WHY = "a model the sandbox does not know, taken because accept_unknown_models is on"
SOURCE = "none: " + WHY
DURATIONS = tuple(range(1, 61))
PRICE = PerSecond(rate=0.1, made_up=WHY + ": 0.10 USD per second, a round figure")
SIZES = Sizes({"RESOLUTION_720": SIZES_720, "RESOLUTION_1080": SIZES_1080}, by_size=True,
              inferred=WHY)
GUIDES = {"start_frame": Guide(1), "end_frame": Guide(1), "image_reference": Guide(10),
          "video_reference_base": VIDEO_BASE}
_MADE: dict[str, Entry] = {}
E = TypeVar("E", bound=Entry)


def made(model: str) -> Entry | None:
    """The generic entry a model id was served by, if any."""
    return _MADE.get(model)


def _kept(entry: E, model: str) -> E:
    _MADE[model] = entry
    return entry


def leonardo_v1(model: str) -> LeonardoV1:
    """A Leonardo v1 model (image- or text-to-video) of any id."""
    return _kept(LeonardoV1(
        row=f"leonardo/{model}", source=SOURCE, model=model, durations=DURATIONS,
        prompt_max=None, text_to_video=True, price=PRICE, samples=({"model": model},),
        sizes=Sizes({"RESOLUTION_1080": SIZES_1080, "RESOLUTION_720": SIZES_720},
                    inferred=WHY)), model)


def leonardo_v2(model: str, parameters: Iterable[str], guidances: Iterable[str]) -> LeonardoV2:
    """A Leonardo v2 model of any id: its ``parameters`` and guidances whatever they are."""
    guides = {**GUIDES, **{name: Guide(10) for name in guidances if name not in GUIDES}}
    return _kept(LeonardoV2(
        row=f"leonardo/{model}", source=SOURCE, model=model,
        parameters=V2_PARAMETERS | {"motion_has_audio"} | frozenset(parameters) - {"guidances"},
        guidances=guides, durations=DURATIONS, prompt_max=None, sizes=SIZES,
        size_follows=("start_frame", "video_reference_base"),
        sound=Sound(flag="motion_has_audio"), price=PRICE, samples=({"model": model},)),
        model)


def aiml(model: str, keys: Iterable[str]) -> tuple[Aiml, AimlVariant]:
    """An AI/ML model of any id, taking any key (its video follows an ``image_url``)."""
    follows = "image_url" if "image_url" in keys else None
    variant = AimlVariant(model=model, required=frozenset(), optional=frozenset(),
                          size_follows=follows, unlisted=WHY)
    entry = Aiml(row=f"aimlapi/{model}", source=SOURCE, variants=(variant,),
                 durations=DURATIONS, fields={"aspect_ratio": Choice((*ASPECTS, "21:9"))},
                 sound=Sound(flag="generate_audio"), price=PRICE, samples=({"model": model},))
    _kept(entry, model)
    return entry, variant
