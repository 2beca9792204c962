"""Kling 3.0 Omni 1080p on the AI/ML API: text- or image-to-video, 3-15 s, storyboards,
elements, sound on by default; an end frame only with the sound off; 1080p videos."""

from kling_nb.sandbox._entry import (
    Aiml,
    AimlVariant,
    Choice,
    NeedsOff,
    OneOf,
    PerSecond,
    Sound,
)

SCHEMAS = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
           "v3-omni-1080p-text-to-video.json, v3-omni-1080p-image-to-video.json")
TEXT = "klingai/video-v3-omni-1080p-text-to-video"
IMAGE = "klingai/video-v3-omni-1080p-image-to-video"
BOTH = frozenset({"prompt", "multi_prompt", "duration", "negative_prompt", "cfg_scale",
                  "generate_audio", "shot_type", "provider"})

ENTRY = Aiml(
    row="aimlapi/kling-3.0-omni-1080p", source=SCHEMAS, tier=1080, durations=tuple(range(3, 16)),
    # the Omni schemas add "intelligence" to the shot types of 3.0 Standard/Pro
    fields={"shot_type": Choice(("customize", "intelligent", "intelligence"))},
    variants=(
        AimlVariant(model=TEXT, required=frozenset(), optional=BOTH | {"aspect_ratio"}),
        AimlVariant(model=IMAGE, required=frozenset({"image_url"}),
                    optional=BOTH | {"tail_image_url", "elements"}, size_follows="image_url"),
    ),
    sound=Sound(flag="generate_audio", default=True),
    rules=(
        OneOf(fields=("prompt", "multi_prompt"),
              documented=SCHEMAS + ": exactly one of prompt and multi_prompt",
              breaks={"multi_prompt": ["a", "b"]}),
        NeedsOff(field="tail_image_url", flag="generate_audio",
                 documented=SCHEMAS + ': tail_image_url is "not supported when generate_audio '
                 'is enabled"',
                 breaks={"model": IMAGE, "tail_image_url": "https://example.com/end.png"}),
    ),
    price=PerSecond(rate=0.168, made_up="the AI/ML docs publish no Kling price (the API "
                    "reports what each job used): a sandbox figure"),
    samples=(
        {"model": TEXT, "prompt": "Describe what you want the model to generate.",
         "duration": 5},
        {"model": IMAGE, "prompt": "Describe what you want the model to generate.",
         "image_url": "https://example.com/input.jpg", "duration": 5},
        {"model": IMAGE, "prompt": "x", "image_url": "https://example.com/frame.png",
         "tail_image_url": "https://example.com/frame.png", "generate_audio": False,
         "shot_type": "intelligence"},
        {"model": TEXT, "multi_prompt": ["A fox wakes. 3 seconds.", "It runs. 2 seconds."],
         "duration": 5, "generate_audio": True},
    ),
)
