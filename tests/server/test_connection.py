"""The pad socket, the app served in process on a loopback port (uvicorn with the protocols of
`skrid serve`): sync, keys, refusals with close codes, limits."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
from typing import Any

import pytest
import websockets

from server import protocol
from server.access import Role
from server.connection import SocketPeer
from server.settings import Settings
from tests.live import AppFactory, InProcessServer


async def test_two_peers_sync(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    async with socket_server.peer(pad) as alice, socket_server.peer(pad) as bob:
        await alice.insert(0, "Bonjour ")
        await bob.wait_text("Bonjour ")
        await bob.insert(8, "à tous")
        await alice.wait_text("Bonjour à tous")
    assert await socket_server.read_text(pad) == "Bonjour à tous"


async def refused(url: str) -> tuple[int, str, list[bytes]]:
    frames = []
    async with websockets.connect(url) as ws:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for frame in ws:
                frames.append(frame)
    return ws.close_code, ws.close_reason, frames


@pytest.mark.parametrize(
    ("query", "code"),
    [("", 4401), ("?k=wrong", 4401), ("?k=", 4401)],
)
async def test_bad_keys_are_refused_before_any_byte(
    socket_server: InProcessServer, query: str, code: int
) -> None:
    pad = await socket_server.create_pad()
    async with socket_server.peer(pad):
        close_code, reason, frames = await refused(f"{socket_server.ws_url}/ws/{pad['id']}{query}")
    assert (close_code, frames) == (code, [])
    assert reason


async def test_unknown_pad_is_refused(socket_server: InProcessServer) -> None:
    close_code, reason, frames = await refused(f"{socket_server.ws_url}/ws/nothing?k=abc")
    assert (close_code, frames) == (4404, [])
    assert "pad" in reason


async def test_view_key_reads_but_cannot_write(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    async with socket_server.peer(pad) as writer, socket_server.peer(pad, "view") as viewer:
        await writer.insert(0, "notes")
        await viewer.wait_text("notes")
        await viewer.insert(0, "vandalisme ")
        await writer.insert(5, "!")
        await viewer.wait_text("vandalisme notes!")
        await asyncio.sleep(0.2)
        assert str(writer.text) == "notes!"
    assert await socket_server.read_text(pad) == "notes!"
    await socket_server.restart()
    assert await socket_server.read_text(pad) == "notes!"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("du texte", 1003),
        (b"\x07\x00", 1003),
        (b"\x00\x07\x00", 1003),
        (b"\x00\x02\x10abc", 1007),
        (b"\x00\x02\x05\x01\x02\x03\x04\x05trailing", 1007),
        (b"\x00\x02\xff\xff\xff\xff\xff\xff", 1007),
        (b"\x00\x02\x06" + b"\xff\xfe\xfd\xfc\xfb\xfa", 1007),
        (b"\x01\x05\x01\x01\x01\x01{", 1007),
        (b"\x00\x00\x02\xff\xff", 1007),
    ],
)
async def test_bad_frames_close_that_socket_only(
    socket_server: InProcessServer, frame: bytes | str, code: int
) -> None:
    pad = await socket_server.create_pad()
    async with socket_server.peer(pad) as bystander:
        await bystander.insert(0, "avant")
        attacker = await socket_server.peer(pad).connect()
        await attacker.send_raw(frame)
        close_code, reason = await attacker.wait_closed()
        assert close_code == code
        assert reason
        await bystander.insert(5, " après")
        async with socket_server.peer(pad) as late:
            assert str(late.text) == "avant après"
    assert "Traceback" not in socket_server.log()


async def test_frame_size_limit_and_one_past(socket_server_factory: AppFactory) -> None:
    server = await socket_server_factory(max_frame_bytes=1024)
    pad = await server.create_pad()
    async with server.peer(pad) as peer, server.peer(pad) as observer:
        update = await peer.edit(lambda text: text.insert(0, "x" * 900))
        assert len(protocol.sync_update(update)) <= 1024
        await observer.wait_text("x" * 900)
        big = await peer.edit(lambda text: text.insert(0, "y" * 1100))
        assert len(protocol.sync_update(big)) > 1024
        close_code, _ = await peer.wait_closed()
        assert close_code == 1009
    assert await server.read_text(pad) == "x" * 900


async def test_frame_rate_limit_and_one_past(socket_server_factory: AppFactory) -> None:
    server = await socket_server_factory(max_frames_per_second=0.001, frame_burst=6)
    pad = await server.create_pad()
    peer = await server.peer(pad).connect()  # frames 1 and 2: its sync step 1 and step 2
    for _ in range(4):
        await peer.send_raw(protocol.awareness(b"\x00"))
    await asyncio.sleep(0.3)
    assert peer.close_code is None
    await peer.send_raw(protocol.awareness(b"\x00"))
    close_code, reason = await peer.wait_closed()
    assert close_code == 1008
    assert "too many" in reason


async def test_clients_per_pad_limit_and_one_past(
    socket_server_factory: AppFactory,
) -> None:
    server = await socket_server_factory(max_clients_per_pad=3)
    pad = await server.create_pad()
    peers = [await server.peer(pad).connect() for _ in range(3)]
    extra = await server.peer(pad).connect(wait_synced=False)
    close_code, _ = await extra.wait_closed()
    assert close_code == 1013
    await peers[0].close()
    await asyncio.sleep(0.2)
    async with server.peer(pad) as again:
        assert again.synced.is_set()
    for peer in peers[1:]:
        await peer.close()


async def test_awareness_is_relayed_and_removed_on_close(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    async with socket_server.peer(pad) as alice:
        bob = await socket_server.peer(pad).connect()
        await bob.set_user("Bob")
        await alice.set_user("Alice")
        for _ in range(100):
            if alice.peer_names() == ["Bob"] and bob.peer_names() == ["Alice"]:
                break
            await asyncio.sleep(0.02)
        assert alice.peer_names() == ["Bob"]
        await bob.close()
        for _ in range(100):
            if not alice.peer_names():
                break
            await asyncio.sleep(0.02)
        assert alice.peer_names() == []


async def test_late_joiner_receives_present_awareness(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad()
    async with socket_server.peer(pad) as alice:
        await alice.set_user("Alice")
        await asyncio.sleep(0.1)
        async with socket_server.peer(pad) as bob:
            for _ in range(100):
                if bob.peer_names() == ["Alice"]:
                    break
                await asyncio.sleep(0.02)
            assert bob.peer_names() == ["Alice"]


async def test_quiet_socket_gets_keepalives(socket_server_factory: AppFactory) -> None:
    server = await socket_server_factory(keepalive_seconds=0.3)
    pad = await server.create_pad()
    async with server.peer(pad) as peer:
        for _ in range(500):
            if peer.received.count(protocol.KEEPALIVE) >= 2:
                break
            await asyncio.sleep(0.01)
        assert peer.received.count(protocol.KEEPALIVE) >= 2


async def test_idle_room_is_unloaded_and_reloads(socket_server_factory: AppFactory) -> None:
    server = await socket_server_factory(room_idle_seconds=0.3, compact_after_updates=1000)
    pad = await server.create_pad()
    async with server.peer(pad) as peer:
        for i in range(20):
            await peer.insert(i, "a")
    rooms = server.app.state.registry.rooms
    for _ in range(500):
        if pad["id"] not in rooms:
            break
        await asyncio.sleep(0.01)
    assert pad["id"] not in rooms
    assert await server.read_text(pad) == "a" * 20
    assert "compaction" not in server.log()


async def test_a_peer_cannot_change_or_remove_another_peers_awareness(
    socket_server: InProcessServer,
) -> None:
    pad = await socket_server.create_pad()
    async with socket_server.peer(pad) as alice, socket_server.peer(pad) as mallory:
        await alice.set_user("Alice")
        async with socket_server.peer(pad) as carol:
            for _ in range(100):
                if carol.peer_names() == ["Alice"]:
                    break
                await asyncio.sleep(0.02)
            cid = alice.awareness.client_id
            clock = alice.awareness.meta[cid]["clock"]
            forged = [
                protocol.AwarenessEntry(cid, clock + 1, {"user": {"name": "Mallory"}}),
                protocol.AwarenessEntry(cid, clock + 2, None),
            ]
            for entry in forged:
                await mallory.send_raw(protocol.awareness(protocol.encode_awareness([entry])))
            await mallory.set_user("Mallory")
            for _ in range(100):
                if len(carol.peer_names()) == 2:
                    break
                await asyncio.sleep(0.02)
            assert carol.peer_names() == ["Alice", "Mallory"]


async def test_frames_go_out_at_once_and_queue_only_behind_a_send_that_waits() -> None:
    """A send that does not wait (the socket's buffer has room) happens at once, with no task
    and no queue; while one waits, the next frames queue behind it, in order. A webinar's sockets
    are idle most of the time: once its frames are sent, a peer keeps neither its send queue nor
    the task that drained it (1.4 KiB a socket by tracemalloc)."""
    sent: list[bytes] = []
    buffer_full = False

    async def send(message: dict[str, Any]) -> None:
        if buffer_full:
            await asyncio.sleep(0.01)
        sent.append(message["bytes"])

    def held() -> list[object]:
        waiting = asyncio.Future | collections.deque
        return [x for x in gc.get_referents(peer) if isinstance(x, waiting)]

    peer = SocketPeer(None, send, Role.EDIT, Settings.from_env({}))  # type: ignore[arg-type]
    tasks = len(asyncio.all_tasks())
    peer.send(b"one")
    assert sent == [b"one"]
    assert len(asyncio.all_tasks()) == tasks
    assert not held()
    buffer_full = True
    peer.send(b"two")
    peer.send(b"three")
    assert sent == [b"one"]
    assert held()
    buffer_full = False
    while len(sent) < 3:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0)
    assert sent == [b"one", b"two", b"three"]
    assert not held()
    peer.send(b"four")
    assert sent[-1] == b"four"


async def test_send_queue_limit_and_one_past() -> None:
    """While a send waits on a client that does not read, up to `max_send_queue` frames wait
    behind it; one more closes the socket (1013), after the frames already queued."""
    sent: list[bytes] = []
    closed: list[tuple[int, str]] = []
    reading = asyncio.Event()

    async def send(message: dict[str, Any]) -> None:
        await reading.wait()
        sent.append(message["bytes"])

    class Socket:
        """Starlette's WebSocket as far as SocketPeer closes."""

        async def close(self, code: int, reason: str) -> None:
            closed.append((code, reason))

    settings = Settings.from_env({"SKRID_MAX_SEND_QUEUE": "3"})
    peer = SocketPeer(Socket(), send, Role.EDIT, settings)  # type: ignore[arg-type]
    frames = [b"in flight", b"1", b"2", b"3"]
    for frame in frames:
        peer.send(frame)
    await asyncio.sleep(0.05)
    assert not closed
    peer.send(b"one too many")
    peer.send(b"after the close")
    reading.set()
    while not closed:
        await asyncio.sleep(0.01)
    assert sent == frames
    assert [code for code, _ in closed] == [1013]
    assert "too slow" in closed[0][1]


async def test_a_client_that_stops_reading_is_closed_and_the_others_go_on(
    socket_server_factory: AppFactory,
) -> None:
    """A real client that stops reading (its library's queue full, then the kernel's buffers):
    once more relays wait for it than `max_send_queue`, the server closes it with 1013 after
    what was queued, and the pad goes on for everybody else. About 10 MB of relays fill the
    buffers on loopback; 24 are sent, one relay each (a pad of 24 MB: past the default
    `max_document_bytes`, which is not what this test is about)."""
    server = await socket_server_factory(max_send_queue=2, max_document_bytes=64 * 1024 * 1024)
    pad = await server.create_pad()
    url = f"{server.ws_url}/ws/{pad['id']}?k={pad['edit_key']}"
    stalled = await websockets.connect(url, max_size=None, max_queue=1)
    chunk = "x" * 1_000_000
    async with server.peer(pad) as writer, server.peer(pad) as reader:
        for sent in range(1, 25):
            await writer.append(chunk)
            await reader.wait_text(chunk * sent)
        with contextlib.suppress(websockets.ConnectionClosed):
            async with asyncio.timeout(30):
                async for _ in stalled:
                    pass
        assert stalled.close_code == 1013
        await writer.append("fin")
        await reader.wait_text(chunk * 24 + "fin")
