"""Merging two organizations or two persons, and undoing it."""
from harness import ServerTest


class Merge(ServerTest):
    def person(self, family, org=None, **fields):
        body = {"family_name": family, "given_name": fields.pop("given", "Amina")}
        if org:
            body["organization"] = org
        body.update(fields)
        r = self.s.post("/api/v1/persons?force=true", body, user="ana")
        self.assertStatus(r, 201)
        return r.json()

    def test_merge_moves_everything_and_undo_puts_it_back(self):
        keep = self.org("Corvel Migrant Workers Network", tags=["labour"])
        gone = self.org("Corvel Migrant Workers' Network", tags=["rcp"], website="https://corvel.example.org", acronym="CMWN")
        child = self.org("Corvel Youth Branch", parent=gone["id"])
        p = self.person("Okonkwo-Ferreira", org=gone["id"])
        rel = self.s.post("/api/v1/relationships", {"type": "funds", "from_organization": gone["id"], "to_organization": child["id"]}, user="ana").json()
        inter = self.s.post("/api/v1/interactions", {"date": "2026-03-04", "kind": "meeting", "subject": "Annual consultation",
                                                      "participants": [{"kind": "organizations", "id": gone["id"], "role": "host"}]}, user="ana").json()

        r = self.s.post("/api/v1/merges", {"kind": "organizations", "keep": keep["id"], "merge": gone["id"]}, user="ana")
        self.assertStatus(r, 201)
        merge = r.json()
        self.assertEqual(r.header("Location"), "/api/v1/merges/%d" % merge["id"])
        self.assertEqual(merge["moved"], 4)

        k = self.s.get("/api/v1/organizations/%d" % keep["id"], user="ana").json()
        self.assertEqual(sorted(k["tags"]), ["labour", "rcp"])
        self.assertEqual(k["website"], "https://corvel.example.org")
        self.assertTrue(self.s.get("/api/v1/organizations/%d" % gone["id"], user="ana").json()["archived"])
        self.assertEqual(self.s.get("/api/v1/organizations/%d" % child["id"], user="ana").json()["parent"], keep["id"])
        self.assertEqual(self.s.get("/api/v1/persons/%d" % p["id"], user="ana").json()["organization"], keep["id"])
        self.assertEqual(self.s.get("/api/v1/relationships/%d" % rel["id"], user="ana").json()["from_organization"], keep["id"])
        timeline = self.s.get("/api/v1/organizations/%d/timeline" % keep["id"], user="ana").json()["items"]
        self.assertIn(inter["id"], [i["record"]["id"] for i in timeline])

        r = self.s.post("/api/v1/merges/%d/undo" % merge["id"], user="ana")
        self.assertStatus(r, 200)
        self.assertTrue(r.json()["undone_at"])
        k = self.s.get("/api/v1/organizations/%d" % keep["id"], user="ana").json()
        self.assertEqual(k["tags"], ["labour"])
        self.assertIsNone(k["website"])
        self.assertFalse(self.s.get("/api/v1/organizations/%d" % gone["id"], user="ana").json()["archived"])
        self.assertEqual(self.s.get("/api/v1/persons/%d" % p["id"], user="ana").json()["organization"], gone["id"])
        self.assertEqual(self.s.get("/api/v1/organizations/%d" % child["id"], user="ana").json()["parent"], gone["id"])
        timeline = self.s.get("/api/v1/organizations/%d/timeline" % gone["id"], user="ana").json()["items"]
        self.assertIn(inter["id"], [i["record"]["id"] for i in timeline])
        self.assertProblem(self.s.post("/api/v1/merges/%d/undo" % merge["id"], user="ana"), 409)

    def test_undo_leaves_what_changed_since(self):
        keep = self.org("Selvar Diaspora Council")
        gone = self.org("Selvar Diaspora Council (old entry)")
        p = self.person("Lindqvist", org=gone["id"])
        merge = self.s.post("/api/v1/merges", {"kind": "organizations", "keep": keep["id"], "merge": gone["id"]}, user="ana").json()
        other = self.org("Unrelated Body Tavor")
        cur = self.s.get("/api/v1/persons/%d" % p["id"], user="ana").json()
        self.assertStatus(self.s.patch("/api/v1/persons/%d" % p["id"], {"organization": other["id"]}, cur["version"], user="ana"), 200)
        self.assertStatus(self.s.post("/api/v1/merges/%d/undo" % merge["id"], user="ana"), 200)
        self.assertEqual(self.s.get("/api/v1/persons/%d" % p["id"], user="ana").json()["organization"], other["id"])

    def test_persons_merge_too(self):
        a = self.person("Haddad", given="Yusuf", emails=["yusuf@example.net"])
        b = self.person("Haddad", given="Yusuf", phones=["+41 22 555 01 23"])
        r = self.s.post("/api/v1/merges", {"kind": "persons", "keep": a["id"], "merge": b["id"]}, user="ana")
        self.assertStatus(r, 201)
        self.assertEqual(self.s.get("/api/v1/persons/%d" % a["id"], user="ana").json()["phones"], ["+41 22 555 01 23"])

    def test_bad_merges(self):
        a = self.org("Merge Refusal Body One")
        self.assertProblem(self.s.post("/api/v1/merges", {"kind": "organizations", "keep": a["id"], "merge": a["id"]}, user="ana"), 422)
        self.assertProblem(self.s.post("/api/v1/merges", {"kind": "organizations", "keep": a["id"], "merge": 999999}, user="ana"), 404)
        self.assertProblem(self.s.post("/api/v1/merges", {"kind": "organizations", "keep": a["id"]}, user="ana"), 422)
        self.assertProblem(self.s.post("/api/v1/merges", {"kind": "nothing", "keep": 1, "merge": 2}, user="ana"), 404)
        b = self.org("Merge Refusal Body Two")
        self.assertProblem(self.s.post("/api/v1/merges", {"kind": "organizations", "keep": a["id"], "merge": b["id"]}, user="dora"), 403)
        self.assertProblem(self.s.post("/api/v1/merges/999999/undo", user="ana"), 404)


class MergeFoundAgain(ServerTest):
    """A merge is found again on the page of the record it went into: a link to it, where it is undone."""

    def test_the_kept_record_lists_its_merges(self):
        from test_pages import Client
        keep = self.org("Tarrowick Fishers Guild")
        gone = self.org("Tarrowick Fishers' Guild")
        c = Client(self.s)
        c.sign_in("ana")
        self.assertNotIn('id="h-merges"', c.get("/organizations/%d" % keep["id"]).body)  # none yet
        merge = self.s.post("/api/v1/merges", {"kind": "organizations", "keep": keep["id"], "merge": gone["id"]},
                            user="ana").json()
        page = c.get("/organizations/%d" % keep["id"]).body
        self.assertIn('id="h-merges"', page)
        self.assertIn('href="/merges/%d"' % merge["id"], page)
        self.assertIn("Tarrowick Fishers&#39; Guild</span>", page)  # the record merged, by its name
        merged = c.get("/merges/%d" % merge["id"]).body
        self.assertIn("/merges/%d/undo" % merge["id"], merged)  # the way to undo it
        self.assertStatus(self.s.post("/api/v1/merges/%d/undo" % merge["id"], user="ana"), 200)
        self.assertIn('<span class="badge">undone</span>', c.get("/organizations/%d" % keep["id"]).body)
        fr = Client(self.s, "fr")
        fr.sign_in("ana")
        self.assertIn("Fusionnées dans celle-ci", fr.get("/organizations/%d" % keep["id"]).body)
