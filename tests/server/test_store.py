"""The store contract, run against every backend on a real database: SQLite on a file, and
PostgreSQL in a schema of its own (skipped without `SKRID_TEST_POSTGRES_URL`)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import aiosqlite
import pytest
from pycrdt import Doc, Text

from server.errors import PadFrozen
from server.store import SQLiteStore, Store
from server.store.pad_rows import pad_row
from server.store.postgres import PostgresStore
from server.store.sqlite import READER_CACHE_KIB
from server.store.sqlite import _migrations as sqlite_migrations
from tests.server.helpers import pad_record


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """Each backend, open on a new database, closed after the test."""
    if request.param == "sqlite":
        backend: Store = SQLiteStore(str(tmp_path / "store.sqlite3"))
    else:
        url, schema = request.getfixturevalue("postgres_schema")
        backend = PostgresStore(url, schema=schema, pool_size=4)
    await backend.open()
    yield backend
    await backend.close()


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


async def test_snapshot_covers_the_log_up_to_a_position(store: Store) -> None:
    await store.create_pad(pad_record())
    updates, expected = edits(120)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates[:100]))
    through = await store.log_position("pad1")
    assert through == 100
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates[100:110]))
    assert await store.write_snapshot("pad1", state_of(updates[:100]), through)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates[110:]))
    stored = await store.load_document("pad1")
    assert stored.snapshot is not None
    assert stored.updates == updates[100:]
    assert stored.position == 120
    assert text_of([stored.snapshot, *stored.updates]) == expected


async def test_a_late_snapshot_never_replaces_one_that_covers_more(store: Store) -> None:
    """Two processes compacting one pad: the one that covers less, arriving last, is refused."""
    await store.create_pad(pad_record())
    updates, expected = edits(30)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates))
    assert await store.write_snapshot("pad1", state_of(updates), 30)
    assert not await store.write_snapshot("pad1", state_of(updates[:20]), 20)
    assert not await store.write_snapshot("pad1", state_of(updates), 30)
    stored = await store.load_document("pad1")
    assert stored.snapshot == state_of(updates) and stored.updates == []
    assert stored.position == 30 and text_of([stored.snapshot]) == expected


async def test_positions_count_each_pads_log_without_a_hole(store: Store) -> None:
    for pad_id in ("pad1", "pad2"):
        await store.create_pad(pad_record(pad_id))
    updates, _ = edits(40)
    futures = [store.append_update(f"pad{1 + i % 2}", u) for i, u in enumerate(updates)]
    positions = await asyncio.gather(*futures)
    assert positions[0::2] == list(range(1, 21)) and positions[1::2] == list(range(1, 21))
    assert await store.log_position("pad1") == 20 and await store.log_position("missing") == 0


async def test_updates_after_a_position_are_the_rows_or_the_snapshot_past_it(
    store: Store,
) -> None:
    await store.create_pad(pad_record())
    updates, expected = edits(30)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates[:20]))
    later = await store.updates_after("pad1", 15)
    assert later.snapshot is None and later.updates == updates[15:20] and later.position == 20
    nothing = await store.updates_after("pad1", 20)
    assert nothing.updates == [] and nothing.snapshot is None and nothing.position == 20
    assert await store.write_snapshot("pad1", state_of(updates[:20]), 20)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates[20:]))
    folded = await store.updates_after("pad1", 15)
    assert folded.snapshot == state_of(updates[:20]) and folded.updates == updates[20:]
    assert folded.position == 30 and text_of([folded.snapshot, *folded.updates]) == expected
    assert (await store.updates_after("pad1", 25)).updates == updates[25:]


async def test_a_frozen_pad_takes_no_update_and_the_others_commit_beside_it(
    store: Store,
) -> None:
    for pad_id, state in (("pad1", "live"), ("purging", "purging"), ("purged", "purged")):
        await store.create_pad(dataclasses.replace(pad_record(pad_id), state=state))
    updates, _ = edits(3)
    futures = [
        store.append_update(pad, u)
        for pad, u in zip(("purging", "pad1", "purged"), updates, strict=True)
    ]
    outcomes = await asyncio.gather(*futures, return_exceptions=True)
    assert isinstance(outcomes[0], PadFrozen) and isinstance(outcomes[2], PadFrozen)
    assert outcomes[1] == 1
    assert (await store.load_document("pad1")).updates == [updates[1]]
    assert (await store.load_document("purging")).updates == []
    assert not await store.write_snapshot("purging", state_of(updates), 1)


async def test_the_purges_rewrite_leaves_no_log_and_no_older_snapshot(store: Store) -> None:
    await store.create_pad(pad_record())
    updates, _ = edits(50)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates))
    assert await store.write_snapshot("pad1", state_of(updates[:10]), 10)
    await store.write_purged("pad1", state_of(updates), {"title": "Webinaire"})
    stored = await store.load_document("pad1")
    assert stored.updates == []
    assert stored.snapshot == state_of(updates)
    assert stored.position == 50


async def test_loads_racing_a_snapshot_always_see_everything(store: Store) -> None:
    await store.create_pad(pad_record())
    updates, expected = edits(300)
    await asyncio.gather(*(store.append_update("pad1", u) for u in updates))
    through = await store.log_position("pad1")
    results = await asyncio.gather(
        store.write_snapshot("pad1", state_of(updates), through),
        *(store.load_document("pad1") for _ in range(20)),
    )
    for stored in results[1:]:
        parts = stored.parts
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
    await store.add_known_names("pad1", {"Katell": False, "Ewen": True}, limit=3)
    await store.add_known_names("pad1", {"Ewen": False, "Maël": False, "Anaïs": True}, limit=3)
    assert await store.known_names("pad1") == ["Katell", "Ewen", "Maël"]
    assert await store.writer_count("pad1") == 1
    await store.add_known_names("pad1", {"Katell": True, "Ewen": True}, limit=3)
    assert await store.writer_count("pad1") == 2
    decisions = {"keep": ["Maël"], "remove": ["Kerbrat"], "speakers": []}
    assert await store.set_purge_decisions("pad1", decisions)
    assert await store.purge_decisions("pad1") == decisions
    purged_at = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    await store.write_purged("pad1", Doc().get_update(), {"purged_at": purged_at})
    assert await store.known_names("pad1") == []
    assert await store.writer_count("pad1") == 0
    assert await store.purge_decisions("pad1") == {}
    await store.add_known_names("pad1", {"Katell": True}, limit=3)
    assert await store.known_names("pad1") == []
    assert not await store.set_purge_decisions("pad1", decisions)
    await store.add_known_names("no-such-pad", {"Katell": True}, limit=3)
    assert not await store.set_purge_decisions("no-such-pad", decisions)


async def test_a_database_from_before_positions_numbers_its_log_in_commit_order(
    tmp_path: Path,
) -> None:
    """Migration 0005 on a database written by the version before it: a snapshot, then rows."""
    path = tmp_path / "old.sqlite3"
    updates, expected = edits(12)
    async with aiosqlite.connect(path) as db:
        for script in sqlite_migrations()[:4]:
            await db.executescript(script)
        await db.execute("PRAGMA user_version = 4")
        row = {name: value for name, value in pad_row(pad_record(), text_times=True).items()}
        marks = ", ".join(f":{name}" for name in row)
        await db.execute(f"INSERT INTO pads ({', '.join(row)}) VALUES ({marks})", row)
        await db.execute(
            "INSERT INTO snapshots (pad_id, data, last_update_id) VALUES ('pad1', ?, 7)",
            (state_of(updates[:4]),),
        )
        await db.executemany(
            "INSERT INTO updates (pad_id, data) VALUES ('pad1', ?)", [(u,) for u in updates[4:]]
        )
        await db.commit()
    store = SQLiteStore(str(path))
    await store.open()
    try:
        stored = await store.load_document("pad1")
        assert stored.updates == updates[4:] and stored.position == 8
        assert text_of([stored.snapshot or b"", *stored.updates]) == expected
        assert await store.append_update("pad1", updates[0]) == 9
        assert (await store.updates_after("pad1", 7)).updates == [updates[11], updates[0]]
    finally:
        await store.close()
