-- The type-ahead reads each title from the search index's own copy of it
-- (external content) and keeps no word counts (suggestions are ordered by
-- date, never by length): writing a record stores its title once, not
-- twice, which made search_titles cost a fifth of a record's whole write.
-- Every row of search_index has its row here, titled or not, and leaves
-- search_titles before search_index: removing a row reads its old title
-- in search_index, and removing one never added would corrupt the count.
-- (SQLite 3.40's 'rebuild' fails on an FTS5 content table, hence the INSERT.)
DROP TABLE search_titles;
CREATE VIRTUAL TABLE search_titles USING fts5(title, content = 'search_index', columnsize = 0,
                                              tokenize = 'liaison exact', prefix = '2 3');
INSERT INTO search_titles (rowid, title) SELECT rowid, title FROM search_index;
