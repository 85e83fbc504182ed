"""The inquiry desk's pages as staff and requesters use them: the triage
panel of an inquiry, the desk's table, look-alike inquiries, routing and
delivery in the reader's language, and the public pages (the organization's
name, the privacy notice, the requester's answer from the tracking page).
"""
import re

from harness import ServerTest
from test_pages import Client, catalog, parse


def fields(body, name):
    """The values of the form fields named so (inputs, and a select's chosen option)."""
    found = re.findall(r'<input[^>]* name="%s"[^>]* value="([^"]*)"' % re.escape(name), body)
    m = re.search(r'<select[^>]* name="%s"[^>]*>(.*?)</select>' % re.escape(name), body, re.S)
    if m:
        found += re.findall(r'<option value="([^"]*)" selected>', m.group(1))
    return found


def section(body, heading_id):
    """The <section> a heading of that id opens."""
    m = re.search(r'<section[^>]*aria-labelledby="%s".*?</section>' % heading_id, body, re.S)
    return m.group(0) if m else ""


class DeskTest(ServerTest):
    def client(self, name=None, lang=None):
        c = Client(self.s, lang)
        if name:
            self.assertEqual(c.sign_in(name).status, 303)
        return c

    def inquiry(self, user="ana", **fields):
        body = {"channel": "phone", "subject": "Harbour permits for a delegation", "body": "Which permits?",
                "requester_name": "Ilsa Marquand"}
        body.update(fields)
        r = self.s.post("/api/v1/inquiries", body, user=user)
        self.assertStatus(r, 201)
        return r.json()

    def get(self, inq):
        return self.s.get("/api/v1/inquiries/%d" % inq["id"], user="root").json()

    def triage(self, c, inq, version, **chosen):
        """Sends the triage panel of inq's page with the fields chosen (the others left empty)."""
        form = {"_csrf": c.csrf("/inquiries/%d" % inq["id"]), "version": version, "division": "", "owner": "",
                "owner.q": "", "priority": "", "topic": ""}
        form.update(chosen)
        return c.post("/inquiries/%d/triage" % inq["id"], form)


