"""Kling 1.6 Standard on the AI/ML API: text- or image-to-video, 5 or 10 s at 720p; a prompt
either way."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, PerJob

SCHEMAS = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
           "v1.6-standard-text-to-video.json, v1.6-standart-image-to-video.json")
TEXT = "kling-video/v1.6/standard/text-to-video"
IMAGE = "kling-video/v1.6/standard/image-to-video"
MONA = ("https://raw.githubusercontent.com/aimlapi/api-docs/main/reference-files/"
        "mona_lisa_extended.jpg")

ENTRY = Aiml(
    row="aimlapi/kling-1.6-standard", source=SCHEMAS, tier=720,
    variants=(
        AimlVariant(model=TEXT, required=frozenset({"prompt"}), optional=frozenset({
            "duration", "aspect_ratio", "negative_prompt", "cfg_scale", "provider"})),
        AimlVariant(model=IMAGE, required=frozenset({"prompt", "image_url"}),
                    optional=frozenset({"duration", "negative_prompt", "cfg_scale", "provider"}),
                    size_follows="image_url"),
    ),
    price=PerJob(usd_by_seconds={5: 0.20, 10: 0.40},
                 made_up="the AI/ML docs publish no Kling price (the API reports what each "
                         "job used): a sandbox figure"),
    samples=(
        {"model": TEXT, "prompt": "A cheerful white raccoon running through a sequoia forest",
         "aspect_ratio": "16:9", "duration": 5},
        {"model": IMAGE, "prompt": "Mona Lisa puts on glasses with her hands.",
         "image_url": MONA, "duration": 5},
    ),
)
