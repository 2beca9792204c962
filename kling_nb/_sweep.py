"""Prompt sweeps: a grid of jobs run under a hard budget and a concurrency cap, resumably.

``Sweep(base, prompts=[...], seeds=[...], durations=[...], models=[...])`` (or
``Sweep(specs=[...])``) validates every job up front; ``plan()`` shows how many jobs and what
they should cost before anything is sent; ``run(client)`` (one thread) or
``await run_async(client)`` submits at most ``concurrency`` jobs at a time, never more than
``max_jobs``, and never lets reported plus estimated costs pass ``max_cost_usd``. Each job is
journaled with the sweep's id, so ``journal.resume(client, sweep=id)`` finishes it after a
restart: it submits only what was never submitted and picks up the jobs in flight.

A 429 or an unreachable provider (a create that provably never left) puts the job back in
the plan and pauses new submits (``Retry-After``, else exponential backoff). An unknown outcome
(a create sent, no answer) halts the sweep: nothing new is sent, the jobs in flight are waited
for, and ``sweep.halted`` says how to resolve it before ``journal.resume(client, sweep=id)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import uuid
import warnings
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any, Literal

from ._catalogue import parse_spec
from ._errors import (
    JobFailedError,
    JobTimeoutError,
    KlingError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    SpecError,
    UnknownOutcomeError,
)
from ._history import LOST, LOST_NOTE, RETRYABLE, SANDBOX_TAG, Entry, differing, thumbnail
from ._journal import Journal, mismatch
from ._results import Cost, Result, loadable
from ._spec import PROVIDER_NAMES, Spec

if TYPE_CHECKING:
    from ._client import Client, Job

DEFAULT_CONCURRENCY = 10
IN_FLIGHT = ("pending", "running")
BACKOFF_S = 2.0
"""First pause after a 429 without Retry-After or an unreachable provider; doubles each time."""
BACKOFF_MAX_S = 60.0
MAX_DEFERRALS = 6
"""Refusals in a row (429, unreachable) after which the sweep halts instead of waiting on."""
_SLOTS: weakref.WeakKeyDictionary[Client, int] = weakref.WeakKeyDictionary()
EstimateSource = Literal["history", "documented", "unknown"]
Progress = Callable[["Sweep"], None]


class BudgetExceededError(KlingError):
    """A sweep would pass its ``max_jobs`` or ``max_cost_usd``: nothing more is sent."""


@dataclass(frozen=True)
class Estimate:
    """What one job should cost: typical and upper USD, and where the figures come from."""

    usd: Decimal | None
    upper: Decimal | None
    source: EstimateSource

    def __str__(self) -> str:
        if self.usd is None:
            return "price unknown"
        mark = "your past jobs" if self.source == "history" else "documented price"
        return f"~${self.usd:.2f} (estimate: {mark})"


def estimate(spec: Spec, journal: Journal | None) -> Estimate:
    """The estimated cost of one job: this user's past jobs, else the documented figure.

    Each of a job's videos (``quantity``) is billed, so the figure is per video times them.
    """
    duration = getattr(spec, "duration", None)
    quantity = Decimal(getattr(spec, "quantity", None) or 1)
    documented = spec.estimated_usd(duration) if duration is not None else None
    listed = Decimal(str(documented)) * quantity if documented is not None else None
    seen = journal.typical_usd(spec.key, duration) if journal is not None else None
    if seen is not None:
        typical, highest = seen[0] * quantity, seen[1] * quantity
        return Estimate(typical, max(highest, listed or highest), "history")
    return Estimate(listed, listed, "documented" if listed is not None else "unknown")


@dataclass
class SweepItem:
    """One job of a sweep: its spec, state, job, result or error."""

    index: int
    spec: Spec
    estimate: Estimate
    state: str = "planned"
    """planned, pending, running, complete, failed, unknown, rejected, skipped, stopped or lost."""
    job: Job | None = None
    result: Result | None = None
    error: KlingError | None = None
    note: str | None = None

    @property
    def cost(self) -> Cost | None:
        """What the API reported this job cost."""
        if self.job is not None and self.job.cost is not None:
            return self.job.cost
        return self.result.cost if self.result is not None else None

    @property
    def committed_usd(self) -> Decimal:
        """USD this job counts against the budget: reported, else its upper estimate."""
        if self.state in ("planned", "skipped", "rejected"):
            return Decimal(0)
        cost = self.cost
        if cost is not None and cost.unit == "USD":
            return cost.amount
        return self.estimate.upper or Decimal(0)

    @property
    def job_id(self) -> str | None:
        """The provider's job id, once known."""
        if self.job is not None:
            return self.job.id
        return self.result.job_id if self.result is not None else None


