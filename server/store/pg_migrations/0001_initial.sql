-- The PostgreSQL schema: the tables of the SQLite migrations 0001-0005, in their final shape
-- (a log row is keyed by its pad and position: base.py).
-- Times are timestamptz; JSON columns are text, as in SQLite (server/store/pad_rows.py).
-- `known_names` has no index on `name`, as in SQLite: an index would keep copies of the names
-- in its pages after the rows are deleted, until it is rebuilt (the purge rebuilds the tables
-- with VACUUM FULL, which rebuilds their indexes too, but none is needed).
CREATE TABLE pads (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    starts_at TIMESTAMPTZ,
    ends_at TIMESTAMPTZ,
    purge_after_minutes INTEGER NOT NULL,
    state TEXT NOT NULL,
    host_hash BYTEA NOT NULL,
    edit_hash BYTEA NOT NULL,
    view_hash BYTEA NOT NULL,
    closed_at TIMESTAMPTZ,
    purged_at TIMESTAMPTZ,
    published_at TIMESTAMPTZ,
    purge_counts TEXT NOT NULL DEFAULT '{}',
    contributors INTEGER NOT NULL DEFAULT 0,
    speakers TEXT NOT NULL DEFAULT '[]',
    language TEXT NOT NULL DEFAULT 'fr',
    log_position BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX pads_by_state ON pads(state);

CREATE TABLE updates (
    pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (pad_id, position)
);

CREATE TABLE snapshots (
    pad_id TEXT PRIMARY KEY REFERENCES pads(id) ON DELETE CASCADE,
    data BYTEA NOT NULL,
    position BIGINT NOT NULL
);

CREATE TABLE transitions (
    id BIGSERIAL PRIMARY KEY,
    pad_id TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    by TEXT NOT NULL
);
CREATE INDEX transitions_by_pad ON transitions(pad_id, id);

CREATE TABLE activity (
    pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
    minute BIGINT NOT NULL,
    edits INTEGER NOT NULL,
    PRIMARY KEY (pad_id, minute)
);

CREATE TABLE known_names (
    id BIGSERIAL PRIMARY KEY,
    pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
    name TEXT NOT NULL
);
CREATE INDEX known_names_by_pad ON known_names(pad_id);

CREATE TABLE purge_decisions (
    pad_id TEXT PRIMARY KEY REFERENCES pads(id) ON DELETE CASCADE,
    decisions TEXT NOT NULL
);
