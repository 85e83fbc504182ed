"""Countries are named as people name them ("Bolivia", "Tanzania", "South Korea"), in English,
French and Spanish, wherever a country is shown: lists, record pages, the search's facets and
its type-ahead; the ISO name ("Bolivia, Plurinational State of") stays on the country's own page
as its official name.  (A database seeded before gets the same names: test_upgrade.py.)"""
import html
import re
from urllib.parse import quote

from harness import ServerTest
from test_pages import Client

# iso2: (English, French, Spanish) as people say them, and the English ISO name
EXPECTED = {
    "BO": (("Bolivia", "Bolivie", "Bolivia"), "Bolivia, Plurinational State of"),
    "VE": (("Venezuela", "Vénézuela", "Venezuela"), "Venezuela, Bolivarian Republic of"),
    "IR": (("Iran", "Iran", "Irán"), "Iran, Islamic Republic of"),
    "TZ": (("Tanzania", "Tanzanie", "Tanzania"), "Tanzania, United Republic of"),
    "MD": (("Moldova", "Moldavie", "Moldavia"), "Moldova, Republic of"),
    "KR": (("South Korea", "Corée du Sud", "Corea del Sur"), "Korea, Republic of"),
}


class CountryNames(ServerTest):
    users = [("ana", "staff", "IPD")]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orgs = {}
        for iso2 in EXPECTED:
            r = cls.s.post("/api/v1/organizations?force=true", {"name": {"en": "Quenby Ridge Council " + iso2},
                                                               "type": "government", "country": iso2}, user="ana")
            assert r.status == 201, r
            cls.orgs[iso2] = r.json()["id"]

    def page(self, path, lang):
        c = Client(self.s, lang)
        c.sign_in("ana")
        r = c.get(path)
        self.assertEqual(r.status, 200, r)
        return html.unescape(r.body)

    def test_the_api_holds_both_names(self):
        for iso2, (names, iso) in EXPECTED.items():
            with self.subTest(country=iso2):
                rec = self.s.get("/api/v1/countries/" + iso2, user="ana").json()
                self.assertEqual((rec["name"]["en"], rec["name"]["fr"], rec["name"]["es"]), names)
                self.assertEqual(rec["official_name"]["en"], iso)
        fr = self.s.get("/api/v1/countries/FR", user="ana").json()
        self.assertEqual(fr["name"]["en"], "France")
        tw = self.s.get("/api/v1/countries/TW", user="ana").json()  # kept as the United Nations write it
        self.assertEqual(tw["name"]["en"], "Taiwan, Province of China")
        self.assertEqual(fr["official_name"], {"en": None, "fr": None, "es": None}, "none where the names agree")

    def test_pages_show_the_common_name_in_each_language(self):
        for i, lang in enumerate(("en", "fr", "es")):
            listed = self.page("/organizations?lang=" + lang, lang)
            for iso2, (names, iso) in EXPECTED.items():
                with self.subTest(lang=lang, country=iso2):
                    self.assertIn(">%s</a>" % names[i], listed, "the list's country column")
                    org = self.page("/organizations/%d?lang=%s" % (self.orgs[iso2], lang), lang)
                    self.assertIn('href="/countries/%s"' % iso2, org)
                    self.assertIn(">%s</a>" % names[i], org, "the organization's page")
                    self.assertNotIn(iso, org)

    def test_the_country_page_keeps_the_official_name(self):
        body = self.page("/countries/BO", "en")
        self.assertRegex(body, r"<h1[^>]*>\s*Bolivia\s*</h1>")
        self.assertIn("Official name", body)
        self.assertIn("Bolivia, Plurinational State of", body)
        fr = self.page("/countries/BO?lang=fr", "fr")
        self.assertRegex(fr, r"<h1[^>]*>\s*Bolivie\s*</h1>")
        self.assertIn("Bolivie, état plurinational de", fr)

    def test_search_facets_and_type_ahead_use_the_common_name(self):
        for lang, name in (("en", "Bolivia"), ("fr", "Bolivie"), ("es", "Bolivia")):
            with self.subTest(lang=lang):
                r = self.s.get("/api/v1/search?q=" + quote("Quenby"), user="ana", headers={"Accept-Language": lang}).json()
                self.assertEqual(r["facet_labels"]["country"]["BO"], name)
                self.assertEqual(r["facet_labels"]["country"]["KR"], EXPECTED["KR"][0][("en", "fr", "es").index(lang)])
        items = self.s.get("/api/v1/search/suggest?q=Bolivi&type=countries", user="ana").json()["items"]
        self.assertEqual([i["title"] for i in items], ["Bolivia"])
        for lang, name in (("fr", "Bolivie"), ("es", "Bolivia")):  # the results' titles in the page's language
            self.assertIn(">%s</a>" % name, self.page("/search?q=Plurinational&lang=" + lang, lang))
        found = self.s.get("/api/v1/search?q=Plurinational", user="ana").json()["items"]
        self.assertEqual([(i["kind"], i["title"]) for i in found], [("countries", "Bolivia")], "found by its official name too")


