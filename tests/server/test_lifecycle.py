"""The lifecycle's rules: allowed moves, who writes in each state, when each move falls due."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from server.access import Role, new_keys
from server.lifecycle import Action, State, due_action, may_write, schedule, target
from server.store import PadRecord

T0 = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def pad(**fields: object) -> PadRecord:
    base = PadRecord(
        id="p",
        title="t",
        created_at=T0 - timedelta(days=1),
        starts_at=T0,
        ends_at=T0 + timedelta(hours=1),
        purge_after_minutes=120,
        state="scheduled",
        keys=new_keys().hashes(),
    )
    return dataclasses.replace(base, **fields)


@pytest.mark.parametrize(
    ("action", "state", "to"),
    [
        (Action.CLOSE, "live", State.CLOSED),
        (Action.CLOSE, "scheduled", State.CLOSED),
        (Action.REOPEN, "closed", State.LIVE),
        (Action.PURGE, "closed", State.PURGING),
        (Action.PURGE, "live", State.PURGING),
        (Action.PUBLISH, "purged", State.PUBLISHED),
        (Action.UNPUBLISH, "published", State.PURGED),
        (Action.DELETE, "published", None),
    ],
)
def test_allowed_moves(action: Action, state: str, to: State | None) -> None:
    assert target(action, state) == to


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (Action.REOPEN, "purged"),
        (Action.REOPEN, "live"),
        (Action.PUBLISH, "closed"),
        (Action.PURGE, "purged"),
        (Action.UNPUBLISH, "purged"),
        (Action.CLOSE, "closed"),
    ],
)
def test_refused_moves(action: Action, state: str) -> None:
    with pytest.raises(ValueError, match=state):
        target(action, state)


def test_who_writes() -> None:
    assert may_write(Role.EDIT, "live") and may_write(Role.EDIT, "scheduled")
    assert not may_write(Role.EDIT, "closed") and may_write(Role.HOST, "closed")
    assert not may_write(Role.VIEW, "live")
    assert not any(may_write(role, "purged") or may_write(role, "published") for role in Role)


def test_schedule_in_order() -> None:
    planned = schedule(pad())
    assert [action for action, _ in planned] == [Action.START, Action.CLOSE, Action.PURGE]
    assert planned[2][1] == T0 + timedelta(hours=3)


def test_due_actions_follow_the_clock() -> None:
    assert due_action(pad(), T0 - timedelta(seconds=1)) is None
    assert due_action(pad(), T0) is Action.START
    live = pad(state="live")
    assert due_action(live, T0 + timedelta(minutes=59)) is None
    assert due_action(live, T0 + timedelta(hours=1)) is Action.CLOSE
    closed = pad(state="closed", closed_at=T0 + timedelta(hours=1))
    assert due_action(closed, T0 + timedelta(hours=2, minutes=59)) is None
    assert due_action(closed, T0 + timedelta(hours=3)) is Action.PURGE


def test_reopened_after_the_end_is_not_closed_again_but_still_purged() -> None:
    reopened = pad(state="live", closed_at=T0 + timedelta(hours=1, minutes=5))
    assert due_action(reopened, T0 + timedelta(hours=2)) is None
    assert due_action(reopened, T0 + timedelta(hours=3)) is Action.PURGE


def test_pad_without_times_purges_after_a_manual_close() -> None:
    untimed = pad(starts_at=None, ends_at=None, state="live")
    assert schedule(untimed) == []
    closed = dataclasses.replace(untimed, state="closed", closed_at=T0)
    assert due_action(closed, T0 + timedelta(minutes=120)) is Action.PURGE
