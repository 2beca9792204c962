"""The kling-nb command: generate from flags or a spec file, exit statuses, models, sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run
from client_helpers import KEY, bomb_png, instant_retries, png, server, shared_server

import kling_nb as kn
from kling_nb.client import routing as _client
from kling_nb.sandbox import Sandbox, SandboxServer

__all__ = ["instant_retries", "server", "shared_server"]




def _flags(tmp_path: Path) -> list[str]:
    frame = tmp_path / "frame.png"
    frame.write_bytes(png())
    return ["generate", "--model", "leonardo/kling-2.5-turbo", "--prompt", "a kite",
            "--start-frame", str(frame), "--size", "1920x1080", "--duration", "5",
            "--out", str(tmp_path / "out")]


def test_generate_with_flags(sb: Sandbox, tmp_path: Path) -> None:
    """Flags make a spec; the image is uploaded; video path, URL and the sandbox's price
    (labelled so, never as a cost) are printed."""
    status, text = run(*_flags(tmp_path))
    assert status == 0
    video = Path(text.split("video: ")[1].split("\n")[0])
    assert video.parent == tmp_path / "out"
    assert video.stat().st_size > 0
    assert "url:   https://cdn.sandbox" in text
    assert "price: $0.35 (sandbox price, not billed)" in text
    assert "cost" not in text
    assert "SANDBOX" in text
    assert "complete" in text
    assert any(r.surface == "uploads" for r in sb.requests)


def test_mode_label_without_a_key(sb: Sandbox, tmp_path: Path) -> None:
    """No key: the job line says so."""
    _, text = run(*_flags(tmp_path), "--no-download")
    assert "(SANDBOX: no API key, offline emulator)" in text


def test_mode_label_with_a_key_and_sandbox_flag(sb: Sandbox, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A key with --sandbox is SANDBOX, but not "no API key"."""
    monkeypatch.setenv("LEONARDO_API_KEY", KEY)
    status, text = run(*_flags(tmp_path), "--sandbox", "--no-download")
    assert status == 0, text
    assert "(SANDBOX: --sandbox, offline emulator)" in text
    assert "no API key" not in text


