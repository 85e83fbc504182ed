"""Who may do what: the role x kind x operation matrix, record classification and divisions.

The expectations are written out from the rules of src/model/access.c and docs/accounts.md:

  kind                read      write
  countries           public    admin
  organizations       account   editors (admin, director, staff)
  persons             account   editors
  relationship-types  account   admin
  interactions        staff     editors
  follow-ups          staff     editors

  staff roles (admin, director, staff, translator, viewer) read every kind above;
  viewer, translator, partner and the public write nothing;
  the public (no credentials) reads only countries, and is told 401 where others get 403.
"""

from harness import PASSWORD, ServerTest, all_items, cli

KINDS = ("organizations", "persons", "countries", "relationship-types", "interactions", "follow-ups")
OPS = ("list", "get", "create", "update", "archive")
USERS = ("ana", "bruno", "carmen", "dora", "emil", "root", None)

EDITORS = {"ana", "bruno", "carmen", "root"}
ADMINS = {"root"}
SIGNED_IN = {"ana", "bruno", "carmen", "dora", "emil", "root"}

WRITERS = {
    "organizations": EDITORS, "persons": EDITORS, "interactions": EDITORS, "follow-ups": EDITORS,
    "countries": ADMINS, "relationship-types": ADMINS,
}
SUCCESS = {"list": 200, "get": 200, "create": 201, "update": 200, "archive": 204}


def expected(user, kind, op):
    if op in ("list", "get"):
        if kind == "countries" or user in SIGNED_IN:
            return 200
        return 401
    if user is None:
        return 401
    return SUCCESS[op] if user in WRITERS[kind] else 403


