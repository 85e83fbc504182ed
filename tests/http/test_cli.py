"""The command line: help, usage errors, CSV import (all or nothing) and export, member states,
backup while the server writes, and audit verification of a tampered log."""
import csv
import hashlib
import io
import os
import re
import sqlite3
import subprocess
import threading

from harness import BIN, ServerTest, all_items, cli, last_audit_id

SUBCOMMANDS = ("serve", "init", "demo", "user", "token", "import", "export", "backup", "audit")


def run(*args, stdin=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=120)


class Usage(ServerTest):
    def test_every_subcommand_has_help(self):
        for name in SUBCOMMANDS:
            with self.subTest(command=name):
                p = run(name, "--help")
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertTrue(p.stdout.startswith("usage: liaison " + name), p.stdout)
                self.assertEqual(p.stderr, "")
        p = run("--help")
        self.assertEqual(p.returncode, 0)
        for name in SUBCOMMANDS:
            self.assertIn(name, p.stdout)

    def test_unknown_command_exits_2(self):
        p = run("frobnicate")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        self.assertRegex(p.stderr, r"^liaison( \w+)?: ")
        self.assertEqual(run().returncode, 2)

    def test_bad_options_exit_2_with_one_line(self):
        cases = [
            ("export", "organizations", "--colour", "teal", "--db", self.s.db),
            ("import", "organizations", "--db", self.s.db),
            ("import", "organizations", "x.csv", "--verbose", "--db", self.s.db),
            ("serve", "--threads", "0", "--db", self.s.db),
            ("serve", "--max-body", "lots", "--db", self.s.db),
            ("serve", "--listen", "nowhere", "--db", self.s.db),
            ("audit", "check", "--db", self.s.db),
            ("user", "add", "zed", "--db", self.s.db),
            ("token", "--db"),
            ("backup", "--db", self.s.db),
            ("export", "organizations", "--format", "xml", "--db", self.s.db),
        ]
        for args in cases:
            with self.subTest(args=args):
                p = run(*args, stdin="")
                self.assertEqual(p.returncode, 2, (p.stdout, p.stderr))
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertRegex(p.stderr, r"^liaison( \w+)?: ")

    def test_failures_exit_1_with_one_line(self):
        missing = os.path.join(self.s.dir, "no-such.db")
        for args in (("audit", "verify", "--db", missing), ("export", "organizations", "--db", missing),
                     ("import", "organizations", os.path.join(self.s.dir, "missing.csv"), "--db", self.s.db),
                     ("token", "create", "nobody-here", "--db", self.s.db)):
            with self.subTest(args=args):
                p = run(*args)
                self.assertEqual(p.returncode, 1, (p.stdout, p.stderr))
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertRegex(p.stderr, r"^liaison( \w+)?: ")
        self.assertFalse(os.path.exists(missing))

    def test_a_port_already_served_is_refused_not_shared(self):
        # each server thread has its own socket on the port (SO_REUSEPORT);
        # a second server must not quietly join them and take half the requests
        p = subprocess.run([BIN, "serve", "--db", self.s.db, "--listen", "127.0.0.1:%d" % self.s.port],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 1, (p.stdout, p.stderr))
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        self.assertIn("cannot listen on 127.0.0.1:%d" % self.s.port, p.stderr)
        self.assertEqual(self.s.get("/healthz").status, 200)

    def test_unknown_kind_is_a_usage_error(self):
        path = os.path.join(self.s.dir, "k.csv")
        with open(path, "w") as f:
            f.write("name\nx\n")
        p = run("import", "planets", path, "--db", self.s.db)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertRegex(p.stderr, r"^liaison( \w+)?: ")


