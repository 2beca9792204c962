"""Fields for structured inputs: a multi-shot storyboard, AI/ML elements, a camera movement.

Each is a small editor of rows (add, remove, reorder) whose value is plain data (lists of
strings or dicts) that the spec validates like any other keyword argument.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import ipywidgets as w

from .fields import HELP, UNSET, Field

ROW_BUTTON = w.Layout(width="36px")


def _button(icon: str, tooltip: str, action: Callable[[], None]) -> w.Button:
    button = w.Button(icon=icon, tooltip=tooltip, layout=ROW_BUTTON)
    button.on_click(lambda _: action())
    return button


def _plain(value: Any) -> Any:
    """A pydantic model as plain data (a Shot, an Element): the form edits dicts."""
    dump = getattr(value, "model_dump", None)
    return dump(exclude_none=True) if callable(dump) else value


class RowsField(Field):
    """A list of rows the user can add to, remove from and reorder (at most ``limit``)."""

    noun = "row"

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, limit: int) -> None:
        self.limit = limit
        self.items: list[Any] = []
        self.rows = w.VBox([])
        self.add = w.Button(description=f"add {self.noun}", icon="plus")
        self.add.add_class(f"kling-nb-add-{self.noun}")
        self.count = w.HTML("")
        control = w.VBox([self.rows, w.HBox([self.add, self.count])])
        super().__init__(name, label, help_text, control, on_change)
        self.add.on_click(lambda _: self.add_row())
        self._refresh()

    # -- rows ----------------------------------------------------------------------------
    def new_item(self, value: Any = None) -> Any:
        """The widgets of one row, filled from ``value`` (None: empty)."""
        raise NotImplementedError

    def item_widget(self, item: Any) -> w.Widget:
        """The row's editable part."""
        raise NotImplementedError

    def item_value(self, item: Any) -> Any:
        """The row's value, as plain data."""
        raise NotImplementedError

    def add_row(self, value: Any = None) -> Any:
        """One more row at the end (nothing when the limit is reached)."""
        if len(self.items) >= self.limit:
            return None
        item = self.new_item(value)
        self.items.append(item)
        self._refresh()
        self._changed()
        return item

    def remove_row(self, index: int) -> None:
        """Drop the row at ``index`` (0-based)."""
        del self.items[index]
        self._refresh()
        self._changed()

    def move_row(self, index: int, step: int) -> None:
        """Move the row at ``index`` up (-1) or down (+1)."""
        target = index + step
        if 0 <= target < len(self.items):
            self.items[index], self.items[target] = self.items[target], self.items[index]
            self._refresh()
            self._changed()

    def _refresh(self) -> None:
        rows = []
        for index, item in enumerate(self.items):
            buttons = [_button("arrow-up", "move up", partial(self.move_row, index, -1)),
                       _button("arrow-down", "move down", partial(self.move_row, index, 1)),
                       _button("trash", f"remove this {self.noun}",
                               partial(self.remove_row, index))]
            buttons[0].disabled = index == 0
            buttons[1].disabled = index == len(self.items) - 1
            title = w.HTML(f"<b>{self.noun} {index + 1}</b>", layout=w.Layout(width="60px"))
            rows.append(w.HBox([title, self.item_widget(item), *buttons]))
        self.rows.children = rows
        self.add.disabled = len(self.items) >= self.limit
        self.count.value = HELP.format(self.summary())

    def summary(self) -> str:
        """The line beside "add": how many rows, of how many."""
        return f"{len(self.items)} of at most {self.limit}"

    # -- Field ---------------------------------------------------------------------------
    def get(self) -> Any:
        if not self.items:
            return UNSET
        return [self.item_value(item) for item in self.items]

    def set(self, value: Any) -> bool:
        if value is UNSET or value is None:
            self.items = []
        elif isinstance(value, (list, tuple)) and len(value) <= self.limit:
            self.items = [self.new_item(_plain(v)) for v in value]
        else:
            return False
        self._refresh()
        return True

    def reset(self) -> None:
        self.set(UNSET)


def _observe(widgets: list[Any], callback: Callable[[Any], None]) -> None:
    for widget in widgets:
        widget.observe(callback, "value")


