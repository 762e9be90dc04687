"""PostgreSQL for the tests: what it keeps on disk (the purge's promise there), and a server
that stops answering."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from pathlib import Path

import asyncpg
import pytest


async def relation_files(url: str, schema: str) -> dict[str, bytes]:
    """Every file of every relation of `schema` (tables, TOAST tables, indexes, and their
    free-space and visibility maps), read from the server's data directory."""
    db = await asyncpg.connect(url)
    try:
        directory = Path(await db.fetchval("SHOW data_directory"))
        if not os.access(directory, os.R_OK):
            pytest.skip("PostgreSQL's data directory cannot be read from here")
        paths = await db.fetch(
            "SELECT c.relname AS name, pg_relation_filepath(c.oid) AS path FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = $1 OR c.oid IN (SELECT reltoastrelid FROM pg_class k"
            " JOIN pg_namespace m ON m.oid = k.relnamespace WHERE m.nspname = $1)"
            " OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT reltoastrelid"
            " FROM pg_class k JOIN pg_namespace m ON m.oid = k.relnamespace WHERE m.nspname = $1))",
            schema,
        )
    finally:
        await db.close()
    found = {}
    for row in paths:
        if row["path"] is None:
            continue
        base = directory / row["path"]
        for file in base.parent.glob(base.name + "*"):
            found[f"{row['name']} ({file.relative_to(directory)})"] = file.read_bytes()
    return found


async def files_holding(url: str, schema: str, value: bytes) -> list[str]:
    """The relation files of `schema` (see `relation_files`) in which `value` is."""
    return [path for path, data in (await relation_files(url, schema)).items() if value in data]


async def checkpoint(url: str) -> None:
    db = await asyncpg.connect(url)
    try:
        await db.execute("CHECKPOINT")
    finally:
        await db.close()


class StallingProxy:
    """A TCP proxy in front of PostgreSQL that can stop answering (`stall`: connections stay
    open and nothing goes through, as when a database server hangs or a network drops
    packets) and come back (`restore`: the stalled connections are cut, new ones go through).
    It runs on a thread of its own, so that a test may block on a server meanwhile."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.stalled = False
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> StallingProxy:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", 0), self._loop
        ).result()
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        """Every connection closed and every task finished before the loop is closed: a
        socket left half-open would be reported (ResourceWarning) in a later test."""
        asyncio.run_coroutine_threadsafe(self._shut_down(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    async def _shut_down(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, upstream_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, ConnectionError):
                while data := await source.read(65536):
                    while self.stalled:
                        await asyncio.sleep(0.05)
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    def stall(self) -> None:
        self.stalled = True

    def restore(self) -> None:
        def cut() -> None:
            for writer in self._writers:
                writer.close()
            self._writers.clear()
            self.stalled = False

        self._loop.call_soon_threadsafe(cut)
