"""Search: multilingual matching, access inside the query, facets, suggestions, typos, errors."""
import os
import sqlite3
from urllib.parse import urlencode

from harness import ServerTest, cli


def created(server, what, user, **body):
    """A new record of kind what (duplicates allowed), by user: its id."""
    r = server.post("/api/v1/%s?force=true" % what, body, user=user)
    assert r.status == 201, r
    return r.json()["id"]


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
        r = self.s.get("/api/v1/search?" + urlencode({"q": 'migrant division:"No Such-Division"'}), user="ana")
        self.assertProblem(r, 400)
        self.assertIn("division: expects one of FO, GBD, IPD, MCD, DRD, MPR, MPD, IML", r.json()["detail"])
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

    def test_typos_are_forgiven(self):
        out = self.search("Orgnization Intrnational")
        self.assertEqual(out["fallback"], "typos")
        self.assertEqual(out["did_you_mean"], "organization international")
        self.assertIn(("organizations", self.oim), [(i["kind"], i["id"]) for i in out["items"]])
        # trigrams are of characters, not bytes: a Cyrillic name with a typo
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Беловодский центр миграции"}, "type": "cso"},
                        user="ana")
        self.assertStatus(r, 201)
        out = self.search("Беловоцкий")
        self.assertEqual(out["fallback"], "typos")
        self.assertIn(("organizations", r.json()["id"]), [(i["kind"], i["id"]) for i in out["items"]])
        self.assertEqual(self.search("x" * 300)["items"], [])  # a word too long for look-alikes
        filtered = self.search("Orgnization type:organizations country:CH")
        self.assertEqual(filtered["fallback"], "typos")
        self.assertIn(("organizations", self.oim), [(i["kind"], i["id"]) for i in filtered["items"]])
        self.assertEqual(self.search("Orgnization country:FR")["items"], [])  # filters hold in the fallback too

    def test_typos_are_forgiven_in_every_searched_field(self):
        r = self.s.post("/api/v1/organizations?force=true",
                        {"name": {"en": "Quorvane Harbour Office"}, "type": "cso",
                         "notes": "Signed the Zephranel accord on seasonal workers."}, user="ana")
        self.assertStatus(r, 201)
        out = self.search("Zefranel")  # a word of the notes, misspelt
        self.assertEqual(out["fallback"], "typos")
        self.assertEqual(out["did_you_mean"], "zephranel")
        self.assertIn(r.json()["id"], [i["id"] for i in out["items"] if i["kind"] == "organizations"])
        exact = self.search("Zephranel")  # spelt right: nothing to forgive, nothing to suggest
        self.assertIsNone(exact["fallback"])
        self.assertIsNone(exact["did_you_mean"])

    def test_most_words_first_when_not_every_word_matches(self):
        def org(name):
            r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": name}, "type": "cso"}, user="ana")
            self.assertStatus(r, 201)
            return r.json()["id"]
        three = org("Vestrel Ombrine Caldera Network")
        one_a = org("Vestrel Rowing Club")
        two = org("Ombrine Caldera Society")
        one_b = org("Caldera Hiking Union")
        out = self.search("Vestrel Ombrine Caldera Tarnhollow")  # no record has the fourth word
        self.assertEqual(out["fallback"], "some_words")
        ids = [i["id"] for i in out["items"] if i["kind"] == "organizations"]
        self.assertEqual(ids[:2], [three, two])
        self.assertEqual(set(ids[2:4]), {one_a, one_b})
        # one record holds every word: it comes first, then those with most of them
        few = self.search("Vestrel Ombrine Caldera")
        self.assertEqual(few["fallback"], "some_words")
        self.assertEqual([i["id"] for i in few["items"] if i["kind"] == "organizations"][:2], [three, two])
        # enough records hold every word: nothing forgiven
        self.assertIsNone(self.search("Caldera")["fallback"])
        # an exclusion or a phrase says exactly what is wanted
        self.assertEqual(self.search("\"Vestrel Tarnhollow\"")["items"], [])

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
            return (what, created(s, what, user, **body))

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


