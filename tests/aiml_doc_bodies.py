"""The AI/ML API docs' own example bodies of every Kling id kling_nb offers (the pages' Python
and JavaScript and the schemas' code samples, ``aimlapi/api-docs`` at f14fa72, 2026-08-21),
written out as test data: every key, value and value type as the docs write them (the string
``"5"`` durations, the pages' own ``last_image_url`` and ``image_urls``); long prompts are
shortened; the 3.0 motion-control page's two placeholders (``<YOUR_CHARACTER_IMAGE_URL>``,
``<YOUR_REFERENCE_VIDEO_URL>``) are filled in. Kling 1.5 is not here (no page shows a body; see
the README), nor Kling 4.0 reference (``NO_DOCS_BODY``).
"""

from __future__ import annotations

from typing import Any

MONA = ("https://raw.githubusercontent.com/aimlapi/api-docs/main/reference-files/"
        "mona_lisa_extended.jpg")
GLASSES = "Mona Lisa puts on glasses with her hands."
RACCOON = "A cheerful white raccoon running through a sequoia forest"
RACCOON_JS = "\nA cheerful white raccoon running through a sequoia forest.\n"
RACCOON_MP4 = ("https://raw.githubusercontent.com/aimlapi/api-docs/main/reference-files/"
               "racoon-in-the-forest.mp4")
LAKE = "https://raw.githubusercontent.com/aimlapi/api-docs/main/reference-files/landscape.jpg"
LAKE_END = ("https://cdn.aimlapi.com/flamingo/files/b/monkey/"
            "8QpmaTniTlydTzWQcnugy_3ad2bc325cb04e11a11d27034afb554f.png")
DESCRIBE = "Describe what you want the model to generate."
INPUT = "https://example.com/input.jpg"
RETRIEVER = "A golden retriever runs through a sunlit meadow, slow motion, cinematic."
BALLERINA = [f"https://storage.googleapis.com/falserverless/example_inputs/veo31-r2v-input-{n}.png"
             for n in (1, 2, 3)]
CHARACTER = "https://cdn.aimlapi.com/flamingo/files/b/0a875302/8NaxQrQxDNHppHtqcchMm.png"
DANCE = "https://cdn.aimlapi.com/flamingo/files/b/0a8752bc/2xrNS217ngQ3wzXqA7LXr_output.mp4"
OFFICE = "https://cdn.aimlapi.com/assets/content/office_man.png"
VOICE = "https://storage.googleapis.com/falserverless/example_inputs/omnihuman_audio.mp3"
PHOTOS = ["https://images.pexels.com/photos/733872/pexels-photo-733872.jpeg",
          "https://storage.googleapis.com/falserverless/juggernaut_examples/"
          "QEW5VrzccxGva7mPfEXjf.png"]

