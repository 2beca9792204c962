"""Kling 2.6 on Leonardo v2: 5 or 10 s at 1080p from a prompt and an optional start frame."""

from kling_nb.sandbox._entry import IMAGE, SIZES_1080, Credits, Guide, LeonardoV2, Sizes, Sound

PAGES = 'Leonardo guides "Kling 2.6" and "Generate with Kling 2.6"'

ENTRY = LeonardoV2(
    row="leonardo/kling-2.6", pace=38.5, source=PAGES, model="kling-2.6",
    parameters=frozenset({"prompt", "duration", "width", "height"}),
    guidances={"start_frame": Guide(1)}, sizes=Sizes({"RESOLUTION_1080": SIZES_1080}),
    sound=Sound(default=True, made_up='the prompt "can include description of audio" and no '
                "audio flag is documented: its videos get a sound track"),
    max_quantity=1,
    price=Credits(credits_by_seconds={5: 604, 10: 1208},
                  published=PAGES + ": 604 / 1208 API credits per 5 / 10 s job"),
    samples=(
        {"model": "kling-2.6", "public": False, "parameters": {
            "prompt": "A koala plays a ukulele, the song carried on the wind", "duration": 5,
            "width": 1080, "height": 1920, "guidances": {"start_frame": [IMAGE]}}},
        {"model": "kling-2.6", "public": False, "parameters": {
            "prompt": "Rain on a tin roof", "duration": 10, "width": 1440, "height": 1440}},
    ),
)
