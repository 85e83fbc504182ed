-- A database made before migration 004 got an empty search index then, and
-- the builds of the time indexed only the records written afterwards; no
-- query can tell which records they missed, so every index is rebuilt once,
-- after this migration (migration_tasks, see model/schema.c), at no cost on
-- a new database.
INSERT OR IGNORE INTO migration_tasks (task) VALUES ('reindex');
