"""A new record's date defaults to today in the installation's time zone (the desk calendar's
time_zone): a new interaction sent without a date, through the API or the form, is dated today
there, and the empty form shows today.  Two servers far apart, at UTC+14 and UTC-11, so that
at most hours of the day one of them differs from UTC's date: the test reads the date each of
them must give from the zone database, not from the server."""
import datetime
import json
import os
import re
import tempfile
import unittest
import zoneinfo

from harness import ServerTest
from test_pages import Client


def today_in(zone):
    return datetime.datetime.now(zoneinfo.ZoneInfo(zone)).date().isoformat()


class TodayIn:
    zone = None
    users = [("ana", "staff", "IPD")]

    @classmethod
    def setUpClass(cls):
        cls.conf_dir = tempfile.mkdtemp(prefix="liaison-today-")
        conf = os.path.join(cls.conf_dir, "liaison.json")
        with open(conf, "w") as f:
            json.dump({"calendar": {"time_zone": cls.zone}}, f)
        cls.server_args = ("--config", conf)
        super().setUpClass()

    def test_the_api_dates_a_new_interaction_today(self):
        before = today_in(self.zone)
        r = self.s.post("/api/v1/interactions", {"kind": "call", "subject": "Lagoon survey call"}, user="ana")
        self.assertEqual(r.status, 201, r)
        self.assertIn(r.json()["date"], {before, today_in(self.zone)})

    def test_a_date_given_is_kept_and_null_is_still_refused(self):
        r = self.s.post("/api/v1/interactions", {"kind": "call", "subject": "Old call", "date": "2025-11-03"}, user="ana")
        self.assertEqual(r.json()["date"], "2025-11-03")
        self.assertProblem(self.s.post("/api/v1/interactions", {"kind": "call", "subject": "No date", "date": None},
                                       user="ana"), 422, "date")

    def test_the_form_shows_today_and_saves_it(self):
        c = Client(self.s)
        c.sign_in("ana")
        form = c.get("/interactions/new").body
        shown = re.search(r'<input id="f-date" name="date" type="date" value="([^"]*)"', form).group(1)
        self.assertEqual(shown, today_in(self.zone))
        r = c.post("/interactions/new", {"_csrf": c.csrf(), "kind": "meeting", "subject": "Reef talks", "date": ""})
        self.assertEqual(r.status, 303, r)
        saved = self.s.get("/api/v1" + r.header("Location").split("?")[0], user="ana").json()
        self.assertEqual(saved["date"], today_in(self.zone))

    def test_other_dates_have_no_default(self):
        c = Client(self.s)
        c.sign_in("ana")
        self.assertRegex(c.get("/follow-ups/new").body, r'<input id="f-due_date" name="due_date" type="date" value=""')


class TodayAtUtcPlus14(TodayIn, ServerTest):
    zone = "Pacific/Kiritimati"


class TodayAtUtcMinus11(TodayIn, ServerTest):
    zone = "Pacific/Pago_Pago"


class TheTwoZonesDiffer(unittest.TestCase):
    def test_the_zones_are_a_day_apart(self):
        self.assertNotEqual(today_in("Pacific/Kiritimati"), today_in("Pacific/Pago_Pago"))
