-- The search index: one row per searchable record (search_docs: what a hit
-- needs, what access and filters look at), its words in search_index (FTS5,
-- tokenizer 'liaison': each language version after its marker) and its
-- folded titles' trigrams in search_trigrams, for typo-tolerant look-ups.
-- The three share their row ids.  Written in the same transaction as the
-- record.  langs is a JSON array ("en", "fr", "es" present), titles a JSON
-- object by language ("" for a title of no one language).
CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    langs TEXT NOT NULL,
    titles TEXT NOT NULL,
    classification TEXT NOT NULL,
    division TEXT,
    created_by INTEGER,
    org INTEGER,
    country TEXT,
    tags TEXT,
    date TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX search_docs_record ON search_docs (kind, record_id);
CREATE VIRTUAL TABLE search_index USING fts5(title, body, tokenize = 'liaison all');
CREATE VIRTUAL TABLE search_trigrams USING fts5(title, tokenize = 'trigram');  -- holds the folded title
