"""The appeal document: an appeal's requirements by DAC region and country, each with the funding
its programme received converted at the rates of its days and the gap, totals per currency and in
the reporting currency, a chart tagged as a figure, all in the reader's language; a missing rate
named in the document rather than failing it; read by staff and viewers, not by partners."""
import datetime
import http.client
import os
import subprocess

from harness import PASSWORD, ServerTest, cli
from test_pages import Client


def money(amount, currency):
    return {"amount": amount, "currency": currency}


def plain(text):
    """Text with the languages' group spaces (no-break, narrow no-break) as plain spaces, and every run
    of spaces and line ends as one space: a table's cells wrap their words onto lines of their own."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


class AppealDocument(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def post(kind, body):
            r = s.post("/api/v1/" + kind + ("?force=true" if kind == "organizations" else ""), body, user="bruno")
            assert r.status == 201, r
            return r.json()

        today = datetime.date.today()
        cls.paid_on = (today - datetime.timedelta(days=10)).isoformat()
        post("exchange-rates", {"rate_date": (today - datetime.timedelta(days=20)).isoformat(), "currency": "EUR",
                                "base": "USD", "rate": "1.1000"})
        euro = post("organizations", {"name": {"en": "Invented Euro Fund"}, "type": "foundation"})["id"]
        dollar = post("organizations", {"name": {"en": "Invented Dollar Agency"}, "type": "donor_agency"})["id"]
        franc = post("organizations", {"name": {"en": "Invented Alpine Trust"}, "type": "foundation"})["id"]
        cls.donor = euro
        corridors = post("programmes", {"title": {"en": "Invented safe corridors", "fr": "Couloirs sûrs inventés",
                                                  "es": "Corredores seguros inventados"}, "countries": ["PH"]})["id"]
        shelter = post("programmes", {"title": {"en": "Invented flood shelter"}, "countries": ["SD"]})["id"]
        schools = post("programmes", {"title": {"en": "Invented schools for returnees"}, "countries": ["CI"]})["id"]
        cls.appeal = post("appeals", {"title": {"en": "Invented annual appeal 2031", "fr": "Appel annuel inventé 2031",
                                                "es": "Llamamiento anual inventado 2031"},
                                      "appeal_type": "annual", "year": 2031})["id"]
        for body in ({"programme": corridors, "country": "PH", "amount": money("500000.00", "EUR")},
                     {"programme": shelter, "country": "SD", "amount": money("200000.00", "USD")},
                     {"country": "ET", "amount": money("150000.00", "USD")},
                     {"programme": schools, "amount": money("100000.00", "USD")}):
            body["appeal"] = cls.appeal
            post("appeal-requirements", body)

        def paid(donor, amount, currency, gifts):
            pledge = post("pledges", {"donor": donor, "amount": money(amount, currency), "pledged_on": cls.paid_on})
            c = post("contributions", {"pledge": pledge["id"], "received_on": cls.paid_on,
                                       "amount": money(amount, currency)})
            for programme, part in gifts:
                post("allocations", {"contribution": c["id"], "programme": programme, "amount": money(part, currency)})

        paid(euro, "300000.00", "EUR", [(corridors, "120000.00"), (shelter, "10000.00")])
        paid(dollar, "100000.00", "USD", [(shelter, "50000.00")])
        paid(franc, "20000.00", "CHF", [(schools, "20000.00")])   # no CHF rate: named, not counted

    def fetch(self, path, name="bruno", lang=None):
        c = Client(self.s, lang)
        self.assertEqual(c.sign_in(name).status, 303)
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=60)
        try:
            conn.request("GET", path, headers=c._headers())
            resp = conn.getresponse()
            return resp.status, resp.getheader("Content-Type"), resp.read()
        finally:
            conn.close()

    def document(self, lang, name="bruno"):
        status, kind, body = self.fetch("/appeals/%d/document.pdf?lang=%s" % (self.appeal, lang), name)
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(kind, "application/pdf")
        return body

    def text(self, pdf, *how):
        return plain(subprocess.run(["pdftotext", "-enc", "UTF-8"] + list(how) + ["-", "-"], input=pdf,
                                    capture_output=True, check=True).stdout.decode("utf-8"))

    def test_the_document_in_english(self):
        t = self.text(self.document("en"))
        for words in ("Invented annual appeal 2031", "Requirements and funding by region", "South of Sahara",
                      "Far East Asia", "Philippines", "Sudan", "Ethiopia", "Invented safe corridors",
                      "Invented flood shelter", "Annual appeal"):
            self.assertIn(words, t)
        # the corridors: 120,000 EUR received of 500,000; the shelter 50,000 USD and 10,000 EUR at 1.1
        for amount in ("500,000.00 EUR", "120,000.00 EUR", "380,000.00 EUR", "200,000.00 USD", "61,000.00 USD",
                       "139,000.00 USD"):
            self.assertIn(amount, t)
        # totals per currency, never added across them: South of Sahara's in dollars, Asia's in euros
        self.assertIn("450,000.00 USD", t)
        self.assertIn("389,000.00 USD", t)
        # and the whole converted into dollars at the rate listed
        self.assertIn("1,000,000.00 USD", t)
        self.assertIn("193,000.00 USD", t)
        self.assertIn("1 EUR = 1.1 USD", t)
        # the Swiss francs without a rate: named, the schools' funding marked short
        self.assertIn("Missing exchange rates", t)
        self.assertIn("No exchange rate from CHF to USD", t)
        self.assertIn("Invented schools for returnees", t)

    def test_the_document_in_french_names_and_orders_in_french(self):
        pdf = self.document("fr")
        t = self.text(pdf)
        for words in ("Appel annuel inventé 2031", "Besoins et financement par région", "Sud du Sahara",
                      "Extrême-Orient", "Soudan", "Éthiopie", "Couloirs sûrs inventés",
                      "Invented flood shelter",          # no French title: the English one
                      "Taux de change manquants", "Appel annuel"):
            self.assertIn(words, t)
        for amount in ("500 000,00 EUR", "120 000,00 EUR", "61 000,00 USD", "139 000,00 USD", "1 000 000,00 USD"):
            self.assertIn(amount, t)
        # the French collation, row after row: Côte d'Ivoire, Éthiopie, Soudan (bytes would put É after S)
        rows = self.text(pdf, "-layout")
        self.assertLess(rows.index("Côte d"), rows.index("Éthiopie"))
        self.assertLess(rows.index("Éthiopie"), rows.index("Soudan"))

    def test_the_document_in_spanish(self):
        t = self.text(self.document("es"))
        for words in ("Llamamiento anual inventado 2031", "Sur del Sahara", "Lejano Oriente", "Filipinas", "Sudán",
                      "Etiopía", "Corredores seguros inventados"):
            self.assertIn(words, t)
        for amount in ("500.000,00 EUR", "61.000,00 USD", "1.000.000,00 USD"):
            self.assertIn(amount, t)

    def test_tagged_with_its_chart_as_a_figure(self):
        pdf = self.document("fr")
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        self.assertIn("Tagged:          yes", info)
        path = os.path.join(self.s.dir, "appeal.pdf")
        with open(path, "wb") as f:
            f.write(pdf)
        tree = subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, check=True).stdout.decode()
        self.assertIn("  Figure\n", tree)
        self.assertIn(b"/Alt <FEFF", pdf)
        self.assertIn("Taux de change manquants", plain(tree))

    def test_the_appeal_s_page_links_its_document_in_each_language(self):
        c = Client(self.s, "fr")
        self.assertEqual(c.sign_in("bruno").status, 303)
        page = c.get("/appeals/%d" % self.appeal)
        self.assertEqual(page.status, 200, page)
        self.assertIn("Appel annuel inventé 2031", page.body)
        for lang in ("en", "fr", "es"):
            self.assertIn("/appeals/%d/document.pdf?lang=%s" % (self.appeal, lang), page.body)

    def test_who_may_read_it(self):
        status, _, _ = self.fetch("/appeals/%d/document.pdf?lang=en" % self.appeal, "dora")   # a viewer
        self.assertEqual(status, 200)
        cli(self.s.db, "user", "add", "euro-officer", "--role", "partner", "--organization", str(self.donor),
            stdin=PASSWORD + "\n")
        status, _, _ = self.fetch("/appeals/%d/document.pdf?lang=en" % self.appeal, "euro-officer")
        self.assertEqual(status, 403)
        status, _, _ = self.fetch("/appeals/999999/document.pdf?lang=en")
        self.assertEqual(status, 404)
        status, _, _ = self.fetch("/appeals/%d/document.pdf?currency=EURO" % self.appeal)
        self.assertEqual(status, 400)
        page = Client(self.s, "en")
        page.sign_in("euro-officer")
        self.assertNotIn("document.pdf", page.get("/appeals/%d" % self.appeal).body)

    def test_from_the_command_line_whole_or_not_at_all(self):
        path = os.path.join(self.s.dir, "appeal-es.pdf")
        cli(self.s.db, "appeal", "document", str(self.appeal), "--lang", "es", "--out", path)
        with open(path, "rb") as f:
            t = self.text(f.read())
        self.assertIn("Sur del Sahara", t)
        self.assertIn("61.000,00 USD", t)
        gone = os.path.join(self.s.dir, "no-appeal.pdf")
        p = cli(self.s.db, "appeal", "document", "999999", "--out", gone, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("appeal 999999", p.stderr)
        self.assertFalse(os.path.exists(gone) or os.path.exists(gone + ".part"))
        self.assertEqual(cli(self.s.db, "appeal", "document", "1", "--lang", "de", check=False).returncode, 2)
