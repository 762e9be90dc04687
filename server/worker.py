"""A worker process for the server's long CPU work: building a purged pad, and its names.

A worker thread was not enough: the work is mostly calls into pycrdt and spaCy that hold the
GIL for tens to hundreds of milliseconds each, and the event loop, waiting for the GIL, stalled
every pad (a purge with names on a 1 MB pad: relays of another pad up to 1.2 s late; 47 ms
without names, bench/purge_stall.py). One process, started at the first job with `spawn` (a
fork would copy the server's sockets and threads), lives as long as the server, so the French
model loads once. A worker that dies (killed, out of memory) fails the job it had with
`WorkerFailed` and is replaced at the next job: the purge, a recorded intent, is then retried.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .errors import WorkerFailed

log = logging.getLogger("skrid.worker")

Result = TypeVar("Result")


class Worker:
    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._warming: set[asyncio.Task[Any]] = set()

    async def run(self, job: Callable[..., Result], *args: Any) -> Result:
        """`job(*args)` in the worker process; `job` must be a module-level function, and its
        arguments and result picklable."""
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, job, *args)
        except BrokenProcessPool:
            log.error("the worker process died; a new one starts with the next job")
            self._pool = None
            raise WorkerFailed("the worker process died during the job") from None

    def warm(self, job: Callable[[], object]) -> None:
        """Start the worker now and run `job` (a model's load) there, without waiting for it:
        the next real job then finds it ready."""
        task = asyncio.get_running_loop().create_task(self._quietly(job), name="worker-warm")
        self._warming.add(task)
        task.add_done_callback(self._warming.discard)

    async def _quietly(self, job: Callable[[], object]) -> None:
        try:
            await self.run(job)
        except Exception:
            log.exception("warming the worker failed")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
