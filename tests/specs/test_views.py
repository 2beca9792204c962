"""How specs, jobs and results show themselves: text/plain and text/html bundles."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from html_helpers import unguarded

import kling_nb as kn
from kling_nb.notebook.code import spec_code
from kling_nb.specs.results import Cost, Result, ResultList
from kling_nb.specs.views import video_src

ASSET, VIDEO = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-0000000000b1"
EVIL = "<script>alert('x')</script> & \"quotes\""


def _result(**changes: object) -> Result:
    base: dict[str, object] = {
        "job_id": "job-1", "provider": "leonardo", "model": "leonardo/kling-3.0",
        "video_url": "https://cdn.leonardo.ai/videos/v.mp4",
        "poster_url": "https://cdn.leonardo.ai/posters/p.jpg", "asset_id": ASSET,
        "width": 1920, "height": 1080, "duration": 5, "seed": 42, "prompt": EVIL,
        "cost": Cost(Decimal("0.35")),
    }
    base.update(changes)
    return Result(**base)  # type: ignore[arg-type]


def test_spec_bundle_shows_parameters_cost_and_curl() -> None:
    """A spec renders its fields, an estimated cost and its curl command, escaped."""
    spec = kn.Kling30(prompt=EVIL, duration=8, seed=7)
    bundle = spec._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    html = bundle["text/html"]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "seed" in html
    assert "curl --request POST" in html
    assert "estimated" in html
    assert "estimated" in bundle["text/plain"]
    assert "Length of the video" in html  # the field's description as a tooltip


def test_retired_spec_shows_its_notice() -> None:
    """A retired model's spec carries the retirement notice in both views."""
    bundle = kn.Kling21Pro(prompt="a fox", start_frame=ASSET)._repr_mimebundle_()
    assert "retired" in bundle["text/html"].lower()
    assert "RETIRED" in bundle["text/plain"]
    assert "kling-3.0" in bundle["text/plain"]


