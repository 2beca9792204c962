"""The AI/ML API's universal endpoint (api-notes §9.4, §9.5): every Kling id, its field matrix,
the create and poll shapes, and ids with ``:`` and ``/`` found when URL-encoded."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from kling_nb.sandbox import AIMLAPI_SANDBOX_URL, Sandbox

from .helpers import AIML, AUTH, UNIVERSAL, generated_video, png_bytes, probe

IMAGE = "https://example.com/frame.png"
VIDEO = "https://example.com/source.mp4"
K3 = "klingai/video-v3-{}-to-video"
TURBO_STD = "klingai/video-v3-standard-turbo-{}-to-video"
TURBO_PRO = "klingai/video-v3-turbo-pro-{}-to-video"
O1 = "klingai/video-o1-"
ELEMENT = {"reference_image_urls": [IMAGE], "frontal_image_url": IMAGE}

MINIMAL: dict[str, dict[str, Any]] = {
    "klingai/v2.5-turbo/pro/text-to-video": {"prompt": "p"},
    "klingai/v2.5-turbo/pro/image-to-video": {"prompt": "p", "image_url": IMAGE},
    "klingai/video-v2-6-pro-text-to-video": {"prompt": "p"},
    "klingai/video-v2-6-pro-image-to-video": {"prompt": "p", "image_url": IMAGE},
    K3.format("standard-text"): {"prompt": "p"},
    K3.format("standard-image"): {"prompt": "p", "image_url": IMAGE},
    K3.format("pro-text"): {"multi_prompt": ["A fox wakes. 3 seconds.", "It runs. 2 seconds."]},
    K3.format("pro-image"): {"prompt": "p", "image_url": IMAGE},
    TURBO_STD.format("text"): {"prompt": "p"},
    TURBO_STD.format("image"): {"prompt": "p", "image_url": IMAGE},
    TURBO_PRO.format("text"): {"multi_prompt": [{"prompt": "a", "duration": 2},
                                                {"prompt": "b", "duration": 3}]},
    TURBO_PRO.format("image"): {"prompt": "p", "image_url": IMAGE},
    "kling-video/v3/turbo/standard/text-to-video": {"prompt": "p"},
    "kling-video/v3/turbo/standard/image-to-video": {"prompt": "p", "image_url": IMAGE},
    "kling-video/v3/turbo/pro/text-to-video": {"prompt": "p"},
    "kling-video/v3/turbo/pro/image-to-video": {"prompt": "p", "image_url": IMAGE},
    O1 + "image-to-video": {"prompt": "p", "image_url": IMAGE},
    O1 + "reference-to-video": {"prompt": "p"},
    O1 + "video-to-video-edit": {"prompt": "p", "video_url": VIDEO},
    O1 + "video-to-video-reference": {"prompt": "p", "video_url": VIDEO},
    "kling-video/v2.1/pro/image-to-video": {"image_url": IMAGE},
}
"""The smallest body each model id documents as valid."""


def post(client: httpx.Client, model: str, **fields: Any) -> httpx.Response:
    """POST a universal create for ``model``: its minimal body with ``fields`` (None drops)."""
    body = {"model": model, **MINIMAL.get(model, {}), **fields}
    return client.post(UNIVERSAL, json={k: v for k, v in body.items() if v is not None})


def poll(client: httpx.Client, job_id: str) -> dict[str, Any]:
    """One universal status request (httpx URL-encodes the id)."""
    answer = client.get(UNIVERSAL, params={"generation_id": job_id})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def done(client: httpx.Client, job_id: str) -> dict[str, Any]:
    """Poll until the task is no longer queued or generating."""
    for _ in range(5):
        got = poll(client, job_id)
        if got["status"] not in ("queued", "generating"):
            return got
    raise AssertionError("still pending")


def video_of(client: httpx.Client, response: httpx.Response) -> tuple[float, float, bool]:
    """Seconds, aspect ratio and sound of a created task's finished MP4."""
    assert response.status_code == 200, response.text
    got = done(client, response.json()["id"])
    return probe(client.get(got["video"]["url"]).content)


