"""The web pages, over real HTTP: sign-in and sessions, the language of a
page, the generic record pages and their forms, the partner registry's own
pages, administration, error pages, and escaping of hostile values.

A small form-filling client stands in for the browser here; the browser
tests (tests/browser) drive a real Chromium through the same pages.
"""
import html.parser
import os
import re
import time
import urllib.parse

from harness import PASSWORD, ServerTest, cli

HOSTILE = '<script>alert(1)</script>"onmouseover="alert(2)\' javascript:alert(3)'


class PageParser(html.parser.HTMLParser):
    """Every element and attribute of a page, and the text of <title>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(body):
    p = PageParser()
    p.feed(body)
    return p


def catalog(lang):
    """msgid → msgstr of one language's catalog, as the translators wrote it, for the
    messages without a context (a session's "Closed" is not an inquiry's)."""
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "src", "web", "po", lang + ".po"), encoding="utf-8") as f:
        text = f.read()
    return {m.group(2): m.group(3) for m in re.finditer(r'^(msgctxt .*\n)?msgid "(.+)"\nmsgstr "(.*)"$', text, re.M)
            if not m.group(1)}


class Client:
    """A browser without a browser: a cookie jar and forms."""

    def __init__(self, server, lang=None):
        self.s = server
        self.cookies = {}
        self.lang = lang

    def _headers(self, extra=None):
        h = dict(extra or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if self.lang:
            h["Accept-Language"] = self.lang
        return h

    def _keep(self, resp):
        for k, v in resp.headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        return resp

    def get(self, path, headers=None):
        return self._keep(self.s.request("GET", path, headers=self._headers(headers)))

    def post(self, path, fields, headers=None):
        data = urllib.parse.urlencode(fields).encode()
        h = self._headers(headers)
        h["Content-Type"] = "application/x-www-form-urlencoded"
        return self._keep(self.s.request("POST", path, raw=data, headers=h))

    def csrf(self, path="/"):
        m = re.search(r'name="_csrf" value="([0-9a-f]{64})"', self.get(path).body)
        return m.group(1)

    def sign_in(self, name, password=PASSWORD):
        return self.post("/sign-in", {"name": name, "password": password, "next": "/"})


class PagesTest(ServerTest):
    def client(self, name=None, lang=None):
        c = Client(self.s, lang)
        if name:
            r = c.sign_in(name)
            self.assertEqual(r.status, 303, r)
        return c

    def assertPage(self, resp, status=200):
        self.assertEqual(resp.status, status, resp)
        self.assertTrue(resp.header("Content-Type").startswith("text/html"), resp.header("Content-Type"))
        self.assertLess(len(resp.body.encode()), 100 * 1024, "a page over 100 KB")
        return parse(resp.body)

    def assertSafe(self, resp):
        """No hostile value became markup: no script but ours, no on* handler, no javascript: link."""
        page = parse(resp.body)
        for tag, attrs in page.elements:
            if tag == "script":
                self.assertRegex(attrs.get("src") or "", r"^/static/liaison\.js\?v=[0-9a-f]{16}$", attrs)
            for name, value in attrs.items():
                self.assertFalse(name.startswith("on"), "%s has %s" % (tag, name))
                if name in ("href", "src", "action", "formaction") and value:
                    self.assertFalse(value.strip().lower().startswith("javascript:"), "%s %s=%s" % (tag, name, value))
        self.assertNotIn("<script>alert", resp.body)
        return page


class SignInTest(PagesTest):
    def test_pages_need_a_session_and_come_back_after_sign_in(self):
        c = self.client()
        r = c.get("/organizations?type=cso")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/sign-in?next=%2Forganizations%3Ftype%3Dcso")
        page = self.assertPage(c.get(r.header("Location")))
        self.assertIn(("input", {"type": "hidden", "name": "next", "value": "/organizations?type=cso"}), page.elements)
        r = c.post("/sign-in", {"name": "ana", "password": PASSWORD, "next": "/organizations?type=cso"})
        self.assertEqual((r.status, r.header("Location")), (303, "/organizations?type=cso"))
        self.assertPage(c.get("/organizations?type=cso"))

    def test_wrong_password_is_said_and_nothing_else(self):
        c = self.client()
        r = c.sign_in("ana", "not-the-password")
        page = self.assertPage(r, 401)
        self.assertIn("The name or the password is wrong.", r.body)
        self.assertNotIn("liaison_session", c.cookies)
        self.assertIn(("input", {"id": "name", "name": "name", "value": "ana", "autocomplete": "username",
                                 "required": None}), page.elements)

    def test_sign_in_never_sends_elsewhere(self):
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
            c = self.client()
            r = c.post("/sign-in", {"name": "ana", "password": PASSWORD, "next": target})
            self.assertEqual((r.status, r.header("Location")), (303, "/"), target)

    def test_empty_form_gets_a_message(self):
        r = self.client().post("/sign-in", {"name": "", "password": ""})
        self.assertPage(r, 422)
        self.assertIn("Give your name and your password.", r.body)

    def test_sign_out_closes_the_session(self):
        c = self.client("ana")
        old = dict(c.cookies)
        r = c.post("/sign-out", {"_csrf": c.csrf()})
        self.assertEqual((r.status, r.header("Location")), (303, "/sign-in?signed_out=1"))
        self.assertIn("You have signed out.", c.get("/sign-in?signed_out=1").body)
        c.cookies = old  # the old cookie no longer opens anything
        r = c.get("/")
        self.assertEqual(r.status, 303)
        self.assertIn("expired=1", r.header("Location"))
        self.assertIn("Your session has expired", c.get(r.header("Location")).body)

    def test_a_form_without_the_csrf_token_is_refused(self):
        c = self.client("ana")
        before = self.s.get("/api/v1/organizations?limit=500", user="root").json()["items"]
        r = c.post("/organizations/new", {"name.en": "Tokenless Trust", "type": "cso"})
        self.assertPage(r, 403)
        r = c.post("/organizations/new", {"name.en": "Tokenless Trust", "type": "cso", "_csrf": "0" * 64})
        self.assertPage(r, 403)
        after = self.s.get("/api/v1/organizations?limit=500", user="root").json()["items"]
        self.assertEqual(len(before), len(after))



class ThrottleTest(PagesTest):
    """Its own server: the failures count against the address of every test."""

    def test_too_many_failures_are_throttled(self):
        c = self.client()
        for _ in range(5):
            self.assertEqual(c.sign_in("emil", "wrong-wrong-wrong").status, 401)
        r = c.sign_in("emil")
        self.assertPage(r, 429)
        self.assertTrue(r.header("Retry-After"))
        self.assertIn("Too many failed attempts.", r.body)


class LanguageTest(PagesTest):
    def test_accept_language_then_switch_then_cookie(self):
        c = self.client("ana", lang="es-MX,es;q=0.9,en;q=0.5")
        r = c.get("/organizations")
        page = self.assertPage(r)
        self.assertIn(("html", {"lang": "es"}), page.elements)
        self.assertEqual(r.header("Content-Language"), "es")
        self.assertIn("Organizaciones", r.body)
        # the switch is a link to the same page, and keeps its query
        switch = [a for t, a in page.elements if t == "a" and a.get("hreflang") == "fr"][0]
        self.assertEqual(switch["href"], "/organizations?lang=fr")
        r = c.get(switch["href"])
        self.assertIn(("html", {"lang": "fr"}), parse(r.body).elements)
        self.assertEqual(c.cookies.get("liaison_lang"), "fr")
        r = c.get("/organizations")  # the cookie now wins over Accept-Language
        self.assertEqual(r.header("Content-Language"), "fr")
        self.assertIn("Nouvelle organisation", r.body)

    def test_english_when_nothing_matches(self):
        r = self.client("ana", lang="de-CH, it;q=0.8").get("/")
        self.assertEqual(r.header("Content-Language"), "en")

    def test_dates_are_written_in_the_language(self):
        oid = self.org("Date Writers Guild")["id"]
        self.s.post("/api/v1/interactions", {"date": "2026-03-05", "kind": "call", "subject": "Spring call",
                                             "participants": [{"kind": "organizations", "id": oid}]}, user="ana")
        c = self.client("ana")
        self.assertIn("5 March 2026", c.get("/organizations/%d" % oid).body)
        self.assertIn("5 mars 2026", c.get("/organizations/%d?lang=fr" % oid).body)
        self.assertIn("5 de marzo de 2026", c.get("/organizations/%d?lang=es" % oid).body)

    def test_a_missing_translation_falls_back_visibly(self):
        oid = self.org("Only English Name Council")["id"]
        body = self.client("ana").get("/organizations/%d?lang=fr" % oid).body
        self.assertRegex(body, r'<h1 lang="en">Only English Name Council</h1>')
        self.assertIn('class="lang-tag"', body)
        self.assertIn("(en)", body)


class RecordPagesTest(PagesTest):
    def test_list_filters_sorts_and_pages(self):
        for i in range(55):
            self.org("Paging Partner %02d" % i, type="academia")
        c = self.client("ana")
        r = c.get("/organizations?type=academia&sort=-name")
        page = self.assertPage(r)
        rows = re.findall(r'<td[^>]*><a href="/organizations/\d+" lang="en">(Paging Partner \d\d)</a>', r.body)
        self.assertEqual(rows[:2], ["Paging Partner 54", "Paging Partner 53"])
        self.assertEqual(len(rows), 50)
        nxt = [a["href"] for t, a in page.elements if t == "a" and a.get("rel") == "next"]
        self.assertEqual(len(nxt), 1)
        r = c.get(nxt[0])
        rows = re.findall(r'>(Paging Partner \d\d)</a>', r.body)
        self.assertEqual(rows, ["Paging Partner 04", "Paging Partner 03", "Paging Partner 02", "Paging Partner 01",
                                "Paging Partner 00"])
        self.assertIn('aria-sort="descending"', r.body)

    def test_a_bad_filter_is_a_400_page(self):
        r = self.client("ana").get("/organizations?sort=nonsense")
        self.assertPage(r, 400)

    def test_create_in_three_languages_then_edit(self):
        c = self.client("ana")
        r = c.post("/organizations/new", {"_csrf": c.csrf(), "name.en": "Tri-Lingual Forum",
                                          "name.fr": "Forum trilingue", "name.es": "Foro trilingüe",
                                          "type": "cso", "classification": "internal", "tags": "youth\nlabour"})
        self.assertEqual(r.status, 303, r)
        loc = r.header("Location")
        oid = int(re.match(r"/organizations/(\d+)\?saved=1", loc).group(1))
        rec = self.s.get("/api/v1/organizations/%d" % oid, user="ana").json()
        self.assertEqual(rec["name"], {"en": "Tri-Lingual Forum", "fr": "Forum trilingue", "es": "Foro trilingüe"})
        self.assertEqual(rec["tags"], ["youth", "labour"])
        self.assertIn("Saved.", c.get(loc).body)
        form = c.get("/organizations/%d/edit" % oid).body
        self.assertIn('value="Foro trilingüe"', form)
        self.assertIn('name="version" value="1"', form)
        r = c.post("/organizations/%d/edit" % oid, {"_csrf": c.csrf(), "version": "1", "name.en": "Tri-Lingual Forum",
                                                      "name.fr": "", "name.es": "Foro trilingüe", "type": "media",
                                                      "classification": "internal"})
        self.assertEqual(r.status, 303, r)
        rec = self.s.get("/api/v1/organizations/%d" % oid, user="ana").json()
        self.assertEqual((rec["type"], rec["version"]), ("media", 2))
        self.assertNotIn("fr", {k for k, v in rec["name"].items() if v})

    def test_field_errors_stand_next_to_their_fields_and_nothing_is_written(self):
        c = self.client("ana")
        r = c.post("/organizations/new", {"_csrf": c.csrf(), "name.en": "", "type": "spaceship",
                                          "website": "ftp://files.example", "emails": "not-an-address"})
        page = self.assertPage(r, 422)
        self.assertIn('<p class="error" id="e-name">This field is required.</p>', r.body)
        self.assertIn('<p class="error" id="e-type">Choose one of the options.</p>', r.body)
        self.assertIn('<p class="error" id="e-website">This is not a web address, like example.org or https://example.org/page.</p>', r.body)
        self.assertIn(("input", {"id": "f-website", "name": "website", "type": "text", "inputmode": "url", "value": "ftp://files.example",
                                 "maxlength": "500", "aria-invalid": "true", "aria-describedby": "e-website"}),
                      page.elements)
        r = c.post("/organizations/new?lang=fr", {"_csrf": c.csrf(), "name.en": "", "type": "cso"})
        self.assertIn("Ce champ est obligatoire.", r.body)

    def test_the_duplicate_warning_offers_create_anyway(self):
        self.org("Harbour Workers Alliance")
        c = self.client("ana")
        fields = {"_csrf": c.csrf(), "name.en": "Harbour Workers Alliance", "type": "cso"}
        r = c.post("/organizations/new", fields)
        self.assertPage(r, 409)
        self.assertIn("This looks like a record that already exists", r.body)
        self.assertRegex(r.body, r'<a href="/organizations/\d+" lang="en">Harbour Workers Alliance</a> — name: the same words')
        self.assertIn('name="force" value="1"', r.body)
        fr = self.client("ana", lang="fr")
        r_fr = fr.post("/organizations/new", dict(fields, _csrf=fr.csrf()))
        self.assertIn("— nom : les mêmes mots", r_fr.body)  # why it matched, in the reader's language
        r = c.post("/organizations/new", dict(fields, force="1"))
        self.assertEqual(r.status, 303, r)

    def test_a_stale_edit_shows_the_conflict_and_keeps_what_was_typed(self):
        oid = self.org("Conflict Studies Centre")["id"]
        c = self.client("ana")
        self.s.patch("/api/v1/organizations/%d" % oid, {"acronym": "CSC"}, 1, user="ana")
        r = c.post("/organizations/%d/edit" % oid, {"_csrf": c.csrf(), "version": "1",
                                                      "name.en": "Conflict Studies Centre (renamed)", "type": "cso"})
        self.assertPage(r, 409)
        self.assertIn("Someone else saved this record while you were editing it.", r.body)
        self.assertIn('value="Conflict Studies Centre (renamed)"', r.body)
        self.assertIn('name="version" value="2"', r.body)
        rec = self.s.get("/api/v1/organizations/%d" % oid, user="ana").json()
        self.assertEqual(rec["name"]["en"], "Conflict Studies Centre")

    def test_a_viewer_sees_no_edit_button_and_gets_403_on_the_form(self):
        oid = self.org("Read Only Institute")["id"]
        c = self.client("dora")
        r = c.get("/organizations/%d" % oid)
        self.assertPage(r)
        self.assertNotIn("/edit", r.body)
        self.assertNotIn("New organization", c.get("/organizations").body)
        self.assertPage(c.get("/organizations/%d/edit" % oid), 403)
        self.assertPage(c.post("/organizations/%d/edit" % oid, {"_csrf": c.csrf(), "version": "1"}), 403)

    def test_archive(self):
        oid = self.org("Archivable Association")["id"]
        c = self.client("ana")
        r = c.post("/organizations/%d/archive" % oid, {"_csrf": c.csrf()})
        self.assertEqual(r.status, 303)
        self.assertTrue(self.s.get("/api/v1/organizations/%d" % oid, user="ana").json()["archived"])
        self.assertIn("archived", c.get("/organizations/%d" % oid).body)

    def test_timeline_and_recording_an_interaction(self):
        oid = self.org("Timeline Trust")["id"]
        c = self.client("ana")
        form = c.get("/interactions/new?participants=organizations/%d" % oid).body
        self.assertIn('name="participants" value="organizations/%d" checked' % oid, form)
        r = c.post("/interactions/new", {"_csrf": c.csrf(), "date": "2026-06-01", "kind": "meeting",
                                         "subject": "Partnership review", "participants": "organizations/%d" % oid,
                                         "classification": "internal"})
        self.assertEqual(r.status, 303, r)
        body = c.get("/organizations/%d" % oid).body
        self.assertRegex(body, r'<ol class="timeline"><li><time datetime="2026-06-01">1 June 2026</time> '
                               r'<strong><a href="/interactions/\d+">Partnership review</a>')

    def test_relationships_read_from_both_ends(self):
        a = self.org("Parent Federation")["id"]
        b = self.org("Member Union")["id"]
        r = self.s.post("/api/v1/relationships", {"type": "member_of", "from_organization": b, "to_organization": a,
                                                  "start_date": "2024-01-01"}, user="ana")
        self.assertStatus(r, 201)
        c = self.client("ana")
        from_b = c.get("/organizations/%d" % b).body
        from_a = c.get("/organizations/%d" % a).body
        types = {t["code"]: t for t in self.s.get("/api/v1/relationship-types?limit=100", user="ana").json()["items"]}
        self.assertIn('<span lang="en">%s</span> <a href="/organizations/%d"' % (types["member_of"]["forward"]["en"], a),
                      from_b)
        self.assertIn('<span lang="en">%s</span> <a href="/organizations/%d"' % (types["member_of"]["reverse"]["en"], b),
                      from_a)
        # a record without a title is named by its kind's word, in the reader's language
        rid = r.json()["id"]
        for lang, word in (("en", "Relationship"), ("fr", "Relation"), ("es", "Relación")):
            page = self.client("ana", lang=lang).get("/relationships/%d" % rid).body
            self.assertRegex(page, r"<h1[^>]*>\s*%s %d\b" % (word, rid), lang)


class HostileValuesTest(PagesTest):
    """Every page that shows record values or echoes the address escapes them."""

    def test_record_values_are_escaped_everywhere(self):
        org = self.org(HOSTILE, acronym='"><img src=x onerror=alert(4)>', tags=[HOSTILE],
                       notes=HOSTILE, website="https://example.org/?q=%22%3E")
        oid = org["id"]
        self.s.post("/api/v1/interactions", {"date": "2026-02-02", "kind": "call", "subject": HOSTILE,
                                             "summary": HOSTILE,
                                             "participants": [{"kind": "organizations", "id": oid,
                                                               "role": HOSTILE}]}, user="ana")
        c = self.client("ana")
        for path in ("/organizations/%d" % oid, "/organizations/%d/edit" % oid, "/organizations?type=cso",
                     "/", "/interactions", "/search?q=alert", "/admin/audit?kind=organizations&id=%d" % oid):
            r = c.get(path)
            self.assertEqual(r.status, 200, path)
            self.assertSafe(r)
        body = c.get("/organizations/%d" % oid).body
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=&quot;alert(2)&#39;", body)

    def test_the_address_is_escaped_where_it_is_echoed(self):
        c = self.client("ana")
        evil = urllib.parse.quote('"><script>alert(1)</script>', safe="")
        for path in ("/organizations?type=" + evil, "/search?q=" + evil, "/organizations?country=" + evil,
                     "/sign-in?next=" + evil, "/nowhere/" + evil):
            r = c.get(path)
            self.assertSafe(r)
        js = urllib.parse.quote("javascript:alert(1)", safe="")
        r = c.get("/sign-in?next=" + js)
        self.assertSafe(r)

    def test_hostile_form_input_comes_back_escaped(self):
        c = self.client("ana")
        r = c.post("/organizations/new", {"_csrf": c.csrf(), "name.en": "", "acronym": HOSTILE[:32],
                                          "notes": HOSTILE, "type": "cso"})
        self.assertEqual(r.status, 422)
        self.assertSafe(r)


class ErrorPagesTest(PagesTest):
    def test_not_found_in_the_readers_language(self):
        c = self.client("ana", lang="fr")
        r = c.get("/organizations/999999")
        self.assertPage(r, 404)
        self.assertIn("Page introuvable", r.body)
        self.assertPage(c.get("/no/such/page"), 404)

    def test_a_wrong_method_is_a_405_page(self):
        c = self.client("ana", lang="es")
        r = c.post("/organizations", {"_csrf": "not-read"})
        self.assertPage(r, 405)
        self.assertEqual(r.header("Allow"), "GET, HEAD, OPTIONS")
        self.assertIn("No permitido", r.body)
        r = self.s.request("PUT", "/api/v1/organizations", raw=b"{}", headers={"Content-Type": "application/json"})
        self.assertProblem(r, 405)

    def test_the_api_keeps_problem_json(self):
        r = self.s.get("/api/v1/no-such-kind", user="ana")
        self.assertProblem(r, 404)
        r = self.s.get("/api/nothing/here", user="ana")
        self.assertEqual(r.header("Content-Type"), "application/problem+json")

    def test_unreadable_form_bodies_are_a_400_page(self):
        c = self.client("ana")
        token = c.csrf()
        h = c._headers({"Content-Type": "application/x-www-form-urlencoded"})
        r = self.s.request("POST", "/organizations/new", raw=b"_csrf=" + token.encode() + b"&name.en=%ff%fe",
                           headers=h)
        self.assertPage(r, 400)
        h["Content-Type"] = "text/plain"
        r = self.s.request("POST", "/organizations/new", raw=b"hello", headers=h)
        self.assertPage(r, 400)

    def test_static_files(self):
        r = self.s.get("/static/liaison.css")
        self.assertEqual((r.status, r.header("Content-Type")), (200, "text/css; charset=utf-8"))
        self.assertEqual(self.s.get("/static/nothing.css").status, 404)


class AdministrationTest(PagesTest):
    def test_admin_pages_are_for_admins(self):
        self.assertPage(self.client("ana").get("/admin"), 403)
        self.assertPage(self.client("ana").get("/admin/audit/verify"), 403)
        c = self.client("root")
        self.assertPage(c.get("/admin"))
        r = c.get("/admin/audit/verify")
        self.assertPage(r)
        self.assertIn("The audit log is intact.", r.body)

    def test_users_and_tokens(self):
        c = self.client("root")
        r = c.get("/users")
        self.assertIn(">ana</a>", r.body)
        r = c.post("/users/emil/tokens", {"_csrf": c.csrf()})
        self.assertPage(r, 201)
        token = re.search(r"<code>([^<]+)</code>", r.body).group(1)
        self.assertEqual(self.s.get("/api/v1/session", token=token).json()["name"], "emil")
        r = c.post("/users/emil/tokens/revoke", {"_csrf": c.csrf()})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.s.get("/api/v1/session", token=token).status, 401)
        # staff may not manage another user's tokens
        a = self.client("ana")
        self.assertPage(a.post("/users/emil/tokens", {"_csrf": a.csrf()}), 403)

    def test_own_password_needs_the_current_one(self):
        c = self.client("bruno")
        r = c.post("/users/bruno/password", {"_csrf": c.csrf(), "current_password": "wrong",
                                             "password": "a-new-long-password"})
        self.assertPage(r, 403)
        r = c.post("/users/bruno/password", {"_csrf": c.csrf(), "current_password": PASSWORD,
                                             "password": "short"})
        self.assertPage(r, 422)
        r = c.post("/users/bruno/password", {"_csrf": c.csrf(), "current_password": PASSWORD,
                                             "password": "a-new-long-password"})
        self.assertEqual(r.status, 303)
        self.assertEqual(Client(self.s).sign_in("bruno", "a-new-long-password").status, 303)

    def test_audit_of_one_record(self):
        oid = self.org("Audited Agency")["id"]
        r = self.client("root").get("/admin/audit?kind=organizations&id=%d" % oid)
        self.assertPage(r)
        self.assertIn('<a href="/organizations/%d">Organizations %d</a>' % (oid, oid), r.body)
        self.assertPage(self.client("root").get("/admin/audit?id=abc"), 400)
        self.assertPage(self.client("root").get("/admin/audit?kind=organizations&id=abc"), 400)
        self.assertPage(self.client("root").get("/admin/audit?id=%d" % oid), 400)   # a number names no record alone

    def test_the_audit_log_reads_as_people_read_records(self):
        """Actions, fields and values in the reader's language: labels, names and dates, not codes."""
        org = self.org("Invented Ferry Board", type="cso", country="PH")
        r = self.s.patch("/api/v1/organizations/%d" % org["id"], {"type": "igo", "name": {"fr": "Office des bacs inventé"}},
                         org["version"], user="ana")
        self.assertStatus(r, 200)
        inq = self.s.post("/api/v1/inquiries", {"subject": "Audited question", "channel": "phone"}, user="ana").json()
        self.assertStatus(self.s.post("/api/v1/inquiries/%d/transitions" % inq["id"], {"to": "closed"}, user="ana"), 200)
        words = {lang: catalog(lang) for lang in ("fr", "es")}
        for lang in ("en", "fr", "es"):
            tr = (lambda s: s) if lang == "en" else (lambda s, w=words[lang]: w[s])
            c = self.client("root", lang=lang)
            body = c.get("/admin/audit?kind=organizations&id=%d" % org["id"]).body
            for text in (tr("Changed"), tr("Created"), tr("Type") + "</strong>:", tr("Intergovernmental organization"),
                         tr("Civil society organization")):
                self.assertIn(text, body, (lang, text))
            self.assertIn("(Français)", body)   # which language of the name changed
            self.assertNotIn("name_fr", body)
            self.assertNotIn('"igo"', body)
            # an inquiry looked up by its own reference; its move named, its states by their labels
            body = c.get("/admin/audit?kind=inquiries&id=" + inq["reference"]).body
            for text in (tr("Moved on"), tr("New"), tr("Closed")):
                self.assertIn(text, body, (lang, text))
        r = self.s.get("/api/v1/audit?kind=inquiries&id=" + inq["reference"], user="root")
        self.assertStatus(r, 200)
        self.assertEqual({e["record_id"] for e in r.json()["items"]}, {inq["id"]})
        self.assertProblem(self.s.get("/api/v1/audit?kind=organizations&id=abc", user="root"), 400)


