"""The newer Leonardo rows (api-notes §9.2, §9.3): 2.5 Turbo text-to-video, Kling 2.6, Kling 3.0
Turbo, Kling O3 (with video editing) and Kling 3.0 text-to-video; documented bodies verbatim."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kling_nb.sandbox import Sandbox

from .helpers import T2V, V1, V2, finish, generated_video, png_bytes, probe

GENERATIONS = V2 + "/generations"


def _v1_error(client: httpx.Client, body: dict[str, Any]) -> str:
    answer = client.post(T2V, json=body)
    assert answer.status_code == 400, answer.text
    assert set(answer.json()) == {"error", "path", "code"}
    return str(answer.json()["error"])


def _v2_error(client: httpx.Client, body: dict[str, Any]) -> str:
    answer = client.post(GENERATIONS, json=body)
    assert answer.status_code == 400, answer.text
    items = answer.json()
    assert isinstance(items, list)
    assert set(items[0]) == {"message", "extensions"}
    return str(items[0]["message"])


def _made(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """Create, check the 200 answer and poll to the end; returns ``generations_by_pk``."""
    answer = client.post(GENERATIONS, json=body)
    assert answer.status_code == 200, answer.text
    return finish(client, answer.json()["generate"]["generationId"])


def _mp4(client: httpx.Client, gen: dict[str, Any]) -> tuple[float, float, bool]:
    return probe(client.get(gen["generated_images"][0]["motionMP4URL"]).content)


def v2(model: str, **params: Any) -> dict[str, Any]:
    """A v2 body with the given parameters."""
    return {"model": model, "public": False, "parameters": {"prompt": "p", **params}}


# ---- Kling 2.5 Turbo text-to-video (v1) ----------------------------------------------------------


def t2v(**extra: Any) -> dict[str, Any]:
    """The documented text-to-video body (§9.3)."""
    return {"prompt": "A lighthouse at dusk", "model": "KLING2_5", "duration": 10,
            "width": 1440, "height": 1440, "resolution": "RESOLUTION_1080", "isPublic": False,
            **extra}


def test_v1_text_to_video_answers_and_polls(client: httpx.Client) -> None:
    """200 with only motionVideoGenerationJob; polled by v1 GET; a 10 s square MP4."""
    answer = client.post(T2V, json=t2v())
    assert answer.status_code == 200
    assert set(answer.json()) == {"motionVideoGenerationJob"}
    job = answer.json()["motionVideoGenerationJob"]
    assert set(job) == {"generationId", "apiCreditCost", "cost"}
    assert job["cost"] == {"amount": "0.70", "unit": "DOLLARS"}
    gen = finish(client, job["generationId"])
    assert (gen["status"], gen["imageWidth"], gen["imageHeight"]) == ("COMPLETE", 1440, 1440)
    seconds, ratio, sound = _mp4(client, gen)
    assert (seconds, ratio, sound) == (pytest.approx(10, abs=0.15), pytest.approx(1.0), False)


@pytest.mark.parametrize(("extra", "message"), [
    ({"imageId": "x", "imageType": "UPLOADED"}, "Unexpected variable imageId"),
    ({"endFrameImage": {"id": "x", "type": "UPLOADED"}}, "Unexpected variable endFrameImage"),
    ({"motion_has_audio": True}, "Unexpected variable motion_has_audio"),
    ({"prompt": "x" * 1501}, "1500"),
    ({"duration": 8}, "invalid duration"),
    ({"width": 1280, "height": 720}, "invalid dimensions"),
    ({"model": "KLING2_1"}, "invalid model"),
    ({"resolution": "RESOLUTION_720"}, "invalid resolution"),
])
def test_v1_text_to_video_rejections(client: httpx.Client, extra: dict[str, Any],
                                     message: str) -> None:
    """No image or audio keys; prompt, duration, size, model and resolution are checked."""
    assert message in _v1_error(client, t2v(**extra))


def test_v1_text_to_video_without_duration_takes_the_schema_default(client: httpx.Client) -> None:
    """The schema's default duration is 8 (a Veo value), which Kling 2.5 refuses."""
    body = t2v()
    del body["duration"]
    assert "invalid duration 8" in _v1_error(client, body)


# ---- Kling 2.6 ---------------------------------------------------------------------------------


