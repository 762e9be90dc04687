"""Run a coroutine at once, in the caller's turn of the event loop, and give it a task only if it
has to wait: what Python 3.12's eager tasks (`asyncio.eager_task_factory`) do, for 3.11.

A relay sends the same frame to each of hundreds of sockets, and a send almost never waits: it
writes to the socket and returns, and waits only while a slow client's buffer is full. A task
for each send cost more than the send itself (the crowd of bench/compare, 500 clients on one
pad, two sets of 3 runs each side, medians: server CPU 73 and 72 -> 60 and 59 % of a core,
fan-out p50 27 -> 23 ms, p99 73 and 65 -> 49 and 63 ms).

It uses only Python's public coroutine protocol (`send`, `throw`, `close`, and a Task driving
any `Coroutine`), and is fenced to the Python it back-ports for: tests/server/test_eager.py
fails on any other, where `asyncio.Task(..., eager_start=True)` (3.12) is to replace it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


def start(coroutine: Coroutine[Any, Any, None], name: str) -> asyncio.Future[None] | None:
    """Run `coroutine` until it first waits. None when it finished without waiting; else the
    task that goes on with it. An exception it raised before waiting is kept in a finished
    future, as a task would keep it, rather than raised at the caller."""
    try:
        awaited = coroutine.send(None)
    except StopIteration:
        return None
    except Exception as error:
        failed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        failed.set_exception(error)
        return failed
    return asyncio.get_running_loop().create_task(Started(coroutine, awaited), name=name)


_HANDED = object()


class Started(Coroutine[Any, Any, None]):
    """A coroutine started by hand and now waiting on `awaited`, for a task to go on with. The
    task's first step is handed what the coroutine waits on; every later value, and every
    exception thrown in (a cancellation, even one that comes before that first step), goes on
    to the coroutine, as `await` would pass them."""

    def __init__(self, coroutine: Coroutine[Any, Any, None], awaited: Any) -> None:
        self._coroutine = coroutine
        self._awaited = awaited

    def send(self, value: Any) -> Any:
        if self._awaited is not _HANDED:
            awaited, self._awaited = self._awaited, _HANDED
            return awaited
        return self._coroutine.send(value)

    def throw(self, error: BaseException, *_: object) -> Any:  # type: ignore[override]
        self._awaited = _HANDED
        return self._coroutine.throw(error)

    def close(self) -> None:
        self._coroutine.close()

    def __await__(self) -> Started:  # type: ignore[override]
        return self

    def __next__(self) -> Any:
        return self.send(None)
