"""Donors' IATI files in and the programmes out, over the API and the command line: an import
that writes every activity or none (a file broken on a line beyond 70,000 names that line and
leaves nothing behind), an activity imported again replacing itself, codes IATI does not list
told as warnings with their lines; the funding landscape's pivot, whose cells are each
transaction cut over its activity's sectors and places and add up to it, per currency or
converted at each year's last rate (a missing rate named); the donors ranked with their
concentration; the programmes as an IATI file that the IATI schema accepts; and who may do what.
Every organization is invented."""
import os
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from decimal import Decimal

from harness import ServerTest, all_items, cli

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")
IATI = os.path.join(FIXTURES, "iati")
SCHEMA = os.path.join(FIXTURES, "schemas", "iati", "iati-activities-schema.xsd")
CATALOG = os.path.join(FIXTURES, "schemas", "catalog.xml")

USERS = [
    ("bruno", "staff", "DRD"),
    ("dora", "viewer", "DRD"),
    ("emil", "translator", "GBD"),
]

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="2026-01-15T09:00:00Z">\n'
TAIL = "</iati-activities>\n"


def activity(identifier, donor, transactions, sectors=(("15190", None),), places=(("PH", None),), currency="EUR"):
    """An activity of the invented donor (ref, name), on lines of its own: transactions are
    (type, date, value[, provider ref])."""
    ref, name = donor
    out = [' <iati-activity default-currency="%s">' % currency,
           "  <iati-identifier>%s</iati-identifier>" % identifier,
           '  <reporting-org ref="%s" type="10"><narrative>%s</narrative></reporting-org>' % (ref, name),
           "  <title><narrative>Invented activity %s</narrative></title>" % identifier,
           "  <description><narrative>Invented for the tests.</narrative></description>",
           '  <participating-org ref="%s" role="1" type="10"/>' % ref,
           '  <activity-status code="2"/>',
           '  <activity-date type="2" iso-date="2024-01-01"/>']
    for code, pct in places:
        kind = "recipient-region" if code.isdigit() else "recipient-country"
        extra = ' vocabulary="1"' if code.isdigit() else ""
        out.append('  <%s code="%s"%s%s/>' % (kind, code, extra, ' percentage="%s"' % pct if pct else ""))
    for code, pct in sectors:
        out.append('  <sector vocabulary="1" code="%s"%s/>' % (code, ' percentage="%s"' % pct if pct else ""))
    for t in transactions:
        kind, date, value = t[:3]
        provider = t[3] if len(t) > 3 else None
        out += ["  <transaction>",
                '   <transaction-type code="%s"/>' % kind,
                '   <transaction-date iso-date="%s"/>' % date,
                '   <value value-date="%s">%s</value>' % (date, value)]
        if provider:
            out.append('   <provider-org ref="%s"><narrative>%s</narrative></provider-org>' % provider)
        out.append("  </transaction>")
    out.append(" </iati-activity>")
    return "\n".join(out) + "\n"


def cells(pivot):
    return {(c["row"], c["col"], c["currency"]): Decimal(c["amount"]) for c in pivot["cells"]}


def validate(test, path):
    env = dict(os.environ, XML_CATALOG_FILES=CATALOG)
    proc = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", SCHEMA, path], capture_output=True, text=True,
                          env=env)
    test.assertEqual(proc.returncode, 0, proc.stderr)


