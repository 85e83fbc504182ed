"""A real `liaison serve` on a free loopback port with a fresh database,
and the helpers the HTTP tests share.

Each test class gets its own server (setUpClass) with a set of users, one
per role, and an API token for each.  Requests go over real sockets with
http.client; nothing is mocked.
"""
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest

from jsonschema import Draft202012Validator, FormatChecker

BIN = os.environ.get("LIAISON_BIN", os.path.join(os.path.dirname(__file__), "../../build/debug/liaison"))
# libical's reading of a calendar (tests/tools/ical_lint.c), built beside liaison
ICAL_LINT = os.environ.get("LIAISON_ICAL_LINT", os.path.join(os.path.dirname(BIN), "ical_lint"))
PASSWORD = "correct-horse-battery-staple"

# name, role, division
USERS = [
    ("ana", "staff", "IPD"),
    ("bruno", "staff", "DRD"),
    ("carmen", "director", None),
    ("dora", "viewer", "IPD"),
    ("emil", "translator", "GBD"),
    ("root", "admin", None),
]


def cli(db, *args, stdin=None, check=True):
    proc = subprocess.run([BIN, *args, "--db", db], input=stdin, capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise RuntimeError("liaison %s failed: %s" % (" ".join(args), proc.stderr))
    return proc


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


# ---- every answer of the API held to the OpenAPI document the server serves ----

def _held_to_the_document(path):
    path = path.split("?", 1)[0]
    return path.startswith("/api/") or path in ("/healthz", "/metrics")


def _formats():
    """The formats the document uses, checked the same way whichever jsonschema is installed."""
    checker = FormatChecker(formats=())

    @checker.checks("date", raises=ValueError)
    def is_date(value):
        return not isinstance(value, str) or (re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
                                               and datetime.date.fromisoformat(value) is not None)

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):  # RFC 3339
        m = isinstance(value, str) and re.fullmatch(
            r"(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", value)
        if not isinstance(value, str):
            return True
        return bool(m) and datetime.date.fromisoformat(m.group(1)) is not None and int(m.group(2)) < 24 \
            and int(m.group(3)) < 60 and int(m.group(4)) < 61

    @checker.checks("email")
    def is_email(value):
        return not isinstance(value, str) or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None

    return checker


def _pointer(*parts):
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _media(content_type):
    return (content_type or "").split(";", 1)[0].strip().lower()


def _is_json(media):
    return media == "application/json" or media.endswith("+json")


