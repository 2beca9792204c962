"""The model rows, found from the file names in ``kling_nb/specs/rows`` (none is imported).

A row is one module, ``rows/<provider>_<name>.py``. Its key, its class name (``kn.<Class>``)
and its place in the catalogue follow from the file name, so adding the file is the whole
catalogue entry:

- key: the provider, ``/``, then the name with ``_`` read as ``-``, or as ``.`` between two
  numbers: ``aimlapi_kling_3_0_turbo_pro.py`` is ``aimlapi/kling-3.0-turbo-pro``;
- class: the name's parts, capitalised and joined, and the provider's suffix:
  ``Kling30TurboProAIML`` (Leonardo rows have none: ``leonardo_kling_o3.py`` is ``KlingO3``);
- order: the five seed rows first (the vendor pages the project began with), then Leonardo's
  rows, then the AI/ML API's, each by name with versions compared as numbers and Standard
  before Pro.

``tests/specs/test_catalogue.py`` checks that every row module defines that class with that
key (its failure names what to rename). Reading a directory costs microseconds, so
``import kling_nb`` stays quick and no row is imported before it is used (this module imports
no more than ``os``, ``functools`` and ``itertools`` for the same reason).
"""

from __future__ import annotations

import functools
import itertools
import os

ROWS_PACKAGE = "kling_nb.specs.rows"
ROWS_DIR = os.path.join(os.path.dirname(__file__), "rows")
CLASS_SUFFIX = {"leonardo": "", "aimlapi": "AIML"}
"""What each provider's class names end with (the providers in catalogue order)."""
SEED_ROWS = ("leonardo/kling-2.1-pro", "leonardo/kling-2.5-turbo", "aimlapi/kling-2.1-pro",
             "leonardo/kling-o1", "leonardo/kling-3.0")
"""The rows of the five vendor pages the project began with (seed pages 000-004), first."""
_TIERS = {"standard": 0, "std": 0, "pro": 1}
"""Words ranked before others in the order: Standard comes before Pro."""
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


class RowFile:
    """One row module: its key, its module (relative to ``kling_nb``:
    ``.specs.rows.leonardo_kling_3_0``) and its class name. A plain class: this module is read
    on ``import kling_nb``."""

    __slots__ = ("class_name", "key", "module")

    def __init__(self, key: str, module: str, class_name: str) -> None:
        self.key, self.module, self.class_name = key, module, class_name

    def __repr__(self) -> str:
        return f"RowFile({self.key!r}, {self.module!r}, {self.class_name!r})"

    @property
    def provider(self) -> str:
        """The provider part of the key."""
        return self.key.split("/", 1)[0]


def module_of(key: str) -> str:
    """The module that defines a row: ``leonardo/kling-3.0`` -> ``...rows.leonardo_kling_3_0``."""
    return f"{ROWS_PACKAGE}.{slug(key)}"


def slug(key: str) -> str:
    """A key as a module name: ``leonardo/kling-3.0`` -> ``leonardo_kling_3_0``."""
    text = "".join(c if c.isascii() and c.isalnum() else " " for c in key.lower())
    return "_".join(text.split())


def key_of(name: str) -> str:
    """A module name's key: ``aimlapi_kling_3_0_pro`` -> ``aimlapi/kling-3.0-pro``."""
    provider, _, rest = name.partition("_")
    parts = rest.split("_")
    text = parts[0]
    for before, part in itertools.pairwise(parts):
        text += ("." if before.isdigit() and part.isdigit() else "-") + part
    return f"{provider}/{text}"


def class_of(name: str) -> str:
    """A module name's class: ``aimlapi_kling_o1_edit`` -> ``KlingO1EditAIML``."""
    provider, _, rest = name.partition("_")
    return "".join(part[:1].upper() + part[1:] for part in rest.split("_")) + CLASS_SUFFIX.get(
        provider, provider.capitalize())


def _order(row: RowFile) -> tuple[object, ...]:
    if row.key in SEED_ROWS:
        return (0, SEED_ROWS.index(row.key))
    providers = list(CLASS_SUFFIX)
    rank = providers.index(row.provider) if row.provider in providers else len(providers)
    words = row.key.split("/", 1)[1].replace(".", "-").split("-")
    return (1, rank, row.provider, *(
        (0, int(w), "") if w.isdigit() else (1, _TIERS[w], w) if w in _TIERS
        else (2, int(w[:-1]), "p") if w[:-1].isdigit() and w.endswith("p")  # 720p before 1080p
        else (2, 0, w) for w in words))


@functools.cache
def row_files(folder: str = ROWS_DIR) -> tuple[RowFile, ...]:
    """Every row module in ``folder``, in catalogue order."""
    rows = []
    for entry in os.listdir(folder):
        name = entry[:-3]
        if not entry.endswith(".py") or name.startswith("_") or "_" not in name \
                or not set(name) <= _NAME_CHARS:
            continue
        rows.append(RowFile(key_of(name), f".specs.rows.{name}", class_of(name)))
    return tuple(sorted(rows, key=_order))


def exports() -> dict[str, str]:
    """``kn.<Class>`` -> the module defining it, for every row (the package's lazy exports)."""
    return {row.class_name: row.module for row in row_files()}


def _natural(name: str) -> tuple[tuple[int, int | str], ...]:
    """A module name's sort key with its numbers compared as numbers (``..._720p`` before
    ``..._1080p``), as ruff sorts imports."""
    return tuple((1, int(text)) if digits else (0, text) for digits, text in (
        (key, "".join(group)) for key, group in itertools.groupby(name, str.isdigit)))


CLASSES_MODULE = os.path.join(ROWS_DIR, "_classes.py")
"""Where ``.ci/refresh-docs`` writes the row classes' imports for type checkers."""


def type_checking_imports() -> str:
    """The text of ``kling_nb/specs/rows/_classes.py``: an import of every row class, which
    ``kling_nb/__init__`` star-imports for type checkers only (``import X as X`` marks a
    re-export; at run time ``kn.<Class>`` is found by its file)."""
    rows = sorted(row_files(), key=lambda row: _natural(row.module))
    head = ('"""Every model row\'s class, for type checkers only: written by .ci/refresh-docs '
            'from the\nfiles beside it (tests/test_public_api.py says when it is stale); '
            'never imported at run time."""\n\n')
    return head + "".join(f"from kling_nb{row.module} import (\n    {row.class_name} as "
                          f"{row.class_name},\n)\n" for row in rows)
