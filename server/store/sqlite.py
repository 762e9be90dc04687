"""The embedded store: SQLite through aiosqlite, WAL mode, one writer.

Two connections, each on its own thread so the event loop never blocks: one reads (WAL lets it
run beside the writer), one writes. Every write transaction holds `_write_lock`, so a failed
write can never roll back someone else's rows. Updates are group-committed (group_commit.py).

With WAL and `synchronous=NORMAL` a committed transaction survives a kill of the process (it is
in the WAL, in the OS's page cache); FULL (a setting) adds survival of a power cut.
`secure_delete` is on so that deleted rows are overwritten with zeros, which the purge relies on.

Checkpoints run on a third connection, PASSIVE, at most once a `CHECKPOINT_SECONDS` after writes,
never inside a commit: SQLite's automatic checkpoint runs in the committing connection, so every
pad's commits waited for its copy and fsync of the database file (769 ms in one commit on a
400 MB database, bench/purge_stall.py). A PASSIVE checkpoint lets writers go on meanwhile.

The store never creates a database where it was not told to (`create`): a file that disappears
under a running server (deleted, or replaced) is noticed at the next write by the file's
identity, and every write is then refused with an error, instead of going to a file nobody will
see again and of an empty database greeting the next start.

The files must stay writable: SQLite maps the `-shm` file into memory, readers and writers alike
write to it, and a write to a mapped page of a file made immutable (`chattr +i`) kills the
process with SIGBUS, with nothing logged. So every statement is preceded by `check_file` (one
stat and three access(2) calls, a few microseconds), which refuses with DatabaseReadOnly instead;
the window left between the check and the statement is what `faulthandler` (enabled by `skrid
serve`) reports, should it ever be hit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
import time
from datetime import datetime
from importlib import resources
from typing import Any

import aiosqlite

from ..errors import DatabaseGone, DatabaseReadOnly, StoreFailed, StoreFull
from .base import PadRecord, Store, StoredDocument, Transition
from .group_commit import GroupCommit
from .log import Outcome, numbered, snapshot_wanted, stored_document
from .pad_rows import (
    PAD_COLUMNS,
    PAD_FIELDS,
    field_values,
    names_to_add,
    pad_from_row,
    pad_row,
)

READER_CACHE_KIB = 256
"""The reading connection's page cache. In WAL mode a reader drops its whole cache whenever a
write was committed since its last read, which on a server with any live pad is many times a
second: a bigger cache (SQLite's default is 2,000 KiB) would mostly hold the pages of pads read
once, and stay filled for good after a burst of openings (bench/compare, idle pads: +2 MiB, a
quarter of what 10,000 pads opened once left behind)."""


def _migrations() -> list[str]:
    folder = resources.files(__package__).joinpath("migrations")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [folder.joinpath(name).read_text() for name in names]


def _assignments(fields: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Column values and the `SET` list that assigns them by name."""
    values = field_values(fields, text_times=True)
    return values, ", ".join(f"{name} = :{name}" for name in values)


def _is_full(error: BaseException) -> bool:
    return isinstance(error, sqlite3.Error) and (
        getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "database or disk is full" in str(error)
    )


log = logging.getLogger("skrid.store")

BUSY_TIMEOUT_MS = 10_000
CHECKPOINT_SECONDS = 1.0
FORGET_WAIT_MS = 50
"""How long the purge's checkpoint waits for readers before trying again later: the writer's
lock is held meanwhile, and every pad's commits wait on it."""


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


class SQLiteStore(Store):
    def __init__(self, path: str, synchronous: str = "NORMAL", *, create: bool = True) -> None:
        self.path = path
        self.synchronous = synchronous.upper()
        self.create = create
        self._identity: tuple[int, int] | None = None
        self._reader: aiosqlite.Connection | None = None
        self._checkpointer: aiosqlite.Connection | None = None
        self._checkpoint_task: asyncio.Task[None] | None = None
        self._last_checkpoint = 0.0
        self._writer: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._commits = GroupCommit(self._commit, "sqlite-group-commit")

    async def _connect(self) -> aiosqlite.Connection:
        db = await aiosqlite.connect(self.path)
        db.row_factory = sqlite3.Row
        await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA secure_delete = ON")
        await db.execute(f"PRAGMA synchronous = {self.synchronous}")
        return db

    async def open(self) -> None:
        if not self.create and _identity(self.path) is None:
            raise DatabaseGone(
                f"no database at {self.path}: start with --init (SKRID_CREATE_DB=1) to create one"
            )
        self._identity = _identity(self.path)
        self.check_file()
        self._writer = await self._connect()
        self._identity = _identity(self.path)
        await self._writer.execute("PRAGMA journal_mode = WAL")
        await self._writer.execute("PRAGMA wal_autocheckpoint = 0")
        await self._migrate(self._writer)
        self._checkpointer = await self._connect()
        self._reader = await self._connect()
        await self._reader.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
        self._commits.start()

    async def _migrate(self, db: aiosqlite.Connection) -> None:
        """Apply the numbered migrations not yet applied; `user_version` counts them."""
        async with db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        applied = row[0] if row else 0
        for number, script in enumerate(_migrations(), start=1):
            if number > applied:
                await db.executescript(
                    f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )

    async def close(self) -> None:
        await self._commits.stop()
        if self._checkpoint_task is not None:
            await self._checkpoint_task
        for db in (self._reader, self._checkpointer, self._writer):
            if db is not None:
                await db.close()
        self._reader = self._checkpointer = self._writer = None

    @property
    def reader(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise StoreFailed("the store is not open")
        return self._reader

    @property
    def writer(self) -> aiosqlite.Connection:
        if self._writer is None:
            raise StoreFailed("the store is not open")
        return self._writer

    async def _read(self, sql: str, parameters: Any = ()) -> list[sqlite3.Row]:
        """One read, run to completion in a single call on the reader's thread. Statements
        left open side by side would keep the reader's WAL snapshot open across commits, and
        a read that follows a write could then see the state from before it."""
        self.check_writable()
        return list(await self.reader.execute_fetchall(sql, parameters))

    def check_file(self) -> None:
        """Raise DatabaseGone unless the database file is still the one opened, and
        DatabaseReadOnly if it or its WAL or shared-memory file can no longer be written (see
        the module)."""
        if self._identity is None:
            return
        if _identity(self.path) != self._identity:
            raise DatabaseGone(f"the database file {self.path} was removed or replaced")
        self.check_writable()

    def check_writable(self) -> None:
        """Raise DatabaseReadOnly if a file SQLite writes to (reads too: the `-shm`) is no
        longer writable. Reads from a removed file are harmless, so reads check only this."""
        for path in (self.path, self.path + "-wal", self.path + "-shm"):
            if os.path.exists(path) and not os.access(path, os.W_OK):
                raise DatabaseReadOnly(
                    f"the database file {path} cannot be written (read-only or immutable):"
                    " nothing was changed"
                )

    @property
    def healthy(self) -> bool:
        try:
            self.check_file()
        except StoreFailed:
            return False
        return True

    @contextlib.asynccontextmanager
    async def _transaction(self):  # type: ignore[no-untyped-def]
        """One write transaction: committed on success, rolled back on any error. A full disk
        becomes StoreFull (nothing of the transaction is kept)."""
        async with self._write_lock:
            self.check_file()
            try:
                yield self.writer
                await self.writer.commit()
                self._checkpoint_soon()
            except BaseException as error:
                await self.writer.rollback()
                if _is_full(error):
                    raise StoreFull("the server's disk is full: nothing was changed") from None
                raise

    def _checkpoint_soon(self) -> None:
        idle = self._checkpoint_task is None or self._checkpoint_task.done()
        if idle and time.monotonic() - self._last_checkpoint >= CHECKPOINT_SECONDS:
            self._checkpoint_task = asyncio.create_task(
                self._checkpoint(), name="sqlite-checkpoint"
            )

    async def _checkpoint(self) -> None:
        """Copy committed pages into the database file, beside the writer (see the module)."""
        self._last_checkpoint = time.monotonic()
        if self._checkpointer is None:
            return
        try:
            self.check_file()
            await self._checkpointer.execute_fetchall("PRAGMA wal_checkpoint(PASSIVE)")
        except (sqlite3.Error, StoreFailed) as error:
            log.warning("checkpoint failed: %s", type(error).__name__)

    async def create_pad(self, pad: PadRecord) -> None:
        placeholders = ", ".join(f":{name}" for name in PAD_FIELDS)
        async with self._transaction() as db:
            await db.execute(
                f"INSERT INTO pads ({PAD_COLUMNS}) VALUES ({placeholders})",
                pad_row(pad, text_times=True),
            )

    async def get_pad(self, pad_id: str) -> PadRecord | None:
        rows = await self._read(f"SELECT {PAD_COLUMNS} FROM pads WHERE id = ?", (pad_id,))
        return pad_from_row(rows[0]) if rows else None

    async def load_document(self, pad_id: str) -> StoredDocument:
        return await self.updates_after(pad_id, -1)

    async def updates_after(self, pad_id: str, position: int) -> StoredDocument:
        """The snapshot (kind 0) if it covers past `position`, then the log rows after it
        (kind 1), read in one statement so that a snapshot committing meanwhile cannot make
        the two disagree."""
        rows = await self._read(
            "SELECT 0 AS kind, position, data FROM snapshots"
            " WHERE pad_id = :pad AND position > :after"
            " UNION ALL SELECT 1, position, data FROM updates"
            " WHERE pad_id = :pad AND position > :after"
            " ORDER BY kind, position",
            {"pad": pad_id, "after": position},
        )
        return stored_document(rows, max(position, 0))

    def append_update(self, pad_id: str, update: bytes) -> asyncio.Future[int]:
        return self._commits.append(pad_id, update)

    async def _commit(self, rows: list[tuple[str, bytes]]) -> tuple[list[Outcome], float]:
        started = time.monotonic()
        async with self._transaction() as db:
            waited = time.monotonic() - started
            pad_ids = sorted({pad_id for pad_id, _ in rows})
            marks = ", ".join("?" for _ in pad_ids)
            found = await db.execute_fetchall(
                f"SELECT id, state, log_position FROM pads WHERE id IN ({marks})", pad_ids
            )
            outcomes, inserts, latest = numbered(rows, {row[0]: (row[1], row[2]) for row in found})
            await db.executemany(
                "INSERT INTO updates (pad_id, position, data) VALUES (?, ?, ?)", inserts
            )
            await db.executemany(
                "UPDATE pads SET log_position = ? WHERE id = ?",
                [(position, pad_id) for pad_id, position in latest.items()],
            )
        return outcomes, waited

    async def log_position(self, pad_id: str) -> int:
        rows = await self._read("SELECT log_position FROM pads WHERE id = ?", (pad_id,))
        return rows[0][0] if rows else 0

    async def write_snapshot(self, pad_id: str, state: bytes, through: int) -> bool:
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    "SELECT pads.state, snapshots.position FROM pads"
                    " LEFT JOIN snapshots ON snapshots.pad_id = pads.id WHERE pads.id = ?",
                    (pad_id,),
                )
            )
            if not snapshot_wanted(rows[0] if rows else None, through):
                return False
            await self._replace_document(db, pad_id, state, through)
        return True

    async def _replace_document(
        self, db: aiosqlite.Connection, pad_id: str, state: bytes, through: int | None
    ) -> None:
        """`state` as the pad's snapshot, covering `through` (None: the whole log)."""
        if through is None:
            found = list(
                await db.execute_fetchall("SELECT log_position FROM pads WHERE id = ?", (pad_id,))
            )
            through = found[0][0] if found else 0
        await db.execute(
            "DELETE FROM updates WHERE pad_id = ? AND position <= ?", (pad_id, through)
        )
        await db.execute(
            "INSERT INTO snapshots (pad_id, data, position) VALUES (?, ?, ?)"
            " ON CONFLICT (pad_id) DO UPDATE SET data = excluded.data,"
            " position = excluded.position",
            (pad_id, state, through),
        )

    async def write_purged(self, pad_id: str, state: bytes, fields: dict[str, Any]) -> None:
        async with self._transaction() as db:
            await self._replace_document(db, pad_id, state, None)
            values, assignments = _assignments(fields)
            await db.execute(
                f"UPDATE pads SET {assignments} WHERE id = :pad_id", {**values, "pad_id": pad_id}
            )
            await db.execute("DELETE FROM known_names WHERE pad_id = ?", (pad_id,))
            await db.execute("DELETE FROM purge_decisions WHERE pad_id = ?", (pad_id,))

    async def add_known_names(self, pad_id: str, names: dict[str, bool], limit: int) -> None:
        """One row a name, deduplicated by hand (no index on `name`: see the migration)."""
        async with self._transaction() as db:
            open_pad = await db.execute_fetchall(
                "SELECT 1 FROM pads WHERE id = ? AND purged_at IS NULL", (pad_id,)
            )
            if not open_pad:
                return
            rows = await db.execute_fetchall(
                "SELECT name, wrote FROM known_names WHERE pad_id = ?", (pad_id,)
            )
            kept = {row[0]: bool(row[1]) for row in rows}
            new, writers = names_to_add(names, kept, limit)
            await db.executemany(
                "INSERT INTO known_names (pad_id, name, wrote) VALUES (?, ?, ?)",
                [(pad_id, name, names[name]) for name in new],
            )
            await db.executemany(
                "UPDATE known_names SET wrote = 1 WHERE pad_id = ? AND name = ?",
                [(pad_id, name) for name in writers],
            )

    async def known_names(self, pad_id: str) -> list[str]:
        rows = await self._read(
            "SELECT name FROM known_names WHERE pad_id = ? ORDER BY id", (pad_id,)
        )
        return [row["name"] for row in rows]

    async def writer_count(self, pad_id: str) -> int:
        rows = await self._read(
            "SELECT COUNT(*) FROM known_names WHERE pad_id = ? AND wrote", (pad_id,)
        )
        return int(rows[0][0])

    async def set_purge_decisions(self, pad_id: str, decisions: dict[str, list[str]]) -> bool:
        async with self._transaction() as db:
            cursor = await db.execute(
                "INSERT INTO purge_decisions (pad_id, decisions)"
                " SELECT id, ? FROM pads WHERE id = ? AND purged_at IS NULL"
                " ON CONFLICT (pad_id) DO UPDATE SET decisions = excluded.decisions",
                (json.dumps(decisions, ensure_ascii=False), pad_id),
            )
            return cursor.rowcount == 1

    async def purge_decisions(self, pad_id: str) -> dict[str, list[str]]:
        rows = await self._read("SELECT decisions FROM purge_decisions WHERE pad_id = ?", (pad_id,))
        return json.loads(rows[0]["decisions"]) if rows else {}

    async def transition(self, change: Transition, fields: dict[str, Any]) -> bool:
        values, assignments = _assignments({"state": change.to_state, **fields})
        async with self._transaction() as db:
            cursor = await db.execute(
                f"UPDATE pads SET {assignments} WHERE id = :pad_id AND state = :from_state",
                {
                    **values,
                    "from_state": change.from_state,
                    "pad_id": change.pad_id,
                },
            )
            if cursor.rowcount != 1:
                return False
            await self._record(db, change)
        return True

    async def _record(self, db: aiosqlite.Connection, change: Transition) -> None:
        await db.execute(
            "INSERT INTO transitions (pad_id, at, from_state, to_state, by) VALUES (?, ?, ?, ?, ?)",
            (change.pad_id, change.at.isoformat(), change.from_state, change.to_state, change.by),
        )

    async def pads_in_states(self, states: list[str]) -> list[PadRecord]:
        return await self._pads_in(states)

    async def pads_with_times_passed(self, states: list[str], now: datetime) -> list[PadRecord]:
        passed = " OR ".join(
            f"julianday({name}) <= julianday(?)" for name in ("starts_at", "ends_at", "closed_at")
        )
        return await self._pads_in(states, f" AND ({passed})", [now.isoformat()] * 3)

    async def _pads_in(
        self, states: list[str], condition: str = "", parameters: list[str] | None = None
    ) -> list[PadRecord]:
        """Pads in `states` meeting `condition` (SQL with `?` for `parameters`), oldest first."""
        marks = ", ".join("?" for _ in states)
        rows = await self._read(
            f"SELECT {PAD_COLUMNS} FROM pads WHERE state IN ({marks}){condition}"
            " ORDER BY created_at",
            [*states, *(parameters or [])],
        )
        return [pad_from_row(row) for row in rows]

    async def transitions(self, pad_id: str) -> list[Transition]:
        rows = await self._read(
            "SELECT pad_id, at, from_state, to_state, by FROM transitions"
            " WHERE pad_id = ? ORDER BY id",
            (pad_id,),
        )
        return [
            Transition(
                row["pad_id"],
                datetime.fromisoformat(row["at"]),
                row["from_state"],
                row["to_state"],
                row["by"],
            )
            for row in rows
        ]

    async def forget(self) -> bool:
        """Deleted rows and freed pages are zeroed (`secure_delete`) in the pages' newest
        images, which are in the WAL; a TRUNCATE checkpoint copies them into the database file
        and empties the WAL, where the older images still were. No VACUUM: with the zeroing it
        removes nothing more, and it would hold the writer's lock for a rewrite of the whole
        file (4.4 s on 400 MB). A reader holding an old snapshot (a backup, `skrid export`)
        keeps the checkpoint from finishing: it then waits at most FORGET_WAIT_MS and answers
        False, and the caller tries again later. A PASSIVE checkpoint first copies most pages
        while writers go on, so that the TRUNCATE one, which holds them, has little left."""
        await self._commits.flush()
        if self._checkpoint_task is not None:
            await self._checkpoint_task
        await self._checkpoint()
        async with self._write_lock:
            self.check_file()
            await self.writer.execute(f"PRAGMA busy_timeout = {FORGET_WAIT_MS}")
            try:
                rows = list(await self.writer.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)"))
            finally:
                await self.writer.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return rows[0][0] == 0 and _size(self.path + "-wal") == 0

    async def delete_pad(self, pad_id: str, change: Transition) -> None:
        async with self._transaction() as db:
            await db.execute("DELETE FROM pads WHERE id = ?", (pad_id,))
            await self._record(db, change)

    async def add_activity(self, pad_id: str, edits_by_minute: dict[int, int]) -> None:
        async with self._transaction() as db:
            async with db.execute("SELECT 1 FROM pads WHERE id = ?", (pad_id,)) as cursor:
                if await cursor.fetchone() is None:
                    return
            await db.executemany(
                "INSERT INTO activity (pad_id, minute, edits) VALUES (?, ?, ?)"
                " ON CONFLICT (pad_id, minute) DO UPDATE SET edits = edits + excluded.edits",
                [(pad_id, minute, edits) for minute, edits in edits_by_minute.items()],
            )

    async def activity(self, pad_id: str) -> dict[int, int]:
        rows = await self._read(
            "SELECT minute, edits FROM activity WHERE pad_id = ? ORDER BY minute", (pad_id,)
        )
        return {row["minute"]: row["edits"] for row in rows}