@dataclass
class SweepPlan:
    """What a sweep will send, and what it should cost, before anything is sent."""

    sweep_id: str
    items: list[SweepItem]
    max_jobs: int | None
    max_cost_usd: Decimal | None

    @property
    def jobs(self) -> int:
        """How many jobs the sweep plans."""
        return len(self.items)

    @property
    def estimated_usd(self) -> Decimal:
        """The total estimated cost of the jobs whose price is known."""
        return sum((i.estimate.usd or Decimal(0) for i in self.items), Decimal(0))

    @property
    def unpriced(self) -> int:
        """Jobs with no known price (no history, no documented figure)."""
        return sum(1 for i in self.items if i.estimate.usd is None)

    @property
    def sources(self) -> dict[str, int]:
        """How many estimates come from history, documented figures, or nowhere."""
        return dict(Counter(i.estimate.source for i in self.items))

    def problems(self) -> list[str]:
        """Why the sweep may not start (empty when it may)."""
        found = []
        if self.max_jobs is not None and self.jobs > self.max_jobs:
            found.append(f"{self.jobs} jobs planned, max_jobs is {self.max_jobs}")
        if self.max_cost_usd is not None:
            if self.estimated_usd > self.max_cost_usd:
                found.append(f"estimated ${self.estimated_usd:.2f}, max_cost_usd is "
                             f"${self.max_cost_usd:.2f}")
            if self.unpriced:
                found.append(f"{self.unpriced} job(s) have no known price, so a cost budget "
                             "cannot be kept")
        return found

    def check(self) -> None:
        """Raise ``BudgetExceededError`` when the plan breaks its budget."""
        problems = self.problems()
        if problems:
            msg = (f"sweep {self.sweep_id} not started (nothing was sent): "
                   + "; ".join(problems))
            raise BudgetExceededError(msg)

    def __str__(self) -> str:
        sources = ", ".join(f"{n} from {s}" for s, n in sorted(self.sources.items()))
        lines = [f"sweep {self.sweep_id}: {self.jobs} job(s), estimated "
                 f"${self.estimated_usd:.2f} (ESTIMATE: {sources})"]
        if self.max_jobs is not None or self.max_cost_usd is not None:
            lines.append(f"budget: max_jobs={self.max_jobs}, max_cost_usd={self.max_cost_usd}")
        lines += [f"NOT STARTABLE: {p}" for p in self.problems()]
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        rows = "".join(
            f"<tr><td>{i.index}</td><td>{escape(i.spec.key)}</td>"
            f"<td>{escape(_fields(i.spec.to_dict(), _varying(self.items)))}</td>"
            f"<td>{escape(str(i.estimate))}</td></tr>" for i in self.items)
        body = "<br/>".join(escape(line) for line in str(self).splitlines())
        return {"text/plain": str(self),
                "text/html": f"<div><p>{body}</p><table><thead><tr><th>#</th><th>model</th>"
                             f"<th>varies</th><th>estimate</th></tr></thead><tbody>{rows}"
                             "</tbody></table></div>"}


def _varying(items: Sequence[SweepItem]) -> list[str]:
    return differing([i.spec.to_dict() for i in items])


def _fields(data: Mapping[str, Any], names: Sequence[str]) -> str:
    return ", ".join(f"{n}={data.get(n)}" for n in names)


