-- The file of an official document's language version (PDF, DOCX or ODT),
-- as it was given: one per version, replaced by a new one. Its text is the
-- version's own text field, extracted when the file came; the file is kept
-- to be downloaded as it was. version is a document_versions id (that table
-- is the registry's, made after the migrations).
CREATE TABLE document_files (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by INTEGER
);
