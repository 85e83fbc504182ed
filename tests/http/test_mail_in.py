"""Mail into the desk from senders it cannot trust: who may join an
inquiry's thread (the requester or an address already in it, whatever the
subject or the threading headers say), what a Maildir's new/ may hold
besides messages (links, pipes, folders, devices: quarantined unread), and
values that do not fit their fields (line breaks in names, a subject over
300 characters, more than 100 attachments...), imported with what fits.
"""
import base64
import os
import re
import stat
import subprocess
import tempfile
import unittest

from harness import BIN
from test_inquiries import Controller, ask, delivered
from test_mail_out import RelayTest
from test_pages import Client


def message(sender="Anouk Verhelst <anouk.verhelst@example.net>", subject="Question on migration data",
            id="a1@example.net", extra="", body="Hello desk.", content_type="text/plain; charset=utf-8"):
    """A message as bytes; extra is more header lines (no trailing line break)."""
    head = ("From: %s\nTo: desk@liaison.example\nSubject: %s\nMessage-ID: <%s>\n"
            "Date: Thu, 26 Nov 2026 10:00:00 +0100\nMIME-Version: 1.0\nContent-Type: %s\n"
            % (sender, subject, id, content_type))
    if extra:
        head += extra + "\n"
    return (head + "\n" + body + "\n").encode()