# -- results ------------------------------------------------------------------------------------
class SweepResults(list[SweepItem]):
    """A sweep's jobs side by side: results, failures, costs; shows as a grid.

    ``halted`` says why the sweep stopped sending new jobs (and how to resolve it), if it did.
    """

    def __init__(self, items: Sequence[SweepItem] = (), *, halted: str | None = None) -> None:
        super().__init__(items)
        self.halted = halted

    @property
    def results(self) -> list[Result]:
        """The finished videos, in sweep order."""
        return [i.result for i in self if i.result is not None]

    @property
    def errors(self) -> list[tuple[str, KlingError]]:
        """Each job that did not give a video: its id (or ``#index``) and error."""
        return [(i.job_id or f"#{i.index}", i.error) for i in self if i.error is not None]

    @property
    def total_cost(self) -> Decimal:
        """Reported USD spent on the sweep's jobs."""
        return sum((c.amount for c in (i.cost for i in self) if c and c.unit == "USD"),
                   Decimal(0))

    def __str__(self) -> str:
        names = _varying(self)
        lines = [f"{len(self.results)}/{len(self)} video(s), ${self.total_cost:.2f} reported"
                 + (f"; varying: {', '.join(names)}" if names else "")]
        if self.halted:
            lines.append(f"HALTED: {self.halted}")
        for item in self:
            what = item.result.path or item.result.video_url if item.result else (
                item.error or item.note or "")
            lines.append(f"#{item.index} [{item.state}] {_fields(item.spec.to_dict(), names)}"
                         f" {item.cost or ''} {what}".rstrip())
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        halted = (f"<p><b>HALTED:</b> {escape(self.halted)}</p>" if self.halted else "")
        return {"text/plain": str(self), "text/html": halted + grid_html(self)}

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def grid_html(items: Sequence[SweepItem]) -> str:
    """The sweep's results as cards side by side; shared parameters once, differing per card."""
    names = _varying(items)
    shared = {k: v for k, v in (items[0].spec.to_dict() if items else {}).items()
              if k not in names}
    cards = "".join(_card(i, names) for i in items)
    head = (f"<p><b>same for all:</b> {escape(_fields(shared, list(shared)))}<br/>"
            f"<b>differs:</b> {escape(', '.join(names) or 'nothing')}</p>")
    return (f"<div class='kling-nb-sweep'>{head}<div style='display:flex;flex-wrap:wrap;"
            f"gap:8px'>{cards}</div></div>")


def _card(item: SweepItem, names: Sequence[str]) -> str:
    result = item.result
    thumb = thumbnail(result.poster_url, result.path, 200) if result else ""
    link = (f"<a href='{escape(result.video_url)}' target='_blank'>video</a>"
            if result and loadable(result.video_url) else "")
    error = f"<br/><small>{escape(str(item.error))[:300]}</small>" if item.error else ""
    rows = "<br/>".join(f"<b>{escape(n)}</b>: {escape(str(item.spec.to_dict().get(n)))}"
                        for n in names)
    mark = f" {SANDBOX_TAG}" if result is not None and result.sandbox else ""
    return (f"<div style='width:210px;border:1px solid #ccc;padding:4px'>{thumb}<br/>"
            f"#{item.index} <b>{escape(item.state)}</b> {escape(str(item.cost or ''))} {link}"
            f"{mark}<br/>{rows}{error}</div>")


