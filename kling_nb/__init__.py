"""kling_nb: Kling video models on Leonardo.AI and the AI/ML API, from a notebook.

Specs (``Kling25Turbo(...)``, ``parse_spec({...})``) validate a request before anything is
sent; ``MODELS`` lists every model row.
"""

from __future__ import annotations

from ._catalogue import MODELS, AnySpec, Catalogue, ModelInfo, parse_spec
from ._client import Client, Job, RetiredModelWarning
from ._errors import (
    APIError,
    AuthenticationError,
    ConfigError,
    ImageError,
    JobFailedError,
    JobTimeoutError,
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
from ._http import RetryPolicy
from ._imagecheck import AspectRatioWarning
from ._images import ImageFile, ImageRef, VideoRef, generated, uploaded
from ._models import Kling21Pro, Kling21ProAIML, Kling25Turbo, Kling30, KlingO1
from ._observer import JobObserver
from ._polling import PollSchedule
from ._results import Cost, Result, Status
from ._spec import Spec, WireRequest

__version__ = "0.1.0"

__all__ = [
    "MODELS",
    "APIError",
    "AnySpec",
    "AspectRatioWarning",
    "AuthenticationError",
    "Catalogue",
    "Client",
    "ConfigError",
    "Cost",
    "ImageError",
    "ImageFile",
    "ImageRef",
    "Job",
    "JobFailedError",
    "JobObserver",
    "JobTimeoutError",
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
    "OutOfCreditsError",
    "PollSchedule",
    "Problem",
    "RateLimitedError",
    "RejectedError",
    "Result",
    "RetiredModelWarning",
    "RetryPolicy",
    "ServerError",
    "Spec",
    "SpecError",
    "Status",
    "UnknownOutcomeError",
    "UnresolvedImageError",
    "VideoRef",
    "WireRequest",
    "__version__",
    "generated",
    "parse_spec",
    "uploaded",
]
