"""The avatar and motion-control rows (AI/ML API): the page's 2.6 id is read as the schema's,
the documented provider is taken, the docs' placeholders are refused, and the rules hold over
the rows' ranges."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kling_nb as kn
from kling_nb.specs.aimlapi_media import MAX_AUDIO_BYTES, MP3, OGG
from kling_nb.specs.inferred import forget_warnings

CHARACTER = "https://cdn.aimlapi.com/flamingo/files/b/0a875302/8NaxQrQxDNHppHtqcchMm.png"
DANCE = "https://cdn.aimlapi.com/flamingo/files/b/0a8752bc/2xrNS217ngQ3wzXqA7LXr_output.mp4"
MOTION_26_PAGE = {"model": "klingai/video-v2-6-pro-motion-control", "image_url": CHARACTER,
                  "video_url": DANCE}
"""The 2.6 page's Python and JavaScript body (both the same), with the page's id (the docs'
other bodies of these rows round-trip in ``tests/specs/test_aimlapi_doc_bodies.py``)."""
MOTION_30_PAGE = {"model": "klingai/video-v3-motion-control",
                  "image_url": "https://example.com/character.png",
                  "video_url": "https://example.com/reference.mp4"}


def test_an_avatar_takes_the_documented_provider() -> None:
    """``provider`` (in any case) is taken as ``upstream`` and sent back as given."""
    body = {"model": "klingai/avatar-standard", "image_url": CHARACTER,
            "audio_url": "https://example.com/v.mp3", "provider": "Kling"}
    assert kn.parse_spec(body).to_request().json == body
    with pytest.raises(kn.SpecError, match="provider"):
        kn.parse_spec({**body, "provider": "replicate"})


def test_the_pages_2_6_id_is_read_as_the_schemas() -> None:
    """The 2.6 page writes ``...-v2-6-pro-motion-control``: read as the same row, which sends
    the schema's id (the only change to the page's body)."""
    spec = kn.parse_spec(MOTION_26_PAGE)
    assert spec.key == "aimlapi/kling-2.6-motion-control"
    assert spec.to_request().json == {**MOTION_26_PAGE,
                                      "model": "klingai/video-v2-6-motion-control"}
    assert kn.MODELS.find("klingai/video-v2-6-pro-motion-control") is kn.MODELS[spec.key]


def test_the_docs_placeholders_are_refused_by_name() -> None:
    """The 3.0 page's placeholder URL is refused as a placeholder, naming the field."""
    with pytest.raises(kn.SpecError, match=r"video_url.*placeholder from the docs"):
        kn.parse_spec({**MOTION_30_PAGE, "video_url": "<YOUR_REFERENCE_VIDEO_URL>"})


@pytest.mark.parametrize("key", ["aimlapi/kling-2.6-motion-control",
                                 "aimlapi/kling-3.0-motion-control"])
def test_motion_control_inputs(key: str) -> None:
    """Both inputs are required; the enums are the schema's; friendly names are taken."""
    cls = kn.MODELS[key].spec
    with pytest.raises(kn.SpecError, match="video_url is required"):
        cls(image_url="https://example.com/a.png")
    with pytest.raises(kn.SpecError, match="image_url is required"):
        cls(video_url="https://example.com/a.mp4")
    with pytest.raises(kn.SpecError, match="character_orientation"):
        cls(**cls.example, character_orientation="left")
    with pytest.raises(kn.SpecError, match="mode"):
        cls(**cls.example, mode="RESOLUTION_720")
    spec = cls(image="https://example.com/a.png", motion_video="https://example.com/m.mp4",
               orientation="image", mode="pro", keep_audio=False)
    assert spec.to_request().json == {
        "model": spec.wire_model, "image_url": "https://example.com/a.png",
        "video_url": "https://example.com/m.mp4", "character_orientation": "image",
        "mode": "pro", "keep_audio": False}
    assert kn.MODELS[key].inputs == ("image", "video")
    assert kn.MODELS[key].facts()["durations"] == "as the reference video"


def test_a_finished_result_is_a_reference_of_known_length() -> None:
    """A result given as the reference is sent by its URL, and its length is checked."""
    result = kn.Result(job_id="j", provider="aimlapi", model="m", duration=12,
                       video_url="https://example.com/r.mp4", width=1280, height=720)
    spec = kn.Kling26MotionControlAIML(image_url="https://example.com/a.png", video_url=result)
    assert spec.to_request().json["video_url"] == "https://example.com/r.mp4"
    with pytest.raises(kn.SpecError, match="12 s long, too long with character_orientation "
                                           "image"):
        spec.replace(character_orientation="image")


def _motion(cls: type[kn.Spec], seconds: float, orientation: str | None,
            sides: tuple[int, int]) -> kn.Spec:
    video = {"url": "https://example.com/m.mp4", "seconds": seconds, "width": sides[0],
             "height": sides[1]}
    extra = {"character_orientation": orientation} if orientation else {}
    return cls(image_url="https://example.com/a.png", video_url=video, **extra)