class CountriesChosenByName(ServerTest):
    users = [("ana", "staff", "IPD")]

    def client(self, lang=None):
        c = Client(self.s, lang)
        c.sign_in("ana")
        return c

    def test_suggestions_carry_the_code_a_reference_holds(self):
        items = self.s.get("/api/v1/search/suggest?q=Tanza&type=countries", user="ana").json()["items"]
        self.assertEqual([(i["title"], i["key"]) for i in items], [("Tanzania", "TZ")])
        for lang, name in (("fr", "Tanzanie"), ("es", "Tanzania")):  # as the page asking shows them
            items = self.s.get("/api/v1/search/suggest?q=Tanz&type=countries", user="ana",
                               headers={"Accept-Language": lang}).json()["items"]
            self.assertEqual([i["title"] for i in items], [name])
        orgs = self.s.get("/api/v1/search/suggest?q=Tanza&type=organizations", user="ana").json()["items"]
        self.assertTrue(all("key" not in i for i in orgs))

    def test_the_form_takes_a_country_by_its_name_in_the_readers_language(self):
        c = self.client("fr")
        form = c.get("/organizations/new?lang=fr").body
        self.assertIn('name="country.q"', form)
        self.assertNotIn("like FR", form)
        r = c.post("/organizations/new?lang=fr", {"_csrf": c.csrf(), "name.en": "Aldermoor Salt Guild", "type": "cso",
                                                  "country": "", "country.q": "Bolivie"})
        self.assertEqual(r.status, 303, r)
        oid = int(re.search(r"/organizations/(\d+)", r.header("Location")).group(1))
        self.assertEqual(self.s.get("/api/v1/organizations/%d" % oid, user="ana").json()["country"], "BO")
        edit = html.unescape(c.get("/organizations/%d/edit?lang=fr" % oid).body)
        self.assertRegex(edit, r'name="country" value="BO"')
        self.assertRegex(edit, r'name="country.q" type="text" value="Bolivie"')

    def test_a_name_that_fits_several_offers_them_and_a_script_sends_the_code(self):
        c = self.client()
        r = c.post("/persons/new", {"_csrf": c.csrf(), "family_name": "Okafor-Lindqvist", "country": "",
                                    "country.q": "Korea"})
        self.assertEqual(r.status, 422, r)
        body = html.unescape(r.body)
        self.assertIn('value="KR"', body)
        self.assertIn('value="KP"', body)
        self.assertIn(">South Korea<", body)
        r = c.post("/persons/new", {"_csrf": c.csrf(), "family_name": "Okafor-Lindqvist", "country": "",
                                    "country.q": "Korea", "country.pick": "KR"})
        self.assertEqual(r.status, 303, r)
        r = c.post("/persons/new", {"_csrf": c.csrf(), "family_name": "Brightwater-Mensah", "country": "TZ",
                                    "country.q": "Tanzania"})
        self.assertEqual(r.status, 303, r)
        pid = int(re.search(r"/persons/(\d+)", r.header("Location")).group(1))
        self.assertEqual(self.s.get("/api/v1/persons/%d" % pid, user="ana").json()["country"], "TZ")
