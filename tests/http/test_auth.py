"""Authentication: API tokens, the browser session with its CSRF token, sign-out and the
throttling of failed sign-ins (API.md, docs/api.md "Authentication")."""
import http.client
import json

from harness import PASSWORD, ServerTest, session_cookie


class NoOrBadCredentials(ServerTest):
    def test_no_credentials_is_401_problem_with_www_authenticate(self):
        for path in ("/api/v1/organizations", "/api/v1/organizations/1", "/api/v1/persons", "/api/v1/interactions"):
            with self.subTest(path=path):
                r = self.s.get(path)
                self.assertProblem(r, 401)
                self.assertTrue(r.header("WWW-Authenticate").startswith("Bearer"), r.headers)

    def test_no_credentials_write_is_401_and_nothing_written(self):
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Anonymous Writers' Circle"}, "type": "cso"})
        self.assertProblem(r, 401)
        names = [o["name"]["en"] for o in self.s.get("/api/v1/organizations?limit=500", user="root").json()["items"]]
        self.assertNotIn("Anonymous Writers' Circle", names)

    def test_bad_bearer_token_is_401(self):
        for authz in ("Bearer lia_not-a-real-token", "Bearer ", "Basic YW5hOnB3", "Bearer " + self.s.tokens["ana"] + "x"):
            with self.subTest(authz=authz):
                r = self.s.get("/api/v1/organizations", headers={"Authorization": authz})
                self.assertProblem(r, 401)
                self.assertTrue(r.header("WWW-Authenticate"))

    def test_bad_token_is_401_even_on_a_public_route(self):
        # credentials that are wrong are refused, not silently treated as the public
        self.assertProblem(self.s.get("/api/v1/countries/FR", headers={"Authorization": "Bearer nope"}), 401)
        self.assertStatus(self.s.get("/api/v1/countries/FR"), 200)

    def test_good_token_reads(self):
        self.assertStatus(self.s.get("/api/v1/organizations", user="dora"), 200)

    def test_whoami_with_a_token_shows_role_and_division_and_no_csrf(self):
        me = self.s.get("/api/v1/session", user="ana")
        self.assertStatus(me, 200)
        doc = me.json()
        self.assertEqual((doc["name"], doc["role"], doc["division"]), ("ana", "staff", "IPD"))
        self.assertNotIn("csrf_token", doc)
        doc = self.s.get("/api/v1/session", user="carmen").json()
        self.assertEqual((doc["role"], doc["division"]), ("director", None))
        self.assertProblem(self.s.get("/api/v1/session"), 401)


