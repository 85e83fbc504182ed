"""Search: multilingual matching, access inside the query, facets, suggestions, typos, errors."""
from harness import ServerTest, cli


class Search(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def org(user, **body):
            r = s.post("/api/v1/organizations?force=true", body, user=user)
            assert r.status == 201, r
            return r.json()["id"]

        cls.oim = org("ana", name={"en": "International Organization for Fictional Migration",
                                   "fr": "Organisation internationale pour les migrations fictives",
                                   "es": "Organización Internacional para las Migraciones Ficticias"},
                      type="igo", country="CH", tags=["rcp"])
        cls.workers = org("ana", name={"fr": "Syndicat du travailleur migrant de Valdoria"}, type="cso", country="FR")
        cls.counsel = org("ana", name={"en": "Legal Counsel Bureau of Norlande"}, type="other", country="GB")
        cls.secret = org("bruno", name={"en": "Restricted Migration Donor Circle"}, type="donor_agency",
                         classification="restricted", division="DRD", country="CH")
        cls.mine = org("ana", name={"en": "Confidential Migration Contact Group"}, type="other",
                       classification="confidential")
        cls.archived = org("ana", name={"en": "Archived Migration Forum of Ostrena"}, type="cso")
        r = s.delete("/api/v1/organizations/%d" % cls.archived, user="ana")
        assert r.status == 204, r
        r = s.post("/api/v1/persons", {"given_name": "Amina", "family_name": "Okonkwo-Ferreira",
                                       "position": "Head of migration policy", "organization": cls.oim}, user="ana")
        assert r.status == 201, r
        cls.person = r.json()["id"]

    def search(self, q, user="ana", **params):
        from urllib.parse import urlencode
        r = self.s.get("/api/v1/search?" + urlencode(dict(q=q, **params)), user=user)
        self.assertStatus(r, 200)
        return r.json()

    def ids(self, q, user="ana"):
        return [(i["kind"], i["id"]) for i in self.search(q, user)["items"]]

    def test_stemming_in_each_language(self):
        self.assertIn(("organizations", self.oim), self.ids("migrations"))
        self.assertIn(("organizations", self.oim), self.ids("organizacion"))
        self.assertIn(("organizations", self.oim), self.ids("Organización"))
        self.assertIn(("organizations", self.workers), self.ids("travailleurs migrants"))
        self.assertIn(("organizations", self.oim), self.ids("l'Organisation"))

    def test_conseil_is_not_counsel(self):
        self.assertNotIn(("organizations", self.counsel), self.ids("Conseil"))
        self.assertIn(("organizations", self.counsel), self.ids("counsel"))

    def test_phrase_or_exclusion_prefix(self):
        self.assertIn(("organizations", self.oim), self.ids('"internationale pour les migrations"'))
        self.assertNotIn(("organizations", self.oim), self.ids('"migrations internationale"'))
        both = self.ids("Valdoria OR Norlande")
        self.assertIn(("organizations", self.workers), both)
        self.assertIn(("organizations", self.counsel), both)
        self.assertNotIn(("organizations", self.oim), self.ids("migration -fictional"))
        self.assertIn(("organizations", self.oim), self.ids("fictio*"))

    def test_filters(self):
        self.assertEqual(self.ids("migration type:persons"), [("persons", self.person)])
        self.assertIn(("organizations", self.workers), self.ids("migrant country:FR lang:fr"))
        self.assertNotIn(("organizations", self.oim), self.ids("migration country:FR"))
        self.assertIn(("organizations", self.oim), self.ids("migration tags:rcp"))
        self.assertIn(("organizations", self.workers), self.ids("country:FR"))  # filters alone
        self.assertEqual(self.ids("type:persons country:FR"), [])
        self.assertIn(("persons", self.person), self.ids("type:persons"))
        self.assertEqual(self.ids('migrant division:"No Such-Division"'), [])
        self.assertEqual(self.ids("migration division:DRD", user="bruno"), [("organizations", self.secret)])

    def test_results_in_the_readers_language_with_marked_snippets(self):
        out = self.search("migrations", user="carmen")  # carmen reads French? her language is en: title in English
        item = [i for i in out["items"] if i["id"] == self.oim and i["kind"] == "organizations"][0]
        self.assertEqual(item["title"], "International Organization for Fictional Migration")
        hit = self.search("travailleurs")["items"][0]
        self.assertIn("<mark>", hit["snippet"])

    def test_access_inside_the_query_and_its_counts(self):
        ana = self.search("migration")
        ana_ids = {(i["kind"], i["id"]) for i in ana["items"]}
        self.assertNotIn(("organizations", self.secret), ana_ids)
        self.assertIn(("organizations", self.mine), ana_ids)
        self.assertNotIn(("organizations", self.archived), ana_ids)
        bruno = self.search("migration", user="bruno")
        bruno_ids = {(i["kind"], i["id"]) for i in bruno["items"]}
        self.assertIn(("organizations", self.secret), bruno_ids)
        self.assertNotIn(("organizations", self.mine), bruno_ids)
        for out in (ana, bruno):
            self.assertEqual(sum(out["facets"]["kind"].values()), out["total"])
            self.assertEqual(out["total"], len(out["items"]))
        root = self.search("migration", user="root")
        self.assertEqual(root["total"], ana["total"] + 1)  # the restricted one; root sees the confidential too
        public = self.s.get("/api/v1/search?q=migration")
        self.assertStatus(public, 200)
        self.assertEqual(public.json()["items"], [])
        self.assertIn(("countries", 76), [(i["kind"], i["id"]) for i in self.s.get("/api/v1/search?q=France").json()["items"]])

    def test_index_follows_every_write(self):
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Zephyrine Mobility Trust"}, "type": "foundation"}, user="ana")
        rec = r.json()
        self.assertEqual(self.ids("Zephyrine"), [("organizations", rec["id"])])
        self.assertStatus(self.s.patch("/api/v1/organizations/%d" % rec["id"], {"name": {"en": "Quillane Mobility Trust"}}, 1, user="ana"), 200)
        self.assertEqual(self.ids("Zephyrine"), [])
        self.assertEqual(self.ids("Quillane"), [("organizations", rec["id"])])
        self.assertEqual(self.suggested("Zephy"), [])
        self.assertEqual(self.suggested("Quill"), [rec["id"]])
        self.assertStatus(self.s.delete("/api/v1/organizations/%d" % rec["id"], user="ana"), 204)
        self.assertEqual(self.ids("Quillane"), [])
        self.assertEqual(self.suggested("Quill"), [])

    def suggested(self, prefix):
        r = self.s.get("/api/v1/search/suggest?q=" + prefix, user="ana")
        self.assertStatus(r, 200)
        return [i["id"] for i in r.json()["items"]]

    def test_ranking_name_before_notes_then_newest(self):
        def org(name, notes=None):
            body = {"name": {"en": name}, "type": "cso"}
            if notes:
                body["notes"] = notes
            r = self.s.post("/api/v1/organizations?force=true", body, user="ana")
            self.assertStatus(r, 201)
            return ("organizations", r.json()["id"])
        in_notes = org("Harbour Forum of Ostrena", "Met the Plovdane delegation twice.")
        in_name = org("Plovdane Harbour Forum")
        older = org("Tessaline Coastal Forum")
        newer = org("Tessaline Coastal Forum")
        self.assertEqual(self.ids("Plovdane"), [in_name, in_notes])
        self.assertEqual(self.ids("Tessaline coastal"), [newer, older])

    def test_typos_fall_back_to_similar_titles(self):
        out = self.search("Orgnization Intrnational")
        self.assertEqual(out["fallback"], "similar titles")
        self.assertIn(("organizations", self.oim), [(i["kind"], i["id"]) for i in out["items"]])
        # trigrams are of characters, not bytes: a Cyrillic name with a typo
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Беловодский центр миграции"}, "type": "cso"},
                        user="ana")
        self.assertStatus(r, 201)
        out = self.search("Беловоцкий")
        self.assertEqual(out["fallback"], "similar titles")
        self.assertIn(("organizations", r.json()["id"]), [(i["kind"], i["id"]) for i in out["items"]])
        self.assertEqual(self.search("x" * 300)["items"], [])  # a word too long for look-alikes
        filtered = self.search("Orgnization type:organizations country:CH")
        self.assertEqual(filtered["fallback"], "similar titles")
        self.assertIn(("organizations", self.oim), [(i["kind"], i["id"]) for i in filtered["items"]])
        self.assertEqual(self.search("Orgnization country:FR")["items"], [])  # filters hold in the fallback too

    def test_suggest(self):
        r = self.s.get("/api/v1/search/suggest?q=Valdo", user="ana")
        self.assertStatus(r, 200)
        self.assertIn(self.workers, [i["id"] for i in r.json()["items"]])
        r = self.s.get("/api/v1/search/suggest?q=Restricted%20Migr", user="ana")
        self.assertNotIn(self.secret, [i["id"] for i in r.json()["items"]])
        self.assertProblem(self.s.get("/api/v1/search/suggest?q=%20%21", user="ana"), 400)
        # one kind only, for a reference field's picker
        r = self.s.get("/api/v1/search/suggest?q=Okonk&type=persons", user="ana")
        self.assertStatus(r, 200)
        self.assertEqual([(i["kind"], i["id"]) for i in r.json()["items"]], [("persons", self.person)])
        r = self.s.get("/api/v1/search/suggest?q=Okonk&type=organizations", user="ana")
        self.assertEqual(r.json()["items"], [])
        r = self.s.get("/api/v1/search/suggest?q=Interna&type=organizations", user="ana")
        self.assertIn(self.oim, [i["id"] for i in r.json()["items"]])
        self.assertTrue(all(i["kind"] == "organizations" for i in r.json()["items"]))
        self.assertProblem(self.s.get("/api/v1/search/suggest?q=Okonk&type=nonsense", user="ana"), 400)

    def test_malformed_queries_say_where(self):
        for q, pos in (('migration "open', 10), ("-", 0), ("a OR", 2), ("nope:thing", 0), ("", 0)):
            r = self.s.get("/api/v1/search?q=" + q.replace(" ", "%20").replace('"', "%22"), user="ana")
            p = self.assertProblem(r, 400)
            self.assertIn("position", p)
        for q in ("NEAR(a b)", "a:b", "(", "*", "title:x", "^x"):
            r = self.s.get("/api/v1/search?q=" + q.replace(" ", "%20"), user="ana")
            self.assertIn(r.status, (200, 400), r)
        self.assertProblem(self.s.get("/api/v1/search?q=x&limit=101", user="ana"), 400)
        self.assertProblem(self.s.get("/api/v1/search?q=x&cursor=abc", user="ana"), 400)

    def test_paging(self):
        first = self.search("migration", limit=2)
        self.assertEqual(len(first["items"]), 2)
        second = self.search("migration", limit=2, cursor=first["next_cursor"])
        self.assertFalse({(i["kind"], i["id"]) for i in first["items"]} & {(i["kind"], i["id"]) for i in second["items"]})

    def test_command_line_search_and_reindex(self):
        out = cli(self.s.db, "search", "travailleurs", "--as", "ana").stdout
        self.assertIn("Syndicat du travailleur migrant", out + cli(self.s.db, "search", "travailleurs", "--as", "root").stdout or "")
        self.assertEqual(cli(self.s.db, "search", 'x"', check=False).returncode, 2)
        self.assertIn("Indexed", cli(self.s.db, "reindex").stdout)
        self.assertIn(("organizations", self.oim), self.ids("organizacion"))


