"""Guarantee 5: malformed or mutated frames close the sender's socket with a reason, never crash
the server, never disturb the room's other clients, and are never written to the store."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Iterator

import websockets
from pycrdt import Doc, Text

from server import protocol
from tests.live import LiveServer

FRAMES = 2_000


def is_applicable(update: bytes, base: bytes) -> bool:
    """Whether pycrdt would accept this update: such a frame is not malformed, so it is skipped."""
    doc = Doc()
    doc.apply_update(base)
    try:
        doc.apply_update(update)
    except BaseException:
        return False
    return True


def malformed_frames(seed: int, real_update: bytes, base: bytes) -> Iterator[bytes]:
    rng = random.Random(seed)
    makers = [
        lambda: rng.randbytes(rng.randint(0, 64)),
        lambda: protocol.sync_update(real_update)[: rng.randint(1, len(real_update))],
        lambda: bytes([0, rng.choice([0, 1, 2])]) + b"\xff" * rng.randint(1, 9),
        lambda: protocol.sync_update(rng.randbytes(rng.randint(1, 40))),
        lambda: protocol.sync_update(bytearray_flip(rng, real_update)),
        lambda: protocol.sync_step1(rng.randbytes(rng.randint(1, 12))),
        lambda: protocol.awareness(rng.randbytes(rng.randint(1, 30))),
        lambda: bytes([rng.randint(4, 127)]) + rng.randbytes(rng.randint(0, 10)),
        lambda: protocol.sync_update(real_update) + rng.randbytes(rng.randint(1, 5)),
    ]
    produced = 0
    while produced < FRAMES:
        frame = rng.choice(makers)()
        try:
            message = protocol.parse(frame)
        except Exception:
            message = None
        if isinstance(message, protocol.SyncUpdate) and is_applicable(message.update, base):
            continue
        if isinstance(message, protocol.SyncStep1 | protocol.QueryAwareness):
            continue
        if isinstance(message, protocol.AwarenessUpdate):
            try:
                protocol.parse_awareness(message.payload)
                continue
            except Exception:
                pass
        produced += 1
        yield frame


def bytearray_flip(rng: random.Random, data: bytes) -> bytes:
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
    return bytes(mutated)


def stored_update_count(server: LiveServer) -> int:
    with sqlite3.connect(f"file:{server.db}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM updates").fetchone()[0]


async def test_malformed_frames_never_reach_the_room_or_store(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    url = f"{live_server.ws_url}/ws/{pad['id']}?k={pad['edit_key']}"
    source = Doc()
    source.get("content", type=Text).insert(0, "référence")
    real_update = source.get_update()
    async with live_server.peer(pad) as bystander, live_server.peer(pad) as watcher:
        await bystander.insert(0, "Début. ")
        await watcher.wait_text("Début. ")
        base = bystander.doc.get_update()
        rows_before = stored_update_count(live_server)
        codes: dict[int, int] = {}
        for i, frame in enumerate(malformed_frames(2026, real_update, base)):
            async with websockets.connect(url, max_size=None) as ws:
                await ws.send(frame)
                try:
                    while True:
                        await asyncio.wait_for(ws.recv(), 5)
                except websockets.ConnectionClosed:
                    pass
                codes[ws.close_code] = codes.get(ws.close_code, 0) + 1
                assert ws.close_reason, f"frame {i} closed without a reason"
            if i % 250 == 0:
                await bystander.insert(len(str(bystander.text)), f"{i};")
                await watcher.wait_text(str(bystander.text))
        assert set(codes) <= {1003, 1007}, codes
        assert sum(codes.values()) == FRAMES
        expected = str(bystander.text)
        await watcher.wait_text(expected)
        assert stored_update_count(live_server) == rows_before + 8
    assert await live_server.read_text(pad) == expected
    live_server.restart()
    assert await live_server.read_text(pad) == expected
    assert "Traceback" not in live_server.log()
