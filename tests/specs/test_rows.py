"""Every per-model rule, accepted and rejected, with the message a user reads."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kling_nb
from kling_nb import (
    MODELS,
    ImageFile,
    ImageRef,
    Kling21Pro,
    Kling21ProAIML,
    Kling25Turbo,
    Kling30,
    KlingO1,
    SpecError,
    VideoRef,
)
from kling_nb.specs.types import SIZES_720, SIZES_1080

ID = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"
ID2 = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e02"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0"
    b"\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)
LEONARDO_V1 = [Kling21Pro, Kling25Turbo]
LEONARDO_V2 = [KlingO1, Kling30]


def problems(cls: type[kling_nb.Spec], **fields: Any) -> SpecError:
    with pytest.raises(SpecError) as info:
        cls(**fields)
    return info.value


# -- durations ------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [Kling21Pro, Kling25Turbo, KlingO1])
@pytest.mark.parametrize("duration", [5, 10])
def test_five_or_ten_seconds_accepted(cls: type[kling_nb.Spec], duration: int) -> None:
    """The 5|10 models accept 5 and 10."""
    assert cls(prompt="x", start_frame=ID, duration=duration).duration == duration


@pytest.mark.parametrize("cls", [Kling21Pro, Kling25Turbo, KlingO1, Kling21ProAIML])
@pytest.mark.parametrize("duration", [0, 3, 7, 15, 5.5])
def test_other_durations_rejected(cls: type[kling_nb.Spec], duration: float) -> None:
    """Anything but 5|10 names the field, the value and the allowed values."""
    extra = {"image_url": "https://x.test/a.png"} if cls is Kling21ProAIML else {"start_frame": ID}
    error = problems(cls, prompt="x", duration=duration, **extra)
    assert error.fields == ["duration"]
    assert "5 or 10" in str(error)
    assert str(duration) in str(error)


@pytest.mark.parametrize("duration", Kling30.durations)
def test_kling30_takes_3_to_15(duration: int) -> None:
    """Kling 3.0 takes every whole second from 3 to 15 (its table says so, as the guide)."""
    assert Kling30.durations == tuple(range(3, 16))
    assert Kling30(prompt="x", duration=duration).to_wire()["parameters"]["duration"] == duration


@pytest.mark.parametrize("duration", [2, 16, 4.5, "ten"])
def test_kling30_rejects_out_of_range(duration: Any) -> None:
    """Kling 3.0 rejects 2, 16, fractions and words."""
    assert problems(Kling30, prompt="x", duration=duration).fields == ["duration"]


# -- sizes ---------------------------------------------------------------------------------
def test_kling25_rejects_1280x720_and_lists_its_sizes() -> None:
    """The example from the issue: 1280x720 on Kling 2.5 Turbo, with the allowed sizes."""
    error = problems(Kling25Turbo, prompt="x", start_frame=ID, width=1280, height=720)
    text = str(error)
    assert "1280x720 is not a size Kling 2.5 Turbo accepts" in text
    assert "1920x1080, 1080x1920, 1440x1440" in text
    assert error.fields == ["width", "height"]


@pytest.mark.parametrize(("cls", "sizes"), [
    (Kling21Pro, [(1920, 1080), (1080, 1920)]),
    (Kling25Turbo, list(SIZES_1080)),
    (KlingO1, list(SIZES_1080)),
])
def test_size_tables(cls: type[kling_nb.Spec], sizes: list[tuple[int, int]]) -> None:
    """Each model accepts exactly its table."""
    for width, height in sizes:
        assert cls(prompt="x", start_frame=ID, width=width, height=height).width == width
    assert set(cls.allowed_sizes()) == set(sizes)


def test_kling21_rejects_square() -> None:
    """Kling 2.1 Pro has no 1:1 size."""
    error = problems(Kling21Pro, prompt="x", start_frame=ID, width=1440, height=1440)
    assert "1440x1440" in str(error)


@pytest.mark.parametrize("size", SIZES_720)
def test_kling30_720_sizes_need_720_mode(size: tuple[int, int]) -> None:
    """A 720p size is rejected in 1080 mode, with a hint to switch the mode."""
    error = problems(Kling30, prompt="x", width=size[0], height=size[1], mode="RESOLUTION_1080")
    assert "set mode='RESOLUTION_720'" in str(error)
    spec = Kling30(prompt="x", width=size[0], height=size[1], mode="RESOLUTION_720")
    assert spec.width == size[0]


def test_kling30_infers_mode_from_a_720_size() -> None:
    """Without a mode, a 720p size selects RESOLUTION_720."""
    assert Kling30(prompt="x", size="960x960").mode == "RESOLUTION_720"
    assert Kling30(prompt="x", size="1440x1440").mode == "RESOLUTION_1080"


def test_kling30_1080_size_in_720_mode_rejected() -> None:
    """A 1080p size in 720 mode is rejected."""
    error = problems(Kling30, prompt="x", size="1920x1080", mode="RESOLUTION_720")
    assert "RESOLUTION_1080" in str(error)


@pytest.mark.parametrize("cls", [*LEONARDO_V1, *LEONARDO_V2])
def test_width_without_height_rejected(cls: type[kling_nb.Spec]) -> None:
    """Width and height go together."""
    error = problems(cls, prompt="x", start_frame=ID, width=1920)
    assert "give both width and height" in str(error)


def test_kling30_size_may_follow_start_frame() -> None:
    """Kling 3.0 with a start frame may leave both out; the body then has neither."""
    params = Kling30(prompt="x", start_frame=ID).to_wire()["parameters"]
    assert "width" not in params
    assert "height" not in params


def test_kling30_without_start_frame_gets_mode_default_size() -> None:
    """Kling 3.0 without a start frame defaults to the mode's 16:9 size."""
    standard, pro = Kling30(prompt="x", mode="RESOLUTION_720"), Kling30(prompt="x")
    assert (standard.width, pro.height) == (1280, 1080)


