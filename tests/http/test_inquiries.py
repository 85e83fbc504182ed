"""The inquiry desk over HTTP and the command line: the public form (honeypot,
rate limit, tracking), routing rules, the status workflow and its clocks,
replies sent through a real SMTP sink, canned answers, the queue, and e-mail
read from a Maildir (threading, automatic replies, loops, quarantine).
"""
import email
import email.policy
import json
import os
import re
import socket
import tempfile
import time
import unittest

from harness import ServerTest, cli

try:
    from aiosmtpd.controller import Controller
except ImportError:  # Debian's python3-aiosmtpd, installed by tools/setup
    Controller = None


class Sink:
    """Keeps every message the relay receives."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def desk_config(path, smtp_port=None, hours=None, per_hour=1000):
    """Every day, all day, so that the clocks do not depend on when the tests run."""
    conf = {"calendar": {"time_zone": "UTC", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                         "hours": [["00:00", "24:00"]]}, "intake_per_hour": per_hour,
            "mail": {"from_addr": "desk@liaison.example", "from_name": "Liaison desk", "loop_id": "test-desk"}}
    if smtp_port:
        conf["mail"]["smtp_url"] = "smtp://127.0.0.1:%d" % smtp_port
    if hours:
        conf["targets"] = {p: {"first_response": hours[0], "resolution": hours[1]}
                           for p in ("low", "normal", "high", "urgent")}
    with open(path, "w") as f:
        json.dump(conf, f)
    return path


def delivered(server, message, timeout=20):
    """The outgoing message once the outbox has had the relay's word on it:
    its delivery no longer "queued" (or as it still is after timeout seconds)."""
    deadline = time.time() + timeout
    while True:
        m = server.get("/api/v1/inquiry-messages/%d" % message["id"], user="root").json()
        if m["delivery"] != "queued" or time.time() > deadline:
            return m
        time.sleep(0.05)


def ask(server, **fields):
    body = {"name": "Ilsa Marquand", "email": "ilsa.marquand@example.org",
            "subject": "Question about the partnership call", "message": "Where can we read the rules of the call?"}
    body.update(fields)
    return server.post("/api/v1/public/inquiries", body)


@unittest.skipIf(Controller is None, "python3-aiosmtpd is not installed")
class DeskTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        with socket.socket() as probe:  # a free port for the relay
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        cls.controller = Controller(cls.sink, hostname="127.0.0.1", port=port)
        cls.controller.start()
        cls.conf_dir = tempfile.mkdtemp(prefix="liaison-desk-")
        cls.server_args = ("--config", desk_config(os.path.join(cls.conf_dir, "desk.json"), port))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.controller.stop()

    def inquiry(self, ref):
        r = self.s.get("/api/v1/inquiries/" + ref, user="root")
        self.assertStatus(r, 200)
        return r.json()

    def test_the_public_form_gives_a_reference_and_a_private_tracking_view(self):
        r = ask(self.s, subject="Demande d'information sur le programme",
                message="Bonjour, nous voudrions savoir comment participer au programme. Merci beaucoup.")
        self.assertStatus(r, 201)
        doc = r.json()
        self.assertRegex(doc["reference"], r"^INQ-\d{4}-\d{6}$")
        self.assertEqual(doc["tracking"], "/track/%s?token=%s" % (doc["reference"], doc["token"]))
        inq = self.inquiry(doc["reference"])
        self.assertEqual((inq["channel"], inq["status"], inq["language"]), ("web", "new", "fr"))
        self.assertNotEqual(inq["tracking_token"], doc["token"])  # only its hash is kept
        view = self.s.get("/api/v1/public/inquiries/%s?token=%s" % (doc["reference"], doc["token"]))
        self.assertStatus(view, 200)
        self.assertEqual(view.json()["status"], "new")
        shown = view.json()
        self.assertEqual((shown["reference"], shown["subject"], shown["language"]),
                         (doc["reference"], "Demande d'information sur le programme", "fr"))
        self.assertTrue(shown["question"].startswith("Bonjour, nous voudrions"))
        self.assertRegex(shown["received_at"], r"^\d{4}-\d\d-\d\dT")
        self.assertNotIn("requester_email", view.json())
        self.assertProblem(self.s.get("/api/v1/public/inquiries/%s?token=%s" % (doc["reference"], "0" * 48)), 404)
        self.assertProblem(self.s.get("/api/v1/public/inquiries/%s" % doc["reference"]), 404)

    def test_the_form_says_what_is_missing(self):
        r = ask(self.s, name="", message="")
        p = self.assertProblem(r, 422)
        self.assertEqual(sorted(e["field"] for e in p["errors"]), ["message", "name"])
        self.assertProblem(ask(self.s, email="not-an-address"), 422, "requester_email")

    def test_the_honeypot_keeps_nothing_and_answers_like_a_real_submission(self):
        before = len(self.s.get("/api/v1/inquiries?limit=500", user="root").json()["items"])
        trapped = ask(self.s, website="http://spam.example", subject="Cheap offers")
        after = len(self.s.get("/api/v1/inquiries?limit=500", user="root").json()["items"])
        self.assertEqual(before, after)
        real = ask(self.s, subject="A real question")
        # a robot cannot tell them apart: the same status, members, shapes and headers
        self.assertEqual((trapped.status, real.status), (201, 201))
        t, g = trapped.json(), real.json()
        self.assertEqual(sorted(t), sorted(g))
        for key in t:
            self.assertEqual(re.sub(r"[0-9a-f]", "x", t[key]), re.sub(r"[0-9a-f]", "x", g[key]), key)
        self.assertEqual(sorted(k.lower() for k, _ in trapped.headers if k.lower() != "date"),
                         sorted(k.lower() for k, _ in real.headers if k.lower() != "date"))
        self.assertEqual(trapped.header("Location"), "/api/v1/public/inquiries/%s?token=%s" % (t["reference"], t["token"]))

    def test_routing_rules_in_order(self):
        media = self.org("Evening Courier Press", type="media")["id"]
        for body in ({"position": 20, "name": "Press to MCD", "active": True, "organization_type": "media",
                      "to_division": "MCD", "to_priority": "high"},
                     {"position": 10, "name": "Visas to IPD", "active": True, "words": ["visa"], "to_division": "IPD"},
                     {"position": 5, "name": "Switched off", "active": False, "words": ["visa"], "to_division": "IML"}):
            self.assertStatus(self.s.post("/api/v1/routing-rules", body, user="root"), 201)
        r = self.s.post("/api/v1/inquiries", {"channel": "phone", "subject": "Interview request",
                                              "body": "A journalist asks for an interview.",
                                              "requester_organization": media}, user="ana")
        self.assertStatus(r, 201)
        inq = r.json()
        self.assertEqual((inq["division"], inq["priority"]), ("MCD", "high"))
        self.assertIn('"Press to MCD"', inq["routed_by"])
        self.assertIn("type media", inq["routed_by"])
        r = self.s.post("/api/v1/inquiries", {"channel": "letter", "subject": "Visas for a delegation",
                                              "requester_organization": media}, user="ana")
        inq = r.json()
        self.assertEqual(inq["division"], "IPD")  # position 10 comes before 20
        self.assertIn('the text has "visa"', inq["routed_by"])
        r = self.s.post("/api/v1/inquiries", {"channel": "letter", "subject": "Nothing special"}, user="ana")
        self.assertEqual((r.json()["division"], r.json()["routed_by"]), ("FO", "no rule matched: the front office"))

    def test_statuses_move_only_where_they_may_and_the_clock_pauses(self):
        ref = ask(self.s).json()["reference"]
        path = "/api/v1/inquiries/%s/transitions" % ref
        self.assertStatus(self.s.post(path, {"to": "triaged"}, user="ana"), 200)
        self.assertStatus(self.s.post(path, {"to": "assigned"}, user="ana"), 200)
        self.assertProblem(self.s.post(path, {"to": "new"}, user="ana"), 409)
        self.assertProblem(self.s.post(path, {"to": "lost"}, user="ana"), 422, "to")
        self.assertProblem(self.s.post(path, {"to": "assigned"}, user="dora"), 403)
        r = self.s.post(path, {"to": "waiting"}, user="ana")
        self.assertIsNone(r.json()["resolution_due"])  # the clock stands still
        self.assertEqual(json.loads(r.json()["clock"])[-1][1], True)
        r = self.s.post(path, {"to": "assigned"}, user="ana")
        self.assertIsNotNone(r.json()["resolution_due"])
        r = self.s.post(path, {"to": "closed"}, user="ana")
        self.assertIsNotNone(r.json()["resolved_at"])
        r = self.s.post(path, {"to": "assigned"}, user="ana")  # reopened
        self.assertIsNone(r.json()["resolved_at"])

    def test_a_reply_is_sent_threaded_and_shown_to_the_requester(self):
        doc = ask(self.s, name="Tomasz Wierzba", email="tomasz.w@example.org").json()
        ref = doc["reference"]
        self.s.post("/api/v1/inquiries/%s/notes" % ref, {"body": "Internal: check with IPD first."}, user="ana")
        sent = len(self.sink.messages)
        r = self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": "The rules are on page 4."}, user="ana")
        self.assertStatus(r, 201)
        msg = r.json()
        self.assertEqual((msg["direction"], msg["delivery"]), ("out", "queued"))  # the relay has not seen it yet
        self.assertEqual(delivered(self.s, msg)["delivery"], "sent")
        inq = self.inquiry(ref)
        self.assertEqual(inq["status"], "answered")
        self.assertIsNotNone(inq["first_response_at"])
        self.assertEqual(len(self.sink.messages), sent + 1)
        mail_from, rcpt, raw = self.sink.messages[-1]
        self.assertEqual((mail_from, rcpt), ("desk@liaison.example", ["tomasz.w@example.org"]))
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        self.assertEqual(parsed["Subject"], "Re: [%s] Question about the partnership call" % ref)
        self.assertEqual(parsed["Message-ID"], "<%s>" % msg["message_id"])
        self.assertEqual(parsed["X-Liaison-Loop"], "test-desk")
        self.assertIn("The rules are on page 4.", parsed.get_content())
        view = self.s.get("/api/v1/public/inquiries/%s?token=%s" % (ref, doc["token"])).json()
        self.assertEqual(view["status"], "answered")
        self.assertEqual([m["body"] for m in view["messages"]], ["The rules are on page 4."])  # never the note
        thread = self.s.get("/api/v1/inquiries/%s/thread" % ref, user="ana").json()["items"]
        self.assertEqual([m["direction"] for m in thread], ["note", "out"])

    def test_a_refused_recipient_leaves_the_reply_marked_failed(self):
        ref = ask(self.s, email="refuse.me@example.org").json()["reference"]
        r = self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": "Hello"}, user="ana")
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["delivery"], "queued")
        msg = delivered(self.s, r.json())
        self.assertEqual(msg["delivery"], "failed")  # a 5xx: refused for good, at the first attempt
        self.assertIn("550", msg["delivery_error"])

    def test_canned_answers_in_the_requesters_language(self):
        self.assertStatus(self.s.post("/api/v1/canned-answers", {
            "code": "thanks", "title": {"en": "Thanks", "fr": "Merci", "es": "Gracias"},
            "body": {"en": "Dear {name}, we received {reference}.", "fr": "Bonjour {name}, nous avons bien reçu {reference}.",
                     "es": "Estimado/a {name}: hemos recibido {reference}."}}, user="ana"), 201)
        doc = ask(self.s, name="Lucía Ferrand", language="es").json()
        r = self.s.post("/api/v1/inquiries/%s/reply" % doc["reference"], {"canned": "thanks", "wait": True}, user="ana")
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["body"], "Estimado/a Lucía Ferrand: hemos recibido %s." % doc["reference"])
        self.assertEqual(self.inquiry(doc["reference"])["status"], "waiting")
        self.assertProblem(self.s.post("/api/v1/inquiries/%s/reply" % doc["reference"], {"canned": "nope"}, user="ana"),
                           422, "canned")

    def test_an_article_goes_into_a_reply_in_the_inquirys_language(self):
        art = self.s.post("/api/v1/kb-articles", {"title": {"en": "Visa basics", "fr": "Les visas en bref"},
                                                  "body": {"en": "Apply early.", "fr": "Faites la demande tôt."},
                                                  "classification": "public"}, user="ana").json()
        doc = ask(self.s, language="fr").json()
        r = self.s.post("/api/v1/inquiries/%s/reply" % doc["reference"],
                        {"body": "Bonjour,", "article": art["id"]}, user="ana")
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["body"], "Bonjour,\n\nLes visas en bref\n\nFaites la demande tôt.")
        self.assertProblem(self.s.post("/api/v1/inquiries/%s/reply" % doc["reference"], {"article": 999999}, user="ana"),
                           422, "article")

    def test_the_queue_filters(self):
        ref = ask(self.s).json()["reference"]
        items = self.s.get("/api/v1/inquiries/queue?division=FO&limit=500", user="ana").json()["items"]
        self.assertIn(ref, [i["reference"] for i in items])
        self.assertNotIn(ref, [i["reference"] for i in
                               self.s.get("/api/v1/inquiries/queue?division=IPD&limit=500", user="ana").json()["items"]])
        self.assertNotIn(ref, [i["reference"] for i in
                               self.s.get("/api/v1/inquiries/queue?overdue=1&limit=500", user="ana").json()["items"]])
        self.assertProblem(self.s.get("/api/v1/inquiries/queue?limit=0", user="ana"), 400)


class ThreadsTest(ServerTest):
    """Merging two inquiries into one thread, splitting one, and the desk's numbers."""

    @classmethod
    def setUpClass(cls):
        d = tempfile.mkdtemp(prefix="liaison-desk-")
        cls.server_args = ("--config", desk_config(os.path.join(d, "desk.json")))
        super().setUpClass()

    def note(self, ref, text):
        r = self.s.post("/api/v1/inquiries/%s/notes" % ref, {"body": text}, user="ana")
        self.assertStatus(r, 201)
        return r.json()["id"]

    def test_merge_then_split(self):
        a = ask(self.s, subject="Two questions").json()["reference"]
        b = ask(self.s, subject="The same person again").json()["reference"]
        ia = self.s.get("/api/v1/inquiries/" + a, user="ana").json()
        ib = self.s.get("/api/v1/inquiries/" + b, user="ana").json()
        first, second = self.note(a, "about visas"), self.note(b, "about funding")
        r = self.s.post("/api/v1/merges", {"kind": "inquiries", "keep": ia["id"], "merge": ib["id"]}, user="ana")
        self.assertStatus(r, 201)
        thread = self.s.get("/api/v1/inquiries/%s/thread" % a, user="ana").json()["items"]
        self.assertEqual(sorted(m["id"] for m in thread), sorted([first, second]))
        self.assertTrue(self.s.get("/api/v1/inquiries/" + b, user="ana").json()["archived"])
        r = self.s.post("/api/v1/inquiries/%s/split" % a, {"messages": [second], "subject": "Funding"}, user="ana")
        self.assertStatus(r, 201)
        new = r.json()
        self.assertEqual((new["subject"], new["requester_email"]), ("Funding", "ilsa.marquand@example.org"))
        self.assertNotEqual(new["reference"], a)
        moved = self.s.get("/api/v1/inquiries/%s/thread" % new["reference"], user="ana").json()["items"]
        self.assertEqual([m["id"] for m in moved], [second])
        kept = self.s.get("/api/v1/inquiries/%s/thread" % a, user="ana").json()["items"]
        self.assertEqual([m["id"] for m in kept], [first])
        # a message of another inquiry cannot be split off, and nothing is written
        before = len(self.s.get("/api/v1/inquiries?limit=500", user="root").json()["items"])
        self.assertProblem(self.s.post("/api/v1/inquiries/%s/split" % a, {"messages": [second]}, user="ana"), 422,
                           "messages")
        self.assertProblem(self.s.post("/api/v1/inquiries/%s/split" % a, {"messages": []}, user="ana"), 422, "messages")
        self.assertEqual(before, len(self.s.get("/api/v1/inquiries?limit=500", user="root").json()["items"]))

    def test_numbers(self):
        ref = ask(self.s).json()["reference"]
        self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": "Answered."}, user="ana")
        doc = self.s.get("/api/v1/inquiries/numbers?weeks=2", user="ana").json()
        self.assertGreaterEqual(doc["open"]["FO"]["answered"], 1)
        self.assertEqual(len(doc["weeks"]), 2)
        this_week = doc["weeks"][-1]["divisions"]["FO"]
        self.assertGreaterEqual(this_week["answered"], 1)
        self.assertIsNotNone(this_week["first_response_hours"])
        csv = self.s.get("/api/v1/inquiries/numbers?format=csv", user="ana")
        self.assertTrue(csv.header("Content-Type").startswith("text/csv"))
        self.assertTrue(csv.body.startswith("measure,division,status,week,value\r\n"))
        self.assertIn("open,FO,answered,,", csv.body)
        self.assertProblem(self.s.get("/api/v1/inquiries/numbers?weeks=0", user="ana"), 400)
        self.assertProblem(self.s.get("/api/v1/inquiries/numbers?format=xml", user="ana"), 400)
        self.assertProblem(self.s.get("/api/v1/inquiries/numbers"), 401)


