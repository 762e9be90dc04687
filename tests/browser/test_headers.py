"""Security headers on every response (server/headers.py) and pages without inline code."""

from __future__ import annotations

import re
from typing import Any

import httpx

from server.headers import SecurityHeadersMiddleware, content_security_policy
from tests.live import LiveServer


def test_every_response_carries_the_security_headers(module_server: LiveServer) -> None:
    pad = module_server.create_pad()
    for path in [
        "/",
        f"/p/{pad['id']}",
        f"/host/{pad['id']}",
        f"/api/pads/{pad['id']}",
        "/static/favicon.svg",
        "/nope",
    ]:
        headers = httpx.get(module_server.url + path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self';" in policy
        assert "'unsafe-inline'" not in policy.split("style-src-attr")[0]
        assert "frame-ancestors 'none'" in policy
        assert "connect-src 'self' ws: wss:" in policy
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"


def test_each_response_gets_its_own_style_nonce(module_server: LiveServer) -> None:
    first, second = (httpx.get(module_server.url + "/") for _ in range(2))
    nonces = [
        re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"]) for r in (first, second)
    ]
    assert nonces[0] and nonces[1] and nonces[0][1] != nonces[1][1]
    assert f'nonce="{nonces[0][1]}"' in first.text
    assert content_security_policy("n").count("'nonce-n'") == 1


def test_pages_have_no_inline_script_or_style(module_server: LiveServer) -> None:
    for path in ["/", "/p/some-pad", "/host/some-pad"]:
        html = httpx.get(module_server.url + path).text
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts and all(" src=" in tag for tag in scripts)
        assert re.search(r"<script\b[^>]*>\s*[^<\s]", html) is None
        assert "<style" not in html and " style=" not in html
        assert re.search(r"\son\w+=", html) is None


async def test_the_middleware_replaces_headers_the_app_set_and_leaves_sockets_alone() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4404})
            return
        headers = [(b"content-security-policy", b"default-src *"), (b"x-app", b"1")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    middleware = SecurityHeadersMiddleware(app)
    await middleware({"type": "http", "method": "GET", "path": "/", "headers": []}, receive, send)
    headers = sent[0]["headers"]
    policies = [value for name, value in headers if name == b"content-security-policy"]
    assert len(policies) == 1 and policies[0].startswith(b"default-src 'self'")
    assert (b"x-app", b"1") in headers
    assert (b"referrer-policy", b"no-referrer") in headers
    sent.clear()
    await middleware({"type": "websocket", "path": "/ws"}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 4404}]
