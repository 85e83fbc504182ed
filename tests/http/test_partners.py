"""The partner registry: duplicates, relationships read from either end, interactions and
timelines, vCards, personal data (export and erasure) and the audit API."""

import json
import os
import re
import subprocess
import urllib.parse

from harness import ServerTest, all_items, audit_of, cli


class Duplicates(ServerTest):
    def test_same_name_after_folding_is_409_with_the_candidate(self):
        first = self.s.post("/api/v1/organizations", {"name": {"en": "Organisation Internationale pour les Migrations Fictives"}, "type": "igo"}, user="ana")
        self.assertStatus(first, 201)
        fid = first.json()["id"]
        body = {"name": {"en": "organisation internationale pour les migrations fictives"}, "type": "igo"}
        r = self.s.post("/api/v1/organizations", body, user="bruno")
        p = self.assertProblem(r, 409)
        ids = [c["id"] for c in p["candidates"]]
        self.assertIn(fid, ids)
        top = p["candidates"][0]
        self.assertEqual(top["id"], fid)
        self.assertEqual(top["title"], "Organisation Internationale pour les Migrations Fictives")
        self.assertGreaterEqual(top["score"], 0.85)
        self.assertFalse(any(o["name"]["en"] == body["name"]["en"] for o in all_items(self.s, "/api/v1/organizations")))
        # accents and punctuation fold too
        r = self.s.post("/api/v1/organizations", {"name": {"en": "Organisation internationale, pour les Migrations fictives!"}, "type": "igo"}, user="bruno")
        self.assertIn(fid, [c["id"] for c in self.assertProblem(r, 409)["candidates"]])
        forced = self.s.post("/api/v1/organizations?force=true", body, user="bruno")
        self.assertStatus(forced, 201)
        self.assertNotEqual(forced.json()["id"], fid)

    def test_same_acronym_is_409(self):
        a = self.org("Tessaly Harbour Workers' League", acronym="THWL")
        r = self.s.post("/api/v1/organizations", {"name": {"en": "Quayside Stevedores Union"}, "acronym": "thwl", "type": "cso"}, user="ana")
        p = self.assertProblem(r, 409)
        self.assertIn(a["id"], [c["id"] for c in p["candidates"]])
        self.assertEqual([c["reason"] for c in p["candidates"] if c["id"] == a["id"]], ["same acronym"])

    def test_a_telling_word_finds_its_duplicate_among_many_sharing_the_common_ones(self):
        post = lambda name, force=True: self.s.post("/api/v1/organizations" + ("?force=true" if force else ""),
                                                    {"name": {"en": name}, "type": "cso"}, user="ana")
        first = post("Kestrel Harbour Migration Council").json()["id"]
        for i in range(105):   # "kestrel", "harbour", "migration", "council": each in more records than are compared
            self.assertStatus(post("Kestrel Harbour Migration Council Alder%03d" % i), 201)
        last = post("Quoddy Kestrel Harbour Migration Council").json()["id"]
        # a rare word: its records are the candidates, however late they came
        p = self.assertProblem(post("The Quoddy Kestrel Harbour Migration Council", force=False), 409)
        self.assertEqual(p["candidates"][0]["id"], last)
        # nothing rarer than the common words (nor the same initials): their first records are still compared
        p = self.assertProblem(post("Migration Council of Kestrel Harbour", force=False), 409)
        self.assertEqual(p["candidates"][0]["id"], first)
        self.assertEqual(p["candidates"][0]["score"], 1.0)

    def test_different_names_are_not_duplicates(self):
        self.org("Marova Migrant Aid")
        self.assertStatus(self.s.post("/api/v1/organizations", {"name": {"en": "Zellbridge Seafarers Chapel"}, "type": "cso"}, user="ana"), 201)

    def test_archived_records_are_not_candidates(self):
        a = self.org("Archived Lighthouse Keepers Trust")
        self.assertStatus(self.s.delete("/api/v1/organizations/%d" % a["id"], user="ana"), 204)
        self.assertStatus(self.s.post("/api/v1/organizations", {"name": {"en": "Archived Lighthouse Keepers Trust"}, "type": "cso"}, user="ana"), 201)

    def test_person_with_the_same_email_is_409(self):
        a = self.s.post("/api/v1/persons", {"given_name": "Amina", "family_name": "Okonkwo-Ferreira", "emails": ["Amina.Okonkwo@tessaly-league.example"]}, user="ana")
        self.assertStatus(a, 201)
        r = self.s.post("/api/v1/persons", {"given_name": "Joaquim", "family_name": "Baptiste-Lund", "emails": ["amina.okonkwo@tessaly-league.example"]}, user="bruno")
        p = self.assertProblem(r, 409)
        cand = [c for c in p["candidates"] if c["id"] == a.json()["id"]]
        self.assertEqual(len(cand), 1)
        self.assertEqual(cand[0]["reason"], "same e-mail address")
        self.assertStatus(self.s.post("/api/v1/persons?force=true", {"given_name": "Joaquim", "family_name": "Baptiste-Lund", "emails": ["amina.okonkwo@tessaly-league.example"]}, user="bruno"), 201)


