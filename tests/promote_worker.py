"""A separate process for the promotion tests: promote a draft sweep's best and run the finals.

Usage (the journal path comes from ``KLING_NB_JOURNAL``, the sandbox server from
``LEONARDO_BASE_URL``/``LEONARDO_API_KEY``)::

    python promote_worker.py DRAFT_SWEEP_ID DOWNLOAD_DIR

Prints ``PROMOTION <id>``, then ``SUBMITTED <job id>`` as each final is sent, then waits for
them (the test kills it there).
"""

from __future__ import annotations

import sys

import kling_nb as kn
from kling_nb.client.observer import ObserverChain
from kling_nb.journal.journal import Journal

TARGET = {"model": "leonardo/kling-3.0", "mode": "RESOLUTION_1080", "duration": 10}


class Said(kn.JobObserver):
    """Prints each submitted job's id."""

    def submitted(self, handle: str | None, job: kn.Job) -> None:
        print(f"SUBMITTED {job.id}", flush=True)


def main(draft_sweep: str, download_dir: str) -> None:
    """Promote the best 3 drafts by rating, two at a time, and wait for them."""
    journal = Journal()
    fast = kn.PollSchedule((0.0, 0.0), min_interval=0.05, max_interval=0.1)
    client = kn.Client(journal=journal, download_dir=download_dir, poll=fast, env_file=False)
    client.observer = ObserverChain(client.observer, Said())
    promotion = kn.promote(journal.history(sweep=draft_sweep), to=TARGET, top=3,
                           max_cost_usd=20, concurrency=2)
    print(f"PROMOTION {promotion.id}", flush=True)
    promotion.run(client, progress=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
