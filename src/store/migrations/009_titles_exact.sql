-- The type-ahead's titles lose their stems: suggestions look up the words
-- typed so far as they are and the last one as a prefix, and prefix
-- indexes over stems ("en:organ", with "en" and "en:" as prefixes of every
-- one) made this table cost more to write than the search index itself.
DROP TABLE search_titles;
CREATE VIRTUAL TABLE search_titles USING fts5(title, tokenize = 'liaison exact', prefix = '2 3');
INSERT INTO search_titles (rowid, title) SELECT rowid, title FROM search_index WHERE title <> '';
