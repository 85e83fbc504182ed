-- The platform's own tables: accounts, credentials, the audit chain and the
-- grants behind confidential records.  The tables of records (organizations,
-- persons, ...) are described by the entity registry and created from it.

-- users is also a kind of the registry (model/accounts.c): the system
-- columns every record has, plus the password hash, which is no field.
CREATE TABLE users (
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

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- One row per write.  hash = SHA-256 over the previous hash and this entry's
-- facts, where the changes enter through changes_hash: so erasing personal
-- data from `changes` later keeps every hash checkable.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    user_name TEXT,
    action TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    changes TEXT NOT NULL,
    changes_hash TEXT NOT NULL,
    redacted INTEGER NOT NULL DEFAULT 0,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_record ON audit (kind, record_id);

-- Named users who may read a confidential record.
CREATE TABLE record_grants (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    UNIQUE (kind, record_id, user_id)
);

-- Links from a record to other records (the F_LINKS fields of the registry:
-- an interaction's participants, ...), kept in one table so that "everything
-- that links to this organization" is one indexed look-up.
CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    position INTEGER NOT NULL,
    target_kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    role TEXT
);
CREATE INDEX links_from ON links (kind, record_id);
CREATE INDEX links_to ON links (target_kind, target_id);
