-- An API token says what it is for and until when it works: label, and
-- expires_at (the end of its last day, UTC). Tokens made before have
-- neither and keep working until revoked.
ALTER TABLE api_tokens ADD COLUMN label TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
