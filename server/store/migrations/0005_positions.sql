-- Log positions (server/store/base.py): each pad counts its committed updates, each log row
-- has its place in that count, and a snapshot says how far it covers. Rows already logged are
-- numbered in the order they were committed; a snapshot taken before covers position 0 (the
-- rows it covered were deleted with it).
ALTER TABLE pads ADD COLUMN log_position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE updates ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE updates SET position = (
    SELECT COUNT(*) FROM updates AS earlier
    WHERE earlier.pad_id = updates.pad_id AND earlier.id <= updates.id
);
UPDATE pads SET log_position = (SELECT COUNT(*) FROM updates WHERE updates.pad_id = pads.id);
ALTER TABLE snapshots RENAME COLUMN last_update_id TO position;
UPDATE snapshots SET position = 0;
