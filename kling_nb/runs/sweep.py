"""Prompt sweeps: a grid of jobs run under a hard budget and a concurrency cap, resumably.

``Sweep(base, prompts=[...], seeds=[...], durations=[...], models=[...], repeats=1)`` (or
``Sweep(specs=[...])``) validates every job up front; ``plan()`` shows how many jobs and what
they should cost before anything is sent; ``run(client)`` (one thread) or
``await run_async(client)`` submits at most ``concurrency`` jobs at a time, never more than
``max_jobs``, and never lets reported plus estimated costs pass ``max_cost_usd`` (on a row
with no published price: one job first, the rest priced from its report, ``pricing``). Each job is
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
import itertools
import uuid
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kling_nb.core.errors import KlingError, SpecError
from kling_nb.core.html import esc
from kling_nb.core.live import live_display
from kling_nb.core.warn import warn
from kling_nb.journal.entries import LOST, Entry
from kling_nb.journal.journal import Journal
from kling_nb.journal.reconcile import mismatch
from kling_nb.specs.base import Spec
from kling_nb.specs.catalogue import parse_spec

from .plan import (
    DEFAULT_CONCURRENCY,
    IN_FLIGHT,
    SweepItem,
    SweepPlan,
    committed_text,
    estimate,
)
from .pricing import PriceGroups, unpriceable_note
from .recovery import adopt, halt_reason
from .results import SweepResults, grid_html
from .runners import AsyncRun, SyncRun

if TYPE_CHECKING:
    from kling_nb.client.client import Client

_SLOTS: weakref.WeakKeyDictionary[Client, int] = weakref.WeakKeyDictionary()
Progress = Callable[["Sweep"], None]


class Sweep:
    """A grid of jobs (prompts x seeds x durations x models), each run ``repeats`` times (for
    rows that take no seed, repeated runs show how much a result varies), or a list of specs."""

    def __init__(self, base: Spec | Mapping[str, Any] | str | None = None, *,
                 prompts: Sequence[str] | None = None, seeds: Sequence[int] | None = None,
                 durations: Sequence[int] | None = None, models: Sequence[str] | None = None,
                 repeats: int = 1, specs: Sequence[Spec | Mapping[str, Any]] | None = None,
                 max_jobs: int | None = None, max_cost_usd: float | str | Decimal | None = None,
                 concurrency: int | None = None, name: str | None = None,
                 id: str | None = None, on_progress: Progress | None = None) -> None:
        if (base is None) == (specs is None):
            msg = "give a base spec with axes (prompts, seeds, ...) or specs=[...], not both"
            raise ValueError(msg)
        if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
            msg = f"repeats: {repeats!r} is not a whole number of at least 1"
            raise ValueError(msg)
        built = [parse_spec(s) for s in specs] if specs is not None else expand(
            base, prompts=prompts, seeds=seeds, durations=durations, models=models)
        # Round by round (every combination once, then again), so a budget that stops the
        # sweep early leaves each combination with as many runs as the others, give or take one.
        self.specs: list[Spec] = built * repeats
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
        self.journal: Journal | None = None
        """The journal the sweep last ran with (its results read ratings and metrics there)."""
        self.drafts: list[str | None] | None = None
        """For a promotion: each job's draft (its journal handle), kept with the sweep."""
        self._groups: PriceGroups | None = None

    @classmethod
    def load(cls, journal: Journal, sweep_id: str) -> Sweep:
        """A sweep recorded in the journal, to resume it."""
        name, specs, settings = journal.load_sweep(sweep_id)
        sweep = cls(specs=specs, id=sweep_id, name=name, max_jobs=settings.get("max_jobs"),
                    max_cost_usd=settings.get("max_cost_usd"),
                    concurrency=settings.get("concurrency"))
        cap = settings.get("cap")
        sweep.recorded_cap = cap if isinstance(cap, int) and cap > 0 else None
        drafts = settings.get("drafts")
        sweep.drafts = list(drafts) if isinstance(drafts, list) else None
        return sweep

    def __len__(self) -> int:
        return len(self.specs)

    def draft_of(self, index: int) -> str | None:
        """The journal handle of the draft job ``index`` re-renders (promotions only)."""
        return self.drafts[index] if self.drafts and 0 <= index < len(self.drafts) else None

    # -- plan ----------------------------------------------------------------------------------
    def plan(self, journal: Journal | None = None, client: Client | None = None) -> SweepPlan:
        """Jobs and estimated cost before anything is sent (history first, else documented).

        History is the journal's live jobs, or its sandbox jobs for a spec that ``client``
        runs in the sandbox.
        """
        def sandbox(spec: Spec) -> bool:
            return client is not None and client.is_sandbox(spec.provider)

        items = self.items or [SweepItem(i, s, estimate(s, journal, sandbox=sandbox(s)))
                               for i, s in enumerate(self.specs)]
        return SweepPlan(self.id, items, self.max_jobs, self.max_cost_usd)

    def _check(self, journal: Journal | None, client: Client) -> None:
        self.items, self.halted, self.mismatched, self.journal = [], None, [], journal
        self._groups = None
        plan = self.plan(journal, client)
        # A sweep that already sent jobs (resumed) is not refused on its whole estimate: it
        # goes on, and each job is held to max_cost_usd with what was spent counted.
        plan.check(started=journal is not None and bool(journal.sweep_entries(self.id)))
        self.items = plan.items

    def _record(self, client: Client, journal: Journal | None) -> None:
        if journal is None:
            return
        _warn_if_unjournaled(client, journal)
        settings = {"max_jobs": self.max_jobs, "concurrency": self.concurrency, "cap": self.cap,
                    "max_cost_usd": (str(self.max_cost_usd) if self.max_cost_usd is not None
                                     else None),
                    **({"drafts": self.drafts} if self.drafts is not None else {})}
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

    def affordable(self, item: SweepItem) -> bool | None:
        """Whether ``item`` may be sent now: True; False when it would pass ``max_cost_usd``
        (nothing more is sent); None when not now - it waits for the first job of its price
        group to report a price (rows with no published price), or its group cannot be
        priced and it is skipped."""
        if self.max_cost_usd is None:
            return True
        groups = self._price_groups()
        if groups.waiting():
            return None  # a job's price is not known yet: the budget cannot count it
        pricing = groups.pricing(item)
        if pricing == "wait":
            return None
        if pricing == "unpriceable":
            item.state, item.note = "skipped", unpriceable_note(groups.first(item))
            self._changed()
            return None
        upper = item.estimate.upper
        fits = (self.committed_usd() < self.max_cost_usd if pricing == "first" else
                upper is not None and self.committed_usd() + upper <= self.max_cost_usd)
        if fits:
            groups.sending(item)
        return fits

    @property
    def priced(self) -> list[str]:
        """How the jobs with no published price were priced (empty before any report)."""
        return self._groups.lines() if self._groups is not None else []

    def _price_groups(self) -> PriceGroups:
        if self._groups is None:
            self._groups = PriceGroups(self.items)
        return self._groups

    def waits(self, item: SweepItem) -> bool:
        """Whether ``item`` waits for a price before it may be held to the budget."""
        if self.max_cost_usd is None:
            return False
        groups = self._price_groups()
        return groups.waiting() or groups.pricing(item) == "wait"

    def _skip_rest(self, reason: str) -> None:
        for item in self.items:
            if item.state == "planned":
                item.state, item.note = "skipped", reason
        self._changed()

    def _budget_reason(self) -> str:
        return (f"budget: {committed_text(self.items)}, the next job would pass "
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
                warn(f"sweep progress callback failed: {exc!r}", RuntimeWarning)

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
        return SweepResults(self.items, halted=self.halted, sweep_id=self.id,
                            journal=self.journal, priced=self.priced)

    def __str__(self) -> str:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(self.progress.items()))
        budget = f" of max ${self.max_cost_usd}" if self.max_cost_usd is not None else ""
        halted = f"\nHALTED: {self.halted}" if self.halted else ""
        priced = "".join(f"\n{line}" for line in self.priced)
        return (f"sweep {self.id}{f' ({self.name})' if self.name else ''}: {len(self.specs)} "
                f"job(s){': ' + counts if counts else ''}; {committed_text(self.items)}"
                f"{budget}{priced}{halted}")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        ended = sum(1 for i in self.items if i.state not in ("planned", *IN_FLIGHT))
        bar = f"<progress value='{ended}' max='{max(len(self.specs), 1)}'></progress>"
        grid = grid_html(self.items) if self.items else ""
        return {"text/plain": str(self),
                "text/html": f"<div><p>{bar} {esc(str(self))}</p>{grid}</div>"}

    # -- run -----------------------------------------------------------------------------------
    def run(self, client: Client, *, journal: Journal | None = None, download: bool = True,
            timeout: float | None = None, progress: bool = True) -> SweepResults:
        """Run the sweep in this thread: submit within budget and cap, wait, download.

        In a notebook, ``progress`` shows one live line for the whole sweep while it runs.
        """
        journal = journal or Journal.of(client)
        self._check(journal, client)
        self.cap = self.concurrency_cap(client)
        self._record(client, journal)
        with self._live(progress):
            SyncRun(self, client, journal, download, timeout).run()
        return self.results

    async def run_async(self, client: Client, *, journal: Journal | None = None,
                        download: bool = True, timeout: float | None = None,
                        progress: bool = True) -> SweepResults:
        """``run`` on the event loop: the same budget and cap, no thread per job."""
        journal = journal or Journal.of(client)
        self._check(journal, client)
        self.cap = await asyncio.to_thread(self.concurrency_cap, client)
        self._record(client, journal)
        with self._live(progress):
            await AsyncRun(self, client, journal, download, timeout).run()
        return self.results

    @contextlib.contextmanager
    def _live(self, enabled: bool) -> Iterator[None]:
        """A live progress line in the notebook cell (nothing outside a notebook)."""
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
                             f"{esc(str(self.sweep))}</p>"}


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


def _warn_if_unjournaled(client: Client, journal: Journal) -> None:
    reporting = Journal.of(client)
    if reporting is None or reporting.path.resolve() != journal.path.resolve():
        warn(f"the client does not report to the journal at {journal.path}: this sweep's "
             "new jobs will not be recorded there", RuntimeWarning)
