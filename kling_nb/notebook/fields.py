"""The fields of a form: a label, a control, help text and an error line per spec field.

``kling_nb.notebook.table`` picks which of these a spec field gets; image fields live in
``kling_nb.notebook.images``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from kling_nb.core.errors import SpecError
from kling_nb.core.html import esc
from kling_nb.specs.base import Spec, format_size, parse_size, size_label


class _Unset:
    """A field left empty: the spec's own default applies."""

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()


class FieldValueError(ValueError):
    """A field's widget holds text that is not a value (e.g. ``seed="abc"``)."""


LABEL_LAYOUT = w.Layout(width="150px", min_width="150px")
HELP = "<span style='color:#6c757d;font-size:90%'>{}</span>"
ERROR = "<span style='color:#b02a37'>✗ {}</span>"
WARNING = "<span style='color:#8a6100'>⚠ {}</span>"


class Field:
    """One form field: a label, a control, help text and an error line."""

    covers: tuple[str, ...] = ()

    def __init__(self, name: str, label: str, help_text: str, control: Any,
                 on_change: Callable[[str], None]) -> None:
        self.name = name
        self.covers = self.covers or (name,)
        self.control = control
        self.on_change = on_change
        self.label = w.HTML(f"<b>{esc(label)}</b>", layout=LABEL_LAYOUT, tooltip=help_text)
        self.help = w.HTML(HELP.format(esc(help_text)) if help_text else "")
        self.error = w.HTML("")
        # Only controls with a description: ipywidgets 8's front end reads
        # ``description.length`` in updateTooltip, so a tooltip on a Box breaks its view.
        if help_text and hasattr(control, "tooltip") and hasattr(control, "description"):
            control.tooltip = help_text
        self.extra: list[Any] = []
        self.widget = w.VBox([w.HBox([self.label, control, *self.extra]), self.help, self.error],
                             layout=w.Layout(margin="0 0 4px 0"))
        self.widget.add_class("kling-nb-field")
        self.widget.add_class(f"kling-nb-field-{name.replace('_', '-')}")
        self.visible = True

    def _changed(self, _change: Any = None) -> None:
        self.on_change(self.name)

    def get(self) -> Any:
        """The field's value, ``UNSET`` when empty; raises ``FieldValueError`` on bad text."""
        raise NotImplementedError

    def set(self, value: Any) -> bool:
        """Show ``value``; False when this field cannot hold it (it is left unchanged)."""
        raise NotImplementedError

    def reset(self) -> None:
        """Back to the spec's default."""
        raise NotImplementedError

    def show(self, visible: bool) -> None:
        """Offer or hide the field."""
        self.visible = visible
        self.widget.layout.display = None if visible else "none"

    def flush(self) -> None:
        """Run the field's own pending (debounced) check now, if it has one."""

    def set_errors(self, messages: Sequence[str], warnings: Sequence[str] = ()) -> None:
        """Show the problems found for this field, and the inferred rules it breaks (sent
        anyway); none clears the line."""
        lines = [ERROR.format(esc(m)) for m in messages]
        lines += [WARNING.format(esc(m)) for m in warnings]
        self.error.value = "<br>".join(lines)


