"""Kling O1 on the AI/ML API: image-to-video from a first (and last) frame, or
reference-to-video from images and elements; never sound."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, Elements, PerJob

SCHEMAS = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
           "video-o1-image-to-video.json, video-o1-reference-to-video.json")
IMAGE = "klingai/video-o1-image-to-video"
REFERENCE = "klingai/video-o1-reference-to-video"

ENTRY = Aiml(
    row="aimlapi/kling-o1", source=SCHEMAS, prompt_max=2500,
    fields={"elements": Elements(frontal=True)},
    variants=(
        AimlVariant(model=IMAGE, required=frozenset({"prompt", "image_url"}),
                    optional=frozenset({"last_image_url", "duration", "provider"}),
                    size_follows="image_url"),
        AimlVariant(model=REFERENCE, required=frozenset({"prompt"}), optional=frozenset({
            "image_list", "elements", "aspect_ratio", "duration", "provider"})),
    ),
    price=PerJob(usd_by_seconds={5: 0.76, 10: 1.51},
                 made_up="the AI/ML API reports usage per job and its docs publish no figure: "
                         "the sandbox takes Leonardo's Kling O1 figures"),
    samples=(
        {"model": IMAGE, "prompt": "x", "image_url": "https://example.com/frame.png",
         "last_image_url": "https://example.com/frame.png", "duration": 5},
        {"model": REFERENCE, "prompt": "p"},
    ),
)