class OverdueTest(ServerTest):
    """Targets of a few seconds: the inquiry is overdue before the test ends."""

    @classmethod
    def setUpClass(cls):
        d = tempfile.mkdtemp(prefix="liaison-desk-")
        cls.server_args = ("--config", desk_config(os.path.join(d, "desk.json"), hours=(0.0005, 0.0005)))
        super().setUpClass()

    def test_overdue_in_the_queue(self):
        ref = ask(self.s).json()["reference"]
        time.sleep(3)
        items = self.s.get("/api/v1/inquiries/queue?overdue=1", user="ana").json()["items"]
        self.assertEqual([i["reference"] for i in items], [ref])


class RateLimitTest(ServerTest):
    def test_the_form_is_rate_limited_per_address(self):
        for _ in range(5):
            self.assertStatus(ask(self.s), 201)
        r = ask(self.s)
        self.assertProblem(r, 429)
        self.assertTrue(r.header("Retry-After"))


MESSAGE = """From: Anouk Verhelst <anouk.verhelst@example.net>
To: desk@liaison.example
Subject: {subject}
Message-ID: <{id}>
Date: Thu, 26 Nov 2026 10:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
{extra}
{body}
"""


class MailTest(ServerTest):
    def maildir(self):
        d = tempfile.mkdtemp(prefix="liaison-maildir-")
        for sub in ("new", "cur", "tmp"):
            os.mkdir(os.path.join(d, sub))
        return d

    def drop(self, d, name, subject="Question on migration data", id="a1@example.net", extra="", body="Hello desk."):
        with open(os.path.join(d, "new", name), "w") as f:
            f.write(MESSAGE.format(subject=subject, id=id, extra=extra, body=body))

    def import_(self, d, verb="import"):
        return cli(self.s.db, "mail", verb, d, check=False)

    def test_new_replies_auto_replies_loops_and_quarantine(self):
        d = self.maildir()
        self.drop(d, "1", id="first@example.net", body="Where are the 2025 figures?")
        out = self.import_(d)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("1 read: 1 new inquiries", out.stdout)
        self.assertTrue(os.path.exists(os.path.join(d, "cur", "1:2,S")))
        inqs = self.s.get("/api/v1/inquiries?channel=email&requester_email=anouk.verhelst%40example.net",
                          user="root").json()["items"]
        self.assertEqual(len(inqs), 1)
        ref = inqs[0]["reference"]
        self.assertEqual((inqs[0]["requester_email"], inqs[0]["requester_name"]),
                         ("anouk.verhelst@example.net", "Anouk Verhelst"))
        # a reply by In-Reply-To, one by the reference in the subject, an out-of-office, a loop, garbage
        self.drop(d, "2", subject="Re: figures", id="second@example.net", extra="In-Reply-To: <first@example.net>")
        self.drop(d, "3", subject="About %s again" % ref, id="third@example.net")
        self.drop(d, "4", subject="Out of office", id="fourth@example.net", extra="Auto-Submitted: auto-replied")
        self.drop(d, "5", subject="Re: [%s]" % ref, id="fifth@example.net", extra="X-Liaison-Loop: other-desk")
        with open(os.path.join(d, "new", "6"), "wb") as f:
            f.write(b"\x00\x01\x02 not a message at all")
        out = self.import_(d)
        self.assertEqual(out.returncode, 1)  # one quarantined
        self.assertIn("5 read: 0 new inquiries, 2 joined their inquiry, 2 set aside, 1 quarantined", out.stdout)
        thread = self.s.get("/api/v1/inquiries/%s/thread" % ref, user="root").json()["items"]
        self.assertEqual([m["message_id"] for m in thread], ["first@example.net", "second@example.net",
                                                             "third@example.net"])
        reason = open(os.path.join(d, "quarantine", "6.reason")).read()
        self.assertTrue(reason.strip())
        # the same message twice is read once
        self.drop(d, "7", id="second@example.net")
        self.assertIn("1 set aside", self.import_(d).stdout)
        # retry after the message was repaired
        with open(os.path.join(d, "quarantine", "6"), "w") as f:
            f.write(MESSAGE.format(subject="Fixed", id="sixth@example.net", extra="", body="Repaired."))
        out = self.import_(d, "retry")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("1 new inquiries", out.stdout)

    def test_attachments_are_kept_and_downloadable(self):
        import base64
        d = self.maildir()
        pdf = b"%PDF-1.4 invented report for the test\n%%EOF\n"
        with open(os.path.join(d, "new", "a"), "w") as f:
            f.write("From: Kofi Ansah-Berg <kofi@example.net>\nTo: desk@liaison.example\nSubject: Report attached\n"
                    "Message-ID: <att1@example.net>\nMIME-Version: 1.0\n"
                    "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nSee the report.\n"
                    "--b1\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"report.pdf\"\n"
                    "Content-Transfer-Encoding: base64\n\n%s\n--b1--\n" % base64.b64encode(pdf).decode())
        out = self.import_(d)
        self.assertEqual(out.returncode, 0, out.stderr)
        inq = [i for i in self.s.get("/api/v1/inquiries?limit=500", user="root").json()["items"]
               if i["subject"] == "Report attached"][0]
        msg = self.s.get("/api/v1/inquiries/%s/thread" % inq["reference"], user="root").json()["items"][0]
        self.assertEqual(msg["attachments"], ["report.pdf (application/pdf, %d bytes)" % len(pdf)])
        r = self.s.request("GET", "/api/v1/inquiry-messages/%d/attachments/1" % msg["id"],
                           headers={"Authorization": "Bearer " + self.s.tokens["ana"]})
        self.assertEqual((r.status, r.header("Content-Type")), (200, "application/pdf"))
        self.assertEqual(r.body.encode("latin-1", "replace")[:8], pdf[:8])
        self.assertIn('filename="report.pdf"', r.header("Content-Disposition"))
        self.assertProblem(self.s.get("/api/v1/inquiry-messages/%d/attachments/2" % msg["id"], user="ana"), 404)
        self.assertProblem(self.s.get("/api/v1/inquiry-messages/%d/attachments/1" % msg["id"]), 401)
        # messages are the desk's own records: the generic API cannot point raw elsewhere, even for an admin
        self.assertProblem(self.s.patch("/api/v1/inquiry-messages/%d" % msg["id"], {"raw": "/etc/passwd"},
                                        msg["version"], user="root"), 405)

    def test_bad_settings_are_one_clear_line(self):
        d = tempfile.mkdtemp(prefix="liaison-conf-")
        cases = {
            "not json": ("{calendar:", r"^liaison: .*conf\.json:1: "),
            "bad hours": (json.dumps({"calendar": {"hours": [["25:00", "26:00"]]}}), r"^liaison: hours: "),
            "bad zone": (json.dumps({"calendar": {"time_zone": "Mars/Olympus"}}), r"^liaison: .*Mars/Olympus"),
            "bad target": (json.dumps({"targets": {"urgent": {"resolution": -1}}}), r"^liaison: targets\.urgent\.resolution"),
            "bad rate": (json.dumps({"intake_per_hour": 0}), r"^liaison: intake_per_hour"),
        }
        maildir = self.maildir()
        for name, (text, pattern) in cases.items():
            path = os.path.join(d, "conf.json")
            with open(path, "w") as f:
                f.write(text)
            out = cli(self.s.db, "mail", "import", maildir, "--config", path, check=False)
            self.assertEqual(out.returncode, 1, name)
            self.assertRegex(out.stderr, pattern, name)
            self.assertEqual(len(out.stderr.strip().splitlines()), 1, name)
        out = cli(self.s.db, "mail", "import", maildir, "--config", os.path.join(d, "missing.json"), check=False)
        self.assertEqual(out.returncode, 1)
        out = cli(self.s.db, "demo", "--inquiries", "lots", check=False)
        self.assertEqual(out.returncode, 2)
        self.assertIn("--inquiries takes a number", out.stderr)

    def test_a_missing_maildir_is_one_clear_line(self):
        out = self.import_("/nonexistent/maildir")
        self.assertEqual(out.returncode, 1)
        self.assertRegex(out.stderr, r"^liaison: /nonexistent/maildir/new: .*Maildir")
        self.assertEqual(len(out.stderr.strip().splitlines()), 1)


