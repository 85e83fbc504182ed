"""CSV through the command line and the import page: what `liaison export` writes, `liaison import` takes
back unchanged, into the same database (every row unchanged) and into a fresh one (the same records);
the rules for ids, versions, empty cells and the system's fields; and a check that leaves writers alone.
(tests/unit/test_csvio.c does the same for every kind with values generated from the registry.)"""
import csv
import io
import os
import subprocess
import tempfile
import threading

from harness import BIN, Server, ServerTest, cli, last_audit_id
from test_pages import Client

HOSTILE = {
    "name": {"en": "=HYPERLINK(\"http://x.example\";\"click\"), Inc.", "fr": "'tis l'Organisation", "es": None},
    "acronym": "+SUM",
    "address": "@cmd\r\nsecond line, \"quoted\"",
    "notes": "-2+3 \\ back; slash",
    "tags": ["semi;colon", "back\\slash", " lead", "trail ", "line\nbreak", "'=quoted'", "\\;"],
    "phones": ["+41 22 555 01 23", "-1"],
    "emails": ["=ana@example.org", "o'brien@example.org"],
    "website": "https://example.org/?a=1;b=2,c='d'",
}
SYSTEM = ("version", "created_at", "updated_at", "created_by", "updated_by")


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


def multipart(token, name, data, check):
    boundary = "----liaisoncsvboundary"
    parts = [("_csrf", None, token)] + ([("dry_run", None, "1")] if check else []) + [("file", name, data)]
    body = b""
    for field, filename, value in parts:
        disposition = 'form-data; name="%s"' % field + ('; filename="%s"' % filename if filename else "")
        body += ("--%s\r\nContent-Disposition: %s\r\n%s\r\n" % (
            boundary, disposition, "Content-Type: text/csv\r\n" if filename else "")).encode()
        body += (value if isinstance(value, bytes) else value.encode()) + b"\r\n"
    body += ("--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=" + boundary


class CsvRoundTrip(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def make(kind, body, user="ana"):
            r = s.post("/api/v1/%s?force=true" % kind, body, user=user)
            assert r.status == 201, r
            return r.json()["id"]

        cls.child = make("organizations", dict(HOSTILE, type="cso", country="PH"))
        cls.parent = make("organizations", {"name": {"en": "Parent Quay Federation"}, "type": "igo"})
        r = s.patch("/api/v1/organizations/%d" % cls.child, {"parent": cls.parent}, 1, user="ana")
        assert r.status == 200, r  # the child refers to a record that comes after it in the file
        cls.person = make("persons", {"family_name": "=Okafor-Lindqvist", "given_name": "'Ada", "organization": cls.child,
                                      "emails": ["=ada@example.org"], "languages": ["fr;en", " es "], "country": "SN",
                                      "consent_basis": "consent", "consent_date": "2026-01-31"})
        cls.talk = make("interactions", {"date": "2026-02-28", "kind": "meeting", "subject": "-Harbour; pilots",
                                         "participants": [{"kind": "organizations", "id": cls.child, "role": "=chair; deputy\\"},
                                                          {"kind": "persons", "id": cls.person}],
                                         "staff": [{"kind": "users", "id": 1, "role": " lead "}], "tags": ["a;b"]})
        cls.tie = make("relationships", {"type": "works_for", "from_person": cls.person, "to_organization": cls.child,
                                         "start_date": "2025-01-01", "notes": "'=1"})

    def write(self, name, text):
        path = os.path.join(self.s.dir, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def export(self, kind, server=None):
        """The export as written, line ends and all (text mode would turn a cell's CRLF into LF)."""
        p = subprocess.run([BIN, "export", kind, "--db", (server or self.s).db], capture_output=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout.decode("utf-8")

    def kinds(self):
        """Every kind the API writes, from the OpenAPI document's paths."""
        paths = self.s.get("/api/v1/openapi.json").json()["paths"]
        return [p[len("/api/v1/"):] for p, ops in paths.items()
                if "post" in ops and "patch" in paths.get(p + "/{id}", {})]

    def test_every_kind_is_taken_back_unchanged(self):
        kinds = self.kinds()
        self.assertIn("organizations", kinds)
        self.assertIn("interactions", kinds)
        audit = last_audit_id(self.s)
        for kind in kinds:
            with self.subTest(kind=kind):
                text = self.export(kind)
                n = len(rows_of(text))
                p = cli(self.s.db, "import", kind, self.write(kind + ".csv", text), check=False)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(p.stdout.strip(), "Imported %d rows: 0 created, 0 updated, %d unchanged" % (n, n))
        self.assertEqual(last_audit_id(self.s), audit)  # nothing was written

    def test_into_a_fresh_database_the_same_records(self):
        fresh = Server()
        try:
            for kind, ids in (("countries", ()), ("organizations", (self.child, self.parent)), ("persons", (self.person,)),
                              ("relationship-types", ()), ("relationships", (self.tie,)), ("interactions", (self.talk,))):
                path = self.write("fresh-" + kind + ".csv", self.export(kind))
                check = cli(fresh.db, "import", kind, path, "--dry-run", check=False)
                self.assertEqual(check.returncode, 0, check.stderr)
                done = cli(fresh.db, "import", kind, path, check=False)
                self.assertEqual(done.returncode, 0, done.stderr)
                self.assertEqual(check.stdout.split(" rows: ")[1], done.stdout.split(" rows: ")[1])
                for rid in ids:
                    a = self.s.get("/api/v1/%s/%d" % (kind, rid), user="root").json()
                    b = fresh.get("/api/v1/%s/%d" % (kind, rid), user="root").json()
                    for key in SYSTEM:
                        a.pop(key)
                        b.pop(key)
                    self.assertEqual(a, b)
            org = fresh.get("/api/v1/organizations/%d" % self.child, user="root").json()
            self.assertEqual(org["tags"], HOSTILE["tags"])
            self.assertEqual(org["name"], HOSTILE["name"])
            self.assertEqual(org["parent"], self.parent)
        finally:
            fresh.close()

    def test_versions_ids_and_empty_cells(self):
        rid = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Versioned Wharf Guild"}, "type": "cso",
                                                                "acronym": "VWG", "notes": "kept"}, user="ana").json()["id"]
        old = self.write("old.csv", "id,version,name_en,acronym\n%d,1,Versioned Wharf Guild,\n" % rid)
        self.assertStatus(self.s.patch("/api/v1/organizations/%d" % rid, {"notes": "changed"}, 1, user="ana"), 200)
        audit = last_audit_id(self.s)
        # a file older than the record is refused, whole
        p = cli(self.s.db, "import", "organizations", old, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(old + ":2: version: is 1, but the organization is now at version 2", p.stderr)
        self.assertEqual(last_audit_id(self.s), audit)
        # a row naming its record by id needs its version
        p = cli(self.s.db, "import", "organizations", self.write("nov.csv", "id,acronym\n%d,X\n" % rid), check=False)
        self.assertIn(":2: version: is required", p.stderr)
        # at the current version: the empty acronym empties it, the absent notes stay
        p = cli(self.s.db, "import", "organizations",
                self.write("cur.csv", "id,version,name_en,acronym\n%d,2,Versioned Wharf Guild,\n" % rid), check=False)
        self.assertEqual(p.stdout.strip(), "Imported 1 rows: 0 created, 1 updated, 0 unchanged", p.stderr)
        org = self.s.get("/api/v1/organizations/%d" % rid, user="ana").json()
        self.assertEqual((org["acronym"], org["notes"], org["version"]), (None, "changed", 3))
        # the same id twice in one file
        p = cli(self.s.db, "import", "organizations",
                self.write("twice.csv", "id,version,acronym\n%d,3,A\n%d,3,B\n" % (rid, rid)), check=False)
        self.assertIn(":3: id: has the same value as line 2", p.stderr)

    def test_bad_cells_are_each_reported_and_nothing_is_written(self):
        text = ("id,version,name_en,type,tags,parent\n"
                "x7,1,Bad Id Guild,cso,,\n"
                "-4,1,Negative Id Guild,cso,,\n"
                ",,Bad Parent Guild,cso,,twelve\n"
                ",,Good Row Guild,cso,a\\;b;c,\n")
        audit = last_audit_id(self.s)
        path = self.write("bad-cells.csv", text)
        p = cli(self.s.db, "import", "organizations", path, check=False)
        self.assertEqual(p.returncode, 1)
        for want in (":2: id: is not a whole number", ":3: id: is not the number of a record",
                     ":4: parent: is not a whole number"):
            self.assertIn(path + want, p.stderr)
        self.assertNotIn(path + ":5:", p.stderr)
        self.assertEqual(last_audit_id(self.s), audit)
        p = cli(self.s.db, "import", "interactions",
                self.write("bad-links.csv", "date,kind,subject,participants\n2026-01-01,call,X,organizations/12 host; persons\n"),
                check=False)
        self.assertIn(":2: participants: \"persons\" is not a link like persons/12", p.stderr)
        p = cli(self.s.db, "import", "organizations", self.write("head.csv", "name_en,type,name_en\nA,cso,B\n"), check=False)
        self.assertIn(":1: name_en: is named twice in the header", p.stderr)
        p = cli(self.s.db, "import", "organizations", self.write("quote.csv", "name_en,type,notes\nA,cso,\"x\"y\n"), check=False)
        self.assertEqual((p.returncode, len(p.stderr.splitlines())), (1, 2), p.stderr)
        # the API refuses an empty item too, and takes an empty list as none
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Empty Item Society"}, "type": "cso",
                                                              "tags": ["a", ""]}, user="ana")
        self.assertProblem(r, 422, "tags[1]")
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Empty List Society"}, "type": "cso",
                                                              "tags": []}, user="ana")
        self.assertStatus(r, 201)
        self.assertIsNone(r.json()["tags"])

    def test_an_administrators_ids_create_records_that_refer_ahead(self):
        text = ("id,version,name_en,type,parent\n"
                "900001,4,Forward Child Society,cso,900002\n"
                "900002,7,Forward Parent Network,igo,\n")
        p = cli(self.s.db, "import", "organizations", self.write("ahead.csv", text), check=False)
        self.assertEqual(p.stdout.strip(), "Imported 2 rows: 2 created, 0 updated, 0 unchanged", p.stderr)
        child = self.s.get("/api/v1/organizations/900001", user="ana").json()
        self.assertEqual((child["parent"], child["version"]), (900002, 1))
        # a reference to an id that neither the database nor the file has is refused
        p = cli(self.s.db, "import", "organizations",
                self.write("nowhere.csv", "id,name_en,type,parent\n900003,Orphan Society,cso,900009\n"), check=False)
        self.assertIn(":2: parent: no organizations matches 900009", p.stderr)

    def test_what_an_import_writes_is_found_by_search_at_once(self):
        names = ["Quillmarsh Harbour Council %d" % i for i in range(300)]
        text = "name_en,type\n" + "".join("%s,cso\n" % n for n in names)
        p = cli(self.s.db, "import", "organizations", self.write("found.csv", text), check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        found = self.s.get("/api/v1/search?q=Quillmarsh&limit=100", user="ana").json()
        self.assertEqual(found["total"], 300, found)
        one = self.s.get("/api/v1/search?q=%22Quillmarsh%20Harbour%20Council%20299%22", user="ana").json()["items"]
        self.assertEqual(one[0]["title"], names[-1])
        # a second import changes what search finds, and leaves the rest
        rid = one[0]["id"]
        p = cli(self.s.db, "import", "organizations",
                self.write("renamed.csv", "id,version,name_en\n%d,1,Brackenwold Harbour Council\n" % rid), check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([x["id"] for x in self.s.get("/api/v1/search?q=Brackenwold", user="ana").json()["items"]], [rid])
        self.assertEqual(self.s.get("/api/v1/search?q=Quillmarsh&limit=100", user="ana").json()["total"], 299)

    def test_a_file_of_any_kind_and_a_progress_line(self):
        # a pipe is read whole, a regular file mapped; a missing one is one line
        p = subprocess.run([BIN, "import", "organizations", "/dev/stdin", "--db", self.s.db],
                           input="name_en,type\nPiped Estuary Guild,cso\n", capture_output=True, text=True, timeout=60)
        self.assertEqual((p.returncode, p.stdout.strip()), (0, "Imported 1 rows: 1 created, 0 updated, 0 unchanged"), p.stderr)
        p = cli(self.s.db, "import", "organizations", "/nonexistent/orgs.csv", check=False)
        self.assertEqual((p.returncode, p.stderr), (1, "liaison: cannot open /nonexistent/orgs.csv: "
                                                        "No such file or directory\n"))
        # every 10,000 rows, a line on standard error says how far the import is (into a database of its own:
        # the other tests export this one's organizations)
        db = os.path.join(self.s.dir, "progress.db")
        cli(db, "init")
        rows = "".join("Progress Estuary Guild %d,cso\n" % i for i in range(10000))
        p = cli(db, "import", "organizations", self.write("progress.csv", "name_en,type\n" + rows), "--force",
                check=False)
        self.assertEqual((p.returncode, p.stderr), (0, "import: 10000 rows read\n"))

    def test_a_migration_imports_all_but_the_likely_duplicates_which_go_for_review(self):
        db = os.path.join(self.s.dir, "review.db")
        cli(db, "init")
        cli(db, "import", "organizations", self.write("base.csv", "name_en,type\nHollowmere Seafarers Mission,cso\n"
                                                                  "Brindle Coast Fishers Union,cso\n"))
        out = os.path.join(self.s.dir, "review.csv")
        text = ("name_en,type,notes\nhollowmere seafarers mission,cso,=SUM(A1)\nOrrin Valley Weavers,cso,\n"
                "Brindle Coast Fishers' Union,cso,\"kept, as written\"\n")
        p = cli(db, "import", "organizations", self.write("migration.csv", text), "--review", out, check=False)
        self.assertEqual((p.returncode, p.stdout.strip()),
                         (0, "Imported 3 rows: 1 created, 0 updated, 0 unchanged, 2 likely duplicates written for "
                             "review to " + out), p.stderr)
        with open(out, newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["name_en"] for r in rows], ["hollowmere seafarers mission", "Brindle Coast Fishers' Union"])
        self.assertEqual([r["create_anyway"] for r in rows], ["", ""])
        self.assertRegex(rows[0]["likely_duplicates"], r"^1 Hollowmere Seafarers Mission \(1\.00, name: the same words\)$")
        self.assertTrue(rows[1]["likely_duplicates"].startswith("2 Brindle Coast Fishers Union ("))
        self.assertEqual(rows[0]["notes"], "'=SUM(A1)")        # guarded for spreadsheets, taken back unguarded
        self.assertEqual(rows[1]["notes"], "kept, as written")
        # a review file is never written over: refused before anything is imported
        again = cli(db, "import", "organizations", self.write("more.csv", "name_en,type\nTarn Wharf Guild,cso\n"),
                    "--review", out, check=False)
        self.assertEqual((again.returncode, again.stderr), (1, "liaison: cannot write %s: it is there already\n" % out))
        # the one marked is created (its notes unguarded); the other goes for review again
        rows[0]["create_anyway"] = "yes"
        with open(out + ".marked", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        p = cli(db, "import", "organizations", out + ".marked", "--review", out + ".2", check=False)
        self.assertIn("1 created, 0 updated, 0 unchanged, 1 likely duplicate written for review", p.stdout, p.stderr)
        names = [r["name_en"] for r in rows_of(cli(db, "export", "organizations").stdout)]
        self.assertEqual(names.count("hollowmere seafarers mission"), 1)
        self.assertNotIn("Tarn Wharf Guild", names)
        notes = {r["name_en"]: r["notes"] for r in rows_of(cli(db, "export", "organizations").stdout)}
        self.assertEqual(notes["hollowmere seafarers mission"], "'=SUM(A1)")   # exported guarded: it is =SUM(A1)
        # a malformed row still stops everything, and leaves no review file
        p = cli(db, "import", "organizations", self.write("bad.csv", "name_en,type\nhollowmere seafarers mission,cso\n"
                                                                    "Orrin Ford Society,nonsense\n"),
                "--review", out + ".3", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(":3: type:", p.stderr)
        self.assertFalse(os.path.exists(out + ".3"))

    def test_a_check_finds_the_rows_that_repeat_each_other_as_the_import_does(self):
        db = os.path.join(self.s.dir, "check.db")
        cli(db, "init")
        cli(db, "import", "organizations", self.write("known.csv", "name_en,type,country\nSalterne Pilots Guild,cso,NO\n"))
        text = ("name_en,type,country,emails\nOstrava Lamplighters Guild for Seafarers,cso,NO,\n"
                "Ostrava Lamplighters Guild for Seafarer,cso,NO,\n"          # the row above, in the singular
                "Ostrava Lamplighters Guild for Seafarers,cso,SE,\n"         # the same name in another country
                "Quarrel Point Ferrymen,cso,NO,desk@quarrel.example.org\n"
                "Ferry Board of Quarrel Point,cso,NO,DESK@quarrel.example.org\n"   # the same e-mail address
                "Salterne Pilot Guild,cso,NO,\n")                            # the database's record
        path = self.write("repeats.csv", text)
        scratch = tempfile.mkdtemp(dir=self.s.dir)
        checked = subprocess.run([BIN, "import", "organizations", path, "--dry-run", "--review", path + ".checked",
                                  "--db", db], capture_output=True, text=True, timeout=60, env=dict(os.environ, TMPDIR=scratch))
        imported = cli(db, "import", "organizations", path, "--review", path + ".imported", check=False)
        self.assertEqual((checked.returncode, imported.returncode), (0, 0), checked.stderr + imported.stderr)
        self.assertEqual(checked.stdout.split(" rows: ")[1].replace("written", ""),
                         "3 created, 0 updated, 0 unchanged, 3 likely duplicates  for review to %s.checked\n" % path)
        self.assertEqual(checked.stdout.split(" rows: ")[1].replace(".checked", ".imported"),
                         imported.stdout.split(" rows: ")[1])
        with open(path + ".checked", newline="") as a, open(path + ".imported", newline="") as b:
            found, done = list(csv.DictReader(a)), list(csv.DictReader(b))
        self.assertEqual([r["name_en"] for r in found], ["Ostrava Lamplighters Guild for Seafarer", "Ferry Board of Quarrel Point",
                                                    "Salterne Pilot Guild"])
        self.assertEqual([r["name_en"] for r in done], [r["name_en"] for r in found])
        # the check names a row of the file by its line, the import by the record it made of it
        self.assertRegex(found[0]["likely_duplicates"], r"^line 2 Ostrava Lamplighters Guild for Seafarers \(1\.00, ")
        self.assertRegex(done[0]["likely_duplicates"], r"^\d+ Ostrava Lamplighters Guild for Seafarers \(1\.00, ")
        self.assertRegex(found[1]["likely_duplicates"], r"^line 5 Quarrel Point Ferrymen \(1\.00, same e-mail address")
        self.assertEqual(os.listdir(scratch), [])   # the check's scratch database is gone
        # without a review file, the check refuses the row and names what it looks like
        refused = cli(db, "import", "organizations", self.write("twice.csv", "name_en,type\nWindle Reach Boatmen,cso\n"
                                                                         "Windle Reach Boatman,cso\n"),
                      "--dry-run", check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertRegex(refused.stderr.splitlines()[0], r"twice\.csv:3: looks like line 2 Windle Reach Boatmen \(0\.9\d, "
                                                         r"name: 9\d% alike, with a typo or an abbreviation\): to create "
                                                         r"it anyway, write yes in a column create_anyway$")
        # and so does the import it refuses: the record it made of line 2 is rolled back with it
        refused = cli(db, "import", "organizations", self.write("twice.csv", "name_en,type\nWindle Reach Boatmen,cso\n"
                                                                         "Windle Reach Boatman,cso\n"), check=False)
        self.assertEqual(refused.returncode, 1)
        self.assertRegex(refused.stderr.splitlines()[0], r"twice\.csv:3: looks like line 2 Windle Reach Boatmen \(0\.9\d, ")

    def test_a_check_sees_the_names_rows_above_changed_as_the_import_does(self):
        db = os.path.join(self.s.dir, "changes.db")
        cli(db, "init")
        cli(db, "import", "organizations", self.write("first.csv", "name_en,type,country\nBrindlecombe Harbour Trust,cso,NO\n"))
        (a,) = rows_of(cli(db, "export", "organizations").stdout)
        # the first row renames the record; the next takes its old name, the last is its new name in the singular
        text = ("id,version,name_en,type,country\n%s,%s,Tollgate Ferry Wardens,cso,NO\n"
                ",,Brindlecombe Harbour Trust,cso,NO\n,,Tollgate Ferry Warden,cso,NO\n" % (a["id"], a["version"]))
        path = self.write("renames.csv", text)
        checked = cli(db, "import", "organizations", path, "--dry-run", "--review", path + ".checked")
        imported = cli(db, "import", "organizations", path, "--review", path + ".imported")
        self.assertEqual(checked.stdout.split(" rows: ")[1].replace(".checked", ".imported"),
                         imported.stdout.split(" rows: ")[1])
        with open(path + ".checked", newline="") as c, open(path + ".imported", newline="") as i:
            found, done = list(csv.DictReader(c)), list(csv.DictReader(i))
        self.assertEqual([r["name_en"] for r in found], ["Tollgate Ferry Warden"])
        self.assertEqual([r["name_en"] for r in done], ["Tollgate Ferry Warden"])
        self.assertRegex(found[0]["likely_duplicates"], r"^%s Tollgate Ferry Wardens \(1\.00, " % a["id"])

    def test_the_systems_fields_are_not_the_files(self):
        r = self.s.post("/api/v1/inquiries", {"subject": "Visa for a fictional delegation", "channel": "email"}, user="ana")
        self.assertStatus(r, 201)
        rows = [row for row in rows_of(self.export("inquiries")) if row["id"] == str(r.json()["id"])]
        self.assertEqual(rows[0]["status"], "new")
        self.assertNotIn("tracking_token", rows[0])  # bookkeeping stays out
        header = ",".join(rows[0])
        rows[0]["status"] = "closed"
        rows[0]["created_at"] = "1999-01-01T00:00:00Z"  # read, never taken
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=header.split(","))
        w.writeheader()
        w.writerow(rows[0])
        # the status moves along the workflow, as a PATCH would: new to closed is a move an inquiry makes
        p = cli(self.s.db, "import", "inquiries", self.write("status.csv", out.getvalue()), check=False)
        self.assertEqual(p.stdout.strip(), "Imported 1 rows: 0 created, 1 updated, 0 unchanged", p.stderr)
        rows = [row for row in rows_of(self.export("inquiries")) if row["id"] == str(r.json()["id"])]
        self.assertEqual(rows[0]["status"], "closed")
        rows[0]["status"] = "triaged"  # a closed inquiry is reopened as assigned, never triaged
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=header.split(","))
        w.writeheader()
        w.writerow(rows[0])
        p = cli(self.s.db, "import", "inquiries", self.write("move.csv", out.getvalue()), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(":2: Closed → Triaged: not a move you can make. Moves open to you from here: Assigned.", p.stderr)
        rows[0]["status"] = "closed"
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=header.split(","))
        w.writeheader()
        w.writerow(rows[0])
        p = cli(self.s.db, "import", "inquiries", self.write("same.csv", out.getvalue()), check=False)
        self.assertEqual(p.stdout.strip(), "Imported 1 rows: 0 created, 0 updated, 1 unchanged", p.stderr)

    def upload(self, client, kind, data, check):
        body, ctype = multipart(client.csrf(), kind + ".csv", data, check)
        return self.s.request("POST", "/%s/import" % kind, raw=body, headers=client._headers({"Content-Type": ctype}))

    def test_page_check_and_import(self):
        ana = Client(self.s)
        self.assertEqual(ana.sign_in("ana").status, 303)
        text = self.export("organizations")
        n = len(rows_of(text))
        r = self.upload(ana, "organizations", text, check=True)
        self.assertEqual(r.status, 200, r)
        self.assertIn("The file is valid. Nothing was written (check only).", r.body)
        self.assertIn("Unchanged: %d" % n, r.body)
        # a staff member's id must name a record they may change: no record is created with it
        r = self.upload(ana, "organizations", "id,version,name_en,type\n990001,1,Invented Id Guild,cso\n", check=True)
        self.assertEqual(r.status, 422, r)
        self.assertIn("no organization has this id", r.body)
        self.assertEqual(self.s.get("/api/v1/organizations/990001", user="root").status, 404)
        fr = Client(self.s, lang="fr")
        self.assertEqual(fr.sign_in("ana").status, 303)
        r = self.upload(fr, "organizations", text, check=True)
        self.assertIn("Inchangées", r.body)
        # what is wrong with a file is said in the reader's language too
        r = self.upload(fr, "organizations", "id,version,name_en,type,colour\n990001,1,Invented Id Guild,cso,red\n", check=True)
        self.assertEqual(r.status, 422, r)
        self.assertIn("n&#39;est pas une colonne que ce type de fiche peut importer", r.body.replace("&#x27;", "&#39;"))
        r = self.upload(fr, "organizations", "id,version,name_en,type\n990001,1,Invented Id Guild,cso\n2,1,Short Row\n",
                        check=True)
        body = r.body.replace("&#x27;", "&#39;")
        self.assertIn("aucune fiche (organisation) n&#39;a cet identifiant", body)
        self.assertIn("a 3 champs là où l&#39;en-tête en a 4", body)
        self.assertNotIn("has this id", body)

    def big_file(self, rows):
        return "name_en,type,tags\n" + "".join("Concurrent Check Guild %d,cso,a;b\n" % i for i in range(rows))

    def test_a_page_check_leaves_other_writers_alone(self):
        """While a large check runs on the page, another process writes: its import is done before the check
        answers (a check holding the write lock would make it wait, then fail as busy)."""
        ana = Client(self.s)
        self.assertEqual(ana.sign_in("ana").status, 303)
        body, ctype = multipart(ana.csrf(), "big.csv", self.big_file(12000), True)
        headers = ana._headers({"Content-Type": ctype})
        sent, answered = threading.Event(), threading.Event()
        result = {}

        def check():
            import http.client
            conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=600)
            conn.request("POST", "/organizations/import", body=body, headers=headers)
            sent.set()
            resp = conn.getresponse()
            result["status"], result["body"] = resp.status, resp.read().decode()
            answered.set()
            conn.close()

        t = threading.Thread(target=check)
        t.start()
        try:
            self.assertTrue(sent.wait(60))
            one = self.write("meanwhile.csv", "name_en,type\nWritten Meanwhile Guild,cso\n")
            p = cli(self.s.db, "import", "organizations", one, check=False)
            done_first = not answered.is_set()
        finally:
            t.join()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(done_first, "the write waited for the check")
        self.assertEqual(result["status"], 200, result.get("body", "")[-2000:])
        self.assertIn("Created: 12000", result["body"])

    def test_a_command_line_check_leaves_the_api_alone(self):
        """While `liaison import --dry-run` checks a large file, the API's writes are answered at once: at least
        three of them before the check ends (one holding the write lock would make them wait, then fail as busy)."""
        path = self.write("big.csv", self.big_file(12000))
        proc = subprocess.Popen([BIN, "import", "organizations", path, "--dry-run", "--db", self.s.db],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        during = 0
        try:
            while proc.poll() is None:
                r = self.s.post("/api/v1/organizations?force=true",
                                {"name": {"en": "Written Meanwhile %d" % during}, "type": "cso"}, user="bruno")
                self.assertStatus(r, 201)
                if proc.poll() is None:
                    during += 1
        finally:
            out, err = proc.communicate(timeout=600)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn(b"12000 created", out)
        self.assertGreaterEqual(during, 3, "writes answered while the check ran")
