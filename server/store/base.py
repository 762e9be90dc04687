"""The store interface every backend implements, and the records it trades in.

Durability contract: `append_update` returns a future that resolves once the update is
committed; futures resolve in the order the calls were made, so awaiting the latest one means
every earlier update is committed too. Rooms rely on that to relay nothing that is not stored.

Log positions: each committed update has a position in its pad's log, 1, 2, 3... with no hole,
whichever process committed it (the pad's counter is incremented in the commit's transaction,
under the pad row's lock). The future resolves with it. A room counts how far its Doc holds the
log without a hole, and fills a hole from `updates_after`; a snapshot says which position it
covers, so that a process that compacts late never replaces a newer snapshot by an older one.

A pad that is being purged, or was (`FROZEN_STATES`), takes no update: each is refused with
PadFrozen, in the same commit where other pads' updates are stored, so that no process can add
to a pad once its purge has begun.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
from collections.abc import AsyncIterator
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


FROZEN_STATES = ("purging", "purged", "published")
"""The states in which a pad's log takes no update."""


@dataclass(frozen=True)
class StoredDocument:
    """What a pad's document is made of on disk: a snapshot (maybe none) and the log after it,
    which together hold every update up to log `position`."""

    snapshot: bytes | None
    updates: list[bytes]
    position: int = 0

    @property
    def parts(self) -> list[bytes]:
        """The snapshot, if any, then the log: the updates that make the document."""
        return ([self.snapshot] if self.snapshot else []) + self.updates

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
    def append_update(self, pad_id: str, update: bytes) -> asyncio.Future[int]:
        """Queue an update for the next group commit; the future resolves once committed, with
        the update's log position (PadFrozen for a pad being purged or purged)."""

    @abc.abstractmethod
    async def updates_after(self, pad_id: str, position: int) -> StoredDocument:
        """What was committed past `position`: the log rows after it, or, when a snapshot
        already covers past it (the rows were folded in), the snapshot and the rows after it."""

    @abc.abstractmethod
    async def log_position(self, pad_id: str) -> int:
        """The position of the pad's latest committed update (0 before any)."""

    @abc.abstractmethod
    async def write_snapshot(self, pad_id: str, state: bytes, through: int) -> bool:
        """Make `state`, which holds every update up to position `through`, the pad's one
        snapshot, and delete the log rows it covers; False, and nothing written, when the
        snapshot already covers as far (another process compacted), or the pad is frozen."""

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
        """The purge's rewrite, in one transaction: `state` becomes the pad's one snapshot,
        covering its whole log, with no log and no older snapshot, and the pad's `fields` (its
        redacted title, the counts) are set; its known names and the host's decisions are
        deleted; the pad's state is left as it is (the purge commits it last)."""

    @abc.abstractmethod
    async def add_known_names(self, pad_id: str, names: dict[str, bool], limit: int) -> None:
        """Keep display names attendees used, until the purge, each with whether a client
        under it wrote in the pad: new ones once each, at most `limit` a pad; a name kept
        already is marked as a writer when it is one now; none once the pad's rewrite is
        committed (`purged_at` set)."""

    @abc.abstractmethod
    async def known_names(self, pad_id: str) -> list[str]: ...

    @abc.abstractmethod
    async def writer_count(self, pad_id: str) -> int:
        """How many of the pad's known names wrote in it: the people who wrote, which the
        purge keeps as a count only (a person who came back in another browser, or after a
        reload, is one writer, not one a session)."""

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

    @contextlib.asynccontextmanager
    async def pad_lock(self, pad_id: str) -> AsyncIterator[None]:
        """Held around a pad's lifecycle move, so that processes sharing the store move a pad
        one at a time (the conditional `transition` then makes each move happen once). One
        process owns a SQLite file: nothing to hold beyond the caller's own lock."""
        yield

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
