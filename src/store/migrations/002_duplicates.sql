-- Keys for finding likely duplicates of organizations and persons: folded
-- names, their tokens, acronyms, e-mail addresses.  Rebuilt for a record on
-- every write of it, in the same transaction.
CREATE TABLE dup_keys (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    PRIMARY KEY (kind, key, record_id)
) WITHOUT ROWID;
CREATE INDEX dup_keys_record ON dup_keys (kind, record_id);
