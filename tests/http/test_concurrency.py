"""Optimistic concurrency under real contention: many writers, one record,
If-Match; and reads that see every commit, whoever made it."""
import os
import sqlite3
import threading
import time

from harness import ServerTest, all_items, audit_of, cli

THREADS = 8
ROUNDS = 12


class IfMatchRace(ServerTest):
    def race(self, kind, path, make_body, user="ana"):
        barrier = threading.Barrier(THREADS)
        results = []  # (thread, round, version read, status, body json or None, marker)
        lock = threading.Lock()

        def worker(n):
            barrier.wait()
            for k in range(ROUNDS):
                got = self.s.get(path, user=user)
                if got.status != 200:
                    with lock:
                        results.append((n, k, None, got.status, None, None))
                    return
                version = got.json()["version"]
                self.assertEqual(got.header("ETag"), '"%d"' % version)
                marker = "t%d-r%d" % (n, k)
                r = self.s.patch(path, make_body(marker), version, user=user)
                with lock:
                    results.append((n, k, version, r.status, r.json() if r.status == 200 else None, marker))

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    def check(self, kind, rid, path, results, field, extract):
        statuses = sorted({r[3] for r in results})
        self.assertTrue(set(statuses) <= {200, 412}, statuses)
        self.assertEqual(len(results), THREADS * ROUNDS)
        wins = [r for r in results if r[3] == 200]
        losses = [r for r in results if r[3] == 412]
        final = self.s.get(path, user="root").json()
        # for every version, exactly one PATCH made from it succeeded
        self.assertEqual(sorted(r[2] for r in wins), list(range(1, final["version"])))
        self.assertEqual(final["version"], 1 + len(wins))
        for r in wins:
            self.assertEqual(r[4]["version"], r[2] + 1)
            self.assertEqual(extract(r[4]), r[5])
        # every 412 was a version someone else had already moved past
        won_from = {r[2] for r in wins}
        for r in losses:
            self.assertIn(r[2], won_from)
        self.assertGreater(len(wins), 0)
        # the last success is what the record holds
        last = max(wins, key=lambda r: r[2])
        self.assertEqual(extract(final), last[5])
        # no update lost: each success has its audit entry with its own change
        entries = audit_of(self.s, kind, rid)
        updates = [e for e in entries if e["action"] == "update"]
        self.assertEqual(len(updates), len(wins))
        self.assertEqual(sorted(e["version"] for e in updates), list(range(2, final["version"] + 1)))
        by_version = {e["version"]: e for e in updates}
        for r in wins:
            self.assertEqual(by_version[r[2] + 1]["changes"][field]["after"], r[5])
        # and the chain of before/after values is unbroken
        for v in range(3, final["version"] + 1):
            self.assertEqual(by_version[v]["changes"][field]["before"], by_version[v - 1]["changes"][field]["after"])

    def test_patches_race_on_one_organization(self):
        rec = self.org("Contended Harbour Trust")
        path = "/api/v1/organizations/%d" % rec["id"]
        results = self.race("organizations", path, lambda m: {"notes": m})
        self.check("organizations", rec["id"], path, results, "notes", lambda j: j["notes"])

    def test_patches_race_on_a_multilingual_field(self):
        rec = self.org("Contended Translation Office")
        path = "/api/v1/organizations/%d" % rec["id"]
        results = self.race("organizations", path, lambda m: {"name": {"fr": m}})
        self.check("organizations", rec["id"], path, results, "name_fr", lambda j: j["name"]["fr"])
        self.assertEqual(self.s.get(path, user="ana").json()["name"]["en"], "Contended Translation Office")

    def test_concurrent_creates_all_land_and_the_chain_holds(self):
        barrier = threading.Barrier(THREADS)
        ids, other = [], []
        lock = threading.Lock()

        def worker(n):
            barrier.wait()
            for k in range(10):
                r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Parallel Guild %d-%d" % (n, k)}, "type": "cso"}, user="bruno")
                with lock:
                    (ids if r.status == 201 else other).append(r.json()["id"] if r.status == 201 else r.status)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(other, [])
        self.assertEqual(len(set(ids)), THREADS * 10)
        names = {o["name"]["en"] for o in all_items(self.s, "/api/v1/organizations", user="bruno")}
        for n in range(THREADS):
            for k in range(10):
                self.assertIn("Parallel Guild %d-%d" % (n, k), names)
        v = cli(self.s.db, "audit", "verify", check=False)
        self.assertEqual(v.returncode, 0, v.stderr)

    def test_concurrent_duplicates_without_force_let_one_through(self):
        barrier = threading.Barrier(THREADS)
        statuses = []
        lock = threading.Lock()

        def worker(n):
            barrier.wait()
            r = self.s.post("/api/v1/organizations", {"name": {"en": "Singular Lighthouse Foundation"}, "type": "foundation"}, user="ana")
            with lock:
                statuses.append(r.status)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(statuses), [201] + [409] * (THREADS - 1))
        same = [o for o in all_items(self.s, "/api/v1/organizations") if o["name"]["en"] == "Singular Lighthouse Foundation"]
        self.assertEqual(len(same), 1)


