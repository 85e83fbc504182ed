"""HTTP as RFC 9110 has it: conditional requests (If-Match with "*", lists, weak and stale tags;
If-None-Match and 304), OPTIONS and HEAD on every address, and one Cache-Control per answer."""
import http.client
import re

from harness import ServerTest

USERS = [("ana", "staff", "IPD"), ("dora", "viewer", "IPD")]


class RfcTest(ServerTest):
    users = USERS

    def record(self, name):
        return self.org(name)  # version 1

    def path(self, rec):
        return "/api/v1/organizations/%d" % rec["id"]

    def patch_with(self, rec, *if_match, user="ana", acronym="NEW"):
        """PATCH with one If-Match line per value (none when no value is given)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30)
        try:
            body = ('{"acronym": "%s"}' % acronym).encode()
            conn.putrequest("PATCH", self.path(rec))
            conn.putheader("Authorization", "Bearer " + self.s.tokens[user])
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(len(body)))
            for value in if_match:
                conn.putheader("If-Match", value)
            conn.endheaders(body)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def version(self, rec):
        return self.s.get(self.path(rec), user="ana").json()["version"]


class IfMatch(RfcTest):
    def test_star_matches_the_current_record(self):
        rec = self.record("Asterisk Harbour Council")
        self.assertEqual(self.patch_with(rec, "*")[0], 200)
        self.assertEqual(self.patch_with(rec, " * ", acronym="AGAIN")[0], 200)
        self.assertEqual(self.version(rec), 3)

    def test_a_list_matches_when_one_strong_tag_is_the_current_version(self):
        rec = self.record("Listed Ports Alliance")
        self.assertEqual(self.patch_with(rec, '"7", "1"')[0], 200)
        self.assertEqual(self.patch_with(rec, '"1", W/"2"')[0], 412)  # the strong one is stale
        self.assertEqual(self.patch_with(rec, '"9",,"2" ,')[0], 200)  # empty elements are allowed
        self.assertEqual(self.patch_with(rec, '"8"', '"3"')[0], 200)  # two lines are one list
        self.assertEqual(self.version(rec), 4)

    def test_weak_and_stale_tags_are_412_and_nothing_is_written(self):
        rec = self.record("Weakly Tagged Ferry Guild")
        for tag in ('W/"1"', '"0"', '"99"', '"2"', '"01"', '"abc"', '""', 'W/"1", "5"'):
            with self.subTest(tag=tag):
                status, body = self.patch_with(rec, tag)
                self.assertEqual(status, 412, body)
        got = self.s.get(self.path(rec), user="ana").json()
        self.assertEqual((got["version"], got["acronym"]), (1, None))

    def test_a_malformed_header_is_400_and_nothing_is_written(self):
        rec = self.record("Malformed Tag Society")
        for tag in ("1", '"1', '1"', "W/1", 'w/"1"', '"1" "2"', '*, "1"', '"1";', "", " ", ",", '"a"b"'):
            with self.subTest(tag=tag):
                status, body = self.patch_with(rec, tag)
                self.assertEqual(status, 400, body)
        self.assertEqual(self.version(rec), 1)

    def test_without_if_match_is_428(self):
        rec = self.record("Unconditional Writers Union")
        self.assertEqual(self.patch_with(rec)[0], 428)

    def test_other_refusals_come_before_412(self):
        rec = self.record("Precedence Test Network")
        self.assertEqual(self.patch_with(rec, '"99"', user="dora")[0], 403)  # a viewer may not write
        gone = dict(rec, id=rec["id"] + 100000)
        self.assertEqual(self.patch_with(gone, '"99"')[0], 404)


class IfNoneMatch(RfcTest):
    def get(self, rec, tag, method="GET"):
        return self.s.request(method, self.path(rec), user="ana", headers={"If-None-Match": tag})

    def test_the_current_tag_is_304_with_the_tag_and_no_body(self):
        rec = self.record("Cached Copy Cooperative")
        for tag in ('"1"', 'W/"1"', "*", '"5", "1"', 'W/"0", W/"1"'):
            with self.subTest(tag=tag):
                r = self.get(rec, tag)
                self.assertEqual(r.status, 304, r)
                self.assertEqual(r.header("ETag"), '"1"')
                self.assertEqual(r.body, "")
        self.assertEqual(self.get(rec, '"1"', method="HEAD").status, 304)

    def test_a_stale_or_malformed_tag_gets_the_record(self):
        rec = self.record("Stale Copy Cooperative")
        self.assertEqual(self.patch_with(rec, '"1"')[0], 200)
        for tag in ('"1"', 'W/"1"', '"2', "2"):
            with self.subTest(tag=tag):
                r = self.get(rec, tag)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.header("ETag"), '"2"')
                self.assertEqual(r.json()["acronym"], "NEW")

    def test_lists_are_not_conditional(self):
        self.record("Unconditional List Member")
        r = self.s.get("/api/v1/organizations", user="ana", headers={"If-None-Match": "*"})
        self.assertEqual(r.status, 200)


class Methods(RfcTest):
    def options(self, path):
        r = self.s.request("OPTIONS", path)
        return r, set(m.strip() for m in (r.header("Allow") or "").split(",") if m.strip())

    def test_options_on_every_documented_address_lists_its_methods_with_head(self):
        doc = self.s.get("/api/v1/openapi.json").json()
        self.assertGreater(len(doc["paths"]), 10)
        for path, ops in doc["paths"].items():
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            documented = {m.upper() for m in ops if m in ("get", "post", "patch", "put", "delete")}
            with self.subTest(path=path):
                r, allowed = self.options(concrete)
                self.assertEqual(r.status, 204, r)
                self.assertEqual(r.body, "")
                self.assertLessEqual(documented, allowed)
                self.assertIn("OPTIONS", allowed)
                self.assertEqual("GET" in allowed, "HEAD" in allowed)

    def test_options_lists_exactly_what_the_address_answers(self):
        rec = self.record("Optional Methods Forum")
        self.assertEqual(self.options(self.path(rec))[1], {"GET", "HEAD", "PATCH", "DELETE", "OPTIONS"})
        self.assertEqual(self.options("/api/v1/organizations")[1], {"GET", "HEAD", "POST", "OPTIONS"})
        self.assertEqual(self.options("/healthz")[1], {"GET", "HEAD", "OPTIONS"})
        self.assertEqual(self.options("/sign-in")[1], {"GET", "HEAD", "POST", "OPTIONS"})
        self.assertEqual(self.options("/api/v1/no/such/address/here")[0].status, 404)

    def test_a_405_allows_head_and_options_too(self):
        r = self.s.request("PUT", "/api/v1/organizations", user="ana", raw=b"{}",
                           headers={"Content-Type": "application/json"})
        self.assertProblem(r, 405)
        self.assertEqual(set(m.strip() for m in r.header("Allow").split(",")), {"GET", "HEAD", "POST", "OPTIONS"})

    def test_head_answers_like_get_without_a_body(self):
        rec = self.record("Headless Horse Breeders")
        for path, user in ((self.path(rec), "ana"), ("/static/liaison.css", None), ("/sign-in", None),
                           ("/api/v1/organizations/999999", "ana")):
            with self.subTest(path=path):
                get = self.s.get(path, user=user)
                head = self.s.request("HEAD", path, user=user)
                self.assertEqual(head.status, get.status)
                self.assertEqual(head.body, "")
                self.assertEqual(head.header("Content-Type"), get.header("Content-Type"))
                self.assertEqual(head.header("ETag"), get.header("ETag"))
                if path != "/sign-in":  # the sign-in form's token differs from one answer to the next
                    self.assertEqual(int(head.header("Content-Length")), len(get.body.encode()))


class CacheControl(RfcTest):
    def cache_control(self, resp):
        return [v for k, v in resp.headers if k.lower() == "cache-control"]

    def test_static_files_send_one_cache_control_their_own(self):
        for name in ("liaison.css", "liaison.js"):
            with self.subTest(name=name):
                r = self.s.get("/static/" + name)
                self.assertEqual(r.status, 200)
                self.assertEqual(self.cache_control(r), ["public, max-age=3600"])

    def test_everything_else_sends_one_no_store(self):
        rec = self.record("Uncached Records Office")
        for path in (self.path(rec), "/healthz", "/sign-in", "/static/no-such-file.css"):
            with self.subTest(path=path):
                self.assertEqual(self.cache_control(self.s.get(path, user="ana")), ["no-store"])