# -- frames and references -----------------------------------------------------------------
def test_kling21_requires_start_frame() -> None:
    """Kling 2.1 Pro on Leonardo must have a start frame."""
    error = problems(Kling21Pro, prompt="x")
    assert error.fields == ["start_frame"]
    assert "imageId" in str(error)


def test_leonardo_rows_need_a_prompt() -> None:
    """Leonardo requires a prompt (a missing one is refused before any upload or request)."""
    for cls in (*LEONARDO_V1, *LEONARDO_V2):
        error = problems(cls, start_frame=ID)
        assert "prompt" in error.fields
        assert "required" in str(error)
    assert "prompt" in problems(Kling25Turbo, prompt="", start_frame=ID).fields
    assert Kling21ProAIML(image_url="https://x.test/a.png").prompt is None


def test_kling25_start_frame_optional() -> None:
    """Kling 2.5 Turbo may go without frames."""
    assert "imageId" not in Kling25Turbo(prompt="x").to_wire()


@pytest.mark.parametrize("cls", [*LEONARDO_V1, *LEONARDO_V2])
def test_end_frame_needs_start_frame(cls: type[kling_nb.Spec]) -> None:
    """An end frame alone is rejected on every Leonardo row."""
    error = problems(cls, prompt="x", end_frame=ID)
    assert "end_frame" in error.fields
    assert "needs a start frame" in str(error)


@pytest.mark.parametrize("cls", LEONARDO_V2)
@pytest.mark.parametrize("frame", ["start_frame", "end_frame"])
def test_references_exclude_frames(cls: type[kling_nb.Spec], frame: str) -> None:
    """Image references cannot be combined with start or end frames."""
    fields: dict[str, Any] = {"image_references": [ID], frame: ID2}
    if frame == "end_frame":
        fields["start_frame"] = ID
    assert "cannot be combined" in str(problems(cls, prompt="x", **fields))


def test_at_most_one_start_frame_in_wire_body() -> None:
    """Two start frames in a v2 body are refused."""
    body = {"model": "kling-3.0", "public": False, "parameters": {"prompt": "x", "guidances": {
        "start_frame": [{"image": {"id": ID, "type": "UPLOADED"}}] * 2}}}
    with pytest.raises(SpecError) as info:
        kling_nb.parse_spec(body)
    error = info.value
    assert "at most 1" in str(error)
    assert error.fields == ["start_frame"]


@pytest.mark.parametrize(("cls", "limit"), [(KlingO1, 4), (Kling30, 7)])
def test_reference_limits(cls: type[kling_nb.Spec], limit: int) -> None:
    """O1 takes up to 4 references, 3.0 up to 7."""
    assert len(cls(prompt="x", image_references=[ID] * limit).image_references) == limit
    error = problems(cls, prompt="x", image_references=[ID] * (limit + 1))
    assert f"at most {limit}" in str(error)


def test_kling30_four_references_with_a_video() -> None:
    """Kling 3.0 takes only 4 references together with a video reference."""
    assert Kling30(prompt="x", image_references=[ID] * 4, video_reference=ID2).video_reference
    assert "with a video reference" in str(
        problems(Kling30, prompt="x", image_references=[ID] * 5, video_reference=ID2)
    )


