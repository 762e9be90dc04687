"""The OpenAPI 3.1 document of every HTTP route, served at `GET /api/openapi.json`.

The prose is written here by hand, so that it reads as the contract of DESIGN.md's "Interfaces"
rather than as whatever the handlers happen to do: paths, summaries, descriptions, status codes,
parameters, security. The bodies' schemas are not: `components/schemas` is what the models of
server/models.py emit, the same models that validate requests and serialise responses.
tests/server/test_openapi.py keeps the document and the app together: every route of the app is
in the document and nothing else is, and schemathesis checks the live server's answers against it.
Limits come from where the server enforces them (the settings, the models, the export formats),
so the document describes the server that serves it.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from exports import EXPORT_FORMATS
from exports.formats import ExportFormat

from .api import MAX_JSON_BYTES
from .lifecycle import Action, past
from .models import components
from .settings import Settings

Schema = dict[str, Any]

DESCRIPTION = """\
Skrid is a collaborative pad for webinar notes. A pad lives through the states
`scheduled` → `live` → `closed` → `purged` → `published`; the purge removes every e-mail address
and phone number, attendees' names and personal lists (`Participants`, `mel`) from it for good.

**Keys.** A pad has three capability keys: `host`, `edit` and `view`. Send one as
`Authorization: Bearer KEY` or as the query parameter `k` (links carry it there). A missing or
wrong key is a 401; a key of the wrong role a 403. Host actions need the host key.

**Errors.** Every error of the API is JSON `{"error": {"code": ..., "message": ...}}` with a fitting
status: 400 unreadable body, 401 no or wrong key, 403 wrong role, 404 unknown pad or path,
405 method not allowed, 409 transition not allowed from the pad's state, 413 body too large,
415 body not sent as `application/json`, 422 invalid fields, 429 too many requests (with
`Retry-After`, in seconds). Wrong keys and pad creation are rate-limited per client address; a
correct key is never refused for the wrong keys sent from its address. Before any route, a
connection that takes too long to send its request gets a 408, one whose request line and
headers are too long a 431, one past its address's number of connections a 503, each closed.

**Times** are answered in ISO-8601 with an offset, in UTC; `timezone` tells the zone in which to
show them.

**Not described here.** Every `GET` route also answers `HEAD`. Files under `/static/` other
than the archive's style sheet are the pages' assets. The WebSocket `/ws/{pad_id}?k=KEY` speaks
the y-websocket protocol (Yjs sync and awareness in binary frames), so that the npm client
`new WebsocketProvider("ws://HOST/ws", pad_id, doc, {params: {k: key}})` connects unchanged; the
view key reads, the edit key writes until the pad closes, the host key writes until the purge.
"""

KEYED: list[Schema] = [{"bearer": []}, {"key": []}]
PAD_ID: Schema = {"$ref": "#/components/parameters/PadId"}
LANG: Schema = {
    "name": "lang",
    "in": "query",
    "description": "`en` for English; French otherwise.",
    "schema": {"type": "string"},
}


def _asset(operation_id: str, summary: str, description: str, media_type: str) -> dict[str, Any]:
    """A file the archive's pages use, served from `exports/static`."""
    return {
        "get": {
            "operationId": operation_id,
            "tags": ["archive"],
            "summary": summary,
            "responses": {
                "200": {
                    "description": description,
                    "content": {media_type: {"schema": {"type": "string"}}},
                }
            },
        }
    }


