"""Widgets: a form per model built from its spec, image inputs, and Generate with live progress.

The form is generic: ``SpecForm(Kling30)`` reads the spec's JSON schema (field types, enums,
bounds, the description of every field) and its class facts (``durations``, ``sizes`` per
mode, ``max_references``), and ``kling_nb.notebook.table`` picks a widget per field from two small
tables, much like ipywidgets' ``interaction.py``. Adding a model needs no widget code.
Conditional fields mirror the validators (``SHOW_IF``): the end frame is offered once a start
frame is set, image references and start/end frames exclude each other where the model's rules
say so (Kling 4.0 takes them together); the video reference
exists only where the spec has that field. Errors are the spec's own ``SpecError.problems``,
placed next to the field they name and naming it ("prompt is required."), once the user has
touched that field or pressed Generate: a new form is quiet. Validation runs on every change
and keystroke (the URL and asset id boxes too), debounced (coalescing rapid changes;
``debounce=0`` validates at once, as the tests do), and Generate is disabled while the form is
invalid.

Generate runs as a background task (``kling_nb.notebook.generating``; ``background`` says how
and why).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from kling_nb.core.errors import KlingError, Problem, SpecError
from kling_nb.core.html import esc
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import MODELS
from kling_nb.specs.describe import rules_html
from kling_nb.specs.inferred import InferredRuleWarning
from kling_nb.specs.results import Result
from kling_nb.specs.views import estimate_text, price_text

from .background import Background, Debouncer, Runner
from .fallback import WIDGET_NOTE, TextFallback
from .fields import ERROR, UNSET, WARNING, Field, FieldValueError, SizeField
from .generating import Generating
from .structured import ShotsField
from .table import ADVANCED, HIDDEN, ORDER, SHOW_IF, build_field, schema_of


class SpecForm(TextFallback, Generating, w.VBox):  # type: ignore[misc]
    """A form for one model, built from its spec; Generate submits through the client.

    ``SpecForm(kn.Kling30)`` or ``SpecForm("leonardo/kling-3.0", client=client)``. ``spec`` is
    the valid spec (None while invalid), ``errors`` maps field names to messages. ``debounce``
    is the pause (seconds) after the last change before validating; ``runner`` starts the
    wait coroutine (default: a task on the running loop, see the module docstring).
    """

    def __init__(self, model: type[Spec] | str, client: Any = None, *,
                 debounce: float = 0.25, runner: Runner | None = None,
                 results: list[Result] | None = None, journal: Any = None,
                 download: bool = True, tick: float = 1.0) -> None:
        self.spec_class: type[Spec] = MODELS[model].spec if isinstance(model, str) else model
        self.client = client
        self.journal = journal
        self.results: list[Result] = results if results is not None else []
        self.download = download
        self.tick = tick
        self.runner: Runner = runner or Background
        self.spec: Spec | None = None
        self.errors: dict[str, list[str]] = {}
        """Every field's problems (also those not shown yet: see ``touched``)."""
        self.warnings: dict[str, list[str]] = {}
        """Inferred rules the spec breaks, by field: shown (once a field is touched), and sent
        anyway."""
        self.form_warnings: list[str] = []
        self.touched: set[str] = set()
        """Fields the user changed (or ``set_values`` filled): only their problems show."""
        self.job: Any = None
        self.result: Result | None = None
        self.task: Any = None
        self.running = False
        self.validations = 0
        self._listeners: list[Callable[[SpecForm], None]] = []
        self.generated_listeners: list[Callable[[Any, Result], None]] = []
        self._building = True
        self.debouncer = Debouncer(debounce, self.validate)

        self.fields: dict[str, Field] = {}
        schema = schema_of(self.spec_class)
        for name in self._field_order(schema["properties"]):
            prop = schema["properties"][name]
            field = build_field(self.spec_class, name, prop, self._on_field_change,
                                results=self.results, journal=journal,
                                image_options={"limits": getattr(client, "image_limits", True),
                                               "debounce": debounce})
            self.fields[field.name] = field

        self.form_error = w.HTML("")
        self.generate_button = w.Button(description="Generate", icon="play",
                                        button_style="primary", disabled=True)
        self.stop_button = w.Button(description="Stop waiting", icon="stop",
                                    layout=w.Layout(display="none"))
        self.progress = w.HTML("")
        self.output = w.Output()
        for widget, name in ((self.generate_button, "generate"), (self.stop_button, "stop"),
                             (self.progress, "progress"), (self.output, "output")):
            widget.add_class(f"kling-nb-{name}")
        self.generate_button.on_click(lambda _: self.click_generate())
        self.stop_button.on_click(lambda _: self.stop())

        main = [f.widget for n, f in self.fields.items() if n not in ADVANCED]
        advanced = [f.widget for n, f in self.fields.items() if n in ADVANCED]
        self.rules_help = w.HTML(rules_html(self.spec_class))
        """The model's rules, each with its source (documented) or why (inferred)."""
        panels = [("Advanced", w.VBox(advanced))] if advanced else []
        if self.rules_help.value:
            panels.append(("Rules and their sources", self.rules_help))
        children = list(main)
        if panels:
            accordion = w.Accordion(children=[panel for _, panel in panels],
                                    selected_index=None)
            for index, (title, _) in enumerate(panels):
                accordion.set_title(index, title)
            children.append(accordion)
        children += [self.form_error, w.HBox([self.generate_button, self.stop_button]),
                     self.progress, self.output]
        super().__init__(children)
        self.add_class("kling-nb-form")
        self._building = False
        self._sync_mode()
        self._update_visibility()
        self.validate()

    # -- structure ---------------------------------------------------------------------
    def _field_order(self, props: Mapping[str, Any]) -> list[str]:
        names = [n for n in props if n not in HIDDEN and n != "height"]
        first = [n for n in ORDER if n in names]
        return first + [n for n in names if n not in first]

    def on_validated(self, callback: Callable[[SpecForm], None]) -> None:
        """Call ``callback(form)`` after every validation (the studio's code and cost)."""
        self._listeners.append(callback)

    # -- values ------------------------------------------------------------------------
    def raw_values(self) -> dict[str, Any]:
        """Every field's current value (``UNSET`` ones left out; unreadable ones too)."""
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            try:
                value = field.get()
            except FieldValueError:
                continue
            if value is not UNSET:
                values[name] = value
        return values

    def set_values(self, values: Mapping[str, Any]) -> list[str]:
        """Set the fields that exist here and can hold the value; returns the names kept."""
        kept: list[str] = []
        self._building = True
        try:
            ordered = sorted(values, key=lambda n: (n != "mode", n == "size"))
            for name in ordered:
                field = self.fields.get(name)
                if field is not None and field.set(values[name]):
                    kept.append(name)
                if name == "mode":
                    self._sync_mode()
        finally:
            self._building = False
        self.touched.update(kept)
        self._sync_mode()
        self._update_visibility()
        self.validate()
        return kept

    def reset(self) -> None:
        """Every field back to the model's default."""
        self._building = True
        try:
            for field in self.fields.values():
                field.reset()
        finally:
            self._building = False
        self.touched.clear()
        self._sync_mode()
        self._update_visibility()
        self.validate()

    def _effective(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The values of the offered fields, and the local errors (bad text in a field)."""
        values: dict[str, Any] = {}
        local: dict[str, str] = {}
        for name, field in self.fields.items():
            if not field.visible:
                continue
            try:
                value = field.get()
            except FieldValueError as exc:
                local[name] = str(exc)
                continue
            if value is not UNSET:
                values[name] = value
        return values, local

    def spec_kwargs(self) -> dict[str, Any]:
        """The keyword arguments the spec is built from (size split into width/height)."""
        values, _ = self._effective()
        size = values.pop("size", UNSET)
        if size is not UNSET:
            values["width"], values["height"] = size
        return values

    # -- reacting to changes -------------------------------------------------------------
    def _on_field_change(self, name: str) -> None:
        if self._building:
            return
        self.touched.add(name)
        if name == "mode":
            self._sync_mode()
        self._update_visibility()
        self.generate_button.disabled = True  # until the pending validation says otherwise
        self.debouncer()

    def _sync_mode(self) -> None:
        size = self.fields.get("size")
        if not isinstance(size, SizeField):
            return
        mode = self.fields["mode"].get() if "mode" in self.fields else UNSET
        if mode is UNSET and len(self.spec_class.sizes) == 1:
            mode = next(iter(self.spec_class.sizes))
        size.set_mode(None if mode is UNSET else str(mode))

    def _update_visibility(self) -> None:
        raw: dict[str, Any] = {}
        for name, field in self.fields.items():
            try:
                raw[name] = field.get()
            except FieldValueError:
                raw[name] = UNSET
        effective = dict(raw)
        for name, condition in SHOW_IF:
            conditional = self.fields.get(name)
            if conditional is None:
                continue
            shown = condition(effective, self.spec_class)
            conditional.show(shown)
            if not shown:
                effective[name] = UNSET

    # -- validation --------------------------------------------------------------------
    def validate(self) -> Spec | None:
        """Build the spec from the fields; place every problem next to its field (shown once
        the user has touched that field, or pressed Generate: a new form is quiet)."""
        self.validations += 1
        spec, errors, form_errors = self._problems()
        self.spec = spec if not form_errors else None
        self.errors = dict(errors)
        if form_errors:
            self.errors["(form)"] = form_errors
        self._advise(spec)
        for name, field in self.fields.items():
            field.set_errors(errors.get(name, []) if name in self.touched else [],
                             self.warnings.get(name, []) if self.touched else [])
            if isinstance(field, ShotsField):
                field.show_total(self._raw("duration"))
        shown = form_errors if self.touched else []
        hints = self.form_warnings if self.touched else []
        self.form_error.value = "<br>".join(
            [ERROR.format(esc(m)) for m in shown] + [WARNING.format(esc(m)) for m in hints])
        self.generate_button.disabled = self.spec is None or self.running
        for listener in self._listeners:
            listener(self)
        return self.spec

    def _problems(self) -> tuple[Spec | None, dict[str, list[str]], list[str]]:
        """The spec (None while invalid), each field's problems (naming the field), and the
        problems no shown field owns."""
        _, local = self._effective()
        errors = {name: [f"{name}: {message}"] for name, message in local.items()}
        form_errors: list[str] = []
        spec: Spec | None = None
        try:
            with warnings.catch_warnings():
                # The form shows inferred rules next to their fields instead.
                warnings.simplefilter("ignore", InferredRuleWarning)
                spec = self.spec_class(**self.spec_kwargs())
        except SpecError as exc:
            for problem in exc.problems:
                target = self._field_for(problem)
                if target is None:
                    form_errors.append(str(problem))
                elif target not in local:
                    errors.setdefault(target, []).append(_problem_text(problem))
        except (KlingError, ValueError, TypeError) as exc:
            form_errors.append(str(exc))
        return (None if local else spec), errors, form_errors

    def _advise(self, spec: Spec | None) -> None:
        """The inferred rules ``spec`` breaks, by field (and those no shown field owns)."""
        self.warnings, self.form_warnings = {}, []
        for problem in spec.advisories if spec is not None else []:
            target = self._field_for(problem)
            if target is None:
                self.form_warnings.append(str(problem))
            else:
                self.warnings.setdefault(target, []).append(_problem_text(problem))

    def _field_for(self, problem: Problem) -> str | None:
        for name in problem.fields:
            for field_name, field in self.fields.items():
                if name in field.covers and field.visible:
                    return field_name
        return None

    @property
    def valid(self) -> bool:
        """Whether the fields make a valid spec (after any pending validation)."""
        self.flush()
        return self.spec is not None

    def flush(self) -> None:
        """Run every pending (debounced) check now: the fields' own, then the form's."""
        for field in self.fields.values():
            field.flush()
        self.debouncer.flush()

    # -- generate --------------------------------------------------------------------------
    def click_generate(self) -> Any:
        """What the Generate button does: validate now, then start waiting in the background.

        Every field's problems show from now on, touched or not.
        """
        self.touched.update(self.fields)
        self.flush()
        self.validate()
        if self.spec is None or self.running:
            return None
        self.running = True
        self.generate_button.disabled = True
        self.task = self.runner(self.generate_async())
        return self.task

    # -- text ----------------------------------------------------------------------------
    def estimate(self) -> str:
        """The estimated cost: from the spec, or from the duration while other fields are
        still being filled in (empty when unknown)."""
        if self.spec is not None:
            return estimate_text(self.spec)
        return price_text(self.spec_class, self._raw("duration"), self._raw("quantity"))

    def _raw(self, name: str) -> Any:
        field = self.fields.get(name)
        try:
            return field.get() if field is not None else None
        except Exception:
            return None

    def __repr__(self) -> str:
        cls = self.spec_class
        shown = [n.replace("_", " ") for n, f in self.fields.items()
                 if n not in ADVANCED and f.visible]
        missing = [n.replace("_", " ") for n in self.errors if n in self.fields]
        state = ("ready to generate" if self.spec is not None else
                 f"to fill in: {', '.join(missing)}" if missing else "not ready yet")
        return (f"{cls.display_name} form ({cls.key}): {', '.join(shown)}, then Generate; "
                f"{state} ({WIDGET_NOTE})")


def _problem_text(problem: Problem) -> str:
    text = problem.sentence
    if problem.allowed and problem.allowed not in text:
        text += f" Allowed: {problem.allowed}."
    if problem.inferred:
        text += f" (An inferred rule, sent anyway unless strict: {problem.inferred}.)"
    return text
