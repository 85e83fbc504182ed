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
import resource
import select
import socket
import time

from harness import ServerTest, all_items

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


class Framing(ServerTest):
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

    def org_names(self):
        return [o["name"]["en"] for o in all_items(self.s, "/api/v1/organizations?archived=true")]

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
        data = self.send(head, lang="fr")
        self.assertEqual(status_of(data), 413, data[:200])
        self.assertTrue(header_of(data, "Content-Type").startswith("text/html"))
        self.assertIn("Trop volumineux", data.decode())

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
        data = self.send(page, lang="es")
        self.assertEqual(status_of(data), 400, data[:300])
        self.assertTrue(header_of(data, "Content-Type").startswith("text/html"))
        self.assertIn("No se pudo entender la solicitud", data.decode())

    def test_one_length_within_the_limit_is_read(self):
        body = json.dumps({"name": {"en": "Singly Measured Guild"}, "type": "cso"}).encode()
        data = self.send(self.api_head("/api/v1/organizations?force=true", b"Content-Length: %d" % len(body)), body)
        self.assertEqual(status_of(data), 201, data[:300])
        self.assertIn("Singly Measured Guild", self.org_names())
