-- Names at the purge. A pad's speakers (public: kept after the purge) and language; the display
-- names attendees used (known names) and the host's decisions for the purge, both kept only
-- until the purge, which deletes them (secure_delete zeroes the rows).
-- `known_names` has no index on `name`: an index's interior pages keep copies of its keys as
-- dividers, which deleting the rows does not zero; the rowid table's interior pages hold
-- rowids only, and the index holds pad ids only.
ALTER TABLE pads ADD COLUMN speakers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE pads ADD COLUMN language TEXT NOT NULL DEFAULT 'fr';

CREATE TABLE known_names (
    id INTEGER PRIMARY KEY,
    pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
    name TEXT NOT NULL
);
CREATE INDEX known_names_by_pad ON known_names(pad_id);

CREATE TABLE purge_decisions (
    pad_id TEXT PRIMARY KEY REFERENCES pads(id) ON DELETE CASCADE,
    decisions TEXT NOT NULL
);
