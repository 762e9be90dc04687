"""One live pad: its pycrdt Doc, its Awareness, its peers, and the rule "stored before relayed".

An update from a peer is applied to the Doc first (that is the validation: pycrdt refuses what it
cannot decode), then queued for the store's next group commit, and only once it is committed is
relayed to every other peer. A sync step 2 for a joining peer is computed at once but sent only
after every update applied before it is committed, so a `kill -9` can never lose an update that
some client has already received. Unlike Hocuspocus, writes are not debounced: durability comes
first, and group commit keeps the cost to one commit per burst.

Committed updates are relayed as one merged update, encoded once, by backpressure rather than
by a timer: a relay goes out in the loop's next turn after a commit, and what is committed while
one is pending (the loop is behind: the relay of a big audience, another pad's work) joins it.
What one commit stored always goes together, and the group commit already merges what arrives
while a commit is being written. A quiet or normal pad then pays one commit and one write per
update, with no wait; a crowd, whose relays take the loop longer, gets merged frames, so a peer's
frames a second stay bounded by what the loop can write (each frame is a socket write, the
server's main cost).

Every committed update has a position in the pad's log, contiguous per pad across every process
sharing the database (see `store.base`). The room counts the positions its Doc holds without a
hole (`position`): its own commits, and the updates other processes committed, which arrive
from the fan-out (`fanout.py`) in any order and are applied in log order. A hole that stays open
(a message lost, or a process that was cut off) is filled from the store (`catch_up`): a lost
message costs latency, never an update.

The room knows nothing of sockets: a peer is anything with `send(frame)` and `close(code, reason)`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any, Protocol

from pycrdt import Awareness, Doc, Text, merge_updates

from . import protocol
from .access import KeyHashes, Role
from .errors import (
    InvalidFrame,
    PadFrozen,
    PadFull,
    StoredStateUnreadable,
    StoreFailed,
    TooMany,
)
from .hooks import Hooks
from .lifecycle import State, may_write
from .presence import Presence
from .protocol import (
    AwarenessEntry,
    AwarenessUpdate,
    Message,
    QueryAwareness,
    SyncStep1,
    SyncStep2,
    SyncUpdate,
)
from .settings import Settings
from .store import PadRecord, Store, StoredDocument
from .structure import Structure

log = logging.getLogger("skrid.room")

_FATAL = (KeyboardInterrupt, SystemExit, asyncio.CancelledError, GeneratorExit)
OPEN = (State.SCHEDULED, State.LIVE)
"""States a page's own reading of the pad (GET /api/pads/{id}) stays right in: a peer joining a
pad in any other is told its state at once, since a move may have come between that reading
and the socket (a purge closes its sockets, and the page reconnects after it may be over)."""
COMPACT_ROW_BYTES = 2048
"""A big pad's log may hold a row per this many bytes of its snapshot before compaction: a 4 MB
pad compacts every 2,048 keystroke rows, which a room load merges in about 40 ms; the merge grows
faster than the rows (4,000: 150 ms, 16,000: 2.9 s; bench/pad_size.py), so no more."""


class Peer(Protocol):
    role: Role
    writable: bool
    awareness_ids: set[int]
    last_sent: float

    def send(self, frame: bytes) -> None: ...

    def close(self, code: int, reason: str) -> None: ...


def apply_update(doc: Doc, update: bytes) -> None:
    """Apply an update, turning every pycrdt failure (ValueError, and Rust panics, which pyo3
    raises as a BaseException) into InvalidFrame."""
    try:
        doc.apply_update(update)
    except _FATAL:
        raise
    except BaseException:
        raise InvalidFrame("the Yjs update cannot be applied") from None


def _merged(updates: list[bytes]) -> bytes:
    return updates[0] if len(updates) == 1 else merge_updates(*updates)


def document_state(content: str) -> bytes:
    """The Yjs state of a new document whose `content` text holds `content`."""
    doc: Doc[Text] = Doc()
    doc.get("content", type=Text).insert(0, content)
    return doc.get_update()


def warm_up() -> None:
    """Build, merge and load one small document at start-up, so that what the first pad load
    imports and keeps for good (pycrdt imports anyio's event-loop backend with its first Doc)
    is made then, not in the middle of a burst of loads: scattered among the burst's short-lived
    objects, it would keep CPython from returning their memory."""
    doc: Doc[Text] = Doc()
    apply_update(doc, merge_updates(document_state("Skrid"), Doc().get_update()))
    Awareness(doc)


def compaction_due(log_rows: int, log_bytes: int, snapshot_bytes: int, settings: Settings) -> bool:
    """A compaction rewrites the whole document, so it waits until the log has grown by as much
    as the snapshot it replaces (in bytes, or in rows at COMPACT_ROW_BYTES each): the bytes it
    writes then grow with what changed, not with the pad's size times its edits (with a fixed
    threshold, a pad grown to 600 MB had rewritten itself 600 times)."""
    rows = max(settings.compact_after_updates, snapshot_bytes // COMPACT_ROW_BYTES)
    return log_rows >= rows or log_bytes >= max(settings.compact_after_bytes, snapshot_bytes)


async def load_doc(pad_id: str, stored: StoredDocument) -> Doc:
    """Rebuild a Doc from storage, or refuse: a pad that fails to load is never served as empty
    (an empty document served, then saved, would destroy the notes)."""
    parts = stored.parts
    doc: Doc[Any] = Doc()
    if not parts:
        return doc
    try:
        merged = await asyncio.to_thread(merge_updates, *parts)
        apply_update(doc, merged)
    except _FATAL:
        raise
    except BaseException:
        log.error("pad %s: stored state does not load", pad_id)
        raise StoredStateUnreadable("this pad's stored notes cannot be read") from None
    return doc


class Room:
    def __init__(
        self,
        pad_id: str,
        state: str,
        doc: Doc,
        store: Store,
        settings: Settings,
        hooks: Hooks | None = None,
    ) -> None:
        self.pad_id = pad_id
        self.hooks = hooks or Hooks()
        self.state = state
        self.doc = doc
        self.store = store
        self.settings = settings
        self.awareness = Presence(pad_id, settings, self.hooks)
        self.structure = Structure.of(doc, settings.max_nesting_depth, settings.max_update_items)
        self.peers: set[Peer] = set()
        self.empty_since: float | None = time.monotonic()
        self.failed = False
        self.holds = 0
        self.keys: KeyHashes | None = None
        """The pad's key hashes, so sockets joining a loaded room need no database read."""
        self._last_write: asyncio.Future[int] | None = None
        self._outbox: list[tuple[bytes, Peer | None]] = []
        self._relay_due: asyncio.Handle | None = None
        self._log_updates = 0
        self._log_bytes = 0
        self._snapshot_bytes = 0
        self._size = 0
        """The document's encoded size when last measured, plus every update accepted since:
        never less than the real size, so measured again only near the limit."""
        self._compaction: asyncio.Task[None] | None = None
        self.position = 0
        """The last log position up to which the Doc holds every committed update."""
        self._ahead: set[int] = set()
        """Positions past a hole that the Doc already holds (this process's own commits)."""
        self._arrived: dict[int, bytes] = {}
        """Other processes' updates past a hole, waiting to be applied in log order."""
        self._catching_up: asyncio.Task[None] | None = None
        self._hole_check: asyncio.TimerHandle | None = None

    @classmethod
    async def load(cls, pad: PadRecord, store: Store, settings: Settings, hooks: Hooks) -> Room:
        stored = await store.load_document(pad.id)
        room = cls(pad.id, pad.state, await load_doc(pad.id, stored), store, settings, hooks)
        room.keys = pad.keys
        room._log_updates = len(stored.updates)
        room._log_bytes = stored.log_bytes
        room._snapshot_bytes = len(stored.snapshot or b"")
        room._size = room._snapshot_bytes + stored.log_bytes
        room.position = stored.position
        return room

    def add(self, peer: Peer) -> None:
        if len(self.peers) >= self.settings.max_clients_per_pad:
            raise TooMany("this pad has as many participants as it accepts", retry_after=30)
        peer.writable = may_write(peer.role, self.state)
        self.peers.add(peer)
        self.empty_since = None
        peer.send(protocol.sync_step1(self.doc.get_state()))
        if self.state not in OPEN:
            self._tell_state(peer)

    def remove(self, peer: Peer) -> None:
        """Forget a peer and tell the others its cursors and names are gone."""
        self.peers.discard(peer)
        self.awareness.leave(peer)
        if self.idle:
            self.empty_since = time.monotonic()

    @property
    def idle(self) -> bool:
        return not self.peers and not self.holds

    def set_state(self, state: str) -> None:
        """A lifecycle move: each peer learns at once whether it may still write."""
        old, self.state = self.state, state
        for peer in self.peers:
            peer.writable = may_write(peer.role, state)
            self._tell_state(peer)
        if old != state:
            self.hooks.state_changed(self, old, state)

    def _tell_state(self, peer: Peer) -> None:
        peer.send(protocol.pad_event({"state": self.state, "writable": peer.writable}))

    def broadcast(self, frame: bytes) -> None:
        for peer in self.peers:
            peer.send(frame)

    async def handle(self, peer: Peer, message: Message) -> None:
        match message:
            case SyncStep1(state_vector):
                await self._answer_step1(peer, state_vector)
            case SyncStep2(update) | SyncUpdate(update):
                self.awareness.greet(peer)
                if update != protocol.EMPTY_UPDATE and peer.writable:
                    await self.receive_update(update, origin=peer)
            case AwarenessUpdate(payload):
                self.awareness.receive(peer, payload, self._screen_awareness)
            case QueryAwareness():
                self.awareness.query(peer)

    def receive_remote_awareness(self, origin: str, payload: bytes) -> None:
        """Awareness entries another process's peers changed, screened as this room's own."""
        self.awareness.receive_remote(origin, payload, self._screen_awareness)

    def _screen_awareness(self, entries: list[AwarenessEntry]) -> list[AwarenessEntry]:
        return self.hooks.awareness(self, entries)

    async def _answer_step1(self, peer: Peer, state_vector: bytes) -> None:
        try:
            diff = self.doc.get_update(state_vector)
        except _FATAL:
            raise
        except BaseException:
            raise InvalidFrame("the state vector cannot be read") from None
        await self.flushed()
        peer.send(protocol.sync_step2(diff))

    async def flushed(self) -> None:
        """Wait until every update applied so far is committed, or refused because the pad's
        purge has begun (`PadFrozen`: an update the room applied in the moment before it
        learned so; it is not relayed, and the purge, which reads the Doc, redacts it)."""
        if self._last_write is not None:
            with contextlib.suppress(PadFrozen):
                await asyncio.shield(self._last_write)

    async def flushed_quietly(self) -> None:
        """Wait for pending writes, whatever their outcome (the pad is going away)."""
        with contextlib.suppress(Exception):
            await self.flushed()

    async def receive_update(self, update: bytes, origin: Peer | None) -> None:
        """A client's update: read whole at the door (see `structure`), so that only what was
        decoded is applied, stored and relayed, then committed before it is relayed."""
        accepted = self.structure.check(update)
        self._check_size(update)
        apply_update(self.doc, update)
        self.structure.record(accepted)
        self._size += len(update)
        await self.commit(update, origin)

    async def commit(self, update: bytes, origin: Peer | None = None) -> None:
        """Store an update already applied to the Doc, then relay it to every other peer."""
        write = self.store.append_update(self.pad_id, update)
        self._last_write = write
        self.awareness.updates_in_flight += 1
        try:
            position = await asyncio.shield(write)
        except PadFrozen:  # the purge has begun: the room stays, for the purge reads its Doc
            raise
        except StoreFailed:
            self.fail()
            raise
        finally:
            self.awareness.updates_in_flight -= 1
        self._ahead.add(position)
        self._advance()
        self.hooks.updated(self, update, position, origin)
        self._relay(update, origin)
        self._log_updates += 1
        self._log_bytes += len(update)
        self._maybe_compact()

    def receive_committed(self, update: bytes, position: int) -> None:
        """An update another process committed at `position`: applied and relayed in log
        order, so that it lands on the updates it was built on, as it did where it was made."""
        if position <= self.position or position in self._ahead:
            return
        self._arrived[position] = update
        self._advance()

    def _advance(self) -> None:
        """Move `position` over every update now held or arrived in order; watch a hole left."""
        while True:
            following = self.position + 1
            if following in self._ahead:
                self._ahead.discard(following)
            elif following in self._arrived:
                self._apply_committed(self._arrived.pop(following))
            else:
                break
            self.position = following
        if self._ahead or self._arrived:
            self._watch_hole()

    def _apply_committed(self, update: bytes) -> None:
        try:
            self.structure.record(self.structure.check(update))
            apply_update(self.doc, update)
        except InvalidFrame:
            log.warning("pad %s: a committed update did not apply; caught up", self.pad_id)
            self.catch_up_soon()
            return
        self._size += len(update)
        self._log_updates += 1
        self._log_bytes += len(update)
        self._relay(update, None)

    def _watch_hole(self) -> None:
        """A hole in the positions is mostly an update still on its way from another process;
        one still open after `fanout_gap_seconds` is filled from the store."""
        if self._hole_check is None:
            loop = asyncio.get_running_loop()
            self._hole_check = loop.call_later(self.settings.fanout_gap_seconds, self._hole_due)

    def _hole_due(self) -> None:
        self._hole_check = None
        if self._ahead or self._arrived:
            self.catch_up_soon()

    def catch_up_soon(self) -> None:
        """Fill the Doc from the store in the background (once at a time)."""
        if self._catching_up is None or self._catching_up.done():
            self._catching_up = asyncio.create_task(
                self._catch_up_logged(), name=f"catch-up-{self.pad_id}"
            )

    async def _catch_up_logged(self) -> None:
        try:
            await self.catch_up()
        except Exception:
            log.exception("pad %s: catching up from the store failed; retried", self.pad_id)
            self._watch_hole()

    async def catch_up(self) -> None:
        """Apply what the store committed past `position` (its snapshot too when the log rows
        were folded into it), and relay the difference to this process's peers."""
        stored = await self.store.updates_after(self.pad_id, self.position)
        parts = stored.parts
        if parts and stored.position > self.position:
            before = self.doc.get_state()
            merged = await asyncio.to_thread(merge_updates, *parts)
            apply_update(self.doc, merged)
            self.structure = Structure.of(
                self.doc, self.settings.max_nesting_depth, self.settings.max_update_items
            )
            difference = self.doc.get_update(before)
            self._size += len(difference)
            if difference != protocol.EMPTY_UPDATE:
                self._relay(difference, None)
        self.position = max(self.position, stored.position)
        self._ahead = {p for p in self._ahead if p > self.position}
        self._arrived = {p: u for p, u in self._arrived.items() if p > self.position}
        self._advance()

    def _relay(self, update: bytes, origin: Peer | None) -> None:
        """Queue a committed update for the pending relay, or ask for one in the loop's next
        turn: whatever else resumes in this turn (every update of one commit) joins it. The
        handle holds the bound method only while it is scheduled, so a dropped room is freed at
        once (no reference cycle)."""
        self._outbox.append((update, origin))
        if self._relay_due is None:
            self._relay_due = asyncio.get_running_loop().call_soon(self._flush_outbox)

    def _flush_outbox(self) -> None:
        """Send the merged batch to every peer; a peer that wrote some of it gets the others'."""
        self._relay_due = None
        batch, self._outbox = self._outbox, []
        if not self.peers:
            return
        origins = {origin for _, origin in batch if origin is not None}
        everything = protocol.sync_update(_merged([update for update, _ in batch]))
        for peer in self.peers:
            if peer not in origins:
                peer.send(everything)
        for origin in origins & self.peers:
            others = [update for update, writer in batch if writer is not origin]
            if others:
                origin.send(protocol.sync_update(_merged(others)))

    def cancel_catch_up(self) -> None:
        if self._hole_check is not None:
            self._hole_check.cancel()
            self._hole_check = None
        if self._catching_up is not None:
            self._catching_up.cancel()

    def fail(self) -> None:
        """The store refused a write: the Doc now holds what storage lacks, so drop the room.
        Clients reconnect and send their state again, which is then stored."""
        if self.failed:
            return
        self.failed = True
        log.error("pad %s: store failed, closing %d sockets", self.pad_id, len(self.peers))
        for peer in list(self.peers):
            peer.close(StoreFailed.close_code, "storage failed; reconnecting")

    def _check_size(self, update: bytes) -> None:
        limit = self.settings.max_document_bytes
        if self._size + len(update) <= limit:
            return
        self._size = len(self.doc.get_update())
        if self._size + len(update) > limit:
            raise PadFull(f"this pad is full: its notes may take up to {limit // 1024} KiB")

    def _maybe_compact(self) -> None:
        over = compaction_due(
            self._log_updates, self._log_bytes, self._snapshot_bytes, self.settings
        )
        if over and (self._compaction is None or self._compaction.done()):
            self._compaction = asyncio.create_task(self._compact(), name=f"compact-{self.pad_id}")

    async def _compact(self) -> None:
        try:
            await self.compact()
        except Exception:
            log.exception("pad %s: compaction failed; the log is kept", self.pad_id)

    async def compact(self) -> None:
        """Fold the log into a snapshot of the live Doc, as of `position`: the Doc holds every
        update up to it, and rows past it stay in the log (applying one twice is harmless).
        Other processes may compact the same pad: the store keeps the snapshot that covers
        most. Encoding the Doc is quick, unlike merging thousands of logged updates, and loads
        back just as quickly."""
        if not self._log_updates:
            return
        self._log_updates = self._log_bytes = 0
        await self.flushed()
        through = self.position
        state = self.doc.get_update()
        self._snapshot_bytes = self._size = len(state)
        await self.store.write_snapshot(self.pad_id, state, through)

    async def close(self) -> None:
        """Wait for pending writes and any compaction; used when unloading."""
        self.awareness.cancel()
        self.cancel_catch_up()
        await self.flushed()
        if self._compaction is not None:
            await self._compaction
        await self.compact()
