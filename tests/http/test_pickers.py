"""Reference fields chosen by name: the suggestions a picker asks for (several
kinds at once, users by name or e-mail, for staff only), and the forms as they
work without a script: a name typed is looked up when the form is sent, one
that fits several records offers them, one that fits none is a field error,
and no form asks for a record's number.
"""
import re

from harness import PASSWORD, ServerTest, cli
from test_pages import HOSTILE, Client, PagesTest


class SuggestTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        cls.guild = s.post("/api/v1/organizations", {"name": {"en": "Thessaly Brindlemoor Guild"}, "type": "cso"},
                         user="ana").json()
        cls.person = s.post("/api/v1/persons", {"given_name": "Orla", "family_name": "Brindlemoor"}, user="ana").json()
        r = s.patch("/api/v1/users/bruno", {"email": "b.quennefort@example.org"}, None, user="root",
                    headers={"If-Match": "*"})
        assert r.status == 200, r
        cli(s.db, "user", "add", "pia", "--role", "partner", "--organization", str(cls.guild["id"]), stdin=PASSWORD + "\n")
        s.tokens["pia"] = cli(s.db, "token", "create", "pia").stdout.strip()

    def suggest(self, q, type, user="ana"):
        return self.s.get("/api/v1/search/suggest?q=%s&type=%s" % (q, type), user=user)

    def test_several_kinds_at_once(self):
        r = self.suggest("Brindlemoor", "organizations,persons")
        self.assertStatus(r, 200)
        found = {(i["kind"], i["id"]) for i in r.json()["items"]}
        self.assertEqual(found, {("organizations", self.guild["id"]), ("persons", self.person["id"])})
        only = {i["kind"] for i in self.suggest("Brindlemoor", "persons").json()["items"]}
        self.assertEqual(only, {"persons"})

    def test_a_bad_kind_list_is_400(self):
        for type in ("organizations,nowhere", ",", "organizations," + ",".join(["persons"] * 8)):
            with self.subTest(type=type):
                self.assertProblem(self.suggest("Brind", type), 400)

    def test_users_by_name_or_e_mail(self):
        by_name = self.suggest("brun", "users").json()["items"]
        self.assertEqual([(i["kind"], i["title"]) for i in by_name], [("users", "bruno")])
        self.assertEqual(by_name[0]["email"], "b.quennefort@example.org")
        by_mail = self.suggest("quennef", "users").json()["items"]
        self.assertEqual([i["title"] for i in by_mail], ["bruno"])
        self.assertEqual(self.suggest("zzyx", "users").json()["items"], [])
        self.assertProblem(self.suggest("%20%21", "users"), 400)

    def test_archived_users_are_not_offered(self):
        cli(self.s.db, "user", "add", "ottoline", "--role", "staff", stdin=PASSWORD + "\n")
        self.assertEqual([i["title"] for i in self.suggest("ottol", "users").json()["items"]], ["ottoline"])
        self.assertStatus(self.s.delete("/api/v1/users/ottoline", user="root"), 204)
        self.assertEqual(self.suggest("ottol", "users").json()["items"], [])

    def test_only_staff_see_users_names(self):
        self.assertStatus(self.suggest("brun", "users", user="dora"), 200)  # a viewer is staff
        self.assertProblem(self.suggest("brun", "users", user="pia"), 403)
        self.assertProblem(self.s.get("/api/v1/search/suggest?q=brun&type=users"), 401)


def fields(body, name):
    """The values of the form controls called name, in the page's order."""
    return [m.group(1) for m in re.finditer(r'name="%s"[^>]*?value="([^"]*)"' % re.escape(name), body)]


