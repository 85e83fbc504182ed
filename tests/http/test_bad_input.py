"""Bad input of every kind: each is refused with the documented status, never a 500, nothing
is written, and the server goes on answering."""
import http.client
import json
import socket
import threading

from harness import Response, Server, ServerTest, all_items, last_audit_id


class Guarded(ServerTest):
    """After every test: nothing was written (audit log and organization count unchanged)
    and /healthz still answers."""

    def setUp(self):
        self.audit_before = last_audit_id(self.s)
        self.orgs_before = len(all_items(self.s, "/api/v1/organizations?archived=true"))
        self.persons_before = len(all_items(self.s, "/api/v1/persons?archived=true"))

    def tearDown(self):
        self.assertEqual(self.s.get("/healthz").status, 200)
        if not getattr(self, "writes_expected", False):
            self.assertEqual(last_audit_id(self.s), self.audit_before, "something was written")
            self.assertEqual(len(all_items(self.s, "/api/v1/organizations?archived=true")), self.orgs_before)
            self.assertEqual(len(all_items(self.s, "/api/v1/persons?archived=true")), self.persons_before)

    def raw_post(self, path, data, content_type="application/json", user="ana"):
        headers = {"Content-Type": content_type} if content_type else {}
        return self.s.request("POST", path, raw=data, user=user, headers=headers)

    def org(self, **fields):
        body = {"name": {"en": "Tessaly Harbour Workers' League"}, "type": "cso"}
        body.update(fields)
        return body


class MalformedBodies(Guarded):
    def test_malformed_json_names_line_and_column(self):
        r = self.raw_post("/api/v1/organizations", b'{"name": {"en": "Quillon Forum"}, "type": "cso",,}')
        p = self.assertProblem(r, 400)
        self.assertRegex(p["detail"], r"line 1, column \d+")
        r = self.raw_post("/api/v1/organizations", b'{\n  "name": {"en": "Quillon Forum"},\n  "type": cso\n}')
        p = self.assertProblem(r, 400)
        self.assertRegex(p["detail"], r"line 3, column \d+")

    def test_truncated_and_empty_bodies_are_400(self):
        for data in (b'{"name": {"en": "Quillon', b"", b"   ", b"{", b"nul"):
            with self.subTest(data=data):
                self.assertProblem(self.raw_post("/api/v1/organizations", data), 400)

    def test_wrong_content_type_is_415(self):
        data = json.dumps(self.org()).encode()
        for ct in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx", "multipart/form-data; boundary=x", None):
            with self.subTest(content_type=ct):
                self.assertProblem(self.raw_post("/api/v1/organizations", data, content_type=ct), 415)
        rec = self.s.get("/api/v1/countries/FR", user="root").json()
        r = self.s.request("PATCH", "/api/v1/countries/FR", raw=b'{"membership":"member"}', user="root",
                           headers={"Content-Type": "text/plain", "If-Match": '"%d"' % rec["version"]})
        self.assertProblem(r, 415)

    def test_body_that_is_not_an_object_is_400(self):
        for data in (b"[1, 2]", b'[{"name": {"en": "x"}, "type": "cso"}]', b'"a string"', b"42", b"null", b"true"):
            with self.subTest(data=data):
                self.assertProblem(self.raw_post("/api/v1/organizations", data), 400)

    def test_invalid_utf8_is_400(self):
        for data in (b'{"name": {"en": "Tessaly \xff\xfe Harbour"}, "type": "cso"}',
                     b'{"name": {"en": "Overlong \xc0\xaf slash"}, "type": "cso"}',
                     b'{"name": {"en": "Surrogate \xed\xa0\x80 half"}, "type": "cso"}',
                     b'{"name": {"en": "Cut \xe2\x82"}, "type": "cso"}'):
            with self.subTest(data=data):
                self.assertProblem(self.raw_post("/api/v1/organizations?force=true", data), 400)

    def test_duplicate_keys_are_400(self):
        data = b'{"name": {"en": "Marova Migrant Aid"}, "type": "cso", "type": "igo"}'
        self.assertProblem(self.raw_post("/api/v1/organizations?force=true", data), 400)
        data = b'{"name": {"en": "Marova Migrant Aid", "en": "Other"}, "type": "cso"}'
        self.assertProblem(self.raw_post("/api/v1/organizations?force=true", data), 400)

    def test_nul_escape_is_refused(self):
        r = self.raw_post("/api/v1/organizations?force=true", b'{"name": {"en": "Nul\\u0000Byte Society"}, "type": "cso"}')
        self.assertIn(r.status, (400, 422), r)
        self.assertProblem(r, r.status)
        r = self.raw_post("/api/v1/persons?force=true", b'{"family_name": "Okonkwo\\u0000Ferreira"}')
        self.assertIn(r.status, (400, 422), r)

    def test_control_characters_in_text_are_422(self):
        r = self.s.post("/api/v1/organizations?force=true", self.org(name={"en": "Bell\u0007Ringers"}, acronym="A\u001bB"), user="ana")
        p = self.assertProblem(r, 422, "name.en")
        self.assertIn("acronym", [e["field"] for e in p["errors"]])
        # C1 controls too (U+0085, U+009B), as the intakes drop them (a no-break space is text: test_textfit)
        r = self.s.post("/api/v1/organizations?force=true", self.org(name={"en": "Bell\u0085Ringers"}, acronym="A\u009bB"), user="ana")
        p = self.assertProblem(r, 422, "name.en")
        self.assertIn("acronym", [e["field"] for e in p["errors"]])

    def test_deep_nesting_is_refused_without_crashing(self):
        data = b'{"notes": ' + b"[" * 200000 + b"]" * 200000 + b', "name": {"en": "Deep"}, "type": "cso"}'
        self.assertProblem(self.raw_post("/api/v1/organizations?force=true", data), 400)
        data = b'{"a":' * 100000 + b"1" + b"}" * 100000
        self.assertProblem(self.raw_post("/api/v1/organizations?force=true", data), 400)

    def test_out_of_range_numbers_are_refused(self):
        r = self.raw_post("/api/v1/organizations?force=true",
                          b'{"name": {"en": "Big Parent Society"}, "type": "cso", "parent": 99999999999999999999999}')
        self.assertIn(r.status, (400, 422), r)
        self.assertProblem(r, r.status)
        for parent in (0, -5, 1.5, "1", True):
            with self.subTest(parent=parent):
                self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(parent=parent), user="ana"), 422, "parent")


