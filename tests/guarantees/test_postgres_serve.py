"""`skrid serve` on PostgreSQL keeps the durability rule and the purge's promise: what a peer
received survives a kill -9 of the server, after a purge no file of the pad's tables holds an
address (nor does the log), and a database that stops answering closes the pads' sockets
instead of hanging them, until it answers again. Skipped without `SKRID_TEST_POSTGRES_URL`."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.live import LiveServer
from tests.postgres import StallingProxy, checkpoint, files_holding
from tests.ypeer import YPeer, converged

ADDRESS = "ewen.tregoat@exemple.bzh"


@pytest.fixture
def pg_server(postgres_schema: tuple[str, str], server_factory: Any) -> LiveServer:
    """(The schema first: it is dropped after the server has stopped.)"""
    url, schema = postgres_schema
    return server_factory(database_url=url, database_schema=schema, names_model=False)


async def test_on_postgres_a_kill_loses_nothing_relayed_and_the_purge_forgets(
    pg_server: LiveServer, postgres_schema: tuple[str, str]
) -> None:
    url, schema = postgres_schema
    pad = pg_server.create_pad("Webinaire")
    alice, bob = pg_server.peer(pad), pg_server.peer(pad)
    await alice.connect()
    await bob.connect()
    for index in range(30):
        await alice.append(f"ligne {index} : écrire à {ADDRESS}\n")
    received = await converged(alice, bob)
    pg_server.kill()
    await alice.close()
    await bob.close()
    pg_server.start()
    assert await pg_server.read_text(pad) == received
    await checkpoint(url)
    assert await files_holding(url, schema, ADDRESS.encode()), "the search must see rows"

    response = httpx.post(
        f"{pg_server.url}/api/pads/{pad['id']}/purge",
        headers={"Authorization": f"Bearer {pad['host_key']}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "purged"
    text = await pg_server.read_text(pad)
    assert ADDRESS not in text and "[adresse retirée]" in text
    assert await files_holding(url, schema, ADDRESS.encode()) == []
    assert ADDRESS not in pg_server.log()


async def test_a_database_that_stops_answering_closes_sockets_and_is_reconnected(
    postgres_schema: tuple[str, str], server_factory: Any
) -> None:
    url, schema = postgres_schema
    parts = urlsplit(url)
    with StallingProxy(parts.hostname or "127.0.0.1", parts.port or 5432) as proxy:
        through = parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}").geturl()
        server = server_factory(
            database_url=through,
            database_schema=schema,
            database_timeout_seconds=1,
            names_model=False,
        )
        pad = server.create_pad("Webinaire")
        peer = await connected(server, pad)
        await peer.append("avant la panne ")
        await converged(peer, await connected(server, pad))
        proxy.stall()
        started = time.monotonic()
        await peer.append("pendant la panne ")
        code, _ = await peer.wait_closed(timeout=15)
        assert code == 1011 and time.monotonic() - started < 10
        proxy.restore()
        again = await until_connected(server, pad)
        assert str(again.text).startswith("avant la panne ")
        await again.append("après la panne")
        assert "après la panne" in await server.read_text(pad)
        server.stop()


async def connected(server: LiveServer, pad: dict[str, Any]) -> YPeer:
    peer = server.peer(pad)
    await peer.connect()
    return peer


async def until_connected(server: LiveServer, pad: dict[str, Any]) -> YPeer:
    """A peer on the pad once the server can load it again (a page keeps reconnecting)."""
    deadline = time.monotonic() + 20
    while True:
        try:
            return await connected(server, pad)
        except Exception:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)
