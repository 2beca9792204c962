"""The fields of a form: one widget per spec field, chosen from the spec's JSON schema.

``build_field`` picks a widget per field from two small tables - ``NAMED`` (a few field names
with a special widget: the prompt, the duration, the size picker) and the schema type (enum ->
Dropdown, boolean -> Checkbox or a three-way toggle, image -> ImageInput, ...) - much like
ipywidgets' ``interaction.py``; ``SHOW_IF`` mirrors the validators (the end frame only once a
start frame is set; image references and frames exclude each other). ``ImageInput`` takes an
upload, an https URL, an asset id or an earlier result, with a preview and the client's checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from functools import cache
from typing import Any

import ipywidgets as w

from ._display import esc
from ._errors import ImageError
from ._imagecheck import check_image
from ._images import ImageFile, ImageRef, VideoRef
from ._results import Result
from ._spec import Spec, format_size


class _Unset:
    """A field left empty: the spec's own default applies."""

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()


class FieldValueError(ValueError):
    """A field's widget holds text that is not a value (e.g. ``seed="abc"``)."""


# -- schema helpers ------------------------------------------------------------------------
@cache
def schema_of(cls: type[Spec]) -> dict[str, Any]:
    """The spec's JSON schema (cached: building it costs milliseconds)."""
    return cls.model_json_schema()


def _variants(prop: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(prop.get("anyOf") or prop.get("oneOf") or [prop])


def _refs(prop: Mapping[str, Any]) -> set[str]:
    found = set()
    for variant in _variants(prop):
        ref = variant.get("$ref")
        if isinstance(ref, str):
            found.add(ref.rsplit("/", 1)[-1])
    return found


def _optional(prop: Mapping[str, Any]) -> bool:
    return any(v.get("type") == "null" for v in _variants(prop))


def _main(prop: Mapping[str, Any]) -> Mapping[str, Any]:
    """The first non-null variant of a property."""
    return next((v for v in _variants(prop) if v.get("type") != "null"), prop)


def _choices(prop: Mapping[str, Any]) -> list[Any] | None:
    values: list[Any] = []
    for variant in _variants(prop):
        if "enum" in variant:
            values += list(variant["enum"])
        elif "const" in variant:
            values.append(variant["const"])
    return values or None


# -- fields --------------------------------------------------------------------------------
_LABEL = w.Layout(width="150px", min_width="150px")
_HELP = "<span style='color:#6c757d;font-size:90%'>{}</span>"
_ERROR = "<span style='color:#b02a37'>✗ {}</span>"


class Field:
    """One form field: a label, a control, help text and an error line."""

    covers: tuple[str, ...] = ()

    def __init__(self, name: str, label: str, help_text: str, control: Any,
                 on_change: Callable[[str], None]) -> None:
        self.name = name
        self.covers = self.covers or (name,)
        self.control = control
        self.on_change = on_change
        self.label = w.HTML(f"<b>{esc(label)}</b>", layout=_LABEL, tooltip=help_text)
        self.help = w.HTML(_HELP.format(esc(help_text)) if help_text else "")
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

    def set_errors(self, messages: Sequence[str]) -> None:
        """Show the problems found for this field (none clears the line)."""
        self.error.value = "<br>".join(_ERROR.format(esc(m)) for m in messages)


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
            self.counter.value = _HELP.format(f"{count} chars")
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
    return "landscape" if width > height else "portrait" if height > width else "square"


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
            (f"{format_size(s)} ({_orientation(s)})", s) for s in sizes]

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
            parts = value.lower().split("x")
            if len(parts) != 2 or not all(p.isdigit() for p in parts):
                return False
            value = (int(parts[0]), int(parts[1]))
        value = tuple(value)
        if not any(value == v for _, v in self.control.options):
            return False
        self.control.value = value
        return True

    def reset(self) -> None:
        self.control.value = UNSET