def test_kling26_costs_credits_and_has_sound(client: httpx.Client, sb: Sandbox) -> None:
    """604 / 1208 API credits per 5 / 10 s job (documented); the video has a sound track."""
    image = {"image": {"id": sb.add_image(png_bytes()), "type": "UPLOADED"}}
    five = client.post(GENERATIONS, json=v2("kling-2.6", duration=5, width=1080, height=1920,
                                             guidances={"start_frame": [image]}))
    assert five.status_code == 200, five.text
    assert five.json()["generate"]["apiCreditCost"] == 604
    assert five.json()["generate"]["cost"] == {"amount": "604", "unit": "CREDITS"}
    ten = client.post(GENERATIONS, json=v2("kling-2.6", duration=10, width=1440, height=1440))
    assert ten.json()["generate"]["cost"] == {"amount": "1208", "unit": "CREDITS"}
    assert sb.balance == pytest.approx(100 - 0.604 - 1.208)
    seconds, ratio, sound = _mp4(client, finish(client, five.json()["generate"]["generationId"]))
    assert (seconds, ratio, sound) == (pytest.approx(5, abs=0.15), pytest.approx(9 / 16, 0.05),
                                       True)


def test_kling26_rejections(client: httpx.Client, sb: Sandbox) -> None:
    """2.6: 5|10 s, the three 1080p sizes, start frame only, no mode or audio key."""
    image = {"image": {"id": sb.add_image(png_bytes()), "type": "UPLOADED"}}
    size = {"width": 1920, "height": 1080}
    assert "1500" in _v2_error(client, v2("kling-2.6", prompt="x" * 1501, **size))
    assert "duration" in _v2_error(client, v2("kling-2.6", duration=7, **size))
    assert "dimensions" in _v2_error(client, v2("kling-2.6", width=1280, height=720))
    assert "dimensions" in _v2_error(client, v2("kling-2.6"))
    for key, value in (("mode", "RESOLUTION_1080"), ("motion_has_audio", True),
                       ("quantity", 1), ("seed", 3)):
        assert f"Unexpected variable {key}" in _v2_error(client, v2("kling-2.6", **size,
                                                                    **{key: value}))
    for guide in ("end_frame", "image_reference"):
        body = v2("kling-2.6", **size, guidances={"start_frame": [image], guide: [image]})
        assert f"Unexpected variable {guide}" in _v2_error(client, body)


# ---- Kling 3.0 Turbo ---------------------------------------------------------------------------


def turbo(image_id: str, **params: Any) -> dict[str, Any]:
    """The documented Kling 3.0 Turbo body (§9.2), <ID> replaced."""
    parameters = {"prompt": "The koala plays with the cat",
                  "guidances": {"start_frame": [{"image": {"id": image_id,
                                                           "type": "UPLOADED"}}]},
                  "duration": 5, "motion_has_audio": True, "width": 1920, "height": 1080}
    parameters.update(params)
    return {"model": "kling-3.0-turbo", "public": False,
            "parameters": {k: v for k, v in parameters.items() if v is not None}}


def test_turbo_documented_body_and_sound_default(client: httpx.Client, sb: Sandbox) -> None:
    """The documented body is accepted; motion_has_audio defaults to true (sound track)."""
    image = sb.add_image(png_bytes())
    gen = _made(client, turbo(image))
    assert (gen["imageWidth"], gen["imageHeight"]) == (1920, 1080)
    assert _mp4(client, gen)[2] is True
    silent = _made(client, turbo(image, motion_has_audio=False, duration=3))
    assert _mp4(client, silent)[2] is False
    defaulted = _made(client, turbo(image, motion_has_audio=None))
    assert _mp4(client, defaulted)[2] is True


def test_turbo_sizes_decide_the_tier(client: httpx.Client, sb: Sandbox) -> None:
    """720p and 1080p sizes are both taken without mode; 0x0 (Auto) follows the start frame."""
    image = sb.add_image(png_bytes((96, 128)))
    small = _made(client, turbo(image, width=720, height=1280))
    assert (small["imageWidth"], small["imageHeight"]) == (720, 1280)
    auto = _made(client, turbo(image, width=0, height=0))
    assert (auto["imageWidth"], auto["imageHeight"]) == (1080, 1440)
    omitted = _made(client, turbo(image, width=None, height=None))
    assert (omitted["imageWidth"], omitted["imageHeight"]) == (1080, 1440)