class Matrix(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_ids = {u["name"]: u["id"] for u in all_items(cls.s, "/api/v1/users")}
        taken = {c["iso2"] for c in all_items(cls.s, "/api/v1/countries")}
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        # user-assigned ISO codes, never among those loaded by init
        cls.free_codes = [c for c in ["Q" + x for x in letters[12:]] + ["X" + x for x in letters] if c not in taken]
        cls.serial = 0
        cls.shared = {kind: cls.fixture(kind) for kind in KINDS}

    @classmethod
    def body(cls, kind):
        cls.serial += 1
        n = cls.serial
        if kind == "organizations":
            return {"name": {"en": "Matrix Fixture Guild %d" % n}, "type": "cso"}
        if kind == "persons":
            return {"family_name": "Okonkwo-Ferreira %d" % n, "given_name": "Amina"}
        if kind == "countries":
            code = cls.free_codes.pop(0)
            return {"iso2": code, "iso3": code + "X", "name": {"en": "Freedonia Test Territory %d" % n},
                    "classification": "public"}
        if kind == "relationship-types":
            return {"code": "mentors_%d" % n, "forward": {"en": "mentors"}, "reverse": {"en": "mentored by"}}
        if kind == "interactions":
            return {"date": "2026-03-04", "kind": "meeting", "subject": "Matrix briefing %d" % n}
        if kind == "follow-ups":
            return {"task": "Send the minutes %d" % n, "owner": cls.user_ids["ana"], "due_date": "2026-04-01", "status": "open"}
        raise ValueError(kind)

    @staticmethod
    def change(kind):
        return {
            "organizations": {"acronym": "MFG"},
            "persons": {"position": "Deputy Head of Mission"},
            "countries": {"membership": "observer"},
            "relationship-types": {"forward": {"es": "es mentor de"}},
            "interactions": {"summary": "Agreed on a joint statement"},
            "follow-ups": {"status": "done"},
        }[kind]

    @classmethod
    def fixture(cls, kind):
        r = cls.s.post("/api/v1/%s?force=true" % kind, cls.body(kind), user="root")
        assert r.status == 201, (kind, r)
        return r.json()

    def assertUnchanged(self, kind, rec):
        now = self.s.get("/api/v1/%s/%d" % (kind, rec["id"]), user="root").json()
        self.assertEqual(now["version"], rec["version"], now)
        self.assertFalse(now["archived"], now)

    def check(self, user, kind, op):
        want = expected(user, kind, op)
        ok = want == SUCCESS[op]
        # a write that must succeed gets a record of its own; a refused one is tried on a shared one
        rec = self.fixture(kind) if ok and op in ("update", "archive") else self.shared[kind]
        path = "/api/v1/%s/%d" % (kind, rec["id"])
        if op == "list":
            r = self.s.get("/api/v1/" + kind, user=user)
        elif op == "get":
            r = self.s.get(path, user=user)
        elif op == "create":
            before = all_items(self.s, "/api/v1/" + kind)
            r = self.s.post("/api/v1/%s?force=true" % kind, self.body(kind), user=user)
            if not ok:
                self.assertEqual(len(all_items(self.s, "/api/v1/" + kind)), len(before))
        elif op == "update":
            r = self.s.patch(path, self.change(kind), rec["version"], user=user)
        else:
            r = self.s.delete(path, user=user)
        if ok:
            self.assertStatus(r, want)
        else:
            self.assertProblem(r, want)
            if want == 401:
                self.assertTrue(r.header("WWW-Authenticate"))
            self.assertUnchanged(kind, self.shared[kind])
        if ok and op == "list":
            self.assertIn("items", r.json())
        if ok and op == "get":
            self.assertEqual(r.json()["id"], rec["id"])
        if ok and op == "update":
            self.assertEqual(r.json()["version"], rec["version"] + 1)
        if ok and op == "archive":
            self.assertTrue(self.s.get(path, user="root").json()["archived"])

    def run_matrix(self, user):
        for kind in KINDS:
            for op in OPS:
                with self.subTest(user=user or "public", kind=kind, op=op, expected=expected(user, kind, op)):
                    self.check(user, kind, op)

    def test_staff_ana(self):
        self.run_matrix("ana")

    def test_staff_bruno(self):
        self.run_matrix("bruno")

    def test_director_carmen(self):
        self.run_matrix("carmen")

    def test_viewer_dora(self):
        self.run_matrix("dora")

    def test_translator_emil(self):
        self.run_matrix("emil")

    def test_admin_root(self):
        self.run_matrix("root")

    def test_public(self):
        self.run_matrix(None)

    def test_public_reads_only_public_countries(self):
        # a country made internal by an admin leaves the public's view, not the staff's
        rec = self.fixture("countries")
        self.assertEqual(rec["classification"], "public")
        self.assertStatus(self.s.get("/api/v1/countries/%d" % rec["id"]), 200)
        r = self.s.patch("/api/v1/countries/%d" % rec["id"], {"classification": "internal"}, rec["version"], user="root")
        self.assertStatus(r, 200)
        self.assertProblem(self.s.get("/api/v1/countries/%d" % rec["id"]), 404)
        self.assertProblem(self.s.get("/api/v1/countries/" + rec["iso2"]), 404)
        seen, cursor = [], None
        while True:
            page = self.s.get("/api/v1/countries?limit=500" + ("&cursor=" + cursor if cursor else ""))
            self.assertStatus(page, 200)
            seen.extend(c["id"] for c in page.json()["items"])
            cursor = page.json()["next_cursor"]
            if not cursor:
                break
        self.assertNotIn(rec["id"], seen)
        self.assertStatus(self.s.get("/api/v1/countries/%d" % rec["id"], user="dora"), 200)


class Classification(ServerTest):
    """Records of every classification, tagged so that one filtered list holds exactly them."""

    TAG = "clsprobe"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def make(user, name, **fields):
            body = {"name": {"en": name}, "type": "cso", "tags": [cls.TAG]}
            body.update(fields)
            r = cls.s.post("/api/v1/organizations?force=true", body, user=user)
            assert r.status == 201, r
            return r.json()

        cls.public = make("bruno", "Quillon Open Diaspora Forum", classification="public")
        cls.internal = make("bruno", "Marova Internal Mobility Desk")
        cls.restricted_drd = make("bruno", "Velden Restricted Resettlement Unit", classification="restricted")
        cls.restricted_ipd = make("ana", "Pellan Restricted Border Taskforce", classification="restricted")
        cls.confidential = make("bruno", "Orsk Confidential Informant Network", classification="confidential")
        cls.visible = {
            "ana": {"public", "internal", "restricted_ipd"},
            "bruno": {"public", "internal", "restricted_drd", "confidential"},
            "carmen": {"public", "internal", "restricted_drd", "restricted_ipd"},
            "dora": {"public", "internal", "restricted_ipd"},
            "emil": {"public", "internal"},
            "root": {"public", "internal", "restricted_drd", "restricted_ipd", "confidential"},
        }

    def rec(self, label):
        return getattr(self, label)

    def test_fixtures_took_their_classification_and_division(self):
        self.assertEqual((self.restricted_drd["classification"], self.restricted_drd["division"]), ("restricted", "DRD"))
        self.assertEqual((self.restricted_ipd["classification"], self.restricted_ipd["division"]), ("restricted", "IPD"))
        self.assertEqual(self.confidential["classification"], "confidential")
        self.assertEqual(self.internal["classification"], "internal")

    def test_get_answers_404_for_what_the_caller_may_not_see(self):
        for user, labels in self.visible.items():
            for label in ("public", "internal", "restricted_drd", "restricted_ipd", "confidential"):
                with self.subTest(user=user, record=label):
                    r = self.s.get("/api/v1/organizations/%d" % self.rec(label)["id"], user=user)
                    if label in labels:
                        self.assertStatus(r, 200)
                        self.assertEqual(r.json()["id"], self.rec(label)["id"])
                    else:
                        p = self.assertProblem(r, 404)
                        # exactly the answer for a record that does not exist
                        missing = self.s.get("/api/v1/organizations/987654", user=user).json()
                        self.assertEqual(p, missing)

    def test_lists_hold_and_count_only_what_the_caller_may_see(self):
        for user, labels in self.visible.items():
            with self.subTest(user=user):
                want = sorted(self.rec(l)["id"] for l in labels)
                got = sorted(o["id"] for o in all_items(self.s, "/api/v1/organizations?tags=" + self.TAG, user=user))
                self.assertEqual(got, want)
                # paging one at a time: a full page never hides a record behind a cursor
                got1 = sorted(o["id"] for o in all_items(self.s, "/api/v1/organizations?tags=" + self.TAG, user=user, page=1))
                self.assertEqual(got1, want)
                # a page of exactly the visible count ends the list
                r = self.s.get("/api/v1/organizations?tags=%s&limit=%d" % (self.TAG, len(want) + 1), user=user).json()
                self.assertEqual(len(r["items"]), len(want))
                self.assertIsNone(r["next_cursor"])
                # filtering on the classification does not uncover anything
                ids = {o["id"] for o in all_items(self.s, "/api/v1/organizations?classification=restricted", user=user)}
                for label in ("restricted_drd", "restricted_ipd"):
                    self.assertEqual(self.rec(label)["id"] in ids, label in labels)

    def test_archived_invisible_records_stay_invisible(self):
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Archived Restricted Depot"}, "type": "cso",
                                                             "classification": "restricted", "tags": ["clsarch"]}, user="bruno").json()
        self.assertStatus(self.s.delete("/api/v1/organizations/%d" % r["id"], user="bruno"), 204)
        self.assertEqual([o["id"] for o in all_items(self.s, "/api/v1/organizations?archived=true&tags=clsarch", user="bruno")], [r["id"]])
        self.assertEqual(all_items(self.s, "/api/v1/organizations?archived=true&tags=clsarch", user="ana"), [])
        self.assertProblem(self.s.get("/api/v1/organizations/%d" % r["id"], user="ana"), 404)

    def test_no_write_to_an_invisible_record(self):
        rec = self.restricted_drd
        path = "/api/v1/organizations/%d" % rec["id"]
        self.assertProblem(self.s.patch(path, {"acronym": "LEAK"}, rec["version"], user="ana"), 404)
        self.assertProblem(self.s.delete(path, user="ana"), 404)
        self.assertProblem(self.s.delete("/api/v1/organizations/%d" % self.confidential["id"], user="carmen"), 404)
        now = self.s.get(path, user="root").json()
        self.assertEqual((now["version"], now["acronym"], now["archived"]), (1, None, False))

    def test_domain_routes_hide_invisible_records_too(self):
        rid = self.restricted_drd["id"]
        for path in ("/api/v1/organizations/%d/timeline" % rid, "/api/v1/organizations/%d/relationships" % rid):
            with self.subTest(path=path):
                self.assertProblem(self.s.get(path, user="ana"), 404)
                self.assertStatus(self.s.get(path, user="carmen"), 200)
        self.assertProblem(self.s.get("/api/v1/audit?kind=organizations&id=%d" % rid, user="ana"), 404)
        self.assertProblem(self.s.get("/api/v1/audit?kind=organizations&id=%d" % self.confidential["id"], user="carmen"), 404)

    def test_viewers_and_the_public_never_see_restricted_ones_of_other_divisions(self):
        self.assertProblem(self.s.get("/api/v1/organizations/%d" % self.restricted_drd["id"]), 401)
        self.assertProblem(self.s.get("/api/v1/organizations/%d" % self.restricted_drd["id"], user="dora"), 404)

    def test_duplicate_check_does_not_reveal_invisible_records(self):
        # ana proposes the same name as bruno's confidential organization: whatever the answer,
        # it must not carry that record's id or name
        r = self.s.post("/api/v1/organizations", {"name": {"en": "Orsk Confidential Informant Network"}, "type": "cso"}, user="ana")
        self.assertIn(r.status, (201, 409), r)
        if r.status == 409:
            ids = [c["id"] for c in r.json().get("candidates", [])]
            self.assertNotIn(self.confidential["id"], ids, r)
            self.assertNotIn("Informant", r.body)

    def test_staff_may_not_create_a_restricted_record_for_another_division(self):
        before = len(all_items(self.s, "/api/v1/organizations?archived=true"))
        r = self.s.post("/api/v1/organizations?force=true",
                        {"name": {"en": "Tessaly Harbour Workers' League"}, "type": "cso",
                         "classification": "restricted", "division": "DRD"}, user="ana")
        self.assertProblem(r, 403)
        self.assertEqual(len(all_items(self.s, "/api/v1/organizations?archived=true")), before)
        # a director may
        r = self.s.post("/api/v1/organizations?force=true",
                        {"name": {"en": "Tessaly Harbour Workers' League"}, "type": "cso",
                         "classification": "restricted", "division": "DRD"}, user="carmen")
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["division"], "DRD")

    def test_staff_may_not_move_their_restricted_record_to_another_division(self):
        rec = self.s.post("/api/v1/organizations?force=true",
                          {"name": {"en": "Amina Okonkwo-Ferreira Foundation"}, "type": "foundation",
                           "classification": "restricted"}, user="ana").json()
        path = "/api/v1/organizations/%d" % rec["id"]
        self.assertProblem(self.s.patch(path, {"division": "DRD"}, rec["version"], user="ana"), 403)
        now = self.s.get(path, user="root").json()
        self.assertEqual((now["division"], now["version"]), ("IPD", 1))

    def test_restricted_without_a_division_is_422(self):
        r = self.s.post("/api/v1/organizations?force=true",
                        {"name": {"en": "Divisionless Restricted Office"}, "type": "cso",
                         "classification": "restricted", "division": None}, user="carmen")
        self.assertProblem(r, 422, "division")

    def test_unknown_classification_or_division_is_422(self):
        r = self.s.post("/api/v1/organizations?force=true",
                        {"name": {"en": "Secretive Test Body"}, "type": "cso", "classification": "top-secret", "division": "XYZ"}, user="ana")
        p = self.assertProblem(r, 422, "classification")
        self.assertIn("division", [e["field"] for e in p["errors"]])