@given(seconds=st.floats(0.1, 60), orientation=st.sampled_from([None, "image", "video"]),
       short=st.integers(100, 2000), tall=st.booleans())
def test_motion_limits_over_the_ranges(seconds: float, orientation: str | None, short: int,
                                       tall: bool) -> None:
    """2.6 refuses a reference outside 3 s to its orientation's limit (10 s image, 30 s
    video) or under 300 px, and warns under 340 px; 3.0 refuses only past the orientation's
    limit (its schema's) and warns about the rest (the 2.6 page's, only inferred there)."""
    sides = (short, short * 16 // 9) if tall else (short * 16 // 9, short)
    limit = 10 if orientation == "image" else 30
    forget_warnings()
    for cls, documented in ((kn.Kling26MotionControlAIML, True),
                            (kn.Kling30MotionControlAIML, False)):
        refused = seconds > limit or (documented and (seconds < 3 or short < 300))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if refused:
                with pytest.raises(kn.SpecError, match="video_url"):
                    _motion(cls, seconds, orientation, sides)
                continue
            spec = _motion(cls, seconds, orientation, sides)
        rules = {p.rule for p in spec.advisories}
        assert ("reference-length" in rules) == (not documented and seconds < 3)
        assert ("reference-sides" in rules) == (not documented and short < 300)
        assert ("reference-sides-strict" in rules) == (documented and short < 340)
        assert bool(rules) == any(w.category is kn.InferredRuleWarning for w in caught)


@pytest.mark.parametrize("key", ["aimlapi/kling-avatar-standard", "aimlapi/kling-avatar-pro"])
def test_avatar_inputs(key: str) -> None:
    """An image and a clip are required; the clip is an https URL, a data URI, bytes or a
    file; the prompt is at most 2500 characters; the length follows the clip."""
    cls = kn.MODELS[key].spec
    with pytest.raises(kn.SpecError, match="audio_url is required"):
        cls(image_url="https://example.com/a.png")
    with pytest.raises(kn.SpecError, match=r"audio_url.*not an https URL"):
        cls(image_url="https://example.com/a.png", audio_url="voice")
    with pytest.raises(kn.SpecError, match="prompt"):
        cls(**{**cls.example, "prompt": "x" * 2501})
    assert cls(**{**cls.example, "prompt": "x" * 2500}).to_request().json["prompt"] == "x" * 2500
    uri = "data:audio/mpeg;base64,SUQzBAAAAAAAAA=="
    spec = cls(image_url="https://example.com/a.png", audio=uri)
    assert isinstance(spec.audio_url, kn.AudioFile)
    assert spec.audio_url.format == "mp3"
    assert spec.to_request().json["audio_url"] == uri  # sent as it was given
    assert kn.MODELS[key].inputs == ("image", "audio")
    assert kn.MODELS[key].facts()["durations"] == "as the audio"
    assert kn.MODELS[key].facts()["price"].startswith("not published")
    assert key in kn.MODELS.filter(audio=True)


@given(size=st.sampled_from([1, 1000, MAX_AUDIO_BYTES - 1, MAX_AUDIO_BYTES,
                             MAX_AUDIO_BYTES + 1]),
       kind=st.sampled_from(["mp3", "wav", "m4a", "aac", "ogg", "flac", "other"]),
       seconds=st.one_of(st.none(), st.floats(0.5, 120)))
def test_avatar_clip_rules_over_the_ranges(size: int, kind: str, seconds: float | None) -> None:
    """A clip is refused unless MP3, WAV, M4A or AAC and at most 5 MB (documented); one
    longer than 60 s warns (inferred)."""
    heads = {"mp3": MP3, "wav": b"RIFF\0\0\0\0WAVEfmt ", "m4a": b"\0\0\0\x20ftypM4A ",
             "aac": b"\xff\xf1\x50\x80", "ogg": OGG, "flac": b"fLaC\0\0\0\x22",
             "other": b"hello, world"}
    data = (heads[kind] + bytes(size))[:max(size, len(heads[kind]))]
    clip = {"data": data, "seconds": seconds}
    refused = kind not in ("mp3", "wav", "m4a", "aac") or len(data) > MAX_AUDIO_BYTES
    forget_warnings()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kn.InferredRuleWarning)
        if refused:
            with pytest.raises(kn.SpecError, match="audio_url") as info:
                kn.KlingAvatarProAIML(image_url="https://example.com/a.png", audio_url=clip)
            assert {p.rule for p in info.value.problems} & {"audio-format", "audio-size"}
            assert "b'" not in str(info.value)  # a person's words, never the raw bytes
            return
        spec = kn.KlingAvatarProAIML(image_url="https://example.com/a.png", audio_url=clip)
    assert ("audio-length" in {p.rule for p in spec.advisories}) == (
        seconds is not None and seconds > 60)