class FiltersAlone(ServerTest):
    """A search of filters without a word: each filter alone and together, and never past access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def make(what, user, **body):
            r = s.post("/api/v1/%s?force=true" % what, body, user=user)
            assert r.status == 201, r
            return (what, r.json()["id"])

        # ana (IPD) may read the open ones; only bruno (DRD) the restricted and confidential ones
        cls.open_org = make("organizations", "ana", name={"es": "Cofradía de Prácticos de Zelmar"}, type="igo",
                            country="UY", tags=["zelmar"])
        cls.hidden_org = make("organizations", "bruno", name={"es": "Fondo Reservado de Zelmar"}, type="donor_agency",
                              country="UY", tags=["zelmar"], classification="restricted", division="DRD")
        cls.own_org = make("organizations", "bruno", name={"es": "Círculo Confidencial de Zelmar"}, type="other",
                           country="UY", tags=["zelmar"], classification="confidential")
        cls.open_talk = make("interactions", "ana", date="2011-05-06", kind="meeting",
                             subject="Harbour pilots exchange", tags=["zelmar"])
        cls.hidden_talk = make("interactions", "bruno", date="2011-05-07", kind="call",
                               subject="Pledge conversation", tags=["zelmar"], classification="restricted")

    def found(self, q, user):
        from urllib.parse import urlencode
        r = self.s.get("/api/v1/search?" + urlencode({"q": q, "limit": 100}), user=user)
        self.assertStatus(r, 200)
        out = r.json()
        self.assertEqual(sum(out["facets"]["kind"].values()), out["total"], (q, user))
        self.assertEqual(min(out["total"], 100), len(out["items"]), (q, user))  # newest first: ours are among them
        return {(i["kind"], i["id"]) for i in out["items"]}

    def test_each_filter_alone_finds_what_the_caller_may_read(self):
        cases = {  # query: (records ana finds, records only bruno finds)
            "type:interactions": ({self.open_talk}, {self.hidden_talk}),
            "lang:es": ({self.open_org}, {self.hidden_org, self.own_org}),
            "country:UY": ({self.open_org}, {self.hidden_org, self.own_org}),
            "division:IPD": ({self.open_org, self.open_talk}, set()),
            "division:DRD": (set(), {self.hidden_org, self.hidden_talk}),
            "tags:zelmar": ({self.open_org, self.open_talk}, {self.hidden_org, self.own_org, self.hidden_talk}),
            "date:2011": ({self.open_talk}, {self.hidden_talk}),
            "date:2011-05-07": (set(), {self.hidden_talk}),
            "date:..2011-05-06": ({self.open_talk}, set()),
        }
        mine = {self.open_org, self.hidden_org, self.own_org, self.open_talk, self.hidden_talk}
        for q, (both, bruno_only) in cases.items():
            with self.subTest(q=q):
                ana = self.found(q, "ana") & mine
                self.assertEqual(ana, both)
                bruno = self.found(q, "bruno") & mine
                self.assertTrue(bruno_only <= bruno, bruno)
                self.assertFalse(self.found(q, "dora") & bruno_only)  # a viewer of IPD
                public = self.s.get("/api/v1/search?q=" + q)
                self.assertStatus(public, 200)
                self.assertFalse({(i["kind"], i["id"]) for i in public.json()["items"]} & mine)

    def test_filters_together_without_words(self):
        self.assertEqual(self.found("type:organizations tags:zelmar country:UY lang:es", "ana"), {self.open_org})
        self.assertEqual(self.found("type:organizations tags:zelmar country:UY lang:es", "bruno"),
                         {self.open_org, self.hidden_org, self.own_org})
        self.assertEqual(self.found("date:2011..2011 tags:zelmar", "ana"), {self.open_talk})
        self.assertEqual(self.found("date:2011 tags:zelmar division:DRD", "bruno"), {self.hidden_talk})
        self.assertEqual(self.found("date:2011 type:organizations", "bruno"), set())

    def test_unranked_and_from_the_command_line(self):
        from urllib.parse import urlencode
        r = self.s.get("/api/v1/search?" + urlencode({"q": "tags:zelmar"}), user="bruno")
        self.assertTrue(r.json()["items"])
        self.assertTrue(all(i["score"] == 0 and i["snippet"] == "" for i in r.json()["items"]))  # no words to rank by
        out = cli(self.s.db, "search", "date:2011", "--as", "ana").stdout
        self.assertIn("Harbour pilots exchange", out)
        self.assertNotIn("Pledge conversation", out)
