"""kling_nb: Kling video models on Leonardo.AI and the AI/ML API, from a notebook.

Specs (``Kling25Turbo(...)``, ``parse_spec({...})``) validate a request before anything is
sent; ``Client`` uploads, submits, waits and downloads - against the offline sandbox when no
API key is set; ``MODELS`` lists every model row.

Names load on first use (PEP 562), so ``import kling_nb`` stays quick and never imports
ipywidgets, IPython or the video encoder. The model rows' classes (``kn.Kling30``...) are found
from the files of ``kling_nb/specs/rows`` (``kling_nb.specs.rowfiles``): a new row module is
exported without any edit here.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from .specs import rowfiles as _rowfiles

__version__ = "0.1.0"

# public name -> the private module that defines it (the model rows are added below)
_EXPORTS: dict[str, str] = {
    "ObserverWarning": ".client.client",
    "RecoveredJobWarning": ".client.submitting",
    "RetiredModelWarning": ".client.submitting",
    "RetryPolicy": ".client.http",
    "HostWarning": ".client.routing",
    "AspectRatioWarning": ".client.imagecheck",
    "Job": ".client.jobs",
    "JobObserver": ".client.observer",
    "PollSchedule": ".client.polling",
    "APIError": ".core.errors",
    "AuthenticationError": ".core.errors",
    "ClipError": ".core.errors",
    "ConfigError": ".core.errors",
    "DuplicateRiskError": ".core.errors",
    "ImageError": ".core.errors",
    "JobFailedError": ".core.errors",
    "JobTimeoutError": ".core.errors",
    "JournalError": ".core.errors",
    "KlingError": ".core.errors",
    "MediaError": ".core.errors",
    "ModerationError": ".core.errors",
    "NetworkError": ".core.errors",
    "NotCreatedError": ".core.errors",
    "NotFoundError": ".core.errors",
    "OutOfCreditsError": ".core.errors",
    "Problem": ".core.errors",
    "RateLimitedError": ".core.errors",
    "RejectedError": ".core.errors",
    "ServerError": ".core.errors",
    "SpecError": ".core.errors",
    "UnknownOutcomeError": ".core.errors",
    "UnresolvedImageError": ".core.errors",
    "sample_audio": ".core.samples",
    "sample_image": ".core.samples",
    "Client": ".journal.client",
    "CostTable": ".journal.costs",
    "Entry": ".journal.entries",
    "FactorTable": ".journal.factors",
    "History": ".journal.history",
    "Leaderboard": ".journal.leaderboard",
    "Ranking": ".journal.ranking",
    "Verdict": ".journal.verdicts",
    "Journal": ".journal.journal",
    "Sidecar": ".journal.sidecars",
    "load_sidecar": ".journal.sidecars",
    "Metrics": ".media.metrics",
    "measure_video": ".media.metrics",
    "register_scorer": ".media.scorers",
    "unregister_scorer": ".media.scorers",
    "ContactSheet": ".media.sheets",
    "StudioApp": ".notebook.app",
    "studio_app": ".notebook.app",
    "SpecForm": ".notebook.form",
    "Gallery": ".notebook.gallery",
    "compare": ".notebook.gallery",
    "ClipInput": ".notebook.clips",
    "ImageInput": ".notebook.images",
    "Review": ".notebook.review",
    "review": ".notebook.review",
    "Studio": ".notebook.studio",
    "studio": ".notebook.studio",
    "BudgetExceededError": ".runs.plan",
    "SweepPlan": ".runs.plan",
    "Promotion": ".runs.promote",
    "promote": ".runs.promote",
    "PromotionResults": ".runs.promoted",
    "SweepResults": ".runs.results",
    "Resumed": ".runs.resume",
    "Sandbox": ".sandbox",
    "Sweep": ".runs.sweep",
    "CameraControl": ".specs.aimlapi",
    "Element": ".specs.aimlapi",
    "Shot": ".specs.aimlapi_kling3",
    "Spec": ".specs.base",
    "size_label": ".specs.base",
    "AnySpec": ".specs.catalogue",
    "Catalogue": ".specs.catalogue",
    "MODELS": ".specs.catalogue",
    "ModelInfo": ".specs.catalogue",
    "parse_spec": ".specs.catalogue",
    "InferredRuleWarning": ".specs.inferred",
    "LiveCost": ".specs.livecost",
    "live_cost": ".specs.livecost",
    "CheckedSpecWarning": ".specs.unchecked",
    "UncheckedSpec": ".specs.unchecked",
    "inferred_rules": ".specs.inferred",
    "WireRequest": ".specs.providers",
    "AudioFile": ".specs.clips",
    "VideoFile": ".specs.clips",
    "ImageFile": ".specs.refs",
    "ImageRef": ".specs.refs",
    "VideoRef": ".specs.refs",
    "generated": ".specs.refs",
    "uploaded": ".specs.refs",
    "Cost": ".specs.results",
    "Result": ".specs.results",
    "ResultList": ".specs.results",
    "Status": ".specs.results",
}

__all__ = [
    "MODELS",
    "APIError",
    "AnySpec",
    "AspectRatioWarning",
    "AudioFile",
    "AuthenticationError",
    "BudgetExceededError",
    "CameraControl",
    "Catalogue",
    "CheckedSpecWarning",
    "Client",
    "ClipError",
    "ClipInput",
    "ConfigError",
    "ContactSheet",
    "Cost",
    "CostTable",
    "DuplicateRiskError",
    "Element",
    "Entry",
    "FactorTable",
    "Gallery",
    "History",
    "HostWarning",
    "ImageError",
    "ImageFile",
    "ImageInput",
    "ImageRef",
    "InferredRuleWarning",
    "Job",
    "JobFailedError",
    "JobObserver",
    "JobTimeoutError",
    "Journal",
    "JournalError",
    "KlingError",
    "Leaderboard",
    "LiveCost",
    "MediaError",
    "Metrics",
    "ModelInfo",
    "ModerationError",
    "NetworkError",
    "NotCreatedError",
    "NotFoundError",
    "ObserverWarning",
    "OutOfCreditsError",
    "PollSchedule",
    "Problem",
    "Promotion",
    "PromotionResults",
    "Ranking",
    "RateLimitedError",
    "RecoveredJobWarning",
    "RejectedError",
    "Result",
    "ResultList",
    "Resumed",
    "RetiredModelWarning",
    "RetryPolicy",
    "Review",
    "Sandbox",
    "ServerError",
    "Shot",
    "Sidecar",
    "Spec",
    "SpecError",
    "SpecForm",
    "Status",
    "Studio",
    "StudioApp",
    "Sweep",
    "SweepPlan",
    "SweepResults",
    "UncheckedSpec",
    "UnknownOutcomeError",
    "UnresolvedImageError",
    "Verdict",
    "VideoFile",
    "VideoRef",
    "WireRequest",
    "__version__",
    "compare",
    "generated",
    "inferred_rules",
    "live_cost",
    "load_sidecar",
    "measure_video",
    "parse_spec",
    "promote",
    "register_scorer",
    "review",
    "sample_audio",
    "sample_image",
    "size_label",
    "studio",
    "studio_app",
    "unregister_scorer",
    "uploaded",
]


_ROWS: dict[str, str] = _rowfiles.exports()
"""Each model row's class -> its module, from the files of ``kling_nb/specs/rows``."""
__all__ += sorted(_ROWS)


