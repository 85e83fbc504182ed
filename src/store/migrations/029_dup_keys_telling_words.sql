-- Duplicate keys made from names' telling words (core/namematch.h): the
-- words without articles, singular, abbreviations written out, and a name's
-- words but one, in place of each folded name and each of its longer words.
-- The old keys are dropped here and every organization's and person's keys
-- written again once the tables are in place (migration_tasks, see
-- model/schema.c).
DELETE FROM dup_keys;
INSERT OR IGNORE INTO migration_tasks (task) VALUES ('rederive');
-- Beside the keys, each record's facts as text (its names' telling forms,
-- acronym, e-mail addresses, what tells it apart), so that a candidate is
-- compared without reading its record or folding its names again.
CREATE TABLE dup_facts (
    kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    facts TEXT NOT NULL,
    PRIMARY KEY (kind, record_id)
) WITHOUT ROWID;