# -- the sweep ----------------------------------------------------------------------------------
class Sweep:
    """A grid of jobs (prompts x seeds x durations x models) or an explicit list of specs."""

    def __init__(self, base: Spec | Mapping[str, Any] | str | None = None, *,
                 prompts: Sequence[str] | None = None, seeds: Sequence[int] | None = None,
                 durations: Sequence[int] | None = None, models: Sequence[str] | None = None,
                 specs: Sequence[Spec | Mapping[str, Any]] | None = None,
                 max_jobs: int | None = None, max_cost_usd: float | str | Decimal | None = None,
                 concurrency: int | None = None, name: str | None = None,
                 id: str | None = None, on_progress: Progress | None = None) -> None:
        if (base is None) == (specs is None):
            msg = "give a base spec with axes (prompts, seeds, ...) or specs=[...], not both"
            raise ValueError(msg)
        built = [parse_spec(s) for s in specs] if specs is not None else expand(
            base, prompts=prompts, seeds=seeds, durations=durations, models=models)
        self.specs: list[Spec] = built
        self.id = id or f"sweep-{uuid.uuid4().hex[:12]}"
        self.name = name
        self.max_jobs = max_jobs
        self.max_cost_usd = Decimal(str(max_cost_usd)) if max_cost_usd is not None else None
        self.concurrency = concurrency
        self.listeners: list[Progress] = [on_progress] if on_progress else []
        self.items: list[SweepItem] = []
        self.cap: int | None = None
        self.recorded_cap: int | None = None
        """The cap a resumed sweep ran with (so resuming asks the account for nothing)."""
        self.halted: str | None = None
        """Why the sweep sends nothing new, and how to resolve it (None while it may)."""
        self.mismatched: list[tuple[Entry, str]] = []
        """On resume: journaled jobs this client cannot pick up (sandbox vs live), and why."""

    @classmethod
    def load(cls, journal: Journal, sweep_id: str) -> Sweep:
        """A sweep recorded in the journal, to resume it."""
        name, specs, settings = journal.load_sweep(sweep_id)
        sweep = cls(specs=specs, id=sweep_id, name=name, max_jobs=settings.get("max_jobs"),
                    max_cost_usd=settings.get("max_cost_usd"),
                    concurrency=settings.get("concurrency"))
        cap = settings.get("cap")
        sweep.recorded_cap = cap if isinstance(cap, int) and cap > 0 else None
        return sweep

    def __len__(self) -> int:
        return len(self.specs)

    # -- plan ----------------------------------------------------------------------------------
    def plan(self, journal: Journal | None = None) -> SweepPlan:
        """Jobs and estimated cost before anything is sent (history first, else documented)."""
        items = self.items or [SweepItem(i, s, estimate(s, journal))
                               for i, s in enumerate(self.specs)]
        return SweepPlan(self.id, items, self.max_jobs, self.max_cost_usd)

    def _check(self, journal: Journal | None) -> None:
        self.items, self.halted, self.mismatched = [], None, []
        plan = self.plan(journal)
        plan.check()
        self.items = plan.items

    def _record(self, client: Client, journal: Journal | None) -> None:
        if journal is None:
            return
        _warn_if_unjournaled(client, journal)
        settings = {"max_jobs": self.max_jobs, "concurrency": self.concurrency, "cap": self.cap,
                    "max_cost_usd": (str(self.max_cost_usd) if self.max_cost_usd is not None
                                     else None)}
        journal.record_sweep(self.id, self.name, [s.to_dict() for s in self.specs], settings)
        self._adopt(client, journal)

    def _adopt(self, client: Client, journal: Journal) -> None:
        """Take over what the journal already knows about this sweep's jobs."""
        for index, entry in journal.sweep_entries(self.id).items():
            if not 0 <= index < len(self.items):
                continue
            reason = mismatch(entry, client) if entry.job_id and not entry.done else None
            if reason is not None and entry.status != LOST:
                self.items[index].state, self.items[index].note = "skipped", reason
                self.mismatched.append((entry, reason))
                continue
            adopt(self.items[index], entry, client)
            if self.items[index].state == "unknown" and self.halted is None:
                self.halted = halt_reason(self, index, entry.handle)

    def concurrency_cap(self, client: Client) -> int:
        """``concurrency``, else the cap the sweep ran with, else Leonardo's
        ``apiConcurrencySlots`` (asked once per client), else 10."""
        if self.concurrency is not None:
            return max(1, self.concurrency)
        if self.recorded_cap is not None:
            return self.recorded_cap
        if not any(s.provider == "leonardo" for s in self.specs):
            return DEFAULT_CONCURRENCY
        return account_slots(client)

    # -- budget --------------------------------------------------------------------------------
    def committed_usd(self) -> Decimal:
        """Reported costs of submitted jobs, plus upper estimates where none is reported."""
        return sum((i.committed_usd for i in self.items), Decimal(0))

    def _affordable(self, item: SweepItem) -> bool:
        if self.max_cost_usd is None:
            return True
        upper = item.estimate.upper
        return upper is not None and self.committed_usd() + upper <= self.max_cost_usd

    def _skip_rest(self, reason: str) -> None:
        for item in self.items:
            if item.state == "planned":
                item.state, item.note = "skipped", reason
        self._changed()

    def _budget_reason(self) -> str:
        return (f"budget: ${self.committed_usd():.2f} committed, the next job would pass "
                f"max_cost_usd ${self.max_cost_usd}")

    # -- progress ------------------------------------------------------------------------------
    def on_progress(self, callback: Progress) -> None:
        """Call ``callback(sweep)`` after every change of any job's state."""
        self.listeners.append(callback)

    def _changed(self) -> None:
        for listener in self.listeners:
            try:
                listener(self)
            except Exception as exc:  # a display callback must not stop a paid sweep
                warnings.warn(f"sweep progress callback failed: {exc!r}", RuntimeWarning,
                              stacklevel=2)

    @property
    def progress(self) -> dict[str, int]:
        """How many jobs are in each state."""
        return dict(Counter(i.state for i in self.items))

    @property
    def in_flight(self) -> int:
        """Jobs submitted and not yet ended."""
        return sum(1 for i in self.items if i.state in IN_FLIGHT)

    @property
    def results(self) -> SweepResults:
        """Every job of the sweep, side by side."""
        return SweepResults(self.items, halted=self.halted)

    def __str__(self) -> str:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(self.progress.items()))
        budget = f" of max ${self.max_cost_usd}" if self.max_cost_usd is not None else ""
        halted = f"\nHALTED: {self.halted}" if self.halted else ""
        return (f"sweep {self.id}{f' ({self.name})' if self.name else ''}: {len(self.specs)} "
                f"job(s){': ' + counts if counts else ''}; ${self.committed_usd():.2f} "
                f"committed{budget}{halted}")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        ended = sum(1 for i in self.items if i.state not in ("planned", *IN_FLIGHT))
        bar = f"<progress value='{ended}' max='{max(len(self.specs), 1)}'></progress>"
        grid = grid_html(self.items) if self.items else ""
        return {"text/plain": str(self),
                "text/html": f"<div><p>{bar} {escape(str(self))}</p>{grid}</div>"}

    # -- run -----------------------------------------------------------------------------------
    def run(self, client: Client, *, journal: Journal | None = None, download: bool = True,
            timeout: float | None = None, progress: bool = True) -> SweepResults:
        """Run the sweep in this thread: submit within budget and cap, wait, download.

        In a notebook, ``progress`` shows one live line for the whole sweep while it runs.
        """
        journal = journal or Journal.of(client)
        self._check(journal)
        self.cap = self.concurrency_cap(client)
        self._record(client, journal)
        with self._live(progress):
            _SyncRun(self, client, journal, download, timeout).run()
        return self.results

    async def run_async(self, client: Client, *, journal: Journal | None = None,
                        download: bool = True, timeout: float | None = None,
                        progress: bool = True) -> SweepResults:
        """``run`` on the event loop: the same budget and cap, no thread per job."""
        journal = journal or Journal.of(client)
        self._check(journal)
        self.cap = await asyncio.to_thread(self.concurrency_cap, client)
        self._record(client, journal)
        with self._live(progress):
            await _AsyncRun(self, client, journal, download, timeout).run()
        return self.results

    @contextlib.contextmanager
    def _live(self, enabled: bool) -> Iterator[None]:
        """A live progress line in the notebook cell (nothing outside a notebook)."""
        from ._display import live_display

        refresh = live_display(_ProgressView(self)) if enabled else None
        if refresh is not None:
            self.listeners.append(lambda _sweep: refresh())
        try:
            yield
        finally:
            if refresh is not None:
                self.listeners.pop()
                refresh(force=True)


