"""The command line through a faulty network, end to end: a loopback fault proxy between
``kling-nb generate`` and a served sandbox (resets before and after the create is forwarded,
502/503/504 on create, 429 with Retry-After, truncated downloads).

Every job whose create reached the API is delivered without the user doing anything (a lost
answer is found in the listing); every other ends "not created" (exit 5) and its printed next
command sends it again, or, for an AI/ML task the undocumented lookup did not find, "unknown"
(exit 4), and the forced resubmit it names sends it once the user has seen none in the
dashboard; no request is ever created twice; every non-zero exit names the next command.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import httpx
import pytest
from client_helpers import KEY, instant_retries, png
from fault_server import FaultServer

from kling_nb.cli import main as _cli
from kling_nb.sandbox import serve

__all__ = ["instant_retries"]

JOBS = 24
RATES = {"refused": 0.05, "lost_request": 0.08, "gateway_error": 0.08, "rate_limited": 0.05,
         "upstream_timeout": 0.08, "dropped": 0.08, "truncated": 0.3}
CONNECTION_FAULTS_ON = ("create", "status", "upload")
"""Where resets and error answers strike; downloads get truncated bodies (resumed by Range)."""


def _argv(index: int, frame: Path, out: Path) -> list[str]:
    prompt = f"cli fault job {index}"
    rows = (["--model", "leonardo/kling-3.0", "--size", "1920x1080"],
            ["--model", "leonardo/kling-2.5-turbo", "--size", "1920x1080",
             "--start-frame", str(frame)],
            ["--model", "aimlapi/kling-2.1-pro", "--start-frame", str(frame)])
    return ["generate", "--prompt", prompt, "--duration", "5", *rows[index % 3],
            "--out", str(out)]


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    status = _cli.main(argv, out=out)
    return status, out.getvalue(), capsys.readouterr().err


def test_cli_jobs_through_a_faulty_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    frame = tmp_path / "frame.png"
    frame.write_bytes(png())
    with serve(key=KEY, balance=1e9, listing_delay=0.3) as upstream, \
            FaultServer(upstream.url, rates=RATES, seed=5,
                        kind_routes={k: CONNECTION_FAULTS_ON for k in RATES
                                     if k != "truncated"}) as proxy:
        sandbox = upstream.sandbox
        sandbox.faults.set_rate("server_error", 0.08, route="create", status=503)
        for name in ("LEONARDO_API_KEY", "AIMLAPI_API_KEY"):
            monkeypatch.setenv(name, KEY)
        for name in ("LEONARDO_BASE_URL", "AIMLAPI_BASE_URL"):
            monkeypatch.setenv(name, proxy.url)
        monkeypatch.setenv("KLING_NB_JOURNAL", str(tmp_path / "journal.db"))
        monkeypatch.setenv("KLING_NB_RECONCILE_GRACE", "1.5")
        monkeypatch.delenv("KLING_NB_SANDBOX", raising=False)
        seen: Counter[str] = Counter()
        videos: dict[str, Path] = {}
        for index in range(JOBS):
            prompt = f"cli fault job {index}"
            argv = _argv(index, frame, tmp_path / "out")
            status, text, err = _run(capsys, argv)
            while status != 0:
                assert "\nnext:  kling-nb " in f"\n{err}", err
                assert not [j for j in sandbox.store.jobs.values() if j.order.prompt == prompt]
                command = next(x for x in err.splitlines() if x.startswith("next:  "))
                if status == 4:  # an AI/ML task the lookup did not find proves nothing:
                    assert "aimlapi" in " ".join(argv), err
                    assert "proves nothing" in err, err
                    seen["unknown, none in the dashboard"] += 1  # the user looked: none
                    forced = command.split("once you know no job exists: ")[1]
                    resend = forced.split()
                    assert resend[:2] == ["kling-nb", "resubmit"]
                    assert resend[-1] == "--force"
                else:
                    assert status == 5, f"exit {status} needs the user: {err}"
                    seen["not created"] += 1
                    resend = command[len("next:  "):].split("   (")[0].split()
                    assert resend[:2] == ["kling-nb", "resubmit"]
                status, text, err = _run(capsys, [*resend[1:], "--out", str(tmp_path / "out")])
            seen["recovered"] += "recovered " in text
            videos[prompt] = Path(text.split("video: ")[1].split("\n")[0])
        made = Counter(j.order.prompt for j in sandbox.store.jobs.values())
        assert made == Counter({f"cli fault job {i}": 1 for i in range(JOBS)}), \
            "a request was created twice, or not at all"
        with httpx.Client() as direct:
            for job in sandbox.store.jobs.values():
                [path] = [p for prompt, p in videos.items() if prompt == job.order.prompt]
                url = f"{upstream.url}/_sandbox/cdn/videos/{job.videos[0]}.mp4"
                assert path.read_bytes() == direct.get(url).content, path
        injected = {kind for kind, _ in proxy.proxy.injected}
    assert seen["recovered"] > 0, seen
    assert seen["not created"] > 0, seen
    assert injected >= {"lost_request", "gateway_error", "upstream_timeout", "dropped",
                        "truncated"}, injected
