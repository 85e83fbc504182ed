-- Titles alone, with prefix indexes for two and three letters: the
-- type-ahead asks for "titles starting so" as you type, and a prefix query
-- on the whole search index has to walk every word of every body with
-- that prefix.  The rowids are those of search_index (see search.c).
CREATE VIRTUAL TABLE search_titles USING fts5(title, tokenize = 'liaison all', prefix = '2 3');
INSERT INTO search_titles (rowid, title) SELECT rowid, title FROM search_index WHERE title <> '';
