"""How a room relays committed updates: merged per commit, at once, with no window; and how
awareness is relayed: at once on a quiet pad, at most once per window on a busy one.

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

from server import protocol
from server.flush_window import FlushWindow
from server.presence import Presence
from server.protocol import AwarenessEntry, AwarenessUpdate
from server.room import Room
from server.settings import Settings
from server.store import SQLiteStore
from tests.server.helpers import RecordingPeer, typed


def room_with(store: SQLiteStore, peers: int) -> tuple[Room, list[RecordingPeer]]:
    room = Room("pad1", "live", Doc(), store, Settings())
    members = [RecordingPeer() for _ in range(peers)]
    for peer in members:
        room.add(peer)
    return room, members


@pytest.mark.usefixtures("pad1")
async def test_one_commit_is_relayed_as_one_frame(store: SQLiteStore) -> None:
    room, (alice, bob, reader) = room_with(store, peers=3)
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
    room, (writer, reader) = room_with(store, peers=2)
    await room.receive_update(typed("bonjour"), origin=writer)
    await asyncio.sleep(0)
    assert reader.text() == "bonjour"
    assert writer.updates == []


@pytest.mark.usefixtures("pad1")
async def test_a_busy_pad_relays_each_commit_as_it_lands(store: SQLiteStore) -> None:
    """No timer between relays: each commit goes out in the loop's next turn, whatever was
    relayed just before; what one commit holds stays one frame."""
    room, (writer, reader) = room_with(store, peers=2)
    for word in ("un ", "deux ", "trois ", "quatre "):
        committed = time.monotonic()
        await asyncio.gather(
            room.receive_update(typed(word), origin=writer),
            room.receive_update(typed(word.upper()), origin=None),
        )
        await asyncio.sleep(0)
        assert reader.updates[-1][0] - committed < 0.05
    assert len(reader.updates) == 4
    assert sorted(writer.text().split()) == ["DEUX", "QUATRE", "TROIS", "UN"]
    assert len(reader.text().split()) == 8


async def test_a_flush_window_runs_once_per_window_and_can_be_cancelled() -> None:
    runs: list[float] = []
    window = FlushWindow(0.2)

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
    room, (writer, reader) = room_with(store, peers=2)
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


async def test_a_window_asked_to_wait_collects_for_a_whole_window() -> None:
    runs: list[float] = []
    window = FlushWindow(0.2)

    def flush() -> None:
        runs.append(time.monotonic())

    asked = time.monotonic()
    window.request(flush, wait=True)
    await asyncio.sleep(0.1)
    window.request(flush)
    assert runs == []
    await asyncio.sleep(0.2)
    assert len(runs) == 1
    assert runs[0] - asked == pytest.approx(0.2, abs=0.08)


class AwarenessPeer(RecordingPeer):
    """A peer that keeps when it was sent each awareness frame."""

    def __init__(self) -> None:
        super().__init__()
        self.awareness_at: list[float] = []

    def send(self, frame: bytes) -> None:
        if isinstance(protocol.parse(frame), AwarenessUpdate):
            self.awareness_at.append(time.monotonic())


def cursor(client_id: int, clock: int) -> bytes:
    state = {"user": {"name": "Nolwenn"}, "cursor": {"anchor": clock}}
    return protocol.encode_awareness([AwarenessEntry(client_id, clock, state)])


async def test_a_lone_cursor_move_goes_at_once_and_a_busy_pad_waits_a_window() -> None:
    window = 0.3
    presence = Presence("pad1", Settings(awareness_batch_seconds=window))
    writer, reader = AwarenessPeer(), AwarenessPeer()
    presence.greet(reader)
    moved = time.monotonic()
    presence.receive(writer, cursor(5, 1))
    await asyncio.sleep(0.01)
    assert len(reader.awareness_at) == 1
    assert reader.awareness_at[0] - moved < 0.01
    presence.receive(writer, cursor(5, 2))
    presence.receive(writer, cursor(5, 3))
    await asyncio.sleep(window + 0.1)
    assert len(reader.awareness_at) == 2
    assert reader.awareness_at[1] - reader.awareness_at[0] == pytest.approx(window, abs=0.08)


async def test_a_cursor_move_during_a_commit_waits_for_the_window() -> None:
    window = 0.3
    presence = Presence("pad1", Settings(awareness_batch_seconds=window))
    writer, reader = AwarenessPeer(), AwarenessPeer()
    presence.greet(reader)
    presence.updates_in_flight = 1
    moved = time.monotonic()
    presence.receive(writer, cursor(5, 1))
    await asyncio.sleep(0.05)
    assert reader.awareness_at == []
    await asyncio.sleep(window)
    assert reader.awareness_at[0] - moved == pytest.approx(window, abs=0.08)
