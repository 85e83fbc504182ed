"""Clients that hold connections without finishing their request, and request heads that say
something wrong about their body.

- One address may hold only so many connections (--max-per-address), counted over every server
  thread; the others are closed at accept, so another client is still answered at once.
- A request's head must arrive within --head-timeout and its body within --body-timeout, however
  slowly the bytes trickle in (libmicrohttpd's own --timeout starts again with every byte).
- A declared Content-Length over --max-body is answered 413 before any byte of the body is read
  (and without 100 Continue); two Content-Length, or one with Transfer-Encoding, are answered 400.

All of 127.0.0.0/8 is loopback: the "other client" binds its socket to 127.0.0.2.
"""
import json
import os
import resource
import select
import socket
import subprocess
import time

from harness import BIN, Server, ServerTest, all_items

OTHER = "127.0.0.2"


def raise_fd_limit(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= n:
        return
    if hard != resource.RLIM_INFINITY and hard < n:
        hard = n  # root may raise it; anyone else gets a clear error here
    resource.setrlimit(resource.RLIMIT_NOFILE, (n, hard))


def connect(port, source="127.0.0.1", timeout=10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def read_answer(sock, timeout=10):
    """Everything the server sends until it closes or goes quiet for `timeout` seconds."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data and answer_complete(data):
                break
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def answer_complete(data):
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def status_of(data):
    line = data.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) > 1 else None


def header_of(data, name):
    for line in data.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == name.lower().encode():
            return v.strip().decode()
    return None


def is_closed(sock):
    """True when the server has closed the connection, without waiting."""
    timeout = sock.gettimeout()
    sock.settimeout(0)  # with a timeout, recv would first wait for something to read
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.settimeout(timeout)


def closed_within(sock, seconds, drip=None):
    """Waits up to `seconds` for the server to close sock, sending one byte of drip every
    0.1 s meanwhile (so that the connection is never idle); the time it took, or None."""
    start = time.monotonic()
    drip = iter(drip or b"")
    while time.monotonic() - start < seconds:
        byte = next(drip, None)
        if byte is not None:
            try:
                sock.send(bytes([byte]))
            except OSError:
                return time.monotonic() - start
        ready, _, _ = select.select([sock], [], [], 0.1)
        if ready and is_closed(sock):
            return time.monotonic() - start
    return None


def healthz_from(port, source):
    """/healthz asked from another address: (status, seconds to the answer)."""
    start = time.monotonic()
    s = connect(port, source, timeout=5)
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = read_answer(s, timeout=5)
    finally:
        s.close()
    return status_of(data), time.monotonic() - start


ANA = [("ana", "staff", "IPD")]


class ManySlowConnections(ServerTest):
    """The defaults: 1,100 connections from one address, each a POST whose head never ends."""
    server_args = ("--threads", "2")
    users = ()
    SLOW = 1100
    DEFAULT_PER_ADDRESS = 128  # docs/operations.md

    @classmethod
    def setUpClass(cls):
        raise_fd_limit(4 * cls.SLOW)  # here, and in the server started below
        super().setUpClass()

    def test_another_client_is_answered_while_one_address_holds_1100_slow_connections(self):
        held = []
        try:
            for _ in range(self.SLOW):
                held.append(connect(self.s.port))
            partial = b"POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Slow: "
            for rnd in range(5):
                for sock in held:
                    try:
                        sock.send(partial if rnd == 0 else b"z")
                    except OSError:
                        pass  # closed at accept
                status, seconds = healthz_from(self.s.port, OTHER)
                self.assertEqual(status, 200)
                self.assertLess(seconds, 1.0, "round %d: /healthz took %.2f s" % (rnd, seconds))
                time.sleep(0.2)
            open_now = sum(not is_closed(sock) for sock in held)
            # the cap, give or take one per other server thread accepting at the same moment
            self.assertLessEqual(open_now, self.DEFAULT_PER_ADDRESS + 1)
            self.assertGreaterEqual(open_now, self.DEFAULT_PER_ADDRESS)
        finally:
            for sock in held:
                sock.close()
        self.assertEqual(self.s.get("/healthz").status, 200)


class PerAddressCap(ServerTest):
    server_args = ("--max-per-address", "3", "--threads", "2")
    users = ()

    def test_an_address_holds_its_cap_and_no_more_others_are_served(self):
        held = [connect(self.s.port) for _ in range(3)]
        extra = None
        try:
            for sock in held:
                sock.sendall(b"GET /heal")  # begun, never finished
            time.sleep(0.3)
            extra = connect(self.s.port)
            self.assertIsNotNone(closed_within(extra, 5), "a fourth connection from one address was kept")
            self.assertFalse(any(is_closed(sock) for sock in held))
            self.assertEqual(healthz_from(self.s.port, OTHER)[0], 200)
            # one closes: the address may open another
            held.pop().close()
            time.sleep(0.3)
            self.assertEqual(healthz_from(self.s.port, "127.0.0.1")[0], 200)
        finally:
            for sock in held + [extra]:
                if sock:
                    sock.close()


class Deadlines(ServerTest):
    """Bytes that keep coming, too slowly: libmicrohttpd's idle --timeout never fires."""
    users = ANA
    server_args = ("--head-timeout", "1", "--body-timeout", "2", "--timeout", "30", "--threads", "2")

    def test_a_head_sent_byte_by_byte_is_cut_at_its_deadline(self):
        sock = connect(self.s.port)
        try:
            drip = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Drip: " + b"d" * 100
            took = closed_within(sock, 6, drip)
            self.assertIsNotNone(took, "a head trickling in for 6 s was still being read")
            self.assertGreater(took, 0.8, "cut before its deadline")
        finally:
            sock.close()
        self.assertEqual(self.s.get("/healthz").status, 200)

    def test_a_body_sent_byte_by_byte_is_cut_at_its_deadline_and_nothing_is_written(self):
        body = json.dumps({"name": {"en": "Dripping Tap Cooperative"}, "type": "cso", "notes": "n" * 100}).encode()
        sock = connect(self.s.port)
        try:
            sock.sendall(b"POST /api/v1/organizations?force=true HTTP/1.1\r\nHost: x\r\n"
                         b"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % (self.s.tokens["ana"].encode(), len(body)))
            took = closed_within(sock, 8, body)
            self.assertIsNotNone(took, "a body trickling in for 8 s was still being read")
            self.assertGreater(took, 1.8, "cut before its deadline")
        finally:
            sock.close()
        names = [o["name"]["en"] for o in all_items(self.s, "/api/v1/organizations?archived=true", user="ana")]
        self.assertNotIn("Dripping Tap Cooperative", names)

    def test_a_kept_alive_connection_gets_a_new_head_deadline_after_each_answer(self):
        sock = connect(self.s.port)
        try:
            for _ in range(3):  # 3 requests 0.6 s apart: 1.8 s in all, past one head deadline
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertEqual(status_of(read_answer(sock, timeout=5)), 200)
                time.sleep(0.6)
            self.assertIsNotNone(closed_within(sock, 3), "an idle kept-alive connection outlived the head deadline")
        finally:
            sock.close()

    def test_a_prompt_request_with_a_body_is_served(self):
        r = self.s.post("/api/v1/organizations?force=true",
                        {"name": {"en": "Punctual Ferry Union"}, "type": "cso", "notes": "p" * 5000}, user="ana")
        self.assertEqual(r.status, 201, r)


class Framing(ServerTest):
    users = ANA
    server_args = ("--max-body", "2048")

    def send(self, head, body=b"", lang=None):
        sock = connect(self.s.port)
        try:
            extra = b"Accept-Language: %s\r\n" % lang.encode() if lang else b""
            sock.sendall(head.replace(b"\r\n\r\n", b"\r\n" + extra + b"\r\n", 1) + body)
            return read_answer(sock, timeout=10)
        finally:
            sock.close()

    def api_head(self, path, *lines):
        return (b"POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
                % (path.encode(), self.s.tokens["ana"].encode()) + b"".join(l + b"\r\n" for l in lines) + b"\r\n")

    def assertErrorPage(self, data, status, heading):
        self.assertEqual(status_of(data), status, data[:300])
        self.assertTrue(header_of(data, "Content-Type").startswith("text/html"))
        self.assertIn(heading, data.decode())

    def org_names(self):
        return [o["name"]["en"] for o in all_items(self.s, "/api/v1/organizations?archived=true", user="ana")]

    def test_a_declared_length_over_the_limit_is_413_before_the_body(self):
        # the body is never sent: only an answer given at once can arrive
        for expect in ((), (b"Expect: 100-continue",)):
            with self.subTest(expect=expect):
                data = self.send(self.api_head("/api/v1/organizations", b"Content-Length: 50000000", *expect))
                self.assertEqual(status_of(data), 413, data[:200])
                self.assertNotIn(b" 100 ", data.split(b"\r\n", 1)[0])
                self.assertEqual(header_of(data, "Content-Type"), "application/problem+json")
                self.assertEqual(json.loads(data.partition(b"\r\n\r\n")[2])["status"], 413)

    def test_a_413_on_a_page_is_a_page_in_the_readers_language(self):
        head = (b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 50000000\r\nExpect: 100-continue\r\n\r\n")
        self.assertErrorPage(self.send(head, lang="fr"), 413, "Trop volumineux")

    def test_two_content_lengths_or_one_with_transfer_encoding_are_400_and_nothing_is_written(self):
        body = json.dumps({"name": {"en": "Twice Measured Guild"}, "type": "cso"}).encode()
        n = b"Content-Length: %d" % len(body)
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        cases = {
            "two equal lengths": (self.api_head("/api/v1/organizations?force=true", n, n), body),
            "two lengths": (self.api_head("/api/v1/organizations?force=true", n, b"Content-Length: 2"), body),
            "length and chunked": (self.api_head("/api/v1/organizations?force=true", n,
                                                 b"Transfer-Encoding: chunked"), chunked),
        }
        for name, (head, payload) in cases.items():
            with self.subTest(case=name):
                data = self.send(head, payload)
                self.assertEqual(status_of(data), 400, data[:300])
                self.assertEqual(header_of(data, "Content-Type"), "application/problem+json")
        self.assertNotIn("Twice Measured Guild", self.org_names())
        page = (b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\na=b\r\n0\r\n\r\n")
        self.assertErrorPage(self.send(page, lang="es"), 400, "No se pudo entender la solicitud")

    def test_one_length_within_the_limit_is_read(self):
        body = json.dumps({"name": {"en": "Singly Measured Guild"}, "type": "cso"}).encode()
        data = self.send(self.api_head("/api/v1/organizations?force=true", b"Content-Length: %d" % len(body)), body)
        self.assertEqual(status_of(data), 201, data[:300])
        self.assertIn("Singly Measured Guild", self.org_names())


class ServeSettings(ServerTest):
    """The limits as flags and as the "server" member of the --config file; a flag wins."""
    users = ()

    def config(self, server):
        path = os.path.join(self.s.dir, "liaison.json")
        with open(path, "w") as f:
            json.dump({"server": server}, f)
        return path

    def serve(self, *args):
        return subprocess.run([BIN, "serve", "--db", self.s.db, "--listen", "127.0.0.1:0", *args],
                              capture_output=True, text=True, timeout=30)

    def test_bad_values_are_refused_with_one_line(self):
        for args, code in ((("--max-per-address", "0"), 2), (("--head-timeout", "soon"), 2),
                           (("--body-timeout", "99999"), 2),
                           (("--config", self.config({"max-per-address": "many"})), 1),
                           (("--config", self.config({"head-timeout": 0})), 1),
                           (("--config", self.config({"listen": "0.0.0.0:80"})), 1),
                           (("--config", self.config({"max-per-adress": 3})), 1),
                           (("--metrics-from", "localhost"), 2), (("--metrics-from", "127.0.0.1,"), 2),
                           (("--config", self.config({"metrics-from": "127.0.0.1"})), 1),
                           (("--config", self.config({"metrics-from": ["127.0.0.256"]})), 1)):
            with self.subTest(args=args):
                p = self.serve(*args)
                self.assertEqual(p.returncode, code, p.stderr)
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertRegex(p.stderr, r"^liaison( serve)?: ")

    def held_by_one_address(self, server, n):
        """How many of n connections from 127.0.0.1 the server keeps."""
        socks = [connect(server.port) for _ in range(n)]
        try:
            for sock in socks:
                sock.sendall(b"GET /heal")
            time.sleep(0.5)
            return sum(not is_closed(sock) for sock in socks)
        finally:
            for sock in socks:
                sock.close()

    def test_the_config_file_sets_the_cap_and_a_flag_overrides_it(self):
        path = self.config({"max-per-address": 2, "threads": 1})
        for args, cap in ((("--config", path), 2), (("--config", path, "--max-per-address", "4"), 4)):
            with self.subTest(args=args):
                server = Server(args, users=())
                try:
                    self.assertEqual(self.held_by_one_address(server, 6), cap)
                finally:
                    server.close()
