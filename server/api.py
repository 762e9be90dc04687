"""The JSON HTTP API. Errors are SkridErrors, translated once by `error_response`."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
from typing import Any, cast
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from anonymizer import consented_contacts
from exports import EXPORT_FORMATS
from exports.naming import export_stem

from . import review
from .access import Keys, Role, keys_from_host, new_keys, new_pad_id, require_host
from .error_pages import error_page, wants_page
from .errors import (
    BadRequest,
    Conflict,
    FrameTooLarge,
    NotFound,
    SkridError,
    UnsupportedMediaType,
)
from .export_gate import pad_document
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
from .models import DEFAULT_PURGE_AFTER_MINUTES as DEFAULT_PURGE_AFTER_MINUTES
from .models import MAX_PURGE_AFTER_MINUTES as MAX_PURGE_AFTER_MINUTES
from .models import (
    Error,
    ErrorDetail,
    Health,
    Language,
    Links,
    NewPad,
    NextTransition,
    Pad,
    ScheduledAction,
    Unhealthy,
    new_pad,
    purge_decisions,
)
from .pad_template import webinar_notes
from .room import document_state
from .settings import Settings
from .store import PadRecord

MAX_JSON_BYTES = 64 * 1024
NO_STORE = {"Cache-Control": "no-store"}

log = logging.getLogger("skrid.api")


class ModelResponse(Response):
    """A body of server/models.py, serialised by its model: what the OpenAPI document says."""

    media_type = "application/json"

    def render(self, content: BaseModel) -> bytes:
        return content.model_dump_json().encode()


def error_response(error: SkridError) -> Response:
    headers = {}
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(max(1, round(retry_after)))
    body = Error(error=ErrorDetail(code=error.code, message=error.message))
    return ModelResponse(body, status_code=error.status, headers=headers)


async def skrid_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, SkridError)
    if wants_page(request):
        return error_page(request, error.status)
    return error_response(error)


async def http_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if wants_page(request):
        return error_page(request, error.status_code)
    detail = ErrorDetail(code=f"http_{error.status_code}", message=str(error.detail))
    return ModelResponse(Error(error=detail), status_code=error.status_code, headers=error.headers)


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


def base_url(request: Request, settings: Settings) -> str:
    return (settings.public_url or str(request.base_url)).rstrip("/")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def create_pad(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    request.app.state.limits.pads.take(client_address(request))
    try:
        fields = new_pad(await read_json(request), settings)
    except SkridError as error:
        log.info("new pad refused: %s", error.code)
        raise
    now = request.app.state.transitions.clock()
    keys = new_keys()
    pad = PadRecord(
        id=new_pad_id(),
        created_at=now,
        state=initial_state(fields.starts_at, now).value,
        keys=keys.hashes(),
        title=fields.title,
        starts_at=fields.starts_at,
        ends_at=fields.ends_at,
        purge_after_minutes=fields.purge_after_minutes,
        speakers=tuple(fields.speakers),
        language=fields.language,
    )
    store = request.app.state.store
    await store.create_pad(pad)
    if fields.template == "webinar":
        notes = webinar_notes(
            pad.title,
            pad.starts_at,
            pad.ends_at,
            pad.speakers,
            ZoneInfo(settings.timezone),
            fields.language,
        )
        await store.append_update(pad.id, document_state(notes))
    body = NewPad(
        id=pad.id,
        host_key=keys.host,
        edit_key=keys.edit,
        view_key=keys.view,
        links=links(base_url(request, settings), pad.id, keys),
    )
    return ModelResponse(body, status_code=201, headers=NO_STORE)


def links(base: str, pad_id: str, keys: Keys) -> Links:
    return Links(
        host=f"{base}/host/{pad_id}?k={keys.host}",
        edit=f"{base}/p/{pad_id}?k={keys.edit}",
        view=f"{base}/p/{pad_id}?k={keys.view}",
    )


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


def pad_metadata(pad: PadRecord, role: Role, settings: Settings) -> Pad:
    upcoming = schedule(pad)
    after = None
    if upcoming:
        action, at = upcoming[0]
        after = NextTransition(action=cast(ScheduledAction, action.value), at=at)
    return Pad(
        id=pad.id,
        title=pad.title,
        speakers=list(pad.speakers),
        language=cast(Language, pad.language),
        created_at=pad.created_at,
        starts_at=pad.starts_at,
        ends_at=pad.ends_at,
        purge_after_minutes=pad.purge_after_minutes,
        purge_at=purge_due_at(pad),
        state=State(pad.state),
        closed_at=pad.closed_at,
        purged_at=pad.purged_at,
        published_at=pad.published_at,
        purge_counts=pad.purge_counts,
        contributors=pad.contributors,
        next=after,
        role=role.value,
        writable=may_write(role, pad.state),
        timezone=settings.timezone,
    )


def answer_metadata(request: Request, pad: PadRecord, role: Role) -> Response:
    """The pad's metadata; a host also gets the three links again (its key derives the
    others), after a lifecycle action as after a GET, so the console never loses them."""
    settings = request.app.state.settings
    body = pad_metadata(pad, role, settings)
    if role is Role.HOST:
        keys = keys_from_host(request_key(request) or "")
        body.links = links(base_url(request, settings), pad.id, keys)
    return ModelResponse(body, headers=NO_STORE)


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
    """The consented contact list as CSV, until the purge: the addresses of the pad's "mel"
    list if it has one, else every address left in it (`anonymizer.contacts`)."""
    pad = await host_pad(request)
    if pad.state not in BEFORE_PURGE:
        raise Conflict("the contact list was erased with the purge")
    async with request.app.state.registry.hold(pad.id) as room:
        addresses = consented_contacts(room.doc)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["email"])
    writer.writerows([address] for address in addresses)
    filename = f"contacts-{pad.id}.csv"
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


async def purge_plan(request: Request) -> Response:
    """GET: what the purge will remove and what it will leave (`review.py`); PUT: the host's
    decisions for it. Both from the pad's creation until the purge's intent; 409 after."""
    pad = await host_pad(request)
    if request.method == "PUT":
        decisions = purge_decisions(await read_json(request), request.app.state.settings)
        if pad.state not in BEFORE_PURGE or not await request.app.state.store.set_purge_decisions(
            pad.id, decisions.model_dump()
        ):
            raise Conflict("the purge has begun: its decisions can no longer change")
        log.info("pad %s: purge decisions set", pad.id)
    elif pad.state not in BEFORE_PURGE:
        raise Conflict("the purge has begun: only its counts remain")
    app = request.app.state
    inputs = await review.inputs_for(pad, app.store, app.known_names, app.settings)
    async with app.registry.hold(pad.id) as room:
        state, peers_state = room.doc.get_update(), room.doc.get_state()
    done = await app.worker.run(
        review.outcome, state, peers_state, pad.title, inputs, app.settings.max_nesting_depth
    )
    return ModelResponse(review.review(done, inputs), headers=NO_STORE)


async def readable_pad(request: Request) -> PadRecord:
    """A pad anyone may read once published; before that, with any of its keys."""
    pad: PadRecord | None = await request.app.state.store.get_pad(request.path_params["pad_id"])
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
        state = request.app.state
        document = pad_document(pad, room.doc, state.hooks, state.settings.timezone)
    body = await asyncio.to_thread(export_format.render_bytes, document)
    filename = f"{export_stem(document)}.{export_format.extension}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if not is_public(pad.state):
        headers.update(NO_STORE)
    return Response(body, media_type=export_format.media_type, headers=headers)


async def healthz(request: Request) -> Response:
    if not request.app.state.store.healthy:
        return ModelResponse(Unhealthy(status="database_gone"), status_code=503)
    return ModelResponse(Health(status="ok"))


ACTIONS = sorted(action.value for action in HOST_ACTIONS - {Action.DELETE})

routes = [
    Route("/healthz", healthz),
    Route("/api/pads", create_pad, methods=["POST"]),
    Route("/api/pads/{pad_id}", pad_resource, methods=["GET", "DELETE"]),
    Route("/api/pads/{pad_id}/contacts", contacts, methods=["GET"]),
    Route("/api/pads/{pad_id}/purge-plan", purge_plan, methods=["GET", "PUT"]),
    Route("/api/pads/{pad_id}/export.{extension}", export, methods=["GET"]),
    *(Route(f"/api/pads/{{pad_id}}/{action}", act, methods=["POST"]) for action in ACTIONS),
]
