"""The scheduler: every due transition, and every purge begun, carried out on time even if
nobody clicks.

It keeps no state of its own: due times are derived from the pads' rows, so a server that was
down when something fell due does it on its first tick after start.
"""

from __future__ import annotations

import logging

from .errors import SkridError
from .lifecycle import BEFORE_PURGE, Action, State, due_action
from .periodic import Periodic
from .settings import Settings
from .store import PadRecord, Store
from .transitions import Transitions

log = logging.getLogger("skrid.scheduler")


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
