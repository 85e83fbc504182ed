-- The concordance's words (migration 025) indexed as their stems alone: a
-- look-up is a phrase of whole words, which reads stems only, so the folded
-- word beside each stem was never read, and it was half of what a unit's
-- import wrote to the index.  Positions and the stems are as before: the
-- same units are found, in the same order.
DROP TABLE tm_words;
CREATE VIRTUAL TABLE tm_words USING fts5(en, fr, es, content = '', tokenize = 'liaison all stems');
INSERT INTO tm_words (rowid, en, fr, es)
SELECT id,
       CASE WHEN source_lang = 'en' THEN char(1) || 'en' || char(1) || source
            WHEN target_lang = 'en' THEN char(1) || 'en' || char(1) || target END,
       CASE WHEN source_lang = 'fr' THEN char(1) || 'fr' || char(1) || source
            WHEN target_lang = 'fr' THEN char(1) || 'fr' || char(1) || target END,
       CASE WHEN source_lang = 'es' THEN char(1) || 'es' || char(1) || source
            WHEN target_lang = 'es' THEN char(1) || 'es' || char(1) || target END
FROM tm_units;
