"""Kling O3 on Leonardo v2: text, frames, image references, and editing a finished video."""

from kling_nb.sandbox._entry import (
    IMAGE,
    SIZES_720,
    SIZES_1080,
    V2_PARAMETERS,
    VIDEO_BASE,
    AtMost,
    Excludes,
    Guide,
    LeonardoV2,
    MaxSeconds,
    Needs,
    PerSecond,
    Sizes,
    Sound,
    SourceVideo,
)

PAGE = 'Leonardo guide "Kling O3"'
EDIT = PAGE + ' and recipe "Edit with Kling O3 using Video Reference"'

ENTRY = LeonardoV2(
    row="leonardo/kling-o3", source=EDIT, model="kling-video-o-3",
    parameters=V2_PARAMETERS | {"motion_has_audio"},
    guidances={"start_frame": Guide(1), "end_frame": Guide(1), "image_reference": Guide(7),
               "video_reference_base": VIDEO_BASE},
    durations=tuple(range(3, 16)),
    sizes=Sizes({"RESOLUTION_720": SIZES_720, "RESOLUTION_1080": SIZES_1080}),
    size_follows=("start_frame", "video_reference_base"), length_follows="video_reference_base",
    sound=Sound(flag="motion_has_audio", dropped_by="video_reference_base",
                made_up="the guide gives motion_has_audio no default: silent unless asked"),
    rules=(
        Needs(field="end_frame", other="start_frame",
              documented=PAGE + ": end_frame needs start_frame",
              breaks={"parameters.guidances": {"end_frame": [IMAGE]}}),
        Excludes(field="image_reference", others=("start_frame", "end_frame"),
                 documented=PAGE + ": image_reference not with start_frame or end_frame",
                 breaks={"parameters.guidances": {"start_frame": [IMAGE],
                                                  "image_reference": [IMAGE]}}),
        Excludes(field="video_reference_base", others=("start_frame", "end_frame"),
                 documented=PAGE + ": video_reference_base not with start_frame or end_frame",
                 breaks={"parameters.guidances.start_frame": [IMAGE]}),
        AtMost(fields=("image_reference",), limit=4, when="video_reference_base",
               documented=PAGE + ": at most 4 image references with a video reference",
               breaks={"parameters.guidances.image_reference": [IMAGE] * 5}),
        MaxSeconds(limit=10, when="video_reference_base",
                   documented=PAGE + ": at most 10 s with a video reference",
                   breaks={"parameters.duration": 11}),
        SourceVideo(field="video_reference_base", seconds=(3, 10), min_side=720,
                    max_width=2160, inferred="Leonardo states these limits for Kling O1's "
                    "video reference only", breaks={
                        "parameters.guidances.video_reference_base": [
                            {"video": {"id": "<VIDEO_ID 12 s>", "type": "GENERATED"}}],
                        "parameters.duration": 10}),
    ),
    price=PerSecond(rate=0.151, made_up="Leonardo publishes no Kling O3 price"),
    samples=(
        {"model": "kling-video-o-3", "public": False, "parameters": {
            "prompt": "Make the video an evening scene", "duration": 3, "width": 1920,
            "height": 1080, "mode": "RESOLUTION_1080", "motion_has_audio": True,
            "guidances": {"video_reference_base": [
                {"video": {"id": "<VIDEO_ID>", "type": "GENERATED"}}]}}},
        {"model": "kling-video-o-3", "public": False, "parameters": {
            "prompt": "A paper boat sails down a rainy street", "duration": 8, "width": 960,
            "height": 960, "mode": "RESOLUTION_720", "motion_has_audio": True}},
    ),
)
