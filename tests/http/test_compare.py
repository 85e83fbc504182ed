"""Comparing texts: a revision beside the text it supersedes, its changed words marked (deleted struck through,
inserted underlined, each named to screen readers in the reader's language) and its unchanged paragraphs
left unmarked; two language versions of one document side by side by position; only what the reader may
read of both documents and both versions (the public compares public, published texts, and nothing else
answers but a 404); bad requests refused with a clear 4xx, on the API and on the page; the page in French
and Spanish without an English word."""
import re
import unittest
from urllib.parse import urlencode

from harness import ServerTest
from test_desk_pages import TextParser
from test_pages import Client, catalog

ORIGINAL_EN = ("The Council adopted the programme and budget for 2027.\n"
               "Member States welcomed the report on migration data.\n"
               "The session closed on Friday.")
REVISED_EN = ("The Council approved the programme and budget for 2027.\n"
              "Member States welcomed the report on migration data.\n"
              "Observers asked for a briefing on the Zorvalian corridor.\n"
              "The session closed on Friday.")
ORIGINAL_FR = ("Le Conseil a adopté le programme et budget pour 2027.\n"
               "Les États Membres ont salué le rapport sur les données migratoires.\n"
               "La session s’est close le vendredi.\n"
               "Paragraphe de plus en français.")


