"""`liaison demo`: invented partners whose search index, built beside the load on another
thread, is the index `liaison reindex` builds from the same records (search, suggestions,
typo tolerance and filters answer alike); nothing of the scratch index is left behind; the
audit log verifies; a database that already has partners is left as it is."""
import os
import sqlite3
import unittest

from harness import Server, cli

QUERIES = ["/api/v1/search?q=council", "/api/v1/search?q=migration%20country:PH",
           "/api/v1/search?q=type:persons%20okonkwo", "/api/v1/search?q=Counsil%20Valdoria",
           "/api/v1/search?q=%22exchange%20of%20views%22", "/api/v1/search?q=mobilit%C3%A9",
           "/api/v1/search/suggest?q=val", "/api/v1/search/suggest?q=amina%20ok",
           "/api/v1/search/suggest?q=ministerio&type=organizations", "/api/v1/search?q=tags:%22labour%20mobility%22%20type:organizations"]


def answers(server):
    out = {}
    for path in QUERIES:
        r = server.get(path, user="root")
        if r.status != 200:
            raise AssertionError("%s: %r" % (path, r))
        doc = r.json()
        out[path] = (doc.get("total"), [(i["kind"], i["id"], i["title"]) for i in doc["items"]])
    return out


def documents(db):
    con = sqlite3.connect(db)
    try:
        return (con.execute("SELECT kind, record_id, langs, titles, classification, division, org, facets, "
                            "date, updated_at FROM search_docs ORDER BY kind, record_id").fetchall(),
                con.execute("SELECT word FROM title_words ORDER BY word").fetchall())
    finally:
        con.close()


class Demo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server()
        cls.s.stop()
        done = cli(cls.s.db, "demo", "--scale", "1")
        cls.out, cls.err = done.stdout, done.stderr
        cls.s.start()

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def count(self, table):
        con = sqlite3.connect(self.s.db)
        try:
            return con.execute("SELECT count(*) FROM " + table).fetchone()[0]
        finally:
            con.close()

    def test_counts_and_report(self):
        self.assertRegex(self.out, r"^Demo data at scale 1 written in \d+\.\d s\n$")
        self.assertEqual(self.err, "")  # the index was built beside the load, not along the way
        self.assertEqual(self.count("organizations"), 2000 + 4)   # and the donor relations' four donors
        self.assertEqual(self.count("persons"), 5000)
        self.assertEqual(self.count("interactions"), 1500)
        self.assertEqual(self.count("iati_transactions"), 0)   # the everyday demo stays small

    def test_demo_meetings_show_on_the_home_page_and_the_pass_runs(self):
        self.assertEqual(self.count("meetings"), 4)
        self.assertEqual(self.count("meeting_priority_rules"), 3)
        gap = self.s.get("/api/v1/meetings?view=unrepresented", user="root").json()["items"]
        self.assertEqual([m["priority"] for m in gap], ["high"])   # one high-priority meeting soon, nobody confirmed
        late = self.s.get("/api/v1/representations?view=report-overdue", user="root").json()["items"]
        self.assertEqual(len(late), 1)
        # nobody has an address to write to: nothing queued, nothing stamped, and no failure either
        self.assertEqual(cli(self.s.db, "pass", check=False).returncode, 0)
        self.assertEqual(self.count("outbox"), 0)

    def test_index_built_beside_the_load_equals_reindex(self):
        before, docs = answers(self.s), documents(self.s.db)
        self.assertGreater(len(docs[0]), 8000)  # organizations, persons, interactions, countries
        for path, (total, items) in before.items():
            self.assertTrue(items, path)  # every query finds something: the comparison below means something
        self.s.stop()
        try:
            self.assertIn("Indexed", cli(self.s.db, "reindex").stdout)
        finally:
            self.s.start()
        self.assertEqual(documents(self.s.db), docs)
        self.assertEqual(answers(self.s), before)

    def test_no_scratch_database_left(self):
        left = [n for n in os.listdir(self.s.dir) if "search-load" in n]
        self.assertEqual(left, [])

    def test_audit_verifies(self):
        self.assertEqual(cli(self.s.db, "audit", "verify", check=False).returncode, 0)

    def test_second_demo_leaves_the_database_alone(self):
        n = self.count("organizations")
        out = cli(self.s.db, "demo", "--scale", "1").stdout
        self.assertIn("already has %d organizations" % n, out)
        self.assertEqual(self.count("organizations"), n)

    def test_demo_inquiries_go_only_where_there_are_none(self):
        first = cli(self.s.db, "demo", "--inquiries", "12")
        self.assertIn("12 demo inquiries written", first.stdout)
        n = self.count("inquiries")
        self.assertGreaterEqual(n, 12)
        again = cli(self.s.db, "demo", "--inquiries", "12").stdout
        self.assertIn("already has %d inquiries" % n, again)
        self.assertEqual(self.count("inquiries"), n)


class DemoAtScale(unittest.TestCase):
    def test_scales_from_two_bring_the_funding_landscape(self):
        import shutil
        import tempfile
        here = tempfile.mkdtemp(prefix="liaison-demo-")
        try:
            db = os.path.join(here, "scale2.db")
            cli(db, "init")
            out = cli(db, "demo", "--scale", "2").stdout
            self.assertRegex(out, r"^Demo data at scale 2 written in \d+\.\d s\n"
                                  r"200000 demo IATI transactions written in \d+\.\d s\n$")
            con = sqlite3.connect(db)
            try:
                self.assertEqual(con.execute("SELECT count(*) FROM iati_transactions").fetchone()[0], 200000)
                self.assertEqual(con.execute("SELECT count(*) FROM persons").fetchone()[0], 10000)
            finally:
                con.close()
        finally:
            shutil.rmtree(here, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
