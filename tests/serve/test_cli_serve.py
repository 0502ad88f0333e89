"""`tutor serve` refusing to start: one line on stderr and exit status 1, never a traceback."""

from __future__ import annotations

import logging
import socket
import sys
from pathlib import Path

import pytest

import backprop_tutor
from backprop_tutor.cli import main
from backprop_tutor.serve import check_host, is_loopback, new_token


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_busy_port(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:  # another student's server
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["serve", "lesson01", "--port", str(port), "--state-dir", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 1
    assert one_line(captured.err) == (
        f"tutor serve: port {port} on 127.0.0.1 is already in use; choose another with --port, "
        "or leave --port out and the system picks a free one"
    )
    assert captured.out == ""  # no link printed for a server that never ran


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "lab-server.example"])
def test_remote_host_needs_allow_remote(host: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["serve", "lesson01", "--host", host, "--state-dir", str(tmp_path)])
    assert status == 1
    line = one_line(capsys.readouterr().err)
    assert host in line and "--allow-remote" in line


def test_allow_remote_warns() -> None:
    warning = check_host("0.0.0.0", allow_remote=True)
    assert warning is not None and warning.startswith("warning:") and "unencrypted" in warning
    assert check_host("127.0.0.1", allow_remote=False) is None


@pytest.mark.parametrize("host", ["127.0.0.1", "127.3.4.5", "localhost", "::1", "[::1]"])
def test_loopback_names(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("argv", [["--token", "short"], ["--token", "has spaces in it, sixteen+"], ["--max-sessions", "0"]])
def test_bad_options(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "lesson01", *argv, "--state-dir", str(tmp_path)]) == 1
    assert one_line(capsys.readouterr().err).startswith("tutor serve: ")


def test_bad_token_from_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_SERVE_TOKEN", "too-short")
    assert main(["serve", "lesson01", "--state-dir", str(tmp_path)]) == 1
    assert "TUTOR_SERVE_TOKEN" in one_line(capsys.readouterr().err)


def test_new_tokens_are_long_and_fresh() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(t) >= 43 for t in tokens)  # 32 random bytes in base64: 256 bits


def test_missing_extra_names_a_command_that_works_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("textual_serve", "textual_serve.server", "textual_serve.app_service"):
        monkeypatch.setitem(sys.modules, name, None)  # as if textual-serve were not installed
    monkeypatch.delitem(sys.modules, "backprop_tutor.serve", raising=False)
    monkeypatch.delattr(backprop_tutor, "serve", raising=False)
    assert main(["serve", "lesson01", "--state-dir", str(tmp_path)]) == 1
    line = one_line(capsys.readouterr().err)
    assert f"{sys.executable} -m pip install" in line and "textual-serve" in line
    assert "backprop-tutor[serve]" not in line


def test_log_lines_never_carry_a_traceback() -> None:
    from backprop_tutor.serve import _OneLine

    try:
        raise OSError("connection reset\nby peer")
    except OSError:
        record = logging.LogRecord("aiohttp.server", logging.ERROR, __file__, 1, "Error handling request", (), sys.exc_info())
    assert _OneLine().format(record) == "tutor serve: Error handling request: OSError: connection reset by peer"


@pytest.mark.parametrize(("argv", "page"), [(["lesson03:5"], "5"), (["lesson03", "--page", "l1-α-2-a-bounce"], "3")])
def test_serve_opens_the_page_asked_for(
    argv: list[str], page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import backprop_tutor.serve as serve_module

    served: list[list[str]] = []
    monkeypatch.setattr(serve_module, "serve", lambda command, **_: served.append(command) or 0)
    assert main(["serve", *argv, "--state-dir", str(tmp_path)]) == 0
    command = served[0]
    assert command[command.index("run") + 1].endswith("lesson03.yaml")  # the lesson, without its page
    assert command[command.index("--page") + 1] == page  # 1-based, as run's --page reads it


@pytest.mark.parametrize("argv", [["lesson03:99"], ["lesson03:5", "--page", "6"]])
def test_serve_refuses_a_page_it_cannot_open(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", *argv, "--state-dir", str(tmp_path)]) == 1
    assert "page" in one_line(capsys.readouterr().err)
