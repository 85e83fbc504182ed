"""The outbox over HTTP: mail written with the record that causes it and
handed to a real relay (aiosmtpd) by the server's sender thread.  A reply is
queued, then sent; while the relay is down it stays queued with the reason,
and leaves once the relay is back (a restart in between loses nothing); a
permanent refusal (5xx) fails at once, with the relay's reason on the
record's page and in the API; administrators see what is stuck and try it
again; a record's mail is read by who reads the record.
"""
import html
import os
import socket
import subprocess
import tempfile
import time
import unittest

from harness import BIN, ServerTest, audit_of, cli
from test_inquiries import Controller, Sink, ask, delivered, desk_config


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_retries(path, **mail):
    """The tests' desk settings with the outbox's own (retries a second apart)."""
    import json
    with open(path) as f:
        conf = json.load(f)
    conf["mail"].update(mail)
    with open(path, "w") as f:
        json.dump(conf, f)
    return path


class OutboxCase(ServerTest):
    """A server whose outbox sends to a relay on self.port, tried every second."""
    relay_up = True

    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.sink = Sink()
        cls.controller = None
        if cls.relay_up:
            cls.start_relay()
        conf = os.path.join(tempfile.mkdtemp(prefix="liaison-outbox-"), "desk.json")
        cls.server_args = ("--config", with_retries(desk_config(conf, cls.port), retry_after=[1], attempts=50))
        super().setUpClass()

    @classmethod
    def start_relay(cls):
        cls.controller = Controller(cls.sink, hostname="127.0.0.1", port=cls.port)
        cls.controller.start()

    @classmethod
    def stop_relay(cls):
        if cls.controller:
            cls.controller.stop()
        cls.controller = None

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.stop_relay()

    def reply(self, ref, body="Thank you for writing."):
        r = self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": body}, user="ana")
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["delivery"], "queued")  # the relay has not seen it: not "sent"
        return r.json()

    def outbox(self, msg, user="ana"):
        r = self.s.get("/api/v1/inquiry-messages/%d/outbox" % msg["id"], user=user)
        self.assertStatus(r, 200)
        return r.json()["items"]

    def until(self, what, timeout=20):
        deadline = time.time() + timeout
        while not what():
            self.assertLess(time.time(), deadline, "timed out")
            time.sleep(0.05)

    def mail_section(self, path, user="ana"):
        from test_pages import Client
        c = Client(self.s)
        c.sign_in(user)
        page = c.get(path)
        self.assertEqual(page.status, 200, page)
        self.assertIn('id="h-mail"', page.body)
        return page.body[page.body.index('id="h-mail"'):]


@unittest.skipIf(Controller is None, "python3-aiosmtpd is not installed")
class RelayDownTest(OutboxCase):
    relay_up = False

    def test_a_reply_waits_for_the_relay_then_leaves(self):
        msg = self.reply(ask(self.s, email="mirela.d@example.org").json()["reference"])
        self.until(lambda: self.outbox(msg)[0]["attempts"] >= 2)
        [held] = self.outbox(msg)
        self.assertEqual(held["state"], "queued")
        self.assertEqual(held["to"], "mirela.d@example.org")
        self.assertRegex(held["last_error"], r"^smtp: .*(onnect|refused)")
        self.assertIsNotNone(held["next_attempt_at"])
        self.assertEqual(delivered(self.s, msg, timeout=0)["delivery"], "queued")
        section = self.mail_section("/inquiries/%d" % msg["inquiry"])   # a reply's mail shows on its inquiry's page
        self.assertIn('<span class="badge queued">Queued</span>', section)
        self.assertIn(html.escape(held["last_error"]).replace("&#x27;", "&#39;"), section)
        waiting = self.s.get("/api/v1/outbox?state=queued", user="root").json()["items"]
        self.assertIn(held["id"], [m["id"] for m in waiting])
        self.start_relay()
        try:
            sent = delivered(self.s, msg)
            self.assertEqual((sent["delivery"], sent["delivery_error"]), ("sent", None))
            [done] = self.outbox(msg)
            self.assertEqual((done["state"], done["last_error"], done["next_attempt_at"]), ("sent", None, None))
            self.assertGreaterEqual(done["attempts"], 3)
            self.assertEqual([rcpt for _, rcpt, _ in self.sink.messages], [["mirela.d@example.org"]])  # once
        finally:
            self.stop_relay()

    def test_erasing_the_requester_erases_the_mail_to_them(self):
        doc = ask(self.s, name="Halvard Nyquist", email="halvard.n@example.org").json()
        msg = self.reply(doc["reference"], "Dear Halvard, here is what we hold on you.")
        self.until(lambda: self.outbox(msg)[0]["attempts"] >= 1)
        inquiry = self.s.get("/api/v1/inquiries/" + doc["reference"], user="root").json()
        export = self.s.get("/api/v1/inquiries/%d/export" % inquiry["id"], user="root").json()
        self.assertEqual([m["to"] for m in export["mail"]], ["halvard.n@example.org"])  # held, so exported
        self.assertStatus(self.s.post("/api/v1/inquiries/%d/erase" % inquiry["id"], {}, user="root"), 200)
        [m] = self.outbox(msg, user="root")
        self.assertEqual((m["state"], m["to"], m["next_attempt_at"]), ("failed", "[erased]", None))
        self.assertIn("personal data was erased", m["last_error"])
        erased = delivered(self.s, msg, timeout=0)
        self.assertEqual(erased["delivery"], "failed")   # never left, and says so
        self.assertIn("personal data was erased", erased["delivery_error"])
        self.start_relay()
        try:
            time.sleep(2)  # retries are a second apart: it would have gone by now
            self.assertNotIn(["halvard.n@example.org"], [rcpt for _, rcpt, _ in self.sink.messages])
        finally:
            self.stop_relay()

    def test_queued_mail_outlives_a_restart(self):
        msg = self.reply(ask(self.s, email="jonas.e@example.org").json()["reference"])
        self.until(lambda: self.outbox(msg)[0]["attempts"] >= 1)
        started = time.time()
        self.assertEqual(self.s.stop(), 0)  # the sender stops with the server, cleanly
        self.assertLess(time.time() - started, 10)
        self.start_relay()
        try:
            self.s.start()
            self.assertEqual(delivered(self.s, msg)["delivery"], "sent")
            self.assertIn(["jonas.e@example.org"], [rcpt for _, rcpt, _ in self.sink.messages])
        finally:
            self.stop_relay()


