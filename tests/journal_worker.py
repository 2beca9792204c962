"""A separate process for the journal tests: submit and wait, resume, or write rows.

Usage (the journal path comes from ``KLING_NB_JOURNAL``, the sandbox server from
``LEONARDO_BASE_URL``/``LEONARDO_API_KEY``)::

    python journal_worker.py submit N DOWNLOAD_DIR   # submit N jobs, print their ids, wait
    python journal_worker.py submit-unchecked N DIR  # the same, bodies of an unknown model
    python journal_worker.py resume DOWNLOAD_DIR     # resume, print a JSON report
    python journal_worker.py write N LABEL           # write N jobs through the hooks
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

import kling_nb as kn
from kling_nb.journal.journal import Journal


def _client(journal: Journal, download_dir: str) -> kn.Client:
    fast = kn.PollSchedule((0.0, 0.0), min_interval=0.05, max_interval=0.1)
    return kn.Client(journal=journal, download_dir=download_dir, poll=fast, env_file=False)


def submit(count: int, download_dir: str) -> None:
    """Submit ``count`` jobs, report their ids, then wait (the test kills us here)."""
    journal = Journal()
    client = _client(journal, download_dir)
    jobs = [client.submit(kn.Kling30(prompt=f"worker job {i}", duration=5,
                                     mode="RESOLUTION_720")) for i in range(count)]
    print("SUBMITTED " + " ".join(job.id for job in jobs), flush=True)
    client.wait_all(jobs)


def submit_unchecked(count: int, download_dir: str) -> None:
    """Submit ``count`` bodies of a model no row describes, unchecked; then wait."""
    journal = Journal()
    client = _client(journal, download_dir)
    jobs = [client.submit(kn.parse_spec(
        {"model": "kling-9.1", "public": False, "parameters": {
            "prompt": f"unchecked worker job {i}", "duration": 4, "width": 1920,
            "height": 1080}}, unchecked=True)) for i in range(count)]
    print("SUBMITTED " + " ".join(job.id for job in jobs), flush=True)
    client.wait_all(jobs)


def resume(download_dir: str) -> None:
    """Resume every unfinished job and print what came back."""
    journal = Journal()
    report = journal.resume(_client(journal, download_dir))
    print(json.dumps({"results": [r.job_id for r in report],
                      "paths": [str(r.path) for r in report],
                      "errors": [str(e) for _, e in report.errors],
                      "unknown": len(report.unknown)}), flush=True)


def write(count: int, label: str) -> None:
    """Write ``count`` jobs through every hook, as a busy kernel would."""
    journal = Journal()
    spec = kn.Kling30(prompt=f"writer {label}", duration=5, mode="RESOLUTION_720")
    for i in range(count):
        handle = journal.intent(spec, spec.to_request().to_dict())
        job = kn.Job(id=f"{label}-{i}", provider="leonardo", model=spec.key, sandbox=True,
                     submitted_at=datetime.now(timezone.utc), spec=spec,
                     cost=kn.Cost.parse("0.95", "USD"))
        journal.submitted(handle, job)
        job.status = kn.Status.COMPLETE
        journal.finished(job)
    journal.close()
    print("DONE", flush=True)


def main(argv: list[str]) -> None:
    """Dispatch on the first argument."""
    if argv[0] == "submit":
        submit(int(argv[1]), argv[2])
    elif argv[0] == "submit-unchecked":
        submit_unchecked(int(argv[1]), argv[2])
    elif argv[0] == "resume":
        resume(argv[1])
    else:
        write(int(argv[1]), argv[2])


if __name__ == "__main__":
    main(sys.argv[1:])