def json_body(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def error(description: str) -> Schema:
    return json_body(ref("Error"), description)


def json_request(schema: Schema) -> Schema:
    """A required JSON body, as `read_json` in api.py accepts it."""
    return {
        "required": True,
        "description": f"A JSON object of at most {MAX_JSON_BYTES} bytes.",
        "content": {"application/json": {"schema": schema}},
    }


JSON_REQUEST_ERRORS = {
    "400": error("The body is not JSON, or not a JSON object."),
    "413": error(f"The body is larger than {MAX_JSON_BYTES} bytes."),
    "415": error("The body is not declared `application/json`."),
}
"""What `read_json` refuses, for every operation with a JSON body."""


def page(description: str) -> Schema:
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


def pad_page(operation_id: str, summary: str, description: str) -> Schema:
    """A page of one pad: a static shell for every visitor, whatever the id and the key; its
    script does the rest through the API."""
    return {
        "get": {
            "operationId": operation_id,
            "tags": ["pages"],
            "summary": summary,
            "description": description,
            "parameters": [
                {
                    "name": "pad_id",
                    "in": "path",
                    "required": True,
                    "description": "The pad's id; the page answers the same for any.",
                    "schema": {"type": "string"},
                },
                {
                    "name": "k",
                    "in": "query",
                    "description": "The key, read by the page's script, not by the server.",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {"200": page("The page; its script fills in every string.")},
        }
    }


def public(
    operation_id: str, summary: str, description: str, media_type: str, *, one_pad: bool = False
) -> Schema:
    """A page of the public archive: no key, cached for a minute, French unless `lang=en`;
    `one_pad` for the page of a published pad, by its id."""
    responses = {
        "200": {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}
    }
    if one_pad:
        responses["404"] = error("No published pad has this id.")
    return {
        "get": {
            "operationId": operation_id,
            "tags": ["archive"],
            "summary": summary,
            "description": description,
            "parameters": [PAD_ID, LANG] if one_pad else [LANG],
            "responses": responses,
        }
    }


def too_many(what: str) -> Schema:
    """The 429: its `Retry-After` says how many seconds to wait."""
    return {
        **error(f"Too many {what} from this client address; try again later."),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    }


def keyed_errors(forbidden: str | None = None) -> dict[str, Schema]:
    """The answers of every route that opens a pad with a key."""
    answers = {
        "401": error("No key was given, or the key does not open this pad."),
        "404": error("No pad has this id."),
        "429": too_many("wrong keys"),
    }
    if forbidden:
        answers["403"] = error(forbidden)
    return answers


def attachment(pattern: str) -> Schema:
    return {
        "Content-Disposition": {
            "description": f'`attachment; filename="{pattern}"`.',
            "required": True,
            "schema": {"type": "string"},
        }
    }


ACTIONS: dict[Action, tuple[str, str]] = {
    Action.CLOSE: (
        "Close the pad",
        "Attendees' edit keys become read-only (their pages switch to read-only live); the host "
        "key can still edit. Allowed from `scheduled` and `live`; also happens at `ends_at`.",
    ),
    Action.REOPEN: (
        "Reopen the pad",
        "Back from `closed` to `live`, until the purge. The purge still falls due at "
        "`ends_at + purge_after_minutes`.",
    ),
    Action.PURGE: (
        "Purge the pad now",
        "Irreversible. Removes every e-mail address and phone number, attendees' names and "
        "personal lists (see `purge-plan`) from the pad, its history "
        "and its title, for good; the contact list goes with them. Only counts of what was "
        "removed are kept (`purge_counts`). Allowed from `scheduled`, `live` and `closed`; also "
        "happens at `ends_at + purge_after_minutes`.",
    ),
    Action.PUBLISH: (
        "Publish the pad",
        "From `purged`: the pad becomes readable without a key (exports, public archive).",
    ),
    Action.UNPUBLISH: (
        "Unpublish the pad",
        "From `published` back to `purged`: a key is needed again to read it.",
    ),
}


def media_type(content_type: str) -> str:
    return content_type.split(";")[0]


def export_schema(export: ExportFormat) -> Schema:
    if export.extension == "json":
        return ref("ExportJson")
    return {"type": "string", "contentMediaType": media_type(export.media_type)}


def host_action(action: Action) -> Schema:
    summary, description = ACTIONS[action]
    return {
        "post": {
            "operationId": f"{action.value}_pad",
            "tags": ["host"],
            "summary": summary,
            "description": description + " Answers the pad's metadata after the transition.",
            "parameters": [PAD_ID],
            "security": KEYED,
            "responses": {
                "200": json_body(ref("Pad"), "The pad after the transition."),
                "409": error(f"The pad's state does not allow this: it cannot be {past(action)}."),
                **keyed_errors("Only the host key may do this."),
            },
        }
    }


def paths() -> dict[str, Schema]:
    return {
        "/healthz": {
            "get": {
                "operationId": "health",
                "tags": ["service"],
                "summary": "Health check",
                "description": "Answers once the server accepts pads.",
                "responses": {
                    "200": json_body(ref("Health"), "The server is up."),
                    "503": json_body(ref("Unhealthy"), "The database is gone."),
                },
            }
        },
        "/api/openapi.json": {
            "get": {
                "operationId": "openapi",
                "tags": ["service"],
                "summary": "This document",
                "responses": {"200": json_body({"type": "object"}, "The OpenAPI 3.1 document.")},
            }
        },
        "/api/pads": {
            "post": {
                "operationId": "create_pad",
                "tags": ["pads"],
                "summary": "Create a pad",
                "description": (
                    "No key needed. Rate-limited per client address. A pad without times is "
                    "`live` at once and closes only by hand."
                ),
                "requestBody": json_request(ref("NewPadRequest")),
                "responses": {
                    "201": json_body(ref("NewPad"), "The pad was created."),
                    **JSON_REQUEST_ERRORS,
                    "422": error(
                        "A field is missing, unknown or invalid (the message says which; "
                        "`invalid_text`: a lone surrogate, a control or a bidirectional control "
                        "character in the title; `time_out_of_range`: a time outside the years "
                        "the server schedules in)."
                    ),
                    "429": too_many("new pads"),
                },
            }
        },
        "/api/pads/{pad_id}": {
            "get": {
                "operationId": "get_pad",
                "tags": ["pads"],
                "summary": "A pad's metadata and state",
                "description": "Any of the pad's keys; the host key also gets the three links.",
                "parameters": [PAD_ID],
                "security": KEYED,
                "responses": {
                    "200": json_body(ref("Pad"), "The pad as this key sees it."),
                    **keyed_errors(),
                },
            },
            "delete": {
                "operationId": "delete_pad",
                "tags": ["host"],
                "summary": "Delete the pad",
                "description": (
                    "Irreversible: removes the pad and all its data (rows, update log, "
                    "snapshots) from any state, and closes its sockets."
                ),
                "parameters": [PAD_ID],
                "security": KEYED,
                "responses": {
                    "204": {"description": "The pad is gone."},
                    **keyed_errors("Only the host key may do this."),
                },
            },
        },
        "/api/pads/{pad_id}/contacts": {
            "get": {
                "operationId": "contacts",
                "tags": ["host"],
                "summary": "The consented contact list (CSV)",
                "description": (
                    "Every e-mail address left in the pad, deduplicated, in order of appearance. "
                    "Only before the purge, which erases it for good."
                ),
                "parameters": [PAD_ID],
                "security": KEYED,
                "responses": {
                    "200": {
                        "description": "A header line `email`, then one address a line (CRLF).",
                        "headers": attachment("contacts-{pad_id}.csv"),
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    "409": error("The pad was purged: the contact list was erased with it."),
                    **keyed_errors("Only the host key may do this."),
                },
            }
        },
        "/api/pads/{pad_id}/purge-plan": {
            "get": {
                "operationId": "purge_plan",
                "tags": ["host"],
                "summary": "What the purge will remove",
                "description": (
                    "Everything the purge will remove from the notes, grouped and counted "
                    "(addresses and phones, `probable` first; personal lists; known names; found "
                    "names), each with its line and that line, and the title and notes as the "
                    "purge will leave them: computed by the same function as the purge, with "
                    "the host's decisions. From the pad's creation until the purge begins."
                ),
                "parameters": [PAD_ID],
                "security": KEYED,
                "responses": {
                    "200": json_body(ref("PurgePlan"), "The purge's plan."),
                    "409": error("The purge has begun: only its counts remain."),
                    **keyed_errors("Only the host key may do this."),
                },
            },
            "put": {
                "operationId": "decide_purge",
                "tags": ["host"],
                "summary": "The host's decisions for the purge",
                "description": (
                    "Names to keep, words to remove wherever they occur, more speakers: stored "
                    "with the pad (replacing earlier decisions) and applied by the purge, on "
                    "time, whether or not anyone reviews again; deleted by the purge (only "
                    "counts remain). Answers the plan with them."
                ),
                "parameters": [PAD_ID],
                "security": KEYED,
                "requestBody": json_request(ref("PurgeDecisions")),
                "responses": {
                    "200": json_body(ref("PurgePlan"), "The purge's plan with these decisions."),
                    "409": error("The purge has begun: its decisions can no longer change."),
                    **JSON_REQUEST_ERRORS,
                    "422": error(
                        "A field is unknown or invalid (the message says which): each is a "
                        "list of names, not blank, without control characters."
                    ),
                    **keyed_errors("Only the host key may do this."),
                },
            },
        },
        "/api/pads/{pad_id}/export.{extension}": {
            "get": {
                "operationId": "export",
                "tags": ["pads"],
                "summary": "Download the pad",
                "description": (
                    "Any of the pad's keys; no key at all once the pad is published. `md` the "
                    "Markdown as typed, `txt` plain text, `html` a self-contained inert page, "
                    "`json` the fields and the cited links, `yjs` the Yjs v1 update of the whole "
                    "document, `zip` all of them."
                ),
                "parameters": [
                    PAD_ID,
                    {
                        "name": "extension",
                        "in": "path",
                        "required": True,
                        "description": "The format.",
                        "schema": {"enum": sorted(EXPORT_FORMATS)},
                    },
                ],
                "security": [*KEYED, {}],
                "responses": {
                    "200": {
                        "description": "The file, as an attachment.",
                        "headers": attachment("skrid-{pad_id}.{extension}"),
                        "content": {
                            media_type(export.media_type): {"schema": export_schema(export)}
                            for _, export in sorted(EXPORT_FORMATS.items())
                        },
                    },
                    **keyed_errors(),
                    "404": error("No pad has this id, or no export format this extension."),
                },
            }
        },
        "/": {
            "get": {
                "operationId": "home_page",
                "tags": ["pages"],
                "summary": "The page that creates a pad (HTML)",
                "responses": {"200": page("The page; its script fills in every string.")},
            }
        },
        "/p/{pad_id}": pad_page(
            "pad_page",
            "The pad's page (HTML)",
            "The script reads `k` from the address, fetches the pad's metadata and connects to "
            "the WebSocket; the page turns read-only when the key may not write.",
        ),
        "/host/{pad_id}": pad_page(
            "host_console",
            "The host's console (HTML)",
            "Schedule, state and countdown, a button for each transition, the contact list "
            "before the purge, the publish switch after it, the three links. The script refuses "
            "a key that is not the host's; the API refuses it every host action anyway.",
        ),
        "/archive": public(
            "archive",
            "The public archive (HTML)",
            "Every published pad, newest first.",
            "text/html",
        ),
        "/archive/feed.atom": public(
            "archive_feed",
            "The archive's Atom feed",
            "An entry per published pad, newest first.",
            "application/atom+xml",
        ),
        "/archive/{pad_id}": public(
            "archive_pad",
            "A published pad's page (HTML)",
            "The anonymised notes, their links and downloads; no key needed.",
            "text/html",
            one_pad=True,
        ),
        "/static/archive.css": _asset(
            "archive_stylesheet",
            "The archive's style sheet",
            "CSS, the same as the static site's.",
            "text/css",
        ),
        "/static/favicon.svg": _asset(
            "icon", "Skrid's icon", "SVG, for every page and the static site.", "image/svg+xml"
        ),
        **{f"/api/pads/{{pad_id}}/{action.value}": host_action(action) for action in ACTIONS},
    }


def document(settings: Settings) -> Schema:
    """The OpenAPI document of a server running with `settings`."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Skrid",
            "version": version("skrid"),
            "summary": "Collaborative pads for webinar notes, purged of addresses on schedule.",
            "description": DESCRIPTION,
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "tags": [
            {"name": "pads", "description": "Create and read pads."},
            {"name": "host", "description": "The host's actions: the host key only."},
            {"name": "pages", "description": "HTML pages for people."},
            {"name": "archive", "description": "The public archive of published pads."},
            {"name": "service", "description": "For operators and programs."},
        ],
        "paths": paths(),
        "components": {
            "schemas": components(settings),
            "parameters": {
                "PadId": {
                    "name": "pad_id",
                    "in": "path",
                    "required": True,
                    "description": "The pad's id, as `POST /api/pads` answered it.",
                    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
                }
            },
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "`Authorization: Bearer KEY` with one of the pad's keys.",
                },
                "key": {
                    "type": "apiKey",
                    "in": "query",
                    "name": "k",
                    "description": "The same key as the query parameter `k`, as links carry it.",
                },
            },
        },
    }


async def openapi_json(request: Request) -> Response:
    return JSONResponse(document(request.app.state.settings))


routes = [Route("/api/openapi.json", openapi_json, methods=["GET"])]
