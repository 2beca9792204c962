"""Kling 3.0 Turbo Pro on the AI/ML API: text- or image-to-video, 3-15 s, storyboards of
1-6 timed shots; 1080p-class videos. Its pages also give ``kling-video/v3/turbo/...`` ids."""

from kling_nb.sandbox._entry import (
    Aiml,
    AimlVariant,
    ImageLimits,
    OneOf,
    PerSecond,
    Shots,
    Sound,
)

SCHEMAS = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
           "v3-turbo-pro-text-to-video.json, v3-turbo-pro-image-to-video.json")
TEXT = "klingai/video-v3-turbo-pro-text-to-video"
IMAGE = "klingai/video-v3-turbo-pro-image-to-video"
BOTH = frozenset({"prompt", "multi_prompt", "duration"})

ENTRY = Aiml(
    row="aimlapi/kling-3.0-turbo-pro", source=SCHEMAS, tier=1080,
    durations=tuple(range(3, 16)), prompt_max=3072, fields={"multi_prompt": Shots(timed=True)},
    variants=(
        AimlVariant(model=TEXT, required=frozenset(), optional=BOTH | {"aspect_ratio"},
                    aliases=("kling-video/v3/turbo/pro/text-to-video",)),
        AimlVariant(model=IMAGE, required=frozenset({"image_url"}), optional=BOTH,
                    size_follows="image_url",
                    aliases=("kling-video/v3/turbo/pro/image-to-video",)),
    ),
    rules=(
        OneOf(fields=("prompt", "multi_prompt"),
              documented=SCHEMAS + ": exactly one of prompt and multi_prompt",
              breaks={"multi_prompt": [{"prompt": "a"}]}),
        ImageLimits(field="image_url", formats=("JPEG", "PNG"), max_bytes=50 * 2**20,
                    min_side=300, max_ratio=2.5,
                    documented=SCHEMAS + ": image_url is a JPG or PNG of at most 50 MB, at "
                    "least 300 px a side, aspect 1:2.5 to 2.5:1",
                    breaks={"model": IMAGE, "image_url": "<PNG 200x400>"}),
    ),
    sound=Sound(default=True, made_up="the pages promise improved lipsync and the Standard "
                "Turbo pages native audio, but say nothing of this model's sound"),
    price=PerSecond(rate=0.112, made_up="the AI/ML API reports usage per job and its docs "
                    "publish no figure"),
    samples=(
        {"model": TEXT, "prompt": "p"},
        {"model": TEXT, "multi_prompt": [{"prompt": "a fox wakes", "duration": 2},
                                         {"prompt": "it runs", "duration": 3}], "duration": 5},
        {"model": IMAGE, "prompt": "p", "image_url": "https://example.com/frame.png"},
    ),
)
