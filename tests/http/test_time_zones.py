"""Times in the reader's zone: stored in UTC, shown and typed in the zone of the reader's account
(Europe/Zurich when they chose none), the zone named beside every time; a zone the tz database does
not know is refused."""
import re

from harness import ServerTest
from test_pages import Client


class TimeZones(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.s.post("/api/v1/users", {"name": "tomasz", "role": "staff", "division": "IPD"}, user="root")
        assert r.status == 201, r
        cls.tomasz = r.json()
        r = cls.s.post("/api/v1/users/%d/password" % cls.tomasz["id"], {"password": "a-long-pass-for-tomasz"},
                       user="root")
        assert r.status == 204, r

    def client(self):
        c = Client(self.s)
        self.assertEqual(c.sign_in("tomasz", "a-long-pass-for-tomasz").status, 303)
        return c

    def set_zone(self, zone):
        me = self.s.get("/api/v1/users/tomasz", user="root").json()
        return self.s.patch("/api/v1/users/%d" % me["id"], {"time_zone": zone}, me["version"], user="root")

    def briefing(self, starts_at):
        r = self.s.post("/api/v1/briefings", {"title": "Visit of the Invented Republic's delegation",
                                              "status": "scheduled", "starts_at": starts_at}, user="ana")
        self.assertStatus(r, 201)
        return r.json()

    def test_shown_in_the_readers_zone_with_the_zone_named(self):
        b = self.briefing("2026-12-10T09:00:00Z")
        self.assertStatus(self.set_zone(None), 200)
        page = self.client().get("/briefings/%d" % b["id"]).body
        self.assertIn("10 December 2026, 10:00 (Zurich)", page)  # the default zone, in winter UTC+1
        self.assertStatus(self.set_zone("Asia/Manila"), 200)
        page = self.client().get("/briefings/%d" % b["id"]).body
        self.assertIn("10 December 2026, 17:00 (Manila)", page)
        summer = self.briefing("2027-07-01T09:00:00Z")
        self.assertStatus(self.set_zone("America/New_York"), 200)
        page = self.client().get("/briefings/%d" % summer["id"]).body
        self.assertIn("1 July 2027, 05:00 (New York)", page)  # daylight saving time: UTC-4
        self.assertIn('datetime="2027-07-01T09:00:00Z"', page)  # the machine-readable time stays UTC

    def test_typed_in_the_readers_zone(self):
        self.assertStatus(self.set_zone("Asia/Manila"), 200)
        b = self.briefing("2026-12-10T09:00:00Z")
        c = self.client()
        form = c.get("/briefings/%d/edit" % b["id"]).body
        field = re.search(r'<input id="f-starts_at"[^>]*>', form).group(0)
        self.assertIn('type="datetime-local"', field)
        self.assertIn('value="2026-12-10T17:00"', field)
        self.assertIn("Time in Manila (Asia/Manila).", form)
        fields = dict(re.findall(r'<input[^>]* name="([^"]+)"[^>]* value="([^"]*)"', form))
        fields.update({"starts_at": "2026-12-11T10:00", "_csrf": c.csrf("/briefings/%d/edit" % b["id"])})
        fields.pop("title.q", None)
        fields["title"] = b["title"]
        r = c.post("/briefings/%d/edit" % b["id"], fields)
        self.assertEqual(r.status, 303, r.body[:2000])
        self.assertEqual(self.s.get("/api/v1/briefings/%d" % b["id"], user="ana").json()["starts_at"],
                         "2026-12-11T02:00:00Z")
        # what is no time at all is refused next to the field, as the API refuses it
        form = c.get("/briefings/%d/edit" % b["id"]).body
        self.assertIn('value="2026-12-11T10:00"', form)  # read back as it was typed
        fields.update(dict(re.findall(r'<input[^>]* name="(_version|version)"[^>]* value="([^"]*)"', form)))
        fields.update({"starts_at": "next Tuesday", "_csrf": c.csrf("/briefings/%d/edit" % b["id"])})
        r = c.post("/briefings/%d/edit" % b["id"], fields)
        self.assertEqual(r.status, 422)
        self.assertRegex(r.body, r'id="e-starts_at"')

    def test_an_unknown_zone_is_refused(self):
        self.assertProblem(self.set_zone("Mars/Olympus_Mons"), 422, "time_zone")
        self.assertProblem(self.set_zone("../../etc/passwd"), 422, "time_zone")
        self.assertProblem(self.set_zone("x" * 65), 422, "time_zone")
        self.assertStatus(self.set_zone("UTC"), 200)
        b = self.briefing("2026-12-10T09:00:00Z")
        self.assertIn("10 December 2026, 09:00 (UTC)", self.client().get("/briefings/%d" % b["id"]).body)
