"""A kind that exists only in the tests' build works with no other code.

`liaison-specimens` is Liaison with one more kind, "specimens"
(tests/kinds/specimens.c): its description and its line in the list of kinds,
nothing else.  Everything below comes from the platform reading that
description: the API and its errors, the pages in three languages, search,
the access rules (who reads, who writes, the assignee who may update), the
workflow with its requirement and stamp, the records that point to an
organization, personal data, the audit trail, CSV both ways and OpenAPI.
The binary is built beside `liaison`; when it is missing the tests fail.
"""
import csv
import io
import os
import re
import unittest

import harness
from harness import PASSWORD, ServerTest, audit_of, cli
from test_pages import Client

SPECIMEN_BIN = os.environ.get("LIAISON_SPECIMEN_BIN",
                              os.path.join(os.path.dirname(harness.BIN), "liaison-specimens"))
_main_bin = harness.BIN


def setUpModule():
    if not os.access(SPECIMEN_BIN, os.X_OK):
        raise RuntimeError("%s is not built: meson.build builds it beside liaison" % SPECIMEN_BIN)
    harness.BIN = SPECIMEN_BIN


def tearDownModule():
    harness.BIN = _main_bin


class Specimens(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        cls.org = s.post("/api/v1/organizations?force=true", {"name": {"en": "Invented Seed Vault Cooperative"},
                                                              "type": "cso"}, user="ana").json()["id"]
        cls.users = {u["name"]: u["id"] for u in harness.all_items(s, "/api/v1/users")}

    def specimen(self, user="ana", **fields):
        body = {"title": {"en": "Quillwort sample", "fr": "Échantillon d'isoète"}, "holder": self.org,
                "received_on": "2026-05-04", "colour": "teal", "tags": ["wetland"], "notes": "Pressed in a folio."}
        body.update(fields)
        r = self.s.post("/api/v1/specimens", body, user=user)
        self.assertEqual(r.status, 201, r)
        return r.json()

    # ---- the API ------------------------------------------------------------------

    def test_create_read_change_list_and_archive(self):
        rec = self.specimen()
        self.assertEqual(rec["status"], "received")   # the workflow's first state
        got = self.s.get("/api/v1/specimens/%d" % rec["id"], user="dora")
        self.assertEqual(got.status, 200, got)
        self.assertEqual(got.json()["title"]["fr"], "Échantillon d'isoète")
        r = self.s.patch("/api/v1/specimens/%d" % rec["id"], {"colour": "amber"}, rec["version"], user="bruno")
        self.assertEqual(r.status, 200, r)
        listed = self.s.get("/api/v1/specimens?colour=amber&holder=%d" % self.org, user="dora").json()["items"]
        self.assertIn(rec["id"], [x["id"] for x in listed])
        self.assertEqual(self.s.delete("/api/v1/specimens/%d" % rec["id"], user="ana").status, 204)
        self.assertTrue(self.s.get("/api/v1/specimens/%d" % rec["id"], user="ana").json()["archived"])
        listed = self.s.get("/api/v1/specimens?colour=amber", user="dora").json()["items"]
        self.assertNotIn(rec["id"], [x["id"] for x in listed])

    def test_bad_input_is_a_problem_naming_each_field(self):
        before = len(harness.all_items(self.s, "/api/v1/specimens"))
        r = self.s.post("/api/v1/specimens", {"title": {"en": ""}, "colour": "purple", "received_on": "2026-13-40",
                                              "sender_email": "not an address", "holder": 999999, "stray": 1}, user="ana")
        self.assertProblem(r, 422)
        fields = {e["field"] for e in r.json()["errors"]}
        self.assertTrue({"colour", "received_on", "sender_email", "holder", "stray"} <= fields, fields)
        self.assertEqual(len(harness.all_items(self.s, "/api/v1/specimens")), before)   # nothing half-written
        self.assertProblem(self.s.get("/api/v1/specimens?colour=purple", user="ana"), 400)

    # ---- money ---------------------------------------------------------------------

    def test_money_keeps_its_amount_exactly_in_its_currency(self):
        for given, kept in ((("1250000.5", "USD"), "1250000.50"), (("-3", "JPY"), "-3"), (("12.345", "KWD"), "12.345"),
                            ((1250, "EUR"), "1250.00")):
            rec = self.specimen(valuation={"amount": given[0], "currency": given[1]})
            self.assertEqual(rec["valuation"], {"amount": kept, "currency": given[1]})
            got = self.s.get("/api/v1/specimens/%d" % rec["id"], user="dora").json()
            self.assertEqual(got["valuation"], {"amount": kept, "currency": given[1]})
        rec = self.specimen()
        self.assertIsNone(rec["valuation"])
        r = self.s.patch("/api/v1/specimens/%d" % rec["id"], {"valuation": {"amount": "9.99", "currency": "CHF"}},
                         rec["version"], user="ana")
        self.assertEqual(r.json()["valuation"], {"amount": "9.99", "currency": "CHF"})
        r = self.s.patch("/api/v1/specimens/%d" % rec["id"], {"valuation": None}, r.json()["version"], user="ana")
        self.assertIsNone(r.json()["valuation"])

    def test_bad_money_is_refused_naming_the_field_and_nothing_is_written(self):
        before = len(harness.all_items(self.s, "/api/v1/specimens"))
        bad = ({"amount": "12.345", "currency": "USD"},        # more decimals than the currency takes
               {"amount": "1", "currency": "JPX"},             # no such currency
               {"amount": 12.5, "currency": "USD"},            # a fraction of a JSON number
               {"amount": "12.50"},                           # no currency
               {"amount": "1,250.00", "currency": "USD"},      # separators
               {"amount": "99999999999999999999", "currency": "USD"},
               {"amount": "1", "currency": "usd"},
               {"amount": "1", "currency": "USD", "rate": "2"},
               "12.50 USD")
        for value in bad:
            r = self.s.post("/api/v1/specimens", {"title": {"en": "Costly sheet"}, "valuation": value}, user="ana")
            self.assertProblem(r, 422, field="valuation")
        r = self.s.post("/api/v1/specimens", {"title": {"en": "Costly sheet"},
                                              "valuation": {"amount": "1.005", "currency": "EUR"}}, user="ana")
        self.assertIn("2 decimals", str(r.json()["errors"]))
        self.assertEqual(len(harness.all_items(self.s, "/api/v1/specimens")), before)

    def test_lists_filter_by_currency_and_sort_amounts_within_it(self):
        made = [self.specimen(title={"en": "Sorted sheet"}, valuation={"amount": a, "currency": c})["id"]
                for a, c in (("30", "NOK"), ("5", "NOK"), ("200", "ISK"), ("7", "ISK"))]
        items = self.s.get("/api/v1/specimens?valuation_currency=NOK&sort=valuation", user="dora").json()["items"]
        self.assertEqual([x["id"] for x in items], [made[1], made[0]])
        items = self.s.get("/api/v1/specimens?sort=-valuation&limit=500", user="dora").json()["items"]
        mine = [x["id"] for x in items if x["id"] in made]
        self.assertEqual(mine, [made[0], made[1], made[2], made[3]])   # NOK before ISK, each by amount
        self.assertProblem(self.s.get("/api/v1/specimens?valuation=30", user="dora"), 400)

    def test_pages_write_money_in_the_reader_s_language_and_read_it_back(self):
        rec = self.specimen(valuation={"amount": "1250000.5", "currency": "EUR"})
        for lang, shown in (("en", "1,250,000.50\u00a0EUR"), ("fr", "1\u202f250\u202f000,50\u00a0EUR"),
                            ("es", "1.250.000,50\u00a0EUR")):
            body = self.client("ana", lang).get("/specimens/%d" % rec["id"]).body
            self.assertIn(shown, body, lang)
        c = self.client("ana", "fr")
        form = c.get("/specimens/new")
        self.assertIn('name="valuation.amount"', form.body)
        self.assertIn('inputmode="decimal"', form.body)
        csrf = re.search(r'name="_csrf" value="([0-9a-f]{64})"', form.body).group(1)
        r = c.post("/specimens/new", {"_csrf": csrf, "title.en": "Typed in French", "valuation.amount": "2 500,75",
                                      "valuation.currency": "chf"})
        self.assertEqual(r.status, 303, r)
        made = int(re.search(r"/specimens/(\d+)", r.header("Location")).group(1))
        self.assertEqual(self.s.get("/api/v1/specimens/%d" % made, user="ana").json()["valuation"],
                         {"amount": "2500.75", "currency": "CHF"})
        r = c.post("/specimens/new", {"_csrf": csrf, "title.en": "Too precise", "valuation.amount": "2,505",
                                      "valuation.currency": "EUR"})
        self.assertEqual(r.status, 422, r)
        self.assertIn("décimales", r.body)   # said in French, beside the field

    def test_money_goes_out_to_csv_and_back_as_two_columns(self):
        rec = self.specimen(title={"en": "Costed sheet"}, valuation={"amount": "-40.10", "currency": "GBP"})
        p = cli(self.s.db, "export", "specimens")
        rows = {r["id"]: r for r in csv.DictReader(io.StringIO(p.stdout, newline=""))}
        row = rows[str(rec["id"])]
        self.assertEqual((row["valuation"], row["valuation_currency"]), ("-40.10", "GBP"))   # a number, not guarded
        path = os.path.join(self.s.dir, "costed.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "version", "valuation"])
            w.writerow([rec["id"], rec["version"], "41.00"])     # the amount alone: its currency stays
        back = cli(self.s.db, "import", "specimens", path, check=False)
        self.assertEqual(back.returncode, 0, back.stderr)
        got = self.s.get("/api/v1/specimens/%d" % rec["id"], user="ana").json()["valuation"]
        self.assertEqual(got, {"amount": "41.00", "currency": "GBP"})
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["title_en", "valuation", "valuation_currency"])
            w.writerow(["Imported sheet", "1.001", "USD"])
        back = cli(self.s.db, "import", "specimens", path, check=False)
        self.assertNotEqual(back.returncode, 0)
        self.assertIn("valuation", back.stderr + back.stdout)

    # ---- access ---------------------------------------------------------------------

    def test_who_reads_and_who_writes(self):
        rec = self.specimen()
        self.assertEqual(self.s.get("/api/v1/specimens/%d" % rec["id"], user="emil").status, 200)   # staff read
        self.assertEqual(self.s.get("/api/v1/specimens/%d" % rec["id"]).status, 401)                # the public do not
        r = self.s.patch("/api/v1/specimens/%d" % rec["id"], {"colour": "amber"}, rec["version"], user="dora")
        self.assertEqual(r.status, 403, r)                                                          # viewers write nothing
        r = self.s.post("/api/v1/specimens", {"title": {"en": "Viewer's try"}}, user="dora")
        self.assertEqual(r.status, 403, r)

    def test_the_assignee_may_update_whatever_their_role(self):
        rec = self.specimen(examiner=self.users["emil"])   # a translator: not among the kind's writers
        r = self.s.patch("/api/v1/specimens/%d" % rec["id"], {"notes": "Checked by the examiner."}, rec["version"],
                         user="emil")
        self.assertEqual(r.status, 200, r)
        other = self.specimen(examiner=self.users["ana"])
        r = self.s.patch("/api/v1/specimens/%d" % other["id"], {"notes": "Not mine."}, other["version"], user="emil")
        self.assertEqual(r.status, 403, r)
        self.assertEqual(self.s.delete("/api/v1/specimens/%d" % rec["id"], user="emil").status, 403)   # update only

    def test_a_restricted_specimen_is_its_division_s(self):
        rec = self.specimen(classification="restricted", division="DRD", user="bruno")
        self.assertEqual(self.s.get("/api/v1/specimens/%d" % rec["id"], user="bruno").status, 200)
        self.assertEqual(self.s.get("/api/v1/specimens/%d" % rec["id"], user="ana").status, 404)
        found = self.s.get("/api/v1/search?q=quillwort", user="ana").json()["items"]
        self.assertNotIn(("specimens", rec["id"]), [(x["kind"], x["id"]) for x in found])

    # ---- workflow ---------------------------------------------------------------------

    def test_the_workflow_requires_stamps_and_refuses(self):
        rec = self.specimen()
        path = "/api/v1/specimens/%d/transitions" % rec["id"]
        r = self.s.post(path, {"to": "examined"}, user="ana")
        self.assertProblem(r, 422, field="examiner")                 # the state requires an examiner
        rec = self.s.patch("/api/v1/specimens/%d" % rec["id"], {"examiner": self.users["bruno"]}, rec["version"],
                           user="ana").json()
        r = self.s.post(path, {"to": "examined"}, user="ana")
        self.assertEqual(r.status, 200, r)
        self.assertRegex(r.json()["examined_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        r = self.s.post(path, {"to": "archived_copy"}, user="ana")   # administrators only
        self.assertProblem(r, 409)
        self.assertEqual(self.s.post(path, {"to": "archived_copy"}, user="root").status, 200)
        r = self.s.post(path, {"to": "received"}, user="root")      # no way back
        self.assertProblem(r, 409)

    # ---- search -----------------------------------------------------------------------

    def test_search_finds_it_by_title_in_each_language_and_by_its_notes(self):
        rec = self.specimen(title={"en": "Bladderwort specimen", "es": "Espécimen de utricularia"},
                            notes="Collected beside the Invented Lagoon.")
        for q in ("bladderwort", "utricularia", "lagoon"):
            items = self.s.get("/api/v1/search?q=" + q, user="dora").json()["items"]
            self.assertIn(("specimens", rec["id"]), [(x["kind"], x["id"]) for x in items], q)
        kinds = self.s.get("/api/v1/search?q=bladderwort", user="dora").json()["facets"]["kind"]
        self.assertTrue("specimens" in kinds if isinstance(kinds, dict)
                        else any(k.get("value") == "specimens" for k in kinds), kinds)
        sug = self.s.get("/api/v1/search/suggest?q=bladderw&type=specimens", user="dora").json()["items"]
        self.assertIn(rec["id"], [x["id"] for x in sug])

    def test_its_field_flagged_facet_is_a_filter_and_a_count_with_labels(self):
        teal = self.specimen(title={"en": "Hornwort teal sheet"}, colour="teal")
        amber = self.specimen(title={"en": "Hornwort amber sheet"}, colour="amber")
        hits = lambda q: [(x["kind"], x["id"]) for x in self.s.get("/api/v1/search?q=" + q, user="dora").json()["items"]]
        self.assertIn(("specimens", teal["id"]), hits("hornwort%20colour:teal"))
        self.assertNotIn(("specimens", amber["id"]), hits("hornwort%20colour:teal"))
        answer = self.s.get("/api/v1/search?q=hornwort", user="dora").json()
        self.assertIn("colour", answer["facets"], answer["facets"])
        self.assertIn("Teal", str(answer.get("facet_labels", {}).get("colour")), answer.get("facet_labels"))
        self.assertProblem(self.s.get("/api/v1/search?q=hornwort%20colour:purple", user="dora"), 400)

    # ---- pages -------------------------------------------------------------------------

    def client(self, name, lang=None):
        c = Client(self.s, lang)
        self.assertEqual(c.sign_in(name).status, 303)
        return c

    def test_pages_list_show_create_and_move(self):
        rec = self.specimen(title={"en": "Pillwort sheet"})
        c = self.client("ana")
        menu = c.get("/").body
        self.assertIn('href="/specimens"', menu)                     # its place in the menu
        listing = c.get("/specimens")
        self.assertEqual(listing.status, 200, listing)
        self.assertIn("Pillwort sheet", listing.body)
        page = c.get("/specimens/%d" % rec["id"])
        self.assertEqual(page.status, 200, page)
        self.assertIn("Invented Seed Vault Cooperative", page.body)  # the reference by name, not a number
        self.assertIn("Examined", page.body)                         # the move the reader may make
        form = c.get("/specimens/new")
        self.assertEqual(form.status, 200, form)
        csrf = re.search(r'name="_csrf" value="([0-9a-f]{64})"', form.body).group(1)
        r = c.post("/specimens/new", {"_csrf": csrf, "title.en": "Waterwort leaf", "received_on": "2026-06-01"})
        self.assertEqual(r.status, 303, r)
        self.assertRegex(r.header("Location"), r"^/specimens/\d+(\?|$)")

    def test_the_organization_page_shows_its_specimens(self):
        self.specimen(title={"en": "Mudwort pressing"})
        c = self.client("ana")
        page = c.get("/organizations/%d" % self.org).body
        self.assertIn("Mudwort pressing", page)
        self.assertIn("/specimens/new?holder=%d" % self.org, page)   # "New specimen", the reference filled in

    def test_pages_in_french_and_spanish_keep_the_platform_s_words(self):
        rec = self.specimen()
        for lang, word in (("fr", "Modifier"), ("es", "Editar")):
            body = self.client("ana", lang).get("/specimens/%d" % rec["id"]).body
            self.assertIn('lang="%s"' % lang, body)
            self.assertIn(word, body)

    # ---- personal data, audit, CSV, OpenAPI ---------------------------------------------

    def test_personal_data_is_exported_and_erased(self):
        rec = self.specimen(sender_email="ines.invented@example.org")
        out = self.s.get("/api/v1/specimens/%d/export" % rec["id"], user="root")
        self.assertEqual(out.status, 200, out)
        self.assertEqual(out.json()["record"]["sender_email"], "ines.invented@example.org")
        r = self.s.post("/api/v1/specimens/%d/erase" % rec["id"], {}, user="root")
        self.assertIn(r.status, (200, 204), r)
        after = self.s.get("/api/v1/specimens/%d" % rec["id"], user="root").json()
        self.assertNotEqual(after["sender_email"], "ines.invented@example.org")

    def test_every_change_is_in_the_audit_trail(self):
        rec = self.specimen()
        self.s.patch("/api/v1/specimens/%d" % rec["id"], {"colour": "amber"}, rec["version"], user="ana")
        trail = audit_of(self.s, "specimens", rec["id"])
        self.assertGreaterEqual(len(trail), 2, trail)
        self.assertEqual(cli(self.s.db, "audit", "verify").returncode, 0)

    def test_csv_out_and_back_in(self):
        rec = self.specimen(title={"en": "Starwort, with a comma"})
        p = cli(self.s.db, "export", "specimens")
        rows = list(csv.DictReader(io.StringIO(p.stdout, newline="")))
        self.assertIn("Starwort, with a comma", [r.get("title_en") for r in rows])
        path = os.path.join(self.s.dir, "specimens.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(p.stdout)
        back = cli(self.s.db, "import", "specimens", path, check=False)
        self.assertEqual(back.returncode, 0, back.stderr)
        self.assertIn("0 created", back.stdout)
        self.assertTrue(rec["id"])

    def test_openapi_describes_it(self):
        doc = self.s.get("/api/v1/openapi.json").json()
        self.assertIn("specimens", doc["components"]["schemas"])
        for path, method in (("/api/v1/specimens", "post"), ("/api/v1/specimens/{id}", "patch"),
                             ("/api/v1/specimens/{id}/transitions", "post"), ("/api/v1/specimens/{id}/export", "get")):
            self.assertIn(method, doc["paths"].get(path, {}), path)


class WithoutTheTestKind(unittest.TestCase):
    def test_the_shipped_build_has_no_specimens(self):
        d = harness.tempfile.mkdtemp(prefix="liaison-test-")
        db = os.path.join(d, "t.db")
        run = lambda *a: harness.subprocess.run([_main_bin, *a, "--db", db], capture_output=True, text=True, timeout=120)
        self.assertEqual(run("init").returncode, 0)
        p = run("export", "specimens")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("specimens", p.stderr)
        self.assertEqual(run("export", "organizations").returncode, 0)
        harness.shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
