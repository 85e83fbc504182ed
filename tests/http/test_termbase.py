"""The termbase as TBX, both ways, over the API and the command line: an
export that TBX's schema accepts, written a page of concepts at a time; an
import that creates everything or nothing and names the file's line and the
reason when it refuses; and the terms of a text found whatever their
inflection, in three languages, with their places counted in characters."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from harness import BIN, Server, ServerTest, all_items, cli

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")
FIXTURE = os.path.join(FIXTURES, "tbx", "termbase.tbx")
SCHEMA = os.path.join(FIXTURES, "schemas", "tbx", "TBXcoreStructV03.rng")
CATALOG = os.path.join(FIXTURES, "schemas", "catalog.xml")
NS = {"t": "urn:iso:std:iso:30042:ed:3.0"}

USERS = [
    ("ana", "staff", "GBD"),
    ("emil", "translator", "GBD"),
    ("dora", "viewer", "GBD"),
]

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tbx xmlns="urn:iso:std:iso:30042:ed:3.0" type="TBX-Basic" style="dca" xml:lang="en">\n'
        '<tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>\n<text><body>\n')
TAIL = "</body></text></tbx>\n"


def concept(cid, *terms, subject=None):
    """A conceptEntry on lines of its own: terms are (lang, text, status or None)."""
    out = ['<conceptEntry id="%s">' % cid]
    if subject:
        out.append('<descrip type="subjectField">%s</descrip>' % subject)
    for lang, text, status in terms:
        out.append('<langSec xml:lang="%s"><termSec><term>%s</term>' % (lang, text))
        if status:
            out.append('<termNote type="administrativeStatus">%sTerm-admn-sts</termNote>' % status)
        out.append("</termSec></langSec>")
    out.append("</conceptEntry>")
    return "\n".join(out) + "\n"


def line_of(doc, needle):
    """The line (from 1) of doc where needle first appears."""
    return doc[:doc.index(needle)].count("\n") + 1


def validate(test, path):
    env = dict(os.environ, XML_CATALOG_FILES=CATALOG)
    proc = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", SCHEMA, path], capture_output=True,
                          text=True, env=env)
    test.assertEqual(proc.returncode, 0, proc.stderr)


class Tbx(ServerTest):
    users = USERS

    def post_tbx(self, doc, user="ana"):
        data = doc.encode() if isinstance(doc, str) else doc
        return self.s.request("POST", "/api/v1/concepts/tbx", raw=data, user=user,
                              headers={"Content-Type": "application/xml"})

    def counts(self):
        return (len(all_items(self.s, "/api/v1/concepts", user="ana")),
                len(all_items(self.s, "/api/v1/terms", user="ana")))

    def export(self, user="ana"):
        r = self.s.get("/api/v1/concepts/tbx", user=user)
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Type"), "application/xml")
        self.assertEqual(r.header("Content-Disposition"), 'attachment; filename="termbase.tbx"')
        return r.body

    def save(self, text):
        fd, path = tempfile.mkstemp(suffix=".tbx")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def assertRefused(self, doc, line, reason, user="ana"):
        before = self.counts()
        r = self.post_tbx(doc, user=user)
        p = self.assertProblem(r, 422)
        self.assertEqual(p["line"], line, p)
        self.assertTrue(p["detail"].startswith("line %d: " % line), p)
        self.assertIn(reason, p["detail"])
        self.assertEqual(self.counts(), before, "a refused file left records behind")
        return p

    # ---- import and export ----

    def test_the_fixture_goes_in_and_comes_back_valid_and_whole(self):
        with open(FIXTURE, encoding="utf-8") as f:
            fixture = f.read()
        before = self.counts()
        r = self.post_tbx(fixture)
        self.assertStatus(r, 201)
        self.assertEqual(r.json(), {"concepts": 2, "terms": 4})
        self.assertEqual(self.counts(), (before[0] + 2, before[1] + 4))
        out = self.export()
        validate(self, self.save(out))
        root = ET.fromstring(out.encode())
        entries = root.findall(".//t:conceptEntry", NS)
        ids = [e.get("id") for e in entries]
        self.assertTrue(all(re.fullmatch(r"c[1-9][0-9]*", i) for i in ids), ids)
        by_term = {}
        for e in entries:
            for ls in e.findall("t:langSec", NS):
                for ts in ls.findall("t:termSec", NS):
                    status = ts.find("t:termNote[@type='administrativeStatus']", NS)
                    by_term[(ls.get("{http://www.w3.org/XML/1998/namespace}lang"), ts.find("t:term", NS).text)] = (
                        e, status.text if status is not None else None, ts)
        self.assertEqual(by_term[("en", "migrant")][1], "preferredTerm-admn-sts")
        self.assertEqual(by_term[("fr", "émigré")][1], "deprecatedTerm-admn-sts")
        self.assertEqual(by_term[("es", "país de tránsito")][1], "admittedTerm-admn-sts")
        # the three languages of one concept stay one concept; the other stays apart
        self.assertIs(by_term[("en", "migrant")][0], by_term[("fr", "émigré")][0])
        self.assertIsNot(by_term[("en", "migrant")][0], by_term[("es", "país de tránsito")][0])
        migrant = by_term[("en", "migrant")][0]
        self.assertEqual(migrant.find("t:descrip[@type='subjectField']", NS).text, "migration law")
        self.assertEqual(by_term[("fr", "émigré")][2].find("t:note", NS).text,
                         "Not used in the Council's texts since 2010.")

    def test_an_export_imported_elsewhere_exports_the_same(self):
        with open(FIXTURE, encoding="utf-8") as f:
            self.assertStatus(self.post_tbx(f.read()), 201)
        first = self.export()
        other = Server(users=[("ana", "staff", "GBD")])
        try:
            r = other.request("POST", "/api/v1/concepts/tbx", raw=first.encode(), user="ana",
                              headers={"Content-Type": "application/xml"})
            self.assertStatus(r, 201)
            again = other.get("/api/v1/concepts/tbx", user="ana")
            self.assertStatus(again, 200)
        finally:
            other.close()
        strip = lambda doc: re.sub(r' id="c[0-9]+"', "", doc)   # the records' ids are each database's own
        self.assertEqual(strip(again.body), strip(first))

    def test_a_long_termbase_streams_in_pages_and_over_the_servers_body_limit(self):
        # 450 concepts (more than two pages of 200) and over 1 MiB, the server's limit for other bodies
        pad = "x" * 1500
        doc = HEAD + "".join(
            '<conceptEntry id="k%d"><langSec xml:lang="en"><termSec><term>pagination term %d</term>'
            '<descrip type="definition">%s</descrip><note>%s</note></termSec></langSec></conceptEntry>\n'
            % (i, i, pad, pad) for i in range(450)) + TAIL
        self.assertGreater(len(doc), 1 << 20)
        r = self.post_tbx(doc, user="emil")
        self.assertStatus(r, 201)
        self.assertEqual(r.json(), {"concepts": 450, "terms": 450})
        out = self.export()
        validate(self, self.save(out))
        terms = re.findall(r"<term>pagination term (\d+)</term>", out)
        self.assertEqual(sorted(map(int, terms)), list(range(450)))
        ids = [int(i) for i in re.findall(r'<conceptEntry id="c(\d+)"', out)]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(ids), len(set(ids)))

    # ---- refusals ----

    def test_a_broken_file_is_refused_with_its_line(self):
        doc = HEAD + concept("a", ("en", "remittance", None)) + "<conceptEntry id=\"b\">\n<langSec>\n" + TAIL
        p = self.assertRefused(doc, line_of(doc, "</body>"), "")
        self.assertGreater(len(p["detail"]), len("line 1: "))

    def test_a_term_without_a_language_writes_nothing(self):
        doc = (HEAD + concept("a", ("en", "remittance", None)) +
               '<conceptEntry id="b">\n<termSec><term>orphan</term></termSec>\n</conceptEntry>\n' + TAIL)
        self.assertRefused(doc, line_of(doc, "<termSec><term>orphan"), "the term has no language")
        doc = (HEAD + concept("a", ("en", "remittance", None)) +
               '<conceptEntry id="b">\n<langSec>\n<termSec><term>orphan</term></termSec></langSec>\n</conceptEntry>\n'
               + TAIL)
        self.assertRefused(doc, line_of(doc, "<langSec>\n<termSec><term>orphan"), "without xml:lang")

    def test_the_kinds_own_rules_refuse_with_the_concepts_line(self):
        good = concept("a", ("en", "remittance", None), ("fr", "envoi de fonds", "preferred"))
        for bad, reason in ((concept("b", ("en", "--", None)), "text has no word"),
                            (concept("b", ("fr", "un deux trois quatre cinq six sept", None)), "longer than 6 words"),
                            (concept("b", ("de", "Rücküberweisung", None)), 'unknown language "de"')):
            with self.subTest(reason=reason):
                doc = HEAD + good + bad + TAIL
                self.assertRefused(doc, line_of(doc, '<conceptEntry id="b">') if "language" not in reason
                                   else line_of(doc, '<langSec xml:lang="de">'), reason)

    def test_an_empty_body_and_one_over_the_limit(self):
        self.assertProblem(self.post_tbx(b""), 400)
        with open(FIXTURE, "rb") as f:
            r = self.s.request("POST", "/api/v1/concepts/tbx", raw=f.read(), user="ana",
                               headers={"Content-Type": "application/json"})
        self.assertProblem(r, 415)
        with socket.create_connection(("127.0.0.1", self.s.port), timeout=30) as sock:
            sock.sendall(("POST /api/v1/concepts/tbx HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: application/xml\r\nContent-Length: %d\r\n\r\n"
                          % (self.s.tokens["ana"], (64 << 20) + 1)).encode())
            self.assertEqual(sock.recv(4096).decode("latin-1").split("\r\n")[0], "HTTP/1.1 413 Content Too Large")

    # ---- access ----

    def test_a_viewer_reads_but_does_not_import(self):
        self.assertStatus(self.post_tbx(HEAD + concept("v", ("en", "pledge", None)) + TAIL, user="ana"), 201)
        before = self.counts()
        self.assertProblem(self.post_tbx(HEAD + concept("w", ("en", "appeal", None)) + TAIL, user="dora"), 403)
        self.assertEqual(self.counts(), before)
        self.assertIn("<term>pledge</term>", self.export(user="dora"))
        self.assertStatus(self.s.get("/api/v1/terms/found?text=pledge&lang=en&to=fr", user="dora"), 200)
        self.assertProblem(self.s.get("/api/v1/concepts/tbx"), 401)
        self.assertProblem(self.s.get("/api/v1/terms/found?text=pledge&lang=en&to=fr"), 401)


class EmptyTermbase(ServerTest):
    users = [("ana", "staff", "GBD")]

    def test_nothing_to_export_is_said_so(self):
        p = self.assertProblem(self.s.get("/api/v1/concepts/tbx", user="ana"), 404)
        self.assertIn("no concept", p["detail"])   # TBX cannot hold an empty termbase


class Found(ServerTest):
    users = [("ana", "staff", "GBD"), ("dora", "viewer", "GBD")]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        doc = (HEAD +
               concept("worker", ("en", "migrant worker", "preferred"), ("fr", "travailleur migrant", "preferred"),
                       ("fr", "travailleur immigré", "admitted"), ("es", "trabajador migrante", "preferred")) +
               concept("migrant", ("en", "migrant", "preferred"), ("fr", "migrant", "preferred"),
                       ("fr", "émigré", "deprecated")) +
               concept("state", ("en", "Member State", "preferred"), ("fr", "État membre", "preferred"),
                       ("es", "Estado Miembro", "preferred")) + TAIL)
        r = cls.s.request("POST", "/api/v1/concepts/tbx", raw=doc.encode(), user="ana",
                          headers={"Content-Type": "application/xml"})
        assert r.status == 201, r

    def found(self, text, lang, to):
        from urllib.parse import urlencode
        r = self.s.get("/api/v1/terms/found?" + urlencode({"text": text, "lang": lang, "to": to}), user="ana")
        self.assertStatus(r, 200)
        items = r.json()["items"]
        for it in items:   # the places are characters of the text as sent
            self.assertEqual(text[it["offset"]:it["offset"] + it["length"]], it["text"], it)
        return items

    def test_inflections_in_three_languages(self):
        for text, lang, to, seen, term, preferred in (
                ("Déjà, the rights of migrant workers.", "en", "fr", "migrant workers", "migrant worker",
                 ["travailleur migrant"]),
                ("Déjà, les États membres ont voté.", "fr", "en", "États membres", "État membre", ["Member State"]),
                ("Según los Estados Miembros, sí.", "es", "en", "Estados Miembros", "Estado Miembro",
                 ["Member State"])):
            with self.subTest(lang=lang):
                items = self.found(text, lang, to)
                self.assertEqual([(i["text"], i["term"]["text"]) for i in items], [(seen, term)])
                self.assertEqual(items[0]["preferred"], preferred)
                self.assertEqual(items[0]["offset"], text.index(seen))
                self.assertNotEqual(items[0]["offset"], text.encode().index(seen.encode()))  # characters, not bytes

    def test_the_longest_term_wins_and_each_status_is_told(self):
        items = self.found("Migrant workers and migrants", "en", "fr")
        self.assertEqual([(i["text"], i["term"]["text"]) for i in items],
                         [("Migrant workers", "migrant worker"), ("migrants", "migrant")])
        self.assertEqual(items[0]["admitted"], ["travailleur immigré"])
        self.assertEqual(items[1]["deprecated"], ["émigré"])
        self.assertNotEqual(items[0]["concept"], items[1]["concept"])
        self.assertEqual(self.found("Nothing to see here", "en", "fr"), [])

    def test_a_question_badly_put(self):
        for q in ("lang=en&to=fr", "text=x&lang=de&to=fr", "text=x&lang=en", "text=%ff&lang=en&to=fr",
                  "text=" + "a" * 20001 + "&lang=en&to=fr"):
            with self.subTest(q=q[:40]):
                self.assertProblem(self.s.get("/api/v1/terms/found?" + q, user="ana"), 400)


class Cli(unittest.TestCase):
    """The same through `liaison terms`, beside a running server."""

    def setUp(self):
        self.s = Server(users=[("ana", "staff", "GBD"), ("dora", "viewer", "GBD")])
        self.addCleanup(self.s.close)

    def run_cli(self, *args):
        return cli(self.s.db, "terms", *args, check=False)

    def test_import_export_and_a_bad_file(self):
        p = self.run_cli("import", FIXTURE)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("2 concepts and 4 terms", p.stdout)
        out = self.run_cli("export")
        self.assertEqual(out.returncode, 0, out.stderr)
        path = os.path.join(self.s.dir, "out.tbx")
        with open(path, "w", encoding="utf-8") as f:
            f.write(out.stdout)
        validate(self, path)
        r = self.s.get("/api/v1/concepts/tbx", user="ana")
        self.assertEqual(r.body, out.stdout)   # the API and the command line write the same document

        bad = os.path.join(self.s.dir, "bad.tbx")
        doc = HEAD + concept("a", ("en", "remittance", None)) + '<conceptEntry id="b">\n<termSec><term>x</term></termSec>\n</conceptEntry>\n' + TAIL
        with open(bad, "w", encoding="utf-8") as f:
            f.write(doc)
        before = len(all_items(self.s, "/api/v1/terms", user="ana"))
        p = self.run_cli("import", bad)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertRegex(p.stderr, r"^liaison: .*bad\.tbx: nothing imported: line %d: " % line_of(doc, "<termSec><term>x"))
        self.assertEqual(len(all_items(self.s, "/api/v1/terms", user="ana")), before)

    def test_as_a_viewer_and_usage(self):
        p = self.run_cli("import", FIXTURE, "--as", "dora")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertIn("may not", p.stderr)
        self.assertEqual(self.run_cli("import", os.path.join(self.s.dir, "missing.tbx")).returncode, 1)
        self.assertEqual(self.run_cli("sideways").returncode, 2)
        p = self.run_cli("export", "--as", "nobody")
        self.assertEqual(p.returncode, 1)
        self.assertIn("no user named", p.stderr)


if __name__ == "__main__":
    unittest.main()
