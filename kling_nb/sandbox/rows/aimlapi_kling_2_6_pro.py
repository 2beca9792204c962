"""Kling 2.6 Pro on the AI/ML API: text- or image-to-video, 5 or 10 s, sound on by default."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, PerJob, Sound

SCHEMAS = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
           "video-v2-6-pro-text-to-video.json, video-v2-6-pro-image-to-video.json")
TEXT = "klingai/video-v2-6-pro-text-to-video"
IMAGE = "klingai/video-v2-6-pro-image-to-video"

ENTRY = Aiml(
    row="aimlapi/kling-2.6-pro", source=SCHEMAS, prompt_max=2500,
    variants=(
        AimlVariant(model=TEXT, required=frozenset({"prompt"}), optional=frozenset({
            "duration", "aspect_ratio", "negative_prompt", "cfg_scale", "generate_audio",
            "provider"})),
        # no cfg_scale on image-to-video
        AimlVariant(model=IMAGE, required=frozenset({"prompt", "image_url"}),
                    optional=frozenset({"duration", "negative_prompt", "generate_audio",
                                        "provider"}), size_follows="image_url"),
    ),
    sound=Sound(flag="generate_audio", default=True),
    price=PerJob(usd_by_seconds={5: 0.60, 10: 1.21},
                 made_up="the AI/ML API reports usage per job and its docs publish no figure: "
                         "the sandbox takes Leonardo's 604 / 1208 credits for Kling 2.6"),
    samples=(
        {"model": TEXT, "prompt": "x", "duration": 5, "generate_audio": True},
        {"model": IMAGE, "prompt": "p", "image_url": "https://example.com/frame.png"},
    ),
)
