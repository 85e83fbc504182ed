-- What a migration leaves for Liaison to do once every table is in place:
-- one row per task, done and deleted at the next start (model/schema.c).
--   reindex: the search index rebuilt from the records.
CREATE TABLE migration_tasks (task TEXT PRIMARY KEY);

-- A database made before migration 004 got an empty search index then, and
-- its records were never indexed; on a new database this costs nothing.
INSERT INTO migration_tasks (task) SELECT 'reindex' WHERE NOT EXISTS (SELECT 1 FROM search_docs);
