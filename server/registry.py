"""The rooms held in memory: each pad is loaded once, however many sockets race to open it, and
unloaded once it is empty and its writes are committed: at once by default, as Hocuspocus and
the y-websocket server do, or after `SKRID_ROOM_IDLE_SECONDS`.

Unloading at once keeps memory flat: rooms kept for a while after their last socket left were
6,000 in memory while 10,000 pads were opened in 13 s, and CPython keeps most of the arenas such
a peak fills (bench/compare, idle pads: +81 % of the starting RSS after unloading with a 5 s
delay, +11 % with rooms unloaded at once). Reloading costs one read of the snapshot and log.

One housekeeping task serves every room, so an idle pad costs no task of its own: each tick it
sends keepalives to quiet sockets, unloads rooms left empty (after the delay, or by a socket
that failed to join), and gives the memory they held back to the operating system.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator

from . import protocol
from .access import KeyHashes
from .errors import NotFound, TooMany
from .hooks import Hooks
from .memory import release_free_memory
from .periodic import Periodic
from .room import Peer, Room, warm_up
from .settings import Settings
from .store import Store

log = logging.getLogger("skrid.registry")


class Registry:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        hooks: Hooks | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.hooks = hooks or Hooks()
        self.rooms: dict[str, Room] = {}
        self._loading: dict[str, asyncio.Task[Room]] = {}
        self._unloaded_since_tick = False
        interval = min(settings.keepalive_seconds, settings.room_idle_seconds or math.inf) / 2
        self.housekeeping = Periodic("housekeeping", interval, self.tick, at_start=False)

    def start(self) -> None:
        warm_up()
        self.housekeeping.start()

    async def stop(self) -> None:
        await self.housekeeping.stop()
        for pad_id in list(self.rooms):
            await self.unload(pad_id, force=True)

    async def _live(self, pad_id: str) -> Room:
        """The pad's registered room, loading it if needed (once, even when sockets race).
        Loops in the rare case the room was unloaded while this call waited; the caller must
        use the room before its next `await`."""
        while True:
            room = self.rooms.get(pad_id)
            if room is None or room.failed:
                room = await self._load_once(pad_id)
            if self.rooms.get(pad_id) is room:
                return room

    async def key_hashes(self, pad_id: str) -> KeyHashes:
        """The pad's key hashes: from its live room when loaded, else from the store."""
        room = self.rooms.get(pad_id)
        if room is not None and room.keys is not None:
            return room.keys
        pad = await self.store.get_pad(pad_id)
        if pad is None:
            raise NotFound("no pad has this id")
        return pad.keys

    async def loaded(self, pad_id: str) -> Room | None:
        """The pad's room if it is loaded, after any load in flight: that load may have read the
        pad before a change the caller has just committed, which the caller must then apply."""
        task = self._loading.get(pad_id)
        if task is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(task)
        return self.rooms.get(pad_id)

    async def join(self, pad_id: str, peer: Peer) -> Room:
        room = await self._live(pad_id)
        room.add(peer)
        return room

    async def unload_if_empty(self, room: Room) -> None:
        """Called when a room may have just been left empty: unloads it now, unless an idle
        delay is set, which the housekeeping tick then counts. A room that failed may already
        have been replaced by a fresh load of its pad: only the registered room is unloaded."""
        registered = self.rooms.get(room.pad_id) is room
        if registered and room.idle and not self.settings.room_idle_seconds:
            await self.unload(room.pad_id)

    async def _load_once(self, pad_id: str) -> Room:
        task = self._loading.get(pad_id)
        if task is None:
            if len(self.rooms) + len(self._loading) >= self.settings.max_open_rooms:
                raise TooMany("the server holds as many open pads as it may", retry_after=30)
            task = asyncio.create_task(self._load(pad_id), name=f"load-{pad_id}")
            self._loading[pad_id] = task
        return await asyncio.shield(task)

    @contextlib.asynccontextmanager
    async def hold(self, pad_id: str) -> AsyncIterator[Room]:
        """The pad's live room, kept loaded while the caller works on it (purge, contacts)."""
        room = await self._live(pad_id)
        room.holds += 1
        room.empty_since = None
        try:
            yield room
        finally:
            room.holds -= 1
            if room.idle:
                room.empty_since = time.monotonic()
                await self.unload_if_empty(room)

    async def _load(self, pad_id: str) -> Room:
        try:
            pad = await self.store.get_pad(pad_id)
            if pad is None:
                raise NotFound("no pad has this id")
            room = await Room.load(pad, self.store, self.settings, self.hooks)
            self.hooks.loaded(room)
            self.rooms[pad_id] = room
            return room
        finally:
            del self._loading[pad_id]

    async def unload(self, pad_id: str, *, force: bool = False) -> None:
        """Unload a room once its writes are committed; unless forced, give up if a peer joined
        meanwhile. Closing the room folds its log into a snapshot, so the next load is quick."""
        room = self.rooms.get(pad_id)
        if room is None or not (room.idle or force):
            return
        if not room.failed:
            try:
                await room.close()
            except Exception:
                log.exception("pad %s: flush on unload failed", pad_id)
        if not room.idle and not force:
            return
        if self.rooms.get(pad_id) is room:
            del self.rooms[pad_id]
            self._unloaded_since_tick = True
            self.hooks.unloaded(room)
        for peer in list(room.peers):
            peer.close(1001, "the server is going away")

    async def set_state(self, pad_id: str, state: str) -> None:
        """A lifecycle move, committed: the room's peers learn it here, and every process's
        through the `on_pad_state` hooks."""
        room = await self.loaded(pad_id)
        if room is not None:
            room.set_state(state)
        self.hooks.pad_state(pad_id, state)

    async def discard(
        self, pad_id: str, code: int, reason: str, update: bytes | None = None
    ) -> None:
        """Drop the pad's rooms, here and (through the `on_pad_drop` hooks) in every process,
        without saving anything more: its pad is being deleted, or its notes were rewritten by
        the purge (`update` brings the peers' copies to the new notes before they close)."""
        self.hooks.pad_dropped(pad_id, code, reason, update)
        await self.drop(pad_id, code, reason, update)

    async def drop(self, pad_id: str, code: int, reason: str, update: bytes | None) -> None:
        """Drop this process's room of the pad (see `discard`)."""
        room = self.rooms.pop(pad_id, None)
        if room is None:
            return
        room.cancel_catch_up()
        if update is not None:
            room.broadcast(protocol.sync_update(update))
        for peer in list(room.peers):
            peer.writable = False
            peer.close(code, reason)
        await room.flushed_quietly()
        self.hooks.unloaded(room)

    async def tick(self) -> None:
        now = time.monotonic()
        quiet_since = now - self.settings.keepalive_seconds
        idle_since = now - self.settings.room_idle_seconds
        for pad_id, room in list(self.rooms.items()):
            if room.failed or (room.empty_since is not None and room.empty_since <= idle_since):
                await self.unload(pad_id)
                continue
            for peer in room.peers:
                if peer.last_sent <= quiet_since:
                    peer.send(protocol.KEEPALIVE)
        if self._unloaded_since_tick:
            self._unloaded_since_tick = False
            await release_free_memory()
