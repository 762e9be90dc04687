"""Known names: the display names attendees used in a pad, kept with it until the purge.

An attendee's awareness state carries the name shown beside their cursor (`user.name`). The
purge removes those names from the notes wherever they occur (`anonymizer.names`: known names),
so the server keeps them until then: seen through a `before_awareness` hook, gathered in
memory, and added to the store in batches by a periodic task, never on the socket's path. A
name is kept without the addresses and phone numbers typed into it (the purge removes those
anyway), cut at `max_known_name_chars`; a pad keeps at most `max_known_names`. They are never
logged, and the purge deletes them in its store transaction (`write_purged`); once the purge
has begun, nothing more is gathered, and the store refuses names for a purged pad.

Each name is kept with whether it wrote: the name of a socket that sent an update (`wrote`, an
`on_update` hook), or a name announced under a client id that is also a client of the document
(Yjs clients announce their awareness under their document's client id: a name set only after
typing). The purge counts those names, the people who wrote, and keeps the count only: a count
of the document's clients counted browser sessions (three people, eight sessions).
"""

from __future__ import annotations

import asyncio
from typing import Any

from anonymizer import find

from .lifecycle import BEFORE_PURGE
from .periodic import Periodic
from .protocol import AwarenessEntry
from .room import Peer, Room
from .settings import Settings
from .store import Store


def display_name(state: dict[str, Any] | None, max_chars: int) -> str | None:
    """The name of an awareness state, without addresses or phones; None if it has none."""
    user = state.get("user") if isinstance(state, dict) else None
    name = user.get("name") if isinstance(user, dict) else None
    if not isinstance(name, str):
        return None
    pieces = []
    position = 0
    for found in find(name):
        pieces.append(name[position : found.start])
        position = found.end
    pieces.append(name[position:])
    cleaned = " ".join("".join(pieces).split())[:max_chars].strip()
    return cleaned or None


class KnownNames:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.limit = settings.max_known_names
        self.max_chars = settings.max_known_name_chars
        self.pending: dict[str, dict[str, bool]] = {}
        """Per pad, the names gathered since the last flush, each with whether it wrote."""
        self._flushing = asyncio.Lock()
        self.saver = Periodic(
            "known-names", settings.known_names_flush_seconds, self.flush, at_start=False
        )

    def start(self) -> None:
        self.saver.start()

    async def stop(self) -> None:
        await self.saver.stop()
        await self.flush()

    def see(self, room: Room, entries: list[AwarenessEntry]) -> list[AwarenessEntry]:
        """A `before_awareness` hook: gathers names, changes nothing."""
        if room.state in BEFORE_PURGE:
            writers = room.structure.known
            for entry in entries:
                self._gather(room.pad_id, entry.state, entry.client_id in writers)
        return entries

    def wrote(self, room: Room, update: bytes, position: int, writer: Peer | None) -> None:
        """An `on_update` hook: the names the update's writer announced wrote."""
        if writer is not None and room.state in BEFORE_PURGE:
            for state in room.awareness.states_of(writer):
                self._gather(room.pad_id, state, True)

    def _gather(self, pad_id: str, state: dict[str, Any] | None, wrote: bool) -> None:
        name = display_name(state, self.max_chars)
        if name is not None:
            names = self.pending.setdefault(pad_id, {})
            if name in names or len(names) < self.limit:
                names[name] = names.get(name, False) or wrote

    async def flush(self) -> None:
        """Add what was gathered to the store; once it returns, every name gathered before the
        call is stored (a flush under way is waited for: the purge relies on it)."""
        async with self._flushing:
            pending, self.pending = self.pending, {}
            for pad_id, names in pending.items():
                await self.store.add_known_names(pad_id, dict(sorted(names.items())), self.limit)

    async def names(self, pad_id: str) -> list[str]:
        """The pad's known names, stored and gathered since the last flush, sorted: the review
        and the purge read the same list whether or not a flush came between them."""
        stored = await self.store.known_names(pad_id)
        return sorted({*stored, *self.pending.get(pad_id, ())})

    def drop(self, pad_id: str) -> None:
        """Forget what was gathered for a pad (its purge read it)."""
        self.pending.pop(pad_id, None)
