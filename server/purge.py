"""The purge, as one unit: from a recorded intent to bytes that are gone.

1. **Intent**: the pad moves to `purging`, committed before anything else. It is frozen from
   then on (nobody writes; awareness is redacted before it spreads), and whatever happens next
   (a crash, a full disk, a reader holding the database) the purge is completed from the step it
   reached: by the scheduler's next tick, or at start after a crash.
2. **Rewrite**, under one hold of the pad's room: the purged document is made from a copy of
   the live one (`anonymizer.purged`: the notes redacted as edits, nothing else of the old
   structure, no key, root name, tag or sub-document of it), and stored in one transaction with
   the redacted title and the counts, as the pad's only snapshot, with no log. Connected clients
   get the difference (their copies converge on the redacted notes), then the live room is
   dropped and its sockets closed (`PURGED_CLOSE`; clients reconnect to the stored state): a
   Yjs document cannot forget its structure in place, so no process keeps the old one in
   memory. If the rewrite fails, nothing in memory was changed: memory stays what storage
   holds.
3. **Forget**: the store makes the deleted bytes unrecoverable from its files. Only then is the
   pad committed `purged`. A store that cannot forget yet (a reader holds the database) leaves
   the pad `purging`, said in the log and the API (202), and the next tick tries again.

Every step is idempotent: a rewrite already committed (`purged_at` set) is not redone (its
counts stay those of the first), and forgetting twice costs a checkpoint. Counts only are kept
and logged, never values.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial

from anonymizer import Markers, count, find, redact, redact_awareness_state
from anonymizer.findings import add_counts
from anonymizer.purged import purged_from_state

from . import protocol
from .errors import Conflict
from .lifecycle import BEFORE_PURGE, State
from .protocol import AwarenessEntry
from .registry import Registry
from .room import Room
from .store import PadRecord, Store, Transition

log = logging.getLogger("skrid.purge")

PURGED_CLOSE = 4410
"""Close code for sockets of a pad whose document was just rebuilt: their copy is the old one,
so the page starts again on the new one."""


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
    """From the purge's intent on, awareness states are redacted before they apply and spread;
    the registry calls this for every room it loads, so a purged pad stays guarded."""
    if room.state not in BEFORE_PURGE:
        room.awareness_filter = partial(redact_awareness_payload, markers=markers)


def present_awareness_counts(room: Room, markers: Markers) -> dict[str, int]:
    """What the states of connected clients hold (a name field holding an address)."""
    counts: dict[str, int] = {}
    for state in room.awareness.states.values():
        add_counts(counts, _redacted(state, markers)[1])
    return counts


def count_writers(room: Room) -> int:
    """Distinct Yjs clients that wrote in the pad: the length of its state vector (a count;
    no client id is kept)."""
    return protocol.read_var_uint(room.doc.get_state(), 0)[0]


def _purged(
    state: bytes, peers_state: bytes, markers: Markers, max_depth: int
) -> tuple[bytes, bytes, dict[str, int]]:
    """The purged state, what peers at `peers_state` lack of it, and the counts. Run on a worker
    thread: on a 1 MB pad with 15,000 addresses it takes about a second, which on the event
    loop would stall every pad (bench/purge_stall.py)."""
    clean, counts = purged_from_state(state, markers, max_depth)
    return clean.get_update(), clean.get_update(peers_state), counts


class Purge:
    def __init__(
        self,
        store: Store,
        registry: Registry,
        markers: Markers,
        max_depth: int,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.registry = registry
        self.markers = markers
        self.max_depth = max_depth
        self.clock = clock

    async def run(self, pad: PadRecord, by: str) -> PadRecord:
        """Record the intent (unless it is already recorded), then complete the purge. The
        caller holds the pad's lifecycle lock."""
        if pad.state != State.PURGING:
            change = Transition(pad.id, self.clock(), pad.state, State.PURGING, by)
            if not await self.store.transition(change, {}):
                raise Conflict("the pad was purged or changed meanwhile")
            log.info("pad %s: %s -> purging by %s", pad.id, pad.state, by)
            room = await self.registry.loaded(pad.id)
            if room is not None:
                self._freeze(room)
            pad = await self._reread(pad.id)
        if pad.purged_at is None:
            await self._rewrite(pad)
        forgetting = time.monotonic()
        forgotten = await self.store.forget()
        log.info("pad %s: forget took %.0f ms", pad.id, (time.monotonic() - forgetting) * 1000)
        if not forgotten:
            log.warning("pad %s: purge waits for the database to forget; retried", pad.id)
            return await self._reread(pad.id)
        change = Transition(pad.id, self.clock(), State.PURGING, State.PURGED, by)
        if not await self.store.transition(change, {}):
            raise Conflict("the pad was purged or changed meanwhile")
        room = await self.registry.loaded(pad.id)
        if room is not None:
            room.set_state(State.PURGED)
        log.info("pad %s: purging -> purged by %s", pad.id, by)
        return await self._reread(pad.id)

    def _freeze(self, room: Room) -> None:
        room.set_state(State.PURGING)
        guard_awareness(room, self.markers)

    async def _rewrite(self, pad: PadRecord) -> None:
        started = time.monotonic()
        async with self.registry.hold(pad.id) as room:
            self._freeze(room)
            await room.flushed()
            clean, for_peers, counts = await asyncio.to_thread(
                _purged, room.doc.get_update(), room.doc.get_state(), self.markers, self.max_depth
            )
            add_counts(counts, count(find(pad.title)))
            add_counts(counts, present_awareness_counts(room, self.markers))
            fields = {
                "purged_at": self.clock(),
                "purge_counts": counts,
                "title": redact(pad.title, self.markers),
                "contributors": count_writers(room),
            }
            built = time.monotonic()
            await self.store.write_purged(pad.id, clean, fields)
            written = time.monotonic()
            room.broadcast(protocol.sync_update(for_peers))
            await self.registry.discard(pad.id, PURGED_CLOSE, "the notes were purged")
        log.info(
            "pad %s: purge removed %s (built in %.0f ms, written in %.0f ms)",
            pad.id,
            counts,
            (built - started) * 1000,
            (written - built) * 1000,
        )

    async def _reread(self, pad_id: str) -> PadRecord:
        pad = await self.store.get_pad(pad_id)
        if pad is None:
            raise Conflict("the pad was deleted meanwhile")
        return pad
