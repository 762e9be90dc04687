"""The store contract, run against every backend on a real database."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import aiosqlite
import pytest
from pycrdt import Doc, Text

from server.store import SQLiteStore, Store
from server.store.sqlite import READER_CACHE_KIB
from tests.server.helpers import pad_record


def edits(count: int) -> tuple[list[bytes], str]:
    doc = Doc()
    text = doc.get("content", type=Text)
    updates = []
    for i in range(count):
        before = doc.get_state()
        text.insert(len(str(text)), f"{i},")
        updates.append(doc.get_update(before))
    return updates, str(text)


def text_of(parts: list[bytes]) -> str:
    doc = Doc()
    for part in parts:
        doc.apply_update(part)
    return str(doc.get("content", type=Text))


async def test_pad_round_trip(store: Store) -> None:
    pad = pad_record()
    await store.create_pad(pad)
    assert await store.get_pad("pad1") == pad
    assert await store.get_pad("other") is None


async def test_appends_commit_in_order_and_load(store: Store) -> None:
    await store.create_pad(pad_record())
    updates, expected = edits(200)
    futures = [store.append_update("pad1", update) for update in updates]
    await asyncio.gather(*futures)
    stored = await store.load_document("pad1")
    assert stored.snapshot is None
    assert stored.updates == updates
    assert text_of(stored.updates) == expected


def state_of(updates: list[bytes]) -> bytes:
    doc = Doc()
    for update in updates:
        doc.apply_update(update)
    return doc.get_update()


async def test_snapshot_covers_the_log_up_to_an_id(store: Store) -> None:
    await store.create_pad(pad_record())
    updates, expected = edits(120)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates[:100]))
    through = await store.last_update_id("pad1")
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates[100:110]))
    await store.write_snapshot("pad1", state_of(updates[:100]), through)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates[110:]))
    stored = await store.load_document("pad1")
    assert stored.snapshot is not None
    assert stored.updates == updates[100:]
    assert text_of([stored.snapshot, *stored.updates]) == expected


async def test_snapshot_without_limit_leaves_no_log_and_no_older_snapshot(store: Store) -> None:
    await store.create_pad(pad_record())
    updates, _ = edits(50)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates))
    await store.write_snapshot("pad1", state_of(updates[:10]), await store.last_update_id("pad1"))
    await store.write_snapshot("pad1", state_of(updates), None)
    stored = await store.load_document("pad1")
    assert stored.updates == []
    assert stored.snapshot == state_of(updates)
    assert await store.last_update_id("pad1") == 0


async def test_loads_racing_a_snapshot_always_see_everything(store: Store) -> None:
    await store.create_pad(pad_record())
    updates, expected = edits(300)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates))
    through = await store.last_update_id("pad1")
    results = await asyncio.gather(
        store.write_snapshot("pad1", state_of(updates), through),
        *(store.load_document("pad1") for _ in range(20)),
    )
    for stored in results[1:]:
        parts = ([stored.snapshot] if stored.snapshot else []) + stored.updates
        assert text_of(parts) == expected


async def test_append_to_unknown_pad_fails_loudly(store: Store) -> None:
    with pytest.raises(Exception, match="could not store"):
        await store.append_update("missing", b"\x00\x00")


async def test_sqlite_pragmas_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "again.sqlite3"
    for _ in range(2):
        backend = SQLiteStore(str(path))
        await backend.open()
        await backend.close()
    async with aiosqlite.connect(path) as db:
        async with db.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with db.execute("PRAGMA user_version") as cursor:
            assert (await cursor.fetchone())[0] >= 1
    backend = SQLiteStore(str(path))
    await backend.open()
    async with backend.writer.execute("PRAGMA secure_delete") as cursor:
        assert (await cursor.fetchone())[0] == 1
    async with backend.reader.execute("PRAGMA cache_size") as cursor:
        assert (await cursor.fetchone())[0] == -READER_CACHE_KIB
    await backend.close()


async def test_pads_with_times_passed_are_those_a_transition_may_be_due_for(store: Store) -> None:
    """The scheduler reads only pads with a start, end or close time at or before now (every
    due transition is at one of those times or later), whatever the offset a time was given in."""
    now = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    later = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    paris = timezone(timedelta(hours=1))
    pads = {
        "no-times": {"starts_at": None, "state": "live"},
        "starts-later": {"starts_at": later},
        "starts-now": {"starts_at": now},
        "ends-later": {"starts_at": None, "ends_at": later, "state": "live"},
        "ended-in-paris": {"starts_at": None, "ends_at": now.astimezone(paris), "state": "live"},
        "ends-in-paris": {"starts_at": None, "ends_at": later.astimezone(paris), "state": "live"},
        "closed": {"starts_at": None, "state": "closed", "closed_at": now - timedelta(hours=1)},
        "purged": {"state": "purged", "closed_at": now - timedelta(hours=1)},
    }
    for pad_id, fields in pads.items():
        await store.create_pad(dataclasses.replace(pad_record(pad_id), **fields))
    due = await store.pads_with_times_passed(["scheduled", "live", "closed"], now)
    assert {pad.id for pad in due} == {"starts-now", "ended-in-paris", "closed"}


async def test_speakers_and_language_round_trip(store: Store) -> None:
    pad = dataclasses.replace(pad_record(), speakers=("Soazig Kervadec",), language="en")
    await store.create_pad(pad)
    assert await store.get_pad("pad1") == pad


async def test_known_names_and_decisions_last_until_the_purge(store: Store) -> None:
    await store.create_pad(pad_record())
    await store.add_known_names("pad1", ["Katell", "Ewen"], limit=3)
    await store.add_known_names("pad1", ["Ewen", "Maël", "Anaïs"], limit=3)
    assert await store.known_names("pad1") == ["Katell", "Ewen", "Maël"]
    decisions = {"keep": ["Maël"], "remove": ["Kerbrat"], "speakers": []}
    assert await store.set_purge_decisions("pad1", decisions)
    assert await store.purge_decisions("pad1") == decisions
    purged_at = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    await store.write_purged("pad1", Doc().get_update(), {"purged_at": purged_at})
    assert await store.known_names("pad1") == []
    assert await store.purge_decisions("pad1") == {}
    await store.add_known_names("pad1", ["Katell"], limit=3)
    assert await store.known_names("pad1") == []
    assert not await store.set_purge_decisions("pad1", decisions)
    await store.add_known_names("no-such-pad", ["Katell"], limit=3)
    assert not await store.set_purge_decisions("no-such-pad", decisions)
