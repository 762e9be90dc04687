"""asyncpg or psycopg 3 for a PostgreSQL store: the store's three hot paths, timed with each.

1. Group commit: every few ms the store writes all pending Yjs updates (20–200 bytes each, from
   ~10 pads) in one transaction: per pad `UPDATE pads SET log_position = log_position + n ...
   RETURNING log_position`, then one INSERT per update (executemany). Timed for batches of 1, 10
   and 50 updates from a single committer: commits per second, median and p99 commit latency.
2. Loading a pad: `SELECT data FROM updates WHERE pad_id = $1 ORDER BY position`, 2,000 rows.
3. One pad's row by id, from 20 concurrent tasks sharing 10 connections: rate, median and p99
   latency (waiting for a connection included).

asyncpg runs with its own pool of 10; psycopg_pool is not a dependency, so psycopg's 10
`AsyncConnection`s (autocommit, bytea loaded in binary) are handed out by a queue. That queue
resets nothing, and neither does psycopg_pool unless asked; asyncpg's pool by default sends a
reset query (`RESET ALL`, `UNLISTEN *`, ...) on every release, a round trip per query that the
store, owning its sessions, would turn off: it is off here, and `--asyncpg-reset` times it.

Each figure is measured 5 times, the drivers taking turns, and the medians are printed with the
ratio psycopg/asyncpg. The tables live in a schema of their own, `bench_drivers_<random>`,
dropped at the end. The event loop is uvloop, as under uvicorn.

    .venv/bin/python bench/store_drivers.py [--url postgresql://...] [--quick] [--asyncpg-reset]

The URL defaults to $SKRID_TEST_POSTGRES_URL, then postgresql://postgres@127.0.0.1:5432/postgres.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import os
import random
import secrets
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

import uvloop

if TYPE_CHECKING:
    import asyncpg
    import psycopg

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RUNS = 5
PADS = 100
PADS_PER_BATCH = 10
BATCH_SIZES = (1, 10, 50)
LOAD_ROWS = 2000
CONNECTIONS = 10
SELECT_TASKS = 20
INSTALL = {"asyncpg": "pip install asyncpg", "psycopg": "pip install 'psycopg[binary]'"}

Update = tuple[str, bytes]
Row = tuple[str, int, bytes]


@dataclass(frozen=True)
class Timing:
    """How long each measurement runs, per driver and run."""

    commit_seconds: float
    loads: int
    select_seconds: float


FULL = Timing(commit_seconds=0.8, loads=15, select_seconds=0.8)
QUICK = Timing(commit_seconds=0.25, loads=5, select_seconds=0.25)


def schema_sql(schema: str) -> list[str]:
    """The bench's tables, with PADS pads and one of them ('load') holding LOAD_ROWS updates."""
    return [
        f"CREATE SCHEMA {schema}",
        f"""CREATE TABLE {schema}.pads (
            id text PRIMARY KEY, title text NOT NULL, state text NOT NULL,
            log_position bigint NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE {schema}.updates (
            pad_id text NOT NULL REFERENCES {schema}.pads (id), position bigint NOT NULL,
            data bytea NOT NULL, PRIMARY KEY (pad_id, position))""",
        f"""INSERT INTO {schema}.pads (id, title, state)
            SELECT 'pad' || i, 'Webinar notes ' || i, 'open' FROM generate_series(0, {PADS - 1}) i
            UNION ALL SELECT 'load', 'A long webinar', 'open'""",
        f"""INSERT INTO {schema}.updates (pad_id, position, data)
            SELECT 'load', i, substr(decode(repeat(md5(i::text), 13), 'hex'), 1, 20 + i % 181)
            FROM generate_series(1, {LOAD_ROWS}) i""",
        f"UPDATE {schema}.pads SET log_position = {LOAD_ROWS} WHERE id = 'load'",
        f"ANALYZE {schema}.pads",
        f"ANALYZE {schema}.updates",
    ]


def by_pad(batch: Sequence[Update]) -> dict[str, list[bytes]]:
    """The batch's updates grouped by pad, in a fixed pad order (no deadlocks between commits)."""
    grouped: dict[str, list[bytes]] = {}
    for pad_id, data in sorted(batch, key=lambda update: update[0]):
        grouped.setdefault(pad_id, []).append(data)
    return grouped


