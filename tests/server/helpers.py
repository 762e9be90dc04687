"""What the server's unit tests share: a room peer that records what it is sent, updates and
pad records to feed a room or a store. Fixtures are in tests/server/conftest.py."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from pycrdt import Doc, Text

from server import protocol
from server.access import Role, new_keys
from server.protocol import SyncUpdate
from server.store import PadRecord, SQLiteStore

T0 = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
"""The start of the pads `new_pad` creates."""


class RecordingPeer:
    """A room peer (anything with `send(frame)` and `close(code, reason)`) that keeps the
    updates it is sent, with when; being closed fails the test."""

    def __init__(self, role: Role = Role.EDIT) -> None:
        self.role = role
        self.writable = False
        self.awareness_ids: set[int] = set()
        self.last_sent = 0.0
        self.updates: list[tuple[float, bytes]] = []

    def send(self, frame: bytes) -> None:
        message = protocol.parse(frame)
        if isinstance(message, SyncUpdate):
            self.updates.append((time.monotonic(), message.update))

    def close(self, code: int, reason: str) -> None:
        raise AssertionError(f"closed with {code}: {reason}")

    def text(self) -> str:
        doc = Doc()
        for _, update in self.updates:
            doc.apply_update(update)
        return str(doc.get("content", type=Text))


def typed(text: str) -> bytes:
    """An update from a fresh writer inserting `text`."""
    doc = Doc()
    doc.get("content", type=Text).insert(0, text)
    return doc.get_update()


def pad_record(pad_id: str = "pad1") -> PadRecord:
    return PadRecord(
        id=pad_id,
        title="Réunion",
        created_at=datetime(2026, 11, 26, 17, 0, tzinfo=UTC),
        starts_at=datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
        ends_at=None,
        purge_after_minutes=120,
        state="scheduled",
        keys=new_keys().hashes(),
    )


async def new_pad(store: SQLiteStore, pad_id: str = "pad", **fields: object) -> PadRecord:
    """Create a pad in `store`: scheduled from T0 to T0 + 1 h, `fields` overriding."""
    values: dict = {
        "title": "Webinaire",
        "created_at": T0 - timedelta(days=1),
        "starts_at": T0,
        "ends_at": T0 + timedelta(hours=1),
        "purge_after_minutes": 120,
        "state": "scheduled",
        "keys": new_keys().hashes(),
    }
    pad = PadRecord(id=pad_id, **{**values, **fields})
    await store.create_pad(pad)
    return pad
