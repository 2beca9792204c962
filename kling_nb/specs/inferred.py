"""Rules with their provenance: a documented rule rejects, an inferred one warns.

Every rule a row checks is either stated by a vendor page ([documented], naming that page or
schema) or our own reading of the pages ([inferred], with the reason), and carries inputs that
break it (the rule tests run on those by themselves). A broken documented rule stops the request
before it is sent; a broken inferred rule warns once and lets the request go, so a wrong guess
never blocks a user. ``kn.inferred_rules("strict")`` (or ``KLING_NB_INFERRED_RULES=strict``)
makes inferred rules errors too; ``with kn.inferred_rules("strict"): ...`` does so for a block.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, Union

from kling_nb.core.errors import Problem
from kling_nb.core.warn import warn

if TYPE_CHECKING:
    from .base import Spec

Mode = Literal["warn", "strict"]
ENV_VARIABLE = "KLING_NB_INFERRED_RULES"
_MODE: list[Mode | None] = [None]
"""The mode chosen with ``inferred_rules`` (None: the environment variable, else warn)."""
_WARNED: set[tuple[str, str]] = set()
PYTHON_ADVICE = "kn.inferred_rules('strict') makes such rules errors"
"""How a warning says to make inferred rules errors in Python (the CLI says it its way)."""


class InferredRuleWarning(UserWarning):
    """A request breaks a rule that is only inferred from the vendor pages; it is sent anyway."""


Example = Union[Mapping[str, Any], Callable[[Any], Union[Mapping[str, Any], None]]]  # noqa: UP007
"""Fields that break a rule, on top of a row's ``example`` (a None value removes a field); or a
function of the row's class giving them (None: the rule cannot be broken that way there)."""


@dataclass(frozen=True)
class Rule:
    """One rule of a row: its name, what it says, the check, its evidence and inputs that
    break it."""

    name: str
    text: str
    check: Callable[[Any, Mapping[str, Any]], list[Problem]]
    inferred: str | None = None
    """Why no vendor page states the rule (None: documented, so a broken rule rejects)."""
    source: str | None = None
    """The vendor page or schema stating a documented rule (None: the row's own page, its
    ``documented_in``)."""
    examples: tuple[Example, ...] = ()
    """Inputs that break the rule (see ``Example``): the rule tests run on them."""

    def __call__(self, spec: type[Spec], values: Mapping[str, Any]) -> list[Problem]:
        return [replace(p, rule=self.name, inferred=self.inferred)
                for p in self.check(spec, values)]

    def cited(self, source: str) -> Rule:
        """The same rule, documented by ``source`` (a row whose page is not the one that
        states it)."""
        return replace(self, source=source, inferred=None)

    def source_of(self, spec: type[Spec]) -> str | None:
        """Where a vendor states this rule for ``spec`` (None for an inferred rule)."""
        if self.inferred:
            return None
        return self.source or spec.documented_in or None

    def inputs_breaking(self, spec: type[Spec]) -> list[dict[str, Any]]:
        """Whole inputs for ``spec`` that break this rule: the row's ``example`` with each of
        the rule's examples on top."""
        found = []
        for example in self.examples:
            fields = example(spec) if callable(example) else example
            if fields is not None:
                merged = {**spec.example, **fields}
                found.append({k: v for k, v in merged.items() if v is not None})
        return found

    def describe(self, spec: type[Spec] | None = None) -> dict[str, str]:
        """The rule for the JSON schema and the docs: what it says, documented (and where)
        or inferred (and why)."""
        found = {"rule": self.name, "says": self.text,
                 "provenance": "inferred" if self.inferred else "documented"}
        if self.inferred:
            found["why"] = self.inferred
        else:
            source = self.source_of(spec) if spec is not None else self.source
            if source:
                found["source"] = source
        return found


def mode() -> Mode:
    """``warn`` (the default) or ``strict``, for inferred rules."""
    chosen = _MODE[0]
    if chosen is not None:
        return chosen
    return "strict" if os.environ.get(ENV_VARIABLE, "").strip().lower() == "strict" else "warn"


class inferred_rules:  # noqa: N801 - used like a function: kn.inferred_rules("strict")
    """Make inferred rules errors (``"strict"``) or warnings (``"warn"``, the default).

    Called on its own it sets the mode for the session; used with ``with`` it sets it for the
    block only.
    """

    def __init__(self, chosen: Mode) -> None:
        if chosen not in ("warn", "strict"):
            msg = f"inferred_rules: {chosen!r} is not 'warn' or 'strict'"
            raise ValueError(msg)
        self._before = _MODE[0]
        _MODE[0] = chosen

    def __enter__(self) -> inferred_rules:
        return self

    def __exit__(self, *exc: object) -> None:
        _MODE[0] = self._before

    def __repr__(self) -> str:
        return f"<inferred rules: {mode()}>"


def split(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """The problems that reject the request, and those that only warn (inferred, not strict)."""
    if mode() == "strict":
        return problems, []
    return ([p for p in problems if not p.inferred], [p for p in problems if p.inferred])


def warn_once(spec: type[Spec], problems: list[Problem]) -> None:
    """One ``InferredRuleWarning`` per row and rule in a session, at the user's line."""
    for problem in problems:
        key = (spec.key, problem.rule or problem.message)
        if key in _WARNED:
            continue
        _WARNED.add(key)
        warn(f"{spec.display_name} [{spec.key}]: {problem} The request is sent anyway: this "
             "rule is our reading of the vendor's pages, not something they state "
             f"({PYTHON_ADVICE}).", InferredRuleWarning)


def forget_warnings() -> None:
    """Warn again about rules already warned about (tests, long sessions)."""
    _WARNED.clear()