class PartnerPagesTest(PagesTest):
    def test_merge_and_undo(self):
        keep = self.org("Merge Keeper Society")["id"]
        gone = self.org("Merge Keeper Soc.")["id"]
        c = self.client("ana")
        form = c.get("/organizations/%d/merge" % keep).body   # the duplicate is chosen by name, as references are
        self.assertRegex(form, r'<input id="f-merge" name="merge.q"[^>]* data-suggest="/api/v1/search/suggest" '
                               r'data-pick="organizations" aria-controls="f-merge-suggestions"')
        self.assertIn('id="f-merge-suggestions" role="listbox"', form)
        r = c.post("/organizations/%d/merge" % keep, {"_csrf": c.csrf(), "merge": "", "merge.q": "Merge Keeper"})
        self.assertPage(r, 422)  # both begin so: which one?
        self.assertIn('name="merge.pick" value="%d"' % gone, r.body)
        r = c.post("/organizations/%d/merge" % keep, {"_csrf": c.csrf(), "merge": "", "merge.q": "Merge Keeper Soc.",
                                                     "merge.pick": str(gone)})
        self.assertEqual(r.status, 303, r)
        merge = r.header("Location")
        self.assertTrue(self.s.get("/api/v1/organizations/%d" % gone, user="ana").json()["archived"])
        page = c.get(merge)
        self.assertIn("Undo this merge", page.body)
        r = c.post(merge + "/undo", {"_csrf": c.csrf()})
        self.assertEqual(r.status, 303)
        self.assertFalse(self.s.get("/api/v1/organizations/%d" % gone, user="ana").json()["archived"])
        self.assertIn("This merge has been undone.", c.get(merge).body)
        r = c.post("/organizations/%d/merge" % keep, {"_csrf": c.csrf(), "merge": "x"})
        self.assertPage(r, 422)

    def test_csv_import_reports_every_bad_row_and_writes_nothing(self):
        c = self.client("ana")
        token = c.csrf()
        csv = ("name_en,type,country\nGood Row Guild,cso,FR\nBad Type Body,rocket,FR\nNo Country Club,cso,ZZ\n")
        boundary = "----liaisonboundary"
        body = ("--%s\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n%s\r\n"
                "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"orgs.csv\"\r\n"
                "Content-Type: text/csv\r\n\r\n%s\r\n--%s--\r\n") % (boundary, token, boundary, csv, boundary)
        h = c._headers({"Content-Type": "multipart/form-data; boundary=" + boundary})
        r = self.s.request("POST", "/organizations/import", raw=body.encode(), headers=h)
        self.assertPage(r, 422)
        self.assertIn("Line 3, type:", r.body)
        self.assertIn("Line 4, country:", r.body)
        self.assertEqual(self.s.get("/api/v1/search?q=%22Good%20Row%20Guild%22", user="ana").json()["items"], [])
        good = "name_en,type\nGood Row Guild,cso\n"
        body = body.replace(csv, good)
        r = self.s.request("POST", "/organizations/import", raw=body.encode(), headers=h)
        self.assertPage(r, 200)
        self.assertIn("Imported.", r.body)

    def test_person_pages_vcard_and_erasure(self):
        r = self.s.post("/api/v1/persons", {"given_name": "Ilse", "family_name": "Quarantotto",
                                            "emails": ["ilse.q@example.org"]}, user="ana")
        pid = r.json()["id"]
        ana = self.client("ana")
        body = ana.get("/persons/%d" % pid).body
        self.assertIn('href="/api/v1/persons/%d/vcard"' % pid, body)
        self.assertNotIn("/erase", body)  # staff do not erase
        self.assertPage(ana.get("/persons/%d/erase" % pid), 403)
        boss = self.client("carmen")
        r = boss.get("/persons/%d/erase" % pid)
        self.assertPage(r)
        self.assertIn("These fields will be emptied for good", r.body)
        self.assertEqual(self.s.get("/api/v1/persons/%d" % pid, user="ana").json()["family_name"], "Quarantotto")
        r = boss.post("/persons/%d/erase" % pid, {"_csrf": boss.csrf()})
        self.assertEqual(r.status, 303)
        self.assertEqual(self.s.get("/api/v1/persons/%d" % pid, user="ana").json()["family_name"], "[erased]")
        vcard = self.s.request("GET", "/api/v1/persons/%d/vcard" % pid, headers=boss._headers())
        self.assertEqual(vcard.status, 200)

    def test_search_page_with_facets_and_a_misspelling(self):
        self.org("Sunflower Refugee Network", country="ES", tags=["sunflower-aid"])
        c = self.client("ana")
        r = c.get("/search?q=sunflower")
        page = self.assertPage(r)
        self.assertIn("<mark>Sunflower</mark>", r.body)
        facet_links = [a["href"] for t, a in page.elements if t == "a" and "type%3Aorganizations" in a.get("href", "")]
        self.assertTrue(facet_links)
        # every facet of the registry, each value as people read it: the country by its name
        self.assertTrue([a for t, a in page.elements if t == "a" and "country%3AES" in a.get("href", "")])
        self.assertIn(">Spain <span>1</span>", r.body)
        self.assertIn(">sunflower-aid <span>1</span>", r.body)
        self.assertIn(">International Partnerships Division <span>1</span>", r.body)
        # each result says its kind, where it belongs (its country by name) and its date
        item = re.search(r'<li><a href="/organizations/\d+">Sunflower Refugee Network</a>(.*?)</li>', r.body, re.S)
        self.assertIsNotNone(item)
        self.assertIn('<span class="belongs">Spain</span>', item.group(1))
        self.assertRegex(item.group(1), r'<time class="muted" datetime="\d{4}-\d\d-\d\d">')
        fr = self.client("ana", lang="fr").get("/search?q=sunflower")
        self.assertIn('<span class="belongs">Espagne</span>', fr.body)
        r = c.get("/search?q=sunflowr")
        self.assertIn("Sunflower Refugee Network", r.body)
        self.assertIn('href="/search?q=sunflower"', r.body)  # Did you mean
        r = c.get("/search?q=sunflower&type=persons")
        self.assertNotIn("Sunflower Refugee Network</a>", r.body)

    def test_lists_say_their_total_and_search_within_their_filters(self):
        for name, country in (("Quenbrook Harbour Union", "ES"), ("Quenbrook Farmers League", "ES"),
                              ("Quenbrook Coastal Forum", "FR")):
            self.org(name, country=country)
        c = self.client("ana")
        api = self.s.get("/api/v1/organizations?country=ES&limit=500", user="ana").json()["items"]
        page = c.get("/organizations?country=ES").body
        self.assertIn('<p class="muted total">Records: %d</p>' % len(api), page)
        within = re.search(r'<input type="hidden" name="within" value="([^"]*)">', page).group(1)
        self.assertEqual(within, "type:organizations country:ES")
        r = c.get("/search?" + urllib.parse.urlencode({"q": "Quenbrook", "within": within}))
        self.assertIn("Quenbrook Harbour Union", r.body)
        self.assertIn("Quenbrook Farmers League", r.body)
        self.assertNotIn("Quenbrook Coastal Forum", r.body)  # another country's, outside the list
        fr = self.client("ana", lang="fr").get("/organizations?country=ES").body
        self.assertIn('<p class="muted total">Fiches : %d</p>' % len(api), fr)

    def test_a_new_follow_up_starts_open(self):
        me = self.s.get("/api/v1/session", user="ana").json()["id"]
        r = self.s.post("/api/v1/follow-ups", {"task": "Draft the Quenbrook note", "owner": me, "due_date": "2026-12-31"},
                        user="ana")
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["status"], "open")  # its initial value, when none is given
        form = self.client("ana").get("/follow-ups/new").body
        self.assertRegex(form, r'<option value="open" selected>')

    def test_home_shows_my_follow_ups(self):
        me = self.s.get("/api/v1/session", user="ana").json()["id"]
        self.s.post("/api/v1/follow-ups", {"task": "Send the draft MoU", "owner": me, "due_date": "2026-12-01",
                                           "status": "open"}, user="ana")
        body = self.client("ana").get("/").body
        self.assertIn("Send the draft MoU", body)
        self.assertIn("1 December 2026", body)