class DeskPagesTest(ServerTest):
    """The desk in the browser's pages: ask in Spanish, triage, answer, follow."""

    def test_ask_triage_answer_track(self):
        from test_pages import Client, parse
        public = Client(self.s, lang="es")
        form = public.get("/ask")
        self.assertEqual(form.status, 200)
        self.assertIn('lang="es"', form.body)
        r = public.post("/ask", {"name": "Lucía Ferrand", "email": "lucia.ferrand@example.org",
                                 "subject": "Solicitud de información",
                                 "message": "Buenos días, quisiera saber cómo participar en el programa de la organización.",
                                 "website": ""})
        self.assertEqual(r.status, 201, r)
        ref = re.search(r"<strong>(INQ-\d{4}-\d{6})</strong>", r.body).group(1)
        tracking = re.search(r'href="(/track/[^"]+)"', r.body).group(1).replace("&amp;", "&")
        inq = self.s.get("/api/v1/inquiries/" + ref, user="root").json()
        self.assertEqual((inq["language"], inq["channel"]), ("es", "web"))
        staff = Client(self.s)
        self.assertEqual(staff.sign_in("ana").status, 303)
        desk = staff.get("/desk")
        self.assertEqual(desk.status, 200)
        self.assertIn(ref, desk.body)
        page = staff.get("/inquiries/%d" % inq["id"])
        self.assertIn("no rule matched", page.body)
        token = re.search(r'name="_csrf" value="([0-9a-f]{64})"', page.body).group(1)
        r = staff.post("/inquiries/%d/transitions" % inq["id"], {"_csrf": token, "to": "triaged"})
        self.assertEqual(r.status, 303, r)
        r = staff.post("/inquiries/%d/reply" % inq["id"], {"_csrf": token, "body": "Puede inscribirse en línea."})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.s.get("/api/v1/inquiries/" + ref, user="root").json()["status"], "answered")
        view = public.get(tracking)
        self.assertEqual(view.status, 200)
        self.assertIn("Puede inscribirse en línea.", view.body)
        self.assertEqual(public.get(tracking[:-4] + "0000").status, 404)

    def test_the_honeypot_and_missing_fields_on_the_page(self):
        from test_pages import Client
        c = Client(self.s)
        before = len(self.s.get("/api/v1/inquiries?limit=500", user="root").json()["items"])
        r = c.post("/ask", {"name": "Robot", "email": "robot@example.org", "message": "Buy now", "website": "x"})
        # the robot's page is a person's: a reference and a tracking link, though nothing was kept
        self.assertEqual(r.status, 201)
        self.assertRegex(r.body, r"INQ-\d{4}-\d{6}")
        self.assertRegex(r.body, r"/track/INQ-\d{4}-\d{6}\?token=[0-9a-f]{48}")
        r = c.post("/ask", {"name": "", "email": "nobody@example.org", "message": ""})
        self.assertEqual(r.status, 422)
        self.assertIn('id="e-name"', r.body)
        self.assertIn('id="e-message"', r.body)
        after = len(self.s.get("/api/v1/inquiries?limit=500", user="root").json()["items"])
        self.assertEqual(before, after)


