"""A translation job taken to a desktop tool as XLIFF and brought back: the
file Liaison writes is valid XLIFF 1.2 and 2.0 by the official schemas; a file
changed as a tool changes it updates the sentences it changed; a file that is
not the job's, or that a sentence's rules refuse, or that comes from someone
who may not change the job, is refused with its place and reason and changes
nothing at all; the job's page offers both ways."""
import os
import re
import socket
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from harness import ServerTest
from test_csv_roundtrip import multipart
from test_pages import Client
import test_translation
from test_translation import TEXT, USERS, JobsAPI

FRENCH = test_translation.Jobs.FRENCH

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
SCHEMAS = os.path.join(ROOT, "tests", "fixtures", "schemas")
NS = {"1.2": "urn:oasis:names:tc:xliff:document:1.2", "2.0": "urn:oasis:names:tc:xliff:document:2.0"}
XSD = {"1.2": "xliff/xliff-core-1.2-strict.xsd", "2.0": "xliff/xliff-core-2.0.xsd"}
XLIFF = "application/xliff+xml"


def schema_errors(text, version):
    """What xmllint says against the official schema, offline; None when the file is valid."""
    with tempfile.NamedTemporaryFile("w", suffix=".xlf", encoding="utf-8", delete=False) as f:
        f.write(text)
    try:
        env = dict(os.environ, XML_CATALOG_FILES=os.path.join(SCHEMAS, "catalog.xml"))
        proc = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", os.path.join(SCHEMAS, XSD[version]),
                               f.name], capture_output=True, text=True, env=env, timeout=60)
        return None if proc.returncode == 0 else proc.stderr
    finally:
        os.unlink(f.name)


class Tool:
    """A desktop tool's hands on a file: its units by id, their targets and states, as XLIFF puts them."""

    def __init__(self, text, version):
        self.version, self.ns = version, NS[version]
        ET.register_namespace("", self.ns)
        self.root = ET.fromstring(text.encode())

    def q(self, name):
        return "{%s}%s" % (self.ns, name)

    def unit(self, uid):
        tag = "trans-unit" if self.version == "1.2" else "unit"
        for u in self.root.iter(self.q(tag)):
            if u.get("id") == str(uid):
                return u
        raise KeyError(uid)

    def holder(self, uid):
        """The element a target goes in, and the one its state is on."""
        u = self.unit(uid)
        return (u, None) if self.version == "1.2" else (u.find(self.q("segment")), u.find(self.q("segment")))

    def translate(self, uid, text, state="translated", tag=None):
        """Sets the unit's target to text; tag=(before, inside, after) wraps words in tag 1 as the version does."""
        place, stated = self.holder(uid)
        target = place.find(self.q("target"))
        if target is None:
            target = ET.SubElement(place, self.q("target"))
        target.clear()
        if tag:
            target.text = tag[0]
            g = ET.SubElement(target, self.q("g" if self.version == "1.2" else "pc"), {"id": "1"})
            g.text, g.tail = tag[1], tag[2]
        else:
            target.text = text
        names = {"new": "new", "translated": "translated", "reviewed": "signed-off"} if self.version == "1.2" else \
            {"new": "initial", "translated": "translated", "reviewed": "reviewed"}
        (target if stated is None else stated).set("state", names[state])
        return target

    def bytes(self):
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(self.root, encoding="utf-8")


