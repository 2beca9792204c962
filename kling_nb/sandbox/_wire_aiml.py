"""AI/ML API bodies (snake_case) for the legacy Kling path and the universal endpoint.

Both paths take every AI/ML entry's wire ids (the legacy path "still works", api-notes §9.4).
A body is refused (400) for an unknown model or key, a missing required key, a bad value (the
entry's field checks, ``_wire_aiml_fields``) or a broken documented rule of its entry (both or
neither of ``prompt``/``multi_prompt``, an image the Turbo page refuses...). Inferred rules
(shot durations that add up to ``duration``) are accepted.

A ``video_url`` on the sandbox's CDN must name a finished sandbox video (its length, size and
sound are then known); a ``data:video/...`` URI must hold a real video; any other https URL is
taken on trust (the sandbox fetches nothing): its length is taken as 5 s. An ``audio_url``
given as a ``data:audio/...`` URI must hold real sound (its length and format are then known,
and an avatar plays it); an https URL is taken on trust, as 5 s of sound it cannot play.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import _generic, _registry
from ._entry import Aiml, AimlVariant
from ._frames import Shot
from ._media import probe_video, side_by_side
from ._rules import Given, counts, first_broken
from ._tracks import probe_audio
from ._wire import (
    Assets,
    Order,
    Ref,
    Track,
    VideoInfo,
    WireError,
    aspect_size,
    b64,
    image_url,
    obj,
)
from ._wire_aiml_fields import (
    DATA_AUDIO,
    DATA_VIDEO,
    FIELDS,
    Check,
    Seconds,
    Text,
    fail,
    no_extra,
    whole,
)

DEFAULT_SECONDS = 5


@dataclass(frozen=True)
class Source:
    """The video a request edits or follows: a sandbox video (``ref``), its bytes (a data
    URI), or a URL, and what is known of it."""

    ref: Ref | None
    info: VideoInfo | None
    data: bytes | None = None
    url: str | None = None

    def track(self) -> Track:
        """The video as an input the sandbox's video plays or follows."""
        seconds = float(self.info.seconds) if self.info else None
        return Track(data=self.data, video=self.ref.id if self.ref else None,
                     url=self.url if self.ref is None and self.data is None else None,
                     seconds=seconds)


def parse_aiml(raw: object, assets: Assets, cdn: str, *, generic: bool = False) -> Order:
    """Validate an AI/ML API body; ``cdn`` is the sandbox CDN origin (for its own URLs);
    ``generic``: any model id is taken, as a generic video model."""
    body = obj(raw, "$")
    entry, variant = find_model(body.get("model"), body if generic else None)
    body = {variant.spellings.get(key, key) if variant.spellings.get(key) not in body else key:
            value for key, value in body.items()}
    if not variant.unlisted:
        no_extra(body, variant.keys, "$")
    for key in sorted(variant.required):
        if body.get(key) is None:
            raise fail(f"$.{key}", "should not be empty")
    checks = field_checks(entry, variant)
    for key, value in body.items():
        check = checks.get(key)
        if check is not None and value is not None:
            check(value, f"$.{key}")
    inline, url = start_image(body.get("image_url"), assets, cdn)
    source = video_source(body.get("video_url"), assets, cdn)
    clip = audio_source(body.get("audio_url"))
    given_counts = counts({k: v for k, v in body.items() if k != "model"})
    length = _length(body, variant, source, clip)
    seconds = max(1, math.ceil(length - 1e-6)) if length is not None else DEFAULT_SECONDS
    own = inline if inline is not None else _own_image(url or "", assets, cdn)
    given = Given(given_counts, lambda name: f"$.{name}", seconds=seconds,
                  source=source.info if source else None,
                  images={"image_url": own} if own is not None else {},
                  values={k: v for k, v in body.items() if isinstance(v, (str, int, float))},
                  clips={"audio_url": (len(clip.data), clip.kind)}
                  if clip is not None and clip.data is not None else {})
    error = first_broken(entry.rules, given)
    if error is not None:
        raise error
    width, height = output_size(body, entry, variant, source)
    kept = bool(source and source.info and source.info.audio)
    sound = entry.sound.decide(body, given_counts, kept)
    sound_from = clip if entry.sound.follows == "audio_url" else (
        source.track() if source and kept and entry.sound.plays else None)
    motion = source.track() if source and variant.motion_follows == "video_url" else None
    exact = length if length is not None and length != seconds else None
    return Order(api="aiml", model=variant.model, prompt=prompt_text(body), seconds=seconds,
                 width=width, height=height, audio=sound, stereo=entry.sound.stereo,
                 video=source.ref if source else None, short_side=entry.tier,
                 inline_image=inline, image_url=url,
                 external_task_id=body.get("external_task_id"), shots=shots(body),
                 images=_held(body.get(variant.sequence), assets, cdn) if variant.sequence
                 else (), length=exact, sound_from=sound_from if sound else None,
                 motion_from=motion)


