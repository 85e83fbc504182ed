"""The generic API conventions of API.md, on organizations and countries."""
import json

from harness import ServerTest
from test_openapi import kinds


class CreateReadUpdateArchive(ServerTest):
    def test_create_answers_201_with_location_and_version(self):
        r = self.s.post("/api/v1/organizations", {"name": {"en": "Tessaly Harbour Workers' League", "fr": "Ligue des travailleurs du port de Tessaly"}, "type": "cso", "country": "PH"}, user="ana")
        self.assertStatus(r, 201)
        rec = r.json()
        self.assertEqual(r.header("Location"), "/api/v1/organizations/%d" % rec["id"])
        self.assertEqual(rec["version"], 1)
        self.assertEqual(rec["name"]["fr"], "Ligue des travailleurs du port de Tessaly")
        self.assertEqual(rec["division"], "IPD")  # the creator's division by default

    def test_get_has_etag_of_the_version(self):
        rec = self.org("Quillon Diaspora Forum")
        r = self.s.get("/api/v1/organizations/%d" % rec["id"], user="dora")
        self.assertStatus(r, 200)
        self.assertEqual(r.header("ETag"), '"1"')

    def test_patch_with_current_version_changes_and_bumps_version(self):
        rec = self.org("Marova Migrant Aid")
        r = self.s.patch("/api/v1/organizations/%d" % rec["id"], {"acronym": "MMA", "name": {"fr": "Aide aux migrants de Marova"}}, 1, user="ana")
        self.assertStatus(r, 200)
        out = r.json()
        self.assertEqual(out["version"], 2)
        self.assertEqual(out["acronym"], "MMA")
        self.assertEqual(out["name"], {"en": "Marova Migrant Aid", "fr": "Aide aux migrants de Marova", "es": None})

    def test_stale_version_is_412_and_nothing_written(self):
        rec = self.org("Velden Refugee Council")
        path = "/api/v1/organizations/%d" % rec["id"]
        self.assertStatus(self.s.patch(path, {"acronym": "VRC"}, 1, user="ana"), 200)
        r = self.s.patch(path, {"acronym": "LOST"}, 1, user="ana")
        self.assertProblem(r, 412)
        self.assertEqual(self.s.get(path, user="ana").json()["acronym"], "VRC")

    def test_patch_without_if_match_is_428(self):
        rec = self.org("Orsk Labour Mobility Office")
        self.assertProblem(self.s.patch("/api/v1/organizations/%d" % rec["id"], {"acronym": "X"}, None, user="ana"), 428)

    def test_malformed_if_match_is_400(self):
        rec = self.org("Pellan Return Network")
        r = self.s.request("PATCH", "/api/v1/organizations/%d" % rec["id"], body={"acronym": "X"}, user="ana", headers={"If-Match": "3"})
        self.assertProblem(r, 400)

    def test_delete_archives_and_hides_from_lists(self):
        rec = self.org("Archivable Test Association Zeta")
        path = "/api/v1/organizations/%d" % rec["id"]
        self.assertStatus(self.s.delete(path, user="ana"), 204)
        got = self.s.get(path, user="ana").json()
        self.assertTrue(got["archived"])
        ids = [o["id"] for o in self.s.get("/api/v1/organizations?limit=500", user="ana").json()["items"]]
        self.assertNotIn(rec["id"], ids)
        ids = [o["id"] for o in self.s.get("/api/v1/organizations?limit=500&archived=true", user="ana").json()["items"]]
        self.assertIn(rec["id"], ids)
        self.assertProblem(self.s.patch(path, {"acronym": "Z"}, got["version"], user="ana"), 409)

    def test_unknown_record_is_404_problem(self):
        self.assertProblem(self.s.get("/api/v1/organizations/999999", user="ana"), 404)
        self.assertProblem(self.s.get("/api/v1/organizations/abc", user="ana"), 404)
        self.assertProblem(self.s.get("/api/v1/nothings", user="ana"), 404)

    def test_wrong_method_is_405_with_allow(self):
        r = self.s.request("PUT", "/api/v1/organizations/1", user="ana")
        self.assertProblem(r, 405)
        self.assertIn("PATCH", r.header("Allow"))


