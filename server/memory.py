"""The server process's memory: the garbage collector's settings, and giving the memory of
unloaded pads back to the operating system.

A pad's Doc lives in memory allocated by the C library's malloc (pycrdt is Rust), and glibc keeps
freed memory for later instead of returning it: after thousands of pads are opened once and
unloaded, the server would stay at its peak size. `malloc_trim(0)` returns every free page. It
exists in glibc only; elsewhere (musl, macOS) this does nothing.

What stays after a peak is mostly CPython's own allocator: it returns a 1 MiB arena only when
every object in it is gone, and the few objects made during the peak that live on (timers,
cache entries) keep most of its arenas. So the lever is the peak: rooms are unloaded as soon as
they are empty (`registry`), and what a first load imports is imported at start-up
(`room.warm_up`). 10,000 pads opened 50 at a time then leave 3 to 4 arenas more than at the
start (bench/idle_pads.mjs: +7 to +9 % of the starting RSS, +62 to +83 % when rooms stayed
loaded 5 s; the reader's SQLite page cache, 2 MiB more, is now capped: `store.sqlite`). A
collection before trimming gains 0.1 to 0.3 MiB; collecting young objects after 2,000
allocations instead of 7,000 gains 0.7 MiB but costs the crowd of bench/compare
10 % more server CPU (74 % of a core against 67) for no better p99 (one invocation, 3 runs).
`PYTHONMALLOC=malloc` with a collection costs busy pads 15 to 30 % more CPU.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


async def release_free_memory() -> None:
    """Trim off the event loop: it walks the whole heap."""
    if _TRIM is not None:
        await asyncio.to_thread(_TRIM, 0)


def tune_garbage_collector() -> None:
    """Keep what was imported out of every collection, and collect young objects ten times
    less often. With Python's defaults, a pad of 500 attendees (every relay then created a task
    per socket) ran a full collection every 2-3 s, each stopping the event loop for 60-80 ms, and
    young collections took 2-3 % of a core (crowd of bench/compare, one run each: fan-out p99
    126 ms before, 74 ms after)."""
    gc.freeze()
    gc.set_threshold(7_000, 10, 10)
