-- The credentials a delegation sends: the letter of its head of State,
-- head of government or foreign minister naming its delegates, as a PDF,
-- DOCX or ODT, kept as it came, every one sent, the newest the
-- delegation's. delegation is a delegations id (that table is the
-- registry's, made after the migrations); uploaded_by the account that
-- sent it, a delegate's or a staff member's.
CREATE TABLE delegation_credentials (
    id INTEGER PRIMARY KEY,
    delegation INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by INTEGER
);
CREATE INDEX delegation_credentials_delegation ON delegation_credentials (delegation, id);
