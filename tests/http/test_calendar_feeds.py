"""Calendar subscription feeds over HTTP: a secret link per user and per
division (GET /api/v1/calendar/{secret}.ics, no other credentials), made,
seen and renewed through the API and the user's page; the feed holds only
briefings its owner may read (a confidential or restricted briefing never
reaches someone who may not read it), and a renewed link's old secret
answers 404.
"""
import re

from harness import ServerTest
from test_meetings import libical_reads

FEED = re.compile(r"^/api/v1/calendar/[0-9a-f]{64}\.ics$")


def uids(ics):
    return sorted(l[4:] for l in ics.replace("\r\n ", "").split("\r\n") if l.startswith("UID:"))


class CalendarFeedsTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = {u: cls.s.get("/api/v1/users/" + u, user="root").json()["id"] for u in ("ana", "bruno", "carmen")}

    def link(self, user, which="user", owner=None):
        r = self.s.post("/api/v1/users/%s/calendar-links" % (owner or user), {"for": which}, user=user)
        self.assertStatus(r, 201)
        url = r.json()["url"]
        self.assertRegex(url, FEED)
        self.assertEqual(r.header("Location"), url)
        return url

    def feed(self, url):
        r = self.s.get(url)  # no credentials
        self.assertStatus(r, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/calendar"))
        self.assertIn("\r\nMETHOD:PUBLISH\r\n", r.body)
        self.assertNotIn("\r\nATTENDEE", r.body)
        libical_reads(self, r.body)
        return r.body

    def briefing(self, user, title, **fields):
        body = {"title": title, "status": "scheduled", "starts_at": "2027-04-01T09:00:00Z",
                "ends_at": "2027-04-01T10:00:00Z", "staff": [{"kind": "users", "id": self.ids["ana"]}]}
        body.update(fields)
        r = self.s.post("/api/v1/briefings", body, user=user)
        self.assertStatus(r, 201)
        return "briefing-%d@liaison.invalid" % r.json()["id"]

    def test_a_feed_holds_what_its_owner_may_read(self):
        mine = self.briefing("ana", "Internal, ana among the staff")
        restricted_ipd = self.briefing("carmen", "Restricted to IPD", classification="restricted", division="IPD")
        restricted_drd = self.briefing("bruno", "Restricted to DRD, ana among the staff", classification="restricted")
        secret_to_ana = self.briefing("carmen", "Confidential, ana not granted", classification="confidential",
                                      division="IPD")
        ana_own_secret = self.briefing("ana", "Confidential, created by ana", classification="confidential")
        not_hers = self.briefing("bruno", "Internal, DRD, without ana", staff=[])
        self.assertProblem(self.s.get("/api/v1/briefings/%s" % secret_to_ana.split("-")[1].split("@")[0], user="ana"), 404)

        personal = self.feed(self.link("ana"))
        got = uids(personal)
        for kept in (mine, restricted_ipd, ana_own_secret):
            self.assertIn(kept, got)
        for never in (restricted_drd, secret_to_ana, not_hers):  # not hers to read, or not hers at all
            self.assertNotIn(never, got)
        self.assertIn("SUMMARY:Internal\\, ana among the staff\r\n", personal)
        self.assertNotIn("Restricted to DRD", personal)
        self.assertNotIn("ana not granted", personal)

        division = self.feed(self.link("ana", "division"))  # the IPD's: ana is of IPD
        got = uids(division)
        self.assertIn(mine, got)
        self.assertIn(restricted_ipd, got)
        for never in (restricted_drd, secret_to_ana, ana_own_secret, not_hers):
            self.assertNotIn(never, got)  # a confidential one never, even one ana may read

        drd = self.feed(self.link("bruno", "division"))
        self.assertIn(restricted_drd, uids(drd))
        self.assertIn(not_hers, uids(drd))
        self.assertNotIn(restricted_ipd, uids(drd))

    def test_cancelled_stays_marked_and_archived_leaves(self):
        url = self.link("ana")
        r = self.s.post("/api/v1/briefings", {"title": "To be called off", "status": "scheduled",
                                              "starts_at": "2027-05-02T09:00:00Z",
                                              "staff": [{"kind": "users", "id": self.ids["ana"]}]}, user="ana")
        b = r.json()
        uid = "briefing-%d@liaison.invalid" % b["id"]
        self.assertStatus(self.s.patch("/api/v1/briefings/%d" % b["id"], {"status": "cancelled"}, b["version"],
                                       user="ana"), 200)
        ics = self.feed(url).replace("\r\n ", "")
        event = ics[ics.index("UID:" + uid):]
        event = event[:event.index("END:VEVENT")]
        self.assertIn("STATUS:CANCELLED", event)
        self.assertStatus(self.s.delete("/api/v1/briefings/%d" % b["id"], user="ana"), 204)
        self.assertNotIn(uid, uids(self.feed(url)))

    def test_renewing_ends_the_old_link(self):
        first = self.link("ana")
        self.feed(first)
        second = self.link("ana")
        self.assertNotEqual(first, second)
        self.assertProblem(self.s.get(first), 404)
        self.feed(second)
        old_division = self.link("ana", "division")
        self.link("ana", "division")
        self.assertProblem(self.s.get(old_division), 404)

    def test_seeing_the_links_and_who_may(self):
        self.link("ana")
        r = self.s.get("/api/v1/users/ana/calendar-links", user="ana")
        self.assertStatus(r, 200)
        doc = r.json()
        self.assertRegex(doc["user"]["created_at"], r"^\d{4}-\d\d-\d\dT")
        self.assertNotIn("url", doc["user"])  # only its hash is kept
        self.assertStatus(self.s.get("/api/v1/users/ana/calendar-links", user="root"), 200)  # admins manage it
        self.assertProblem(self.s.get("/api/v1/users/ana/calendar-links", user="bruno"), 403)
        self.assertProblem(self.s.post("/api/v1/users/ana/calendar-links", {"for": "user"}, user="bruno"), 403)
        self.assertProblem(self.s.get("/api/v1/users/ana/calendar-links"), 401)
        self.assertProblem(self.s.post("/api/v1/users/ana/calendar-links", {"for": "everyone"}, user="ana"), 422, "for")
        self.assertProblem(self.s.post("/api/v1/users/carmen/calendar-links", {"for": "division"}, user="carmen"),
                           422, "for")  # a director of no division
        self.assertIsNone(self.s.get("/api/v1/users/carmen/calendar-links", user="carmen").json()["division"])
        r = self.s.post("/api/v1/users/carmen/calendar-links", {"for": "user"}, user="root")
        self.assertStatus(r, 201)
        url = r.json()["url"]
        self.feed(url)
        for bad in ("/api/v1/calendar/nonsense.ics", "/api/v1/calendar/" + "0" * 64 + ".ics", url[:-4],
                    url[:-4] + "00.ics", url[:-6] + ".ics", url.replace(".ics", ".ICS"),
                    "/api/v1/calendar/" + url[17:].upper()):
            self.assertProblem(self.s.get(bad), 404)

    def test_the_user_page_makes_and_shows_the_links(self):
        from test_pages import Client
        c = Client(self.s, lang="fr")
        c.sign_in("emil")  # of GBD, whose link no other test makes
        page = c.get("/users/emil")
        self.assertIn("Liens d&#39;agenda", page.body)
        self.assertIn("Agenda personnel — pas encore de lien", page.body)
        self.assertIn("Agenda de la division GBD — pas encore de lien", page.body)
        r = c.post("/users/emil/calendar-links", {"_csrf": c.csrf("/users/emil"), "for": "division"})
        self.assertEqual(r.status, 201)
        url = re.search(r"<code>(http://127\.0\.0\.1:\d+(/api/v1/calendar/[0-9a-f]{64}\.ics))</code>", r.body)
        self.assertIsNotNone(url, r.body)
        self.feed(url.group(2))
        again = c.get("/users/emil").body
        self.assertIn("Agenda de la division GBD — lien créé le", again)
        self.assertNotIn(url.group(2), again)  # shown once
        other = Client(self.s)
        other.sign_in("bruno")
        self.assertEqual(other.post("/users/emil/calendar-links", {"_csrf": other.csrf("/users/bruno"),
                                                                   "for": "user"}).status, 403)
