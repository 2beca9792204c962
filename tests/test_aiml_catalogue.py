"""Every Kling video id the AI/ML docs repository documents (its schemas' ``model`` enums and its
pages, aimlapi/api-docs at f14fa72) is sent by a row, or named in the README as left out on
purpose with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

import kling_nb as kn

README = Path(__file__).resolve().parents[1] / "README.md"
DOCUMENTED = (
    [f"kling-video/v{v}/{tier}/{kind}-to-video" for v in ("1", "1.5", "1.6")
     for tier in ("standard", "pro") for kind in ("text", "image")]
    + ["kling-video/v1.6/standard/multi-image-to-video",
       "klingai/kling-video-v1.6-standard-effects", "klingai/kling-video-v1.6-pro-effects",
       "klingai/v2-master-text-to-video", "klingai/v2-master-image-to-video",
       "klingai/v2.1-master-text-to-video", "klingai/v2.1-master-image-to-video",
       "kling-video/v2.1/standard/image-to-video", "kling-video/v2.1/pro/image-to-video",
       "klingai/v2.5-turbo/pro/text-to-video", "klingai/v2.5-turbo/pro/image-to-video",
       "klingai/video-v2-6-pro-text-to-video", "klingai/video-v2-6-pro-image-to-video",
       "klingai/video-o1-image-to-video", "klingai/video-o1-reference-to-video",
       "klingai/video-o1-video-to-video-edit", "klingai/video-o1-video-to-video-reference"]
    + [f"klingai/video-v3-{tier}-{kind}-to-video" for tier in (
        "standard", "pro", "standard-turbo", "turbo-pro", "omni-720p", "omni-1080p")
       for kind in ("text", "image")])
PENDING = ("klingai/video-v2-6-motion-control", "klingai/video-v3-motion-control",
           "klingai/avatar-standard", "klingai/avatar-pro")
"""Motion control and avatars: the rows of the change that brings audio and motion inputs."""


def _sent() -> set[str]:
    return {model for row in kn.MODELS.values() if row.provider == "aimlapi"
            for model in row.spec.model_names()}


def _left_out() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("Left out on purpose:", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("model", DOCUMENTED + list(PENDING))
def test_every_documented_id_is_offered_or_named_as_left_out(model: str) -> None:
    offered, named = model in _sent(), f"`{model}`" in _left_out()
    if model in PENDING and not (offered or named):
        pytest.skip("motion control and avatars come with their own inputs (audio, video)")
    assert offered != named, (model, offered, named)  # one or the other, never both


def test_the_catalogue_has_the_ids_the_docs_count() -> None:
    """45 ids: 41 with a page, the four of Kling 1.5 with schemas only."""
    assert len(set(DOCUMENTED) | set(PENDING)) == 45
