"""Kling 2.6 Motion Control on the AI/ML API: the character in an image performs the motion of
a reference video. The video is as long as the reference, its frames follow the reference's,
and it keeps the reference's sound unless ``keep_audio`` is false. The schema's id is
``klingai/video-v2-6-motion-control``; the page writes ``klingai/video-v2-6-pro-motion-control``
(the schema's enum before it gained ``mode``): both are taken."""

from kling_nb.sandbox._entry import (
    Aiml,
    AimlVariant,
    PerSecond,
    Sound,
    SourceLength,
    SourceVideo,
)

DOCS = "aimlapi/api-docs docs/api-references/video-models/"
SCHEMA = DOCS + "Kling-AI/video-v2-6-pro-motion-control.json"
PAGE = DOCS + "kling-ai/video-v2.6-motion-control.md"
MOTION = "klingai/video-v2-6-motion-control"

ENTRY = Aiml(
    row="aimlapi/kling-2.6-motion-control", source=f"{SCHEMA}; {PAGE}", prompt_max=None,
    durations=(),
    variants=(
        AimlVariant(model=MOTION, required=frozenset({"image_url", "video_url"}),
                    optional=frozenset({"prompt", "character_orientation", "keep_audio",
                                        "mode"}),
                    size_follows="image_url", length_follows="video_url",
                    motion_follows="video_url",
                    aliases=("klingai/video-v2-6-pro-motion-control",)),
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
                    documented=PAGE + ": the reference video is 3 to 30 seconds; the short "
                    "edge of the input media at least 300-340 px, the long edge at most "
                    "3850-65536 px", breaks={"video_url": "<MP4 320x568 2 s>"}),
        SourceVideo(field="video_url", seconds=(3, 30), min_side=340, max_width=3850,
                    inferred="the page gives ranges ('at least 300-340 px', 'not exceed "
                    "3850-65536 px', 'depending on the input type'): the strict ends are "
                    "only a reading", breaks={"video_url": "<MP4 320x568 5 s>"}),
    ),
    price=PerSecond(rate=0.07, made_up="the AI/ML docs publish no price for motion control "
                    "(only that std is 'cost-effective' and pro 'higher cost'): std and pro "
                    "are charged alike"),
    samples=(
        {"model": MOTION, "image_url": "https://example.com/character.png",
         "video_url": "https://example.com/dance.mp4"},
        {"model": MOTION, "image_url": "<PNG 360x640>", "video_url": "<MP4 320x568 4 s>",
         "prompt": "a parrot circles above the dancer", "character_orientation": "image",
         "keep_audio": False, "mode": "pro"},
        {"model": MOTION, "image_url": "<PNG 640x360>", "video_url": "<VIDEO_URL>"},
    ),
)
