"""Data-protection requests on every kind that holds personal data, not on
persons alone: GET /api/v1/KIND/ID/export (the record, every record that
refers to it, all of them, and its audit trail) and POST /api/v1/KIND/ID/erase
(its personal fields and those of the records that take their access from
it, emptied; their audit entries redacted; the chain still sound), for
administrators and directors; the same from the record's page."""
import json
import unittest

from harness import ServerTest, cli
from test_openapi import kinds
from test_pages import Client

EMAIL = "ilsa.marquand@invented-ministry.example"
NAME = "Ilsa Marquand-Oyelaran"


class PersonalData(ServerTest):
    def inquiry_with_a_reply(self):
        r = self.s.post("/api/v1/public/inquiries", {"name": NAME, "email": EMAIL, "subject": "Our delegation's visit",
                                                     "message": "Please tell us which documents to bring."})
        self.assertStatus(r, 201)
        ref = r.json()["reference"]
        r = self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": "Bring the invitation letter."}, user="ana")
        self.assertIn(r.status, (200, 201), r)
        self.s.post("/api/v1/inquiries/%s/notes" % ref, {"body": "Called back about the letter."}, user="ana")
        return self.s.get("/api/v1/inquiries/" + ref, user="root").json()

    def test_the_routes_exist_exactly_for_the_kinds_with_personal_data(self):
        doc = self.s.get("/api/v1/openapi.json").json()
        exported = {p.split("/")[3] for p in doc["paths"] if p.endswith("/export")}
        self.assertTrue({"persons", "inquiries", "inquiry-messages"} <= exported, exported)
        self.assertTrue(exported <= set(kinds()))
        self.assertNotIn("organizations", exported)
        org = self.org("Invented Ministry of Arrivals")
        self.assertProblem(self.s.get("/api/v1/organizations/%d/export" % org["id"], user="root"), 404)
        self.assertProblem(self.s.post("/api/v1/organizations/%d/erase" % org["id"], user="root"), 404)

    def test_an_inquiry_exports_with_its_messages_and_history(self):
        inq = self.inquiry_with_a_reply()
        for user in ("ana", "dora", "emil"):
            self.assertProblem(self.s.get("/api/v1/inquiries/%d/export" % inq["id"], user=user), 403)
        r = self.s.get("/api/v1/inquiries/%d/export" % inq["id"], user="carmen")
        self.assertStatus(r, 200)
        self.assertIn('filename="inquiries-%d.json"' % inq["id"], r.header("Content-Disposition"))
        doc = r.json()
        self.assertEqual((doc["kind"], doc["record"]["requester_email"]), ("inquiries", EMAIL))
        messages = doc["referring"]["inquiry-messages"]
        self.assertEqual(len(messages), 2)
        self.assertIn(EMAIL, [m["to_addr"] for m in messages])
        self.assertEqual(doc["audit"][-1]["action"], "create")

    def test_erasing_an_inquiry_erases_its_messages_personal_data_too(self):
        inq = self.inquiry_with_a_reply()
        for user in ("ana", "dora"):
            self.assertProblem(self.s.post("/api/v1/inquiries/%d/erase" % inq["id"], user=user), 403)
        r = self.s.post("/api/v1/inquiries/%d/erase" % inq["id"], user="root")
        self.assertStatus(r, 200)
        self.assertEqual(r.header("ETag"), '"%d"' % r.json()["version"])
        self.assertEqual((r.json()["requester_name"], r.json()["requester_email"]), (None, None))
        self.assertEqual(r.json()["subject"], "Our delegation's visit")   # what is not personal stays
        thread = self.s.get("/api/v1/inquiries/%d/thread" % inq["id"], user="root").json()
        for m in thread["items"]:
            self.assertEqual((m["from_name"], m["from_addr"], m["to_addr"]), (None, None, None))
        doc = self.s.get("/api/v1/inquiries/%d/export" % inq["id"], user="root").body
        self.assertNotIn(EMAIL, doc)
        self.assertNotIn(NAME, doc)
        for kind, rid in [("inquiries", inq["id"])] + [("inquiry-messages", m["id"]) for m in thread["items"]]:
            trail = self.s.get("/api/v1/audit?kind=%s&id=%d&limit=500" % (kind, rid), user="root")
            self.assertNotIn(EMAIL, trail.body, (kind, rid))
            self.assertEqual(trail.json()["items"][0]["action"], "erase")
        v = cli(self.s.db, "audit", "verify", check=False)
        self.assertEqual(v.returncode, 0, v.stderr)

    def test_the_export_holds_every_referring_record_not_a_page(self):
        person = self.s.post("/api/v1/persons", {"given_name": "Tove", "family_name": "Invented-Lindqvist"},
                             user="ana").json()
        rows = ["id,date,kind,subject,participants"]
        for i in range(1, 512):
            rows.append("%d,2026-03-01,call,Call %d,persons/%d" % (900000 + i, i, person["id"]))
        path = self.s.db + ".interactions.csv"
        with open(path, "w") as f:
            f.write("\n".join(rows) + "\n")
        p = cli(self.s.db, "import", "interactions", path, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = self.s.get("/api/v1/persons/%d/export" % person["id"], user="root").json()
        self.assertEqual(len(doc["referring"]["interactions"]), 511)
        self.assertEqual(len({x["id"] for x in doc["referring"]["interactions"]}), 511)

    def test_the_record_page_offers_export_and_erasure_to_those_who_may(self):
        inq = self.inquiry_with_a_reply()
        ana = Client(self.s)
        self.assertEqual(ana.sign_in("ana").status, 303)
        self.assertNotIn("/erase", ana.get("/inquiries/%d" % inq["id"]).body)
        self.assertEqual(ana.get("/inquiries/%d/erase" % inq["id"]).status, 403)
        boss = Client(self.s)
        self.assertEqual(boss.sign_in("carmen").status, 303)
        page = boss.get("/inquiries/%d" % inq["id"]).body
        self.assertIn('href="/api/v1/inquiries/%d/export"' % inq["id"], page)
        self.assertIn('href="/inquiries/%d/erase"' % inq["id"], page)
        form = boss.get("/inquiries/%d/erase" % inq["id"])
        self.assertEqual(form.status, 200, form)
        for label in ("Requester&#39;s e-mail", "Sender", "Recipient"):
            self.assertIn(label, form.body)
        r = boss.post("/inquiries/%d/erase" % inq["id"], {"_csrf": boss.csrf()})
        self.assertEqual((r.status, r.header("Location")), (303, "/inquiries/%d?erased=1" % inq["id"]))
        self.assertIsNone(self.s.get("/api/v1/inquiries/%d" % inq["id"], user="root").json()["requester_email"])
        self.assertIn("The personal data has been erased.", boss.get(r.header("Location")).body)


if __name__ == "__main__":
    unittest.main()
