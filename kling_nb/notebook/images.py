"""Image and video inputs: from your computer, an https URL, an asset id or an earlier result.

Uploaded bytes go through the client's local checks (``check_image``) and show as a thumbnail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from kling_nb.client.imagecheck import check_image, check_kling_limits
from kling_nb.core.errors import ImageError
from kling_nb.core.html import attr, esc
from kling_nb.specs.refs import ImageFile, ImageRef, VideoRef, coerce_image

from .background import Debouncer
from .fields import ERROR, HELP, UNSET, Field, FieldValueError
from .inputfield import InputField
from .picks import Choices

SOURCES = {"upload": "Upload", "url": "URL", "asset": "Asset id", "result": "Earlier result"}


class ImageInput(w.VBox):  # type: ignore[misc]
    """One image, from your computer, an https URL, an asset id or an earlier result.

    ``value`` is an ``ImageFile`` (upload or URL), an ``ImageRef`` (asset id or result) or
    None; ``error`` says why the current input is unusable. Uploaded bytes go through the
    client's local checks (``check_image``, and Kling's input limits unless ``limits`` is
    False, as for ``Client(image_limits=False)``) and show as a thumbnail.
    """

    def __init__(self, *, sources: Sequence[str] = tuple(SOURCES), results: Any = None,
                 journal: Any = None, on_change: Callable[[], None] | None = None,
                 limits: bool = True, debounce: float = 0.25) -> None:
        self.sources = tuple(s for s in SOURCES if s in sources)
        self.limits = limits
        self.typing = Debouncer(debounce, self._recompute)
        """Checks the URL and asset id boxes as you type, once typing pauses."""
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
                          layout=w.Layout(width="420px"), continuous_update=True)
        self.asset = w.Text(placeholder="asset id, e.g. 5f1c9a3e-1b2d-4c3e-9f00-0a1b2c3d4e01",
                            layout=w.Layout(width="320px"), continuous_update=True)
        self.asset_type = w.Dropdown(options=["UPLOADED", "GENERATED"], value="UPLOADED",
                                     layout=w.Layout(width="130px"))
        self.pick = w.Dropdown(options=[("(choose a result)", None)],
                               layout=w.Layout(width="420px"))
        self.choices = Choices(self.pick, "(choose a result)")
        self.clear = w.Button(description="clear", icon="times", layout=w.Layout(width="80px"))
        self.thumbnail = w.Image(layout=w.Layout(max_width="160px", max_height="120px",
                                                 display="none"))
        self.remote = w.HTML("")
        self.message = w.HTML("")
        self.panels = {"upload": w.HBox([self.upload]), "url": w.HBox([self.url]),
                       "asset": w.HBox([self.asset, self.asset_type]),
                       "result": w.HBox([self.choices.filter, self.pick])}
        self.set_results(results, journal)
        super().__init__([w.HBox([self.source, self.clear]),
                          *[self.panels[s] for s in self.sources],
                          w.HBox([self.thumbnail, self.remote]), self.message])
        self._show_panel()
        self.source.observe(self._source_changed, "value")
        for control in (self.upload, self.asset_type, self.pick):
            control.observe(self._recompute, "value")
        for text in (self.url, self.asset):  # every keystroke: checked once typing pauses
            text.observe(lambda _change: self.typing(), "value")
        self.clear.on_click(lambda _: self.set_value(None))

    # -- sources -----------------------------------------------------------------------
    def set_results(self, results: Any = None, journal: Any = None) -> None:
        """Refresh the results offered by "Earlier result": this session's and the journal's
        recent ones (the filter box looks further back)."""
        self.choices.set(results, journal)

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
                self.remote.value = (f"<img src='{attr(text)}' style='max-height:120px' "
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
                self.remote.value = (f"<img src='{attr(result.poster_url)}' "
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
        if self.limits:
            check_kling_limits(info, name)
        self.thumbnail.format = info.format
        self.thumbnail.value = data
        self.thumbnail.layout.display = None
        self.remote.value = HELP.format(esc(f"{name}: {info.width}x{info.height} "
                                             f"{info.format.upper()}, {info.nbytes / 1000:.0f} kB"))
        return ImageFile(data=data), None

    def _recompute(self, _change: Any = None) -> None:
        self.value, self.error = self._compute()
        self.message.value = ERROR.format(esc(self.error)) if self.error else ""
        if self._on_change is not None and not self._quiet:
            self._on_change()

    def set_value(self, value: Any) -> bool:
        """Show an image reference, URL, local file or bytes; False if not accepted here."""
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
        self.typing.cancel()
        self._recompute()
        return True


def _short_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(e["msg"] for e in exc.errors())
    return str(exc)


class ImageField(InputField):
    """An image field: one ``ImageInput``."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, sources: Sequence[str], results: Any, journal: Any,
                 options: Mapping[str, Any] | None = None) -> None:
        control = ImageInput(sources=sources, results=results, journal=journal,
                             on_change=lambda: on_change(name), **(options or {}))
        super().__init__(name, label, help_text, control, on_change)


class ImageListField(Field):
    """A list of images (references): add and remove ``ImageInput`` rows."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, limit: int, results: Any, journal: Any,
                 options: Mapping[str, Any] | None = None) -> None:
        self.limit, self.results, self.journal = limit, results, journal
        self.options = dict(options or {})
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
        image = self._input()
        self.inputs.append(image)
        self._refresh()
        self.on_change(self.name)
        return image

    def _input(self) -> ImageInput:
        return ImageInput(results=self.results, journal=self.journal,
                          on_change=lambda: self.on_change(self.name), **self.options)

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
        self.count.value = HELP.format(f"{len(self.inputs)} of at most {self.limit}")

    def flush(self) -> None:
        for image in self.inputs:
            image.typing.flush()

    def get(self) -> Any:
        errors = [i.error for i in self.inputs if i.error]
        if errors:
            raise FieldValueError("; ".join(errors))
        images = [i.value for i in self.inputs if i.value is not None]
        return images or UNSET

    def set(self, value: Any) -> bool:
        if value is UNSET or value is None:
            value = []
        if not isinstance(value, (list, tuple)):  # one image where one or a list is taken
            value = [value]
        if len(value) > self.limit:
            return False
        self.inputs = []
        for item in value:
            image = self._input()
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
        self.text = w.Text(placeholder="id of a generated video", continuous_update=True,
                           layout=w.Layout(width="320px"))  # checked by the form, debounced
        self.pick = w.Dropdown(options=[("(or pick a result)", None)],
                               layout=w.Layout(width="300px"))
        self.choices = Choices(self.pick, "(or pick a result)")
        control = w.HBox([self.text, self.choices.filter, self.pick])
        super().__init__(name, label, help_text, control, on_change)
        self.set_results(results, journal)
        self.text.observe(self._changed, "value")
        self.pick.observe(self._picked, "value")

    def set_results(self, results: Any, journal: Any) -> None:
        """Refresh the results offered: this session's, then the journal's recent videos
        (the filter box looks further back)."""
        self.choices.set(results, journal)

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
