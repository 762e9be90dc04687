"""The JSON API, in process: the app over httpx.ASGITransport, requests as a client sends them."""

from __future__ import annotations

import httpx
import pytest

from tests.live import InProcessServer

JSON = {"Content-Type": "application/json"}


async def test_healthz(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_create_pad_answers_keys_and_links_once(app_server: InProcessServer) -> None:
    response = await app_server.client.post("/api/pads", json={"title": "Convention citoyenne"})
    assert response.status_code == 201
    pad = response.json()
    keys = {pad["host_key"], pad["edit_key"], pad["view_key"]}
    assert len(keys) == 3
    assert all(len(key) >= 22 for key in keys)  # >= 128 bits of base64url
    assert pad["links"]["edit"] == f"{app_server.url}/p/{pad['id']}?k={pad['edit_key']}"
    assert pad["links"]["view"] == f"{app_server.url}/p/{pad['id']}?k={pad['view_key']}"
    assert pad["links"]["host"] == f"{app_server.url}/host/{pad['id']}?k={pad['host_key']}"


@pytest.mark.parametrize("role", ["host", "edit", "view"])
async def test_metadata_with_each_key(app_server: InProcessServer, role: str) -> None:
    pad = await app_server.create_pad(
        "Atelier", starts_at="2036-12-03T18:00:00+01:00", ends_at="2036-12-03T19:30:00+01:00"
    )
    response = await app_server.client.get(
        f"/api/pads/{pad['id']}", params={"k": pad[f"{role}_key"]}
    )
    assert response.status_code == 200
    meta = response.json()
    assert meta["role"] == role
    assert meta["title"] == "Atelier"
    assert meta["state"] == "scheduled"
    assert meta["starts_at"] == "2036-12-03T17:00:00+00:00"
    assert meta["writable"] is (role != "view")
    assert meta["purge_after_minutes"] == 120


async def test_bearer_header_is_accepted(app_server: InProcessServer) -> None:
    pad = await app_server.create_pad()
    headers = {"Authorization": f"Bearer {pad['host_key']}"}
    response = await app_server.client.get(f"/api/pads/{pad['id']}", headers=headers)
    assert response.json()["role"] == "host"


async def test_pad_without_times_is_live(app_server: InProcessServer) -> None:
    pad = await app_server.create_pad()
    meta = await app_server.client.get(f"/api/pads/{pad['id']}", params={"k": pad["edit_key"]})
    assert meta.json()["state"] == "live"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 401, "unauthorized"),
        ({"k": "not-a-key"}, 401, "unauthorized"),
    ],
)
async def test_metadata_refusals(
    app_server: InProcessServer, params: dict, status: int, code: str
) -> None:
    pad = await app_server.create_pad()
    response = await app_server.client.get(f"/api/pads/{pad['id']}", params=params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


async def test_unknown_pad_is_404(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/api/pads/nope", params={"k": "x"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{", 400),
        (b"[]", 400),
        (b'{"title": ""}', 422),
        (b'{"title": 3}', 422),
        (b'{"title": "x", "colour": "red"}', 422),
        (b'{"title": "x", "starts_at": "demain"}', 422),
        (b'{"title": "x", "starts_at": "2036-12-03T18:00", "ends_at": "2036-12-03T17:00"}', 422),
        (b'{"title": "x", "purge_after_minutes": -1}', 422),
        (b'{"title": "x", "purge_after_minutes": true}', 422),
    ],
)
async def test_bad_create_requests(app_client: httpx.AsyncClient, body: bytes, status: int) -> None:
    response = await app_client.post("/api/pads", content=body, headers=JSON)
    assert response.status_code == status
    assert response.json()["error"]["message"]


async def post_body(server: InProcessServer, body: bytes) -> httpx.Response:
    return await server.client.post("/api/pads", content=body, headers=JSON)


BIDI_CONTROLS = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]


