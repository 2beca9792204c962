"""Kling 3.0 Motion Control on the AI/ML API: the character in an image performs the motion of
a reference video, in std or pro mode. The video is as long as the reference, its frames follow
the reference's, and it keeps the reference's sound unless ``keep_audio`` is false. The 3.0
page states no length or pixel limits: the 2.6 page's are only inferred here."""

from kling_nb.sandbox._entry import (
    Aiml,
    AimlVariant,
    PerSecond,
    Sound,
    SourceLength,
    SourceVideo,
)

SCHEMA = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
          "klingai-video-v3-motion-control-schema.json")
MOTION = "klingai/video-v3-motion-control"

ENTRY = Aiml(
    row="aimlapi/kling-3.0-motion-control", source=SCHEMA, prompt_max=None, durations=(),
    variants=(
        AimlVariant(model=MOTION, required=frozenset({"image_url", "video_url"}),
                    optional=frozenset({"prompt", "character_orientation", "keep_audio",
                                        "mode"}),
                    size_follows="image_url", length_follows="video_url",
                    motion_follows="video_url"),
    ),
    sound=Sound(keeps="keep_audio", keeps_default=True, plays=True),
    rules=(
        SourceLength(field="video_url", choice="character_orientation",
                     limits={"image": 10, "video": 30}, default="video",
                     documented=SCHEMA + ": character_orientation image: the reference video "
                     "should not exceed 10 seconds; video (the default): 30 seconds",
                     breaks={"character_orientation": "image",
                             "video_url": "<MP4 320x568 12 s>"}),
        SourceVideo(field="video_url", seconds=(3, 30), min_side=300, max_width=65536,
                    inferred="the 3.0 page states no limits; the 2.6 motion-control page's "
                    "3-30 s and 300 px are assumed", breaks={"video_url": "<MP4 320x568 2 s>"}),
    ),
    price=PerSecond(rate=0.1, made_up="the AI/ML docs publish no price for motion control "
                    "(only that std is 'cost-effective' and pro 'higher cost'): std and pro "
                    "are charged alike"),
    samples=(
        {"model": MOTION, "image_url": "https://example.com/character.png",
         "video_url": "https://example.com/dance.mp4",
         "prompt": "A character dancing in a sunlit studio.", "mode": "std",
         "character_orientation": "video", "keep_audio": True},
        {"model": MOTION, "image_url": "<PNG 360x640>", "video_url": "<MP4 320x568 4 s>",
         "mode": "pro"},
    ),
)
