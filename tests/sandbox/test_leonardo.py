"""Leonardo endpoints of the sandbox: shapes, vendor samples, rejections, lifecycle."""

from __future__ import annotations

import httpx
import pytest

from kling_nb.sandbox import SANDBOX_HEADER, Sandbox

from .helpers import AUTH, V1, V2, finish, png_bytes, upload

I2V = V1 + "/generations-image-to-video"


def v1_body(image_id: str, **extra: object) -> dict[str, object]:
    """A valid Kling 2.5 Turbo body."""
    return {"prompt": "waves", "imageId": image_id, "imageType": "UPLOADED",
            "resolution": "RESOLUTION_1080", "duration": 5, "width": 1920, "height": 1080,
            "model": "KLING2_5", "isPublic": False, **extra}


def v2_body(model: str = "kling-3.0", **params: object) -> dict[str, object]:
    """A valid v2 body."""
    return {"model": model, "public": False,
            "parameters": {"prompt": "birds", "duration": 5, "width": 1920, "height": 1080,
                           **params}}


def test_seed_000_kling21_sample_accepted(client: httpx.Client, sb: Sandbox) -> None:
    """The Kling 2.1 Pro vendor sample (GENERATED start+end) creates a job with cost."""
    gen = sb.add_image(png_bytes(), kind="GENERATED")
    body = {"prompt": "woman walks forward, camera follows her, timelapse with clouds",
            "imageId": gen, "imageType": "GENERATED",
            "endFrameImage": {"id": gen, "type": "GENERATED"}, "resolution": "RESOLUTION_1080",
            "duration": 10, "height": 1080, "width": 1920, "model": "KLING2_1"}
    answer = client.post(I2V, json=body)
    assert answer.status_code == 200
    job = answer.json()["motionVideoGenerationJob"]
    assert set(job) == {"generationId", "apiCreditCost", "cost"}
    assert job["cost"] == {"amount": "1.23", "unit": "DOLLARS"}
    assert sb.balance == pytest.approx(100 - 1.23)


def test_seed_001_kling25_sample_accepted_with_upper_case_model(client: httpx.Client) -> None:
    """The Kling 2.5 Turbo sample with an uploaded init image and model KLING2_5 is accepted."""
    image = upload(client, png_bytes())
    answer = client.post(I2V, json=v1_body(image, prompt="A dreamlike sea of flowers"))
    assert answer.status_code == 200
    assert answer.json()["motionVideoGenerationJob"]["cost"]["amount"] == "0.35"


def test_seed_003_o1_samples_accepted(client: httpx.Client, sb: Sandbox) -> None:
    """Both Kling O1 samples (start/end frames; video editing) are accepted."""
    start = upload(client, png_bytes())
    frames = {"start_frame": [{"image": {"id": start, "type": "UPLOADED"}}],
              "end_frame": [{"image": {"id": start, "type": "UPLOADED"}}]}
    first = client.post(V2 + "/generations", json=v2_body(
        "kling-video-o-1", width=1080, height=1920, guidances=frames))
    assert first.status_code == 200, first.text
    video_id = finish(client, first.json()["generate"]["generationId"])["generated_images"]
    edit = v2_body("kling-video-o-1", prompt="add @image1 to the background",
                   mode="RESOLUTION_1080", prompt_enhance="OFF", quantity=1, seed=7, guidances={
                       "image_reference": [{"image": {"id": start, "type": "UPLOADED"}}],
                       "video_reference_base": [
                           {"video": {"id": video_id[0]["id"], "type": "GENERATED"}}]})
    second = client.post(V2 + "/generations", json=edit)
    assert second.status_code == 200, second.text
    assert set(second.json()["generate"]) == {"generationId", "apiCreditCost", "cost"}