class Iati(ServerTest):
    users = USERS

    def post_file(self, doc, user="bruno", source=None):
        data = doc.encode() if isinstance(doc, str) else doc
        path = "/api/v1/iati/activities" + ("?source=" + source if source else "")
        return self.s.request("POST", path, raw=data, user=user, headers={"Content-Type": "application/xml"})

    def fixture(self, name):
        with open(os.path.join(IATI, name), encoding="utf-8") as f:
            return f.read()

    def pivot(self, query, user="bruno", status=200):
        r = self.s.get("/api/v1/iati/funding?" + query, user=user)
        self.assertEqual(r.status, status, r)
        return r.json()

    def rate(self, date, currency, base, rate):
        r = self.s.post("/api/v1/exchange-rates", {"rate_date": date, "currency": currency, "base": base, "rate": rate},
                        user="bruno")
        self.assertEqual(r.status, 201, r)

    # ---- import ------------------------------------------------------------------------------

    def test_an_activity_imported_again_replaces_itself(self):
        r = self.post_file(self.fixture("northland.xml"), source="northland.xml")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"added": 2, "updated": 0, "transactions": 6, "warnings_count": 0, "warnings": []})
        query = "rows=donor&cols=year&type=3&from=2024&to=2025&donor=XM-NL-1"
        first = cells(self.pivot(query))
        self.assertEqual(first, {("XM-NL-1", "2024", "EUR"): Decimal("100000.01"),
                                 ("XM-NL-1", "2025", "EUR"): Decimal("250000.00"),
                                 ("XM-NL-1", "2025", "USD"): Decimal("75000.00")})
        # the same file again: replaced, never doubled
        r = self.post_file(self.fixture("northland.xml"))
        self.assertEqual((r.json()["added"], r.json()["updated"]), (0, 2))
        self.assertEqual(cells(self.pivot(query)), first)
        # a revised file: one activity corrected (its old transactions gone), one new
        r = self.post_file(self.fixture("northland-revised.xml"))
        self.assertEqual((r.json()["added"], r.json()["updated"], r.json()["transactions"]), (1, 1, 2))
        self.assertEqual(cells(self.pivot(query)), {("XM-NL-1", "2024", "EUR"): Decimal("110000.00"),
                                                    ("XM-NL-1", "2025", "EUR"): Decimal("40000.00")})
        labels = self.pivot(query)["labels"]
        self.assertEqual(labels["XM-NL-1"], "Ministry of Foreign Affairs of Northland")

    def test_unknown_codes_are_imported_and_told_with_their_lines(self):
        r = self.post_file(self.fixture("unknown-codes.xml"))
        self.assertEqual(r.status, 200, r)
        got = r.json()
        self.assertEqual((got["added"] + got["updated"], got["warnings_count"]), (1, 2))
        self.assertEqual([w["line"] for w in got["warnings"]], [10, 13])
        self.assertIn('"9"', got["warnings"][0]["reason"])
        self.assertIn("99999", got["warnings"][1]["reason"])
        self.assertEqual(cells(self.pivot("rows=donor&cols=sector&donor=XM-WL-3")),
                         {("XM-WL-3", "99999", "CHF"): Decimal("1000.00")})

    def test_a_file_broken_far_down_imports_nothing_and_names_its_line(self):
        donor = ("XM-BIG-9", "Invented Large Fund")
        parts = [HEAD]
        for i in range(4500):
            parts.append(activity("XM-BIG-9-%05d" % i, donor, [("3", "2025-01-01", "10.00")]))
        doc = "".join(parts)
        bad = activity("XM-BIG-9-LAST", donor, [("3", "2025-01-01", "12,50")])
        line = doc.count("\n") + 1 + bad.split("\n").index('   <value value-date="2025-01-01">12,50</value>')
        doc += bad + TAIL
        self.assertGreater(line, 70000)
        r = self.post_file(doc)
        p = self.assertProblem(r, 422)
        self.assertEqual(p["line"], line)
        self.assertIn("line %d" % line, p["detail"])
        self.assertIn("nothing was imported", p["detail"])
        self.assertEqual(self.pivot("rows=donor&cols=year&donor=XM-BIG-9")["cells"], [])
        # the command line says the same in one line, and imports nothing either
        with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
            f.write(doc)
        try:
            out = cli(self.s.db, "iati", "import", f.name, check=False)
            self.assertEqual(out.returncode, 1)
            self.assertEqual(out.stderr.count("\n"), 1, out.stderr)
            self.assertIn("%s:%d: " % (f.name, line), out.stderr)
        finally:
            os.unlink(f.name)
        self.assertEqual(self.pivot("rows=donor&cols=year&donor=XM-BIG-9")["cells"], [])

    def test_the_first_fault_in_the_file_is_the_one_told(self):
        """Reading and writing run side by side; whichever meets a fault, the one told is the first in the file."""
        donor = ("XM-SUM-8", "Invented Summing Fund")
        before = "".join(activity("XM-SUM-8-%04d" % i, donor, [("3", "2025-01-01", "10.00")] * 20) for i in range(600))
        huge = activity("XM-SUM-8-HUGE", donor, [("3", "2025-01-01", "90000000000000000.00")] * 2)
        broken = activity("XM-SUM-8-BROKEN", donor, [("3", "2025-01-01", "12,50")])
        for first, second in ((huge, broken), (broken, huge)):
            doc = HEAD + before
            line = doc.count("\n") + 1     # the <iati-activity> of the first
            if first is broken:
                line += broken.split("\n").index('   <value value-date="2025-01-01">12,50</value>')
            doc += first + before.replace("XM-SUM-8-", "XM-SUM-8-B") + second + TAIL
            p = self.assertProblem(self.post_file(doc), 422)
            self.assertEqual(p["line"], line, p)
            self.assertIn("beyond" if first is huge else "12,50", p["detail"])
            self.assertEqual(self.pivot("rows=donor&cols=year&donor=XM-SUM-8")["cells"], [])

    def test_files_that_are_no_iati_are_refused(self):
        self.assertProblem(self.post_file(""), 400)
        self.assertProblem(self.post_file("<tmx version='1.4'/>"), 422)
        r = self.post_file(self.fixture("broken.xml"))
        self.assertEqual(self.assertProblem(r, 422)["line"], 16)
        r = self.s.request("POST", "/api/v1/iati/activities", raw=b"{}", user="bruno",
                           headers={"Content-Type": "application/json"})
        self.assertProblem(r, 415)

    def test_the_command_line_imports_and_tries_without_writing(self):
        path = os.path.join(IATI, "northland.xml")
        dry = cli(self.s.db, "iati", "import", path, "--dry-run")
        self.assertIn("Would import 2 activities", dry.stdout)
        out = cli(self.s.db, "iati", "import", os.path.join(IATI, "unknown-codes.xml"))
        self.assertIn(":10: warning:", out.stderr)

    # ---- the pivot -----------------------------------------------------------------------------

    def test_each_transaction_is_cut_over_sectors_and_places_to_the_last_cent(self):
        donor = ("XM-SPLIT-4", "Invented Splitting Trust")
        doc = HEAD + activity("XM-SPLIT-4-1", donor, [("3", "2025-05-05", "100.00"), ("3", "2025-06-06", "0.07"),
                                                      ("3", "2025-07-07", "-0.05")],
                              sectors=(("15190", "33.33"), ("16010", "33.33"), ("72010", "33.34")),
                              places=(("PH", "50"), ("VN", "30"), ("298", "20"))) + TAIL
        self.assertEqual(self.post_file(doc).status, 200)
        got = cells(self.pivot("rows=sector&cols=country&type=3&from=2025&to=2025&donor=XM-SPLIT-4"))
        self.assertEqual(len(got), 9)
        self.assertEqual(sum(got.values()), Decimal("100.02"))   # every cent of the three, none more
        by_place = {p: sum(v for (s, c, _), v in got.items() if c == p) for p in ("PH", "VN", "298")}
        self.assertLessEqual(abs(by_place["PH"] - Decimal("50.01")), Decimal("0.02"))
        self.assertLessEqual(abs(by_place["298"] - Decimal("20.00")), Decimal("0.02"))
        by_sector = {s: sum(v for (x, c, _), v in got.items() if x == s) for s in ("15190", "16010", "72010")}
        self.assertLessEqual(abs(by_sector["72010"] - Decimal("33.35")), Decimal("0.02"))
        labels = self.pivot("rows=sector&cols=country&donor=XM-SPLIT-4")["labels"]
        self.assertIn("15190", labels)

    def test_amounts_stay_in_their_currency_or_convert_at_the_year_s_last_rate(self):
        donor = ("XM-CONV-5", "Invented Converting Fund")
        doc = HEAD + activity("XM-CONV-5-1", donor, [("3", "2023-03-01", "1000.00"), ("3", "2024-03-01", "2000.00")],
                              currency="GBP") + activity("XM-CONV-5-2", donor, [("3", "2024-04-01", "300")],
                                                         currency="JPY") + TAIL
        self.assertEqual(self.post_file(doc).status, 200)
        query = "rows=donor&cols=year&type=3&from=2023&to=2024&donor=XM-CONV-5"
        self.assertEqual(cells(self.pivot(query)), {("XM-CONV-5", "2023", "GBP"): Decimal("1000.00"),
                                                    ("XM-CONV-5", "2024", "GBP"): Decimal("2000.00"),
                                                    ("XM-CONV-5", "2024", "JPY"): Decimal("300")})
        p = self.assertProblem(self.s.get("/api/v1/iati/funding?%s&currency=USD" % query, user="bruno"), 422)
        self.assertIn("no GBP→USD rate on or before 2023-12-31", p["detail"])
        self.rate("2023-12-29", "GBP", "USD", "1.2731")
        self.rate("2024-12-31", "GBP", "USD", "1.2529")
        p = self.assertProblem(self.s.get("/api/v1/iati/funding?%s&currency=USD" % query, user="bruno"), 422)
        self.assertIn("no JPY→USD rate on or before 2024-12-31", p["detail"])
        self.rate("2024-12-31", "USD", "JPY", "157.2")   # used inversely
        got = self.pivot(query + "&currency=USD")
        self.assertEqual(cells(got), {("XM-CONV-5", "2023", "USD"): Decimal("1273.10"),
                                      ("XM-CONV-5", "2024", "USD"): Decimal("2505.80") + Decimal("1.91")})
        self.assertEqual(sorted(r["text"] for r in got["rates"]),
                         ["1 GBP = 1.2529 USD (2024-12-31)", "1 GBP = 1.2731 USD (2023-12-29)",
                          "1 USD = 157.2 JPY (2024-12-31)"])
        self.assertEqual(got["currency"], "USD")
        self.assertProblem(self.s.get("/api/v1/iati/funding?%s&currency=XYZ" % query, user="bruno"), 400)

    def test_donors_are_ranked_with_their_concentration(self):
        fund = ("XM-POOL-6", "Invented Pooled Fund")
        doc = HEAD + activity("XM-POOL-6-1", fund, [
            ("1", "2025-01-10", "500.00", ("XM-GIVER-A", "Invented Giver A")),
            ("1", "2025-02-10", "300.00", ("XM-GIVER-B", "Invented Giver B")),
            ("1", "2025-03-10", "200.00", ("XM-GIVER-C", "Invented Giver C")),
            ("1", "2025-04-10", "99.00"),                  # incoming from nobody named: no donor
        ], sectors=(("15110", None),), places=(("HT", None),)) + TAIL
        self.assertEqual(self.post_file(doc).status, 200)
        got = self.pivot("rows=donor&cols=year&type=1&from=2025&to=2025&sector=15110&country=HT")
        self.assertEqual(cells(got)[("", "2025", "EUR")], Decimal("99.00"))
        [eur] = got["donors"]
        self.assertEqual((eur["currency"], eur["total"], eur["donors"]), ("EUR", "1000.00", 3))
        self.assertEqual([d["donor"] for d in eur["top"]], ["XM-GIVER-A", "XM-GIVER-B", "XM-GIVER-C"])
        self.assertEqual(eur["top"][0]["name"], "Invented Giver A")
        self.assertAlmostEqual(eur["herfindahl"], 0.38, places=4)
        self.assertAlmostEqual(eur["top5_share"], 1.0, places=4)

    def test_a_donor_is_named_as_the_file_last_names_it(self):
        fund = ("XM-POOL-7", "Invented Second Pool")
        names = ["Invented Giver Old Name", "Invented Giver New Name", "Invented Giver Old Name"]
        doc = HEAD + "".join(activity("XM-POOL-7-%d" % i, fund, [
            ("1", "2025-0%d-10" % (i + 1), "100.00", ("XM-GIVER-R", name))], sectors=(("15120", None),),
            places=(("HT", None),)) for i, name in enumerate(names)) + TAIL
        self.assertEqual(self.post_file(doc).status, 200)
        got = self.pivot("rows=donor&cols=year&type=1&from=2025&to=2025&sector=15120&country=HT")
        [eur] = got["donors"]
        self.assertEqual([(d["donor"], d["name"]) for d in eur["top"]], [("XM-GIVER-R", names[-1])])
        doc = HEAD + activity("XM-POOL-7-9", fund, [("1", "2025-09-10", "5.00", ("XM-GIVER-R", "Invented Giver Renamed"))],
                              sectors=(("15120", None),), places=(("HT", None),)) + TAIL
        self.assertEqual(self.post_file(doc).status, 200)   # another import: its name is the latest
        got = self.pivot("rows=donor&cols=year&type=1&from=2025&to=2025&sector=15120&country=HT")
        self.assertEqual(got["donors"][0]["top"][0]["name"], "Invented Giver Renamed")

    def test_a_pivot_asked_wrongly_is_refused(self):
        for query in ("rows=donor&cols=donor", "rows=color", "type=99", "from=2026&to=2020", "from=20x"):
            self.assertProblem(self.s.get("/api/v1/iati/funding?" + query, user="bruno"), 400)

    # ---- access --------------------------------------------------------------------------------

    def test_staff_read_editors_import(self):
        for who in ("dora", "emil"):
            self.assertProblem(self.post_file(self.fixture("northland.xml"), user=who), 403)
        self.assertEqual(self.s.get("/api/v1/iati/funding", user="dora").status, 200)
        self.assertEqual(self.s.get("/api/v1/programmes/iati", user="dora").status, 200)
        self.assertProblem(self.s.get("/api/v1/iati/funding"), 403)   # the public


