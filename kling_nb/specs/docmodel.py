"""A pydantic base whose field descriptions come from the docstrings under the fields.

Pydantic's ``use_attribute_docstrings`` re-reads and re-parses a module's source for every
class, which made ``import kling_nb`` several times slower than importing httpx and pydantic.
Here each module is parsed once, and only when the descriptions are first needed: when a
model's (deferred) schema is built - every model defined so far is described then, since a
model's schema holds the schemas of the models in its fields - or when ``described(cls)`` asks.
The JSON schema, docs and form tooltips all read the same text (without the
reStructuredText double backticks, which users would otherwise see literally). Parsing the
sources of the spec modules took about a fifth of the first use of ``kling_nb``, which only
touches the classes.
"""

from __future__ import annotations

import ast
import inspect
import sys
from functools import cache
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict


@cache
def _docstrings(module: str) -> dict[tuple[str, str], str]:
    """``(class name, attribute) -> docstring`` for every class of a module."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (OSError, TypeError, KeyError):
        return {}
    found: dict[tuple[str, str], str] = {}
    for node in tree.body:  # model classes are defined at the top level of their module
        if isinstance(node, ast.ClassDef):
            found.update(_class_docstrings(node))
    return found


def _class_docstrings(node: ast.ClassDef) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    body = node.body
    for stmt, following in pairwise(body):
        if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)):
            text = inspect.cleandoc(following.value.value).replace("``", "")
            found[(node.name, stmt.target.id)] = text
    return found


class DocModel(BaseModel):
    """A pydantic model whose fields are described by the docstrings written under them."""

    model_config = ConfigDict(defer_build=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if _DEMANDED:  # descriptions were already asked for: a later class gets its own now
            _describe(cls)

    @classmethod
    def model_rebuild(cls, *args: Any, **kwargs: Any) -> bool | None:
        """Build the schema (pydantic calls this on first use), every model described first."""
        _describe_all()
        return super().model_rebuild(*args, **kwargs)


_DEMANDED: list[bool] = []
"""Not empty once descriptions were needed: from then on every new model is described at once."""


def described(cls: type[BaseModel]) -> type[BaseModel]:
    """``cls``, with every model's field descriptions filled in from the docstrings."""
    _describe_all()
    return cls


def _describe_all() -> None:
    if not _DEMANDED:
        _DEMANDED.append(True)
    pending = [DocModel]
    while pending:
        cls = pending.pop()
        _describe(cls)
        pending.extend(cls.__subclasses__())


def _describe(cls: type[BaseModel]) -> None:
    for name, info in cls.model_fields.items():
        if info.description is None:
            info.description = _find(cls, name)


def _find(cls: type, name: str) -> str | None:
    for klass in cls.__mro__:
        text = _docstrings(klass.__module__).get((klass.__qualname__, name))
        if text:
            return text
    return None