class Compare(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        r = s.post("/api/v1/bodies", {"series": "C", "type": "council", "name": {"en": "Council", "fr": "Conseil",
                                                                                  "es": "Consejo"}}, user="root")
        assert r.status == 201, r
        cls.original = cls.document("C/120/1")
        cls.revision = cls.document("C/120/1/Rev.1")
        assert cls.revision["supersedes"] == cls.original["id"], cls.revision
        cls.version(cls.original, "en", ORIGINAL_EN)
        cls.version(cls.original, "fr", ORIGINAL_FR)
        cls.version(cls.revision, "en", REVISED_EN)
        # public, with its English versions published and its French one still a draft
        cls.public = cls.document("C/120/2", distribution="public")
        cls.public_rev = cls.document("C/120/2/Rev.1", distribution="public")
        for doc, text in ((cls.public, "Open text of the Zorvalian report."),
                          (cls.public_rev, "Open text of the revised Zorvalian report.")):
            v = cls.version(doc, "en", text)
            for to in ("submitted", "edited", "published"):
                r = s.post("/api/v1/document-versions/%d/transitions" % v["id"], {"to": to}, user="ana")
                assert r.status == 200, r
        cls.version(cls.public, "fr", "Texte ouvert du rapport zorvalien.")

    @classmethod
    def document(cls, symbol, **more):
        body = {"symbol": symbol, "title": {"en": "Document " + symbol, "fr": "Document " + symbol,
                                            "es": "Documento " + symbol}, "original_language": "en"}
        body.update(more)
        r = cls.s.post("/api/v1/documents", body, user="ana")
        assert r.status == 201, r
        return r.json()

    @classmethod
    def version(cls, doc, lang, text):
        r = cls.s.post("/api/v1/document-versions", {"document": doc["id"], "language": lang, "text": text}, user="ana")
        assert r.status == 201, r
        return r.json()

    def compare(self, doc, user="ana", headers=None, **query):
        return self.s.get("/api/v1/documents/%d/compare?%s" % (doc["id"], urlencode(query)), user=user, headers=headers)

    # ---- the API ----

    def test_a_revision_is_compared_with_its_original_word_by_word(self):
        r = self.compare(self.original, **{"with": self.revision["id"], "lang": "en"})
        self.assertStatus(r, 200)
        got = r.json()
        self.assertEqual(got["by"], "words")
        self.assertEqual((got["left"]["symbol"], got["left"]["language"]), ("C/120/1", "en"))
        self.assertEqual((got["right"]["symbol"], got["right"]["language"]), ("C/120/1/Rev.1", "en"))
        self.assertEqual([p["kind"] for p in got["paragraphs"]], ["changed", "kept", "inserted", "kept"])
        changed = got["paragraphs"][0]
        self.assertEqual([(part["op"], part["text"]) for part in changed["parts"]],
                         [("same", "The Council "), ("deleted", "adopted"), ("inserted", "approved"),
                          ("same", " the programme and budget for 2027.")])
        self.assertFalse(changed["wholesale"])
        kept = got["paragraphs"][1]
        self.assertNotIn("parts", kept)
        self.assertEqual(kept["left"], kept["right"])
        self.assertEqual((kept["left_number"], kept["right_number"]), (2, 2))
        inserted = got["paragraphs"][2]
        self.assertEqual((inserted["left"], inserted["left_number"], inserted["right_number"]), (None, None, 3))
        self.assertEqual((got["words_deleted"], got["words_inserted"]), (1, 1 + 9))
        self.assertFalse(got["bounded"])

    def test_the_readers_language_is_the_default(self):
        r = self.compare(self.original, headers={"Accept-Language": "fr"}, with_lang="en")
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["left"]["language"], r.json()["right"]["language"]), ("fr", "en"))
        # the revision has no French version yet
        p = self.assertProblem(self.compare(self.original, headers={"Accept-Language": "fr"},
                                            **{"with": self.revision["id"]}), 404)
        self.assertIn("version", p["detail"])

    def test_two_languages_side_by_side_by_position(self):
        r = self.compare(self.original, lang="en", with_lang="fr")
        self.assertStatus(r, 200)
        got = r.json()
        self.assertEqual(got["by"], "position")
        self.assertEqual([p["kind"] for p in got["paragraphs"]], ["aligned"] * 4)
        first = got["paragraphs"][0]
        self.assertEqual((first["left"], first["right"]), (ORIGINAL_EN.split("\n")[0], ORIGINAL_FR.split("\n")[0]))
        self.assertTrue(all("parts" not in p for p in got["paragraphs"]))
        last = got["paragraphs"][3]  # French has one paragraph more
        self.assertEqual((last["left"], last["left_number"], last["right"], last["right_number"]),
                         (None, None, "Paragraphe de plus en français.", 4))
        self.assertEqual((got["words_deleted"], got["words_inserted"]), (0, 0))

    def test_the_public_compares_public_published_texts_only(self):
        r = self.compare(self.public, user=None, **{"with": self.public_rev["id"], "lang": "en"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["words_inserted"], 1)  # "revised"
        for doc, query in ((self.original, {"with": self.revision["id"], "lang": "en"}),  # internal documents
                           (self.public, {"with": self.original["id"], "lang": "en"}),   # one of the two internal
                           (self.public, {"lang": "en", "with_lang": "fr"})):           # a draft version
            with self.subTest(doc=doc["symbol"], query=query):
                p = self.assertProblem(self.compare(doc, user=None, **query), 404)
                self.assertNotIn("Zorvalian corridor", p.get("detail", ""))
        # staff read the draft
        self.assertStatus(self.compare(self.public, lang="en", with_lang="fr"), 200)
        # and the page says the same to the public
        page = Client(self.s).get("/documents/%d/compare?with=%d&lang=en" % (self.original["id"], self.revision["id"]))
        self.assertEqual(page.status, 404)
        self.assertNotIn("approved", page.body)

    def test_bad_requests_are_refused_clearly(self):
        cases = [({}, 400), ({"with": "abc"}, 400), ({"with": "0"}, 400), ({"with": "-3"}, 400),
                 ({"with": self.revision["id"], "lang": "de"}, 400), ({"with_lang": "xx"}, 400),
                 ({"with": self.original["id"], "lang": "en"}, 400),  # itself, in the same language
                 ({"with": 987654, "lang": "en"}, 404), ({"with": self.revision["id"], "lang": "es"}, 404)]
        for query, status in cases:
            with self.subTest(query=query):
                p = self.assertProblem(self.compare(self.original, **query), status)
                self.assertTrue(p["detail"])
        self.assertProblem(self.s.get("/api/v1/documents/987654/compare?with_lang=fr", user="ana"), 404)
        c = Client(self.s, "en")
        self.assertEqual(c.sign_in("ana").status, 303)
        page = c.get("/documents/%d/compare" % self.original["id"])
        self.assertEqual(page.status, 400)
        self.assertIn("another document (with) or another language (with_lang)", page.body)

    # ---- the page ----

    def page(self, lang, path, user="root"):
        c = Client(self.s, lang)
        self.assertEqual(c.sign_in(user).status, 303)
        r = c.get(path)
        self.assertEqual(r.status, 200, r)
        return r.body

    def revisions_path(self):
        return "/documents/%d/compare?with=%d&text_lang=en" % (self.original["id"], self.revision["id"])

    def test_the_page_marks_the_changed_words_and_only_them(self):
        body = self.page("en", self.revisions_path())
        self.assertIn('<del><span class="visually-hidden" lang="en">deleted: </span>adopted</del>', body)
        self.assertIn('<ins><span class="visually-hidden" lang="en">inserted: </span>approved</ins>', body)
        self.assertIn("<ins><span class=\"visually-hidden\" lang=\"en\">inserted: </span>Observers asked", body)
        unchanged = re.findall(r"<td[^>]*>([^<]*Member States welcomed[^<]*)</td>", body)
        self.assertEqual(len(unchanged), 2, "the kept paragraph, unmarked, on both sides")
        self.assertEqual(body.count("<del>"), 1)
        self.assertIn('<th scope="col">C/120/1 — English</th>', body)
        self.assertIn('<th scope="col">C/120/1/Rev.1 — English</th>', body)
        self.assertIn('<td lang="en">', body)

    def test_the_page_sets_two_languages_side_by_side(self):
        body = self.page("en", "/documents/%d/compare?lang=en&with_lang=fr" % self.original["id"])
        self.assertIn('<html lang="en">', body)
        self.assertNotIn("<del>", body)
        self.assertNotIn("<ins>", body)
        self.assertIn('<td lang="fr">Le Conseil a adopté le programme et budget pour 2027.</td>', body)
        self.assertIn('<th scope="col">C/120/1 — French</th>', body)

    def test_a_revisions_page_links_to_the_comparison_with_the_earlier_text(self):
        body = self.page("en", "/documents/%d" % self.revision["id"], user="ana")
        self.assertIn('href="/documents/%d/compare?with=%d"' % (self.original["id"], self.revision["id"]), body)
        self.assertIn("Compare with the earlier text", body)
        self.assertNotIn("Compare with the earlier text", self.page("en", "/documents/%d" % self.original["id"]))

    def test_french_and_spanish_pages_have_no_english_words(self):
        hidden = {"fr": ("supprimé", "inséré"), "es": ("eliminado", "insertado")}
        for lang in ("fr", "es"):
            theirs = catalog(lang)
            english = {msgid for msgid, msgstr in catalog("en").items() if theirs.get(msgid) not in (None, "", msgid)}
            for path in (self.revisions_path(), "/documents/%d/compare?text_lang=en&with_lang=fr" % self.original["id"],
                         "/documents/%d" % self.revision["id"]):
                with self.subTest(lang=lang, path=path):
                    body = self.page(lang, path)
                    self.assertIn('<html lang="%s">' % lang, body)
                    p = TextParser(lang)
                    p.feed(body)
                    found = sorted({t for t in p.texts if t in english or t.rstrip(".:") in english or
                                    any(t.startswith(e + " ") for e in english if len(e) > 12)})
                    self.assertEqual(found, [])
                    self.assertNotIn("— English", body)
                    if "with=" in path:
                        for word in hidden[lang]:
                            self.assertIn('lang="%s">%s' % (lang, word), body)


if __name__ == "__main__":
    unittest.main()