class IatiExport(ServerTest):
    users = USERS

    def post(self, kind, body):
        r = self.s.post("/api/v1/" + kind, body, user="bruno")
        self.assertEqual(r.status, 201, r)
        return r.json()

    def test_the_programmes_as_an_iati_file_the_schema_accepts(self):
        donor = self.post("organizations?force=true", {"name": {"en": "Invented Republic of Westmark",
                                                                  "fr": "République inventée de Westmark"},
                                                         "type": "government"})
        money = lambda a, c: {"amount": a, "currency": c}
        own = self.post("programmes", {
            "title": {"en": "Invented corridor programme", "fr": "Programme inventé", "es": "Programa inventado"},
            "description": {"en": "Invented for the tests & nothing else."},
            "code": "PRG-77", "iati_identifier": "XX-TEST-OWN-1", "sectors": ["15190 60", "16010 40"],
            "countries": ["PH 60", "MX 40"], "starts_on": "2025-01-01", "ends_on": "2026-12-31",
            "budget": money("250000.00", "USD")})
        coded = self.post("programmes", {"title": {"en": "Invented coded programme"}, "code": "PRG-78",
                                         "sectors": ["15190"], "starts_on": "2025-06-01"})
        self.post("programmes", {"title": {"en": "Invented undated programme"}})   # IATI needs a date: left out
        pledge = self.post("pledges", {"donor": donor["id"], "amount": money("1000.00", "USD"),
                                       "pledged_on": "2025-02-01"})
        contribution = self.post("contributions", {"pledge": pledge["id"], "received_on": "2025-03-03",
                                                   "amount": money("600.00", "USD")})
        self.post("allocations", {"contribution": contribution["id"], "programme": own["id"], "share": "50"})
        r = self.s.get("/api/v1/programmes/iati", user="bruno")
        self.assertEqual(r.status, 200, r)
        with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False, encoding="utf-8") as f:
            f.write(r.body)
        try:
            validate(self, f.name)
        finally:
            os.unlink(f.name)
        doc = ET.fromstring(r.body.encode())
        acts = {a.findtext("iati-identifier"): a for a in doc.findall("iati-activity")}
        self.assertEqual(set(acts), {"XX-TEST-OWN-1", "XX-LIAISON-PRG-78"})
        a = acts["XX-TEST-OWN-1"]
        xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
        self.assertEqual({n.get(xml_lang): n.text for n in a.find("title").findall("narrative")},
                         {"en": "Invented corridor programme", "fr": "Programme inventé", "es": "Programa inventado"})
        self.assertEqual({(s.get("code"), s.get("percentage")) for s in a.findall("sector")},
                         {("15190", "60"), ("16010", "40")})
        self.assertEqual({(s.get("code"), s.get("percentage")) for s in a.findall("recipient-country")},
                         {("PH", "60"), ("MX", "40")})
        self.assertEqual(a.find("budget/value").text, "250000.00")
        [t] = a.findall("transaction")
        self.assertEqual(t.find("transaction-type").get("code"), "1")
        self.assertEqual(t.find("transaction-date").get("iso-date"), "2025-03-03")
        self.assertEqual(t.find("value").text, "300.00")
        self.assertEqual(t.findtext("provider-org/narrative"), "Invented Republic of Westmark")
        self.assertIn("Invented Republic of Westmark",
                      [p.findtext("narrative") for p in a.findall("participating-org") if p.get("role") == "1"])
        self.assertIsNotNone(acts["XX-LIAISON-PRG-78"].find("activity-date[@type='1']"))
        # the command line writes the same activities, with a configured organization
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as conf:
            conf.write('{"donors": {"iati": {"ref": "XX-INVENTED-ORG", "name": "Invented Organization"}}}')
        try:
            out = cli(self.s.db, "iati", "export", "--config", conf.name)
        finally:
            os.unlink(conf.name)
        ids = {a.findtext("iati-identifier") for a in ET.fromstring(out.stdout.encode()).findall("iati-activity")}
        self.assertEqual(ids, {"XX-TEST-OWN-1", "XX-INVENTED-ORG-PRG-78"})
        self.assertIn("1 left out", out.stderr)