@pytest.mark.parametrize("cls", LEONARDO_V2)
def test_video_reference_generated_only(cls: type[kling_nb.Spec]) -> None:
    """An UPLOADED video reference is rejected; a plain id becomes GENERATED."""
    assert cls(prompt="x", video_reference=ID).video_reference == VideoRef(id=ID)
    error = problems(cls, prompt="x", video_reference={"id": ID, "type": "UPLOADED"})
    assert "GENERATED" in str(error)
    assert error.fields == ["video_reference"]


@pytest.mark.parametrize("cls", LEONARDO_V2)
def test_image_tags_must_point_at_references(cls: type[kling_nb.Spec]) -> None:
    """@image3 with two references is caught; @image1/@image2 are fine."""
    ok = cls(prompt="put @image1 next to @image2", image_references=[ID, ID2])
    assert ok.prompt
    error = problems(cls, prompt="add @image3 behind @image1", image_references=[ID, ID2])
    assert "@image3 points past the image references (there are 2)" in str(error)
    assert "@image1 to @image2" in str(error)
    assert "no @image tags" in str(problems(cls, prompt="use @image1"))


# -- prompts, flags, images ----------------------------------------------------------------
@pytest.mark.parametrize("cls", [*LEONARDO_V1, *LEONARDO_V2])
def test_prompt_limit(cls: type[kling_nb.Spec]) -> None:
    """1500 characters are fine; 1501 are named with the limit."""
    assert cls(start_frame=ID, prompt="a" * 1500).prompt
    error = problems(cls, start_frame=ID, prompt="a" * 1501)
    assert "1501 characters" in str(error)
    assert "at most 1500" in str(error)


@pytest.mark.parametrize("value", [0, 0.5, 1])
def test_cfg_scale_range_accepted(value: float) -> None:
    """cfg_scale 0..1 is accepted."""
    assert Kling21ProAIML(image_url="https://x.test/a.png", cfg_scale=value).cfg_scale == value


@pytest.mark.parametrize("value", [-0.1, 1.5, 7])
def test_cfg_scale_out_of_range(value: float) -> None:
    """cfg_scale outside 0..1 is rejected with its bounds."""
    error = problems(Kling21ProAIML, image_url="https://x.test/a.png", cfg_scale=value)
    assert error.fields == ["cfg_scale"]


def test_image_url_forms() -> None:
    """image_url: https URL and base64 as given; local files and bytes encoded."""
    import base64

    b64 = base64.b64encode(PNG).decode()
    assert Kling21ProAIML(image_url=b64).to_wire()["image_url"] == b64
    data_url = "data:image/png;base64," + b64
    assert Kling21ProAIML(image_url=data_url).to_wire()["image_url"] == data_url
    assert Kling21ProAIML(image_url=PNG).to_wire()["image_url"] == data_url
    assert Kling21ProAIML(start_frame="https://x.test/a.png").image_url == "https://x.test/a.png"


@pytest.mark.parametrize("value", [
    "http://x.test/a.png", "not an image", "aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=", b"GIF89a...",
    ImageRef(id=ID),
])
def test_image_url_rejects(value: Any) -> None:
    """Plain http, junk, non-image base64, GIF bytes and Leonardo ids are rejected."""
    assert problems(Kling21ProAIML, image_url=value).fields == ["image_url"]


def test_image_url_required() -> None:
    """The AI/ML row needs an image."""
    assert "required" in str(problems(Kling21ProAIML, prompt="x"))


def test_local_image_path(tmp_path: Any) -> None:
    """A local image path becomes an ImageFile; a missing one is named."""
    path = tmp_path / "frame.png"
    path.write_bytes(PNG)
    spec = Kling25Turbo(prompt="x", start_frame=str(path))
    assert isinstance(spec.start_frame, ImageFile)
    with pytest.raises(kling_nb.UnresolvedImageError, match="upload"):
        spec.to_request()
    error = problems(Kling25Turbo, prompt="x", start_frame="missing/frame.png")
    assert "no such image file" in str(error)


def test_placeholder_ids_are_caught() -> None:
    """Ids pasted from the docs' placeholders are named as such."""
    assert "placeholder" in str(problems(Kling25Turbo, prompt="x", start_frame="<YOUR_IMAGE_ID>"))


def test_prompt_enhance_wire_strings() -> None:
    """prompt_enhance is a bool in Python and ON/OFF on the wire."""
    wire = KlingO1(prompt="x", prompt_enhance=True).to_wire()
    assert wire["parameters"]["prompt_enhance"] == "ON"
    assert KlingO1(prompt="x", prompt_enhance="off").prompt_enhance is False


@pytest.mark.parametrize("cls", [*LEONARDO_V1, *LEONARDO_V2, Kling21ProAIML])
def test_unknown_fields_rejected(cls: type[kling_nb.Spec]) -> None:
    """Unknown keys are refused (the APIs refuse them) with a did-you-mean."""
    error = problems(cls, prompt="x", image_url="https://x.test/a.png", durration=5) if (
        cls is Kling21ProAIML) else problems(cls, prompt="x", start_frame=ID, durration=5)
    assert "unknown field" in str(error)
    assert "Did you mean 'duration'?" in str(error)