def numbered(pad_id: str, end: int, datas: list[bytes]) -> list[Row]:
    """Rows for a pad's updates, given the pad's log position after the bump."""
    first = end - len(datas) + 1
    return [(pad_id, first + i, data) for i, data in enumerate(datas)]


class Driver(Protocol):
    name: str
    version: str

    async def scalar(self, sql: str) -> Any: ...
    async def commit(self, batch: Sequence[Update]) -> None: ...
    async def load(self, pad_id: str) -> list[bytes]: ...
    async def pad(self, pad_id: str) -> tuple[Any, ...]: ...
    async def close(self) -> None: ...


async def keep_session(connection: asyncpg.Connection) -> None:
    """asyncpg's pool `reset` that sends nothing (an open transaction is still rolled back)."""


class AsyncpgDriver:
    name = "asyncpg"

    def __init__(self, pool: asyncpg.Pool, reset: bool) -> None:
        import asyncpg

        self.pool = pool
        self.version = f"asyncpg {asyncpg.__version__}, pool reset query {'on' if reset else 'off'}"

    @classmethod
    async def open(cls, url: str, schema: str, reset: bool) -> AsyncpgDriver:
        import asyncpg

        pool = await asyncpg.create_pool(
            url,
            min_size=CONNECTIONS,
            max_size=CONNECTIONS,
            server_settings={"search_path": schema},
            reset=None if reset else keep_session,
        )
        return cls(pool, reset)

    async def scalar(self, sql: str) -> Any:
        return await self.pool.fetchval(sql)

    async def commit(self, batch: Sequence[Update]) -> None:
        async with self.pool.acquire() as con, con.transaction():
            rows: list[Row] = []
            for pad_id, datas in by_pad(batch).items():
                end = await con.fetchval(
                    "UPDATE pads SET log_position = log_position + $1 WHERE id = $2"
                    " RETURNING log_position",
                    len(datas),
                    pad_id,
                )
                rows += numbered(pad_id, end, datas)
            await con.executemany(
                "INSERT INTO updates (pad_id, position, data) VALUES ($1, $2, $3)", rows
            )

    async def load(self, pad_id: str) -> list[bytes]:
        records = await self.pool.fetch(
            "SELECT data FROM updates WHERE pad_id = $1 ORDER BY position", pad_id
        )
        return [record[0] for record in records]

    async def pad(self, pad_id: str) -> tuple[Any, ...]:
        record = await self.pool.fetchrow(
            "SELECT id, title, state, log_position FROM pads WHERE id = $1", pad_id
        )
        return tuple(record)

    async def close(self) -> None:
        await self.pool.close()


class PsycopgDriver:
    name = "psycopg"

    def __init__(self, connections: list[psycopg.AsyncConnection[tuple[Any, ...]]]) -> None:
        import psycopg

        self.connections = connections
        self.idle: asyncio.Queue[psycopg.AsyncConnection[tuple[Any, ...]]] = asyncio.Queue()
        for connection in connections:
            self.idle.put_nowait(connection)
        self.version = (
            f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {psycopg.pq.version()})"
        )

    @classmethod
    async def open(cls, url: str, schema: str) -> PsycopgDriver:
        import psycopg

        connections = [
            await psycopg.AsyncConnection.connect(
                url, autocommit=True, options=f"-c search_path={schema}"
            )
            for _ in range(CONNECTIONS)
        ]
        return cls(connections)

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[tuple[Any, ...]]]:
        connection = await self.idle.get()
        try:
            yield connection
        finally:
            self.idle.put_nowait(connection)

    async def scalar(self, sql: str) -> Any:
        async with self.connection() as connection:
            cursor = await connection.execute(sql)
            row = await cursor.fetchone() if cursor.description else None
            return row[0] if row else None

    async def commit(self, batch: Sequence[Update]) -> None:
        async with self.connection() as connection, connection.transaction():
            rows: list[Row] = []
            for pad_id, datas in by_pad(batch).items():
                cursor = await connection.execute(
                    "UPDATE pads SET log_position = log_position + %s WHERE id = %s"
                    " RETURNING log_position",
                    (len(datas), pad_id),
                )
                row = await cursor.fetchone()
                assert row is not None
                rows += numbered(pad_id, row[0], datas)
            await connection.cursor().executemany(
                "INSERT INTO updates (pad_id, position, data) VALUES (%s, %s, %s)", rows
            )

    async def load(self, pad_id: str) -> list[bytes]:
        async with self.connection() as connection:
            cursor = await connection.execute(
                "SELECT data FROM updates WHERE pad_id = %s ORDER BY position",
                (pad_id,),
                binary=True,
            )
            return [row[0] for row in await cursor.fetchall()]

    async def pad(self, pad_id: str) -> tuple[Any, ...]:
        async with self.connection() as connection:
            cursor = await connection.execute(
                "SELECT id, title, state, log_position FROM pads WHERE id = %s", (pad_id,)
            )
            row = await cursor.fetchone()
            assert row is not None
            return row

    async def close(self) -> None:
        for connection in self.connections:
            await connection.close()


