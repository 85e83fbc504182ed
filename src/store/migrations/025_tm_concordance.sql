-- The translation memory's words for the concordance: a word or a phrase
-- looked up in either language of the units, stemmed in its language.  One
-- row per unit, its row id the unit's id, each side in the column of its
-- language after the tokenizer's marker of that language (store/tokenizer.h),
-- so that its words are stemmed as that language stems them.  Contentless:
-- the texts are the units'; only the index is kept here.
CREATE VIRTUAL TABLE tm_words USING fts5(en, fr, es, content = '', tokenize = 'liaison all');
INSERT INTO tm_words (rowid, en, fr, es)
SELECT id,
       CASE WHEN source_lang = 'en' THEN char(1) || 'en' || char(1) || source
            WHEN target_lang = 'en' THEN char(1) || 'en' || char(1) || target END,
       CASE WHEN source_lang = 'fr' THEN char(1) || 'fr' || char(1) || source
            WHEN target_lang = 'fr' THEN char(1) || 'fr' || char(1) || target END,
       CASE WHEN source_lang = 'es' THEN char(1) || 'es' || char(1) || source
            WHEN target_lang = 'es' THEN char(1) || 'es' || char(1) || target END
FROM tm_units;