class TriageTest(DeskTest):
    def test_the_panel_names_divisions_and_shows_the_fields(self):
        inq = self.inquiry()
        for lang, front_office in (("en", "Front Office"), ("fr", catalog("fr")["Front Office"]),
                                   ("es", catalog("es")["Front Office"])):
            page = self.client("ana", lang).get("/inquiries/%d" % inq["id"]).body
            panel = section(page, "h-triage")
            self.assertIn('action="/inquiries/%s/triage"' % inq["reference"], panel)
            division = re.search(r'<select id="f-division" name="division".*?</select>', panel, re.S).group(0)
            self.assertIn('<option value="FO" selected>%s</option>' % front_office, division)
            self.assertNotRegex(division, r">(FO|IPD|MCD)<")  # never the code
            self.assertIn('name="owner.q"', panel)  # chosen by name, with the picker
            self.assertIn('name="priority"', panel)
            self.assertIn('name="topic"', panel)
            self.assertIn('name="assign"', panel)
            self.assertEqual(fields(panel, "version"), [str(inq["version"])])

    def test_one_submission_saves_every_field_and_triages(self):
        inq = self.inquiry()
        c = self.client("ana")
        bruno = self.s.get("/api/v1/users/bruno", user="root").json()["id"]
        r = self.triage(c, inq, inq["version"], division="DRD", **{"owner.q": "bruno"}, priority="high", topic="ports")
        self.assertEqual(r.status, 303, r)
        after = self.get(inq)
        self.assertEqual((after["division"], after["owner"], after["priority"], after["topic"], after["status"]),
                         ("DRD", bruno, "high", "ports", "triaged"))
        self.assertEqual(after["version"], inq["version"] + 1)  # one write

    def test_assign_to_me(self):
        inq = self.inquiry()
        c = self.client("ana")
        ana = self.s.get("/api/v1/users/ana", user="root").json()["id"]
        r = self.triage(c, inq, inq["version"], division="IPD", priority="urgent", assign="me")
        self.assertEqual(r.status, 303, r)
        after = self.get(inq)
        self.assertEqual((after["owner"], after["status"], after["division"], after["priority"]),
                         (ana, "assigned", "IPD", "urgent"))
        self.assertIsNotNone(self.s.get("/api/v1/inquiries/%d" % inq["id"], user="ana").json()["first_response_due"])
        # an answered inquiry taken over keeps its status: taking it is not reopening it
        self.assertStatus(self.s.post("/api/v1/inquiries/%d/transitions" % inq["id"], {"to": "answered"}, user="ana"), 200)
        now = self.get(inq)
        r = self.triage(c, inq, now["version"], division="IPD", priority="urgent", assign="me")
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.get(inq)["status"], "answered")

    def test_errors_come_back_next_to_their_fields_and_nothing_is_saved(self):
        inq = self.inquiry()
        c = self.client("ana", "fr")
        csrf = c.csrf("/inquiries/%d" % inq["id"])
        r = c.post("/inquiries/%d/triage" % inq["id"], {
            "_csrf": csrf, "version": inq["version"], "division": "IPD", "owner": "", "owner.q": "nobody-by-that-name",
            "priority": "low", "topic": ""})
        self.assertEqual(r.status, 422, r)
        panel = section(r.body, "h-triage")
        self.assertIn('aria-describedby="e-owner"', panel)
        self.assertIn('<p class="error" id="e-owner">', panel)
        self.assertIn('value="nobody-by-that-name"', panel)  # what was typed stays
        r = c.post("/inquiries/%d/triage" % inq["id"], {
            "_csrf": csrf, "version": inq["version"], "division": "IPD", "owner": "", "owner.q": "",
            "priority": "whenever", "topic": "x" * 101})
        self.assertEqual(r.status, 422, r)
        panel = section(r.body, "h-triage")
        for name in ("priority", "topic"):
            self.assertIn('aria-describedby="e-%s"' % name, panel)
            self.assertIn('<p class="error" id="e-%s">' % name, panel)
        self.assertNotIn("e-owner", panel)
        self.assertIn(catalog("fr")["This is too long."], panel)  # the reader's language, not the model's English
        self.assertEqual(self.get(inq)["version"], inq["version"])
        # a bad division is an error next to the division, too
        r = c.post("/inquiries/%d/triage" % inq["id"], {
            "_csrf": csrf, "version": inq["version"], "division": "XX", "owner": "", "owner.q": "", "priority": "",
            "topic": ""})
        self.assertEqual(r.status, 422, r)
        self.assertIn('<p class="error" id="e-division">', section(r.body, "h-triage"))
        # no version: a bad request, nothing saved
        r = c.post("/inquiries/%d/triage" % inq["id"], {"_csrf": csrf, "division": "IPD"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(self.get(inq)["version"], inq["version"])

    def test_a_stale_version_is_a_conflict_and_keeps_what_was_chosen(self):
        inq = self.inquiry()
        c = self.client("ana")
        csrf = c.csrf("/inquiries/%d" % inq["id"])
        self.assertStatus(self.s.patch("/api/v1/inquiries/%d" % inq["id"], {"topic": "visas"}, inq["version"],
                                       user="bruno"), 200)
        r = c.post("/inquiries/%d/triage" % inq["id"], {
            "_csrf": csrf, "version": inq["version"], "division": "MCD", "owner": "", "owner.q": "",
            "priority": "low", "topic": "press"})
        self.assertEqual(r.status, 409, r)
        panel = section(r.body, "h-triage")
        self.assertIn("Someone else saved this record", panel)
        self.assertEqual(fields(panel, "division"), ["MCD"])
        self.assertEqual(fields(panel, "topic"), ["press"])
        self.assertEqual(fields(panel, "version"), [str(inq["version"] + 1)])  # saving again replaces, knowingly
        self.assertEqual(self.get(inq)["topic"], "visas")
        r = c.post("/inquiries/%d/triage" % inq["id"], {
            "_csrf": csrf, "version": inq["version"] + 1, "division": "MCD", "owner": "", "owner.q": "",
            "priority": "low", "topic": "press"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.get(inq)["topic"], "press")

    def test_only_those_who_may_change_the_inquiry_see_and_use_it(self):
        inq = self.inquiry()
        viewer = self.client("dora")
        page = viewer.get("/inquiries/%d" % inq["id"])
        self.assertEqual(page.status, 200)
        self.assertNotIn('id="h-triage"', page.body)
        r = viewer.post("/inquiries/%d/triage" % inq["id"], {
            "_csrf": viewer.csrf("/inquiries/%d" % inq["id"]), "version": inq["version"], "division": "IPD"})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(self.get(inq)["version"], inq["version"])
        # without the form's token nothing is written either
        r = self.client("ana").post("/inquiries/%d/triage" % inq["id"], {"version": inq["version"], "division": "IPD"})
        self.assertNotEqual(r.status, 303)
        self.assertEqual(self.get(inq)["version"], inq["version"])


def statements(server):
    """The store's statements so far, from /metrics."""
    body = server.get("/metrics", user="root").body
    return int(re.search(r"^liaison_store_statements_total (\d+)$", body, re.M).group(1))


class DeskTableTest(DeskTest):
    def move(self, inq, division):
        self.assertStatus(self.s.patch("/api/v1/inquiries/%d" % inq["id"], {"division": division}, inq["version"],
                                       user="root"), 200)

    def row(self, body, ref):
        m = re.search(r"<tr><td[^>]*>%s</td>.*?</tr>" % ref, body, re.S)
        self.assertIsNotNone(m, ref)
        return m.group(0)

    def test_the_requester_column_names_whoever_asked(self):
        org = self.org("Invented Harbour Council")["id"]
        person = self.s.post("/api/v1/persons", {"given_name": "Aino", "family_name": "Lehtovaara"}, user="ana").json()["id"]
        named = self.inquiry()
        by_person = self.inquiry(requester_name=None, requester_person=person)
        by_org = self.inquiry(requester_name=None, requester_organization=org)
        both = self.inquiry(requester_name=None, requester_person=person, requester_organization=org)
        by_mail = self.inquiry(requester_name=None, requester_email="quill.ashdown@example.org")
        body = self.client("ana").get("/desk").body
        self.assertIn(">Ilsa Marquand</td>", self.row(body, named["reference"]))
        self.assertIn(">Aino Lehtovaara</td>", self.row(body, by_person["reference"]))
        self.assertIn(">Invented Harbour Council</td>", self.row(body, by_org["reference"]))
        self.assertIn(">Aino Lehtovaara<br><span class=\"muted\">Invented Harbour Council</span></td>",
                      self.row(body, both["reference"]))
        self.assertIn(">quill.ashdown@example.org</td>", self.row(body, by_mail["reference"]))

    def test_divisions_by_their_names_in_the_readers_language(self):
        inq = self.inquiry()
        for lang in ("en", "fr", "es"):
            body = self.client("ana", lang).get("/desk").body
            self.assertIn(">%s</td>" % (catalog(lang).get("Front Office") or "Front Office"), self.row(body, inq["reference"]))
            select = re.search(r'<select id="f-division".*?</select>', body, re.S).group(0)
            self.assertNotRegex(select, r">(FO|IPD|GBD)<")

    def test_the_desk_asks_the_same_number_of_times_for_few_rows_or_many(self):
        c = self.client("ana")

        def cost():
            before = statements(self.s)
            self.assertEqual(c.get("/desk?division=IML").status, 200)
            return statements(self.s) - before

        for i in range(2):
            self.move(self.inquiry(requester_name=None, requester_email="few%d@example.org" % i), "IML")
        few = cost()
        for i in range(30):
            person = self.s.post("/api/v1/persons", {"given_name": "Quentin%d" % i, "family_name": "Ashgrove"},
                                 user="ana").json()["id"]
            org = self.org("Invented Pier Authority %d" % i)["id"]
            self.move(self.inquiry(requester_name=None, requester_person=person, requester_organization=org), "IML")
        self.assertIn("Quentin29 Ashgrove", c.get("/desk?division=IML").body)
        many = cost()
        self.assertLess(many - few, 10, "statements for 2 rows: %d, for 32: %d" % (few, many))


class LookAlikesTest(DeskTest):
    def test_each_look_alike_once_with_reference_status_and_date(self):
        subject = "Quayside mooring licences for Tessaly"
        this = self.inquiry(subject=subject)
        others = [self.inquiry(subject=subject + " (%s)" % w, body="Mooring licences again, mooring licences.")
                  for w in ("again", "renewal")]
        self.assertStatus(self.s.post("/api/v1/inquiries/%d/transitions" % others[0]["id"], {"to": "closed"},
                                      user="ana"), 200)
        # a note on it with the same words: still one line for the inquiry
        self.assertStatus(self.s.post("/api/v1/inquiries/%d/notes" % others[1]["id"],
                                      {"body": "Quayside mooring licences: see the Tessaly file."}, user="ana"), 201)
        art = self.s.post("/api/v1/kb-articles", {"title": {"en": "Quayside mooring licences explained"},
                                                  "body": {"en": "How to apply."}}, user="ana")
        self.assertStatus(art, 201)
        fr = catalog("fr")
        page = self.client("ana", "fr").get("/inquiries/%d" % this["id"]).body
        alike = section(page, "h-alike")
        self.assertNotIn(this["reference"], alike)
        for other, status in zip(others, ("Closed", "New")):
            lines = [li for li in re.findall(r"<li>.*?</li>", alike, re.S) if other["reference"] in li]
            self.assertEqual(len(lines), 1, alike)
            self.assertIn('<a href="/inquiries/%s">%s</a>' % (other["reference"], other["reference"]), lines[0])
            self.assertIn(">%s</span>" % fr[status], lines[0])
            self.assertRegex(lines[0], r'<time datetime="%s">\d+ [a-zéû]+ \d{4}[^<]*</time>' % re.escape(other["received_at"]))
        self.assertEqual(alike.count("/kb-articles/%d" % art.json()["id"]), 1)
        self.assertNotIn(">Closed<", alike)


class RoutingWordsTest(DeskTest):
    """The routing explanation, from the facts kept, in the reader's language."""

    def explanation(self, inq, lang):
        page = self.client("ana", lang).get("/inquiries/%d" % inq["id"]).body
        text = re.search(r'<section[^>]*aria-labelledby="h-routing">.*?<p([^>]*)>(.*?)</p>', page, re.S)
        return text.group(1), text.group(2)

    def test_a_rule_and_no_rule_said_in_french_and_spanish(self):
        rule = self.s.post("/api/v1/routing-rules", {"position": 5, "name": "Harbour visas", "active": True,
                                                     "channel": "phone", "words": ["visa"], "language": "fr",
                                                     "to_division": "GBD"}, user="root")
        self.assertStatus(rule, 201)
        routed = self.inquiry(subject="Visas pour le port", body="Quels visas ?", language="fr")
        self.assertEqual(routed["division"], "GBD")
        self.assertIn('rule %d "Harbour visas"' % rule.json()["id"], routed["routed_by"])  # the API's, as before
        unrouted = self.inquiry(subject="Diaspora bonds", body="Anything on bonds?", language="en")
        self.assertEqual(unrouted["routed_by"], "no rule matched: the front office")
        for lang in ("fr", "es"):
            words = catalog(lang)
            attrs, text = self.explanation(routed, lang)
            self.assertNotIn("lang=", attrs)  # the page's own language
            for part in (words["rule {1} “{2}”"].replace("{1}", str(rule.json()["id"])).replace("{2}", "Harbour visas"),
                         words["the channel is {1}"].replace("{1}", words["Telephone"]),
                         words["the text has “{1}”"].replace("{1}", "visa"),
                         words["the language is {1}"].replace("{1}", words["French"])):
                self.assertIn(part.replace("'", "&#39;").replace('"', "&quot;"), text)
            for english in ("rule", "channel", "the text has", "language is", "matched"):
                self.assertNotIn(english, text)
            self.assertEqual(self.explanation(unrouted, lang)[1], words["no rule matched: the front office"])
        self.assertEqual(self.explanation(unrouted, "en")[1], "no rule matched: the front office")

    def test_kept_in_its_division_said_with_division_names(self):
        self.assertStatus(self.s.post("/api/v1/routing-rules", {"position": 6, "name": "Quay permits", "active": True,
                                                                "words": ["quay"], "to_division": "MCD"}, user="root"), 201)
        inq = self.inquiry(subject="Quay permits", classification="restricted", division="IPD")
        self.assertEqual(inq["division"], "IPD")
        for lang in ("fr", "es"):
            words = catalog(lang)
            text = self.explanation(inq, lang)[1]
            self.assertIn(words["International Partnerships Division"], text)
            self.assertIn(words["Media and Communications Division"], text)
            self.assertIn(words["Restricted"], text)
            self.assertNotRegex(text, r"\b(IPD|MCD|kept|restricted)\b")

    def test_inquiries_routed_before_the_facts_were_kept_are_read_back(self):
        import sqlite3
        self.assertStatus(self.s.post("/api/v1/routing-rules", {"position": 7, "name": "Pilots; \"harbour\" desk",
                                                                "active": True, "channel": "letter", "words": ["pilot"],
                                                                "to_division": "MCD"}, user="root"), 201)
        ruled = self.inquiry(subject="Pilot boarding", channel="letter", classification="restricted", division="IPD")
        unruled = self.inquiry(subject="Nothing to match here")
        odd = self.inquiry(subject="Another thing entirely")
        expected = {lang: {i["id"]: self.explanation(i, lang)[1] for i in (ruled, unruled)} for lang in ("fr", "es")}
        db = sqlite3.connect(self.s.db, timeout=30)
        with db:
            db.execute("UPDATE inquiries SET routing = NULL WHERE id IN (?, ?, ?)", (ruled["id"], unruled["id"], odd["id"]))
            db.execute("UPDATE inquiries SET routed_by = 'routed by hand' WHERE id = ?", (odd["id"],))
        db.close()
        for lang in ("fr", "es"):
            for i in (ruled, unruled):
                self.assertEqual(self.explanation(i, lang), ("", expected[lang][i["id"]]))
            self.assertEqual(self.explanation(odd, lang), (' lang="en"', "routed by hand"))  # as stored, marked English


def thread_item(body, text):
    """The thread's entry (<li>) holding text."""
    for li in re.findall(r"<li>.*?</li>", section(body, "h-thread"), re.S):
        if text in li:
            return li
    return ""


class DraftDeliveryTest(DeskTest):
    """No relay is set up on this server: replies stay drafts, and the thread says so."""

    def test_a_draft_says_it_was_not_sent(self):
        inq = self.inquiry(requester_email="ilsa.marquand@example.org")
        r = self.s.post("/api/v1/inquiries/%d/reply" % inq["id"], {"body": "Draft answer about permits."}, user="ana")
        self.assertEqual(r.json()["delivery"], "draft")
        for lang in ("en", "fr", "es"):
            words = catalog(lang) if lang != "en" else {}
            item = thread_item(self.client("ana", lang).get("/inquiries/%d" % inq["id"]).body, "Draft answer about permits.")
            self.assertIn('<span class="badge draft">%s</span>' % words.get("Draft", "Draft"), item)
            meaning = words.get("Not sent: no mail relay is set up.", "Not sent: no mail relay is set up.")
            self.assertIn(meaning.replace("'", "&#39;"), item)
            self.assertNotIn(">Sent<", item)


class PublicCase(DeskTest):
    """A server whose settings name the organization in three languages, and the public form's helpers."""
    per_hour = 1000

    @classmethod
    def setUpClass(cls):
        import json
        import os
        import tempfile
        from test_inquiries import desk_config
        path = desk_config(os.path.join(tempfile.mkdtemp(prefix="liaison-public-"), "desk.json"), per_hour=cls.per_hour)
        with open(path) as f:
            conf = json.load(f)
        conf["organization_name"] = {"en": "Invented Organization for Ports", "fr": "Organisation inventée des ports",
                                     "es": "Organización inventada de puertos"}
        with open(path, "w") as f:
            json.dump(conf, f)
        cls.server_args = ("--config", path)
        super().setUpClass()

    def asked(self, c, subject="Berthing fees for research vessels"):
        r = c.post("/ask", {"name": "Ilsa Marquand", "email": "ilsa.marquand@example.org", "subject": subject,
                            "message": "What are the berthing fees?", "website": ""})
        self.assertEqual(r.status, 201, r)
        ref = re.search(r"<strong>(INQ-\d{4}-\d{6})</strong>", r.body).group(1)
        tracking = re.search(r'href="(/track/[^"]+)"', r.body).group(1).replace("&amp;", "&")
        return ref, tracking, tracking.split("token=")[1]

    def thread(self, ref):
        return self.s.get("/api/v1/inquiries/%s/thread" % ref, user="root").json()["items"]



class PublicPagesTest(PublicCase):
    def test_whose_pages_they_are_and_what_becomes_of_what_is_sent(self):
        names = {"en": "Invented Organization for Ports", "fr": "Organisation inventée des ports",
                 "es": "Organización inventada de puertos"}
        for lang, name in names.items():
            words = catalog(lang) if lang != "en" else {}
            c = Client(self.s, lang)
            ask = c.get("/ask").body
            self.assertIn('<p class="org">%s</p>' % name, ask)
            ref, tracking, _ = self.asked(c)
            for body in (ask, c.get(tracking).body):
                privacy = section(body, "h-privacy")
                for text in ("Your personal data", "What we keep", "Why", "Who reads it", "Erasure"):
                    self.assertIn(">%s<" % words.get(text, text), privacy)
                self.assertIn(name, privacy)
                self.assertIn('href="mailto:desk@liaison.example"', privacy)
            self.assertIn('<p class="org">%s</p>' % name, c.get(tracking).body)

    def test_the_requester_answers_from_the_tracking_page(self):
        c = Client(self.s, "fr")
        ref, tracking, token = self.asked(c, "Anchorage permits for a survey")
        page = c.get(tracking).body
        form = section(page, "h-write")
        self.assertIn('action="/track/%s"' % ref, form)
        self.assertEqual(fields(form, "token"), [token])
        self.assertStatus(self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": "The fees are on page 2."},
                                      user="ana"), 201)
        self.assertEqual(self.s.get("/api/v1/inquiries/" + ref, user="root").json()["status"], "answered")
        r = c.post("/track/" + ref, {"token": token, "message": "Merci ; et pour un voilier ?", "website": ""})
        self.assertEqual(r.status, 303, r)
        self.assertTrue(r.header("Location").startswith("/track/%s?token=%s" % (ref, token)))
        inq = self.s.get("/api/v1/inquiries/" + ref, user="root").json()
        self.assertEqual(inq["status"], "assigned")  # reopened, as the requester's e-mail would
        last = self.thread(ref)[-1]
        self.assertEqual((last["direction"], last["body"], last["from_addr"]),
                         ("in", "Merci ; et pour un voilier ?", "ilsa.marquand@example.org"))
        after = c.get(r.header("Location")).body
        self.assertIn(catalog("fr")["Your message has been added to your inquiry."], after)
        self.assertIn("Merci ; et pour un voilier ?", after)

    def test_bad_answers_change_nothing(self):
        c = Client(self.s, "es")
        ref, tracking, token = self.asked(c, "Pilotage dues")
        before = len(self.thread(ref))
        r = c.post("/track/" + ref, {"token": token, "message": "   ", "website": ""})
        self.assertEqual(r.status, 422, r)
        self.assertIn('<p class="error" id="e-message">%s</p>' % catalog("es")["This field is required."], r.body)
        self.assertIn('aria-invalid="true"', section(r.body, "h-write"))
        r = c.post("/track/" + ref, {"token": token, "message": "x" * 200001, "website": ""})
        self.assertEqual(r.status, 422, r)
        self.assertIn('id="e-message"', r.body)
        r = c.post("/track/" + ref, {"token": "0" * len(token), "message": "Forged", "website": ""})
        self.assertEqual(r.status, 404, r)
        r = c.post("/track/" + ref, {"message": "No token", "website": ""})
        self.assertEqual(r.status, 404, r)
        r = c.post("/track/INQ-1999-000001", {"token": token, "message": "Wrong reference", "website": ""})
        self.assertEqual(r.status, 404, r)
        # a robot filling the hidden field is told what a person is told; nothing is kept
        r = c.post("/track/" + ref, {"token": token, "message": "Cheap watches", "website": "http://spam.example"})
        self.assertEqual(r.status, 303, r)
        # a signed-in browser's form needs its session's token, as every form does
        staff = Client(self.s)
        self.assertEqual(staff.sign_in("ana").status, 303)
        r = staff.post("/track/" + ref, {"token": token, "message": "Cross-site", "website": ""})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(len(self.thread(ref)), before)



class PublicLimitTest(PublicCase):
    """Five submissions an hour from one address, the form's and the answers together."""
    per_hour = 5

    def test_answers_are_rate_limited_with_the_form(self):
        c = Client(self.s)
        ref, tracking, token = self.asked(c, "Harbour master contacts")
        statuses = [c.post("/track/" + ref, {"token": token, "message": "Again %d" % i, "website": ""}).status
                    for i in range(8)]
        self.assertIn(429, statuses)
        limited = c.post("/track/" + ref, {"token": token, "message": "Once more", "website": ""})
        self.assertEqual(limited.status, 429)
        self.assertIsNotNone(limited.header("Retry-After"))
        self.assertEqual(c.post("/ask", {"name": "Ilsa Marquand", "email": "ilsa.marquand@example.org",
                                         "message": "And another", "website": ""}).status, 429)  # one limit for both


class DefaultOrganizationTest(DeskTest):
    def test_without_the_setting_the_department_names_itself_in_the_readers_language(self):
        for lang in ("en", "fr", "es"):
            name = (catalog(lang) if lang != "en" else {}).get("Department of International Cooperation and Partnerships",
                                                               "Department of International Cooperation and Partnerships")
            self.assertIn('<p class="org">%s</p>' % name, Client(self.s, lang).get("/ask").body)

    def test_signed_in_staff_can_send_the_public_forms_too(self):
        c = self.client("ana")
        csrf = c.csrf("/ask")
        r = c.post("/ask", {"_csrf": csrf, "name": "Ilsa Marquand", "email": "ilsa.marquand@example.org",
                            "message": "Asked from a signed-in browser.", "website": ""})
        self.assertEqual(r.status, 201, r)
        ref = re.search(r"<strong>(INQ-\d{4}-\d{6})</strong>", r.body).group(1)
        token = re.search(r'href="/track/[^"]+token=([0-9a-f]+)"', r.body).group(1)
        r = c.post("/track/" + ref, {"_csrf": csrf, "token": token, "message": "And a follow-up.", "website": ""})
        self.assertEqual(r.status, 303, r)


class TextParser(__import__("html.parser").parser.HTMLParser):
    """The text a reader sees or hears: text nodes (outside scripts and the language switch, which names each
    language in itself) and the labels of attributes."""

    def __init__(self, page_lang=None):
        super().__init__(convert_charrefs=True)
        self.texts, self.skip, self.stack = [], 0, []
        self.page_lang = page_lang  # given: text an element marks as another language is not the interface's

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("br", "input", "img", "meta", "link", "use", "hr"):
            self.texts += [attrs[a] for a in ("aria-label", "title", "placeholder", "value") if attrs.get(a) and
                           (a != "value" or attrs.get("type") in ("submit", "button"))]
            return
        lang_switch = attrs.get("hreflang") is not None or "lang" in (attrs.get("class") or "").split()
        other_lang = self.page_lang is not None and tag != "html" and attrs.get("lang") not in (None, self.page_lang)
        self.stack.append((tag, lang_switch or other_lang or tag in ("script", "style", "svg")))
        self.skip += self.stack[-1][1]
        self.texts += [attrs[a] for a in ("aria-label", "title", "placeholder", "data-label") if attrs.get(a)]

    def handle_endtag(self, tag):
        while self.stack:
            t, skipped = self.stack.pop()
            self.skip -= skipped
            if t == tag:
                break

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


class NoEnglishTest(DeskTest):
    """French and Spanish desk pages say nothing in English: no text of the English catalog whose
    translation differs is shown or read out, whole or as the start of a sentence."""

    def english(self, lang):
        theirs = catalog(lang)
        return {msgid for msgid, msgstr in catalog("en").items() if theirs.get(msgid) not in (None, "", msgid)}

    def shown(self, body):
        p = TextParser()
        p.feed(body)
        return p.texts

    def pages(self, lang):
        """Every page of the desk, with a thread of each kind and the public pages."""
        staff = self.client("ana", lang)
        public = Client(self.s, lang)
        r = public.post("/ask", {"name": "Ilsa Marquand", "email": "ilsa.marquand@example.org",
                                 "subject": "Mooring of research vessels", "message": "Mooring questions.", "website": ""})
        ref = re.search(r"<strong>(INQ-\d{4}-\d{6})</strong>", r.body).group(1)
        tracking = re.search(r'href="(/track/[^"]+)"', r.body).group(1).replace("&amp;", "&")
        self.assertEqual(public.post("/track/" + ref, {"token": tracking.split("token=")[1], "message": "More on mooring.",
                                                       "website": ""}).status, 303)
        self.assertStatus(self.s.post("/api/v1/inquiries/%s/reply" % ref, {"body": "Reply on mooring."}, user="ana"), 201)
        self.assertStatus(self.s.post("/api/v1/inquiries/%s/notes" % ref, {"body": "Note on mooring."}, user="ana"), 201)
        self.inquiry(subject="Mooring of research vessels, again")
        inq = self.s.get("/api/v1/inquiries/" + ref, user="root").json()
        bad = self.triage(staff, inq, inq["version"], division="IPD", priority="whenever", **{"owner.q": "nobody-at-all"})
        return {"ask": public.get("/ask").body, "asked": r.body, "track": public.get(tracking).body,
                "desk": staff.get("/desk").body, "inquiry": staff.get("/inquiries/" + ref).body,
                "inquiry with errors": bad.body}

    def test_french_and_spanish_pages_have_no_english_words(self):
        for lang in ("fr", "es"):
            english = self.english(lang)
            for name, body in self.pages(lang).items():
                with self.subTest(lang=lang, page=name):
                    self.assertIn('<html lang="%s">' % lang, body)
                    found = [t for t in self.shown(body) if t in english or t.rstrip(".:") in english or
                             any(t.startswith(e + " ") for e in english if len(e) > 12)]
                    self.assertEqual(found, [])
