"""A pad's log as every backend keeps it: positions, and which snapshot stands (base.py).

Pure: the backends read the rows in their transaction, these decide, the backends write.
"""

from __future__ import annotations

from typing import Any

from ..errors import PadFrozen, StoreFailed
from .base import FROZEN_STATES, StoredDocument
from .pad_rows import Row

Outcome = int | StoreFailed
"""A committed row's log position, or why that row alone was refused."""


def numbered(
    rows: list[tuple[str, bytes]], pads: dict[str, tuple[str, int]]
) -> tuple[list[Outcome], list[tuple[str, int, bytes]], dict[str, int]]:
    """Log positions for `rows`, given each pad's state and latest position as the commit's
    transaction locked them: each row's outcome, the rows to insert (pad id, position,
    update), and each pad's new latest position. A row for a missing pad, or a frozen one, is
    refused alone."""
    outcomes: list[Outcome] = []
    inserts: list[tuple[str, int, bytes]] = []
    latest: dict[str, int] = {}
    for pad_id, update in rows:
        known = pads.get(pad_id)
        if known is None:
            outcomes.append(StoreFailed(f"could not store an update: no pad {pad_id!r}"))
        elif known[0] in FROZEN_STATES:
            outcomes.append(PadFrozen("this pad is being purged: the update was not stored"))
        else:
            position = latest.get(pad_id, known[1]) + 1
            latest[pad_id] = position
            outcomes.append(position)
            inserts.append((pad_id, position, update))
    return outcomes, inserts, latest


def stored_document(rows: list[Any], after: int) -> StoredDocument:
    """A document from rows of (kind, position, data), the snapshot (kind 0) first, then the
    log rows in order; its position is the last row's, else the snapshot's, else `after`."""
    snapshot = bytes(rows[0]["data"]) if rows and rows[0]["kind"] == 0 else None
    updates = [bytes(row["data"]) for row in rows if row["kind"] == 1]
    position = rows[-1]["position"] if rows else after
    return StoredDocument(snapshot, updates, position)


def snapshot_wanted(pad: Row | None, through: int) -> bool:
    """Whether a snapshot through `through` replaces the pad's: the pad (its `state` and its
    snapshot's `position`, None without one) exists, is not frozen, and the snapshot it has,
    if any, covers less (another process may have compacted further)."""
    if pad is None or pad["state"] in FROZEN_STATES:
        return False
    return pad["position"] is None or pad["position"] < through
