"""Translation jobs: a text or a document's language version cut into
sentences when the job is made, translated segment by segment by the job's
translator (and no other translator), its tags kept as the source has them,
finished only when every sentence is translated, and then the document's
version in the target language; the termbase's terms found in a sentence
whatever their inflection."""
import datetime
import re

from harness import ServerTest

USERS = [
    ("ana", "staff", "GBD"),
    ("emil", "translator", "GBD"),
    ("fiona", "translator", "GBD"),
    ("dora", "viewer", "GBD"),
    ("root", "admin", None),
]

TEXT = ("The Council decided to convene its 115th session. Mr. Smith took the floor.\n\n"
        "The <g1>Standing Committee</g1> noted document C/115/1. It adopted {0} decisions.")


class JobsAPI:
    """What the tests of jobs share: the users' ids, a job of TEXT translated by emil, its sentences.
    A mixin before ServerTest, with USERS's users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = {}
        for name, *_ in USERS:
            r = cls.s.get("/api/v1/users/" + name, user="root")
            assert r.status == 200, r
            cls.ids[name] = r.json()["id"]

    def created(self, kind, body, user="ana"):
        r = self.s.post("/api/v1/" + kind, body, user=user)
        self.assertStatus(r, 201)
        return r.json()

    def job(self, **fields):
        body = {"title": "Council note", "source_language": "en", "target_language": "fr", "source_text": TEXT,
                "translator": self.ids["emil"]}
        body.update(fields)
        return self.created("translation-jobs", body)

    def segments(self, job, user="ana"):
        r = self.s.get("/api/v1/translation-segments?job=%d&sort=position&limit=500" % job["id"], user=user)
        self.assertStatus(r, 200)
        return r.json()["items"]


class Jobs(JobsAPI, ServerTest):
    users = USERS

    def move(self, job, to, user="ana"):
        return self.s.post("/api/v1/translation-jobs/%d/transitions" % job["id"], {"to": to}, user=user)

    def translate(self, seg, target, user="emil", state="translated"):
        return self.s.patch("/api/v1/translation-segments/%d" % seg["id"], {"target": target, "state": state},
                            seg["version"], user=user)

    # ---- a job and its sentences ----

    def test_a_text_is_cut_into_its_sentences(self):
        job = self.job()
        got = self.s.get("/api/v1/translation-jobs/%d" % job["id"], user="ana").json()
        self.assertEqual(got["status"], "queued")
        self.assertEqual(got["segment_count"], 4)
        self.assertEqual(got["word_count"], 22)
        segs = self.segments(job)
        self.assertEqual([s["source"] for s in segs], [
            "The Council decided to convene its 115th session.", "Mr. Smith took the floor.",
            "The <g1>Standing Committee</g1> noted document C/115/1.", "It adopted {0} decisions."])
        self.assertEqual([s["position"] for s in segs], [1, 2, 3, 4])
        self.assertEqual({s["state"] for s in segs}, {"new"})

    def test_a_job_needs_a_text_its_languages_and_a_title(self):
        for body, field in (({"source_text": ""}, "source_text"), ({"source_language": "de"}, "source_language"),
                            ({"target_language": "en"}, "target_language"), ({"title": None}, "title")):
            with self.subTest(field=field):
                full = {"title": "T", "source_language": "en", "target_language": "fr", "source_text": "One. Two."}
                full.update(body)
                full = {k: v for k, v in full.items() if v is not None}
                r = self.s.post("/api/v1/translation-jobs", full, user="ana")
                self.assertProblem(r, 422, field)
        before = self.s.get("/api/v1/translation-segments?limit=1", user="ana").json()
        self.assertIsNotNone(before)

    def test_the_source_is_fixed_once_cut(self):
        job = self.job()
        r = self.s.patch("/api/v1/translation-jobs/%d" % job["id"], {"source_text": "Another text."}, job["version"],
                         user="ana")
        self.assertProblem(r, 422, "source_text")
        r = self.s.patch("/api/v1/translation-jobs/%d" % job["id"], {"priority": "urgent"}, job["version"], user="ana")
        self.assertStatus(r, 200)

    def test_sentences_are_made_by_the_job_alone(self):
        job = self.job()
        r = self.s.post("/api/v1/translation-segments", {"job": job["id"]}, user="ana")
        self.assertIn(r.status, (403, 405))
        self.assertEqual(len(self.segments(job)), 4)

    # ---- who translates ----

    def test_the_translator_of_the_job_translates_it_and_no_other(self):
        job = self.job()
        seg = self.segments(job)[1]
        self.assertProblem(self.translate(seg, "M. Smith a pris la parole.", user="fiona"), 403)
        self.assertProblem(self.translate(seg, "M. Smith a pris la parole.", user="dora"), 403)
        r = self.translate(seg, "M. Smith a pris la parole.")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["target"], "M. Smith a pris la parole.")
        # The translator moves the job on; another translator cannot.
        self.assertProblem(self.move(job, "translating", user="fiona"), 403)
        self.assertStatus(self.move(job, "translating", user="emil"), 200)

    def test_a_reviser_is_an_assignee_too(self):
        job = self.job(reviser=self.ids["fiona"])
        seg = self.segments(job)[0]
        self.assertStatus(self.translate(seg, "Le Conseil a décidé.", user="fiona", state="reviewed"), 200)

    def test_tags_out_of_place_are_refused_with_their_place(self):
        job = self.job()
        seg = self.segments(job)[2]
        r = self.translate(seg, "Le <g1>Comité permanent a pris note du document C/115/1.")
        self.assertProblem(r, 422, "target")
        self.assertIn("character 4", r.body)
        r = self.translate(seg, "Le Comité permanent</g1> a pris note.")
        self.assertProblem(r, 422, "target")
        # Confirmed without the source's tags: refused; a draft may lack them for now.
        r = self.translate(seg, "Le Comité permanent a pris note du document C/115/1.")
        self.assertProblem(r, 422, "target")
        self.assertIn("g1>", r.body)
        self.assertStatus(self.translate(seg, "Le Comité permanent", state="new"), 200)
        seg = self.segments(job)[2]
        r = self.translate(seg, "Le <g1>Comité permanent</g1> a pris note du document C/115/1.")
        self.assertStatus(r, 200)

    # ---- finishing ----

    def finish(self, job, targets):
        for seg, target in zip(self.segments(job), targets):
            self.assertStatus(self.translate(seg, target), 200)

    FRENCH = ["Le Conseil a décidé de convoquer sa 115e session.", "M. Smith a pris la parole.",
              "Le <g1>Comité permanent</g1> a pris note du document C/115/1.", "Il a adopté {0} décisions."]

    def test_a_job_is_done_only_when_every_sentence_is_translated(self):
        job = self.job()
        self.assertStatus(self.move(job, "translating"), 200)
        r = self.move(job, "done")
        self.assertProblem(r, 409)
        self.assertIn("4 sentences", r.body)
        self.finish(job, self.FRENCH[:3])
        r = self.move(job, "done")
        self.assertProblem(r, 409)
        self.assertIn("1 sentences", r.body)
        self.finish(job, self.FRENCH)
        # The translator cannot skip revision; the manager may finish a job nobody revises.
        self.assertProblem(self.move(job, "done", user="emil"), 409)
        r = self.move(job, "done")
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.json()["done_at"])

    def document(self, symbol):
        doc = self.created("documents", {"symbol": symbol, "title": {"en": "Report"}, "original_language": "en"})
        en = self.created("document-versions", {"document": doc["id"], "language": "en", "text": TEXT})
        return doc, en

    def test_the_board_gives_each_translator_the_earliest_deadline_of_every_column(self):
        # The deadline is kept after each column's jobs are let go: the board reads it at the end.
        queued = self.job(translator=self.ids["fiona"], due_on="2031-05-20")
        started = self.job(translator=self.ids["fiona"], due_on="2031-04-02")
        self.assertStatus(self.move(started, "translating"), 200)
        page = self.s.get("/translation", user="ana")
        self.assertEqual(page.status, 200, page)
        row = re.search(r'<th scope="row">fiona</th>(.*?)</tr>', page.body, re.S)
        self.assertIsNotNone(row, page.body)
        self.assertIn('<td class="number">2</td>', row.group(1))
        self.assertIn("2 April 2031", row.group(1))
        self.assertIn("/translation-jobs/%d" % queued["id"], page.body)

    def test_a_finished_job_becomes_the_document_s_version(self):
        doc, en = self.document("C/115/7")
        job = self.created("translation-jobs", {"document_version": en["id"], "target_language": "fr",
                                                "translator": self.ids["emil"]})
        self.assertEqual((job["title"], job["source_language"]), ("C/115/7 (fr)", "en"))
        self.assertEqual(len(self.segments(job)), 4)
        self.finish(job, self.FRENCH)
        self.assertStatus(self.move(job, "translating"), 200)
        done = self.move(job, "done").json()
        fr = self.s.get("/api/v1/document-versions/%d" % done["target_version"], user="ana").json()
        self.assertEqual((fr["document"], fr["language"]), (doc["id"], "fr"))
        self.assertEqual(fr["text"], "Le Conseil a décidé de convoquer sa 115e session. M. Smith a pris la parole.\n\n"
                                     "Le <g1>Comité permanent</g1> a pris note du document C/115/1. "
                                     "Il a adopté {0} décisions.")

    def test_a_version_in_translation_is_rewritten_and_edited(self):
        doc, en = self.document("C/115/8")
        es = self.created("document-versions", {"document": doc["id"], "language": "es"})
        for to in ("submitted", "in_translation"):
            self.assertStatus(self.s.post("/api/v1/document-versions/%d/transitions" % es["id"], {"to": to},
                                          user="ana"), 200)
        job = self.created("translation-jobs", {"document_version": en["id"], "target_language": "es",
                                                "translator": self.ids["emil"]})
        self.finish(job, ["Uno.", "Dos.", "<g1>Tres</g1>.", "Cuatro {0}."])
        self.assertStatus(self.move(job, "translating"), 200)
        done = self.move(job, "done").json()
        self.assertEqual(done["target_version"], es["id"])
        got = self.s.get("/api/v1/document-versions/%d" % es["id"], user="ana").json()
        self.assertEqual((got["status"], got["text"]), ("edited", "Uno. Dos.\n\n<g1>Tres</g1>. Cuatro {0}."))

    def test_a_job_takes_the_document_s_deadline(self):
        due = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
        doc, en = self.document("C/115/9")
        r = self.s.get("/api/v1/documents/%d" % doc["id"], user="ana").json()
        job = self.created("translation-jobs", {"document_version": en["id"], "target_language": "es"})
        self.assertEqual(job.get("due_on"), r.get("due_on"))
        job = self.created("translation-jobs", {"document_version": en["id"], "target_language": "es", "due_on": due})
        self.assertEqual(job["due_on"], due)


class Termbase(ServerTest):
    users = USERS

    def created(self, kind, body, user="ana"):
        r = self.s.post("/api/v1/" + kind, body, user=user)
        self.assertStatus(r, 201)
        return r.json()

    def test_a_concept_is_named_by_its_terms(self):
        c = self.created("concepts", {"subject": "migration"})
        self.created("terms", {"concept": c["id"], "language": "en", "text": "migrant worker", "status": "preferred"})
        self.created("terms", {"concept": c["id"], "language": "fr", "text": "travailleur migrant",
                               "status": "preferred"}, user="emil")
        got = self.s.get("/api/v1/concepts/%d" % c["id"], user="ana").json()
        self.assertEqual(got["name"], "migrant worker · travailleur migrant")

    def test_a_term_needs_a_language_and_words(self):
        c = self.created("concepts", {"subject": "finance"})
        for body, field in (({"text": "pledge"}, "language"), ({"language": "en", "text": "  ...  "}, "text"),
                            ({"language": "en", "text": "one two three four five six seven"}, "text"),
                            ({"language": "xx", "text": "pledge"}, "language")):
            with self.subTest(body=body):
                body = dict(body, concept=c["id"])
                self.assertProblem(self.s.post("/api/v1/terms", body, user="ana"), 422, field)
        self.assertProblem(self.s.post("/api/v1/terms", {"concept": c["id"], "language": "en", "text": "pledge"},
                                       user="dora"), 403)
