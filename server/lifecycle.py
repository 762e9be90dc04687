"""A pad's states and what each allows.

scheduled -> live -> closed -> purged -> published (and deleted from any state). Attendees may
write while the pad is scheduled or live (notes are often started before the webinar); the host
may write until the purge, to tidy the notes after closing.
"""

from __future__ import annotations

import enum
from datetime import datetime

from .access import Role


class State(enum.StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    CLOSED = "closed"
    PURGED = "purged"
    PUBLISHED = "published"


_WRITERS: dict[State, frozenset[Role]] = {
    State.SCHEDULED: frozenset({Role.HOST, Role.EDIT}),
    State.LIVE: frozenset({Role.HOST, Role.EDIT}),
    State.CLOSED: frozenset({Role.HOST}),
    State.PURGED: frozenset(),
    State.PUBLISHED: frozenset(),
}


def may_write(role: Role, state: str) -> bool:
    return role in _WRITERS[State(state)]


def initial_state(starts_at: datetime | None, now: datetime) -> State:
    """A pad created without a start, or whose start has passed, is live at once."""
    if starts_at is None or starts_at <= now:
        return State.LIVE
    return State.SCHEDULED