HOSTILE = [
    (b'{"title": "Atelier \\ud800"}', "invalid_text"),
    (b'{"title": "Atelier \\udfff fin"}', "invalid_text"),
    (b'{"title": "Atelier\\u0000"}', "invalid_text"),
    (b'{"title": "Atelier\\nsuite"}', "invalid_text"),
    *((f'{{"title": "Atelier \\u{c:04x} txt"}}'.encode(), "invalid_text") for c in BIDI_CONTROLS),
    (b'{"title": "x", "starts_at": "9999-12-31T23:59:59-14:00"}', "time_out_of_range"),
    (b'{"title": "x", "ends_at": "0001-01-01T00:00:00+14:00"}', "time_out_of_range"),
    (b'{"title": "x", "ends_at": "0001-01-01T00:00:00"}', "time_out_of_range"),
    (b'{"title": "x", "starts_at": "9999-12-31T23:59:59"}', "time_out_of_range"),
    (b'{"title": "x", "starts_at": "9999-01-01T00:00:00+00:00"}', "time_out_of_range"),
    (b'{"title": "x", "starts_at": "1969-12-31T23:59:59+00:00"}', "time_out_of_range"),
    (b'{"title": "x", "\\ud800": 1}', "invalid_fields"),
    (b"[" * 100_000, "frame_too_large"),
    (b"[" * 60_000, "bad_request"),
]
"""Bodies that were bare 500s (lone surrogates, times at the edges of `datetime`, deep nesting)
or stored as typed (NUL, bidirectional controls), each with the code it must get."""
EDGES = [
    {"title": "Atelier \u200f\u200e marques"},  # marks, not overrides: kept
    {"title": "x", "starts_at": "1970-01-01T00:00:00+00:00"},
    {"title": "x", "starts_at": "9998-12-31T23:59:59+00:00"},
    {"title": "x", "ends_at": "9998-12-31T09:59:59-14:00", "purge_after_minutes": 43200},
]
"""The edges of the families above, accepted: bidirectional marks, the first and last times."""


async def test_hostile_create_requests(app_server: InProcessServer) -> None:
    """Each answered with its stable code and a message that says what is wrong, never a 500;
    the refusals are logged by code, without the body."""
    for body, code in HOSTILE:
        response = await post_body(app_server, body)
        assert response.status_code in {400, 413, 422}, (body[:80], response.text)
        assert response.json()["error"]["code"] == code, body[:80]
        assert response.json()["error"]["message"]
    assert "new pad refused: invalid_text" in app_server.log()
    assert "Atelier" not in app_server.log()


async def test_create_requests_at_the_edges_are_accepted(app_client: httpx.AsyncClient) -> None:
    for fields in EDGES:
        response = await app_client.post("/api/pads", json=fields)
        assert response.status_code == 201, (fields, response.text)
        meta = await app_client.get(
            f"/api/pads/{response.json()['id']}",
            params={"k": response.json()["view_key"]},
        )
        assert meta.json()["title"] == fields["title"]


NOT_JSON = [
    {},
    {"Content-Type": "text/plain"},
    {"Content-Type": "application/x-www-form-urlencoded"},
    {"Content-Type": "multipart/form-data; boundary=x"},
    {"Content-Type": "application/jsonp"},
]


async def test_pad_creation_requires_json(app_client: httpx.AsyncClient) -> None:
    """What another site's page may send without a preflight is refused: 415, stable code."""
    for headers in NOT_JSON:
        response = await app_client.post("/api/pads", content=b'{"title": "x"}', headers=headers)
        assert response.status_code == 415, headers
        assert response.json()["error"]["code"] == "unsupported_media_type"
        assert "application/json" in response.json()["error"]["message"]


async def test_json_with_a_charset_is_json(app_client: httpx.AsyncClient) -> None:
    headers = {"Content-Type": "Application/JSON; charset=utf-8"}
    response = await app_client.post("/api/pads", content=b'{"title": "x"}', headers=headers)
    assert response.status_code == 201


async def test_title_limit_and_one_past(app_client: httpx.AsyncClient) -> None:
    ok = await app_client.post("/api/pads", json={"title": "t" * 200})
    assert ok.status_code == 201
    too_long = await app_client.post("/api/pads", json={"title": "t" * 201})
    assert too_long.status_code == 422


async def test_body_limit_and_one_past(app_server: InProcessServer) -> None:
    from server.api import MAX_JSON_BYTES

    padding = MAX_JSON_BYTES - len(b'{"title": "x", "purge_after_minutes": 1}')
    at_limit = b'{"title": "x", "purge_after_minutes": 1' + b" " * padding + b"}"
    assert len(at_limit) == MAX_JSON_BYTES
    assert (await post_body(app_server, at_limit)).status_code == 201
    past = at_limit[:-1] + b" }"
    assert (await post_body(app_server, past)).status_code == 413


async def test_unknown_route_is_json(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/api/nothing-here")
    assert response.status_code == 404
    assert "error" in response.json()
