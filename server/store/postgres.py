"""The shared store: PostgreSQL through asyncpg, for several `skrid serve` processes.

The same contract as the SQLite store (base.py): updates are group-committed (group_commit.py),
so that an update is committed before any client receives it, and a burst from a whole audience
costs one transaction. asyncpg was chosen over psycopg 3 by measurement (bench/store_drivers.py):
see the README's "Several processes".

Connections come from a pool of `database_pool_size`; every statement and connection attempt
gives up after `database_timeout_seconds`. A database that cannot be reached is a
StoreUnavailable: at start it stops `skrid serve` with one line that names the server (never
the password); during a session the write fails, the rooms close their sockets with 1011 and
the clients reconnect, and the pool opens new connections once the database answers again.

Migrations (pg_migrations/) run at start under a transaction-level advisory lock, so that
processes starting together apply each of them once; `skrid migrate` runs them alone.

Forgetting (after a purge or a deletion) rewrites the tables that held the pad's bytes with
VACUUM FULL, which writes new relation files (tables, TOAST and indexes) and removes the old
ones, then runs a CHECKPOINT so that the pages are written out. What can still hold the bytes
afterwards (WAL segments until they are recycled, replicas, base backups) is in the README.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import datetime
from importlib import resources
from typing import Any, TypeAlias
from urllib.parse import urlsplit

import asyncpg
import asyncpg.pool

from ..errors import StoreFailed, StoreFull, StoreUnavailable
from .base import FROZEN_STATES, PadRecord, Store, StoredDocument, Transition
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

log = logging.getLogger("skrid.store")

Connection: TypeAlias = "asyncpg.pool.PoolConnectionProxy[asyncpg.Record]"

MIGRATION_LOCK = 0x736B726964
"""The advisory lock key migrations hold ("skrid" in ASCII)."""
PAD_LOCKS = 0x736B7264
"""The first key of the pads' advisory locks (the second is the pad id's hash)."""
PAD_LOCK_WAIT = 6
"""How many `database_timeout_seconds` a lifecycle move waits for another process's."""
PAD_LOCK_POLL_SECONDS = 0.05
FORGET_LOCK_TIMEOUT_MS = 200
"""How long VACUUM FULL waits for a table's lock before the purge tries again later: every
pad's commits wait behind it meanwhile."""
FORGOTTEN_TABLES = ("updates", "snapshots", "known_names", "purge_decisions", "pads")
"""The tables a purge or a deletion leaves dead rows with a pad's content in (a purged pad's
row held its title)."""

_UNREACHABLE = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
)
"""What asyncpg raises when the server is gone or the connection broke under a statement (the
last two: on a connection closed by the server while it was in use)."""


_COMMIT = """
WITH batch AS (
    SELECT pad_id, data, row_order
    FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS batch (pad_id, data, row_order)
), locked AS (
    SELECT id, state, log_position FROM pads WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE
), numbered AS (
    SELECT batch.pad_id, batch.data,
        locked.log_position
        + row_number() OVER (PARTITION BY batch.pad_id ORDER BY batch.row_order) AS position
    FROM batch JOIN locked ON locked.id = batch.pad_id
    WHERE locked.state <> ALL($3::text[])
), inserted AS (
    INSERT INTO updates (pad_id, position, data) SELECT pad_id, position, data FROM numbered
), moved AS (
    UPDATE pads SET log_position = latest.position
    FROM (SELECT pad_id, max(position) AS position FROM numbered GROUP BY pad_id) AS latest
    WHERE pads.id = latest.pad_id
)
SELECT id, state, log_position FROM locked
"""
"""The group commit's statement (see `PostgresStore._commit`)."""


def _migrations() -> list[str]:
    folder = resources.files(__package__).joinpath("pg_migrations")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [folder.joinpath(name).read_text() for name in names]


