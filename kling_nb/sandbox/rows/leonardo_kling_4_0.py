"""Kling 4.0 on Leonardo v2: 3-30 s, 21:9 at 1080p, stereo sound, frames and up to 10
references (only the first part of the guide is readable: api-notes §10.1)."""

from kling_nb.sandbox._entry import (
    IMAGE,
    SIZES_720,
    SIZES_1080,
    AtMost,
    Guide,
    LeonardoV2,
    Needs,
    PerSecond,
    Required,
    Sizes,
    Sound,
)

PAGE = 'Leonardo guide "Kling 4.0" (its readable first part, api-notes §10.1)'
UNREADABLE = "the rest of the Kling 4.0 guide is not readable"

ENTRY = LeonardoV2(
    row="leonardo/kling-4.0", source=PAGE, model="kling-4.0",
    # mode: not on the readable page; taken, as the docs do not refuse it (never stricter)
    parameters=frozenset({"prompt", "duration", "width", "height", "motion_has_audio",
                          "mode"}),
    guidances={"start_frame": Guide(1), "end_frame": Guide(1), "image_reference": Guide(10)},
    durations=tuple(range(3, 31)), prompt_max=None,
    sizes=Sizes({"RESOLUTION_720": (*SIZES_720, (1680, 720)),
                 "RESOLUTION_1080": (*SIZES_1080, (2520, 1080))}, by_size=True,
                inferred=f"{UNREADABLE}: its sizes are read as Kling 3.0 Turbo's, plus the 21:9 "
                         "2520x1080 of the sample and 1680x720"),
    sound=Sound(flag="motion_has_audio", default=True, always=True, stereo=True,
                made_up="the sample sends motion_has_audio true and Kling 4.0 makes stereo "
                        "sound with every video: false is taken and ignored"),
    rules=(
        Required(field="start_frame", inferred=f"{UNREADABLE}; Kling 4.0 makes videos from "
                 "text upstream, the sample has a start frame",
                 breaks={"parameters.guidances": None}),
        Needs(field="end_frame", other="start_frame",
              inferred=f"{UNREADABLE}; the 3.0 and O3 guides state it",
              breaks={"parameters.guidances": {"end_frame": [IMAGE]}}),
        AtMost(fields=("start_frame", "end_frame", "image_reference"), limit=10,
               inferred=f"{UNREADABLE}: no exclusivity between frames and references is "
                        "written, and Kling 4.0 takes at most 10 images upstream",
               breaks={"parameters.guidances.image_reference": [IMAGE] * 10}),
    ),
    price=PerSecond(rate={(720, False): 0.157, (720, True): 0.157, (1080, False): 0.235,
                          (1080, True): 0.235},
                    made_up="Leonardo publishes no Kling 4.0 price: the sandbox charges what "
                            "fal and WaveSpeed charge per second (api-notes §10.1)"),
    samples=(
        {"model": "kling-4.0", "public": False, "parameters": {
            "prompt": "A lone rider crosses a salt flat at dusk, wind and hoofbeats",
            "duration": 10, "width": 2520, "height": 1080, "motion_has_audio": True,
            "guidances": {"start_frame": [{"image": {"id": "<ID>", "type": "GENERATED"}}]}}},
        {"model": "kling-4.0", "public": False, "parameters": {
            "prompt": "@image1 and @image2 walk along the shore", "duration": 30,
            "width": 1680, "height": 720, "motion_has_audio": True,
            "guidances": {"start_frame": [IMAGE], "end_frame": [IMAGE],
                          "image_reference": [IMAGE, IMAGE]}}},
    ),
)
