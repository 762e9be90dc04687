"""The OpenAPI document against the app: the same routes, and a live server that answers as
documented (schemathesis, on pads that really exist, in every state, with every kind of key)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import example, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode, checks
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import BaseSchema
from starlette.routing import Mount, Route

from exports import EXPORT_FORMATS
from server import models, openapi
from server.api import MAX_JSON_BYTES
from server.app import create_app
from server.lifecycle import State
from server.settings import Settings
from tests.live import LiveServer

DOCUMENT = openapi.document(Settings())
OPERATIONS = [(path, method) for path, item in DOCUMENT["paths"].items() for method in item]
EXAMPLES = 25
"""Generated cases per operation, after the explicit ones."""
EXTENSIONS = sorted(EXPORT_FORMATS)
NOTES = "Notes du webinaire\nLes diapos : https://example.org/diapos\nÉcrire à alice@example.org\n"


def test_every_route_is_documented(tmp_path: Path) -> None:
    """Each HTTP route of the app with its methods is in the document, and nothing else; the
    WebSocket (served by SkridApp before the router) and the static files, which OpenAPI
    cannot describe, are named in its text."""
    app = create_app(Settings(db=str(tmp_path / "skrid.sqlite3"), create_db=True))
    served = {
        (route.path, method.lower())
        for route in app.routes
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = set(OPERATIONS)
    assert served == documented
    others = {(type(route), route.path) for route in app.routes if not isinstance(route, Route)}
    assert others == {(Mount, "/static")}
    description = DOCUMENT["info"]["description"]
    assert "/ws/{pad_id}" in description
    assert "/static" in description


def json_bodies(document: dict[str, Any]) -> dict[str, Any]:
    """Every JSON request and response body of the document's operations, by where it is."""
    bodies = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            answers = {f"response {code}": body for code, body in operation["responses"].items()}
            for where, body in {"request": operation.get("requestBody", {}), **answers}.items():
                if "application/json" in body.get("content", {}):
                    schema = body["content"]["application/json"]["schema"]
                    bodies[f"{method.upper()} {path} {where}"] = schema
    return bodies


def test_body_schemas_are_the_models() -> None:
    """`components/schemas` is what the models emit, for the settings served; every JSON body is
    a reference to one of them (but the document itself, described as any object), and every
    model is some body's: no schema is written by hand, none is left over."""
    small = Settings(max_title_chars=10)
    for served in (Settings(), small):
        assert openapi.document(served)["components"]["schemas"] == models.components(served)
    assert DOCUMENT["components"]["schemas"] != openapi.document(small)["components"]["schemas"]
    bodies = json_bodies(DOCUMENT)
    assert bodies.pop("GET /api/openapi.json response 200") == {"type": "object"}
    prefix = "#/components/schemas/"
    assert all(set(schema) == {"$ref"} for schema in bodies.values()), bodies
    named = {schema["$ref"].removeprefix(prefix) for schema in bodies.values()}
    requests = {"NewPadRequest", "PurgeDecisions"}
    assert named == {*requests, *(model.__name__ for model in models.RESPONSES)}
    referenced = set(named)
    pending = [DOCUMENT["components"]["schemas"][name] for name in named]
    while pending:
        text = json.dumps(pending.pop())
        for name in DOCUMENT["components"]["schemas"]:
            if f'"{prefix}{name}"' in text and name not in referenced:
                referenced.add(name)
                pending.append(DOCUMENT["components"]["schemas"][name])
    assert referenced == set(DOCUMENT["components"]["schemas"])


@dataclass(frozen=True)
class Pad:
    """A pad of the live server, or one that does not exist (`state` None); the state names the
    pad in a failing example."""

    id: str
    keys: dict[str, str]
    state: str | None


async def write_notes(server: LiveServer, pad: dict[str, str]) -> None:
    async with server.peer(pad, "host") as peer:
        await peer.edit(lambda text: text.insert(0, NOTES))


def pads_in_every_state(server: LiveServer) -> list[Pad]:
    """One pad per lifecycle state, each holding a link and an address, and an unknown pad."""
    actions = {
        State.SCHEDULED: [],
        State.LIVE: [],
        State.CLOSED: ["close"],
        State.PURGED: ["purge"],
        State.PUBLISHED: ["purge", "publish"],
    }
    pads = []
    for state, steps in actions.items():
        fields = {"starts_at": "2099-01-01T09:00:00+01:00"} if state is State.SCHEDULED else {}
        created = server.create_pad(f"Webinaire {state}", **fields)
        asyncio.run(write_notes(server, created))
        keys = {role: created[f"{role}_key"] for role in ("host", "edit", "view")}
        for step in steps:
            url = f"{server.url}/api/pads/{created['id']}/{step}"
            httpx.post(url, headers={"Authorization": f"Bearer {keys['host']}"}).raise_for_status()
        pads.append(Pad(created["id"], keys, state.value))
    return [*pads, Pad("no-such-pad", {}, None)]