class XliffJobs(JobsAPI, ServerTest):
    users = USERS

    def kept(self, job):
        """What an import may change: each sentence's target, state and version."""
        return [(s["position"], s.get("target"), s["state"], s["version"]) for s in self.segments(job)]

    def translate(self, seg, target, state="translated", user="emil"):
        r = self.s.patch("/api/v1/translation-segments/%d" % seg["id"], {"target": target, "state": state},
                         seg["version"], user=user)
        self.assertStatus(r, 200)

    def export(self, job, version=None, user="ana"):
        r = self.s.get("/api/v1/translation-jobs/%d/xliff" % job["id"] + ("?version=" + version if version else ""),
                       user=user)
        self.assertStatus(r, 200)
        self.assertEqual(r.header("Content-Type"), XLIFF)
        return r

    def put(self, job, data, user="emil", content_type=XLIFF):
        headers = {"Content-Type": content_type} if content_type else {}
        return self.s.request("PUT", "/api/v1/translation-jobs/%d/xliff" % job["id"], raw=data, user=user,
                              headers=headers)

    def assertRefused(self, job, data, status, *words, user="emil", content_type=XLIFF):
        """The file is refused with status, its detail saying every one of words, and nothing changed."""
        before = self.kept(job)
        p = self.assertProblem(self.put(job, data, user=user, content_type=content_type), status)
        for w in words:
            self.assertIn(w, p["detail"])
        self.assertEqual(self.kept(job), before)
        return p

    # ---- out ----

    def test_both_versions_are_valid_by_the_official_schemas(self):
        job = self.job()
        segs = self.segments(job)
        self.translate(segs[2], FRENCH[2])
        self.translate(segs[1], FRENCH[1], state="reviewed")
        for version in ("1.2", "2.0"):
            with self.subTest(version=version):
                r = self.export(job, version)
                self.assertIsNone(schema_errors(r.body, version))
                tool = Tool(r.body, version)
                self.assertEqual(tool.root.get("version"), version)
                f = tool.root.find(tool.q("file"))
                self.assertEqual(f.get("original"), "job-%d" % job["id"])
                langs = (f.get("source-language"), f.get("target-language")) if version == "1.2" else \
                    (tool.root.get("srcLang"), tool.root.get("trgLang"))
                self.assertEqual(langs, ("en", "fr"))
                units = list(tool.root.iter(tool.q("trans-unit" if version == "1.2" else "unit")))
                self.assertEqual([u.get("id") for u in units], ["1", "2", "3", "4"])
                own = tool.q("target") if version == "1.2" else tool.q("segment") + "/" + tool.q("target")
                target = tool.unit(3).find(own)   # the unit's own, not a memory match's
                self.assertEqual("".join(target.itertext()), "Le Comité permanent a pris note du document C/115/1.")
                self.assertEqual(target.find(tool.q("g" if version == "1.2" else "pc")).get("id"), "1")
                self.assertIsNone(tool.unit(1).find(own))
                states = [(tool.unit(i).find(tool.q("target")) if version == "1.2" else
                           tool.unit(i).find(tool.q("segment"))) for i in (2, 3)]
                self.assertEqual([s.get("state") for s in states],
                                 ["signed-off", "translated"] if version == "1.2" else ["reviewed", "translated"])
        self.assertEqual(self.export(job).body, self.export(job, "1.2").body)

    def test_the_memory_s_matches_come_as_alternatives(self):
        first = self.job()
        self.translate(self.segments(first)[1], FRENCH[1])
        job = self.job()
        for version in ("1.2", "2.0"):
            with self.subTest(version=version):
                body = self.export(job, version).body
                self.assertIsNone(schema_errors(body, version))
                tool = Tool(body, version)
                unit = tool.unit(2)
                if version == "1.2":
                    alt = unit.find(tool.q("alt-trans"))
                    self.assertIn(alt.get("match-quality"), ("100", "101"))
                    self.assertEqual("".join(alt.find(tool.q("target")).itertext()), FRENCH[1])
                else:
                    self.assertIn(FRENCH[1], body)
                    self.assertRegex(body, r'matchQuality="100')

    def test_the_file_is_named_after_the_document_or_the_title(self):
        doc = self.created("documents", {"symbol": "C/115/7", "title": {"en": "Report"}, "original_language": "en"})
        en = self.created("document-versions", {"document": doc["id"], "language": "en", "text": TEXT})
        job = self.created("translation-jobs", {"document_version": en["id"], "target_language": "fr"})
        r = self.export(job, "2.0")
        self.assertEqual(r.header("Content-Disposition"), 'attachment; filename="C-115-7.fr.xlf"')
        self.assertIn('original="C/115/7"', r.body)
        job = self.job(title="Note générale / Genève", target_language="es")
        self.assertEqual(self.export(job).header("Content-Disposition"),
                         'attachment; filename="note-generale-geneve.es.xlf"')

    def test_who_reads_the_job_exports_it_and_no_other_version_is_written(self):
        job = self.job()
        self.export(job, user="dora")
        self.assertProblem(self.s.get("/api/v1/translation-jobs/%d/xliff?version=1.1" % job["id"], user="ana"), 400)
        self.assertProblem(self.s.get("/api/v1/translation-jobs/999999/xliff", user="ana"), 404)

    # ---- back ----

    def round_trip(self, version):
        job = self.job()
        self.translate(self.segments(job)[3], FRENCH[3], state="new")  # a draft the tool then confirms
        tool = Tool(self.export(job, version, user="emil").body, version)
        tool.translate(1, FRENCH[0])
        tool.translate(3, None, state="reviewed", tag=("Le ", "Comité permanent", " a pris note du document C/115/1."))
        tool.translate(4, FRENCH[3])
        r = self.put(job, tool.bytes())
        self.assertStatus(r, 200)
        self.assertEqual(r.json(), {"segments": 4, "changed": 3})
        segs = self.segments(job)
        self.assertEqual([s.get("target") for s in segs], [FRENCH[0], None, FRENCH[2], FRENCH[3]])
        self.assertEqual([s["state"] for s in segs], ["translated", "new", "reviewed", "translated"])
        # The same file again changes nothing.
        before = self.kept(job)
        r = self.put(job, tool.bytes())
        self.assertEqual(r.json(), {"segments": 4, "changed": 0})
        self.assertEqual(self.kept(job), before)

    def test_a_file_changed_by_a_tool_updates_what_it_changed_1_2(self):
        self.round_trip("1.2")

    def test_a_file_changed_by_a_tool_updates_what_it_changed_2_0(self):
        self.round_trip("2.0")

    def test_a_file_is_read_whatever_it_is_declared_as_among_xml_types(self):
        job = self.job()
        for content_type in ("application/xml", "text/xml; charset=utf-8", None):
            self.assertStatus(self.put(job, self.export(job).body.encode(), content_type=content_type), 200)
        self.assertRefused(job, self.export(job).body.encode(), 415, "text/plain", content_type="text/plain")

    # ---- refused, nothing written ----

    def test_files_that_are_not_the_job_s_are_refused_with_their_place(self):
        job = self.job()
        self.translate(self.segments(job)[0], FRENCH[0])
        good = self.export(job).body
        tool = Tool(good, "1.2")
        tool.translate(2, FRENCH[1])  # a change the refusals must not let through
        changed = tool.bytes().decode()
        malformed = changed.replace("</trans-unit>", "</trans-unt>", 1)
        at = malformed[:malformed.index("</trans-unt>")].count("\n") + 1   # the line the broken tag is on
        cases = [
            ("malformed", malformed, ["line %d" % at, "trans-unt"]),
            ("truncated", changed[:len(changed) // 2], ["line"]),
            ("not XLIFF", '<?xml version="1.0"?>\n<html><body/></html>', ["line 2", "not the <xliff>"]),
            ("version 1.1", changed.replace('version="1.2"', 'version="1.1"', 1), ["line 2", "1.1"]),
            ("other languages", changed.replace('target-language="fr"', 'target-language="es"'), ["line 3", "en to es"]),
            ("other document", changed.replace('original="job-%d"' % job["id"], 'original="C/999/1"'),
             ["line 3", "C/999/1"]),
            ("a source changed", changed.replace("Mr. Smith", "Mrs. Smith"), ["segment 2's source"]),
            ("a segment missing", re.sub(r"<trans-unit id=\"4\">.*?</trans-unit>", "", changed, flags=re.S),
             ["segment 4 is missing"]),
            ("a segment not in the job", changed.replace('<trans-unit id="4">', '<trans-unit id="9">'),
             ["segment 9 is not in the job"]),
        ]
        for name, data, words in cases:
            with self.subTest(case=name):
                self.assertRefused(job, data.encode(), 422, *words)
        self.assertRefused(job, b"", 400, "empty")

    def test_a_file_over_the_limit_is_refused_before_it_is_read(self):
        job = self.job()
        head = ("PUT /api/v1/translation-jobs/%d/xliff HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: %s\r\nContent-Length: %d\r\n\r\n" % (job["id"], self.s.tokens["emil"], XLIFF, 65 << 20))
        with socket.create_connection(("127.0.0.1", self.s.port), timeout=30) as sock:
            sock.sendall(head.encode())
            self.assertEqual(sock.recv(4096).decode("latin-1").split("\r\n")[0], "HTTP/1.1 413 Content Too Large")
        # Under the limit but over the server's own 1 MiB: read, and refused for what it holds.
        self.assertRefused(job, b"<xliff>" + b" " * (2 << 20), 422, "line")

    def test_a_finished_job_takes_no_file(self):
        job = self.job()
        for seg, target in zip(self.segments(job), FRENCH):
            self.translate(seg, target)
        file = self.export(job).body.encode()
        self.assertStatus(self.s.post("/api/v1/translation-jobs/%d/transitions" % job["id"], {"to": "translating"},
                                      user="ana"), 200)
        self.assertStatus(self.s.post("/api/v1/translation-jobs/%d/transitions" % job["id"], {"to": "done"},
                                      user="ana"), 200)
        self.assertRefused(job, file, 409, "the job is finished; its translation is the document's version now")

    def test_only_the_job_s_assignees_and_managers_bring_a_file_back(self):
        job = self.job(reviser=self.ids["fiona"])
        other = self.job(translator=self.ids["fiona"], reviser=None)
        for j in (job, other):
            tool = Tool(self.export(j).body, "1.2")
            tool.translate(2, FRENCH[1])
            with self.subTest(job=j["id"]):
                if j is other:
                    self.assertRefused(j, tool.bytes(), 403, user="emil")  # a translator, not this job's
                    self.assertRefused(j, self.export(j).body.encode(), 403, user="emil")  # even a file that changes nothing
                self.assertRefused(j, tool.bytes(), 403, user="dora")
        tool = Tool(self.export(job, "2.0").body, "2.0")
        tool.translate(2, FRENCH[1])
        self.assertStatus(self.put(job, tool.bytes(), user="fiona"), 200)  # the reviser
        tool.translate(1, FRENCH[0])
        self.assertStatus(self.put(job, tool.bytes(), user="ana"), 200)  # a translation manager
        self.assertEqual([s.get("target") for s in self.segments(job)][:2], FRENCH[:2])

    def test_tags_out_of_place_are_refused_naming_the_sentence(self):
        job = self.job()
        for version in ("1.2", "2.0"):
            with self.subTest(version=version):
                tool = Tool(self.export(job, version).body, version)
                tool.translate(1, FRENCH[0])
                target = tool.translate(3, "Le Comité permanent")
                # a tag opened and never closed: <bx/> in 1.2, <sc/> in 2.0
                ET.SubElement(target, tool.q("bx" if version == "1.2" else "sc"), {"id": "1"}).tail = " a pris note."
                self.assertRefused(job, tool.bytes(), 422, "segment 3's target")

    def test_a_sentence_the_rules_refuse_rolls_every_change_back(self):
        job = self.job()
        tool = Tool(self.export(job, "2.0").body, "2.0")
        tool.translate(1, FRENCH[0])
        tool.translate(2, FRENCH[1])
        tool.translate(3, "Le Comité permanent a pris note du document C/115/1.")  # confirmed without its tag
        tool.translate(4, FRENCH[3])
        text = tool.bytes().decode()
        line = text[:text.index('<unit id="3"')].count("\n") + 1
        p = self.assertRefused(job, tool.bytes(), 422, "segment 3", "line %d" % line, "same tags")
        self.assertIn("target", [e["field"] for e in p.get("errors", [])])

    # ---- the job's page ----

    def test_the_job_s_page_downloads_and_takes_the_file_in_the_reader_s_language(self):
        job = self.job()
        c = Client(self.s, "fr")
        self.assertEqual(c.sign_in("emil").status, 303)
        path = "/translation-jobs/%d" % job["id"]
        page = c.get(path)
        self.assertEqual(page.status, 200)
        self.assertIn('href="/api/v1/translation-jobs/%d/xliff?version=2.0"' % job["id"], page.body)
        self.assertIn('enctype="multipart/form-data"', page.body)
        self.assertIn("Outils de bureau (XLIFF)", page.body)
        download = c.get("/api/v1/translation-jobs/%d/xliff?version=2.0" % job["id"])
        self.assertEqual(download.status, 200)
        tool = Tool(download.body, "2.0")
        tool.translate(2, FRENCH[1])
        body, ctype = multipart(c.csrf(path), "council.xlf", tool.bytes(), False)
        r = self.s.request("POST", path + "/xliff", raw=body, headers=c._headers({"Content-Type": ctype}))
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith(path + "?"), r.header("Location"))
        self.assertIn("Le fichier a été pris en compte ; phrases modifiées : 1 sur 4.", c.get(r.header("Location")).body)
        self.assertEqual(self.segments(job)[1]["target"], FRENCH[1])
        # A file of another job comes back to the page, refused, in French, nothing written.
        before = self.kept(job)
        body, ctype = multipart(c.csrf(path), "council.xlf", tool.bytes().replace(b"job-", b"job-9"), False)
        r = self.s.request("POST", path + "/xliff", raw=body, headers=c._headers({"Content-Type": ctype}))
        self.assertEqual(r.status, 422)
        self.assertIn('lang="fr"', r.body)
        self.assertIn("aucune phrase n&#39;a été modifiée", r.body.replace("&#x27;", "&#39;"))
        self.assertIn("line 3", r.body)
        self.assertEqual(self.kept(job), before)
        # Without the form's token, nothing happens.
        body, ctype = multipart("0" * 64, "council.xlf", tool.bytes(), False)
        r = self.s.request("POST", path + "/xliff", raw=body, headers=c._headers({"Content-Type": ctype}))
        self.assertEqual(r.status, 403)
        self.assertEqual(self.kept(job), before)
        # A viewer reads the page and its links, without the form.
        viewer = Client(self.s, "en")
        self.assertEqual(viewer.sign_in("dora").status, 303)
        page = viewer.get(path).body
        self.assertIn("Download XLIFF 1.2", page)
        self.assertNotIn('enctype="multipart/form-data"', page)


if __name__ == "__main__":
    import unittest
    unittest.main()
