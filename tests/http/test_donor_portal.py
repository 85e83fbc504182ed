"""The donor portal: a donor's own staff (partners of the donor's organization) read
their pledges, contributions and reporting deadlines and no other donor's, and upload
the report a deadline asks for; the department's staff upload for them and download
what came.  A report is a PDF, DOCX, ODT or XLSX by its content, up to 64 MiB; taking
it submits the deadline, saying what was received, in one transaction with the file
and the audit entry."""
import hashlib
import io
import socket
import unittest
import zipfile
from urllib.parse import quote

from harness import PASSWORD, ServerTest, all_items, audit_of, cli
from test_csv_roundtrip import multipart
from test_pages import Client

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def money(amount, currency="USD"):
    return {"amount": amount, "currency": currency}


def pdf(size):
    """A file a reader takes for a PDF, of exactly size bytes (the portal reads no report's text)."""
    head = b"%PDF-1.7\n% invented interim report\n"
    return head + b"0" * (size - len(head))


def package(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            z.writestr(name, text)
    return out.getvalue()


def xlsx():
    return package([("[Content_Types].xml", "<Types/>"),
                    ("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'),
                    ("xl/worksheets/sheet1.xml", "<worksheet/>")])


def docx():
    return package([("[Content_Types].xml", "<Types/>"),
                    ("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                     '2006/main"><w:body><w:p><w:r><w:t>Narrative.</w:t></w:r></w:p></w:body></w:document>')])


class DonorPortal(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def org(name):
            r = s.post("/api/v1/organizations?force=true", {"name": {"en": name}, "type": "government"}, user="bruno")
            assert r.status == 201, r
            return r.json()["id"]

        def partner(name, org_id):
            cli(s.db, "user", "add", name, "--role", "partner", "--organization", str(org_id), stdin=PASSWORD + "\n")
            s.tokens[name] = cli(s.db, "token", "create", name).stdout.strip()

        cls.boreal = org("Boreal Invented Fund")
        cls.arcadia = org("Republic of Invented Arcadia")
        partner("boreal-officer", cls.boreal)
        partner("arcadia-officer", cls.arcadia)
        cls.family = {donor: cls.make_family(donor) for donor in (cls.boreal, cls.arcadia)}

    @classmethod
    def make_family(cls, donor, **pledge):
        """A pledge of donor with a contribution and a reporting deadline, as ids by kind."""
        s = cls.s

        def post(kind, body):
            r = s.post("/api/v1/" + kind, body, user="bruno")
            assert r.status == 201, r
            return r.json()["id"]

        body = {"donor": donor, "amount": money("5000.00"), "pledged_on": "2026-02-01"}
        body.update(pledge)
        p = post("pledges", body)
        return {"pledges": p,
                "contributions": post("contributions", {"pledge": p, "received_on": "2026-03-02", "amount": money("100")}),
                "reporting-deadlines": post("reporting-deadlines", {"pledge": p, "deliverable": "interim_narrative",
                                                                    "due_on": "2026-06-30"})}

    def deadline(self, donor=None, **pledge):
        return self.make_family(donor or self.boreal, **pledge)["reporting-deadlines"]

    def put(self, deadline, data, content_type=PDF, user="boreal-officer", name=None):
        path = "/api/v1/reporting-deadlines/%d/report" % deadline + ("?name=" + quote(name) if name else "")
        return self.s.request("PUT", path, raw=data, user=user, headers={"Content-Type": content_type})

    def download(self, deadline, user="bruno"):
        """The report's bytes as served (the harness reads answers as text)."""
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30)
        try:
            conn.request("GET", "/api/v1/reporting-deadlines/%d/report" % deadline,
                         headers={"Authorization": "Bearer " + self.s.tokens[user]})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def get_deadline(self, deadline, user="bruno"):
        r = self.s.get("/api/v1/reporting-deadlines/%d" % deadline, user=user)
        self.assertStatus(r, 200)
        return r.json()

    # ---- who reads what -----------------------------------------------------------------------------

    def test_each_role_reads_the_pledges_contributions_and_deadlines_it_should(self):
        staff_like = {"dora", "bruno", "root"}
        readers = {self.boreal: staff_like | {"boreal-officer"}, self.arcadia: staff_like | {"arcadia-officer"}}
        for who in ("boreal-officer", "arcadia-officer", "dora", "bruno", "root"):
            for donor, family in self.family.items():
                for kind, rid in family.items():
                    with self.subTest(who=who, kind=kind, donor=donor):
                        r = self.s.get("/api/v1/%s/%d" % (kind, rid), user=who)
                        self.assertEqual(r.status, 200 if who in readers[donor] else 404, r)
        for who, donor in (("boreal-officer", self.boreal), ("arcadia-officer", self.arcadia)):
            self.assertEqual({p["donor"] for p in all_items(self.s, "/api/v1/pledges", user=who)}, {donor})
            mine = set(self.family[donor].values())
            for kind in ("contributions", "reporting-deadlines"):
                listed = {x["id"] for x in all_items(self.s, "/api/v1/" + kind, user=who)}
                self.assertIn(self.family[donor][kind], listed)
                other = self.family[self.arcadia if donor == self.boreal else self.boreal][kind]
                self.assertNotIn(other, listed, kind)
                pledges = {x["pledge"] for x in all_items(self.s, "/api/v1/" + kind, user=who)}
                self.assertLessEqual(pledges, {p["id"] for p in all_items(self.s, "/api/v1/pledges", user=who)})
            self.assertTrue(mine)

    # ---- who may upload -----------------------------------------------------------------------------

    def test_who_may_upload_and_what_each_gets(self):
        expected = {"boreal-officer": 200, "arcadia-officer": 404, "dora": 403, "bruno": 200, "root": 200}
        for who, status in expected.items():
            with self.subTest(who=who):
                d = self.deadline()
                before = self.get_deadline(d)
                r = self.put(d, pdf(4000), user=who, name="interim-%s.pdf" % who)
                self.assertEqual(r.status, status, r)
                after = self.get_deadline(d)
                if status == 200:
                    self.assertEqual(after["status"], "submitted")
                    self.assertEqual(r.json()["version"], after["version"])
                    self.assertEqual(after["submission"], "Report interim-%s.pdf (4 KB) uploaded by %s" % (who, who))
                else:
                    self.assertEqual((after["version"], after["status"]), (before["version"], "due"))
                    self.assertEqual(self.download(d)[0], 404)
        # a public pledge of another donor: read by every partner, reported on only by its donor's
        shared = self.deadline(self.arcadia, classification="public")
        self.assertStatus(self.s.get("/api/v1/reporting-deadlines/%d" % shared, user="boreal-officer"), 200)
        self.assertProblem(self.put(shared, pdf(2000), user="boreal-officer"), 403)
        self.assertStatus(self.put(shared, pdf(2000), user="arcadia-officer"), 200)

    def test_a_partner_changes_a_deadline_only_by_uploading(self):
        d = self.get_deadline(self.deadline())
        r = self.s.patch("/api/v1/reporting-deadlines/%d" % d["id"], {"submission": "Sent by post."}, d["version"],
                         user="boreal-officer")
        self.assertProblem(r, 403)
        r = self.s.post("/api/v1/reporting-deadlines/%d/transitions" % d["id"], {"to": "submitted",
                                                                                 "submission": "Sent."},
                        user="boreal-officer")
        self.assertProblem(r, 403)
        p = self.s.get("/api/v1/pledges/%d" % d["pledge"], user="bruno").json()
        r = self.s.patch("/api/v1/pledges/%d" % p["id"], {"conditions": "None."}, p["version"], user="boreal-officer")
        self.assertProblem(r, 403)
        self.assertEqual(self.get_deadline(d["id"])["version"], d["version"])

    # ---- what a report must be ------------------------------------------------------------------------

    def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_changes(self):
        d = self.deadline()
        before = self.get_deadline(d)
        cases = [(b"Plain words are no report.\n", PDF, "not a PDF, DOCX, ODT or XLSX"),
                 (docx(), PDF, "is a DOCX, not the PDF"),
                 (xlsx(), DOCX, "is an XLSX, not the DOCX"),
                 (pdf(3000), "text/plain", "is a PDF, not the type"),
                 (package([("notes.txt", "a zip of notes")]), "application/octet-stream", "not a PDF")]
        for data, declared, said in cases:
            with self.subTest(said=said):
                p = self.assertProblem(self.put(d, data, declared), 415)
                self.assertIn(said, p["detail"])
        self.assertProblem(self.put(d, b"", PDF), 400)
        after = self.get_deadline(d)
        self.assertEqual((after["version"], after["status"]), (before["version"], "due"))
        self.assertEqual(self.download(d)[0], 404)
        # each of the four is taken by its content, whatever it is declared as in general
        for data, media in ((xlsx(), XLSX), (docx(), DOCX)):
            other = self.deadline()
            self.assertStatus(self.put(other, data, "application/octet-stream", name="figures"), 200)
            status, headers, body = self.download(other)
            self.assertEqual((status, headers["Content-Type"], body), (200, media, data))
            self.assertIn('filename="figures"', headers["Content-Disposition"])

    def announced(self, path, length, user="boreal-officer"):
        """The status line answered to a head that announces a body of length bytes, none of them sent."""
        with socket.create_connection(("127.0.0.1", self.s.port), timeout=30) as sock:
            sock.sendall(("PUT %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n"
                          "Content-Length: %d\r\n\r\n" % (path, self.s.tokens[user], PDF, length)).encode())
            return sock.recv(4096).decode("latin-1").split("\r\n")[0]

    def test_a_body_over_64_mib_is_refused_and_a_large_one_taken(self):
        d = self.deadline()
        path = "/api/v1/reporting-deadlines/%d/report" % d
        self.assertEqual(self.announced(path, (64 << 20) + 1), "HTTP/1.1 413 Content Too Large")
        self.assertEqual(self.get_deadline(d)["status"], "due")
        big = pdf(3 << 20)   # over the server's 1 MiB for other bodies
        self.assertStatus(self.put(d, big, name="audit-2026.pdf"), 200)
        self.assertEqual(self.get_deadline(d)["submission"], "Report audit-2026.pdf (3.0 MB) uploaded by boreal-officer")
        self.assertEqual(self.download(d)[2], big)

    # ---- what an upload does --------------------------------------------------------------------------

    def test_an_upload_submits_the_deadline_audits_it_and_staff_download_it_byte_for_byte(self):
        d = self.deadline()
        data = pdf(214 * 1024)
        r = self.put(d, data, name="interim-2026.pdf")
        self.assertStatus(r, 200)
        after = self.get_deadline(d)
        self.assertEqual(after["status"], "submitted")
        self.assertEqual(after["submission"], "Report interim-2026.pdf (214 KB) uploaded by boreal-officer")
        self.assertTrue(after["submitted_at"])
        entry = audit_of(self.s, "reporting-deadlines", d)[0]
        self.assertEqual((entry["user"], entry["action"], entry["version"]), ("boreal-officer", "update", after["version"]))
        self.assertIn("submitted", str(entry["changes"]))
        self.assertIn("interim-2026.pdf (214 KB)", str(entry["changes"]))
        for who in ("bruno", "root", "dora", "boreal-officer"):
            status, headers, body = self.download(d, user=who)
            self.assertEqual((status, headers["Content-Type"]), (200, PDF), who)
            self.assertEqual(hashlib.sha256(body).hexdigest(), hashlib.sha256(data).hexdigest(), who)
            self.assertEqual(headers["Content-Disposition"], 'attachment; filename="interim-2026.pdf"')
        self.assertEqual(self.download(d, user="arcadia-officer")[0], 404)
        # a second upload to a submitted deadline is refused, and the first stays the report
        p = self.assertProblem(self.put(d, pdf(1000), name="again.pdf"), 409)
        self.assertIn("submitted already", p["detail"])
        self.assertEqual(self.get_deadline(d)["version"], after["version"])
        self.assertEqual(self.download(d)[2], data)
        # returned for changes, it takes a new report, which becomes the one given back
        r = self.s.post("/api/v1/reporting-deadlines/%d/transitions" % d, {"to": "returned"}, user="bruno")
        self.assertStatus(r, 200)
        second = pdf(2048)
        self.assertStatus(self.put(d, second, name="interim-2026-v2.pdf"), 200)
        self.assertEqual(self.get_deadline(d)["submission"],
                         "Report interim-2026-v2.pdf (2 KB) uploaded by boreal-officer")
        self.assertEqual(self.download(d)[2], second)
        r = self.s.post("/api/v1/reporting-deadlines/%d/transitions" % d, {"to": "accepted"}, user="bruno")
        self.assertStatus(r, 200)
        self.assertProblem(self.put(d, pdf(1000), user="bruno"), 409)

    # ---- pages ------------------------------------------------------------------------------------------

    def client(self, name, lang=None):
        c = Client(self.s, lang)
        self.assertEqual(c.sign_in(name).status, 303)
        return c

    def test_the_deadline_page_takes_the_report_from_who_may_give_it(self):
        d = self.deadline()
        other = self.family[self.arcadia]["reporting-deadlines"]
        c = self.client("boreal-officer")
        listed = c.get("/reporting-deadlines").body
        self.assertIn('href="/reporting-deadlines/%d"' % d, listed)
        self.assertNotIn('href="/reporting-deadlines/%d"' % other, listed)
        self.assertEqual(c.get("/reporting-deadlines/%d" % other).status, 404)
        page = c.get("/reporting-deadlines/%d" % d).body
        self.assertIn("No report uploaded yet.", page)
        self.assertIn('action="/reporting-deadlines/%d/report"' % d, page)
        self.assertNotIn('action="/reporting-deadlines/%d/report"' % d, self.client("dora").get("/reporting-deadlines/%d" % d).body)
        self.assertIn('action="/reporting-deadlines/%d/report"' % d, self.client("bruno").get("/reporting-deadlines/%d" % d).body)
        body, ctype = multipart(c.csrf(), "notes.txt", b"Just words.", False)
        r = self.s.request("POST", "/reporting-deadlines/%d/report" % d, raw=body, headers=c._headers({"Content-Type": ctype}))
        self.assertEqual(r.status, 415)
        data = xlsx()
        body, ctype = multipart(c.csrf(), "financial-2026.xlsx", data, False)
        r = self.s.request("POST", "/reporting-deadlines/%d/report" % d, raw=body, headers=c._headers({"Content-Type": ctype}))
        self.assertEqual((r.status, r.header("Location")), (303, "/reporting-deadlines/%d" % d))
        page = c.get("/reporting-deadlines/%d" % d).body
        self.assertIn('href="/api/v1/reporting-deadlines/%d/report"' % d, page)
        self.assertNotIn('action="/reporting-deadlines/%d/report"' % d, page)   # submitted: no second report
        self.assertIn("Report financial-2026.xlsx (", page)
        self.assertEqual(self.download(d)[2], data)
        fr = self.client("bruno", "fr").get("/reporting-deadlines/%d" % d).body
        self.assertIn("Télécharger le rapport", fr)


if __name__ == "__main__":
    unittest.main()
