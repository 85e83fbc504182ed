-- This installation's own facts, one row.  uuid_namespace is 16 random
-- bytes (hex) drawn once, when the database is created or first migrated:
-- every record's UUID is derived from it and the record's kind and id
-- (model/uuid.c), so a record keeps its UUID in every export while two
-- installations, even with the same ids, never share one.
CREATE TABLE installation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    uuid_namespace TEXT NOT NULL
);
INSERT INTO installation (id, uuid_namespace) VALUES (1, lower(hex(randomblob(16))));