def batches(size: int, rng: random.Random, count: int = 64) -> list[list[Update]]:
    """`count` batches of `size` updates, 20–200 bytes each, spread over up to 10 pads."""
    return [updates(size, rng) for _ in range(count)]


def updates(size: int, rng: random.Random) -> list[Update]:
    pads = [f"pad{i}" for i in rng.sample(range(PADS), min(size, PADS_PER_BATCH))]
    return [(pads[i % len(pads)], rng.randbytes(rng.randint(20, 200))) for i in range(size)]


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


async def measure_commits(
    driver: Driver, work: list[list[Update]], seconds: float
) -> dict[str, float]:
    latencies: list[float] = []
    start = time.perf_counter()
    while (now := time.perf_counter()) < start + seconds:
        await driver.commit(work[len(latencies) % len(work)])
        latencies.append(time.perf_counter() - now)
    elapsed = time.perf_counter() - start
    return {
        "commits/s": len(latencies) / elapsed,
        "median ms": statistics.median(latencies) * 1e3,
        "p99 ms": p99(latencies) * 1e3,
    }


async def measure_load(driver: Driver, loads: int) -> dict[str, float]:
    latencies = []
    for _ in range(loads):
        start = time.perf_counter()
        rows = await driver.load("load")
        latencies.append(time.perf_counter() - start)
        assert len(rows) == LOAD_ROWS
    return {"median ms": statistics.median(latencies) * 1e3}


async def select_worker(driver: Driver, pad_ids: list[str], deadline: float) -> list[float]:
    latencies: list[float] = []
    while (start := time.perf_counter()) < deadline:
        await driver.pad(pad_ids[len(latencies) % len(pad_ids)])
        latencies.append(time.perf_counter() - start)
    return latencies


async def measure_selects(driver: Driver, seconds: float, rng: random.Random) -> dict[str, float]:
    start = time.perf_counter()
    workers = [
        select_worker(driver, [f"pad{i}" for i in rng.sample(range(PADS), PADS)], start + seconds)
        for _ in range(SELECT_TASKS)
    ]
    latencies = [latency for task in await asyncio.gather(*workers) for latency in task]
    elapsed = time.perf_counter() - start
    return {
        "selects/s": len(latencies) / elapsed,
        "median µs": statistics.median(latencies) * 1e6,
        "p99 µs": p99(latencies) * 1e6,
    }


Measurement = Callable[[Driver], Awaitable[dict[str, float]]]


def measurements(timing: Timing, rng: random.Random) -> dict[str, Measurement]:
    """Each measurement by the label its figures are printed under."""
    result: dict[str, Measurement] = {}
    for size in BATCH_SIZES:
        result[f"commit of {size}"] = partial(
            measure_commits, work=batches(size, rng), seconds=timing.commit_seconds
        )
    result[f"load {LOAD_ROWS} rows"] = partial(measure_load, loads=timing.loads)
    result[f"pad row, {SELECT_TASKS} tasks"] = partial(
        measure_selects, seconds=timing.select_seconds, rng=rng
    )
    return result


