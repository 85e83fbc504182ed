"""Grants: the named users who may read a confidential record besides its
creator, through the API and the record's page."""
import re

from harness import ServerTest, all_items, session_cookie, PASSWORD

WORD = "Brackenholt"


class Grants(ServerTest):
    def confidential(self, name, user="ana", kind="organizations"):
        r = self.s.post("/api/v1/%s?force=true" % kind, {"name": {"en": "%s %s" % (WORD, name)}, "type": "foundation",
                                                         "classification": "confidential"}, user=user)
        self.assertStatus(r, 201)
        return r.json()

    def reads(self, user, org):
        return self.s.get("/api/v1/organizations/%d" % org["id"], user=user).status == 200

    def test_a_grant_opens_the_record_to_that_user_everywhere(self):
        org = self.confidential("Trust")
        self.assertFalse(self.reads("bruno", org))
        r = self.s.post("/api/v1/organizations/%d/grants" % org["id"], {"user": "bruno"}, user="ana")
        self.assertStatus(r, 201)
        self.assertEqual([g["user"]["name"] for g in r.json()["items"]], ["bruno"])
        self.assertRegex(r.header("Location"), r"^/api/v1/organizations/%d/grants/\d+$" % org["id"])
        self.assertTrue(self.reads("bruno", org))
        self.assertIn(org["id"], {o["id"] for o in all_items(self.s, "/api/v1/organizations", user="bruno")})
        hits = self.s.get("/api/v1/search?q=%s%%20Trust" % WORD, user="bruno").json()["items"]
        self.assertIn(org["id"], [h["id"] for h in hits if h["kind"] == "organizations"])
        # granting again changes nothing
        again = self.s.post("/api/v1/organizations/%d/grants" % org["id"], {"user": "bruno"}, user="ana")
        self.assertStatus(again, 200)
        self.assertEqual(len(again.json()["items"]), 1)
        # others still cannot
        self.assertFalse(self.reads("carmen", org))
        # each grant and its withdrawal is in the record's history
        self.assertStatus(self.s.delete("/api/v1/organizations/%d/grants/bruno" % org["id"], user="ana"), 204)
        self.assertFalse(self.reads("bruno", org))
        actions = [e["action"] for e in all_items(self.s, "/api/v1/audit?kind=organizations&id=%d" % org["id"], user="ana")]
        self.assertEqual(actions[:2], ["ungrant", "grant"])
        self.assertProblem(self.s.delete("/api/v1/organizations/%d/grants/bruno" % org["id"], user="ana"), 404)

    def test_who_manages_grants(self):
        org = self.confidential("Foundation")
        # a stranger to the record sees nothing at all; a director is not its creator
        self.assertProblem(self.s.get("/api/v1/organizations/%d/grants" % org["id"], user="bruno"), 404)
        self.assertProblem(self.s.post("/api/v1/organizations/%d/grants" % org["id"], {"user": "bruno"}, user="bruno"), 404)
        self.assertProblem(self.s.post("/api/v1/organizations/%d/grants" % org["id"], {"user": "carmen"},
                                       user="carmen"), 404)
        # the administrator may; a granted user reads but does not grant on
        self.assertStatus(self.s.post("/api/v1/organizations/%d/grants" % org["id"], {"user": "bruno"}, user="root"), 201)
        self.assertProblem(self.s.post("/api/v1/organizations/%d/grants" % org["id"], {"user": "dora"}, user="bruno"), 403)
        self.assertStatus(self.s.get("/api/v1/organizations/%d/grants" % org["id"], user="ana"), 200)

    def test_what_cannot_be_granted(self):
        org = self.confidential("Circle")
        url = "/api/v1/organizations/%d/grants" % org["id"]
        self.assertProblem(self.s.post(url, {"user": "nobody-here"}, user="ana"), 422, "user")
        self.assertProblem(self.s.post(url, {}, user="ana"), 422, "user")
        self.assertProblem(self.s.post(url, {"user": ["bruno"]}, user="ana"), 422, "user")
        open_org = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Open Brackenholt Forum"},
                                                                    "type": "cso"}, user="ana").json()
        self.assertProblem(self.s.post("/api/v1/organizations/%d/grants" % open_org["id"], {"user": "bruno"},
                                       user="ana"), 409)
        self.assertProblem(self.s.post("/api/v1/nonsense/1/grants", {"user": "bruno"}, user="ana"), 404)
        # a message takes its inquiry's access: there is no grant of its own
        inq = self.s.post("/api/v1/inquiries", {"subject": "Brackenholt visit", "channel": "phone",
                                                "classification": "confidential"}, user="ana").json()
        note = self.s.post("/api/v1/inquiries/%d/notes" % inq["id"], {"body": "call back"}, user="ana").json()
        self.assertProblem(self.s.post("/api/v1/inquiry-messages/%d/grants" % note["id"], {"user": "bruno"},
                                       user="ana"), 405)
        self.assertProblem(self.s.get("/api/v1/inquiry-messages/%d/grants" % note["id"], user="ana"), 409)
        # granting the inquiry opens its thread
        self.assertStatus(self.s.post("/api/v1/inquiries/%d/grants" % inq["id"], {"user": "bruno"}, user="ana"), 201)
        self.assertStatus(self.s.get("/api/v1/inquiry-messages/%d" % note["id"], user="bruno"), 200)

    def test_the_page_lists_adds_and_removes_grants(self):
        org = self.confidential("Pavilion")
        r = self.s.post("/api/v1/session", {"name": "ana", "password": PASSWORD})
        cookie, csrf = session_cookie(r), r.json()["csrf_token"]
        page = self.s.get("/organizations/%d?lang=fr" % org["id"], headers={"Cookie": cookie})
        self.assertStatus(page, 200)
        self.assertIn('action="/organizations/%d/grants"' % org["id"], page.body)
        form = {"user": "bruno", "_csrf": csrf}
        body = "&".join("%s=%s" % kv for kv in form.items()).encode()
        r = self.s.request("POST", "/organizations/%d/grants" % org["id"], raw=body,
                           headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 303, r)
        self.assertTrue(self.reads("bruno", org))
        page = self.s.get("/organizations/%d" % org["id"], headers={"Cookie": cookie})
        self.assertIn("bruno", page.body)
        remove = re.search(r'action="(/organizations/%d/grants/[^"]+/remove)"' % org["id"], page.body).group(1)
        r = self.s.request("POST", remove, raw=("_csrf=%s" % csrf).encode(),
                           headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 303, r)
        self.assertFalse(self.reads("bruno", org))
        # nobody but its creator and administrators sees the form
        r = self.s.post("/api/v1/session", {"name": "root", "password": PASSWORD})
        self.assertIn('/grants"', self.s.get("/organizations/%d" % org["id"], headers={"Cookie": session_cookie(r)}).body)
        self.s.post("/api/v1/organizations/%d/grants" % org["id"], {"user": "carmen"}, user="ana")
        r = self.s.post("/api/v1/session", {"name": "carmen", "password": PASSWORD})
        page = self.s.get("/organizations/%d" % org["id"], headers={"Cookie": session_cookie(r)})
        self.assertStatus(page, 200)
        self.assertNotIn('/grants"', page.body)
