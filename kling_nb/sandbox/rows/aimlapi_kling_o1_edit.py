"""Kling O1 video-to-video edit on the AI/ML API: a video changed by prompt; its length and
shape follow the source, and ``keep_audio`` keeps its sound."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, Elements, PerSecond, Sound

SCHEMA = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
          "video-o1-video-to-video-edit.json")
EDIT = "klingai/video-o1-video-to-video-edit"

ENTRY = Aiml(
    row="aimlapi/kling-o1-edit", source=SCHEMA, prompt_max=2500, durations=(),
    fields={"elements": Elements(frontal=True)},
    variants=(
        AimlVariant(model=EDIT, required=frozenset({"prompt", "video_url"}),
                    optional=frozenset({"image_list", "elements", "keep_audio", "provider"}),
                    size_follows="video_url", length_follows="video_url"),
    ),
    sound=Sound(keeps="keep_audio"),
    price=PerSecond(rate=0.151, made_up="the AI/ML API reports usage per job and its docs "
                    "publish no figure"),
    samples=(
        {"model": EDIT, "prompt": "x", "video_url": "https://example.com/a.mp4"},
        {"model": EDIT, "prompt": "make it snow", "video_url": "<VIDEO_URL>",
         "keep_audio": True},
    ),
)