class Contract:
    """The OpenAPI document of one server, compiled once: finds the operation
    a request reached (path template and method, as the router chooses) and
    checks the answer against it: the status is declared, the Content-Type is
    one declared, the body validates against the declared schema (Draft
    2020-12, $ref resolved inside the document), the required headers are
    there, and nothing that needs credentials succeeded without them.  An
    address or method the document does not describe must be answered 404 or
    405, as its components.responses say."""

    def __init__(self, doc):
        self.doc = doc
        self.formats = _formats()
        self.validators = {}
        self.lock = threading.RLock()
        self.paths = []
        for template, item in doc["paths"].items():
            segs = [x for x in template.split("/") if x]
            # The router prefers the more literal path: /persons/vcard before /persons/{id}.
            rank = tuple(1 if x.startswith("{") else 0 for x in segs)
            self.paths.append((rank, template, segs, item))
        self.paths.sort(key=lambda p: p[0])

    def operation(self, method, path):
        """(template, method, operation), or (None, allowed methods, None) when none matches."""
        segs = [x for x in path.split("?", 1)[0].split("/") if x]
        method = "get" if method.upper() == "HEAD" else method.lower()
        allowed = set()
        for _, template, tsegs, item in self.paths:
            if len(tsegs) != len(segs) or any(t != s and not t.startswith("{") for t, s in zip(tsegs, segs)):
                continue
            if method in item:
                return template, method, item[method]
            allowed.update(m for m in item if m in ("get", "put", "post", "delete", "patch"))
        return None, allowed, None

    def validator(self, *where):
        with self.lock:
            if where not in self.validators:
                root = dict(self.doc)
                root["$ref"] = _pointer(*where)
                self.validators[where] = Draft202012Validator(root, format_checker=self.formats)
            return self.validators[where]

    def body_errors(self, where, body):
        try:
            value = json.loads(body)
        except ValueError as e:
            return "the body is not JSON (%s): %r" % (e, body[:200])
        with self.lock:  # the validators' reference resolution is not thread-safe
            errors = sorted(self.validator(*where).iter_errors(value), key=lambda e: list(e.absolute_path))
        if not errors:
            return None
        e = errors[0]
        at = "/".join(str(p) for p in e.absolute_path)
        return "at /%s: %s (schema %s)" % (at, e.message[:500], "/".join(str(p) for p in e.absolute_schema_path)[-200:])

    def check(self, method, path, sent, resp):
        """None when the answer is as the document says; else what is wrong."""
        template, found, op = self.operation(method, path)
        head = method.upper() == "HEAD"
        if op is None:
            return self.check_undescribed(method, path, found, resp, head)
        name = "%s %s" % (found.upper(), template)
        declared = op.get("responses", {})
        answer = declared.get(str(resp.status))
        if answer is None:
            return "%s answered %d, which it does not declare (it declares %s): %r" % (
                name, resp.status, ", ".join(sorted(declared)), resp)
        problem = self.check_answer(name, resp, answer, head, ("paths", template, found, "responses", str(resp.status),
                                                               "content"))
        if problem:
            return problem
        # RFC 9110 15.3.2: a 201 names what it created, on every route (the document must say so too)
        if resp.status == 201 and (resp.header("Location") is None or "Location" not in answer.get("headers", {})):
            return "%s answered 201 without a Location header declared and sent: %r" % (name, resp)
        anonymous = not any(k.lower() in ("authorization", "cookie") for k in sent)
        security = op.get("security", self.doc.get("security", []))
        if anonymous and 200 <= resp.status < 300 and security and {} not in security:
            return "%s answered %d without credentials, but its security requires them" % (name, resp.status)
        return None

    def check_answer(self, name, resp, answer, head, where):
        for header, h in answer.get("headers", {}).items():
            if h.get("required") and resp.header(header) is None:
                return "%s answered %d without its %s header" % (name, resp.status, header)
        content = answer.get("content", {})
        media = _media(resp.header("Content-Type"))
        if not content:
            if resp.body and not head:
                return "%s answered %d with a body where it declares none: %r" % (name, resp.status, resp)
            return None
        chosen = next((m for m in content if m == media), None) or next(
            (m for m in content if m.endswith("/*") and (m == "*/*" or media.startswith(m[:-1]))), None)
        if chosen is None:
            return "%s answered %d as %r, not one of %s" % (name, resp.status, media or None, ", ".join(content))
        if head or not _is_json(chosen) or "schema" not in content[chosen]:
            return None
        errors = self.body_errors(where + (chosen, "schema"), resp.body)
        return errors and "%s answered %d with a body the document refuses, %s" % (name, resp.status, errors)

    def check_undescribed(self, method, path, allowed, resp, head):
        key = "MethodNotAllowed" if resp.status == 405 else "NotFound"
        if resp.status not in (404, 405):
            return "%s %s is not in the document, yet answered %d: %r" % (method, path, resp.status, resp)
        answer = self.doc["components"]["responses"][key]
        return self.check_answer("%s %s (not in the document)" % (method, path), resp, answer, head,
                                 ("components", "responses", key, "content"))


