"""Workflows as data: a kind's status field moves only along its
transitions, through POST /api/v1/{kind}/{id}/transitions, a PATCH of the
field, a CSV import or a page's buttons, the same checks each way: 409 with
the moves the caller may make (in their language), the fields a state
requires, the time a state stamps, the audit entry of the move; pages offer
only the moves the reader may make."""
import re
import unittest

from harness import ServerTest
from test_pages import Client, catalog

class Workflows(ServerTest):
    def inquiry(self, user="ana"):
        r = self.s.post("/api/v1/inquiries", {"subject": "A fictional delegation's visa", "channel": "email"}, user=user)
        self.assertStatus(r, 201)
        return r.json()

    def briefing(self, **fields):
        body = {"title": "Briefing for the Invented Republic"}
        body.update(fields)
        r = self.s.post("/api/v1/briefings", body, user="ana")
        self.assertStatus(r, 201)
        return r.json()

    def move(self, kind, rec, to, user="ana", **more):
        body = {"to": to}
        body.update(more)
        return self.s.post("/api/v1/%s/%d/transitions" % (kind, rec["id"]), body, user=user)

    def test_a_move_the_workflow_lacks_is_409_with_the_moves_open_in_the_readers_language(self):
        inq = self.inquiry()
        self.assertStatus(self.move("inquiries", inq, "closed"), 200)
        for lang in ("en", "fr", "es"):
            with self.subTest(lang=lang):
                r = self.s.post("/api/v1/inquiries/%d/transitions" % inq["id"], {"to": "triaged"}, user="ana",
                                headers={"Accept-Language": lang})
                self.assertProblem(r, 409)
                words = catalog(lang)
                label = words.get("Assigned") or "Assigned"
                self.assertEqual(r.json()["allowed"], [{"to": "assigned", "label": label}])
                self.assertIn(words.get("Moves open to you from here:") or "Moves open to you from here:",
                              r.json()["detail"])
                self.assertIn(words.get("Closed") or "Closed", r.json()["detail"])
        # nothing was written by the refusals
        self.assertEqual(self.s.get("/api/v1/inquiries/%d" % inq["id"], user="ana").json()["status"], "closed")

    def test_the_generic_call_writes_one_audited_move(self):
        inq = self.inquiry()
        r = self.move("inquiries", inq, "triaged")
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["status"], r.json()["version"]), ("triaged", inq["version"] + 1))
        self.assertEqual(r.header("ETag"), '"%d"' % (inq["version"] + 1))
        log = self.s.get("/api/v1/audit?kind=inquiries&id=%d" % inq["id"], user="root").json()["items"]
        last = max(log, key=lambda e: e["version"])
        self.assertEqual(last["action"], "transition")
        self.assertIn("status", str(last["changes"]))
        # a move to where it is writes nothing
        self.assertProblem(self.move("inquiries", r.json(), "triaged"), 409)
        self.assertEqual(len(self.s.get("/api/v1/audit?kind=inquiries&id=%d" % inq["id"], user="root").json()["items"]),
                         len(log))

    def test_bad_moves_are_clear_errors(self):
        inq = self.inquiry()
        path = "/api/v1/inquiries/%d/transitions" % inq["id"]
        self.assertProblem(self.s.post(path, {}, user="ana"), 422, "to")
        self.assertProblem(self.s.post(path, {"to": 3}, user="ana"), 422, "to")
        self.assertProblem(self.s.post(path, {"to": "lost"}, user="ana"), 422, "to")
        self.assertProblem(self.s.post(path, {"to": "closed", "status": "closed"}, user="ana"), 422)
        self.assertProblem(self.s.post(path, {"to": "closed", "no_such_field": 1}, user="ana"), 422, "no_such_field")
        self.assertProblem(self.s.post(path, {"to": "closed"}, user="dora"), 403)   # a viewer changes nothing
        self.assertProblem(self.s.post(path, {"to": "closed"}), 401)
        self.assertProblem(self.s.post("/api/v1/inquiries/999999/transitions", {"to": "closed"}, user="ana"), 404)
        org = self.org("Invented Workflowless Guild")
        self.assertProblem(self.s.post("/api/v1/organizations/%d/transitions" % org["id"], {"to": "x"}, user="ana"), 404)
        self.assertProblem(self.s.post(path, {"to": "closed"}, user="ana", headers={"If-Match": '"%d"' % (inq["version"] + 5)}),
                           412)
        self.assertProblem(self.s.post(path, {"to": "closed"}, user="ana", headers={"If-Match": "3"}), 400)
        self.assertEqual(self.s.get("/api/v1/inquiries/%d" % inq["id"], user="ana").json()["version"], inq["version"])
        self.assertStatus(self.s.post(path, {"to": "closed"}, user="ana", headers={"If-Match": '"%d"' % inq["version"]}), 200)

    def test_patch_moves_along_the_same_workflow(self):
        inq = self.inquiry()
        url = "/api/v1/inquiries/%d" % inq["id"]
        r = self.s.patch(url, {"status": "waiting"}, inq["version"], user="ana")
        self.assertStatus(r, 200)
        self.assertIsNone(r.json()["resolution_due"])   # the area's effect of the move: the clock pauses
        self.assertProblem(self.s.patch(url, {"status": "new"}, r.json()["version"], user="ana"), 409)
        self.assertProblem(self.s.patch(url, {"status": None}, r.json()["version"], user="ana"), 422, "status")
        # a new inquiry begins where its workflow says
        r = self.s.post("/api/v1/inquiries", {"subject": "Born closed", "channel": "email", "status": "closed"}, user="ana")
        self.assertProblem(r, 422, "status")

    def test_a_briefing_keeps_its_order(self):
        b = self.briefing()
        self.assertEqual(b["status"], "requested")   # the first of its starts
        r = self.move("briefings", b, "held")
        self.assertProblem(r, 409)
        self.assertEqual(sorted(m["to"] for m in r.json()["allowed"]), ["cancelled", "scheduled"])
        self.assertProblem(self.move("briefings", b, "scheduled"), 422, "starts_at")  # a time is confirmed first
        r = self.move("briefings", b, "scheduled", starts_at="2027-05-03T09:00:00Z")   # the move carries it
        self.assertStatus(r, 200)
        b = r.json()
        self.assertEqual((b["status"], b["starts_at"]), ("scheduled", "2027-05-03T09:00:00Z"))
        self.assertProblem(self.s.patch("/api/v1/briefings/%d" % b["id"], {"starts_at": None}, b["version"], user="ana"),
                           422, "starts_at")   # nor emptied while the state needs it
        self.assertIsNone(b["held_at"])
        r = self.move("briefings", b, "held")
        self.assertStatus(r, 200)
        self.assertRegex(r.json()["held_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")   # the state's stamp
        self.assertProblem(self.move("briefings", r.json(), "cancelled"), 409)   # held is past cancelling
        self.assertProblem(self.move("briefings", r.json(), "reported"), 422, "report")
        r = self.move("briefings", r.json(), "reported", report="The delegation asked about fictional visas.")
        self.assertStatus(r, 200)
        r = self.move("briefings", r.json(), "requested")
        self.assertProblem(r, 409)
        self.assertEqual(r.json()["allowed"], [])   # reported is the end

    def test_a_briefing_begins_requested_or_scheduled_only(self):
        r = self.s.post("/api/v1/briefings", {"title": "Already held?", "status": "held",
                                              "starts_at": "2027-01-01T09:00:00Z"}, user="ana")
        self.assertProblem(r, 422, "status")
        self.assertProblem(self.s.post("/api/v1/briefings", {"title": "Scheduled without a time", "status": "scheduled"},
                                       user="ana"), 422, "starts_at")
        b = self.briefing(status="scheduled", starts_at="2027-06-01T09:00:00Z")
        r = self.move("briefings", b, "cancelled")
        self.assertStatus(r, 200)
        self.assertIsNotNone(r.json()["cancelled_at"])

    def test_the_openapi_document_describes_each_workflows_states(self):
        doc = self.s.get("/api/v1/openapi.json").json()
        schemas = doc["components"]["schemas"]
        self.assertEqual(schemas["briefings.transition"]["properties"]["to"]["enum"],
                         ["requested", "scheduled", "held", "reported", "cancelled"])
        self.assertNotIn("status", schemas["briefings.transition"]["properties"])
        self.assertIn("starts_at", schemas["briefings.transition"]["properties"])
        self.assertIn("/api/v1/inquiries/{id}/transitions", doc["paths"])
        self.assertNotIn("/api/v1/organizations/{id}/transitions", doc["paths"])


class WorkflowPages(ServerTest):
    def buttons(self, body):
        form = re.search(r'<form class="moves actions" action="([^"]+)"[^>]*>.*?</form>', body, re.S)
        return (form.group(1), re.findall(r'name="to" value="([a-z]+)"', form.group(0))) if form else (None, [])

    def test_pages_offer_only_the_moves_the_reader_may_make(self):
        staff = Client(self.s)
        self.assertEqual(staff.sign_in("ana").status, 303)
        r = self.s.post("/api/v1/inquiries", {"subject": "A page's moves", "channel": "email"}, user="ana")
        inq = r.json()
        page = staff.get("/inquiries/%d" % inq["id"])
        action, moves = self.buttons(page.body)
        self.assertEqual(action, "/inquiries/%d/transitions" % inq["id"])
        self.assertEqual(moves, ["triaged", "assigned", "waiting", "answered", "closed"])   # never "new", where it is
        r = staff.post(action, {"_csrf": staff.csrf(), "to": "closed"})
        self.assertEqual(r.status, 303, r)
        _, moves = self.buttons(staff.get("/inquiries/%d" % inq["id"]).body)
        self.assertEqual(moves, ["assigned"])
        viewer = Client(self.s)
        self.assertEqual(viewer.sign_in("dora").status, 303)
        self.assertEqual(self.buttons(viewer.get("/inquiries/%d" % inq["id"]).body), (None, []))

    def test_a_refused_move_on_a_page_says_why_in_the_readers_language(self):
        staff = Client(self.s, lang="fr")
        self.assertEqual(staff.sign_in("ana").status, 303)
        b = self.s.post("/api/v1/briefings", {"title": "Page briefing"}, user="ana").json()
        token = staff.csrf("/briefings/%d" % b["id"])
        self.assertEqual(self.buttons(staff.get("/briefings/%d" % b["id"]).body)[1], ["scheduled", "cancelled"])
        r = staff.post("/briefings/%d/transitions" % b["id"], {"_csrf": token, "to": "held"})
        self.assertEqual(r.status, 409, r)
        self.assertIn(catalog("fr")["Moves open to you from here:"].replace("’", "&#39;").split(" ")[0], r.body)
        r = staff.post("/briefings/%d/transitions" % b["id"], {"_csrf": token, "to": "scheduled"})
        self.assertEqual(r.status, 422, r)
        self.assertIn(catalog("fr")["Confirmed start"], r.body)

    def test_forms_leave_the_state_to_the_moves(self):
        staff = Client(self.s)
        self.assertEqual(staff.sign_in("ana").status, 303)
        new = staff.get("/briefings/new").body
        select = re.search(r'<select id="f-status" name="status"[^>]*>(.*?)</select>', new, re.S).group(1)
        self.assertEqual(re.findall(r'value="([a-z]+)"', select), ["requested", "scheduled"])
        b = self.s.post("/api/v1/briefings", {"title": "Edited, not moved"}, user="ana").json()
        edit = staff.get("/briefings/%d/edit" % b["id"]).body
        self.assertNotIn('name="status"', edit)
        fields = {"_csrf": staff.csrf("/briefings/%d/edit" % b["id"]), "version": str(b["version"]),
                  "title": "Edited, still requested"}
        r = staff.post("/briefings/%d/edit" % b["id"], fields)
        self.assertEqual(r.status, 303, r)
        after = self.s.get("/api/v1/briefings/%d" % b["id"], user="ana").json()
        self.assertEqual((after["title"], after["status"]), ("Edited, still requested", "requested"))


if __name__ == "__main__":
    unittest.main()
