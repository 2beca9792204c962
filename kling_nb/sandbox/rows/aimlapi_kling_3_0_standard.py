"""Kling 3.0 Standard on the AI/ML API: text- or image-to-video, 3-15 s, storyboards, elements,
an end frame, sound on by default; 720p-class videos."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, OneOf, PerSecond, Sound

SCHEMAS = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
           "video-v3-standard-text-to-video.json, video-v3-standard-image-to-video.json")
TEXT = "klingai/video-v3-standard-text-to-video"
IMAGE = "klingai/video-v3-standard-image-to-video"
BOTH = frozenset({"prompt", "multi_prompt", "duration", "negative_prompt", "cfg_scale",
                  "generate_audio", "shot_type", "provider"})

ENTRY = Aiml(
    row="aimlapi/kling-3.0-standard", source=SCHEMAS, tier=720, durations=tuple(range(3, 16)),
    variants=(
        AimlVariant(model=TEXT, required=frozenset(), optional=BOTH | {"aspect_ratio"}),
        # the page's examples write the end frame last_image_url (the schema: tail_image_url)
        AimlVariant(model=IMAGE, required=frozenset({"image_url"}),
                    optional=BOTH | {"tail_image_url", "elements"}, size_follows="image_url",
                    spellings={"last_image_url": "tail_image_url"}),
    ),
    sound=Sound(flag="generate_audio", default=True),
    rules=(
        OneOf(fields=("prompt", "multi_prompt"),
              documented=SCHEMAS + ": exactly one of prompt and multi_prompt",
              breaks={"multi_prompt": ["a", "b"]}),
    ),
    price=PerSecond(rate=0.126, made_up="the AI/ML API reports usage per job and its docs "
                    "publish no figure"),
    samples=(
        {"model": IMAGE, "prompt": "x", "image_url": "https://example.com/frame.png",
         "tail_image_url": "https://example.com/frame.png", "duration": 5,
         "generate_audio": False},
        {"model": TEXT, "multi_prompt": ["A fox wakes. 3 seconds.", "It runs. 2 seconds."],
         "duration": 5, "generate_audio": True},
        {"model": TEXT, "prompt": "p"},
    ),
)