class PartnerRole(ServerTest):
    """A partner (a Member State delegate, a donor, a CSO) reads public records and the internal
    ones of their own organization (the organization and its persons), and writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def post(kind, body, user="ana"):
            r = s.post("/api/v1/%s?force=true" % kind, body, user=user)
            assert r.status == 201, r
            return r.json()

        cls.own = post("organizations", {"name": {"en": "Tessaly Harbour Workers' League"}, "type": "cso", "tags": ["ptr"]})
        cls.other = post("organizations", {"name": {"en": "Marova Migrant Aid"}, "type": "cso", "tags": ["ptr"]})
        cls.public = post("organizations", {"name": {"en": "Quillon Open Forum"}, "type": "cso", "tags": ["ptr"], "classification": "public"})
        cls.own_restricted = post("organizations", {"name": {"en": "Tessaly Restricted Annex"}, "type": "cso", "tags": ["ptr"], "classification": "restricted"})
        cls.own_person = post("persons", {"family_name": "Okonkwo-Ferreira", "organization": cls.own["id"]})
        cls.own_person_restricted = post("persons", {"family_name": "Baptiste-Lund", "organization": cls.own["id"], "classification": "restricted"})
        cls.other_person = post("persons", {"family_name": "Arnadottir", "organization": cls.other["id"]})
        cls.interaction = post("interactions", {"date": "2026-01-01", "kind": "meeting", "subject": "Partner meeting",
                                                "participants": [{"kind": "organizations", "id": cls.own["id"], "role": "host"}]})
        cli(s.db, "user", "add", "pablo", "--role", "partner", "--organization", str(cls.own["id"]), stdin=PASSWORD + "\n")
        s.tokens["pablo"] = cli(s.db, "token", "create", "pablo").stdout.strip()

    def test_reads_own_organization_and_public_ones_only(self):
        self.assertStatus(self.s.get("/api/v1/organizations/%d" % self.own["id"], user="pablo"), 200)
        self.assertStatus(self.s.get("/api/v1/organizations/%d" % self.public["id"], user="pablo"), 200)
        self.assertProblem(self.s.get("/api/v1/organizations/%d" % self.other["id"], user="pablo"), 404)
        self.assertProblem(self.s.get("/api/v1/organizations/%d" % self.own_restricted["id"], user="pablo"), 404)
        ids = sorted(o["id"] for o in all_items(self.s, "/api/v1/organizations?tags=ptr", user="pablo"))
        self.assertEqual(ids, sorted([self.own["id"], self.public["id"]]))

    def test_reads_the_persons_of_their_organization_only(self):
        self.assertStatus(self.s.get("/api/v1/persons/%d" % self.own_person["id"], user="pablo"), 200)
        self.assertProblem(self.s.get("/api/v1/persons/%d" % self.other_person["id"], user="pablo"), 404)
        self.assertProblem(self.s.get("/api/v1/persons/%d" % self.own_person_restricted["id"], user="pablo"), 404)
        ids = [p["id"] for p in all_items(self.s, "/api/v1/persons", user="pablo")]
        self.assertEqual(ids, [self.own_person["id"]])

    def test_staff_only_kinds_are_403(self):
        for path in ("/api/v1/interactions", "/api/v1/interactions/%d" % self.interaction["id"], "/api/v1/follow-ups",
                     "/api/v1/relationships", "/api/v1/audit?kind=organizations&id=%d" % self.own["id"],
                     "/api/v1/organizations/%d/timeline" % self.own["id"], "/api/v1/persons/%d/export" % self.own_person["id"]):
            with self.subTest(path=path):
                self.assertProblem(self.s.get(path, user="pablo"), 403)

    def test_public_kinds_are_readable(self):
        self.assertStatus(self.s.get("/api/v1/countries/SN", user="pablo"), 200)
        codes = {t["code"] for t in all_items(self.s, "/api/v1/relationship-types", user="pablo")}
        self.assertTrue({"works_for", "member_of", "funds"} <= codes, codes)

    def test_writes_nothing_not_even_their_own(self):
        rec = self.s.get("/api/v1/organizations/%d" % self.own["id"], user="root").json()
        self.assertProblem(self.s.patch("/api/v1/organizations/%d" % self.own["id"], {"acronym": "THWL"}, rec["version"], user="pablo"), 403)
        self.assertProblem(self.s.delete("/api/v1/organizations/%d" % self.own["id"], user="pablo"), 403)
        self.assertProblem(self.s.post("/api/v1/persons?force=true", {"family_name": "New Colleague", "organization": self.own["id"]}, user="pablo"), 403)
        self.assertProblem(self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Partner Made Body"}, "type": "cso"}, user="pablo"), 403)
        now = self.s.get("/api/v1/organizations/%d" % self.own["id"], user="root").json()
        self.assertEqual((now["version"], now["archived"], now["acronym"]), (rec["version"], False, None))