@dataclass
class _ProgressView:
    """The sweep's one-line progress: a bar, counts per state and money committed."""

    sweep: Sweep

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        items, total = self.sweep.items, max(len(self.sweep.specs), 1)
        ended = sum(1 for i in items if i.state not in ("planned", *IN_FLIGHT))
        bar = f"<progress value='{ended}' max='{total}'></progress>"
        return {"text/plain": str(self.sweep),
                "text/html": f"<p class='kling-nb-sweep-progress'>{bar} "
                             f"{escape(str(self.sweep))}</p>"}


def expand(base: Spec | Mapping[str, Any] | str | None, *, prompts: Sequence[str] | None,
           seeds: Sequence[int] | None, durations: Sequence[int] | None,
           models: Sequence[str] | None) -> list[Spec]:
    """Every combination of the axes applied to ``base``, each validated."""
    data = _base_data(base)
    axes: list[tuple[str, Sequence[Any]]] = [
        (name, values) for name, values in (("prompt", prompts), ("seed", seeds),
                                            ("duration", durations), ("model", models))
        if values is not None]
    specs = []
    for combination in itertools.product(*(values for _, values in axes)):
        changes = dict(zip([name for name, _ in axes], combination, strict=True))
        specs.append(parse_spec({**data, **changes}))
    return specs


