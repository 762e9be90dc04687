"""The JSON HTTP API. Errors are SkridErrors, translated once by `error_response`."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import re
import unicodedata
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from anonymizer import harvest_contacts
from exports import EXPORT_FORMATS

from .access import Keys, Role, keys_from_host, new_keys, new_pad_id, require_host
from .documents import pad_document
from .errors import (
    BadRequest,
    Conflict,
    FrameTooLarge,
    InvalidFields,
    InvalidText,
    NotFound,
    SkridError,
    TimeOutOfRange,
    UnsupportedMediaType,
)
from .lifecycle import (
    BEFORE_PURGE,
    HOST_ACTIONS,
    Action,
    State,
    initial_state,
    is_public,
    may_write,
    purge_due_at,
    schedule,
)
from .settings import Settings
from .store import PadRecord

MAX_JSON_BYTES = 64 * 1024
DEFAULT_PURGE_AFTER_MINUTES = 120
MAX_PURGE_AFTER_MINUTES = 60 * 24 * 30
NO_STORE = {"Cache-Control": "no-store"}
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)
"""Times a pad may be given. Far wider than any webinar, and narrow enough that every time the
server derives from one (the purge, `ends_at` plus up to 30 days) is still a `datetime`: at
the edges of years 1 and 9999, an offset or an addition overflows (it was a bare 500)."""
REFUSED_IN_TEXT = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional embeddings, overrides and isolates: they make a title display in another
order than it is typed (the "Trojan Source" trick), in pages, feeds and file names alike."""
FIELD_NAME = re.compile(r"[A-Za-z0-9_]{1,40}")

log = logging.getLogger("skrid.api")


def error_response(error: SkridError) -> JSONResponse:
    headers = {}
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(max(1, round(retry_after)))
    body = {"error": {"code": error.code, "message": error.message}}
    return JSONResponse(body, status_code=error.status, headers=headers)


async def skrid_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, SkridError)
    return error_response(error)


async def http_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    body = {"error": {"code": f"http_{error.status_code}", "message": str(error.detail)}}
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


def request_key(request: Request) -> str | None:
    """A key from `Authorization: Bearer KEY`, else from the `k` query parameter."""
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.query_params.get("k")


def require_json(request: Request) -> None:
    """A JSON body must say so. A form, a text body or none is what any other site's page can
    send to this server without the browser asking first (no CORS preflight), so taking them
    would let that page create pads in its visitors' names."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType("the request body must be JSON, sent as application/json")


async def read_json(request: Request) -> dict[str, Any]:
    require_json(request)
    try:
        body = await request.body()
    except ClientDisconnect:
        raise BadRequest("the request body did not arrive whole") from None
    if len(body) > MAX_JSON_BYTES:
        raise FrameTooLarge(f"the request body is limited to {MAX_JSON_BYTES} bytes")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("the request body is not valid JSON") from None
    except RecursionError:
        raise BadRequest("the request body nests too deep") from None
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object")
    return data


def parse_time(data: dict[str, Any], name: str, zone: tzinfo) -> datetime | None:
    """An ISO-8601 time; one without an offset is read in the server's time zone."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidFields(f"{name} must be an ISO-8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidFields(f"{name} is not an ISO-8601 date and time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    out_of_range = TimeOutOfRange(
        f"{name} must lie between {EARLIEST.year} and {LATEST.year - 1} (UTC)"
    )
    try:
        utc = parsed.astimezone(UTC)
    except OverflowError:
        raise out_of_range from None
    if not EARLIEST <= utc < LATEST:
        raise out_of_range
    return utc


def check_text(name: str, value: str) -> None:
    """Refuse, rather than strip, what a text field cannot hold as typed: stripping would store
    a title other than the one the host typed, and say nothing; a refusal names the problem and
    the host fixes it. Lone surrogates are not text (no UTF-8 for them: storing or answering one
    was a 500); control characters (NUL, line breaks) and bidirectional controls change what
    a one-line title shows."""
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            raise InvalidText(f"{name} is not valid Unicode text (a lone surrogate)")
        if category == "Cc":
            raise InvalidText(f"{name} may not hold control characters (U+{ord(char):04X})")
        if char in REFUSED_IN_TEXT:
            raise InvalidText(
                f"{name} may not hold bidirectional control characters (U+{ord(char):04X})"
            )


