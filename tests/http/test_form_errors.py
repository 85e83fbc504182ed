"""A refused form marks every error next to its field and lists them all at the top.

For every kind with pages, the form is read as a browser gets it, one value is
made wrong in each of its controls (too long, not a date, not a choice, not a
web address, a name that fits no record, a language of a multilingual field,
an item of a list), and the form is sent: the answer is a 422 page where each
field has its message beside it and a summary (role="alert", focusable) holds
one link per field to its control, in the reader's language.  The rules of a
kind that join fields, and the public question form, are held to the same.
"""
import html
import re

from harness import PASSWORD, cli
from test_pages import PagesTest, catalog

NOBODY = "Zqxvyrt Nonexistentia"


def controls(body):
    """The form's controls: (tag, attributes), in the page's order."""
    form = body[body.index('<form class="record"'):]
    form = form[:form.index("</form>")]
    found = []
    for m in re.finditer(r"<(input|select|textarea)\b([^>]*)>", form):
        attrs = {k: html.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', m.group(2))}
        attrs["_bare"] = re.findall(r'\s([\w-]+)(?=[\s>]|$)(?!=)', m.group(2))
        found.append((m.group(1), attrs))
    return found


def wrong(tag, a, form):
    """A wrong value for one control, with the field it belongs to, or None when no value is wrong there."""
    name, kind = a.get("name", ""), a.get("type", "")
    if name in ("_csrf", "version", "classification", "division") or kind in ("hidden", "checkbox", "radio"):
        return None
    base = re.split(r"[.\[]", name)[0]
    if name.endswith(".q") or name.endswith(".add"):
        return NOBODY, base
    if "." in name:  # one language of a multilingual field: the French one
        short = name.endswith(".fr") and int(a.get("maxlength", "100000")) <= 1000
        return ("x" * (int(a["maxlength"]) + 1), base) if short else None
    if a.get("inputmode") == "url":
        return "ftp://files.example", base
    if tag == "select":
        return "no-such-choice", base
    if kind == "date":
        return "2026-02-30", base
    if kind == "number":
        return "twelve", base
    if tag == "textarea" and '<p class="hint" id="h-%s">One per line.</p>' % name in form:  # a list
        return "fine\n" + "y" * 201, base
    if "maxlength" in a and int(a["maxlength"]) <= 1000:  # a longer one would make a page too heavy
        return "z" * (int(a["maxlength"]) + 1), base
    return None


class EveryKindsForm(PagesTest):
    users = [("root", "admin", None), ("ana", "staff", "IPD")]

    def kinds(self):
        doc = self.s.get("/api/v1/openapi.json").json()
        names = sorted({m.group(1) for p in doc["paths"] for m in [re.fullmatch(r"/api/v1/([a-z-]+)", p)] if m})
        return [k for k in names if self.root.get("/%s/new" % k).status == 200]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = None

    def setUp(self):
        if EveryKindsForm.root is None:
            EveryKindsForm.root = self.client("root")

    def test_every_kind_marks_each_wrong_field_and_links_it_from_the_summary(self):
        kinds = self.kinds()
        self.assertGreaterEqual(len(kinds), 8, kinds)
        tried = 0
        for kind in kinds:
            with self.subTest(kind=kind):
                c = self.root
                form = c.get("/%s/new" % kind).body
                sent, broken = [("_csrf", c.csrf())], {}
                for tag, a in controls(form):
                    w = wrong(tag, a, form)
                    if w:
                        sent.append((a["name"], w[0]))
                        broken.setdefault(w[1], a["id"])
                if not broken:
                    continue
                tried += 1
                r = c.post("/%s/new" % kind, sent)
                page = self.assertPage(r, 422)
                summary = re.search(r'<div class="notice error summary" id="form-errors" role="alert" tabindex="-1"'
                                    r'[^>]*>(.*?)</div>', r.body, re.S)
                self.assertTrue(summary, "no summary on the %s form" % kind)
                links = re.findall(r'<a href="#([^"]+)">', summary.group(1))
                for field, control in broken.items():
                    self.assertTrue(re.search(r'<p class="error" id="e-%s">[^<]+</p>' % re.escape(field), r.body),
                                    "%s: nothing beside %s" % (kind, field))
                    self.assertIn(control, links, "%s: the summary does not lead to %s" % (kind, field))
                    self.assertIn(control, [attrs.get("id") for _, attrs in page.elements], kind)
                self.assertEqual(len(links), len(set(links)), "one line per field")
        self.assertGreaterEqual(tried, 8)

    def test_the_summary_is_in_the_readers_language(self):
        for lang in ("fr", "es"):
            with self.subTest(lang=lang):
                c = self.client("ana", lang=lang)
                r = c.post("/interactions/new", [("_csrf", c.csrf()), ("date", "2026-02-30"), ("kind", "meeting"),
                                                 ("subject", ""), ("participants.add", NOBODY)])
                self.assertPage(r, 422)
                words = catalog(lang)
                self.assertIn(words["Some fields need attention:"], html.unescape(r.body))
                self.assertIn('<a href="#f-subject">%s: %s</a>' % (words["Subject"], words["This field is required."]),
                              html.unescape(r.body))
                self.assertIn('<a href="#f-date">%s: %s</a>' % (words["Date"], words["Give a date as YYYY-MM-DD."]),
                              html.unescape(r.body))

    def test_a_name_that_fits_no_record_does_not_hide_the_other_errors(self):
        c = self.client("ana")
        r = c.post("/interactions/new", [("_csrf", c.csrf()), ("date", "2026-02-30"), ("kind", "meeting"),
                                         ("subject", "Harbour"), ("participants.add", NOBODY)])
        self.assertPage(r, 422)
        self.assertIn('<p class="error" id="e-date">Give a date as YYYY-MM-DD.</p>', r.body)
        self.assertIn('id="e-participants"', r.body)
        self.assertEqual(re.findall(r'<a href="#(f-[^"]+)">', r.body), ["f-date", "f-participants"], "in the form's order")

    def test_a_list_item_and_a_language_are_marked_on_their_field(self):
        c = self.client("ana")
        r = c.post("/organizations/new", [("_csrf", c.csrf()), ("name.en", "Quorrel Tide Network"), ("name.es", "q" * 400),
                                          ("type", "cso"), ("emails", "good@example.org\nnot-an-address")])
        self.assertPage(r, 422)
        self.assertIn('<p class="error" id="e-emails">This is not an e-mail address', r.body)
        self.assertIn('<a href="#f-emails">E-mail addresses: This is not an e-mail address', r.body)
        self.assertIn('<a href="#f-name.es">Name (Español): This is too long.</a>', r.body)
        self.assertRegex(r.body, r'<input id="f-name.es"[^>]* aria-invalid="true" aria-describedby="e-name">')

    def test_a_rule_joining_fields_names_its_field(self):
        c = self.client("ana")
        r = c.post("/relationships/new", [("_csrf", c.csrf()), ("type", "works_for"), ("start_date", "2026-03-01"),
                                          ("end_date", "2026-02-01")])
        self.assertPage(r, 422)
        self.assertIn('<p class="error" id="e-end_date">The end date is before the start date.</p>', r.body)
        self.assertIn('<a href="#f-end_date">End date: The end date is before the start date.</a>', r.body)
        self.assertIn('<a href="#f-from_organization">From organization: Give the organization or the person of the '
                      'first party, not both.</a>', r.body)
        r = c.post("/relationships/new?lang=fr", [("_csrf", c.csrf()), ("type", "works_for"),
                                                  ("start_date", "2026-03-01"), ("end_date", "2026-02-01")])
        self.assertIn("La date de fin précède la date de début.", html.unescape(r.body))


class AskFormErrors(PagesTest):
    users = []

    def test_the_public_form_has_the_same_summary(self):
        for lang in ("en", "fr", "es"):
            with self.subTest(lang=lang):
                c = self.client(lang=lang)
                r = c.post("/ask", [("name", ""), ("email", "p@example.org"), ("subject", "Archive"), ("message", "")])
                self.assertPage(r, 422)
                words = catalog(lang)
                body = html.unescape(r.body)
                self.assertIn('role="alert" tabindex="-1"', body)
                self.assertIn(words["Some fields need attention:"], body)
                self.assertIn('<a href="#f-name">%s: %s</a>' % (words["Your name"], words["This field is required."]), body)
                self.assertIn('<a href="#f-message">%s: ' % words["Your question"], body)
                for field in ("name", "message"):
                    self.assertIn('<p class="error" id="e-%s">' % field, body)

    def test_each_wrong_field_of_the_public_form_is_marked(self):
        c = self.client()
        r = c.post("/ask", [("name", "Perpetua Vandermolen"), ("email", "not-an-address"),
                            ("subject", "s" * 400), ("message", "Where is the archive?")])
        self.assertPage(r, 422)
        self.assertIn('<p class="error" id="e-subject">This is too long.</p>', r.body)
        self.assertIn('<a href="#f-subject">Subject: This is too long.</a>', r.body)
        self.assertIn('<p class="error" id="e-email">This is not an e-mail address', r.body)
        self.assertIn('<a href="#f-email">Your e-mail address: This is not an e-mail address', r.body)


class WebAddresses(PagesTest):
    users = [("ana", "staff", "IPD")]

    def test_an_address_without_its_scheme_is_stored_with_https(self):
        for typed, stored in [("example.org", "https://example.org"),
                              ("www.quillmarsh.example/about?x=1", "https://www.quillmarsh.example/about?x=1"),
                              ("example.org:8443/path", "https://example.org:8443/path"),
                              ("http://plain.example", "http://plain.example"),
                              ("HTTPS://Loud.example", "HTTPS://Loud.example")]:
            with self.subTest(typed=typed):
                org = self.org("Bramblewick Water Trust " + typed, website=typed)
                self.assertEqual(org["website"], stored)
                self.assertEqual(self.s.get("/api/v1/organizations/%d" % org["id"], user="ana").json()["website"], stored)

    def test_what_is_still_no_web_address_is_refused(self):
        for typed in ("ftp://files.example", "mailto:ana@example.org", "ana@example.org", "localhost", "exa mple.org",
                      "javascript:alert(1)", "https://", "//example.org", "example.org/<b>"):
            with self.subTest(typed=typed):
                r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Sallowmere Trust"}, "type": "cso",
                                                                     "website": typed}, user="ana")
                self.assertProblem(r, 422, "website")

    def test_the_form_takes_it_the_same_way(self):
        c = self.client("ana")
        r = c.post("/organizations/new", {"_csrf": c.csrf(), "name.en": "Tidewater Lantern Society", "type": "cso",
                                          "website": "lantern.example"})
        self.assertEqual(r.status, 303, r)
        page = c.get(r.header("Location")).body
        self.assertIn('href="https://lantern.example"', page)
        form = c.get("/organizations/new").body
        self.assertRegex(form, r'<input id="f-website" name="website" type="text" inputmode="url"')
        for lang in ("fr", "es"):
            r = c.post("/organizations/new?lang=" + lang, {"_csrf": c.csrf(), "name.en": "Tidewater Lantern Guild",
                                                           "type": "cso", "website": "ftp://x.example"})
            self.assertIn(catalog(lang)["This is not a web address, like example.org or https://example.org/page."],
                          html.unescape(r.body))


class AskFormAllAtOnce(PagesTest):
    users = []

    def test_a_missing_name_does_not_hide_a_wrong_address(self):
        c = self.client()
        r = c.post("/ask", [("name", ""), ("email", "not-an-address"), ("subject", "Archive"), ("message", "")])
        self.assertPage(r, 422)
        links = re.findall(r'<a href="#(f-[a-z]+)">', r.body)
        self.assertEqual(links, ["f-name", "f-email", "f-message"], "each field once, in the form's order")
        self.assertIn('<p class="error" id="e-email">This is not an e-mail address', r.body)

    def test_the_api_names_each_problem_once(self):
        r = self.s.post("/api/v1/public/inquiries", {"name": "", "email": "not-an-address", "message": ""})
        p = self.assertProblem(r, 422)
        self.assertEqual(sorted(e["field"] for e in p["errors"]), ["message", "name", "requester_email"])