EXCLUDED_CHECKS = {
    ("/api/pads", "post"): [checks.positive_data_acceptance],
    ("/api/pads/{pad_id}/purge-plan", "put"): [checks.positive_data_acceptance],
    ("/api/pads/{pad_id}", "delete"): [checks.ignored_auth],
}
"""Checks that cannot hold for an operation, whatever the server does:
- a body has a rule that a schema cannot state (`ends_at` after `starts_at`; a name without
  control characters), so a schema-valid body may rightly get a 422;
- `ignored_auth` re-sends a successful request without its key to see it refused, but after a
  successful DELETE the pad is gone, and the 404 is right. Other tests cover DELETE's 401."""
NO_PAD = Pad("", {}, None)
"""What operations without a pad aim at: their keys are all absent, or wrong."""
KEY_CHOICES = ["host", "edit", "view", "none", "wrong"]
WRONG_KEY = "k" * 32


def aim(case: Case, pad: Pad, role: str, in_query: bool) -> dict[str, Any]:
    """Point the case at a real pad (or the unknown one); return how to send a key of this role
    (or none, or a wrong one) in the header or the query. The key goes as an explicit argument of
    the call, not into the case, so that schemathesis knows it for a real credential and probes
    the same request without it and with a bad one (check `ignored_auth`)."""
    if "pad_id" in case.path_parameters:
        case.path_parameters["pad_id"] = pad.id
    case.headers = {k: v for k, v in case.headers.items() if k.lower() != "authorization"}
    case.query = {k: v for k, v in case.query.items() if k != "k"}
    key = pad.keys.get(role) or (WRONG_KEY if role == "wrong" else None)
    if key is None:
        return {}
    if in_query:
        return {"params": {"k": key}}
    return {"headers": {"Authorization": f"Bearer {key}"}}


def negatable(documented: dict[str, Any]) -> bool:
    """Whether schemathesis can make a schema-violating request that reaches the route: a body,
    or a parameter other than `pad_id` (which `aim` replaces anyway)."""
    names = [parameter.get("name") for parameter in documented.get("parameters", [])]
    return "requestBody" in documented or any(name not in {None, "pad_id"} for name in names)


def host_examples(schema: BaseSchema, path: str, method: str, pads: list[Pad]) -> list[Any]:
    """One explicit case per pad with its host key, tried before the generated ones: every state
    is reached, and each export format once, whatever the generation draws."""
    if "{pad_id}" not in path:
        return []
    operation = schema[path][method]
    return [
        example(
            case=operation.Case(
                path_parameters={"pad_id": pad.id, "extension": EXTENSIONS[index % len(EXTENSIONS)]}
                if "{extension}" in path
                else {"pad_id": pad.id}
            ),
            pad=pad,
            role="host",
            in_query=False,
        )
        for index, pad in enumerate(pads)
    ]


def check_operation(server: LiveServer, schema: BaseSchema, path: str, method: str) -> None:
    """Fuzz one operation on fresh pads, as they are changed by host actions and deletes."""
    operation = schema[path][method]
    documented = DOCUMENT["paths"][path][method]
    excluded = EXCLUDED_CHECKS.get((path, method), [])
    pads = pads_in_every_state(server) if "{pad_id}" in path else [NO_PAD]
    modes = [GenerationMode.POSITIVE]
    if negatable(documented):
        modes.append(GenerationMode.NEGATIVE)
    statuses: set[int] = set()

    def conforms(case: Case, pad: Pad, role: str, in_query: bool) -> None:
        key = aim(case, pad, role, in_query)
        response = case.call_and_validate(base_url=server.url, excluded_checks=excluded, **key)
        statuses.add(response.status_code)

    test = given(
        case=st.one_of(*(operation.as_strategy(mode) for mode in modes)),
        pad=st.sampled_from(pads),
        role=st.sampled_from(KEY_CHOICES),
        in_query=st.booleans(),
    )(conforms)
    for explicit in host_examples(schema, path, method, pads):
        test = explicit(test)
    settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None)(test)()
    success = next(code for code in documented["responses"] if code < "300")
    assert int(success) in statuses, f"never reached {success}, only {sorted(statuses)}"


