"""Kling 2.1 Pro image-to-video on the AI/ML API (seed page 002): the legacy Kling path and
the universal one alike."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, PerJob

SCHEMA = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
          "v2.1-pro-image-to-video.json")

ENTRY = Aiml(
    row="aimlapi/kling-2.1-pro", pace=42.5,
    source='AI/ML API page "Kling 2.1 Pro" (seed page 002_97e7ea16744b2661.txt); ' + SCHEMA,
    variants=(
        AimlVariant(
            model="kling-video/v2.1/pro/image-to-video", required=frozenset({"image_url"}),
            optional=frozenset({
                "prompt", "negative_prompt", "duration", "cfg_scale", "static_mask",
                "dynamic_masks", "camera_control",
                # the seed page's fields the current schema dropped: still taken (api-notes
                # §9.5 [inferred]: gone from the spec, not said to be refused)
                "type", "external_task_id", "tail_image_url"}),
            size_follows="image_url"),
    ),
    price=PerJob(usd_by_seconds={5: 0.61, 10: 1.23},
                 published="api-notes §7: third-party figures per 5 / 10 s job (unofficial)"),
    samples=(
        {"model": "kling-video/v2.1/pro/image-to-video",
         "image_url": "https://upload.wikimedia.org/wikipedia/commons/6/6a/Mona_Lisa.jpg",
         "prompt": "Mona Lisa puts on glasses with her hands.", "duration": 5},
    ),
)
