"""The translation memory through the API and the pages: a confirmed
sentence found at once by the next query (scored as OmegaT scores it, the
words that differ marked), a text's leverage in the industry's bands with
repetitions counted once and the estimate in one currency, a TMX file taken
whole or not at all, and the translator's editor in three languages."""
import os
import re
import subprocess
import tempfile

from harness import ServerTest, cli
from test_pages import Client
from test_translation import USERS

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures")


class Memory(ServerTest):
    users = USERS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emil = cls.s.get("/api/v1/users/emil", user="root").json()["id"]

    def job(self, text, target="fr"):
        r = self.s.post("/api/v1/translation-jobs", {"title": "Note", "source_language": "en", "target_language": target,
                                                    "source_text": text, "translator": self.emil}, user="ana")
        self.assertStatus(r, 201)
        return r.json()

    def segments(self, job):
        return self.s.get("/api/v1/translation-segments?job=%d&sort=position" % job["id"], user="ana").json()["items"]

    def confirm(self, seg, target):
        r = self.s.patch("/api/v1/translation-segments/%d" % seg["id"], {"target": target, "state": "translated"},
                         seg["version"], user="emil")
        self.assertStatus(r, 200)

    def matches(self, text, **q):
        q = dict({"from": "en", "to": "fr", "text": text}, **q)
        r = self.s.get("/api/v1/translation-memory/matches?" + "&".join(
            "%s=%s" % (k, __import__("urllib.parse").parse.quote(str(v))) for k, v in q.items()), user="emil")
        self.assertStatus(r, 200)
        return r.json()["items"]

    def test_a_confirmed_sentence_is_found_at_once(self):
        job = self.job("The Executive Board decides on the budget. It meets in May.")
        segs = self.segments(job)
        self.assertEqual(self.matches("The Executive Board decided on the budget."), [])
        self.confirm(segs[0], "Le Conseil exécutif décide du budget.")
        got = self.matches("The Executive Board decided on the budget.")
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["score"], 86)   # 7 words, one differs: 100 * 6 / 7 rounded
        self.assertEqual(got[0]["target"], "Le Conseil exécutif décide du budget.")
        self.assertEqual([(d["op"], d["source"]) for d in got[0]["differences"]],
                         [("replace", {"offset": 20, "length": 7})])
        # The same sentence is 100; with its neighbour in the text, 101.
        self.assertEqual(self.matches("The Executive Board decides on the budget.")[0]["score"], 100)
        self.assertEqual(self.matches("The Executive Board decides on the budget.", after="It meets in May.")[0]["score"], 101)
        # Only the language pair asked.
        self.assertEqual(self.matches("The Executive Board decides on the budget.", to="es"), [])

    def test_numbers_are_adapted_in_a_match_that_differs_only_by_them(self):
        job = self.job("Paragraph 12 of document C/115/1 applies.")
        self.confirm(self.segments(job)[0], "Le paragraphe 12 du document C/115/1 s'applique.")
        got = self.matches("Paragraph 14 of document C/115/1 applies.")[0]
        self.assertEqual((got["score"], got["adapted"]), (100, True))
        self.assertEqual(got["target"], "Le paragraphe 14 du document C/115/1 s'applique.")

    def test_a_match_is_below_the_threshold_or_not_at_all(self):
        job = self.job("The Council decides.")
        self.confirm(self.segments(job)[0], "Le Conseil décide.")
        self.assertEqual(self.matches("the Council decided", threshold=60)[0]["score"], 67)
        self.assertEqual(self.matches("the Council decided", threshold=70), [])

    def test_bad_questions_are_refused(self):
        for q, status in (("from=de&to=fr&text=x", 400), ("from=en&to=en&text=x", 400), ("from=en&to=fr", 400),
                          ("from=en&to=fr&text=x&threshold=0", 400), ("from=en&to=fr&text=x&limit=99", 400)):
            with self.subTest(q=q):
                self.assertProblem(self.s.get("/api/v1/translation-memory/matches?" + q, user="emil"), status)
        self.assertProblem(self.s.get("/api/v1/translation-memory/matches?from=en&to=fr&text=x", token="nonsense"), 401)

    def test_leverage_counts_repetitions_once_and_costs_in_one_currency(self):
        seen = self.job("The Assembly opened its session.")
        self.confirm(self.segments(seen)[0], "L'Assemblée a ouvert sa session.")
        text = ("The Assembly opened its session. A new sentence with nothing like it anywhere. "
                "A new sentence with nothing like it anywhere.")
        r = self.s.post("/api/v1/translation-memory/leverage", {"text": text, "from": "en", "to": "fr"}, user="ana")
        self.assertStatus(r, 200)
        got = r.json()
        bands = {b["band"]: (b["segments"], b["words"]) for b in got["bands"]}
        self.assertEqual(bands["exact"], (1, 5))
        self.assertEqual(bands["none"], (1, 8))
        self.assertEqual(bands["repetition"], (1, 8))
        self.assertEqual((got["segments"], got["words"]), (3, 21))
        weights = {b["band"]: b["weight"] for b in got["bands"]}
        paid = round(5 * weights["exact"] / 100 + 8 * weights["none"] / 100 + 8 * weights["repetition"] / 100)
        self.assertEqual(got["weighted_words"], paid)
        self.assertEqual(got["estimate"]["currency"], "CHF")
        self.assertEqual(got["estimate"]["amount"], round((5 * weights["exact"] + 8 * weights["none"] +
                                                            8 * weights["repetition"]) / 100 * got["estimate"]["rate_per_word"]))
        job = self.job(text)
        self.assertEqual(self.s.get("/api/v1/translation-jobs/%d/leverage" % job["id"], user="ana").json()["bands"],
                         got["bands"])
        self.assertProblem(self.s.post("/api/v1/translation-memory/leverage", {"text": "", "from": "en", "to": "fr"},
                                       user="ana"), 422)

    def test_the_concordance_finds_a_phrase_in_either_language_whatever_its_inflection(self):
        job = self.job("The rights of a migrant worker are protected by the Convention.")
        self.confirm(self.segments(job)[0], "Les droits d'un travailleur migrant sont protégés par la Convention.")
        for lang, text, side, words in (("en", "migrant workers", "source", "migrant worker"),
                                        ("fr", "travailleurs migrants", "target", "travailleur migrant")):
            with self.subTest(lang=lang):
                r = self.s.get("/api/v1/translation-memory/concordance?lang=%s&text=%s" % (
                    lang, __import__("urllib.parse").parse.quote(text)), user="emil")
                self.assertStatus(r, 200)
                items = [i for i in r.json()["items"] if i["found_in"] == side]
                self.assertTrue(items, r.json())
                at = items[0]["found_at"]
                self.assertEqual(items[0][side][at["offset"]:at["offset"] + at["length"]], words)
        # The words must follow each other; a text of no word, or another language, is refused.
        r = self.s.get("/api/v1/translation-memory/concordance?lang=en&text=worker%20migrant", user="emil")
        self.assertFalse([i for i in r.json()["items"] if "migrant worker" in i["source"]])
        self.assertProblem(self.s.get("/api/v1/translation-memory/concordance?lang=en&text=%3F%21", user="emil"), 400)
        self.assertProblem(self.s.get("/api/v1/translation-memory/concordance?lang=de&text=x", user="emil"), 400)

    def test_a_translation_is_checked_and_a_machine_suggests_one(self):
        concept = self.s.post("/api/v1/concepts", {"subject": "finance"}, user="ana").json()
        for lang, text, status in (("en", "pledge", "preferred"), ("es", "promesa de contribución", "preferred"),
                                   ("es", "compromiso", "deprecated")):
            self.assertStatus(self.s.post("/api/v1/terms", {"concept": concept["id"], "language": lang, "text": text,
                                                           "status": status}, user="ana"), 201)
        job = self.job("The pledge of 1,250.50 francs was received.", target="es")
        seg = self.segments(job)[0]
        r = self.s.post("/api/v1/translation-segments/%d/checks" % seg["id"],
                        {"target": "El compromiso de 1.250,75 francos se recibió  ayer"}, user="emil")
        self.assertStatus(r, 200)
        codes = {i["code"] for i in r.json()["items"]}
        self.assertTrue({"term-missing", "term-deprecated", "number-missing", "number-added", "double-space",
                         "end-punctuation"} <= codes, codes)
        r = self.s.post("/api/v1/translation-segments/%d/checks" % seg["id"],
                        {"target": "La promesa de contribución de 1.250,50 francos se recibió."}, user="emil")
        self.assertEqual([i["code"] for i in r.json()["items"] if i["code"] != "spelling"], [])
        r = self.s.get("/api/v1/translation-segments/%d/machine" % seg["id"], user="emil")
        if r.status == 503:
            self.skipTest("Apertium is not installed here: " + r.body)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["by"], "machine")
        self.assertTrue(r.json()["text"])
        self.assertEqual(self.segments(job)[0]["target"], None)   # a suggestion is never saved

    # ---- TMX ----

    def units(self):
        out = subprocess.run(["sqlite3", self.s.db, "SELECT count(*) FROM tm_units"], capture_output=True, text=True)
        return int(out.stdout.strip())

    def post_tmx(self, body, user="emil"):
        return self.s.request("POST", "/api/v1/translation-memory/tmx", raw=body, user=user,
                              headers={"Content-Type": "application/x-tmx+xml"})

    def test_a_tmx_file_is_taken_whole(self):
        before = self.units()
        with open(os.path.join(FIXTURES, "tmx", "desktop.tmx"), "rb") as f:
            r = self.post_tmx(f.read())
        self.assertStatus(r, 200)
        added = r.json()["units"]
        self.assertGreater(added, 1)
        self.assertEqual(self.units(), before + added)
        got = self.matches("The <g1>Council</g1> adopted the report<x2/>.")
        self.assertEqual(got[0]["score"], 100)

    def test_a_broken_tmx_file_adds_nothing_and_says_where(self):
        good = open(os.path.join(FIXTURES, "tmx", "desktop.tmx"), encoding="utf-8").read()
        broken = good.replace("</tu>", "</tuu>", 2)   # the second unit's end tag is broken
        before = self.units()
        r = self.post_tmx(broken.encode())
        self.assertProblem(r, 422)
        self.assertRegex(r.json()["detail"], r"line \d+")
        self.assertEqual(self.units(), before)
        self.assertProblem(self.post_tmx(b""), 400)
        r = self.s.request("POST", "/api/v1/translation-memory/tmx", raw=good.encode(), user="emil",
                           headers={"Content-Type": "text/plain"})
        self.assertProblem(r, 415)
        self.assertEqual(self.units(), before)
        self.assertProblem(self.post_tmx(good.encode(), user="dora"), 403)

    def test_the_memory_exports_as_valid_tmx(self):
        job = self.job("The <g1>Council</g1> met {0} times & more.")
        self.confirm(self.segments(job)[0], "Le <g1>Conseil</g1> s'est réuni {0} fois & plus.")
        r = self.s.get("/api/v1/translation-memory/tmx?from=en&to=fr", user="emil")
        self.assertStatus(r, 200)
        dtd = os.path.join(FIXTURES, "schemas", "tmx", "tmx14.dtd")
        with tempfile.NamedTemporaryFile("w", suffix=".tmx", encoding="utf-8") as f:
            f.write(r.body)
            f.flush()
            check = subprocess.run(["xmllint", "--noout", "--nonet", "--dtdvalid", dtd, f.name], capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn("Le <bpt", r.body)
        self.assertProblem(self.s.get("/api/v1/translation-memory/tmx?from=en&to=de", user="emil"), 400)


def big_tmx(units):
    """A TMX file of units, three lines each after a header of five lines."""
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            '<header creationtool="T" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" '
            'datatype="plaintext"/>\n<body>\n<!-- units -->\n')
    body = "".join('<tu><tuv xml:lang="en"><seg>Item %d of the agenda was discussed.</seg></tuv>\n'
                   '<tuv xml:lang="fr"><seg>Le point %d de l\'ordre du jour a été examiné.</seg></tuv>\n'
                   '</tu>\n' % (i, i) for i in range(units))
    return head + body + "</body>\n</tmx>\n"


