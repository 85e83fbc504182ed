"""The international meetings tracker over HTTP: a meeting's priority score from
rules written as data, with its explanation, and every meeting scored again when
a rule changes; a priority set by hand needs its reason; a meeting does not end
before it starts; representations move along their workflow (409 with the moves
open, a report before reported, the report's due date set when attended); the
home page's counts agree with the lists they link to; the alerts' mail is queued
once and only once, by `liaison pass` and by the server's own periodic thread;
who may read and write; the pages in French and Spanish; the calendar feed, one
per language, read by an independent parser.  Everyone and everything here is
invented."""
import datetime
import json
import os
import re
import subprocess
import time
import unittest

from harness import ICAL_LINT, Server, ServerTest, all_items, cli
from test_desk_pages import TextParser
from test_pages import Client, catalog

ICAL_CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ical_check.mjs")

USERS = [
    ("ana", "staff", "FO"),
    ("bruno", "staff", "IPD"),
    ("dora", "viewer", "FO"),
    ("root", "admin", None),
]


def day(n):
    """The date n days from today, as the API writes dates (the server works in Zurich's zone: a day's margin)."""
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def read_calendar(test, body):
    """The calendar as ical.js reads it; the octets checked here too: CRLF, no physical line over 75 octets."""
    raw = body.encode("utf-8")
    test.assertTrue(raw.endswith(b"\r\n"))
    for physical in raw[:-2].split(b"\r\n"):
        test.assertLessEqual(len(physical), 75, physical)
        test.assertNotIn(b"\n", physical)
        physical.decode("utf-8")
    proc = subprocess.run(["node", ICAL_CHECK], input=body, capture_output=True, text=True, timeout=60)
    test.assertEqual(proc.returncode, 0, proc.stderr)
    read = json.loads(proc.stdout)
    read["instants"] = libical_reads(test, body)
    return read


def libical_reads(test, body):
    """{uid: (start, end)}, Unix seconds, as libical reads the calendar through its own VTIMEZONEs;
    the test fails on any problem libical's restriction checker (RFC 5546) finds."""
    proc = subprocess.run([ICAL_LINT], input=body.encode("utf-8"), capture_output=True, timeout=60)
    out = proc.stdout.decode("utf-8", "replace")
    test.assertEqual(proc.returncode, 0, out)
    instants = {}
    for line in out.splitlines():
        uid, start, end = line.rsplit(" ", 2)
        instants[uid] = (int(start), int(end))
    return instants


class Tracker(ServerTest):
    users = USERS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = {u: cls.s.get("/api/v1/users/" + u, user="root").json()["id"] for u, _, _ in USERS}
        for name, email, lang in (("ana", "ana.velasquez@liaison.example", "es"), ("bruno", "bruno.okafor@liaison.example", "fr")):
            u = cls.s.get("/api/v1/users/" + name, user="root").json()
            r = cls.s.patch("/api/v1/users/%d" % u["id"], {"email": email, "language": lang}, u["version"], user="root")
            assert r.status == 200, r

    def meeting(self, user="ana", **fields):
        body = {"title": {"en": "Invented consultation"}, "starts_on": day(60)}
        body.update(fields)
        r = self.s.post("/api/v1/meetings", body, user=user)
        self.assertStatus(r, 201)
        return r.json()

    def rule(self, **fields):
        r = self.s.post("/api/v1/meeting-priority-rules", fields, user="root")
        self.assertStatus(r, 201)
        return r.json()

    def get(self, kind, rid, user="ana"):
        r = self.s.get("/api/v1/%s/%d" % (kind, rid), user=user)
        self.assertStatus(r, 200)
        return r.json()

    def move(self, rep, to, user="ana", **more):
        body = {"to": to}
        body.update(more)
        return self.s.post("/api/v1/representations/%d/transitions" % rep["id"], body, user=user)

    def representation(self, meeting, who="bruno", **fields):
        body = {"meeting": meeting["id"], "who": self.ids[who], "level": "senior_officials"}
        body.update(fields)
        r = self.s.post("/api/v1/representations", body, user="ana")
        self.assertStatus(r, 201)
        return r.json()

    def outbox(self, kind, rid):
        r = self.s.get("/api/v1/%s/%d/outbox" % (kind, rid), user="root")
        self.assertStatus(r, 200)
        return r.json()["items"]

    def count(self, kind):
        return len(all_items(self.s, "/api/v1/" + kind + "?archived=true"))