def _base_data(base: Spec | Mapping[str, Any] | str | None) -> dict[str, Any]:
    if isinstance(base, Spec):
        return base.to_dict()
    try:
        return parse_spec(base or {}).to_dict()
    except SpecError:
        if isinstance(base, Mapping):
            return dict(base)  # friendly fields the axes complete (e.g. no prompt yet)
        raise


def account_slots(client: Client) -> int:
    """Leonardo's ``apiConcurrencySlots`` for this client's account, asked once per client."""
    slots = _SLOTS.get(client)
    if slots is None:
        try:
            found = client.account().get("apiConcurrencySlots")
        except KlingError:
            return DEFAULT_CONCURRENCY
        slots = found if isinstance(found, int) and found > 0 else DEFAULT_CONCURRENCY
        _SLOTS[client] = slots
    return slots


def halt_reason(sweep: Sweep, index: int, handle: str | None) -> str:
    """Why a sweep halted at an unknown outcome, and how to resolve it."""
    where = repr(handle) if handle else "the handle in journal.unfinished()"
    return (f"job #{index} has an unknown outcome (the create request was sent and no answer "
            "came back: a paid job may exist), so nothing more is sent. Look for it with "
            f"journal.find_submitted(client, {where}); then journal.track(job, handle={where}) "
            f"if it exists, or journal.dismiss({where}) if not; then "
            f"journal.resume(client, sweep={sweep.id!r}) continues the sweep.")


def retryable(entry: Entry) -> bool:
    """A journaled refusal that started no job and may be sent again (429, unreachable)."""
    legacy = entry.status == "rejected" and "HTTP 429" in (entry.error or "")
    return entry.job_id is None and (entry.status in RETRYABLE or legacy)


def adopt(item: SweepItem, entry: Entry, client: Client) -> None:
    """Set a sweep item from its journal entry (on resume)."""
    if retryable(entry):
        item.state, item.note = "planned", f"sent again: {entry.status}"
    elif entry.status == LOST:
        item.state, item.note = "lost", entry.error or LOST_NOTE
    elif entry.status == "complete":
        item.state, item.result = "complete", entry.result
    elif entry.status == "failed":
        item.state = "failed"
        item.error = JobFailedError(f"the job failed: {entry.error}", job_id=entry.job_id,
                                    provider=PROVIDER_NAMES.get(entry.provider, entry.provider))
    elif entry.status == "rejected":
        item.state, item.error = "rejected", KlingError(entry.error or "rejected")
    elif entry.job_id is not None:
        item.state = entry.status if entry.status in IN_FLIGHT else "pending"
        item.job = client.job(entry.provider, entry.job_id, model=entry.model, spec=item.spec,
                              submitted_at=entry.submitted_at)
        if entry.cost is not None:
            item.job.cost = entry.cost
    else:
        item.state, item.note = "unknown", entry.check_hint()


def _warn_if_unjournaled(client: Client, journal: Journal) -> None:
    reporting = Journal.of(client)
    if reporting is None or reporting.path.resolve() != journal.path.resolve():
        warnings.warn(f"the client does not report to the journal at {journal.path}: this "
                      "sweep's new jobs will not be recorded there", RuntimeWarning,
                      stacklevel=3)


@contextlib.contextmanager
def _labelled(journal: Journal | None, sweep: Sweep, item: SweepItem) -> Iterator[None]:
    if journal is None:
        yield
        return
    with journal.labels(sweep=sweep.id, index=item.index):
        yield


# -- the two runners ----------------------------------------------------------------------------
def _deferrable(exc: KlingError) -> bool:
    """A refusal that started no job and may be sent again later: 429, or never left."""
    return isinstance(exc, (RateLimitedError, NetworkError))


