"""Kling 2.1 Standard image-to-video on the AI/ML API: 5 or 10 s from an image ("a
cost-efficient variant of the Kling 2.1 model, yet supports 1080p"), camera moves, a motion
brush."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, PerJob

SCHEMA = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
          "v2.1-standard-image-to-video.json")
IMAGE = "kling-video/v2.1/standard/image-to-video"
MONA = ("https://raw.githubusercontent.com/aimlapi/api-docs/main/reference-files/"
        "mona_lisa_extended.jpg")

ENTRY = Aiml(
    row="aimlapi/kling-2.1-standard", source=SCHEMA, tier=1080,
    variants=(
        AimlVariant(model=IMAGE, required=frozenset({"image_url"}), optional=frozenset({
            "prompt", "duration", "negative_prompt", "cfg_scale", "static_mask", "dynamic_masks",
            "camera_control"}), size_follows="image_url"),
    ),
    price=PerJob(usd_by_seconds={5: 0.28, 10: 0.56},
                 made_up="the AI/ML docs publish no Kling price (the API reports what each "
                         "job used): a sandbox figure"),
    samples=(
        {"model": IMAGE, "prompt": "Mona Lisa puts on glasses with her hands.",
         "image_url": MONA, "duration": 5},
        {"model": IMAGE, "image_url": "https://example.com/frame.png",
         "dynamic_masks": [{"mask": "https://example.com/mask.png",
                            "trajectories": [{"x": 10, "y": 10}, {"x": 90, "y": 40}]}]},
    ),
)
