"""A pad has a maximum size (`max_document_bytes`), and compaction's cost grows with what
changed. One edit-key socket sending 4 MiB updates grew a pad to 600 MB, and compaction rewrote
the whole document after every 1 MB of log: bytes written grew with the square of its size."""

from __future__ import annotations

from typing import Any

import pytest
from pycrdt import Doc, Text

from server.room import Room
from server.settings import Settings
from server.store import SQLiteStore
from tests.live import AppFactory, InProcessServer
from tests.ypeer import YPeer

CLIENT_ID = 7


def planned_updates() -> tuple[int, int]:
    """The state size after the first insert, and the length of the second update, as the
    server will count them (a fixed client id makes both exact)."""
    doc = Doc(client_id=CLIENT_ID)
    text = doc.get("content", type=Text)
    text.insert(0, "A" * 1000)
    state = len(doc.get_update())
    updates: list[bytes] = []
    doc.observe(lambda event: updates.append(event.update))
    text.insert(1000, "B" * 100)
    return state, len(updates[0])


async def write_both(server: InProcessServer) -> tuple[dict[str, Any], YPeer]:
    pad = await server.create_pad("Taille")
    peer = YPeer(server.ws_url, pad["id"], pad["edit_key"], doc=Doc(client_id=CLIENT_ID))
    await peer.connect()
    await peer.insert(0, "A" * 1000)
    assert await server.read_text(pad) == "A" * 1000
    await peer.insert(1000, "B" * 100)
    return pad, peer


async def test_an_update_reaching_the_limit_is_accepted(
    socket_server_factory: AppFactory,
) -> None:
    state, second = planned_updates()
    server = await socket_server_factory(max_document_bytes=state + second)
    pad, peer = await write_both(server)
    assert await server.read_text(pad) == "A" * 1000 + "B" * 100
    await peer.close()


async def test_an_update_past_the_limit_closes_with_4413_and_stores_nothing(
    socket_server_factory: AppFactory,
) -> None:
    state, second = planned_updates()
    server = await socket_server_factory(max_document_bytes=state + second - 1)
    pad, peer = await write_both(server)
    code, reason = await peer.wait_closed()
    assert code == 4413
    assert reason is not None and "full" in reason
    assert await server.read_text(pad) == "A" * 1000
    assert "pad_full" in server.log()
    assert "BBBB" not in server.log()


@pytest.mark.usefixtures("pad1")
async def test_compaction_writes_in_proportion_to_what_changed(store: SQLiteStore) -> None:
    """A pad grown to 12 MB by 256 KB updates: with a fixed 1 MB threshold, its compactions
    wrote 1 + 2 + … + 12 MB (6.5 times its size); growing thresholds write each byte about
    twice."""
    settings = Settings(max_document_bytes=16 * 1024 * 1024)
    room = Room("pad1", "live", Doc(), store, settings)
    written: list[int] = []
    write_snapshot = store.write_snapshot

    async def counting(pad_id: str, state: bytes, through: int | None) -> None:
        written.append(len(state))
        await write_snapshot(pad_id, state, through)

    store.write_snapshot = counting  # type: ignore[method-assign]
    author = Doc()
    text = author.get("content", type=Text)
    updates: list[bytes] = []
    author.observe(lambda event: updates.append(event.update))
    for _ in range(48):
        text.insert(len(text), "x" * (256 * 1024))
        await room.receive_update(updates.pop(), origin=None)
        if room._compaction is not None:
            await room._compaction
    size = len(room.doc.get_update())
    assert size > 12 * 1024 * 1024
    assert sum(written) <= 2 * size, f"compactions wrote {sum(written)} bytes for {size}"
    assert written, "the log was never compacted"
