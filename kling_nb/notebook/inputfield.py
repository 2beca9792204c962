"""The base of a form field whose control checks its own input: an image
(``kling_nb.notebook.images``) or a sound clip or reference video (``kling_nb.notebook.clips``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .fields import UNSET, Field, FieldValueError


class InputField(Field):
    """A field whose control checks its own input (an image, a clip): the control holds the
    value or None, its own error, and a debounced check of what is typed."""

    def get(self) -> Any:
        """The control's value, ``UNSET`` when empty; its own error as ``FieldValueError``."""
        if self.control.error:
            raise FieldValueError(self.control.error)
        return UNSET if self.control.value is None else self.control.value

    def set(self, value: Any) -> bool:
        return bool(self.control.set_value(None if value is UNSET else value))

    def reset(self) -> None:
        self.control.set_value(None)

    def flush(self) -> None:
        self.control.typing.flush()

    def set_errors(self, messages: Sequence[str], warnings: Sequence[str] = ()) -> None:
        """The problems found, less the one the control already shows."""
        own = self.control.error
        super().set_errors([m for m in messages if not (own and m.endswith(own))], warnings)
