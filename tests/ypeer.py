"""A pycrdt client that speaks y-websocket over a real socket, for tests.

It keeps a Doc in step with the server the way the npm client does: it sends its sync step 1 on
connect, answers the server's step 1 with a step 2, applies step 2 and updates, and sends each
local edit as an update.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import websockets
from pycrdt import Awareness, Doc, Text

from server import protocol
from server.protocol import AwarenessUpdate, SyncStep1, SyncStep2, SyncUpdate


class YPeer:
    def __init__(self, ws_url: str, pad_id: str, key: str, doc: Doc | None = None) -> None:
        self.url = f"{ws_url}/ws/{pad_id}?k={key}"
        self.doc = doc or Doc()
        self.text = self.doc.get("content", type=Text)
        self.awareness = Awareness(self.doc)
        self.synced = asyncio.Event()
        self.received: list[bytes] = []
        self.ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self.close_code: int | None = None
        self.close_reason: str | None = None

    async def connect(self, wait_synced: bool = True, announce: bool = False) -> YPeer:
        """Connect and send sync step 1; with `announce`, then the local awareness state at
        once, as the npm client does on every (re)connection."""
        self.ws = await websockets.connect(self.url, max_size=None)
        self._reader = asyncio.create_task(self._read())
        with contextlib.suppress(websockets.ConnectionClosed):  # refused: the reader records why
            await self.ws.send(protocol.sync_step1(self.doc.get_state()))
            if announce:
                own = self.awareness.encode_awareness_update([self.awareness.client_id])
                await self.ws.send(protocol.awareness(own))
        if wait_synced:
            await asyncio.wait_for(self.synced.wait(), 10)
        return self

    async def __aenter__(self) -> YPeer:
        return await self.connect()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                self.received.append(frame)
                await self._handle(frame)
        except websockets.ConnectionClosed:
            pass
        finally:
            if self.ws.close_code is not None:
                self.close_code = self.ws.close_code
                self.close_reason = self.ws.close_reason

    async def _handle(self, frame: bytes) -> None:
        if frame[0] == protocol.PAD_EVENT:
            return  # lifecycle news: tests read it from `received`
        match protocol.parse(frame):
            case SyncStep1(state_vector):
                await self.ws.send(protocol.sync_step2(self.doc.get_update(state_vector)))
            case SyncStep2(update):
                self.doc.apply_update(update)
                self.synced.set()
            case SyncUpdate(update):
                self.doc.apply_update(update)
            case AwarenessUpdate(payload):
                self.awareness.apply_awareness_update(payload, "remote")

    async def edit(self, change: Callable[[Text], None]) -> bytes:
        """Make a local change and send it as one update; return the update."""
        before = self.doc.get_state()
        change(self.text)
        update = self.doc.get_update(before)
        await self.ws.send(protocol.sync_update(update))
        return update

    def offset(self, index: int) -> int:
        """pycrdt's Text counts UTF-8 bytes: the offset of the character at `index`."""
        return len(str(self.text)[:index].encode())

    async def insert(self, index: int, value: str) -> bytes:
        """Insert `value` before the character at `index`."""
        offset = self.offset(index)
        return await self.edit(lambda text: text.insert(offset, value))

    async def append(self, value: str) -> bytes:
        return await self.edit(lambda text: text.insert(len(text), value))

    async def delete(self, start: int, end: int) -> bytes:
        """Delete the characters from `start` to `end`."""
        first, last = self.offset(start), self.offset(end)
        return await self.edit(lambda text: text.__delitem__(slice(first, last)))

    async def set_user(self, name: str) -> None:
        self.awareness.set_local_state({"user": {"name": name, "color": "#30bced"}})
        payload = self.awareness.encode_awareness_update([self.awareness.client_id])
        await self.ws.send(protocol.awareness(payload))

    async def send_raw(self, frame: bytes | str) -> None:
        await self.ws.send(frame)

    async def wait_text(self, expected: str, timeout: float = 10) -> None:
        async def until() -> None:
            while str(self.text) != expected:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(until(), timeout)

    async def wait_closed(self, timeout: float = 10) -> tuple[int | None, str | None]:
        assert self._reader is not None
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        return self.close_code, self.close_reason

    def peer_names(self) -> list[str]:
        return sorted(
            state["user"]["name"]
            for cid, state in self.awareness.states.items()
            if cid != self.awareness.client_id and state and "user" in state
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


async def converged(*peers: YPeer, timeout: float = 10) -> str:
    """Wait until every peer has the same text; return it."""

    async def until() -> str:
        while len({str(peer.text) for peer in peers}) > 1:
            await asyncio.sleep(0.01)
        return str(peers[0].text)

    return await asyncio.wait_for(until(), timeout)
