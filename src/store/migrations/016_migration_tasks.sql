-- What a migration leaves for Liaison to do once every table is in place:
-- one row per task, done and deleted at the next start (model/schema.c).
--   reindex: the search index rebuilt from the records.
CREATE TABLE migration_tasks (task TEXT PRIMARY KEY);

-- A database made before migration 004 got an empty search index then, and
-- the builds of the time indexed only the records written afterwards; no
-- query can tell which records they missed, so every index is rebuilt once
-- (on a new database, at no cost).
INSERT INTO migration_tasks (task) VALUES ('reindex');
