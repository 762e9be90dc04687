-- Edits per minute while a pad is live, and the number of distinct writers: counts only, kept
-- for the archive's activity picture after the purge has removed the update log.
CREATE TABLE activity (
    pad_id TEXT NOT NULL REFERENCES pads(id) ON DELETE CASCADE,
    minute INTEGER NOT NULL,
    edits INTEGER NOT NULL,
    PRIMARY KEY (pad_id, minute)
);
ALTER TABLE pads ADD COLUMN contributors INTEGER NOT NULL DEFAULT 0;