def test_include_and_exclude_filter_the_bundle() -> None:
    """The include/exclude arguments of _repr_mimebundle_ are honoured."""
    spec = kn.Kling25Turbo(prompt="fox")
    assert set(spec._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert set(spec._repr_mimebundle_(exclude=["text/plain"])) == {"text/html"}


def test_job_bundle_shows_model_status_elapsed_cost_and_sandbox(tmp_path: Path) -> None:
    """A sandbox job shows model, status, elapsed time, cost and the SANDBOX mark."""
    client = kn.Client(sandbox=True, download_dir=tmp_path)
    job = client.submit(kn.Kling25Turbo(prompt="a fox"))
    bundle = job._repr_mimebundle_()
    assert "Kling 2.5 Turbo" in bundle["text/html"]
    assert "pending" in bundle["text/html"] or "running" in bundle["text/html"]
    assert "elapsed" in bundle["text/html"]
    assert "SANDBOX" in bundle["text/html"]
    assert "SANDBOX" in bundle["text/plain"]
    assert str(job.cost) in bundle["text/plain"]


def test_live_result_plays_from_its_url() -> None:
    """A live result: <video controls> by https URL with poster, facts, URL as text."""
    html = unguarded(_result()._repr_mimebundle_()["text/html"])
    assert "<video controls" in html
    assert "src='https://cdn.leonardo.ai/videos/v.mp4'" in html
    assert "poster='https://cdn.leonardo.ai/posters/p.jpg'" in html
    for fact in ("1920x1080", "5 s", "42", "$0.35", "&lt;script&gt;"):
        assert fact in html
    assert "<script>" not in html
    assert "SANDBOX" not in html
    assert "base64" not in html


def test_sandbox_result_plays_the_downloaded_file_by_relative_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A downloaded sandbox result plays from a relative path and is marked SANDBOX."""
    monkeypatch.chdir(tmp_path)
    client = kn.Client(sandbox=True, download_dir="kling_videos")
    result = client.generate(kn.Kling25Turbo(prompt=EVIL))
    bundle = result._repr_mimebundle_()
    html = bundle["text/html"]
    src = video_src(result)
    assert src is not None
    assert src.startswith("kling_videos/")
    assert not src.startswith("/")
    assert f"src='{src}'" in html
    assert "<video controls" in html
    assert "SANDBOX" in html
    assert "SANDBOX" in bundle["text/plain"]
    assert "cdn.sandbox" not in html.split("<table")[0]  # never played from the fake CDN
    assert "base64" not in html
    assert "<script>" not in html


def test_a_file_in_the_notebook_folder_is_shown_by_its_relative_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A result read back from the journal holds an absolute path; inside the notebook's
    folder it is shown relative (outputs carry no machine folders), elsewhere in full."""
    monkeypatch.chdir(tmp_path)
    inside = _result(sandbox=True, path=tmp_path / "kling_videos" / "v.mp4")
    bundle = inside._repr_mimebundle_()
    assert "<code>kling_videos/v.mp4</code>" in bundle["text/html"]
    assert "  file: kling_videos/v.mp4" in bundle["text/plain"]
    assert str(tmp_path) not in bundle["text/html"] + bundle["text/plain"]
    outside = _result(path=tmp_path.parent / "elsewhere.mp4")
    assert f"<code>{tmp_path.parent / 'elsewhere.mp4'}</code>" in (
        outside._repr_mimebundle_()["text/html"])


def test_sandbox_result_without_a_file_says_so(tmp_path: Path) -> None:
    """A sandbox result not downloaded (or outside the cwd) gets a note, not a dead player."""
    result = _result(sandbox=True, video_url="https://cdn.sandbox.kling-nb.invalid/v.mp4")
    html = result._repr_mimebundle_()["text/html"]
    assert "<video" not in html
    assert "not downloaded" in html
    assert "SANDBOX" in html
    result.path = tmp_path / "elsewhere.mp4"
    assert video_src(result, cwd=tmp_path / "notebooks") is None


def test_list_of_results_renders_side_by_side() -> None:
    """A list of results (or a ResultList) renders every player in one grid."""
    results = ResultList([_result(job_id="a"), _result(job_id="b", seed=1)])
    html = results._repr_mimebundle_()["text/html"]
    assert html.count("<video") == 2
    assert "flex-wrap" in html
    assert "job-1" not in html
    assert ">a<" in html


def test_copy_as_code_rebuilds_an_equal_spec() -> None:
    """spec_code gives Python that evaluates back to an equal spec (references included)."""
    spec = kn.KlingO1(prompt="put @image1 in it", image_references=[kn.generated(ASSET)],
                      seed=3, video_reference=kn.VideoRef(id=VIDEO))
    namespace: dict[str, object] = {}
    exec(spec_code(spec), namespace)
    assert namespace["spec"] == spec


def test_importing_kling_nb_loads_no_widgets_or_ipython() -> None:
    """import kling_nb (and showing a spec as text) pulls in neither ipywidgets nor IPython."""
    code = ("import sys, kling_nb as kn; kn.Kling30(prompt='x')._repr_mimebundle_(); "
            "print([m for m in ('ipywidgets', 'IPython') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_waiting_in_a_notebook_shows_one_live_status_line(
    tmp_path: Path, fake_kernel: list[str]
) -> None:
    """A long wait in a kernel shows the job once and refreshes it per status answer."""
    from kling_nb.sandbox import Sandbox

    shown = fake_kernel
    now = [1_800_000_000.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    sandbox = Sandbox(timing="realistic", clock=lambda: now[0], balance=1e6)
    client = kn.Client(sandbox=sandbox, clock=lambda: now[0], sleep=sleep, journal=False,
                       download_dir=tmp_path)
    client.generate(kn.Kling30(prompt="a slow job", duration=3), download=False)
    assert len(shown) >= 2  # the first view, (throttled) refreshes, the final one
    assert "pending" in shown[0]
    assert "usually ready" in shown[0]
    assert "complete" in shown[-1]
    assert "elapsed 0:00" not in shown[-1]
    shown.clear()
    client.generate(kn.Kling30(prompt="no live line"), download=False, progress=False)
    assert shown == []


def test_a_job_with_several_videos_shows_every_player(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """quantity=2 gives two players side by side and both files in the text view."""
    monkeypatch.chdir(tmp_path)
    client = kn.Client(sandbox=True, journal=False)
    result = client.generate(kn.KlingO1(prompt="two takes", quantity=2))
    bundle = result._repr_mimebundle_()
    assert bundle["text/html"].count("<video") == 2
    assert "video 2: kling_videos/" in bundle["text/plain"]


def test_live_result_saved_elsewhere_with_an_old_url_says_where(tmp_path: Path) -> None:
    """A live result whose URL is old and whose file is outside the notebook's folder: a plain
    line with the path, not a player that cannot load."""
    result = _result(path=tmp_path / "cli" / "kling-3.0-job-1.mp4",
                     completed_at=datetime.now(timezone.utc) - timedelta(days=30))
    assert video_src(result, cwd=tmp_path / "notebooks") is None
    html = result._repr_mimebundle_()["text/html"]
    assert "<video" not in html
    assert f"Video saved at {result.path}" in html
    result.completed_at = datetime.now(timezone.utc)
    assert video_src(result, cwd=tmp_path / "notebooks") == result.video_url
