"""What only the PostgreSQL store has: a server to reach, migrations that several processes
run at once, connections that can drop, and relation files that must forget a purged pad.
Skipped without `SKRID_TEST_POSTGRES_URL`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from importlib import resources

import asyncpg
import pytest
from pycrdt import Doc, Text

from server.errors import StoreUnavailable
from server.store import PadRecord
from server.store.postgres import FORGOTTEN_TABLES, PostgresStore
from tests.postgres import checkpoint, files_holding
from tests.server.helpers import pad_record

SECRET = "mot-de-passe-secret"
MARKER = "katell.le-bihan@exemple.bzh"


@pytest.fixture
async def store(postgres_schema: tuple[str, str]) -> AsyncIterator[PostgresStore]:
    url, schema = postgres_schema
    backend = PostgresStore(url, schema=schema, pool_size=1)
    await backend.open()
    yield backend
    await backend.close()


async def test_an_unreachable_server_is_one_clear_error_without_the_password() -> None:
    store = PostgresStore(f"postgresql://skrid:{SECRET}@127.0.0.1:1/notes", timeout=2)
    with pytest.raises(StoreUnavailable) as raised:
        await store.open()
    message = str(raised.value)
    assert message.startswith("cannot reach PostgreSQL at 127.0.0.1:1/notes: "), message
    assert SECRET not in message and "skrid" not in message


async def test_processes_starting_together_migrate_once(postgres_schema: tuple[str, str]) -> None:
    url, schema = postgres_schema
    stores = [PostgresStore(url, schema=schema, pool_size=1) for _ in range(4)]
    await asyncio.gather(*(store.open() for store in stores))
    try:
        await stores[0].create_pad(pad_record())
        assert (await stores[3].get_pad("pad1")) is not None
        db = await asyncpg.connect(url)
        try:
            versions = await db.fetch(f'SELECT version FROM "{schema}".skrid_migrations')
        finally:
            await db.close()
        migrations = resources.files("server.store").joinpath("pg_migrations").iterdir()
        count = sum(1 for migration in migrations if migration.name.endswith(".sql"))
        assert sorted(row["version"] for row in versions) == list(range(1, count + 1)) != []
    finally:
        await asyncio.gather(*(store.close() for store in stores))


async def test_processes_committing_to_the_same_pads_number_them_without_a_hole_or_a_twin(
    postgres_schema: tuple[str, str],
) -> None:
    """Three processes' group commits, each a batch over two pads in its own order, all at
    once: each pad's log is 1..N, each row where its commit said, and none deadlocks."""
    url, schema = postgres_schema
    stores = [PostgresStore(url, schema=schema, pool_size=2) for _ in range(3)]
    await asyncio.gather(*(store.open() for store in stores))
    try:
        for pad_id in ("pad-a", "pad-b"):
            await stores[0].create_pad(pad_record(pad_id))
        writes: list[tuple[str, bytes, asyncio.Future[int]]] = []
        for turn in range(40):
            for number, store in enumerate(stores):
                pads = ("pad-b", "pad-a") if (turn + number) % 2 else ("pad-a", "pad-b")
                for pad_id in pads:
                    update = f"{number}:{turn}:{pad_id}".encode()
                    writes.append((pad_id, update, store.append_update(pad_id, update)))
            await asyncio.sleep(0)
        positions = await asyncio.gather(*(future for _, _, future in writes))
        for pad_id in ("pad-a", "pad-b"):
            mine = [
                (p, u) for (pad, u, _), p in zip(writes, positions, strict=True) if pad == pad_id
            ]
            assert sorted(position for position, _ in mine) == list(range(1, len(mine) + 1))
            stored = await stores[1].load_document(pad_id)
            assert stored.updates == [u for _, u in sorted(mine)]
            assert await stores[2].log_position(pad_id) == len(mine)
    finally:
        await asyncio.gather(*(store.close() for store in stores))


async def terminate(url: str, pid: int) -> None:
    admin = await asyncpg.connect(url)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_a_dropped_connection_fails_its_work_and_the_pool_reconnects(
    store: PostgresStore, postgres_schema: tuple[str, str]
) -> None:
    await store.create_pad(pad_record())
    with pytest.raises(StoreUnavailable, match="does not answer"):
        async with store._transaction() as db:
            await db.execute("UPDATE pads SET title = 'changé' WHERE id = 'pad1'")
            await terminate(postgres_schema[0], db.get_server_pid())
            await db.execute("SELECT 1")
    assert await store.append_update("pad1", b"\x00\x00") == 1
    assert (await store.load_document("pad1")).updates == [b"\x00\x00"]
    pad = await store.get_pad("pad1")
    assert pad is not None and pad.title != "changé", "the broken transaction was rolled back"


def edit_with(value: str) -> bytes:
    doc = Doc()
    doc.get("content", type=Text).insert(0, value)
    return doc.get_update()


async def test_forget_rewrites_the_relation_files_that_held_a_purged_pad(
    store: PostgresStore, postgres_schema: tuple[str, str]
) -> None:
    url, schema = postgres_schema
    pad: PadRecord = pad_record()
    await store.create_pad(pad)
    for index in range(20):
        await store.append_update("pad1", edit_with(f"{index} écrire à {MARKER}\n" * 40))
    await store.write_snapshot("pad1", edit_with(MARKER * 200), await store.log_position("pad1"))
    await store.add_known_names("pad1", {MARKER: True}, limit=10)
    await store.set_purge_decisions("pad1", {"keep": [], "remove": [MARKER], "speakers": []})
    await checkpoint(url)
    assert await files_holding(url, schema, MARKER.encode()), "the search must see the rows"

    await store.write_purged("pad1", edit_with("notes anonymisées"), {"title": "Webinaire"})
    assert await store.forget()
    assert await files_holding(url, schema, MARKER.encode()) == []
    assert await files_holding(url, schema, b"notes anonymis")
    assert set(FORGOTTEN_TABLES) >= {"updates", "snapshots", "known_names", "purge_decisions"}