class CommandLine(ServerTest):
    users = USERS

    def units(self):
        out = subprocess.run(["sqlite3", self.s.db, "SELECT count(*) FROM tm_units"], capture_output=True, text=True)
        return int(out.stdout.strip())

    def test_a_broken_tag_on_line_90000_refuses_the_whole_file(self):
        text = big_tmx(30000)
        lines = text.split("\n")
        self.assertIn("</seg>", lines[89999])
        lines[89999] = lines[89999].replace("</seg>", "</sge>")   # line 90,000
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "memory.tmx")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            before = self.units()
            p = cli(self.s.db, "tm", "import", path, check=False)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertEqual(p.stderr.count("\n"), 1, p.stderr)
            self.assertIn("line 90000", p.stderr)
            self.assertEqual(self.units(), before)

    def test_a_memory_goes_out_and_in_again(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "memory.tmx")
            with open(path, "w", encoding="utf-8") as f:
                f.write(big_tmx(2000))
            p = cli(self.s.db, "tm", "import", path, "--origin", "C/115/4")
            self.assertIn("Imported 2000 units", p.stdout)
            out = cli(self.s.db, "tm", "export", "--from", "en", "--to", "fr").stdout
            self.assertEqual(out.count("<tu>") + out.count("<tu "), self.units())
            self.assertIn("C/115/4", out)
            again = os.path.join(d, "again.tmx")
            with open(again, "w", encoding="utf-8") as f:
                f.write(out)
            before = self.units()
            cli(self.s.db, "tm", "import", again)
            self.assertEqual(self.units(), 2 * before)
        p = cli(self.s.db, "tm", "export", "--from", "en", "--to", "en", check=False)
        self.assertEqual(p.returncode, 2)