class ShotsField(RowsField):
    """A multi-shot storyboard: each shot's prompt and, where the model takes it, its seconds.

    The total of the timed shots is shown as you type, against the video's duration
    (``show_total``, which the form calls on every change).
    """

    noun = "shot"

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, limit: int, timed: bool) -> None:
        self.timed = timed
        self.duration: Any = None
        super().__init__(name, label, help_text, on_change, limit=limit)

    def new_item(self, value: Any = None) -> Any:
        prompt = value.get("prompt", "") if isinstance(value, Mapping) else (value or "")
        text = w.Textarea(value=str(prompt), rows=2, placeholder="what happens in this shot",
                          continuous_update=True, layout=w.Layout(width="360px"))
        seconds = w.BoundedIntText(min=0, max=15, layout=w.Layout(width="70px"),
                                   continuous_update=True, description="s",
                                   style={"description_width": "12px"})
        if isinstance(value, Mapping) and value.get("duration") is not None:
            seconds.value = int(value["duration"])
        text.add_class("kling-nb-shot-prompt")
        seconds.add_class("kling-nb-shot-seconds")
        _observe([text, seconds], lambda _: self._edited())
        return (text, seconds)

    def item_widget(self, item: Any) -> w.Widget:
        text, seconds = item
        return w.HBox([text, seconds] if self.timed else [text])

    def item_value(self, item: Any) -> Any:
        text, seconds = item
        if not self.timed:
            return text.value
        shot: dict[str, Any] = {"prompt": text.value}
        if seconds.value:
            shot["duration"] = int(seconds.value)
        return shot

    def _edited(self) -> None:
        self.count.value = HELP.format(self.summary())
        self._changed()

    def total(self) -> int | None:
        """The seconds of the timed shots added up (None when untimed or none is timed)."""
        if not self.timed:
            return None
        lengths = [int(seconds.value) for _, seconds in self.items if seconds.value]
        return sum(lengths) if lengths else None

    def show_total(self, duration: Any) -> None:
        """Show the shots' total against the video's ``duration`` (seconds or UNSET)."""
        self.duration = duration
        self.count.value = HELP.format(self.summary())

    def summary(self) -> str:
        text = f"{len(self.items)} of at most {self.limit} shots"
        total = self.total()
        if total is None:
            return text
        duration = self.duration if isinstance(self.duration, int) else None
        if duration is None:
            return f"{text}; total {total} s"
        mark = "✓" if total == duration else "≠"
        return f"{text}; total {total} s {mark} duration {duration} s"


class ElementsField(RowsField):
    """AI/ML elements: a character or object given as 1-4 reference image URLs (and optionally
    a frontal image and a video)."""

    noun = "element"

    def new_item(self, value: Any = None) -> Any:
        value = value if isinstance(value, Mapping) else {}
        refs = w.Textarea(value="\n".join(map(str, value.get("reference_image_urls") or [])),
                          rows=2, placeholder="reference image URLs, one per line (1-4)",
                          continuous_update=True, layout=w.Layout(width="300px"))
        frontal = w.Text(value=str(value.get("frontal_image_url") or ""),
                         placeholder="frontal image URL", layout=w.Layout(width="220px"),
                         continuous_update=True)
        video = w.Text(value=str(value.get("video_url") or ""), placeholder="video URL",
                       layout=w.Layout(width="160px"), continuous_update=True)
        _observe([refs, frontal, video], self._changed)
        return (refs, frontal, video)

    def item_widget(self, item: Any) -> w.Widget:
        return w.HBox(list(item))

    def item_value(self, item: Any) -> Any:
        refs, frontal, video = item
        element: dict[str, Any] = {
            "reference_image_urls": parse_lines(refs.value)}
        for key, box in (("frontal_image_url", frontal), ("video_url", video)):
            if box.value.strip():
                element[key] = box.value.strip()
        return element


CAMERA_AXES = ("horizontal", "vertical", "pan", "tilt", "roll", "zoom")


class CameraField(Field):
    """An AI/ML camera movement: a preset, or ``simple`` with one slider per axis."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, types: list[str]) -> None:
        self.kind = w.Dropdown(options=[("(none)", None)] + [(t, t) for t in types],
                               layout=w.Layout(width="200px"))
        self.axes = {axis: w.IntSlider(min=-10, max=10, value=0, description=axis,
                                       continuous_update=True) for axis in CAMERA_AXES}
        self.config = w.VBox(list(self.axes.values()))
        control = w.VBox([self.kind, self.config])
        super().__init__(name, label, help_text, control, on_change)
        _observe([self.kind, *self.axes.values()], self._changed)
        self.kind.observe(lambda _: self._show_axes(), "value")
        self._show_axes()

    def _show_axes(self) -> None:
        self.config.layout.display = None if self.kind.value == "simple" else "none"

    def get(self) -> Any:
        if self.kind.value is None:
            return UNSET
        if self.kind.value != "simple":
            return {"type": self.kind.value}
        config = {axis: s.value for axis, s in self.axes.items() if s.value}
        return {"type": "simple", "config": config}

    def set(self, value: Any) -> bool:
        value = _plain(value)
        if value is UNSET or value is None:
            self.reset()
            return True
        if not isinstance(value, Mapping) or value.get("type") not in [
                v for _, v in self.kind.options]:
            return False
        self.kind.value = value.get("type")
        for axis, slider in self.axes.items():
            slider.value = int((value.get("config") or {}).get(axis) or 0)
        return True

    def reset(self) -> None:
        self.kind.value = None
        for slider in self.axes.values():
            slider.value = 0


def parse_lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]

