"""The door: what an HTTP connection may hold before the app has its request.

uvicorn gives a connection all the time it likes to send its request and counts no connection
per client: 3,000 half-sent requests (HTTP and WebSocket handshakes) were all still held after
40 s, and with the common limit of 1,024 open files, 1,100 of them from one address made
`/healthz` fail for everyone, with nothing logged (issue 17). `DoorProtocol` is uvicorn's
httptools protocol with three limits, each a setting:

- `request_timeout_seconds`: a request's line, headers and body must arrive within this long
  of its first byte (or of the connection's opening); past it the connection gets a 408 and is
  closed. A WebSocket handshake is a request like any other until it is upgraded.
- `max_request_head_bytes`: the request line and headers; 431 and closed past it (httptools'
  parser has no limit of its own).
- `max_connections_per_address`: HTTP connections from one client address, counted from the
  connection's opening until it closes or becomes a pad socket (whose key is then checked at
  once, and which `max_clients_per_pad` bounds). At the limit the address's idle keep-alive
  connections are closed first (a browser opens another at no cost); with none idle, the new
  connection gets a 503 and is closed. Connections from a trusted proxy are not counted: a
  proxy carries every client's connections, and limits its own.

Refusals are logged as events with counts, at most once per `LOG_EVERY_SECONDS` for a storm;
never an address, a path or a query string. `raise_open_file_limit` lifts the process's soft
limit of open files to its hard limit at start, so that the limits above, not the file table,
decide who is refused.
"""

from __future__ import annotations

import asyncio
import collections
import ipaddress
import json
import logging
import resource
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from .settings import Settings, proxy_networks

LOG_EVERY_SECONDS = 10.0
"""A refusal is logged at once; more of the same within this window are logged as one count."""
LINGER_SECONDS = 0.25
"""A refused connection is half-closed after its answer, then closed once its client's next
bytes are read and discarded, or after this long: closing with the client's request unread
resets the connection, and the client gets a reset instead of the answer. A refused client
that sends at once (the usual case, and a flood's) holds its file for one turn of the loop."""
HEAD_END = b"\r\n\r\n"

log = logging.getLogger("skrid.door")


class Refusals:
    """Counts of refused connections by reason, logged as they start and then as sums."""

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self.timer: asyncio.TimerHandle | None = None

    def add(self, reason: str) -> None:
        self.counts[reason] += 1
        if self.timer is None:
            self._flush()

    def _flush(self) -> None:
        self.timer = None
        if not self.counts:
            return
        for reason, count in sorted(self.counts.items()):
            log.warning("connections refused: %s (%d)", reason, count)
        self.counts.clear()
        self.timer = asyncio.get_running_loop().call_later(LOG_EVERY_SECONDS, self._flush)


class Door:
    """The limits and the shared state of every connection: open connections per address."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.trusted = proxy_networks(settings.trusted_proxies)
        self.open: dict[str, set[DoorProtocol]] = {}
        self.refusals = Refusals()

    def is_trusted(self, address: str) -> bool:
        if self.trusted is None:
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)

    def admit(self, connection: DoorProtocol, address: str) -> bool:
        """Count `connection` for `address`, making room by closing the address's idle
        keep-alive connections; False when every one of them is busy."""
        held = self.open.setdefault(address, set())
        if len(held) >= self.settings.max_connections_per_address:
            for idle in [other for other in held if other.is_idle()]:
                idle.close_idle()
                held.discard(idle)
                if len(held) < self.settings.max_connections_per_address:
                    break
        if len(held) >= self.settings.max_connections_per_address:
            return False
        held.add(connection)
        return True

    def release(self, connection: DoorProtocol, address: str) -> None:
        held = self.open.get(address)
        if held is not None:
            held.discard(connection)
            if not held:
                del self.open[address]

    def protocol(self) -> type[DoorProtocol]:
        """The protocol class for uvicorn's `http=`, bound to this door."""
        return type("BoundDoorProtocol", (DoorProtocol,), {"door": self})


class DoorProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with the door's deadline, head size and count."""

    door: Door

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counted_as: str | None = None
        self.deadline: asyncio.TimerHandle | None = None
        self.head_open = True
        self.head_bytes = 0
        self.head_tail = b""
        self.refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        address = self.client[0] if self.client else ""
        if not self.door.is_trusted(address):
            if not self.door.admit(self, address):
                message = "too many connections from this address"
                self.refuse(503, "too_many_connections", message)
                return
            self.counted_as = address
        self.arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self.leave()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.refused:
            self.transport.close()
            return
        if self.head_open:
            if self.deadline is None:
                self.arm()
            seen = self.head_tail + data
            end = seen.find(HEAD_END)
            self.head_bytes += len(data) if end < 0 else end + len(HEAD_END) - len(self.head_tail)
            if self.head_bytes > self.door.settings.max_request_head_bytes:
                limit = self.door.settings.max_request_head_bytes
                self.refuse(
                    431, "request_head_too_large", f"request line and headers past {limit} bytes"
                )
                return
            self.head_tail = seen[-(len(HEAD_END) - 1) :]
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self.head_open = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        """The request is whole: its deadline ends; the next bytes begin the next one."""
        self.disarm()
        self.head_open, self.head_bytes, self.head_tail = True, 0, b""
        super().on_message_complete()

    def handle_websocket_upgrade(self) -> None:
        """The connection becomes a pad socket: no longer this protocol's, nor counted."""
        self.leave()
        super().handle_websocket_upgrade()

    def is_idle(self) -> bool:
        """Between requests on a keep-alive connection: nothing received, nothing to answer."""
        return self.deadline is None and (self.cycle is None or self.cycle.response_complete)

    def close_idle(self) -> None:
        self.counted_as = None
        if not self.transport.is_closing():
            self.transport.close()

    def arm(self) -> None:
        self.disarm()
        self.deadline = self.loop.call_later(
            self.door.settings.request_timeout_seconds, self.expire
        )

    def disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def leave(self) -> None:
        self.disarm()
        if self.counted_as is not None:
            self.door.release(self, self.counted_as)
            self.counted_as = None

    def expire(self) -> None:
        self.deadline = None
        seconds = self.door.settings.request_timeout_seconds
        self.refuse(408, "request_timeout", f"the request did not arrive within {seconds:g} s")

    def refuse(self, status: int, code: str, message: str) -> None:
        """Answer `status` with the API's JSON error, unless a response has begun, and close."""
        self.door.refusals.add(code)
        self.leave()
        if self.transport.is_closing() or self.refused:
            return
        self.refused = True
        cycle = self.cycle
        if cycle is None or not cycle.response_started or cycle.response_complete:
            body = json.dumps({"error": {"code": code, "message": message}}).encode()
            head = [STATUS_LINE[status]]
            for name, value in self.server_state.default_headers:
                head += [name, b": ", value, b"\r\n"]
            head += [
                b"content-type: application/json\r\n",
                b"content-length: %d\r\n" % len(body),
                b"connection: close\r\n\r\n",
            ]
            self.transport.write(b"".join([*head, body]))
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self.loop.call_later(LINGER_SECONDS, self.transport.close)
        else:
            self.transport.close()


def raise_open_file_limit() -> tuple[int, int]:
    """Lift the soft limit of open files to the hard one where the system allows it; return
    (before, after). Every connection is a file: at the common soft limit of 1,024 a few
    hundred slow clients starve `accept()` for everyone, long before memory is short."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft == hard:
        return soft, soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        return soft, soft
    return soft, hard
