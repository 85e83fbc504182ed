"""The donors' reminders, run by `liaison pass`: a reporting deadline due within the
reminders' days (donors.reminder_days, 14 unless --config says otherwise) mails its owner
once, in the owner's language, and once more when it is overdue; the owner is the
deadline's, else the pledge's follower, else whoever wrote the deadline; a report
submitted is not reminded of; someone who may not read the pledge is told nothing; someone
without an address is not stamped, and is reminded once they have one.  Everyone and
everything here is invented."""
import datetime
import email
import email.policy
import os
import sqlite3

from harness import ServerTest, cli


def day(n):
    """The date n days from today (the server works in Zurich's zone: the tests keep a day's margin)."""
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


ADDRESSES = {"ana": ("ana.velasquez@liaison.example", "es"), "bruno": ("bruno.okafor@liaison.example", "fr"),
             "carmen": ("carmen.iriarte@liaison.example", "en")}

DUE_SOON = {"en": "Report to a donor due soon:", "fr": "Rapport à un donateur bientôt dû :",
            "es": "Informe a un donante que vence pronto:"}
OVERDUE = {"en": "Report to a donor overdue:", "fr": "Rapport à un donateur en retard :",
           "es": "Informe a un donante atrasado:"}
FINAL_FINANCIAL = {"en": "Final financial report", "fr": "Rapport financier final", "es": "Informe financiero final"}


