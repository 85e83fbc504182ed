"""The mail the desk sends, over HTTP: the threading headers of replies
(RFC 5322 3.6.4: never the message's own id), and e-mail addresses — those
that cannot be delivered refused where they are typed, with the reason;
domains beyond ASCII delivered as A-labels; a part before @ beyond ASCII
only through a relay that offers SMTPUTF8.
"""
import email
import email.policy
import json
import os
import socket
import tempfile
import unittest

from harness import ServerTest, cli
from test_inquiries import MESSAGE, Controller, Sink, ask, delivered, desk_config


class RelayTest(ServerTest):
    """A server whose desk sends through a relay of its own (aiosmtpd,
    without SMTPUTF8), kept as self.sink.messages."""

    @classmethod
    def setUpClass(cls):
        cls.sink = Sink()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        cls.controller = Controller(cls.sink, hostname="127.0.0.1", port=port, enable_SMTPUTF8=False)
        cls.controller.start()
        conf = tempfile.mkdtemp(prefix="liaison-relay-")
        cls.server_args = ("--config", desk_config(os.path.join(conf, "desk.json"), port))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.controller.stop()


@unittest.skipIf(Controller is None, "python3-aiosmtpd is not installed")
class MailOutTest(RelayTest):
    def reply(self, ref, body):
        sent = len(self.sink.messages)
        r = self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": body}, user="ana")
        self.assertStatus(r, 201)
        msg = delivered(self.s, r.json())
        self.assertEqual(msg["delivery"], "sent", msg)
        self.assertEqual(len(self.sink.messages), sent + 1)
        mail_from, rcpt, raw = self.sink.messages[-1]
        return msg, rcpt, email.message_from_bytes(raw, policy=email.policy.default)

    def mail_in(self, name, **fields):
        d = tempfile.mkdtemp(prefix="liaison-maildir-")
        for sub in ("new", "cur", "tmp"):
            os.mkdir(os.path.join(d, sub))
        text = dict(subject="Question on migration data", extra="", body="Hello desk.")
        text.update(fields)
        with open(os.path.join(d, "new", name), "w") as f:
            f.write(MESSAGE.format(**text))
        out = cli(self.s.db, "mail", "import", d, check=False)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    # ---- threading ----

    def test_a_reply_without_a_parent_has_no_threading_headers(self):
        ref = ask(self.s, subject="Calendar of the consultations").json()["reference"]
        for text in ("First answer.", "A second answer, before they wrote back."):
            msg, _, parsed = self.reply(ref, text)
            self.assertEqual(parsed["Message-ID"], "<%s>" % msg["message_id"])
            self.assertIsNone(parsed["References"], parsed["References"])
            self.assertIsNone(parsed["In-Reply-To"])

    def test_a_reply_follows_the_requesters_latest_message(self):
        self.mail_in("t1", id="thread-one@example.net", subject="Figures for 2026")
        ref = [i for i in self.s.get("/api/v1/inquiries?channel=email&limit=500", user="ana").json()["items"]
               if i["subject"] == "Figures for 2026"][0]["reference"]
        first, _, parsed = self.reply(ref, "Here they are.")
        self.assertEqual(parsed["In-Reply-To"], "<thread-one@example.net>")
        self.assertEqual(parsed["References"], "<thread-one@example.net>")
        self.mail_in("t2", id="thread-two@example.net", subject="Re: [%s] Figures for 2026" % ref,
                     extra="In-Reply-To: <%s>" % first["message_id"])
        second, _, parsed = self.reply(ref, "And the regional ones.")
        self.assertEqual(parsed["In-Reply-To"], "<thread-two@example.net>")
        refs = parsed["References"].split()
        self.assertEqual(refs, ["<thread-one@example.net>", "<%s>" % first["message_id"], "<thread-two@example.net>"])
        self.assertNotIn("<%s>" % second["message_id"], refs)

    # ---- addresses ----

    def test_addresses_that_cannot_be_delivered_are_refused_at_entry(self):
        before = len(self.s.get("/api/v1/persons?limit=500", user="root").json()["items"])
        cases = [
            ("a@ex☃mple.org", "not a valid internationalized domain name"),
            ("ana..ruiz@example.org", "two dots in a row"),
            ("ana@localhost", "needs at least one dot"),
            ("ana ruiz@example.org", "holds a space"),
            ("ana@ex_ample.org", "not a valid domain name"),
        ]
        for address, reason in cases:
            r = self.s.post("/api/v1/persons", {"given_name": "Ana", "family_name": "Ruiz-Ortega",
                                                "emails": ["ana.ruiz@example.org", address]}, user="ana")
            p = self.assertProblem(r, 422, "emails[1]")
            message = [e["message"] for e in p["errors"] if e["field"] == "emails[1]"][0]
            self.assertTrue(message.startswith("is not an e-mail address: "), message)
            self.assertIn(reason, message)
        after = len(self.s.get("/api/v1/persons?limit=500", user="root").json()["items"])
        self.assertEqual(before, after)  # nothing half-written
        r = self.s.post("/api/v1/inquiries", {"channel": "phone", "subject": "Visa", "requester_email": "x@-bad.org"},
                        user="ana")
        self.assertProblem(r, 422, "requester_email")
        self.assertProblem(ask(self.s, email="someone@ex☃mple.org"), 422, "requester_email")

    def test_a_wrong_sender_address_in_the_settings_is_one_clear_line(self):
        d = tempfile.mkdtemp(prefix="liaison-conf-")
        path = os.path.join(d, "conf.json")
        with open(path, "w") as f:
            json.dump({"mail": {"from_addr": "desk@liaison..example"}}, f)
        maildir = tempfile.mkdtemp(prefix="liaison-maildir-")
        out = cli(self.s.db, "mail", "import", maildir, "--config", path, check=False)
        self.assertEqual(out.returncode, 1)
        self.assertRegex(out.stderr, r"^liaison: mail\.from_addr: 'desk@liaison\.\.example' is not an e-mail address: ")
        self.assertEqual(len(out.stderr.strip().splitlines()), 1)

    def test_a_domain_beyond_ascii_is_delivered_as_its_a_label(self):
        r = ask(self.s, name="Aino Lehtovaara", email="aino@exämple.org")
        self.assertStatus(r, 201)
        ref = r.json()["reference"]
        inq = self.s.get("/api/v1/inquiries/" + ref, user="ana").json()
        self.assertEqual(inq["requester_email"], "aino@exämple.org")  # kept as typed
        _, rcpt, parsed = self.reply(ref, "Thank you.")
        self.assertEqual(rcpt, ["aino@xn--exmple-cua.org"])
        self.assertIn("<aino@xn--exmple-cua.org>", str(parsed["To"]))

    def test_a_name_beyond_ascii_needs_a_relay_with_smtputf8(self):
        ref = ask(self.s, name="José García", email="josé.garcía@example.org").json()["reference"]
        sent = len(self.sink.messages)
        r = self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": "Gracias."}, user="ana")
        self.assertStatus(r, 201)
        msg = delivered(self.s, r.json())
        self.assertEqual(msg["delivery"], "failed")  # no relay of this one's will take it: failed at once
        self.assertIn("does not offer SMTPUTF8", msg["delivery_error"])
        self.assertEqual(len(self.sink.messages), sent)
