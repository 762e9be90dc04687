"""Persistence behind one interface (base.py); SQLite is the embedded default (sqlite.py)."""

from .base import PadRecord, Store, StoredDocument, Transition
from .sqlite import SQLiteStore

__all__ = ["PadRecord", "SQLiteStore", "Store", "StoredDocument", "Transition"]
