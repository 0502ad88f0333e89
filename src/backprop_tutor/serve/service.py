"""The browser side of `tutor serve`: textual-serve's `Server` and `AppService`, bounded and guarded."""

from __future__ import annotations

import asyncio
import hmac
import logging
import shlex
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from .access import TOKEN_ENV, is_loopback

log = logging.getLogger("backprop_tutor.serve")

MAX_COLUMNS, MAX_ROWS = 300, 100
"""The largest terminal a browser may ask for (a 3000x3000 one cost 340 MB)."""
MIN_COLUMNS, MIN_ROWS = 20, 5
"""The smallest: Textual has nothing sensible to draw below this."""
QUIT_GRACE = 5.0
"""Seconds an app has to quit (and save progress) after its socket closed, before SIGTERM, then SIGKILL."""
PAGE_DIR = Path(__file__).parent.parent / "web"
"""Our page template: textual-serve's own loads a font from the internet."""


def clamp_size(width: Any, height: Any) -> tuple[int, int]:
    """A terminal size a client asked for, within MIN_* and MAX_* (garbage becomes 80x24)."""
    columns = to_int(str(width), 80)
    rows = to_int(str(height), 24)
    return min(max(columns, MIN_COLUMNS), MAX_COLUMNS), min(max(rows, MIN_ROWS), MAX_ROWS)


class BoundedAppService(AppService):
    """One app process: a bounded terminal, no token in its environment, ended with its socket."""

    def __init__(self, argv: Sequence[str], *, quit_grace: float = QUIT_GRACE, **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = list(argv)
        self.quit_grace = quit_grace
        self._stderr_task: asyncio.Task[None] | None = None
        self._stopping = False

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(*clamp_size(width, height))
        environment.pop(TOKEN_ENV, None)  # the app has no use for it
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        # No shell between us and the app (so a signal reaches it), and a session of its own (so
        # Ctrl+C in the server's terminal reaches only the server, which then closes the app cleanly).
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
            start_new_session=True,
        )
        assert process.stdin is not None and process.stderr is not None
        self._stdin = process.stdin
        # textual-serve copies an app's stderr to our stdout, tracebacks and all: read it here
        # instead, and log its last line.
        self._stderr_task = asyncio.create_task(self._read_stderr(process.stderr))
        process.stderr = asyncio.StreamReader()
        process.stderr.feed_eof()
        return process

    async def _read_stderr(self, stream: asyncio.StreamReader) -> None:
        tail = b""
        while chunk := await stream.read(4096):
            tail = (tail + chunk)[-4096:]
        lines = [line for line in tail.decode("utf-8", "replace").splitlines() if line.strip()]
        if lines:  # the tutor writes nothing there unless something went wrong
            log.warning("the app said on stderr: %s", lines[-1].strip())

    async def run(self) -> None:
        """Relay the app's output until it ends; then close the socket, so the tab shows it ended."""
        await super().run()
        if not self._stopping:  # the app ended by itself (crashed, or quit without saying so)
            await self.remote_close()

    async def start(self, width: int, height: int) -> None:
        """Start the app process at a size within bounds."""
        await super().start(*clamp_size(width, height))

    async def set_terminal_size(self, width: int, height: int) -> None:
        """Resize, within bounds."""
        await super().set_terminal_size(*clamp_size(width, height))

    @property
    def process(self) -> asyncio.subprocess.Process | None:
        """The app process, once started."""
        return self._process

    async def stop(self) -> None:
        """Ask the app to quit; if it has not ended within `quit_grace` seconds, terminate, then kill it."""
        self._stopping = True
        try:
            await asyncio.wait_for(super().stop(), self.quit_grace)
        except (asyncio.TimeoutError, OSError):
            pass
        process = self._process
        if process is None:
            return
        for end in (None, process.terminate, process.kill):
            if end is not None and process.returncode is None:
                try:
                    end()
                except ProcessLookupError:
                    pass
            try:
                await asyncio.wait_for(process.wait(), self.quit_grace)
                break
            except asyncio.TimeoutError:
                continue
        if self._stderr_task is not None:
            try:
                await asyncio.wait_for(self._stderr_task, self.quit_grace)
            except asyncio.TimeoutError:  # a grandchild holds the pipe: stop listening
                pass


