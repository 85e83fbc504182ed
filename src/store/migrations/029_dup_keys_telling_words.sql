-- Duplicate keys made from names' telling words (core/namematch.h): the
-- words without articles, singular, abbreviations written out, and a name's
-- words but one, in place of each folded name and each of its longer words.
-- The old keys are dropped here and every organization's and person's keys
-- written again once the tables are in place (migration_tasks, see
-- model/schema.c).
DELETE FROM dup_keys;
INSERT OR IGNORE INTO migration_tasks (task) VALUES ('rederive');