class TextField(Field):
    """Free text; empty means unset."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, multiline: bool = False, limit: int | None = None,
                 placeholder: str = "") -> None:
        if multiline:
            control = w.Textarea(placeholder=placeholder, rows=4,
                                 layout=w.Layout(width="100%", min_width="420px"),
                                 continuous_update=True)
        else:
            control = w.Text(placeholder=placeholder, layout=w.Layout(width="420px"),
                             continuous_update=True)
        super().__init__(name, label, help_text, control, on_change)
        self.limit = limit
        self.counter: Any = None
        if multiline:
            self.counter = w.HTML(layout=w.Layout(margin="0 0 0 8px"))
            self.widget.children[0].children = (*self.widget.children[0].children, self.counter)
            self.update_counter()
        control.observe(self._changed, "value")

    def _changed(self, _change: Any = None) -> None:
        self.update_counter()
        super()._changed()

    def update_counter(self) -> None:
        """The live character count (red past the limit); not debounced."""
        if self.counter is None:
            return
        count = len(self.control.value)
        if self.limit is None:
            self.counter.value = HELP.format(f"{count} chars")
            return
        colour = "#b02a37" if count > self.limit else "#6c757d"
        self.counter.value = (f"<span style='color:{colour};font-size:90%;white-space:nowrap'>"
                              f"{count} / {self.limit}</span>")

    def get(self) -> Any:
        text = self.control.value
        return text if text.strip() else UNSET

    def set(self, value: Any) -> bool:
        if value is UNSET or value is None:
            self.control.value = ""
            return True
        if not isinstance(value, str):
            return False
        self.control.value = value
        return True

    def reset(self) -> None:
        self.control.value = ""


class ChoiceField(Field):
    """One of a few values (an enum/Literal); optional ones offer "default"."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, choices: Sequence[Any], optional: bool, default: Any) -> None:
        options: list[tuple[str, Any]] = [(str(c), c) for c in choices]
        if optional:
            options.insert(0, ("default", UNSET))
        elif default is None:  # required, with no default: the user picks one
            options.insert(0, ("choose one", UNSET))
        self.default = default if default is not None else UNSET
        control = w.Dropdown(options=options, value=self.default,
                             disabled=len(options) == 1, layout=w.Layout(width="220px"))
        super().__init__(name, label, help_text, control, on_change)
        control.observe(self._changed, "value")

    def get(self) -> Any:
        return self.control.value

    def set(self, value: Any) -> bool:
        value = UNSET if value is None else value
        if not any(value == v for _, v in self.control.options):
            return False
        self.control.value = value
        return True

    def reset(self) -> None:
        self.control.value = self.default


