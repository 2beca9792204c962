"""The sample requests of the five vendor pages, with their placeholders filled in."""

from __future__ import annotations

from typing import Any

START = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"
END = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e02"
VIDEO = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e03"
SEED = 42
MONA_LISA = "https://upload.wikimedia.org/wikipedia/commons/6/6a/Mona_Lisa.jpg"

# Placeholder -> value, as the seed pages spell the placeholders.
PLACEHOLDERS = {
    "`<YOUR_INIT_IMAGE_ID>`": f'"{START}"',
    "<YOUR_IMAGE_ID>": f'"{START}"',
    '"<YOUR_START_IMAGE_ID>"': f'"{START}"',
    '"<YOUR_END_IMAGE_ID>"': f'"{END}"',
    '"YOUR_UPLOADED_IMAGE_ID"': f'"{START}"',
    '"YOUR_GENERATED_VIDEO_ID"': f'"{VIDEO}"',
    "YOUR_SEED": str(SEED),
}

KLING21_LEONARDO: dict[str, Any] = {
    "prompt": "woman walks forward, camera follows her, timelapse with clouds",
    "imageId": START,
    "imageType": "GENERATED",
    "endFrameImage": {"id": START, "type": "GENERATED"},
    "resolution": "RESOLUTION_1080",
    "duration": 10,
    "height": 1080,
    "width": 1920,
    "model": "KLING2_1",
}

KLING25_TURBO: dict[str, Any] = {
    "prompt": "A dreamlike sea of flowers reminiscent of a movie scene, with a gentle breeze "
    "caressing the golden hour light and shadow. The most beautiful place in the world, "
    "captured in stunningly dynamic cinematography.",
    "imageId": START,
    "imageType": "UPLOADED",
    "resolution": "RESOLUTION_1080",
    "height": 1080,
    "width": 1920,
    "duration": 5,
    "model": "Kling2_5",
    "isPublic": False,
}

# The AI/ML page gives no JSON sample: these are the values it names.
KLING21_AIML: dict[str, Any] = {
    "model": "kling-video/v2.1/pro/image-to-video",
    "image_url": MONA_LISA,
    "prompt": "Mona Lisa puts on glasses with her hands.",
    "duration": 5,
}

KLING_O1: dict[str, Any] = {
    "model": "kling-video-o-1",
    "public": False,
    "parameters": {
        "prompt": "The woman plays with the cat",
        "guidances": {
            "start_frame": [{"image": {"id": START, "type": "UPLOADED"}}],
            "end_frame": [{"image": {"id": END, "type": "UPLOADED"}}],
        },
        "duration": 5,
        "width": 1080,
        "height": 1920,
    },
}

KLING_O1_EDIT: dict[str, Any] = {
    "model": "kling-video-o-1",
    "public": False,
    "parameters": {
        "prompt": "add @image1 to the background",
        "mode": "RESOLUTION_1080",
        "prompt_enhance": "OFF",
        "quantity": 1,
        "duration": 5,
        "seed": SEED,
        "width": 1920,
        "height": 1080,
        "guidances": {
            "image_reference": [{"image": {"id": START, "type": "UPLOADED"}}],
            "video_reference_base": [{"video": {"id": VIDEO, "type": "GENERATED"}}],
        },
    },
}

KLING30: dict[str, Any] = {
    "model": "kling-3.0",
    "public": False,
    "parameters": {
        "prompt": "Animate this landscape with birds flying and wind blowing through trees",
        "duration": 5,
        "width": 1920,
        "height": 1080,
        "mode": "RESOLUTION_1080",
        "motion_has_audio": True,
        "guidances": {"start_frame": [{"image": {"id": START, "type": "GENERATED"}}]},
    },
}

# (seed page, sample body, index of the curl sample on that page)
SAMPLES: list[tuple[str, dict[str, Any], int]] = [
    ("000_14c495383e1e1600.txt", KLING21_LEONARDO, 0),
    ("001_a7959dacb5309057.txt", KLING25_TURBO, 0),
    ("003_74acdf954691fb6f.txt", KLING_O1, 0),
    ("003_74acdf954691fb6f.txt", KLING_O1_EDIT, 1),
    ("004_7f86ff0e8d1fe9e1.txt", KLING30, 0),
]
