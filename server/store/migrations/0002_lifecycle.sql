-- The lifecycle: when a pad closed, was purged and published, what the purge removed (counts
-- only), and an audit of every transition (never content).
ALTER TABLE pads ADD COLUMN closed_at TEXT;
ALTER TABLE pads ADD COLUMN purged_at TEXT;
ALTER TABLE pads ADD COLUMN published_at TEXT;
ALTER TABLE pads ADD COLUMN purge_counts TEXT NOT NULL DEFAULT '{}';
CREATE INDEX pads_by_state ON pads(state);

CREATE TABLE transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pad_id TEXT NOT NULL,
    at TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    by TEXT NOT NULL
);
CREATE INDEX transitions_by_pad ON transitions(pad_id, id);
