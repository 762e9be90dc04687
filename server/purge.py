"""The purge, as one unit: from a recorded intent to bytes that are gone.

1. **Intent**: the pad moves to `purging`, committed before anything else. It is frozen from
   then on (nobody writes; awareness is redacted, display names included, before it spreads;
   exports wait), and whatever happens next (a crash, a full disk, a reader holding the
   database) the purge is completed from the step it reached: by the scheduler's next tick, or
   at start after a crash.
2. **Rewrite**, under one hold of the pad's room: the purged document is made from a copy of
   the live one (`anonymizer.purged`: the notes redacted as edits by the pad's names plan,
   `review.outcome`, the very function the host's review runs: personal lists, addresses,
   phones and names, with the display names seen in the pad, its speakers and the host's
   decisions; nothing else of the old structure, no key, root name, tag or sub-document of
   it), and stored in one transaction with the redacted title and the counts, as the pad's only
   snapshot, with no log; the known names and the decisions are deleted in it. Connected clients
   get the difference (their copies converge on the redacted notes), then the live rooms are
   dropped, in every process (`Registry.discard`), and their sockets closed (`PURGED_CLOSE`;
   clients reconnect to the stored state): a Yjs document cannot forget its structure in place,
   so no process keeps the old one in memory. The room first catches up with the store: once
   the intent is committed the store takes no more updates, so what other processes committed
   before it is in the purge's input. If the rewrite fails, nothing in memory was changed:
   memory stays what storage holds.
3. **Forget**: the store makes the deleted bytes unrecoverable from its files. Only then is the
   pad committed `purged`. A store that cannot forget yet (a reader holds the database) leaves
   the pad `purging`, said in the log and the API (202), and the next tick tries again.

Every step is idempotent: a rewrite already committed (`purged_at` set) is not redone (its
counts stay those of the first), and forgetting twice costs a checkpoint. Counts only are kept
and logged, never values.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from anonymizer import Markers, name_model, redact_awareness_state
from anonymizer.findings import add_counts
from anonymizer.name_model import MODEL

from . import review
from .errors import Conflict
from .known_names import KnownNames
from .lifecycle import BEFORE_PURGE, State
from .protocol import AwarenessEntry
from .registry import Registry
from .room import Room
from .settings import Settings
from .store import PadRecord, Store, Transition
from .worker import Worker

log = logging.getLogger("skrid.purge")

ANONYMOUS_NAME = "Participant·e"
"""The name awareness shows for everyone once a pad's purge has begun."""
PURGED_CLOSE = 4410
"""Close code for sockets of a pad whose document was just rebuilt: their copy is the old one,
so the page starts again on the new one."""


def _redacted(state: dict | None, markers: Markers) -> tuple[dict | None, dict[str, int]]:
    if state is None:
        return None, {}
    return redact_awareness_state(state, markers)


def guard_awareness(
    room: Room, entries: list[AwarenessEntry], markers: Markers
) -> list[AwarenessEntry]:
    """A `before_awareness` hook: from the purge's intent on, awareness states are redacted
    before they apply and spread."""
    if room.state in BEFORE_PURGE:
        return entries
    return [AwarenessEntry(e.client_id, e.clock, _anonymous(e.state, markers)) for e in entries]


def _anonymous(state: dict | None, markers: Markers) -> dict | None:
    """A state with its addresses redacted and its display name replaced: after the purge, the
    names people connect with are no more kept nor shown than those in the notes."""
    redacted = _redacted(state, markers)[0]
    user = redacted.get("user") if redacted is not None else None
    if isinstance(user, dict) and "name" in user:
        user["name"] = ANONYMOUS_NAME
    return redacted


def present_awareness_counts(room: Room, markers: Markers) -> dict[str, int]:
    """What the states of connected clients hold (a name field holding an address)."""
    counts: dict[str, int] = {}
    for state in room.awareness.states.values():
        add_counts(counts, _redacted(state, markers)[1])
    return counts


def warm_for_purge(worker: Worker, room: Room, old: str, new: str) -> None:
    """An `on_state_change` hook: once a pad closes, its review and its purge follow, so the
    worker loads the names model then, not in the host's first request."""
    if new == State.CLOSED:
        worker.warm(name_model.available)


class Purge:
    def __init__(
        self,
        store: Store,
        registry: Registry,
        settings: Settings,
        clock: Callable[[], datetime],
        known_names: KnownNames,
        worker: Worker,
    ) -> None:
        self.known_names = known_names
        self.worker = worker
        self.store = store
        self.registry = registry
        self.settings = settings
        self.markers = settings.markers
        self.max_depth = settings.max_nesting_depth
        self.clock = clock

    async def run(self, pad: PadRecord, by: str) -> PadRecord:
        """Record the intent (unless it is already recorded), then complete the purge. The
        caller holds the pad's lifecycle lock."""
        if pad.state != State.PURGING:
            change = Transition(pad.id, self.clock(), pad.state, State.PURGING, by)
            if not await self.store.transition(change, {}):
                raise Conflict("the pad was purged or changed meanwhile")
            log.info("pad %s: %s -> purging by %s", pad.id, pad.state, by)
            await self.registry.set_state(pad.id, State.PURGING)
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
        await self.registry.set_state(pad.id, State.PURGED)
        log.info("pad %s: purging -> purged by %s", pad.id, by)
        return await self._reread(pad.id)

    async def _rewrite(self, pad: PadRecord) -> None:
        started = time.monotonic()
        async with self.registry.hold(pad.id) as room:
            room.set_state(State.PURGING)
            await room.flushed()
            await room.catch_up()
            await self.known_names.flush()
            inputs = await review.inputs_for(pad, self.store, self.known_names, self.settings)
            done = await self.worker.run(
                review.outcome,
                room.doc.get_update(),
                room.doc.get_state(),
                pad.title,
                inputs,
                self.max_depth,
            )
            if inputs.use_model and done.plan.model is None:
                log.info(
                    "pad %s: names model %s missing: rules and known names only", pad.id, MODEL
                )
            counts = done.counts
            add_counts(counts, present_awareness_counts(room, self.markers))
            fields = {
                "purged_at": self.clock(),
                "purge_counts": counts,
                "title": done.title,
                "contributors": await self.store.writer_count(pad.id),
            }
            built = time.monotonic()
            await self.store.write_purged(pad.id, done.state, fields)
            self.known_names.drop(pad.id)
            written = time.monotonic()
            await self.registry.discard(
                pad.id, PURGED_CLOSE, "the notes were purged", done.for_peers
            )
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
