"""Edits per minute, counted while a pad is live, for the archive's activity picture.

Counts only: no text, no name, no client id is kept. They accumulate in memory and are added to
the store by the housekeeping tick; a crash may lose the last few seconds of counts, which only
makes the picture a little lower, never touches the notes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, defaultdict

from .store import Store

log = logging.getLogger("skrid.activity")


class ActivityRecorder:
    def __init__(self, store: Store, interval: float) -> None:
        self.store = store
        self.interval = interval
        self.pending: defaultdict[str, Counter[int]] = defaultdict(Counter)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="skrid-activity")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.flush()
            except Exception:
                log.exception("activity counts not saved; retried next time")

    def record(self, pad_id: str, update: bytes) -> None:
        self.pending[pad_id][int(time.time() // 60)] += 1

    async def flush(self) -> None:
        pending, self.pending = self.pending, defaultdict(Counter)
        for pad_id, minutes in pending.items():
            await self.store.add_activity(pad_id, dict(minutes))
