"""pydantic's validation errors as ``Problem``s: field, what was given, what is allowed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import TypeAdapter, ValidationError

from kling_nb.core.errors import Problem, SpecError

if TYPE_CHECKING:
    from .base import Spec


def spec_error(cls: type[Spec], exc: ValidationError, raw: Mapping[str, Any]) -> SpecError:
    """One ``SpecError`` naming every bad field of ``raw`` for the spec class ``cls``."""
    problems: list[Problem] = []
    bad_fields: set[str] = set()
    for error in exc.errors():
        if error["type"] == "spec_rules":
            problems.extend(error["ctx"]["problems"])
            continue
        nested = (error.get("ctx") or {}).get("error")
        if isinstance(nested, SpecError):  # raised while reading the input (``size="WxH"``)
            problems.extend(p for p in nested.problems if p not in problems)
            continue
        problem = _problem_from_error(cls, error, raw)
        if problem.fields[0] not in bad_fields:
            bad_fields.add(problem.fields[0])
            problems.append(problem)
    if bad_fields:
        problems.extend(p for p in _partial_rules(cls, raw, bad_fields) if p not in problems)
    return SpecError(cls.display_name + f" [{cls.key}]", _label_wire(cls, problems))


def _items(count: int) -> str:
    return f"{count} item" + ("" if count == 1 else "s")


_ERROR_TEXT: dict[str, Callable[[Mapping[str, Any], Any], tuple[str, str | None]]] = {
    "missing": lambda ctx, given: ("is required.", None),
    "string_too_short": lambda ctx, given: (
        "is empty." if not given else f"is {len(given)} characters long, too short.",
        f"at least {ctx['min_length']} character{'s' * (ctx['min_length'] != 1)}"),
    "literal_error": lambda ctx, given: (f"{given!r} is not allowed.", ctx.get("expected")),
    "string_too_long": lambda ctx, given: (
        f"is {len(given)} characters long, too long.", f"at most {ctx['max_length']} characters"
    ),
    "too_long": lambda ctx, given: (
        f"{_items(ctx.get('actual_length', len(given)))} is too many.",
        f"at most {_items(ctx['max_length'])}"),
    "too_short": lambda ctx, given: (
        f"{_items(ctx.get('actual_length', len(given)))} is too few.",
        f"at least {_items(ctx['min_length'])}"),
    "greater_than_equal": lambda ctx, given: (f"{given!r} is too small.", f">= {ctx['ge']}"),
    "less_than_equal": lambda ctx, given: (f"{given!r} is too large.", f"<= {ctx['le']}"),
    "greater_than": lambda ctx, given: (f"{given!r} is too small.", f"> {ctx['gt']}"),
}
# pydantic's type errors, in plain words: (what is wrong, what is allowed when nothing better)
_TYPE_TEXT: dict[str, tuple[str, str]] = {
    "int": ("is not a whole number", "a whole number"),
    "float": ("is not a number", "a number"),
    "bool": ("is not true or false", "True or False"),
    "string": ("is not text", "text"),
    "list": ("is not a list", "a list"),
    "dict": ("is not a reference", "an id or a reference object"),
    "model": ("is not a reference", "an id or a reference object"),
    "is_instance": ("is not a reference", "an id or a reference object"),
}
_FIELD_ALLOWED: dict[str, str] = {
    "start_frame": "an asset id, kn.uploaded(...)/kn.generated(...), a local image path, bytes, "
                   "a PIL image or an https URL",
    "video_reference": "the id of a video generated earlier (GENERATED), e.g. "
                       "result.as_video_reference()",
}
_FIELD_ALLOWED["end_frame"] = _FIELD_ALLOWED["image_references"] = _FIELD_ALLOWED["start_frame"]


def _type_problem(cls: type[Spec], name: str, kind: str, given: Any) -> tuple[str, str] | None:
    family = next((f for f in _TYPE_TEXT if kind.startswith(f + "_")), None)
    if family is None:
        return None
    what, allowed = _TYPE_TEXT[family]
    if name == "duration":
        allowed = _durations_text(cls.durations)
    return f"{_short(given)} {what}.", _FIELD_ALLOWED.get(name, allowed)


def _durations_text(durations: tuple[int, ...]) -> str:
    if len(durations) > 2 and durations == tuple(range(durations[0], durations[-1] + 1)):
        return f"whole seconds from {durations[0]} to {durations[-1]}"
    return " or ".join(str(d) for d in durations) + " seconds"


_ITEM = {"multi_prompt": "shot", "elements": "element", "image_list": "image",
         "reference_image_urls": "reference image", "dynamic_masks": "mask",
         "trajectories": "point", "image_references": "image reference", "image_url": "image"}
"""What one item of a list field is called in a message ("shot 2's prompt")."""


_UNION_TAGS = frozenset({"str", "list", "ImageFile", "ImageRef", "int", "bool", "float"})
"""Names pydantic puts in an error's place for the branch of a union it tried."""