def test_turbo_inferred_rules_are_lenient(client: httpx.Client, sb: Sandbox) -> None:
    """[inferred] only: Turbo without a start frame, 0x0 without one, a deprecated mode."""
    no_start = turbo("x", guidances=None)
    assert _made(client, no_start)["imageWidth"] == 1920
    auto = _made(client, turbo("x", guidances=None, width=0, height=0))
    assert (auto["imageWidth"], auto["imageHeight"]) == (1920, 1080)
    image = sb.add_image(png_bytes())
    moded = _made(client, turbo(image, mode="RESOLUTION_720"))
    assert moded["imageWidth"] == 1920  # the size decides the tier, not the deprecated mode


def test_turbo_start_frame_types(client: httpx.Client, sb: Sandbox) -> None:
    """Turbo start frames take INIT and GENERATION too; an unknown VARIATION id is refused."""
    image = sb.add_image(png_bytes())
    for kind in ("INIT", "UPLOADED"):
        body = turbo(image, guidances={"start_frame": [{"image": {"id": image, "type": kind}}]})
        assert client.post(GENERATIONS, json=body).status_code == 200
    generated = sb.add_image(png_bytes(), kind="GENERATED")
    body = turbo(generated, guidances={"start_frame": [
        {"image": {"id": generated, "type": "GENERATION"}}]})
    assert client.post(GENERATIONS, json=body).status_code == 200
    body = turbo(image, guidances={"start_frame": [{"image": {"id": image,
                                                              "type": "VARIATION"}}]})
    assert "invalid init image id" in _v2_error(client, body)


def test_turbo_rejections(client: httpx.Client, sb: Sandbox) -> None:
    """Turbo: prompt <= 2500, 3-15 s, its sizes, start frame only, quantity 1."""
    image = sb.add_image(png_bytes())
    img = {"image": {"id": image, "type": "UPLOADED"}}
    assert client.post(GENERATIONS, json=turbo(image, prompt="x" * 2500)).status_code == 200
    assert "2500" in _v2_error(client, turbo(image, prompt="x" * 2501))
    assert "duration" in _v2_error(client, turbo(image, duration=16))
    assert "duration" in _v2_error(client, turbo(image, duration=2))
    assert "dimensions" in _v2_error(client, turbo(image, width=1000, height=1000))
    assert "dimensions" in _v2_error(client, turbo(image, guidances=None, width=None,
                                                   height=None))
    assert "quantity" in _v2_error(client, turbo(image, quantity=2))
    assert "Unexpected variable seed" in _v2_error(client, turbo(image, seed=1))
    two = turbo(image, guidances={"start_frame": [img, img]})
    assert "at most 1" in _v2_error(client, two)
    for guide in ("end_frame", "image_reference", "video_reference_base"):
        body = turbo(image, guidances={"start_frame": [img], guide: [img]})
        assert f"Unexpected variable {guide}" in _v2_error(client, body)


# ---- Kling O3 ------------------------------------------------------------------------------------


def o3_edit(video_id: str, **params: Any) -> dict[str, Any]:
    """The documented O3 edit body (§9.2), <VIDEO_ID> replaced."""
    parameters = {"prompt": "Make the video an evening scene", "duration": 3, "width": 1920,
                  "height": 1080, "mode": "RESOLUTION_1080", "motion_has_audio": True,
                  "guidances": {"video_reference_base": [
                      {"video": {"id": video_id, "type": "GENERATED"}}]}}
    parameters.update(params)
    return {"model": "kling-video-o-3", "public": False,
            "parameters": {k: v for k, v in parameters.items() if v is not None}}


def test_o3_documented_edit(client: httpx.Client) -> None:
    """The recipe's edit of a finished video: 3 s, 16:9, audio dropped when editing."""
    source, _ = generated_video(client, 3, audio=True)
    gen = _made(client, o3_edit(source))
    seconds, ratio, sound = _mp4(client, gen)
    assert (seconds, ratio, sound) == (pytest.approx(3, abs=0.15), pytest.approx(16 / 9, 0.05),
                                       False)


def test_o3_edit_length_and_size_follow_the_source(client: httpx.Client) -> None:
    """Without duration an edit takes the source's length (at most 10 s); without a size, its
    size."""
    short, _ = generated_video(client, 4, size=(720, 1280))
    gen = _made(client, o3_edit(short, duration=None, width=None, height=None, mode=None))
    assert (gen["imageWidth"], gen["imageHeight"]) == (720, 1280)
    assert _mp4(client, gen)[0] == pytest.approx(4, abs=0.15)
    long, _ = generated_video(client, 15)
    assert _mp4(client, _made(client, o3_edit(long, duration=None)))[0] == pytest.approx(
        10, abs=0.15)


