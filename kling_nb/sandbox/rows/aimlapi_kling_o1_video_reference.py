"""Kling O1 video-to-video reference on the AI/ML API: a new 5 or 10 s video guided by a
video, up to 4 images and elements."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, Elements, Images, PerJob, Sound

SCHEMA = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
          "video-o1-video-to-video-reference.json")
REFERENCE = "klingai/video-o1-video-to-video-reference"

ENTRY = Aiml(
    row="aimlapi/kling-o1-video-reference", source=SCHEMA, prompt_max=2500,
    fields={"elements": Elements(frontal=True), "image_list": Images(1, 4)},
    variants=(
        AimlVariant(model=REFERENCE, required=frozenset({"prompt", "video_url"}),
                    optional=frozenset({"image_list", "elements", "aspect_ratio", "duration",
                                        "keep_audio", "provider"})),
    ),
    sound=Sound(keeps="keep_audio"),
    price=PerJob(usd_by_seconds={5: 0.76, 10: 1.51},
                 made_up="the AI/ML API reports usage per job and its docs publish no figure: "
                         "the sandbox takes Leonardo's Kling O1 figures"),
    samples=(
        {"model": REFERENCE, "prompt": "p", "video_url": "https://example.com/source.mp4"},
    ),
)