class IatiDemo(ServerTest):
    users = USERS[:1]

    def test_the_demo_s_transactions_and_the_pivot_agree_to_the_cent(self):
        out = cli(self.s.db, "demo", "--iati", "30000")
        self.assertIn("30000 demo IATI transactions", out.stdout)
        again = cli(self.s.db, "demo", "--iati", "10")
        self.assertIn("already has", again.stdout)   # demo data goes only where there is none
        import sqlite3
        db = sqlite3.connect(self.s.db)
        try:
            self.assertEqual(db.execute("SELECT count(*) FROM iati_transactions").fetchone()[0], 30000)
            donors = db.execute("SELECT count(DISTINCT reporting_org_ref) FROM iati_activities").fetchone()[0]
            raw = dict(db.execute("SELECT currency, sum(value) FROM iati_transactions WHERE type = '3' "
                                  "GROUP BY currency").fetchall())
        finally:
            db.close()
        self.assertGreater(donors, 100)
        r = self.s.get("/api/v1/iati/funding?rows=sector&cols=country&type=3&from=2015&to=2026", user="bruno")
        self.assertEqual(r.status, 200, r)
        got = {}
        for c in r.json()["cells"]:
            minor = int(Decimal(c["amount"]) * (1 if c["currency"] == "JPY" else 100))
            got[c["currency"]] = got.get(c["currency"], 0) + minor
        self.assertEqual(got, raw)
        self.assertGreater(len(raw), 3)
