"""The token, the cookie, the Origin and the Host: who may open the page and drive the tutor."""

from __future__ import annotations

import logging
import re

import aiohttp
import pytest

from tests.serve.conftest import TOKEN, ServeFactory, next_text


async def test_no_token_no_page(serve: ServeFactory, caplog: pytest.LogCaptureFixture) -> None:
    served = await serve()
    for path in ("/", "/static/js/textual.js", "/download/anything"):
        response = await served.client.get(path)
        assert response.status == 403, path
        assert "link `tutor serve` printed" in await response.text()
    assert "refused GET / from 127.0.0.1: no token" in caplog.text


async def test_no_token_no_websocket(serve: ServeFactory, caplog: pytest.LogCaptureFixture) -> None:
    served = await serve()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await served.websocket(Cookie="")  # our Origin, but no cookie
    assert refused.value.status == 403
    assert "refused GET /ws from 127.0.0.1: no token" in caplog.text
    assert not served.server.sessions


@pytest.mark.parametrize("where", ["query", "cookie"])
async def test_wrong_token_refused(serve: ServeFactory, where: str, caplog: pytest.LogCaptureFixture) -> None:
    served = await serve()
    wrong = TOKEN[:-1] + ("x" if TOKEN[-1] != "x" else "y")  # one character off
    if where == "query":
        response = await served.client.get(f"/?token={wrong}", allow_redirects=False)
    else:
        response = await served.client.get("/", headers={"Cookie": f"{served.server.cookie_name}={wrong}"})
    assert response.status == 403
    assert "no valid token" in caplog.text
    assert wrong not in caplog.text and TOKEN not in caplog.text  # the log never holds a secret


async def test_non_ascii_token_refused(serve: ServeFactory) -> None:
    served = await serve()
    response = await served.client.get("/?token=%C3%A9t%C3%A9", allow_redirects=False)
    assert response.status == 403


async def test_good_token_becomes_a_cookie(serve: ServeFactory) -> None:
    served = await serve()
    response = await served.client.get(f"/?token={TOKEN}&fontsize=18", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/?fontsize=18"  # the token leaves the address bar
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{served.server.cookie_name}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Max-Age" not in cookie and "expires" not in cookie.lower()  # gone when the browser closes

    page = await served.client.get("/?fontsize=18", headers=served.cookie)
    assert page.status == 200
    html = await page.text()
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.server.port}/ws"' in html
    assert (await served.client.get("/static/js/textual.js", headers=served.cookie)).status == 200


async def test_page_loads_nothing_from_elsewhere(serve: ServeFactory) -> None:
    served = await serve()
    page = await served.client.get("/", headers=served.cookie)
    html = await page.text()
    addresses = re.findall(r'(?:src|href)="([^"]*)"|url\("([^"]*)"\)', html)
    assert addresses
    for address in (a or b for a, b in addresses):
        assert address.startswith(("/static/", "data:", "/")) and not address.startswith("//"), address
    assert "googleapis" not in html
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


async def test_title_is_escaped(serve: ServeFactory) -> None:
    served = await serve()
    served.server.title = "</title><script>alert(1)</script>"  # a lesson title is untrusted text
    html = await (await served.client.get("/", headers=served.cookie)).text()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",  # any web page the student visits
        "http://127.0.0.1:1",  # another user's server on this machine
        "null",  # a sandboxed frame or a file:// page
        None,  # no Origin at all: not a browser on our page
    ],
)
async def test_foreign_origin_refused(serve: ServeFactory, origin: str | None, caplog: pytest.LogCaptureFixture) -> None:
    served = await serve()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await served.websocket(Origin=origin or "")
    assert refused.value.status == 403
    assert "refused GET /ws" in caplog.text
    assert not served.server.sessions


async def test_own_origin_accepted(serve: ServeFactory) -> None:
    served = await serve()
    ws = await served.websocket()
    assert (await next_text(ws)).startswith("size ")
    await ws.close()


async def test_token_in_websocket_query_accepted(serve: ServeFactory) -> None:
    served = await serve()
    ws = await served.websocket(f"?token={TOKEN}", Cookie="")  # for clients without cookies
    assert (await next_text(ws)).startswith("size ")
    await ws.close()


async def test_foreign_host_refused(serve: ServeFactory, caplog: pytest.LogCaptureFixture) -> None:
    # DNS rebinding: evil.example resolves to 127.0.0.1, so its page is "same origin" with itself.
    served = await serve()
    host = f"evil.example:{served.server.port}"
    response = await served.client.get("/", headers={**served.cookie, "Host": host})
    assert response.status == 403
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await served.websocket(Host=host, Origin=f"http://{host}")
    assert "is not this machine" in caplog.text


async def test_refusals_are_logged_at_warning(serve: ServeFactory, caplog: pytest.LogCaptureFixture) -> None:
    served = await serve()
    with caplog.at_level(logging.WARNING, logger="backprop_tutor.serve"):
        await served.client.get("/")
    assert [r.levelname for r in caplog.records if "refused" in r.getMessage()] == ["WARNING"]
