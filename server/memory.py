"""Give the memory of unloaded pads back to the operating system.

A pad's Doc lives in memory allocated by the C library's malloc (pycrdt is Rust), and glibc keeps
freed memory for later instead of returning it: after thousands of pads are opened once and
unloaded, the server would stay at its peak size. `malloc_trim(0)` returns every free page. It
exists in glibc only; elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import asyncio
import ctypes
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
