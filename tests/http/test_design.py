"""The pages' design over HTTP: the stylesheet and the script stay small and
are served cached (a versioned address cached for good, validators on the
bare one); the home page counts the reader's work, each count the length of
the list it links to; lists label every cell with its column for phones; a
record's archiving sits behind "More actions" with a question first; icons
come from one sprite and hide from screen readers.

The colours' contrast is tests/contrast; the phone layout, tests/browser/phone.test.mjs.
"""
import os
import re
import tempfile
import time

import test_inquiries
from harness import ServerTest
from harness import PASSWORD, cli
from test_pages import PagesTest, parse

STATIC = os.path.join(os.path.dirname(__file__), "..", "..", "src", "web", "static")
LIMIT = 30 * 1024
A_YEAR = 365 * 24 * 3600


def fnv1a(data):
    """The version Liaison gives a static file: FNV-1a (64 bits) of its bytes, in hex."""
    h = 14695981039346656037
    for b in data:
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def max_age(resp):
    m = re.search(r"max-age=(\d+)", resp.header("Cache-Control") or "")
    return int(m.group(1)) if m else 0


class StaticFilesTest(ServerTest):
    NAMES = ("liaison.css", "liaison.js")

    def linked(self, name):
        """The address the pages give the file."""
        page = self.s.get("/sign-in").body
        m = re.search(r'(?:href|src)="(/static/%s[^"]*)"' % re.escape(name), page)
        self.assertIsNotNone(m, "the layout links %s" % name)
        return m.group(1).replace("&amp;", "&")

    def test_each_file_stays_under_30_kb(self):
        for name in self.NAMES:
            with self.subTest(name=name):
                self.assertLess(os.path.getsize(os.path.join(STATIC, name)), LIMIT, "%s passed 30 KB" % name)
                served = self.s.get("/static/" + name)
                self.assertEqual(served.status, 200)
                self.assertLess(len(served.body.encode()), LIMIT)

    def test_pages_link_a_versioned_address_cached_for_good(self):
        for name in self.NAMES:
            with self.subTest(name=name):
                href = self.linked(name)
                with open(os.path.join(STATIC, name), "rb") as f:
                    self.assertEqual(href, "/static/%s?v=%s" % (name, fnv1a(f.read())), "the version names the content")
                r = self.s.get(href)
                self.assertEqual(r.status, 200)
                self.assertGreaterEqual(max_age(r), A_YEAR, r.header("Cache-Control"))
                self.assertIn("immutable", r.header("Cache-Control"))
                self.assertIn("public", r.header("Cache-Control"))

    def test_an_old_version_is_not_cached_for_good(self):
        r = self.s.get("/static/liaison.css?v=0000000000000000")
        self.assertEqual(r.status, 200)
        self.assertLess(max_age(r), A_YEAR)
        self.assertNotIn("immutable", r.header("Cache-Control"))

    def test_the_bare_address_has_validators(self):
        for name in self.NAMES:
            with self.subTest(name=name):
                r = self.s.get("/static/" + name)
                tag = r.header("ETag")
                self.assertTrue(tag and tag.startswith('"'), tag)
                self.assertGreater(max_age(r), 0)
                again = self.s.get("/static/" + name, headers={"If-None-Match": tag})
                self.assertEqual(again.status, 304)
                self.assertEqual(again.body, "")
                self.assertEqual(again.header("ETag"), tag)
                self.assertEqual(self.s.get("/static/" + name, headers={"If-None-Match": '"other"'}).status, 200)


