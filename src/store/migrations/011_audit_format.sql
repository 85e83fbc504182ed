-- Which rule an audit entry's hash follows (model/audit.c).  The entries
-- written before this migration keep format 1, whose hash leaves out
-- `redacted`, so that they verify as they always did; every entry written
-- from here on is format 2, whose hash covers every column, its format
-- included, and whose redaction must be named by a later entry.
ALTER TABLE audit ADD COLUMN hash_format INTEGER NOT NULL DEFAULT 1;
