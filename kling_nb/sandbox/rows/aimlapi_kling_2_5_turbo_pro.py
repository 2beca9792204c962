"""Kling 2.5 Turbo Pro on the AI/ML API: text- or image-to-video, 5 or 10 s."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, PerJob

SCHEMAS = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
           "v2.5-turbo-pro-text-to-video.json, v2.5-turbo-pro-image-to-video.json")
TEXT, IMAGE = "klingai/v2.5-turbo/pro/text-to-video", "klingai/v2.5-turbo/pro/image-to-video"

ENTRY = Aiml(
    row="aimlapi/kling-2.5-turbo-pro", source=SCHEMAS,
    variants=(
        AimlVariant(model=TEXT, required=frozenset({"prompt"}), optional=frozenset({
            "duration", "aspect_ratio", "negative_prompt", "cfg_scale", "provider"})),
        AimlVariant(model=IMAGE, required=frozenset({"prompt", "image_url"}),
                    optional=frozenset({"duration", "negative_prompt", "cfg_scale",
                                        "provider"}), size_follows="image_url"),
    ),
    price=PerJob(usd_by_seconds={5: 0.35, 10: 0.70},
                 made_up="the AI/ML API reports usage per job and its docs publish no figure: "
                         "the sandbox takes Leonardo's Kling 2.5 Turbo figures"),
    samples=(
        {"model": IMAGE, "prompt": "x", "image_url": "https://example.com/frame.png",
         "duration": 5},
        {"model": TEXT, "prompt": "p"},
    ),
)
