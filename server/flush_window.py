"""A flush that runs at most once per window. A leading window runs at once after a quiet
spell, else when the window since its last run ends; a trailing one always collects for a whole
window first. A room relays updates through a leading one (a quiet pad adds no delay) and
awareness through a trailing one (a cursor move would otherwise go out at once, just ahead of the
update it follows, and delay it); either way a busy pad sends each peer a bounded number of
frames a second.

The flush is given with each request and held only while it is scheduled: a window that kept
its owner's bound method would tie the two in a reference cycle, and an unloaded room would then
wait for the cyclic garbage collector instead of being freed at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class FlushWindow:
    def __init__(self, window: float, *, leading: bool) -> None:
        self.window = window
        self.leading = leading
        self._last_run = float("-inf")
        self._scheduled: asyncio.Handle | None = None

    def request(self, flush: Callable[[], None]) -> None:
        """Ask for a flush. A request at once is still deferred to the loop's next turn, so
        that whatever else resumes in this turn (every update of one commit) joins it."""
        if self._scheduled is not None:
            return
        loop = asyncio.get_running_loop()
        delay = self._last_run + self.window - loop.time() if self.leading else self.window
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
