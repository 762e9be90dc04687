"""Guarantee 2: an update that the server has relayed to anyone is already in the store; a restart
loads every pad as it was, and a `kill -9` at any moment loses none of the relayed updates."""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
from collections.abc import Callable

import websockets

from tests.live import LiveServer


async def test_restart_loads_every_pad_as_it_was(live_server: LiveServer) -> None:
    pads = [live_server.create_pad(f"Pad {i}") for i in range(3)]
    expected = {}
    for i, pad in enumerate(pads):
        async with live_server.peer(pad) as a, live_server.peer(pad) as b:
            await a.insert(0, f"Notes du pad {i}. ")
            await b.wait_text(f"Notes du pad {i}. ")
            await b.edit(lambda text: text.insert(len(str(text)), "Question : quand ?"))
            await a.wait_text(f"Notes du pad {i}. Question : quand ?")
            await a.edit(lambda text: text.__delitem__(slice(0, 6)))
            await b.wait_text(str(a.text))
            expected[pad["id"]] = str(a.text)
    live_server.restart()
    for pad in pads:
        assert await live_server.read_text(pad) == expected[pad["id"]]


async def test_restart_after_compaction(server_factory: Callable[..., LiveServer]) -> None:
    server = server_factory(compact_after_updates=10)
    pad = server.create_pad()
    async with server.peer(pad) as peer:
        for i in range(95):
            await peer.insert(i, "abcdefghij"[i % 10])
        async with server.peer(pad) as other:
            await other.wait_text(str(peer.text))
        expected = str(peer.text)
    server.restart()
    assert await server.read_text(pad) == expected


async def test_kill_9_loses_nothing_that_was_relayed(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(compact_after_updates=50)
    pad = server.create_pad()
    writers = [await server.peer(pad).connect() for _ in range(3)]
    observer = await server.peer(pad).connect()
    rng = random.Random(7)

    async def write(peer_index: int) -> None:
        peer = writers[peer_index]
        with contextlib.suppress(websockets.ConnectionClosed):
            for n in range(10_000):
                token = f"<{peer_index}:{n}>"
                position = rng.choice([0, len(str(peer.text))])  # never inside a token
                await peer.insert(position, token)
                await asyncio.sleep(0.002)

    tasks = [asyncio.create_task(write(i)) for i in range(3)]
    await asyncio.sleep(1.5)
    server.kill()
    await asyncio.gather(*tasks)
    seen = str(observer.text)
    received = len(observer.received)
    for peer in [*writers, observer]:
        await peer.close()
    assert received > 50, "the observer should have received a stream before the kill"
    server.start()
    stored = await server.read_text(pad)
    stored_tokens = set(re.findall(r"<\d+:\d+>", stored))
    missing = [t for t in re.findall(r"<\d+:\d+>", seen) if t not in stored_tokens]
    assert not missing, f"{len(missing)} relayed updates lost, e.g. {missing[:3]}"
