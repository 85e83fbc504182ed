"""GET /metrics: the Prometheus text format as an independent parser reads it (Debian's
python3-prometheus-client), requests counted by route pattern and status, the inquiry desk's
gauges, and who may read them (administrators, and the addresses given to --metrics-from)."""
import http.client
import json
import os
import re
import tempfile
import time

from prometheus_client.parser import text_string_to_metric_families

from harness import Server, ServerTest, session_cookie, PASSWORD
from test_inquiries import delivered

USERS = [("ana", "staff", "IPD"), ("root", "admin", None)]
SCRAPER = "127.0.0.2"  # all of 127/8 is loopback


def desk_config(path, server=None):
    """The desk in every hour of every day, resolution due in two seconds, replies to a relay
    that is not there, tried once (so that they fail at once)."""
    conf = {"calendar": {"time_zone": "UTC", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                         "hours": [["00:00", "24:00"]]},
            "targets": {p: {"first_response": 0.0005, "resolution": 0.0005} for p in ("low", "normal", "high", "urgent")},
            "intake_per_hour": 1000,
            "mail": {"smtp_url": "smtp://127.0.0.1:1", "attempts": 1, "from_addr": "desk@liaison.example",
                     "loop_id": "metrics-test"}}
    if server:
        conf["server"] = server
    with open(path, "w") as f:
        json.dump(conf, f)
    return path