# -- image inputs --------------------------------------------------------------------------
def _candidates(results: Iterable[Any] | None, journal: Any) -> list[Result]:
    """Results to pick from: the given list, then the journal's history (duck-typed)."""
    found: list[Result] = []
    for item in list(results or []):
        result = item if isinstance(item, Result) else getattr(item, "result", None)
        if isinstance(result, Result):
            found.append(result)
    if journal is not None and hasattr(journal, "history"):
        try:
            records = list(journal.history())
        except Exception:  # a journal that cannot answer just offers nothing
            records = []
        for record in records:
            result = record if isinstance(record, Result) else getattr(record, "result", None)
            if isinstance(result, Result):
                found.append(result)
    seen: set[str] = set()
    unique = []
    for result in found:
        if result.job_id not in seen and result.asset_id:
            seen.add(result.job_id)
            unique.append(result)
    return unique


def _result_label(result: Result) -> str:
    prompt = (result.prompt or "").strip().replace("\n", " ")
    short = prompt if len(prompt) <= 40 else prompt[:37] + "..."
    mark = " [sandbox]" if result.sandbox else ""
    return f"{result.job_id[:8]} {short}{mark}"


SOURCES = {"upload": "Upload", "url": "URL", "asset": "Asset id", "result": "Earlier result"}


class ImageInput(w.VBox):  # type: ignore[misc]
    """One image, from your computer, an https URL, an asset id or an earlier result.

    ``value`` is an ``ImageFile`` (upload or URL), an ``ImageRef`` (asset id or result) or
    None; ``error`` says why the current input is unusable. Uploaded bytes go through the
    client's local checks (``check_image``) and show as a thumbnail.
    """

    def __init__(self, *, sources: Sequence[str] = tuple(SOURCES), results: Any = None,
                 journal: Any = None, on_change: Callable[[], None] | None = None) -> None:
        self.sources = tuple(s for s in SOURCES if s in sources)
        self.value: ImageRef | ImageFile | None = None
        self.error: str | None = None
        self._on_change = on_change
        self._quiet = False
        self.source = w.ToggleButtons(options=[(SOURCES[s], s) for s in self.sources],
                                      value=self.sources[0],
                                      style=w.ToggleButtonsStyle(button_width="120px"))
        self.upload = w.FileUpload(accept="image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp",
                                   multiple=False, description="Choose image")
        self.url = w.Text(placeholder="https://example.com/frame.png",
                          layout=w.Layout(width="420px"), continuous_update=False)
        self.asset = w.Text(placeholder="asset id, e.g. 5f1c9a3e-...",
                            layout=w.Layout(width="320px"), continuous_update=False)
        self.asset_type = w.Dropdown(options=["UPLOADED", "GENERATED"], value="UPLOADED",
                                     layout=w.Layout(width="130px"))
        self.pick = w.Dropdown(options=[("(choose a result)", None)],
                               layout=w.Layout(width="420px"))
        self.clear = w.Button(description="clear", icon="times", layout=w.Layout(width="80px"))
        self.thumbnail = w.Image(layout=w.Layout(max_width="160px", max_height="120px",
                                                 display="none"))
        self.remote = w.HTML("")
        self.message = w.HTML("")
        self.panels = {"upload": w.HBox([self.upload]), "url": w.HBox([self.url]),
                       "asset": w.HBox([self.asset, self.asset_type]),
                       "result": w.HBox([self.pick])}
        self.set_results(results, journal)
        super().__init__([w.HBox([self.source, self.clear]),
                          *[self.panels[s] for s in self.sources],
                          w.HBox([self.thumbnail, self.remote]), self.message])
        self._show_panel()
        self.source.observe(self._source_changed, "value")
        for control in (self.upload, self.url, self.asset, self.asset_type, self.pick):
            control.observe(self._recompute, "value")
        self.clear.on_click(lambda _: self.set_value(None))

    # -- sources -----------------------------------------------------------------------
    def set_results(self, results: Any = None, journal: Any = None) -> None:
        """Refresh the results offered by "Earlier result"."""
        options: list[tuple[str, Any]] = [("(choose a result)", None)]
        options += [(_result_label(r), r) for r in _candidates(results, journal)]
        current = self.pick.value
        self.pick.options = options
        if any(current is v for _, v in options):
            self.pick.value = current

    def _show_panel(self) -> None:
        for name, panel in self.panels.items():
            panel.layout.display = None if name == self.source.value else "none"

    def _source_changed(self, _change: Any) -> None:
        self._show_panel()
        self._recompute()

    # -- value -------------------------------------------------------------------------
    def _compute(self) -> tuple[ImageRef | ImageFile | None, str | None]:
        source = self.source.value
        self.thumbnail.layout.display = "none"
        self.remote.value = ""
        try:
            if source == "upload":
                return self._from_upload()
            if source == "url":
                text = self.url.value.strip()
                if not text:
                    return None, None
                if not text.startswith("https://"):
                    return None, "an image URL must start with https://"
                self.remote.value = (f"<img src='{esc(text)}' style='max-height:120px' "
                                     "alt='preview'>")
                return ImageFile(url=text), None
            if source == "asset":
                text = self.asset.value.strip()
                if not text:
                    return None, None
                return ImageRef(id=text, type=self.asset_type.value), None
            result = self.pick.value
            if result is None:
                return None, None
            if result.poster_url and not result.sandbox:
                self.remote.value = (f"<img src='{esc(result.poster_url)}' "
                                     "style='max-height:120px' alt='poster'>")
            return result.as_start_frame(), None
        except (ImageError, ValueError) as exc:
            return None, _short_error(exc)

    def _from_upload(self) -> tuple[ImageFile | None, str | None]:
        if not self.upload.value:
            return None, None
        item = self.upload.value[0]
        data = bytes(item["content"])
        name = str(item.get("name") or "upload")
        info = check_image(data, name)
        self.thumbnail.format = info.format
        self.thumbnail.value = data
        self.thumbnail.layout.display = None
        self.remote.value = _HELP.format(esc(f"{name}: {info.width}x{info.height} "
                                             f"{info.format.upper()}, {info.nbytes / 1000:.0f} kB"))
        return ImageFile(data=data), None

    def _recompute(self, _change: Any = None) -> None:
        self.value, self.error = self._compute()
        self.message.value = _ERROR.format(esc(self.error)) if self.error else ""
        if self._on_change is not None and not self._quiet:
            self._on_change()

    def set_value(self, value: Any) -> bool:
        """Show an image reference, URL, local file or bytes; False if not accepted here."""
        from ._images import coerce_image

        try:
            image = coerce_image(value) if value is not None else None
        except (ValueError, TypeError):
            return False
        self._quiet = True
        try:
            if image is None:
                self.upload.value = ()
                self.url.value = self.asset.value = ""
                self.pick.value = None
            elif isinstance(image, ImageRef):
                if "asset" not in self.sources:
                    return False
                self.source.value = "asset"
                self.asset_type.value = image.type
                self.asset.value = image.id
            elif image.url is not None:
                if "url" not in self.sources:
                    return False
                self.source.value = "url"
                self.url.value = image.url
            else:
                if "upload" not in self.sources:
                    return False
                data = image.read()
                self.source.value = "upload"
                self.upload.value = ({"name": image.label, "type": "", "size": len(data),
                                      "content": memoryview(data),
                                      "last_modified": datetime.now(timezone.utc)},)
        finally:
            self._quiet = False
        self._recompute()
        return True


