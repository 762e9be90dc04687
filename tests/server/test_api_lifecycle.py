"""The host's lifecycle routes, the live switch to read-only, and rate limits: the app in process,
served on a loopback port where pad sockets take part."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import timedelta

import httpx
import pytest

from server import protocol
from tests.live import AppFactory, FakeClock, InProcessServer
from tests.ypeer import converged


async def call(server: InProcessServer, method: str, path: str, key: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return await server.client.request(method, f"/api/pads/{path}", headers=headers)


async def status(server: InProcessServer, method: str, path: str, key: str | None) -> int:
    return (await call(server, method, path, key)).status_code


async def test_every_route_through_the_lifecycle(app_server: InProcessServer) -> None:
    pad = await app_server.create_pad()
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
        response = await call(app_server, "POST", f"{pid}/{action}", host)
        assert response.status_code == 200, response.text
        assert response.json()["state"] == state
    assert await status(app_server, "DELETE", pid, host) == 204
    assert await status(app_server, "GET", pid, host) == 404


@pytest.mark.parametrize("action", ["close", "reopen", "purge", "publish", "unpublish"])
async def test_action_errors(app_server: InProcessServer, action: str) -> None:
    pad = await app_server.create_pad()
    pid = pad["id"]
    assert await status(app_server, "POST", f"{pid}/{action}", None) == 401
    assert await status(app_server, "POST", f"{pid}/{action}", "wrong") == 401
    for role in ("edit", "view"):
        refused = await call(app_server, "POST", f"{pid}/{action}", pad[f"{role}_key"])
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "forbidden"
    assert await status(app_server, "POST", f"nope/{action}", pad["host_key"]) == 404
    if action in {"reopen", "publish", "unpublish"}:
        conflict = await call(app_server, "POST", f"{pid}/{action}", pad["host_key"])
        assert conflict.status_code == 409
        assert "live pad cannot be" in conflict.json()["error"]["message"]


async def test_delete_errors(app_server: InProcessServer) -> None:
    pad = await app_server.create_pad()
    assert await status(app_server, "DELETE", pad["id"], None) == 401
    assert await status(app_server, "DELETE", pad["id"], pad["edit_key"]) == 403
    assert await status(app_server, "DELETE", "nope", pad["host_key"]) == 404


async def test_contacts_until_the_purge(socket_server: InProcessServer) -> None:
    server = socket_server
    pad = await server.create_pad()
    async with server.peer(pad) as peer:
        await peer.insert(0, "Liste : anne@exemple.bzh, Bob <bob@mairie.fr>, anne@exemple.bzh\n")
        async with server.peer(pad) as other:
            await other.wait_text(str(peer.text))
    for role in ("edit", "view"):
        assert await status(server, "GET", f"{pad['id']}/contacts", pad[f"{role}_key"]) == 403
    response = await call(server, "GET", f"{pad['id']}/contacts", pad["host_key"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines() == ["email", "anne@exemple.bzh", "bob@mairie.fr"]
    await call(server, "POST", f"{pad['id']}/purge", pad["host_key"])
    gone = await call(server, "GET", f"{pad['id']}/contacts", pad["host_key"])
    assert gone.status_code == 409


async def test_close_turns_attendees_read_only_live(socket_server: InProcessServer) -> None:
    server = socket_server
    pad = await server.create_pad()
    async with server.peer(pad) as attendee, server.peer(pad, "host") as host:
        await attendee.insert(0, "avant. ")
        await host.wait_text("avant. ")
        assert await status(server, "POST", f"{pad['id']}/close", pad["host_key"]) == 200
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
    assert await server.read_text(pad) == "avant. mis au propre"
    await server.restart()
    assert await server.read_text(pad) == "avant. mis au propre"


async def test_pad_creation_rate_limit_and_one_past(app_factory: AppFactory) -> None:
    server = await app_factory(pad_burst=3, pads_per_minute=1)
    for _ in range(3):
        await server.create_pad()
    refused = await server.client.post("/api/pads", json={"title": "encore"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "too_many"


async def test_failed_key_rate_limit_and_one_past(app_factory: AppFactory) -> None:
    server = await app_factory(failed_key_burst=3, failed_keys_per_minute=1)
    pad = await server.create_pad()
    for _ in range(3):
        assert await status(server, "GET", pad["id"], "wrong") == 401
    assert await status(server, "GET", pad["id"], "wrong") == 429
    # A correct key is never locked out by wrong ones (issue 17; tests/server/test_ratelimit.py).
    assert await status(server, "GET", pad["id"], pad["host_key"]) == 200
    assert await status(server, "GET", pad["id"], "wrong") == 429


async def test_host_metadata_shows_the_links_again(app_server: InProcessServer) -> None:
    pad = await app_server.create_pad()
    meta = (await call(app_server, "GET", pad["id"], pad["host_key"])).json()
    assert meta["links"] == pad["links"]
    assert "links" not in (await call(app_server, "GET", pad["id"], pad["edit_key"])).json()
    closed = await call(app_server, "POST", f"{pad['id']}/close", pad["host_key"])
    assert closed.headers["cache-control"] == "no-store"
    assert closed.json()["state"] == "closed"
    assert closed.json()["links"] == pad["links"]


async def test_activity_counts_survive_the_purge(socket_server_factory: AppFactory) -> None:
    """And the purge counts people who wrote, not sessions: Alice wrote from two browsers,
    Bob from one, Chloé only read."""
    server = await socket_server_factory(activity_flush_seconds=0.2)
    pad = await server.create_pad()
    async with (
        server.peer(pad) as alice,
        server.peer(pad) as alice_again,
        server.peer(pad) as bob,
        server.peer(pad) as chloe,
    ):
        for i in range(5):
            await alice.insert(i, "a")
            await bob.insert(0, "b")
        await alice_again.insert(0, "c")
        # Each has its own edits: equal texts mean the server relayed all eleven.
        assert len(await converged(alice, alice_again, bob, chloe)) == 11
        named = [(alice, "Alice"), (alice_again, "Alice"), (bob, "Bob"), (chloe, "Chloé")]
        for peer, name in named:
            await peer.set_user(name)
        while chloe.peer_names() != ["Alice", "Alice", "Bob"]:
            await asyncio.sleep(0.02)
    meta = (await call(server, "POST", f"{pad['id']}/purge", pad["host_key"])).json()
    assert meta["contributors"] == 2
    await server.stop()
    with sqlite3.connect(server.db) as db:
        edits = db.execute("SELECT sum(edits) FROM activity WHERE pad_id = ?", (pad["id"],))
        assert edits.fetchone()[0] == 11


async def test_a_server_down_past_the_purge_closes_and_purges_at_start(
    app_factory: AppFactory,
) -> None:
    """The pad ends and its purge falls due while the server is down (its clock moves on
    meanwhile): the first scheduler tick after the start closes and purges it."""
    clock = FakeClock()
    server = await app_factory(clock=clock)
    pad = await server.create_pad(
        starts_at=(clock.now - timedelta(minutes=5)).isoformat(),
        ends_at=(clock.now + timedelta(seconds=60)).isoformat(),
        purge_after_minutes=0,
    )
    assert (await call(server, "GET", pad["id"], pad["host_key"])).json()["state"] == "live"
    await server.stop()
    clock.advance(90)
    await server.start()
    state = ""
    for _ in range(100):
        state = (await call(server, "GET", pad["id"], pad["host_key"])).json()["state"]
        if state == "purged":
            break
        await asyncio.sleep(0.05)
    assert state == "purged"
    with sqlite3.connect(server.db) as db:
        moves = db.execute(
            "SELECT from_state, to_state, by FROM transitions WHERE pad_id = ? ORDER BY id",
            (pad["id"],),
        ).fetchall()
    assert moves == [
        ("live", "closed", "schedule"),
        ("closed", "purging", "schedule"),
        ("purging", "purged", "schedule"),
    ]
