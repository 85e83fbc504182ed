"""Records that belong to a record take its access: an inquiry's messages are
read by who reads the inquiry, everywhere a record can surface (get, lists,
the thread, search, suggestions, facets, attachments, the audit trail), and
written only through the inquiry (reply, notes, mail), by who may change it.

And a reference to a record the writer may not read answers exactly as a
reference to no record at all.
"""
import re
import sqlite3

from harness import ServerTest, all_items

WORD = "Quillfeather"   # a word only the hidden thread holds


class Inherited(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        cls.inquiry = {}
        cls.note = {}
        # ana (IPD) keeps a confidential and a restricted inquiry; bruno (DRD) keeps an internal one
        for name, user, cls_ in (("confidential", "ana", "confidential"), ("restricted", "ana", "restricted"),
                                 ("internal", "bruno", "internal")):
            r = s.post("/api/v1/inquiries", {"subject": "Visa facilitation %s" % name, "channel": "phone",
                                             "classification": cls_, "division": "IPD" if user == "ana" else "DRD"},
                       user=user)
            assert r.status == 201, r
            cls.inquiry[name] = r.json()
            r = s.post("/api/v1/inquiries/%d/notes" % cls.inquiry[name]["id"],
                       {"body": "%s %s minutes of the call" % (WORD, name)}, user=user)
            assert r.status == 201, r
            cls.note[name] = r.json()
        # a note by someone else than the inquiry's creator: the creator reads it through the inquiry
        r = s.post("/api/v1/inquiries/%d/notes" % cls.inquiry["confidential"]["id"],
                   {"body": "%s countersigned by the administrator" % WORD}, user="root")
        assert r.status == 201, r
        cls.admin_note = r.json()

    def visible_notes(self, user):
        return {m["id"] for m in all_items(self.s, "/api/v1/inquiry-messages", user=user)}

    def test_a_message_repeats_its_inquirys_classification_and_division(self):
        for name in ("confidential", "restricted", "internal"):
            with self.subTest(name=name):
                self.assertEqual(self.note[name]["classification"], self.inquiry[name]["classification"])
                self.assertEqual(self.note[name]["division"], self.inquiry[name]["division"])

    def test_get_list_and_thread_follow_the_inquiry(self):
        hidden = {self.note["confidential"]["id"], self.note["restricted"]["id"]}
        open_ = self.note["internal"]["id"]
        # bruno (another division) reads neither the confidential nor the restricted thread
        self.assertFalse(hidden & self.visible_notes("bruno"))
        self.assertIn(open_, self.visible_notes("bruno"))
        for name in ("confidential", "restricted"):
            with self.subTest(name=name):
                self.assertProblem(self.s.get("/api/v1/inquiry-messages/%d" % self.note[name]["id"], user="bruno"), 404)
                self.assertProblem(self.s.get("/api/v1/inquiries/%d/thread" % self.inquiry[name]["id"], user="bruno"), 404)
                self.assertProblem(self.s.get("/api/v1/inquiry-messages/%d/attachments/1" % self.note[name]["id"],
                                              user="bruno"), 404)
        # ana, who keeps them, reads both; a director the restricted one only; an admin everything
        self.assertTrue(hidden <= self.visible_notes("ana"))
        self.assertIn(self.note["restricted"]["id"], self.visible_notes("carmen"))
        self.assertNotIn(self.note["confidential"]["id"], self.visible_notes("carmen"))
        self.assertTrue(hidden <= self.visible_notes("root"))
        # a filter on the list cannot reach around it either
        r = self.s.get("/api/v1/inquiry-messages?inquiry=%d" % self.inquiry["confidential"]["id"], user="bruno")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["items"], [])

    def test_the_inquirys_creator_reads_what_others_added(self):
        nid = self.admin_note["id"]
        self.assertEqual(self.admin_note["created_by"], self.s.get("/api/v1/session", user="root").json()["id"])
        self.assertIn(nid, self.visible_notes("ana"))
        self.assertStatus(self.s.get("/api/v1/inquiry-messages/%d" % nid, user="ana"), 200)
        hits = self.search_ids("countersigned", "ana")["items"]
        self.assertEqual([h["id"] for h in hits if h["kind"] == "inquiry-messages"], [nid])
        self.assertNotIn(nid, self.visible_notes("bruno"))

    def test_a_message_whose_own_facts_are_stale_still_follows_the_inquiry(self):
        """A message written before its inquiry moved (or by an older Liaison) says "internal": the
        inquiry decides all the same."""
        nid = self.note["restricted"]["id"]
        with sqlite3.connect(self.s.db) as db:
            db.execute("UPDATE inquiry_messages SET classification = 'internal', division = 'DRD' WHERE id = ?", (nid,))
            db.execute("UPDATE search_docs SET classification = 'internal', division = 'DRD' "
                       "WHERE kind = 'inquiry-messages' AND record_id = ?", (nid,))
        try:
            self.assertNotIn(nid, self.visible_notes("bruno"))
            self.assertProblem(self.s.get("/api/v1/inquiry-messages/%d" % nid, user="bruno"), 404)
            hits = self.search_ids("%s%%20restricted" % WORD, "bruno")["items"]
            self.assertNotIn(nid, [h["id"] for h in hits if h["kind"] == "inquiry-messages"])
            self.assertIn(nid, self.visible_notes("ana"))
        finally:
            with sqlite3.connect(self.s.db) as db:
                db.execute("UPDATE inquiry_messages SET classification = 'restricted', division = 'IPD' WHERE id = ?",
                           (nid,))
                db.execute("UPDATE search_docs SET classification = 'restricted', division = 'IPD' "
                           "WHERE kind = 'inquiry-messages' AND record_id = ?", (nid,))

    def search_ids(self, q, user):
        r = self.s.get("/api/v1/search?q=%s&limit=100" % q, user=user)
        self.assertStatus(r, 200)
        return r.json()

    def test_search_suggestions_and_facets_follow_the_inquiry(self):
        for user, expect in (("bruno", {"internal"}), ("ana", {"confidential", "restricted", "internal"}),
                             ("carmen", {"restricted", "internal"})):
            with self.subTest(user=user):
                found = self.search_ids(WORD, user)
                ids = {h["id"] for h in found["items"] if h["kind"] == "inquiry-messages"} - {self.admin_note["id"]}
                self.assertEqual(ids, {self.note[n]["id"] for n in expect})
                text = str(found)
                for n in {"confidential", "restricted", "internal"} - expect:
                    self.assertNotIn("%s %s" % (WORD, n), text)
                # facets count only what the reader may see
                counts = found.get("facets", {}).get("kind", {})
                if isinstance(counts, dict) and "inquiry-messages" in counts:
                    self.assertEqual(counts["inquiry-messages"], len(ids) + ("confidential" in expect))
        # the type-ahead of a kind: messages are titled by their subject, which a note has not;
        # their inquiries are, and follow their own rules
        r = self.s.get("/api/v1/search/suggest?q=Visa&type=inquiries", user="bruno")
        self.assertStatus(r, 200)
        self.assertEqual({i["id"] for i in r.json()["items"]}, {self.inquiry["internal"]["id"]})

    def test_the_audit_trail_follows_the_inquiry(self):
        for name in ("confidential", "restricted"):
            with self.subTest(name=name):
                self.assertProblem(self.s.get("/api/v1/audit?kind=inquiry-messages&id=%d" % self.note[name]["id"],
                                              user="bruno"), 404)
        r = self.s.get("/api/v1/audit?kind=inquiry-messages&id=%d" % self.note["restricted"]["id"], user="ana")
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json()["items"]), 1)

    def test_an_id_without_a_kind_is_a_bad_request(self):
        p = self.assertProblem(self.s.get("/api/v1/audit?id=1", user="root"), 400)
        self.assertIn("kind", p["detail"])

    def test_no_generic_write_of_a_message_whoever_asks(self):
        body = {"inquiry": self.inquiry["internal"]["id"], "direction": "out", "delivery": "sent",
                "body": "A forged answer"}
        for user in ("ana", "bruno", "carmen", "root"):
            with self.subTest(user=user):
                r = self.s.post("/api/v1/inquiry-messages", body, user=user)
                self.assertProblem(r, 405)
                self.assertNotIn("POST", r.header("Allow"))
                self.assertProblem(self.s.patch("/api/v1/inquiry-messages/%d" % self.note["internal"]["id"],
                                                {"body": "rewritten"}, self.note["internal"]["version"], user=user), 405)
                self.assertProblem(self.s.delete("/api/v1/inquiry-messages/%d" % self.note["internal"]["id"], user=user),
                                   405)
        r = self.s.get("/api/v1/inquiry-messages/%d" % self.note["internal"]["id"], user="root")
        self.assertEqual(r.json()["version"], 1)

    def test_writing_into_an_inquiry_needs_its_access(self):
        # bruno cannot read ana's confidential inquiry: exactly as if it did not exist
        hidden = self.s.post("/api/v1/inquiries/%d/notes" % self.inquiry["confidential"]["id"], {"body": "hello"},
                             user="bruno")
        missing = self.s.post("/api/v1/inquiries/999999/notes", {"body": "hello"}, user="bruno")
        self.assertProblem(hidden, 404)
        self.assertEqual((hidden.status, hidden.json()["detail"]), (missing.status, missing.json()["detail"]))
        reply = self.s.post("/api/v1/inquiries/%d/reply" % self.inquiry["restricted"]["id"], {"body": "hello"},
                            user="bruno")
        self.assertProblem(reply, 404)
        thread = all_items(self.s, "/api/v1/inquiries/%d/thread" % self.inquiry["restricted"]["id"], user="ana")
        self.assertEqual(len(thread), 1)
        # a viewer reads but may not add
        self.assertIn(self.s.post("/api/v1/inquiries/%d/notes" % self.inquiry["internal"]["id"], {"body": "hi"},
                                  user="dora").status, (401, 403))