class BriefingsTest(ServerTest):
    def test_invitation_and_pack(self):
        org = self.org("Northwind Migration Council", country="FR")["id"]
        person = self.s.post("/api/v1/persons", {"given_name": "Aino", "family_name": "Lehtovaara",
                                                 "emails": ["aino.l@example.org"]}, user="ana").json()["id"]
        talk = self.s.post("/api/v1/interactions", {"date": "2026-11-02", "kind": "call", "subject": "Northwind call",
                                                    "participants": [{"kind": "organizations", "id": org}]},
                           user="ana").json()["id"]
        me = self.s.get("/api/v1/session", user="ana").json()["id"]
        self.assertStatus(self.s.post("/api/v1/follow-ups", {"task": "Send the Northwind figures", "owner": me,
                                                             "due_date": "2026-12-01", "status": "open",
                                                             "interaction": talk}, user="ana"), 201)
        b = self.s.post("/api/v1/briefings", {"title": "Visit of the Northwind delegation", "organization": org,
                                              "visitors": [{"kind": "persons", "id": person}], "language": "fr",
                                              "status": "requested"}, user="ana")
        self.assertStatus(b, 201)
        bid = b.json()["id"]
        self.assertProblem(self.s.get("/api/v1/briefings/%d/invitation.ics" % bid, user="ana"), 409)
        self.assertProblem(self.s.patch("/api/v1/briefings/%d" % bid, {"status": "scheduled"}, 1, user="ana"), 422,
                           "starts_at")
        r = self.s.patch("/api/v1/briefings/%d" % bid, {"status": "scheduled", "starts_at": "2026-12-03T09:00:00Z",
                                                        "ends_at": "2026-12-03T10:30:00Z", "room": "Room B, 2nd floor"},
                         1, user="ana")
        self.assertStatus(r, 200)
        ics = self.s.get("/api/v1/briefings/%d/invitation.ics" % bid, user="ana")
        self.assertStatus(ics, 200)
        self.assertTrue(ics.header("Content-Type").startswith("text/calendar"))
        self.assertIn("DTSTART:20261203T090000Z\r\n", ics.body)
        self.assertIn("DTEND:20261203T103000Z\r\n", ics.body)
        self.assertIn("mailto:aino.l@example.org", ics.body.replace("\r\n ", ""))
        self.assertIn("LOCATION:Room B\\, 2nd floor\r\n", ics.body)
        from test_pages import Client
        c = Client(self.s)
        c.sign_in("ana")
        page = c.get("/briefings/%d/pack" % bid)
        self.assertEqual(page.status, 200)
        self.assertIn('<html lang="en">', page.body)  # the page is the reader's
        self.assertIn('<article class="pack" lang="fr"', page.body)  # the pack the visitors'
        self.assertIn("<td>Aino Lehtovaara</td><td></td><td></td>", page.body)  # no organization: an empty cell
        self.assertIn("Northwind Migration Council", page.body)
        self.assertIn("France", page.body)
        self.assertIn("Northwind call", page.body)  # recent interactions
        self.assertIn("1 décembre 2026 — Send the Northwind figures", page.body)  # open follow-ups, dated in French
        pdf = c.get("/briefings/%d/pack.pdf" % bid)
        self.assertEqual(pdf.status, 200)
        self.assertEqual(pdf.header("Content-Type"), "application/pdf")
        self.assertTrue(pdf.body.startswith("%PDF-"))


