"""Signing in safely: the page after sign-in is always this site's, a sign-in
sent from another site is refused (login CSRF), and the session cookie is
Secure wherever browsers reach the server over HTTPS (its own TLS, or a proxy's)."""
import http.client
import os
import re
import ssl
import subprocess
import urllib.parse

from harness import PASSWORD, ServerTest, Server, session_cookie


def form(fields):
    return urllib.parse.urlencode(fields).encode()


class Next(ServerTest):
    def sign_in(self, next_, headers=None):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.s.request("POST", "/sign-in", raw=form({"name": "ana", "password": PASSWORD, "next": next_}),
                              headers=h)

    def test_only_a_path_of_this_site_is_followed(self):
        kept = ["/organizations/12", "/search?q=visa&lang=fr", "/desk#queue", "/a%2Fb", "/organizations?country=PH"]
        refused = ["//evil.example", "/\\evil.example", "/\t/evil.example", "/%09/evil.example".replace("%09", "\t"),
                   "/\r\n/evil.example", "/\n/evil.example", " /evil", "https://evil.example/", "evil.example",
                   "/ /evil.example", "/\x7f/evil", "/\u00e9vil", "/sign-in?next=//evil.example", "", "/" + "a" * 3000,
                   "javascript:alert(1)", "\\\\evil.example", "/\\/evil.example"]
        for target in kept:
            with self.subTest(next=target):
                r = self.sign_in(target)
                self.assertEqual((r.status, r.header("Location")), (303, target))
        for target in refused:
            with self.subTest(next=repr(target)):
                r = self.sign_in(target)
                self.assertEqual((r.status, r.header("Location")), (303, "/"))
        # the same for a signed-in reader sent to the sign-in page
        cookie = session_cookie(self.s.post("/api/v1/session", {"name": "ana", "password": PASSWORD}))
        r = self.s.get("/sign-in?next=%2F%09%2Fevil.example", headers={"Cookie": cookie})
        self.assertEqual((r.status, r.header("Location")), (303, "/"))

    def test_the_form_keeps_only_a_safe_next(self):
        page = self.s.get("/sign-in?next=%2F%09%2Fevil.example").body
        self.assertIn('<input type="hidden" name="next" value="/">', page)
        page = self.s.get("/sign-in?next=%2Forganizations%2F7").body
        self.assertIn('<input type="hidden" name="next" value="/organizations/7">', page)


class Origin(ServerTest):
    def test_a_sign_in_from_another_site_is_refused(self):
        own = "http://127.0.0.1:%d" % self.s.port
        for origin, status in (("https://evil.example", 403), ("null", 403), ("http://127.0.0.1:1", 403),
                               ("https://127.0.0.1:%d" % self.s.port, 403), (own, 201), (None, 201)):
            with self.subTest(origin=origin):
                h = {"Origin": origin} if origin else {}
                r = self.s.post("/api/v1/session", {"name": "bruno", "password": PASSWORD}, headers=h)
                self.assertStatus(r, status)
                self.assertEqual(session_cookie(r) is not None, status == 201)
                h["Content-Type"] = "application/x-www-form-urlencoded"
                r = self.s.request("POST", "/sign-in", raw=form({"name": "bruno", "password": PASSWORD}), headers=h)
                self.assertEqual(r.status, 303 if status == 201 else 403, r)
                self.assertEqual(session_cookie(r) is not None, status == 201)


def secure(resp):
    cookie = [v for k, v in resp.headers if k.lower() == "set-cookie"]
    return bool(cookie) and "; Secure" in cookie[0]


class PlainHttp(ServerTest):
    def test_over_plain_http_the_cookie_cannot_be_secure(self):
        r = self.s.post("/api/v1/session", {"name": "ana", "password": PASSWORD})
        self.assertStatus(r, 201)
        self.assertFalse(secure(r))
        self.assertEqual(r.header("Location"), "/api/v1/session")


class BehindProxy(ServerTest):
    server_args = ("--behind-https-proxy",)

    def test_behind_an_https_proxy_the_cookie_is_secure_and_origins_are_https(self):
        r = self.s.post("/api/v1/session", {"name": "ana", "password": PASSWORD},
                        headers={"Origin": "https://127.0.0.1:%d" % self.s.port})
        self.assertStatus(r, 201)
        self.assertTrue(secure(r))
        r = self.s.post("/api/v1/session", {"name": "ana", "password": PASSWORD},
                        headers={"Origin": "http://127.0.0.1:%d" % self.s.port})
        self.assertStatus(r, 403)


class Tls(ServerTest):
    """The server's own TLS, with a certificate made for the test."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server(users=[("ana", "staff", "IPD")], start=False)
        cls.cert, cls.key = os.path.join(cls.s.dir, "cert.pem"), os.path.join(cls.s.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-keyout", cls.key, "-out", cls.cert], check=True, capture_output=True)
        cls.s.extra_args = ["--tls-cert", cls.cert, "--tls-key", cls.key]
        cls.s.start(scheme="https")

    def connection(self):
        context = ssl.create_default_context(cafile=self.cert)
        context.check_hostname = False
        return http.client.HTTPSConnection("127.0.0.1", self.s.port, context=context, timeout=30)

    def test_https_serves_and_the_cookie_is_secure(self):
        c = self.connection()
        c.request("POST", "/api/v1/session", body=b'{"name": "ana", "password": "%s"}' % PASSWORD.encode(),
                  headers={"Content-Type": "application/json", "Origin": "https://127.0.0.1:%d" % self.s.port})
        r = c.getresponse()
        cookie = r.getheader("Set-Cookie")
        r.read()
        c.close()
        self.assertEqual(r.status, 201)
        self.assertIn("; Secure", cookie)
        self.assertIn("; HttpOnly", cookie)

    def test_plain_http_is_not_answered_on_the_tls_port(self):
        c = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=10)
        try:
            c.request("GET", "/healthz")
            status = c.getresponse().status
        except (http.client.HTTPException, OSError):
            status = None
        finally:
            c.close()
        self.assertNotEqual(status, 200)

    def test_bad_tls_files_are_one_clear_line(self):
        from harness import cli
        bad = os.path.join(self.s.dir, "not.pem")
        with open(bad, "w") as f:
            f.write("hello\n")
        for args, words in ((["--tls-cert", self.cert], "both"), (["--tls-cert", bad, "--tls-key", self.key], "PEM"),
                            (["--tls-cert", "/nonexistent.pem", "--tls-key", self.key], "cannot read")):
            with self.subTest(args=args):
                p = cli(self.s.db, "serve", "--listen", "127.0.0.1:0", *args, check=False)
                self.assertIn(p.returncode, (1, 2))
                lines = [l for l in p.stderr.splitlines() if l.strip()]
                self.assertEqual(len(lines), 1, p.stderr)
                self.assertIn(words, lines[0])