class DashboardTest(PagesTest):
    """Targets of a few seconds: inquiries are overdue before the test ends."""

    @classmethod
    def setUpClass(cls):
        d = tempfile.mkdtemp(prefix="liaison-design-")
        cls.server_args = ("--config", test_inquiries.desk_config(os.path.join(d, "desk.json"), hours=(0.0005, 0.0005)))
        super().setUpClass()
        guild = cls.s.post("/api/v1/organizations", {"name": {"en": "Ropewalk Guild of Saltby"}, "type": "cso"},
                           user="ana").json()
        cli(cls.s.db, "user", "add", "olwen", "--role", "partner", "--organization", str(guild["id"]),
            stdin=PASSWORD + "\n")

    def tiles(self, body):
        """label → (count, href, classes) of the home page's counts."""
        return {m.group(4): (int(m.group(3)), m.group(2).replace("&amp;", "&"), m.group(1).split())
                for m in re.finditer(r'<a class="([^"]*)" href="([^"]*)"><strong>(\d+)</strong> <span>([^<]*)</span></a>',
                                     body)}

    def rows(self, c, href):
        body = c.get(href).body
        tbody = body[body.index("<tbody>"):body.index("</tbody>")]
        return tbody.count("<tr>")

    def test_each_count_is_the_length_of_the_list_it_links_to(self):
        ana = self.s.get("/api/v1/session", user="ana").json()["id"]
        bruno = self.s.get("/api/v1/session", user="bruno").json()["id"]
        for subject, owner in (("Harbour dues question", ana), ("Lighthouse visit question", ana),
                               ("Someone else's question", bruno)):
            r = self.s.post("/api/v1/inquiries", {"channel": "phone", "subject": subject, "body": "By telephone.",
                                                  "owner": owner}, user="ana")
            self.assertEqual(r.status, 201, r)
        for task, due, owner in (("Send the Quayside minutes", "2020-01-10", ana), ("Plan the Quayside visit", "2999-01-10", ana),
                                 ("Bruno's own task", "2020-01-10", bruno)):
            r = self.s.post("/api/v1/follow-ups", {"task": task, "owner": owner, "due_date": due, "status": "open"}, user="ana")
            self.assertEqual(r.status, 201, r)
        time.sleep(3)  # the resolution targets pass
        c = self.client("ana")
        tiles = self.tiles(c.get("/").body)
        self.assertEqual(tiles["My open inquiries"][0], 2)
        self.assertEqual(tiles["My overdue inquiries"][0], 2)
        self.assertEqual(tiles["My open follow-ups"][0], 2)
        self.assertEqual(tiles["My follow-ups due"][0], 1)
        self.assertIn("overdue", tiles["My overdue inquiries"][2], "a count of late work is coloured so")
        for label in ("My open inquiries", "My overdue inquiries", "My open follow-ups", "Briefings coming"):
            with self.subTest(label=label):
                n, href, _ = tiles[label]
                self.assertEqual(self.rows(c, href), n, "%s: %s lists %d" % (label, href, n))
        # the follow-up due long ago shows as overdue in the list below, the future one does not
        body = c.get("/").body
        late = body[body.index("Send the Quayside minutes"):]
        self.assertTrue(re.match(r'[^<]*</a> <span><time datetime="2020-01-10" class="overdue">', late), late[:200])
        self.assertNotIn('class="overdue"', body[body.index("Plan the Quayside visit"):][:120])

    def test_a_count_of_nothing_is_muted_and_counts_are_translated(self):
        tiles = self.tiles(self.client("carmen").get("/").body)
        self.assertEqual(tiles["My overdue inquiries"][0], 0)
        self.assertIn("none", tiles["My overdue inquiries"][2])
        fr = self.tiles(self.client("carmen", "fr").get("/").body)
        self.assertIn("Mes demandes en retard", fr)
        es = self.tiles(self.client("carmen", "es").get("/").body)
        self.assertIn("Mis consultas atrasadas", es)

    def test_a_reader_sees_only_the_counts_of_kinds_they_may_read(self):
        body = self.client("olwen").get("/").body   # a partner reads no inquiries, follow-ups or briefings
        self.assertNotIn('class="tiles"', body)
        self.assertIn("My open inquiries", self.client("ana").get("/").body)


class RecordPagesDesignTest(PagesTest):
    def org(self, name):
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": name}, "type": "cso"}, user="ana")
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def test_every_cell_of_a_list_is_labelled_by_its_column(self):
        self.org("Saltmarsh Lantern Society")
        for path in ("/organizations", "/desk", "/admin/audit"):
            with self.subTest(path=path):
                user = "root" if path.startswith("/admin") else "ana"
                page = self.assertPage(self.client(user).get(path))
                heads = [a for t, a in page.elements if t == "th"]
                cells = [a for t, a in page.elements if t == "td"]
                self.assertTrue(heads)
                for cell in cells:
                    self.assertTrue(cell.get("data-label"), "%s: a cell without its column's label" % path)

    def test_archiving_is_behind_more_actions_and_asks_first(self):
        oid = self.org("Tidemark Rope Guild")
        body = self.client("ana").get("/organizations/%d" % oid).body
        more = body[body.index('<details class="more">'):]
        confirm = more[more.index('<details class="confirm">'):more.index("</details>")]
        self.assertIn("Archive this record?", confirm)
        self.assertIn('action="/organizations/%d/archive"' % oid, confirm)
        self.assertEqual(body.count("/archive\""), 1, "one archive form, in the menu")
        self.assertNotIn("<details", self.client("dora").get("/organizations/%d" % oid).body.split("<main")[1],
                         "a viewer has no rarer actions to show")

    def test_icons_come_from_one_sprite_and_are_hidden_from_screen_readers(self):
        body = self.client("ana").get("/organizations").body
        page = parse(body)
        symbols = {a["id"] for t, a in page.elements if t == "symbol"}
        for name in ("search", "add", "edit", "archive", "menu", "calendar", "mail", "print"):
            self.assertIn("i-" + name, symbols)
        self.assertEqual(body.count('<svg class="sprite"'), 1)
        uses = [a["href"] for t, a in page.elements if t == "use"]
        self.assertTrue(uses)
        for href in uses:
            self.assertIn(href[1:], symbols)
        for tag, attrs in page.elements:
            if tag == "svg":
                self.assertEqual(attrs.get("aria-hidden"), "true")
        self.assertIn("</svg>New organization</a>", body, "a button keeps its words beside its icon")