class KnowledgeBaseTest(ServerTest):
    def test_public_articles_on_the_portal_only(self):
        pub = self.s.post("/api/v1/kb-articles", {"title": {"en": "How to apply for a visa", "fr": "Comment demander un visa"},
                                                  "body": {"en": "Apply at the nearest consulate."},
                                                  "classification": "public"}, user="ana")
        self.assertStatus(pub, 201)
        internal = self.s.post("/api/v1/kb-articles", {"title": {"en": "Internal checklist"},
                                                       "body": {"en": "Staff only."}}, user="ana")
        self.assertStatus(internal, 201)
        page = self.s.request("GET", "/help", headers={"Accept-Language": "fr"})
        self.assertEqual(page.status, 200)
        self.assertIn("Comment demander un visa", page.body)
        self.assertNotIn("Internal checklist", page.body)
        art = self.s.request("GET", "/help/%d" % pub.json()["id"], headers={"Accept-Language": "fr"})
        self.assertEqual(art.status, 200)
        self.assertIn('<div lang="en"><p class="message">Apply at the nearest consulate.</p></div>', art.body)
        self.assertIn("(en)", art.body)  # the text exists only in English, and the page says so
        self.assertEqual(self.s.get("/help/%d" % internal.json()["id"]).status, 404)
        self.assertEqual(self.s.get("/api/v1/kb-articles/%d" % internal.json()["id"]).status, 404)
        self.assertEqual(self.s.get("/api/v1/kb-articles/%d" % pub.json()["id"]).status, 200)