def refused(response: httpx.Response) -> str:
    """The message of a 400 in the AI/ML error shape."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"message", "path", "requestId", "statusCode", "timestamp"}
    return str(body["message"])


@pytest.mark.parametrize("model", list(MINIMAL))
def test_every_model_accepts_its_minimal_body(client: httpx.Client, model: str) -> None:
    """200 ``{id, status: queued, meta.usage}``; the id is ``<uuid>:<model>``."""
    answer = post(client, model)
    assert answer.status_code == 200, answer.text
    job = answer.json()
    assert set(job) == {"id", "status", "meta"}
    assert job["status"] == "queued"
    assert set(job["meta"]["usage"]) == {"credits_used", "usd_spent"}
    assert job["id"].split(":", 1)[1].startswith(("klingai/", "kling-video/"))
    assert done(client, job["id"])["status"] == "completed"


def test_poll_shapes_and_url_encoded_ids() -> None:
    """queued -> generating -> completed with video.url; ids with ':' and '/' are found when
    URL-encoded, and only then."""
    sb = Sandbox(fast_polls=2)
    with httpx.Client(transport=sb.transport(), headers=AUTH) as client:
        job_id = post(client, "klingai/video-v2-6-pro-text-to-video").json()["id"]
        assert ":klingai/video-v2-6-pro-text-to-video" in job_id
        encoded = f"{UNIVERSAL}?generation_id={quote(job_id, safe='')}"
        states = [client.get(encoded).json() for _ in range(3)]
        assert [s["status"] for s in states] == ["queued", "generating", "completed"]
        assert states[0]["video"] is None
        assert states[0]["error"] is None
        final = states[2]
        assert {"id", "status", "video", "error", "meta"} <= set(final)
        assert final["id"] == job_id
        assert final["model"] == "klingai/video-v2-6-pro-text-to-video"
        assert final["video"]["url"].endswith(".mp4")
        assert final["video"]["content_type"] == "video/mp4"
        assert client.get(final["video"]["url"]).status_code == 200
        assert client.get(AIML, params={"generation_id": job_id}).json()["status"] == "completed"
        unknown = client.get(UNIVERSAL, params={"generation_id": job_id + "x"})
        assert unknown.status_code == 404
        assert client.get(UNIVERSAL).status_code == 400


def test_error_status(client: httpx.Client, sb: Sandbox) -> None:
    """A failed task ends in status error with {name, message} and no video."""
    sb.faults.add("failed_job")
    got = done(client, post(client, "klingai/video-v2-6-pro-text-to-video").json()["id"])
    assert got["status"] == "error"
    assert got["video"] is None
    assert set(got["error"]) == {"name", "message"}


@pytest.mark.parametrize(("model", "fields", "message"), [
    ("klingai/video-v2-6-pro-text-to-video", {"prompt": "x" * 2501}, "2500"),
    (TURBO_STD.format("text"), {"prompt": "x" * 3073}, "3072"),
    (O1 + "reference-to-video", {"prompt": "x" * 2501}, "2500"),
    ("klingai/v2.5-turbo/pro/text-to-video", {"prompt": None}, "prompt should not be empty"),
    ("klingai/video-v2-6-pro-text-to-video", {"duration": 7}, "duration must be one of"),
    (K3.format("pro-text"), {"duration": 16}, "duration must be one of"),
    (TURBO_PRO.format("text"), {"duration": "2"}, "duration must be one of"),
    (K3.format("standard-text"), {"multi_prompt": ["a"]}, "exactly one of"),
    (K3.format("standard-text"), {"prompt": None}, "exactly one of"),
    (TURBO_STD.format("image"), {"prompt": None}, "exactly one of"),
    (K3.format("pro-text"), {"multi_prompt": [{"prompt": "a", "duration": 5}]}, "string"),
    (TURBO_STD.format("text"), {"prompt": None, "multi_prompt": ["a", "b"]}, "object"),
    (TURBO_STD.format("text"), {"prompt": None, "multi_prompt": [{"prompt": "a"}] * 7},
     "no more than 6"),
    (TURBO_STD.format("text"), {"prompt": None, "multi_prompt": [{"prompt": "a",
                                                                  "duration": 16}]}, "15"),
    (TURBO_STD.format("text"), {"prompt": None, "multi_prompt": [{"duration": 3}]},
     "prompt should not be empty"),
    (K3.format("pro-image"), {"image_url": None}, "image_url should not be empty"),
    (O1 + "image-to-video", {"image_url": None}, "image_url should not be empty"),
    (O1 + "video-to-video-edit", {"video_url": None}, "video_url should not be empty"),
    (K3.format("pro-text"), {"colour": "red"}, "property colour should not exist"),
    (K3.format("pro-image"), {"last_image_url": IMAGE, "tail_image_url": IMAGE},
     "property last_image_url"),
    (O1 + "image-to-video", {"tail_image_url": IMAGE}, "property tail_image_url"),
    (K3.format("standard-image"), {"aspect_ratio": "16:9"}, "property aspect_ratio"),
    (K3.format("pro-text"), {"tail_image_url": IMAGE}, "property tail_image_url"),
    ("klingai/video-v2-6-pro-image-to-video", {"cfg_scale": 0.5}, "property cfg_scale"),
    (TURBO_PRO.format("text"), {"generate_audio": True}, "property generate_audio"),
    (TURBO_PRO.format("text"), {"provider": "kling"}, "property provider"),
    (TURBO_PRO.format("text"), {"negative_prompt": "x"}, "property negative_prompt"),
    (O1 + "video-to-video-edit", {"duration": 5}, "property duration"),
    (O1 + "video-to-video-edit", {"aspect_ratio": "16:9"}, "property aspect_ratio"),
    (K3.format("pro-text"), {"cfg_scale": 1.5}, "cfg_scale must not be greater than 1"),
    (K3.format("pro-text"), {"aspect_ratio": "4:3"}, "aspect_ratio must be one of"),
    (K3.format("pro-text"), {"shot_type": "auto"}, "shot_type must be one of"),
    (K3.format("pro-text"), {"generate_audio": "yes"}, "boolean"),
    (K3.format("pro-text"), {"provider": "replicate"}, "provider must be one of"),
    (K3.format("pro-image"), {"elements": [ELEMENT] * 5}, "no more than 4"),
    (K3.format("pro-image"), {"elements": [{"frontal_image_url": IMAGE}]},
     "reference_image_urls should not be empty"),
    (K3.format("pro-image"), {"elements": [{"reference_image_urls": [IMAGE] * 5}]},
     "no more than 4"),
    (K3.format("pro-image"), {"elements": [{**ELEMENT, "video_url": VIDEO}] * 2},
     "at most one element"),
    (O1 + "reference-to-video", {"elements": [{"reference_image_urls": [IMAGE]}]},
     "frontal_image_url should not be empty"),
    (O1 + "reference-to-video", {"image_list": [IMAGE] * 8}, "no more than 7"),
    (O1 + "reference-to-video", {"image_list": []}, "at least 1"),
    (O1 + "video-to-video-reference", {"image_list": [IMAGE] * 5}, "no more than 4"),
    (O1 + "video-to-video-edit", {"video_url": "http://example.com/a.mp4"}, "https"),
    (O1 + "image-to-video", {"image_url": "not an image"}, "image_url must be"),
    ("kling-video/v9", {}, "model must be one of"),
])
def test_documented_rejections(client: httpx.Client, model: str, fields: dict[str, Any],
                               message: str) -> None:
    """Each documented rule of the field matrix refuses with a 400 in the AI/ML shape."""
    assert message in refused(post(client, model, **fields))


@pytest.mark.parametrize(("model", "fields"), [
    (K3.format("pro-text"), {"duration": "5"}),
    (K3.format("pro-text"), {"duration": 15, "shot_type": "customize", "cfg_scale": 0,
                             "negative_prompt": "rain", "aspect_ratio": "1:1",
                             "generate_audio": False, "provider": "KLINGAI"}),
    (TURBO_PRO.format("text"), {"duration": 9}),  # shots add up to 5: only [inferred]
    (K3.format("pro-image"), {"tail_image_url": IMAGE, "elements": [
        {**ELEMENT, "video_url": VIDEO}, {"reference_image_urls": [IMAGE] * 4}]}),
    (O1 + "image-to-video", {"last_image_url": IMAGE, "duration": 10}),
    # the 3.0 pages' own spellings: last_image_url for the end frame, aspect_ratio on Pro i2v
    (K3.format("pro-image"), {"last_image_url": IMAGE, "aspect_ratio": "16:9"}),
    (K3.format("standard-image"), {"last_image_url": IMAGE}),
    (O1 + "reference-to-video", {"image_list": [IMAGE] * 7, "elements": [ELEMENT] * 4,
                                 "aspect_ratio": "9:16", "duration": "10"}),
    (O1 + "video-to-video-edit", {"image_list": [IMAGE], "keep_audio": True}),
    ("kling-video/v2.1/pro/image-to-video", {
        "camera_control": {"type": "simple", "config": {"zoom": 5, "pan": -10}},
        "dynamic_masks": [{"mask": IMAGE, "trajectories": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]}],
        "static_mask": IMAGE, "cfg_scale": 0.5, "negative_prompt": "blur"}),
])
def test_documented_options_are_accepted(client: httpx.Client, model: str,
                                         fields: dict[str, Any]) -> None:
    """Optional fields within their documented ranges (and duration as a string) pass."""
    assert post(client, model, **fields).status_code == 200


@pytest.mark.parametrize(("fields", "message"), [
    ({"image_url": "data:image/png;base64," + base64.b64encode(png_bytes((200, 400))).decode()},
     "at least 300 px"),
    ({"image_url": "data:image/png;base64," + base64.b64encode(png_bytes((960, 320))).decode()},
     "2.5:1"),
    ({"image_url": "data:image/webp;base64,"
      + base64.b64encode(png_bytes((400, 400), "WEBP")).decode()}, "JPG or PNG"),
])
def test_turbo_image_limits(client: httpx.Client, fields: dict[str, Any], message: str) -> None:
    """Turbo image-to-video: JPG/PNG, at least 300 px, 1:2.5 to 2.5:1 (when the bytes are
    inline)."""
    assert message in refused(post(client, TURBO_PRO.format("image"), **fields))


def test_output_follows_aspect_tier_and_image(client: httpx.Client, sb: Sandbox) -> None:
    """t2v follows aspect_ratio (16:9 by default) at the model's tier; i2v follows the image."""
    tall = post(client, "klingai/v2.5-turbo/pro/text-to-video", aspect_ratio="9:16", duration=10)
    seconds, ratio, sound = video_of(client, tall)
    assert (seconds, ratio, sound) == (pytest.approx(10, abs=0.15), pytest.approx(9 / 16, 0.05),
                                       False)
    std = post(client, K3.format("standard-text"), duration=3)
    assert (sb.store.jobs[std.json()["id"]].width, sb.store.jobs[std.json()["id"]].height) == (
        1280, 720)
    assert video_of(client, std)[2] is True  # generate_audio defaults to true
    upload = sb.add_image(png_bytes((400, 600)))
    image = f"https://cdn.sandbox.kling-nb.invalid/images/{upload}.png"
    portrait = post(client, TURBO_PRO.format("image"), image_url=image)
    assert video_of(client, portrait)[1] == pytest.approx(2 / 3, rel=0.05)


