"""A pad's states, the moves between them, and when the schedule makes each one due.

scheduled -> live -> closed -> purging -> purged -> published (and deleted from any state).

- Attendees write while the pad is scheduled or live (notes often start before the webinar);
  the host writes until the purge, to tidy the notes after closing.
- `purging` is the purge's recorded intent, committed before anything is redacted: from then
  on the pad is frozen, and the purge is completed from whatever step it reached (after a crash,
  a full disk, a reader holding the database) until the bytes are gone; only then is it
  `purged`.
- Nobody writes once the purge has begun: anything typed afterwards could bring an address back,
  and a frozen pad keeps the promise without re-running the purge on every keystroke.
- The purge falls due at `ends_at + purge_after_minutes`, whatever the state, so a pad reopened
  by the host is still purged on time; a pad without `ends_at` is purged that long after it was
  closed by hand. The close falls due at `ends_at`, unless the host reopened it after that.

Pure rules only: transitions.py carries them out.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from .access import Role
from .store import PadRecord


class State(enum.StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    CLOSED = "closed"
    PURGING = "purging"
    PURGED = "purged"
    PUBLISHED = "published"


class Action(enum.StrEnum):
    START = "start"
    CLOSE = "close"
    REOPEN = "reopen"
    PURGE = "purge"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    DELETE = "delete"


BEFORE_PURGE = frozenset({State.SCHEDULED, State.LIVE, State.CLOSED})

MOVES: dict[Action, tuple[frozenset[State], State | None]] = {
    Action.START: (frozenset({State.SCHEDULED}), State.LIVE),
    Action.CLOSE: (frozenset({State.SCHEDULED, State.LIVE}), State.CLOSED),
    Action.REOPEN: (frozenset({State.CLOSED}), State.LIVE),
    Action.PURGE: (BEFORE_PURGE | {State.PURGING}, State.PURGING),
    Action.PUBLISH: (frozenset({State.PURGED}), State.PUBLISHED),
    Action.UNPUBLISH: (frozenset({State.PUBLISHED}), State.PURGED),
    Action.DELETE: (frozenset(State), None),
}

HOST_ACTIONS = frozenset(MOVES) - {Action.START}

_WRITERS: dict[State, frozenset[Role]] = {
    State.SCHEDULED: frozenset({Role.HOST, Role.EDIT}),
    State.LIVE: frozenset({Role.HOST, Role.EDIT}),
    State.CLOSED: frozenset({Role.HOST}),
    State.PURGING: frozenset(),
    State.PURGED: frozenset(),
    State.PUBLISHED: frozenset(),
}


def may_write(role: Role, state: str) -> bool:
    return role in _WRITERS[State(state)]


def is_public(state: str) -> bool:
    return state == State.PUBLISHED


def initial_state(starts_at: datetime | None, now: datetime) -> State:
    """A pad created without a start, or whose start has passed, is live at once."""
    if starts_at is None or starts_at <= now:
        return State.LIVE
    return State.SCHEDULED


def target(action: Action, state: str) -> State | None:
    """The state `action` leads to from `state`; ValueError when it is not allowed there."""
    sources, to = MOVES[action]
    if State(state) not in sources:
        raise ValueError(f"a {state} pad cannot be {past(action)}")
    return to


def past(action: Action) -> str:
    return {Action.START: "started", Action.REOPEN: "reopened", Action.DELETE: "deleted"}.get(
        action, f"{action.value}d" if action.value.endswith("e") else f"{action.value}ed"
    )


def purge_due_at(pad: PadRecord) -> datetime | None:
    base = pad.ends_at or pad.closed_at
    return None if base is None else base + timedelta(minutes=pad.purge_after_minutes)


def schedule(pad: PadRecord) -> list[tuple[Action, datetime]]:
    """The transitions the schedule will make for this pad, with their times, soonest first."""
    state = State(pad.state)
    planned = []
    if state is State.SCHEDULED and pad.starts_at is not None:
        planned.append((Action.START, pad.starts_at))
    reopened_late = (
        pad.closed_at is not None and pad.ends_at is not None and (pad.closed_at >= pad.ends_at)
    )
    if state in {State.SCHEDULED, State.LIVE} and pad.ends_at is not None and not reopened_late:
        planned.append((Action.CLOSE, pad.ends_at))
    purge_at = purge_due_at(pad)
    if state in BEFORE_PURGE and purge_at is not None:
        planned.append((Action.PURGE, purge_at))
    return sorted(planned, key=lambda item: item[1])


def due_action(pad: PadRecord, now: datetime) -> Action | None:
    """The earliest transition due now. A server that was down past several due times makes
    them one after another (start, close, purge), each recorded in the audit."""
    return next((action for action, at in schedule(pad) if at <= now), None)
