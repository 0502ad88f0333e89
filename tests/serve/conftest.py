"""A TutorServer in front of `fake_app.py`, reached with aiohttp's test client."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual_serve", reason="tutor serve needs the `serve` extra (textual-serve)")

from aiohttp import ClientWebSocketResponse, WSMsgType  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from backprop_tutor.serve import TutorServer, bind  # noqa: E402

FAKE_APP = Path(__file__).with_name("fake_app.py")
TOKEN = "test-token-0123456789abcdef"
WAIT = 60.0
"""Upper bound on any wait (generous: the CPUs may be busy); no test asserts on time."""


class Served:
    """A running server, its test client, and helpers to reach it as a browser would."""

    def __init__(self, server: TutorServer, client: TestClient) -> None:
        self.server = server
        self.client = client
        self.origin = f"http://127.0.0.1:{server.port}"

    @property
    def cookie(self) -> dict[str, str]:
        """The cookie a browser holds after opening the printed link."""
        return {"Cookie": f"{self.server.cookie_name}={TOKEN}"}

    async def websocket(self, query: str = "", **headers: str) -> ClientWebSocketResponse:
        """A websocket from our own page (cookie and Origin), unless `headers` say otherwise."""
        sent = {**self.cookie, "Origin": self.origin, **headers}
        return await self.client.ws_connect("/ws" + query, headers={k: v for k, v in sent.items() if v})

    async def wait_sessions(self, predicate: Callable[[int], bool]) -> None:
        """Wait (bounded) until the number of live sessions satisfies `predicate`."""
        async with self.server.sessions_changed:
            await asyncio.wait_for(
                self.server.sessions_changed.wait_for(lambda: predicate(len(self.server.sessions))), WAIT
            )


async def next_text(ws: ClientWebSocketResponse) -> str:
    """The next data packet the app sent, as text (bounded wait)."""
    while True:
        message = await asyncio.wait_for(ws.receive(), WAIT)
        if message.type == WSMsgType.BINARY:
            return message.data.decode()
        assert message.type == WSMsgType.TEXT, f"socket ended: {message}"


ServeFactory = Callable[..., Awaitable[Served]]


@pytest.fixture
async def serve() -> AsyncIterator[ServeFactory]:
    """Start servers in front of the fake app: `await serve(max_sessions=2, mode="polite")`."""
    started: list[TestClient] = []

    async def start(*, max_sessions: int = 2, mode: str = "polite", **options: Any) -> Served:
        sock = bind("127.0.0.1", 0)
        argv = [sys.executable, str(FAKE_APP)] + ([] if mode == "polite" else [mode])
        server = TutorServer(argv, sock=sock, token=TOKEN, title="test", max_sessions=max_sessions, **options)
        client = TestClient(TestServer(await server.make_app(), socket_factory=lambda *_: sock))
        await client.start_server()
        started.append(client)
        return Served(server, client)

    yield start
    for client in started:
        await client.close()
