"""Persistence behind one interface (base.py): SQLite is the embedded default (sqlite.py),
PostgreSQL the shared one for several processes (postgres.py), chosen by `database_url`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import PadRecord, Store, StoredDocument, Transition
from .sqlite import SQLiteStore

if TYPE_CHECKING:
    from ..settings import Settings


def store_for(settings: Settings, *, create: bool | None = None) -> Store:
    """The store the settings name, not yet open: PostgreSQL when `database_url` is set, else
    the SQLite file `db` (created only if `create`, by default `create_db`)."""
    if settings.database_url:
        from .postgres import PostgresStore

        return PostgresStore(
            settings.database_url,
            schema=settings.database_schema,
            pool_size=settings.database_pool_size,
            timeout=settings.database_timeout_seconds,
        )
    return SQLiteStore(
        settings.db,
        settings.sqlite_synchronous,
        create=settings.create_db if create is None else create,
    )


def database_name(settings: Settings) -> str:
    """Where the settings' store is, for people: the SQLite path or PostgreSQL's server."""
    if settings.database_url:
        from .postgres import where

        return f"PostgreSQL {where(settings.database_url)}, schema {settings.database_schema}"
    return settings.db


__all__ = [
    "PadRecord",
    "SQLiteStore",
    "Store",
    "StoredDocument",
    "Transition",
    "database_name",
    "store_for",
]
