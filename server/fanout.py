"""Several `skrid serve` processes on one database: what one process commits reaches the rooms of
the others through Redis pub/sub (`SKRID_REDIS_URL`).

Each pad has a channel. A process that holds a pad's room subscribes to it, and publishes there,
through the hook table, what its own peers did: each update once committed, with its position
in the pad's log; the awareness entries its peers changed; and, whether or not it holds the room,
the lifecycle moves it commits and the dropping of the pad's rooms (purge, deletion). Every
message carries the process's origin id, and a process ignores its own: nothing is echoed back
(Hocuspocus's Redis extension looped between instances, its #335).

Pub/sub does not promise delivery (Hocuspocus #800), so a message is never the only way an
update travels: the database is. A room applies other processes' updates in log order and fills
a hole that stays open from the store (`Room.catch_up`); a room catches up once its channel's
subscription is confirmed (what was committed before it is in the database, what comes after
is delivered), again after every reconnection to Redis, and whenever another process's
heartbeat says it holds the pad further than this one. A lost message costs latency, never an
update.

Each process publishes a heartbeat every `fanout_heartbeat_seconds` on the deployment's process
channel: its origin and how far it holds each of its pads. A process not heard of for
`fanout_dead_seconds` is gone, and the awareness states of its peers go with it, for every
room here; a process that asks for a pad's awareness (it just loaded the room) is sent the
states of every other process's peers.

Publishing never fails a request nor waits on Redis: messages are queued and written in one
pipeline per turn of the loop by one task, and a write that fails is logged (counts only) and
dropped, the others catching up from the database. Publishing to a pad no other process holds
costs Redis one lookup. Nothing of a pad stays in Redis: pub/sub keeps no message once it is
delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import struct
import time
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from .errors import FanoutUnavailable
from .hooks import Hooks
from .periodic import Periodic
from .protocol import awareness_update
from .registry import Registry
from .room import Peer, Room
from .settings import Settings

log = logging.getLogger("skrid.fanout")

UPDATE, AWARENESS, QUERY, STATE, DROP, HEARTBEAT = b"UAQSDH"
ORIGIN_BYTES = 8
RECONNECT_SECONDS = 0.5
_POSITION = struct.Struct(">Q")
_DROP = struct.Struct(">HH")


async def reach(redis: aioredis.Redis) -> None:
    """Ping Redis, or refuse with a message naming the server (never a password)."""
    try:
        await redis.ping()
    except (RedisError, OSError) as error:
        where = redis.connection_pool.connection_kwargs
        address = f"{where.get('host', '?')}:{where.get('port', '?')}"
        raise FanoutUnavailable(
            f"cannot reach Redis at {address} ({type(error).__name__}): check SKRID_REDIS_URL"
        ) from None


async def check_redis(settings: Settings) -> None:
    """`reach` the settings' Redis, if any (`skrid serve` does before it starts serving)."""
    if settings.redis_url:
        redis = aioredis.from_url(settings.redis_url)
        try:
            await reach(redis)
        finally:
            await redis.aclose()


def message(kind: int, origin: bytes, body: bytes = b"") -> bytes:
    return bytes([kind]) + origin + body


def update_body(update: bytes, position: int) -> bytes:
    return _POSITION.pack(position) + update


def drop_body(code: int, reason: str, update: bytes | None) -> bytes:
    """A drop's close code, its reason, and the update that brings copies to the new notes."""
    encoded = reason.encode()
    return _DROP.pack(code, len(encoded)) + encoded + (update or b"")


def read_drop(body: bytes) -> tuple[int, str, bytes | None]:
    code, length = _DROP.unpack_from(body)
    start = _DROP.size
    reason = body[start : start + length].decode(errors="replace")
    update = body[start + length :]
    return code, reason, update or None


