"""A flush that runs at most once per window: in the loop's next turn after a quiet spell, else
when the window since its last run ends. A room relays awareness through one, so that a lone
cursor move on a quiet pad goes out at once while a busy pad sends each peer a bounded number of
awareness frames a second. A caller that knows a flush now would come too soon asks it to `wait`
a whole window: a cursor move that arrives while an update is being committed would otherwise go
out just ahead of that update's relay, and delay it.

The flush is given with each request and held only while it is scheduled: a window that kept
its owner's bound method would tie the two in a reference cycle, and an unloaded room would then
wait for the cyclic garbage collector instead of being freed at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class FlushWindow:
    def __init__(self, window: float) -> None:
        self.window = window
        self._last_run = float("-inf")
        self._scheduled: asyncio.Handle | None = None

    def request(self, flush: Callable[[], None], *, wait: bool = False) -> None:
        """Ask for a flush. A request at once is still deferred to the loop's next turn, so
        that whatever else resumes in this turn joins it."""
        if self._scheduled is not None:
            return
        loop = asyncio.get_running_loop()
        delay = self.window if wait else self._last_run + self.window - loop.time()
        if delay > 0:
            self._scheduled = loop.call_later(delay, self._run, flush)
        else:
            self._scheduled = loop.call_soon(self._run, flush)

    def _run(self, flush: Callable[[], None]) -> None:
        self._scheduled = None
        self._last_run = asyncio.get_running_loop().time()
        flush()

    def cancel(self) -> None:
        if self._scheduled is not None:
            self._scheduled.cancel()
            self._scheduled = None
