"""Fixtures of the server's unit tests (their helpers: tests/server/helpers.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from server.store import PadRecord, SQLiteStore
from tests.server.helpers import pad_record


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    """An open SQLiteStore on a new file, closed after the test."""
    store = SQLiteStore(str(tmp_path / "store.sqlite3"))
    await store.open()
    yield store
    await store.close()


@pytest.fixture
async def pad1(store: SQLiteStore) -> PadRecord:
    """The pad `pad_record()` (id "pad1"), created in `store`."""
    record = pad_record()
    await store.create_pad(record)
    return record