def test_the_api_answers_as_documented(server_factory: Callable[..., LiveServer]) -> None:
    """Every operation, one after the other on one server (a server per operation would double
    the time); every failing operation is reported, not only the first."""
    server = server_factory(pad_burst=100_000, failed_key_burst=100_000)
    schema = schemathesis.openapi.from_url(f"{server.url}/api/openapi.json")
    schema.config.generation.update(allow_extra_parameters=False)
    failures = {}
    for path, method in OPERATIONS:
        try:
            check_operation(server, schema, path, method)
        except (AssertionError, FailureGroup) as failure:
            failures[f"{method.upper()} {path}"] = failure
    assert not failures, "\n\n".join(f"{name}:\n{error}" for name, error in failures.items())


CONFORMANCE = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def test_limits_answer_as_documented(server_factory: Callable[..., LiveServer]) -> None:
    """The title's limit is the server's setting, in the document too; the body's limit is a 413;
    past the burst of new pads comes a 429, whose `Retry-After` the document requires."""
    server = server_factory(max_title_chars=10, pad_burst=3, pads_per_minute=1)
    schema = schemathesis.openapi.from_url(f"{server.url}/api/openapi.json")
    title = schema.raw_schema["components"]["schemas"]["NewPadRequest"]["properties"]["title"]
    assert title["maxLength"] == 10
    create = schema["/api/pads"]["POST"]
    bodies = [
        ({"title": "x" * 10}, 201),
        ({"title": "x" * 11}, 422),
        ({"title": "x" * MAX_JSON_BYTES}, 413),
        ({"title": "x"}, 429),
    ]
    for body, status in bodies:
        case = create.Case(body=body, media_type="application/json")
        response = case.call(base_url=server.url)
        assert response.status_code == status, response.text
        case.validate_response(response, checks=CONFORMANCE)


def allowed(path: str) -> set[str]:
    methods = {method.upper() for method in DOCUMENT["paths"][path]}
    return methods | {"HEAD"} if "GET" in methods else methods


@pytest.mark.parametrize("path", list(DOCUMENT["paths"]))
async def test_other_methods_are_refused(tmp_path: Path, path: str) -> None:
    """Any other method gets a JSON 405 whose `Allow` names the documented methods. Routing only:
    the app runs in process, without its lifespan, as no store is needed to refuse a method."""
    app = create_app(Settings(db=str(tmp_path / "skrid.sqlite3"), create_db=True))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://skrid") as client:
        response = await client.patch(path.format(pad_id="unknown", extension="md"))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "http_405"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == allowed(path)


OFFSETS = st.sampled_from(["", "Z", "+14:00", "-14:00", "+05:30", "-00:01"])
HOSTILE_TITLES = st.text(
    alphabet=st.one_of(
        st.characters(codec=None, categories=["Cs", "Cc", "Cf", "Zs", "L"]),
        st.sampled_from([chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]),
    ),
    min_size=1,
    max_size=12,
)
"""Titles drawn from lone surrogates, controls (NUL), format characters (the bidirectional
controls among them, drawn often), spaces and letters."""


@st.composite
def hostile_times(draw: st.DrawFn) -> str:
    """Any time `datetime` holds, from year 1 to 9999, with an extreme offset or none."""
    moment = draw(st.datetimes()).replace(microsecond=0)
    return moment.isoformat() + draw(OFFSETS)


def test_hostile_bodies_answer_as_documented(server_factory: Callable[..., LiveServer]) -> None:
    """The families of issue 17 against the document: titles with lone surrogates, NUL and
    bidirectional controls, times at the edges of years 1 and 9999, bodies of another media
    type. Each gets a documented answer (201, 415 or 422), never a 500."""
    server = server_factory(pad_burst=100_000)
    schema = schemathesis.openapi.from_url(f"{server.url}/api/openapi.json")
    create = schema["/api/pads"]["POST"]
    seen: set[int] = set()

    @given(
        title=HOSTILE_TITLES,
        starts_at=st.none() | hostile_times(),
        ends_at=st.none() | hostile_times(),
        media_type=st.sampled_from(
            ["application/json", "text/plain", "", "application/x-www-form-urlencoded"]
        ),
    )
    @settings(max_examples=150, derandomize=True, database=None, deadline=None)
    def answers(title: str, starts_at: str | None, ends_at: str | None, media_type: str) -> None:
        fields = {"title": title, "starts_at": starts_at, "ends_at": ends_at}
        body = json.dumps({k: v for k, v in fields.items() if v is not None}).encode()
        headers = {"Content-Type": media_type} if media_type else {}
        response = httpx.post(f"{server.url}/api/pads", content=body, headers=headers)
        assert response.status_code in {201, 415, 422}, (body, response.text)
        if media_type != "application/json":
            assert response.status_code == 415
        seen.add(response.status_code)
        case = create.Case(body=json.loads(body), media_type="application/json")
        case.validate_response(response, checks=CONFORMANCE)

    answers()
    assert seen == {201, 415, 422}
