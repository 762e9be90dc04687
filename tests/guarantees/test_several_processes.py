"""Several `skrid serve` processes behind one address, on one PostgreSQL and one Redis: the
attendees of one pad spread over all of them see one pad. Skipped without
`SKRID_TEST_POSTGRES_URL` and `SKRID_TEST_REDIS_URL`.

Three processes on three ports share a schema of their own and a Redis key prefix of their own;
after each test nothing is left in Redis under that prefix (pub/sub only: nothing of a pad is
kept there)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
import redis.asyncio as aioredis

from server.purge import PURGED_CLOSE
from tests.live import LiveServer, node_peers
from tests.postgres import checkpoint, files_holding
from tests.ypeer import YPeer, converged

ADDRESS = "maela.kerjean@exemple.bzh"
NPM_TYPES = "tapé dans le navigateur "


@pytest.fixture
async def redis_prefix() -> AsyncIterator[tuple[str, str]]:
    url = os.environ.get("SKRID_TEST_REDIS_URL")
    if not url:
        pytest.skip("SKRID_TEST_REDIS_URL is not set: no Redis to test against")
    prefix = f"skrid-test-{secrets.token_hex(6)}"
    yield url, prefix
    client = aioredis.from_url(url)
    try:
        left = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if left:
            await client.delete(*left)
        assert not left, f"keys left in Redis: {left}"
    finally:
        await client.aclose()


@pytest.fixture
def cluster_factory(
    postgres_schema: tuple[str, str], redis_prefix: tuple[str, str], server_factory: Any, tmp_path
) -> Callable[..., list[LiveServer]]:
    """`cluster_factory(count, **settings)`: that many processes on the test's schema and
    prefix. (The schema and the prefix are asked for first: their clean-up then runs after the
    servers have stopped.)"""
    url, schema = postgres_schema
    redis_url, prefix = redis_prefix

    def start(count: int, **settings: Any) -> list[LiveServer]:
        return [
            server_factory(
                tmp_path / f"unused{index}.sqlite3",
                database_url=url,
                database_schema=schema,
                redis_url=redis_url,
                redis_prefix=prefix,
                names_model=False,
                **settings,
            )
            for index in range(count)
        ]

    return start


@pytest.fixture
def cluster(cluster_factory: Callable[..., list[LiveServer]]) -> list[LiveServer]:
    return cluster_factory(3)


def host(pad: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pad['host_key']}"}


async def connected(server: LiveServer, pad: dict[str, Any], name: str | None = None) -> YPeer:
    peer = server.peer(pad)
    await peer.connect()
    if name is not None:
        await peer.set_user(name)
    return peer


async def test_attendees_on_three_processes_write_one_pad(cluster: list[LiveServer]) -> None:
    pad = cluster[0].create_pad("Webinaire")
    peers = [await connected(server, pad) for server in cluster for _ in range(2)]
    npm = asyncio.create_task(
        node_peers(cluster[2], pad, "--type", NPM_TYPES, "--clients", "3", "--timeout", "60")
    )

    async def write(peer: YPeer, index: int) -> None:
        for line in range(15):
            await peer.append(f"{index}:{line} ")
            await asyncio.sleep(0.01)

    await asyncio.gather(*(write(peer, index) for index, peer in enumerate(peers)))
    status, result = await npm
    assert status == 0, result
    text = await converged(*peers, timeout=20)
    assert result["server"] == text
    for index in range(len(peers)):
        assert all(f"{index}:{line} " in text for line in range(15))
    typed = sum(len(f"{index}:{line} ") for index in range(len(peers)) for line in range(15))
    assert len(text) == typed + 3 * len(NPM_TYPES)
    for server in cluster:
        assert await server.read_text(pad) == text
    for peer in peers:
        await peer.close()


async def test_lost_redis_connections_cost_latency_never_an_update(
    cluster: list[LiveServer], redis_prefix: tuple[str, str]
) -> None:
    pad = cluster[0].create_pad("Webinaire")
    first, second = await connected(cluster[0], pad), await connected(cluster[1], pad)
    admin = aioredis.from_url(redis_prefix[0])
    try:
        for round_ in range(3):
            await first.append(f"avant {round_} ")
            kind = "pubsub" if round_ % 2 == 0 else "normal"  # the listeners, the publishers
            await admin.execute_command("CLIENT", "KILL", "TYPE", kind)
            await first.append(f"pendant {round_} ")
            await second.append(f"ailleurs {round_} ")
        text = await converged(first, second, timeout=20)
    finally:
        await admin.aclose()
    for round_ in range(3):
        for word in ("avant", "pendant", "ailleurs"):
            assert f"{word} {round_} " in text
    await first.close()
    await second.close()


async def test_names_cross_processes_and_leave_with_a_killed_one(
    cluster: list[LiveServer],
) -> None:
    pad = cluster[0].create_pad("Webinaire")
    katell = await connected(cluster[0], pad, "Katell")
    ewen = await connected(cluster[1], pad, "Ewen")
    late = await connected(cluster[2], pad)
    for peer, others in ((katell, {"Ewen"}), (ewen, {"Katell"}), (late, {"Katell", "Ewen"})):
        await until(lambda: others <= set(peer.peer_names()), 10, f"{others} seen")  # noqa: B023
    cluster[0].kill()
    started = time.monotonic()
    for peer in (ewen, late):
        await until(lambda: "Katell" not in peer.peer_names(), 10, "Katell gone")  # noqa: B023
    assert time.monotonic() - started < 6, "the dead process's names outlived its heartbeat"
    for peer in (ewen, late):
        await peer.close()


async def until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        await asyncio.sleep(0.05)


async def test_a_close_and_a_purge_on_one_process_take_effect_in_every_process(
    cluster: list[LiveServer], postgres_schema: tuple[str, str]
) -> None:
    pad = cluster[0].create_pad("Webinaire")
    peers = [await connected(server, pad) for server in cluster]
    await peers[0].append(f"Écrire à {ADDRESS}\n")
    await peers[2].append("Notes du second process.\n")
    before = await converged(*peers)
    response = httpx.post(f"{cluster[1].url}/api/pads/{pad['id']}/close", headers=host(pad))
    assert response.status_code == 200, response.text
    await asyncio.sleep(0.5)
    await peers[2].append("écrit après la fermeture")
    await asyncio.sleep(0.5)
    assert await cluster[0].read_text(pad) == before, "a closed pad took an attendee's update"

    responses = await asyncio.gather(
        *(
            asyncio.to_thread(
                httpx.post,
                f"{server.url}/api/pads/{pad['id']}/purge",
                headers=host(pad),
                timeout=60,
            )
            for server in cluster
        )
    )
    assert sorted(r.status_code for r in responses)[0] == 200, [r.text for r in responses]
    for peer in peers:
        code, _ = await peer.wait_closed()
        assert code == PURGED_CLOSE
    for server in cluster:
        text = await server.read_text(pad)
        assert ADDRESS not in text and "Notes du second process." in text
    url, schema = postgres_schema
    moves = await audit(url, schema)
    assert moves.count(("closed", "purging")) == 1 and moves.count(("purging", "purged")) == 1
    await checkpoint(url)
    assert await files_holding(url, schema, ADDRESS.encode()) == []


async def test_a_killed_process_loses_nothing_and_stalls_no_one(cluster: list[LiveServer]) -> None:
    """Its attendees reconnect to another process with what they typed, acknowledged or not;
    the attendees of the other processes go on meanwhile."""
    pad = cluster[0].create_pad("Webinaire")
    doomed, writer, reader = [await connected(server, pad) for server in cluster]
    arrivals: dict[str, float] = {}

    async def type_lines(peer: YPeer, who: str) -> dict[str, float]:
        sent = {}
        for line in range(20):
            with contextlib.suppress(Exception):  # the doomed peer's socket dies midway
                await peer.append(f"{who}{line} ")
            sent[f"{who}{line} "] = time.monotonic()
            await asyncio.sleep(0.05)
        return sent

    async def watch() -> None:
        while len(arrivals) < 20:
            for line in range(20):
                token = f"w{line} "
                if token not in arrivals and token in str(reader.text):
                    arrivals[token] = time.monotonic()
            await asyncio.sleep(0.01)

    async def kill_midway() -> None:
        await asyncio.sleep(0.5)
        await asyncio.to_thread(cluster[0].kill)

    watcher = asyncio.create_task(watch())
    _, sent, _ = await asyncio.gather(
        type_lines(doomed, "d"), type_lines(writer, "w"), kill_midway()
    )
    await asyncio.wait_for(watcher, 10)
    late = {token: arrivals[token] - at for token, at in sent.items()}
    assert max(late.values()) < 2, f"the other processes stalled: {late}"

    back = YPeer(cluster[1].ws_url, pad["id"], pad["edit_key"], doc=doomed.doc)
    await back.connect()
    text = await converged(back, writer, reader, timeout=20)
    for line in range(20):
        assert f"d{line} " in text and f"w{line} " in text
    for peer in (back, writer, reader):
        await peer.close()


async def test_schedulers_ticking_in_every_process_move_a_pad_once(
    postgres_schema: tuple[str, str], cluster_factory: Callable[..., list[LiveServer]]
) -> None:
    url, schema = postgres_schema
    servers = cluster_factory(2, scheduler_seconds=0.2)
    ends = datetime.now(UTC) + timedelta(seconds=2)
    pad = servers[0].create_pad("Webinaire", ends_at=ends.isoformat(), purge_after_minutes=0)
    deadline = time.monotonic() + 30
    while (await audit(url, schema))[-1:] != [("purging", "purged")]:
        assert time.monotonic() < deadline, await audit(url, schema)
        await asyncio.sleep(0.2)
    await asyncio.sleep(1)
    assert await audit(url, schema) == [
        ("live", "closed"),
        ("closed", "purging"),
        ("purging", "purged"),
    ], f"pad {pad['id']}: each transition once"


async def audit(url: str, schema: str) -> list[tuple[str, str]]:
    db = await asyncpg.connect(url)
    try:
        rows = await db.fetch(
            f'SELECT from_state, to_state FROM "{schema}".transitions ORDER BY id'
        )
    finally:
        await db.close()
    return [(row["from_state"], row["to_state"]) for row in rows]
