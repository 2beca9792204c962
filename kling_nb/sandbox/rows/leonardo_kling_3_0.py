"""Kling 3.0 on Leonardo v2 (seed page 004): 3-15 s, 720p or 1080p, optional sound; without
guidances it is text-to-video (api-notes §9.2)."""

from kling_nb.sandbox._entry import (
    IMAGE,
    SIZES_720,
    SIZES_1080,
    V2_PARAMETERS,
    VIDEO,
    VIDEO_BASE,
    AtMost,
    Excludes,
    Guide,
    LeonardoV2,
    Linear,
    Needs,
    Sizes,
    Sound,
)

PAGE = 'Leonardo guide "Kling 3.0" (seed page 004_7f86ff0e8d1fe9e1.txt)'

ENTRY = LeonardoV2(
    row="leonardo/kling-3.0", pace=41.0, source=PAGE, model="kling-3.0",
    parameters=V2_PARAMETERS | {"motion_has_audio"},
    guidances={"start_frame": Guide(1), "end_frame": Guide(1), "image_reference": Guide(7),
               "video_reference_base": VIDEO_BASE},
    durations=tuple(range(3, 16)),
    sizes=Sizes({"RESOLUTION_720": SIZES_720, "RESOLUTION_1080": SIZES_1080}),
    sound=Sound(flag="motion_has_audio",
                made_up="the guide gives motion_has_audio no default: silent unless asked"),
    rules=(
        Needs(field="end_frame", other="start_frame",
              documented=PAGE + ": end_frame only available when start_frame is provided",
              breaks={"parameters.guidances": {"end_frame": [IMAGE]}}),
        Excludes(field="image_reference", others=("start_frame", "end_frame"),
                 documented=PAGE + ": image_reference only when NO start_frame or end_frame",
                 breaks={"parameters.guidances.image_reference": [IMAGE]}),
        AtMost(fields=("image_reference",), limit=4, when="video_reference_base",
               documented=PAGE + ": up to 7 reference images, or up to 4 with a video reference",
               breaks={"parameters.guidances": {"image_reference": [IMAGE] * 5,
                                                "video_reference_base": [VIDEO]}}),
    ),
    price=Linear(low=(3, 0.57), high=(15, 2.83),
                 published="api-notes §7: third-party figures, about 0.57 USD (3 s) to 2.83 "
                           "USD (15 s), unofficial"),
    samples=(
        {"model": "kling-3.0", "public": False, "parameters": {
            "prompt": "Animate this landscape with birds flying and wind blowing through trees",
            "duration": 5, "width": 1920, "height": 1080, "mode": "RESOLUTION_1080",
            "motion_has_audio": True, "guidances": {"start_frame": [
                {"image": {"id": "<ID>", "type": "GENERATED"}}]}}},
        {"model": "kling-3.0", "parameters": {
            "prompt": "Ocean waves crashing against rocky shore with seagulls and wind",
            "duration": 5, "width": 1440, "height": 1440, "mode": "RESOLUTION_1080",
            "motion_has_audio": True}, "public": True},
    ),
)
