"""The purge: redact the live pad through its room, then rewrite storage from what is left.

Removing text from a CRDT leaves its insert in the update log, so hiding is not enough: the
redaction is applied to the live Doc in one transaction (connected clients see the addresses
vanish, and clients that reconnect with old state cannot revive them: their inserts are known to
the Doc and stay deleted), then the garbage-collected state, which no longer holds the deleted
characters, becomes the pad's only stored form, and the store is made to forget the rest.
Counts only are kept and logged, never values.
"""

from __future__ import annotations

from functools import partial

from anonymizer import Markers, redact_awareness_state, redact_doc
from anonymizer.findings import add_counts

from . import protocol
from .lifecycle import BEFORE_PURGE
from .protocol import AwarenessEntry
from .room import Room


def redact_awareness_payload(payload: bytes, markers: Markers) -> bytes:
    """An awareness update with every address removed from its states."""
    entries = [
        AwarenessEntry(e.client_id, e.clock, _redacted(e.state, markers)[0])
        for e in protocol.parse_awareness(payload)
    ]
    return protocol.encode_awareness(entries)


def _redacted(state: dict | None, markers: Markers) -> tuple[dict | None, dict[str, int]]:
    if state is None:
        return None, {}
    return redact_awareness_state(state, markers)


def guard_awareness(room: Room, markers: Markers) -> None:
    """From the purge on, awareness states are redacted before they apply and spread; the
    registry calls this for every room it loads, so a purged pad stays guarded after a reload."""
    if room.state not in BEFORE_PURGE:
        room.awareness_filter = partial(redact_awareness_payload, markers=markers)


def redact_present_awareness(room: Room, markers: Markers) -> dict[str, int]:
    """Rewrite the states of connected clients (a name field holding an address), with a
    newer clock so that every client replaces its copy."""
    counts: dict[str, int] = {}
    entries = []
    for client_id, state in room.awareness.states.items():
        clean, found = _redacted(state, markers)
        if found:
            add_counts(counts, found)
            clock = room.awareness.meta[client_id]["clock"] + 1
            entries.append(AwarenessEntry(client_id, clock, clean))
    if entries:
        payload = protocol.encode_awareness(entries)
        room.awareness.apply_awareness_update(payload, "purge")
        room.broadcast(protocol.awareness(payload))
    return counts


def count_writers(room: Room) -> int:
    """Distinct Yjs clients that wrote in the pad: the length of its state vector (a count;
    no client id is kept)."""
    return protocol.read_var_uint(room.doc.get_state(), 0)[0]


async def purge_room(room: Room, markers: Markers) -> dict[str, int]:
    """Redact the room's Doc and awareness, and leave one clean snapshot in the store. The
    caller has already moved the room to `purged` (nobody may write), so nothing new arrives
    meanwhile."""
    await room.flushed()
    before = room.doc.get_state()
    counts = redact_doc(room.doc, markers)
    update = room.doc.get_update(before)
    if update != protocol.EMPTY_UPDATE:
        await room.commit(update)
    add_counts(counts, redact_present_awareness(room, markers))
    guard_awareness(room, markers)
    await room.store.write_snapshot(room.pad_id, room.doc.get_update(), through=None)
    return counts