class ReadsSeeEveryCommit(ServerTest):
    """Each server thread keeps its read snapshot from one request to the
    next while nothing is committed.  Every request must still see what was
    committed before it was sent, by the server or by another process, and
    a snapshot left idle must not hold the WAL back."""
    server_args = ("--threads", "4")

    def warm_every_thread(self):
        # each request comes on a new connection, which the kernel gives to any thread
        for _ in range(40):
            self.assertStatus(self.s.get("/api/v1/organizations?limit=1", user="ana"), 200)

    def test_a_write_by_another_process_is_seen_at_once(self):
        self.warm_every_thread()
        token = cli(self.s.db, "token", "create", "carmen").stdout.strip()
        for _ in range(40):
            self.assertStatus(self.s.get("/api/v1/organizations?limit=1", token=token), 200)

    def test_a_write_through_the_server_is_seen_on_every_thread(self):
        self.warm_every_thread()
        for n in range(5):
            made = self.org("Kestrel Ridge Cooperative %d" % n)
            for _ in range(12):
                self.assertStatus(self.s.get("/api/v1/organizations/%d" % made["id"], user="ana"), 200)

    def test_idle_snapshots_let_the_wal_be_checkpointed(self):
        self.org("Marlow Fen Association")
        self.warm_every_thread()
        cli(self.s.db, "token", "create", "dora")  # frames the kept snapshots do not have
        time.sleep(0.5)
        db = sqlite3.connect(self.s.db, timeout=2)
        try:
            busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            db.close()
        self.assertEqual(busy, 0)
        self.assertEqual(os.path.getsize(self.s.db + "-wal"), 0)


class MatchingWhileWriting(ServerTest):
    """The donors' matching keeps what it read between answers: answers read
    it together on the server's threads while programmes are written, and
    the answer after a write ranks what was written."""

    def test_answers_while_programmes_are_written(self):
        org = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Invented Harbour Fund"},
                                                              "type": "foundation"}, user="root").json()["id"]
        profile = self.s.post("/api/v1/donor-profiles", {"organization": org, "donor_type": "foundation",
                                                         "priority_sectors": ["15190 5"]}, user="root").json()["id"]
        path = "/api/v1/donor-profiles/%d/programmes?limit=50" % profile
        written, statuses, lock = [], [], threading.Lock()
        done = threading.Event()

        def write():
            for k in range(ROUNDS):
                r = self.s.post("/api/v1/programmes", {"title": {"en": "Invented harbour %d" % k}, "sectors": ["15190"],
                                                       "starts_on": "2030-01-01",
                                                       "budget": {"amount": "100.00", "currency": "USD"}}, user="root")
                with lock:
                    written.append(r.json()["id"] if r.status == 201 else None)
            done.set()

        def read():
            while not done.is_set():
                r = self.s.get(path, user="root")
                with lock:
                    statuses.append(r.status)

        threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertNotIn(None, written)
        self.assertEqual(set(statuses), {200})
        ranked = {x["programme"] for x in self.s.get(path, user="root").json()["items"]}
        self.assertEqual(set(written) - ranked, set())