def test_o3_text_and_frames(client: httpx.Client, sb: Sandbox) -> None:
    """O3 without guidances is text-to-video; start+end frames and 7 references are taken."""
    img = {"image": {"id": sb.add_image(png_bytes()), "type": "UPLOADED"}}
    text = _made(client, v2("kling-video-o-3", duration=15, width=960, height=960,
                            mode="RESOLUTION_720", motion_has_audio=True))
    assert (text["imageWidth"], _mp4(client, text)[0], _mp4(client, text)[2]) == (
        960, pytest.approx(15, abs=0.15), True)
    frames = {"start_frame": [img], "end_frame": [img]}
    assert _made(client, v2("kling-video-o-3", guidances=frames))["status"] == "COMPLETE"
    refs = {"image_reference": [img] * 7}
    assert _made(client, v2("kling-video-o-3", width=1920, height=1080,
                            guidances=refs))["status"] == "COMPLETE"


def test_o3_rejections(client: httpx.Client, sb: Sandbox) -> None:
    """O3: <=4 refs and <=10 s with a video ref, no frames with it, GENERATED finished videos."""
    img = {"image": {"id": sb.add_image(png_bytes()), "type": "UPLOADED"}}
    video, _ = generated_video(client, 5)
    base = {"video_reference_base": [{"video": {"id": video, "type": "GENERATED"}}]}
    ok = o3_edit(video, guidances={**base, "image_reference": [img] * 4})
    assert client.post(GENERATIONS, json=ok).status_code == 200
    assert "at most 4" in _v2_error(client, o3_edit(
        video, guidances={**base, "image_reference": [img] * 5}))
    assert "at most 7" in _v2_error(client, v2("kling-video-o-3", width=1920, height=1080,
                                               guidances={"image_reference": [img] * 8}))
    assert "at most 10" in _v2_error(client, o3_edit(video, duration=11))
    assert "start_frame" in _v2_error(client, o3_edit(video, guidances={
        **base, "start_frame": [img]}))
    assert "start_frame" in _v2_error(client, v2("kling-video-o-3", guidances={
        "end_frame": [img]}))
    assert "image_reference" in _v2_error(client, v2("kling-video-o-3", guidances={
        "start_frame": [img], "image_reference": [img]}))
    uploaded = {"video_reference_base": [{"video": {"id": video, "type": "UPLOADED"}}]}
    assert "GENERATED" in _v2_error(client, o3_edit(video, guidances=uploaded))
    assert "1500" in _v2_error(client, o3_edit(video, prompt="x" * 1501))
    assert "duration" in _v2_error(client, v2("kling-video-o-3", duration=16, width=1920,
                                              height=1080))


def test_o3_source_must_be_a_finished_sandbox_video(client: httpx.Client, sb: Sandbox) -> None:
    """An unknown id, an image id, or a job still running is no video to edit."""
    image = sb.add_image(png_bytes(), kind="GENERATED")
    assert "invalid video reference" in _v2_error(client, o3_edit(image))
    pending = client.post(GENERATIONS, json=v2("kling-3.0", width=1920, height=1080))
    gid = pending.json()["generate"]["generationId"]
    assert "invalid video reference" in _v2_error(client, o3_edit(gid))


# ---- Kling 3.0 text-to-video -------------------------------------------------------------------


def test_kling30_documented_text_to_video(client: httpx.Client) -> None:
    """The documented 3.0 body without guidances is accepted; without a size it is refused."""
    body = {"model": "kling-3.0", "parameters": {
        "prompt": "Ocean waves crashing against rocky shore with seagulls and wind",
        "duration": 5, "width": 1440, "height": 1440, "mode": "RESOLUTION_1080",
        "motion_has_audio": True}, "public": True}
    gen = _made(client, body)
    assert (gen["imageWidth"], gen["public"], _mp4(client, gen)[2]) == (1440, True, True)
    del body["parameters"]["width"], body["parameters"]["height"]
    assert "width and height are required" in _v2_error(client, body)


def test_v1_get_polls_every_new_model(client: httpx.Client, sb: Sandbox) -> None:
    """Every job, v1 text-to-video or v2, is found by GET /v1/generations/{id}."""
    ids = [client.post(T2V, json=t2v()).json()["motionVideoGenerationJob"]["generationId"],
           client.post(GENERATIONS, json=v2("kling-2.6", width=1920, height=1080)).json()[
               "generate"]["generationId"]]
    for gid in ids:
        got = client.get(f"{V1}/generations/{gid}").json()["generations_by_pk"]
        assert got["status"] == "PENDING"
        assert got["generated_images"] == []
