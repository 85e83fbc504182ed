-- Secret links to calendars people subscribe to: one per user and one per
-- division.  Only the SHA-256 of the secret is kept, as for API tokens, so
-- the link is shown once, when it is made; renewing it writes a new hash
-- over the old one, which ends the old link.
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    user_id INTEGER UNIQUE REFERENCES users(id),
    division TEXT UNIQUE CHECK (division IN ('FO','GBD','IPD','MCD','DRD','MPR','MPD','IML')),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    CHECK ((user_id IS NULL) <> (division IS NULL))
);
