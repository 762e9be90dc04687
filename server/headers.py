"""Security headers on every HTTP response, as a pure-ASGI middleware.

Keys travel in URLs (`?k=`), so no page may leak its address: `Referrer-Policy: no-referrer`.
The Content-Security-Policy allows scripts from this origin only, never inline. Styles come from
this origin too, with two openings that CodeMirror needs:
- a fresh nonce per response for `<style>` elements, because CodeMirror injects its themes as
  style elements and passes this nonce on (`EditorView.cspNonce`); pages read it from
  `scope["state"]["csp_nonce"]` (`request.state.csp_nonce`) and put it on their stylesheet link;
- `style-src-attr 'unsafe-inline'`, because y-codemirror.next paints each remote cursor with a
  `style` attribute holding that person's colour. A style attribute cannot run script, and with
  `img-src`/`font-src`/`connect-src` limited to this origin it cannot fetch from elsewhere.
Pad content is rendered without raw HTML on top of this (DESIGN.md #6).
"""

from __future__ import annotations

import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NONCE_BYTES = 18


def content_security_policy(nonce: str) -> str:
    """The policy for one response, whose `<style>` elements must carry `nonce`."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self' ws: wss:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


FIXED_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
)
REPLACED = {b"content-security-policy", *(name for name, _ in FIXED_HEADERS)}


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response, replacing any the app set itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        nonce = secrets.token_urlsafe(NONCE_BYTES)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        policy = (b"content-security-policy", content_security_policy(nonce).encode())

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() not in REPLACED]
                message = {**message, "headers": [*kept, policy, *FIXED_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
