"""The door (server/door.py) against a real `skrid serve`, with real sockets: slow and half-sent
requests are bounded per client address and in time, and refused with the API's JSON errors.

The attacker's sockets come from 127.0.0.2 (all of 127/8 reaches the loopback server), so that
/healthz, asked from 127.0.0.1, shows what everybody else sees."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.live import ROOT, LiveServer, free_port

ATTACKER = "127.0.0.2"
HALF_HTTP = b"GET /healthz HTTP/1.1\r\nHost: skrid\r\nX-Slow: "
HALF_WS = (
    b"GET /ws/somepad?k=x HTTP/1.1\r\nHost: skrid\r\nUpgrade: websocket\r\n"
    b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
)
HEALTHZ = b"GET /healthz HTTP/1.1\r\nHost: skrid\r\n\r\n"


def connect(server: LiveServer, data: bytes = b"", source: str = ATTACKER) -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", server.port))
    if data:
        sock.sendall(data)
    return sock


def is_open(sock: socket.socket) -> bool:
    """Nothing was answered and the server has not closed the connection."""
    sock.setblocking(False)
    try:
        sock.recv(1)  # an answer, or b"" once closed
        return False
    except BlockingIOError:
        return True
    finally:
        sock.setblocking(True)


def answer(sock: socket.socket, timeout: float = 5) -> tuple[int, dict]:
    """(status, JSON body) of what the server wrote before it closed the connection."""
    sock.settimeout(timeout)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body)


def status_of_response(sock: socket.socket, timeout: float = 5) -> int:
    """Read one whole response (head and `content-length` body); its status."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split(b" ", 2)[1])


@contextmanager
def sockets() -> Iterator[list[socket.socket]]:
    held: list[socket.socket] = []
    try:
        yield held
    finally:
        for sock in held:
            sock.close()


def healthz_seconds(server: LiveServer) -> float:
    started = time.monotonic()
    response = httpx.get(f"{server.url}/healthz", timeout=5)
    assert response.status_code == 200
    return time.monotonic() - started


def test_connections_per_address_at_the_limit_and_one_past(
    server_factory: Callable[..., LiveServer],
) -> None:
    """At the limit, half-sent requests and handshakes are all held and others are served; the
    next one from the same address gets a 503 and is closed; the refusal is logged as a count,
    without the address; a slot freed is a slot for that address again."""
    server = server_factory(max_connections_per_address=20, request_timeout_seconds=60)
    with sockets() as held:
        held += [connect(server, HALF_HTTP if n % 2 else HALF_WS) for n in range(20)]
        time.sleep(0.3)
        assert all(is_open(sock) for sock in held)
        assert healthz_seconds(server) < 1
        extra = connect(server, HALF_HTTP)
        held.append(extra)
        status, body = answer(extra)
        assert status == 503
        assert body["error"]["code"] == "too_many_connections"
        assert body["error"]["message"]
        assert all(is_open(sock) for sock in held[:20])
        held.pop(0).close()
        time.sleep(0.2)
        again = connect(server, HALF_HTTP)
        held.append(again)
        time.sleep(0.3)
        assert is_open(again)
    log = server.log()
    assert "connections refused: too_many_connections (1)" in log
    assert ATTACKER not in log


def test_idle_keep_alive_connections_make_room(server_factory: Callable[..., LiveServer]) -> None:
    """An address at its limit with idle keep-alive connections: one of those is closed to let
    the new connection in (a browser reopens one at no cost), and nothing is refused."""
    server = server_factory(max_connections_per_address=5, http_keep_alive_seconds=60)
    with sockets() as held:
        for _ in range(5):
            sock = connect(server, HEALTHZ)
            assert status_of_response(sock) == 200
            held.append(sock)
        newcomer = connect(server, HEALTHZ)
        held.append(newcomer)
        assert status_of_response(newcomer) == 200
        time.sleep(0.2)
        assert sum(not is_open(sock) for sock in held[:5]) == 1
    assert "connections refused" not in server.log()


