"""One socket on `/ws/{pad_id}?k=KEY`: key check, ordered receive loop, limits, outgoing queue.

The socket is accepted first so that a refusal can carry a close code and a reason (4401 bad key,
4404 unknown pad) before any document byte is sent. Frames are handled one at a time, in order.
Every error is a SkridError translated here, once, into a close code; the room is left intact
for the other peers. Outgoing frames are written at once; those for a client too slow to take
them wait in a bounded queue drained by its own task, so a slow client never holds up a
broadcast: past `max_send_queue` frames it is closed and will resync.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import re
import time

from starlette.datastructures import QueryParams, State
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from . import eager, protocol
from .access import Role
from .errors import FrameTooLarge, RateLimited, SkridError, UnsupportedFrame
from .ratelimit import Limits, TokenBucket
from .registry import Registry
from .room import Room
from .settings import Settings
from .socket_protocol import SocketProtocol

log = logging.getLogger("skrid.connection")

_MAX_REASON_BYTES = 123


def close_reason(message: str) -> str:
    """WebSocket close reasons are limited to 123 bytes of UTF-8."""
    return message.encode()[:_MAX_REASON_BYTES].decode(errors="ignore")


class SocketPeer:
    """A room peer backed by a WebSocket. Frames are sent at once, in the caller's turn: by
    Skrid's socket protocol (`SocketProtocol.write_now`) when uvicorn serves the socket with it,
    else through the ASGI `send` (`eager`); only when a slow client's buffer is full do they
    wait in a queue drained by a task. The queue and the task exist only while there is
    something waiting, so an idle socket holds neither (an idle peer: 1.8 KiB before, 0.4
    after, by tracemalloc over 1,000 peers). Otherwise frames go straight to the ASGI `send`:
    Starlette's `WebSocket.send_bytes` only adds checks that the room's own state (`_closing`)
    already makes."""

    __slots__ = (
        "_closing", "_max_queue", "_queue", "_send", "_sender", "_write_now",
        "awareness_ids", "last_sent", "role", "websocket", "writable",
    )  # fmt: skip

    def __init__(self, websocket: WebSocket, send: Send, role: Role, settings: Settings):
        self.websocket = websocket
        self._send = send
        protocol = getattr(send, "__self__", None)
        self._write_now = protocol.write_now if isinstance(protocol, SocketProtocol) else None
        """The ASGI `send` uvicorn hands the app is its protocol's own method."""
        self.role = role
        self.writable = False
        self.awareness_ids: set[int] = set()
        self.last_sent = time.monotonic()
        self._queue: collections.deque[bytes] | None = None
        self._max_queue = settings.max_send_queue
        self._closing: tuple[int, str] | None = None
        self._sender: asyncio.Future[None] | None = None

    def send(self, frame: bytes) -> None:
        if self._closing is not None:
            return
        if self._queue is None:
            if self._write_now is not None and self._write_now(frame):
                self.last_sent = time.monotonic()
                return
            self._queue = collections.deque()
        elif len(self._queue) >= self._max_queue:
            self.close(1013, "too slow to keep up; reconnect to resync")
            return
        self._queue.append(frame)
        self.last_sent = time.monotonic()
        self._drain_soon()

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already queued are sent."""
        if self._closing is None:
            self._closing = (code, close_reason(reason))
            self._drain_soon()

    def _drain_soon(self) -> None:
        if self._sender is None or self._sender.done():
            self._sender = eager.start(self._drain(), name="socket-sender")

    async def _drain(self) -> None:
        try:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                while self._queue:
                    await self._send({"type": "websocket.send", "bytes": self._queue.popleft()})
                if self._closing is not None:
                    await self.websocket.close(*self._closing)
        finally:
            self._queue = None
            self._sender = None

    async def stop(self) -> None:
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender


PAD_SOCKET_PATH = re.compile(r"/ws/(?P<pad_id>[^/]+)")


def pad_socket_id(scope: Scope) -> str | None:
    """The pad's id when `scope` opens a pad socket, `/ws/{pad_id}`."""
    if scope["type"] != "websocket":
        return None
    match = PAD_SOCKET_PATH.fullmatch(scope["path"])
    return None if match is None else match["pad_id"]


async def pad_socket(pad_id: str, scope: Scope, receive: Receive, send: Send, state: State) -> None:
    """The `/ws/{pad_id}` endpoint. A pad socket lives for the whole webinar, and so does each
    coroutine between the server and its receive loop: the app serves it before its middleware
    and router (`SkridApp`), and the loop awaits the ASGI `receive` itself rather than Starlette's
    `WebSocket.receive`."""
    websocket = WebSocket(scope, receive, send)
    await websocket.accept()
    try:
        await serve_socket(
            pad_id, websocket, receive, send, state.registry, state.limits, state.settings
        )
    except SkridError as error:
        log.info(
            "pad socket closed: %s (%d)",
            error.code,
            error.close_code,
        )
        if websocket.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(RuntimeError, OSError):
                await websocket.close(error.close_code, close_reason(error.message))


async def serve_socket(
    pad_id: str,
    websocket: WebSocket,
    receive: Receive,
    send: Send,
    registry: Registry,
    limits: Limits,
    settings: Settings,
) -> None:
    role = await _role(pad_id, websocket, registry, limits)
    peer = SocketPeer(websocket, send, role, settings)
    room: Room | None = None
    try:
        room = await registry.join(pad_id, peer)
        bucket = TokenBucket(settings.max_frames_per_second, settings.frame_burst)
        while (data := _frame_data(await receive(), bucket, settings)) is not None:
            await room.handle(peer, protocol.parse(data))
    finally:
        if room is not None:
            room.remove(peer)
        await peer.stop()
        if room is not None:
            await registry.unload_if_empty(room)


async def _role(pad_id: str, websocket: WebSocket, registry: Registry, limits: Limits) -> Role:
    """The role the socket's key gives. What this reads (the key, the pad's key hashes, the
    parsed query string) is dropped on return, not kept by the socket's frame for the webinar."""
    hashes = await registry.key_hashes(pad_id)
    address = websocket.client.host if websocket.client else "unknown"
    key = QueryParams(websocket.scope["query_string"]).get("k")
    return limits.check_key(address, key, hashes)


def _frame_data(message: Message, bucket: TokenBucket, settings: Settings) -> bytes | None:
    """The bytes of a received frame, None once the client is gone; refuses what breaks the
    socket's limits."""
    if message["type"] == "websocket.disconnect":
        return None
    data: bytes | None = message.get("bytes")
    if data is None:
        raise UnsupportedFrame("only binary frames are accepted")
    if len(data) > settings.max_frame_bytes:
        raise FrameTooLarge(f"frames are limited to {settings.max_frame_bytes} bytes")
    if not bucket.take():
        raise RateLimited("too many frames; slow down and reconnect")
    return data
