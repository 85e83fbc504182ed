"""Donor relations: profiles, programmes with their shares, pledges with instalments,
contributions and allocations that must agree in one currency, the pledge's state following
its money, reporting deadlines, exchange rates, and what a donor's own partners see."""
import csv
import http.client
import io
import os
import zipfile

import harness
from harness import PASSWORD, ServerTest, all_items, cli
from test_pages import Client


def money(amount, currency):
    return {"amount": amount, "currency": currency}


class Donors(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def org(name):
            r = s.post("/api/v1/organizations?force=true", {"name": {"en": name, "fr": name + " (fr)"}, "type": "government"},
                       user="bruno")
            assert r.status == 201, r
            return r.json()["id"]

        cls.arcadia = org("Republic of Invented Arcadia")
        cls.boreal = org("Boreal Invented Fund")
        cls.users = {u["name"]: u["id"] for u in all_items(s, "/api/v1/users")}

    def post(self, kind, body, user="bruno", status=201):
        r = self.s.post("/api/v1/" + kind, body, user=user)
        self.assertEqual(r.status, status, r)
        return r.json()

    def count(self, kind):
        return len(all_items(self.s, "/api/v1/" + kind))

    def pledge(self, amount="1000.00", currency="USD", donor=None, **more):
        body = {"donor": donor or self.arcadia, "amount": money(amount, currency), "pledged_on": "2026-02-01"}
        body.update(more)
        return self.post("pledges", body)

    def programme(self, **more):
        body = {"title": {"en": "Invented corridor programme"}, "sectors": ["15190 60", "16010 40"],
                "countries": ["PH 60", "MX 40"]}
        body.update(more)
        return self.post("programmes", body)

    # ---- profiles and programmes ------------------------------------------------------------

    def test_a_donor_profile_takes_its_organization_s_names_and_checks_its_priorities(self):
        p = self.post("donor-profiles", {"organization": self.boreal, "donor_type": "multilateral",
                                         "priority_sectors": ["15190 5", "72010"], "priority_countries": ["PH 3"],
                                         "sdg_targets": ["10.7", "8.a"]})
        self.assertEqual(p["name"]["en"], "Boreal Invented Fund")
        self.assertEqual(p["name"]["fr"], "Boreal Invented Fund (fr)")
        r = self.s.post("/api/v1/donor-profiles", {"organization": self.arcadia, "donor_type": "government",
                                                   "priority_sectors": ["1519 5", "15190 9", "15190 2"],
                                                   "priority_countries": ["ZZ 2"], "sdg_targets": ["18.1"]},
                        user="bruno")
        self.assertProblem(r, 422)
        fields = {e["field"] for e in r.json()["errors"]}
        self.assertEqual(fields, {"priority_sectors[0]", "priority_sectors[1]", "priority_sectors[2]",   # 15190 twice
                                  "priority_countries[0]", "sdg_targets[0]"})
        r = self.s.post("/api/v1/donor-profiles", {"organization": self.boreal, "donor_type": "government"}, user="bruno")
        self.assertProblem(r, 409)                          # one profile per donor

    def test_programme_shares_add_up_to_100_with_known_codes(self):
        prog = self.programme()
        self.assertEqual(prog["status"], "pipeline")
        self.programme(sectors=["72010"], countries=["SD"])          # one code alone is all of it
        before = self.count("programmes")
        for sectors, countries, field in ((["15190 60", "16010 30"], ["PH"], "sectors"),
                                          (["15190 60", "16010"], ["PH"], "sectors"),
                                          (["15190 100"], ["PH 50", "ZZ 50"], "countries[1]"),
                                          (["15190 100"], ["PH 50", "PH 50"], "countries[1]"),
                                          (["15190 100.001"], ["PH"], "sectors[0]"),
                                          (["abc 100"], ["PH"], "sectors[0]")):
            r = self.s.post("/api/v1/programmes", {"title": {"en": "Wrong shares"}, "sectors": sectors,
                                                   "countries": countries}, user="bruno")
            self.assertProblem(r, 422, field=field)
        self.assertEqual(self.count("programmes"), before)
        self.programme(sectors=["15190 33.33", "16010 33.33", "72010 33.34"])

    def test_a_programme_is_active_only_with_a_budget_and_a_start(self):
        prog = self.programme()
        r = self.s.post("/api/v1/programmes/%d/transitions" % prog["id"], {"to": "active"}, user="bruno")
        self.assertProblem(r, 422)
        prog = self.s.patch("/api/v1/programmes/%d" % prog["id"], {"budget": money("250000", "EUR"),
                                                                   "starts_on": "2026-05-01"}, prog["version"],
                            user="bruno").json()
        r = self.s.post("/api/v1/programmes/%d/transitions" % prog["id"], {"to": "active"}, user="bruno")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["budget"], money("250000.00", "EUR"))

    # ---- money that must agree ----------------------------------------------------------------

    def test_instalments_keep_the_pledge_s_currency_and_stay_within_it(self):
        p = self.pledge("1000.00", "USD")
        self.post("instalments", {"pledge": p["id"], "due_on": "2026-03-01", "amount": money("600", "USD")})
        before = self.count("instalments")
        r = self.s.post("/api/v1/instalments", {"pledge": p["id"], "due_on": "2026-04-01", "amount": money("400", "EUR")},
                        user="bruno")
        self.assertProblem(r, 422, field="amount")
        r = self.s.post("/api/v1/instalments", {"pledge": p["id"], "due_on": "2026-04-01", "amount": money("400.01", "USD")},
                        user="bruno")
        self.assertProblem(r, 422, field="amount")
        self.assertIn("beyond", str(r.json()["errors"]))
        self.assertEqual(self.count("instalments"), before)
        self.post("instalments", {"pledge": p["id"], "due_on": "2026-04-01", "amount": money("400", "USD")})

    def test_the_pledge_follows_its_money(self):
        p = self.pledge("1000.00", "USD", status="signed")
        self.assertEqual(p["status"], "signed")
        r = self.s.post("/api/v1/pledges/%d/transitions" % p["id"], {"to": "received"}, user="bruno")
        self.assertProblem(r, 409)                                      # no money yet
        c1 = self.post("contributions", {"pledge": p["id"], "received_on": "2026-03-02", "amount": money("250", "USD")})
        self.assertEqual(self.s.get("/api/v1/pledges/%d" % p["id"], user="bruno").json()["status"], "partly_received")
        r = self.s.post("/api/v1/contributions", {"pledge": p["id"], "received_on": "2026-03-03",
                                                  "amount": money("750.01", "USD")}, user="bruno")
        self.assertProblem(r, 422, field="amount")                      # beyond the pledge
        r = self.s.post("/api/v1/contributions", {"pledge": p["id"], "received_on": "2026-03-03",
                                                  "amount": money("750", "CHF")}, user="bruno")
        self.assertProblem(r, 422, field="amount")                      # another currency
        self.post("contributions", {"pledge": p["id"], "received_on": "2026-04-01", "amount": money("750", "USD")})
        got = self.s.get("/api/v1/pledges/%d" % p["id"], user="bruno").json()
        self.assertEqual(got["status"], "received")
        self.assertIsNotNone(got["received_at"])
        self.assertEqual(self.s.delete("/api/v1/contributions/%d" % c1["id"], user="bruno").status, 204)
        self.assertEqual(self.s.get("/api/v1/pledges/%d" % p["id"], user="bruno").json()["status"], "partly_received")
        r = self.s.patch("/api/v1/pledges/%d" % p["id"], {"amount": money("100", "USD")}, got["version"] + 1, user="bruno")
        self.assertProblem(r, 422, field="amount")                      # below what came

    def test_a_contribution_pays_an_instalment_of_its_own_pledge(self):
        p, q = self.pledge("100", "EUR"), self.pledge("100", "EUR")
        inst = self.post("instalments", {"pledge": q["id"], "due_on": "2026-03-01", "amount": money("100", "EUR")})
        r = self.s.post("/api/v1/contributions", {"pledge": p["id"], "instalment": inst["id"], "received_on": "2026-03-03",
                                                  "amount": money("50", "EUR")}, user="bruno")
        self.assertProblem(r, 422, field="instalment")

    def test_allocations_by_amount_or_share_within_the_contribution(self):
        p = self.pledge("1000.00", "KWD")
        c = self.post("contributions", {"pledge": p["id"], "received_on": "2026-03-02", "amount": money("100.001", "KWD")})
        prog = self.programme()
        a = self.post("allocations", {"contribution": c["id"], "programme": prog["id"], "share": "50"})
        self.assertEqual(a["amount"], money("50.000", "KWD"))           # 50.0005 rounded half to even
        before = self.count("allocations")
        for body, field in (({"share": "50.01"}, "amount"),                    # beyond the contribution
                            ({"amount": money("50.002", "KWD")}, "amount"),
                            ({"amount": money("10", "USD")}, "amount"),        # another currency
                            ({}, "amount"),                                    # neither amount nor share
                            ({"share": "0"}, "share"), ({"share": "101"}, "share"), ({"share": "12.345"}, "share")):
            body.update({"contribution": c["id"], "programme": prog["id"]})
            r = self.s.post("/api/v1/allocations", body, user="bruno")
            self.assertProblem(r, 422, field=field)
        self.assertEqual(self.count("allocations"), before)
        self.post("allocations", {"contribution": c["id"], "programme": prog["id"], "amount": money("50.001", "KWD")})

    def test_an_earmarked_pledge_names_its_programme(self):
        r = self.s.post("/api/v1/pledges", {"donor": self.arcadia, "amount": money("5", "USD"), "earmarking": "earmarked"},
                        user="bruno")
        self.assertProblem(r, 422, field="programme")
        r = self.s.post("/api/v1/pledges", {"donor": self.arcadia, "amount": money("-5", "USD")}, user="bruno")
        self.assertProblem(r, 422, field="amount")

    def test_writing_a_pledge_off_needs_a_reason(self):
        p = self.pledge("10", "USD")
        r = self.s.post("/api/v1/pledges/%d/transitions" % p["id"], {"to": "written_off"}, user="bruno")
        self.assertProblem(r, 422, field="write_off_reason")
        p = self.s.patch("/api/v1/pledges/%d" % p["id"], {"write_off_reason": "The donor's parliament cut the budget."},
                         p["version"], user="bruno").json()
        r = self.s.post("/api/v1/pledges/%d/transitions" % p["id"], {"to": "written_off"}, user="bruno")
        self.assertEqual(r.status, 200, r)

    # ---- reporting deadlines ----------------------------------------------------------------------

    def test_overdue_reports_are_listed_and_counted(self):
        p = self.pledge("10", "USD")
        late = self.post("reporting-deadlines", {"pledge": p["id"], "deliverable": "interim_narrative",
                                                 "due_on": "2026-02-02", "owner": self.users["bruno"]})
        later = self.post("reporting-deadlines", {"pledge": p["id"], "deliverable": "final_financial", "due_on": "2099-01-01"})
        ids = [x["id"] for x in all_items(self.s, "/api/v1/reporting-deadlines?view=overdue", user="bruno")]
        self.assertIn(late["id"], ids)
        self.assertNotIn(later["id"], ids)
        r = self.s.post("/api/v1/reporting-deadlines/%d/transitions" % late["id"], {"to": "submitted"}, user="bruno")
        self.assertProblem(r, 422, field="submission")
        late = self.s.patch("/api/v1/reporting-deadlines/%d" % late["id"], {"submission": "Sent by e-mail to the desk."},
                            late["version"], user="bruno").json()
        self.assertEqual(self.s.post("/api/v1/reporting-deadlines/%d/transitions" % late["id"], {"to": "submitted"},
                                     user="bruno").status, 200)
        ids = [x["id"] for x in all_items(self.s, "/api/v1/reporting-deadlines?view=overdue", user="bruno")]
        self.assertNotIn(late["id"], ids)
        r = self.s.post("/api/v1/reporting-deadlines", {"pledge": p["id"], "deliverable": "audit", "due_on": "2026-01-01"},
                        user="bruno")
        self.assertProblem(r, 422, field="due_on")                  # before the pledge was made

    # ---- exchange rates ------------------------------------------------------------------------------

    def test_exchange_rates_are_named_checked_and_imported_from_csv(self):
        r = self.post("exchange-rates", {"rate_date": "2026-03-31", "currency": "EUR", "base": "USD", "rate": "1.0845"})
        self.assertEqual(r["name"], "1 EUR = 1.0845 USD (2026-03-31)")
        for body, field in (({"currency": "EUX"}, "currency"), ({"base": "EUR"}, "base"), ({"rate": "0"}, "rate"),
                            ({"rate": "-1.2"}, "rate"), ({"rate": "1,08"}, "rate"), ({}, "rate_date")):
            b = {"rate_date": "2026-03-31", "currency": "EUR", "base": "USD", "rate": "1.09"}
            b.update(body)
            self.assertProblem(self.s.post("/api/v1/exchange-rates", b, user="bruno"), 422, field=field)
        path = os.path.join(self.s.dir, "rates.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["rate_date", "currency", "base", "rate", "source"])
            w.writerow(["2026-04-30", "GBP", "USD", "1.2650", "Invented treasury"])
            w.writerow(["2026-04-30", "JPY", "USD", "0.0066", "Invented treasury"])
        out = cli(self.s.db, "import", "exchange-rates", path, check=False)
        self.assertEqual(out.returncode, 0, out.stderr)
        names = [x["name"] for x in all_items(self.s, "/api/v1/exchange-rates?rate_date=2026-04-30", user="bruno")]
        self.assertEqual(sorted(names), ["1 GBP = 1.265 USD (2026-04-30)", "1 JPY = 0.0066 USD (2026-04-30)"])
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("rate_date,currency,base,rate\n2026-05-31,CHF,USD,1.13\n2026-05-31,XYZ,USD,1.0\n")
        out = cli(self.s.db, "import", "exchange-rates", path, check=False)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("rates.csv:3: currency:", out.stderr)
        self.assertEqual(all_items(self.s, "/api/v1/exchange-rates?rate_date=2026-05-31", user="bruno"), [])

    # ---- the donor's own partners ----------------------------------------------------------------------

    def test_a_donor_s_partner_reads_its_own_pledges_and_reports_only(self):
        mine = self.pledge("300", "USD", donor=self.boreal)
        theirs = self.pledge("400", "USD", donor=self.arcadia)
        due = self.post("reporting-deadlines", {"pledge": mine["id"], "deliverable": "audit", "due_on": "2026-12-31"})
        paid = self.post("contributions", {"pledge": mine["id"], "received_on": "2026-03-02", "amount": money("100", "USD")})
        cli(self.s.db, "user", "add", "boreal-officer", "--role", "partner", "--organization", str(self.boreal),
            stdin=PASSWORD + "\n")
        self.s.tokens["boreal-officer"] = cli(self.s.db, "token", "create", "boreal-officer").stdout.strip()
        who = "boreal-officer"
        self.assertStatus(self.s.get("/api/v1/pledges/%d" % mine["id"], user=who), 200)
        self.assertProblem(self.s.get("/api/v1/pledges/%d" % theirs["id"], user=who), 404)
        self.assertEqual({p["donor"] for p in all_items(self.s, "/api/v1/pledges", user=who)}, {self.boreal})
        self.assertStatus(self.s.get("/api/v1/reporting-deadlines/%d" % due["id"], user=who), 200)
        self.assertStatus(self.s.get("/api/v1/contributions/%d" % paid["id"], user=who), 200)
        self.assertProblem(self.s.post("/api/v1/pledges", {"donor": self.boreal, "amount": money("1", "USD")}, user=who), 403)
        self.assertProblem(self.s.get("/api/v1/exchange-rates", user=who), 403)

    # ---- pages ---------------------------------------------------------------------------------------

    def client(self, name, lang=None):
        c = Client(self.s, lang)
        self.assertEqual(c.sign_in(name).status, 303)
        return c

    def test_pages_show_money_and_the_overdue_count_in_each_language(self):
        p = self.pledge("1250000.5", "EUR")
        self.post("reporting-deadlines", {"pledge": p["id"], "deliverable": "audit", "due_on": "2026-02-20"})
        for lang, amount, words in (("en", "1,250,000.50\u00a0EUR", ("Amount pledged", "Donor reports overdue")),
                                    ("fr", "1\u202f250\u202f000,50\u00a0EUR", ("Montant annoncé", "Rapports aux donateurs en retard")),
                                    ("es", "1.250.000,50\u00a0EUR", ("Importe prometido", "Informes a donantes atrasados"))):
            c = self.client("bruno", lang)
            page = c.get("/pledges/%d" % p["id"])
            self.assertEqual(page.status, 200, page)
            self.assertIn(amount, page.body, lang)
            self.assertIn(words[0], page.body, lang)
            home = c.get("/").body
            self.assertIn(words[1], home, lang)
            self.assertIn('href="/reporting-deadlines?view=overdue"', home)
        olwen = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Invented Lantern Guild"}, "type": "cso"},
                            user="bruno").json()
        cli(self.s.db, "user", "add", "guild-member", "--role", "partner", "--organization", str(olwen["id"]),
            stdin=PASSWORD + "\n")
        self.assertNotIn("reporting-deadlines?view=overdue", self.client("guild-member").get("/").body)

    def test_viewers_read_and_do_not_write(self):
        self.assertStatus(self.s.get("/api/v1/pledges", user="dora"), 200)
        self.assertProblem(self.s.post("/api/v1/pledges", {"donor": self.arcadia, "amount": money("1", "USD")},
                                       user="dora"), 403)


