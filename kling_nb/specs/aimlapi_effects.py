"""Kling 1.6 effects on the AI/ML API: a preset scene played out with the people in 1-2 photos.

No prompt: ``effect_scene`` picks the scene. Its schemas list 80 scenes; the pages describe five:
``hug``, ``kiss`` and ``heart_gesture`` take exactly two photos (the first is on the left, the
second on the right), ``squish`` and ``expansion`` one (and come with music and sound). Those
counts are documented rules. The other 75 scenes are taken, as the schema lists them, but warn
(an inferred rule: what they make and from how many photos is not documented); more than two
photos is never taken (no documented scene shows more than two people).
"""

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from kling_nb.core.errors import Problem

from .aimlapi import PRICE_NOTE, AimlUniversal
from .inferred import Rule
from .rules import URL
from .types import AimlImage, Duration

EffectScene = Literal[
    "magic_fireball", "pet_moto_rider", "media_interview", "pet_lion", "pet_delivery",
    "pet_chef", "santa_gifts", "santa_hug", "girlfriend", "boyfriend", "heart_gesture_1",
    "pet_wizard", "smoke_smoke", "thumbs_up", "instant_kid", "dollar_rain", "cry_cry",
    "building_collapse", "gun_shot", "mushroom", "double_gun", "pet_warrior", "lightning_power",
    "jesus_hug", "shark_alert", "long_hair", "lie_flat", "polar_bear_hug", "brown_bear_hug",
    "jazz_jazz", "office_escape_plow", "fly_fly", "watermelon_bomb", "pet_dance", "boss_coming",
    "wool_curly", "iron_warrior", "pet_bee", "marry_me", "swing_swing", "day_to_night",
    "piggy_morph", "wig_out", "car_explosion", "ski_ski", "tiger_hug", "siblings",
    "construction_worker", "let's_ride", "snatched", "magic_broom", "felt_felt", "jumpdrop",
    "celebration", "splashsplash", "hula", "surfsurf", "fairy_wing", "angel_wing", "dark_wing",
    "skateskate", "plushcut", "jelly_press", "jelly_slice", "jelly_squish", "jelly_jiggle",
    "pixelpixel", "yearbook", "instant_film", "anime_figure", "rocketrocket", "bloombloom",
    "dizzydizzy", "fuzzyfuzzy", "squish", "expansion", "hug", "kiss", "heart_gesture", "fight"]
"""Every scene the effects schemas list (the pages describe the last five but ``fight``)."""
TWO_PEOPLE = ("hug", "kiss", "heart_gesture")
ONE_PERSON = ("squish", "expansion")
DESCRIBED = (*TWO_PEOPLE, *ONE_PERSON)
"""The scenes the pages describe, with how many photos each takes."""


def photos(value: Any) -> int:
    """How many photos ``image_url`` holds (one image, or a list)."""
    return len(value) if isinstance(value, list) else int(value is not None)


def _described_count(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    scene, count = v.get("effect_scene"), photos(v.get("image_url"))
    wanted = 2 if scene in TWO_PEOPLE else 1 if scene in ONE_PERSON else None
    if wanted is None or "image_url" not in v or count == wanted:
        return []
    return [Problem(("image_url",), f"{scene} takes {'two photos' if wanted == 2 else 'one photo'}"
                    f" ({count} given).", given=count,
                    allowed="two photos for hug, kiss and heart_gesture (the first on the "
                    "left); one for squish and expansion")]


def _undescribed(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    scene = v.get("effect_scene")
    if scene is None or scene in DESCRIBED:
        return []
    return [Problem(("effect_scene",), f"{scene!r} is listed by the schema but described by no "
                    "page: what it makes, and from how many photos, is not documented.",
                    given=scene, allowed=", ".join(DESCRIBED) + " are described")]


def _at_most_two(spec: Any, v: Mapping[str, Any]) -> list[Problem]:
    count = photos(v.get("image_url"))
    if count > 2:
        return [Problem(("image_url",), f"{count} photos is too many.", given=count,
                        allowed="one or two photos")]
    return []


DESCRIBED_COUNT = Rule(
    "effect-photos", "hug, kiss and heart_gesture take exactly two photos; squish and "
    "expansion one", _described_count,
    examples=({"effect_scene": "hug", "image_url": [URL]},
              {"effect_scene": "squish", "image_url": [URL, URL]}))
UNDESCRIBED = Rule(
    "effect-described", "the scene is one the pages describe", _undescribed,
    inferred="the schemas list 80 scenes, the pages describe five (hug, kiss, heart_gesture, "
             "squish, expansion): the others are sent as the schema allows, but what they make "
             "and from how many photos is not documented",
    examples=({"effect_scene": "fight", "image_url": [URL, URL]},))
AT_MOST_TWO = Rule(
    "effect-at-most-two", "one or two photos", _at_most_two,
    inferred="no schema bounds the list; every scene the pages describe takes one or two "
             "photos (the first on the left, the second on the right), so a third is taken as "
             "a mistake", examples=({"effect_scene": "fight", "image_url": [URL] * 3},))


class AimlEffects(AimlUniversal):
    """A Kling 1.6 effect on the AI/ML API: a preset scene from one or two photos, 5 or 10 s."""

    effect_scene: EffectScene
    """The scene: ``hug``, ``kiss``, ``heart_gesture`` (two photos), ``squish``, ``expansion``
    (one photo), or another of the 80 the schema lists (undocumented: it warns)."""
    image_url: Annotated[list[AimlImage], Field(min_length=1)] | AimlImage
    """The photo, or a list of two (the first appears on the left): https URLs, base64 data or
    local files."""
    duration: Duration = 5
    """Length of the video in seconds: 5 or 10."""

    max_references = 2
    sound = "with some effects"
    sound_note = ('documented for squish and expansion: "an audio track is also generated - a '
                  'mix of music and material interaction sounds"; the pages say nothing of the '
                  "others' sound")
    price_note = PRICE_NOTE
    input_aliases: ClassVar[Mapping[str, str]] = {
        "effect": "effect_scene", "images": "image_url", "start_frame": "image_url"}
    wire_fields = ("effect_scene", "duration")
    checks: ClassVar[tuple[Rule, ...]] = (DESCRIBED_COUNT, AT_MOST_TWO, UNDESCRIBED)
    example: ClassVar[Mapping[str, Any]] = {"effect_scene": "squish", "image_url": URL}
