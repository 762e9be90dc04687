"""Transitions on schedule with a controllable clock, on a real SQLite file, and exactly once
when ticks race."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from server import protocol
from server.errors import Conflict
from server.lifecycle import Action
from server.registry import Registry
from server.scheduler import Scheduler
from server.settings import Settings
from server.store import SQLiteStore, StoredDocument
from server.transitions import Transitions
from tests.server.helpers import T0, RecordingPeer, new_pad


class Clock:
    def __init__(self) -> None:
        self.now = T0 - timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Parts:
    store: SQLiteStore
    transitions: Transitions
    scheduler: Scheduler
    clock: Clock


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    settings = Settings.from_env({}, db=str(tmp_path / "t.sqlite3"))
    store = SQLiteStore(settings.db)
    await store.open()
    registry = Registry(store, settings)
    clock = Clock()
    transitions = Transitions(store, registry, settings, clock)
    yield Parts(store, transitions, Scheduler(transitions, store, settings), clock)
    await registry.stop()
    await store.close()


class FramePeer(RecordingPeer):
    """A room peer that keeps every frame it is sent, pad events included."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[bytes] = []

    def send(self, frame: bytes) -> None:
        self.frames.append(frame)

    def close(self, code: int, reason: str) -> None:
        self.frames.append(f"closed {code}".encode())


async def state_of(store: SQLiteStore, pad_id: str = "pad") -> str:
    pad = await store.get_pad(pad_id)
    assert pad is not None
    return pad.state


async def test_a_pad_goes_through_every_state_on_time(parts: Parts) -> None:
    await new_pad(parts.store)
    steps = [
        (T0 - timedelta(seconds=1), "scheduled"),
        (T0, "live"),
        (T0 + timedelta(minutes=59), "live"),
        (T0 + timedelta(hours=1), "closed"),
        (T0 + timedelta(hours=2, minutes=59), "closed"),
        (T0 + timedelta(hours=3), "purged"),
    ]
    for now, expected in steps:
        parts.clock.now = now
        await parts.scheduler.tick()
        assert await state_of(parts.store) == expected, now
    await parts.transitions.apply("pad", Action.PUBLISH, "host")
    assert await state_of(parts.store) == "published"
    audit = await parts.store.transitions("pad")
    assert [(t.from_state, t.to_state, t.by) for t in audit] == [
        ("scheduled", "live", "schedule"),
        ("live", "closed", "schedule"),
        ("closed", "purging", "schedule"),
        ("purging", "purged", "schedule"),
        ("purged", "published", "host"),
    ]
    assert [t.at for t in audit[:3]] == [T0, T0 + timedelta(hours=1), T0 + timedelta(hours=3)]


async def test_everything_missed_while_down_runs_at_the_first_tick(parts: Parts) -> None:
    await new_pad(parts.store)
    parts.clock.now = T0 + timedelta(days=2)
    assert await parts.scheduler.tick() == 3
    assert await state_of(parts.store) == "purged"
    audit = [(t.from_state, t.to_state) for t in await parts.store.transitions("pad")]
    assert audit == [
        ("scheduled", "live"),
        ("live", "closed"),
        ("closed", "purging"),
        ("purging", "purged"),
    ]


async def test_racing_ticks_run_each_transition_once(parts: Parts) -> None:
    for i in range(5):
        await new_pad(parts.store, f"pad{i}")
    parts.clock.now = T0 + timedelta(hours=1, minutes=30)
    results = await asyncio.gather(*(parts.scheduler.tick() for _ in range(4)))
    assert sum(results) == 10  # start and close, for five pads
    for i in range(5):
        audit = await parts.store.transitions(f"pad{i}")
        assert [t.to_state for t in audit] == ["live", "closed"]


async def test_reopen_until_purge_then_conflict(parts: Parts) -> None:
    await new_pad(parts.store, state="live")
    parts.clock.now = T0 + timedelta(minutes=10)
    await parts.transitions.apply("pad", Action.CLOSE, "host")
    await parts.transitions.apply("pad", Action.REOPEN, "host")
    parts.clock.now = T0 + timedelta(hours=1)
    await parts.scheduler.tick()
    assert await state_of(parts.store) == "closed"
    await parts.transitions.apply("pad", Action.REOPEN, "host")
    parts.clock.now = T0 + timedelta(hours=2)
    await parts.scheduler.tick()
    assert await state_of(parts.store) == "live"  # reopened after the end: not closed again
    parts.clock.now = T0 + timedelta(hours=3)
    await parts.scheduler.tick()
    assert await state_of(parts.store) == "purged"
    with pytest.raises(Conflict, match="purged pad cannot be reopened"):
        await parts.transitions.apply("pad", Action.REOPEN, "host")


async def test_delete_removes_every_row(parts: Parts) -> None:
    await new_pad(parts.store, state="live")
    await parts.store.append_update("pad", b"\x00\x00")
    await parts.transitions.apply("pad", Action.DELETE, "host")
    assert await parts.store.get_pad("pad") is None
    assert (await parts.store.load_document("pad")).updates == []
    audit = await parts.store.transitions("pad")
    assert [(t.from_state, t.to_state) for t in audit] == [("live", "deleted")]


async def test_a_close_during_a_load_reaches_the_loaded_room(
    parts: Parts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load read the pad as live; the close commits while the log is still being read: the
    room must come up closed, or its peers could write after the end."""
    await new_pad(parts.store, state="live")
    reading, resume = asyncio.Event(), asyncio.Event()
    load_document = parts.store.load_document

    async def slow_load_document(pad_id: str) -> StoredDocument:
        reading.set()
        await resume.wait()
        return await load_document(pad_id)

    monkeypatch.setattr(parts.store, "load_document", slow_load_document)
    peer = FramePeer()
    joining = asyncio.create_task(parts.transitions.registry.join("pad", peer))
    await reading.wait()
    closing = asyncio.create_task(parts.transitions.apply("pad", Action.CLOSE, "host"))
    while await state_of(parts.store) != "closed":
        await asyncio.sleep(0.01)
    resume.set()
    room = await joining
    await closing
    assert room.state == "closed"
    assert peer.writable is False
    assert peer.frames[-1] == protocol.pad_event({"state": "closed", "writable": False})
    room.remove(peer)


async def test_a_peer_joining_a_pad_past_its_live_phase_is_told_its_state(parts: Parts) -> None:
    """A page reads the pad's state over HTTP, then connects: a move in between (the purge
    closes its sockets, and the page reconnects once the purge may be over) would leave it
    showing the old state. A peer joining a live pad is told nothing it did not ask."""
    await new_pad(parts.store, state="live")
    live = FramePeer()
    room = await parts.transitions.registry.join("pad", live)
    assert [frame[0] for frame in live.frames] == [protocol.YMessageType.SYNC]
    await parts.transitions.apply("pad", Action.CLOSE, "host")
    late = FramePeer()
    await parts.transitions.registry.join("pad", late)
    assert late.frames[1:] == [protocol.pad_event({"state": "closed", "writable": False})]
    for peer in (live, late):
        room.remove(peer)