def test_seed_004_kling30_sample_accepted(client: httpx.Client, sb: Sandbox) -> None:
    """The Kling 3.0 sample (GENERATED start frame, audio) is accepted."""
    gen = sb.add_image(png_bytes(), kind="GENERATED")
    body = v2_body(mode="RESOLUTION_1080", motion_has_audio=True,
                   guidances={"start_frame": [{"image": {"id": gen, "type": "GENERATED"}}]})
    assert client.post(V2 + "/generations", json=body).status_code == 200


def _v1_error(client: httpx.Client, body: dict[str, object]) -> dict[str, object]:
    answer = client.post(I2V, json=body)
    assert answer.status_code == 400
    payload = answer.json()
    assert set(payload) == {"error", "path", "code"}
    return dict(payload)


@pytest.mark.parametrize(("extra", "message"), [
    ({"foo": 1}, "Unexpected variable foo"),
    ({"width": 1280, "height": 720}, "invalid dimensions"),
    ({"duration": 7}, "invalid duration"),
    ({"model": "Kling2_5"}, "invalid model"),
    ({"prompt": "x" * 1501}, "1500"),
    ({"imageId": "nope"}, "invalid init image id"),
    ({"imageType": "SOMETHING"}, "invalid type"),
])
def test_v1_rejections(client: httpx.Client, sb: Sandbox, extra: dict[str, object],
                       message: str) -> None:
    """Each documented v1 rule is refused with a v1 error body."""
    image = sb.add_image(png_bytes())
    assert message in str(_v1_error(client, v1_body(image, **extra))["error"])


def test_v1_kling21_size_and_start_frame_rules(client: httpx.Client, sb: Sandbox) -> None:
    """2.1 refuses 1440x1440 and a missing start frame; an end frame needs a start frame."""
    image = sb.add_image(png_bytes())
    assert "dimensions" in str(_v1_error(
        client, v1_body(image, model="KLING2_1", width=1440, height=1440))["error"])
    no_start = {k: v for k, v in v1_body(image, model="KLING2_1").items()
                if k not in ("imageId", "imageType")}
    assert "imageId" in str(_v1_error(client, no_start)["error"])
    end_only = {**no_start, "model": "KLING2_5", "endFrameImage": {"id": image, "type": "UPLOADED"}}
    assert "start frame" in str(_v1_error(client, end_only)["error"])


def _v2_error(client: httpx.Client, body: dict[str, object]) -> str:
    answer = client.post(V2 + "/generations", json=body)
    assert answer.status_code == 400, answer.text
    items = answer.json()
    assert isinstance(items, list)
    assert set(items[0]) == {"message", "extensions"}
    assert set(items[0]["extensions"]) == {"code", "details"}
    return str(items[0]["message"])


def test_v2_rejections(client: httpx.Client, sb: Sandbox) -> None:
    """v2 refuses: missing public, bad duration/size, end without start, refs with start,
    too many refs, UPLOADED video reference, unknown key, audio on O1."""
    img = {"image": {"id": sb.add_image(png_bytes()), "type": "UPLOADED"}}
    no_public = v2_body()
    del no_public["public"]
    assert "public" in _v2_error(client, no_public)
    assert "duration" in _v2_error(client, v2_body(duration=16))
    assert "duration" in _v2_error(client, v2_body("kling-video-o-1", duration=8))
    assert "dimensions" in _v2_error(client, v2_body(mode="RESOLUTION_720"))
    assert "start_frame" in _v2_error(client, v2_body(guidances={"end_frame": [img]}))
    both = {"start_frame": [img], "image_reference": [img]}
    assert "image_reference" in _v2_error(client, v2_body(guidances=both))
    assert "at most 4" in _v2_error(client, v2_body(
        "kling-video-o-1", guidances={"image_reference": [img] * 5}))
    assert client.post(V2 + "/generations", json=v2_body(
        guidances={"image_reference": [img] * 7})).status_code == 200
    video = {"video": {"id": "x", "type": "UPLOADED"}}
    assert "GENERATED" in _v2_error(client, v2_body(guidances={"video_reference_base": [video]}))
    assert "Unexpected variable" in _v2_error(client, v2_body(colour="red"))
    assert "Unexpected variable motion_has_audio" in _v2_error(
        client, v2_body("kling-video-o-1", motion_has_audio=True))


