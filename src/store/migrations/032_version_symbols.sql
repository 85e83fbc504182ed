-- when: SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'document_versions'
-- A language version carries its document's symbol, a search filter and
-- count (symbol:C/115/1) as the document's symbol now is. The column is the
-- registry's; a database whose versions were made before it gets it here,
-- filled from their documents, and its search index is made again so that
-- documents and versions have the facet.
ALTER TABLE document_versions ADD COLUMN symbol TEXT;
UPDATE document_versions SET symbol = (SELECT symbol FROM documents WHERE documents.id = document_versions.document);
INSERT OR IGNORE INTO migration_tasks (task) VALUES ('reindex');