class Editor(ServerTest):
    users = USERS

    def client(self, name, lang=None):
        c = Client(self.s, lang)
        self.assertEqual(c.sign_in(name).status, 303)
        return c

    def test_a_translator_translates_sentence_after_sentence(self):
        emil = self.s.get("/api/v1/users/emil", user="root").json()["id"]
        job = self.s.post("/api/v1/translation-jobs", {"title": "Short note", "source_language": "en",
                                                      "target_language": "es", "source_text": "The Council met. It decided.",
                                                      "translator": emil}, user="ana").json()
        c = self.client("emil", "es")
        page = c.get("/translation-jobs/%d/translate" % job["id"])
        self.assertEqual(page.status, 200, page)
        self.assertIn("The Council met.", page.body)
        self.assertIn("Oración 1 de 2", page.body)
        seg = re.search(r'name="segment" value="(\d+)"', page.body).group(1)
        version = re.search(r'name="version" value="(\d+)"', page.body).group(1)
        r = c.post("/translation-jobs/%d/translate" % job["id"], {"_csrf": c.csrf("/translation-jobs/%d/translate" % job["id"]),
                   "segment": seg, "version": version, "at": "1", "target": "El Consejo se reunió.", "do": "confirm"})
        self.assertEqual(r.status, 303, r)
        page = c.get(r.header("Location"))
        self.assertIn("Oración 2 de 2", page.body)
        # A tag out of place is refused on the page, in the page's language, with what was typed kept.
        seg = re.search(r'name="segment" value="(\d+)"', page.body).group(1)
        version = re.search(r'name="version" value="(\d+)"', page.body).group(1)
        r = c.post("/translation-jobs/%d/translate" % job["id"], {"_csrf": c.csrf("/translation-jobs/%d/translate" % job["id"]),
                   "segment": seg, "version": version, "at": "2", "target": "Decidió.</g1>", "do": "confirm"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("Decidió.&lt;/g1&gt;", r.body)
        self.assertIn("etiqueta", r.body)

    def test_the_concordance_page_in_spanish(self):
        emil = self.s.get("/api/v1/users/emil", user="root").json()["id"]
        job = self.s.post("/api/v1/translation-jobs", {"title": "Remesas", "source_language": "en", "target_language": "es",
                                                      "source_text": "Remittances rose last year.", "translator": emil},
                          user="ana").json()
        seg = self.s.get("/api/v1/translation-segments?job=%d" % job["id"], user="ana").json()["items"][0]
        self.assertStatus(self.s.patch("/api/v1/translation-segments/%d" % seg["id"],
                                       {"target": "Las remesas aumentaron el año pasado.", "state": "translated"},
                                       seg["version"], user="emil"), 200)
        page = self.client("emil", "es").get("/translation-memory?lang=es&text=remesa")
        self.assertEqual(page.status, 200, page)
        self.assertIn("<mark>remesas</mark>", page.body)
        self.assertIn("Remittances rose last year.", page.body)
        self.assertIn("Concordancia", page.body)

    def test_the_editor_shows_the_memory_and_the_terms(self):
        emil = self.s.get("/api/v1/users/emil", user="root").json()["id"]
        concept = self.s.post("/api/v1/concepts", {"subject": "migration"}, user="ana").json()
        for lang, text, status in (("en", "migrant worker", "preferred"), ("fr", "travailleur migrant", "preferred"),
                                   ("fr", "travailleur immigré", "deprecated")):
            self.assertStatus(self.s.post("/api/v1/terms", {"concept": concept["id"], "language": lang, "text": text,
                                                           "status": status}, user="ana"), 201)
        first = self.s.post("/api/v1/translation-jobs", {"title": "First", "source_language": "en", "target_language": "fr",
                                                        "source_text": "The rights of migrant workers matter.",
                                                        "translator": emil}, user="ana").json()
        seg = self.s.get("/api/v1/translation-segments?job=%d" % first["id"], user="ana").json()["items"][0]
        self.assertStatus(self.s.patch("/api/v1/translation-segments/%d" % seg["id"],
                                       {"target": "Les droits des travailleurs migrants comptent.", "state": "translated"},
                                       seg["version"], user="emil"), 200)
        job = self.s.post("/api/v1/translation-jobs", {"title": "Second", "source_language": "en", "target_language": "fr",
                                                      "source_text": "The rights of migrant workers matter a lot.",
                                                      "translator": emil}, user="ana").json()
        page = self.client("emil", "fr").get("/translation-jobs/%d/translate" % job["id"])
        self.assertEqual(page.status, 200, page)
        self.assertIn("Les droits des travailleurs migrants comptent.", page.body)
        self.assertRegex(page.body, r"\d+ %")
        self.assertIn("<ins>a</ins>", page.body)
        self.assertIn("<ins>lot</ins>", page.body)
        self.assertIn("travailleur migrant", page.body)
        self.assertIn('<s lang="fr">travailleur immigré</s>', page.body)
        # Taking a match puts its translation in the box.
        page = self.client("emil", "fr").get("/translation-jobs/%d/translate?at=1&use=1" % job["id"])
        self.assertRegex(page.body, r'<textarea[^>]*>Les droits des travailleurs migrants comptent.</textarea>')
