"""The public archive: published pads, newest first, each page, and an Atom feed.

The pages are rendered by `exports.site`, the same renderer `skrid publish` uses for the static
site, from documents read from the store (a published pad is frozen, so the store holds exactly
what a live room would) and passed through the purge's last gate.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from exports.archive.site import (
    SERVER_LINKS,
    ArchiveEntry,
    archive_icon,
    archive_stylesheet,
    render_feed,
    render_index,
    render_pad_page,
)

from .errors import NotFound
from .export_gate import pad_document
from .hooks import Hooks
from .lifecycle import State
from .room import load_doc
from .store import PadRecord, Store

PUBLIC_CACHE = {"Cache-Control": "public, max-age=60"}


def edits_per_minute(activity: dict[int, int]) -> list[int]:
    """Counts for every minute from the first edit to the last, zeros included."""
    if not activity:
        return []
    first, last = min(activity), max(activity)
    return [activity.get(minute, 0) for minute in range(first, last + 1)]


async def archive_entry(store: Store, pad: PadRecord, hooks: Hooks, timezone: str) -> ArchiveEntry:
    doc = await load_doc(pad.id, await store.load_document(pad.id))
    return ArchiveEntry(
        document=pad_document(pad, doc, hooks, timezone),
        published_at=pad.published_at or pad.purged_at or pad.created_at,
        edits_per_minute=edits_per_minute(await store.activity(pad.id)),
        contributors=pad.contributors,
    )


async def published_entries(store: Store, hooks: Hooks, timezone: str) -> list[ArchiveEntry]:
    pads = await store.pads_in_states([State.PUBLISHED.value])
    return [await archive_entry(store, pad, hooks, timezone) for pad in pads]


def _language(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "fr"


def _hooks(request: Request) -> Hooks:
    return request.app.state.hooks


def _zone(request: Request) -> str:
    zone: str = request.app.state.settings.timezone
    return zone


async def index(request: Request) -> Response:
    entries = await published_entries(request.app.state.store, _hooks(request), _zone(request))
    body = await asyncio.to_thread(render_index, entries, SERVER_LINKS, _language(request))
    return HTMLResponse(body, headers=PUBLIC_CACHE)


async def feed(request: Request) -> Response:
    entries = await published_entries(request.app.state.store, _hooks(request), _zone(request))
    site = str(request.base_url).rstrip("/")
    body = await asyncio.to_thread(render_feed, entries, site, SERVER_LINKS, _language(request))
    return Response(body, media_type="application/atom+xml", headers=PUBLIC_CACHE)


async def pad_page(request: Request) -> Response:
    pad = await request.app.state.store.get_pad(request.path_params["pad_id"])
    if pad is None or pad.state != State.PUBLISHED:
        raise NotFound("no published pad has this id")
    entry = await archive_entry(request.app.state.store, pad, _hooks(request), _zone(request))
    body = await asyncio.to_thread(render_pad_page, entry, SERVER_LINKS, _language(request))
    return HTMLResponse(body, headers=PUBLIC_CACHE)


async def stylesheet(request: Request) -> Response:
    return Response(archive_stylesheet(), media_type="text/css", headers=PUBLIC_CACHE)


async def icon(request: Request) -> Response:
    return Response(archive_icon(), media_type="image/svg+xml", headers=PUBLIC_CACHE)


routes = [
    Route("/archive", index),
    Route("/archive/feed.atom", feed),
    Route("/archive/{pad_id}", pad_page),
    Route(SERVER_LINKS.stylesheet, stylesheet),
    Route(SERVER_LINKS.icon, icon),
]