BODIES: list[dict[str, Any]] = [
    # kling-video/v1/standard/text-to-video, page python L86-L91
    {"model": "kling-video/v1/standard/text-to-video",
     "prompt": RACCOON,
     "aspect_ratio": "16:9",
     "duration": "5"},
    # kling-video/v1/standard/text-to-video, page javascript L163-L170
    {"model": "kling-video/v1/standard/text-to-video",
     "prompt": RACCOON_JS,
     "duration": 5,
     "aspect_ratio": "16:9"},
    # kling-video/v1/standard/text-to-video, schema
    {"model": "kling-video/v1/standard/text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # kling-video/v1/standard/image-to-video, page python L82-L87
    {"model": "kling-video/v1/standard/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # kling-video/v1/standard/image-to-video, schema
    {"model": "kling-video/v1/standard/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # kling-video/v1/pro/text-to-video, page python L82-L87
    {"model": "kling-video/v1/pro/text-to-video",
     "prompt": RACCOON,
     "aspect_ratio": "16:9",
     "duration": "5"},
    # kling-video/v1/pro/text-to-video, page javascript L159-L166
    {"model": "kling-video/v1/pro/text-to-video",
     "prompt": RACCOON_JS,
     "duration": 5,
     "aspect_ratio": "16:9"},
    # kling-video/v1/pro/text-to-video, schema
    {"model": "kling-video/v1/pro/text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # kling-video/v1/pro/image-to-video, page python L86-L91
    {"model": "kling-video/v1/pro/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # kling-video/v1/pro/image-to-video, schema
    {"model": "kling-video/v1/pro/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # kling-video/v1.6/standard/text-to-video, page python L82-L87
    {"model": "kling-video/v1.6/standard/text-to-video",
     "prompt": RACCOON,
     "aspect_ratio": "16:9",
     "duration": "5"},
    # kling-video/v1.6/standard/text-to-video, page javascript L159-L166
    {"model": "kling-video/v1.6/standard/text-to-video",
     "prompt": RACCOON_JS,
     "duration": 5,
     "aspect_ratio": "16:9"},
    # kling-video/v1.6/standard/text-to-video, schema
    {"model": "kling-video/v1.6/standard/text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # kling-video/v1.6/standard/image-to-video, page python L86-L91
    {"model": "kling-video/v1.6/standard/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # kling-video/v1.6/standard/image-to-video, schema
    {"model": "kling-video/v1.6/standard/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # kling-video/v1.6/pro/text-to-video, page python L82-L87
    {"model": "kling-video/v1.6/pro/text-to-video",
     "prompt": RACCOON,
     "aspect_ratio": "16:9",
     "duration": "5"},
    # kling-video/v1.6/pro/text-to-video, page javascript L159-L166
    {"model": "kling-video/v1.6/pro/text-to-video",
     "prompt": RACCOON_JS,
     "duration": 5,
     "aspect_ratio": "16:9"},
    # kling-video/v1.6/pro/text-to-video, schema
    {"model": "kling-video/v1.6/pro/text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # kling-video/v1.6/pro/image-to-video, page python L86-L91
    {"model": "kling-video/v1.6/pro/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # kling-video/v1.6/pro/image-to-video, schema
    {"model": "kling-video/v1.6/pro/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # kling-video/v1.6/standard/multi-image-to-video, page python L82-L91
    {"model": "kling-video/v1.6/standard/multi-image-to-video",
     "prompt": "A graceful ballerina dancing outside a ...",
     "image_list": BALLERINA,
     "duration": "5"},
    # kling-video/v1.6/standard/multi-image-to-video, page javascript L166-L175
    {"model": "kling-video/v1.6/standard/multi-image-to-video",
     "prompt": "A graceful ballerina dancing outside a ...",
     "image_urls": BALLERINA,
     "duration": "5"},
    # kling-video/v1.6/standard/multi-image-to-video, schema
    {"model": "kling-video/v1.6/standard/multi-image-to-video",
     "image_list": BALLERINA},
    # klingai/kling-video-v1.6-standard-effects, page python L122-L127
    {"model": "klingai/kling-video-v1.6-standard-effects",
     "image_url": PHOTOS,
     "duration": 5,
     "effect_scene": "kiss"},
    # klingai/kling-video-v1.6-standard-effects, schema
    {"model": "klingai/kling-video-v1.6-standard-effects",
     "image_url": PHOTOS,
     "effect_scene": "heart_gesture"},
    # klingai/kling-video-v1.6-pro-effects, page python L126-L131
    {"model": "klingai/kling-video-v1.6-pro-effects",
     "image_url": PHOTOS,
     "duration": 5,
     "effect_scene": "heart_gesture"},
    # klingai/kling-video-v1.6-pro-effects, schema
    {"model": "klingai/kling-video-v1.6-pro-effects",
     "image_url": PHOTOS,
     "effect_scene": "heart_gesture"},
    # klingai/v2-master-text-to-video, page python L85-L91
    {"model": "klingai/v2-master-text-to-video",
     "prompt": RACCOON,
     "aspect_ratio": "16:9",
     "duration": "5",
     "cfg_scale": 0.9},
    # klingai/v2-master-text-to-video, schema
    {"model": "klingai/v2-master-text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # klingai/v2-master-image-to-video, page python L85-L90
    {"model": "klingai/v2-master-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # klingai/v2-master-image-to-video, schema
    {"model": "klingai/v2-master-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # klingai/v2.1-master-text-to-video, page python L87-L92
    {"model": "klingai/v2.1-master-text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # klingai/v2.1-master-image-to-video, page python L85-L90
    {"model": "klingai/v2.1-master-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # klingai/v2.1-master-image-to-video, schema
    {"model": "klingai/v2.1-master-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # kling-video/v2.1/standard/image-to-video, page python L82-L87
    {"model": "kling-video/v2.1/standard/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # kling-video/v2.1/standard/image-to-video, schema
    {"model": "kling-video/v2.1/standard/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # kling-video/v2.1/pro/image-to-video, page python L86-L91
    {"model": "kling-video/v2.1/pro/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # kling-video/v2.1/pro/image-to-video, schema
    {"model": "kling-video/v2.1/pro/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # klingai/v2.5-turbo/pro/text-to-video, page python L82-L88
    {"model": "klingai/v2.5-turbo/pro/text-to-video",
     "prompt": RACCOON,
     "aspect_ratio": "16:9",
     "duration": "5",
     "cfg_scale": 0.9},
    # klingai/v2.5-turbo/pro/text-to-video, schema
    {"model": "klingai/v2.5-turbo/pro/text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # klingai/v2.5-turbo/pro/image-to-video, page python L82-L87
    {"model": "klingai/v2.5-turbo/pro/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # klingai/v2.5-turbo/pro/image-to-video, schema
    {"model": "klingai/v2.5-turbo/pro/image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # klingai/video-v2-6-pro-text-to-video, page python L77-L82
    {"model": "klingai/video-v2-6-pro-text-to-video",
     "prompt": RACCOON,
     "aspect_ratio": "16:9",
     "duration": "5"},
    # klingai/video-v2-6-pro-text-to-video, schema
    {"model": "klingai/video-v2-6-pro-text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # klingai/video-v2-6-pro-image-to-video, page python L69-L74
    {"model": "klingai/video-v2-6-pro-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # klingai/video-v2-6-pro-image-to-video, schema
    {"model": "klingai/video-v2-6-pro-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # klingai/video-o1-image-to-video, page python L69-L74
    {"model": "klingai/video-o1-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA,
     "duration": "5"},
    # klingai/video-o1-image-to-video, schema
    {"model": "klingai/video-o1-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # klingai/video-o1-reference-to-video, page python L69-L78
    {"model": "klingai/video-o1-reference-to-video",
     "prompt": "A graceful ballerina dancing outside a ...",
     "image_list": BALLERINA,
     "duration": "5"},
    # klingai/video-o1-reference-to-video, schema
    {"model": "klingai/video-o1-reference-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # klingai/video-o1-video-to-video-edit, page python L99-L105
    {"model": "klingai/video-o1-video-to-video-edit",
     "prompt": "Add a small fairy as a ...",
     "video_url": RACCOON_MP4},
    # klingai/video-o1-video-to-video-edit, schema
    {"model": "klingai/video-o1-video-to-video-edit",
     "video_url": "https://zovi0.github.io/public_misc/kling-v2-master-t2v-racoon.mp4",
     "prompt": "Add a small fairy as a ..."},
    # klingai/video-o1-video-to-video-reference, page python L94-L100
    {"model": "klingai/video-o1-video-to-video-reference",
     "prompt": "Add a small fairy as a ...",
     "video_url": RACCOON_MP4},
    # klingai/video-o1-video-to-video-reference, schema
    {"model": "klingai/video-o1-video-to-video-reference",
     "video_url": "https://zovi0.github.io/public_misc/kling-v2-master-t2v-racoon.mp4",
     "prompt": "Add a small fairy as a ..."},
    # klingai/video-v3-standard-text-to-video, page python L77-L86
    {"model": "klingai/video-v3-standard-text-to-video",
     "multi_prompt": ["A cheerful white raccoon runs through ... 3 seconds.",
                      "Close-up of the raccoon's face. The ... 2 seconds.",
                      "First-person view from the raccoon's perspective. ... 3 seconds."],
     "aspect_ratio": "16:9",
     "duration": 8},
    # klingai/video-v3-standard-text-to-video, schema
    {"model": "klingai/video-v3-standard-text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # klingai/video-v3-standard-image-to-video, page python L77-L83
    {"model": "klingai/video-v3-standard-image-to-video",
     "prompt": "The camera glides smoothly over a ...",
     "image_url": LAKE,
     "last_image_url": LAKE_END,
     "duration": 10},
    # klingai/video-v3-standard-image-to-video, schema
    {"model": "klingai/video-v3-standard-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # klingai/video-v3-pro-text-to-video, page python L79-L88
    {"model": "klingai/video-v3-pro-text-to-video",
     "multi_prompt": ["A cheerful white raccoon runs through ... 3 seconds.",
                      "Close-up of the raccoon's face. The ... 2 seconds.",
                      "First-person view from the raccoon's perspective. ... 3 seconds."],
     "aspect_ratio": "16:9",
     "duration": 8},
    # klingai/video-v3-pro-text-to-video, schema
    {"model": "klingai/video-v3-pro-text-to-video",
     "prompt": "A menacing evil dragon appears in ..."},
    # klingai/video-v3-pro-image-to-video, page python L77-L84
    {"model": "klingai/video-v3-pro-image-to-video",
     "prompt": "The camera glides smoothly over a ...",
     "image_url": LAKE,
     "last_image_url": LAKE_END,
     "aspect_ratio": "16:9",
     "duration": 10},
    # klingai/video-v3-pro-image-to-video, page javascript L157-L163
    {"model": "klingai/video-v3-pro-image-to-video",
     "prompt": "The camera glides smoothly over a ...",
     "image_url": LAKE,
     "last_image_url": LAKE_END,
     "duration": 10},
    # klingai/video-v3-pro-image-to-video, schema
    {"model": "klingai/video-v3-pro-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # klingai/video-v3-standard-turbo-text-to-video, page python L100-L103
    {"model": "klingai/video-v3-standard-turbo-text-to-video",
     "prompt": RETRIEVER},
    # klingai/video-v3-standard-turbo-image-to-video, page python L81-L85
    {"model": "klingai/video-v3-standard-turbo-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # klingai/video-v3-turbo-pro-text-to-video, page python L77-L80
    {"model": "klingai/video-v3-turbo-pro-text-to-video",
     "prompt": RETRIEVER},
    # klingai/video-v3-turbo-pro-image-to-video, page python L81-L85
    {"model": "klingai/video-v3-turbo-pro-image-to-video",
     "prompt": GLASSES,
     "image_url": MONA},
    # klingai/video-v3-omni-720p-text-to-video, page python L72-L72
    {"model": "klingai/video-v3-omni-720p-text-to-video",
     "prompt": DESCRIBE,
     "duration": "5"},
    # klingai/video-v3-omni-720p-image-to-video, page python L72-L72
    {"model": "klingai/video-v3-omni-720p-image-to-video",
     "prompt": DESCRIBE,
     "image_url": INPUT,
     "duration": "5"},
    # klingai/video-v3-omni-1080p-text-to-video, page python L72-L72
    {"model": "klingai/video-v3-omni-1080p-text-to-video",
     "prompt": DESCRIBE,
     "duration": "5"},
    # klingai/video-v3-omni-1080p-image-to-video, page python L72-L72
    {"model": "klingai/video-v3-omni-1080p-image-to-video",
     "prompt": DESCRIBE,
     "image_url": INPUT,
     "duration": "5"},
    # klingai/video-v2-6-motion-control, page python L118-L122 and javascript L197-L201 (the
    # page's id; the schema's is sent)
    {"model": "klingai/video-v2-6-pro-motion-control",
     "image_url": CHARACTER,
     "video_url": DANCE},
    # klingai/video-v3-motion-control, page python L103-L111 and javascript L186-L194
    {"model": "klingai/video-v3-motion-control",
     "image_url": "https://example.com/character.png",
     "video_url": "https://example.com/reference.mp4",
     "prompt": "A character dancing in a sunlit studio.",
     "mode": "std",
     "character_orientation": "video",
     "keep_audio": True},
]
for _tier, _prompt in (("standard", "A person speaking playfully, laughing frequently and "
                                    "gesturing wildly."),
                       ("pro", "Frequent bursts of laughter and exaggerated, over-the-top hand "
                               "gestures.")):
    BODIES += [
        # klingai/avatar-<tier>, page python L80-L85 and javascript L161-L166
        {"model": f"klingai/avatar-{_tier}", "image_url": OFFICE, "audio_url": VOICE},
        # the same, with the line the page leaves commented out
        {"model": f"klingai/avatar-{_tier}", "image_url": OFFICE, "audio_url": VOICE,
         "prompt": _prompt},
        # klingai/avatar-<tier>, schema
        {"model": f"klingai/avatar-{_tier}", "image_url": MONA, "audio_url": VOICE},
    ]

NO_DOCS_BODY = {"kling-video/v4/reference-to-video": "its page is newer than the docs "
                "repository's snapshot and shows no body (api-notes §10.1)"}
"""Ids kling_nb sends that no docs example shows, and why."""
MODEL_SPELLING = {"klingai/video-v2-6-pro-motion-control": "klingai/video-v2-6-motion-control"}
"""Model ids a page writes for the schema's (the 2.6 motion-control page's, from before its
schema gained ``mode``): taken, and sent as the schema spells them."""
SCHEMA_SPELLING = {"last_image_url": "tail_image_url", "image_urls": "image_list"}
"""Keys a page writes for a schema key (the 3.0 pages' end frame, the multi-image page's
JavaScript): taken, and sent as the schema spells them."""
PAGE_WARNINGS = {
    ("klingai/video-v3-pro-image-to-video", "aspect-ratio-with-image"),
    ("klingai/video-v3-pro-image-to-video", "end-frame-without-audio"),
    ("klingai/video-v3-standard-image-to-video", "end-frame-without-audio"),
}
"""Inferred rules a docs example breaks (so it warns, and is sent): 3.0 Pro's Python sends
aspect_ratio with an image; the 3.0 pages send an end frame with the sound left on, which only
the sibling Omni schema refuses."""


def schema_form(body: dict[str, Any]) -> dict[str, Any]:
    """The body as the schema writes it: whole-number durations, the schema's key names."""
    out = {SCHEMA_SPELLING.get(key, key): value for key, value in body.items()}
    out["model"] = MODEL_SPELLING.get(out["model"], out["model"])
    if isinstance(out.get("duration"), str):
        out["duration"] = int(out["duration"])
    return out