def test_v2_kling30_size_may_follow_start_frame(client: httpx.Client, sb: Sandbox) -> None:
    """Kling 3.0 without width/height takes the start frame's shape at the mode's resolution."""
    image = sb.add_image(png_bytes((96, 128)))
    for mode, size in (("RESOLUTION_1080", (1080, 1440)), ("RESOLUTION_720", (720, 960))):
        body = {"model": "kling-3.0", "public": True, "parameters": {
            "prompt": "p", "duration": 3, "mode": mode,
            "guidances": {"start_frame": [{"image": {"id": image, "type": "UPLOADED"}}]}}}
        answer = client.post(V2 + "/generations", json=body)
        gen = finish(client, answer.json()["generate"]["generationId"])
        assert (gen["imageWidth"], gen["imageHeight"]) == size


def test_missing_or_wrong_auth_is_401(sb: Sandbox) -> None:
    """No key, an empty key, or (with key=) another key -> 401 with the v1 error body."""
    with httpx.Client(transport=sb.transport()) as bare:
        answer = bare.get(V1 + "/me")
        assert answer.status_code == 401
        assert answer.json()["code"] == "invalid-jwt"
        assert bare.get(V1 + "/me", headers={"authorization": "Bearer "}).status_code == 401
    strict = Sandbox(key="k1")
    with httpx.Client(transport=strict.transport()) as c:
        assert c.get(V1 + "/me", headers={"authorization": "Bearer k2"}).status_code == 401
        assert c.get(V1 + "/me", headers={"authorization": "Bearer k1"}).status_code == 200


def test_lifecycle_fast_pending_then_complete(client: httpx.Client, sb: Sandbox) -> None:
    """Fast timing: PENDING with no images on the first poll, COMPLETE with media on the next."""
    image = sb.add_image(png_bytes())
    gid = client.post(I2V, json=v1_body(image)).json()["motionVideoGenerationJob"]["generationId"]
    first = client.get(f"{V1}/generations/{gid}").json()["generations_by_pk"]
    assert first["status"] == "PENDING"
    assert first["generated_images"] == []
    second = client.get(f"{V1}/generations/{gid}").json()["generations_by_pk"]
    assert second["status"] == "COMPLETE"
    assert {"id", "status", "createdAt", "prompt", "imageWidth", "imageHeight", "public",
            "seed", "generated_images"} <= set(second)
    item = second["generated_images"][0]
    assert {"id", "url", "motionMP4URL"} <= set(item)
    assert client.get(item["url"]).headers["content-type"] == "image/jpeg"


def test_fast_polls_configurable() -> None:
    """fast_polls=3 keeps a job pending for three status requests."""
    sb = Sandbox(fast_polls=3)
    with httpx.Client(transport=sb.transport(), headers=AUTH) as c:
        image = sb.add_image(png_bytes())
        gid = c.post(I2V, json=v1_body(image)).json()["motionVideoGenerationJob"]["generationId"]
        states = [c.get(f"{V1}/generations/{gid}").json()["generations_by_pk"]["status"]
                  for _ in range(4)]
    assert states == ["PENDING", "PENDING", "PENDING", "COMPLETE"]


