-- when: SELECT 1 FROM pragma_table_info('users') WHERE name = 'organization_id' AND NOT EXISTS (SELECT 1 FROM pragma_table_info('users') WHERE name = 'organization')
-- Users as migration 001 made them before users were records of the
-- registry: no version, classification or updated_at, and a partner's
-- organization in organization_id.  Rebuilt in the shape 001 has given them
-- since, each user at version 1, changed when created.  (A database that a
-- build of that time has opened since has both columns: see 018.)
CREATE TABLE users_017 (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 1,
    archived INTEGER NOT NULL DEFAULT 0,
    classification TEXT NOT NULL DEFAULT 'internal',
    division TEXT CHECK (division IN ('FO','GBD','IPD','MCD','DRD','MPR','MPD','IML')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by INTEGER,
    updated_by INTEGER,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin','director','staff','translator','viewer','partner')),
    organization INTEGER REFERENCES organizations(id),
    language TEXT,
    password_hash TEXT
);
INSERT INTO users_017 (id, version, archived, classification, division, created_at, updated_at, name, role,
                       organization, language, password_hash)
SELECT id, 1, archived, 'internal', division, created_at, created_at, name, role,
       organization_id, language, password_hash
FROM users;
DROP TABLE users;
ALTER TABLE users_017 RENAME TO users;
