"""The review queue of likely duplicates: `liaison duplicates scan` fills it,
GET /api/v1/duplicates and the page /duplicates show it best first in the
reader's language, staff merge a pair or dismiss it, and a dismissed pair
stays out of every later scan; every refusal is a problem naming what is
wrong."""
import test_pages
from harness import audit_of, cli


class DuplicateQueue(test_pages.PagesTest):
    users = [u for u in test_pages.PagesTest.users if u[0] in ("ana", "dora", "root")]

    def scan(self):
        return cli(self.s.db, "duplicates", "scan", "--kind", "organizations", "--limit", "500")

    def queued(self, a, b, lang=None):
        headers = {"Accept-Language": lang} if lang else None
        r = self.s.get("/api/v1/duplicates?kind=organizations&limit=500", user="ana", headers=headers)
        self.assertStatus(r, 200)
        for item in r.json()["items"]:
            if {item["first"]["id"], item["second"]["id"]} == {a, b}:
                return item
        return None

    def test_scan_review_dismiss_and_merge(self):
        a = self.org("Dunmarrow Council for Labour Migration")["id"]
        b = self.org("Dunmarrow Council for Labour Migrations")["id"]
        c = self.org("Wexhollow Bureau of Consular Affairs")["id"]
        d = self.org("Wexhollow Bureau of Consular Affair")["id"]
        out = self.scan()
        self.assertRegex(out.stderr, r"organizations: \d+ likely duplicate pairs among \d+ records")
        self.assertIn("\t%d\tDunmarrow Council for Labour Migration\t%d\t" % (a, b), out.stdout)
        item = self.queued(a, b)
        self.assertEqual((item["first"]["id"], item["second"]["id"]), (min(a, b), max(a, b)))
        self.assertGreaterEqual(item["score"], 0.75)
        self.assertIn("name", item["reason"])
        self.assertIn("nombre", self.queued(a, b, "es")["reason"])

        ana = self.client("ana", "fr")
        page = self.assertPage(ana.get("/duplicates?kind=organizations"))
        self.assertIn("Doublons probables", page.text)
        self.assertIn("Dunmarrow Council for Labour Migrations", page.text)
        self.assertIn("nom : les mêmes mots", page.text)   # why, in the reader's language
        self.assertIn(("a", {"class": "button secondary", "href": "/duplicates?kind=organizations"}),
                      self.assertPage(ana.get("/organizations")).elements)
        r = ana.post("/duplicates/dismissals", {"_csrf": ana.csrf(), "kind": "organizations", "first": str(a),
                                                "second": str(b)})
        self.assertEqual((r.status, r.header("Location")), (303, "/duplicates?dismissed=1"))
        self.assertIsNone(self.queued(a, b))
        self.assertRegex(self.scan().stderr, r"organizations: .*[1-9]\d* dismissed before")
        self.assertIsNone(self.queued(a, b))
        self.assertIn("not-duplicate", [e["action"] for e in audit_of(self.s, "organizations", a)])

        r = ana.post("/organizations/%d/merge" % min(c, d), {"_csrf": ana.csrf(), "merge.pick": str(max(c, d))})
        self.assertEqual(r.status, 303)
        self.assertRegex(r.header("Location"), r"^/merges/\d+$")
        self.assertIsNone(self.queued(c, d))

        dora = self.client("dora")   # a viewer reads the queue and may not change it
        self.assertNotIn(("a", {"class": "button secondary", "href": "/duplicates?kind=organizations"}),
                         self.assertPage(dora.get("/organizations")).elements)
        self.assertProblem(self.s.post("/api/v1/duplicates/dismissals", {"kind": "organizations", "first": c, "second": d},
                                       user="dora"), 403)

    def test_refusals_are_problems(self):
        a = self.org("Orlenby Forum on Return")["id"]
        b = self.org("Orlenby Forum on Returns")["id"]
        for query in ("kind=countries", "limit=0", "limit=501", "limit=ten"):
            self.assertProblem(self.s.get("/api/v1/duplicates?" + query, user="ana"), 400)
        post = lambda body: self.s.post("/api/v1/duplicates/dismissals", body, user="ana")
        self.assertProblem(post({"kind": "countries", "first": a, "second": b}), 422, "kind")
        self.assertProblem(post({"kind": "organizations", "first": a, "second": a}), 422, "second")
        self.assertProblem(post({"kind": "organizations", "first": a, "second": "b"}), 422, "second")
        self.assertProblem(post({"kind": "organizations", "first": 1.5, "second": b}), 422, "first")
        self.assertProblem(post({"kind": "organizations", "first": -a, "second": b}), 422, "first")
        self.assertProblem(post({"kind": 7, "first": a, "second": b}), 422, "kind")
        self.assertProblem(post({"kind": "organizations", "first": a, "second": b, "why": "twins"}), 422, "why")
        self.assertProblem(post([a, b]), 422)
        self.assertProblem(post({"kind": "organizations", "first": a, "second": 99999999}), 404)
        self.assertProblem(self.s.request("POST", "/api/v1/duplicates/dismissals", raw=b"{not json",
                                          headers={"Content-Type": "application/json"}, user="ana"), 400)
        r = cli(self.s.db, "duplicates", "scan", "--kind", "countries", check=False)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        r = cli(self.s.db, "duplicates", "look", check=False)
        self.assertEqual(r.returncode, 2)
        r = cli(self.s.db, "duplicates", "scan", "--limit", "-1", check=False)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
