"""A briefing's invitation over HTTP: the iCalendar file and its iTIP method
(REQUEST with the department as ORGANIZER and the visitors and staff as
ATTENDEEs; PUBLISH when nobody can be invited; CANCEL once cancelled or
archived, with a higher SEQUENCE), and the invitation e-mailed to each of
them through a real SMTP relay (aiosmtpd), from the API and the page.
"""
import email
import email.policy
import re
import time
import unittest

from test_inquiries import Controller
from test_mail_out import RelayTest
from test_meetings import libical_reads


def unfold(ics):
    return ics.replace("\r\n ", "")


def lines(ics, name):
    """The values of every content line called name (parameters included)."""
    return [l[len(name):] for l in unfold(ics).split("\r\n") if l.startswith(name + ":") or l.startswith(name + ";")]


@unittest.skipIf(Controller is None, "python3-aiosmtpd is not installed")
class InvitationsTest(RelayTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ana = cls.s.get("/api/v1/users/ana", user="root").json()
        r = cls.s.patch("/api/v1/users/%d" % ana["id"], {"email": "ana.ruiz@liaison.example"}, ana["version"],
                        user="root")
        assert r.status == 200, r
        cls.ana = ana["id"]

    def person(self, given, family, emails):
        r = self.s.post("/api/v1/persons", {"given_name": given, "family_name": family, "emails": emails}, user="ana")
        self.assertStatus(r, 201)
        return r.json()["id"]

    def briefing(self, title, visitors, **fields):
        body = {"title": title, "status": "scheduled", "starts_at": "2027-03-04T09:00:00Z",
                "ends_at": "2027-03-04T10:30:00Z", "room": "Salle B", "language": "fr",
                "visitors": [{"kind": "persons", "id": v} for v in visitors],
                "staff": [{"kind": "users", "id": self.ana}]}
        body.update(fields)
        r = self.s.post("/api/v1/briefings", body, user="ana")
        self.assertStatus(r, 201)
        return r.json()

    def ics(self, bid, method):
        r = self.s.get("/api/v1/briefings/%d/invitation.ics" % bid, user="ana")
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Type"), "text/calendar; charset=utf-8; method=" + method)
        self.assertEqual(lines(r.body, "METHOD"), [":" + method])
        libical_reads(self, r.body)
        return r.body

    def send(self, bid, user="ana"):
        """The answer to the POST and, once the outbox has sent them, the messages the relay received."""
        before = len(self.sink.messages)
        r = self.s.post("/api/v1/briefings/%d/invitation" % bid, {}, user=user)
        if r.status != 202:
            return r, []
        self.assertEqual(r.json()["outbox"], "/api/v1/briefings/%d/outbox" % bid)
        self.settled(bid)
        return r, self.sink.messages[before:]

    def settled(self, bid, timeout=20):
        """The briefing's mail once none of it is queued any more."""
        deadline = time.time() + timeout
        while True:
            items = self.s.get("/api/v1/briefings/%d/outbox" % bid, user="ana").json()["items"]
            if all(m["state"] != "queued" for m in items) or time.time() > deadline:
                return items
            time.sleep(0.05)

    def calendar_part(self, raw):
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
        self.assertEqual(len(parts), 1)
        return msg, parts[0]

    def test_request_then_a_new_time_then_the_cancellation(self):
        aino = self.person("Aino", "Lehtovaara", ["aino.l@exämple.org"])
        no_mail = self.person("Bertil", "Sandqvist", [])
        b = self.briefing("Visite de la délégation de Northwind", [aino, no_mail])
        bid = b["id"]
        ics = self.ics(bid, "REQUEST")
        self.assertEqual(lines(ics, "ORGANIZER"), [";CN=Liaison desk:mailto:desk@liaison.example"])
        attendees = lines(ics, "ATTENDEE")
        self.assertEqual(len(attendees), 2)  # Bertil has no address
        self.assertTrue(attendees[0].endswith(":mailto:aino.l@xn--exmple-cua.org"), attendees)
        self.assertIn(";CN=Aino Lehtovaara;", attendees[0])
        self.assertIn("PARTSTAT=NEEDS-ACTION", attendees[0])
        self.assertIn("RSVP=TRUE", attendees[0])
        self.assertTrue(attendees[1].endswith(":mailto:ana.ruiz@liaison.example"), attendees)
        self.assertEqual(lines(ics, "SEQUENCE"), [":%d" % b["version"]])
        self.assertEqual(lines(ics, "UID"), [":briefing-%d@liaison.example" % bid])
        self.assertEqual(lines(ics, "DTSTART"), [":20270304T090000Z"])

        r, mails = self.send(bid)
        self.assertStatus(r, 202)
        first = r.json()
        self.assertEqual((first["method"], first["refused"]), ("REQUEST", []))
        self.assertEqual(sorted(first["queued"]), ["aino.l@exämple.org", "ana.ruiz@liaison.example"])
        outbox = self.s.get("/api/v1/briefings/%d/outbox" % bid, user="ana").json()["items"]
        self.assertEqual(sorted((m["to"], m["state"], m["attempts"]) for m in outbox),
                         [("aino.l@exämple.org", "sent", 1), ("ana.ruiz@liaison.example", "sent", 1)])
        self.assertEqual(sorted(rcpt[0] for _, rcpt, _ in mails), ["aino.l@xn--exmple-cua.org", "ana.ruiz@liaison.example"])
        for mail_from, _, raw in mails:
            self.assertEqual(mail_from, "desk@liaison.example")
            msg, cal = self.calendar_part(raw)
            self.assertEqual(cal.get_param("method"), "REQUEST")
            self.assertEqual(lines(cal.get_content(), "SEQUENCE"), [":%d" % first["sequence"]])
            self.assertEqual(msg["Subject"], "Invitation : Visite de la délégation de Northwind")
            text = [p for p in msg.walk() if p.get_content_type() == "text/plain"][0].get_content()
            self.assertIn("Vous êtes invité", text)
            self.assertIn("Quand : 4 mars 2027 à 09:00–10:30 (UTC)", text)
        after = self.s.get("/api/v1/briefings/%d" % bid, user="ana").json()
        self.assertIsNotNone(after["invited_at"])
        self.assertGreater(after["version"], first["sequence"])

        # a new time: a new REQUEST with a higher SEQUENCE
        r = self.s.patch("/api/v1/briefings/%d" % bid, {"starts_at": "2027-03-05T13:00:00Z",
                                                        "ends_at": "2027-03-05T14:00:00Z"}, after["version"], user="ana")
        self.assertStatus(r, 200)
        r, mails = self.send(bid)
        second = r.json()
        self.assertGreater(second["sequence"], first["sequence"])
        self.assertEqual(len(mails), 2)
        self.assertEqual(lines(self.calendar_part(mails[0][2])[1].get_content(), "DTSTART"), [":20270305T130000Z"])

        # cancelled: CANCEL, STATUS:CANCELLED, higher again
        version = self.s.get("/api/v1/briefings/%d" % bid, user="ana").json()["version"]
        self.assertStatus(self.s.patch("/api/v1/briefings/%d" % bid, {"status": "cancelled"}, version, user="ana"), 200)
        ics = self.ics(bid, "CANCEL")
        self.assertEqual(lines(ics, "STATUS"), [":CANCELLED"])
        self.assertGreater(int(lines(ics, "SEQUENCE")[0][1:]), second["sequence"])
        r, mails = self.send(bid)
        third = r.json()
        self.assertEqual(third["method"], "CANCEL")
        self.assertGreater(third["sequence"], second["sequence"])
        for _, _, raw in mails:
            msg, cal = self.calendar_part(raw)
            self.assertEqual(cal.get_param("method"), "CANCEL")
            self.assertEqual(lines(cal.get_content(), "STATUS"), [":CANCELLED"])
            self.assertTrue(msg["Subject"].startswith("Annulation : "), msg["Subject"])

    def test_an_archived_briefing_is_cancelled(self):
        aino = self.person("Aino", "Lehtovaara-Kask", ["aino.k@example.org"])
        b = self.briefing("Southmere visit", [aino], language="en")
        r, _ = self.send(b["id"])
        sent = r.json()["sequence"]
        self.assertStatus(self.s.delete("/api/v1/briefings/%d" % b["id"], user="ana"), 204)
        ics = self.ics(b["id"], "CANCEL")
        self.assertGreater(int(lines(ics, "SEQUENCE")[0][1:]), sent)
        r, mails = self.send(b["id"])
        self.assertEqual((r.json()["method"], len(mails)), ("CANCEL", 2))

    def test_nobody_to_invite_is_a_publish_and_nothing_is_sent(self):
        no_mail = self.person("Ilse", "Brandvold", [])
        b = self.briefing("Quiet visit", [no_mail], staff=[])
        ics = self.ics(b["id"], "PUBLISH")
        self.assertEqual(lines(ics, "ATTENDEE"), [])
        self.assertEqual(len(lines(ics, "ORGANIZER")), 1)
        r, mails = self.send(b["id"])
        self.assertProblem(r, 409)
        self.assertEqual(mails, [])

    def test_who_may_send_and_when(self):
        aino = self.person("Aino", "Virtanen", ["aino.v@example.org"])
        b = self.briefing("Requested visit", [aino], status="requested", starts_at=None, ends_at=None)
        self.assertProblem(self.s.get("/api/v1/briefings/%d/invitation.ics" % b["id"], user="ana"), 409)
        r, mails = self.send(b["id"])
        self.assertProblem(r, 409)
        b = self.briefing("Scheduled visit", [aino])
        r, mails = self.send(b["id"], user="dora")  # a viewer reads it, may not send it
        self.assertProblem(r, 403)
        self.assertEqual(mails, [])
        self.assertProblem(self.s.post("/api/v1/briefings/%d/invitation" % b["id"], {}), 401)
        self.assertProblem(self.s.post("/api/v1/briefings/999999/invitation", {}, user="ana"), 404)
        secret = self.briefing("Confidential visit", [aino], classification="confidential")
        self.assertProblem(self.s.post("/api/v1/briefings/%d/invitation" % secret["id"], {}, user="bruno"), 404)

    def test_the_page_sends_it(self):
        from test_pages import Client
        aino = self.person("Aino", "Saarinen", ["aino.s@example.org"])
        b = self.briefing("Visit sent from the page", [aino], language="en")
        c = Client(self.s)
        c.sign_in("ana")
        page = c.get("/briefings/%d" % b["id"])
        self.assertIn('action="/briefings/%d/invitation"' % b["id"], page.body)
        self.assertIn("Send the invitation", page.body)
        before = len(self.sink.messages)
        r = c.post("/briefings/%d/invitation" % b["id"], {"_csrf": c.csrf("/briefings/%d" % b["id"])})
        self.assertEqual(r.status, 200)
        self.assertIn("The invitation is queued for sending", r.body)
        self.assertNotIn("was sent", r.body)
        self.assertRegex(r.body, re.compile("Invitation queued", re.I))
        self.settled(b["id"])
        self.assertEqual(len(self.sink.messages), before + 2)
        page = c.get("/briefings/%d" % b["id"])
        mail = page.body[page.body.index('id="h-mail"'):]
        self.assertEqual(mail.count("aino.s@example.org"), 1)
        self.assertEqual(len(re.findall(r'<span class="badge sent">Sent</span>', mail)), 2, mail)

    def test_each_invitations_state_on_the_page(self):
        from test_pages import Client
        kept = self.person("Kaisa", "Rautio", ["kaisa.r@example.org"])
        refused = self.person("Oskari", "Halme", ["refuse.oskari@example.org"])
        b = self.briefing("Visit with one address refused", [kept, refused], language="en", staff=[])
        r, mails = self.send(b["id"])
        self.assertStatus(r, 202)
        self.assertEqual(len(mails), 1)
        states = {m["to"]: m for m in self.s.get("/api/v1/briefings/%d/outbox" % b["id"], user="ana").json()["items"]}
        self.assertEqual(states["kaisa.r@example.org"]["state"], "sent")
        self.assertEqual(states["refuse.oskari@example.org"]["state"], "failed")  # a 550: at once, not retried
        self.assertEqual(states["refuse.oskari@example.org"]["attempts"], 1)
        self.assertIn("550 no such mailbox here", states["refuse.oskari@example.org"]["last_error"])
        c = Client(self.s, lang="fr")
        c.sign_in("ana")
        page = c.get("/briefings/%d" % b["id"])
        mail = page.body[page.body.index('id="h-mail"'):]
        self.assertIn('<span class="badge failed">Échec</span>', mail)
        self.assertIn('<span class="badge sent">Envoyé</span>', mail)
        self.assertIn("550 no such mailbox here", mail)