async def warm_up(driver: Driver, rng: random.Random) -> None:
    """Past psycopg's prepare threshold (5 executions) and asyncpg's statement cache."""
    for work in batches(PADS_PER_BATCH, rng, count=8):
        await driver.commit(work)
        await driver.load("load")
        await driver.pad(work[0][0])


async def run(drivers: list[Driver], timing: Timing) -> dict[str, dict[str, list[float]]]:
    """figures[label][driver name] = that figure in each run; drivers take turns, in turn first."""
    rng = random.Random(17)
    for driver in drivers:
        await warm_up(driver, rng)
    figures: dict[str, dict[str, list[float]]] = {}
    plan = measurements(timing, rng)
    for run_index in range(RUNS):
        for label, measure in plan.items():
            for driver in drivers[run_index % 2 :] + drivers[: run_index % 2]:
                for figure, value in (await measure(driver)).items():
                    key = f"{label}: {figure}"
                    figures.setdefault(key, {}).setdefault(driver.name, []).append(value)
    return figures


def table(figures: dict[str, dict[str, list[float]]], names: list[str]) -> list[str]:
    both = len(names) == 2
    header = f"{'median of ' + str(RUNS) + ' runs':<34}" + "".join(f"{n:>12}" for n in names)
    lines = [header + (f"{'psycopg/asyncpg':>17}" if both else "")]
    for key, by_driver in figures.items():
        medians = [statistics.median(by_driver[name]) for name in names]
        line = f"{key:<34}" + "".join(f"{value:>12,.1f}" for value in medians)
        if both:
            line += f"{medians[1] / medians[0]:>16.2f}" + ("↑" if "/s" in key else "↓")
        lines.append(line)
    if both:
        lines.append("(ratio: ↑ higher is better for psycopg, ↓ lower is better for psycopg)")
    return lines


def installed() -> list[str]:
    names = []
    for name, command in INSTALL.items():
        if importlib.util.find_spec(name) is None:
            print(f"{name} is not installed, not measured: {command}", file=sys.stderr)
        else:
            names.append(name)
    return names


async def open_drivers(
    stack: contextlib.AsyncExitStack, names: list[str], args: argparse.Namespace
) -> list[Driver]:
    """The drivers named, connected to `args.url`, each closed when `stack` closes."""
    openers: dict[str, Callable[[], Awaitable[Driver]]] = {
        "asyncpg": partial(AsyncpgDriver.open, args.url, args.schema, args.asyncpg_reset),
        "psycopg": partial(PsycopgDriver.open, args.url, args.schema),
    }
    drivers = []
    for name in names:
        driver = await openers[name]()
        stack.push_async_callback(driver.close)
        drivers.append(driver)
    return drivers


async def main(args: argparse.Namespace) -> int:
    names = installed()
    if not names:
        return 1
    async with contextlib.AsyncExitStack() as stack:
        drivers = await open_drivers(stack, names, args)
        admin = drivers[0]
        stack.push_async_callback(admin.scalar, f"DROP SCHEMA IF EXISTS {args.schema} CASCADE")
        for statement in schema_sql(args.schema):
            await admin.scalar(statement)
        server = await admin.scalar("SELECT current_setting('server_version')")
        sync = await admin.scalar("SELECT current_setting('synchronous_commit')")
        print(f"PostgreSQL {server}, synchronous_commit={sync}, uvloop {uvloop.__version__}")
        for driver in drivers:
            print(driver.version)
        figures = await run(drivers, QUICK if args.quick else FULL)
        print("\n".join(table(figures, names)))
    return 0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("SKRID_TEST_POSTGRES_URL", DEFAULT_URL))
    parser.add_argument("--quick", action="store_true", help="shorter measurements (~15 s)")
    parser.add_argument(
        "--asyncpg-reset", action="store_true", help="keep asyncpg's pool reset query on release"
    )
    args = parser.parse_args()
    args.schema = f"bench_drivers_{secrets.token_hex(4)}"
    return args


if __name__ == "__main__":
    sys.exit(uvloop.run(main(arguments())))