class Moving(ServerTest):
    """When an inquiry changes classification or division, its messages follow at once."""

    def test_messages_follow_their_inquiry(self):
        s = self.s
        inq = s.post("/api/v1/inquiries", {"subject": "Remittance corridors", "channel": "phone"}, user="ana").json()
        note = s.post("/api/v1/inquiries/%d/notes" % inq["id"], {"body": "Marrowbridge figures attached"},
                      user="ana").json()
        self.assertEqual(note["classification"], "internal")
        self.assertIn(note["id"], {m["id"] for m in all_items(s, "/api/v1/inquiry-messages", user="bruno")})
        r = s.patch("/api/v1/inquiries/%d" % inq["id"], {"classification": "restricted", "division": "IPD"},
                    inq["version"], user="ana")
        self.assertStatus(r, 200)
        moved = s.get("/api/v1/inquiry-messages/%d" % note["id"], user="ana").json()
        self.assertEqual((moved["classification"], moved["division"]), ("restricted", "IPD"))
        self.assertNotIn(note["id"], {m["id"] for m in all_items(s, "/api/v1/inquiry-messages", user="bruno")})
        self.assertEqual(s.get("/api/v1/search?q=Marrowbridge", user="bruno").json()["items"], [])
        hits = s.get("/api/v1/search?q=Marrowbridge%20division:IPD", user="ana").json()["items"]
        self.assertEqual([h["id"] for h in hits if h["kind"] == "inquiry-messages"], [note["id"]])


