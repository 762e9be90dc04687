"""The JSON API over real HTTP against a real server."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import LiveServer


def test_healthz(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_create_pad_answers_keys_and_links_once(live_server: LiveServer) -> None:
    response = httpx.post(f"{live_server.url}/api/pads", json={"title": "Convention citoyenne"})
    assert response.status_code == 201
    pad = response.json()
    keys = {pad["host_key"], pad["edit_key"], pad["view_key"]}
    assert len(keys) == 3
    assert all(len(key) >= 22 for key in keys)  # >= 128 bits of base64url
    assert pad["links"]["edit"] == f"{live_server.url}/p/{pad['id']}?k={pad['edit_key']}"
    assert pad["links"]["view"] == f"{live_server.url}/p/{pad['id']}?k={pad['view_key']}"
    assert pad["links"]["host"] == f"{live_server.url}/host/{pad['id']}?k={pad['host_key']}"


@pytest.mark.parametrize("role", ["host", "edit", "view"])
def test_metadata_with_each_key(live_server: LiveServer, role: str) -> None:
    pad = live_server.create_pad(
        "Atelier", starts_at="2026-12-03T18:00:00+01:00", ends_at="2026-12-03T19:30:00+01:00"
    )
    response = httpx.get(
        f"{live_server.url}/api/pads/{pad['id']}", params={"k": pad[f"{role}_key"]}
    )
    assert response.status_code == 200
    meta = response.json()
    assert meta["role"] == role
    assert meta["title"] == "Atelier"
    assert meta["state"] == "scheduled"
    assert meta["starts_at"] == "2026-12-03T17:00:00+00:00"
    assert meta["writable"] is (role != "view")
    assert meta["purge_after_minutes"] == 120


def test_bearer_header_is_accepted(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    headers = {"Authorization": f"Bearer {pad['host_key']}"}
    response = httpx.get(f"{live_server.url}/api/pads/{pad['id']}", headers=headers)
    assert response.json()["role"] == "host"


def test_pad_without_times_is_live(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    meta = httpx.get(f"{live_server.url}/api/pads/{pad['id']}", params={"k": pad["edit_key"]})
    assert meta.json()["state"] == "live"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 401, "unauthorized"),
        ({"k": "not-a-key"}, 401, "unauthorized"),
    ],
)
def test_metadata_refusals(live_server: LiveServer, params: dict, status: int, code: str) -> None:
    pad = live_server.create_pad()
    response = httpx.get(f"{live_server.url}/api/pads/{pad['id']}", params=params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_unknown_pad_is_404(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/api/pads/nope", params={"k": "x"})
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
        (b'{"title": "x", "starts_at": "2026-12-03T18:00", "ends_at": "2026-12-03T17:00"}', 422),
        (b'{"title": "x", "purge_after_minutes": -1}', 422),
        (b'{"title": "x", "purge_after_minutes": true}', 422),
    ],
)
def test_bad_create_requests(live_server: LiveServer, body: bytes, status: int) -> None:
    response = httpx.post(f"{live_server.url}/api/pads", content=body)
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_title_limit_and_one_past(live_server: LiveServer) -> None:
    ok = httpx.post(f"{live_server.url}/api/pads", json={"title": "t" * 200})
    assert ok.status_code == 201
    too_long = httpx.post(f"{live_server.url}/api/pads", json={"title": "t" * 201})
    assert too_long.status_code == 422


def test_body_limit_and_one_past(live_server: LiveServer) -> None:
    from server.api import MAX_JSON_BYTES

    padding = MAX_JSON_BYTES - len(b'{"title": "x", "purge_after_minutes": 1}')
    at_limit = b'{"title": "x", "purge_after_minutes": 1' + b" " * padding + b"}"
    assert len(at_limit) == MAX_JSON_BYTES
    assert httpx.post(f"{live_server.url}/api/pads", content=at_limit).status_code == 201
    past = at_limit[:-1] + b" }"
    assert httpx.post(f"{live_server.url}/api/pads", content=past).status_code == 413


def test_unknown_route_is_json(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/api/nothing-here")
    assert response.status_code == 404
    assert "error" in response.json()
