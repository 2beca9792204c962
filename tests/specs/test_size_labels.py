"""Sizes as a person reads them: every size with its tier in errors, "auto" for 0x0."""

from __future__ import annotations

import pytest

import kling_nb as kn
from kling_nb.specs.base import parse_size, size_label
from kling_nb.specs.describe import inputs

FRAME = "5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01"


def _message(cls: type[kn.Spec], **fields: object) -> str:
    with pytest.raises(kn.SpecError) as caught:
        cls(prompt="a kite", **fields)
    return str(caught.value)


def test_a_wrong_size_without_a_mode_lists_every_size_and_its_tier() -> None:
    """No mode chosen: the error lists the 720p and the 1080p sizes, each with its tier."""
    text = _message(kn.Kling30, size="1024x768")
    assert "1024x768 is not a size Kling 3.0 accepts." in text
    assert "in mode" not in text.split("Allowed")[0]
    assert "1280x720, 720x1280, 960x960 (720p, Standard, mode RESOLUTION_720)" in text
    assert "1920x1080, 1080x1920, 1440x1440 (1080p, Pro, mode RESOLUTION_1080)" in text


def test_a_size_of_the_other_mode_says_which_mode_takes_it() -> None:
    """A mode chosen and a size of the other one: the message names the mode to set."""
    text = _message(kn.Kling30, size="1280x720", mode="RESOLUTION_1080")
    assert "in mode RESOLUTION_1080. It is a RESOLUTION_720 size: set mode='RESOLUTION_720'" \
        in text


def test_turbo_lists_its_tiers_and_auto_by_name() -> None:
    """Turbo (the size sets the tier) lists both tiers and auto, never a bare 0x0."""
    text = _message(kn.Kling30Turbo, size="1024x768", start_frame=FRAME)
    assert "(720p, Standard)" in text
    assert "(1080p, Pro)" in text
    assert "auto (follows the start frame)" in text
    assert "0x0" not in text


def test_auto_is_read_by_name_and_sent_as_the_documented_0x0() -> None:
    """``size="auto"`` is 0x0: the body and the curl command send 0x0 as documented."""
    assert parse_size("auto") == (0, 0) == parse_size("0x0")
    assert size_label((0, 0)) == "auto (follows the start frame)"
    assert size_label((1920, 1080)) == "1920x1080"
    spec = kn.Kling30Turbo(prompt="a kite", size="auto", start_frame=FRAME)
    params = spec.to_wire()["parameters"]
    assert (params["width"], params["height"]) == (0, 0)
    assert '"width": 0' in spec.to_curl()
    assert '"height": 0' in spec.to_curl()


def test_listings_show_auto_not_0x0() -> None:
    """The catalogue's facts, its table and a row's inputs say auto, not 0x0."""
    row = kn.MODELS["leonardo/kling-3.0-turbo"]
    assert "auto (follows the start frame)" in row.facts()["sizes / aspect"]
    assert "0x0" not in row.facts()["sizes / aspect"]
    assert "0x0" not in kn.MODELS._repr_html_()
    size = next(i for i in inputs(row.spec) if i.name == "size")
    assert "auto (follows the start frame)" in size.allowed
    assert "0x0" not in size.allowed


def test_auto_without_a_start_frame_is_explained_by_name() -> None:
    """The inferred auto rule speaks of auto (sent as 0x0), not of a bare 0x0."""
    with kn.inferred_rules("strict"):
        text = _message(kn.Kling30Turbo, size="auto")
    assert "auto (sent as 0x0) takes the size from the start frame" in text
