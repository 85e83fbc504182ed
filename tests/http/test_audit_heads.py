"""The end of the audit chain anchored: `liaison audit head`, `audit verify
--head`, the head a backup writes beside its copy, the heads the server
records at start, while the chain grows and at stop, and verify failing once
entries are cut from the end while the server was stopped.  Also an erasure
over the API that still verifies, and a redaction forged in the file that
does not."""
import os
import re
import sqlite3
import subprocess
import time

from harness import BIN, ServerTest, cli

HEAD = re.compile(r"^(\d+):([0-9a-f]{64})$")
LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) (\d+):([0-9a-f]{64}) (\w+)$")


def newest(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()


def sql(db, statement, *args):
    conn = sqlite3.connect(db)
    try:
        conn.execute(statement, args)
        conn.commit()
    finally:
        conn.close()


def lines(path):
    with open(path) as f:
        return [LINE.match(line.rstrip("\n")) for line in f]


def verify(db, *args):
    return cli(db, "audit", "verify", *args, check=False)


class HeadsOfARunningServer(ServerTest):
    server_args = ("--heads-every", "1")

    def org(self, name):
        r = self.s.post("/api/v1/organizations", {"name": {"en": name}, "type": "cso"}, user="ana")
        self.assertStatus(r, 201)
        return r.json()

    def copy(self, name):
        out = os.path.join(self.s.dir, name)
        p = cli(self.s.db, "backup", out, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        return out, p

    def test_audit_head_prints_the_newest_entry(self):
        p = cli(self.s.db, "audit", "head", check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        m = HEAD.match(p.stdout.rstrip("\n"))
        self.assertIsNotNone(m, p.stdout)
        self.assertEqual(p.stdout.count("\n"), 1)
        seq, hash_ = newest(self.s.db)
        self.assertEqual((int(m.group(1)), m.group(2)), (seq, hash_))

    def test_verify_checks_the_heads_given(self):
        out, _ = self.copy("given.db")
        head = cli(out, "audit", "head").stdout.strip()
        seq, hash_ = head.split(":")
        older = "%d:%s" % (int(seq) - 5, newest_at(out, int(seq) - 5))
        v = verify(out, "--head", head, "--head=" + older)
        self.assertEqual(v.returncode, 0, v.stderr)
        self.assertIn("audit log sound: %s entries; 2 heads match" % seq, v.stdout)
        # a head the copy does not hold: another hash for that entry, or an entry beyond its end
        for bad, why in (("%s:%s" % (seq, "0" * 64), "hash differs from the head given with --head: the chain was rewritten"),
                         ("%d:%s" % (int(seq) + 7, hash_), "the chain ends at %s but a head at %d was given with --head: "
                                                            "entries were removed" % (seq, int(seq) + 7))):
            v = verify(out, "--head", bad)
            self.assertEqual(v.returncode, 1, v.stdout)
            self.assertEqual(len(v.stderr.splitlines()), 1, v.stderr)
            self.assertIn(why, v.stderr)

    def test_a_bad_head_argument_is_one_line_and_exit_2(self):
        for args in (("--head", "12"), ("--head", "x:y"), ("--head", "5:" + "0" * 63), ("--head", "-5:" + "0" * 64),
                     ("--head=5:" + "g" * 64,), ("--head", "5:" + "0" * 65), ("--head",)):
            with self.subTest(args=args):
                p = subprocess.run([BIN, "audit", "verify", "--db", self.s.db, *args], capture_output=True, text=True,
                                   timeout=60)
                self.assertEqual(p.returncode, 2, p.stdout)
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertRegex(p.stderr, r"^liaison audit: --head (takes SEQ:HASH|needs a value)")
                self.assertEqual(p.stdout, "")

    def test_backup_writes_the_head_of_its_copy(self):
        self.org("Backup Head Weavers")
        out, p = self.copy("headed.db")
        seq, hash_ = newest(out)
        self.assertIn("audit head %d:%s, kept in %s.head" % (seq, hash_, out), p.stdout)
        beside = lines(out + ".head")
        self.assertEqual(len(beside), 1)
        self.assertIsNotNone(beside[0])
        self.assertEqual((int(beside[0].group(2)), beside[0].group(3), beside[0].group(4)), (seq, hash_, "backup"))
        recorded = [m for m in lines(self.s.db + "-heads") if m.group(4) == "backup"]
        self.assertIn((seq, hash_), [(int(m.group(2)), m.group(3)) for m in recorded])
        # the head beside the copy is a heads file verify reads
        v = verify(out, "--heads", out + ".head")
        self.assertEqual(v.returncode, 0, v.stderr)
        self.assertIn("1 head matches", v.stdout)

    def test_the_server_records_the_head_while_the_chain_grows(self):
        heads = self.s.db + "-heads"
        self.assertEqual(lines(heads)[0].group(4), "start")
        self.org("Running Head Collective")
        seq, hash_ = newest(self.s.db)
        deadline, found = time.time() + 15, []
        while time.time() < deadline:
            found = [m for m in lines(heads) if (int(m.group(2)), m.group(3)) == (seq, hash_)]
            if found:
                break
            time.sleep(0.2)
        self.assertTrue(found, "head %d:%s never recorded" % (seq, hash_))
        self.assertEqual(found[0].group(4), "running")
        with open(os.path.join(self.s.dir, "server.log")) as log:
            self.assertIn("audit head %d:%s (running)" % (seq, hash_), log.read())
        self.assertTrue(all(lines(heads)), "every line of the heads file is TIME SEQ:HASH WHAT")

    def test_erasure_over_the_api_still_verifies_and_a_forged_redaction_does_not(self):
        r = self.s.post("/api/v1/persons", {"given_name": "Ilse", "family_name": "Tarvainen", "emails": ["ilse@example.org"]},
                        user="ana")
        self.assertStatus(r, 201)
        pid = r.json()["id"]
        self.assertStatus(self.s.post("/api/v1/persons/%d/erase" % pid, user="root"), 200)
        v = verify(self.s.db)
        self.assertEqual(v.returncode, 0, v.stderr)
        org = self.org("Forged Redaction Trust")
        out, _ = self.copy("forged-redaction.db")
        sql(out, "UPDATE audit SET redacted = 1, changes = '{\"redacted\":\"personal data erased\"}' "
                 "WHERE kind = 'organizations' AND record_id = ?", org["id"])
        v = verify(out)
        self.assertEqual(v.returncode, 1, v.stdout)
        self.assertEqual(len(v.stderr.splitlines()), 1, v.stderr)
        self.assertIn("no later erasure names it: the redaction was forged", v.stderr)

    def test_a_damaged_heads_file_fails_verify_with_the_line(self):
        out, _ = self.copy("damaged.db")
        with open(out + ".head", "a") as f:
            f.write("yesterday 12:abc\n")
        v = verify(out, "--heads", out + ".head")
        self.assertEqual(v.returncode, 1)
        self.assertEqual(v.stderr.strip(), "liaison: %s.head:2: not a head (TIME SEQ:HASH WHAT): "
                                           "the file was damaged or altered" % out)
        v = verify(out, "--heads", out + ".missing")
        self.assertEqual(v.returncode, 1)
        self.assertIn("cannot read the heads file", v.stderr)


def newest_at(db, seq):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT hash FROM audit WHERE id = ?", (seq,)).fetchone()[0]
    finally:
        conn.close()


class TailCutWhileStopped(ServerTest):
    def test_verify_fails_after_the_tail_is_cut(self):
        for i in range(5):
            r = self.s.post("/api/v1/organizations", {"name": {"en": "Cut Tail Guild %d" % i}, "type": "cso"}, user="ana")
            self.assertStatus(r, 201)
        self.assertEqual(self.s.stop(), 0)
        seq, hash_ = newest(self.s.db)
        stop = lines(self.s.db + "-heads")[-1]
        self.assertEqual((int(stop.group(2)), stop.group(3), stop.group(4)), (seq, hash_, "stop"))
        self.assertEqual(verify(self.s.db).returncode, 0)
        sql(self.s.db, "DELETE FROM audit WHERE id > ?", seq - 3)
        v = verify(self.s.db)
        self.assertEqual(v.returncode, 1, v.stdout)
        self.assertEqual(v.stderr.strip(),
                         "liaison: audit log broken at entry %d: the chain ends at %d but a head at %d was recorded on %s "
                         "(stop): entries were removed (%d entries before it are sound)"
                         % (seq - 2, seq - 3, seq, stop.group(1), seq - 3))


class HeadsOptions(ServerTest):
    def test_an_unwritable_heads_file_stops_the_start(self):
        p = subprocess.run([BIN, "serve", "--db", self.s.db, "--listen", "127.0.0.1:0",
                            "--heads", os.path.join(self.s.dir, "no-such-folder", "heads")],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        self.assertIn("cannot write the audit head to", p.stderr)

    def test_heads_every_must_be_seconds(self):
        for value in ("0", "x", "86401"):
            p = subprocess.run([BIN, "serve", "--db", self.s.db, "--listen", "127.0.0.1:0", "--heads-every", value],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 2)
            self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
            self.assertIn("--heads-every", p.stderr)
