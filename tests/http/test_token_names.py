"""API tokens say what they are for and until when they work: a label and a last day, given by the
API, the user's page or the command line (a year from today when not given); a token past its last
day signs nobody in; a bad label or day is refused beside its field, and nothing is made."""
import datetime
import re
import sqlite3

from harness import ServerTest, cli
from test_pages import Client


def today(days=0):
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=days)).isoformat()


class TokenNames(ServerTest):
    def tokens(self, name="dora"):
        r = self.s.get("/api/v1/users/%s/tokens" % name, user=name)
        self.assertStatus(r, 200)
        return r.json()["items"]

    def test_a_label_and_a_last_day(self):
        r = self.s.post("/api/v1/users/dora/tokens", {"label": "Nightly export to the Corvel dashboard",
                                                      "expires": today(30)}, user="dora")
        self.assertStatus(r, 201)
        token = r.json()["token"]
        self.assertStatus(self.s.get("/api/v1/session", token=token), 200)
        newest = self.tokens()[0]
        self.assertEqual(newest["label"], "Nightly export to the Corvel dashboard")
        self.assertEqual(newest["expires_at"], today(30) + "T23:59:59Z")
        # without a body: no label, a year from today
        r = self.s.post("/api/v1/users/dora/tokens", user="dora")
        self.assertStatus(r, 201)
        newest = self.tokens()[0]
        self.assertIsNone(newest["label"])
        self.assertEqual(newest["expires_at"][:10], today(365))
        # the audit log says what was made
        audit = self.s.get("/api/v1/audit?kind=api-tokens", user="root")
        if audit.status == 200:
            self.assertTrue(any("label" in (e.get("changes") or {}) for e in audit.json()["items"]))

    def test_past_its_last_day_it_signs_nobody_in(self):
        r = self.s.post("/api/v1/users/dora/tokens", {"label": "Short-lived", "expires": today()}, user="dora")
        self.assertStatus(r, 201)
        token = r.json()["token"]
        self.assertStatus(self.s.get("/api/v1/session", token=token), 200)  # the last day itself works
        con = sqlite3.connect(self.s.db)
        con.execute("UPDATE api_tokens SET expires_at = '2020-01-01T23:59:59Z' WHERE label = 'Short-lived'")
        con.commit()
        con.close()
        self.assertProblem(self.s.get("/api/v1/session", token=token), 401)
        c = Client(self.s)
        c.sign_in("dora")
        row = re.search(r"<tr><td[^>]*>Short-lived</td>(.*?)</tr>", c.get("/users/dora").body).group(1)
        self.assertIn("Expired", row)

    def test_bad_labels_and_days_are_refused(self):
        before = len(self.tokens())
        for body, field in (({"label": "x" * 101}, "label"), ({"label": "two\nlines"}, "label"),
                            ({"label": 12}, "label"), ({"expires": "2020-01-01"}, "expires"),
                            ({"expires": "2026-02-30"}, "expires"), ({"expires": "next year"}, "expires"),
                            ({"expires": 2027}, "expires")):
            with self.subTest(body=body):
                self.assertProblem(self.s.post("/api/v1/users/dora/tokens", body, user="dora"), 422, field)
        self.assertProblem(self.s.post("/api/v1/users/dora/tokens", [1, 2], user="dora"), 422)
        self.assertEqual(len(self.tokens()), before)  # nothing made
        self.assertStatus(self.s.post("/api/v1/users/dora/tokens", {"label": "é" * 100}, user="dora"), 201)

    def test_the_page_makes_and_lists_them(self):
        c = Client(self.s, "fr")
        self.assertEqual(c.sign_in("dora").status, 303)
        csrf = c.csrf("/users/dora")
        r = c.post("/users/dora/tokens", {"_csrf": csrf, "label": "Rapport mensuel", "expires": "2020-01-01"})
        self.assertEqual(r.status, 422)
        self.assertIn('id="e-t-expires">est passé</p>', r.body)
        self.assertIn('value="Rapport mensuel"', r.body)  # what was typed stays
        r = c.post("/users/dora/tokens", {"_csrf": c.csrf("/users/dora"), "label": "Rapport mensuel",
                                          "expires": today(10)})
        self.assertEqual(r.status, 201)
        self.assertRegex(r.body, r"<code>lia_[0-9a-f]+</code>")
        self.assertIn("Rapport mensuel", r.body)
        self.assertIn("Valable jusqu&#39;au", r.body)
        row = re.search(r"<tr><td[^>]*>Rapport mensuel</td>(.*?)</tr>", r.body).group(1)
        day = datetime.date.fromisoformat(today(10))
        self.assertIn(">%d " % day.day, row)  # its last day, as a date
        self.assertIn("En service", row)

    def test_the_command_line(self):
        out = cli(self.s.db, "token", "create", "dora", "--label", "Backup script", "--expires", today(7))
        self.assertRegex(out.stdout, r"^lia_[0-9a-f]+\n$")
        self.assertEqual(self.tokens()[0]["label"], "Backup script")
        bad = cli(self.s.db, "token", "create", "dora", "--expires", "2020-01-01", check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertEqual(bad.stderr.count("\n"), 1, bad.stderr)
        self.assertIn("--expires is in the past", bad.stderr)
