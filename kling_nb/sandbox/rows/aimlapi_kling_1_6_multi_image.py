"""Kling 1.6 Standard multi-image-to-video on the AI/ML API: one 5 or 10 s video from 2 to 4
images, which the sandbox's video passes through in turn; 1080p (the page's sample)."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, Images, PerJob

SCHEMA = ("aimlapi/api-docs docs/api-references/video-models/Kling-AI/"
          "v1.6-standard-multi-image-to-video.json")
MULTI = "kling-video/v1.6/standard/multi-image-to-video"
INPUTS = [f"https://storage.googleapis.com/falserverless/example_inputs/veo31-r2v-input-{n}.png"
          for n in (1, 2, 3)]

ENTRY = Aiml(
    row="aimlapi/kling-1.6-multi-image", source=SCHEMA, tier=1080,
    fields={"image_list": Images(2, 4)},
    variants=(
        # the page's JavaScript example writes image_urls (the schema and its Python: image_list)
        AimlVariant(model=MULTI, required=frozenset({"image_list"}), optional=frozenset({
            "prompt", "aspect_ratio", "duration", "negative_prompt"}),
                    spellings={"image_urls": "image_list"}, sequence="image_list"),
    ),
    price=PerJob(usd_by_seconds={5: 0.20, 10: 0.40},
                 made_up="the AI/ML docs publish no Kling price (the API reports what each "
                         "job used): a sandbox figure"),
    samples=(
        {"model": MULTI, "prompt": "A graceful ballerina dancing outside a circus tent on green "
         "grass, with colorful wildflowers swaying around her as she twirls and poses in the "
         "meadow.", "image_list": INPUTS, "duration": 5},
        {"model": MULTI, "image_list": INPUTS},
        {"model": MULTI, "image_list": ["<PNG 640x360>", "<PNG 360x640>"],
         "aspect_ratio": "9:16"},
    ),
)