def find_model(name: object, generic: dict[str, Any] | None = None
               ) -> tuple[Aiml, AimlVariant]:
    """The entry and variant of a model id (or a documented alias); with the ``generic``
    body, any other id is taken as a generic video model."""
    found = _registry.aiml(name) if isinstance(name, str) else None
    if found is not None:
        return found
    if generic is not None and isinstance(name, str) and name:
        return _generic.aiml(name, generic)
    names = ", ".join(_registry.aiml_models())
    raise WireError(f"model must be one of the following values: {names}", path="$.model")


def field_checks(entry: Aiml, variant: AimlVariant) -> dict[str, Check]:
    """Every field's check for this wire id: the usual ones, the entry's, the variant's."""
    return {**FIELDS, "prompt": Text(max=entry.prompt_max, empty=False),
            "duration": Seconds(entry.durations), **entry.fields, **variant.fields}


def prompt_text(body: dict[str, Any]) -> str:
    """The prompt, or the storyboard's shots joined, or the effect asked for."""
    text, story = body.get("prompt"), body.get("multi_prompt")
    if text is not None:
        return str(text)
    if body.get("effect_scene") is not None:
        return f"effect: {body['effect_scene']}"
    return " / ".join(s if isinstance(s, str) else str(s["prompt"]) for s in story or [])


def shots(body: dict[str, Any]) -> tuple[Shot, ...]:
    """The storyboard's shots: 3.0 gives prompts, Turbo prompts with optional durations."""
    return tuple(Shot(s) if isinstance(s, str)
                 else Shot(str(s["prompt"]), whole(s.get("duration")))
                 for s in body.get("multi_prompt") or [])


def _length(body: dict[str, Any], variant: AimlVariant, source: Source | None,
            clip: Track | None) -> float | None:
    """The video's length in seconds: the requested one, else that of the input the variant
    follows (an edit's video, an avatar's clip); None when neither is known."""
    if variant.length_follows is not None and body.get("duration") is None:
        if variant.length_follows == "audio_url":
            return clip.seconds if clip is not None else None
        return float(source.info.seconds) if source and source.info else None
    found = whole(body.get("duration"))
    return float(found) if found else None


def audio_source(value: Any) -> Track | None:
    """What is known of ``audio_url``: a data URI's sound (its bytes, length and format) or a
    URL the sandbox does not fetch. The track's label holds the format until it plays."""
    if value is None:
        return None
    match = DATA_AUDIO.match(value)
    if match is None:
        return Track(url=value)
    data = b64(match.group(1))
    probed = probe_audio(data) if data else None
    if data is None or probed is None:
        raise fail("$.audio_url", "does not hold playable audio")
    return Track(data=data, seconds=probed[0], kind=probed[1])


def output_size(body: dict[str, Any], entry: Aiml, variant: AimlVariant,
                source: Source | None) -> tuple[int | None, int | None]:
    """``aspect_ratio`` (16:9 by default) at the tier, or what the variant follows: its
    source video's size, or its image (None: decided when the job opens)."""
    if variant.size_follows == "video_url":
        info = source.info if source else None
        return (info.width, info.height) if info else (None, None)
    if variant.size_follows is not None:
        return None, None
    return aspect_size(body.get("aspect_ratio") or "16:9", entry.tier)


def start_image(value: Any, assets: Assets, cdn: str) -> tuple[bytes | None, str | None]:
    """``image_url`` as inline bytes or a URL (checked already); two photos (an effect's) as
    one picture, the first on the left, when the sandbox holds both."""
    if isinstance(value, list):
        both = _held(value, assets, cdn)
        if len(value) == 2 and len(both) == 2:
            return side_by_side(*both), None
        value = value[0] if value else None
    if value is None:
        return None, None
    return image_url(value, "$.image_url")


def _held(values: Any, assets: Assets, cdn: str) -> tuple[bytes, ...]:
    """The bytes of the images in a list the sandbox holds (inline data, its own CDN's)."""
    found = []
    for value in values if isinstance(values, list) else []:
        inline, url = image_url(value, "$.image")
        data = inline if inline is not None else _own_image(url or "", assets, cdn)
        if data is not None:
            found.append(data)
    return tuple(found)


def _own_image(url: str, assets: Assets, cdn: str) -> bytes | None:
    prefix = cdn + "/images/"
    if not url.startswith(prefix):
        return None
    return assets.image_data(url[len(prefix):].split(".", 1)[0])


def video_source(value: Any, assets: Assets, cdn: str) -> Source | None:
    """What is known of ``video_url``: a sandbox video, a data: URI's video, or nothing."""
    if value is None:
        return None
    path = "$.video_url"
    match = DATA_VIDEO.match(value)
    if match is not None:
        data = b64(match.group(1))
        probed = probe_video(data) if data else None
        if probed is None:
            raise fail(path, "does not hold a playable video")
        return Source(None, VideoInfo(*probed), data=data)
    prefix = cdn + "/videos/"
    if not value.startswith(prefix):
        return Source(None, None, url=value)
    video_id = value[len(prefix):].split(".", 1)[0]
    info = assets.video_info(video_id)
    if info is None:
        raise WireError("video_url could not be downloaded (404): no such finished video",
                        path=path)
    return Source(Ref(video_id, "GENERATED"), info)
