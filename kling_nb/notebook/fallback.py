"""What a page without widgets shows in a widget's place (a notebook on GitHub or nbviewer,
or one opened before it runs): a sentence describing the widget, never an error."""

from __future__ import annotations

from typing import Any

WIDGET_NOTE = "an interactive widget: run the notebook to use it"
"""How every widget's text fallback ends."""


class TextFallback:
    """A widget whose text fallback is its whole ``repr`` (ipywidgets cuts it at 110
    characters)."""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        data = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        if isinstance(data, dict) and "text/plain" in data:
            data["text/plain"] = repr(self)
        return data
