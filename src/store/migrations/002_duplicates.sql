-- Keys for finding likely duplicates of organizations and persons: folded
-- names, their tokens, acronyms, e-mail addresses.  Rebuilt for a record on
-- every write of it, in the same transaction.
CREATE TABLE dup_keys (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    key TEXT NOT NULL
);
CREATE INDEX dup_keys_key ON dup_keys (kind, key);
CREATE INDEX dup_keys_record ON dup_keys (kind, record_id);