class BoolField(Field):
    """A checkbox (plain bool), or a three-way toggle default/on/off (optional bool)."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, optional: bool, default: Any) -> None:
        self.optional = optional
        self.default = UNSET if default is None else bool(default)
        if optional:
            control = w.ToggleButtons(options=[("default", UNSET), ("on", True), ("off", False)],
                                      value=self.default,
                                      style=w.ToggleButtonsStyle(button_width="70px"))
        else:
            control = w.Checkbox(value=bool(default), indent=False)
        super().__init__(name, label, help_text, control, on_change)
        control.observe(self._changed, "value")

    def get(self) -> Any:
        return self.control.value

    def set(self, value: Any) -> bool:
        if value is UNSET or value is None:
            if not self.optional:
                return False
            self.control.value = UNSET
            return True
        if not isinstance(value, bool):
            return False
        self.control.value = value
        return True

    def reset(self) -> None:
        self.control.value = self.default


class NumberField(Field):
    """An optional number typed as text (empty: the API's default); bounds show as help."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, integer: bool, placeholder: str) -> None:
        self.integer = integer
        control = w.Text(placeholder=placeholder, layout=w.Layout(width="220px"),
                         continuous_update=True)
        super().__init__(name, label, help_text, control, on_change)
        control.observe(self._changed, "value")

    def get(self) -> Any:
        text = self.control.value.strip()
        if not text:
            return UNSET
        try:
            return int(text) if self.integer else float(text)
        except ValueError:
            kind = "a whole number" if self.integer else "a number"
            raise FieldValueError(f"{text!r} is not {kind}.") from None

    def set(self, value: Any) -> bool:
        if value is UNSET or value is None:
            self.control.value = ""
            return True
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if self.integer and not float(value).is_integer():
            return False
        self.control.value = str(int(value) if self.integer else value)
        return True

    def reset(self) -> None:
        self.control.value = ""


class SliderField(Field):
    """An optional bounded number: a slider, switched on with a checkbox."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, low: float, high: float, start: float) -> None:
        self.enabled = w.Checkbox(value=False, indent=False, description="set",
                                  layout=w.Layout(width="60px"))
        self.slider = w.FloatSlider(value=start, min=low, max=high, step=(high - low) / 20,
                                    disabled=True, readout_format=".2f")
        self.start = start
        control = w.HBox([self.enabled, self.slider])
        super().__init__(name, label, help_text, control, on_change)
        self.enabled.observe(self._toggle, "value")
        self.slider.observe(self._changed, "value")

    def _toggle(self, _change: Any) -> None:
        self.slider.disabled = not self.enabled.value
        self._changed()

    def get(self) -> Any:
        return self.slider.value if self.enabled.value else UNSET

    def set(self, value: Any) -> bool:
        if value is UNSET or value is None:
            self.enabled.value = False
            return True
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if not self.slider.min <= value <= self.slider.max:
            return False
        self.slider.value = float(value)
        self.enabled.value = True
        return True

    def reset(self) -> None:
        self.enabled.value = False
        self.slider.value = self.start


class DurationField(Field):
    """The model's durations only: a Dropdown for a few values, a slider for a range."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, durations: Sequence[int], default: int) -> None:
        self.durations = tuple(durations)
        self.default = default if default in self.durations else self.durations[0]
        contiguous = list(self.durations) == list(range(self.durations[0],
                                                        self.durations[-1] + 1))
        if len(self.durations) > 4 and contiguous:
            control = w.IntSlider(value=self.default, min=self.durations[0],
                                  max=self.durations[-1], step=1)
        else:
            control = w.Dropdown(options=[(f"{d} s", d) for d in self.durations],
                                 value=self.default, layout=w.Layout(width="120px"))
        super().__init__(name, label, help_text, control, on_change)
        control.observe(self._changed, "value")

    def get(self) -> Any:
        return int(self.control.value)

    def set(self, value: Any) -> bool:
        if value not in self.durations:
            return False
        self.control.value = int(value)
        return True

    def reset(self) -> None:
        self.control.value = self.default


def _orientation(size: tuple[int, int]) -> str:
    width, height = size
    if width * 9 == height * 21:  # Kling 4.0's cinema widescreen
        return "21:9 ultra-wide"
    return "landscape" if width > height else "portrait" if height > width else "square"


def _size_option(size: tuple[int, int]) -> str:
    """``1920x1080 (landscape)``; the 0x0 the body sends reads ``auto (follows the start
    frame)``."""
    label = size_label(size)
    return label if label != format_size(size) else f"{label} ({_orientation(size)})"


class SizeField(Field):
    """Width x height from the sizes the model takes in the chosen mode."""

    covers = ("width", "height")

    def __init__(self, spec: type[Spec], label: str, help_text: str,
                 on_change: Callable[[str], None]) -> None:
        self.spec = spec
        self.mode: str | None = None
        control = w.Dropdown(options=self._options(None), value=UNSET,
                             layout=w.Layout(width="260px"))
        super().__init__("size", label, help_text, control, on_change)
        control.observe(self._changed, "value")

    def _options(self, mode: str | None) -> list[tuple[str, Any]]:
        sizes = self.spec.allowed_sizes(mode)
        return [("model default", UNSET)] + [
            (_size_option(s), s) for s in sizes]

    def set_mode(self, mode: str | None) -> None:
        """Offer the sizes of ``mode``; a size that does not fit it falls back to default."""
        if mode == self.mode:
            return
        self.mode = mode
        current = self.control.value
        options = self._options(mode)
        keep = current if any(current == v for _, v in options) else UNSET
        with self.control.hold_trait_notifications():
            self.control.options = options
            self.control.value = keep
        if keep is not current:
            self._changed()

    def get(self) -> Any:
        return self.control.value

    def set(self, value: Any) -> bool:
        if value is UNSET or value is None:
            self.control.value = UNSET
            return True
        if isinstance(value, str):
            try:
                value = parse_size(value)
            except SpecError:
                return False
        value = tuple(value)
        if not any(value == v for _, v in self.control.options):
            return False
        self.control.value = value
        return True

    def reset(self) -> None:
        self.control.value = UNSET