class Server:
    def __init__(self, extra_args=(), users=USERS, start=True, prepare=None):
        """prepare(path), when given, makes the database before `liaison init` opens it
        (a fixture of an earlier schema, which init then migrates)."""
        self.dir = tempfile.mkdtemp(prefix="liaison-test-")
        self.db = os.path.join(self.dir, "test.db")
        if prepare:
            prepare(self.db)
        out = cli(self.db, "init").stdout
        first = re.search(r"password: (\S+)", out)
        self.admin_password = first.group(1) if first else None
        self.tokens = {}
        for name, role, division in users:
            args = ["user", "add", name, "--role", role] + (["--division", division] if division else [])
            cli(self.db, *args, stdin=PASSWORD + "\n")
            self.tokens[name] = cli(self.db, "token", "create", name).stdout.strip()
        self.extra_args = list(extra_args)
        self.proc = None
        self.contract = None
        self.contract_lock = threading.Lock()
        if start:
            self.start()

    def start(self, scheme="http"):
        self.log = open(os.path.join(self.dir, "server.log"), "a+")
        self.log.seek(0, os.SEEK_END)
        since = self.log.tell()  # a restart must not read the previous run's port
        self.proc = subprocess.Popen([BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", *self.extra_args],
                                     stdout=self.log, stderr=self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            self.log.seek(since)
            found = re.findall(r"listening on %s://127\.0\.0\.1:(\d+)" % scheme, self.log.read())
            if found:
                self.port = int(found[-1])
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError("server did not start: " + open(self.log.name).read())

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)
        code = self.proc.returncode if self.proc else 0
        self.proc = None
        self.log.close()
        return code

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def request(self, method, path, body=None, token=None, user=None, headers=None, raw=None):
        """The one door of the tests to the server: every answer of the API
        is held to the OpenAPI document (Contract), and a test whose request
        is answered otherwise fails, naming the operation and what is wrong."""
        h = dict(headers or {})
        if user:
            token = self.tokens[user]
        if token:
            h["Authorization"] = "Bearer " + token
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        resp = self.send(method, path, data, h)
        self.check_answer(method, path, h, resp)
        return resp

    def send(self, method, path, data, headers):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            return Response(resp.status, resp.getheaders(), resp.read().decode("utf-8", "replace"))
        finally:
            conn.close()

    def api_contract(self):
        """The served document, fetched and compiled once for this server."""
        with self.contract_lock:
            if self.contract is None:
                r = self.send("GET", "/api/v1/openapi.json", None, {})
                if r.status != 200:
                    raise AssertionError("the OpenAPI document could not be read: %r" % r)
                self.contract = Contract(r.json())
            return self.contract

    def check_answer(self, method, path, sent_headers, resp):
        """Fails (AssertionError) when an answer under /api/, /healthz or
        /metrics is not what the document declares; for requests made
        outside request() (raw sockets, chunked bodies)."""
        if not _held_to_the_document(path):
            return
        problem = self.api_contract().check(method, path, sent_headers, resp)
        if problem:
            raise AssertionError("OpenAPI: " + problem)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body, version, **kw):
        headers = kw.pop("headers", {})
        if version is not None:
            headers["If-Match"] = '"%s"' % version
        return self.request("PATCH", path, body=body, headers=headers, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


class ServerTest(unittest.TestCase):
    """Base class: one server for the whole class, available as self.s, with the
    accounts of `users` (each costs a password hash to set up: a class may ask for fewer)."""
    server_args = ()
    users = USERS

    @classmethod
    def setUpClass(cls):
        cls.s = Server(cls.server_args, cls.users)

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def assertStatus(self, resp, status):
        self.assertEqual(resp.status, status, resp)

    def assertProblem(self, resp, status, field=None):
        self.assertStatus(resp, status)
        self.assertEqual(resp.header("Content-Type"), "application/problem+json")
        p = resp.json()
        self.assertEqual(p["status"], status)
        self.assertTrue(p["title"])
        if field:
            self.assertIn(field, [e["field"] for e in p.get("errors", [])], p)
        return p

    def org(self, en, user="ana", **fields):
        body = {"name": {"en": en}, "type": fields.pop("type", "cso")}
        body.update(fields)
        r = self.s.post("/api/v1/organizations?force=true", body, user=user)
        self.assertStatus(r, 201)
        return r.json()


# ---- helpers added for the auth, access, input, partners, CLI, concurrency and crash suites ----

def session_cookie(resp):
    """The `liaison_session=VALUE` pair from a sign-in answer's Set-Cookie, or None."""
    for k, v in resp.headers:
        if k.lower() == "set-cookie" and v.startswith("liaison_session="):
            return v.split(";", 1)[0]
    return None


def all_items(server, path, user="root", page=500):
    """Every item of a list, following next_cursor; fails loudly on a non-200 page."""
    items, cursor = [], None
    sep = "&" if "?" in path else "?"
    for _ in range(10000):
        r = server.get(path + sep + "limit=%d" % page + ("&cursor=" + cursor if cursor else ""), user=user)
        if r.status != 200:
            raise AssertionError("listing %s as %s: %r" % (path, user, r))
        doc = r.json()
        items.extend(doc["items"])
        cursor = doc["next_cursor"]
        if not cursor:
            return items
    raise AssertionError("the cursor of %s never ended" % path)


def last_audit_id(server):
    """The id of the newest audit entry (0 when the log is empty), read as root."""
    r = server.get("/api/v1/audit?limit=1", user="root")
    if r.status != 200:
        raise AssertionError("reading the audit log: %r" % r)
    items = r.json()["items"]
    return items[0]["id"] if items else 0


def audit_of(server, kind, rid, user="root"):
    """Every audit entry of one record, newest first."""
    return all_items(server, "/api/v1/audit?kind=%s&id=%d" % (kind, rid), user=user, page=500)