class WatchedMaildirTest(ServerTest):
    """`liaison serve --maildir DIR` reads new mail while it serves."""

    @classmethod
    def setUpClass(cls):
        cls.maildir = tempfile.mkdtemp(prefix="liaison-watched-")
        for sub in ("new", "cur", "tmp"):
            os.mkdir(os.path.join(cls.maildir, sub))
        cls.server_args = ("--maildir", cls.maildir)
        super().setUpClass()

    def test_a_message_dropped_in_becomes_an_inquiry(self):
        with open(os.path.join(self.maildir, "tmp", "w1"), "w") as f:
            f.write(MESSAGE.format(subject="Watched folder question", id="w1@example.net", extra="", body="Hello."))
        os.rename(os.path.join(self.maildir, "tmp", "w1"), os.path.join(self.maildir, "new", "w1"))
        found = []
        for _ in range(100):
            found = [i for i in self.s.get("/api/v1/inquiries?channel=email", user="root").json()["items"]
                     if i["subject"] == "Watched folder question"]
            if found:
                break
            time.sleep(0.1)
        self.assertEqual(len(found), 1)
        self.assertTrue(os.path.exists(os.path.join(self.maildir, "cur", "w1:2,S")))


class CalendarTest(ServerTest):
    def test_the_month_grid(self):
        from test_pages import Client
        r = self.s.post("/api/v1/briefings", {"title": "Southmere delegation", "status": "scheduled",
                                              "starts_at": "2027-02-10T13:30:00Z", "ends_at": "2027-02-10T15:00:00Z"},
                        user="ana")
        self.assertStatus(r, 201)
        c = Client(self.s, lang="fr")
        c.sign_in("ana")
        page = c.get("/briefings/calendar?month=2027-02")
        self.assertEqual(page.status, 200)
        self.assertIn("<caption>février 2027</caption>", page.body)
        self.assertIn('<th scope="col">lundi</th>', page.body)
        rows = re.findall(r"<tr>(.*?)</tr>", page.body.split("<tbody>")[1])
        self.assertEqual(len(rows), 4)  # February 2027 starts on a Monday: four whole weeks
        self.assertTrue(all(row.count("<td>") == 7 for row in rows))
        self.assertRegex(rows[1], r'<strong>10</strong><ul class="values"><li>13:30 <a href="/briefings/\d+">Southmere delegation</a>')
        self.assertIn("?month=2027-03", page.body)
        self.assertIn("?month=2027-01", page.body)
        self.assertEqual(c.get("/briefings/calendar?month=nonsense").status, 200)  # this month instead
