"""Password rules, the same through the API, the pages and the command line: at least 12 characters
counted as characters (not bytes), at most 1,024 bytes, UTF-8 text; a refusal is a 422 naming the
field (API), the form again with the reason (page), one line on standard error (CLI)."""
import subprocess

from harness import BIN, ServerTest, cli
from test_pages import Client

# (password, what is wrong with it or None); "ñ" and "ú" are two bytes each, "€" three
CASES = [
    ("ñandúñandúñ", "at least 12 characters"),     # 11 characters in 14 bytes
    ("€" * 11, "at least 12 characters"),           # 33 bytes
    ("ñandúñandúña", None),                          # 12 characters
    ("€" * 12, None),
    ("x" * 1024, None),
    ("x" * 1025, "at most 1,024 bytes"),
    ("€" * 342, "at most 1,024 bytes"),             # 342 characters, 1,026 bytes
    ("x" * 100000, "at most 1,024 bytes"),
]


class Passwords(ServerTest):
    def test_api(self):
        uid = self.s.get("/api/v1/users/dora", user="root").json()["id"]
        path = "/api/v1/users/%d/password" % uid
        for password, wrong in CASES:
            with self.subTest(password=password[:20], length=len(password)):
                r = self.s.post(path, {"password": password}, user="root")
                if wrong:
                    p = self.assertProblem(r, 422, "password")
                    self.assertIn(wrong, p["errors"][0]["message"])
                    continue
                self.assertStatus(r, 204)
                login = self.s.post("/api/v1/session", {"name": "dora", "password": password})
                self.assertStatus(login, 201)
        # a user changing their own: the same rules, after the current password is checked
        r = self.s.post(path, {"password": "x" * 5000, "current_password": "x" * 1024}, user="dora")
        self.assertProblem(r, 422, "password")

    def test_page(self):
        c = Client(self.s)
        self.assertEqual(c.sign_in("root").status, 303)
        for password, wrong in CASES[:7]:  # a form of 100 kB is refused earlier, as any too large body
            with self.subTest(password=password[:20], length=len(password)):
                r = c.post("/users/emil/password", {"_csrf": c.csrf(), "password": password})
                if wrong:
                    self.assertEqual(r.status, 422, r)
                    self.assertIn(wrong, r.body)
                    continue
                self.assertEqual(r.status, 303, r)
                self.assertEqual(Client(self.s).sign_in("emil", password).status, 303)
        fr = Client(self.s, lang="fr")
        self.assertEqual(fr.sign_in("root").status, 303)
        r = fr.post("/users/emil/password", {"_csrf": fr.csrf(), "password": "€" * 342})
        self.assertEqual(r.status, 422, r)
        self.assertIn("1 024 octets", r.body.replace("\u202f", " ").replace("\xa0", " "))

    def test_command_line(self):
        for i, (password, wrong) in enumerate(CASES):
            with self.subTest(password=password[:20], length=len(password)):
                p = cli(self.s.db, "user", "add", "pw%d" % i, "--role", "viewer", stdin=password + "\n", check=False)
                if wrong:
                    self.assertEqual(p.returncode, 1, p.stdout)
                    self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                    self.assertIn(wrong, p.stderr)
                    continue
                self.assertEqual(p.returncode, 0, p.stderr)
                login = self.s.post("/api/v1/session", {"name": "pw%d" % i, "password": password})
                self.assertStatus(login, 201)
        p = subprocess.run([BIN, "user", "add", "pwbad", "--role", "viewer", "--db", self.s.db],
                           input=b"abcdefghijkl\xff\n", capture_output=True, timeout=60)
        self.assertEqual((p.returncode, p.stderr.strip()), (1, b"liaison: user add: A password must be text (UTF-8)."))
        self.assertEqual(cli(self.s.db, "user", "add", "pwbad", "--role", "viewer", stdin="", check=False).returncode, 1)
        self.assertEqual(self.s.get("/api/v1/users/pwbad", user="root").status, 404)