def field_names(names: set[str]) -> str:
    """The names of unknown fields, for a message: any other shape is counted, not echoed (it
    may not even be encodable)."""
    shown = sorted(name for name in names if FIELD_NAME.fullmatch(name))
    others = len(names) - len(shown)
    return ", ".join([*shown, *([f"{others} more"] if others else [])])


def pad_fields(data: dict[str, Any], settings: Settings) -> dict[str, Any]:
    unknown = set(data) - {"title", "starts_at", "ends_at", "purge_after_minutes"}
    if unknown:
        raise InvalidFields(f"unknown fields: {field_names(unknown)}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise InvalidFields("title is required and must be a non-empty string")
    if len(title) > settings.max_title_chars:
        raise InvalidFields(f"title is limited to {settings.max_title_chars} characters")
    check_text("title", title.strip())
    zone = ZoneInfo(settings.timezone)
    starts_at = parse_time(data, "starts_at", zone)
    ends_at = parse_time(data, "ends_at", zone)
    if starts_at and ends_at and ends_at <= starts_at:
        raise InvalidFields("ends_at must be after starts_at")
    purge_after = data.get("purge_after_minutes", DEFAULT_PURGE_AFTER_MINUTES)
    if (
        not isinstance(purge_after, int)
        or isinstance(purge_after, bool)
        or not 0 <= purge_after <= MAX_PURGE_AFTER_MINUTES
    ):
        raise InvalidFields(
            f"purge_after_minutes must be a whole number from 0 to {MAX_PURGE_AFTER_MINUTES}"
        )
    return {
        "title": title.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "purge_after_minutes": purge_after,
    }


def base_url(request: Request, settings: Settings) -> str:
    return (settings.public_url or str(request.base_url)).rstrip("/")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def create_pad(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    request.app.state.limits.pads.take(client_address(request))
    try:
        fields = pad_fields(await read_json(request), settings)
    except SkridError as error:
        log.info("new pad refused: %s", error.code)
        raise
    now = datetime.now(UTC)
    keys = new_keys()
    pad = PadRecord(
        id=new_pad_id(),
        created_at=now,
        state=initial_state(fields["starts_at"], now).value,
        keys=keys.hashes(),
        **fields,
    )
    await request.app.state.store.create_pad(pad)
    body = {
        "id": pad.id,
        "host_key": keys.host,
        "edit_key": keys.edit,
        "view_key": keys.view,
        "links": links(base_url(request, settings), pad.id, keys),
    }
    return JSONResponse(body, status_code=201, headers=NO_STORE)


def links(base: str, pad_id: str, keys: Keys) -> dict[str, str]:
    return {
        "host": f"{base}/host/{pad_id}?k={keys.host}",
        "edit": f"{base}/p/{pad_id}?k={keys.edit}",
        "view": f"{base}/p/{pad_id}?k={keys.view}",
    }


async def authorized_pad(request: Request) -> tuple[PadRecord, Role]:
    pad = await request.app.state.store.get_pad(request.path_params["pad_id"])
    if pad is None:
        raise NotFound("no pad has this id")
    limits = request.app.state.limits
    return pad, limits.check_key(client_address(request), request_key(request), pad.keys)


async def host_pad(request: Request) -> PadRecord:
    pad, role = await authorized_pad(request)
    require_host(role)
    return pad


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def pad_metadata(pad: PadRecord, role: Role, settings: Settings) -> dict[str, Any]:
    upcoming = schedule(pad)
    return {
        "id": pad.id,
        "title": pad.title,
        "created_at": iso(pad.created_at),
        "starts_at": iso(pad.starts_at),
        "ends_at": iso(pad.ends_at),
        "purge_after_minutes": pad.purge_after_minutes,
        "purge_at": iso(purge_due_at(pad)),
        "state": pad.state,
        "closed_at": iso(pad.closed_at),
        "purged_at": iso(pad.purged_at),
        "published_at": iso(pad.published_at),
        "purge_counts": pad.purge_counts,
        "contributors": pad.contributors,
        "next": {"action": upcoming[0][0].value, "at": iso(upcoming[0][1])} if upcoming else None,
        "role": role.value,
        "writable": may_write(role, pad.state),
        "timezone": settings.timezone,
    }


def answer_metadata(request: Request, pad: PadRecord, role: Role) -> JSONResponse:
    """The pad's metadata; a host also gets the three links again (its key derives the
    others), after a lifecycle action as after a GET, so the console never loses them."""
    settings = request.app.state.settings
    body = pad_metadata(pad, role, settings)
    if role is Role.HOST:
        keys = keys_from_host(request_key(request) or "")
        body["links"] = links(base_url(request, settings), pad.id, keys)
    return JSONResponse(body, headers=NO_STORE)


async def get_pad(request: Request) -> Response:
    pad, role = await authorized_pad(request)
    return answer_metadata(request, pad, role)


async def pad_resource(request: Request) -> Response:
    """One route for GET and DELETE, so that a 405 on this path names both."""
    if request.method == "DELETE":
        return await delete_pad(request)
    return await get_pad(request)


async def act(request: Request) -> Response:
    """POST /api/pads/{id}/{action}: a host's lifecycle action."""
    action = Action(request.url.path.rsplit("/", 1)[-1])
    pad = await host_pad(request)
    after = await request.app.state.transitions.apply(pad.id, action, "host")
    response = answer_metadata(request, after, Role.HOST)
    if after.state == State.PURGING:
        response.status_code = 202
    return response


async def delete_pad(request: Request) -> Response:
    pad = await host_pad(request)
    await request.app.state.transitions.apply(pad.id, Action.DELETE, "host")
    return Response(status_code=204)


async def contacts(request: Request) -> Response:
    """The consented contact list as CSV: every address left in the pad, until the purge."""
    pad = await host_pad(request)
    if pad.state not in BEFORE_PURGE:
        raise Conflict("the contact list was erased with the purge")
    async with request.app.state.registry.hold(pad.id) as room:
        addresses = harvest_contacts(room.doc)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["email"])
    writer.writerows([address] for address in addresses)
    filename = f"contacts-{pad.id}.csv"
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


async def readable_pad(request: Request) -> PadRecord:
    """A pad anyone may read once published; before that, with any of its keys."""
    pad = await request.app.state.store.get_pad(request.path_params["pad_id"])
    if pad is None:
        raise NotFound("no pad has this id")
    if not is_public(pad.state):
        limits = request.app.state.limits
        limits.check_key(client_address(request), request_key(request), pad.keys)
    return pad


async def export(request: Request) -> Response:
    """GET /api/pads/{id}/export.{md,html,txt,json,yjs,zip}; rendered off the event loop."""
    export_format = EXPORT_FORMATS.get(request.path_params["extension"])
    if export_format is None:
        known = ", ".join(sorted(EXPORT_FORMATS))
        raise NotFound(f"no such export format; known formats: {known}")
    pad = await readable_pad(request)
    async with request.app.state.registry.hold(pad.id) as room:
        document = pad_document(pad, room.doc, request.app.state.transitions.markers)
    body = await asyncio.to_thread(export_format.render_bytes, document)
    filename = f"skrid-{pad.id}.{export_format.extension}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if not is_public(pad.state):
        headers.update(NO_STORE)
    return Response(body, media_type=export_format.media_type, headers=headers)


async def healthz(request: Request) -> Response:
    if not request.app.state.store.healthy:
        return JSONResponse({"status": "database_gone"}, status_code=503)
    return JSONResponse({"status": "ok"})


ACTIONS = sorted(action.value for action in HOST_ACTIONS - {Action.DELETE})

routes = [
    Route("/healthz", healthz),
    Route("/api/pads", create_pad, methods=["POST"]),
    Route("/api/pads/{pad_id}", pad_resource, methods=["GET", "DELETE"]),
    Route("/api/pads/{pad_id}/contacts", contacts, methods=["GET"]),
    Route("/api/pads/{pad_id}/export.{extension}", export, methods=["GET"]),
    *(Route(f"/api/pads/{{pad_id}}/{action}", act, methods=["POST"]) for action in ACTIONS),
]
