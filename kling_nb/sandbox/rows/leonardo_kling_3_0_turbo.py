"""Kling 3.0 Turbo on Leonardo v2: 3-15 s from a start frame, the size decides the tier,
sound on by default, one video per request."""

from kling_nb.sandbox._entry import (
    SIZES_720,
    SIZES_1080,
    Guide,
    LeonardoV2,
    PerSecond,
    Required,
    Sizes,
    Sound,
)

PAGE = 'Leonardo guide "Kling 3.0 Turbo"'
START_TYPES = ("INIT", "GENERATION", "UPLOADED", "GENERATED", "VARIATION")

ENTRY = LeonardoV2(
    row="leonardo/kling-3.0-turbo", pace=37.0, source=PAGE, model="kling-3.0-turbo",
    parameters=frozenset({"prompt", "duration", "width", "height", "mode", "motion_has_audio",
                          "quantity"}),
    guidances={"start_frame": Guide(1, types=START_TYPES)},
    durations=tuple(range(3, 16)), prompt_max=2500,
    sizes=Sizes({"RESOLUTION_720": SIZES_720, "RESOLUTION_1080": SIZES_1080},
                by_size=True, auto=True),
    sound=Sound(flag="motion_has_audio", default=True), max_quantity=1,
    rules=(
        Required(field="start_frame", inferred="the guide never marks start_frame as "
                 "required and Kling 3.0 Turbo makes videos from text elsewhere; only "
                 "image-to-video is shown", breaks={"parameters.guidances": None}),
    ),
    price=PerSecond(rate=0.084, made_up="Leonardo publishes no Kling 3.0 Turbo price"),
    samples=(
        {"model": "kling-3.0-turbo", "public": False, "parameters": {
            "prompt": "The koala plays with the cat", "guidances": {
                "start_frame": [{"image": {"id": "<ID>", "type": "UPLOADED"}}]},
            "duration": 5, "motion_has_audio": True, "width": 1920, "height": 1080}},
    ),
)
