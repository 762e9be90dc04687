"""The awareness of one live pad (names, colours, cursors): who holds each client id, the states,
their relay. Everything a client can grow here is bounded by a setting: the ids one socket may
announce, the bytes of one state, the states of a pad, the entries of one frame (counted before
any is read); a query for every state is answered from one cached encoding, at most once per
`awareness_query_seconds` per socket.

The server is the one authority on the order of changes. It relays each state with a clock of
its own, `max(last + 1, now in ms)`, greater than every clock it relayed before, in any room and
across restarts; a client's clock only orders that client's own frames. So whatever a client
announced before (an attacker's clock near 2**53 included), the next state the server accepts
for an id is applied by every other client. Two consequences keep clients from taking a state
that is not theirs as their own (y-protocols applies an entry about one's own id with a higher
clock as the local state):
- a socket is never relayed entries about the ids it announced;
- a socket gets the present states only once it is past its opening frames (its first frame
  other than sync step 1): the npm client announces its own id at once on connecting, so by then
  the id is its own, or taken back from a view-key socket (see `_claim`).
The server keeps no state for itself and nothing about an id once its state is gone.

Across processes (`fanout.py`), the entries this process's own peers change are handed to the
`on_awareness_change` hooks as they are relayed; entries from another process are held by a
`RemoteHolder` for that process, applied in the order of its clock, and dropped at once when it
is gone. A socket here takes over an id a remote holder has: the client moved to this process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from . import protocol
from .access import Role
from .errors import AwarenessTooLarge, InvalidFrame, TooManyAwarenessIds
from .flush_window import FlushWindow
from .hooks import Hooks
from .protocol import AwarenessEntry, RawAwarenessEntry
from .settings import Settings

if TYPE_CHECKING:
    from .room import Peer

log = logging.getLogger("skrid.presence")


@dataclass(slots=True)
class _Held:
    holder: Holder
    client_clock: int
    """The holder's own clock for the id: orders its frames."""
    clock: int
    """The clock the server relays the state with."""
    state: bytes
    """The state's JSON, as relayed: decoded only to check it, or for the purge."""


Screen = Callable[[list[AwarenessEntry]], list[AwarenessEntry]]


class RemoteHolder:
    """The ids whose states come from one other process: a peer that is sent nothing."""

    role = Role.EDIT

    def __init__(self) -> None:
        self.awareness_ids: set[int] = set()

    def send(self, frame: bytes) -> None:
        """Another process relays to its own peers."""

    def close(self, code: int, reason: str) -> None:
        """Another process's sockets are its own to close."""


Holder = Union["Peer", RemoteHolder]


def _rank(role: Role) -> int:
    return 0 if role == Role.VIEW else 1


