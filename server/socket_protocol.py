"""uvicorn's sans-I/O WebSocket protocol, lighter for sockets that stay open a whole webinar.

A pad socket is idle most of its life, and most of what an idle socket holds is the protocol's
bookkeeping, not Skrid's: an `asyncio.Queue` for received messages (three deques and an Event,
each deque 760 bytes however empty), an `asyncio.Event` for write pauses (another deque), and
the handshake's request and response with their headers, read once and kept for good.
`SocketProtocol` swaps the queue and the event for equivalents that hold a container only while
something is waiting, and lets the handshake go once it is answered. uvicorn takes a protocol
class for `ws=`; every method but one hook is uvicorn's own.

It also writes a binary message at once (`write_now`), for a relay that writes one to each of
hundreds of sockets: the ASGI `send` costs a coroutine, an event dict and a wait on the write
flag per frame. Under the webinar load (20 writers, 200 readers, awareness on), a quarter of the
time a relay took went to that wrapping, the rest to the socket's own `write` (py-spy).

bench/compare, idle clients (1,000 sockets on one pad), server memory per client, 3 runs each:
26.2 KiB median with uvicorn's protocol (27.1 / 25.9 / 26.2), 19.9 with this one (18.5 / 21.8 /
19.9); Hocuspocus 43 to 45 in the same runs.

It leans on uvicorn's private attributes (`queue`, `writable`, `request`, `response`,
`start_keepalive`), so it is fenced: `pyproject.toml` bounds uvicorn to the releases in
`WRITTEN_FOR`, and `ws_protocol` falls back to uvicorn's own protocol, saying so in the log, on
any other release or if one of those names is gone. tests/server/test_socket_protocol.py fails
on a release outside the fence, so that raising the bound means reading uvicorn's diff first.
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import logging
from importlib.metadata import version
from typing import Any, Generic, TypeVar

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState

WRITTEN_FOR = ("0.54", "0.55")
"""uvicorn's minor releases whose `websockets-sansio` protocol this subclass was read against."""
LEANS_ON = (
    "self.queue", "self.writable", "self.request", "self.response", "start_keepalive",
    "self.conn", "self.transport", "self.handshake_complete", "self.close_sent",
    "self.disconnected", "self.initial_response",
)  # fmt: skip
"""The names of uvicorn's protocol that `SocketProtocol` replaces, deletes or reads."""

log = logging.getLogger("skrid.socket_protocol")

Item = TypeVar("Item")


class MessageQueue(Generic[Item]):
    """What the protocol uses of an unbounded `asyncio.Queue`: `put_nowait`, `get`, `empty`. Its
    deque exists only while it holds messages. One reader at a time, as ASGI's `receive` is; a
    reader cancelled while waiting leaves every message in place."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: collections.deque[Item] | None = None
        self._waiter: asyncio.Future[None] | None = None

    def empty(self) -> bool:
        return not self._items

    def put_nowait(self, item: Item) -> None:
        if self._items is None:
            self._items = collections.deque()
        self._items.append(item)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self) -> Item:
        if self._waiter is not None:
            raise RuntimeError("MessageQueue.get is already waiting in another task")
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        assert self._items is not None
        item = self._items.popleft()
        if not self._items:
            self._items = None
        return item


class Flag:
    """What the protocol uses of an `asyncio.Event`: `set`, `clear`, `is_set`, `wait`. Its list
    of waiters exists only while a task waits (a send held up by a full socket buffer)."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = False
        self._waiters: list[asyncio.Future[None]] | None = None

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        self._set = True
        waiters, self._waiters = self._waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(None)

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> bool:
        if self._set:
            return True
        waiter = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if self._waiters is not None and waiter in self._waiters:
                self._waiters.remove(waiter)
                if not self._waiters:
                    self._waiters = None
        return True


class SocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's `websockets-sansio` protocol with a `MessageQueue`, a `Flag`, and no handshake
    kept once it is answered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = MessageQueue()  # type: ignore[assignment]
        self.writable = Flag()  # type: ignore[assignment]
        self.writable.set()

    def start_keepalive(self) -> None:
        """uvicorn calls this once, when the handshake's response is written: the request and
        the response are not read again. (Overriding `send` instead would add a coroutine to
        every frame sent.)"""
        del self.request, self.response
        super().start_keepalive()

    def write_now(self, data: bytes) -> bool:
        """Write a binary message in the caller's turn, as `send` does for `websocket.send`.
        False, with nothing written, when `send` must handle it instead: the handshake not
        answered yet, writes paused by a full buffer, a close sent, or the client gone."""
        if not self.handshake_complete or self.initial_response is not None:
            return False
        if self.close_sent or self.disconnected or not self.writable.is_set():
            return False
        try:
            self.conn.send_binary(data)
        except InvalidState:
            return False
        self.transport.write(b"".join(self.conn.data_to_send()))
        return True


def uvicorn_fits() -> bool:
    """Whether the installed uvicorn is one `SocketProtocol` was written for, and still has
    every name it leans on."""
    release = ".".join(version("uvicorn").split(".")[:2])
    source = inspect.getsource(WebSocketsSansIOProtocol)
    return release in WRITTEN_FOR and all(name in source for name in LEANS_ON)


def ws_protocol() -> type[WebSocketsSansIOProtocol] | str:
    """What `skrid serve` gives uvicorn as `ws=`: the lighter protocol, or uvicorn's own."""
    if uvicorn_fits():
        return SocketProtocol
    log.warning(
        "uvicorn %s is not one Skrid's socket protocol was written for (%s): using uvicorn's own",
        version("uvicorn"),
        ", ".join(WRITTEN_FOR),
    )
    return "websockets-sansio"
