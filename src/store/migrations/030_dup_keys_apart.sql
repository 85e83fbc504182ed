-- Beside each duplicate key, the value that tells its record apart (an
-- organization's country, a person's organization; '' when it has none), in
-- the key's index: a check looks only among the records of the same value
-- (or none), whatever the number of records that share the key elsewhere.
-- The keys are written again once the table is in place (migration_tasks,
-- see model/schema.c).
DROP TABLE dup_keys;
CREATE TABLE dup_keys (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    apart TEXT NOT NULL DEFAULT '',
    record_id INTEGER NOT NULL,
    PRIMARY KEY (kind, key, apart, record_id)
) WITHOUT ROWID;
CREATE INDEX dup_keys_record ON dup_keys (kind, record_id);
INSERT OR IGNORE INTO migration_tasks (task) VALUES ('rederive');
