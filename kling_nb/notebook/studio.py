"""The studio: one widget with a model picker, the model's form, copy-as-code, reset and cost.

``kn.studio()`` shows it; ``kn.Studio(client)`` is the widget. The model picker lists the
models grouped by provider, then "any model, unchecked" (``UncheckedForm``: a provider's body
for a model the catalogue does not know, offered while nothing is filtered); the buttons above
it filter them by what they take and make (``MODELS.filter``). Picking another model swaps the
form and keeps the values that still apply (the prompt, a start frame, a duration or size the
new model also takes); "Copy as code" shows the spec as Python and as curl; "Reset" puts every
field back to the model's default; the cost line is ``Spec.estimated_usd``, marked as an
estimate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from kling_nb.core.errors import KlingError
from kling_nb.core.html import NOTICE_HTML, esc
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import MODELS
from kling_nb.specs.providers import PROVIDER_NAMES
from kling_nb.specs.results import Result
from kling_nb.specs.unchecked import is_unchecked
from kling_nb.specs.views import curl_text

from .background import Runner
from .code import spec_code
from .fallback import WIDGET_NOTE, TextFallback
from .form import SpecForm
from .unchecked import UncheckedForm

LABEL = w.Layout(width="80px")
DEFAULT_MODEL = "leonardo/kling-3.0"
"""The model the studio opens with."""
UNCHECKED = "unchecked"
"""The picker's value for a model the catalogue does not know: its body, sent as given."""
UNCHECKED_OPTION = ("Any model, UNCHECKED · the provider's JSON body", UNCHECKED)


class Studio(TextFallback, w.VBox):  # type: ignore[misc]
    """Pick a model, fill its form, see the cost and the code, generate."""

    def __init__(self, client: Any = None, model: str | None = None, *,
                 debounce: float = 0.25, runner: Runner | None = None,
                 results: list[Result] | None = None, journal: Any = None) -> None:
        self.client = client
        self.options = {"debounce": debounce, "runner": runner, "journal": journal}
        self.results: list[Result] = results if results is not None else []
        self.generated_listeners: list[Callable[[SpecForm, Result], None]] = []
        self.filters = {name: w.ToggleButton(description=label, value=False, tooltip=tip)
                        for name, (label, tip) in FILTERS.items()}
        self.provider = w.ToggleButtons(options=[("all", None)] + [
            (PROVIDER_NAMES[p], p) for p in PROVIDER_NAMES], value=None,
            style={"button_width": "auto"})
        self.picker = w.Dropdown(options=[*picker_options(MODELS), UNCHECKED_OPTION],
                                 value=_pick(model or DEFAULT_MODEL),
                                 description="Model", layout=w.Layout(width="460px"))
        for control in (*self.filters.values(), self.provider):
            control.observe(lambda _: self._filter(), "value")
        self.summary = w.HTML("")
        self.cost = w.HTML("")
        self.reset_button = w.Button(description="Reset to defaults", icon="undo")
        self.code_button = w.ToggleButton(description="Copy as code", icon="code", value=False)
        self.python_code = w.Textarea(layout=w.Layout(width="100%", height="220px"))
        self.curl_code = w.Textarea(layout=w.Layout(width="100%", height="220px"))
        self.code = w.Tab(children=[self.python_code, self.curl_code],
                          layout=w.Layout(display="none"))
        self.code.set_title(0, "Python")
        self.code.set_title(1, "curl")
        self.kept: list[str] = []
        self.form = self._make_form(self.picker.value)
        self.holder = w.VBox([self.form])
        choose = w.VBox([w.HBox([w.HTML("<b>provider</b>", layout=LABEL), self.provider]),
                         w.HBox([w.HTML("<b>filter</b>", layout=LABEL),
                                 *self.filters.values()])])
        super().__init__([choose,
                          w.HBox([self.picker, self.reset_button, self.code_button]),
                          self.summary, self.cost, self.code, self.holder])
        self.add_class("kling-nb-studio")
        self.picker.add_class("kling-nb-model")
        self.picker.observe(self._swap, "value")
        self.reset_button.on_click(lambda _: self.form.reset())
        self.code_button.observe(self._toggle_code, "value")
        self._update_summary()
        self._refresh(self.form)

    def _filter(self) -> list[str]:
        """Offer only the models with the chosen facts (the current one stays listed); "any
        model, unchecked" only while nothing is filtered, as its facts are unknown."""
        wanted = {name: True for name, toggle in self.filters.items() if toggle.value}
        sound = wanted.pop("sound", None)
        rows = MODELS.filter(provider=self.provider.value, sound=sound, **wanted)
        keys = list(rows)
        current = self.picker.value
        if current not in keys:
            keys.append(current)
        unfiltered = not wanted and sound is None and self.provider.value is None
        self.picker.options = [*picker_options(MODELS, [k for k in keys if k in MODELS]),
                               *([UNCHECKED_OPTION] if unfiltered or current == UNCHECKED
                                 else [])]
        self.picker.value = current
        return list(rows)

    def _make_form(self, key: str) -> SpecForm | UncheckedForm:
        form: SpecForm | UncheckedForm = (
            UncheckedForm(self.client, results=self.results, **self.options) if key == UNCHECKED
            else SpecForm(MODELS[key].spec, self.client, results=self.results, **self.options))
        form.on_validated(self._refresh)
        for listener in self.generated_listeners:
            form.on_generated(listener)
        self._refresh(form)
        return form

    def on_generated(self, callback: Callable[[SpecForm, Result], None]) -> None:
        """Call ``callback(form, result)`` whenever Generate ends with a video, whichever
        model's form made it."""
        self.generated_listeners.append(callback)
        self.form.on_generated(callback)

    def _swap(self, change: Any) -> None:
        self.kept = self._replace_form(change["new"])

    def select(self, key: str) -> list[str]:
        """Switch to model ``key``, keeping the values that still apply; returns their names
        (an unchecked model's key picks the unchecked form)."""
        key = _pick(key)
        if self.picker.value != key:
            self.picker.value = key  # the picker's observer swaps the form
        else:
            self.kept = self._replace_form(key)
        return self.kept

    def _replace_form(self, key: str) -> list[str]:
        old = self.form
        values = _carried(old, key)
        self.client = old.client or self.client
        self.form = self._make_form(key)
        kept = self.form.set_values(values)
        self.holder.children = [self.form]
        self._update_summary()
        self._refresh(self.form)
        return kept

    def _update_summary(self) -> None:
        if self.picker.value == UNCHECKED:
            self.summary.value = ("<i>A model the catalogue does not know yet: its provider's "
                                  "body, sent as given and labelled UNCHECKED.</i>")
            return
        row = MODELS[self.picker.value]
        text = f"<i>{esc(row.spec.summary)}</i>" if row.spec.summary else ""
        if row.notice:
            text += NOTICE_HTML.format("<b>Retired.</b> " + esc(row.notice))
        self.summary.value = text

    def _toggle_code(self, change: Any) -> None:
        self.code.layout.display = None if change["new"] else "none"

    def _refresh(self, form: SpecForm | UncheckedForm) -> None:
        if form is not getattr(self, "form", form):
            return
        self.cost.value = cost_line(form.estimate(), self._in_sandbox(form))
        spec = form.spec
        if spec is None:
            self.python_code.value = "# the form has errors: fix them to see the code"
            self.curl_code.value = "# the form has errors: fix them to see the curl command"
            return
        self.python_code.value = spec_code(spec)
        self.curl_code.value = curl_text(spec)

    def _in_sandbox(self, form: SpecForm | UncheckedForm) -> bool:
        client = form.client or self.client
        provider = form.provider if isinstance(form, UncheckedForm) else \
            form.spec_class.provider
        return bool(client is not None and provider is not None and client.is_sandbox(provider))

    @property
    def spec(self) -> Spec | None:
        """The current form's valid spec (None while invalid)."""
        return self.form.spec

    def __repr__(self) -> str:
        now = (f"{MODELS[self.picker.value].name}, {self.picker.value}"
               if self.picker.value in MODELS else "any model, unchecked")
        return (f"Studio: pick one of {len(MODELS)} model rows (Leonardo.AI and the AI/ML API) "
                f"or any model unchecked, fill its form (now {now}), see its cost and its code "
                f"as Python or curl, Generate ({WIDGET_NOTE})")


