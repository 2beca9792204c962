"""Kling 2.5 Turbo on Leonardo v1: image-to-video (seed page 001) and text-to-video (§9.3).

The guide writes ``Kling2_5``; the SDK, both recipes and the API take ``KLING2_5`` (api-notes
§2), so the sandbox answers ``KLING2_5`` only.
"""

from kling_nb.sandbox._entry import SIZES_1080, LeonardoV1, Needs, PerJob, Sizes

PAGE = 'Leonardo guide "Kling 2.5 Turbo" (seed page 001_a7959dacb5309057.txt)'

ENTRY = LeonardoV1(
    row="leonardo/kling-2.5-turbo", pace=37.5,
    source=PAGE + ' and recipe "Generate with Kling 2.5 Turbo Using Text Prompts"',
    model="KLING2_5", sizes=Sizes({"RESOLUTION_1080": SIZES_1080}), text_to_video=True,
    rules=(
        Needs(field="endFrameImage", other="imageId",
              documented=PAGE + ": endFrameImage requires specifying a start frame",
              message="endFrameImage requires a start frame (imageId, imageType)",
              breaks={"imageId": None, "imageType": None,
                      "endFrameImage": {"id": "<ID>", "type": "UPLOADED"}}),
    ),
    price=PerJob(usd_by_seconds={5: 0.35, 10: 0.70},
                 published="api-notes §7: third-party figures per 5 / 10 s job (unofficial)"),
    samples=(
        {"prompt": "A dreamlike sea of flowers reminiscent of a movie scene, with a gentle breeze "
                   "caressing the golden hour light and shadow.",
         "imageId": "<ID>", "imageType": "UPLOADED", "resolution": "RESOLUTION_1080",
         "height": 1080, "width": 1920, "duration": 5, "model": "KLING2_5", "isPublic": False},
        {"prompt": "A koala", "model": "KLING2_5", "duration": 5, "width": 1920, "height": 1080,
         "resolution": "RESOLUTION_1080", "isPublic": False},
    ),
)
