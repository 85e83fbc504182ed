-- The translation memory (domains/translation/memory.c): segment pairs and
-- the index that finds them again.
--
-- A unit is one source segment and its translation, with where it came from
-- (a document symbol, a job, a translator, when) and its context: the hashes
-- of the source segments before and after it.  source_hash is the hash of the
-- language pair and the normalized source (search/tmscore.h), for exact
-- matches.
CREATE TABLE tm_units (
    id INTEGER PRIMARY KEY,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    job INTEGER,
    translator TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    source_hash INTEGER NOT NULL,
    prev_hash INTEGER NOT NULL DEFAULT 0,
    next_hash INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tm_units_exact ON tm_units (source_hash);

-- What a fuzzy match compares, apart from the unit's texts: the keys of its
-- ntok tokens, then the literals of its numbers and codes (8 bytes each,
-- little-endian), under the unit's id; pair is the language pair's code.  A
-- row of a few hundred bytes, so that the candidates a query scores are read
-- from few pages, and a scan of a pair reads this table alone.
CREATE TABLE tm_keys (
    id INTEGER PRIMARY KEY,
    pair INTEGER NOT NULL,
    ntok INTEGER NOT NULL,
    tokens BLOB NOT NULL
);

-- The inverted index: for a term (a token's key within a language pair) and
-- a bucket of unit lengths, the units that hold it, in parts of a few
-- hundred, each a run of (unit id delta, length, count) entries from
-- first_unit to last_unit.  Written in the unit's own transaction.
CREATE TABLE tm_postings (
    term INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    first_unit INTEGER NOT NULL,
    last_unit INTEGER NOT NULL,
    n INTEGER NOT NULL,
    units BLOB NOT NULL,
    PRIMARY KEY (term, bucket, first_unit)
);

-- How many units hold each term: a query reads its rarest terms first.
CREATE TABLE tm_terms (
    term INTEGER PRIMARY KEY,
    df INTEGER NOT NULL
);
