"""Durability: a SIGKILL in the middle of a write load loses nothing that was answered 201 and
leaves a sound audit chain; a SIGTERM lets the requests in flight finish and exits 0."""
import http.client
import json
import os
import socket
import threading

from harness import ServerTest, audit_of, cli

WRITERS = 4


class Load:
    """WRITERS threads posting organizations until the server goes away or stop is set."""

    def __init__(self, server, label):
        self.s = server
        self.label = label
        self.ok = []          # (id, name) answered 201
        self.other = []       # statuses that were neither 201 nor a dropped connection
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.enough = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(WRITERS)]
        self.port = server.port
        self.token = server.tokens["ana"]

    def run(self, n):
        for k in range(100000):
            if self.stop.is_set():
                return
            name = "%s Load Body %d-%d" % (self.label, n, k)
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("POST", "/api/v1/organizations?force=true",
                             body=json.dumps({"name": {"en": name}, "type": "cso"}),
                             headers={"Content-Type": "application/json", "Authorization": "Bearer " + self.token})
                resp = conn.getresponse()
                body = resp.read()
                conn.close()
            except (OSError, http.client.HTTPException):
                return  # the server went away
            with self.lock:
                if resp.status == 201:
                    self.ok.append((json.loads(body)["id"], name))
                    if len(self.ok) >= 60:
                        self.enough.set()
                else:
                    self.other.append(resp.status)

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)
            assert not t.is_alive()


class Kill(ServerTest):
    def test_sigkill_mid_load_loses_no_answered_write(self):
        load = Load(self.s, "Kill")
        load.start()
        self.assertTrue(load.enough.wait(120), "the load never got going: %r" % load.other)
        self.s.proc.kill()  # SIGKILL while the writers are still posting
        self.s.proc.wait(30)
        load.join()
        self.assertEqual(self.s.stop(), -9)
        self.assertEqual(load.other, [])
        answered = list(load.ok)
        self.assertGreaterEqual(len(answered), 60)
        self.assertEqual(len({i for i, _ in answered}), len(answered))

        v = cli(self.s.db, "audit", "verify", check=False)
        self.assertEqual(v.returncode, 0, v.stderr)
        self.s.start()
        for rid, name in answered:
            r = self.s.get("/api/v1/organizations/%d" % rid, user="ana")
            self.assertStatus(r, 200)
            self.assertEqual(r.json()["name"]["en"], name)
            self.assertEqual([e["action"] for e in audit_of(self.s, "organizations", rid)], ["create"])
        v = cli(self.s.db, "audit", "verify", check=False)
        self.assertEqual(v.returncode, 0, v.stderr)
        # and the restarted server goes on writing on the same chain
        self.org("After The Crash Society")
        self.assertEqual(cli(self.s.db, "audit", "verify", check=False).returncode, 0)


class Term(ServerTest):
    def log_text(self):
        with open(os.path.join(self.s.dir, "server.log")) as f:
            return f.read()

    def test_sigterm_finishes_requests_in_flight_and_exits_0(self):
        # a request whose head has arrived (the server says 100 Continue) and whose body has not
        body = json.dumps({"name": {"en": "In Flight At Shutdown League"}, "type": "cso"}).encode()
        half = len(body) // 2
        sock = socket.create_connection(("127.0.0.1", self.s.port), timeout=30)
        try:
            head = ("POST /api/v1/organizations?force=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Authorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                    "Expect: 100-continue\r\n\r\n" % (self.s.tokens["ana"], len(body))).encode()
            sock.sendall(head)
            got = b""
            while b"\r\n\r\n" not in got:
                chunk = sock.recv(4096)
                self.assertTrue(chunk, "the server closed before 100 Continue")
                got += chunk
            self.assertTrue(got.startswith(b"HTTP/1.1 100"), got)
            sock.sendall(body[:half])

            load = Load(self.s, "Term")
            load.start()
            self.assertTrue(load.enough.wait(120), "the load never got going: %r" % load.other)

            self.s.proc.terminate()
            # wait (on the log, not on a clock) until the server is shutting down, then finish the body
            for _ in range(3000):
                if "SIGTERM received" in self.log_text():
                    break
                threading.Event().wait(0.01)
            self.assertIn("SIGTERM received", self.log_text())
            sock.sendall(body[half:])
            answer = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
                if b"\r\n\r\n" in answer:
                    headers, _, rest = answer.partition(b"\r\n\r\n")
                    length = [int(l.split(b":")[1]) for l in headers.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                    if length and len(rest) >= length[0]:
                        break
        finally:
            sock.close()
        code = self.s.proc.wait(60)
        load.join()
        self.assertEqual(code, 0, self.log_text()[-2000:])
        self.s.stop()
        status_line = answer.split(b"\r\n", 1)[0]
        self.assertEqual(status_line, b"HTTP/1.1 201 Created", answer[:300])
        rec = json.loads(answer.partition(b"\r\n\r\n")[2])
        self.assertEqual(load.other, [])

        self.s.start()
        got = self.s.get("/api/v1/organizations/%d" % rec["id"], user="ana")
        self.assertStatus(got, 200)
        self.assertEqual(got.json()["name"]["en"], "In Flight At Shutdown League")
        for rid, name in load.ok:
            self.assertEqual(self.s.get("/api/v1/organizations/%d" % rid, user="ana").json()["name"]["en"], name)
        self.assertIn("stopped", self.log_text())
        v = cli(self.s.db, "audit", "verify", check=False)
        self.assertEqual(v.returncode, 0, v.stderr)