class TutorServer(Server):
    """textual-serve's Server behind a token, an Origin check and bounds on what a client may start."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        sock: socket.socket,
        token: str,
        title: str,
        max_sessions: int = 2,
        quit_grace: float = QUIT_GRACE,
        out: TextIO | None = None,
    ) -> None:
        """Args:
        argv: the app's command line (run without a shell).
        sock: the bound socket the server will listen on (see `bind`).
        token: the secret a client must show.
        title: the page's title.
        max_sessions: how many app processes may live at once.
        quit_grace: seconds an app has to quit after its socket closed, then to die of SIGTERM.
        out: where the link is printed when the server starts (default: stdout).
        """
        host, port = sock.getsockname()[:2]
        super().__init__(shlex.join(argv), host=host, port=port, title=title, templates_path=PAGE_DIR)
        self.argv = list(argv)
        self.sock = sock
        self.token = token
        self.max_sessions = max_sessions
        self.quit_grace = quit_grace
        self.loopback = is_loopback(host)
        self.cookie_name = f"tutor-token-{port}"  # cookies ignore ports: one name per server
        self.out = out
        self.sessions: dict[BoundedAppService, web.WebSocketResponse] = {}
        """The live app processes and their sockets."""
        self.sessions_changed = asyncio.Condition()
        """Notified whenever a session opens or ends (tests wait on it)."""
        self._ending: set[asyncio.Future[None]] = set()

    # -- the link ---------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The link to open, token included."""
        host = self.host
        if host in ("0.0.0.0", "::"):
            host = socket.gethostname()
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/?token={quote(self.token)}"

    async def on_startup(self, app: web.Application) -> None:
        """Print the link (to the terminal only: never to a file)."""
        print(f"Serving {self.title!r} at {self.url}", file=self.out or sys.stdout, flush=True)
        print(
            f"Open that link in your browser (at most {self.max_sessions} session(s) at once); Ctrl+C stops.",
            file=self.out or sys.stdout,
            flush=True,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every socket, so each app is told to quit and saves its progress; wait for them to end."""
        await asyncio.gather(*(ws.close(message=b"server stopped") for ws in list(self.sessions.values())))
        try:
            async with self.sessions_changed:
                await asyncio.wait_for(self.sessions_changed.wait_for(lambda: not self.sessions), 4 * self.quit_grace)
        except asyncio.TimeoutError:
            log.warning("stopped with %d app(s) still ending", len(self.sessions))

    # -- the guard --------------------------------------------------------------------------------

    async def make_app(self) -> web.Application:
        """The aiohttp application: textual-serve's routes behind the guard."""
        return await self._make_app()

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.insert(0, self._guard)  # outermost: before any route or template runs
        app.on_response_prepare.append(self._page_headers)
        return app

    def _has_token(self, request: web.Request) -> bool:
        expected = self.token.encode()
        given = [request.query.get("token"), request.cookies.get(self.cookie_name)]
        return any(value is not None and hmac.compare_digest(value.encode(), expected) for value in given)

    def _refusal(self, request: web.Request) -> str | None:
        """Why a request is refused, or None."""
        host = request.url.host or ""
        if self.loopback and not is_loopback(host):
            return f"Host {host!r} is not this machine"
        if not self._has_token(request):
            return "no valid token" if request.query.get("token") or request.cookies.get(self.cookie_name) else "no token"
        origin = request.headers.get("Origin")
        if origin is None:
            if request.path == "/ws":
                return "websocket without an Origin"
        elif origin != f"http://{request.host}":
            return f"foreign Origin {origin!r}"
        return None

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        reason = self._refusal(request)
        if reason is not None:
            log.warning("refused %s %s from %s: %s", request.method, request.path, request.remote, reason)
            raise web.HTTPForbidden(
                text="403: this tutor belongs to the student who started it; open the link `tutor serve` printed.\n"
            )
        if "token" in request.query and request.method == "GET" and request.path != "/ws":
            # Trade the token for a cookie, and take it out of the address bar and history.
            clean = request.rel_url.with_query([(k, v) for k, v in request.query.items() if k != "token"])
            redirect = web.HTTPSeeOther(location=str(clean))
            redirect.set_cookie(self.cookie_name, self.token, httponly=True, samesite="Strict", path="/")
            raise redirect
        return await handler(request)

    async def _page_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        """Every response: no cache, no referrer, no framing, and nothing loaded from elsewhere."""
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"connect-src 'self' ws://{request.host}; "
            "style-src 'self' 'unsafe-inline'; "  # xterm.js styles its own elements
            "img-src 'self' data:; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        )

    # -- the page and the sessions ------------------------------------------------------------------

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page: our template, with the websocket on the host and port the browser used."""
        return {
            "title": self.title,
            "font_size": min(max(to_int(request.query.get("fontsize", "16"), 16), 8), 48),
            "websocket_url": f"ws://{request.host}/ws",
            "static_url": "/static/",
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab: one app process, while there is room for one."""
        if len(self.sessions) >= self.max_sessions:
            log.warning("refused a session from %s: %d already open", request.remote, len(self.sessions))
            raise web.HTTPServiceUnavailable(
                text=f"503: {len(self.sessions)} session(s) already open; close a tab and reload.\n"
            )
        websocket = web.WebSocketResponse(heartbeat=15)
        service = BoundedAppService(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
            quit_grace=self.quit_grace,
        )
        self.sessions[service] = websocket  # taken before any await, so the cap holds
        await self._sessions_changed()
        try:
            await websocket.prepare(request)
            await service.start(*clamp_size(request.query.get("width", 80), request.query.get("height", 24)))
            log.info("session opened from %s (%d of %d)", request.remote, len(self.sessions), self.max_sessions)
            await self._process_messages(websocket, service)
        except (ValueError, TypeError, KeyError, AttributeError, AssertionError) as exc:
            log.warning("session from %s ended on a bad message: %s", request.remote, exc)
        except OSError as exc:
            log.warning("session from %s ended: %s", request.remote, exc)
        finally:
            # Shielded: a handler cancelled because the client vanished must still end its app.
            ending = asyncio.ensure_future(self._end_session(service, websocket))
            self._ending.add(ending)
            ending.add_done_callback(self._ending.discard)
            await asyncio.shield(ending)
        return websocket

    async def _end_session(self, service: BoundedAppService, websocket: web.WebSocketResponse) -> None:
        try:
            await service.stop()  # first: the slot is free once the app has ended
        finally:
            self.sessions.pop(service, None)
            await self._sessions_changed()
            log.info("session ended (%d open)", len(self.sessions))
            await websocket.close()

    async def _sessions_changed(self) -> None:
        async with self.sessions_changed:
            self.sessions_changed.notify_all()

    # -- running ------------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Serve on `self.sock` until `stop` is set; then close every session."""
        runner = web.AppRunner(
            await self.make_app(), handle_signals=False, access_log=None, shutdown_timeout=4 * self.quit_grace
        )
        await runner.setup()
        try:
            await web.SockSite(runner, self.sock).start()
            await stop.wait()
        finally:
            await runner.cleanup()

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM."""
        self.debug = debug

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await self.run(stop)

        asyncio.run(main())


