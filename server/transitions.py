"""Carrying out the lifecycle: host actions and the scheduler (`scheduler.py`), through one path.

Each transition holds the pad's lock, re-reads the pad, checks the move is allowed (and, for the
schedule, still due), does its work, then commits the new state with a conditional UPDATE that
records the audit line in the same transaction. So a transition happens exactly once even when
two scheduler ticks, or a tick and a host, race; the loser gets a Conflict and does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from .errors import Conflict, NotFound
from .known_names import KnownNames
from .lifecycle import Action, due_action, past, target
from .purge import Purge
from .registry import Registry
from .settings import Settings
from .store import PadRecord, Store, Transition
from .worker import Worker

log = logging.getLogger("skrid.transitions")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Transitions:
    def __init__(
        self,
        store: Store,
        registry: Registry,
        settings: Settings,
        clock: Clock = utc_now,
        known_names: KnownNames | None = None,
        worker: Worker | None = None,
    ) -> None:
        """`known_names`: the app's gatherer of display names (a bare one reads the store's);
        `worker`: the app's worker process (a bare one starts its own)."""
        self.store = store
        self.known_names = known_names or KnownNames(store, settings)
        self.worker = worker or Worker()
        self.registry = registry
        self.markers = settings.markers
        self.clock = clock
        self.purge = Purge(
            store,
            registry,
            settings,
            clock,
            self.known_names,
            self.worker,
        )
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
        async with self._locked(pad_id), self.store.pad_lock(pad_id):
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
            await self.registry.set_state(pad.id, to)
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