class Relationships(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = cls.s.post("/api/v1/organizations?force=true", {"name": {"en": "Velden Refugee Council"}, "type": "cso"}, user="ana").json()
        cls.o2 = cls.s.post("/api/v1/organizations?force=true", {"name": {"en": "Pellan Donor Consortium"}, "type": "donor_agency"}, user="ana").json()
        cls.p = cls.s.post("/api/v1/persons?force=true", {"given_name": "Amina", "family_name": "Okonkwo-Ferreira"}, user="ana").json()

    def test_works_for_reads_right_from_both_ends(self):
        r = self.s.post("/api/v1/relationships", {"type": "works_for", "from_person": self.p["id"], "to_organization": self.o["id"], "start_date": "2024-01-15"}, user="ana")
        self.assertStatus(r, 201)
        rel = r.json()
        items = self.s.get("/api/v1/organizations/%d/relationships" % self.o["id"], user="dora").json()["items"]
        mine = [i for i in items if i["id"] == rel["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["direction"], "reverse")
        self.assertEqual(mine[0]["label"], {"en": "employs", "fr": "emploie", "es": "emplea a"})
        self.assertEqual(mine[0]["other"], {"kind": "persons", "id": self.p["id"]})
        items = self.s.get("/api/v1/persons/%d/relationships" % self.p["id"], user="dora").json()["items"]
        mine = [i for i in items if i["id"] == rel["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["direction"], "forward")
        self.assertEqual(mine[0]["label"]["en"], "works for")
        self.assertEqual(mine[0]["other"], {"kind": "organizations", "id": self.o["id"]})

    def test_organization_to_organization_funds(self):
        r = self.s.post("/api/v1/relationships", {"type": "funds", "from_organization": self.o2["id"], "to_organization": self.o["id"]}, user="ana")
        self.assertStatus(r, 201)
        rid = r.json()["id"]
        funded = [i for i in self.s.get("/api/v1/organizations/%d/relationships" % self.o["id"], user="ana").json()["items"] if i["id"] == rid][0]
        self.assertEqual((funded["direction"], funded["label"]["en"], funded["other"]), ("reverse", "funded by", {"kind": "organizations", "id": self.o2["id"]}))
        funder = [i for i in self.s.get("/api/v1/organizations/%d/relationships" % self.o2["id"], user="ana").json()["items"] if i["id"] == rid][0]
        self.assertEqual((funder["direction"], funder["label"]["en"]), ("forward", "funds"))
        # not among the person's
        self.assertNotIn(rid, [i["id"] for i in self.s.get("/api/v1/persons/%d/relationships" % self.p["id"], user="ana").json()["items"]])

    def test_both_ends_the_same_is_422(self):
        r = self.s.post("/api/v1/relationships", {"type": "partner_of", "from_organization": self.o["id"], "to_organization": self.o["id"]}, user="ana")
        self.assertProblem(r, 422, "to_organization")
        r = self.s.post("/api/v1/relationships", {"type": "partner_of", "from_person": self.p["id"], "to_person": self.p["id"]}, user="ana")
        self.assertProblem(r, 422, "to_organization")

    def test_end_before_start_is_422(self):
        r = self.s.post("/api/v1/relationships", {"type": "works_for", "from_person": self.p["id"], "to_organization": self.o2["id"], "start_date": "2025-06-01", "end_date": "2025-05-31"}, user="ana")
        self.assertProblem(r, 422, "end_date")
        # changing an existing one the same way is refused too
        ok = self.s.post("/api/v1/relationships", {"type": "works_for", "from_person": self.p["id"], "to_organization": self.o2["id"], "start_date": "2025-06-01"}, user="ana").json()
        self.assertProblem(self.s.patch("/api/v1/relationships/%d" % ok["id"], {"end_date": "2020-01-01"}, ok["version"], user="ana"), 422, "end_date")
        self.assertIsNone(self.s.get("/api/v1/relationships/%d" % ok["id"], user="ana").json()["end_date"])

    def test_ends_must_be_exactly_one_each(self):
        r = self.s.post("/api/v1/relationships", {"type": "member_of", "from_person": self.p["id"], "from_organization": self.o["id"], "to_organization": self.o2["id"]}, user="ana")
        self.assertProblem(r, 422, "from_organization")
        r = self.s.post("/api/v1/relationships", {"type": "member_of", "from_person": self.p["id"]}, user="ana")
        self.assertProblem(r, 422, "to_organization")
        r = self.s.post("/api/v1/relationships", {"type": "adores", "from_person": self.p["id"], "to_organization": self.o["id"]}, user="ana")
        self.assertProblem(r, 422, "type")
        r = self.s.post("/api/v1/relationships", {"type": "works_for", "from_person": 999999, "to_organization": self.o["id"]}, user="ana")
        self.assertProblem(r, 422, "from_person")


class Interactions(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = cls.s.post("/api/v1/organizations?force=true", {"name": {"en": "Quillon Diaspora Forum"}, "type": "cso"}, user="ana").json()
        cls.other = cls.s.post("/api/v1/organizations?force=true", {"name": {"en": "Orsk Labour Mobility Office"}, "type": "government"}, user="ana").json()

    def interaction(self, date, subject, participants, **extra):
        body = {"date": date, "kind": "meeting", "subject": subject, "participants": participants}
        body.update(extra)
        r = self.s.post("/api/v1/interactions", body, user="ana")
        self.assertStatus(r, 201)
        return r.json()

    def test_timeline_lists_its_interactions_newest_first(self):
        self.o = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Timeline Harbour Mission"}, "type": "permanent_mission"}, user="ana").json()
        host = [{"kind": "organizations", "id": self.o["id"], "role": "host"}]
        a = self.interaction("2025-05-01", "Spring consultation", host)
        b = self.interaction("2026-01-15", "New year briefing", host)
        c = self.interaction("2024-11-30", "First contact", host + [{"kind": "organizations", "id": self.other["id"], "role": "guest"}])
        elsewhere = self.interaction("2026-02-01", "Unrelated visit", [{"kind": "organizations", "id": self.other["id"], "role": "host"}])
        self.assertEqual(a["participants"], [{"kind": "organizations", "id": self.o["id"], "role": "host"}])
        r = self.s.get("/api/v1/organizations/%d/timeline" % self.o["id"], user="emil")
        self.assertStatus(r, 200)
        items = r.json()["items"]
        self.assertEqual([i["record"]["id"] for i in items], [b["id"], a["id"], c["id"]])
        self.assertEqual({i["kind"] for i in items}, {"interactions"})
        self.assertNotIn(elsewhere["id"], [i["record"]["id"] for i in items])
        self.assertEqual([i["date"] for i in items], ["2026-01-15", "2025-05-01", "2024-11-30"])
        # paging the timeline one by one gives the same order
        page = self.s.get("/api/v1/organizations/%d/timeline?limit=1" % self.o["id"], user="ana").json()
        self.assertEqual([i["record"]["id"] for i in page["items"]], [b["id"]])
        page = self.s.get("/api/v1/organizations/%d/timeline?limit=1&cursor=%s" % (self.o["id"], page["next_cursor"]), user="ana").json()
        self.assertEqual([i["record"]["id"] for i in page["items"]], [a["id"]])
        page = self.s.get("/api/v1/organizations/%d/timeline?limit=1&cursor=%s" % (self.o["id"], page["next_cursor"]), user="ana").json()
        self.assertEqual([i["record"]["id"] for i in page["items"]], [c["id"]])
        self.assertIsNone(page["next_cursor"])   # the last page says so
        self.assertProblem(self.s.get("/api/v1/organizations/%d/timeline?cursor=bm90LW91cnM" % self.o["id"], user="ana"), 400)
        # an archived interaction leaves the timeline
        self.assertStatus(self.s.delete("/api/v1/interactions/%d" % a["id"], user="ana"), 204)
        items = self.s.get("/api/v1/organizations/%d/timeline" % self.o["id"], user="ana").json()["items"]
        self.assertEqual([i["record"]["id"] for i in items], [b["id"], c["id"]])

    def test_timeline_of_a_missing_organization_is_404(self):
        self.assertProblem(self.s.get("/api/v1/organizations/999999/timeline", user="ana"), 404)
        self.assertProblem(self.s.get("/api/v1/organizations/999999/relationships", user="ana"), 404)
        self.assertProblem(self.s.get("/api/v1/persons/999999/relationships", user="ana"), 404)

    def test_domain_routes_without_credentials_are_401(self):
        for path in ("/api/v1/organizations/%d/timeline" % self.o["id"], "/api/v1/organizations/%d/relationships" % self.o["id"]):
            with self.subTest(path=path):
                r = self.s.get(path)
                self.assertProblem(r, 401)
                self.assertTrue(r.header("WWW-Authenticate"))

    def test_bad_participants_are_422(self):
        before = len(all_items(self.s, "/api/v1/interactions?archived=true"))
        for participants in ([{"kind": "countries", "id": 1, "role": "host"}],
                             [{"kind": "planets", "id": 1}],
                             [{"kind": "organizations", "role": "host"}],
                             [{"kind": "organizations", "id": "12"}],
                             [{"kind": "organizations", "id": 999999, "role": "host"}],
                             [{"kind": "organizations", "id": self.o["id"], "role": 7}],
                             ["organizations"]):
            with self.subTest(participants=participants):
                r = self.s.post("/api/v1/interactions", {"date": "2026-03-03", "kind": "call", "subject": "Bad link", "participants": participants}, user="ana")
                self.assertProblem(r, 422, "participants[0]")
        self.assertProblem(self.s.post("/api/v1/interactions", {"date": "2026-03-03", "kind": "call", "subject": "Bad link", "participants": {"kind": "organizations"}}, user="ana"), 422, "participants")
        self.assertEqual(len(all_items(self.s, "/api/v1/interactions?archived=true")), before)

    def test_follow_up_of_an_interaction(self):
        i = self.interaction("2026-03-10", "Call on the joint programme", [{"kind": "organizations", "id": self.o["id"], "role": "caller"}])
        ana = self.s.get("/api/v1/users/ana", user="ana").json()["id"]
        r = self.s.post("/api/v1/follow-ups", {"interaction": i["id"], "task": "Send the draft", "owner": ana, "due_date": "2026-03-20", "status": "open"}, user="ana")
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["interaction"], i["id"])
        self.assertProblem(self.s.post("/api/v1/follow-ups", {"interaction": 999999, "task": "x", "owner": ana, "due_date": "2026-03-20", "status": "open"}, user="ana"), 422, "interaction")
        self.assertProblem(self.s.post("/api/v1/follow-ups", {"task": "x", "owner": ana, "due_date": "2026-03-20", "status": "pending"}, user="ana"), 422, "status")


def unfold(text):
    return text.replace("\r\n ", "").replace("\r\n\t", "")


VCARD_CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vcard_check.mjs")
UUID_URN = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def read_cards(test, body):
    """The cards as an independent vCard 4.0 parser (ical.js) reads them: a list of
    {property: [(params, value type, values), ...]}; the test fails when it refuses them.
    The octets are checked here too: CRLF line ends, no line over 75 octets."""
    raw = body.encode("utf-8")
    test.assertTrue(raw.endswith(b"\r\n"))
    for physical in raw[:-2].split(b"\r\n"):
        test.assertLessEqual(len(physical), 75, physical)
        test.assertNotIn(b"\n", physical)
        test.assertNotIn(b"\r", physical)
        physical.decode("utf-8")
    proc = subprocess.run(["node", VCARD_CHECK], input=body, capture_output=True, text=True, timeout=60)
    test.assertEqual(proc.returncode, 0, proc.stderr)
    cards = []
    for _, props, _ in json.loads(proc.stdout):
        card = {}
        for name, params, vtype, *values in props:
            card.setdefault(name, []).append((params, vtype, values))
        cards.append(card)
    return cards


def value(card, name):
    """The one value of a property that occurs once (a list for structured values)."""
    (_, _, values), = card[name]
    return values[0]


class VCards(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = cls.s.post("/api/v1/organizations?force=true", {"name": {"en": "Tessaly Harbour Workers' League", "fr": "Ligue des travailleurs du port de Tessaly"}, "type": "cso"}, user="ana").json()
        # named only in French, with an address in Switzerland
        cls.fr = cls.s.post("/api/v1/organizations?force=true", {"name": {"fr": "Conseil des ports fictifs; section Léman"}, "type": "cso",
                                                                 "country": "CH", "address": "Quai des Exemples 4, CP 12\n1211 Genève 2"}, user="ana").json()
        cls.people = []
        for given, family, email in (("Amina", "Okonkwo-Ferreira", "amina.okonkwo@tessaly-league.example"),
                                     ("Joaquim", "Baptiste-Lund", "j.baptiste@tessaly-league.example"),
                                     ("Sólveig", "Arnadóttir; Vega", "solveig@tessaly-league.example")):
            r = cls.s.post("/api/v1/persons?force=true", {"given_name": given, "family_name": family, "emails": [email],
                                                          "organization": cls.o["id"], "position": "Liaison officer, Geneva"}, user="ana")
            assert r.status == 201, r
            cls.people.append(r.json())
        cls.s.post("/api/v1/persons?force=true", {"family_name": "Elsewhere-Person"}, user="ana")
        cls.lena = cls.s.post("/api/v1/persons?force=true", {
            "given_name": "Léna", "family_name": "Vuilleumier-Kask", "organization": cls.fr["id"],
            "phones": ["022 717 91 11", "+41 (0)22 717 91 12 ext. 204", "717 91 13", "switchboard"],
            "tags": ["ports", "rcp, Europe"]}, user="ana").json()
        cls.remy = cls.s.post("/api/v1/persons?force=true", {
            "given_name": "Rémy", "family_name": "Ostrander", "country": "FR", "organization": cls.fr["id"],
            "phones": ["022 717 91 14"]}, user="ana").json()
        cls.noor = cls.s.post("/api/v1/persons?force=true", {
            "given_name": "Noor", "family_name": "Halvorsen-Aziz", "country": "US", "phones": ["(212) 555-0147"]},
            user="ana").json()

    def card_of(self, pid, user="ana"):
        r = self.s.get("/api/v1/persons/%d/vcard" % pid, user=user)
        self.assertStatus(r, 200)
        cards = read_cards(self, r.body)
        self.assertEqual(len(cards), 1)
        return cards[0]

    def test_one_person_as_vcard_4(self):
        p = self.people[0]
        r = self.s.get("/api/v1/persons/%d/vcard" % p["id"], user="dora")
        self.assertStatus(r, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/vcard"), r.header("Content-Type"))
        self.assertTrue(r.body.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n"), r.body[:60])
        self.assertTrue(r.body.endswith("END:VCARD\r\n"))
        card, = read_cards(self, r.body)
        self.assertEqual(value(card, "fn"), "Amina Okonkwo-Ferreira")
        self.assertEqual(value(card, "n"), ["Okonkwo-Ferreira", "Amina", "", "", ""])
        self.assertEqual(card["org"], [({"language": "en"}, "text", ["Tessaly Harbour Workers' League"])])
        self.assertEqual(value(card, "title"), "Liaison officer, Geneva")
        self.assertEqual(value(card, "email"), "amina.okonkwo@tessaly-league.example")
        self.assertRegex(value(card, "uid"), UUID_URN)

    def test_uid_is_stable_and_one_per_person(self):
        uids = [value(self.card_of(p["id"]), "uid") for p in self.people]
        self.assertEqual(len(set(uids)), len(uids))
        for p, uid in zip(self.people, uids):
            self.assertEqual(value(self.card_of(p["id"], user="carmen"), "uid"), uid)  # every export, every reader
        # a change to the person keeps it
        self.assertStatus(self.s.patch("/api/v1/persons/%d" % self.people[1]["id"], {"position": "Adviser"},
                                       self.people[1]["version"], user="ana"), 200)
        self.assertEqual(value(self.card_of(self.people[1]["id"]), "uid"), uids[1])

    def test_org_in_the_first_language_it_has_and_its_address(self):
        card = self.card_of(self.lena["id"])
        self.assertEqual(card["org"], [({"language": "fr"}, "text", ["Conseil des ports fictifs; section Léman"])])
        (params, _, (adr,)), = card["adr"]
        self.assertEqual(params, {"type": "work"})
        self.assertEqual(adr, ["", "", "Quai des Exemples 4, CP 12\n1211 Genève 2", "", "", "", "Switzerland"])
        self.assertEqual(card["categories"][0][2], ["ports", "rcp, Europe"])

    def test_telephone_numbers_in_e164(self):
        tels = [(params.get("pref"), vtype, values[0]) for params, vtype, values in self.card_of(self.lena["id"])["tel"]]
        self.assertEqual(tels, [("1", "uri", "tel:+41227179111"),          # national, read with the organization's country
                                (None, "uri", "tel:+41227179112;ext=204"),
                                (None, "text", "717 91 13"),               # no area code: not invented
                                (None, "text", "switchboard")])
        self.assertEqual(self.card_of(self.noor["id"])["tel"], [({"type": "work", "pref": "1"}, "uri", ["tel:+12125550147"])])
        # work numbers and the work address are the organization's, whatever the person's own country
        remy = self.card_of(self.remy["id"])
        self.assertEqual(remy["tel"][0][2], ["tel:+41227179114"])
        self.assertEqual(value(remy, "adr")[6], "Switzerland")
        # the person's own country, without an organization, is the address too
        self.assertEqual(value(self.card_of(self.noor["id"]), "adr"), ["", "", "", "", "", "", "United States"])

    def test_text_values_are_escaped(self):
        r = self.s.get("/api/v1/persons/%d/vcard" % self.people[2]["id"], user="ana")
        lines = unfold(r.body).split("\r\n")
        self.assertIn("FN:Sólveig Arnadóttir; Vega", lines)  # a ';' is escaped only where it would separate fields
        self.assertIn("N:Arnadóttir\\; Vega;Sólveig;;;", lines)
        self.assertEqual(value(read_cards(self, r.body)[0], "fn"), "Sólveig Arnadóttir; Vega")

    def test_long_values_fold_without_splitting_characters(self):
        note = "Rencontrée à Genève; intérêt pour l'accord, suivi prévu. " * 6 + "日本語のメモ" * 10
        r = self.s.post("/api/v1/persons?force=true", {"given_name": "Éléonore", "family_name": "Château-Brévent",
                                                       "notes": note}, user="ana")
        self.assertStatus(r, 201)
        card = self.s.request("GET", "/api/v1/persons/%d/vcard" % r.json()["id"], user="ana")
        self.assertStatus(card, 200)
        self.assertNotIn("\ufffd", card.body)
        self.assertEqual(value(read_cards(self, card.body)[0], "note"), note)
        lines = unfold(card.body).split("\r\n")
        want = "NOTE:" + note.replace(",", "\\,")
        self.assertIn(want, lines)

    def test_vcards_of_an_organization(self):
        r = self.s.get("/api/v1/persons/vcard?organization=%d" % self.o["id"], user="ana")
        self.assertStatus(r, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/vcard"))
        self.assertEqual(r.body.count("BEGIN:VCARD\r\n"), 3)
        self.assertEqual(r.body.count("END:VCARD\r\n"), 3)
        self.assertNotIn("Elsewhere-Person", r.body)
        self.assertIsNone(r.header("Link"))  # one page holds them all
        uids = {value(c, "uid") for c in read_cards(self, r.body)}
        self.assertEqual(uids, {value(self.card_of(p["id"]), "uid") for p in self.people})

    def test_list_export_is_paged(self):
        org = self.s.post("/api/v1/organizations?force=true", {"name": {"es": "Liga Ficticia de Puertos"}, "type": "cso"}, user="ana").json()
        ids = [self.s.post("/api/v1/persons?force=true", {"family_name": "Paged-%02d" % i, "organization": org["id"]},
                           user="ana").json()["id"] for i in range(7)]
        path = "/api/v1/persons/vcard?organization=%d&limit=3&sort=-family_name" % org["id"]
        names, pages = [], 0
        while path:
            r = self.s.get(path, user="ana")
            self.assertStatus(r, 200)
            pages += 1
            names += [value(c, "fn") for c in read_cards(self, r.body)]
            self.assertEqual({value(c, "org") for c in read_cards(self, r.body)}, {"Liga Ficticia de Puertos"})
            link = r.header("Link")
            if not link:
                self.assertIsNone(r.header("X-Next-Cursor"))
                break
            m = re.fullmatch(r'<(/api/v1/persons/vcard\?[^>]*)>; rel="next"', link)
            self.assertIsNotNone(m, link)
            path = m.group(1)
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
            self.assertEqual(query["cursor"], [r.header("X-Next-Cursor")])
            self.assertEqual(query["organization"], [str(org["id"])])  # the filter, sort and limit carry over
            self.assertEqual(query["limit"], ["3"])
            self.assertEqual(query["sort"], ["-family_name"])
        self.assertEqual(pages, 3)
        self.assertEqual(names, ["Paged-%02d" % i for i in reversed(range(7))])  # each once, in order
        self.assertEqual(len(ids), 7)

    def test_list_export_bad_paging_is_400(self):
        for query in ("limit=0", "limit=501", "limit=x", "cursor=not-a-cursor", "sort=nosuchfield"):
            with self.subTest(query=query):
                self.assertProblem(self.s.get("/api/v1/persons/vcard?" + query, user="ana"), 400)

    def test_vcard_of_a_missing_person_is_404(self):
        self.assertProblem(self.s.get("/api/v1/persons/999999/vcard", user="ana"), 404)

    def test_vcards_without_credentials_are_401(self):
        for path in ("/api/v1/persons/%d/vcard" % self.people[0]["id"], "/api/v1/persons/vcard?organization=%d" % self.o["id"],
                     "/api/v1/persons/%d/relationships" % self.people[0]["id"]):
            with self.subTest(path=path):
                r = self.s.get(path)
                self.assertProblem(r, 401)
                self.assertNotIn("Okonkwo", r.body)


class PersonalData(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        cls.o = s.post("/api/v1/organizations?force=true", {"name": {"en": "Marova Migrant Aid"}, "type": "cso"}, user="ana").json()
        cls.email = "amina.okonkwo.private@marova-aid.example"
        cls.p = s.post("/api/v1/persons", {"honorific": "Dr", "given_name": "Amina", "family_name": "Okonkwo-Ferreira",
                                           "position": "Head of Programmes", "organization": cls.o["id"], "country": "SN",
                                           "emails": [cls.email], "phones": ["+221 33 555 01 23"], "languages": ["fr", "en"],
                                           "notes": "Met at the Dakar consultation", "tags": ["speaker"]}, user="ana").json()
        pid = cls.p["id"]
        r = s.patch("/api/v1/persons/%d" % pid, {"position": "Director of Programmes"}, 1, user="ana")
        assert r.status == 200, r
        cls.rel = s.post("/api/v1/relationships", {"type": "works_for", "from_person": pid, "to_organization": cls.o["id"]}, user="ana").json()
        cls.inter = s.post("/api/v1/interactions", {"date": "2026-02-02", "kind": "call", "subject": "Programme review",
                                                    "participants": [{"kind": "persons", "id": pid, "role": "speaker"}]}, user="ana").json()

    def test_1_export_holds_person_relationships_interactions_and_audit(self):
        for user in ("carmen", "root"):
            with self.subTest(user=user):
                r = self.s.get("/api/v1/persons/%d/export" % self.p["id"], user=user)
                self.assertStatus(r, 200)
                self.assertIn("attachment", r.header("Content-Disposition"))
                doc = r.json()
                self.assertEqual(set(doc), {"kind", "record", "referring", "audit", "mail"})
                self.assertEqual(doc["mail"], [])   # nothing was ever sent to this person
                self.assertEqual((doc["kind"], doc["record"]["emails"]), ("persons", [self.email]))
                self.assertEqual(set(doc["referring"]), {"relationships", "interactions"})
                self.assertEqual([x["id"] for x in doc["referring"]["relationships"]], [self.rel["id"]])
                self.assertEqual([x["id"] for x in doc["referring"]["interactions"]], [self.inter["id"]])
                self.assertEqual([(a["action"], a["version"]) for a in doc["audit"]], [("update", 2), ("create", 1)])

    def test_1_export_is_for_admins_and_directors_only(self):
        for user in ("ana", "bruno", "dora", "emil"):
            with self.subTest(user=user):
                self.assertProblem(self.s.get("/api/v1/persons/%d/export" % self.p["id"], user=user), 403)
        self.assertProblem(self.s.get("/api/v1/persons/%d/export" % self.p["id"]), 401)
        self.assertProblem(self.s.get("/api/v1/persons/999999/export", user="root"), 404)

    def test_1_erase_is_for_admins_and_directors_only(self):
        for user in ("ana", "dora"):
            self.assertProblem(self.s.post("/api/v1/persons/%d/erase" % self.p["id"], user=user), 403)
        self.assertEqual(self.s.get("/api/v1/persons/%d" % self.p["id"], user="ana").json()["emails"], [self.email])

    def test_2_erase_empties_personal_fields_and_the_audit_trail(self):
        pid = self.p["id"]
        r = self.s.post("/api/v1/persons/%d/erase" % pid, user="root")
        self.assertStatus(r, 200)
        after = self.s.get("/api/v1/persons/%d" % pid, user="ana").json()
        for field in ("honorific", "given_name", "position", "emails", "phones", "languages", "notes"):
            self.assertIsNone(after[field], field)
        self.assertEqual(after["family_name"], "[erased]")
        # what is not personal stays
        self.assertEqual((after["organization"], after["country"], after["tags"]), (self.o["id"], "SN", ["speaker"]))
        self.assertEqual(after["version"], 3)
        # the chain still verifies
        v = cli(self.s.db, "audit", "verify", check=False)
        self.assertEqual(v.returncode, 0, v.stderr)
        self.assertTrue(v.stdout.startswith("audit log sound:"), v.stdout)
        # nothing of the old values in the person's audit trail
        trail = self.s.get("/api/v1/audit?kind=persons&id=%d&limit=500" % pid, user="root")
        self.assertStatus(trail, 200)
        for old in (self.email, "Amina", "Okonkwo", "Programmes", "555 01 23", "Dakar"):
            self.assertNotIn(old, trail.body)
        entries = trail.json()["items"]
        self.assertEqual([e["action"] for e in entries], ["erase", "redact", "update", "create"])
        # the erasure names the entries it redacted, which is what lets the chain vouch for them
        self.assertEqual(entries[1]["changes"], {"entries": [entries[3]["id"], entries[2]["id"]]})
        self.assertIn("emails", entries[0]["changes"])
        self.assertEqual(entries[0]["changes"]["emails"], {"erased": True})
        # the export now holds nothing of it either
        doc = self.s.get("/api/v1/persons/%d/export" % pid, user="carmen")
        for old in (self.email, "Amina", "Okonkwo", "Dakar"):
            self.assertNotIn(old, doc.body)
        # the vCard neither
        card = self.s.get("/api/v1/persons/%d/vcard" % pid, user="ana")
        self.assertNotIn(self.email, card.body)
        self.assertNotIn("Amina", card.body)

    def test_3_the_erased_email_no_longer_matches_as_a_duplicate(self):
        r = self.s.post("/api/v1/persons", {"given_name": "Bea", "family_name": "Lindqvist-Moreau", "emails": [self.email]}, user="ana")
        self.assertStatus(r, 201)


class AuditApi(ServerTest):
    def test_staff_read_the_trail_of_their_own_division_only(self):
        rec = self.org("Zellbridge Seafarers Chapel")  # ana's: division IPD
        self.assertStatus(self.s.patch("/api/v1/organizations/%d" % rec["id"], {"acronym": "ZSC"}, 1, user="ana"), 200)
        path = "/api/v1/audit?kind=organizations&id=%d" % rec["id"]
        for user, status in (("ana", 200), ("dora", 200), ("bruno", 403), ("emil", 403), ("carmen", 200), ("root", 200)):
            with self.subTest(user=user):
                r = self.s.get(path, user=user)
                if status == 200:
                    self.assertStatus(r, 200)
                    self.assertEqual(len(r.json()["items"]), 2)
                else:
                    self.assertProblem(r, status)
        self.assertProblem(self.s.get(path), 401)

    def test_entries_have_hash_and_changes_before_after_newest_first(self):
        rec = self.org("Velden Port Authority")
        self.assertStatus(self.s.patch("/api/v1/organizations/%d" % rec["id"], {"acronym": "VPA", "name": {"fr": "Autorité portuaire de Velden"}}, 1, user="ana"), 200)
        entries = audit_of(self.s, "organizations", rec["id"])
        self.assertEqual([(e["action"], e["version"]) for e in entries], [("update", 2), ("create", 1)])
        for e in entries:
            self.assertRegex(e["hash"], r"^[0-9a-f]{64}$")
            self.assertEqual((e["kind"], e["record_id"], e["user"]), ("organizations", rec["id"], "ana"))
            self.assertRegex(e["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        upd = entries[0]["changes"]
        self.assertEqual(upd["acronym"], {"before": None, "after": "VPA"})
        self.assertEqual(upd["name_fr"], {"before": None, "after": "Autorité portuaire de Velden"})
        self.assertNotIn("name_en", upd)  # unchanged fields are not listed
        self.assertEqual(entries[1]["changes"]["name_en"], {"before": None, "after": "Velden Port Authority"})
        self.assertNotEqual(entries[0]["hash"], entries[1]["hash"])

    def test_whole_log_is_for_admins(self):
        r = self.s.get("/api/v1/audit?limit=5", user="root")
        self.assertStatus(r, 200)
        items = r.json()["items"]
        self.assertEqual(len(items), 5)
        self.assertEqual([e["id"] for e in items], sorted((e["id"] for e in items), reverse=True))
        nxt = self.s.get("/api/v1/audit?limit=5&cursor=%s" % r.json()["next_cursor"], user="root").json()["items"]
        self.assertTrue(all(e["id"] < items[-1]["id"] for e in nxt))
        for user in ("ana", "carmen", "dora"):
            self.assertProblem(self.s.get("/api/v1/audit", user=user), 403)

    def test_audit_of_a_missing_record_is_404_and_bad_ids_400(self):
        self.assertProblem(self.s.get("/api/v1/audit?kind=organizations&id=999999", user="root"), 404)
        self.assertProblem(self.s.get("/api/v1/audit?kind=organizations&id=abc", user="root"), 400)
        self.assertProblem(self.s.get("/api/v1/audit?kind=planets&id=1", user="root"), 404)
