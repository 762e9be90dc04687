"""The hook table: every named hook is called, in the documented order, with what the next one
needs; on a real registry and SQLite file."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from pycrdt import Awareness, Doc, Text

from anonymizer import Markers
from server import protocol
from server.app import house_hooks
from server.errors import Conflict
from server.hooks import Hooks
from server.lifecycle import State
from server.protocol import AwarenessEntry
from server.purge import ANONYMOUS_NAME, guard_awareness
from server.registry import Registry
from server.room import Peer, Room
from server.settings import Settings
from server.store import SQLiteStore
from tests.server.helpers import RecordingPeer, new_pad, pad_record, typed


def awareness_frame(name: str) -> bytes:
    awareness = Awareness(Doc())
    awareness.set_local_state({"user": {"name": name}})
    return protocol.awareness(awareness.encode_awareness_update([awareness.client_id]))


def recording_hooks(calls: list[str]) -> Hooks:
    def renamed(room: Room, entries: list[AwarenessEntry]) -> list[AwarenessEntry]:
        calls.append("before_awareness")
        return [AwarenessEntry(e.client_id, e.clock, {"user": {"name": "Z"}}) for e in entries]

    return Hooks(
        on_load=[lambda room: calls.append(f"on_load {room.pad_id}")],
        before_awareness=[renamed],
        on_update=[
            lambda room, update, position, writer: calls.append(
                f"on_update {len(room.peers)} peers"
            )
        ],
        on_state_change=[lambda room, old, new: calls.append(f"on_state_change {old}>{new}")],
        on_unload=[lambda room: calls.append(f"on_unload {room.pad_id}")],
    )


async def test_a_rooms_hooks_run_in_the_documented_order(store: SQLiteStore) -> None:
    calls: list[str] = []
    registry = Registry(store, Settings(db=store.path), recording_hooks(calls))
    await new_pad(store, state="live")
    writer, reader = RecordingPeer(), RecordingPeer()
    room = await registry.join("pad", writer)
    await registry.join("pad", reader)
    await room.handle(writer, protocol.parse(awareness_frame("Anne")))
    assert [state["user"]["name"] for state in room.awareness.states.values()] == ["Z"]
    await room.receive_update(typed("Bonjour"), writer)
    for peer in (writer, reader):
        room.remove(peer)
    room.set_state(State.CLOSED)
    await registry.unload_if_empty(room)
    assert calls == [
        "on_load pad",
        "before_awareness",
        "on_update 2 peers",
        "on_state_change live>closed",
        "on_unload pad",
    ]


async def test_an_update_hook_runs_after_the_commit_and_before_the_relay(
    store: SQLiteStore,
) -> None:
    seen: list[tuple[bool, int, bool]] = []
    registry = Registry(store, Settings(db=store.path))
    await new_pad(store, state="live")
    writer, reader = RecordingPeer(), RecordingPeer()
    room = await registry.join("pad", writer)
    await registry.join("pad", reader)

    def check(room: Room, update: bytes, position: int, sender: Peer | None) -> None:
        committed = room._last_write is not None and room._last_write.done()
        seen.append((committed, len(reader.updates), sender is writer))

    room.hooks.on_update.append(check)
    await room.receive_update(typed("Bonjour"), writer)
    assert seen == [(True, 0, True)]
    await asyncio.sleep(0)
    assert reader.text() == "Bonjour"


def test_export_hooks_chain_and_the_house_gates_purged_pads() -> None:
    hooks = house_hooks(Settings())
    calls: list[str] = []
    hooks.before_export.append(lambda pad, doc: calls.append(pad.state) or doc)
    doc = Doc()
    doc.get("content", type=Text).insert(0, "écrire à anne@exemple.bzh")
    assert hooks.exported(pad_record(), doc) is doc
    purged = dataclasses.replace(
        pad_record(), state=State.PURGED.value, purged_at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    gated = hooks.exported(purged, doc)
    assert "anne@exemple.bzh" not in str(gated.get("content", type=Text))
    assert calls == ["scheduled", "purged"]


def test_from_the_purge_on_awareness_shows_no_display_name_nor_address() -> None:
    room = SimpleNamespace(state=State.PURGING.value)
    entries = [AwarenessEntry(1, 3, {"user": {"name": "Anne anne@exemple.bzh", "color": "#f00"}})]
    (entry,) = guard_awareness(room, entries, Markers())  # type: ignore[arg-type]
    assert entry.state == {"user": {"name": ANONYMOUS_NAME, "color": "#f00"}}
    room.state = State.LIVE.value
    assert guard_awareness(room, entries, Markers()) == entries  # type: ignore[arg-type]


async def test_exports_wait_while_the_purge_is_under_way() -> None:
    hooks = house_hooks(Settings())
    purging = dataclasses.replace(pad_record(), state=State.PURGING.value)
    with pytest.raises(Conflict, match="under way"):
        hooks.exported(purging, Doc())
