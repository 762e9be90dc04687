"""The CLI's work on a database without a running server: export, import, publish.

SQLite in WAL mode lets these read while a server runs on the same file; every update a server
has relayed is already committed, so what they read is what attendees saw.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from exports import PadDocument
from exports.importers import ImportedNote

from .access import Keys, new_keys, new_pad_id
from .api import DEFAULT_PURGE_AFTER_MINUTES
from .app import house_hooks
from .errors import NotFound
from .export_gate import pad_document
from .lifecycle import State
from .room import document_state, load_doc
from .settings import Settings
from .store import PadRecord, Store, store_for


@asynccontextmanager
async def opened_store(settings: Settings) -> AsyncIterator[Store]:
    store = store_for(settings, create=True)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def require_database(settings: Settings) -> None:
    """Reading tools refuse to create an empty database where none was."""
    if not settings.database_url and not Path(settings.db).exists():
        raise NotFound(f"no database at {settings.db}")


async def read_document(store: Store, pad: PadRecord, settings: Settings) -> PadDocument:
    doc = await load_doc(pad.id, await store.load_document(pad.id))
    return pad_document(pad, doc, house_hooks(settings), settings.timezone)


async def find_pad(store: Store, pad_id: str) -> PadRecord:
    pad = await store.get_pad(pad_id)
    if pad is None:
        raise NotFound(f"no pad {pad_id!r} in this database")
    return pad


async def import_note_as_pad(store: Store, note: ImportedNote, now: datetime) -> tuple[str, Keys]:
    """A closed pad holding the note, so that the normal purge and publication apply."""
    keys = new_keys()
    pad = PadRecord(
        id=new_pad_id(),
        title=note.title,
        created_at=now,
        starts_at=None,
        ends_at=None,
        purge_after_minutes=DEFAULT_PURGE_AFTER_MINUTES,
        state=State.CLOSED.value,
        keys=keys.hashes(),
        closed_at=now,
    )
    await store.create_pad(pad)
    await store.write_snapshot(pad.id, document_state(note.content), 0)
    return pad.id, keys
