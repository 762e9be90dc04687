"""How a room relays committed updates: merged per commit, and per window on a busy pad.

A room's peers are anything with `send(frame)` and `close(code, reason)`: here they record what
they are sent. The room, its Doc and its store (a real SQLite file) are the real ones.
"""

from __future__ import annotations

import asyncio
import gc
import time
import weakref

import pytest
from pycrdt import Doc

from server.flush_window import FlushWindow
from server.room import Room
from server.settings import Settings
from server.store import SQLiteStore
from tests.server.helpers import RecordingPeer, typed


def room_with(store: SQLiteStore, window: float, peers: int) -> tuple[Room, list[RecordingPeer]]:
    room = Room("pad1", "live", Doc(), store, Settings(relay_batch_seconds=window))
    members = [RecordingPeer() for _ in range(peers)]
    for peer in members:
        room.add(peer)
    return room, members


@pytest.mark.usefixtures("pad1")
async def test_one_commit_is_relayed_as_one_frame(store: SQLiteStore) -> None:
    room, (alice, bob, reader) = room_with(store, window=0.02, peers=3)
    await asyncio.gather(
        room.receive_update(typed("alice "), origin=alice),
        room.receive_update(typed("bob "), origin=bob),
    )
    await asyncio.sleep(0.01)
    assert len(reader.updates) == 1
    assert sorted(reader.text().split()) == ["alice", "bob"]
    assert (len(alice.updates), alice.text()) == (1, "bob ")
    assert (len(bob.updates), bob.text()) == (1, "alice ")


@pytest.mark.usefixtures("pad1")
async def test_a_quiet_pad_relays_at_once(store: SQLiteStore) -> None:
    room, (writer, reader) = room_with(store, window=5.0, peers=2)
    await room.receive_update(typed("bonjour"), origin=writer)
    await asyncio.sleep(0)
    assert reader.text() == "bonjour"
    assert writer.updates == []


@pytest.mark.usefixtures("pad1")
async def test_a_busy_pad_merges_what_comes_within_the_window(store: SQLiteStore) -> None:
    window = 0.3
    room, (writer, reader) = room_with(store, window=window, peers=2)
    started = time.monotonic()
    await room.receive_update(typed("un "), origin=writer)
    for word in ("deux ", "trois "):
        await room.receive_update(typed(word), origin=None)
    await asyncio.sleep(0)
    assert len(reader.updates) == 1
    await asyncio.sleep(window + 0.1)
    (first, _), (second, _) = reader.updates
    assert first - started < window / 3
    assert second - first == pytest.approx(window, abs=0.1)
    assert sorted(reader.text().split()) == ["deux", "trois", "un"]
    assert sorted(writer.text().split()) == ["deux", "trois"]


async def test_a_flush_window_runs_once_per_window_and_can_be_cancelled() -> None:
    runs: list[float] = []
    window = FlushWindow(0.2, leading=True)

    def flush() -> None:
        runs.append(time.monotonic())

    window.request(flush)
    assert runs == []
    await asyncio.sleep(0)
    assert len(runs) == 1
    for _ in range(5):
        window.request(flush)
    await asyncio.sleep(0.3)
    assert len(runs) == 2
    assert runs[1] - runs[0] == pytest.approx(0.2, abs=0.08)
    await asyncio.sleep(0.3)
    window.request(flush)
    window.cancel()
    await asyncio.sleep(0.05)
    assert len(runs) == 2


@pytest.mark.usefixtures("pad1")
async def test_a_room_is_freed_as_soon_as_it_is_dropped(store: SQLiteStore) -> None:
    """Rooms hold no reference cycle (a flush window keeps its flush only while it is scheduled),
    so an unloaded pad's memory goes back at once, not at the next full garbage collection."""
    room, (writer, reader) = room_with(store, window=0.05, peers=2)
    await room.receive_update(typed("bonjour"), origin=writer)
    await room.receive_update(typed(" à tous"), origin=writer)
    await asyncio.sleep(0.1)
    for peer in (writer, reader):
        room.remove(peer)
    await room.close()
    dropped = weakref.ref(room)
    gc.disable()
    try:
        del room
        assert dropped() is None
    finally:
        gc.enable()


async def test_a_trailing_window_always_collects_for_a_window() -> None:
    runs: list[float] = []
    window = FlushWindow(0.2, leading=False)

    def flush() -> None:
        runs.append(time.monotonic())

    asked = time.monotonic()
    window.request(flush)
    await asyncio.sleep(0.1)
    window.request(flush)
    assert runs == []
    await asyncio.sleep(0.2)
    assert len(runs) == 1
    assert runs[0] - asked == pytest.approx(0.2, abs=0.08)
