"""Kling 2.1 Pro on Leonardo v1 image-to-video (seed page 000); retired by Leonardo on
2026-09-15, still served here for the journal's old requests and the tutorial."""

from kling_nb.sandbox._entry import SIZES_1080, LeonardoV1, PerJob, Required, Sizes

PAGE = 'Leonardo guide "Kling 2.1 Pro" (seed page 000_14c495383e1e1600.txt)'

ENTRY = LeonardoV1(
    row="leonardo/kling-2.1-pro", pace=44.0, source=PAGE, model="KLING2_1",
    sizes=Sizes({"RESOLUTION_1080": SIZES_1080[:2]}),
    rules=(
        Required(field="imageId", documented=PAGE + ": Kling 2.1 Pro must have a start frame",
                 breaks={"imageId": None, "imageType": None, "endFrameImage": None}),
    ),
    price=PerJob(usd_by_seconds={5: 0.61, 10: 1.23},
                 published="api-notes §7: third-party figures per 5 / 10 s job (unofficial)"),
    samples=(
        {"prompt": "woman walks forward, camera follows her, timelapse with clouds",
         "imageId": "<ID>", "imageType": "GENERATED",
         "endFrameImage": {"id": "<ID>", "type": "GENERATED"}, "resolution": "RESOLUTION_1080",
         "duration": 10, "height": 1080, "width": 1920, "model": "KLING2_1"},
    ),
)
