-- Pads, their append-only update log, and one snapshot per pad.
CREATE TABLE pads (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    starts_at TEXT,
    ends_at TEXT,
    purge_after_minutes INTEGER NOT NULL,
    state TEXT NOT NULL,
    host_hash BLOB NOT NULL,
    edit_hash BLOB NOT NULL,
    view_hash BLOB NOT NULL
);

CREATE TABLE updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
CREATE INDEX updates_by_pad ON updates(pad_id, id);

CREATE TABLE snapshots (
    pad_id TEXT PRIMARY KEY REFERENCES pads(id) ON DELETE CASCADE,
    data BLOB NOT NULL,
    last_update_id INTEGER NOT NULL
);