@unittest.skipIf(Controller is None, "python3-aiosmtpd is not installed")
class OutboxTest(OutboxCase):
    def test_a_reply_is_queued_then_sent_and_the_outcome_audited(self):
        msg = self.reply(ask(self.s, email="ines.k@example.org").json()["reference"], "Here are the figures.")
        self.assertEqual(delivered(self.s, msg)["delivery"], "sent")
        [m] = self.outbox(msg)
        self.assertEqual((m["state"], m["attempts"], m["kind"], m["record_id"]), ("sent", 1, "inquiry-messages", msg["id"]))
        self.assertIsNotNone(m["sent_at"])
        self.assertEqual(m["subject"], msg["subject"])
        self.assertIn(["ines.k@example.org"], [rcpt for _, rcpt, _ in self.sink.messages])
        last = audit_of(self.s, "inquiry-messages", msg["id"])[0]   # newest first
        self.assertEqual((last["action"], last["user"]), ("delivery", "mail"))
        self.assertEqual(last["changes"]["delivery"], {"before": "queued", "after": "sent"})
        self.assertEqual(self.s.get("/api/v1/inquiries/%d/outbox" % msg["inquiry"], user="ana").json()["items"], [m])
        section = self.mail_section("/inquiries/%d" % msg["inquiry"])
        self.assertIn('<span class="badge sent">Sent</span>', section)
        self.assertIn("ines.k@example.org", section)

    def test_a_permanent_refusal_fails_at_once_with_the_relays_reason(self):
        doc = ask(self.s, email="refuse.petra@example.org").json()
        msg = self.reply(doc["reference"])
        failed = delivered(self.s, msg)
        self.assertEqual(failed["delivery"], "failed")
        self.assertIn("550 no such mailbox here", failed["delivery_error"])
        [m] = self.outbox(msg)
        self.assertEqual((m["state"], m["attempts"], m["next_attempt_at"]), ("failed", 1, None))  # never tried again
        self.assertIn("550 no such mailbox here", m["last_error"])
        section = self.mail_section("/inquiries/%d" % msg["inquiry"])
        self.assertIn('<span class="badge failed">Failed</span>', section)
        self.assertIn("550 no such mailbox here", section)
        from test_pages import Client
        c = Client(self.s)
        c.sign_in("ana")
        thread = c.get("/inquiries/%d" % msg["inquiry"]).body.split('id="h-thread"')[1].split("</section>")[0]
        self.assertIn('<span class="badge failed">Failed</span>', thread)   # the reply in the thread says so too
        self.assertIn("550 no such mailbox here", thread)
        stuck = self.s.get("/api/v1/outbox?state=failed", user="root").json()
        self.assertIn(m["id"], [x["id"] for x in stuck["items"]])
        self.assertIsNone(stuck["next_cursor"])

    def test_administrators_try_failed_mail_again(self):
        msg = self.reply(ask(self.s, email="refuse.tomas@example.org").json()["reference"])
        self.assertEqual(delivered(self.s, msg)["delivery"], "failed")
        [m] = self.outbox(msg)
        self.assertProblem(self.s.post("/api/v1/outbox/%d/retry" % m["id"], {}, user="ana"), 403)
        r = self.s.post("/api/v1/outbox/%d/retry" % m["id"], {}, user="root")
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["id"], r.json()["state"], r.json()["attempts"]), (m["id"], "queued", 0))
        self.until(lambda: self.outbox(msg)[0]["state"] != "queued")
        self.assertEqual(self.outbox(msg)[0]["attempts"], 1)   # counted afresh, refused again
        actions = [(e["action"], e["user"]) for e in audit_of(self.s, "inquiry-messages", msg["id"])]
        self.assertEqual(actions[:3], [("delivery", "mail"), ("delivery", "root"), ("mail retry", "root")])
        # from the administrators' page
        from test_pages import Client
        c = Client(self.s)
        c.sign_in("root")
        page = c.get("/admin/outbox?state=failed")
        self.assertEqual(page.status, 200)
        self.assertIn('action="/admin/outbox/%d/retry"' % m["id"], page.body)
        self.assertIn("refuse.tomas@example.org", page.body)
        r = c.post("/admin/outbox/%d/retry" % m["id"], {"_csrf": c.csrf("/admin/outbox")})
        self.assertEqual(r.status, 303, r)
        self.until(lambda: self.outbox(msg)[0]["state"] != "queued")
        staff = Client(self.s)
        staff.sign_in("ana")
        self.assertEqual(staff.get("/admin/outbox").status, 403)

    def test_what_cannot_be_tried_again(self):
        msg = self.reply(ask(self.s, email="olga.s@example.org").json()["reference"])
        self.assertEqual(delivered(self.s, msg)["delivery"], "sent")
        [m] = self.outbox(msg)
        self.assertProblem(self.s.post("/api/v1/outbox/%d/retry" % m["id"], {}, user="root"), 409)
        self.assertProblem(self.s.post("/api/v1/outbox/99999999/retry", {}, user="root"), 404)
        self.assertProblem(self.s.post("/api/v1/outbox/0/retry", {}, user="root"), 404)

    def test_the_administrators_list(self):
        self.assertProblem(self.s.get("/api/v1/outbox", user="ana"), 403)
        self.assertProblem(self.s.get("/api/v1/outbox"), 401)
        self.assertProblem(self.s.get("/api/v1/outbox?state=sent", user="root"), 400)
        self.assertProblem(self.s.get("/api/v1/outbox?limit=0", user="root"), 400)
        self.assertProblem(self.s.get("/api/v1/outbox?cursor=x", user="root"), 400)
        msgs = [self.reply(ask(self.s, email="refuse.list%d@example.org" % i).json()["reference"]) for i in range(3)]
        for msg in msgs:
            self.assertEqual(delivered(self.s, msg)["delivery"], "failed")
        ids = [self.outbox(msg)[0]["id"] for msg in msgs]
        first = self.s.get("/api/v1/outbox?state=failed&limit=2", user="root").json()
        self.assertEqual([x["id"] for x in first["items"]], [ids[2], ids[1]])   # newest first
        rest = self.s.get("/api/v1/outbox?state=failed&limit=2&cursor=" + first["next_cursor"], user="root").json()
        self.assertEqual(rest["items"][0]["id"], ids[0])
        for x in first["items"] + rest["items"]:
            self.assertEqual(x["state"], "failed")

    def test_who_reads_a_records_mail(self):
        r = self.s.post("/api/v1/inquiries", {"channel": "phone", "subject": "A confidential question",
                                              "requester_email": "vera.n@example.org",
                                              "classification": "confidential"}, user="ana")
        self.assertStatus(r, 201)
        msg = self.reply(r.json()["reference"])
        self.assertEqual(len(self.outbox(msg, user="ana")), 1)
        self.assertEqual(len(self.outbox(msg, user="root")), 1)
        self.assertProblem(self.s.get("/api/v1/inquiry-messages/%d/outbox" % msg["id"], user="bruno"), 404)
        self.assertProblem(self.s.get("/api/v1/inquiry-messages/%d/outbox" % msg["id"]), 401)
        self.assertProblem(self.s.get("/api/v1/inquiry-messages/99999999/outbox", user="ana"), 404)
        self.assertProblem(self.s.get("/api/v1/no-such-kind/1/outbox", user="ana"), 404)
        # a record without mail has an empty outbox, and its page no Mail section
        org = self.org("Ostrava Migrant Centre")
        self.assertEqual(self.s.get("/api/v1/organizations/%d/outbox" % org["id"], user="ana").json(), {"items": []})


