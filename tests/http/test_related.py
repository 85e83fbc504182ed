"""Related records: on every record's page, the records that point to it,
per referring field, as the registry describes the kinds (a reference by id
or by key, or a link): how many the reader may see, the first few, a link to
all of them (the kind's list scoped to that field, paged like any list) and
an "Add" link that fills the reference in.  The API's lists take the same
scopes, links included (?participants=persons/12)."""
import re
import unittest
import urllib.parse

from harness import ServerTest
from test_pages import Client


def rows_of(section):
    """The related rows of a page: {(heading, field): (count, [names], all_href, add_href)}."""
    out = {}
    for m in re.finditer(r"<dt>([^<]*?) <span class=\"muted\">· ([^<]*?)</span> <span class=\"badge\">(\d+)</span></dt>\s*"
                         r"<dd>(.*?)</dd>", section, re.S):
        names = re.findall(r"<li><a href=\"[^\"]+\"[^>]*>(.*?)</a></li>", m.group(4))
        all_href = re.search(r'<a href="([^"]+)">Show all</a>', m.group(4))
        add = re.search(r'<a class="button secondary" href="([^"]+)" aria-label="[^"]+">', m.group(4))
        href = lambda x: x and urllib.parse.unquote(x.group(1).replace("&amp;", "&"))
        out[(m.group(1), m.group(2))] = (int(m.group(3)), names, href(all_href), href(add))
    return out


class Related(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        cls.org_id = s.post("/api/v1/organizations?force=true", {"name": {"en": "Invented Harbour Authority"}, "type": "igo",
                                                                  "country": "PH"}, user="ana").json()["id"]
        cls.people = []
        for i in range(7):
            r = s.post("/api/v1/persons", {"given_name": "Nilo%d" % i, "family_name": "Invented-Tamayo",
                                           "organization": cls.org_id}, user="ana")
            assert r.status == 201, r
            cls.people.append(r.json()["id"])
        # one the other division may not see
        r = s.post("/api/v1/persons", {"given_name": "Hidden", "family_name": "Invented-Restricted",
                                       "organization": cls.org_id, "classification": "restricted", "division": "IPD"},
                   user="ana")
        assert r.status == 201, r
        for i in range(3):
            r = s.post("/api/v1/interactions", {"date": "2026-04-0%d" % (i + 1), "kind": "meeting",
                                                "subject": "Invented port meeting %d" % i,
                                                "participants": [{"kind": "persons", "id": cls.people[0]}]}, user="ana")
            assert r.status == 201, r

    def page(self, user, path):
        c = Client(self.s)
        self.assertEqual(c.sign_in(user).status, 303)
        r = c.get(path)
        self.assertEqual(r.status, 200, r)
        return c, r.body

    def test_an_organizations_persons_counted_as_the_reader_may_see_them(self):
        _, body = self.page("ana", "/organizations/%d" % self.org_id)
        rows = rows_of(body)
        count, names, all_href, add = rows[("Persons", "Organization")]
        self.assertEqual(count, 8)   # ana's division sees the restricted one
        self.assertEqual(len(names), 5)
        self.assertEqual(all_href, "/persons?organization=%d" % self.org_id)
        self.assertEqual(add, "/persons/new?organization=%d" % self.org_id)
        _, body = self.page("bruno", "/organizations/%d" % self.org_id)
        self.assertEqual(rows_of(body)[("Persons", "Organization")][0], 7)   # another division does not
        _, body = self.page("dora", "/organizations/%d" % self.org_id)
        self.assertIsNone(rows_of(body)[("Persons", "Organization")][3])   # a viewer adds nothing

    def test_show_all_is_the_list_scoped_and_paged(self):
        c, body = self.page("bruno", "/organizations/%d" % self.org_id)
        all_href = rows_of(body)[("Persons", "Organization")][2]
        r = c.get(all_href)
        self.assertEqual(r.status, 200, r)
        self.assertIn("Invented Harbour Authority", r.body)   # the scope, named
        self.assertEqual(len(re.findall(r"Invented-Tamayo", r.body)), 7)
        self.assertNotIn("Invented-Restricted", r.body)
        self.assertIn('<input type="hidden" name="organization" value="%d">' % self.org_id, r.body)

    def test_add_fills_the_reference_in(self):
        c, body = self.page("ana", "/organizations/%d" % self.org_id)
        form = c.get(rows_of(body)[("Persons", "Organization")][3]).body
        self.assertRegex(form, r'name="organization"[^>]*value="%d"' % self.org_id)

    def test_a_countrys_organizations_by_its_key(self):
        _, body = self.page("ana", "/countries/PH")
        count, names, _, _ = rows_of(body)[("Organizations", "Country")]
        self.assertGreaterEqual(count, 1)
        self.assertIn("Invented Harbour Authority", names)

    def test_a_persons_interactions_by_link(self):
        c, body = self.page("ana", "/persons/%d" % self.people[0])
        count, names, _, add = rows_of(body)[("Interactions", "Participants")]
        self.assertEqual(count, 3)
        self.assertEqual(sorted(names), ["Invented port meeting %d" % i for i in range(3)])
        self.assertEqual(add, "/interactions/new?participants=persons/%d" % self.people[0])
        r = c.get("/interactions?participants=persons/%d" % self.people[0])
        self.assertEqual(len(re.findall(r"Invented port meeting", r.body)), 3)

    def test_the_api_lists_take_link_scopes(self):
        r = self.s.get("/api/v1/interactions?participants=persons/%d" % self.people[0], user="ana")
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json()["items"]), 3)
        self.assertEqual(len(self.s.get("/api/v1/interactions?participants=persons/%d" % self.people[1],
                                        user="ana").json()["items"]), 0)
        for bad in ("persons", "persons/x", "countries/PH", "nobody/3"):
            self.assertProblem(self.s.get("/api/v1/interactions?participants=" + bad, user="ana"), 400)


if __name__ == "__main__":
    unittest.main()