class Funding(ServerTest):
    """The funding received, told in one currency: every amount converted at the rate of its day, split
    over allocations and a programme's shares exactly, with the rates used; the same total whatever the cut."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def post(kind, body):
            r = s.post("/api/v1/" + kind + ("?force=true" if kind == "organizations" else ""), body, user="bruno")
            assert r.status == 201, r
            return r.json()

        cls.north = post("organizations", {"name": {"en": "Invented Northern Fund", "fr": "Fonds nordique inventé"},
                                           "type": "foundation"})["id"]
        cls.south = post("organizations", {"name": {"en": "Invented Southern Agency"}, "type": "donor_agency"})["id"]
        for date, rate in (("2030-01-01", "1.1000"), ("2030-02-01", "1.2000")):
            post("exchange-rates", {"rate_date": date, "currency": "EUR", "base": "USD", "rate": rate})
        cls.prog = post("programmes", {"title": {"en": "Invented corridors", "fr": "Couloirs inventés"},
                                       "sectors": ["15190 60", "16010 40"], "countries": ["PH 75", "MX 25"]})["id"]
        eur = post("pledges", {"donor": cls.north, "amount": money("1000.00", "EUR"), "pledged_on": "2030-01-01"})
        usd = post("pledges", {"donor": cls.south, "amount": money("500.00", "USD"), "pledged_on": "2030-01-01"})
        c1 = post("contributions", {"pledge": eur["id"], "received_on": "2030-01-15", "amount": money("100.01", "EUR")})
        post("contributions", {"pledge": eur["id"], "received_on": "2030-02-10", "amount": money("200.00", "EUR")})
        post("contributions", {"pledge": usd["id"], "received_on": "2030-02-11", "amount": money("50.00", "USD")})
        post("allocations", {"contribution": c1["id"], "programme": cls.prog, "share": "50"})
        cls.chf = post("organizations", {"name": {"en": "Invented Alpine Trust"}, "type": "foundation"})["id"]
        chf = post("pledges", {"donor": cls.chf, "amount": money("70.00", "CHF"), "pledged_on": "2031-01-01"})
        post("contributions", {"pledge": chf["id"], "received_on": "2031-03-03", "amount": money("70.00", "CHF")})

    def funding(self, by, user="bruno", **more):
        q = "by=%s&from=2030-01-01&to=2030-12-31&currency=USD" % by
        for k, v in more.items():
            q += "&%s=%s" % (k, v)
        return self.s.get("/api/v1/funding?" + q, user=user)

    def test_each_amount_converted_at_its_day_s_rate_and_the_rates_named(self):
        r = self.funding("donor")
        self.assertEqual(r.status, 200, r)
        d = r.json()
        # 100.01 EUR × 1.1 = 110.011 → 110.01; 200.00 EUR × 1.2 = 240.00; 50 USD as it is
        rows = {x["key"]: x["amount"]["amount"] for x in d["rows"]}
        self.assertEqual(rows, {str(self.north): "350.01", str(self.south): "50.00"})
        self.assertEqual(d["total"], money("400.01", "USD"))
        self.assertEqual(d["rates"], ["1 EUR = 1.1 USD (2030-01-01)", "1 EUR = 1.2 USD (2030-02-01)"])
        self.assertEqual(d["rows"][0]["label"], "Invented Northern Fund")       # the largest first
        self.assertAlmostEqual(d["hhi"], (350.01 / 400.01) ** 2 + (50 / 400.01) ** 2, places=5)
        self.assertAlmostEqual(d["top5_share"], 1.0)

    def test_every_cut_tells_the_same_total_and_splits_exactly(self):
        totals = set()
        for by in ("donor", "year", "earmarking", "programme", "sector", "country"):
            d = self.funding(by).json()
            totals.add(d["total"]["amount"])
            self.assertEqual(sum(round(float(x["amount"]["amount"]) * 100) for x in d["rows"]),
                             round(float(d["total"]["amount"]) * 100), by)
        self.assertEqual(totals, {"400.01"})
        sectors = {x["key"]: x["amount"]["amount"] for x in self.funding("sector").json()["rows"]}
        # 50 % of 100.01 EUR is 50.00 EUR (half to even), so 55.00 of its 110.01 USD go to the programme,
        # 60 % and 40 % of them to its sectors; the rest is not allocated
        self.assertEqual(sectors["15190"], "33.00")
        self.assertEqual(sectors["16010"], "22.00")
        self.assertEqual(sectors[""], "345.01")
        countries = {x["key"]: x["amount"]["amount"] for x in self.funding("country").json()["rows"]}
        self.assertEqual((countries["PH"], countries["MX"]), ("41.25", "13.75"))

    def test_by_region_the_countries_shares_summed_into_their_dac_regions(self):
        d = self.funding("region").json()
        regions = {x["key"]: x["amount"]["amount"] for x in d["rows"]}
        # the programme's 55.00 USD: PH 75 % (Far East Asia), MX 25 % (North and Central America)
        self.assertEqual(regions, {"": "345.01", "789": "41.25", "389": "13.75"})
        self.assertEqual(d["total"]["amount"], "400.01")
        labels = {x["key"]: x["label"] for x in d["rows"]}
        self.assertEqual(labels["789"], "Far East Asia")
        page = self.client("bruno", "fr").get("/funding?by=region&currency=USD&from=2030-01-01&to=2030-12-31")
        self.assertIn("Financement par région", page.body)
        self.assertIn("Extrême-Orient", page.body)
        # a programme of a country in no DAC region, and one of none: both told as no region
        contrib = [x for x in all_items(self.s, "/api/v1/contributions") if x["received_on"] == "2030-02-10"][0]
        made = []
        for countries in (["FR 50", "SD 50"], []):
            p = self.s.post("/api/v1/programmes", {"title": {"en": "Invented elsewhere"}, "countries": countries},
                            user="bruno").json()["id"]
            a = self.s.post("/api/v1/allocations", {"contribution": contrib["id"], "programme": p, "share": "10"},
                            user="bruno")
            self.assertEqual(a.status, 201, a)
            made.append(a.json())
        try:
            d = self.funding("region").json()
            regions = {x["key"]: x["amount"]["amount"] for x in d["rows"]}
            # 10 % of 240.00 USD each: half of the first to Sudan (South of Sahara), the rest to no region
            self.assertEqual(regions["289"], "12.00")
            self.assertEqual(regions["-"], "36.00")
            self.assertEqual(d["total"]["amount"], "400.01")
            self.assertIn("No region", [x["label"] for x in d["rows"] if x["key"] == "-"][0])
        finally:
            for a in made:   # the other tests count without them
                self.assertIn(self.s.delete("/api/v1/allocations/%d" % a["id"], user="bruno").status, (200, 204))

    def test_a_missing_rate_is_named_and_nothing_is_told(self):
        r = self.s.get("/api/v1/funding?by=donor&from=2031-01-01&to=2031-12-31&currency=USD", user="bruno")
        self.assertProblem(r, 422)
        self.assertIn("no CHF→USD rate on or before 2031-03-03", r.json()["detail"])
        r = self.s.get("/api/v1/funding?by=donor&from=2031-01-01&to=2031-12-31&currency=CHF", user="bruno")
        self.assertEqual(r.json()["total"], money("70.00", "CHF"))            # in its own currency, no rate

    def test_bad_questions_and_readers_are_refused(self):
        self.assertProblem(self.s.get("/api/v1/funding?by=colour", user="bruno"), 400)
        self.assertProblem(self.s.get("/api/v1/funding?currency=EURO", user="bruno"), 400)
        self.assertProblem(self.s.get("/api/v1/funding?from=2030-13-01", user="bruno"), 400)
        cli(self.s.db, "user", "add", "north-officer", "--role", "partner", "--organization", str(self.north),
            stdin=PASSWORD + "\n")
        self.s.tokens["north-officer"] = cli(self.s.db, "token", "create", "north-officer").stdout.strip()
        self.assertProblem(self.funding("donor", user="north-officer"), 403)

    def client(self, name, lang=None):
        c = Client(self.s, lang)
        self.assertEqual(c.sign_in(name).status, 303)
        return c

    def test_the_page_draws_its_chart_and_gives_csv_and_xlsx_in_the_reader_s_language(self):
        c = self.client("bruno", "fr")
        page = c.get("/funding?by=donor&currency=USD&from=2030-01-01&to=2030-12-31")
        self.assertEqual(page.status, 200, page)
        body = page.body
        self.assertIn('<svg', body)
        self.assertIn('role="img"', body)
        self.assertIn("Fonds nordique inventé", body)                         # the donor's French name
        self.assertIn("350,01\u00a0USD", body)
        self.assertIn("1 EUR = 1.2 USD (2030-02-01)", body)
        self.assertIn("Financement par donateur", body)
        csv_file = c.get("/funding.csv?by=sector&currency=USD&from=2030-01-01&to=2030-12-31&lang=fr")
        self.assertEqual(csv_file.status, 200, csv_file)
        rows = list(csv.reader(io.StringIO(csv_file.body)))
        self.assertEqual(rows[0][0], "Secteur")
        self.assertIn(["Taux de change utilisés", "1 EUR = 1.1 USD (2030-01-01)"], rows)
        amounts = {r[0][:5]: r[1] for r in rows[1:] if r[2:3] == ["USD"]}
        self.assertEqual(amounts["15190"], "33.00")
        missing = c.get("/funding?by=donor&currency=USD&from=2031-01-01&to=2031-12-31")
        self.assertEqual(missing.status, 200, missing)
        self.assertIn("no CHF→USD rate on or before 2031-03-03", missing.body)
        bruno = self.client("bruno")
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30)
        conn.request("GET", "/funding.xlsx?by=donor&currency=USD&from=2030-01-01&to=2030-12-31",
                     headers=bruno._headers())
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        self.assertEqual(resp.status, 200)
        self.assertIn("attachment", resp.getheader("Content-Disposition"))
        z = zipfile.ZipFile(io.BytesIO(data))
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn("350.01", sheet)
        sources = z.read("xl/worksheets/sheet2.xml").decode()
        self.assertIn("1 EUR = 1.1 USD (2030-01-01)", sources)


class Matching(ServerTest):
    """For a donor, the programmes that still need money ranked by fit and explained; for a programme,
    the donors most likely to fund it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def post(kind, body):
            r = s.post("/api/v1/" + kind + ("?force=true" if kind == "organizations" else ""), body, user="bruno")
            assert r.status == 201, r
            return r.json()

        def programme(title, sectors, countries, budget="1000.00", **more):
            body = {"title": {"en": title}, "sectors": sectors, "countries": countries, "starts_on": "2030-01-01"}
            if budget:
                body["budget"] = money(budget, "USD")
            body.update(more)
            return post("programmes", body)["id"]

        cls.a_org = post("organizations", {"name": {"en": "Invented Corridor Fund"}, "type": "foundation"})["id"]
        cls.b_org = post("organizations", {"name": {"en": "Invented Relief Agency"}, "type": "donor_agency"})["id"]
        cls.a = post("donor-profiles", {"organization": cls.a_org, "donor_type": "foundation",
                                        "priority_sectors": ["15190 5"], "priority_countries": ["PH 5"]})["id"]
        cls.b = post("donor-profiles", {"organization": cls.b_org, "donor_type": "agency",
                                        "priority_sectors": ["72010 5"], "priority_countries": ["SD 4"]})["id"]
        cls.p1 = programme("Invented safe corridors", ["15190"], ["PH"])
        cls.p2 = programme("Invented flood shelter", ["72010"], ["SD"])
        cls.p3 = programme("Invented mixed programme", ["15190 50", "16010 50"], ["MX"])
        cls.closed = programme("Invented closed corridors", ["15190"], ["PH"], status="active")
        s.post("/api/v1/programmes/%d/transitions" % cls.closed, {"to": "closed"}, user="bruno")
        cls.unbudgeted = programme("Invented corridors without budget", ["15190"], ["PH"], budget=None)
        cls.funded = programme("Invented corridors fully funded", ["15190"], ["PH"], budget="10.00")
        pledge = post("pledges", {"donor": cls.b_org, "amount": money("10.00", "USD"), "pledged_on": "2026-01-01"})
        c = post("contributions", {"pledge": pledge["id"], "received_on": "2026-01-02", "amount": money("10.00", "USD")})
        post("allocations", {"contribution": c["id"], "programme": cls.funded, "share": "100"})

    def matches(self, path, user="bruno"):
        r = self.s.get(path, user=user)
        self.assertEqual(r.status, 200, r)
        return r.json()["items"]

    def test_a_donor_s_programmes_best_first_each_score_explained(self):
        items = self.matches("/api/v1/donor-profiles/%d/programmes" % self.a)
        ids = [x["programme"] for x in items]
        self.assertEqual(ids[0], self.p1)                       # its sector and its country, all of it
        self.assertIn(self.p3, ids)                              # half of it in its sector
        for gone in (self.p2, self.closed, self.unbudgeted, self.funded):
            self.assertNotIn(gone, ids)                          # nothing shared, closed, no budget, no gap
        for x in items:
            self.assertAlmostEqual(sum(t["contribution"] for t in x["terms"]), x["score"], places=4)
            self.assertAlmostEqual(sum(x["parts"].values()), x["score"], places=4)
        sector = [t for t in items[0]["terms"] if t["part"] == "sector"][0]
        self.assertEqual((sector["code"], sector["a"], sector["b"]), ("15190", 1.0, 1.0))
        mixed = [x for x in items if x["programme"] == self.p3][0]
        self.assertLess(mixed["score"], items[0]["score"])

    def test_a_programme_s_donors_and_what_a_donor_funded_before(self):
        items = self.matches("/api/v1/programmes/%d/donors" % self.p2)
        self.assertEqual([x["donor"] for x in items][:1], [self.b_org])
        self.assertEqual(items[0]["donor_profile"], self.b)
        # the relief agency funded a corridors programme: that counts for the corridors like it
        hist = self.matches("/api/v1/donor-profiles/%d/programmes" % self.b)
        self.assertNotIn(self.funded, [x["programme"] for x in hist])   # no gap left: not ranked
        self.assertEqual(hist[0]["programme"], self.p2)

    def test_what_is_written_counts_in_the_next_answer(self):
        """The ranking's world is kept between answers; any write makes it old."""
        path = "/api/v1/donor-profiles/%d/programmes" % self.a
        before = [x["programme"] for x in self.matches(path)]
        late = self.s.post("/api/v1/programmes", {"title": {"en": "Invented late corridors"}, "sectors": ["15190"],
                                                  "countries": ["PH"], "starts_on": "2030-01-01",
                                                  "budget": money("1000.00", "USD")}, user="bruno").json()["id"]
        after = [x["programme"] for x in self.matches(path)]
        self.assertNotIn(late, before)
        self.assertIn(late, after)
        self.assertIn(self.b_org, [x["donor"] for x in self.matches("/api/v1/programmes/%d/donors" % late)])
        r = self.s.post("/api/v1/programmes/%d/transitions" % late, {"to": "closed"}, user="bruno")
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(late, [x["programme"] for x in self.matches(path)])
        self.assertEqual(self.matches("/api/v1/programmes/%d/donors" % late), [])   # closed: no one is sought

    def test_bad_asks_and_readers_are_refused(self):
        self.assertProblem(self.s.get("/api/v1/donor-profiles/%d/programmes?limit=0" % self.a, user="bruno"), 400)
        self.assertProblem(self.s.get("/api/v1/donor-profiles/%d/programmes?limit=51" % self.a, user="bruno"), 400)
        self.assertProblem(self.s.get("/api/v1/donor-profiles/999999/programmes", user="bruno"), 404)
        self.assertProblem(self.s.get("/api/v1/programmes/999999/donors", user="bruno"), 404)
        cli(self.s.db, "user", "add", "fund-officer", "--role", "partner", "--organization", str(self.a_org),
            stdin=PASSWORD + "\n")
        self.s.tokens["fund-officer"] = cli(self.s.db, "token", "create", "fund-officer").stdout.strip()
        self.assertProblem(self.s.get("/api/v1/programmes/%d/donors" % self.p1, user="fund-officer"), 403)

    def test_priority_regions_count_through_the_programme_s_countries(self):
        org = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Invented Continental Fund"},
                                                              "type": "foundation"}, user="bruno").json()["id"]
        africa = self.s.post("/api/v1/donor-profiles", {"organization": org, "donor_type": "foundation",
                                                        "priority_regions": ["298 4"]}, user="bruno").json()["id"]
        items = self.matches("/api/v1/donor-profiles/%d/programmes" % africa)
        # Sudan is South of Sahara (289), within Africa (298): the flood shelter, and nothing in Asia or America
        self.assertEqual([x["programme"] for x in items], [self.p2])
        region = [t for t in items[0]["terms"] if t["part"] == "region"]
        self.assertEqual([(t["code"], t["a"], t["b"]) for t in region], [("298", 1.0, 0.8)])
        self.assertAlmostEqual(items[0]["parts"]["region"], items[0]["score"], places=6)
        # the country's own region counts as the continent does, each with the country's share
        asia = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Invented Eastern Fund"},
                                                               "type": "foundation"}, user="bruno").json()["id"]
        east = self.s.post("/api/v1/donor-profiles", {"organization": asia, "donor_type": "foundation",
                                                      "priority_regions": ["789 5", "489 5"]}, user="bruno").json()["id"]
        ids = [x["programme"] for x in self.matches("/api/v1/donor-profiles/%d/programmes" % east)]
        self.assertEqual(ids, [self.p1])              # the Philippines are Far East Asia; Mexico is not South America

    def test_the_pages_say_why_in_the_reader_s_language(self):
        c = Client(self.s, "fr")
        self.assertEqual(c.sign_in("bruno").status, 303)
        page = c.get("/donor-profiles/%d" % self.a)
        self.assertEqual(page.status, 200, page)
        self.assertIn("Programmes qui correspondent à ce donateur", page.body)
        self.assertIn("Invented safe corridors", page.body)
        self.assertIn("secteur 15190", page.body)
        self.assertIn("100,0\u00a0% du programme, poids 5 sur 5", page.body)
        page = c.get("/programmes/%d" % self.p2)
        self.assertIn("Donateurs susceptibles de le financer", page.body)
        self.assertIn("Invented Relief Agency", page.body)
