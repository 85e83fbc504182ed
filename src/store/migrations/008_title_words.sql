-- Typo tolerance looks for words, not records: the distinct folded words
-- of the titles of names (title_words), each word's trigrams in
-- title_word_trigrams.  "Counsil" finds the words that look like it
-- ("council", "counsel") among the vocabulary's thousands instead of
-- among the trigrams of a million titles; those words are then searched
-- in the titles like any other.  A word is added the first time a title
-- has it and never removed: a word no title has any more finds nothing.
-- This replaces search_trigrams, which held the trigrams of every title.
CREATE TABLE title_words (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE title_word_trigrams USING fts5(word, content = 'title_words', content_rowid = 'id',
                                                    tokenize = 'trigram');
INSERT OR IGNORE INTO title_words (word)
SELECT w.value FROM search_trigrams AS t, json_each('["' || replace(trim(t.title), ' ', '","') || '"]') AS w
WHERE t.title <> '' AND instr(t.title, '"') = 0 AND instr(t.title, '\') = 0 AND w.value <> '';
INSERT INTO title_word_trigrams (title_word_trigrams) VALUES ('rebuild');
DROP TABLE search_trigrams;