class Reminders(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        cls.ids = {}
        for name in ("ana", "bruno", "carmen", "dora"):
            u = s.get("/api/v1/users/" + name, user="root").json()
            cls.ids[name] = u["id"]
            if name in ADDRESSES:
                address, lang = ADDRESSES[name]
                r = s.patch("/api/v1/users/%d" % u["id"], {"email": address, "language": lang}, u["version"], user="root")
                assert r.status == 200, r
        r = s.post("/api/v1/organizations?force=true", {"name": {"en": "Invented Principality of Vell"}, "type": "government"},
                   user="bruno")
        assert r.status == 201, r
        cls.donor = r.json()["id"]

    def post(self, kind, body, user="bruno"):
        r = self.s.post("/api/v1/" + kind, body, user=user)
        self.assertStatus(r, 201)
        return r.json()

    def pledge(self, **more):
        body = {"donor": self.donor, "amount": {"amount": "5000.00", "currency": "EUR"}, "pledged_on": day(-400)}
        body.update(more)
        return self.post("pledges", body)

    def deadline(self, pledge, due_in, user="bruno", **more):
        body = {"pledge": pledge["id"], "deliverable": "final_financial", "due_on": day(due_in)}
        body.update(more)
        return self.post("reporting-deadlines", body, user=user)

    def get(self, rid):
        r = self.s.get("/api/v1/reporting-deadlines/%d" % rid, user="root")
        self.assertStatus(r, 200)
        return r.json()

    def outbox(self, rid):
        r = self.s.get("/api/v1/reporting-deadlines/%d/outbox" % rid, user="root")
        self.assertStatus(r, 200)
        return r.json()["items"]

    def message(self, rid):
        """The last message queued for the deadline, as a mail reader parses it."""
        db = sqlite3.connect(self.s.db)
        try:
            row = db.execute("SELECT message FROM outbox WHERE kind = 'reporting-deadlines' AND record_id = ? "
                             "ORDER BY id DESC LIMIT 1", (rid,)).fetchone()
        finally:
            db.close()
        self.assertIsNotNone(row)
        raw = row[0] if isinstance(row[0], bytes) else row[0].encode("utf-8")
        return email.message_from_bytes(raw, policy=email.policy.default)

    def test_due_soon_then_overdue_each_once_in_the_owner_s_language(self):
        p = self.pledge()
        soon = self.deadline(p, 10, owner=self.ids["bruno"])
        later = self.deadline(p, 25, owner=self.ids["bruno"])    # due soon (30 days), not yet within 14
        cli(self.s.db, "pass")
        mail = self.outbox(soon["id"])
        self.assertEqual([m["to"] for m in mail], ["bruno.okafor@liaison.example"])
        self.assertTrue(mail[0]["subject"].startswith(DUE_SOON["fr"]), mail)
        self.assertIn(FINAL_FINANCIAL["fr"], mail[0]["subject"])
        self.assertIn("Invented Principality of Vell", mail[0]["subject"])
        body = self.message(soon["id"]).get_body(("plain",)).get_content()
        self.assertIn("/reporting-deadlines/%d" % soon["id"], body)
        self.assertIn(str(datetime.date.fromisoformat(day(10)).year), body)
        stamped = self.get(soon["id"])
        self.assertIsNotNone(stamped["reminded_at"])
        self.assertIsNone(stamped["overdue_alerted_at"])
        self.assertEqual(self.outbox(later["id"]), [])
        self.assertIsNone(self.get(later["id"])["reminded_at"])

        cli(self.s.db, "pass")   # nothing new
        self.assertEqual(len(self.outbox(soon["id"])), 1)
        self.assertEqual(self.get(soon["id"])["version"], stamped["version"])

        # the date passes (moved here, as time would): the overdue reminder, once
        r = self.s.patch("/api/v1/reporting-deadlines/%d" % soon["id"], {"due_on": day(-3)}, stamped["version"],
                         user="bruno")
        self.assertStatus(r, 200)
        cli(self.s.db, "pass")
        cli(self.s.db, "pass")
        mail = self.outbox(soon["id"])
        self.assertEqual(len(mail), 2, mail)
        self.assertTrue(any(m["subject"].startswith(OVERDUE["fr"]) for m in mail), mail)
        self.assertIsNotNone(self.get(soon["id"])["overdue_alerted_at"])

    def test_the_owner_is_the_deadline_s_else_the_pledge_s_else_its_writer(self):
        followed = self.pledge(owner=self.ids["carmen"])
        own = self.deadline(followed, 5, owner=self.ids["ana"])
        pledge_s = self.deadline(followed, 6)
        writer_s = self.deadline(self.pledge(), -2)       # overdue from the start: only the overdue one
        cli(self.s.db, "pass")
        self.assertEqual([m["to"] for m in self.outbox(own["id"])], ["ana.velasquez@liaison.example"])
        self.assertTrue(self.outbox(own["id"])[0]["subject"].startswith(DUE_SOON["es"]))
        self.assertEqual([m["to"] for m in self.outbox(pledge_s["id"])], ["carmen.iriarte@liaison.example"])
        self.assertTrue(self.outbox(pledge_s["id"])[0]["subject"].startswith(DUE_SOON["en"]))
        self.assertIn(FINAL_FINANCIAL["en"], self.outbox(pledge_s["id"])[0]["subject"])
        late = self.outbox(writer_s["id"])
        self.assertEqual([m["to"] for m in late], ["bruno.okafor@liaison.example"])
        self.assertTrue(late[0]["subject"].startswith(OVERDUE["fr"]), late)
        self.assertIsNone(self.get(writer_s["id"])["reminded_at"])

    def test_a_report_submitted_is_not_reminded_of(self):
        d = self.deadline(self.pledge(), 4, owner=self.ids["bruno"], submission="Sent to the invented desk.")
        r = self.s.post("/api/v1/reporting-deadlines/%d/transitions" % d["id"], {"to": "submitted"}, user="bruno")
        self.assertStatus(r, 200)
        late = self.deadline(self.pledge(), -5, owner=self.ids["bruno"], submission="Sent late, but sent.")
        self.assertStatus(self.s.post("/api/v1/reporting-deadlines/%d/transitions" % late["id"], {"to": "submitted"},
                                      user="bruno"), 200)
        cli(self.s.db, "pass")
        for rid in (d["id"], late["id"]):
            self.assertEqual(self.outbox(rid), [])
            self.assertIsNone(self.get(rid)["reminded_at"])
            self.assertIsNone(self.get(rid)["overdue_alerted_at"])

    def test_an_owner_who_may_not_read_the_pledge_is_told_nothing(self):
        secret = self.pledge(classification="confidential")
        d = self.deadline(secret, 8, owner=self.ids["ana"])
        self.assertStatus(self.s.get("/api/v1/reporting-deadlines/%d" % d["id"], user="ana"), 404)
        cli(self.s.db, "pass")
        self.assertEqual(self.outbox(d["id"]), [])
        self.assertIsNone(self.get(d["id"])["reminded_at"])
        r = self.s.post("/api/v1/pledges/%d/grants" % secret["id"], {"user": "ana"}, user="bruno")
        self.assertStatus(r, 201)
        cli(self.s.db, "pass")
        self.assertEqual([m["to"] for m in self.outbox(d["id"])], ["ana.velasquez@liaison.example"])

    def test_nobody_with_an_address_is_reminded_once_they_have_one(self):
        d = self.deadline(self.pledge(), 7, owner=self.ids["dora"])
        cli(self.s.db, "pass")
        self.assertEqual(self.outbox(d["id"]), [])
        self.assertIsNone(self.get(d["id"])["reminded_at"])
        u = self.s.get("/api/v1/users/dora", user="root").json()
        self.assertStatus(self.s.patch("/api/v1/users/%d" % u["id"], {"email": "dora.lindqvist@liaison.example"},
                                       u["version"], user="root"), 200)
        cli(self.s.db, "pass")
        self.assertEqual([m["to"] for m in self.outbox(d["id"])], ["dora.lindqvist@liaison.example"])
        self.assertIsNotNone(self.get(d["id"])["reminded_at"])

    def test_the_reminders_days_are_a_setting(self):
        d = self.deadline(self.pledge(), 40, owner=self.ids["bruno"])
        cli(self.s.db, "pass")
        self.assertEqual(self.outbox(d["id"]), [])
        wider = os.path.join(self.s.dir, "reminders.json")
        with open(wider, "w") as f:
            f.write('{"donors": {"reminder_days": 45}}')
        cli(self.s.db, "pass", "--config", wider)
        self.assertEqual([m["to"] for m in self.outbox(d["id"])], ["bruno.okafor@liaison.example"])
        bad = os.path.join(self.s.dir, "bad-reminders.json")
        with open(bad, "w") as f:
            f.write('{"donors": {"reminder_days": "soon"}}')
        wrong = cli(self.s.db, "pass", "--config", bad, check=False)
        self.assertEqual(wrong.returncode, 1)
        self.assertIn("donors.reminder_days must be a whole number from 0 to 365", wrong.stderr)