@dataclass
class _Run:
    """What the sync and async runners share: submitting one item and ending one."""

    sweep: Sweep
    client: Client
    journal: Journal | None
    download: bool
    timeout: float | None
    stopped: bool = field(default=False)
    deferrals: int = field(default=0)
    """Refusals in a row (429, unreachable); a submit that works resets it."""

    def __post_init__(self) -> None:
        if self.sweep.halted is not None:
            self.halt(self.sweep.halted)

    def halt(self, reason: str) -> None:
        """Send nothing new (the jobs in flight are still waited for)."""
        self.stopped = True
        self.sweep.halted = self.sweep.halted or reason
        self.sweep._skip_rest("not sent: the sweep halted (see sweep.halted)")

    def may_submit(self, item: SweepItem) -> bool:
        if self.stopped:
            return False
        if not self.sweep._affordable(item):
            self.stopped = True
            self.sweep._skip_rest(self.sweep._budget_reason())
            return False
        return True

    def submitted(self, item: SweepItem, job: Job) -> None:
        item.job, item.state, item.note = job, job.status.value, None
        self.deferrals = 0

    def refused(self, item: SweepItem, exc: KlingError) -> float | None:
        """Record a refused submit; the seconds to pause when the item goes back to the plan."""
        if _deferrable(exc) and self.deferrals < MAX_DEFERRALS:
            self.deferrals += 1
            told = exc.retry_after if isinstance(exc, RateLimitedError) else None
            pause = told if told else min(BACKOFF_S * 2 ** (self.deferrals - 1), BACKOFF_MAX_S)
            why = "rate limited" if isinstance(exc, RateLimitedError) else "provider unreachable"
            item.state, item.error = "planned", None
            item.note = f"{why}: sending again in {pause:.0f} s"
            self.sweep._changed()
            return pause
        item.error = exc
        if isinstance(exc, UnknownOutcomeError):
            item.state = "unknown"
            self.halt(halt_reason(self.sweep, item.index, self._handle(item)))
        else:
            item.state = "rejected"
            if _deferrable(exc):
                self.halt(f"the provider refused {self.deferrals + 1} creates in a row ({exc}); "
                          f"journal.resume(client, sweep={self.sweep.id!r}) sends the rest "
                          "later")
        self.sweep._changed()
        return None

    def _handle(self, item: SweepItem) -> str | None:
        if self.journal is None:
            return None
        entry = self.journal.sweep_entries(self.sweep.id).get(item.index)
        return entry.handle if entry is not None else None

    def ended(self, item: SweepItem, outcome: Result | KlingError) -> None:
        job = item.job
        if isinstance(outcome, Result):
            item.state, item.result = "complete", outcome
        elif isinstance(outcome, JobFailedError):
            item.state, item.error = "failed", outcome
        elif isinstance(outcome, NotFoundError) and job is not None and job.sandbox:
            item.state, item.error, item.note = LOST, outcome, LOST_NOTE
            if self.journal is not None:
                with contextlib.suppress(KeyError):
                    self.journal.lost(job.id)
        else:
            item.state, item.error = "stopped", outcome
            item.note = "still on the server: journal.resume(client, sweep=...) picks it up"
        self.sweep._changed()

    def needs_download(self, item: SweepItem) -> bool:
        result = item.result
        return self.download and result is not None and (
            result.path is None or not result.path.exists())

    def deadline(self, job: Job) -> float:
        return self.timeout if self.timeout is not None else self.client.schedule(
            job).deadline()


