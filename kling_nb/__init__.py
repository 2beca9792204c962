"""kling_nb: Kling video models on Leonardo.AI and the AI/ML API, from a notebook.

Specs (``Kling25Turbo(...)``, ``parse_spec({...})``) validate a request before anything is
sent; ``Client`` uploads, submits, waits and downloads - against the offline sandbox when no
API key is set; ``MODELS`` lists every model row.

Names load on first use (PEP 562), so ``import kling_nb`` stays quick and never imports
ipywidgets, IPython or the video encoder.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

__version__ = "0.1.0"

# public name -> the private module that defines it
_EXPORTS: dict[str, str] = {
    "MODELS": "._catalogue",
    "AnySpec": "._catalogue",
    "Catalogue": "._catalogue",
    "ModelInfo": "._catalogue",
    "parse_spec": "._catalogue",
    "Client": "._client",
    "Job": "._client",
    "ObserverWarning": "._client",
    "RetiredModelWarning": "._client",
    "ResultList": "._display",
    "APIError": "._errors",
    "AuthenticationError": "._errors",
    "ConfigError": "._errors",
    "ImageError": "._errors",
    "JobFailedError": "._errors",
    "JobTimeoutError": "._errors",
    "JournalError": "._errors",
    "KlingError": "._errors",
    "ModerationError": "._errors",
    "NetworkError": "._errors",
    "NotFoundError": "._errors",
    "OutOfCreditsError": "._errors",
    "Problem": "._errors",
    "RateLimitedError": "._errors",
    "RejectedError": "._errors",
    "ServerError": "._errors",
    "SpecError": "._errors",
    "UnknownOutcomeError": "._errors",
    "UnresolvedImageError": "._errors",
    "ImageInput": "._fields",
    "Gallery": "._gallery",
    "compare": "._gallery",
    "CostTable": "._history",
    "Entry": "._history",
    "History": "._history",
    "Sidecar": "._history",
    "load_sidecar": "._history",
    "RetryPolicy": "._http",
    "AspectRatioWarning": "._imagecheck",
    "ImageFile": "._images",
    "ImageRef": "._images",
    "VideoRef": "._images",
    "generated": "._images",
    "uploaded": "._images",
    "Journal": "._journal",
    "Resumed": "._journal",
    "Kling21Pro": "._models",
    "Kling21ProAIML": "._models",
    "Kling25Turbo": "._models",
    "Kling30": "._models",
    "KlingO1": "._models",
    "JobObserver": "._observer",
    "PollSchedule": "._polling",
    "Cost": "._results",
    "Result": "._results",
    "Status": "._results",
    "sample_image": "._samples",
    "Spec": "._spec",
    "WireRequest": "._spec",
    "Studio": "._studio",
    "studio": "._studio",
    "BudgetExceededError": "._sweep",
    "Sweep": "._sweep",
    "SweepPlan": "._sweep",
    "SweepResults": "._sweep",
    "SpecForm": "._widgets",
}

__all__ = [
    "MODELS",
    "APIError",
    "AnySpec",
    "AspectRatioWarning",
    "AuthenticationError",
    "BudgetExceededError",
    "Catalogue",
    "Client",
    "ConfigError",
    "Cost",
    "CostTable",
    "Entry",
    "Gallery",
    "History",
    "ImageError",
    "ImageFile",
    "ImageInput",
    "ImageRef",
    "Job",
    "JobFailedError",
    "JobObserver",
    "JobTimeoutError",
    "Journal",
    "JournalError",
    "Kling21Pro",
    "Kling21ProAIML",
    "Kling25Turbo",
    "Kling30",
    "KlingError",
    "KlingO1",
    "ModelInfo",
    "ModerationError",
    "NetworkError",
    "NotFoundError",
    "ObserverWarning",
    "OutOfCreditsError",
    "PollSchedule",
    "Problem",
    "RateLimitedError",
    "RejectedError",
    "Result",
    "ResultList",
    "Resumed",
    "RetiredModelWarning",
    "RetryPolicy",
    "ServerError",
    "Sidecar",
    "Spec",
    "SpecError",
    "SpecForm",
    "Status",
    "Studio",
    "Sweep",
    "SweepPlan",
    "SweepResults",
    "UnknownOutcomeError",
    "UnresolvedImageError",
    "VideoRef",
    "WireRequest",
    "__version__",
    "compare",
    "generated",
    "load_sidecar",
    "parse_spec",
    "sample_image",
    "studio",
    "uploaded",
]


def __getattr__(name: str) -> _typing.Any:
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module 'kling_nb' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *(n for n in globals() if n.startswith('__'))})


if _typing.TYPE_CHECKING:
    from ._catalogue import MODELS, AnySpec, Catalogue, ModelInfo, parse_spec
    from ._client import Client, Job, ObserverWarning, RetiredModelWarning
    from ._display import ResultList
    from ._errors import (
        APIError,
        AuthenticationError,
        ConfigError,
        ImageError,
        JobFailedError,
        JobTimeoutError,
        JournalError,
        KlingError,
        ModerationError,
        NetworkError,
        NotFoundError,
        OutOfCreditsError,
        Problem,
        RateLimitedError,
        RejectedError,
        ServerError,
        SpecError,
        UnknownOutcomeError,
        UnresolvedImageError,
    )
    from ._fields import ImageInput
    from ._gallery import Gallery, compare
    from ._history import CostTable, Entry, History, Sidecar, load_sidecar
    from ._http import RetryPolicy
    from ._imagecheck import AspectRatioWarning
    from ._images import ImageFile, ImageRef, VideoRef, generated, uploaded
    from ._journal import Journal, Resumed
    from ._models import Kling21Pro, Kling21ProAIML, Kling25Turbo, Kling30, KlingO1
    from ._observer import JobObserver
    from ._polling import PollSchedule
    from ._results import Cost, Result, Status
    from ._samples import sample_image
    from ._spec import Spec, WireRequest
    from ._studio import Studio, studio
    from ._sweep import BudgetExceededError, Sweep, SweepPlan, SweepResults
    from ._widgets import SpecForm