class BrowserSession(ServerTest):
    def sign_in(self, name="ana", password=PASSWORD):
        return self.s.post("/api/v1/session", {"name": name, "password": password})

    def with_cookie(self, method, path, cookie, csrf=None, body=None):
        headers = {"Cookie": cookie}
        if csrf is not None:
            headers["X-CSRF-Token"] = csrf
        return self.s.request(method, path, body=body, headers=headers)

    def test_sign_in_sets_a_strict_httponly_cookie_and_gives_a_csrf_token(self):
        r = self.sign_in()
        self.assertStatus(r, 201)
        set_cookie = r.header("Set-Cookie")
        self.assertTrue(set_cookie.startswith("liaison_session="), set_cookie)
        attrs = [a.strip().lower() for a in set_cookie.split(";")]
        self.assertIn("httponly", attrs)
        self.assertIn("samesite=strict", attrs)
        self.assertIn("path=/", attrs)
        value = session_cookie(r).split("=", 1)[1]
        self.assertGreaterEqual(len(value), 32)
        doc = r.json()
        self.assertEqual((doc["name"], doc["role"], doc["division"]), ("ana", "staff", "IPD"))
        self.assertEqual(len(doc["csrf_token"]), 64)
        self.assertNotIn(value, json.dumps(doc))  # the session id stays in the cookie only

    def test_cookie_reads_and_whoami_shows_role_division_and_csrf(self):
        r = self.sign_in("bruno")
        cookie, csrf = session_cookie(r), r.json()["csrf_token"]
        self.assertStatus(self.with_cookie("GET", "/api/v1/organizations", cookie), 200)
        me = self.with_cookie("GET", "/api/v1/session", cookie)
        self.assertStatus(me, 200)
        doc = me.json()
        self.assertEqual((doc["name"], doc["role"], doc["division"]), ("bruno", "staff", "DRD"))
        self.assertEqual(doc["csrf_token"], csrf)

    def test_cookie_write_needs_the_csrf_token(self):
        r = self.sign_in()
        cookie, csrf = session_cookie(r), r.json()["csrf_token"]
        body = {"name": {"en": "Tessaly Harbour Workers' League"}, "type": "cso"}
        before = len(self.s.get("/api/v1/organizations?limit=500", user="root").json()["items"])
        self.assertProblem(self.with_cookie("POST", "/api/v1/organizations?force=true", cookie, body=body), 403)
        self.assertProblem(self.with_cookie("POST", "/api/v1/organizations?force=true", cookie, csrf="0" * 64, body=body), 403)
        self.assertProblem(self.with_cookie("POST", "/api/v1/organizations?force=true", cookie, csrf=csrf[:-1], body=body), 403)
        self.assertEqual(len(self.s.get("/api/v1/organizations?limit=500", user="root").json()["items"]), before)
        created = self.with_cookie("POST", "/api/v1/organizations?force=true", cookie, csrf=csrf, body=body)
        self.assertStatus(created, 201)
        rec = created.json()
        self.assertEqual(rec["division"], "IPD")
        got = self.s.get("/api/v1/organizations/%d" % rec["id"], user="root").json()
        self.assertEqual(got["created_by"], self.s.get("/api/v1/users/ana", user="root").json()["id"])

    def test_csrf_token_of_another_session_is_refused(self):
        a = self.sign_in("ana")
        b = self.sign_in("carmen")
        body = {"name": {"en": "Cross Session Forgery Society"}, "type": "cso"}
        r = self.with_cookie("POST", "/api/v1/organizations?force=true", session_cookie(a), csrf=b.json()["csrf_token"], body=body)
        self.assertProblem(r, 403)

    def test_sign_out_ends_the_session(self):
        r = self.sign_in("dora")
        cookie, csrf = session_cookie(r), r.json()["csrf_token"]
        self.assertStatus(self.with_cookie("GET", "/api/v1/organizations", cookie), 200)
        out = self.with_cookie("DELETE", "/api/v1/session", cookie, csrf=csrf)
        self.assertStatus(out, 204)
        cleared = out.header("Set-Cookie")
        self.assertTrue(cleared.startswith("liaison_session=;"), cleared)
        self.assertIn("max-age=0", cleared.lower())
        after = self.with_cookie("GET", "/api/v1/organizations", cookie)
        self.assertProblem(after, 401)
        self.assertProblem(self.with_cookie("GET", "/api/v1/session", cookie), 401)

    def test_sign_out_without_csrf_is_refused_and_the_session_stays(self):
        r = self.sign_in("emil")
        cookie = session_cookie(r)
        self.assertProblem(self.with_cookie("DELETE", "/api/v1/session", cookie), 403)
        self.assertStatus(self.with_cookie("GET", "/api/v1/session", cookie), 200)

    def test_unknown_session_cookie_is_401(self):
        self.assertProblem(self.with_cookie("GET", "/api/v1/organizations", "liaison_session=" + "ab" * 32), 401)

    def test_one_wrong_password_is_401_without_a_cookie(self):
        r = self.sign_in("root", "not-the-password-at-all")
        self.assertProblem(r, 401)
        self.assertIsNone(session_cookie(r))

    def test_bad_sign_in_bodies(self):
        self.assertProblem(self.s.post("/api/v1/session", {"name": "ana"}), 422)
        self.assertProblem(self.s.post("/api/v1/session", {"name": "ana", "password": 12}), 422)
        self.assertProblem(self.s.request("POST", "/api/v1/session", raw=b"name=ana&password=x",
                                          headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
        self.assertProblem(self.s.request("POST", "/api/v1/session", raw=b'{"name": "ana",',
                                          headers={"Content-Type": "application/json"}), 400)


class Throttling(ServerTest):
    """Five failed sign-ins for one account (or from one address) in 15 minutes: 429."""

    def sign_in(self, name, password, source="127.0.0.1"):
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30, source_address=(source, 0))
        try:
            conn.request("POST", "/api/v1/session", body=json.dumps({"name": name, "password": password}),
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = resp.read().decode()
            return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), body
        finally:
            conn.close()

    def test_1_five_failures_then_429_even_with_the_right_password(self):
        for i in range(5):
            status, _, body = self.sign_in("ana", "wrong-password-%d" % i, source="127.0.0.2")
            self.assertEqual(status, 401, body)
        status, headers, body = self.sign_in("ana", PASSWORD, source="127.0.0.2")
        self.assertEqual(status, 429, body)
        self.assertEqual(headers["content-type"], "application/problem+json")
        self.assertEqual(json.loads(body)["status"], 429)
        wait = int(headers["retry-after"])
        self.assertTrue(0 < wait <= 900, wait)
        self.assertNotIn("set-cookie", headers)
        # the account is locked from anywhere, not only from the address that failed
        status, headers, body = self.sign_in("ana", PASSWORD, source="127.0.0.3")
        self.assertEqual(status, 429, body)
        self.assertIn("retry-after", headers)
        # and another account from a fresh address is not
        status, _, body = self.sign_in("bruno", PASSWORD, source="127.0.0.3")
        self.assertEqual(status, 201, body)
        # the account's API token still works: throttling is about sign-ins
        self.assertStatus(self.s.get("/api/v1/session", user="ana"), 200)

    def test_2_five_failures_from_one_address_lock_that_address(self):
        for name in ("carmen", "dora", "emil", "nobody-at-all", "root"):
            status, _, body = self.sign_in(name, "wrong-password-x", source="127.0.0.4")
            self.assertEqual(status, 401, body)
        status, headers, body = self.sign_in("bruno", PASSWORD, source="127.0.0.4")
        self.assertEqual(status, 429, body)
        self.assertIn("retry-after", headers)
        # each of those accounts failed only once: from another address they sign in
        status, _, body = self.sign_in("carmen", PASSWORD, source="127.0.0.5")
        self.assertEqual(status, 201, body)

    def test_3_four_failures_then_the_right_password_signs_in(self):
        # carmen's one failure in test_2 was cleared by her sign-in from 127.0.0.5
        for i in range(4):
            status, _, body = self.sign_in("carmen", "wrong-%d-password" % i, source="127.0.0.6")
            self.assertEqual(status, 401, body)
        status, _, body = self.sign_in("carmen", PASSWORD, source="127.0.0.6")
        self.assertEqual(status, 201, body)


class SessionFollowsTheAccount(ServerTest):
    def test_role_change_and_archiving_take_effect_on_open_sessions(self):
        u = self.s.post("/api/v1/users", {"name": "farah", "role": "staff", "division": "MCD"}, user="root").json()
        self.assertStatus(self.s.post("/api/v1/users/%d/password" % u["id"], {"password": "farah-long-password"}, user="root"), 204)
        r = self.s.post("/api/v1/session", {"name": "farah", "password": "farah-long-password"})
        self.assertStatus(r, 201)
        headers = {"Cookie": session_cookie(r), "X-CSRF-Token": r.json()["csrf_token"]}
        body = {"name": {"en": "Farah's Harbour Circle"}, "type": "cso"}
        created = self.s.request("POST", "/api/v1/organizations?force=true", body=body, headers=dict(headers))
        self.assertStatus(created, 201)
        self.assertEqual(created.json()["division"], "MCD")
        # made a viewer: the open session writes nothing more
        self.assertStatus(self.s.patch("/api/v1/users/%d" % u["id"], {"role": "viewer"}, u["version"], user="root"), 200)
        self.assertProblem(self.s.request("POST", "/api/v1/organizations?force=true", body=body, headers=dict(headers)), 403)
        self.assertEqual(self.s.request("GET", "/api/v1/session", headers=dict(headers)).json()["role"], "viewer")
        # archived: the session ends and signing in fails
        self.assertStatus(self.s.delete("/api/v1/users/%d" % u["id"], user="root"), 204)
        self.assertProblem(self.s.request("GET", "/api/v1/organizations", headers=dict(headers)), 401)
        self.assertProblem(self.s.post("/api/v1/session", {"name": "farah", "password": "farah-long-password"}), 401)
