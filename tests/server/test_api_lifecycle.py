"""The host's lifecycle routes over real HTTP, the live switch to read-only, and rate limits."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server import protocol
from tests.conftest import LiveServer


def call(server: LiveServer, method: str, path: str, key: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.request(method, f"{server.url}/api/pads/{path}", headers=headers)


def test_every_route_through_the_lifecycle(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    pid, host = pad["id"], pad["host_key"]
    steps = [
        ("close", "closed"),
        ("reopen", "live"),
        ("close", "closed"),
        ("purge", "purged"),
        ("publish", "published"),
        ("unpublish", "purged"),
        ("publish", "published"),
    ]
    for action, state in steps:
        response = call(live_server, "POST", f"{pid}/{action}", host)
        assert response.status_code == 200, response.text
        assert response.json()["state"] == state
    assert call(live_server, "DELETE", pid, host).status_code == 204
    assert call(live_server, "GET", pid, host).status_code == 404


@pytest.mark.parametrize("action", ["close", "reopen", "purge", "publish", "unpublish"])
def test_action_errors(live_server: LiveServer, action: str) -> None:
    pad = live_server.create_pad()
    pid = pad["id"]
    assert call(live_server, "POST", f"{pid}/{action}", None).status_code == 401
    assert call(live_server, "POST", f"{pid}/{action}", "wrong").status_code == 401
    for role in ("edit", "view"):
        refused = call(live_server, "POST", f"{pid}/{action}", pad[f"{role}_key"])
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "forbidden"
    assert call(live_server, "POST", f"nope/{action}", pad["host_key"]).status_code == 404
    if action in {"reopen", "publish", "unpublish"}:
        conflict = call(live_server, "POST", f"{pid}/{action}", pad["host_key"])
        assert conflict.status_code == 409
        assert "live pad cannot be" in conflict.json()["error"]["message"]


def test_delete_errors(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    assert call(live_server, "DELETE", pad["id"], None).status_code == 401
    assert call(live_server, "DELETE", pad["id"], pad["edit_key"]).status_code == 403
    assert call(live_server, "DELETE", "nope", pad["host_key"]).status_code == 404


async def test_contacts_until_the_purge(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    async with live_server.peer(pad) as peer:
        await peer.insert(0, "Liste : anne@exemple.bzh, Bob <bob@mairie.fr>, anne@exemple.bzh\n")
        async with live_server.peer(pad) as other:
            await other.wait_text(str(peer.text))
    for role in ("edit", "view"):
        assert (
            call(live_server, "GET", f"{pad['id']}/contacts", pad[f"{role}_key"]).status_code == 403
        )
    response = call(live_server, "GET", f"{pad['id']}/contacts", pad["host_key"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines() == ["email", "anne@exemple.bzh", "bob@mairie.fr"]
    call(live_server, "POST", f"{pad['id']}/purge", pad["host_key"])
    gone = call(live_server, "GET", f"{pad['id']}/contacts", pad["host_key"])
    assert gone.status_code == 409


async def test_close_turns_attendees_read_only_live(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    async with live_server.peer(pad) as attendee, live_server.peer(pad, "host") as host:
        await attendee.insert(0, "avant. ")
        await host.wait_text("avant. ")
        assert call(live_server, "POST", f"{pad['id']}/close", pad["host_key"]).status_code == 200
        for _ in range(100):
            if any(f[0] == protocol.PAD_EVENT for f in attendee.received):
                break
            await asyncio.sleep(0.02)
        event = next(f for f in attendee.received if f[0] == protocol.PAD_EVENT)
        assert json.loads(event[2:]) == {"state": "closed", "writable": False}
        await attendee.insert(0, "refusé ")
        await host.insert(len(str(host.text)), "mis au propre")
        await attendee.wait_text("refusé avant. mis au propre")
        await asyncio.sleep(0.2)
        assert str(host.text) == "avant. mis au propre"
    assert await live_server.read_text(pad) == "avant. mis au propre"
    live_server.restart()
    assert await live_server.read_text(pad) == "avant. mis au propre"


def test_pad_creation_rate_limit_and_one_past(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(pad_burst=3, pads_per_minute=1)
    for _ in range(3):
        server.create_pad()
    refused = httpx.post(f"{server.url}/api/pads", json={"title": "encore"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "too_many"


def test_failed_key_rate_limit_and_one_past(server_factory: Callable[..., LiveServer]) -> None:
    server = server_factory(failed_key_burst=3, failed_keys_per_minute=1)
    pad = server.create_pad()
    for _ in range(3):
        assert call(server, "GET", pad["id"], "wrong").status_code == 401
    assert call(server, "GET", pad["id"], "wrong").status_code == 429
    # A correct key is never locked out by wrong ones (issue 17; tests/server/test_ratelimit.py).
    assert call(server, "GET", pad["id"], pad["host_key"]).status_code == 200
    assert call(server, "GET", pad["id"], "wrong").status_code == 429


def test_host_metadata_shows_the_links_again(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    meta = call(live_server, "GET", pad["id"], pad["host_key"]).json()
    assert meta["links"] == pad["links"]
    assert "links" not in call(live_server, "GET", pad["id"], pad["edit_key"]).json()
    closed = call(live_server, "POST", f"{pad['id']}/close", pad["host_key"])
    assert closed.headers["cache-control"] == "no-store"
    assert closed.json()["state"] == "closed"
    assert closed.json()["links"] == pad["links"]


async def test_activity_counts_survive_the_purge(server_factory: Callable[..., LiveServer]) -> None:
    server = server_factory(activity_flush_seconds=0.2)
    pad = server.create_pad()
    async with server.peer(pad) as alice, server.peer(pad) as bob:
        for i in range(5):
            await alice.insert(i, "a")
            await bob.insert(0, "b")
        await asyncio.sleep(0.5)
    meta = call(server, "POST", f"{pad['id']}/purge", pad["host_key"]).json()
    assert meta["contributors"] == 2
    server.stop()
    with sqlite3.connect(server.db) as db:
        edits = db.execute("SELECT sum(edits) FROM activity WHERE pad_id = ?", (pad["id"],))
        assert edits.fetchone()[0] == 10


def test_a_server_down_past_the_purge_closes_and_purges_at_start(live_server: LiveServer) -> None:
    now = datetime.now(UTC)
    pad = live_server.create_pad(
        starts_at=(now - timedelta(minutes=5)).isoformat(),
        ends_at=(now + timedelta(seconds=1)).isoformat(),
        purge_after_minutes=0,
    )
    live_server.stop()
    time.sleep(1.5)
    live_server.start()
    state = ""
    for _ in range(100):
        state = call(live_server, "GET", pad["id"], pad["host_key"]).json()["state"]
        if state == "purged":
            break
        time.sleep(0.05)
    assert state == "purged"
    with sqlite3.connect(live_server.db) as db:
        moves = db.execute(
            "SELECT from_state, to_state, by FROM transitions WHERE pad_id = ? ORDER BY id",
            (pad["id"],),
        ).fetchall()
    assert moves == [
        ("live", "closed", "schedule"),
        ("closed", "purging", "schedule"),
        ("purging", "purged", "schedule"),
    ]
