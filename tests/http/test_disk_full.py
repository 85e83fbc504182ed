"""A full disk: the database on a small tmpfs, filled by writes.  Every write the disk cannot take
answers 503 problem+json (never 500) and leaves nothing half-written; reads go on; the database and
its audit chain stay sound; once space is freed, writes succeed again.

Needs root (mount -t tmpfs), as CI runs; skipped with the reason otherwise."""
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
from contextlib import closing

from harness import Server, ServerTest, cli

SIZE = "4m"              # the tmpfs: the database after init is about 1.1 MB
FILLER = 1024 * 1024     # freed at the end, so that writes have room again
NOTES = "Invented notes on a full disk. " * 600   # about 18 KB a record, twice over with its audit entry


def mount_tmpfs(path):
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", path],
                          capture_output=True, text=True)


@unittest.skipUnless(hasattr(os, "geteuid") and os.geteuid() == 0,
                     "mounting a tmpfs for the database needs root (CI runs as root)")
class DiskFullTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.s = Server()
        cls.s.stop()
        cls.mnt = tempfile.mkdtemp(prefix="liaison-full-")
        done = mount_tmpfs(cls.mnt)
        if done.returncode != 0:
            shutil.rmtree(cls.s.dir, ignore_errors=True)
            raise unittest.SkipTest("cannot mount a tmpfs here: " + done.stderr.strip())
        db = os.path.join(cls.mnt, "full.db")
        for suffix in ("", "-wal"):
            if os.path.exists(cls.s.db + suffix):
                shutil.copy(cls.s.db + suffix, db + suffix)
        cls.s.db = db
        cls.filler = os.path.join(cls.mnt, "filler")
        with open(cls.filler, "wb") as f:
            f.write(b"\0" * FILLER)
        cls.s.start()

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()
        done = subprocess.run(["umount", cls.mnt], capture_output=True, text=True)
        if done.returncode == 0:
            os.rmdir(cls.mnt)
        else:
            print("cannot unmount %s: %s" % (cls.mnt, done.stderr.strip()))
        shutil.rmtree(cls.s.dir, ignore_errors=True)

    def post(self, n):
        return self.s.post("/api/v1/organizations?force=true",
                           {"name": {"en": "Full Disk Foundation %d" % n}, "type": "foundation", "notes": NOTES},
                           user="ana")

    def sql(self, query):
        with closing(sqlite3.connect("file:%s?mode=ro" % self.s.db, uri=True)) as db:
            return db.execute(query).fetchall()

    def count(self):
        return self.sql("SELECT count(*) FROM organizations WHERE name_en LIKE 'Full Disk Foundation %'")[0][0]

    def test_full_disk(self):
        # Fill it: creates until the store reports the disk full.
        created, refused = [], []
        for n in range(400):
            r = self.post(n)
            if r.status == 201:
                created.append(r.json())
                continue
            refused.append(r)
            if len(refused) == 5:
                break
        self.assertTrue(created, "nothing could be written at all")
        self.assertEqual(len(refused), 5, "the disk never filled up (%d records written)" % len(created))

        # Every refused write: 503, problem+json, a title and a detail that say so.
        for r in refused:
            p = self.assertProblem(r, 503)
            self.assertEqual(p["title"], "Service Unavailable")   # about:blank: the status phrase
            self.assertTrue(p["detail"].startswith("Disk full: "), p["detail"])
            self.assertIn("nothing was saved", p["detail"])

        # An update and an archive are refused the same way, and change nothing.
        first = created[0]
        r = self.s.patch("/api/v1/organizations/%d" % first["id"], {"notes": NOTES + " changed"}, first["version"],
                         user="ana")
        self.assertProblem(r, 503)
        # An archive writes little: it is refused the same way, or it fits whole in the room the
        # write-ahead log already holds (the log is reused after a checkpoint) — never half-written.
        last = created[-1]
        r = self.s.delete("/api/v1/organizations/%d" % last["id"], user="ana")
        archived = r.status == 204
        if not archived:
            self.assertProblem(r, 503)
        after = self.s.get("/api/v1/organizations/%d" % last["id"], user="ana").json()
        self.assertEqual((after["archived"], after["version"]), (archived, last["version"] + archived))

        # Reads go on.
        r = self.s.get("/api/v1/organizations/%d" % first["id"], user="ana")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["version"], first["version"])
        self.assertFalse(r.json()["archived"])
        self.assertStatus(self.s.get("/api/v1/organizations?limit=5", user="ana"), 200)
        self.assertStatus(self.s.get("/api/v1/search?q=foundation", user="ana"), 200)
        self.assertStatus(self.s.get("/healthz"), 200)

        # Nothing half-written: exactly the records answered 201, a sound file and audit chain.
        self.assertEqual(self.count(), len(created))  # an archived record is still there
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])
        verify = cli(self.s.db, "audit", "verify", check=False)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)

        # Space returns: writes succeed again, and read back.
        os.remove(self.filler)
        r = self.post(1000)
        self.assertStatus(r, 201)
        back = self.s.get("/api/v1/organizations/%d" % r.json()["id"], user="ana")
        self.assertStatus(back, 200)
        r = self.s.patch("/api/v1/organizations/%d" % first["id"], {"acronym": "FDF"}, first["version"], user="ana")
        self.assertStatus(r, 200)
        self.assertEqual(self.count(), len(created) + 1)


if __name__ == "__main__":
    unittest.main()
