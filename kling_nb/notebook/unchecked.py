"""The form for a model the catalogue does not know yet: the provider's JSON body, sent as given.

``UncheckedForm`` is what the studio shows for "any model, unchecked" (and what "remix this"
opens for an unchecked video): the provider (or "from the body"), an optional endpoint, and the
body as JSON text. Nothing is checked but the JSON's shape (``kn.parse_spec(body,
unchecked=True)``); Generate then runs as in every form, and the video is labelled UNCHECKED.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from kling_nb.core.errors import KlingError
from kling_nb.core.html import esc
from kling_nb.specs.catalogue import parse_spec
from kling_nb.specs.providers import PROVIDER_NAMES
from kling_nb.specs.results import Result
from kling_nb.specs.unchecked import CheckedSpecWarning, UncheckedSpec

from .background import Background, Debouncer, Runner
from .fallback import WIDGET_NOTE, TextFallback
from .fields import ERROR, HELP, WARNING, Field
from .generating import Generating

TEMPLATE = {"model": "", "public": False, "parameters": {
    "prompt": "", "duration": 5, "width": 1920, "height": 1080}}
"""A fresh form's body: Leonardo's v2 envelope, with the model id and the prompt to fill in."""
HEADER = ("<b style='color:#58151c'>UNCHECKED</b>: a model the catalogue does not know yet. "
          "Write the provider's own JSON body (its docs show it); nothing is checked but its "
          "shape, so the provider judges the rest, and a live request is billed as it sees "
          "fit. Local images: <code>client.image_for_body(image, provider=...)</code> gives "
          "what the body needs.")


class UncheckedForm(TextFallback, Generating, w.VBox):  # type: ignore[misc]
    """A provider body as JSON text, its provider and endpoint; Generate sends it as given."""

    spec_class = UncheckedSpec

    def __init__(self, client: Any = None, *, debounce: float = 0.25,
                 runner: Runner | None = None, results: list[Result] | None = None,
                 journal: Any = None, download: bool = True, tick: float = 1.0) -> None:
        self.client, self.journal, self.download, self.tick = client, journal, download, tick
        self.results: list[Result] = results if results is not None else []
        self.runner: Runner = runner or Background
        self.spec: UncheckedSpec | None = None
        self.errors: dict[str, list[str]] = {}
        self.fields: dict[str, Field] = {}  # no image pickers: the body names its images
        self.job: Any = None
        self.result: Result | None = None
        self.task: Any = None
        self.running = False
        self._listeners: list[Callable[[Any], None]] = []
        self.generated_listeners: list[Callable[[Any, Result], None]] = []
        self.debouncer = Debouncer(debounce, self.validate)
        self.provider_picker = w.ToggleButtons(
            options=[("from the body", None)] + [(n, p) for p, n in PROVIDER_NAMES.items()],
            value=None, style={"button_width": "auto"}, description="provider")
        self.endpoint = w.Text(value="", description="endpoint",
                               placeholder="chosen from the body (see the docs)",
                               layout=w.Layout(width="460px"))
        self.body = w.Textarea(value=json.dumps(TEMPLATE, indent=2),
                               layout=w.Layout(width="100%", height="220px"))
        self.body.add_class("kling-nb-unchecked-body")
        self.message = w.HTML("")
        self.generate_button = w.Button(description="Generate (unchecked)", icon="play",
                                        button_style="danger", disabled=True)
        self.stop_button = w.Button(description="Stop waiting", icon="stop",
                                    layout=w.Layout(display="none"))
        self.progress, self.output = w.HTML(""), w.Output()
        for widget, name in ((self.generate_button, "generate"), (self.stop_button, "stop"),
                             (self.progress, "progress"), (self.output, "output")):
            widget.add_class(f"kling-nb-{name}")
        self.generate_button.on_click(lambda _: self.click_generate())
        self.stop_button.on_click(lambda _: self.stop())
        for control in (self.provider_picker, self.endpoint, self.body):
            control.observe(lambda _: self.debouncer(), "value")
        super().__init__([w.HTML(HEADER), self.provider_picker, self.endpoint, self.body,
                          self.message, w.HBox([self.generate_button, self.stop_button]),
                          self.progress, self.output])
        self.add_class("kling-nb-form")
        self.add_class("kling-nb-unchecked")
        self.validate()

    # -- values ---------------------------------------------------------------------------
    @property
    def provider(self) -> str | None:
        """The provider the body goes to (None until the body or the picker says)."""
        return self.spec.provider if self.spec is not None else self.provider_picker.value

    def raw_values(self) -> dict[str, Any]:
        """The body's values (prompt, duration, seed...), for a form another model swaps in."""
        if self.spec is not None:
            return {k: v for k, v in self.spec.parameters.items() if k != "model"}
        return {}

    def set_values(self, values: Mapping[str, Any]) -> list[str]:
        """Show an unchecked spec's ``to_dict`` (``body``, ``provider``, ``endpoint``), or a
        body; returns the names kept."""
        kept = []
        if "provider" in values:
            self.provider_picker.value = values["provider"]
            kept.append("provider")
        if "endpoint" in values:
            self.endpoint.value = str(values["endpoint"] or "")
            kept.append("endpoint")
        body = values.get("body")
        if isinstance(body, Mapping):
            self.body.value = json.dumps(body, indent=2, ensure_ascii=False)
            kept.append("body")
        self.validate()
        return kept

    def reset(self) -> None:
        """Back to a fresh body."""
        self.provider_picker.value = None
        self.endpoint.value = ""
        self.body.value = json.dumps(TEMPLATE, indent=2)
        self.validate()

    # -- validation -----------------------------------------------------------------------
    def validate(self) -> UncheckedSpec | None:
        """Read the body (and provider, endpoint) as ``parse_spec(..., unchecked=True)`` does."""
        self.spec, self.errors, notes = None, {}, []
        try:
            body = json.loads(self.body.value)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", CheckedSpecWarning)
                spec = parse_spec(body, unchecked=True, provider=self.provider_picker.value,
                                  endpoint=self.endpoint.value.strip() or None)
            notes = [str(c.message) for c in caught if c.category is CheckedSpecWarning]
            self.spec = spec if isinstance(spec, UncheckedSpec) else None
        except json.JSONDecodeError as exc:
            self.errors["body"] = [f"body: not valid JSON ({exc.msg} at line {exc.lineno})."]
        except KlingError as exc:
            self.errors["body"] = [str(exc)]
        if self.spec is not None:
            where = (f"POST {PROVIDER_NAMES[self.spec.provider]} {self.spec.path} as "
                     f"{self.spec.key}")
            self.message.value = "<br>".join([HELP.format(esc(where))]
                                             + [WARNING.format(esc(n)) for n in notes])
        else:
            self.message.value = "<br>".join(ERROR.format(esc(m)) for m in self.errors["body"])
        self.generate_button.disabled = self.spec is None or self.running
        for listener in self._listeners:
            listener(self)
        return self.spec

    def on_validated(self, callback: Callable[[Any], None]) -> None:
        """Call ``callback(form)`` after every validation (the studio's code and cost)."""
        self._listeners.append(callback)

    @property
    def valid(self) -> bool:
        """Whether the body can be sent (after any pending validation)."""
        self.flush()
        return self.spec is not None

    def flush(self) -> None:
        """Run a pending (debounced) validation now."""
        self.debouncer.flush()

    def estimate(self) -> str:
        """No price is known for a model the catalogue does not know."""
        return ""

    def click_generate(self) -> Any:
        """What Generate does: validate now, then send the body in the background."""
        self.flush()
        self.validate()
        if self.spec is None or self.running:
            return None
        self.running = True
        self.generate_button.disabled = True
        self.task = self.runner(self.generate_async())
        return self.task

    def __repr__(self) -> str:
        state = f"ready: {self.spec.key}" if self.spec is not None else "its body to fill in"
        return (f"Unchecked form: a provider's JSON body for a model the catalogue does not "
                f"know, sent as given ({state}) ({WIDGET_NOTE})")
