"""Edits per minute, counted while a pad is live, for the archive's activity picture.

Counts only: no text, no name, no client id is kept. They accumulate in memory and are added to
the store by the housekeeping tick; a crash may lose the last few seconds of counts, which only
makes the picture a little lower, never touches the notes.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from .periodic import Periodic
from .room import Peer, Room
from .store import Store


class ActivityRecorder:
    def __init__(self, store: Store, interval: float) -> None:
        self.store = store
        self.pending: defaultdict[str, Counter[int]] = defaultdict(Counter)
        self.saver = Periodic("activity", interval, self.flush, at_start=False)

    def start(self) -> None:
        self.saver.start()

    async def stop(self) -> None:
        await self.saver.stop()
        await self.flush()

    def record(self, room: Room, update: bytes, position: int, writer: Peer | None) -> None:
        """An `on_update` hook."""
        self.pending[room.pad_id][int(time.time() // 60)] += 1

    async def flush(self) -> None:
        pending, self.pending = self.pending, defaultdict(Counter)
        for pad_id, minutes in pending.items():
            await self.store.add_activity(pad_id, dict(minutes))