class _SyncRun(_Run):
    """One thread: submits while there is room, then polls whichever job is due next."""

    retry_at: float | None = None
    """When new submits may go on after a 429 or an unreachable provider."""

    def run(self) -> None:
        queue: list[tuple[float, int]] = []
        for item in self.sweep.items:
            if item.state in IN_FLIGHT:
                self._enqueue(queue, item)
            elif self.needs_download(item):
                self._fetch(item)
        while True:
            self._submit_more(queue)
            poll = queue[0][0] if queue else None
            retry = self.retry_at if not self.stopped else None
            if poll is None and retry is None:
                return
            wake = min(t for t in (poll, retry) if t is not None)
            pause = wake - self.client.clock()
            if pause > 0:
                self.client.sleep(pause)
            if poll is not None and (retry is None or poll <= retry):
                _, index = heapq.heappop(queue)
                self._poll(queue, self.sweep.items[index])
            else:
                self.retry_at = None  # waited it out (an injected sleep may not move the clock)

    def _submit_more(self, queue: list[tuple[float, int]]) -> None:
        if self.retry_at is not None:
            if self.client.clock() < self.retry_at:
                return
            self.retry_at = None
        cap = self.sweep.cap or DEFAULT_CONCURRENCY
        in_flight = self.sweep.in_flight  # counted once: per item it made each call O(n^2)
        for item in self.sweep.items:
            if in_flight >= cap:
                return
            if item.state != "planned":
                continue
            if not self.may_submit(item):
                return
            try:
                with _labelled(self.journal, self.sweep, item):
                    job = self.client.submit(item.spec)
            except KlingError as exc:
                pause = self.refused(item, exc)
                if pause is not None:
                    self.retry_at = self.client.clock() + pause
                    return
                continue
            self.submitted(item, job)
            in_flight += item.state in IN_FLIGHT
            self.sweep._changed()
            self._enqueue(queue, item)

    def _enqueue(self, queue: list[tuple[float, int]], item: SweepItem) -> None:
        assert item.job is not None
        delay = self.client.schedule(item.job).delay(item.job.elapsed)
        heapq.heappush(queue, (self.client.clock() + delay, item.index))

    def _poll(self, queue: list[tuple[float, int]], item: SweepItem) -> None:
        job = item.job
        assert job is not None
        try:
            job.refresh()
        except KlingError as exc:
            self.ended(item, exc)
            return
        if job.done:
            self.ended(item, self._outcome(job))
            return
        if job.elapsed > self.deadline(job):
            self.ended(item, JobTimeoutError(
                f"stopped waiting after {job.elapsed:.0f} s", job_id=job.id,
                provider=PROVIDER_NAMES[job.provider], hint=job.resume_code))
            return
        item.state = job.status.value
        self._enqueue(queue, item)

    def _fetch(self, item: SweepItem) -> None:
        assert item.result is not None
        try:
            self.client.download(item.result)
        except KlingError as exc:
            item.error = exc

    def _outcome(self, job: Job) -> Result | KlingError:
        try:
            result = self.client.wait(job, progress=False)
            if self.download:
                self.client.download(result)
        except KlingError as exc:
            return exc
        return result


class _AsyncRun(_Run):
    """On the event loop: a semaphore holds the cap; budget decisions are taken one by one."""

    async def run(self) -> None:
        slots = asyncio.Semaphore(self.sweep.cap or DEFAULT_CONCURRENCY)
        decide = asyncio.Lock()
        await asyncio.gather(*(self._one(item, slots, decide) for item in self.sweep.items))

    async def _one(self, item: SweepItem, slots: asyncio.Semaphore, decide: asyncio.Lock
                   ) -> None:
        if self.needs_download(item):
            assert item.result is not None
            try:
                await self.client.download_async(item.result)
            except KlingError as exc:
                item.error = exc
        if item.state not in ("planned", *IN_FLIGHT):
            return
        async with slots:
            if item.state == "planned":
                async with decide:  # held through a pause: no other job is sent meanwhile
                    if not await self._submit(item):
                        return
            elif item.state not in IN_FLIGHT:
                return  # skipped (budget, halt) while it waited for a slot
            self.ended(item, await self._wait(item))

    async def _submit(self, item: SweepItem) -> bool:
        while self.may_submit(item):
            try:
                with _labelled(self.journal, self.sweep, item):
                    job = await self.client.submit_async(item.spec)
            except KlingError as exc:
                pause = self.refused(item, exc)
                if pause is None:
                    return False
                await asyncio.to_thread(self.client.sleep, pause)  # the injectable sleep
                continue
            self.submitted(item, job)
            self.sweep._changed()
            return True
        return False

    async def _wait(self, item: SweepItem) -> Result | KlingError:
        job = item.job
        assert job is not None
        try:
            result = await self.client.wait_async(job, timeout=self.timeout, progress=False)
            if self.download:
                await self.client.download_async(result)
        except KlingError as exc:
            return exc
        return result
