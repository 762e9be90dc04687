"""Awareness against a real server: each limit at its value and one past it, the takeover of a
writer's id (the app served in the test's loop), and a socket announcing 100,000 ids (a
`skrid serve` subprocess: its memory and latency are the process's own)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import websockets

from server import protocol
from server.protocol import AwarenessEntry
from tests.live import AppFactory, InProcessServer, LiveServer
from tests.ypeer import YPeer


def user(name: str) -> dict[str, Any]:
    return {"user": {"name": name, "color": "#30bced"}}


def frame(*entries: AwarenessEntry) -> bytes:
    return protocol.awareness(protocol.encode_awareness(list(entries)))


async def until(predicate: Callable[[], bool], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def name_of(peer: YPeer, client_id: int) -> str | None:
    state = peer.awareness.states.get(client_id)
    return state["user"]["name"] if state and "user" in state else None


async def test_ids_per_socket_limit_and_one_past(socket_server_factory: AppFactory) -> None:
    server = await socket_server_factory(max_awareness_ids_per_socket=2)
    pad = await server.create_pad()
    async with server.peer(pad, "view") as observer:
        sender = await server.peer(pad, "view").connect()
        await sender.send_raw(
            frame(AwarenessEntry(101, 1, user("Un")), AwarenessEntry(102, 1, user("Deux")))
        )
        await until(lambda: observer.peer_names() == ["Deux", "Un"])
        await sender.send_raw(frame(AwarenessEntry(101, 2, None)))  # a cleared id still counts
        await until(lambda: observer.peer_names() == ["Deux"])
        await sender.send_raw(frame(AwarenessEntry(103, 1, user("Trois"))))
        code, reason = await sender.wait_closed()
        assert code == 1008
        assert "at most 2 ids" in (reason or "")
        await until(lambda: observer.peer_names() == [])
        assert name_of(observer, 103) is None
    log = server.log()
    assert "awareness refused (TooManyAwarenessIds): 1 entries, 3 ids, close 1008" in log
    assert "Trois" not in log and "Deux" not in log


async def test_state_size_limit_and_one_past(socket_server_factory: AppFactory) -> None:
    server = await socket_server_factory(max_awareness_state_bytes=200)
    pad = await server.create_pad()
    at_limit = {"user": {"name": "x" * 180}}
    assert len(protocol.encode_state(at_limit)) == 200
    async with server.peer(pad, "view") as observer:
        sender = await server.peer(pad, "view").connect()
        await sender.send_raw(frame(AwarenessEntry(7, 1, at_limit)))
        await until(lambda: name_of(observer, 7) == "x" * 180)
        await sender.send_raw(frame(AwarenessEntry(7, 2, {"user": {"name": "y" * 181}})))
        code, reason = await sender.wait_closed()
        assert code == 1009
        assert "at most 200 bytes" in (reason or "")
        await until(lambda: name_of(observer, 7) is None)
    assert "awareness refused (AwarenessTooLarge): 1 entries, 0 ids, close 1009" in server.log()


async def test_states_per_pad_limit_and_one_past(socket_server_factory: AppFactory) -> None:
    """Past the pad's limit a new state is not shown; its socket stays open and shows once a
    state has left (the npm client announces itself again every 15 s)."""
    server = await socket_server_factory(max_awareness_states=3)
    pad = await server.create_pad()
    async with server.peer(pad, "view") as observer:
        peers = [await server.peer(pad, "view").connect() for _ in range(4)]
        for i, peer in enumerate(peers[:3]):
            await peer.set_user(f"P{i}")
        await until(lambda: observer.peer_names() == ["P0", "P1", "P2"])
        await peers[3].set_user("P3")
        await asyncio.sleep(0.3)
        assert observer.peer_names() == ["P0", "P1", "P2"]
        assert peers[3].close_code is None
        await peers[0].close()
        await until(lambda: observer.peer_names() == ["P1", "P2"])
        await peers[3].set_user("P3")
        await until(lambda: observer.peer_names() == ["P1", "P2", "P3"])
        for peer in peers[1:]:
            await peer.close()
    assert "awareness full (3 states)" in server.log()


async def test_entries_per_frame_limit_and_one_past(
    socket_server_factory: AppFactory,
) -> None:
    """Entries about an id another socket holds (what the npm client echoes) are dropped, but
    still count: the limit is read before any entry is."""
    server = await socket_server_factory(max_awareness_entries=5)
    pad = await server.create_pad()
    async with server.peer(pad, "view") as observer, server.peer(pad) as holder:
        await holder.set_user("Holder")
        await until(lambda: observer.peer_names() == ["Holder"])
        cid = holder.awareness.client_id
        sender = await server.peer(pad, "view").connect()
        await sender.send_raw(frame(*(AwarenessEntry(cid, 10**6 + i, user("X")) for i in range(5))))
        await asyncio.sleep(0.3)
        assert sender.close_code is None
        assert observer.peer_names() == ["Holder"]
        await sender.send_raw(frame(*(AwarenessEntry(cid, 10**6 + i, user("X")) for i in range(6))))
        code, reason = await sender.wait_closed()
        assert code == 1009
        assert "at most 5 entries" in (reason or "")
    assert "awareness refused (AwarenessTooLarge): 6 entries, 0 ids, close 1009" in server.log()


def awareness_answers(peer: YPeer) -> list[bytes]:
    return [f for f in peer.received if f[0] == 1 and f != protocol.KEEPALIVE]


async def test_queries_are_answered_once_per_window(
    socket_server_factory: AppFactory,
) -> None:
    server = await socket_server_factory(awareness_query_seconds=0.5)
    pad = await server.create_pad()
    async with server.peer(pad) as holder, server.peer(pad, "view") as asker:
        await holder.set_user("Holder")
        await until(lambda: asker.peer_names() == ["Holder"])
        before = len(awareness_answers(asker))
        for _ in range(50):
            await asker.send_raw(b"\x03")
        await asyncio.sleep(0.3)
        assert len(awareness_answers(asker)) == before + 1
        await asyncio.sleep(0.3)
        await asker.send_raw(b"\x03")
        await until(lambda: len(awareness_answers(asker)) == before + 2)
        answers = awareness_answers(asker)[before:]
        assert answers[0] == answers[1]
        assert protocol.parse_awareness(protocol.parse(answers[0]).payload)[0].state == user(
            "Holder"
        )


async def test_a_writer_takes_its_id_back_from_a_view_key_socket(
    socket_server: InProcessServer,
) -> None:
    """Issue 17, point 7: writer A announces id X; A's socket drops; a view-key socket V claims
    X with the largest clock there is; A reconnects (same client, same clock) and announces X
    again: a third client shows A's state, not V's, and A keeps its own."""
    pad = await socket_server.create_pad()
    async with socket_server.peer(pad, "view") as third:
        alice = await socket_server.peer(pad).connect()
        await alice.set_user("Alice")
        x = alice.awareness.client_id
        await until(lambda: name_of(third, x) == "Alice")
        async with socket_server.peer(pad, "view") as mallory:
            mallory_state = user("Mallory")
            await mallory.send_raw(frame(AwarenessEntry(x, 2**40, mallory_state)))
            await asyncio.sleep(0.2)
            assert name_of(third, x) == "Alice"  # held by a connected socket: refused
            await alice.close()
            await until(lambda: name_of(third, x) is None)
            await mallory.send_raw(frame(AwarenessEntry(x, 2**53 - 1, mallory_state)))
            await until(lambda: name_of(third, x) == "Mallory")

            again = YPeer(socket_server.ws_url, pad["id"], pad["edit_key"], doc=alice.doc)
            again.awareness = alice.awareness  # the npm provider keeps its awareness, and clock
            await again.connect(announce=True)
            await until(lambda: name_of(third, x) == "Alice")
            assert name_of(again, x) == "Alice"
            await mallory.send_raw(frame(AwarenessEntry(x, 2**53 - 1, mallory_state)))
            await again.set_user("Alice")
            await asyncio.sleep(0.3)
            assert name_of(third, x) == "Alice"
            assert name_of(again, x) == "Alice"
            assert mallory.close_code is None
            await again.close()
            await until(lambda: name_of(third, x) is None)


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def announcing(ids: int, entries_per_frame: int) -> list[bytes]:
    """Frames announcing `ids` client ids, built before the clock runs (encoding them blocks
    the test's own loop)."""
    state = user("m" * 20)
    return [
        frame(*(AwarenessEntry(start + i, 1, state) for i in range(entries_per_frame)))
        for start in range(1, ids + 1, entries_per_frame)
    ]


async def flood(server: LiveServer, pad: dict[str, Any], frames: list[bytes]) -> int | None:
    """Send every frame on one view-key socket; the close code it gets."""
    url = f"{server.ws_url}/ws/{pad['id']}?k={pad['view_key']}"
    async with websockets.connect(url, max_size=None) as ws:
        with contextlib.suppress(websockets.ConnectionClosed):
            for data in frames:
                await ws.send(data)
            async for _ in ws:
                pass
    return ws.close_code


async def test_a_socket_announcing_100000_ids_is_closed_and_costs_nothing(
    live_server: LiveServer,
) -> None:
    assert live_server.process is not None
    pid = live_server.process.pid
    pad, other = live_server.create_pad(), live_server.create_pad()
    async with live_server.peer(other) as writer, live_server.peer(other, "view") as reader:
        await writer.append("avant ")
        await reader.wait_text("avant ")
        rss_before = rss_bytes(pid)
        latencies: list[float] = []
        relays: list[float] = []

        async def watch() -> None:
            async with httpx.AsyncClient() as client:
                for i in range(20):
                    start = time.monotonic()
                    response = await client.get(f"{live_server.url}/healthz", timeout=10)
                    assert response.status_code == 200
                    latencies.append(time.monotonic() - start)
                    start = time.monotonic()
                    await writer.append(f"{i};")
                    await reader.wait_text(str(writer.text))
                    relays.append(time.monotonic() - start)
                    await asyncio.sleep(0.02)

        past, at = announcing(100_000, 5_000), announcing(100_000, 1_000)
        codes = await asyncio.gather(
            watch(),
            flood(live_server, pad, past),  # past max_awareness_entries: 1009 at once
            flood(live_server, pad, at),  # at it: 1008 once past the socket's ids
        )
        assert codes[1:] == [1009, 1008]
        rss_after = rss_bytes(pid)
        async with live_server.peer(pad, "view") as joiner:
            await asyncio.sleep(0.2)
            assert len(joiner.awareness.states) == 1  # its own: nothing was kept
    assert rss_after - rss_before < 30 * 2**20, (rss_before, rss_after)
    assert max(latencies) < 1.0, latencies
    assert max(relays) < 1.0, relays
    if os.environ.get("SKRID_TEST_VERBOSE"):
        print(rss_before, rss_after, max(latencies), max(relays))