def test_a_request_must_arrive_within_the_timeout(
    server_factory: Callable[..., LiveServer],
) -> None:
    """Sent whole within the timeout, in pieces: answered. Still half-sent at the timeout (the
    headers, a WebSocket handshake, or a body): 408 and closed, within a beat of it."""
    server = server_factory(request_timeout_seconds=1.5)
    with sockets() as held:
        slow_but_on_time = connect(server, HEALTHZ[:20], source="127.0.0.1")
        held.append(slow_but_on_time)
        half = [
            connect(server, HALF_HTTP),
            connect(server, HALF_WS),
            connect(server),
            connect(
                server,
                b"POST /api/pads HTTP/1.1\r\nHost: skrid\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100\r\n\r\n{",
            ),
        ]
        held += half
        started = time.monotonic()
        time.sleep(0.9)
        slow_but_on_time.sendall(HEALTHZ[20:])
        assert status_of_response(slow_but_on_time) == 200
        for sock in half:
            status, body = answer(sock)
            assert status == 408
            assert body["error"]["code"] == "request_timeout"
        assert 1.4 < time.monotonic() - started < 3
    assert "connections refused: request_timeout" in server.log()


def test_keep_alive_requests_each_get_the_timeout(
    server_factory: Callable[..., LiveServer],
) -> None:
    """The deadline starts again with each request of a keep-alive connection: a client cannot
    keep a connection by sending a byte now and then."""
    server = server_factory(request_timeout_seconds=1, http_keep_alive_seconds=30)
    with sockets() as held:
        sock = connect(server, HEALTHZ)
        held.append(sock)
        assert status_of_response(sock) == 200
        time.sleep(1.2)  # idle between requests is the keep-alive's business, not the deadline's
        sock.sendall(b"GET /hea")
        time.sleep(0.5)
        sock.sendall(b"lt")
        status, body = answer(sock)
        assert (status, body["error"]["code"]) == (408, "request_timeout")


def head_of(size: int) -> bytes:
    """A GET /healthz whose request line and headers are exactly `size` bytes."""
    start = b"GET /healthz HTTP/1.1\r\nHost: skrid\r\nX-Pad: "
    end = b"\r\n\r\n"
    return start + b"x" * (size - len(start) - len(end)) + end


def test_request_head_at_the_limit_and_one_past(
    server_factory: Callable[..., LiveServer],
) -> None:
    server = server_factory(max_request_head_bytes=2048)
    with sockets() as held:
        at_limit = connect(server, head_of(2048), source="127.0.0.1")
        held.append(at_limit)
        assert status_of_response(at_limit) == 200
        past = connect(server, source="127.0.0.1")
        held.append(past)
        for piece in (head_of(2049)[:1000], head_of(2049)[1000:]):  # in pieces, as a slow client
            past.sendall(piece)
            time.sleep(0.1)
        status, body = answer(past)
        assert status == 431
        assert body["error"]["code"] == "request_head_too_large"
        body = json.dumps({"title": "x" * 3000}).encode()  # with the head, in one piece
        post = connect(server, source="127.0.0.1")
        held.append(post)
        post.sendall(
            b"POST /api/pads HTTP/1.1\r\nHost: skrid\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        assert status_of_response(post) == 422  # the title's limit, not the head's


def test_the_open_file_limit_is_raised_at_start(tmp_path: Path) -> None:
    """A server started under a low soft limit of open files runs with its hard limit."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    low = min(256, hard)
    if low == hard:
        pytest.skip("the hard limit of open files is too low to lower the soft one")
    port = free_port()
    command = [sys.executable, "-m", "server.cli", "serve", "--init", "--port", str(port)]
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--db", str(tmp_path / "skrid.sqlite3")],
            stdout=out,
            stderr=out,
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (low, hard)),
        )
    try:
        deadline = time.monotonic() + 20
        while "Open files" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        limits = Path(f"/proc/{process.pid}/limits").read_text()
        line = next(line for line in limits.splitlines() if line.startswith("Max open files"))
        assert line.split()[3:5] == [str(hard), str(hard)]
        assert f"Open files: {hard} (raised from {low})" in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=20)