def test_mode_label_with_a_key_pointed_at_the_sandbox_server(
        server: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key with the sandbox server's URL looks live, is SANDBOX (the server says so), and
    the label names the server, not a missing key."""
    for name, value in (("LEONARDO_API_KEY", KEY), ("LEONARDO_BASE_URL", server.url),
                        ("KLING_NB_JOURNAL", "off")):
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    status, text = run(*_flags(tmp_path), "--no-download")
    assert status == 0, text
    assert f"(SANDBOX: the sandbox server at {server.url}, not the live API)" in text
    assert "no API key" not in text
    assert "note:  SANDBOX video" in text


def test_generate_with_spec_file_and_relative_image(sb: Sandbox, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A spec file's relative image path is found beside the file, whatever the cwd."""
    folder = tmp_path / "job"
    folder.mkdir()
    (folder / "start.png").write_bytes(png((640, 360)))
    spec = {"model": "leonardo/kling-3.0", "prompt": "waves", "duration": 5,
            "width": 1920, "height": 1080, "start_frame": "start.png"}
    (folder / "spec.json").write_text(json.dumps(spec))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    status, text = run("generate", "--spec", str(folder / "spec.json"))
    assert status == 0, text
    assert Path(text.split("video: ")[1].split("\n")[0]).is_file()
    assert sb.requests[0].path.endswith("/init-image")


def test_flags_override_the_spec_file(sb: Sandbox, tmp_path: Path) -> None:
    """--duration on the command line beats the file's duration."""
    spec = {"model": "aimlapi/kling-2.1-pro", "prompt": "fog",
            "image_url": "https://images.example.com/a.png", "duration": 5}
    (tmp_path / "s.json").write_text(json.dumps(spec))
    status, _ = run("generate", "--spec", "s.json", "--duration", "10", "--no-download")
    assert status == 0
    assert sb.requests[0].json["duration"] == 10


@pytest.mark.parametrize(("content", "message"), [
    ('{"model": "leonardo/kling-2.5-turbo", "prompt": "p", "duration": 7}', "duration"),
    ("{not json", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('{"model": "kling-9000"}', "not a known model"),
])
def test_spec_errors_exit_2(content: str, message: str, sb: Sandbox, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    """A bad spec file exits 2 with the problem on stderr; nothing is sent."""
    (tmp_path / "bad.json").write_text(content)
    status, _ = run("generate", "--spec", "bad.json")
    assert status == 2
    assert message in capsys.readouterr().err
    assert sb.requests == []


def test_missing_spec_file_and_bad_image_exit_2(sb: Sandbox, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A missing spec file or a start frame that is not an image is a usage error."""
    assert run("generate", "--spec", "nowhere.json")[0] == 2
    assert "cannot read the spec file" in capsys.readouterr().err
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"not an image, just text")
    args = _flags(tmp_path)
    args[args.index("--start-frame") + 1] = str(fake)
    assert run(*args)[0] == 2
    assert "not a PNG" in capsys.readouterr().err
    assert sb.requests == []


@pytest.mark.parametrize(("flag", "value", "words"), [
    ("--start-frame", "3f2a9c1e-12ab-4c5d-9e8f-1234",
     ("start_frame", "'3f2a9c1e-12ab-4c5d-9e8f-1234'", "not a Leonardo asset id")),
    ("--prompt", "   ", ("prompt is only whitespace",)),
    ("--size", "1280*720", ("size: '1280*720' is not a size: write '1280x720'.",)),
])
def test_bad_flags_exit_2_before_sending(flag: str, value: str, words: tuple[str, ...],
                                         sb: Sandbox, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A truncated asset id, a blank prompt or ``--size 1280*720``: one clear line, exit 2."""
    args = _flags(tmp_path)
    args[args.index(flag) + 1] = value
    assert run(*args)[0] == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert "Value error" not in err
    assert err.count("problem") == 1
    assert sb.requests == []


@pytest.mark.parametrize(("image", "words"), [
    (bomb_png(), ("decompression bomb", "400 megapixels")),
    (png((8, 8)), ("8x8 px", "Kling's API documents", "--no-image-limits")),
])
def test_bad_images_exit_2_without_a_traceback(image: bytes, words: tuple[str, ...],
                                               sb: Sandbox, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A decompression bomb or an 8x8 image: exit 2, one clear message, nothing sent."""
    args = _flags(tmp_path)
    Path(args[args.index("--start-frame") + 1]).write_bytes(image)
    assert run(*args)[0] == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert "Traceback" not in err
    assert sb.requests == []


def test_no_image_limits_sends_a_small_image_on_purpose(sb: Sandbox, tmp_path: Path) -> None:
    """--no-image-limits lets an image under 300 px through (the host may resize it)."""
    args = _flags(tmp_path)
    Path(args[args.index("--start-frame") + 1]).write_bytes(png((160, 90)))
    status, _ = run(*args, "--no-image-limits", "--no-download")
    assert status == 0
    assert any(r.surface == "uploads" for r in sb.requests)


@pytest.mark.parametrize("verbose", [False, True])
def test_retries_are_one_friendly_line_with_v_else_silent(
        verbose: bool, sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    """Two 503s on status: -v prints one line each on stderr; without it, nothing. Never
    stamina's raw records."""
    sb.faults.add("server_error", route="status", times=2, status=503)
    status, text = run(*_flags(tmp_path), *(["-v"] if verbose else []))
    assert status == 0
    err = capsys.readouterr().err
    line = "retrying in 0 s: 503 from Leonardo.AI (SANDBOX)\n"
    assert err == (line * 2 if verbose else "")
    assert "retrying" not in text
    assert not [r for r in caplog.records if r.name == "stamina"]


def test_failed_job_exits_1(sb: Sandbox, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    """A job the provider fails exits 1 and says the job failed."""
    sb.faults.add("failed_job")
    assert run(*_flags(tmp_path))[0] == 1
    assert "the job failed" in capsys.readouterr().err


def test_timeout_exits_3_with_resume_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Stopping at --timeout exits 3 and prints how to pick the job up."""
    slow = Sandbox(fast_polls=50)
    monkeypatch.setattr(_client, "_DEFAULT_SANDBOX", slow)
    monkeypatch.setenv("KLING_NB_JOURNAL", "off")
    monkeypatch.chdir(tmp_path)
    status, _ = run(*_flags(tmp_path), "--timeout", "0", "--sandbox")
    assert status == 3
    assert 'client.job("leonardo"' in capsys.readouterr().err


def test_models_lists_every_row() -> None:
    """kling-nb models prints every model key."""
    status, text = run("models")
    assert status == 0
    for key in kn.MODELS:
        assert key in text


def test_models_filters_by_what_they_take() -> None:
    """--takes and --provider narrow the list to the rows with every fact."""
    status, text = run("models", "--takes", "image,sound,multi-shot", "--provider", "aimlapi")
    assert status == 0
    wanted = kn.MODELS.filter(provider="aimlapi", image=True, sound=True, multi_shot=True)
    assert wanted
    listed = {line.split()[0] for line in text.splitlines()[1:]}
    assert listed == set(wanted)
    status, text = run("models", "--takes", "sund")
    assert status == 2


def test_models_describes_one_row_with_inputs_choices_and_rules() -> None:
    """kling-nb models KEY: the inputs with their choices, the rules with their provenance."""
    status, text = run("models", "leonardo/kling-3.0-turbo")
    assert status == 0
    assert "* prompt" in text
    assert "string, at most 2500 characters" in text
    assert "1280x720" in text
    assert "[documented]" in text
    assert 'source: Leonardo guide "Kling 3.0 Turbo"' in text
    assert "[inferred]" in text
    status, text = run("models", "kling-3.0-turbo-pro", "--json")
    data = json.loads(text)
    assert data["key"] == "aimlapi/kling-3.0-turbo-pro"
    assert {i["name"] for i in data["inputs"]} >= {"prompt", "multi_prompt", "image_url"}
    assert any(r["provenance"] == "inferred" for r in data["rules"])
    assert all("v3-turbo-pro-text-to-video.json" in r["source"] for r in data["rules"]
               if r["provenance"] == "documented")
    assert run("models", "kling-9")[0] == 2


def test_generate_a_two_shot_storyboard(sb: Sandbox, tmp_path: Path) -> None:
    """--shot SECONDS:PROMPT builds a timed storyboard; the total is the video's length."""
    status, text = run("generate", "--model", "aimlapi/kling-3.0-turbo-pro",
                       "--shot", "2:a fox wakes up", "--shot", "3:it runs into the snow",
                       "--out", str(tmp_path / "out"))
    assert status == 0, text
    body = next(r for r in sb.requests if r.method == "POST").json
    assert body["multi_prompt"] == [{"prompt": "a fox wakes up", "duration": 2},
                                    {"prompt": "it runs into the snow", "duration": 3}]
    assert body["duration"] == 5
    assert "video: " in text


def test_sandbox_command_passes_its_options(monkeypatch: pytest.MonkeyPatch) -> None:
    """kling-nb sandbox --port N hands the options to the sandbox server."""
    from kling_nb.sandbox import _server

    seen: list[list[str] | None] = []
    def fake(argv: list[str] | None = None) -> int:
        seen.append(argv)
        return 0

    monkeypatch.setattr(_server, "main", fake)
    assert run("sandbox", "--port", "9999")[0] == 0
    assert seen == [["--port", "9999"]]


def test_usage_errors_from_argparse_exit_2() -> None:
    """An unknown option is argparse's exit 2."""
    with pytest.raises(SystemExit) as caught:
        run("generate", "--nope")
    assert caught.value.code == 2


@pytest.mark.parametrize("key", list(kn.MODELS))
def test_every_model_generates_from_a_spec_file(key: str, sb: Sandbox, tmp_path: Path) -> None:
    """Each row's example, as a spec file (asset ids from the docs replaced by a local image
    beside it), generates a video from the command line."""
    (tmp_path / "frame.png").write_bytes(png())
    example = dict(kn.MODELS[key].spec.example)
    for name in ("start_frame", "end_frame", "image_url"):
        value = example.get(name)
        if isinstance(value, str) and not value.startswith(("https://", "data:")):
            example[name] = "frame.png"
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({**example, "model": key}))
    status, text = run("generate", "--spec", str(spec), "--out", str(tmp_path / "out"))
    assert status == 0, text
    assert Path(text.split("video: ")[1].split("\n")[0]).stat().st_size > 0
    assert "SANDBOX" in text


def test_generate_leaves_a_contact_sheet_in_the_output_folder(sb: Sandbox,
                                                              tmp_path: Path) -> None:
    """The output folder holds the video's contact sheet beside it, and the command names it."""
    status, text = run(*_flags(tmp_path))
    assert status == 0
    video = Path(text.split("video: ")[1].split("\n")[0])
    sheet = Path(text.split("sheet: ")[1].split("\n")[0])
    assert sheet == video.with_name(video.name + ".sheet.jpg")
    assert sheet.is_file()
