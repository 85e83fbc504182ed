-- when: SELECT 1 FROM pragma_table_info('dup_keys') WHERE name = 'id'
-- Duplicate keys as migration 002 first made them: a row id of their own,
-- and a record's key as often as it was written.  Rebuilt as 002 has made
-- them since: each key of a record once, stored in key order.
CREATE TABLE dup_keys_019 (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    PRIMARY KEY (kind, key, record_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO dup_keys_019 (kind, key, record_id) SELECT kind, key, record_id FROM dup_keys;
DROP TABLE dup_keys;
ALTER TABLE dup_keys_019 RENAME TO dup_keys;
CREATE INDEX dup_keys_record ON dup_keys (kind, record_id);