class ImportExport(ServerTest):
    def write(self, name, text):
        path = os.path.join(self.s.dir, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def count_orgs(self):
        return len(all_items(self.s, "/api/v1/organizations?archived=true"))

    def test_import_good_csv_creates_rows_seen_by_the_running_server(self):
        path = self.write("good.csv",
                          "name_en,name_fr,type,country,tags\n"
                          "Tessaly Harbour Workers' League,Ligue des travailleurs du port de Tessaly,cso,PH,\"labour; maritime\"\n"
                          "Quillon Diaspora Forum,Forum de la diaspora de Quillon,cso,SN,diaspora\n"
                          "\"Marova Migrant Aid, Inc.\",,foundation,MX,\"aid;  labour ;\"\n")
        before = self.count_orgs()
        p = cli(self.s.db, "import", "organizations", path, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), "Imported 3 rows: 3 created, 0 updated, 0 unchanged")
        self.assertEqual(self.count_orgs(), before + 3)
        labour = {o["name"]["en"]: o for o in all_items(self.s, "/api/v1/organizations?tags=labour", user="ana")}
        self.assertEqual(set(labour), {"Tessaly Harbour Workers' League", "Marova Migrant Aid, Inc."})
        t = labour["Tessaly Harbour Workers' League"]
        self.assertEqual(t["tags"], ["labour", "maritime"])
        self.assertEqual(t["name"]["fr"], "Ligue des travailleurs du port de Tessaly")
        self.assertEqual((t["type"], t["country"]), ("cso", "PH"))
        self.assertEqual(labour["Marova Migrant Aid, Inc."]["tags"], ["aid", "labour"])
        # every row is audited
        self.assertEqual(len(all_items(self.s, "/api/v1/audit?kind=organizations&id=%d" % t["id"])), 1)

    def test_bad_rows_are_each_reported_and_nothing_is_written(self):
        path = self.write("bad.csv",
                          "name_en,name_fr,type,country,tags\n"
                          "Velden Refugee Council,,cso,FR,\n"
                          "Orsk Labour Mobility Office,,government,QQ,\n"
                          "Pellan Return Network,,cso,DE,\n"
                          "\"Broken quote Society,,cso,ES,\n"
                          "Zellbridge Seafarers Chapel,,cso,IT,\n")
        before, audit = self.count_orgs(), last_audit_id(self.s)
        p = cli(self.s.db, "import", "organizations", path, check=False)
        self.assertEqual(p.returncode, 1, p.stdout)
        lines = p.stderr.splitlines()
        self.assertTrue(any(l.startswith(path + ":3: country") for l in lines), lines)
        self.assertTrue(any(l.startswith(path + ":5:") for l in lines), lines)
        self.assertEqual(sum(1 for l in lines if re.match(re.escape(path) + r":\d+: ", l)), 2, lines)
        self.assertTrue(lines[-1].startswith("liaison: nothing imported"), lines)
        self.assertEqual(p.stdout, "")
        self.assertEqual(self.count_orgs(), before)
        self.assertEqual(last_audit_id(self.s), audit)
        names = [o["name"]["en"] for o in all_items(self.s, "/api/v1/organizations")]
        self.assertNotIn("Velden Refugee Council", names)

    def test_row_errors_name_the_column(self):
        path = self.write("cols.csv",
                          "name_en,type,website,parent\n"
                          "Sable Coast Union,guild,https://sable.example,\n"
                          "Sable Coast Union 2,cso,javascript:alert(1),\n"
                          "Sable Coast Union 3,cso,,twelve\n")
        p = cli(self.s.db, "import", "organizations", path, check=False)
        self.assertEqual(p.returncode, 1)
        lines = p.stderr.splitlines()
        for want in (":2: type:", ":3: website:", ":4: parent:"):
            self.assertTrue(any(l.startswith(path + want) for l in lines), (want, lines))

    def test_crlf_bom_and_multiline_cells(self):
        # a spreadsheet's CSV: byte order mark, CRLF line ends, a cell over three lines;
        # a bad row after it is reported at its own physical line
        data = ("\ufeffname_en,type,notes\r\n"
                "Kestrel Quay Guild,cso,\"line one\r\nline two, still\r\nline three\"\r\n"
                "Osprey Quay Guild,ngo,x\r\n")
        path = self.write("excel.csv", data)
        before = self.count_orgs()
        p = cli(self.s.db, "import", "organizations", path, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(any(l.startswith(path + ":5: type:") for l in p.stderr.splitlines()), p.stderr)
        self.assertEqual(self.count_orgs(), before)
        path = self.write("excel-good.csv", data.replace(",ngo,", ",cso,"))
        p = cli(self.s.db, "import", "organizations", path, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        got = {o["name"]["en"]: o for o in all_items(self.s, "/api/v1/organizations")}
        self.assertEqual(got["Kestrel Quay Guild"]["notes"], "line one\r\nline two, still\r\nline three")
        self.assertIn("Osprey Quay Guild", got)

    def test_rows_with_the_wrong_number_of_fields_and_bad_bytes(self):
        path = os.path.join(self.s.dir, "shape.csv")
        with open(path, "wb") as f:
            f.write(b"name_en,type\nOnly Quay,cso,extra\nTwo\nGood Quay Guild,cso\nBad \xff Byte,cso\n")
        before = self.count_orgs()
        p = cli(self.s.db, "import", "organizations", path, check=False)
        self.assertEqual(p.returncode, 1)
        lines = p.stderr.splitlines()
        for n in (2, 3, 5):
            self.assertTrue(any(l.startswith("%s:%d: " % (path, n)) for l in lines), (n, lines))
        self.assertFalse(any(l.startswith(path + ":4:") for l in lines), lines)
        self.assertEqual(self.count_orgs(), before)

    def test_unknown_header_column_is_reported(self):
        path = self.write("head.csv", "name_en,type,colour\nTeal Society,cso,teal\n")
        before = self.count_orgs()
        p = cli(self.s.db, "import", "organizations", path, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(any(l.startswith(path + ":1: colour") for l in p.stderr.splitlines()), p.stderr)
        self.assertEqual(self.count_orgs(), before)

    def test_dry_run_writes_nothing(self):
        path = self.write("dry.csv", "name_en,type,country\nDry Run Harbour Guild,cso,PT\nDry Run Port Council,government,PT\n")
        before, audit = self.count_orgs(), last_audit_id(self.s)
        p = cli(self.s.db, "import", "organizations", path, "--dry-run", check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), "Checked (dry run, nothing written) 2 rows: 2 created, 0 updated, 0 unchanged")
        self.assertEqual(self.count_orgs(), before)
        self.assertEqual(last_audit_id(self.s), audit)

    def test_duplicates_within_the_file_and_against_the_database(self):
        self.org("Amina Okonkwo-Ferreira Foundation")
        path = self.write("dups.csv", "name_en,type\namina okonkwo-ferreira foundation,foundation\n"
                                      "Kestrel Bay Fishers,cso\nKESTREL BAY FISHERS,cso\n")
        before = self.count_orgs()
        p = cli(self.s.db, "import", "organizations", path, check=False)
        self.assertEqual(p.returncode, 1, p.stdout)
        lines = p.stderr.splitlines()
        self.assertTrue(any(l.startswith(path + ":2:") for l in lines), lines)
        self.assertTrue(any(l.startswith(path + ":4:") for l in lines), lines)
        self.assertEqual(self.count_orgs(), before)

    def test_member_states_update_countries(self):
        path = self.write("members.csv", "iso2,membership,membership_date\nCH,member,1951-12-05\nBT,observer,2020-06-30\n")
        p = cli(self.s.db, "import", "member-states", path, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.strip(), "Imported 2 rows: 0 created, 2 updated, 0 unchanged")
        ch = self.s.get("/api/v1/countries/CH").json()
        self.assertEqual((ch["membership"], ch["membership_date"], ch["demo"]), ("member", "1951-12-05", False))
        self.assertEqual(ch["name"]["en"], "Switzerland")  # untouched columns stay
        self.assertEqual(ch["version"], 2)
        bt = self.s.get("/api/v1/countries/BT").json()
        self.assertEqual((bt["membership"], bt["membership_date"]), ("observer", "2020-06-30"))
        # a bad membership leaves every country as it was
        path = self.write("members-bad.csv", "iso2,membership\nAT,member\nBE,associate\n")
        p = cli(self.s.db, "import", "member-states", path, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(any(l.startswith(path + ":3: membership") for l in p.stderr.splitlines()), p.stderr)
        self.assertEqual(self.s.get("/api/v1/countries/AT").json()["membership"], "none")

    def test_export_is_csv_with_formula_cells_defused(self):
        self.org("=HYPERLINK(\"http://evil.example\",\"click\")", acronym="+SUM", notes="-2+3", address="@cmd")
        self.org("Plain Name Cooperative", tags=["alpha", "beta"])
        p = cli(self.s.db, "export", "organizations", check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = list(csv.DictReader(io.StringIO(p.stdout)))
        self.assertIn("name_en", rows[0].keys())
        for col in ("id", "version", "name_fr", "name_es", "type", "country", "tags"):
            self.assertIn(col, rows[0].keys())
        evil = [r for r in rows if "HYPERLINK" in r["name_en"]]
        self.assertEqual(len(evil), 1)
        self.assertEqual(evil[0]["name_en"], "'=HYPERLINK(\"http://evil.example\",\"click\")")
        self.assertEqual(evil[0]["acronym"], "'+SUM")
        self.assertEqual(evil[0]["notes"], "'-2+3")
        self.assertEqual(evil[0]["address"], "'@cmd")
        plain = [r for r in rows if r["name_en"] == "Plain Name Cooperative"][0]
        self.assertEqual(plain["tags"], "alpha; beta")

    def test_export_then_import_round_trips(self):
        self.org("Round Trip Dockers Association", tags=["one", "two"], country="KE")
        p = cli(self.s.db, "export", "organizations", check=False)
        rows = [r for r in csv.DictReader(io.StringIO(p.stdout)) if r["name_en"] == "Round Trip Dockers Association"]
        self.assertEqual(len(rows), 1)
        path = self.write("rt.csv", "name_en,type,country,tags\n%s,%s,%s,%s\n" % (
            "Round Trip Dockers Association (copy)", rows[0]["type"], rows[0]["country"], rows[0]["tags"]))
        p = cli(self.s.db, "import", "organizations", path, "--force", check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        copy = [o for o in all_items(self.s, "/api/v1/organizations") if o["name"]["en"] == "Round Trip Dockers Association (copy)"][0]
        self.assertEqual((copy["tags"], copy["country"]), (["one", "two"], "KE"))


class BackupAndAudit(ServerTest):
    def copy_db(self, name):
        out = os.path.join(self.s.dir, name)
        p = cli(self.s.db, "backup", out, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        return out

    def verify(self, db):
        return subprocess.run([BIN, "audit", "verify", "--db", db], capture_output=True, text=True, timeout=120)

    def test_backup_while_the_server_writes_verifies(self):
        stop = threading.Event()
        created, errors = [], []

        def writer(n):
            i = 0
            while not stop.is_set() and i < 400:
                r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Backup Load Body %d-%d" % (n, i)}, "type": "cso"}, user="ana")
                (created if r.status == 201 else errors).append(r.status)
                i += 1

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        try:
            # wait until writes are flowing, then back up in the middle of them
            while len(created) < 20 and not errors and any(t.is_alive() for t in threads):
                threading.Event().wait(0.01)
            out = os.path.join(self.s.dir, "live-backup.db")
            p = cli(self.s.db, "backup", out, check=False)
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertEqual(errors, [])
        self.assertEqual(p.returncode, 0, p.stderr)
        v = self.verify(out)
        self.assertEqual(v.returncode, 0, v.stderr)
        db = sqlite3.connect(out)
        try:
            orgs = db.execute("SELECT count(*) FROM organizations").fetchone()[0]
            audited = db.execute("SELECT count(*) FROM audit WHERE kind='organizations' AND action='create'").fetchone()[0]
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        finally:
            db.close()
        self.assertGreaterEqual(orgs, 20)
        self.assertEqual(orgs, audited)  # a consistent snapshot: every row with its audit entry
        self.assertEqual(self.verify(self.s.db).returncode, 0)

    def test_edited_entry_breaks_the_chain_at_that_entry(self):
        out = self.copy_db("tamper-edit.db")
        self.assertEqual(self.verify(out).returncode, 0)
        db = sqlite3.connect(out)
        db.execute("UPDATE audit SET user_name='x' WHERE id=3")
        db.commit()
        db.close()
        v = self.verify(out)
        self.assertEqual(v.returncode, 1, v.stdout)
        self.assertEqual(len(v.stderr.splitlines()), 1, v.stderr)
        self.assertTrue(v.stderr.startswith("liaison: audit log broken at entry 3:"), v.stderr)

    def test_edited_changes_break_the_chain(self):
        out = self.copy_db("tamper-changes.db")
        db = sqlite3.connect(out)
        db.execute("UPDATE audit SET changes='{}' WHERE id=7")
        db.commit()
        db.close()
        v = self.verify(out)
        self.assertEqual(v.returncode, 1)
        self.assertTrue(v.stderr.startswith("liaison: audit log broken at entry 7:"), v.stderr)

    def test_removed_middle_entry_is_found(self):
        out = self.copy_db("tamper-delete.db")
        db = sqlite3.connect(out)
        n = db.execute("SELECT max(id) FROM audit").fetchone()[0]
        mid = n // 2
        db.execute("DELETE FROM audit WHERE id=?", (mid,))
        db.commit()
        db.close()
        v = self.verify(out)
        self.assertEqual(v.returncode, 1)
        self.assertTrue(v.stderr.startswith("liaison: audit log broken at entry %d:" % (mid + 1)), v.stderr)

    def test_rehashed_entry_still_breaks_the_chain_after_it(self):
        # an edit that also recomputes the entry's own changes hash is caught by the entry hash
        out = self.copy_db("tamper-rehash.db")
        db = sqlite3.connect(out)
        changes = '{"name_en":{"before":null,"after":"Forged"}}'
        db.execute("UPDATE audit SET changes=?, changes_hash=? WHERE id=5", (changes, hashlib.sha256(changes.encode()).hexdigest()))
        db.commit()
        db.close()
        v = self.verify(out)
        self.assertEqual(v.returncode, 1)
        self.assertTrue(v.stderr.startswith("liaison: audit log broken at entry 5:"), v.stderr)

    def test_sound_log_reports_its_entry_count(self):
        v = self.verify(self.s.db)
        self.assertEqual(v.returncode, 0, v.stderr)
        db = sqlite3.connect(self.s.db)
        try:
            n = db.execute("SELECT count(*) FROM audit").fetchone()[0]
        finally:
            db.close()
        # the server recorded its head at start (test_audit_heads.py)
        self.assertRegex(v.stdout.strip(), r"^audit log sound: %d entries; \d+ heads? match(es)?$" % n)


class VCardExport(ServerTest):
    def test_persons_export_as_vcards(self):
        for given, family in (("Amina", "Okonkwo-Ferreira"), ("Tomás", "Lindqvist")):
            r = self.s.post("/api/v1/persons?force=true", {"given_name": given, "family_name": family}, user="ana")
            self.assertStatus(r, 201)
        out = cli(self.s.db, "export", "persons", "--format", "vcard")
        self.assertEqual(out.stdout.count("BEGIN:VCARD"), 2)  # CRLF line ends: see the vcard unit tests
        self.assertIn("FN:Tomás Lindqvist", out.stdout)
        bad = cli(self.s.db, "export", "organizations", "--format", "vcard", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertTrue(bad.stderr.startswith("liaison export: vCards are for persons"), bad.stderr)
        self.assertEqual(cli(self.s.db, "export", "persons", "--format", "xml", check=False).returncode, 2)