class HomeAndMenuTest(PagesTest):
    """The home page's lists and the menu come from the kinds' descriptions: each reader sees those of
    the kinds they may read, their own lists first, in their language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        guild = cls.s.post("/api/v1/organizations", {"name": {"en": "Lanternmakers Guild of Vell"}, "type": "cso"},
                           user="ana").json()
        cli(cls.s.db, "user", "add", "olwen", "--role", "partner", "--organization", str(guild["id"]),
            stdin=PASSWORD + "\n")

    def menu(self, c):
        body = c.get("/").body
        nav = body[body.index('<nav class="main"'):]
        return re.findall(r'<a href="([^"]+)"', nav[:nav.index("</nav>")])

    def test_menu_follows_what_each_reader_may_read(self):
        kinds = ["/", "/organizations", "/persons", "/countries", "/interactions", "/follow-ups", "/desk",
                 "/briefings/calendar", "/sessions/calendar", "/documents", "/meetings", "/representations",
                 "/translation", "/concepts", "/donor-profiles", "/programmes", "/appeals", "/pledges",
                 "/reporting-deadlines", "/funding"]
        self.assertEqual(self.menu(self.client("ana")), kinds)
        self.assertEqual(self.menu(self.client("root")), kinds + ["/admin"])
        # a partner reads organizations and persons (their own), countries, the sessions and the documents
        # open to them, their organization's pledges and reports to donors, nothing of the desk
        self.assertEqual(self.menu(self.client("olwen")),
                         ["/", "/organizations", "/persons", "/countries", "/sessions/calendar", "/documents",
                          "/programmes", "/appeals", "/pledges", "/reporting-deadlines"])
        for name in ("ana", "dora", "emil", "root", "olwen"):   # no entry leads to a refusal
            c = self.client(name)
            for href in self.menu(c):
                self.assertEqual(c.get(href).status, 200, (name, href))
        body = self.client("ana", "fr").get("/").body
        for label in ("Accueil", "Suivis", "Bureau des demandes"):
            self.assertIn(">%s</a>" % label, body)
        self.assertNotIn(">Inquiry desk</a>", body)

    def test_home_lists_my_open_follow_ups_first_then_the_latest_interactions(self):
        ana = self.s.get("/api/v1/session", user="ana").json()["id"]
        bruno = self.s.get("/api/v1/session", user="bruno").json()["id"]
        for task, owner, status in (("Return the signed charter", ana, "open"), ("Archive the old charter", ana, "done"),
                                    ("Call the harbour office", bruno, "open")):
            r = self.s.post("/api/v1/follow-ups", {"task": task, "owner": owner, "due_date": "2026-11-20",
                                                   "status": status}, user="ana")
            self.assertEqual(r.status, 201, r)
        for subject, date in (("Earlier talk with the guild", "2026-03-02"), ("Later talk with the guild", "2026-04-02")):
            r = self.s.post("/api/v1/interactions", {"subject": subject, "date": date, "kind": "meeting"}, user="ana")
            self.assertEqual(r.status, 201, r)
        body = self.client("ana").get("/").body
        self.assertIn("Return the signed charter", body)
        self.assertNotIn("Archive the old charter", body)   # done
        self.assertNotIn("Call the harbour office", body)   # someone else's
        self.assertLess(body.index('id="h-follow-ups"'), body.index('id="h-interactions"'))
        self.assertLess(body.index("Later talk with the guild"), body.index("Earlier talk with the guild"))
        es = self.client("ana", "es").get("/").body
        self.assertIn(">Mis seguimientos</h2>", es)
        self.assertIn(">Interacciones recientes</h2>", es)

    def test_a_partner_home_has_no_lists_of_kinds_they_may_not_read(self):
        body = self.client("olwen").get("/").body
        self.assertNotIn('id="h-follow-ups"', body)
        self.assertNotIn('id="h-interactions"', body)
        self.assertIn('id="h-changed"', body)

    def test_changed_recently_mixes_the_kinds_marked_for_it(self):
        org = self.org("Tidewater Bellfounders")
        time.sleep(1.1)  # changes are stamped to the second
        self.s.post("/api/v1/persons", {"given_name": "Maelis", "family_name": "Orrevant"}, user="ana")
        body = self.client("carmen").get("/").body
        changed = body[body.index('id="h-changed"'):]
        self.assertIn("Orrevant", changed)
        self.assertIn("Tidewater Bellfounders", changed)
        self.assertLess(changed.index("Orrevant"), changed.index("Tidewater Bellfounders"))  # newest first
        self.assertIn('href="/organizations/%d"' % org["id"], changed)