class Fanout:
    def __init__(self, settings: Settings, registry: Registry) -> None:
        self.settings = settings
        self.registry = registry
        self.redis = aioredis.from_url(settings.redis_url)
        self.origin = os.urandom(ORIGIN_BYTES)
        self._pad_prefix = f"{settings.redis_prefix}:pad:".encode()
        self._processes = f"{settings.redis_prefix}:processes".encode()
        self._channels: set[bytes] = set()
        self._pubsub: Any = None
        self._outbox: list[tuple[bytes, bytes]] = []
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._seen: dict[bytes, float] = {}
        self._sender: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self.heartbeat = Periodic(
            "fanout-heartbeat", settings.fanout_heartbeat_seconds, self.beat, at_start=True
        )

    def install(self, hooks: Hooks) -> None:
        hooks.on_load.append(self.room_loaded)
        hooks.on_unload.append(self.room_unloaded)
        hooks.on_update.append(self.updated)
        hooks.on_awareness_change.append(self.awareness_changed)
        hooks.on_pad_state.append(self.pad_state)
        hooks.on_pad_drop.append(self.pad_dropped)

    async def start(self) -> None:
        await reach(self.redis)
        self._sender = asyncio.create_task(self._send_loop(), name="fanout-sender")
        self._listener = asyncio.create_task(self._listen_loop(), name="fanout-listener")
        self.heartbeat.start()

    async def stop(self) -> None:
        await self.heartbeat.stop()
        await self._flush()
        for task in (self._sender, self._listener, *self._tasks):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.redis.aclose()

    def _channel(self, pad_id: str) -> bytes:
        return self._pad_prefix + pad_id.encode()

    def _publish(self, channel: bytes, data: bytes) -> None:
        self._outbox.append((channel, data))
        self._wake.set()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # The hooks: what this process's peers and lifecycle do, published.

    def room_loaded(self, room: Room) -> None:
        channel = self._channel(room.pad_id)
        self._channels.add(channel)
        if self._pubsub is not None:
            self._spawn(self._subscribe(channel))

    def room_unloaded(self, room: Room) -> None:
        channel = self._channel(room.pad_id)
        self._channels.discard(channel)
        if self._pubsub is not None:
            self._spawn(self._unsubscribe(channel))

    def updated(self, room: Room, update: bytes, position: int, writer: Peer | None) -> None:
        body = update_body(update, position)
        self._publish(self._channel(room.pad_id), message(UPDATE, self.origin, body))

    def awareness_changed(self, pad_id: str, entries: list[bytes]) -> None:
        payload = awareness_update(entries)
        self._publish(self._channel(pad_id), message(AWARENESS, self.origin, payload))

    def pad_state(self, pad_id: str, state: str) -> None:
        self._publish(self._channel(pad_id), message(STATE, self.origin, state.encode()))

    def pad_dropped(self, pad_id: str, code: int, reason: str, update: bytes | None) -> None:
        body = drop_body(code, reason, update)
        self._publish(self._channel(pad_id), message(DROP, self.origin, body))

    # Writing.

    async def _send_loop(self) -> None:
        while True:
            await self._wake.wait()
            await self._flush()

    async def _flush(self) -> None:
        self._wake.clear()
        batch, self._outbox = self._outbox, []
        if not batch:
            return
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for channel, data in batch:
                    pipe.publish(channel, data)
                await pipe.execute()
        except (RedisError, OSError) as error:
            log.warning(
                "could not publish %d messages (%s); other processes catch up from the database",
                len(batch),
                type(error).__name__,
            )

    async def beat(self) -> None:
        """Say this process is alive and how far it holds each pad; forget the processes
        not heard of for `fanout_dead_seconds`, and their peers' awareness."""
        positions = {pad_id: room.position for pad_id, room in self.registry.rooms.items()}
        body = json.dumps(positions, separators=(",", ":")).encode()
        self._publish(self._processes, message(HEARTBEAT, self.origin, body))
        deadline = time.monotonic() - self.settings.fanout_dead_seconds
        for origin, seen in list(self._seen.items()):
            if seen < deadline:
                del self._seen[origin]
                log.info("process %s not heard of: its peers' awareness removed", origin.hex())
                for room in self.registry.rooms.values():
                    room.awareness.forget_origin(origin.hex())

    # Reading.

    async def _subscribe(self, channel: bytes) -> None:
        with contextlib.suppress(RedisError, OSError):
            await self._pubsub.subscribe(channel)

    async def _unsubscribe(self, channel: bytes) -> None:
        with contextlib.suppress(RedisError, OSError):
            await self._pubsub.unsubscribe(channel)

    async def _listen_loop(self) -> None:
        """Listen, and after a lost connection listen again: each channel's confirmation then
        makes its room catch up with what was published meanwhile."""
        while True:
            pubsub = self._pubsub = self.redis.pubsub()
            try:
                await pubsub.subscribe(self._processes, *self._channels)
                async for received in pubsub.listen():
                    self._receive(received)
            except (RedisError, OSError) as error:
                log.warning("Redis connection lost (%s); listening again", type(error).__name__)
            finally:
                self._pubsub = None
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()
            await asyncio.sleep(RECONNECT_SECONDS)

    def _receive(self, received: dict[str, Any]) -> None:
        channel = received["channel"]
        if received["type"] == "subscribe":
            room = self._room(channel)
            if room is not None:
                room.catch_up_soon()
                self._publish(channel, message(QUERY, self.origin))
            return
        data = received["data"]
        if received["type"] != "message" or len(data) <= ORIGIN_BYTES:
            return
        kind, origin, body = data[0], data[1 : ORIGIN_BYTES + 1], data[ORIGIN_BYTES + 1 :]
        if origin == self.origin:
            return
        self._seen[origin] = time.monotonic()
        if channel == self._processes:
            self._heard(body)
        elif kind == DROP:
            if channel.startswith(self._pad_prefix):
                pad_id = channel[len(self._pad_prefix) :].decode()
                self._spawn(self.registry.drop(pad_id, *read_drop(body)))
        elif (room := self._room(channel)) is not None:
            self._apply(room, kind, origin, body)

    def _room(self, channel: bytes) -> Room | None:
        if not channel.startswith(self._pad_prefix):
            return None
        return self.registry.rooms.get(channel[len(self._pad_prefix) :].decode())

    def _apply(self, room: Room, kind: int, origin: bytes, body: bytes) -> None:
        if kind == UPDATE:
            (position,) = _POSITION.unpack_from(body)
            room.receive_committed(body[_POSITION.size :], position)
        elif kind == AWARENESS:
            room.receive_remote_awareness(origin.hex(), body)
        elif kind == QUERY:
            entries = room.awareness.local_entries()
            if entries:
                self.awareness_changed(room.pad_id, entries)
        elif kind == STATE:
            room.set_state(body.decode())

    def _heard(self, body: bytes) -> None:
        """Another process's heartbeat: a room it holds further than this one catches up."""
        try:
            positions = json.loads(body)
        except ValueError:
            return
        for pad_id, position in positions.items():
            room = self.registry.rooms.get(pad_id)
            if room is not None and isinstance(position, int) and room.position < position:
                room.catch_up_soon()
