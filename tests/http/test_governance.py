"""The governing bodies: bodies and their notice rules, sessions named by
their symbol and convened only with the notice their body asks, agendas in
the order people read them, delegations, and the
official documents whose symbols are read by their grammar: a bad symbol is
a 422 that says where, a revision supersedes the text before it, a
corrigendum corrects only versions that exist, and the public reads only
published versions of public documents."""
import datetime
import http.client
import re
import subprocess
import unittest
import zoneinfo
from urllib.parse import urlencode

from harness import PASSWORD, ServerTest, cli
from test_meetings import read_calendar
from test_pages import Client


def day(offset):
    """A date offset days from today where the server works (its calendar's zone)."""
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Zurich")).date()
    return (today + datetime.timedelta(days=offset)).isoformat()


class Governance(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        for body in ({"series": "C", "type": "council", "name": {"en": "Council", "fr": "Conseil", "es": "Consejo"},
                      "notice_days": 30, "special_notice_days": 15, "documents_due_weeks": 6},
                     {"series": "S", "type": "committee", "name": {"en": "Standing Committee"}, "notice_days": 14}):
            r = s.post("/api/v1/bodies", body, user="root")
            assert r.status == 201, r
        cls.session = s.post("/api/v1/sessions", {"body": "C", "number": "115", "starts_on": day(60),
                                                  "ends_on": day(62), "venue": "Geneva"}, user="ana").json()

    def post(self, kind, body, user="ana"):
        return self.s.post("/api/v1/" + kind, body, user=user)

    def created(self, kind, body, user="ana"):
        r = self.post(kind, body, user)
        self.assertStatus(r, 201)
        return r.json()

    def move(self, kind, rec, to, user="ana"):
        return self.s.post("/api/v1/%s/%d/transitions" % (kind, rec["id"]), {"to": to}, user=user)

    def new_session(self, number, opens_in, body="C"):
        return self.created("sessions", {"body": body, "number": number, "starts_on": day(opens_in),
                                         "ends_on": day(opens_in + 2)})

    # ---- bodies and sessions ----

    def test_a_series_is_capital_letters(self):
        for series in ("c", "C1", "C/D", "ÇA"):
            with self.subTest(series=series):
                r = self.post("bodies", {"series": series, "type": "council", "name": {"en": "X"}}, user="root")
                self.assertProblem(r, 422, "series")

    def test_a_session_is_named_by_its_body_and_number(self):
        self.assertEqual(self.session["symbol"], "C/115")
        self.assertEqual(self.session["status"], "planned")
        special = self.new_session("Sp/7", 90)
        self.assertEqual(special["symbol"], "C/Sp/7")
        got = self.s.get("/api/v1/sessions?" + urlencode({"symbol": "C/Sp/7"}), user="dora")
        self.assertStatus(got, 200)
        self.assertEqual([s["id"] for s in got.json()["items"]], [special["id"]])

    def test_bad_session_numbers_and_dates_are_422_naming_the_field(self):
        for number in ("115a", "0", "015", "Sp/", "SP/7", "1234567", ""):
            with self.subTest(number=number):
                r = self.post("sessions", {"body": "C", "number": number, "starts_on": day(50), "ends_on": day(51)})
                self.assertProblem(r, 422, "number")
        r = self.post("sessions", {"body": "C", "number": "300", "starts_on": day(50), "ends_on": day(49)})
        self.assertProblem(r, 422, "ends_on")
        r = self.post("sessions", {"body": "C", "number": "115", "starts_on": day(50), "ends_on": day(51)})
        self.assertProblem(r, 422, "number")  # the Council has a 115th session already
        r = self.post("sessions", {"body": "Z", "number": "1", "starts_on": day(50), "ends_on": day(51)})
        self.assertProblem(r, 422, "body")

    def test_documents_are_due_the_bodys_weeks_before_the_session(self):
        opens = datetime.date.fromisoformat(self.session["starts_on"])
        self.assertEqual(self.session["documents_due"], (opens - datetime.timedelta(weeks=6)).isoformat())

    def test_convening_inside_the_notice_period_is_refused_and_changes_nothing(self):
        cases = [("C", "201", 29, False), ("C", "202", 30, True), ("C", "Sp/8", 14, False), ("C", "Sp/9", 15, True),
                 ("S", "40", 13, False), ("S", "41", 14, True)]
        for body, number, opens_in, allowed in cases:
            with self.subTest(body=body, number=number, opens_in=opens_in):
                sess = self.new_session(number, opens_in, body)
                r = self.move("sessions", sess, "convened")
                if allowed:
                    self.assertStatus(r, 200)
                    self.assertEqual(r.json()["status"], "convened")
                    self.assertTrue(r.json()["convened_at"])
                    continue
                p = self.assertProblem(r, 422, "starts_on")
                self.assertIn("days", p["detail"])
                after = self.s.get("/api/v1/sessions/%d" % sess["id"], user="ana").json()
                self.assertEqual((after["status"], after["version"], after["convened_at"]),
                                 ("planned", sess["version"], None))

    def test_a_session_moves_forward_only(self):
        sess = self.new_session("301", 45)
        for to in ("convened", "in_session", "closed", "report_adopted"):
            self.assertStatus(self.move("sessions", sess, to), 200)
        self.assertProblem(self.move("sessions", sess, "planned"), 409)
        done = self.s.get("/api/v1/sessions/%d" % sess["id"], user="ana").json()
        self.assertTrue(done["closed_at"] and done["report_adopted_at"])

    # ---- agendas ----

    def test_an_agenda_reads_in_item_order(self):
        sess = self.new_session("302", 70)
        for number in ("10", "2", "4.2", "1", "4", "4.10"):
            self.created("agenda-items", {"session": sess["id"], "number": number, "title": {"en": "Item " + number}})
        r = self.s.get("/api/v1/agenda-items?session=%d&limit=50" % sess["id"], user="dora")
        self.assertStatus(r, 200)
        self.assertEqual([i["number"] for i in r.json()["items"]], ["1", "2", "4", "4.2", "4.10", "10"])
        for number in ("4..2", "0", "4.", "a", "1.2.3.4", "1000000", "04"):
            with self.subTest(number=number):
                r = self.post("agenda-items", {"session": sess["id"], "number": number, "title": {"en": "Bad"}})
                self.assertProblem(r, 422, "number")
        r = self.post("agenda-items", {"session": sess["id"], "number": "4.2", "title": {"en": "Twice"}})
        self.assertProblem(r, 422, "number")

    # ---- delegations ----

    def test_one_delegation_per_member_state_named_as_its_state(self):
        state = self.org("Republic of Zembla", type="government",
                         name={"en": "Republic of Zembla", "fr": "République de Zembla", "es": "República de Zembla"})
        sess = self.new_session("303", 70)
        other = self.new_session("304", 80)
        d = self.created("delegations", {"session": sess["id"], "organization": state["id"], "category": "member_state"})
        self.assertEqual(d["name"], {"en": "Republic of Zembla", "fr": "République de Zembla", "es": "República de Zembla"})
        r = self.post("delegations", {"session": sess["id"], "organization": state["id"], "category": "member_state"})
        self.assertProblem(r, 422, "organization")
        self.created("delegations", {"session": other["id"], "organization": state["id"], "category": "member_state"})

    def test_the_speakers_list_takes_delegations_of_the_items_session_in_order_of_request(self):
        sess, other = self.new_session("309", 70), self.new_session("310", 80)
        item = self.created("agenda-items", {"session": sess["id"], "number": "3", "title": {"en": "Budget"}})
        elsewhere = self.created("agenda-items", {"session": other["id"], "number": "3", "title": {"en": "Budget"}})
        names = ("Republic of Vell", "Kingdom of Orrin", "Federation of Taumar")
        delegations = [self.created("delegations", {"session": sess["id"], "category": "member_state",
                                                    "organization": self.org(n, type="government")["id"]})
                       for n in names]
        r = self.post("speaker-requests", {"delegation": delegations[0]["id"], "agenda_item": elsewhere["id"]})
        self.assertProblem(r, 422, "agenda_item")
        asked = [self.created("speaker-requests", {"delegation": d["id"], "agenda_item": item["id"]})
                 for d in (delegations[2], delegations[0], delegations[1])]
        self.assertEqual([a["name"]["en"] for a in asked], ["Federation of Taumar", "Republic of Vell", "Kingdom of Orrin"])
        self.assertTrue(all(a["status"] == "waiting" and a["requested_at"] for a in asked))
        listed = self.s.get("/api/v1/speaker-requests?agenda_item=%d" % item["id"], user="dora").json()["items"]
        self.assertEqual([x["id"] for x in listed], [a["id"] for a in asked])
        r = self.s.patch("/api/v1/speaker-requests/%d" % asked[0]["id"], {"seconds_used": 240, "status": "spoke"},
                         asked[0]["version"], user="ana")
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["seconds_used"], r.json()["status"]), (240, "spoke"))
        self.assertProblem(self.move("speaker-requests", r.json(), "waiting"), 409)
        # moving the request to another session's item is refused as its creation was
        r = self.s.patch("/api/v1/speaker-requests/%d" % asked[1]["id"], {"agenda_item": elsewhere["id"]},
                         asked[1]["version"], user="ana")
        self.assertProblem(r, 422, "agenda_item")

    def test_a_delegate_reads_their_own_delegation_and_nothing_of_others(self):
        sess = self.new_session("311", 70)
        mine = self.org("Mission of the Republic of Vell", type="permanent_mission")
        theirs = self.org("Mission of the Kingdom of Orrin", type="permanent_mission")
        cli(self.s.db, "user", "add", "vell-delegate", "--role", "partner", "--organization", str(mine["id"]),
            stdin=PASSWORD + "\n")
        token = cli(self.s.db, "token", "create", "vell-delegate").stdout.strip()
        item = self.created("agenda-items", {"session": sess["id"], "number": "1", "title": {"en": "Opening"}})
        own = self.created("delegations", {"session": sess["id"], "organization": mine["id"], "category": "member_state"})
        other = self.created("delegations", {"session": sess["id"], "organization": theirs["id"],
                                             "category": "member_state"})
        own_request = self.created("speaker-requests", {"delegation": own["id"], "agenda_item": item["id"]})
        other_request = self.created("speaker-requests", {"delegation": other["id"], "agenda_item": item["id"]})
        listed = self.s.get("/api/v1/delegations?session=%d" % sess["id"], token=token).json()["items"]
        self.assertEqual([d["id"] for d in listed], [own["id"]])
        self.assertEqual(self.s.get("/api/v1/delegations/%d" % other["id"], token=token).status, 404)
        self.assertStatus(self.s.get("/api/v1/speaker-requests/%d" % own_request["id"], token=token), 200)
        self.assertEqual(self.s.get("/api/v1/speaker-requests/%d" % other_request["id"], token=token).status, 404)
        requests = self.s.get("/api/v1/speaker-requests?agenda_item=%d" % item["id"], token=token).json()["items"]
        self.assertEqual([x["id"] for x in requests], [own_request["id"]])
        # another delegation is not there for them: asking the floor in its name names the field
        r = self.s.post("/api/v1/speaker-requests", {"delegation": other["id"], "agenda_item": item["id"]}, token=token)
        self.assertProblem(r, 422, "delegation")
        self.assertEqual(self.s.patch("/api/v1/delegations/%d" % other["id"], {"registered_on": day(0)}, other["version"],
                                      token=token).status, 404)
        self.assertEqual(len(self.s.get("/api/v1/speaker-requests?agenda_item=%d" % item["id"], user="ana").json()["items"]), 2)

    # ---- the delegates' portal ----

    def member_state(self, iso2):
        c = self.s.get("/api/v1/countries/" + iso2, user="root").json()
        if c.get("membership") != "member":
            self.assertStatus(self.s.patch("/api/v1/countries/" + iso2, {"membership": "member"}, c["version"], user="root"), 200)

    def test_a_delegate_registers_their_delegation_asks_for_the_floor_and_sends_credentials(self):
        self.member_state("MW")
        open_session, staff_session = self.new_session("412", 80), self.new_session("413", 81)
        self.assertEqual(open_session["open_to"], "member_states")
        staff_session = self.s.patch("/api/v1/sessions/%d" % staff_session["id"], {"open_to": "staff"},
                                     staff_session["version"], user="ana").json()
        item = self.created("agenda-items", {"session": open_session["id"], "number": "3", "title": {"en": "Budget"}})
        mission = self.org("Permanent Mission of the Republic of Lower Shire", type="permanent_mission", country="MW")
        neighbour = self.org("Permanent Mission of the Lake Provinces", type="permanent_mission", country="MW")
        delegate = self.partner("shire-delegate", mission)
        other = self.partner("lake-delegate", neighbour)
        civil = self.partner("shire-cso", self.org("Shire Valley Migrants Network", type="cso", country="MW"))
        get = lambda path, token: self.s.get("/api/v1/" + path, token=token)
        # a Member State's delegate sees the sessions open to Member States and their agendas; others do not
        self.assertStatus(get("sessions/%d" % open_session["id"], delegate), 200)
        self.assertEqual(get("sessions/%d" % staff_session["id"], delegate).status, 404)
        self.assertEqual(get("sessions/%d" % open_session["id"], civil).status, 404)
        self.assertEqual([i["id"] for i in get("agenda-items?session=%d" % open_session["id"], delegate).json()["items"]],
                         [item["id"]])
        # they register their own delegation: it is their organization's, dated today
        r = self.s.post("/api/v1/delegations", {"session": open_session["id"], "category": "member_state"}, token=delegate)
        self.assertStatus(r, 201)
        mine = r.json()
        self.assertEqual((mine["organization"], mine["classification"]), (mission["id"], "internal"))
        self.assertRegex(mine["registered_on"], r"^\d{4}-\d{2}-\d{2}$")
        # not another's, not to a session they cannot see, not what staff say
        r = self.s.post("/api/v1/delegations", {"session": open_session["id"], "category": "member_state",
                                                "organization": neighbour["id"]}, token=delegate)
        self.assertIn(r.status, (403, 422))
        r = self.s.post("/api/v1/delegations", {"session": staff_session["id"], "category": "member_state"}, token=delegate)
        self.assertProblem(r, 422, "session")
        r = self.s.patch("/api/v1/delegations/%d" % mine["id"], {"credentials_received_on": day(0)}, mine["version"],
                         token=delegate)
        p = self.assertProblem(r, 422, "credentials_received_on")
        self.assertIn("partner account", str(p["errors"]))
        listed = self.s.get("/api/v1/delegations?session=%d" % open_session["id"], user="ana").json()["items"]
        self.assertEqual([d["id"] for d in listed], [mine["id"]])
        # the floor: asked and withdrawn by the delegate; who spoke, and how long, staff say
        asked = self.s.post("/api/v1/speaker-requests", {"delegation": mine["id"], "agenda_item": item["id"]}, token=delegate)
        self.assertStatus(asked, 201)
        asked = asked.json()
        r = self.s.post("/api/v1/speaker-requests/%d/transitions" % asked["id"], {"to": "spoke"}, token=delegate)
        self.assertProblem(r, 409)
        self.assertEqual([a["to"] for a in r.json()["allowed"]], ["withdrawn"])
        self.assertProblem(self.s.patch("/api/v1/speaker-requests/%d" % asked["id"], {"seconds_used": 60}, asked["version"],
                                        token=delegate), 422, "seconds_used")
        r = self.s.post("/api/v1/speaker-requests/%d/transitions" % asked["id"], {"to": "withdrawn"}, token=delegate)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["status"], "withdrawn")
        # credentials: sent by the delegate, read by staff, by no other delegation
        letter = b"%PDF-1.7\n% invented letter of credentials\n" + b"0" * 2000
        path = "/api/v1/delegations/%d/credentials" % mine["id"]
        self.assertEqual(get("delegations/%d/credentials" % mine["id"], delegate).status, 404)
        for body, ctype, status in ((b"", "application/pdf", 400), (b"plain words", "text/plain", 415),
                                    (letter, "application/pdf", 200)):
            with self.subTest(status=status):
                r = self.s.request("PUT", path + "?name=letter.pdf", raw=body, token=delegate,
                                   headers={"Content-Type": ctype})
                self.assertStatus(r, status)
        self.assertRegex(r.json()["credentials_sent"], r"^letter\.pdf \(2 KB\) sent by shire-delegate$")
        self.assertEqual(self.s.request("PUT", path, raw=letter, token=other, headers={"Content-Type": "application/pdf"}).status, 404)
        self.assertProblem(self.s.request("PUT", path, raw=letter, user="dora", headers={"Content-Type": "application/pdf"}), 403)
        got = self.s.get(path, user="ana")
        self.assertStatus(got, 200)
        self.assertEqual(got.body, letter.decode())
        self.assertEqual(get("delegations/%d/credentials" % mine["id"], other).status, 404)
        mine = self.s.get("/api/v1/delegations/%d" % mine["id"], user="ana").json()
        r = self.s.patch("/api/v1/delegations/%d" % mine["id"], {"credentials_received_on": day(0)}, mine["version"], user="ana")
        self.assertStatus(r, 200)

    def test_a_delegates_forms_ask_nothing_staff_decide(self):
        self.member_state("MW")
        sess = self.new_session("414", 82)
        delegate = self.partner("orchard-delegate", self.org("Permanent Mission of the Orchard Isles", type="permanent_mission",
                                                             country="MW"))
        c = Client(self.s, "fr")
        self.assertEqual(c.sign_in("orchard-delegate").status, 303)
        form = c.get("/delegations/new").body
        names = set(re.findall(r'name="([a-z_.]+)"', form))
        self.assertIn("session", names)
        self.assertFalse(names & {"organization", "classification", "division", "credentials_received_on",
                                  "credentials_received_by"}, names)
        r = c.post("/delegations/new", {"_csrf": c.csrf(), "session": str(sess["id"]), "category": "member_state"})
        self.assertEqual(r.status, 303, r)
        did = int(re.match(r"/delegations/(\d+)", r.header("Location")).group(1))
        mine = self.s.get("/api/v1/delegations/%d" % did, token=delegate).json()
        self.assertEqual((mine["session"], mine["classification"]), (sess["id"], "internal"))
        page = c.get("/delegations/%d" % mine["id"]).body
        self.assertIn('action="/delegations/%d/credentials"' % mine["id"], page)
        edit = set(re.findall(r'name="([a-z_.]+)"', c.get("/delegations/%d/edit" % mine["id"]).body))
        self.assertIn("head", edit)
        self.assertFalse(edit & {"organization", "credentials_received_on", "classification"}, edit)
        staff = Client(self.s, "en")
        self.assertEqual(staff.sign_in("ana").status, 303)
        self.assertIn('name="credentials_received_on"', staff.get("/delegations/%d/edit" % mine["id"]).body)

    # ---- documents ----

    def test_a_bad_symbol_is_422_saying_where(self):
        cases = {"C/115/01": 7, "c/115/1": 1, "C/115/1/Rev": 12, "C//1": 3, "C/115/1/Add.1/Rev.1": 15,
                 "C/115/DRAFT/1": 7, "C/115/1/": 8, "C/115/1 ": 8}
        for text, at in cases.items():
            with self.subTest(symbol=text):
                r = self.post("documents", {"symbol": text, "title": {"en": "Bad"}, "original_language": "en"})
                p = self.assertProblem(r, 422, "symbol")
                message = [e["message"] for e in p["errors"] if e["field"] == "symbol"][0]
                self.assertIn("at character %d" % at, message)
        archived = self.document("C/99/1")  # a session Liaison never had: the document stands alone
        self.assertEqual((archived["session"], archived["due_on"]), (None, None))
        r = self.post("documents", {"symbol": "C/115/RES/1", "title": {"en": "A resolution"}, "original_language": "en"})
        self.assertProblem(r, 422, "symbol")
        self.assertEqual(self.s.get("/api/v1/documents?symbol=C/999/1", user="ana").json()["items"], [])

    def document(self, symbol, **more):
        body = {"symbol": symbol, "title": {"en": "Document " + symbol}, "original_language": "en"}
        body.update(more)
        return self.created("documents", body)

    def version(self, doc, lang, user="ana"):
        return self.created("document-versions", {"document": doc["id"], "language": lang}, user=user)

    def test_what_a_symbol_says_is_kept_beside_it(self):
        base = self.document("C/115/5")
        self.assertEqual((base["session"], base["due_on"]), (self.session["id"], self.session["documents_due"]))
        rev1 = self.document("C/115/5/Rev.1")
        rev2 = self.document("C/115/5/Rev.2")
        self.assertEqual((rev1["supersedes"], rev2["supersedes"]), (base["id"], rev1["id"]))
        add = self.document("C/115/5/Add.1")
        self.assertEqual((add["amends"], add["supersedes"]), (base["id"], None))

    def test_a_corrigendum_corrects_only_versions_that_exist(self):
        base = self.document("C/115/6")
        self.version(base, "en")
        r = self.post("documents", {"symbol": "C/115/6/Corr.1", "title": {"en": "Corrigendum"},
                                    "original_language": "en", "corrected_languages": ["en", "fr"]})
        self.assertProblem(r, 422, "corrected_languages[1]")
        r = self.post("documents", {"symbol": "C/115/6/Corr.1", "title": {"en": "Corrigendum"}, "original_language": "en"})
        self.assertProblem(r, 422, "corrected_languages")
        corr = self.document("C/115/6/Corr.1", corrected_languages=["en"])
        self.assertEqual(corr["amends"], base["id"])
        r = self.post("documents", {"symbol": "C/115/7", "title": {"en": "Not a corrigendum"}, "original_language": "en",
                                    "corrected_languages": ["en"]})
        self.assertProblem(r, 422, "corrected_languages")
        r = self.post("documents", {"symbol": "C/115/99/Corr.1", "title": {"en": "Corrects nothing"},
                                    "original_language": "en", "corrected_languages": ["en"]})
        self.assertProblem(r, 422, "symbol")

    def test_a_version_per_language_along_its_workflow(self):
        doc = self.document("C/115/8")
        fr = self.version(doc, "fr", user="emil")  # translators write versions
        self.assertEqual((fr["status"], fr["name"]), ("draft", "C/115/8 (fr)"))
        r = self.post("document-versions", {"document": doc["id"], "language": "fr"})
        self.assertProblem(r, 422, "language")
        self.assertProblem(self.move("document-versions", fr, "published"), 409)
        for to in ("submitted", "in_translation", "edited", "published"):
            self.assertStatus(self.move("document-versions", fr, to, user="emil"), 200)
        got = self.s.get("/api/v1/document-versions/%d" % fr["id"], user="ana").json()
        self.assertTrue(got["submitted_at"] and got["published_at"])
        r = self.post("documents", {"symbol": "C/115/9", "title": {"en": "Translators"}, "original_language": "en"},
                      user="emil")
        self.assertProblem(r, 403)

    def test_the_public_reads_published_versions_of_public_documents_only(self):
        public = self.document("C/115/10", distribution="public")
        internal = self.document("C/115/11")
        published, draft, hidden = self.version(public, "en"), self.version(public, "fr"), self.version(internal, "en")
        for v in (published, hidden):
            for to in ("submitted", "edited", "published"):
                self.assertStatus(self.move("document-versions", v, to), 200)
        self.assertStatus(self.s.get("/api/v1/documents/%d" % public["id"]), 200)
        self.assertEqual(self.s.get("/api/v1/documents/%d" % internal["id"]).status, 404)
        self.assertStatus(self.s.get("/api/v1/document-versions/%d" % published["id"]), 200)
        for v in (draft, hidden):
            self.assertEqual(self.s.get("/api/v1/document-versions/%d" % v["id"]).status, 404)
        for v in (published, draft, hidden):
            self.assertStatus(self.s.get("/api/v1/document-versions/%d" % v["id"], user="dora"), 200)

    def partner(self, name, org):
        cli(self.s.db, "user", "add", name, "--role", "partner", "--organization", str(org["id"]), stdin=PASSWORD + "\n")
        return cli(self.s.db, "token", "create", name).stdout.strip()

    def test_documents_for_member_states_are_read_by_member_states_delegates_only(self):
        zm = self.s.get("/api/v1/countries/ZM", user="root").json()
        self.assertStatus(self.s.patch("/api/v1/countries/ZM", {"membership": "member"}, zm["version"], user="root"), 200)
        xk = self.s.get("/api/v1/countries/AQ", user="root").json()  # no member
        self.assertNotEqual(xk.get("membership"), "member")
        delegate = self.partner("zm-delegate", self.org("Permanent Mission of Zambia to the Office", type="permanent_mission",
                                                         country="ZM"))
        outsider = self.partner("aq-delegate", self.org("Antarctic Survey Liaison", type="government", country="AQ"))
        civil = self.partner("cso-partner", self.org("Riverside Migrants Network", type="cso", country="ZM"))
        shared = self.document("C/115/20", distribution="member_states", title={"en": "Zambezi briefing note"})
        internal = self.document("C/115/21", title={"en": "Zambezi internal note"})
        published, draft = self.version(shared, "en"), self.version(shared, "fr")
        for to in ("submitted", "edited", "published"):
            self.assertStatus(self.move("document-versions", published, to), 200)
        def reads(token, rec, kind="documents"):
            return self.s.get("/api/v1/%s/%d" % (kind, rec["id"]), token=token).status == 200
        self.assertTrue(reads(delegate, shared))
        self.assertTrue(reads(delegate, published, "document-versions"))
        self.assertFalse(reads(delegate, draft, "document-versions"))
        self.assertFalse(reads(delegate, internal))
        for other in (outsider, civil):
            self.assertFalse(reads(other, shared))
            self.assertFalse(reads(other, published, "document-versions"))
        listed = self.s.get("/api/v1/documents?symbol=C/115/20", token=delegate).json()["items"]
        self.assertEqual([d["id"] for d in listed], [shared["id"]])
        self.assertEqual(self.s.get("/api/v1/documents?symbol=C/115/20", token=civil).json()["items"], [])
        found = {i["id"] for i in self.s.get("/api/v1/search?q=Zambezi", token=delegate).json()["items"]}
        self.assertIn(shared["id"], found)
        self.assertNotIn(internal["id"], found)
        self.assertEqual(self.s.get("/api/v1/search?q=Zambezi", token=civil).json()["items"], [])
        # the distribution narrowed: the published version follows its document
        doc = self.s.get("/api/v1/documents/%d" % shared["id"], user="ana").json()
        self.assertStatus(self.s.patch("/api/v1/documents/%d" % shared["id"], {"distribution": "internal"},
                                       doc["version"], user="ana"), 200)
        self.assertFalse(reads(delegate, shared))
        self.assertFalse(reads(delegate, published, "document-versions"))

    def test_a_search_for_a_symbol_finds_the_document_and_its_revisions(self):
        base = self.document("C/115/12", title={"en": "Programme and budget"})
        rev = self.document("C/115/12/Rev.1", title={"en": "Programme and budget, revised"})
        other = self.document("C/115/13", title={"en": "Programme and budget annex"})
        r = self.s.get("/api/v1/search?" + urlencode({"q": "C/115/12", "type": "documents"}), user="ana")
        self.assertStatus(r, 200)
        ids = {i["id"] for i in r.json()["items"]}
        self.assertEqual(ids & {base["id"], rev["id"], other["id"]}, {base["id"], rev["id"]})
        # the symbol is a facet too: of documents and of their language versions, whose text is searched
        fr = self.version(base, "fr")
        self.assertStatus(self.s.patch("/api/v1/document-versions/%d" % fr["id"], {"text": "Le budget du programme."},
                                       fr["version"], user="ana"), 200)
        self.version(other, "fr")
        r = self.s.get("/api/v1/search?" + urlencode({"q": "symbol:C/115/12 budget"}), user="ana").json()
        self.assertEqual({(i["kind"], i["id"]) for i in r["items"]}, {("documents", base["id"]), ("document-versions", fr["id"])})
        self.assertEqual(r["facets"]["symbol"], {"C/115/12": 2})
        r = self.s.get("/api/v1/search?" + urlencode({"q": "symbol:C/115/1 budget"}), user="ana").json()
        self.assertEqual(r["items"], [])

    # ---- the session's page ----

    def session_rows(self, sess, lang="en", user="ana"):
        c = Client(self.s, lang)
        self.assertEqual(c.sign_in(user).status, 303)
        r = c.get("/sessions/%d" % sess["id"])
        self.assertStatus(r, 200)
        body = r.body[r.body.index('id="h-docs"'):]
        rows = re.findall(r"<tr><td[^>]*><a href=\"[^\"]+\">([^<]+)</a>(.*?)</tr>", body, re.S)
        return [(symbol, re.findall(r"<td>(.*?)</td>", cells, re.S)) for symbol, cells in rows], r.body

    def test_a_sessions_page_lists_its_documents_in_symbol_order_with_every_language(self):
        sess = self.new_session("305", 20)  # documents were due six weeks before: already late
        docs = {n: self.document("C/305/%s" % n) for n in ("10", "2", "L/1", "2/Rev.1")}
        en = self.version(docs["2"], "en")
        for to in ("submitted", "edited", "published"):
            self.assertStatus(self.move("document-versions", en, to), 200)
        self.version(docs["2"], "fr")
        rows, _ = self.session_rows(sess)
        self.assertEqual([symbol for symbol, _ in rows], ["C/305/2", "C/305/2/Rev.1", "C/305/10", "C/305/L/1"])
        cells = rows[0][1]
        self.assertEqual(len(cells), 3)
        self.assertIn("Published", cells[0])
        self.assertNotIn("late", cells[0])
        self.assertIn("Draft", cells[1])
        self.assertIn("late", cells[1])
        self.assertIn("none", cells[2])
        self.assertIn("late", cells[2])
        # a session whose documents are not yet due flags nothing
        later = self.new_session("306", 120)
        self.document("C/306/1")
        rows, _ = self.session_rows(later)
        self.assertEqual(len(rows), 1)
        self.assertFalse(any("late" in c for c in rows[0][1]))

    def test_a_sessions_page_speaks_the_readers_language(self):
        sess = self.new_session("307", 20)
        self.document("C/307/1", title={"en": "Report", "fr": "Rapport", "es": "Informe"})
        for lang, title, late in (("fr", "Rapport", "en retard"), ("es", "Informe", "con retraso")):
            rows, body = self.session_rows(sess, lang)
            self.assertIn(title, body)
            self.assertIn(late, rows[0][1][0])

    def test_the_sessions_calendar_shows_a_years_sessions_by_month(self):
        c = Client(self.s, "fr")
        self.assertEqual(c.sign_in("dora").status, 303)
        year = int(day(60)[:4])
        body = c.get("/sessions/calendar?year=%d" % year).body
        self.assertIn("C/115", body)
        self.assertIn("Prévue", body)  # its state, in French
        self.assertNotIn("C/115", c.get("/sessions/calendar?year=%d" % (year + 5)).body)
        for bad in ("twenty", "99999", ""):
            self.assertEqual(c.get("/sessions/calendar?year=" + bad).status, 400)

    def test_calendars_of_sessions_per_body_and_per_session_in_each_language(self):
        council = self.new_session("312", 40)
        committee = self.new_session("42", 45, body="S")
        for lang in ("en", "fr", "es"):
            with self.subTest(lang=lang):
                every = read_calendar(self, self.s.get("/api/v1/sessions/calendar.ics?lang=" + lang, user="ana").body)
                self.assertEqual(every["method"], "PUBLISH")
                uids = {e["uid"].split("@")[0] for e in every["events"]}
                self.assertTrue({"session-%d" % council["id"], "session-%d" % committee["id"]} <= uids)
                body = read_calendar(self, self.s.get("/api/v1/bodies/C/calendar.ics?lang=" + lang, user="ana").body)
                mine = {e["uid"].split("@")[0]: e for e in body["events"]}
                self.assertIn("session-%d" % council["id"], mine)
                self.assertNotIn("session-%d" % committee["id"], mine)
                e = mine["session-%d" % council["id"]]
                last = datetime.date.fromisoformat(council["ends_on"]) + datetime.timedelta(days=1)
                self.assertEqual((e["start"], e["end"], e["start_is_date"]), (council["starts_on"], last.isoformat(), True))
                self.assertIn({"en": "Council", "fr": "Conseil", "es": "Consejo"}[lang], e["summary"])
                self.assertIn("C/312", e["summary"])
                self.assertEqual(e["description"], {"en": "Planned", "fr": "Prévue", "es": "Previsto"}[lang])
                one = read_calendar(self, self.s.get("/api/v1/sessions/%d/calendar.ics?lang=%s" % (committee["id"], lang),
                                                     user="ana").body)
                self.assertEqual([x["uid"].split("@")[0] for x in one["events"]], ["session-%d" % committee["id"]])
        # a session with its opening and closing times is placed in its own zone, which the calendar describes
        timed = self.created("sessions", {"body": "C", "number": "415", "starts_on": "2027-03-26", "ends_on": "2027-03-29",
                                          "time_zone": "Europe/Zurich", "opens_at": "10:00", "closes_at": "18:00"})
        feed = self.s.get("/api/v1/sessions/%d/calendar.ics" % timed["id"], user="ana").body
        self.assertIn("DTSTART;TZID=Europe/Zurich:20270326T100000", feed)
        self.assertIn("BEGIN:VTIMEZONE", feed)
        read = read_calendar(self, feed)
        zurich = zoneinfo.ZoneInfo("Europe/Zurich")
        at = lambda day, hh: int(datetime.datetime.fromisoformat("%sT%s:00" % (day, hh)).replace(tzinfo=zurich).timestamp())
        uid = read["events"][0]["uid"]
        self.assertEqual(read["instants"][uid], (at("2027-03-26", "10:00"), at("2027-03-29", "18:00")))  # winter, then summer time
        for bad, field in ((("opens_at", "25:00"),), "opens_at"), ((("closes_at", "9h"),), "closes_at"), \
                          ((("opens_at", "10:00"), ("time_zone", None)), "time_zone"), \
                          ((("ends_on", "2027-03-26"), ("closes_at", "09:30")), "closes_at"):
            with self.subTest(field=field):
                r = self.s.patch("/api/v1/sessions/%d" % timed["id"], dict(bad), timed["version"], user="ana")
                self.assertProblem(r, 422, field)
        self.assertProblem(self.s.get("/api/v1/sessions/calendar.ics?lang=de", user="ana"), 400)
        self.assertEqual(self.s.get("/api/v1/sessions/calendar.ics").status, 401)
        self.assertEqual(self.s.get("/api/v1/sessions/999999/calendar.ics", user="ana").status, 404)

    # ---- the list of participants ----

    def participants(self, sess, lang, suffix=""):
        c = Client(self.s, lang)
        self.assertEqual(c.sign_in("ana").status, 303)
        return c.get("/sessions/%d/participants%s?lang=%s" % (sess["id"], suffix, lang))

    def pdf_text(self, path):
        """The text pdftotext reads in the PDF served at path, to a signed-in reader."""
        c = Client(self.s, "en")
        self.assertEqual(c.sign_in("ana").status, 303)
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=60)
        try:
            conn.request("GET", path, headers=c._headers())
            body = conn.getresponse().read()
        finally:
            conn.close()
        return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True,
                              check=True).stdout.decode("utf-8")

    def test_the_list_of_participants_is_in_each_languages_order(self):
        sess = self.new_session("308", 60)
        states = {}
        for code in ("ZM", "US", "EG", "DE", "ES"):  # entered in no particular order
            org = self.org("Mission of " + code, type="permanent_mission", country=code)
            # names a letter apart would be likely duplicates of each other: these are five people
            head = self.s.post("/api/v1/persons?force=true", {"given_name": "Ilse", "family_name": "Vorland" + code},
                               user="ana").json()
            extra = self.s.post("/api/v1/persons?force=true", {"given_name": "Tomas", "family_name": "Quell" + code},
                                user="ana").json()
            self.created("delegations", {"session": sess["id"], "organization": org["id"], "category": "member_state",
                                         "head": head["id"], "delegates": [{"kind": "persons", "id": head["id"]},
                                                                           {"kind": "persons", "id": extra["id"]}]})
            states[code] = self.s.get("/api/v1/countries/" + code, user="ana").json()["name"]
        igo = self.org("Northern Corridor Migration Forum", type="igo")
        self.created("delegations", {"session": sess["id"], "organization": igo["id"], "category": "igo"})
        orders = {"fr": ["DE", "EG", "ES", "US", "ZM"], "es": ["DE", "EG", "ES", "US", "ZM"],
                  "en": ["EG", "DE", "ES", "US", "ZM"]}
        for lang, codes in orders.items():
            with self.subTest(lang=lang):
                r = self.participants(sess, lang)
                self.assertStatus(r, 200)
                names = re.findall(r"<li><strong>([^<]+)</strong>", r.body)
                self.assertEqual(names, [states[c][lang] for c in codes] + ["Northern Corridor Migration Forum"])
                self.assertIn("Ilse VorlandDE", r.body)
                csv = self.participants(sess, lang, ".csv")
                self.assertStatus(csv, 200)
                lines = csv.body.strip().split("\r\n")
                self.assertEqual(len(lines), 1 + 2 * 5)  # a header, then each head and delegate of the five States
                self.assertEqual([l.split(",")[1] for l in lines[1::2]], [states[c][lang] for c in codes])
                pdf = self.participants(sess, lang, ".pdf")
                self.assertStatus(pdf, 200)
                self.assertEqual(pdf.header("Content-Type"), "application/pdf")
                text = self.pdf_text("/sessions/%d/participants.pdf?lang=%s" % (sess["id"], lang))
                at = [text.index(states[c][lang]) for c in codes]
                self.assertEqual(at, sorted(at))
        fr = self.participants(sess, "fr").body
        self.assertIn("États Membres", fr)
        self.assertIn("Chef de délégation", fr)

    def test_the_list_of_participants_of_an_unknown_session_is_404(self):
        c = Client(self.s, "en")
        self.assertEqual(c.sign_in("ana").status, 303)
        for suffix in ("", ".csv", ".pdf"):
            self.assertEqual(c.get("/sessions/999999/participants" + suffix).status, 404)

    # ---- decisions ----

    def test_decisions_are_numbered_as_resolutions_of_a_session(self):
        d = self.created("decisions", {"symbol": "C/115/RES/1412", "title": {"en": "Budget"}})
        self.assertEqual(d["session"], self.session["id"])
        for symbol in ("C/115/1", "C/115/RES/01", "C/115/RES/1412/"):
            with self.subTest(symbol=symbol):
                self.assertProblem(self.post("decisions", {"symbol": symbol, "title": {"en": "Bad"}}), 422, "symbol")

    def test_a_decisions_actions_are_follow_ups_on_the_departments_list(self):
        d = self.created("decisions", {"symbol": "C/115/RES/1413", "title": {"en": "Migration data", "fr": "Données migratoires"}})
        bruno = self.s.get("/api/v1/users/bruno", user="root").json()["id"]
        action = self.created("follow-ups", {"task": "Report on the migration data in six months", "owner": bruno,
                                             "due_date": day(180), "decision": d["id"]})
        self.assertEqual((action["decision"], action["status"]), (d["id"], "open"))
        self.assertProblem(self.post("follow-ups", {"task": "Nowhere", "owner": bruno, "due_date": day(9),
                                                    "decision": 999999}), 422, "decision")
        listed = self.s.get("/api/v1/follow-ups?decision=%d" % d["id"], user="bruno").json()["items"]
        self.assertEqual([f["id"] for f in listed], [action["id"]])
        mine = self.s.get("/api/v1/follow-ups?owner=%d&status=open" % bruno, user="bruno").json()["items"]
        self.assertIn(action["id"], [f["id"] for f in mine])
        # the decision's page lists its actions and offers to add one for it, in the reader's language
        c = Client(self.s, "fr")
        self.assertEqual(c.sign_in("ana").status, 303)
        page = c.get("/decisions/%d" % d["id"]).body
        self.assertIn("/follow-ups/%d" % action["id"], page)
        self.assertIn("/follow-ups/new?decision=%d" % d["id"], page)

    # ---- who may ----

    def test_viewers_read_and_do_not_write(self):
        self.assertStatus(self.s.get("/api/v1/sessions", user="dora"), 200)
        r = self.post("sessions", {"body": "C", "number": "400", "starts_on": day(50), "ends_on": day(51)}, user="dora")
        self.assertProblem(r, 403)
        self.assertProblem(self.post("bodies", {"series": "X", "type": "council", "name": {"en": "X"}}, user="ana"), 403)


if __name__ == "__main__":
    unittest.main()
