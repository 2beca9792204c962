"""Kling Avatar Pro on the AI/ML API: an image speaks an audio clip; the video plays the
clip and lasts as long as it ("1080p video at 48 fps")."""

from kling_nb.sandbox._entry import Aiml, AimlVariant, AudioLimits, PerSecond, Sound

SCHEMA = "aimlapi/api-docs docs/api-references/video-models/Kling-AI/avatar-pro.json"
AVATAR = "klingai/avatar-pro"

ENTRY = Aiml(
    row="aimlapi/kling-avatar-pro", source=SCHEMA, tier=1080, prompt_max=2500,
    durations=(),
    variants=(
        AimlVariant(model=AVATAR, required=frozenset({"image_url", "audio_url"}),
                    optional=frozenset({"prompt", "provider"}), size_follows="image_url",
                    length_follows="audio_url"),
    ),
    sound=Sound(follows="audio_url"),
    rules=(
        AudioLimits(field="audio_url", formats=("MP3", "WAV", "M4A", "AAC"),
                    max_bytes=5 * 2**20,
                    documented=SCHEMA + ': audio_url "Supported formats: MP3, WAV, M4A, AAC. '
                    'Maximum file size: 5 MB."', breaks={"audio_url": "<FLAC 2 s>"}),
    ),
    price=PerSecond(rate=0.112, made_up="the AI/ML docs publish no price for Kling Avatar: "
                    "the sandbox charges about what third parties list per second of video"),
    samples=(
        {"model": AVATAR, "image_url": "https://example.com/office.png",
         "audio_url": "https://example.com/voice.mp3"},
        {"model": AVATAR, "image_url": "<PNG 640x360>", "audio_url": "<WAV 3 s>",
         "prompt": "A person speaking playfully, laughing and gesturing."},
    ),
)
