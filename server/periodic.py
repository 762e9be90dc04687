"""One background task that runs some work every so often: the scheduler, the housekeeping of
rooms, the saving of activity counts. A failing run is logged and the next one goes ahead, so
one bad pad never stops the loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("skrid.periodic")


class Periodic:
    def __init__(
        self, name: str, interval: float, work: Callable[[], Awaitable[object]], *, at_start: bool
    ) -> None:
        self.name = name
        self.interval = interval
        self.work = work
        self.at_start = at_start
        """Run once right at start (the scheduler: what fell due while the server was down)."""
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"skrid-{self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        if not self.at_start:
            await asyncio.sleep(self.interval)
        while True:
            try:
                await self.work()
            except Exception:
                log.exception("%s failed; it runs again in %s s", self.name, self.interval)
            await asyncio.sleep(self.interval)
