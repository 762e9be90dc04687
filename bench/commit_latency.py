"""How long one update takes to commit through Skrid's own store, SQLite and PostgreSQL: the
store's `append_update` awaited alone, again and again, so each is a group commit of one (what a
quiet or normal pad pays before it relays an update).

For each run and each store it opens the store as `skrid serve` does (a new SQLite file; a new
PostgreSQL schema, dropped at the end), creates one pad (as `skrid import` does), commits
`--updates` updates of 40 bytes one after the other, and keeps the median and p99 latency; it
prints the medians over the runs. The stores take turns, so a busy spell of the machine hits both.

    .venv/bin/python bench/commit_latency.py [--runs 5] [--updates 2000] [--postgres URL]

PostgreSQL comes from `--postgres`, by default `SKRID_TEST_POSTGRES_URL`, else this machine's
local server; `--postgres ''` measures SQLite alone.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from exports.importers import ImportedNote
from server.offline import import_note_as_pad
from server.store import SQLiteStore, Store
from server.store.postgres import PostgresStore

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
UPDATE = b"x" * 40


async def latencies(store: Store, updates: int) -> tuple[float, float]:
    """Median and p99 of `updates` commits one after the other, in ms."""
    note = ImportedNote("Commit", "", "md")
    pad_id, _ = await import_note_as_pad(store, note, datetime.now(UTC))
    took = []
    for _ in range(updates):
        started = time.perf_counter()
        await store.append_update(pad_id, UPDATE)
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return statistics.median(took), took[int(len(took) * 0.99) - 1]


async def on_sqlite(updates: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(str(Path(folder) / "bench.sqlite3"))
        await store.open()
        try:
            return await latencies(store, updates)
        finally:
            await store.close()


async def on_postgres(url: str, updates: int) -> tuple[float, float]:
    schema = f"bench_commit_{secrets.token_hex(4)}"
    store = PostgresStore(url, schema=schema)
    await store.open()
    try:
        return await latencies(store, updates)
    finally:
        await store.close()
        admin = await asyncpg.connect(url)
        try:
            await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        finally:
            await admin.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument(
        "--postgres", default=os.environ.get("SKRID_TEST_POSTGRES_URL", LOCAL_POSTGRES)
    )
    options = parser.parse_args()
    if options.runs < 1 or options.updates < 100:
        parser.error("--runs takes at least 1, --updates at least 100")
    stores = {"sqlite": lambda: on_sqlite(options.updates)}
    if options.postgres:
        stores["postgres"] = lambda: on_postgres(options.postgres, options.updates)
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in stores}
    for run in range(options.runs):
        for name, measure in stores.items():
            figures[name].append(await measure())
            p50, p99 = figures[name][-1]
            print(f"run {run + 1} {name}: p50 {p50:.3f} ms, p99 {p99:.3f} ms", file=sys.stderr)
    print(f"one update a commit, {options.updates} commits, median of {options.runs} runs")
    print("| store | commit p50 (ms) | commit p99 (ms) |\n| --- | --- | --- |")
    for name, runs in figures.items():
        p50 = statistics.median(r[0] for r in runs)
        p99 = statistics.median(r[1] for r in runs)
        print(f"| {name} | {p50:.3f} | {p99:.3f} |")


if __name__ == "__main__":
    asyncio.run(main())
