-- Merges of two records of one kind (two organizations, two persons): what
-- was moved from the merged record to the kept one, so that a merge can be
-- undone exactly.  moves is a JSON array of
--   {"kind": K, "id": N, "column": C, "link": L}
-- (a record column, or a row of the links table when link is set), and
-- kept_before the kept record's values that the merge filled or extended.
CREATE TABLE merges (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    kept_id INTEGER NOT NULL,
    merged_id INTEGER NOT NULL,
    moves TEXT NOT NULL,
    kept_before TEXT NOT NULL,
    at TEXT NOT NULL,
    user_id INTEGER,
    undone_at TEXT
);
CREATE INDEX merges_kept ON merges (kind, kept_id);
