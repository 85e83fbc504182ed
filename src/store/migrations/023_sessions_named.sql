-- when: SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gb_sessions'
-- The governing bodies' sessions take the table their kind is named after,
-- now that sign-ins have their own name (022).  Only a database that held
-- sessions under the old name has anything to move.
ALTER TABLE gb_sessions RENAME TO sessions;
-- The registry names its indexes after the table and makes them again
-- under the new name on start; the old names would be the same index twice.
DROP INDEX IF EXISTS gb_sessions_body_starts_on;
DROP INDEX IF EXISTS gb_sessions_starts_on;
DROP INDEX IF EXISTS gb_sessions_status_starts_on;