def where(url: str) -> str:
    """`host:port/database` of a URL, for messages: never its user or password."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.hostname or 'localhost'}{port}{parts.path or '/'}"


def _assignments(fields: dict[str, Any], first: int) -> tuple[list[Any], str]:
    """Column values and the `SET` list assigning them, numbered from `$first`."""
    values = field_values(fields, text_times=False)
    names = ", ".join(f"{name} = ${first + index}" for index, name in enumerate(values))
    return list(values.values()), names


def _changed(status: str) -> int:
    """Rows a command changed, from its status (`UPDATE 1`, `INSERT 0 1`)."""
    return int(status.rsplit(" ", 1)[-1])


class PostgresStore(Store):
    def __init__(
        self, url: str, *, schema: str = "public", pool_size: int = 10, timeout: float = 10.0
    ) -> None:
        self.url = url
        self.schema = schema
        self.pool_size = pool_size
        self.timeout = timeout
        self._pool: asyncpg.Pool | None = None
        self._commits = GroupCommit(self._commit, "postgres-group-commit")
        self._deleted_by: int | None = None
        """The latest transaction that deleted a pad's content and was not forgotten yet."""

    async def open(self) -> None:
        try:
            self._pool = await asyncpg.create_pool(
                self.url,
                min_size=1,
                max_size=self.pool_size,
                timeout=self.timeout,
                command_timeout=self.timeout,
                server_settings={"search_path": self.schema, "application_name": "skrid"},
                reset=_keep_session,
            )
        except (*_UNREACHABLE, asyncpg.PostgresError) as error:
            raise StoreUnavailable(
                f"cannot reach PostgreSQL at {where(self.url)}: {_reason(error)}"
            ) from None
        await self.migrate()
        self._commits.start()

    async def migrate(self) -> None:
        """Apply the migrations not yet applied, once, however many processes start."""
        async with self._transaction() as db:
            await db.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await db.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            await db.execute(
                "CREATE TABLE IF NOT EXISTS skrid_migrations"
                " (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            applied = await db.fetchval("SELECT COALESCE(MAX(version), 0) FROM skrid_migrations")
            for number, script in enumerate(_migrations(), start=1):
                if number > applied:
                    await db.execute(script)
                    await db.execute("INSERT INTO skrid_migrations (version) VALUES ($1)", number)

    async def close(self) -> None:
        if self._pool is None:
            return
        with contextlib.suppress(StoreFailed):
            await self._commits.stop()
        await self._pool.close()
        self._pool = None

    @property
    def healthy(self) -> bool:
        return self._pool is not None and not self._pool.is_closing()

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[Connection]:
        """A pooled connection. A database that cannot be reached, or a connection that broke
        during the work, is a StoreUnavailable; a full disk a StoreFull. A transaction is
        rolled back whole either way."""
        if self._pool is None:
            raise StoreFailed("the store is not open")
        try:
            async with self._pool.acquire() as db:
                yield db
        except _UNREACHABLE as error:
            raise StoreUnavailable(self._gone(error)) from None
        except asyncpg.DiskFullError:
            raise StoreFull("the database server's disk is full: nothing was changed") from None

    def _gone(self, error: BaseException) -> str:
        return f"PostgreSQL at {where(self.url)} does not answer: {_reason(error)}"

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Connection]:
        async with self._connection() as db, db.transaction():
            yield db

    async def _fetch(self, sql: str, *parameters: Any) -> list[asyncpg.Record]:
        async with self._connection() as db:
            return list(await db.fetch(sql, *parameters))

    @contextlib.asynccontextmanager
    async def pad_lock(self, pad_id: str) -> AsyncIterator[None]:
        """A session-level advisory lock on the pad, on a connection of its own for as long
        as it is held (a purge holds it for seconds: it is waited for up to `PAD_LOCK_WAIT`
        times the timeout). It is tried again and again rather than waited for in one
        statement: a statement that waits keeps its snapshot, and while any snapshot from
        before a purge is open, VACUUM FULL must keep the rows the purge deleted."""
        async with self._connection() as db:
            key = await db.fetchval("SELECT hashtext($1)", pad_id)
            deadline = time.monotonic() + self.timeout * PAD_LOCK_WAIT
            while not await db.fetchval("SELECT pg_try_advisory_lock($1, $2)", PAD_LOCKS, key):
                if time.monotonic() > deadline:
                    raise StoreUnavailable("another process holds this pad's lifecycle lock")
                await asyncio.sleep(PAD_LOCK_POLL_SECONDS)
            try:
                yield
            finally:
                await db.execute("SELECT pg_advisory_unlock($1, $2)", PAD_LOCKS, key)

    async def create_pad(self, pad: PadRecord) -> None:
        row = pad_row(pad, text_times=False)
        marks = ", ".join(f"${index}" for index in range(1, len(PAD_FIELDS) + 1))
        async with self._connection() as db:
            await db.execute(
                f"INSERT INTO pads ({PAD_COLUMNS}) VALUES ({marks})",
                *(row[name] for name in PAD_FIELDS),
            )

    async def get_pad(self, pad_id: str) -> PadRecord | None:
        rows = await self._fetch(f"SELECT {PAD_COLUMNS} FROM pads WHERE id = $1", pad_id)
        return pad_from_row(rows[0]) if rows else None

    async def load_document(self, pad_id: str) -> StoredDocument:
        return await self.updates_after(pad_id, -1)

    async def updates_after(self, pad_id: str, position: int) -> StoredDocument:
        """The snapshot if it covers past `position`, then the log rows after it, in one
        statement: one snapshot of the data."""
        rows = await self._fetch(
            "SELECT 0 AS kind, position, data FROM snapshots WHERE pad_id = $1 AND position > $2"
            " UNION ALL SELECT 1, position, data FROM updates WHERE pad_id = $1 AND position > $2"
            " ORDER BY kind, position",
            pad_id,
            position,
        )
        return stored_document(rows, max(position, 0))

    def append_update(self, pad_id: str, update: bytes) -> asyncio.Future[int]:
        return self._commits.append(pad_id, update)

    async def _commit(self, rows: list[tuple[str, bytes]]) -> tuple[list[Outcome], float]:
        """One statement, so one round trip and its own transaction: it locks the pads' rows
        in the order of their ids (processes committing to the same pads at once wait for each
        other instead of deadlocking), numbers each pad's updates after its counter in the
        order of `rows`, inserts them and moves the counters, skipping frozen pads. It answers
        the pads as it locked them, from which `numbered` tells each row its outcome by the same
        numbering. A transaction of three statements took five round trips, with the pads'
        rows locked across them."""
        started = time.monotonic()
        async with self._connection() as db:
            waited = time.monotonic() - started
            found = await db.fetch(
                _COMMIT,
                [pad_id for pad_id, _ in rows],
                [update for _, update in rows],
                list(FROZEN_STATES),
            )
        pads = {row["id"]: (row["state"], row["log_position"]) for row in found}
        outcomes, _, _ = numbered(rows, pads)
        return outcomes, waited

    async def log_position(self, pad_id: str) -> int:
        rows = await self._fetch("SELECT log_position FROM pads WHERE id = $1", pad_id)
        return int(rows[0]["log_position"]) if rows else 0

    async def write_snapshot(self, pad_id: str, state: bytes, through: int) -> bool:
        async with self._transaction() as db:
            pad = await db.fetchrow(
                "SELECT pads.state, snapshots.position FROM pads"
                " LEFT JOIN snapshots ON snapshots.pad_id = pads.id WHERE pads.id = $1"
                " FOR UPDATE OF pads",
                pad_id,
            )
            if not snapshot_wanted(pad, through):
                return False
            await self._replace_document(db, pad_id, state, through)
        return True

    async def _replace_document(
        self, db: Connection, pad_id: str, state: bytes, through: int | None
    ) -> None:
        """`state` as the pad's snapshot, covering `through` (None: the whole log, the pad's
        row locked so that no commit adds to it meanwhile)."""
        if through is None:
            found = await db.fetchval(
                "SELECT log_position FROM pads WHERE id = $1 FOR UPDATE", pad_id
            )
            through = int(found or 0)
        await db.execute(
            "DELETE FROM updates WHERE pad_id = $1 AND position <= $2", pad_id, through
        )
        await db.execute(
            "INSERT INTO snapshots (pad_id, data, position) VALUES ($1, $2, $3)"
            " ON CONFLICT (pad_id) DO UPDATE SET data = excluded.data,"
            " position = excluded.position",
            pad_id,
            state,
            through,
        )

    async def write_purged(self, pad_id: str, state: bytes, fields: dict[str, Any]) -> None:
        async with self._transaction() as db:
            await self._replace_document(db, pad_id, state, None)
            values, assignments = _assignments(fields, 2)
            await db.execute(f"UPDATE pads SET {assignments} WHERE id = $1", pad_id, *values)
            await db.execute("DELETE FROM known_names WHERE pad_id = $1", pad_id)
            await db.execute("DELETE FROM purge_decisions WHERE pad_id = $1", pad_id)
            await self._deleting(db)

    async def add_known_names(self, pad_id: str, names: dict[str, bool], limit: int) -> None:
        """The pad's row is locked first, so that processes adding names to one pad at once
        keep its names distinct and within `limit`."""
        async with self._transaction() as db:
            open_pad = await db.fetchval(
                "SELECT 1 FROM pads WHERE id = $1 AND purged_at IS NULL FOR UPDATE", pad_id
            )
            if open_pad is None:
                return
            rows = await db.fetch("SELECT name, wrote FROM known_names WHERE pad_id = $1", pad_id)
            kept = {row["name"]: row["wrote"] for row in rows}
            new, writers = names_to_add(names, kept, limit)
            await db.executemany(
                "INSERT INTO known_names (pad_id, name, wrote) VALUES ($1, $2, $3)",
                [(pad_id, name, names[name]) for name in new],
            )
            await db.executemany(
                "UPDATE known_names SET wrote = true WHERE pad_id = $1 AND name = $2",
                [(pad_id, name) for name in writers],
            )

    async def known_names(self, pad_id: str) -> list[str]:
        rows = await self._fetch(
            "SELECT name FROM known_names WHERE pad_id = $1 ORDER BY id", pad_id
        )
        return [row["name"] for row in rows]

    async def writer_count(self, pad_id: str) -> int:
        rows = await self._fetch(
            "SELECT COUNT(*) AS writers FROM known_names WHERE pad_id = $1 AND wrote", pad_id
        )
        return int(rows[0]["writers"])

    async def set_purge_decisions(self, pad_id: str, decisions: dict[str, list[str]]) -> bool:
        async with self._connection() as db:
            status = await db.execute(
                "INSERT INTO purge_decisions (pad_id, decisions)"
                " SELECT id, $1 FROM pads WHERE id = $2 AND purged_at IS NULL"
                " ON CONFLICT (pad_id) DO UPDATE SET decisions = excluded.decisions",
                json.dumps(decisions, ensure_ascii=False),
                pad_id,
            )
        return _changed(status) == 1

    async def purge_decisions(self, pad_id: str) -> dict[str, list[str]]:
        rows = await self._fetch("SELECT decisions FROM purge_decisions WHERE pad_id = $1", pad_id)
        return json.loads(rows[0]["decisions"]) if rows else {}

    async def transition(self, change: Transition, fields: dict[str, Any]) -> bool:
        values, assignments = _assignments({"state": change.to_state, **fields}, 3)
        async with self._transaction() as db:
            status = await db.execute(
                f"UPDATE pads SET {assignments} WHERE id = $1 AND state = $2",
                change.pad_id,
                change.from_state,
                *values,
            )
            if _changed(status) != 1:
                return False
            await self._record(db, change)
        return True

    async def _record(self, db: Connection, change: Transition) -> None:
        await db.execute(
            "INSERT INTO transitions (pad_id, at, from_state, to_state, by)"
            " VALUES ($1, $2, $3, $4, $5)",
            change.pad_id,
            change.at,
            change.from_state,
            change.to_state,
            change.by,
        )

    async def pads_in_states(self, states: list[str]) -> list[PadRecord]:
        return await self._pads_in(states)

    async def pads_with_times_passed(self, states: list[str], now: datetime) -> list[PadRecord]:
        return await self._pads_in(
            states, " AND (starts_at <= $2 OR ends_at <= $2 OR closed_at <= $2)", now
        )

    async def _pads_in(
        self, states: list[str], condition: str = "", *parameters: Any
    ) -> list[PadRecord]:
        """Pads in `states` meeting `condition` (SQL with `$2`... for `parameters`), oldest
        first."""
        rows = await self._fetch(
            f"SELECT {PAD_COLUMNS} FROM pads WHERE state = ANY($1::text[]){condition}"
            " ORDER BY created_at",
            states,
            *parameters,
        )
        return [pad_from_row(row) for row in rows]

    async def transitions(self, pad_id: str) -> list[Transition]:
        rows = await self._fetch(
            "SELECT pad_id, at, from_state, to_state, by FROM transitions"
            " WHERE pad_id = $1 ORDER BY id",
            pad_id,
        )
        return [
            Transition(row["pad_id"], row["at"], row["from_state"], row["to_state"], row["by"])
            for row in rows
        ]

    async def _deleting(self, db: Connection) -> None:
        self._deleted_by = int(await db.fetchval("SELECT txid_current()"))

    async def _seen_before_deletion(self, db: Connection) -> int:
        """Sessions of this database whose snapshot began before the last deletion committed:
        while one is open, VACUUM FULL keeps the deleted rows (they are still visible to it)."""
        if self._deleted_by is None:
            return 0
        return int(
            await db.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL"
                " AND age(backend_xmin) >= age(($1 % 4294967296)::text::xid)",
                self._deleted_by,
            )
        )

    async def forget(self) -> bool:
        """VACUUM FULL of the tables that held the pad's bytes, then a CHECKPOINT (see the
        module). A session whose snapshot is older than the deletion (a long transaction, a
        backup), or a table locked by one beyond FORGET_LOCK_TIMEOUT_MS: False, and the caller
        tries again later. A role that may not
        CHECKPOINT (PostgreSQL grants it to superusers and `pg_checkpoint`) leaves the pages to
        the next automatic checkpoint (`checkpoint_timeout`): logged, not failed."""
        await self._commits.flush()
        async with self._connection() as db:
            if await self._seen_before_deletion(db):
                return False
            await db.execute(f"SET lock_timeout = {FORGET_LOCK_TIMEOUT_MS}")
            try:
                for table in FORGOTTEN_TABLES:
                    await db.execute(f"VACUUM FULL {table}")
            except asyncpg.LockNotAvailableError:
                return False
            finally:
                await db.execute("RESET lock_timeout")
            try:
                await db.execute("CHECKPOINT")
            except asyncpg.InsufficientPrivilegeError:
                log.warning("CHECKPOINT not allowed for this role: pages wait for the next one")
        self._deleted_by = None
        return True

    async def delete_pad(self, pad_id: str, change: Transition) -> None:
        async with self._transaction() as db:
            await db.execute("DELETE FROM pads WHERE id = $1", pad_id)
            await self._record(db, change)
            await self._deleting(db)

    async def add_activity(self, pad_id: str, edits_by_minute: dict[int, int]) -> None:
        async with self._transaction() as db:
            if await db.fetchval("SELECT 1 FROM pads WHERE id = $1", pad_id) is None:
                return
            await db.executemany(
                "INSERT INTO activity (pad_id, minute, edits) VALUES ($1, $2, $3)"
                " ON CONFLICT (pad_id, minute)"
                " DO UPDATE SET edits = activity.edits + excluded.edits",
                [(pad_id, minute, edits) for minute, edits in edits_by_minute.items()],
            )

    async def activity(self, pad_id: str) -> dict[int, int]:
        rows = await self._fetch(
            "SELECT minute, edits FROM activity WHERE pad_id = $1 ORDER BY minute", pad_id
        )
        return {row["minute"]: row["edits"] for row in rows}


async def _keep_session(db: asyncpg.Connection) -> None:
    """Nothing to reset when a connection goes back to the pool: the store sets no session
    state but `forget`'s lock timeout, which it resets itself. asyncpg's default reset costs a
    round trip a query (bench/store_drivers.py: a fifth of single-row reads a second)."""


def _reason(error: BaseException) -> str:
    """What went wrong, in a line: the error's own message is PostgreSQL's or the OS's, which
    names no pad content."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
