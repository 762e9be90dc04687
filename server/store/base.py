"""The store interface every backend implements, and the records it trades in.

Durability contract: `append_update` returns a future that resolves once the update is
committed; futures resolve in the order the calls were made, so awaiting the latest one means
every earlier update is committed too. Rooms rely on that to relay nothing that is not stored.
"""

from __future__ import annotations

import abc
import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
    closed_at: datetime | None = None
    purged_at: datetime | None = None
    published_at: datetime | None = None
    purge_counts: dict[str, int] = field(default_factory=dict)
    contributors: int = 0
    speakers: tuple[str, ...] = ()
    """The webinar's speakers, given at creation: public, kept by the purge in every form."""
    language: str = "fr"
    """The pad's language (`fr`, `en`): its template and the purge's pseudonyms and notes."""


@dataclass(frozen=True)
class Transition:
    """One line of the audit: when, which pad, from and to which state, and by whom."""

    pad_id: str
    at: datetime
    from_state: str
    to_state: str
    by: str


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
    async def last_update_id(self, pad_id: str) -> int:
        """The id of the pad's latest committed log row (0 when the log is empty)."""

    @abc.abstractmethod
    async def write_snapshot(self, pad_id: str, state: bytes, through: int | None) -> None:
        """Make `state` the pad's one snapshot and delete the log rows it covers: ids up to
        `through`, or every row when `through` is None (the purge: no log, no older snapshot)."""

    @abc.abstractmethod
    async def transition(self, change: Transition, fields: dict[str, Any]) -> bool:
        """Move a pad from `change.from_state` to `change.to_state`, setting `fields` and
        recording the change, in one transaction; False if the pad was no longer in
        `from_state` (someone else moved it first), so each transition happens once."""

    @abc.abstractmethod
    async def pads_in_states(self, states: list[str]) -> list[PadRecord]: ...

    @abc.abstractmethod
    async def pads_with_times_passed(self, states: list[str], now: datetime) -> list[PadRecord]:
        """Pads in `states` whose start, end or close time is at or before `now`: every due
        transition is at one of those times or later, so the scheduler reads these only, not
        every pad that is waiting for its webinar (or was opened once and left)."""

    @abc.abstractmethod
    async def transitions(self, pad_id: str) -> list[Transition]: ...

    @abc.abstractmethod
    async def write_purged(self, pad_id: str, state: bytes, fields: dict[str, Any]) -> None:
        """The purge's rewrite, in one transaction: `state` becomes the pad's one snapshot, with
        no log and no older snapshot, and the pad's `fields` (its redacted title, the counts)
        are set; its known names and the host's decisions are deleted; the pad's state is left
        as it is (the purge commits it last)."""

    @abc.abstractmethod
    async def add_known_names(self, pad_id: str, names: list[str], limit: int) -> None:
        """Keep display names attendees used, until the purge: new ones only, at most `limit`
        a pad, and none once the pad's rewrite is committed (`purged_at` set)."""

    @abc.abstractmethod
    async def known_names(self, pad_id: str) -> list[str]: ...

    @abc.abstractmethod
    async def set_purge_decisions(self, pad_id: str, decisions: dict[str, list[str]]) -> bool:
        """Store the host's decisions for the purge (replacing earlier ones); False once the
        pad's rewrite is committed (`write_purged` deletes them)."""

    @abc.abstractmethod
    async def purge_decisions(self, pad_id: str) -> dict[str, list[str]]: ...

    @abc.abstractmethod
    async def forget(self) -> bool:
        """Make deleted bytes unrecoverable from the storage files themselves; False when that
        could not be finished now (the caller tries again later)."""

    @property
    def healthy(self) -> bool:
        """Whether the store can still take writes (see each backend)."""
        return True

    @abc.abstractmethod
    async def add_activity(self, pad_id: str, edits_by_minute: dict[int, int]) -> None:
        """Add edit counts, keyed by minutes since the epoch (a deleted pad's are dropped)."""

    @abc.abstractmethod
    async def activity(self, pad_id: str) -> dict[int, int]: ...

    @abc.abstractmethod
    async def delete_pad(self, pad_id: str, change: Transition) -> None:
        """Remove the pad and every row of its data (not a soft flag), recording `change`."""
