"""Guarantee 4: nobody reads or writes without a key; keys are long random values, stored only
as hashes, and never written to a log (query strings are cut from access lines)."""

from __future__ import annotations

import httpx

from server.access import hash_key
from tests.live import InProcessServer, LiveServer


async def test_keys_are_never_stored_nor_logged(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    keys = [pad["host_key"], pad["edit_key"], pad["view_key"]]
    for key in keys:
        httpx.get(f"{live_server.url}/api/pads/{pad['id']}", params={"k": key})
        async with live_server.peer(pad, "view"):
            pass
    httpx.get(f"{live_server.url}/api/pads/{pad['id']}", params={"k": keys[0] + "x"})
    live_server.stop()
    stored = b"".join(
        path.read_bytes() for path in live_server.db.parent.glob(live_server.db.name + "*")
    )
    log = live_server.log()
    assert f"/ws/{pad['id']}" in log and "/api/pads/" in log
    for key in keys:
        assert key.encode() not in stored
        assert hash_key(key) in stored
        assert key not in log
        assert key[:12] not in log
    assert "k=" not in log


async def test_keys_are_long_and_distinct(app_server: InProcessServer) -> None:
    seen = set()
    for _ in range(20):
        pad = await app_server.create_pad()
        for role in ("host", "edit", "view"):
            key = pad[f"{role}_key"]
            assert len(key) >= 32  # 24 random bytes in base64url: 192 bits
            seen.add(key)
    assert len(seen) == 60


async def test_a_key_opens_only_its_own_pad(app_server: InProcessServer) -> None:
    first, second = await app_server.create_pad(), await app_server.create_pad()
    response = await app_server.client.get(
        f"/api/pads/{second['id']}", params={"k": first["host_key"]}
    )
    assert response.status_code == 401
