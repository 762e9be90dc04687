"""uvicorn's WebSocket protocol, lighter per idle socket (`server.socket_protocol`)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
from collections.abc import AsyncIterator

import pytest
import uvicorn
import websockets
from starlette.types import ASGIApp, Receive, Scope, Send
from websockets.http11 import Request, Response

from server import socket_protocol
from server.socket_protocol import (
    LEANS_ON,
    WRITTEN_FOR,
    Flag,
    MessageQueue,
    SocketProtocol,
    uvicorn_fits,
    ws_protocol,
)
from tests.live import free_port


async def test_the_queue_gives_messages_in_order_and_holds_nothing_once_empty() -> None:
    queue: MessageQueue[int] = MessageQueue()
    assert queue.empty()
    for number in range(3):
        queue.put_nowait(number)
    assert not queue.empty()
    assert [await queue.get() for _ in range(3)] == [0, 1, 2]
    assert queue.empty()
    assert not [ref for ref in gc.get_referents(queue) if isinstance(ref, collections.deque)]


async def test_a_reader_waits_for_the_next_message() -> None:
    queue: MessageQueue[str] = MessageQueue()
    reader = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    assert not reader.done()
    queue.put_nowait("bonjour")
    assert await reader == "bonjour"


async def test_a_reader_cancelled_while_waiting_loses_nothing() -> None:
    queue: MessageQueue[str] = MessageQueue()
    reader = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    queue.put_nowait("premier")
    queue.put_nowait("second")
    assert [await queue.get(), await queue.get()] == ["premier", "second"]


async def test_a_second_reader_at_once_is_refused() -> None:
    queue: MessageQueue[str] = MessageQueue()
    first = asyncio.create_task(queue.get())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="already waiting"):
        await queue.get()
    queue.put_nowait("pour le premier")
    assert await first == "pour le premier"


async def test_the_flag_lets_waiters_through_only_once_set() -> None:
    flag = Flag()
    assert not flag.is_set()
    waiters = [asyncio.create_task(flag.wait()) for _ in range(2)]
    await asyncio.sleep(0)
    assert not any(waiter.done() for waiter in waiters)
    flag.set()
    assert await asyncio.gather(*waiters) == [True, True]
    assert await flag.wait() is True
    flag.clear()
    assert not flag.is_set()


async def test_a_waiter_cancelled_on_the_flag_is_forgotten() -> None:
    flag = Flag()
    waiter = asyncio.create_task(flag.wait())
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert not [ref for ref in gc.get_referents(flag) if isinstance(ref, list)]
    flag.set()


async def test_a_waiter_woken_by_set_goes_through_even_if_the_flag_is_cleared_at_once() -> None:
    """As with asyncio.Event: `set` wakes whoever waits, whatever happens next."""
    flag = Flag()
    waiter = asyncio.create_task(flag.wait())
    await asyncio.sleep(0)
    flag.set()
    flag.clear()
    assert await waiter is True


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """Accept, then send back every message until the client leaves; refuse `/refused`."""
    assert scope["type"] == "websocket"
    assert (await receive())["type"] == "websocket.connect"
    if scope["path"] == "/refused":
        await send({"type": "websocket.close"})
        return
    await send({"type": "websocket.accept"})
    while (message := await receive())["type"] == "websocket.receive":
        await send({"type": "websocket.send", "bytes": message["bytes"]})


async def echo_at_once(scope: Scope, receive: Receive, send: Send) -> None:
    """`echo`, written back with the protocol's `write_now` (the ASGI `send` is its method)."""
    assert (await receive())["type"] == "websocket.connect"
    await send({"type": "websocket.accept"})
    protocol = send.__self__  # type: ignore[attr-defined]
    while (message := await receive())["type"] == "websocket.receive":
        assert protocol.write_now(message["bytes"])


@contextlib.asynccontextmanager
async def serving(app: ASGIApp = echo) -> AsyncIterator[uvicorn.Server]:
    """uvicorn serving `app` with `SocketProtocol`, in this test's event loop."""
    port = free_port()
    config = uvicorn.Config(app, port=port, ws=SocketProtocol, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield server
    finally:
        server.should_exit = True
        await task


async def echoes_in_order(client: websockets.ClientConnection) -> None:
    messages = [bytes([number]) * 100 for number in range(20)]
    for message in messages:
        await client.send(message)
    assert [await client.recv() for _ in messages] == messages


async def test_an_open_socket_keeps_neither_the_handshake_nor_empty_containers() -> None:
    async with serving() as server:
        port = server.config.port
        async with websockets.connect(f"ws://127.0.0.1:{port}/") as client:
            await echoes_in_order(client)
            (protocol,) = server.server_state.connections
            assert isinstance(protocol, SocketProtocol)
            assert not hasattr(protocol, "request")
            assert not hasattr(protocol, "response")
            assert protocol.queue.empty()
            kinds = (Request, Response, collections.deque, asyncio.Queue, asyncio.Event)
            held = list(vars(protocol).values())
            held += gc.get_referents(protocol.queue, protocol.writable)
            assert not [type(ref).__name__ for ref in held if isinstance(ref, kinds)]


async def test_a_message_written_at_once_arrives_in_order_and_only_while_it_can() -> None:
    async with serving(echo_at_once) as server:
        port = server.config.port
        async with websockets.connect(f"ws://127.0.0.1:{port}/") as client:
            await echoes_in_order(client)
            (protocol,) = server.server_state.connections
            protocol.writable.clear()  # what uvicorn does when the socket's buffer is full
            assert not protocol.write_now(b"en attente")
            protocol.writable.set()
            assert protocol.write_now(b"repris")
            assert await client.recv() == b"repris"
        await asyncio.sleep(0.05)
        assert not protocol.write_now(b"parti")


async def test_a_socket_refused_before_accept_gets_a_403() -> None:
    async with serving() as server:
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(f"ws://127.0.0.1:{server.config.port}/refused")
        assert refused.value.response.status_code == 403


async def test_a_server_shutting_down_closes_open_sockets_with_1012() -> None:
    async with serving() as server:
        client = await websockets.connect(f"ws://127.0.0.1:{server.config.port}/")
        await client.send(b"avant")
        assert await client.recv() == b"avant"
    await client.wait_closed()
    assert client.close_code == 1012


def test_the_installed_uvicorn_is_one_the_protocol_was_written_for() -> None:
    """Fails on a uvicorn outside `WRITTEN_FOR`: read its sans-I/O protocol's diff against the
    names in `LEANS_ON` before raising the bound in pyproject.toml."""
    assert uvicorn_fits(), (
        f"uvicorn {uvicorn.__version__} is outside {WRITTEN_FOR}, or its protocol lost one of"
        f" {LEANS_ON}: `skrid serve` falls back to uvicorn's own protocol"
    )
    assert ws_protocol() is SocketProtocol


def test_another_uvicorn_falls_back_to_its_own_protocol(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(socket_protocol, "version", lambda name: "0.99.0")
    assert ws_protocol() == "websockets-sansio"
    assert "0.99.0 is not one" in caplog.text