def test_realistic_timing_and_concurrency_queue() -> None:
    """Realistic timing: done after 3-4 min on the injected clock; the 11th job queues."""
    now = [1_000_000.0]
    sb = Sandbox(timing="realistic", clock=lambda: now[0])
    with httpx.Client(transport=sb.transport(), headers=AUTH) as c:
        image = sb.add_image(png_bytes())
        ids = [c.post(I2V, json=v1_body(image)).json()["motionVideoGenerationJob"]["generationId"]
               for _ in range(11)]

        def status(i: int) -> str:
            return str(c.get(f"{V1}/generations/{ids[i]}").json()["generations_by_pk"]["status"])

        now[0] += 179
        assert status(0) == "PENDING"
        now[0] += 62
        assert [status(i) for i in range(10)] == ["COMPLETE"] * 10
        assert status(10) == "PENDING"
        now[0] += 240
        assert status(10) == "COMPLETE"
    assert sb.peak_running() == 10


def test_me_list_delete_and_init_image(client: httpx.Client, sb: Sandbox) -> None:
    """/me, user generations (newest first), delete, init-image GET have the documented keys."""
    details = client.get(V1 + "/me").json()["user_details"][0]
    assert details["apiConcurrencySlots"] == 10
    assert details["user"] == {"id": sb.user_id, "username": "sandbox-user"}
    image = upload(client, png_bytes())
    got = client.get(f"{V1}/init-image/{image}").json()["init_images_by_pk"]
    assert set(got) == {"id", "url", "createdAt"}
    ids = [client.post(I2V, json=v1_body(image)).json()["motionVideoGenerationJob"]["generationId"]
           for _ in range(2)]
    listing = f"{V1}/generations/user/{sb.user_id}"
    assert client.get(listing, params={"offset": 0, "limit": 5}).json()["generations"] == []
    sb.clock.now += sb.listing_delay  # type: ignore[attr-defined]  # a listing lags a little
    listed = client.get(listing, params={"offset": 0, "limit": 5})
    assert [g["id"] for g in listed.json()["generations"]] == ids[::-1]
    deleted = client.delete(f"{V1}/generations/{ids[0]}").json()
    assert deleted == {"delete_generations_by_pk": {"id": ids[0]}}
    assert client.get(f"{V1}/generations/{ids[0]}").status_code == 404


def test_upload_target_rules(client: httpx.Client) -> None:
    """Upload: auth header 403, wrong fields 403, expired 403, wrong bytes 400, else 204."""
    import json as _json

    def form() -> tuple[str, dict[str, str]]:
        info = client.post(V1 + "/init-image", json={"extension": "png"}).json()["uploadInitImage"]
        return info["url"], _json.loads(info["fields"])

    url, fields = form()
    assert client.post(url, data=fields, files={"file": png_bytes()}).status_code == 403
    with httpx.Client(transport=client._transport) as bare:
        assert bare.post(url, data={**fields, "Policy": "x"},
                         files={"file": png_bytes()}).status_code == 403
        assert bare.post(url, data=fields,
                         files={"file": png_bytes(fmt="JPEG")}).status_code == 400
        answer = bare.post(url, data=fields, files={"file": png_bytes()})
        assert answer.status_code == 204
        assert answer.content == b""
        assert answer.headers[SANDBOX_HEADER] == "true"


def test_upload_expires_after_two_minutes() -> None:
    """A presigned upload older than 120 s on the sandbox clock is refused with 403."""
    import json as _json

    now = [0.0]
    sb = Sandbox(clock=lambda: now[0])
    with httpx.Client(transport=sb.transport(), headers=AUTH) as c:
        info = c.post(V1 + "/init-image", json={"extension": "png"}).json()["uploadInitImage"]
    now[0] = 121.0
    with httpx.Client(transport=sb.transport()) as bare:
        answer = bare.post(info["url"], data=_json.loads(info["fields"]),
                           files={"file": png_bytes()})
    assert answer.status_code == 403
    assert b"expired" in answer.content


def test_unuploaded_init_image_is_not_usable(client: httpx.Client) -> None:
    """An init image id is only usable as UPLOADED after its upload succeeded."""
    info = client.post(V1 + "/init-image", json={"extension": "png"}).json()["uploadInitImage"]
    assert "invalid init image id" in _v1_error(client, v1_body(info["id"]))["error"]
