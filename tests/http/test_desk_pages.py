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