def __getattr__(name: str) -> _typing.Any:
    module = _EXPORTS.get(name) or _ROWS.get(name)
    if module is None:
        msg = f"module 'kling_nb' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def _sweep_bundle(results: _typing.Any) -> dict[str, _typing.Any]:
    gallery = _importlib.import_module(".notebook.gallery", __name__)
    bundle: dict[str, _typing.Any] = gallery.sweep_bundle(results)
    return bundle


def _promotion_bundle(results: _typing.Any) -> dict[str, _typing.Any]:
    gallery = _importlib.import_module(".notebook.gallery", __name__)
    bundle: dict[str, _typing.Any] = gallery.promotion_bundle(results)
    return bundle


def _show_sweeps_as_boards() -> None:
    """In a running IPython, a sweep's results display as the compare board (a promotion's
    with each draft beside its final): registered by name, so the notebook layer loads on the
    first display, not at import."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    formatters = getattr(shell, "display_formatter", None)
    if formatters is not None:
        formatters.mimebundle_formatter.for_type_by_name(
            "kling_nb.runs.results", "SweepResults", _sweep_bundle)
        formatters.mimebundle_formatter.for_type_by_name(
            "kling_nb.runs.promoted", "PromotionResults", _promotion_bundle)


_show_sweeps_as_boards()


def __dir__() -> list[str]:
    return sorted({*__all__, *(n for n in globals() if n.startswith('__'))})


if _typing.TYPE_CHECKING:
    from .client.client import ObserverWarning
    from .client.http import RetryPolicy
    from .client.imagecheck import AspectRatioWarning
    from .client.jobs import Job
    from .client.observer import JobObserver
    from .client.polling import PollSchedule
    from .client.routing import HostWarning
    from .client.submitting import RecoveredJobWarning, RetiredModelWarning
    from .core.errors import (
        APIError,
        AuthenticationError,
        ClipError,
        ConfigError,
        DuplicateRiskError,
        ImageError,
        JobFailedError,
        JobTimeoutError,
        JournalError,
        KlingError,
        MediaError,
        ModerationError,
        NetworkError,
        NotCreatedError,
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
    from .core.samples import sample_audio, sample_image
    from .journal.client import Client
    from .journal.costs import CostTable
    from .journal.entries import Entry
    from .journal.factors import FactorTable
    from .journal.history import History
    from .journal.journal import Journal
    from .journal.leaderboard import Leaderboard
    from .journal.ranking import Ranking
    from .journal.sidecars import Sidecar, load_sidecar
    from .journal.verdicts import Verdict
    from .media.metrics import Metrics, measure_video
    from .media.scorers import register_scorer, unregister_scorer
    from .media.sheets import ContactSheet
    from .notebook.app import StudioApp, studio_app
    from .notebook.clips import ClipInput
    from .notebook.form import SpecForm
    from .notebook.gallery import Gallery, compare
    from .notebook.images import ImageInput
    from .notebook.review import Review, review
    from .notebook.studio import Studio, studio
    from .runs.plan import BudgetExceededError, SweepPlan
    from .runs.promote import Promotion, promote
    from .runs.promoted import PromotionResults
    from .runs.results import SweepResults
    from .runs.resume import Resumed
    from .runs.sweep import Sweep
    from .sandbox import Sandbox
    from .specs.aimlapi import CameraControl, Element
    from .specs.aimlapi_kling3 import Shot
    from .specs.base import Spec, size_label
    from .specs.catalogue import MODELS, AnySpec, Catalogue, ModelInfo, parse_spec
    from .specs.clips import AudioFile, VideoFile
    from .specs.inferred import InferredRuleWarning, inferred_rules
    from .specs.livecost import LiveCost, live_cost
    from .specs.providers import WireRequest
    from .specs.refs import ImageFile, ImageRef, VideoRef, generated, uploaded
    from .specs.results import Cost, Result, ResultList, Status
    from .specs.unchecked import CheckedSpecWarning, UncheckedSpec


# The model rows, for type checkers only (at run time they are found by their files, above):
# .ci/refresh-docs writes their imports into kling_nb/specs/rows/_classes.py.
if _typing.TYPE_CHECKING:
    from .specs.rows._classes import *  # noqa: F403