class SettingsTest(unittest.TestCase):
    """The outbox's settings: each wrong one stops the start with one clear line."""

    def test_wrong_settings_are_one_clear_line(self):
        d = tempfile.mkdtemp(prefix="liaison-outbox-conf-")
        db = os.path.join(d, "t.db")
        cli(db, "init")
        cases = [({"retry_after": []}, "mail.retry_after must be a list of 1 to 16 numbers of seconds"),
                 ({"retry_after": [60, 0]}, "mail.retry_after must hold numbers of seconds from 1 to 604800"),
                 ({"retry_after": "5m"}, "mail.retry_after must be a list"),
                 ({"attempts": 0}, "mail.attempts must be a whole number from 1 to 100"),
                 ({"attempts": "3"}, "mail.attempts must be a whole number"),
                 ({"smtp_url": "relay.example.org:25"}, "mail.smtp_url must start with smtp:// or smtps://"),
                 ({"smtp_url": 25}, "mail.smtp_url must be the relay's address")]
        for mail, says in cases:
            with self.subTest(mail=mail):
                path = with_retries(desk_config(os.path.join(d, "bad.json"), 2525), **mail)
                p = subprocess.run([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--config", path],
                                   capture_output=True, text=True, timeout=30)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
                self.assertIn(says, p.stderr)


if __name__ == "__main__":
    unittest.main()


@unittest.skipIf(Controller is None, "python3-aiosmtpd is not installed")
class ThreadDeliveryTest(OutboxCase):
    """The inquiry's thread says what became of each reply, in the reader's language."""

    def thread_item(self, ref, text, lang):
        from test_desk_pages import thread_item
        from test_pages import Client
        c = Client(self.s, lang)
        c.sign_in("ana")
        return thread_item(c.get("/inquiries/%s" % ref).body, text)

    def test_sent_and_failed_with_the_reason(self):
        from test_pages import catalog
        fr, es = catalog("fr"), catalog("es")
        ok = ask(self.s, subject="Harbour dues question", email="ilsa.marquand@example.org").json()
        sent = self.reply(ok["reference"], "Answer that reaches Ilsa.")
        refused = ask(self.s, subject="Harbour dues, again", email="refuse.quill@example.org").json()
        failed = self.reply(refused["reference"], "Answer the relay refuses.")
        self.until(lambda: self.s.get("/api/v1/inquiry-messages/%d" % sent["id"], user="ana").json()["delivery"] == "sent")
        self.until(lambda: self.s.get("/api/v1/inquiry-messages/%d" % failed["id"], user="ana").json()["delivery"] == "failed")
        for lang, words in (("fr", fr), ("es", es)):
            item = self.thread_item(ok["reference"], "Answer that reaches Ilsa.", lang)
            self.assertIn('<span class="badge sent">%s</span>' % words["Sent"], item)
            self.assertIn(html.escape(words["The mail relay took it."]), item)
            self.assertNotIn('class="error"', item)
            item = self.thread_item(refused["reference"], "Answer the relay refuses.", lang)
            self.assertIn('<span class="badge failed">%s</span>' % words["Failed"], item)
            self.assertIn(html.escape(words["Why it was not delivered:"]), item)
            self.assertIn("550", item)  # the relay's own words


@unittest.skipIf(Controller is None, "python3-aiosmtpd is not installed")
class ThreadQueuedTest(OutboxCase):
    """The relay is down: a reply stays queued, and the thread never calls it sent."""
    relay_up = False

    def test_queued_until_the_relay_takes_it(self):
        from test_pages import catalog
        inq = ask(self.s, subject="Quay access for a delegation", email="ilsa.marquand@example.org").json()
        msg = self.reply(inq["reference"], "Answer waiting for the relay.")
        time.sleep(1.5)  # an attempt or two, refused for now
        self.assertEqual(self.s.get("/api/v1/inquiry-messages/%d" % msg["id"], user="ana").json()["delivery"], "queued")
        words = catalog("es")
        item = ThreadDeliveryTest.thread_item(self, inq["reference"], "Answer waiting for the relay.", "es")
        self.assertIn('<span class="badge queued">%s</span>' % words["Queued"], item)
        self.assertIn(html.escape(words["Waiting for the mail relay: not sent yet."]), item)
        self.assertNotIn(words["Sent"] + "<", item)