class Lists(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for i in range(25):
            body = {"name": {"en": "Listing Body %02d" % i}, "type": "igo" if i % 2 else "cso", "country": "SN" if i % 3 == 0 else "MX", "tags": ["t%d" % (i % 4)]}
            r = cls.s.post("/api/v1/organizations?force=true", body, user="ana")
            assert r.status == 201, r

    def all_pages(self, query):
        seen, cursor = [], None
        for _ in range(100):
            path = "/api/v1/organizations?" + query + ("&cursor=" + cursor if cursor else "")
            page = self.s.get(path, user="ana").json()
            seen.extend(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                return seen
        self.fail("cursor never ended")

    def test_cursor_pages_cover_everything_once_in_order(self):
        items = self.all_pages("limit=4&sort=name")
        names = [o["name"]["en"] for o in items]
        self.assertEqual(len(names), 25)
        self.assertEqual(names, sorted(names))

    def test_descending_sort_and_second_key(self):
        items = self.all_pages("limit=7&sort=-type,name")
        keys = [(o["type"], o["name"]["en"]) for o in items]
        self.assertEqual(keys, sorted(keys, key=lambda k: (-ord(k[0][0]), k[1])))

    def test_filters_on_fields(self):
        items = self.all_pages("limit=50&type=igo&country=SN")
        self.assertTrue(items)
        for o in items:
            self.assertEqual((o["type"], o["country"]), ("igo", "SN"))
        tagged = self.all_pages("limit=50&tags=t1")
        self.assertTrue(tagged)
        for o in tagged:
            self.assertIn("t1", o["tags"])

    def test_bad_list_parameters_are_400(self):
        for q in ("limit=0", "limit=501", "limit=x", "sort=nonsense", "nonsense=1", "cursor=%%%", "cursor=WyJhIl0", "name=x"):
            self.assertProblem(self.s.get("/api/v1/organizations?" + q, user="ana"), 400)


class Platform(ServerTest):
    def test_healthz_without_credentials(self):
        r = self.s.get("/healthz")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["status"], "ok")

    def test_metrics_prometheus_text(self):
        self.s.get("/healthz")
        r = self.s.get("/metrics", user="root")
        self.assertStatus(r, 200)
        self.assertIn("liaison_http_requests_total{route=\"/healthz\",status=\"200\"}", r.body)
        self.assertIn("liaison_http_request_duration_seconds_bucket{le=\"+Inf\"}", r.body)
        self.assertIn("liaison_store_statements_total", r.body)

    def test_openapi_describes_every_kind(self):
        r = self.s.get("/api/v1/openapi.json")
        self.assertStatus(r, 200)
        doc = r.json()
        self.assertEqual(doc["openapi"], "3.1.0")
        every = kinds()   # from the areas' descriptions, not a list kept here
        self.assertGreater(len(every), 10)
        for kind in every:
            self.assertIn("/api/v1/" + kind, doc["paths"])
            self.assertIn(kind, doc["components"]["schemas"])
        self.assertIn("igo", json.dumps(doc["components"]["schemas"]["organizations.members"]))

    def test_country_by_iso_code_in_three_languages(self):
        r = self.s.get("/api/v1/countries/DE")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["name"], {"en": "Germany", "fr": "Allemagne", "es": "Alemania"})
        total, cursor = 0, ""
        while True:
            page = self.s.get("/api/v1/countries?limit=100" + cursor).json()
            total += len(page["items"])
            if not page["next_cursor"]:
                break
            cursor = "&cursor=" + page["next_cursor"]
        self.assertEqual(total, 249)


class Head(ServerTest):
    def test_head_answers_like_get_without_a_body(self):
        r = self.s.request("HEAD", "/api/v1/countries/FR")
        self.assertStatus(r, 200)
        self.assertEqual(r.body, "")
        self.assertEqual(r.header("Content-Type"), "application/json")