def test_every_problem_is_reported_at_once() -> None:
    """A bad duration does not hide a bad size or a lonely end frame."""
    error = problems(Kling25Turbo, prompt="x", duration=7, width=1280, height=720, end_frame=ID)
    assert error.fields == ["duration", "width", "height", "end_frame"]


def test_v2_public_always_sent() -> None:
    """public is always in a v2 body (default false)."""
    assert KlingO1(prompt="x").to_wire()["public"] is False
    assert Kling30(prompt="x", public=True).to_wire()["public"] is True


def test_replace_revalidates() -> None:
    """replace() returns a new spec and checks the change."""
    spec = Kling25Turbo(start_frame=ID, prompt="a")
    assert spec.replace(prompt="b").prompt == "b"
    assert spec.prompt == "a"
    with pytest.raises(SpecError):
        spec.replace(duration=7)


# -- property-based ------------------------------------------------------------------------
def _v2_valid() -> st.SearchStrategy[tuple[type[kling_nb.Spec], dict[str, Any]]]:
    o1 = st.builds(lambda d, s: (KlingO1, {"duration": d, "width": s[0], "height": s[1]}),
                   st.sampled_from([5, 10]), st.sampled_from(SIZES_1080))
    k30 = st.sampled_from(list(Kling30.sizes.items())).flatmap(
        lambda item: st.builds(
            lambda d, s: (Kling30, {"duration": d, "mode": item[0], "width": s[0],
                                    "height": s[1]}),
            st.integers(3, 15), st.sampled_from(item[1]),
        )
    )
    v1 = st.builds(lambda cls, d, s: (cls, {"duration": d, "width": s[0], "height": s[1],
                                            "start_frame": ID}),
                   st.sampled_from(LEONARDO_V1), st.sampled_from([5, 10]),
                   st.sampled_from([(1920, 1080), (1080, 1920)]))
    return st.one_of(o1, k30, v1)


@given(_v2_valid())
def test_valid_combinations_accepted_and_round_trip(case: tuple[type[kling_nb.Spec],
                                                                dict[str, Any]]) -> None:
    """Every valid size/duration/mode combination is accepted and survives the wire."""
    cls, fields = case
    spec = cls(prompt="a valley at dawn", **fields)
    body = spec.to_request().json
    assert kling_nb.parse_spec(body).to_request().json == body
    assert kling_nb.parse_spec(spec.to_dict()) == spec


@given(st.sampled_from([Kling21Pro, Kling25Turbo, KlingO1, Kling30]),
       st.integers(1, 4000), st.integers(1, 4000), st.integers(-5, 30))
def test_invalid_combinations_rejected(cls: type[kling_nb.Spec], width: int, height: int,
                                       duration: int) -> None:
    """Random sizes and durations are accepted only when they are in the tables."""
    ok_size = (width, height) in cls.allowed_sizes()
    ok_duration = duration in cls.durations
    fields = {"start_frame": ID, "width": width, "height": height, "duration": duration}
    if ok_size and ok_duration:
        assert cls(**fields).width == width
        return
    error = problems(cls, prompt="x", **fields)
    if not ok_size:
        assert {"width", "height"} <= set(error.fields)
    if not ok_duration:
        assert "duration" in error.fields


def test_catalogue_rows_have_their_rules() -> None:
    """Every catalogue row's spec rejects an impossible size or duration."""
    for row in MODELS.values():
        fields: dict[str, Any] = {"duration": 99}
        fields["image_url" if row.provider == "aimlapi" else "start_frame"] = (
            "https://x.test/a.png" if row.provider == "aimlapi" else ID)
        with pytest.raises(SpecError):
            row.spec(**fields)


def test_replace_size_follows_the_change() -> None:
    """Defaults and inferred modes are not pinned: replace() re-derives them."""
    spec = Kling25Turbo(prompt="x", start_frame=ID)
    assert (spec.width, spec.height) == (1920, 1080)
    assert "width" not in spec.to_dict()
    tall = spec.replace(size="1080x1920")
    assert (tall.width, tall.height) == (1080, 1920)
    small = Kling30(prompt="x", size="1280x720")
    assert small.mode == "RESOLUTION_720"
    big = small.replace(width=1920, height=1080)
    assert (big.mode, big.width) == ("RESOLUTION_1080", 1920)
    assert small.replace(size="960x960").mode == "RESOLUTION_720"
    assert big.to_request().json["parameters"]["mode"] == "RESOLUTION_1080"