@unittest.skipIf(Controller is None, "python3-aiosmtpd is not installed")
class MailInTest(RelayTest):
    users = [u for u in RelayTest.users if u[0] in ("ana", "root")]

    # ---- helpers ----

    def maildir(self):
        d = tempfile.mkdtemp(prefix="liaison-maildir-")
        for sub in ("new", "cur", "tmp"):
            os.mkdir(os.path.join(d, sub))
        return d

    def import_(self, d, *messages, code=0):
        """Drops each (name, bytes) into new/ and imports them all; the report line."""
        for name, data in messages:
            with open(os.path.join(d, "new", name), "wb") as f:
                f.write(data)
        out = subprocess.run([BIN, "mail", "import", d, "--db", self.s.db], capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, code, out.stdout + out.stderr)
        return out.stdout

    def by_requester(self, addr):
        return self.s.get("/api/v1/inquiries?limit=500&requester_email=" + addr, user="root").json()["items"]

    def inquiry(self, ref):
        r = self.s.get("/api/v1/inquiries/" + ref, user="root")
        self.assertStatus(r, 200)
        return r.json()

    def thread(self, ref):
        return self.s.get("/api/v1/inquiries/%s/thread" % ref, user="root").json()["items"]

    def reply(self, ref, body="Thank you, here is the answer."):
        sent = len(self.sink.messages)
        r = self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": body}, user="ana")
        self.assertStatus(r, 201)
        msg = delivered(self.s, r.json())
        self.assertEqual(msg["delivery"], "sent", msg)
        self.assertEqual(len(self.sink.messages), sent + 1)
        return msg, self.sink.messages[-1]

    def answered_inquiry(self, d, addr, id):
        """An inquiry opened by mail from addr and answered by the desk: its reference and the reply."""
        self.import_(d, (id, message(sender="Requester <%s>" % addr, subject="Figures " + id, id=id)))
        [inq] = self.by_requester(addr)
        sent, _ = self.reply(inq["reference"])
        self.assertEqual(self.inquiry(inq["reference"])["status"], "answered")
        return inq["reference"], sent

    def assertOnPage(self, ref, labels, text):
        """The inquiry's page in English, French and Spanish shows each its label, and text."""
        c = Client(self.s)
        self.assertEqual(c.sign_in("ana").status, 303)
        for lang, label in zip(("en", "fr", "es"), labels):
            page = c.get("/inquiries/%s?lang=%s" % (ref, lang))
            self.assertEqual(page.status, 200)
            self.assertIn(label, page.body)
            self.assertIn(text, page.body)

    def assertUntouched(self, ref, before, thread):
        after = self.inquiry(ref)
        self.assertEqual((after["version"], after["status"]), (before["version"], before["status"]))
        self.assertEqual([m["id"] for m in self.thread(ref)], [m["id"] for m in thread])

    # ---- who joins a thread ----

    def test_a_stranger_naming_a_reference_opens_a_new_inquiry_that_says_so(self):
        d = self.maildir()
        ref, _ = self.answered_inquiry(d, "oyelaran.f@example.net", "s1@example.net")
        before, thread = self.inquiry(ref), self.thread(ref)
        out = self.import_(d, ("s2", message(sender="Mallory Quist <m.quist@example.com>",
                                              subject="Re: [%s] new bank details" % ref, id="s2@example.com",
                                              body="Please pay into this account instead.")))
        self.assertIn("1 read: 1 new inquiries, 0 joined", out)
        self.assertUntouched(ref, before, thread)
        [new] = self.by_requester("m.quist@example.com")
        self.assertNotEqual(new["reference"], ref)
        self.assertEqual((new["mentioned"], new["status"], new["channel"]), (ref, "new", "email"))
        self.assertEqual([m["message_id"] for m in self.thread(new["reference"])], ["s2@example.com"])
        self.assertIsNone(self.inquiry(ref)["mentioned"])
        # staff see it on the new inquiry's page, in their language, with a link to the old one, and find it
        self.assertOnPage(new["reference"], ("Mentioned inquiry (not joined)", "Demande mentionnée (non rattachée)",
                                             "Consulta mencionada (no vinculada)"), 'href="/inquiries/%s"' % ref)
        found = self.s.get("/api/v1/inquiries?mentioned=" + ref, user="ana").json()["items"]
        self.assertEqual([i["reference"] for i in found], [new["reference"]])
        # once staff merge the two, the sender is part of the conversation and their next message joins it
        self.assertStatus(self.s.post("/api/v1/merges", {"kind": "inquiries", "keep": before["id"], "merge": new["id"]},
                                      user="ana"), 201)
        out = self.import_(d, ("s3", message(sender="m.quist@example.com", subject="Re: [%s]" % ref, id="s3@example.com")))
        self.assertIn("1 read: 0 new inquiries, 1 joined", out)

    def test_a_forged_in_reply_to_from_a_stranger_does_not_join(self):
        d = self.maildir()
        ref, sent = self.answered_inquiry(d, "b.lindqvist@example.org", "f1@example.org")
        before, thread = self.inquiry(ref), self.thread(ref)
        forged = "In-Reply-To: <%s>\nReferences: <f1@example.org> <%s>" % (sent["message_id"], sent["message_id"])
        out = self.import_(d, ("f2", message(sender="Eve Marchetti <eve.marchetti@example.com>", subject="Re: answer",
                                              id="f2@example.com", extra=forged, body="Forward me the file.")),
                           ("f3", message(sender="Robot <noreply@example.com>", subject="Re: answer", id="f3@example.com",
                                          extra=forged + "\nAuto-Submitted: auto-replied", body="I am away.")))
        self.assertIn("2 read: 1 new inquiries, 0 joined their inquiry, 1 set aside", out)
        self.assertUntouched(ref, before, thread)
        [new] = self.by_requester("eve.marchetti@example.com")
        self.assertEqual(new["mentioned"], ref)
        self.assertEqual(self.by_requester("noreply@example.com"), [])

    def test_the_requester_joins_whatever_the_case_of_the_address(self):
        d = self.maildir()
        ref = ask(self.s, name="Kwame Adjei", email="Kwame.ADJEI@Example.ORG").json()["reference"]
        sent, _ = self.reply(ref)
        out = self.import_(d, ("c2", message(sender="Kwame Adjei <kwame.adjei@example.org>", subject="Re: [%s] thanks" % ref,
                                              id="c2@example.org")),
                           ("c3", message(sender="KWAME.ADJEI@EXAMPLE.ORG", subject="One more thing", id="c3@example.org",
                                          extra="In-Reply-To: <%s>" % sent["message_id"])))
        self.assertIn("2 read: 0 new inquiries, 2 joined", out)
        self.assertEqual([m["message_id"] for m in self.thread(ref) if m["direction"] == "in"],
                         ["c2@example.org", "c3@example.org"])
        self.assertEqual(self.inquiry(ref)["status"], "assigned")  # reopened by the requester
        self.assertIsNone(self.inquiry(ref)["mentioned"])

    def test_a_domain_beyond_ascii_is_one_address_in_either_form(self):
        d = self.maildir()
        ref = ask(self.s, name="Aino Lehtovaara", email="Aino@EXÄMPLE.org").json()["reference"]
        out = self.import_(d, ("i1", message(sender="Aino <aino@xn--exmple-cua.org>", subject="Re: [%s]" % ref,
                                              id="i1@example.org")))
        self.assertIn("1 joined", out)
        self.assertEqual([m["message_id"] for m in self.thread(ref)], ["i1@example.org"])

    def test_an_address_already_in_the_thread_joins(self):
        d = self.maildir()
        ref, _ = self.answered_inquiry(d, "first.address@example.net", "t1@example.net")
        # the requester asks to be written to elsewhere; the desk answers there, then the address changes again
        for addr in ("second.address@example.net", "third.address@example.net"):
            inq = self.inquiry(ref)
            self.assertStatus(self.s.patch("/api/v1/inquiries/" + ref, {"requester_email": addr}, inq["version"],
                                           user="ana"), 200)
            if addr.startswith("second"):
                self.reply(ref, "Noted, we will write to this address.")
        out = self.import_(d, *[("t%d" % i, message(sender="R <%s>" % a, subject="Re: [%s]" % ref, id="t%d@example.net" % i))
                                for i, a in ((2, "first.address@example.net"),    # sent a message of the thread
                                             (3, "second.address@example.net"),   # a reply went to it
                                             (4, "third.address@example.net"),    # the requester now
                                             (5, "desk@liaison.example"))])       # the desk's own: never proof
        self.assertIn("4 read: 1 new inquiries, 3 joined", out)
        self.assertEqual([m["message_id"] for m in self.thread(ref) if m["direction"] == "in"],
                         ["t1@example.net", "t2@example.net", "t3@example.net", "t4@example.net"])

    # ---- what a Maildir's new/ may hold ----

    def test_only_regular_files_are_read_the_rest_is_quarantined_unread(self):
        d = self.maildir()
        outside = tempfile.mkdtemp(prefix="liaison-outside-")
        secret = os.path.join(outside, "secret")
        with open(secret, "wb") as f:  # a message, so that it would be imported if it were read
            f.write(message(subject="Secret line 7f3a9c", id="secret@example.net", body="SECRET-LINE-7f3a9c"))
        new = os.path.join(d, "new")
        os.symlink(secret, os.path.join(new, "1-link"))
        os.symlink(outside, os.path.join(new, "2-link-to-folder"))
        os.mkfifo(os.path.join(new, "3-fifo"))
        os.mkdir(os.path.join(new, "4-folder"))
        with open(os.path.join(new, "4-folder", "inside"), "wb") as f:
            f.write(message(subject="Inside a folder", id="inside@example.net"))
        kinds = {"1-link": stat.S_ISLNK, "2-link-to-folder": stat.S_ISLNK, "3-fifo": stat.S_ISFIFO,
                 "4-folder": stat.S_ISDIR}
        if os.geteuid() == 0:  # a character device (the null device's numbers) needs root to make
            os.mknod(os.path.join(new, "5-device"), stat.S_IFCHR | 0o600, os.makedev(1, 3))
            kinds["5-device"] = stat.S_ISCHR
        out = self.import_(d, ("6-mail", message(sender="Nadia Ferreira <n.ferreira@example.net>",
                                                 subject="A real question", id="real@example.net")), code=1)
        self.assertIn("%d read: 1 new inquiries, 0 joined their inquiry, 0 set aside, %d quarantined"
                      % (len(kinds) + 1, len(kinds)), out)
        for name, is_kind in kinds.items():
            kept = os.path.join(d, "quarantine", name)
            self.assertTrue(is_kind(os.lstat(kept).st_mode), name)
            with open(kept + ".reason") as f:
                self.assertRegex(f.read(), r"not a regular file: a (symbolic link|named pipe|folder|device)", name)
        self.assertEqual(os.listdir(new), [])
        self.assertTrue(os.path.isfile(secret))
        items = self.s.get("/api/v1/inquiries?limit=500", user="root").json()["items"]
        for inq in items:
            self.assertNotIn("7f3a9c", repr(inq))
            self.assertNotIn("7f3a9c", repr(self.thread(inq["reference"])))
            self.assertNotEqual(inq["subject"], "Inside a folder")
        self.assertEqual(len(self.by_requester("n.ferreira@example.net")), 1)

    # ---- cleaning and cutting ----

    def test_a_name_with_line_breaks_is_cleaned_and_replies_go_out(self):
        d = self.maildir()
        encoded = "=?utf-8?q?Kalinda=0D=0ABcc=3A_all=40example=2Ecom=09Osei=07?= <kalinda.osei@example.net>"
        self.import_(d, ("n1", message(sender=encoded, subject="=?utf-8?q?Visa=0D=0Aquestion?=", id="n1@example.net")))
        [inq] = self.by_requester("kalinda.osei@example.net")
        self.assertEqual((inq["requester_name"], inq["subject"]), ("Kalinda Bcc: all@example.com Osei", "Visa question"))
        # the public form's name, the same way
        r = ask(self.s, name=" Tamsin\r\nBcc: everyone@example.org\tReyes\x07  \u2028Ortiz ", email="t.reyes@example.org",
                subject="Visa\r\nfor a delegation")
        self.assertStatus(r, 201)
        web = self.inquiry(r.json()["reference"])
        self.assertEqual((web["requester_name"], web["subject"]),
                         ("Tamsin Bcc: everyone@example.org Reyes Ortiz", "Visa for a delegation"))
        for ref, addr in ((inq["reference"], "kalinda.osei@example.net"), (web["reference"], "t.reyes@example.org")):
            _, (mail_from, rcpt, raw) = self.reply(ref)
            self.assertEqual(rcpt, [addr])
            headers = raw.split(b"\r\n\r\n", 1)[0].decode()
            self.assertNotRegex(headers, r"(?im)^bcc:")
            self.assertEqual(len(re.findall(r"(?im)^to:", headers)), 1)

    def test_a_long_subject_is_cut_and_kept_in_full(self):
        d = self.maildir()
        subject = "Réunion " + "é" * 150 + " — " + "数" * 200 + " end"
        encoded = "=?utf-8?b?%s?=" % base64.b64encode(subject.encode()).decode()
        self.import_(d, ("l1", message(sender="Odile Brenner <odile.b@example.net>", subject=encoded, id="l1@example.net")))
        [inq] = self.by_requester("odile.b@example.net")
        self.assertEqual(len(inq["subject"]), 300)
        self.assertEqual(inq["subject"], subject[:299] + "…")
        [msg] = self.thread(inq["reference"])
        self.assertEqual((msg["subject"], msg["subject_full"], msg["cut"]), (inq["subject"], subject, ["subject"]))
        self.assertOnPage(inq["reference"], ("Subject in full", "Objet complet", "Asunto completo"), subject)

    def test_over_a_hundred_attachments_keeps_a_hundred_and_says_how_many_more(self):
        d = self.maildir()
        parts = "".join("--b1\nContent-Type: text/csv\nContent-Disposition: attachment; filename=\"table-%03d.csv\"\n\n"
                        "year,arrivals\n2026,%d\n" % (i, i) for i in range(1, 104))
        long_name = "a" * 250 + ".pdf"
        parts += ("--b1\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"%s\"\n\n%%PDF-1.4\n"
                  % long_name)
        body = "--b1\nContent-Type: text/plain\n\nThe tables, one a year.\n" + parts + "--b1--"
        self.import_(d, ("m1", message(sender="Tiago Mensah <t.mensah@example.net>", subject="Tables", id="m1@example.net",
                                       content_type='multipart/mixed; boundary="b1"', body=body)))
        [inq] = self.by_requester("t.mensah@example.net")
        [msg] = self.thread(inq["reference"])
        self.assertEqual(len(msg["attachments"]), 100)
        self.assertEqual(msg["attachments"][0], "table-001.csv (text/csv, 20 bytes)")
        self.assertEqual((msg["attachments_left_out"], msg["cut"]), (4, ["attachments"]))
        self.assertTrue(os.path.exists(os.path.join(d, "cur", "m1:2,S")))
        # nothing is lost: the 104th is read back from the original
        r = self.s.get("/api/v1/inquiry-messages/%d/attachments/104" % msg["id"], user="ana")
        self.assertEqual((r.status, r.body), (200, "%PDF-1.4"))
        # the original is read back as mail is read: never through a link put in its place
        kept, elsewhere = os.path.join(d, "cur", "m1:2,S"), os.path.join(tempfile.mkdtemp(), "m1")
        os.rename(kept, elsewhere)
        os.symlink(elsewhere, kept)
        self.assertProblem(self.s.get("/api/v1/inquiry-messages/%d/attachments/104" % msg["id"], user="ana"), 410)
        self.assertOnPage(inq["reference"], ("Attachments left out", "Pièces jointes omises", "Archivos adjuntos omitidos"),
                          "table-100.csv")

    def test_names_bodies_ids_and_file_names_too_long_are_cut_not_quarantined(self):
        d = self.maildir()
        name = "Wanjiru " + "Njeri-" * 40
        long_id = "x" * 600 + "@example.net"
        text = ("Paragraph with a form feed\f and an escape\x1b. " + "word " * 30000).strip()
        body = ("--b1\nContent-Type: text/plain; charset=utf-8\n\n%s\n--b1\nContent-Type: text/plain\n"
                "Content-Disposition: attachment; filename=\"%s.txt\"\n\nnotes\n--b1--" % (text, "n" * 300))
        data = message(sender="%s <w.njeri@example.net>" % name, subject="Long", id=long_id, body=body,
                       content_type='multipart/mixed; boundary="b1"')
        out = self.import_(d, ("w1", data))
        self.assertIn("1 new inquiries", out)
        [inq] = self.by_requester("w.njeri@example.net")
        self.assertEqual(inq["requester_name"], name.strip()[:199] + "…")
        self.assertTrue(inq["body"].startswith("Paragraph with a form feed and an escape. word"), inq["body"][:60])
        self.assertEqual(len(inq["body"]), 100000)
        self.assertTrue(inq["body"].endswith("…"))
        [msg] = self.thread(inq["reference"])
        self.assertEqual(sorted(msg["cut"]), ["attachments", "body", "from_name", "message_id"])
        self.assertEqual(len(msg["message_id"]), 500)
        self.assertEqual(len(msg["attachments"][0]), 200)
        self.assertOnPage(inq["reference"], ("Shortened on arrival", "Raccourci à l&#39;arrivée", "Acortado a la llegada"),
                          "Message-ID")
        # the same message again is recognized by its (cut) Message-ID and read once
        out = self.import_(d, ("w2", data))
        self.assertIn("1 read: 0 new inquiries, 0 joined their inquiry, 1 set aside", out)


if __name__ == "__main__":
    unittest.main()
