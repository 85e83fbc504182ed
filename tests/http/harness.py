"""A real `liaison serve` on a free loopback port with a fresh database,
and the helpers the HTTP tests share.

Each test class gets its own server (setUpClass) with a set of users, one
per role, and an API token for each.  Requests go over real sockets with
http.client; nothing is mocked.
"""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("LIAISON_BIN", os.path.join(os.path.dirname(__file__), "../../build/debug/liaison"))
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


class Server:
    def __init__(self, extra_args=(), users=USERS):
        self.dir = tempfile.mkdtemp(prefix="liaison-test-")
        self.db = os.path.join(self.dir, "test.db")
        out = cli(self.db, "init").stdout
        self.admin_password = re.search(r"password: (\S+)", out).group(1)
        self.tokens = {}
        for name, role, division in users:
            args = ["user", "add", name, "--role", role] + (["--division", division] if division else [])
            cli(self.db, *args, stdin=PASSWORD + "\n")
            self.tokens[name] = cli(self.db, "token", "create", name).stdout.strip()
        self.extra_args = list(extra_args)
        self.proc = None
        self.start()

    def start(self):
        self.log = open(os.path.join(self.dir, "server.log"), "a+")
        self.log.seek(0, os.SEEK_END)
        since = self.log.tell()  # a restart must not read the previous run's port
        self.proc = subprocess.Popen([BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", *self.extra_args],
                                     stdout=self.log, stderr=self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            self.log.seek(since)
            found = re.findall(r"listening on http://127\.0\.0\.1:(\d+)", self.log.read())
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
        h = dict(headers or {})
        if user:
            token = self.tokens[user]
        if token:
            h["Authorization"] = "Bearer " + token
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            return Response(resp.status, resp.getheaders(), resp.read().decode("utf-8", "replace"))
        finally:
            conn.close()

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
