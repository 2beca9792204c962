"""Sound clips and reference videos before a submit: read, checked with PyAV, sent inline.

A spec holding a local clip (a file, bytes, a data URI) gets it read and looked at before
anything is sent: a damaged file, a file with no sound (an avatar's clip) or no picture (a
motion reference), or one too big to be a clip is refused here (``ClipError``); its length and
picture size are then kept on the clip and the spec is validated again, so the row's rules on
them (an avatar's clip format and size, a reference video's length per orientation) refuse it
before any request too. An https URL is sent as it is: nothing here fetches it.
"""

from __future__ import annotations

from kling_nb.core.errors import ClipError, MediaError
from kling_nb.media.probe import probe
from kling_nb.specs.base import Spec
from kling_nb.specs.clips import AudioFile, Clip, VideoFile

MAX_CLIP_BYTES = 200 * 2**20
"""Larger files are not read at all: no clip a model takes comes near it (avatars take at most
5 MB of audio; a 30 s reference video is a few tens of MB)."""


def prepare_clips(spec: Spec) -> Spec:
    """``spec`` with each local clip read and its length (and picture size) known; a clip
    that cannot be used raises ``ClipError``, and a rule the facts break ``SpecError``."""
    changes = {name: checked_clip(value, name) for name, value in spec.values().items()
               if isinstance(value, Clip) and value.url is None and value.seconds is None}
    return spec.replace(**changes) if changes else spec


def checked_clip(clip: Clip, name: str = "") -> Clip:
    """The clip with its bytes read and its facts filled in; ``ClipError`` when unusable."""
    label = f"{name}: {clip.label}" if name else clip.label
    data = _read(clip, label)
    try:
        info = probe(data, label)
    except MediaError as exc:
        raise ClipError(str(exc)) from None
    if isinstance(clip, AudioFile) and not info.has_audio:
        msg = f"{label} has no sound in it (an {info.container} file with no audio stream)"
        raise ClipError(msg)
    if isinstance(clip, VideoFile) and not info.has_video:
        msg = f"{label} has no picture in it (an {info.container} file with no video stream)"
        raise ClipError(msg)
    if info.seconds <= 0:
        msg = f"{label} lasts no time at all"
        raise ClipError(msg)
    facts: dict[str, object] = {"data": data, "path": None, "seconds": round(info.seconds, 3)}
    if isinstance(clip, VideoFile):
        facts.update(width=info.width, height=info.height)
    return clip.model_copy(update=facts)


def _read(clip: Clip, label: str) -> bytes:
    if clip.data is not None:
        data = clip.data
    else:
        path = clip.path.expanduser() if clip.path is not None else None
        try:
            if path is None:
                raise FileNotFoundError("no file")
            if path.stat().st_size > MAX_CLIP_BYTES:
                msg = (f"{label} is {path.stat().st_size / 2**20:.0f} MB: too big to be a "
                       f"clip (kling_nb reads at most {MAX_CLIP_BYTES // 2**20} MB)")
                raise ClipError(msg)
            data = path.read_bytes()
        except OSError as exc:
            msg = f"cannot read {label}: {exc.strerror or exc}"
            raise ClipError(msg) from None
    if not data:
        msg = f"{label} is empty (0 bytes)"
        raise ClipError(msg)
    if len(data) > MAX_CLIP_BYTES:
        msg = f"{label} is {len(data) / 2**20:.0f} MB: too big to be a clip"
        raise ClipError(msg)
    return data
