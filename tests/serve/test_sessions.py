"""Bounds on what a client may start: how many apps, how large a terminal, and for how long."""

from __future__ import annotations

import json
import signal

import aiohttp
import pytest

from backprop_tutor.serve import MAX_COLUMNS, MAX_ROWS
from tests.serve.conftest import ServeFactory, next_text


async def test_session_cap(serve: ServeFactory, caplog: pytest.LogCaptureFixture) -> None:
    served = await serve(max_sessions=2)
    first, second = await served.websocket(), await served.websocket()
    for ws in (first, second):
        assert (await next_text(ws)).startswith("size ")  # both apps are running
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await served.websocket()
    assert refused.value.status == 503
    assert "2 already open" in caplog.text
    assert len(served.server.sessions) == 2

    await first.close()  # a tab closed: its slot is free once its app has ended
    await served.wait_sessions(lambda n: n == 1)
    third = await served.websocket()
    assert (await next_text(third)).startswith("size ")
    await second.close()
    await third.close()


async def test_terminal_size_capped(serve: ServeFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_SERVE_TOKEN", "must-not-reach-the-app")
    served = await serve()
    ws = await served.websocket("?width=3000&height=3000")
    assert await next_text(ws) == f"size {MAX_COLUMNS}x{MAX_ROWS} token-in-env=False"
    await ws.send_str(json.dumps(["resize", {"width": 5000, "height": 5000}]))
    assert await next_text(ws) == f"resize {MAX_COLUMNS}x{MAX_ROWS}"
    await ws.send_str(json.dumps(["resize", {"width": -1, "height": "x"}]))
    assert await next_text(ws) == "resize 20x24"  # at least MIN_COLUMNS; garbage becomes the default
    await ws.send_str(json.dumps(["stdin", " "]))
    assert await next_text(ws) == "echo  "  # keys still get through
    await ws.close()


async def test_app_ends_with_its_socket(serve: ServeFactory) -> None:
    served = await serve()
    ws = await served.websocket()
    await next_text(ws)
    (service,) = served.server.sessions
    await ws.close()
    await served.wait_sessions(lambda n: n == 0)
    assert service.process is not None and service.process.returncode == 0  # it quit when asked


async def test_app_that_will_not_quit_is_killed(serve: ServeFactory) -> None:
    served = await serve(mode="stubborn", quit_grace=0.5)  # ignores the quit request and SIGTERM
    ws = await served.websocket()
    await next_text(ws)
    (service,) = served.server.sessions
    await ws.close()
    await served.wait_sessions(lambda n: n == 0)
    assert service.process is not None and service.process.returncode == -signal.SIGKILL


async def test_bad_message_ends_only_that_session(serve: ServeFactory, caplog: pytest.LogCaptureFixture) -> None:
    served = await serve()
    bad, good = await served.websocket(), await served.websocket()
    await next_text(bad)
    await next_text(good)
    await bad.send_str("{not json")
    await served.wait_sessions(lambda n: n == 1)
    assert "ended on a bad message" in caplog.text
    await good.send_str(json.dumps(["stdin", "q"]))
    assert await next_text(good) == "echo q"
    await good.close()


async def test_server_stop_ends_every_app(serve: ServeFactory) -> None:
    served = await serve()
    ws = await served.websocket()
    await next_text(ws)
    (service,) = served.server.sessions
    await served.client.close()  # Ctrl+C: the server shuts down with a session open
    assert not served.server.sessions
    assert service.process is not None and service.process.returncode is not None


async def test_app_traceback_becomes_one_log_line(
    serve: ServeFactory, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    served = await serve(mode="crash")
    ws = await served.websocket()
    await served.wait_sessions(lambda n: n == 0)
    await ws.close()
    assert "the app said on stderr: RuntimeError: boom" in caplog.text
    assert "Traceback" not in capsys.readouterr().out  # textual-serve would have copied it there
