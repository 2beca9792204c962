"""Kling O1 on Leonardo v2 (seed page 003): frames, up to 4 references, video editing."""

from kling_nb.sandbox._entry import (
    IMAGE,
    SIZES_1080,
    V2_PARAMETERS,
    VIDEO,
    VIDEO_BASE,
    Excludes,
    Guide,
    LeonardoV2,
    Needs,
    PerJob,
    Sizes,
    SourceVideo,
)

PAGE = 'Leonardo guide "Kling O1" (seed page 003_74acdf954691fb6f.txt)'

ENTRY = LeonardoV2(
    row="leonardo/kling-o1", pace=45.5, source=PAGE, model="kling-video-o-1",
    parameters=V2_PARAMETERS,
    guidances={"start_frame": Guide(1), "end_frame": Guide(1), "image_reference": Guide(4),
               "video_reference_base": VIDEO_BASE},
    sizes=Sizes({"RESOLUTION_1080": SIZES_1080}), size_follows=(),
    rules=(
        Needs(field="end_frame", other="start_frame",
              documented=PAGE + ": end frame only available when start_frame is provided",
              breaks={"parameters.guidances": {"end_frame": [IMAGE]}}),
        Excludes(field="image_reference", others=("start_frame", "end_frame"),
                 documented=PAGE + ": image_reference only when NO start_frame or end_frame",
                 breaks={"parameters.guidances.image_reference": [IMAGE]}),
        SourceVideo(field="video_reference_base", seconds=(3, 10), min_side=720,
                    max_width=2160, documented=PAGE + ": the reference is 3-10 seconds, at "
                    "least 720 px, at most 2160 px wide", breaks={"parameters.guidances": {
                        "video_reference_base": [{"video": {"id": "<VIDEO_ID 12 s>",
                                                            "type": "GENERATED"}}]}}),
    ),
    price=PerJob(usd_by_seconds={5: 0.76, 10: 1.51},
                 published="api-notes §7: third-party figures per 5 / 10 s job (unofficial)"),
    samples=(
        {"model": "kling-video-o-1", "public": False, "parameters": {
            "prompt": "The woman plays with the cat",
            "guidances": {"start_frame": [IMAGE], "end_frame": [IMAGE]},
            "duration": 5, "width": 1080, "height": 1920}},
        {"model": "kling-video-o-1", "public": False, "parameters": {
            "prompt": "add @image1 to the background", "mode": "RESOLUTION_1080",
            "prompt_enhance": "OFF", "quantity": 1, "duration": 5, "seed": 42, "width": 1920,
            "height": 1080,
            "guidances": {"image_reference": [IMAGE], "video_reference_base": [VIDEO]}}},
    ),
)