def _short_error(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return "; ".join(e["msg"] for e in exc.errors())
    return str(exc)


class ImageField(Field):
    """An image field: one ``ImageInput``."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, sources: Sequence[str], results: Any, journal: Any) -> None:
        control = ImageInput(sources=sources, results=results, journal=journal,
                             on_change=lambda: on_change(name))
        super().__init__(name, label, help_text, control, on_change)

    def get(self) -> Any:
        if self.control.error:
            raise FieldValueError(self.control.error)
        return UNSET if self.control.value is None else self.control.value

    def set(self, value: Any) -> bool:
        return bool(self.control.set_value(None if value is UNSET else value))

    def reset(self) -> None:
        self.control.set_value(None)

    def set_errors(self, messages: Sequence[str]) -> None:
        own = [self.control.error] if self.control.error else []
        super().set_errors([m for m in messages if m not in own])


class ImageListField(Field):
    """A list of images (references): add and remove ``ImageInput`` rows."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, limit: int, results: Any, journal: Any) -> None:
        self.limit, self.results, self.journal = limit, results, journal
        self.inputs: list[ImageInput] = []
        self.rows = w.VBox([])
        self.add = w.Button(description="add image", icon="plus")
        self.count = w.HTML("")
        control = w.VBox([self.rows, w.HBox([self.add, self.count])])
        super().__init__(name, label, help_text, control, on_change)
        self.add.on_click(lambda _: self.add_input())
        self._refresh()

    def add_input(self) -> ImageInput:
        """One more image row (named ``@imageN`` in the prompt)."""
        image = ImageInput(results=self.results, journal=self.journal,
                           on_change=lambda: self.on_change(self.name))
        self.inputs.append(image)
        self._refresh()
        self.on_change(self.name)
        return image

    def remove_input(self, image: ImageInput) -> None:
        """Drop one image row."""
        self.inputs.remove(image)
        self._refresh()
        self.on_change(self.name)

    def _refresh(self) -> None:
        rows = []
        for index, image in enumerate(self.inputs, 1):
            remove = w.Button(description="remove", icon="trash", layout=w.Layout(width="90px"))
            remove.on_click(lambda _, image=image: self.remove_input(image))
            rows.append(w.HBox([w.HTML(f"<code>@image{index}</code>",
                                       layout=w.Layout(width="70px")), image, remove]))
        self.rows.children = rows
        self.add.disabled = len(self.inputs) >= self.limit
        self.count.value = _HELP.format(f"{len(self.inputs)} of at most {self.limit}")

    def get(self) -> Any:
        errors = [i.error for i in self.inputs if i.error]
        if errors:
            raise FieldValueError("; ".join(errors))
        images = [i.value for i in self.inputs if i.value is not None]
        return images or UNSET

    def set(self, value: Any) -> bool:
        if value is UNSET or value is None:
            value = []
        if not isinstance(value, (list, tuple)) or len(value) > self.limit:
            return False
        self.inputs = []
        for item in value:
            image = ImageInput(results=self.results, journal=self.journal,
                               on_change=lambda: self.on_change(self.name))
            if not image.set_value(item):
                return False
            self.inputs.append(image)
        self._refresh()
        self.on_change(self.name)
        return True

    def reset(self) -> None:
        self.set([])

    def set_results(self, results: Any, journal: Any) -> None:
        """Refresh the earlier results each row offers."""
        self.results = results
        for image in self.inputs:
            image.set_results(results, journal)


class VideoField(Field):
    """A generated video to edit: its id, or an earlier result."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, results: Any, journal: Any) -> None:
        self.text = w.Text(placeholder="id of a generated video", continuous_update=False,
                           layout=w.Layout(width="320px"))
        self.pick = w.Dropdown(options=[("(or pick a result)", None)],
                               layout=w.Layout(width="300px"))
        control = w.HBox([self.text, self.pick])
        super().__init__(name, label, help_text, control, on_change)
        self.set_results(results, journal)
        self.text.observe(self._changed, "value")
        self.pick.observe(self._picked, "value")

    def set_results(self, results: Any, journal: Any) -> None:
        """Refresh the results offered."""
        self.pick.options = [("(or pick a result)", None)] + [
            (_result_label(r), r) for r in _candidates(results, journal)]

    def _picked(self, change: Any) -> None:
        if change["new"] is not None and change["new"].asset_id:
            self.text.value = change["new"].asset_id

    def get(self) -> Any:
        text = self.text.value.strip()
        if not text:
            return UNSET
        try:
            return VideoRef(id=text)
        except ValueError as exc:
            raise FieldValueError(_short_error(exc)) from None

    def set(self, value: Any) -> bool:
        if value is UNSET or value is None:
            self.text.value = ""
            return True
        if isinstance(value, (VideoRef, ImageRef)):
            value = value.id
        if not isinstance(value, str):
            return False
        self.text.value = value
        return True

    def reset(self) -> None:
        self.text.value = ""
        self.pick.value = None


# -- the lookup tables ---------------------------------------------------------------------
FieldFactory = Callable[..., Field]

NAMED: dict[str, str] = {
    "prompt": "prompt", "negative_prompt": "prompt", "duration": "duration",
    "width": "size", "height": "size",
}
"""Field names with a special widget (the rest is chosen by schema type)."""

HIDDEN = frozenset({"model"})
"""Fields never shown: the model row is the form's own."""

ADVANCED = frozenset({"public", "prompt_enhance", "quantity", "external_task_id", "type",
                      "resolution", "static_mask"})
"""Fields placed under "Advanced"."""

ORDER = ("prompt", "negative_prompt", "image_url", "start_frame", "end_frame",
         "image_references", "video_reference", "mode", "duration", "width", "audio", "seed",
         "cfg_scale")
"""The order of the main fields; others follow in the spec's order."""

SHOW_IF: tuple[tuple[str, Callable[[Mapping[str, Any]], bool]], ...] = (
    ("start_frame", lambda v: not v.get("image_references")),
    ("end_frame", lambda v: v.get("start_frame", UNSET) is not UNSET),
    ("image_references", lambda v: v.get("start_frame", UNSET) is UNSET
     and v.get("end_frame", UNSET) is UNSET),
)
"""When a field is offered, in evaluation order, over the values of the fields before it
(mirroring the validators: an end frame needs a start frame; references exclude frames)."""

LABELS = {"image_url": "image", "image_references": "image references", "cfg_scale": "cfg scale",
          "video_reference": "video to edit", "prompt_enhance": "enhance prompt",
          "external_task_id": "task id", "negative_prompt": "negative prompt",
          "start_frame": "start frame", "end_frame": "end frame", "static_mask": "static mask"}


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " "))