class References(ServerTest):
    """A reference to a record the writer may not read is answered like one to nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.s.post("/api/v1/organizations?force=true", {"name": {"en": "Sealed Harbour Trust"}, "type": "foundation",
                                                            "classification": "confidential"}, user="ana")
        assert r.status == 201, r
        cls.hidden_org = r.json()["id"]
        r = cls.s.post("/api/v1/persons?force=true", {"family_name": "Vantongeren", "given_name": "Ilse",
                                                      "classification": "restricted", "division": "IPD"}, user="ana")
        assert r.status == 201, r
        cls.hidden_person = r.json()["id"]

    @staticmethod
    def shape(resp, number):
        """The answer with the id it names taken out, to compare a hidden record's with a missing one's."""
        p = resp.json()
        for e in p.get("errors", []):
            e["message"] = re.sub(r"\b%d\b" % number, "N", e["message"])
        return resp.status, p

    def test_a_reference_field(self):
        body = lambda org: {"family_name": "Quist", "given_name": "Tobias", "organization": org}
        hidden = self.s.post("/api/v1/persons?force=true", body(self.hidden_org), user="bruno")
        missing = self.s.post("/api/v1/persons?force=true", body(987654), user="bruno")
        self.assertProblem(hidden, 422, "organization")
        self.assertEqual(self.shape(hidden, self.hidden_org), self.shape(missing, 987654))
        # the owner may refer to it
        self.assertStatus(self.s.post("/api/v1/persons?force=true", body(self.hidden_org), user="ana"), 201)

    def test_a_reference_in_a_change(self):
        person = self.s.post("/api/v1/persons?force=true", {"family_name": "Quist", "given_name": "Marit"},
                             user="bruno").json()
        hidden = self.s.patch("/api/v1/persons/%d" % person["id"], {"organization": self.hidden_org}, person["version"],
                              user="bruno")
        missing = self.s.patch("/api/v1/persons/%d" % person["id"], {"organization": 987654}, person["version"],
                               user="bruno")
        self.assertEqual(self.shape(hidden, self.hidden_org), self.shape(missing, 987654))

    def test_a_link(self):
        body = lambda pid: {"date": "2026-05-06", "kind": "meeting", "subject": "Harbour talks",
                            "participants": [{"kind": "persons", "id": pid, "role": "guest"}]}
        hidden = self.s.post("/api/v1/interactions", body(self.hidden_person), user="bruno")
        missing = self.s.post("/api/v1/interactions", body(987654), user="bruno")
        self.assertProblem(hidden, 422)
        self.assertEqual(self.shape(hidden, self.hidden_person), self.shape(missing, 987654))
        self.assertStatus(self.s.post("/api/v1/interactions", body(self.hidden_person), user="carmen"), 201)


class Routing(ServerTest):
    """Routing never takes an inquiry out of its creator's reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.s.post("/api/v1/routing-rules", {"position": 10, "name": "Visas to the front office", "active": True,
                                                 "words": ["visa"], "to_division": "FO"}, user="root")
        assert r.status == 201, r

    def test_a_restricted_inquiry_stays_where_its_creator_reads_it(self):
        r = self.s.post("/api/v1/inquiries", {"subject": "Visa waiver talks", "channel": "phone",
                                              "classification": "restricted", "division": "IPD"}, user="ana")
        self.assertStatus(r, 201)
        inq = r.json()
        self.assertEqual(inq["division"], "IPD")
        self.assertIn("kept in IPD", inq["routed_by"])
        self.assertStatus(self.s.get("/api/v1/inquiries/%d" % inq["id"], user="ana"), 200)
        # with no rule matching, the front office would take it: it stays too
        r = self.s.post("/api/v1/inquiries", {"subject": "Diaspora bonds", "channel": "phone",
                                              "classification": "restricted", "division": "IPD"}, user="ana")
        self.assertEqual(r.json()["division"], "IPD")

    def test_what_its_creator_reads_anywhere_is_routed(self):
        for cls_ in ("internal", "confidential"):
            with self.subTest(classification=cls_):
                r = self.s.post("/api/v1/inquiries", {"subject": "Visa waiver %s" % cls_, "channel": "phone",
                                                      "classification": cls_, "division": "IPD"}, user="ana")
                self.assertEqual(r.json()["division"], "FO")
                self.assertStatus(self.s.get("/api/v1/inquiries/%d" % r.json()["id"], user="ana"), 200)
        # a director reads every division's restricted records: routed as usual
        r = self.s.post("/api/v1/inquiries", {"subject": "Visa waiver directorate", "channel": "phone",
                                              "classification": "restricted", "division": "IPD"}, user="carmen")
        self.assertEqual(r.json()["division"], "FO")
