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
