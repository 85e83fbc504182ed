-- Facets and weights are the registry's data (model/searchshape.c): a field
-- flagged FACET is a filter and a count, and the division of every record
-- is one.  search_docs keeps a record's facet values in one column, a line
-- "name<TAB>value" each, instead of a column per facet (country, tags);
-- the search index's facets column holds them as words (see sqlite.c).
-- search_shape keeps the fingerprint of the registry's facets and columns
-- of words the index was built for: on start, a registry that describes
-- another rebuilds the index (search_prepare), so adding a facet or a
-- weight needs no migration.  None is kept yet: the next start rebuilds
-- the index, and with it the facets of the records indexed before.
-- (IF NOT EXISTS: the index is emptied by running its migrations again.)
ALTER TABLE search_docs ADD COLUMN facets TEXT;
ALTER TABLE search_docs DROP COLUMN country;
ALTER TABLE search_docs DROP COLUMN tags;
CREATE TABLE IF NOT EXISTS search_shape (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL
);
