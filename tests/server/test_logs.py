"""No key reaches the log, whatever shape of request carries it: a real server, access log on."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest
import websockets

from server.logs import loggable_target
from tests.live import LiveServer


@pytest.mark.parametrize(
    ("target", "logged"),
    [
        ("/api/pads/abcdefghijkl?k=" + "K" * 32, "/api/pads/abcdefghijkl"),
        ("/p/abcdefghijkl%3Fk%3D" + "K" * 32, "/p/abcdefghijkl"),
        ("/p/abcdefghijkl%253Fk%253D" + "K" * 32, "/p/abcdefghijkl"),
        ("/api/pads/abcdefghijkl/" + "K" * 32, "/api/pads/abcdefghijkl/{key}"),
        ("/ws/" + "K" * 32, "/ws/{key}"),
        ("%2A?k=" + "K" * 32, "*"),
        ("*?k=" + "K" * 32, "*"),
        ("/p/x%0D%0AINFO: forged", "/p/x%0D%0AINFO:%20forged"),
        ("/static/build/chunks/preview-P2CJQFVA.js", "/static/build/chunks/preview-P2CJQFVA.js"),
        ("/x/" + "K" * 19, "/x/" + "K" * 19),
        ("/x/" + "K" * 20, "/x/{key}"),
    ],
)
def test_loggable_target(target: str, logged: str) -> None:
    """Queries cut (even percent-encoded), key-shaped runs (20 characters or more) cut, pad ids
    and asset names kept, and no line break written as one."""
    assert loggable_target(target) == logged


def raw_request(server: LiveServer, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(request)
        return sock.recv(65536)


async def knock(url: str) -> None:
    """Open a WebSocket and let it close, however the server answers."""
    try:
        async with websockets.connect(url, open_timeout=5) as socket_:
            await asyncio.wait_for(socket_.recv(), 2)
    except (websockets.WebSocketException, OSError, TimeoutError):
        pass


def test_no_request_shape_writes_a_key_to_the_log(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    pad_id = pad["id"]
    keys = [pad["host_key"], pad["edit_key"], pad["view_key"]]
    host, edit, view = keys
    url = live_server.url
    httpx.get(f"{url}/p/{pad_id}%3Fk%3D{edit}")
    httpx.get(f"{url}/p/{pad_id}%253Fk%253D{edit}")
    httpx.get(f"{url}/host/{pad_id}", params={"k": host})
    httpx.get(f"{url}/api/pads/{pad_id}/{host}")
    httpx.get(f"{url}/api/pads/{pad_id}%2F{host}")
    httpx.get(f"{url}/api/pads/{pad_id}", headers={"Authorization": f"Bearer {view}"})
    httpx.get(f"{url}/{view}")
    raw_request(live_server, f"OPTIONS *?k={host} HTTP/1.1\r\nHost: skrid\r\n\r\n".encode())
    raw_request(live_server, f"GET %2A?k={host} HTTP/1.1\r\nHost: skrid\r\n\r\n".encode())
    for target in (f"/ws/{edit}", f"/ws/{pad_id}?k={edit}", f"/ws/{pad_id}%3Fk%3D{view}"):
        asyncio.run(knock(f"{live_server.ws_url}{target}"))
    time.sleep(0.5)
    live_server.stop()
    log = live_server.log()
    assert "OPTIONS *" in log
    assert f"/api/pads/{pad_id}/{{key}}" in log
    assert '"WebSocket /ws/{key}"' in log
    for key in keys:
        assert key not in log
        assert key[:20] not in log
