-- The search index gains a third column, facets: the values filters look
-- for, as words after the marker SEARCH_MARK_EXACT (char(1) '==' char(1)),
-- which the tokenizer folds but never stems:
--     kindorganizations langen langfr countryPH divisionDRD
-- A filtered search ("migration country:PH") then lets FTS5 intersect the
-- word's rows with the country's instead of reading every row with the
-- word to keep the few in the Philippines.  search_docs keeps the exact
-- values and is still what a filter is checked against; the words only
-- narrow the rows read.  Each word is the filter's name and its value with
-- spaces and hyphens dropped, as store_search_put writes them.
CREATE VIRTUAL TABLE search_words USING fts5(title, body, facets, tokenize = 'liaison all');
INSERT INTO search_words (rowid, title, body, facets)
SELECT i.rowid, i.title, i.body,
       char(1) || '==' || char(1) || ' kind' || replace(replace(d.kind, ' ', ''), '-', '')
       || CASE WHEN d.langs = '[]' THEN ''
               ELSE ' lang' || replace(replace(replace(replace(d.langs, '[', ''), ']', ''), '"', ''), ',', ' lang') END
       || CASE WHEN d.country IS NULL THEN '' ELSE ' country' || replace(replace(d.country, ' ', ''), '-', '') END
       || CASE WHEN d.division IS NULL THEN '' ELSE ' division' || replace(replace(d.division, ' ', ''), '-', '') END
FROM search_index AS i JOIN search_docs AS d ON d.id = 4611686018427387904 - i.rowid;
DROP TABLE search_index;
ALTER TABLE search_words RENAME TO search_index;
-- One segment, as after a bulk load (store_bulk_end): fewer doclists to read per word.
INSERT INTO search_index (search_index) VALUES ('optimize');