class NoScriptFormsTest(PagesTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        post = lambda kind, body: cls.s.post("/api/v1/%s?force=true" % kind, body, user="ana").json()
        cls.ferry = post("organizations", {"name": {"en": "Vasterlund Ferry Cooperative"}, "type": "cso"})
        cls.gate = post("persons", {"given_name": "Ysolde", "family_name": "Carrowgate"})
        cls.mere = post("persons", {"given_name": "Ysolde", "family_name": "Carrowmere"})

    def new_interaction(self, c, subject, *extra):
        return c.post("/interactions/new", [("_csrf", c.csrf()), ("date", "2026-04-02"), ("kind", "meeting"),
                                            ("subject", subject)] + list(extra))

    def saved(self, r, kind="interactions"):
        self.assertEqual(r.status, 303, r)
        rid = re.search(r"/%s/(\d+)\?saved=1$" % kind, r.header("Location")).group(1)
        return self.s.get("/api/v1/%s/%s" % (kind, rid), user="ana").json()

    def test_no_form_asks_for_a_number(self):
        c = self.client("ana")
        for path in ("/interactions/new", "/follow-ups/new", "/persons/new", "/briefings/new"):
            body = c.get(path).body
            self.assertNotIn("organizations/12", body, path)
            self.assertNotIn("record's number", body, path)
            self.assertIn('data-pick="', body, path)

    def test_a_name_typed_is_added_with_the_roles_kept(self):
        c = self.client("ana")
        o = "organizations/%d" % self.ferry["id"]
        rec = self.saved(self.new_interaction(c, "Ferry timetable talks", ("participants", o),
                                              ("participants.role." + o, "host"),
                                              ("participants.add", "Ysolde Carrowgate"), ("staff.add", "bruno")))
        self.assertEqual(rec["participants"], [{"kind": "organizations", "id": self.ferry["id"], "role": "host"},
                                               {"kind": "persons", "id": self.gate["id"], "role": None}])
        bruno = self.s.get("/api/v1/users/bruno", user="ana").json()["id"]
        self.assertEqual(rec["staff"], [{"kind": "users", "id": bruno, "role": None}])

        # The edit form shows each as a checked box with its title and role; unchecking removes it.
        form = c.get("/interactions/%d/edit" % rec["id"]).body
        self.assertIn("Vasterlund Ferry Cooperative", form)
        self.assertIn("Ysolde Carrowgate", form)
        self.assertEqual(fields(form, "participants"), [o, "persons/%d" % self.gate["id"]])
        self.assertEqual(fields(form, "participants.role." + o), ["host"])
        r = c.post("/interactions/%d/edit" % rec["id"], [("_csrf", c.csrf()), ("version", "1"), ("date", "2026-04-02"),
                                                          ("kind", "meeting"), ("subject", "Ferry timetable talks"),
                                                          ("participants", o), ("participants.role." + o, "chair")])
        self.assertEqual(r.status, 303, r)
        rec = self.s.get("/api/v1/interactions/%d" % rec["id"], user="ana").json()
        self.assertEqual(rec["participants"], [{"kind": "organizations", "id": self.ferry["id"], "role": "chair"}])
        self.assertEqual(rec["staff"], [])

    def test_a_name_that_fits_several_offers_them(self):
        c = self.client("ana")
        r = self.new_interaction(c, "Crossing permits", ("participants.add", "Ysolde"))
        page = self.assertPage(r, 422)
        self.assertIn("Several records match this name. Choose the one you mean.", r.body)
        offered = [a["value"] for t, a in page.elements if t == "input" and a.get("name") == "participants"]
        self.assertEqual(sorted(offered), sorted(["persons/%d" % self.gate["id"], "persons/%d" % self.mere["id"]]))
        self.assertFalse([a for t, a in page.elements if a.get("name") == "participants" and "checked" in a])
        self.assertEqual(fields(r.body, "participants.add"), [""], "the name is answered by the choice")
        subjects = [i["subject"] for i in self.s.get("/api/v1/interactions?limit=500", user="ana").json()["items"]]
        self.assertNotIn("Crossing permits", subjects, "nothing was saved")
        # Checking one of them saves it.
        rec = self.saved(self.new_interaction(c, "Crossing permits", ("participants", "persons/%d" % self.mere["id"])))
        self.assertEqual(rec["participants"], [{"kind": "persons", "id": self.mere["id"], "role": None}])

    def test_a_name_that_fits_none_is_a_field_error(self):
        c = self.client("ana")
        r = self.new_interaction(c, "Quay repairs", ("participants.add", "Zyxwv Nobody"), ("staff.add", "nobody-here"))
        self.assertPage(r, 422)
        self.assertEqual(r.body.count("\">No record has this name."), 2, "beside each field")
        self.assertEqual(r.body.count(": No record has this name."), 2, "and in the summary")
        self.assertEqual(fields(r.body, "participants.add"), ["Zyxwv Nobody"], "what was typed stays")

    def test_a_reference_by_name(self):
        c = self.client("ana")
        form = c.get("/follow-ups/new").body
        self.assertIn('name="owner.q"', form)
        r = c.post("/follow-ups/new", {"_csrf": c.csrf(), "task": "Send the minutes", "owner": "", "owner.q": "bruno",
                                       "due_date": "2026-05-01", "status": "open"})
        rec = self.saved(r, "follow-ups")
        bruno = self.s.get("/api/v1/users/bruno", user="ana").json()["id"]
        self.assertEqual(rec["owner"], bruno)
        # The edit form holds the name, and the id beside it; sent back unchanged, it keeps the owner.
        form = c.get("/follow-ups/%d/edit" % rec["id"]).body
        self.assertEqual(fields(form, "owner.q"), ["bruno"])
        self.assertEqual(fields(form, "owner"), [str(bruno)])
        r = c.post("/follow-ups/%d/edit" % rec["id"], {"_csrf": c.csrf(), "version": "1", "task": "Send the minutes",
                                                         "owner": str(bruno), "owner.q": "bruno", "due_date": "2026-05-02",
                                                         "status": "open"})
        self.assertEqual(r.status, 303, r)
        self.assertEqual(self.s.get("/api/v1/follow-ups/%d" % rec["id"], user="ana").json()["owner"], bruno)

    def test_a_reference_that_fits_several_offers_a_choice(self):
        c = self.client("ana")
        r = c.post("/persons/new", {"_csrf": c.csrf(), "given_name": "Tamsin", "family_name": "Olvery",
                                    "organization": "", "organization.q": "Vasterlund"})
        rec = self.saved(r, "persons")
        self.assertEqual(rec["organization"], self.ferry["id"], "one fits: it is taken")
        self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Vasterlund Harbour Board"}, "type": "igo"}, user="ana")
        r = c.post("/persons/new", {"_csrf": c.csrf(), "given_name": "Tamsin", "family_name": "Olvery-Day",
                                    "organization": "", "organization.q": "Vasterlund"})
        page = self.assertPage(r, 422)
        picks = [a["value"] for t, a in page.elements if t == "input" and a.get("name") == "organization.pick"]
        self.assertEqual(len(picks), 2)
        self.assertIn(str(self.ferry["id"]), picks)
        r = c.post("/persons/new", {"_csrf": c.csrf(), "given_name": "Tamsin", "family_name": "Olvery-Day",
                                    "organization": "", "organization.q": "Vasterlund",
                                    "organization.pick": str(self.ferry["id"])})
        self.assertEqual(self.saved(r, "persons")["organization"], self.ferry["id"])

    def test_a_record_page_fills_in_its_record(self):
        c = self.client("ana")
        form = c.get("/interactions/new?participants=organizations/%d" % self.ferry["id"]).body
        self.assertEqual(fields(form, "participants"), ["organizations/%d" % self.ferry["id"]])
        self.assertIn("Vasterlund Ferry Cooperative", form)

    def test_hostile_titles_and_roles_come_back_escaped(self):
        org = self.org(HOSTILE)
        rec = self.s.post("/api/v1/interactions", {"date": "2026-02-02", "kind": "call", "subject": "Escapes",
                                                   "participants": [{"kind": "organizations", "id": org["id"],
                                                                     "role": HOSTILE[:100]}]}, user="ana").json()
        c = self.client("ana")
        self.assertSafe(c.get("/interactions/%d/edit" % rec["id"]))
        r = self.new_interaction(c, "Escapes again", ("participants.add", HOSTILE), ("staff.add", HOSTILE))
        self.assertSafe(r)