class Priority(Tracker):
    def test_the_score_is_the_sum_of_the_rules_that_match_and_says_why(self):
        topic = "invented fisheries mobility"   # this test's own topic keeps other tests' meetings out
        a = self.rule(name="Strategic topic", topics=[topic, "another topic"], points=40)
        b = self.rule(name="Ministerial on the topic", level="ministerial", topics=[topic], points=30)
        c = self.rule(name="Zorvalia takes part", member_states=["PH"], topics=[topic], points=5)
        off = self.rule(name="Switched off", topics=[topic], points=100, active=False)
        said = "INVENTED FÍSHERIES Mobility"   # case and accents aside, the same topic
        high = self.meeting(level="ministerial", topics=[said], member_states=["PH", "MX"])
        medium = self.meeting(level="technical", topics=[topic])
        low = self.meeting(level="ministerial", topics=["unrelated"])
        self.assertEqual((high["priority_score"], high["priority"]), (75, "high"))
        self.assertEqual((medium["priority_score"], medium["priority"]), (40, "medium"))
        self.assertEqual((low["priority_score"], low["priority"]), (0, "low"))
        facts = json.loads(high["priority_facts"])
        self.assertEqual(sorted(r["rule"] for r in facts["rules"]), sorted([a["id"], b["id"], c["id"]]))
        self.assertNotIn(off["id"], [r["rule"] for r in facts["rules"]])
        by_rule = {r["rule"]: r for r in facts["rules"]}
        self.assertEqual(by_rule[b["id"]]["level"], "ministerial")
        self.assertEqual(by_rule[c["id"]]["member_state"], "PH")
        self.assertEqual(by_rule[a["id"]]["topic"], said)
        self.assertEqual((facts["score"], facts["computed"], facts["thresholds"]), (75, "high", {"high": 60, "medium": 30}))

        # a rule changed: every meeting scored again at once, as the docs say
        r = self.s.patch("/api/v1/meeting-priority-rules/%d" % a["id"], {"points": 10}, a["version"], user="root")
        self.assertStatus(r, 200)
        again = self.get("meetings", medium["id"])
        self.assertEqual((again["priority_score"], again["priority"]), (10, "low"))
        self.assertEqual(again["version"], medium["version"] + 1)
        self.assertEqual(self.get("meetings", low["id"])["version"], low["version"])   # nothing changed: not written
        # archiving a rule takes it out; switching one on brings it in
        self.assertStatus(self.s.delete("/api/v1/meeting-priority-rules/%d" % b["id"], user="root"), 204)
        self.assertEqual(self.get("meetings", high["id"])["priority_score"], 15)
        r = self.s.patch("/api/v1/meeting-priority-rules/%d" % off["id"], {"active": True}, off["version"], user="root")
        self.assertStatus(r, 200)
        self.assertEqual(self.get("meetings", high["id"])["priority"], "high")
        # the rescore is in the meeting's history, written by the rule's author
        trail = self.s.get("/api/v1/audit?kind=meetings&id=%d" % medium["id"], user="root").json()["items"]
        self.assertIn("rescore", [e["action"] for e in trail])

    def test_a_priority_set_by_hand_needs_its_reason(self):
        before = self.count("meetings")
        r = self.s.post("/api/v1/meetings", {"title": {"en": "Hand-set"}, "starts_on": day(30), "priority_override": "high"},
                        user="ana")
        self.assertProblem(r, 422, "override_reason")
        r = self.s.post("/api/v1/meetings", {"title": {"en": "Hand-set"}, "starts_on": day(30), "priority_override": "high",
                                             "override_reason": "   "}, user="ana")
        self.assertProblem(r, 422, "override_reason")
        self.assertEqual(self.count("meetings"), before)   # nothing half-written
        m = self.meeting(priority_override="high", override_reason="The Director-General speaks there.")
        self.assertEqual(m["priority"], "high")
        self.assertEqual(json.loads(m["priority_facts"])["override"], "high")
        r = self.s.patch("/api/v1/meetings/%d" % m["id"], {"override_reason": None}, m["version"], user="ana")
        self.assertProblem(r, 422, "override_reason")
        self.assertEqual(self.get("meetings", m["id"])["version"], m["version"])
        r = self.s.patch("/api/v1/meetings/%d" % m["id"], {"priority_override": None, "override_reason": None}, m["version"],
                         user="ana")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["priority"], json.loads(r.json()["priority_facts"])["computed"])

    def test_a_meeting_does_not_end_before_it_starts(self):
        before = self.count("meetings")
        r = self.s.post("/api/v1/meetings", {"title": {"en": "Backwards"}, "starts_on": "2027-03-10", "ends_on": "2027-03-09"},
                        user="ana")
        self.assertProblem(r, 422, "ends_on")
        self.assertEqual(self.count("meetings"), before)
        m = self.meeting(starts_on="2027-03-10", ends_on="2027-03-10")   # one day is fine
        r = self.s.patch("/api/v1/meetings/%d" % m["id"], {"starts_on": "2027-03-11"}, m["version"], user="ana")
        self.assertProblem(r, 422, "ends_on")

    def test_bad_input_is_a_problem_and_writes_nothing(self):
        before, rules = self.count("meetings"), self.count("meeting-priority-rules")
        cases = [
            ({"title": {"en": "x"}}, "starts_on"),
            ({"title": {"en": "x"}, "starts_on": "2027-02-30"}, "starts_on"),
            ({"title": {"en": "x"}, "starts_on": "2027-02-03", "level": "supreme"}, "level"),
            ({"title": {"en": "x"}, "starts_on": "2027-02-03", "topics": "not a list"}, "topics"),
            ({"title": {"en": "x"}, "starts_on": "2027-02-03", "priority": "high"}, "priority"),   # the score's own
            ({"title": {"en": "x"}, "starts_on": "2027-02-03", "priority_score": 99}, "priority_score"),
            ({"title": {"en": "x"}, "starts_on": "2027-02-03", "organizer": 999999}, "organizer"),
            ({"title": {"en": "x"}, "starts_on": "2027-02-03", "colour": "blue"}, "colour"),
            ({"title": {"en": "x"}, "starts_on": "2027-02-03", "member_states": ["PH", "Zorvalia"]}, "member_states[1]"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                self.assertProblem(self.s.post("/api/v1/meetings", body, user="ana"), 422, field)
        self.assertProblem(self.s.request("POST", "/api/v1/meetings", raw=b'{"title": ', user="ana",
                                          headers={"Content-Type": "application/json"}), 400)
        self.assertProblem(self.s.request("POST", "/api/v1/meetings", raw=b"title=x", user="ana",
                                          headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
        self.assertProblem(self.s.get("/api/v1/meetings?view=nonsense", user="ana"), 400)
        r = self.s.post("/api/v1/meeting-priority-rules", {"name": "No condition", "points": 5}, user="root")
        self.assertProblem(r, 422, "level")
        r = self.s.post("/api/v1/meeting-priority-rules", {"name": "Too much", "level": "expert", "points": 5000}, user="root")
        self.assertProblem(r, 422, "points")
        r = self.s.post("/api/v1/meeting-priority-rules", {"name": "Nowhere", "member_states": ["XQ"], "points": 5}, user="root")
        self.assertProblem(r, 422, "member_states[0]")
        m = self.meeting()
        for body, field in (({"meeting": m["id"]}, "who"), ({"who": self.ids["ana"]}, "meeting"),
                            ({"meeting": 999999, "who": self.ids["ana"]}, "meeting"),
                            ({"meeting": m["id"], "who": self.ids["ana"], "status": "attended"}, "status"),
                            ({"meeting": m["id"], "who": self.ids["ana"], "report_due": "soon"}, "report_due")):
            with self.subTest(body=body):
                self.assertProblem(self.s.post("/api/v1/representations", body, user="ana"), 422, field)
        self.assertEqual(self.count("representations"), 0)
        before += 1
        self.assertProblem(self.s.get("/api/v1/meetings/calendar.ics?lang=de", user="ana"), 400)
        self.assertEqual((self.count("meetings"), self.count("meeting-priority-rules")), (before, rules))


class Search(Tracker):
    def test_meetings_are_found_by_their_words_and_facets(self):
        m = self.meeting(title={"en": "Quorvath harbour dialogue", "fr": "Dialogue du port de Quorvath"}, level="expert",
                         topics=["quorvath shipping"], member_states=["MX"])
        other = self.meeting(title={"en": "Quorvath inland dialogue"}, level="technical")

        def found(q, user="ana"):
            r = self.s.get("/api/v1/search?q=" + q.replace(" ", "%20"), user=user)
            self.assertStatus(r, 200)
            return {(i["kind"], i["id"]) for i in r.json()["items"]}

        self.assertIn(("meetings", m["id"]), found("port Quorvath"))   # the French title
        self.assertEqual(found("quorvath level:expert"), {("meetings", m["id"])})
        self.assertEqual(found("quorvath member_states:MX"), {("meetings", m["id"])})
        self.assertIn(("meetings", other["id"]), found("type:meetings quorvath"))
        public = self.s.get("/api/v1/search?q=quorvath")   # the public searches the public records only
        self.assertStatus(public, 200)
        self.assertEqual(public.json()["items"], [])


class Representations(Tracker):
    def test_the_workflow_its_stamps_and_the_report(self):
        m = self.meeting(starts_on="2027-04-20", ends_on="2027-04-22")
        rep = self.representation(m)
        self.assertEqual((rep["status"], rep["name"]), ("proposed", "bruno"))   # named by who goes
        page = Client(self.s)
        self.assertEqual(page.sign_in("ana").status, 303)
        self.assertIn('<a href="/representations/%d">bruno</a>' % rep["id"], page.get("/meetings/%d" % m["id"]).body)
        self.assertProblem(self.s.post("/api/v1/representations", {"meeting": m["id"], "who": self.ids["ana"], "name": "x"},
                                       user="ana"), 422, "name")
        r = self.move(rep, "attended")
        p = self.assertProblem(r, 409)
        self.assertEqual(sorted(x["to"] for x in p["allowed"]), ["cancelled", "confirmed"])
        r = self.move(rep, "confirmed")
        self.assertStatus(r, 200)
        rep = r.json()
        self.assertRegex(rep["confirmed_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        r = self.move(rep, "attended")
        self.assertStatus(r, 200)
        rep = r.json()
        self.assertIsNotNone(rep["attended_at"])
        self.assertEqual(rep["report_due"], "2027-05-06")   # the last day and fourteen days
        self.assertProblem(self.move(rep, "cancelled"), 409)   # attended is past cancelling
        self.assertProblem(self.move(rep, "reported"), 422, "report")
        self.assertEqual(self.get("representations", rep["id"])["version"], rep["version"])
        r = self.move(rep, "reported", report="The invented panel agreed on a fictional roadmap.")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["status"], "reported")
        p = self.assertProblem(self.move(r.json(), "proposed"), 409)
        self.assertEqual(p["allowed"], [])

    def test_bad_moves_are_problems_and_change_nothing(self):
        rep = self.representation(self.meeting())
        url = "/api/v1/representations/%d/transitions" % rep["id"]
        for body, status in (({"to": "vanished"}, 422), ({"to": 5}, 422), ({}, 422), ({"to": "confirmed", "colour": "x"}, 422)):
            with self.subTest(body=body):
                p = self.assertProblem(self.s.post(url, body, user="ana"), status)
                self.assertTrue(p.get("errors") or p.get("allowed") is not None, p)
        self.assertProblem(self.s.request("POST", url, raw=b"{", user="ana", headers={"Content-Type": "application/json"}), 400)
        self.assertProblem(self.s.patch("/api/v1/representations/%d" % rep["id"], {"status": "reported"}, rep["version"], user="ana"),
                           409)
        self.assertProblem(self.s.patch("/api/v1/representations/%d" % rep["id"], {"report": "x"}, rep["version"] + 7, user="ana"),
                           412)
        self.assertEqual(self.get("representations", rep["id"])["version"], rep["version"])

    def test_a_report_due_date_given_by_hand_stays(self):
        m = self.meeting(starts_on="2027-04-20")
        rep = self.representation(m, status="confirmed", report_due="2027-04-25")
        r = self.move(rep, "attended")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["report_due"], "2027-04-25")

    def test_the_representative_writes_the_report_a_viewer_nothing(self):
        m = self.meeting()
        rep = self.representation(m, who="bruno", status="confirmed")
        r = self.s.patch("/api/v1/representations/%d" % rep["id"], {"report": "Notes."}, rep["version"], user="bruno")
        self.assertStatus(r, 200)   # bruno is of another division, but it is his representation
        self.assertStatus(self.s.patch("/api/v1/representations/%d" % rep["id"], {"report": "Mine."}, r.json()["version"],
                                       user="dora"), 403)


class Access(Tracker):
    def test_viewers_read_the_public_sees_nothing(self):
        m = self.meeting()
        self.assertStatus(self.s.get("/api/v1/meetings/%d" % m["id"], user="dora"), 200)
        self.assertStatus(self.s.post("/api/v1/meetings", {"title": {"en": "x"}, "starts_on": day(3)}, user="dora"), 403)
        self.assertStatus(self.s.patch("/api/v1/meetings/%d" % m["id"], {"place": "Geneva"}, m["version"], user="dora"), 403)
        self.assertStatus(self.s.post("/api/v1/meeting-priority-rules", {"name": "x", "level": "expert", "points": 1},
                                      user="ana"), 403)   # rules are the administrators'
        for path in ("/api/v1/meetings", "/api/v1/meetings/%d" % m["id"], "/api/v1/representations",
                     "/api/v1/meeting-priority-rules", "/api/v1/meetings/calendar.ics"):
            with self.subTest(path=path):
                self.assertStatus(self.s.get(path), 401)
        r = Client(self.s).get("/meetings/%d" % m["id"])
        self.assertEqual(r.status, 303)   # to the sign-in page
        self.assertNotIn("Invented consultation", r.body)


class HomeAndAlerts(Tracker):
    def home_counts(self, user):
        c = Client(self.s)
        self.assertEqual(c.sign_in(user).status, 303)
        body = c.get("/").body
        tiles = re.findall(r'<a class="tile ([a-z ]*)" href="([^"]+)"><strong>([^<]+)</strong>', body)
        return c, {href.replace("&amp;", "&"): (tone.strip(), int(n)) for tone, href, n in tiles}

    def list_page_rows(self, c, href):
        body = c.get(href).body
        return len(re.findall(r'<tr[^>]*>\s*<td data-label', body))

    def test_counts_agree_with_their_lists_and_the_mail_goes_once(self):
        high = dict(priority_override="high", override_reason="Invented ministerial reasons.", owner=None)
        gap = self.meeting(title={"en": "Soon, nobody going"}, starts_on=day(3), **high)
        covered = self.meeting(title={"en": "Soon, covered"}, starts_on=day(4), **high)
        self.representation(covered, status="confirmed")
        far = self.meeting(title={"en": "Far off"}, starts_on=day(40), **high)
        medium = self.meeting(title={"en": "Soon, medium"}, starts_on=day(2), priority_override="medium",
                              override_reason="Invented.")
        called_off = self.meeting(title={"en": "Soon, called off"}, starts_on=day(3), status="cancelled", **high)
        put_off = self.meeting(title={"en": "Soon, put off"}, starts_on=day(3), status="postponed", **high)
        followed = self.meeting(title={"en": "Soon, followed by Bruno"}, starts_on=day(5), **dict(high, owner=self.ids["bruno"]))
        past = self.meeting(title={"en": "Long over"}, starts_on="2026-01-10", ends_on="2026-01-12")
        late = self.representation(past, who="bruno", status="confirmed")
        late = self.move(late, "attended").json()
        self.assertEqual(late["report_due"], "2026-01-26")
        done = self.representation(past, who="ana", status="confirmed")
        done = self.move(self.move(done, "attended").json(), "reported", report="Filed.").json()

        listed = {m["id"] for m in all_items(self.s, "/api/v1/meetings?view=unrepresented", user="ana")}
        self.assertIn(gap["id"], listed)
        self.assertIn(followed["id"], listed)
        self.assertEqual(gap["status"], "planned")   # the status a meeting begins with
        for m in (covered, far, medium, past, called_off, put_off):
            self.assertNotIn(m["id"], listed)
        overdue = {r["id"] for r in all_items(self.s, "/api/v1/representations?view=report-overdue", user="ana")}
        self.assertIn(late["id"], overdue)
        self.assertNotIn(done["id"], overdue)

        c, counts = self.home_counts("ana")
        self.assertEqual(counts["/meetings?view=unrepresented"], ("overdue", len(listed)))
        self.assertEqual(counts["/representations?view=report-overdue"], ("overdue", len(overdue)))
        self.assertEqual(self.list_page_rows(c, "/meetings?view=unrepresented"), len(listed))
        self.assertEqual(self.list_page_rows(c, "/representations?view=report-overdue"), len(overdue))

        # confirming someone closes the gap, in the count and the list alike
        self.representation(followed, who="ana", status="confirmed")
        _, counts = self.home_counts("ana")
        self.assertEqual(counts["/meetings?view=unrepresented"], ("overdue", len(listed) - 1))

        # the pass: one message to the follower (else the creator), one to the late representative
        cli(self.s.db, "pass")
        gap_mail = self.outbox("meetings", gap["id"])
        self.assertEqual(len(gap_mail), 1)
        self.assertIn("Soon, nobody going", gap_mail[0]["subject"])
        self.assertEqual(gap_mail[0]["to"], "ana.velasquez@liaison.example")
        self.assertTrue(gap_mail[0]["subject"].startswith("Nadie confirmado"), gap_mail)   # in Ana's language
        self.assertIsNotNone(self.get("meetings", gap["id"])["gap_alerted_at"])
        self.assertEqual(self.outbox("meetings", followed["id"]), [])   # covered before the pass
        late_mail = self.outbox("representations", late["id"])
        self.assertEqual([m["to"] for m in late_mail], ["bruno.okafor@liaison.example"])
        self.assertTrue(late_mail[0]["subject"].startswith("Rapport en retard"))
        self.assertEqual(self.outbox("representations", done["id"]), [])
        stamped = self.get("meetings", gap["id"])
        cli(self.s.db, "pass")
        cli(self.s.db, "pass")
        self.assertEqual(len(self.outbox("meetings", gap["id"])), 1)   # once and only once
        self.assertEqual(len(self.outbox("representations", late["id"])), 1)
        self.assertEqual(self.get("meetings", gap["id"])["version"], stamped["version"])

    def test_a_confidential_meeting_is_not_mailed_to_who_may_not_read_it(self):
        m = self.meeting(title={"en": "Secret summit"}, starts_on=day(2), priority_override="high",
                         override_reason="Invented.", owner=self.ids["bruno"], classification="confidential")
        self.assertStatus(self.s.get("/api/v1/meetings/%d" % m["id"], user="bruno"), 404)
        cli(self.s.db, "pass")
        self.assertEqual(self.outbox("meetings", m["id"]), [])
        self.assertIsNone(self.get("meetings", m["id"])["gap_alerted_at"])
        r = self.s.post("/api/v1/meetings/%d/grants" % m["id"], {"user": "bruno"}, user="ana")
        self.assertStatus(r, 201)
        cli(self.s.db, "pass")
        self.assertEqual([x["to"] for x in self.outbox("meetings", m["id"])], ["bruno.okafor@liaison.example"])

    def test_the_pass_command_says_how_it_is_used(self):
        self.assertIn("usage: liaison pass", cli(self.s.db, "pass", "--help").stdout)
        wrong = cli(self.s.db, "pass", "now", check=False)
        self.assertEqual(wrong.returncode, 2)
        self.assertIn("liaison pass: unexpected argument now", wrong.stderr)
        bad = os.path.join(self.s.dir, "bad.json")
        with open(bad, "w") as f:
            f.write('{"meetings": {"alert_days": -3}}')
        wrong = cli(self.s.db, "pass", "--config", bad, check=False)
        self.assertEqual(wrong.returncode, 1)
        self.assertIn("meetings.alert_days must be a whole number from 0 to 365", wrong.stderr)

    def test_nobody_with_an_address_is_alerted_once_they_have_one(self):
        m = self.meeting(title={"en": "Dora follows"}, starts_on=day(1), priority_override="high",
                         override_reason="Invented.", owner=self.ids["dora"])
        cli(self.s.db, "pass")
        self.assertEqual(self.outbox("meetings", m["id"]), [])
        self.assertIsNone(self.get("meetings", m["id"])["gap_alerted_at"])
        u = self.s.get("/api/v1/users/dora", user="root").json()
        self.assertStatus(self.s.patch("/api/v1/users/%d" % u["id"], {"email": "dora.lindqvist@liaison.example"},
                                       u["version"], user="root"), 200)
        cli(self.s.db, "pass")
        self.assertEqual([x["to"] for x in self.outbox("meetings", m["id"])], ["dora.lindqvist@liaison.example"])


class PassThread(Tracker):
    """The server runs the passes itself, every --passes-every seconds."""
    server_args = ("--passes-every", "1")

    def test_the_server_alerts_on_its_own(self):
        m = self.meeting(starts_on=day(2), priority_override="high", override_reason="Invented.")
        deadline = time.time() + 20
        while time.time() < deadline and not self.outbox("meetings", m["id"]):
            time.sleep(0.2)
        self.assertEqual(len(self.outbox("meetings", m["id"])), 1)
        time.sleep(2.5)   # more passes: still one
        self.assertEqual(len(self.outbox("meetings", m["id"])), 1)


class Pages(Tracker):
    def english(self, lang):
        theirs = catalog(lang)
        return {msgid for msgid, msgstr in catalog("en").items() if theirs.get(msgid) not in (None, "", msgid)}

    def test_the_page_says_the_priority_and_the_gap_in_the_readers_language(self):
        topic = "invented coastal labour"
        self.rule(name="Coastal labour", level="ministerial", topics=[topic], points=70)
        m = self.meeting(title={"en": "Coastal labour ministerial", "fr": "Ministérielle du travail côtier",
                                "es": "Ministerial del trabajo costero"},
                         starts_on=day(20), level="ministerial", topics=[topic])
        for lang, words in (("en", ["Priority: High", "“Coastal labour” (+70 points): the level is Ministerial; a topic is",
                                    "Nobody is confirmed to represent the organization yet."]),
                            ("fr", ["Ministérielle du travail côtier", "Ministériel"]),
                            ("es", ["Ministerial del trabajo costero", "Ministerial"])):
            with self.subTest(lang=lang):
                c = Client(self.s, lang)
                self.assertEqual(c.sign_in("root").status, 303)   # who chose no language: the browser's
                r = c.get("/meetings/%d" % m["id"])
                self.assertEqual(r.status, 200)
                self.assertIn('<html lang="%s">' % lang, r.body)
                for w in words:
                    self.assertIn(w, r.body.replace("&#39;", "'"))
                # the calendar in each language, reachable from the page with the browser's own session
                hrefs = re.findall(r'href="(/api/v1/meetings/calendar\.ics\?lang=(?:en|fr|es))"', r.body)
                self.assertEqual(len(hrefs), 3)
                feed = c.get(hrefs[["en", "fr", "es"].index(lang)])
                self.assertEqual(feed.status, 200)
                summaries = [e["summary"] for e in read_calendar(self, feed.body)["events"]]
                self.assertIn({"en": "Coastal labour ministerial", "fr": "Ministérielle du travail côtier",
                               "es": "Ministerial del trabajo costero"}[lang], summaries)
                if lang == "en":
                    continue
                english = self.english(lang)
                for path in ("/meetings/%d" % m["id"], "/meetings", "/meetings?view=unrepresented", "/meetings/new",
                             "/representations", "/representations?view=report-overdue", "/meeting-priority-rules"):
                    p = TextParser(lang)
                    p.feed(c.get(path).body)
                    found = sorted({t for t in p.texts if t in english or t.rstrip(".:") in english})
                    self.assertEqual(found, [], path)


class Feed(Tracker):
    def test_one_calendar_per_language_read_by_another_parser(self):
        long_title = "Consultation régionale sur la mobilité de la main-d’œuvre; pêche, côtes et « îles » inventées"
        m = self.meeting(title={"en": "Regional consultation; fisheries, coasts", "fr": long_title},
                         starts_on="2027-06-01", ends_on="2027-06-03", place="Salle 3, Genève", level="expert")
        one = self.meeting(title={"en": "One-day expert meeting"}, starts_on="2027-06-10", virtual=True, status="cancelled")
        gone = self.meeting(title={"en": "Archived meeting"}, starts_on="2027-06-11")
        self.assertStatus(self.s.delete("/api/v1/meetings/%d" % gone["id"], user="ana"), 204)
        bodies = {}
        for lang in ("en", "fr", "es"):
            r = self.s.get("/api/v1/meetings/calendar.ics?lang=" + lang, user="ana")
            self.assertStatus(r, 200)
            self.assertTrue(r.header("Content-Type").startswith("text/calendar"))
            bodies[lang] = r.body
            cal = read_calendar(self, r.body)
            self.assertEqual(cal["method"], "PUBLISH")
            events = {e["uid"]: e for e in cal["events"]}
            ours = [e for uid, e in events.items() if uid.startswith("meeting-%d@" % m["id"])]
            self.assertEqual(len(ours), 1)
            e = ours[0]
            self.assertEqual((e["start"], e["end"], e["start_is_date"], e["end_is_date"]),
                             ("2027-06-01", "2027-06-04", True, True))   # the day after the last
            self.assertEqual(e["location"], "Salle 3, Genève")
            self.assertEqual(e["attendees"], 0)
            self.assertEqual(e["summary"], long_title if lang == "fr" else "Regional consultation; fisheries, coasts")
            one_day = [x for uid, x in events.items() if uid.startswith("meeting-%d@" % one["id"])][0]
            self.assertEqual((one_day["start"], one_day["end"]), ("2027-06-10", "2027-06-11"))
            self.assertEqual((one_day["status"], e["status"]), ("CANCELLED", "CONFIRMED"))   # called off, still shown
            self.assertFalse([x for uid, x in events.items() if uid.startswith("meeting-%d@" % gone["id"])])
            label = {"en": "Level: Expert", "fr": "Niveau : Expert", "es": "Nivel: Experto"}[lang]
            self.assertIn(label, e["description"])
        self.assertIn("\\;", bodies["en"])   # TEXT escaped as the RFC says
        self.assertIn("\\,", bodies["en"])
        self.assertIn("\r\n ", bodies["fr"])   # the long French title folded
        self.assertNotEqual(bodies["fr"], bodies["es"])
        # the caller's own language when none is asked for: Ana reads Spanish
        cal = read_calendar(self, self.s.get("/api/v1/meetings/calendar.ics", user="ana").body)
        self.assertIn("Nivel: Experto", "".join(e["description"] or "" for e in cal["events"]))

    def test_a_calendar_link_serves_the_tracker_without_other_credentials(self):
        m = self.meeting(title={"en": "Linked meeting", "es": "Reunión enlazada"}, starts_on="2027-07-01",
                         classification="restricted", division="FO")
        secret_of = lambda url: re.fullmatch(r"/api/v1/calendar/([0-9a-f]{64})\.ics", url).group(1)
        r = self.s.post("/api/v1/users/bruno/calendar-links", {"for": "user"}, user="bruno")
        self.assertStatus(r, 201)
        bruno = "/api/v1/meetings/calendar/%s.ics" % secret_of(r.json()["url"])
        r = self.s.post("/api/v1/users/ana/calendar-links", {"for": "division"}, user="ana")
        self.assertStatus(r, 201)
        fo = "/api/v1/meetings/calendar/%s.ics" % secret_of(r.json()["url"])
        uid = "meeting-%d@" % m["id"]
        # the link's owner reads: bruno (IPD) not the front office's restricted meeting, the front office's link does
        r = self.s.get(bruno + "?lang=es")   # no credentials
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Cache-Control"), "private, no-store")
        self.assertFalse([e for e in read_calendar(self, r.body)["events"] if e["uid"].startswith(uid)])
        events = [e for e in read_calendar(self, self.s.get(fo + "?lang=es").body)["events"] if e["uid"].startswith(uid)]
        self.assertEqual([e["summary"] for e in events], ["Reunión enlazada"])
        self.assertStatus(self.s.get("/api/v1/meetings/calendar/%s.ics" % ("0" * 64)), 404)
        self.assertStatus(self.s.get("/api/v1/meetings/calendar/nonsense.ics"), 404)
        self.assertProblem(self.s.get(fo + "?lang=xx"), 400)
        # renewing the link ends the old one, here as for the briefings
        self.assertStatus(self.s.post("/api/v1/users/bruno/calendar-links", {"for": "user"}, user="bruno"), 201)
        self.assertStatus(self.s.get(bruno), 404)


if __name__ == "__main__":
    unittest.main()
