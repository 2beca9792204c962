"""Kling 4.0 reference-to-video on the AI/ML API: 3-30 s from up to 10 reference images and 7
elements (the model page; its schema is not readable, api-notes §10.1)."""

from kling_nb.sandbox._entry import (
    ASPECTS,
    Aiml,
    AimlVariant,
    Choice,
    Elements,
    Images,
    PerSecond,
    Required,
    Sound,
)

PAGE = 'AI/ML API model page "Kling 4.0 reference-to-video" (api-notes §10.1)'
REFERENCE = "kling-video/v4/reference-to-video"
UNREADABLE = "the model's schema is not readable (api-notes §10.1)"

ENTRY = Aiml(
    row="aimlapi/kling-4.0-reference", source=PAGE, tier=1080, durations=tuple(range(3, 31)),
    # the counts are the page's ("up to 10 reference images and 7 elements"); the names are
    # the O1 and 3.0 reference rows'
    fields={"image_list": Images(1, 10), "elements": Elements(most=7),
            "aspect_ratio": Choice((*ASPECTS, "21:9"))},
    variants=(
        AimlVariant(model=REFERENCE, required=frozenset(), optional=frozenset({
            "prompt", "image_list", "elements", "duration", "aspect_ratio"}),
            unlisted=f"{UNREADABLE}: a key it may list is taken"),
    ),
    sound=Sound(default=True, stereo=True,
                made_up="the page does not say; Kling 4.0 makes stereo sound with every video"),
    rules=(
        Required(field="prompt", inferred=f"{UNREADABLE}; O1 reference-to-video requires a "
                 "prompt", breaks={"prompt": None}),
    ),
    price=PerSecond(rate=0.235, made_up="the AI/ML API reports usage per job and its docs "
                    "publish no figure: the sandbox charges what fal and WaveSpeed charge per "
                    "second of 1080p Kling 4.0 (api-notes §10.1)"),
    samples=(
        {"model": REFERENCE, "prompt": "the girl from the first picture walks her dog"},
    ),
)
