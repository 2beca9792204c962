"""Kling 2.0 Master on the AI/ML API: text- or image-to-video, 5 or 10 s; camera moves and a
motion brush with an image; 720p (the pages' samples)."""

from kling_nb.sandbox._entry import CAMERA_PRESETS, Aiml, AimlVariant, Choice, PerJob

SCHEMAS = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
           "v2-master-text-to-video.json, v2-master-image-to-video.json")
TEXT, IMAGE = "klingai/v2-master-text-to-video", "klingai/v2-master-image-to-video"
MONA = ("https://raw.githubusercontent.com/aimlapi/api-docs/main/reference-files/"
        "mona_lisa_extended.jpg")

ENTRY = Aiml(
    row="aimlapi/kling-2.0-master", source=SCHEMAS, tier=720,
    variants=(
        # text-to-video takes camera_control as a preset name (image-to-video: an object)
        AimlVariant(model=TEXT, required=frozenset({"prompt"}), optional=frozenset({
            "duration", "aspect_ratio", "negative_prompt", "cfg_scale", "camera_control",
            "advanced_camera_control", "provider"}),
                    fields={"camera_control": Choice(CAMERA_PRESETS)}),
        AimlVariant(model=IMAGE, required=frozenset({"image_url"}), optional=frozenset({
            "prompt", "duration", "negative_prompt", "cfg_scale", "static_mask", "dynamic_masks",
            "camera_control", "provider"}),
                    size_follows="image_url"),
    ),
    price=PerJob(usd_by_seconds={5: 1.40, 10: 2.80},
                 made_up="the AI/ML docs publish no Kling price (the API reports what each "
                         "job used): a sandbox figure"),
    samples=(
        {"model": TEXT, "prompt": "A cheerful white raccoon running through a sequoia forest",
         "aspect_ratio": "16:9",
         "duration": 5, "cfg_scale": 0.9},
        {"model": IMAGE, "prompt": "Mona Lisa puts on glasses with her hands.",
         "image_url": MONA, "duration": 5},
        {"model": TEXT, "prompt": "A dragon rushes toward the camera.",
         "camera_control": "down_back",
         "advanced_camera_control": {"movement_type": "zoom", "movement_value": 5}},
        {"model": IMAGE, "image_url": "https://example.com/frame.png",
         "camera_control": {"type": "simple", "config": {"zoom": 5}}},
    ),
)