class InvalidFields(Guarded):
    def test_unknown_field_is_422_and_named(self):
        p = self.assertProblem(self.s.post("/api/v1/organizations", self.org(colour="teal"), user="ana"), 422, "colour")
        self.assertEqual(len(p["errors"]), 1)

    def test_system_fields_cannot_be_written(self):
        for field, value in (("id", 5), ("version", 7), ("created_by", 1), ("archived", True), ("updated_at", "2026-01-01T00:00:00Z")):
            with self.subTest(field=field):
                self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(**{field: value}), user="ana"), 422, field)

    def test_wrong_types_are_422_each_named(self):
        body = {"name": "Tessaly Harbour Workers' League", "type": 5, "tags": "labour", "country": 12,
                "website": ["https://example.org"], "emails": "info@example.org", "address": {"street": "1 Quay"}}
        p = self.assertProblem(self.s.post("/api/v1/organizations?force=true", body, user="ana"), 422)
        fields = {e["field"] for e in p["errors"]}
        self.assertEqual(fields, {"name", "type", "tags", "country", "website", "emails", "address"})

    def test_every_problem_is_listed_not_just_the_first(self):
        body = {"name": {"en": "x" * 301, "de": "Liga"}, "type": "ngo", "country": "QQ", "website": "javascript:alert(1)",
                "emails": ["ok@example.org", "not-an-address"], "parent": 999999}
        p = self.assertProblem(self.s.post("/api/v1/organizations?force=true", body, user="ana"), 422)
        fields = {e["field"] for e in p["errors"]}
        want = {"name.en", "name.de", "type", "country", "website", "emails[1]", "parent"}
        self.assertTrue(want <= fields, fields)
        self.assertTrue(fields - want <= {"name"}, fields)  # "name is required" may come on top
        self.assertEqual(p["detail"], "Some fields are not valid: %d field(s) need attention" % len(p["errors"]))

    def test_missing_required_fields(self):
        p = self.assertProblem(self.s.post("/api/v1/organizations", {}, user="ana"), 422)
        self.assertEqual({e["field"] for e in p["errors"]}, {"name", "type"})
        p = self.assertProblem(self.s.post("/api/v1/organizations", {"name": {"en": ""}, "type": "cso"}, user="ana"), 422, "name")

    def test_overlong_name_is_422_and_the_limit_itself_is_accepted(self):
        self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(name={"en": "x" * 301}), user="ana"), 422, "name.en")
        self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(name={"fr": "é" * 301}), user="ana"), 422, "name.fr")
        # characters, not bytes: 300 two-byte characters fit
        r = self.s.post("/api/v1/organizations?force=true", self.org(name={"en": "é" * 300}), user="ana")
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["name"]["en"], "é" * 300)
        self.writes_expected = True

    def test_unknown_enum_is_422(self):
        self.assertProblem(self.s.post("/api/v1/organizations", self.org(type="ngo"), user="ana"), 422, "type")
        self.assertProblem(self.s.post("/api/v1/organizations", self.org(type="CSO"), user="ana"), 422, "type")
        self.assertProblem(self.s.post("/api/v1/persons", {"family_name": "Okonkwo", "preferred_language": "de"}, user="ana"), 422, "preferred_language")
        self.assertProblem(self.s.post("/api/v1/interactions", {"date": "2026-01-05", "kind": "telepathy", "subject": "x"}, user="ana"), 422, "kind")

    def test_bad_dates_are_422(self):
        for date in ("2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-1-5", "26-01-05", "2026-01-05T10:00:00Z", "tomorrow", ""):
            with self.subTest(date=date):
                r = self.s.post("/api/v1/interactions", {"date": date, "kind": "call", "subject": "Checking dates"}, user="ana")
                self.assertProblem(r, 422, "date")
                r = self.s.post("/api/v1/persons?force=true", {"family_name": "Okonkwo-Ferreira", "consent_date": date}, user="ana")
                self.assertProblem(r, 422, "consent_date")

    def test_leap_day_is_a_date(self):
        r = self.s.post("/api/v1/interactions", {"date": "2028-02-29", "kind": "call", "subject": "Leap day call"}, user="ana")
        self.assertStatus(r, 201)
        self.writes_expected = True

    def test_bad_emails_are_422(self):
        for email in ("amina.okonkwo", "@example.org", "amina@", "amina@example", "amina@@example.org",
                      "amina okonkwo@example.org", "<amina@example.org>", "amina@example.org,", "a@b."):
            with self.subTest(email=email):
                r = self.s.post("/api/v1/persons?force=true", {"family_name": "Okonkwo-Ferreira", "emails": [email]}, user="ana")
                self.assertProblem(r, 422, "emails[0]")

    def test_website_must_be_http_or_https(self):
        for url in ("javascript:alert(document.cookie)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x</b>",
                    "ftp://example.org", "//example.org", "https://", "http://exa mple.org", "exa mple.org",
                    "vbscript:msgbox", " https://example.org", "example"):  # "example.org" is https://example.org
            with self.subTest(url=url):
                self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(website=url), user="ana"), 422, "website")

    def test_references_to_missing_records_are_422(self):
        self.assertProblem(self.s.post("/api/v1/persons?force=true", {"family_name": "Okonkwo", "organization": 999999}, user="ana"), 422, "organization")
        self.assertProblem(self.s.post("/api/v1/persons?force=true", {"family_name": "Okonkwo", "country": "QQ"}, user="ana"), 422, "country")
        self.assertProblem(self.s.post("/api/v1/persons?force=true", {"family_name": "Okonkwo", "country": "fr"}, user="ana"), 422, "country")
        self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(country="ZZZ"), user="ana"), 422, "country")
        self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(parent=999999), user="ana"), 422, "parent")
        self.assertProblem(self.s.post("/api/v1/follow-ups", {"task": "Call back", "owner": 999999, "due_date": "2026-05-01", "status": "open"}, user="ana"), 422, "owner")

    def test_reference_to_an_archived_record_is_422(self):
        parent = self.s.post("/api/v1/organizations?force=true", self.org(name={"en": "Soon Archived Parent Body"}), user="ana").json()
        self.assertStatus(self.s.delete("/api/v1/organizations/%d" % parent["id"], user="ana"), 204)
        self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(parent=parent["id"]), user="ana"), 422, "parent")
        self.writes_expected = True

    def test_too_many_list_items_and_overlong_items_are_422(self):
        self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(tags=["t%d" % i for i in range(51)]), user="ana"), 422, "tags")
        self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(tags=["x" * 201]), user="ana"), 422, "tags[0]")
        self.assertProblem(self.s.post("/api/v1/organizations?force=true", self.org(tags=["ok", 3]), user="ana"), 422, "tags[1]")

    def test_invalid_patch_changes_nothing(self):
        rec = self.s.post("/api/v1/organizations?force=true", self.org(name={"en": "Velden Port Authority"}), user="ana").json()
        self.audit_before = last_audit_id(self.s)
        self.orgs_before += 1
        path = "/api/v1/organizations/%d" % rec["id"]
        self.assertProblem(self.s.patch(path, {"type": "ngo", "acronym": "VPA"}, 1, user="ana"), 422, "type")
        self.assertProblem(self.s.patch(path, {"parent": rec["id"]}, 1, user="ana"), 422, "parent")
        self.assertProblem(self.s.request("PATCH", path, raw=b'{"acronym": ', user="ana",
                                          headers={"Content-Type": "application/json", "If-Match": '"1"'}), 400)
        now = self.s.get(path, user="ana").json()
        self.assertEqual((now["version"], now["acronym"], now["type"]), (1, None, "cso"))

    def test_odd_ids_and_query_values(self):
        for rid in ("-1", "0", "1e3", "0x10", "99999999999999999999", "1;DROP%20TABLE%20organizations", "..%2F..%2Fetc"):
            with self.subTest(id=rid):
                self.assertProblem(self.s.get("/api/v1/organizations/" + rid, user="ana"), 404)
        r = self.s.get("/api/v1/organizations?acronym=%27%20OR%201%3D1%20--", user="ana")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["items"], [])
        self.assertProblem(self.s.get("/api/v1/organizations?sort=name%3BDROP%20TABLE%20audit", user="ana"), 400)