def build_field(spec: type[Spec], name: str, prop: Mapping[str, Any],
                on_change: Callable[[str], None], *, results: Any = None,
                journal: Any = None) -> Field:
    """The widget for one field: by name (``NAMED``), else by its schema type."""
    help_text = str(prop.get("description") or spec.model_fields[name].description or "")
    label = _label(name)
    kind = NAMED.get(name)
    main = _main(prop)
    if kind == "prompt":
        limit = main.get("maxLength")
        placeholder = ("describe the scene, subject, motion and camera"
                       if name == "prompt" else "what to keep out of the video")
        return TextField(name, label, help_text, on_change, multiline=True,
                         limit=int(limit) if limit else None, placeholder=placeholder)
    if kind == "duration":
        default = spec.model_fields[name].default
        return DurationField(name, label, help_text, on_change, durations=spec.durations,
                             default=int(default) if isinstance(default, int) else 5)
    if kind == "size":
        return SizeField(spec, "size", "width x height: only the sizes this model takes in the "
                         "chosen mode", on_change)
    refs = _refs(prop) | _refs(prop.get("items") or {})
    if "VideoRef" in refs:
        return VideoField(name, label, help_text, on_change, results=results, journal=journal)
    if refs & {"ImageRef", "ImageFile"} or name == "image_url":
        sources = ["upload", "url"] + (["asset", "result"] if "ImageRef" in refs else [])
        if main.get("type") == "array" or prop.get("type") == "array":
            limit = int(getattr(spec, "max_references", 4))
            return ImageListField(name, label, help_text, on_change, limit=limit,
                                  results=results, journal=journal)
        return ImageField(name, label, help_text, on_change, sources=sources, results=results,
                          journal=journal)
    choices = _choices(prop)
    default = prop.get("default")
    if choices is not None:
        return ChoiceField(name, label, help_text, on_change, choices=choices,
                           optional=_optional(prop), default=default)
    kind_of = main.get("type")
    if kind_of == "boolean":
        return BoolField(name, label, help_text, on_change, optional=_optional(prop),
                         default=default)
    if kind_of == "number" and "minimum" in main and "maximum" in main:
        low, high = float(main["minimum"]), float(main["maximum"])
        return SliderField(name, label, help_text, on_change, low=low, high=high,
                           start=(low + high) / 2)
    if kind_of in ("integer", "number"):
        bound = f">= {main['minimum']}" if "minimum" in main else ""
        placeholder = "API default" + (f" ({bound})" if bound else "")
        if name == "seed":
            placeholder = "random"
        return NumberField(name, label, help_text, on_change, integer=kind_of == "integer",
                           placeholder=placeholder)
    return TextField(name, label, help_text, on_change, placeholder="")