FILTERS = {
    "active": ("active", "hide retired models"),
    "text": ("from text", "makes a video from a prompt alone"),
    "image": ("start frame", "takes a start frame (image-to-video)"),
    "video": ("video input", "edits, references or copies the motion of a video"),
    "audio": ("audio input", "speaks a sound clip (avatars)"),
    "multi_shot": ("multi-shot", "takes a storyboard of shots"),
    "sound": ("sound", "can make sound"),
}
"""The studio's model filters: ``MODELS.filter`` facts, with their button labels."""


def cost_line(estimate: str, sandbox: bool) -> str:
    """The studio's price line: a live estimate, and in the sandbox that nothing is billed."""
    if sandbox:
        live = f"live, it would be {esc(estimate)}" if estimate else "no live price is known"
        return f"<b>Cost:</b> nothing billed (SANDBOX); {live}"
    return (f"<b>Estimated cost:</b> {esc(estimate)}" if estimate
            else "<span style='color:#6c757d'>no price known</span>")


def picker_options(models: Any, keys: list[str] | None = None) -> list[tuple[str, str]]:
    """Dropdown options grouped by provider (Leonardo.AI first), retired rows marked."""
    chosen = [models[k] for k in (keys if keys is not None else list(models))]
    order = list(PROVIDER_NAMES)
    chosen.sort(key=lambda row: order.index(row.provider))
    return [(f"{row.provider_name} · {row.name}" + (" (retired)" if row.retired else ""),
             row.key) for row in chosen]


def _pick(key: str) -> str:
    """The picker's value for a model key (every unchecked model shares one)."""
    return UNCHECKED if is_unchecked(key) else key


def _carried(old: SpecForm | UncheckedForm, key: str) -> dict[str, Any]:
    """What a new form keeps of the old one: the values that still apply; a checked model's
    request becomes the body of the unchecked form (to change its model id)."""
    if key == UNCHECKED:
        spec = old.spec
        if spec is None or isinstance(old, UncheckedForm):
            return {}
        try:
            return {"body": spec.to_wire(), "provider": spec.provider}
        except KlingError:  # a local image: only a client can upload it
            return {}
    if isinstance(old, UncheckedForm):
        return old.raw_values()
    return _translate(old.raw_values(), old.spec_class, MODELS[key].spec)


def _translate(values: dict[str, Any], old: type[Spec], new: type[Spec]) -> dict[str, Any]:
    """Field names across models: ``start_frame`` <-> ``image_url`` (the specs' aliases)."""
    out = dict(values)
    for alias, canonical in old.input_aliases.items():  # old canonical -> its alias
        if canonical in out and canonical not in new.model_fields and alias in new.model_fields:
            out[alias] = out.pop(canonical)
    for alias, canonical in new.input_aliases.items():
        if alias in out and alias not in new.model_fields and canonical in new.model_fields:
            out[canonical] = out.pop(alias)
    return out


def studio(client: Any = None, model: str | None = None, **options: Any) -> Studio:
    """The studio widget (display it, or leave it last in a cell)."""
    return Studio(client, model, **options)
