"""Carrying out the lifecycle: host actions and the scheduler, through one path.

Each transition holds the pad's lock, re-reads the pad, checks the move is allowed (and, for the
schedule, still due), does its work, then commits the new state with a conditional UPDATE that
records the audit line in the same transaction. So a transition happens exactly once even when
two scheduler ticks, or a tick and a host, race; the loser gets a Conflict and does nothing.

The scheduler keeps no state of its own: due times are derived from the pads' rows, so a server
that was down when something fell due does it on its first tick after start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from .errors import Conflict, NotFound, SkridError
from .lifecycle import BEFORE_PURGE, Action, State, due_action, past, target
from .periodic import Periodic
from .purge import Purge
from .registry import Registry
from .settings import Settings
from .store import PadRecord, Store, Transition

log = logging.getLogger("skrid.transitions")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Transitions:
    def __init__(
        self, store: Store, registry: Registry, settings: Settings, clock: Clock = utc_now
    ) -> None:
        self.store = store
        self.registry = registry
        self.markers = settings.markers
        self.clock = clock
        self.purge = Purge(store, registry, self.markers, settings.max_nesting_depth, clock)
        self.forget_pending = False
        """A deletion's bytes are not forgotten yet: the scheduler tries again."""
        self._locks: dict[str, asyncio.Lock] = {}
        self._lock_users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def _locked(self, pad_id: str) -> AsyncIterator[None]:
        """The pad's lock, forgotten once nobody holds or awaits it. (A released lock whose
        next waiter has not yet woken is not `locked()`: counting users keeps it alive.)"""
        lock = self._locks.setdefault(pad_id, asyncio.Lock())
        self._lock_users[pad_id] = self._lock_users.get(pad_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._lock_users[pad_id] -= 1
            if not self._lock_users[pad_id]:
                del self._lock_users[pad_id], self._locks[pad_id]

    async def apply(
        self, pad_id: str, action: Action, by: str, *, only_if_due: bool = False
    ) -> PadRecord | None:
        """Carry out `action` on the pad; return the pad afterwards (None once deleted, or when
        `only_if_due` and the action is no longer due)."""
        async with self._locked(pad_id):
            pad = await self.store.get_pad(pad_id)
            if pad is None:
                raise NotFound("no pad has this id")
            now = self.clock()
            if only_if_due and due_action(pad, now) is not action:
                return None
            try:
                to = target(action, pad.state)
            except ValueError as error:
                raise Conflict(str(error)) from None
            if action is Action.PURGE:
                return await self.purge.run(pad, by)
            change = Transition(pad.id, now, pad.state, to or "deleted", by)
            if to is None:
                await self._delete(pad, change)
                return None
            if not await self.store.transition(change, self._fields(action, now)):
                raise Conflict(f"the pad was {past(action)} or changed meanwhile")
            room = await self.registry.loaded(pad.id)
            if room is not None:
                room.set_state(to)
            log.info("pad %s: %s -> %s by %s", pad.id, pad.state, to, by)
            return await self.store.get_pad(pad.id)

    def _fields(self, action: Action, now: datetime) -> dict[str, Any]:
        if action is Action.CLOSE:
            return {"closed_at": now}
        if action is Action.PUBLISH:
            return {"published_at": now}
        if action is Action.UNPUBLISH:
            return {"published_at": None}
        return {}

    async def _delete(self, pad: PadRecord, change: Transition) -> None:
        await self.registry.discard(pad.id, NotFound.close_code, "this pad was deleted")
        await self.store.delete_pad(pad.id, change)
        self.forget_pending = not await self.store.forget()
        log.info("pad %s: deleted by %s", pad.id, change.by)


class Scheduler:
    """Runs due transitions every `scheduler_seconds`, first right at start."""

    def __init__(self, transitions: Transitions, store: Store, settings: Settings) -> None:
        self.transitions = transitions
        self.store = store
        self.ticks = Periodic("scheduler", settings.scheduler_seconds, self.tick, at_start=True)

    def start(self) -> None:
        self.ticks.start()

    async def stop(self) -> None:
        await self.ticks.stop()

    async def tick(self) -> int:
        """Run every transition due now, and complete every purge begun; return how many
        ran (a purge still waiting to forget counts when it is done)."""
        now = self.transitions.clock()
        ran = 0
        for pad in await self.store.pads_in_states([State.PURGING]):
            done = await self._run(pad.id, Action.PURGE, only_if_due=False)
            ran += done is not None and done.state == State.PURGED
        if self.transitions.forget_pending:
            self.transitions.forget_pending = not await self.store.forget()
        for pad in await self.store.pads_with_times_passed(sorted(BEFORE_PURGE), now):
            current: PadRecord | None = pad
            while current is not None and (action := due_action(current, now)) is not None:
                current = await self._run(current.id, action)
                ran += current is not None
        return ran

    async def _run(
        self, pad_id: str, action: Action, *, only_if_due: bool = True
    ) -> PadRecord | None:
        """Run one transition; None when it did not happen (raced, failed, not due)."""
        try:
            return await self.transitions.apply(pad_id, action, "schedule", only_if_due=only_if_due)
        except SkridError as error:
            log.info("pad %s: scheduled %s skipped: %s", pad_id, action, error.code)
        except Exception:
            log.exception("pad %s: scheduled %s failed; retried next tick", pad_id, action)
        return None
