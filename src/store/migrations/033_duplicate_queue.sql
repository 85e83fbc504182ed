-- The whole registry's likely duplicates (domains/partners/dupscan.c): the
-- pairs the last `liaison duplicates scan` found, and the pairs staff said
-- are two records, which no scan lists again.  In both, first_id is the
-- smaller id; score is how alike the two are, in hundredths.
CREATE TABLE dup_pairs (
    kind TEXT NOT NULL,
    first_id INTEGER NOT NULL,
    second_id INTEGER NOT NULL,
    score INTEGER NOT NULL,
    PRIMARY KEY (kind, first_id, second_id)
) WITHOUT ROWID;
CREATE INDEX dup_pairs_best ON dup_pairs (score DESC, kind, first_id, second_id);
CREATE TABLE dup_dismissed (
    kind TEXT NOT NULL,
    first_id INTEGER NOT NULL,
    second_id INTEGER NOT NULL,
    dismissed_by INTEGER,
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (kind, first_id, second_id)
) WITHOUT ROWID;
