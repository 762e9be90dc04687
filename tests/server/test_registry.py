"""Rooms leave memory as soon as they are left empty, their log folded into a snapshot, unless
an idle delay keeps them for the housekeeping tick; on a real SQLite file."""

from __future__ import annotations

import asyncio

from pycrdt import Doc, Text

from server.registry import Registry
from server.room import Room
from server.settings import Settings
from server.store import SQLiteStore
from tests.server.helpers import RecordingPeer, new_pad, typed


def registry_for(store: SQLiteStore, **env: str) -> Registry:
    return Registry(store, Settings.from_env(env, db=store.path))


def text_of(update: bytes | None) -> str:
    doc = Doc()
    if update:
        doc.apply_update(update)
    return str(doc.get("content", type=Text))


async def leave(registry: Registry, room: Room, peer: RecordingPeer) -> None:
    """What a closing socket does."""
    room.remove(peer)
    await registry.unload_if_empty(room)


async def test_the_last_peer_out_unloads_the_room(store: SQLiteStore) -> None:
    registry = registry_for(store)
    await new_pad(store, state="live")
    alice, bob = RecordingPeer(), RecordingPeer()
    room = await registry.join("pad", alice)
    await registry.join("pad", bob)
    await room.receive_update(typed("Bonjour"), alice)
    await leave(registry, room, alice)
    assert registry.rooms == {"pad": room}
    await leave(registry, room, bob)
    assert registry.rooms == {}
    stored = await store.load_document("pad")
    assert (stored.updates, text_of(stored.snapshot)) == ([], "Bonjour")
    carol = RecordingPeer()
    again = await registry.join("pad", carol)
    assert again is not room
    assert str(again.doc.get("content", type=Text)) == "Bonjour"
    await leave(registry, again, carol)


async def test_a_room_held_for_a_purge_is_unloaded_when_released(store: SQLiteStore) -> None:
    registry = registry_for(store)
    await new_pad(store, state="closed")
    async with registry.hold("pad") as room:
        assert registry.rooms == {"pad": room}
    assert registry.rooms == {}


async def test_an_idle_delay_leaves_the_unload_to_the_tick(store: SQLiteStore) -> None:
    registry = registry_for(store, SKRID_ROOM_IDLE_SECONDS="0.2")
    await new_pad(store, state="live")
    peer = RecordingPeer()
    room = await registry.join("pad", peer)
    await leave(registry, room, peer)
    await registry.tick()
    assert registry.rooms == {"pad": room}
    await asyncio.sleep(0.25)
    await registry.tick()
    assert registry.rooms == {}


async def test_a_peer_joining_while_the_room_unloads_keeps_it(store: SQLiteStore) -> None:
    """The unload waits for the room's writes; a socket that joins meanwhile finds the same
    room, which then stays loaded."""
    registry = registry_for(store)
    await new_pad(store, state="live")
    alice, bob = RecordingPeer(), RecordingPeer()
    room = await registry.join("pad", alice)
    await room.receive_update(typed("Bonjour"), alice)
    room.remove(alice)
    unloading = asyncio.create_task(registry.unload_if_empty(room))
    await asyncio.sleep(0)
    assert await registry.join("pad", bob) is room
    await unloading
    assert registry.rooms == {"pad": room}
    await leave(registry, room, bob)
    assert registry.rooms == {}


class ClosedPeer(RecordingPeer):
    """A peer that notes the close a failed room sends it."""

    def close(self, code: int, reason: str) -> None:
        self.closed = code


async def test_a_failed_rooms_last_peer_out_spares_the_room_that_replaced_it(
    store: SQLiteStore,
) -> None:
    registry = registry_for(store)
    await new_pad(store, state="live")
    stale = ClosedPeer()
    failed = await registry.join("pad", stale)
    failed.fail()
    peer = RecordingPeer()
    fresh = await registry.join("pad", peer)
    assert fresh is not failed
    fresh.remove(peer)
    await leave(registry, failed, stale)
    assert registry.rooms == {"pad": fresh}
    await registry.unload_if_empty(fresh)
    assert registry.rooms == {}