class Facets(ServerTest):
    """Facets as the registry declares them: filters and counts by any FACET field, labelled in the
    reader's language and within what the reader may read; weights of fields in the ranking."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def make(what, user, **body):
            return created(s, what, user, **body)

        cls.open_org = make("organizations", "ana", name={"en": "Brannock Ferry Guild"}, type="cso", country="FR",
                            tags=["brannock"])
        cls.hidden_org = make("organizations", "bruno", name={"en": "Brannock Reserve Fund"}, type="donor_agency",
                              country="ES", classification="restricted", division="DRD", tags=["brannock"])
        cls.member = make("persons", "ana", given_name="Ilse", family_name="Brannock-Vey", organization=cls.open_org,
                          country="FR")
        # bruno's person, which ana may read, at bruno's organization, which she may not
        cls.donor = make("persons", "bruno", given_name="Odo", family_name="Brannock-Lume",
                         organization=cls.hidden_org, country="ES")

    def search(self, q, user="ana", lang=None):
        headers = {"Accept-Language": lang} if lang else None
        r = self.s.get("/api/v1/search?" + urlencode({"q": q}), user=user, headers=headers)
        self.assertStatus(r, 200)
        return r.json()

    def ids(self, q, user="ana"):
        return [(i["kind"], i["id"]) for i in self.search(q, user)["items"]]

    def test_reference_facet_declared_by_its_flag_filters_and_counts(self):
        # persons.organization is a facet by its FACET flag alone: nothing else names it
        q = "type:persons organization:%d" % self.open_org
        self.assertEqual(self.ids(q), [("persons", self.member)])
        out = self.search("brannock type:persons")
        self.assertEqual(out["facets"]["organization"], {str(self.open_org): 1, str(self.hidden_org): 1})
        labels = out["facet_labels"]["organization"]
        self.assertEqual(labels[str(self.open_org)], "Brannock Ferry Guild")
        # a record ana may not read is never named: its number stands for it
        self.assertEqual(labels[str(self.hidden_org)], str(self.hidden_org))
        self.assertEqual(self.search("brannock type:persons", user="bruno")["facet_labels"]["organization"]
                         [str(self.hidden_org)], "Brannock Reserve Fund")
        # counts never include what the reader may not read
        out = self.search("tags:brannock")
        self.assertEqual(out["facets"]["tags"], {"brannock": 1})
        self.assertEqual(out["facets"]["country"], {"FR": 1})
        self.assertEqual(self.search("tags:brannock", user="bruno")["facets"]["country"], {"FR": 1, "ES": 1})

    def test_labels_in_the_readers_language(self):
        want = {"en": ("France", "Organizations", "International Partnerships Division", "English"),
                "fr": ("France", "Organisations", "Division des partenariats internationaux", "Anglais"),
                "es": ("Francia", "Organizaciones", "División de Asociaciones Internacionales", "Inglés")}
        for lang, (country, kind, division, english) in want.items():
            labels = self.search("brannock type:organizations", lang=lang)["facet_labels"]
            self.assertEqual(labels["country"]["FR"], country, lang)
            self.assertEqual(labels["kind"]["organizations"], kind, lang)
            self.assertEqual(labels["division"]["IPD"], division, lang)
            self.assertEqual(labels["lang"]["en"], english, lang)

    def test_unknown_filter_is_a_clear_400(self):
        r = self.s.get("/api/v1/search?" + urlencode({"q": "brannock colour:blue"}), user="ana")
        self.assertProblem(r, 400)
        self.assertEqual(r.json()["position"], 9)
        detail = r.json()["detail"]
        self.assertIn('unknown filter "colour:"', detail)
        for name in ("type", "lang", "date", "division", "country", "tags", "organization", "membership"):
            self.assertIn(name, detail)
        r = self.s.get("/api/v1/search?" + urlencode({"q": "organization:Brannock"}), user="ana")
        self.assertProblem(r, 400)
        self.assertIn("organization: expects the number of a record of organizations", r.json()["detail"])

    def test_a_heavy_field_ranks_above_a_light_one(self):
        # the acronym weighs five times the notes: the organization whose acronym it is comes first,
        # though its record is the longer one (alike in weight, the shorter would)
        filler = "tides berths cranes ferries cargo pilots tugs moorings buoys locks sluices quays"
        by_acronym = ("organizations", self.s.post("/api/v1/organizations?force=true",
                      {"name": {"en": "Harbour Federation of Ostrena"}, "type": "cso", "acronym": "QWERN",
                       "notes": filler}, user="ana").json()["id"])
        in_notes = ("organizations", self.s.post("/api/v1/organizations?force=true",
                    {"name": {"en": "Pilots Trust"}, "type": "cso", "notes": "Qwern"}, user="ana").json()["id"])
        self.assertEqual(self.ids("qwern"), [by_acronym, in_notes])


class RebuildOnStart(ServerTest):
    """An index built for other facets or weights is rebuilt when the server starts, and says so."""

    def test_changed_configuration_rebuilds_on_start(self):
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Corravin Lighthouse Board"},
                        "type": "cso", "tags": ["corravin"], "country": "PT"}, user="ana")
        self.assertStatus(r, 201)
        self.s.stop()
        # the index as another description of the facets left it: another fingerprint, no facet values
        db = sqlite3.connect(self.s.db)
        db.execute("UPDATE search_shape SET fingerprint = 'format 1, 2 columns'")
        db.execute("UPDATE search_docs SET facets = NULL")
        db.commit()
        total = db.execute("SELECT count(*) FROM search_docs").fetchone()[0]
        db.close()
        self.s.start()
        with open(os.path.join(self.s.dir, "server.log")) as f:
            log = f.read()
        self.assertIn("search: rebuilding the index for changed facets and weights: %d of %d records" % (total, total),
                      log)
        out = self.s.get("/api/v1/search?q=corravin", user="ana").json()
        self.assertEqual(out["facets"]["tags"], {"corravin": 1})
        self.assertEqual(out["facets"]["country"], {"PT": 1})
        # started again with the same description: nothing to rebuild
        self.s.stop()
        self.s.start()
        with open(os.path.join(self.s.dir, "server.log")) as f:
            self.assertEqual(f.read().count("search: rebuilding"), 1)
