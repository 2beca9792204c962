"""Sound clip and reference video inputs: from your computer, an https URL or an earlier result.

An uploaded clip is read locally with PyAV before anything is sent (``kling_nb.client.clips``):
a damaged file, or one without the sound (an avatar's clip) or picture (a motion reference) it
is given for, shows its error at once; a usable one shows its length, and the spec's rules on
its format, size and length run as the form validates. Nothing of a clip is saved into the
notebook: the widget keeps its bytes in the kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, Literal

import ipywidgets as w

from kling_nb.client.clips import checked_clip
from kling_nb.core.errors import ClipError
from kling_nb.core.html import esc
from kling_nb.specs.clips import AudioFile, Clip, VideoFile, coerce_audio, coerce_video

from .background import Debouncer
from .fields import ERROR, HELP
from .inputfield import InputField
from .picks import Choices

Kind = Literal["audio", "video"]
ACCEPT = {"audio": "audio/mpeg,audio/wav,audio/x-wav,audio/mp4,audio/aac,.mp3,.wav,.m4a,.aac",
          "video": "video/mp4,video/quicktime,video/webm,.mp4,.mov,.m4v,.webm"}
PLACEHOLDER = {"audio": "https://example.com/voice.mp3",
               "video": "https://example.com/dance.mp4"}
SOURCES = {"upload": "Upload", "url": "URL", "result": "Earlier result"}


class ClipInput(w.VBox):  # type: ignore[misc]
    """One sound clip (``kind="audio"``) or reference video (``"video"``): uploaded, an https
    URL, or (videos) an earlier result.

    ``value`` is an ``AudioFile``/``VideoFile`` (an upload, its length read locally; a
    result, with its length), an https URL, or None; ``error`` says why the current input is
    unusable.
    """

    def __init__(self, kind: Kind, *, results: Any = None, journal: Any = None,
                 on_change: Callable[[], None] | None = None, debounce: float = 0.25) -> None:
        self.kind = kind
        self.sources = ("upload", "url", "result") if kind == "video" else ("upload", "url")
        self.value: Clip | str | None = None
        self.error: str | None = None
        self._on_change = on_change
        self._quiet = False
        self.typing = Debouncer(debounce, self._recompute)
        self.source = w.ToggleButtons(options=[(SOURCES[s], s) for s in self.sources],
                                      value="upload",
                                      style=w.ToggleButtonsStyle(button_width="120px"))
        self.upload = w.FileUpload(accept=ACCEPT[kind], multiple=False,
                                   description=f"Choose {kind}")
        self.url = w.Text(placeholder=PLACEHOLDER[kind], layout=w.Layout(width="420px"),
                          continuous_update=True)
        self.pick = w.Dropdown(options=[("(choose a result)", None)],
                               layout=w.Layout(width="420px"))
        self.choices = Choices(self.pick, "(choose a result)", by_url=True)
        self.clear = w.Button(description="clear", icon="times", layout=w.Layout(width="80px"))
        self.facts = w.HTML("")
        self.message = w.HTML("")
        self.panels = {"upload": w.HBox([self.upload]), "url": w.HBox([self.url]),
                       "result": w.HBox([self.choices.filter, self.pick])}
        self.choices.set(results, journal)
        super().__init__([w.HBox([self.source, self.clear]),
                          *[self.panels[s] for s in self.sources], self.facts, self.message])
        self._show_panel()
        self.source.observe(self._source_changed, "value")
        for control in (self.upload, self.pick):
            control.observe(self._recompute, "value")
        self.url.observe(lambda _change: self.typing(), "value")
        self.clear.on_click(lambda _: self.set_value(None))

    def set_results(self, results: Any = None, journal: Any = None) -> None:
        """Refresh the results offered by "Earlier result"."""
        self.choices.set(results, journal)

    def _show_panel(self) -> None:
        for name, panel in self.panels.items():
            panel.layout.display = None if name == self.source.value else "none"

    def _source_changed(self, _change: Any) -> None:
        self._show_panel()
        self._recompute()

    def _compute(self) -> tuple[Clip | str | None, str | None]:
        self.facts.value = ""
        source = self.source.value
        if source == "url":
            text = self.url.value.strip()
            if not text:
                return None, None
            if not text.startswith("https://"):
                return None, f"a {self.kind} URL must start with https://"
            return text, None
        if source == "result":
            result = self.pick.value
            return (coerce_video(result), None) if result is not None else (None, None)
        if not self.upload.value:
            return None, None
        item = self.upload.value[0]
        name = str(item.get("name") or "upload")
        data = bytes(item["content"])
        clip = AudioFile(data=data) if self.kind == "audio" else VideoFile(data=data)
        try:
            checked = checked_clip(clip, name)
        except ClipError as exc:
            return None, str(exc)
        self.facts.value = HELP.format(esc(describe(checked, name)))
        return checked, None

    def _recompute(self, _change: Any = None) -> None:
        self.value, self.error = self._compute()
        self.message.value = ERROR.format(esc(self.error)) if self.error else ""
        if self._on_change is not None and not self._quiet:
            self._on_change()

    def set_value(self, value: Any) -> bool:
        """Show a clip, a file, bytes or an https URL; False if not accepted here."""
        try:
            clip = (coerce_audio(value) if self.kind == "audio" else coerce_video(value)) \
                if value is not None else None
        except (ValueError, TypeError):
            return False
        self._quiet = True
        try:
            if clip is None:
                self.upload.value = ()
                self.url.value = ""
                self.pick.value = None
            elif isinstance(clip, str) or clip.url is not None:
                self.source.value = "url"
                self.url.value = clip if isinstance(clip, str) else clip.url or ""
            else:
                data = clip.read()
                self.source.value = "upload"
                self.upload.value = ({"name": clip.label, "type": "", "size": len(data),
                                      "content": memoryview(data),
                                      "last_modified": datetime.now(timezone.utc)},)
        except OSError:
            return False
        finally:
            self._quiet = False
        self.typing.cancel()
        self._recompute()
        return True


def describe(clip: Clip, name: str) -> str:
    """``voice.wav: 3.0 s WAV, 176 kB`` (and the picture size of a video)."""
    size = f", {clip.width}x{clip.height}" if isinstance(clip, VideoFile) and clip.width else ""
    kind = (clip.format or clip.kind).upper()
    seconds = f"{clip.seconds:.1f} s " if clip.seconds is not None else ""
    return f"{name}: {seconds}{kind}{size}, {len(clip.data or b'') / 1000:.0f} kB"


class ClipField(InputField):
    """A sound clip or reference video field: one ``ClipInput``."""

    def __init__(self, name: str, label: str, help_text: str, on_change: Callable[[str], None],
                 *, kind: Kind, results: Any, journal: Any, debounce: float = 0.25) -> None:
        control = ClipInput(kind, results=results, journal=journal,
                            on_change=lambda: on_change(name), debounce=debounce)
        super().__init__(name, label, help_text, control, on_change)

    def set_results(self, results: Any, journal: Any) -> None:
        """Refresh the earlier results offered."""
        self.control.set_results(results, journal)