def test_edit_follows_its_source_video(client: httpx.Client) -> None:
    """O1 edit: the length and shape of a sandbox (or data: URI) source; keep_audio keeps its
    sound; an unfinished or unknown sandbox video cannot be fetched."""
    _, url = generated_video(client, 3, audio=True, size=(1080, 1920))
    edited = post(client, O1 + "video-to-video-edit", video_url=url, keep_audio=True)
    seconds, ratio, sound = video_of(client, edited)
    assert (seconds, ratio, sound) == (pytest.approx(3, abs=0.15), pytest.approx(9 / 16, 0.05),
                                       True)
    data = "data:video/mp4;base64," + base64.b64encode(client.get(url).content).decode()
    assert video_of(client, post(client, O1 + "video-to-video-edit",
                                 video_url=data))[0] == pytest.approx(3, abs=0.15)
    referenced = post(client, O1 + "video-to-video-reference", video_url=url, duration=10)
    assert video_of(client, referenced)[:2] == (pytest.approx(10, abs=0.15),
                                                pytest.approx(16 / 9, 0.05))
    gone = url.replace("/videos/", "/videos/0")
    assert "could not be downloaded" in refused(post(client, O1 + "video-to-video-edit",
                                                     video_url=gone))
    bad = "data:video/mp4;base64," + base64.b64encode(b"not a video").decode()
    assert "playable" in refused(post(client, O1 + "video-to-video-edit", video_url=bad))


def test_legacy_path_still_takes_new_ids(client: httpx.Client) -> None:
    """The legacy path "still works" with the 2.6 id (201, as before); 2.1 stays as it was."""
    answer = client.post(AIML, json={"model": "klingai/video-v2-6-pro-text-to-video",
                                     "prompt": "p"})
    assert answer.status_code == 201
    assert ":" not in answer.json()["id"]
    assert client.get(UNIVERSAL, params={"generation_id": answer.json()["id"]}).status_code == 200


def test_universal_over_http() -> None:
    """The loopback server routes /v2/video/... to the AI/ML API; ids survive URL-encoding."""
    from kling_nb.sandbox import serve

    with serve() as server, httpx.Client(base_url=server.url, headers=AUTH) as c:
        job = c.post("/v2/video/generations", json={"model": TURBO_STD.format("text"),
                                                    "prompt": "p"}).json()
        for _ in range(2):
            got = c.get("/v2/video/generations", params={"generation_id": job["id"]}).json()
        assert got["status"] == "completed"
        assert got["video"]["url"].startswith(server.url + "/_sandbox/cdn/videos/")
    assert AIMLAPI_SANDBOX_URL in UNIVERSAL
