"""The store interface every backend implements, and the records it trades in.

Durability contract: `append_update` returns a future that resolves once the update is
committed; futures resolve in the order the calls were made, so awaiting the latest one means
every earlier update is committed too. Rooms rely on that to relay nothing that is not stored.
"""

from __future__ import annotations

import abc
import asyncio
from dataclasses import dataclass
from datetime import datetime

from ..access import KeyHashes


@dataclass(frozen=True)
class PadRecord:
    id: str
    title: str
    created_at: datetime
    starts_at: datetime | None
    ends_at: datetime | None
    purge_after_minutes: int
    state: str
    keys: KeyHashes


@dataclass(frozen=True)
class StoredDocument:
    """What a pad's document is made of on disk: a snapshot (maybe none) and the log after it."""

    snapshot: bytes | None
    updates: list[bytes]

    @property
    def log_bytes(self) -> int:
        return sum(map(len, self.updates))


class Store(abc.ABC):
    @abc.abstractmethod
    async def open(self) -> None:
        """Connect and apply pending migrations."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Commit what is queued, then disconnect."""

    @abc.abstractmethod
    async def create_pad(self, pad: PadRecord) -> None: ...

    @abc.abstractmethod
    async def get_pad(self, pad_id: str) -> PadRecord | None: ...

    @abc.abstractmethod
    async def load_document(self, pad_id: str) -> StoredDocument: ...

    @abc.abstractmethod
    def append_update(self, pad_id: str, update: bytes) -> asyncio.Future[None]:
        """Queue an update for the next group commit; the future resolves once committed."""

    @abc.abstractmethod
    async def compact(self, pad_id: str) -> None:
        """Merge the snapshot and the log into one snapshot, off the event loop."""