def get_from(server, path, source, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type"), resp.read().decode()
    finally:
        conn.close()


class Metrics(ServerTest):
    users = USERS

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="liaison-metrics-")
        cls.maildir = os.path.join(cls.dir, "mail")
        for sub in ("new", "cur", "tmp", "quarantine"):
            os.makedirs(os.path.join(cls.maildir, sub))
        for name in ("1700000000.1.host", "1700000001.2.host"):
            for suffix, text in (("", "not a message"), (".reason", "no From header")):
                with open(os.path.join(cls.maildir, "quarantine", name + suffix), "w") as f:
                    f.write(text)
        cls.server_args = ("--config", desk_config(os.path.join(cls.dir, "desk.json")), "--maildir", cls.maildir,
                           "--metrics-from", SCRAPER)
        super().setUpClass()

    def scrape(self):
        r = self.s.get("/metrics", user="root")
        self.assertEqual(r.status, 200, r)
        return {f.name: f for f in text_string_to_metric_families(r.body)}

    def requests(self, families, route, status):
        for s in families["liaison_http_requests"].samples:
            if s.labels == {"route": route, "status": str(status)}:
                return s.value
        return 0

    def gauge(self, families, name):
        self.assertEqual(families[name].type, "gauge")
        return families[name].samples[0].value

    def outbox(self, families, state):
        self.assertEqual(families["liaison_outbox_messages"].type, "gauge")
        return [s.value for s in families["liaison_outbox_messages"].samples if s.labels == {"state": state}][0]

    def ask(self, subject):
        r = self.s.post("/api/v1/public/inquiries", {"name": "Odile Varenne", "email": "odile.varenne@example.org",
                                                     "subject": subject, "message": "Could you tell us more, please?"})
        self.assertEqual(r.status, 201, r)
        return r.json()["reference"]

    def test_the_text_format_as_a_parser_reads_it(self):
        r = self.s.get("/metrics", user="root")
        self.assertEqual(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
        families = {f.name: f for f in text_string_to_metric_families(r.body)}
        self.assertEqual(families["liaison_http_requests"].type, "counter")
        self.assertEqual(families["liaison_http_request_duration_seconds"].type, "histogram")
        self.assertEqual(families["liaison_store_statements"].type, "counter")
        for name in ("liaison_inquiries_open", "liaison_inquiries_overdue", "liaison_inquiry_deliveries_failed",
                     "liaison_mail_quarantined"):
            self.assertEqual(families[name].type, "gauge", name)
        buckets = [s for s in families["liaison_http_request_duration_seconds"].samples if s.name.endswith("_bucket")]
        self.assertEqual(buckets[-1].labels["le"], "+Inf")
        self.assertEqual([s.value for s in buckets], sorted(s.value for s in buckets))

    def test_requests_are_counted_by_route_pattern_and_status(self):
        org = self.org("Counted Requests Council", user="ana")
        before = self.scrape()
        for _ in range(3):
            self.assertEqual(self.s.get("/api/v1/organizations/%d" % org["id"], user="ana").status, 200)
        for rid in (999991, 999992):
            self.assertEqual(self.s.get("/api/v1/organizations/%d" % rid, user="ana").status, 404)
        self.assertEqual(self.s.request("OPTIONS", "/api/v1/organizations").status, 204)
        self.assertEqual(self.s.get("/api/v1/no/such/address/at/all", user="ana").status, 404)
        after = self.scrape()
        for route, status, more in (("/api/v1/{kind}/{id}", 200, 3), ("/api/v1/{kind}/{id}", 404, 2),
                                    ("/api/v1/{kind}", 204, 1), ("", 404, 1)):
            with self.subTest(route=route, status=status):
                self.assertEqual(self.requests(after, route, status) - self.requests(before, route, status), more)
        for s in after["liaison_http_requests"].samples:
            self.assertNotRegex(s.labels["route"], r"/\d+(/|$)", "a raw path became a label")

    def test_the_desks_gauges(self):
        before = self.scrape()
        refs = [self.ask("Gauged inquiry %d" % i) for i in range(2)]
        r = self.s.post("/api/v1/inquiries/%s/reply" % refs[0], {"body": "Thank you."}, user="root")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(delivered(self.s, r.json())["delivery"], "failed")  # nobody listens on the relay's port
        with open(os.path.join(self.maildir, "quarantine", "1700000002.3.host"), "w") as f:
            f.write("another unreadable message")
        time.sleep(2.5)  # the resolution targets (two seconds) pass
        after = self.scrape()
        self.assertEqual(self.gauge(after, "liaison_inquiries_open") - self.gauge(before, "liaison_inquiries_open"), 2)
        self.assertEqual(self.gauge(after, "liaison_inquiry_deliveries_failed")
                         - self.gauge(before, "liaison_inquiry_deliveries_failed"), 1)
        self.assertEqual(self.outbox(after, "failed") - self.outbox(before, "failed"), 1)
        self.assertEqual(self.outbox(after, "queued"), 0)
        self.assertEqual(self.gauge(after, "liaison_mail_quarantined"), 3)  # the .reason files are not messages
        # the same figures as the desk's own queue gives them
        queue = self.s.get("/api/v1/inquiries/queue?limit=500", user="root").json()["items"]
        overdue = self.s.get("/api/v1/inquiries/queue?overdue=1&limit=500", user="root").json()["items"]
        self.assertEqual(self.gauge(after, "liaison_inquiries_open"), len(queue))
        self.assertEqual(self.gauge(after, "liaison_inquiries_overdue"), len(overdue))
        self.assertGreaterEqual(len(overdue), 1)

    def test_only_administrators_and_the_given_addresses_may_read(self):
        self.assertProblem(self.s.get("/metrics"), 401)
        self.assertProblem(self.s.get("/metrics", token="not-a-token"), 401)
        self.assertProblem(self.s.get("/metrics", user="ana"), 403)
        self.assertEqual(self.s.get("/metrics", user="root").status, 200)
        signed_in = self.s.post("/api/v1/session", {"name": "root", "password": PASSWORD})
        cookie = session_cookie(signed_in)
        self.assertTrue(cookie, signed_in)
        self.assertEqual(self.s.get("/metrics", headers={"Cookie": cookie}).status, 200)
        status, ctype, body = get_from(self.s, "/metrics", SCRAPER)
        self.assertEqual(status, 200, body)
        self.assertIn("liaison_http_requests_total", body)
        self.assertEqual(get_from(self.s, "/metrics", "127.0.0.3")[0], 401)


class MetricsFromConfig(ServerTest):
    """--metrics-from in the config file, under "server"."""
    users = ()

    @classmethod
    def setUpClass(cls):
        d = tempfile.mkdtemp(prefix="liaison-metrics-")
        cls.server_args = ("--config", desk_config(os.path.join(d, "desk.json"),
                                                   server={"metrics-from": ["127.0.0.4", "::1"]}))
        super().setUpClass()

    def test_the_file_names_the_scrapers(self):
        self.assertEqual(get_from(self.s, "/metrics", "127.0.0.4")[0], 200)
        self.assertEqual(get_from(self.s, "/metrics", "127.0.0.1")[0], 401)
        self.assertEqual(get_from(self.s, "/healthz", "127.0.0.1")[0], 200)
