"""The CLI's work on a database without a running server: export, import, publish.

SQLite in WAL mode lets these read while a server runs on the same file; every update a server
has relayed is already committed, so what they read is what attendees saw.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anonymizer import Markers
from exports import PadDocument

from .documents import pad_document
from .errors import NotFound
from .room import load_doc
from .settings import Settings
from .store import PadRecord, SQLiteStore, Store


@asynccontextmanager
async def opened_store(settings: Settings) -> AsyncIterator[SQLiteStore]:
    store = SQLiteStore(settings.db, settings.sqlite_synchronous)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def require_database(settings: Settings) -> None:
    """Reading tools refuse to create an empty database where none was."""
    if not Path(settings.db).exists():
        raise NotFound(f"no database at {settings.db}")


def markers(settings: Settings) -> Markers:
    return Markers(email=settings.email_marker, phone=settings.phone_marker)


async def read_document(store: Store, pad: PadRecord, settings: Settings) -> PadDocument:
    doc = await load_doc(pad.id, await store.load_document(pad.id))
    return pad_document(pad, doc, markers(settings))


async def find_pad(store: Store, pad_id: str) -> PadRecord:
    pad = await store.get_pad(pad_id)
    if pad is None:
        raise NotFound(f"no pad {pad_id!r} in this database")
    return pad
