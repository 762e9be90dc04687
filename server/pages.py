"""The HTML pages: `/` (create a pad), `/p/{pad_id}` (the pad) and `/host/{pad_id}` (the host's
console).

Pages are static shells: the browser code (client/, built into static/build/) fills in every
string, fetches the pad's metadata with the key from `?k=` and connects. The server never looks
at the key here, so a page answers the same for every visitor and keeps keys out of templates;
the console refuses a key that is not the host's from the role the API reports, and the API
refuses that key every host action anyway.
Asset URLs carry the build's modification time so that a new build is never hidden by a cache.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

HERE = Path(__file__).parent
BUILD_DIR = HERE / "static" / "build"
templates = Jinja2Templates(directory=HERE / "templates")
PAGE_HEADERS = {"Cache-Control": "no-cache"}


def asset(name: str) -> str:
    """The URL of a built asset, versioned by its modification time."""
    try:
        version = (BUILD_DIR / name).stat().st_mtime_ns
    except FileNotFoundError:
        version = 0
    return f"/static/build/{name}?v={version}"


def render(
    request: Request,
    template: str,
    script: str | None,
    status_code: int = 200,
    **context: object,
) -> Response:
    """The page, its stylesheet link carrying the CSP nonce that CodeMirror's styles reuse; a
    page without `script` is complete as served (an error page)."""
    nonce = getattr(request.state, "csp_nonce", "")
    values = {"asset": asset, "script": script, "nonce": nonce, **context}
    return templates.TemplateResponse(
        request, template, values, status_code=status_code, headers=PAGE_HEADERS
    )


async def home(request: Request) -> Response:
    return render(request, "home.html", "home.js")


async def pad(request: Request) -> Response:
    return render(request, "pad.html", "pad.js")


async def host_console(request: Request) -> Response:
    return render(request, "console.html", "console.js")


routes = [
    Route("/", home, name="home"),
    Route("/p/{pad_id}", pad, name="pad"),
    Route("/host/{pad_id}", host_console, name="host_console"),
]