class EncodedNulInPath(Guarded):
    def test_an_encoded_nul_does_not_cut_the_path_short(self):
        rec = self.s.post("/api/v1/organizations?force=true", self.org(name={"en": "Quillon Diaspora Forum"}), user="ana").json()
        self.audit_before = last_audit_id(self.s)
        self.orgs_before += 1
        # "/api/v1/organizations/ID%00zzz" is no record's address; it must not act on record ID
        r = self.s.delete("/api/v1/organizations/%d%%00zzz" % rec["id"], user="ana")
        self.assertFalse(self.s.get("/api/v1/organizations/%d" % rec["id"], user="ana").json()["archived"],
                         "DELETE .../%d%%00zzz archived record %d" % (rec["id"], rec["id"]))
        self.assertProblem(r, 404)
        self.assertProblem(self.s.get("/api/v1/organizations/%d%%00zzz" % rec["id"], user="ana"), 404)
        r = self.s.get("/api/v1/organizations/%00", user="ana")
        self.assertProblem(r, 404)


class Limits(Guarded):
    server_args = ("--max-body", "2048", "--timeout", "2")

    def test_body_over_the_limit_is_413_and_nothing_written(self):
        body = json.dumps(self.org(notes="n" * 3000)).encode()
        self.assertGreater(len(body), 2048)
        self.assertProblem(self.raw_post("/api/v1/organizations?force=true", body), 413)

    def test_chunked_body_over_the_limit_is_413(self):
        body = json.dumps(self.org(notes="c" * 5000)).encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30)
        try:
            chunks = [body[i:i + 500] for i in range(0, len(body), 500)]
            conn.request("POST", "/api/v1/organizations?force=true", body=iter(chunks), encode_chunked=True,
                         headers={"Content-Type": "application/json", "Authorization": "Bearer " + self.s.tokens["ana"],
                                  "Transfer-Encoding": "chunked"})
            resp = conn.getresponse()
            answer = Response(resp.status, resp.getheaders(), resp.read().decode("utf-8", "replace"))
            self.assertEqual(answer.status, 413, answer)
            self.assertEqual(answer.header("Content-Type"), "application/problem+json")
            self.s.check_answer("POST", "/api/v1/organizations?force=true", {"Authorization": "x"}, answer)
        finally:
            conn.close()

    def test_body_just_under_the_limit_is_accepted(self):
        body = self.org(name={"en": "Pellan Return Network"})
        body["notes"] = ""
        pad = 2048 - len(json.dumps(body).encode())
        body["notes"] = "p" * pad
        data = json.dumps(body).encode()
        self.assertEqual(len(data), 2048)
        self.assertStatus(self.raw_post("/api/v1/organizations?force=true", data), 201)
        self.writes_expected = True

    def test_oversized_request_head_is_431_and_the_server_goes_on(self):
        sock = socket.create_connection(("127.0.0.1", self.s.port), timeout=30)
        try:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 40000 + b"\r\n\r\n")
            answer = b""
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        finally:
            sock.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 431 "), answer[:100])

    def read_all(self, sock):
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return data
                data += chunk
        except ConnectionResetError:
            return data

    def test_slow_clients_are_dropped_while_others_are_served(self):
        # one stops in the middle of its request line, one in the middle of its body
        slow_head = socket.create_connection(("127.0.0.1", self.s.port), timeout=30)
        slow_body = socket.create_connection(("127.0.0.1", self.s.port), timeout=30)
        body = json.dumps(self.org(name={"en": "Slow Loris Body Society"})).encode()
        try:
            slow_head.sendall(b"GET /api/v1/countries/F")
            slow_body.sendall(("POST /api/v1/organizations?force=true HTTP/1.1\r\nHost: x\r\n"
                               "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                               "Content-Length: %d\r\n\r\n" % (self.s.tokens["ana"], len(body))).encode() + body[:10])
            # meanwhile others are served, several times over
            for _ in range(5):
                self.assertStatus(self.s.get("/api/v1/countries/FR"), 200)
            threading.Event().wait(4)  # twice --timeout 2
            for sock in (slow_head, slow_body):
                sock.settimeout(10)  # a socket still open after this is an error (socket.timeout)
                data = self.read_all(sock)
                self.assertFalse(b" 200 " in data.split(b"\r\n", 1)[0] or b" 201 " in data.split(b"\r\n", 1)[0], data)
        finally:
            slow_head.close()
            slow_body.close()
        self.assertStatus(self.s.get("/api/v1/countries/FR"), 200)
        names = [o["name"]["en"] for o in all_items(self.s, "/api/v1/organizations?archived=true")]
        self.assertNotIn("Slow Loris Body Society", names)


class ConnectionLimit(Guarded):
    """--max-connections: connections beyond the limit wait, unanswered, until one
    of those held closes; none is dropped and the server goes on."""
    server_args = ("--max-connections", "2", "--threads", "1", "--timeout", "30")

    def test_a_connection_beyond_the_limit_waits_for_a_free_one(self):
        held = [socket.create_connection(("127.0.0.1", self.s.port), timeout=30) for _ in range(2)]
        waiting = socket.create_connection(("127.0.0.1", self.s.port), timeout=1.5)
        try:
            for sock in held:
                sock.sendall(b"GET /heal")  # a request begun, never finished
            threading.Event().wait(0.3)
            waiting.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            with self.assertRaises(socket.timeout):
                waiting.recv(100)
            held.pop().close()
            waiting.settimeout(10)
            self.assertTrue(waiting.recv(100).startswith(b"HTTP/1.1 200 "))
        finally:
            waiting.close()
            for sock in held:
                sock.close()

    def test_more_threads_than_connections_allowed_still_serve(self):
        s = Server(("--max-connections", "1", "--threads", "3"))
        try:
            for _ in range(5):
                self.assertEqual(s.get("/healthz").status, 200)
        finally:
            s.close()