class Presence:
    def __init__(self, pad_id: str, settings: Settings, hooks: Hooks | None = None) -> None:
        self.pad_id = pad_id
        self.settings = settings
        self.hooks = hooks or Hooks()
        self._held: dict[int, _Held] = {}
        self._remote: dict[str, RemoteHolder] = {}
        self._local_changes: set[int] = set()
        self._clock = 0
        self._pending: dict[int, bytes] = {}
        self._greeted: set[Peer] = set()
        self._queried: dict[Peer, float] = {}
        self._frame: bytes | None = None
        self._full_logged = False
        self._relay = FlushWindow(settings.awareness_batch_seconds)
        self.updates_in_flight = 0
        """Updates the room is committing: a change then waits for a whole window (see
        `FlushWindow`), so that a cursor move is not relayed just ahead of its update."""

    @property
    def states(self) -> dict[int, dict[str, Any]]:
        """The present states, decoded (for the purge's counts)."""
        decoded = {cid: protocol.decode_awareness_state(h.state) for cid, h in self._held.items()}
        return {cid: state for cid, state in decoded.items() if state is not None}

    def states_of(self, peer: Peer) -> list[dict[str, Any]]:
        """The present states a peer announced, decoded."""
        held = (self._held.get(cid) for cid in peer.awareness_ids)
        decoded = (protocol.decode_awareness_state(h.state) for h in held if h and h.holder is peer)
        return [state for state in decoded if state is not None]

    def frame(self) -> bytes:
        """Every present state in one frame, encoded once per change of the awareness."""
        if self._frame is None:
            entries = [
                protocol.awareness_entry(cid, held.clock, held.state)
                for cid, held in self._held.items()
            ]
            self._frame = protocol.awareness(protocol.awareness_update(entries))
        return self._frame

    def greet(self, peer: Peer) -> None:
        """Send a peer the present states, once, after its opening frames (see the module)."""
        if peer in self._greeted:
            return
        self._greeted.add(peer)
        if self._held:
            peer.send(self.frame())

    def query(self, peer: Peer) -> None:
        """Answer a query for every state from the cached frame; a socket asking again within
        `awareness_query_seconds` is not answered (its next relay brings it the changes)."""
        now = time.monotonic()
        if now - self._queried.get(peer, float("-inf")) < self.settings.awareness_query_seconds:
            return
        self._queried[peer] = now
        self._greeted.add(peer)
        peer.send(self.frame())

    def leave(self, peer: Peer) -> None:
        """Forget a peer; the others are told its names and cursors are gone."""
        self._greeted.discard(peer)
        self._queried.pop(peer, None)
        for cid in peer.awareness_ids:
            held = self._held.get(cid)
            if held is not None and held.holder is peer:
                self._clear(cid, local=True)

    def receive(self, peer: Peer, payload: bytes, screen: Screen | None = None) -> None:
        """Apply a peer's entries about its own clients only, once decoded states went through
        `screen` (the room's `before_awareness` hooks). The npm client echoes every state it
        is sent, and on leaving announces every state it knew as removed: were those applied,
        one attendee leaving would wipe everybody's names and cursors."""
        settings = self.settings
        try:
            raw = protocol.read_awareness(
                payload, settings.max_awareness_entries, settings.max_awareness_state_bytes
            )
        except AwarenessTooLarge as error:
            self._refused(error, entries=protocol.read_var_uint(payload, 0)[0], ids=0)
            raise
        claimed = [entry for entry in raw if self._claim(peer, entry)]
        new_ids = {e.client_id for e in claimed} - peer.awareness_ids
        if len(peer.awareness_ids) + len(new_ids) > settings.max_awareness_ids_per_socket:
            refusal = TooManyAwarenessIds(
                f"a socket announces at most {settings.max_awareness_ids_per_socket} ids"
            )
            self._refused(refusal, entries=len(raw), ids=len(peer.awareness_ids) + len(new_ids))
            raise refusal
        for entry in self._decoded(claimed, screen):
            if entry.state is None:
                self._clear(entry.client_id, local=True)
            elif entry.client_id in self._held or self._room_for_one():
                self._hold(peer, entry, local=True)
        self.greet(peer)

    def receive_remote(self, origin: str, payload: bytes, screen: Screen | None = None) -> None:
        """Apply entries another process relayed from its own peers (`origin` names it): for
        ids it holds or nobody does, in the order of its clock. Refused frames are dropped."""
        holder = self._remote.setdefault(origin, RemoteHolder())
        settings = self.settings
        try:
            raw = protocol.read_awareness(
                payload, settings.max_awareness_entries, settings.max_awareness_state_bytes
            )
        except (AwarenessTooLarge, InvalidFrame) as error:
            self._refused(error, entries=protocol.read_var_uint(payload, 0)[0], ids=0)
            return
        taken = [entry for entry in raw if self._from_holder(holder, entry)]
        for entry in self._decoded(taken, screen):
            if entry.state is None:
                self._clear(entry.client_id, local=False)
            elif entry.client_id in self._held or self._room_for_one():
                self._hold(holder, entry, local=False)

    def _from_holder(self, holder: RemoteHolder, entry: RawAwarenessEntry) -> bool:
        held = self._held.get(entry.client_id)
        if held is None:
            return not entry.cleared
        return held.holder is holder and entry.clock > held.client_clock

    def forget_origin(self, origin: str) -> None:
        """Another process is gone: the states of its peers go too."""
        holder = self._remote.pop(origin, None)
        if holder is None:
            return
        for cid in holder.awareness_ids:
            held = self._held.get(cid)
            if held is not None and held.holder is holder:
                self._clear(cid, local=False)

    def local_entries(self) -> list[bytes]:
        """The present states of this process's own peers, encoded (another process asks)."""
        return [
            protocol.awareness_entry(cid, held.clock, held.state)
            for cid, held in self._held.items()
            if not isinstance(held.holder, RemoteHolder)
        ]

    def _claim(self, peer: Peer, entry: RawAwarenessEntry) -> bool:
        """Whether the entry is the peer's to give. A client id is held by one socket at a time:
        the first that announces it, until it leaves or clears it; its later entries apply in
        the order of its own clock (a repeated or older one is dropped, as in y-protocols).
        One exception stops a view-key socket from keeping a writer's id from the writer (after
        the writer's socket dropped, say): a socket whose key may write (edit or host) takes
        over an id held by a view-key socket. Clocks play no part in who holds an id, since a
        client picks its own; and as the server relays every accepted state with a clock above
        all it relayed before, the writer's state is what every other client then shows. Among
        sockets of equal rank the holder keeps the id: a newest-claim-wins rule would let any
        socket take a connected client's id, and that client would then adopt the taker's
        state as its own."""
        held = self._held.get(entry.client_id)
        if held is None:
            return not entry.cleared
        if held.holder is peer:
            later = entry.clock > held.client_clock
            return later or (entry.clock == held.client_clock and entry.cleared)
        if isinstance(held.holder, RemoteHolder):
            return not entry.cleared
        return not entry.cleared and _rank(peer.role) > _rank(held.holder.role)

    def _decoded(
        self, entries: list[RawAwarenessEntry], screen: Screen | None
    ) -> list[AwarenessEntry]:
        depth = self.settings.max_nesting_depth
        decoded = [
            AwarenessEntry(e.client_id, e.clock, protocol.decode_awareness_state(e.state, depth))
            for e in entries
        ]
        if screen is not None and decoded:
            decoded = screen(decoded)
        return decoded

    def _room_for_one(self) -> bool:
        """Whether the pad holds fewer than `max_awareness_states`. A new state past it is not
        shown, and its socket stays open: the one that tips the pad over is rarely the one
        that filled it, and the client announces itself again every 15 s."""
        if len(self._held) < self.settings.max_awareness_states:
            self._full_logged = False
            return True
        if not self._full_logged:
            self._full_logged = True
            count = len(self._held)
            log.warning(
                "pad %s: awareness full (%d states); new ones not shown", self.pad_id, count
            )
        return False

    def _hold(self, holder: Holder, entry: AwarenessEntry, *, local: bool) -> None:
        state = protocol.encode_state(entry.state)
        clock = self._next_clock()
        self._held[entry.client_id] = _Held(holder, entry.clock, clock, state)
        holder.awareness_ids.add(entry.client_id)
        entry_bytes = protocol.awareness_entry(entry.client_id, clock, state)
        self._changed(entry.client_id, entry_bytes, local=local)

    def _clear(self, cid: int, *, local: bool) -> None:
        del self._held[cid]
        entry = protocol.awareness_entry(cid, self._next_clock(), protocol.NULL_STATE)
        self._changed(cid, entry, local=local)

    def _next_clock(self) -> int:
        self._clock = max(self._clock + 1, int(time.time() * 1000))
        return self._clock

    def _changed(self, cid: int, entry: bytes, *, local: bool) -> None:
        """Changes are relayed in short batches: one frame per peer per window, with each
        id's latest entry, instead of one frame per cursor move times every peer; a change on
        a quiet pad goes at once."""
        self._frame = None
        self._pending[cid] = entry
        if local:
            self._local_changes.add(cid)
        else:
            self._local_changes.discard(cid)
        self._relay.request(self._flush, wait=self.updates_in_flight > 0)

    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        local, self._local_changes = self._local_changes, set()
        if local:
            self.hooks.awareness_changed(self.pad_id, [pending[cid] for cid in local])
        shared: bytes | None = None
        for peer in tuple(self._greeted):
            mine = pending.keys() & peer.awareness_ids
            if not mine:
                if shared is None:
                    shared = protocol.awareness(protocol.awareness_update(list(pending.values())))
                peer.send(shared)
            elif len(mine) < len(pending):
                others = [entry for cid, entry in pending.items() if cid not in mine]
                peer.send(protocol.awareness(protocol.awareness_update(others)))

    def _refused(self, error: Exception, *, entries: int, ids: int) -> None:
        code = getattr(error, "close_code", 0)
        name = type(error).__name__
        log.warning(
            "pad %s: awareness refused (%s): %d entries, %d ids, close %d",
            self.pad_id,
            name,
            entries,
            ids,
            code,
        )

    def cancel(self) -> None:
        """Drop a pending relay (the room is unloading)."""
        self._relay.cancel()