def _where(name: str, path: tuple[str, ...]) -> str:
    """A place inside a field, as a person names it: ``shot 2's prompt``, ``element 1``."""
    words: list[str] = []
    container = name
    for part in path:
        if part.isdigit():
            words.append(f"{_ITEM.get(container, 'item')} {int(part) + 1}")
            container = part
        elif part.isidentifier() and part not in _UNION_TAGS:
            words.append(part)
            container = part
    return "'s ".join(words)


def _nested_problem(cls: type[Spec], error: Mapping[str, Any], name: str,
                    path: tuple[str, ...]) -> Problem:
    """An error inside a list or object field, naming where (not the whole field's length)."""
    inner, ctx = error.get("input"), error.get("ctx") or {}
    owner = _where(name, path[:-1]) or name
    if error["type"] == "missing":
        return Problem((name,), f"{owner} has no {path[-1]} (it is required).",
                       allowed=_NESTED_ALLOWED.get(path[-1]))
    if error["type"] == "extra_forbidden":
        return Problem((name,), f"{owner} has an unknown key {path[-1]!r}; the API rejects "
                       "unknown keys.", given=inner)
    render = _ERROR_TEXT.get(error["type"])
    message, allowed = render(ctx, inner) if render is not None else (
        error["msg"].rstrip(".") + ".", ctx.get("allowed"))
    where = _where(name, path)
    return Problem((name,), f"{where} {message}" if message.startswith("is ")
                   else f"{where}: {message}", given=inner, allowed=allowed)


_NESTED_ALLOWED = {"reference_image_urls": "1 to 4 images of the element",
                   "prompt": "the shot's text", "trajectories": "2 to 77 points {x, y}",
                   "mask": "the mask image"}


def _problem_from_error(
    cls: type[Spec], error: Mapping[str, Any], raw: Mapping[str, Any]
) -> Problem:
    loc = tuple(str(part) for part in error["loc"])
    name = loc[0] if loc else "request"
    given, ctx = error.get("input"), error.get("ctx") or {}
    nested = tuple(p for p in loc[1:] if not p.startswith("function-"))
    if nested and any(p.isdigit() for p in nested):
        return _nested_problem(cls, error, name, nested)
    if len(loc) > 1 and name in raw:
        given = raw[name]
    if error["type"] == "extra_forbidden":
        return _unknown_field(cls, name, given)
    render = _ERROR_TEXT.get(error["type"])
    typed = _type_problem(cls, name, error["type"], given)
    if render is not None:
        message, allowed = render(ctx, given)
    elif typed is not None:
        message, allowed = typed
    else:
        message, allowed = error["msg"].rstrip(".") + ".", ctx.get("allowed")
        if "url" in error and given is not None:  # pydantic's own wording omits the value
            message = f"{message} (given: {_short(given)})"
    return Problem((name,), message, given=given, allowed=allowed)


def input_names(cls: type[Spec]) -> list[str]:
    """Every name a spec of ``cls`` takes: its fields, ``size`` and the input aliases."""
    names = [n for n in cls.model_fields if n not in ("model", "wire_id")]  # wire_id: a body's
    if "width" in cls.model_fields:
        names.append("size")
    return names + [a for a in cls.input_aliases if a not in names]


def closest(word: str, options: list[str]) -> str | None:
    """The option most like a mistyped ``word`` (for "did you mean"), if any is close."""
    import difflib  # only when a mistake is reported: keeps first use of kling_nb quick

    close = difflib.get_close_matches(word, options, n=1)
    return close[0] if close else None


def _unknown_field(cls: type[Spec], name: str, given: Any) -> Problem:
    if name in cls.input_aliases:  # an alias left over: its field was given under its name
        return Problem((name,), f"is another name for {cls.input_aliases[name]}, which is given "
                       "too: give one of them.", given=given)
    known = input_names(cls)
    close = closest(name, known)
    hint = f" Did you mean '{close}'?" if close else ""
    return Problem(
        (name,), f"unknown field (given: {_short(given)}); the API rejects unknown keys.{hint}",
        given=given, allowed=", ".join(known),
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def _field_adapter(cls: type[Spec], name: str) -> TypeAdapter[Any]:
    info = cls.model_fields[name]
    annotated: Any = Annotated[info.annotation, info]
    return TypeAdapter(annotated)


def _partial_rules(cls: type[Spec], raw: Mapping[str, Any], bad: set[str]) -> list[Problem]:
    """Cross-field rules over the fields that were valid, so every problem shows at once."""
    try:
        data = cls.normalize_input(dict(raw))
    except SpecError:
        return []
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        if name in bad:
            continue
        try:
            given = data[name] if name in data else info.get_default(call_default_factory=True)
            values[name] = _field_adapter(cls, name).validate_python(given)
        except (ValidationError, SpecError):
            continue
    values.update(cls.derive(values))
    return [p for p in cls.rules(values) if not bad.intersection(p.fields)]


def _label_wire(cls: type[Spec], problems: list[Problem]) -> list[Problem]:
    labelled = []
    for problem in problems:
        wire = tuple(cls.wire_names.get(f, f) for f in problem.fields)
        labelled.append(
            problem if wire == problem.fields else replace(problem, wire=wire))
    return labelled
