"""What the guarantee tests share."""

from __future__ import annotations

from pathlib import Path


def storage_bytes(db: Path) -> bytes:
    """Every byte SQLite keeps for the database `db`: its file, write-ahead log and index."""
    files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    return b"".join(path.read_bytes() for path in files if path.exists())
