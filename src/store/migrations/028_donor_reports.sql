-- The reports a donor's staff (or the department for them) upload for a
-- reporting deadline: PDF, DOCX, ODT or XLSX, kept as they came, every one
-- of them, so that a report returned for changes and sent again leaves the
-- first beside the second; the newest is the deadline's report. deadline is
-- a reporting_deadlines id (that table is the registry's, made after the
-- migrations); uploaded_by the account that sent it.
CREATE TABLE donor_reports (
    id INTEGER PRIMARY KEY,
    deadline INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by INTEGER
);
CREATE INDEX donor_reports_deadline ON donor_reports (deadline, id);
