"""Group commit: updates queued while one batch commits go together in the next one.

A burst of keystrokes from a whole audience then costs one transaction, whichever backend
commits it. Each queued update gets a future that resolves once its batch is committed, in the
order of the calls, with its log position (the store's contract, base.py); an update the
backend refused alone (a frozen pad) fails its own future; a failed batch fails every future in
it with a StoreFailed, and the next batch is tried afresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from ..errors import StoreFailed
from .log import Outcome

log = logging.getLogger("skrid.store")

SLOW_COMMIT_SECONDS = 0.1
"""A group commit slower than this is logged (counts and times only): every relay waits for it."""

Commit = Callable[[list[tuple[str, bytes]]], Awaitable[tuple[list[Outcome], float]]]
"""Commits (pad id, update) rows in one transaction; answers each row's outcome, in order, and
the seconds it waited for a writer (a lock, a connection) before writing."""


class GroupCommit:
    def __init__(self, commit: Commit, name: str) -> None:
        self._commit = commit
        self._name = name
        self._pending: list[tuple[str, bytes, asyncio.Future[int]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self._name)

    async def stop(self) -> None:
        """Commit what is queued, then stop."""
        if self._task is None:
            return
        await self.flush()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    def append(self, pad_id: str, update: bytes) -> asyncio.Future[int]:
        future = asyncio.get_running_loop().create_future()
        self._pending.append((pad_id, update, future))
        self._wake.set()
        return future

    async def _loop(self) -> None:
        while True:
            await self._wake.wait()
            await self.flush()

    async def flush(self) -> None:
        """Commit what is queued now."""
        self._wake.clear()
        batch, self._pending = self._pending, []
        if not batch:
            return
        started = time.monotonic()
        try:
            outcomes, waited = await self._commit([(pad, update) for pad, update, _ in batch])
        except Exception as error:
            failure = (
                error
                if isinstance(error, StoreFailed)
                else StoreFailed(f"could not store {len(batch)} updates: {type(error).__name__}")
            )
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(failure)
            return
        took = time.monotonic() - started
        if took >= SLOW_COMMIT_SECONDS:
            log.warning(
                "a commit of %d updates took %.0f ms (%.0f ms waiting for a writer)",
                len(batch),
                took * 1000,
                waited * 1000,
            )
        for (_, _, future), outcome in zip(batch, outcomes, strict=True):
            if future.done():
                continue
            if isinstance(outcome, StoreFailed):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
