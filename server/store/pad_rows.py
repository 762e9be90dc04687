"""A pad record as a table row, for every backend: its columns, their encoding, and back.

JSON columns (`purge_counts`, `speakers`) are text in both backends. Times are the one
difference: SQLite keeps them as ISO 8601 text, PostgreSQL as `timestamptz`; each backend says
which by `text_times`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Protocol

from ..access import KeyHashes
from .base import PadRecord

PAD_FIELDS = [
    "id", "title", "created_at", "starts_at", "ends_at", "purge_after_minutes", "state",
    "host_hash", "edit_hash", "view_hash", "closed_at", "purged_at", "published_at",
    "purge_counts", "contributors", "speakers", "language",
]  # fmt: skip
PAD_COLUMNS = ", ".join(PAD_FIELDS)
TIME_FIELDS = {"created_at", "starts_at", "ends_at", "closed_at", "purged_at", "published_at"}


def column(name: str, value: Any, text_times: bool) -> Any:
    if name in TIME_FIELDS:
        return value.isoformat() if text_times and value is not None else value
    if name == "purge_counts":
        return json.dumps(value, sort_keys=True)
    if name == "speakers":
        return json.dumps(list(value), ensure_ascii=False)
    return value


def field_values(fields: dict[str, Any], text_times: bool) -> dict[str, Any]:
    """Column values of pad fields; a name that is not a pad field is refused."""
    unknown = set(fields) - set(PAD_FIELDS)
    if unknown:
        raise ValueError(f"not pad fields: {sorted(unknown)}")
    return {name: column(name, value, text_times) for name, value in fields.items()}


def pad_row(pad: PadRecord, text_times: bool) -> dict[str, Any]:
    keys = {"host_hash": pad.keys.host, "edit_hash": pad.keys.edit, "view_hash": pad.keys.view}
    values = {**{name: getattr(pad, name, None) for name in PAD_FIELDS}, **keys}
    return {name: column(name, value, text_times) for name, value in values.items()}


class Row(Protocol):
    """A row as both drivers give it: columns by name."""

    def __getitem__(self, key: str, /) -> Any: ...


def _time(value: str | datetime | None) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def pad_from_row(row: Row) -> PadRecord:
    created_at = _time(row["created_at"])
    assert created_at is not None
    return PadRecord(
        id=row["id"],
        title=row["title"],
        created_at=created_at,
        starts_at=_time(row["starts_at"]),
        ends_at=_time(row["ends_at"]),
        purge_after_minutes=row["purge_after_minutes"],
        state=row["state"],
        keys=KeyHashes(bytes(row["host_hash"]), bytes(row["edit_hash"]), bytes(row["view_hash"])),
        closed_at=_time(row["closed_at"]),
        purged_at=_time(row["purged_at"]),
        published_at=_time(row["published_at"]),
        purge_counts=json.loads(row["purge_counts"]),
        contributors=row["contributors"],
        speakers=tuple(json.loads(row["speakers"])),
        language=row["language"],
    )


def names_to_add(
    names: dict[str, bool], kept: dict[str, bool], limit: int
) -> tuple[list[str], list[str]]:
    """Of display names seen (each with whether it wrote), given those the pad keeps (likewise):
    the new ones it keeps, up to `limit` a pad, and the kept ones that now wrote."""
    new = [name for name in names if name not in kept]
    writers = [name for name, wrote in names.items() if wrote and kept.get(name) is False]
    return new[: max(0, limit - len(kept))], writers
