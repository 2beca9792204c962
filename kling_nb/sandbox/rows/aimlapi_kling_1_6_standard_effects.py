"""Kling 1.6 Standard effects on the AI/ML API: a preset scene (``effect_scene``) played out by
the people in one or two photos; two side by side (the first on the left) in the sandbox's
video; squish and expansion come with music and sound."""

from kling_nb.sandbox._entry import (
    Aiml,
    AimlVariant,
    AtMost,
    CountWhen,
    Images,
    PerJob,
    Sound,
)

SCHEMA = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
          "v1.6-standard-effects.json")
PAGE = "aimlapi/api-docs docs/api-references/video-models/kling-ai/v1.6-standard-effects.md"
EFFECTS = "klingai/kling-video-v1.6-standard-effects"
PHOTOS = ["https://images.pexels.com/photos/733872/pexels-photo-733872.jpeg",
          "https://storage.googleapis.com/falserverless/juggernaut_examples/"
          "QEW5VrzccxGva7mPfEXjf.png"]

ENTRY = Aiml(
    row="aimlapi/kling-1.6-standard-effects", source=f"{SCHEMA}; {PAGE}", tier=720,
    prompt_max=None, fields={"image_url": Images(1, None, single=True)},
    variants=(
        AimlVariant(model=EFFECTS, required=frozenset({"image_url", "effect_scene"}),
                    optional=frozenset({"duration"})),
    ),
    sound=Sound(when={"effect_scene": ("squish", "expansion")},
                made_up="the page gives squish and expansion music and sound and says nothing "
                        "of the other scenes: the sandbox renders those silent"),
    rules=(
        CountWhen(field="image_url", key="effect_scene", values=("hug", "kiss", "heart_gesture"),
                  count=2, documented=SCHEMA + ': "For hug, kiss, and heart_gesture effects, '
                  'pass an array containing exactly two image URLs"',
                  breaks={"image_url": [PHOTOS[0]]}),
        CountWhen(field="image_url", key="effect_scene", values=("squish", "expansion"),
                  count=1, documented=PAGE + ': squish and expansion "(requires 1 reference '
                  'image)"', breaks={"effect_scene": "squish"}),
        AtMost(fields=("image_url",), limit=2,
               inferred="no schema bounds the list and no scene the pages describe takes more "
                        "than two photos: a third is taken, as the docs do not refuse it",
               breaks={"effect_scene": "fight", "image_url": PHOTOS + PHOTOS[:1]}),
    ),
    price=PerJob(usd_by_seconds={5: 0.28, 10: 0.56},
                 made_up="the AI/ML docs publish no Kling price (the API reports what each "
                         "job used): a sandbox figure"),
    samples=(
        {"model": EFFECTS, "image_url": PHOTOS, "duration": 5, "effect_scene": "kiss"},
        {"model": EFFECTS, "image_url": PHOTOS, "effect_scene": "heart_gesture"},
        {"model": EFFECTS, "image_url": "<PNG 480x640>", "effect_scene": "squish"},
        {"model": EFFECTS, "image_url": ["<PNG 480x640>", "<PNG 640x640>"],
         "effect_scene": "hug", "duration": 10},
    ),
)
