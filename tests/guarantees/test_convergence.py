"""Guarantee 1: every client of a pad ends with the same text, whatever the interleaving, with
the JavaScript Yjs client (unmodified npm `yjs` + `y-websocket`, run by Node) and with pycrdt
clients alike, and that text is the server's.

The random edits use accented letters but no character outside the BMP: the JavaScript clients
pick positions in UTF-16 units, and a position inside a surrogate pair (half an emoji) is treated
differently by Yjs (each half becomes U+FFFD) and by yrs. No editor puts a cursor there; emoji at
character positions are covered by the pycrdt test below."""

from __future__ import annotations

import asyncio
import random

from tests.live import InProcessServer, LiveServer, node_peers
from tests.ypeer import YPeer

CLIENTS = 10
OPS = 60
WORDS = ("kenavo ", "demat ", "é", "notes ", "x")


async def random_edits(peer: YPeer, seed: int, words: tuple[str, ...] = WORDS) -> None:
    rng = random.Random(seed)
    for _ in range(OPS):
        length = len(str(peer.text))
        if length > 5 and rng.random() < 0.35:
            start = rng.randrange(length)
            end = min(length, start + rng.randint(1, 4))
            await peer.delete(start, end)
        else:
            word = rng.choice(words)
            await peer.insert(rng.randint(0, length), word)
        await asyncio.sleep(rng.random() * 0.02)


async def wait_equal(peers: list[YPeer], expected: str) -> None:
    for _ in range(500):
        if all(str(p.text) == expected for p in peers):
            return
        await asyncio.sleep(0.02)
    texts = {str(p.text) for p in peers}
    raise AssertionError(f"pycrdt clients did not converge: {texts!r} vs {expected!r}")


async def test_pycrdt_and_npm_clients_converge(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    peers = [await live_server.peer(pad).connect() for _ in range(CLIENTS)]
    await peers[0].insert(0, "Début du webinaire. ")
    await asyncio.sleep(0.2)
    node = asyncio.create_task(
        node_peers(
            live_server,
            pad,
            "--clients",
            str(CLIENTS),
            "--ops",
            str(OPS),
            "--seed",
            "3",
            "--timeout",
            "90",
        )
    )
    await asyncio.gather(*(random_edits(peer, i) for i, peer in enumerate(peers)))
    status, result = await node
    assert status == 0, result
    server_text = await live_server.read_text(pad)
    await wait_equal(peers, server_text)
    assert result["synced"] is True
    assert set(result["texts"]) == {server_text}
    assert "kenavo" in server_text or "demat" in server_text
    for peer in peers:
        await peer.close()
    live_server.restart()
    assert await live_server.read_text(pad) == server_text


async def test_pycrdt_clients_converge_with_emoji(socket_server: InProcessServer) -> None:
    """pycrdt clients only: the server is the app in process, on a loopback port."""
    pad = await socket_server.create_pad()
    peers = [await socket_server.peer(pad).connect() for _ in range(5)]
    words = (*WORDS, "🙂", "👩🏽‍🌾 ", "𝔅")
    await asyncio.gather(*(random_edits(peer, 100 + i, words) for i, peer in enumerate(peers)))
    server_text = await socket_server.read_text(pad)
    await wait_equal(peers, server_text)
    assert "🙂" in server_text or "𝔅" in server_text
    for peer in peers:
        await peer.close()
