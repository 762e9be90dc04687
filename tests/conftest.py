"""Fixtures that run the real thing on a temporary SQLite file (the servers: tests/live.py).

- `live_server`, `server_factory`: `skrid serve` in a subprocess, for tests about the process
  (durability, kill -9, bytes on disk, the door, the real log, the CLI, the browser).
- `app_server`, `app_client`, `app_factory`: the same app in the test's event loop over
  httpx's ASGI transport, for tests that only need HTTP; `app_factory(clock=...)` injects a
  clock instead of waiting for real time.
- `socket_server`, `socket_server_factory`: the app in the test's event loop served by uvicorn
  on a loopback port (the protocols of `skrid serve`), for real WebSocket clients.

- `postgres_schema`: a PostgreSQL schema of its own, for tests of the PostgreSQL store (skipped
  without `SKRID_TEST_POSTGRES_URL`).

Test modules import helpers from tests/live.py and tests/ypeer.py, not from here.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.live import AppFactory, InProcessServer, LiveServer, setting_variables


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start servers with settings given as keyword arguments (SKRID_* variables)."""
    servers: list[LiveServer] = []

    def make(db: Path | None = None, **settings: Any) -> LiveServer:
        index = len(servers)
        server = LiveServer(
            db or tmp_path / "skrid.sqlite3",
            tmp_path / f"server{index}.log",
            setting_variables(settings),
        )
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(server_factory: Callable[..., LiveServer]) -> LiveServer:
    return server_factory()


@pytest.fixture
async def app_factory(tmp_path: Path) -> AsyncIterator[AppFactory]:
    """`await app_factory(db=None, clock=None, sockets=False, **settings)`: start the app in
    this event loop with settings given as keyword arguments (as SKRID_* variables); each is
    stopped (gracefully) after the test."""
    servers: list[InProcessServer] = []

    async def make(
        db: Path | None = None,
        *,
        clock: Callable[..., Any] | None = None,
        sockets: bool = False,
        **settings: Any,
    ) -> InProcessServer:
        server = InProcessServer(
            db or tmp_path / "skrid.sqlite3", setting_variables(settings), clock, sockets
        )
        servers.append(server)
        await server.start()
        return server

    yield make
    for server in reversed(servers):
        await server.close()


@pytest.fixture
async def app_server(app_factory: AppFactory) -> InProcessServer:
    """The app over httpx.ASGITransport: `app_server.client`, `create_pad`, `log()`, `db`."""
    return await app_factory()


@pytest.fixture
def app_client(app_server: InProcessServer) -> httpx.AsyncClient:
    """An httpx.AsyncClient on the in-process app (base URL `app_server.url`)."""
    return app_server.client


@pytest.fixture
def socket_server_factory(app_factory: AppFactory) -> AppFactory:
    """`await socket_server_factory(**settings)`: the app served on a loopback port."""

    async def make(db: Path | None = None, **settings: Any) -> InProcessServer:
        return await app_factory(db, sockets=True, **settings)

    return make


@pytest.fixture
async def socket_server(socket_server_factory: AppFactory) -> InProcessServer:
    """The app served by uvicorn in this event loop, for real WebSocket clients."""
    return await socket_server_factory()


@pytest.fixture
def postgres_schema() -> Iterator[tuple[str, str]]:
    """(URL, schema) of a new, empty PostgreSQL schema on `SKRID_TEST_POSTGRES_URL`, dropped
    after the test; the test is skipped, saying why, when the variable is not set. Not async,
    so that a parametrised fixture can ask for it (`request.getfixturevalue`)."""
    url = os.environ.get("SKRID_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("SKRID_TEST_POSTGRES_URL is not set: no PostgreSQL to test against")
    schema = f"skrid_test_{secrets.token_hex(6)}"
    yield url, schema

    async def drop() -> None:
        db = await asyncpg.connect(url)
        try:
            await db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            await db.close()

    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, drop()).result()
