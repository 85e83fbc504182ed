"""A language version's file: a PDF, DOCX or ODT known by its content, not by
what its name or Content-Type claim; its text becomes the version's (and the
search's), the file is downloaded as it was given, and a refused file leaves
the version as it was."""
import datetime
import io
import socket
import unittest
import zipfile
import zoneinfo
from urllib.parse import quote

from harness import ServerTest
from test_csv_roundtrip import multipart
from test_pages import Client

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def docx(paragraphs):
    body = "".join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % p for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                   'wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % body)
    return out.getvalue()


def odt(paragraphs):
    body = "".join("<text:p>%s</text:p>" % p for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), ODT)  # first and stored, as ODF asks
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:'
                   'tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="'
                   + ODT + '"/></manifest:manifest>')
        z.writestr("content.xml", '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
                   'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                   '<office:body><office:text>%s</office:text></office:body></office:document-content>' % body)
    return out.getvalue()


class DocumentFiles(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s
        today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Zurich")).date()
        assert s.post("/api/v1/bodies", {"series": "C", "type": "council", "name": {"en": "Council"}},
                      user="root").status == 201
        assert s.post("/api/v1/sessions", {"body": "C", "number": "120", "starts_on": str(today + datetime.timedelta(60)),
                                           "ends_on": str(today + datetime.timedelta(61))}, user="ana").status == 201

    def version(self, symbol, lang="en", **doc):
        body = {"symbol": symbol, "title": {"en": "Document " + symbol}, "original_language": "en"}
        body.update(doc)
        d = self.s.post("/api/v1/documents", body, user="ana")
        self.assertStatus(d, 201)
        v = self.s.post("/api/v1/document-versions", {"document": d.json()["id"], "language": lang}, user="ana")
        self.assertStatus(v, 201)
        return v.json()

    def put(self, version, data, content_type, user="ana", name=None):
        path = "/api/v1/document-versions/%d/file" % version["id"] + ("?name=" + quote(name) if name else "")
        return self.s.request("PUT", path, raw=data, user=user, headers={"Content-Type": content_type})

    def raw_get(self, version, user="ana"):
        """The file's bytes as served (the harness reads answers as text)."""
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30)
        try:
            headers = {"Authorization": "Bearer " + self.s.tokens[user]} if user else {}
            conn.request("GET", "/api/v1/document-versions/%d/file" % version["id"], headers=headers)
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def test_a_docx_gives_its_paragraphs_words_and_file(self):
        v = self.version("C/120/1")
        paragraphs = ["The Council welcomed the report of the Director General.",
                      "Member States asked for quarterly figures on remittances."]
        data = docx(paragraphs)
        r = self.put(v, data, DOCX, name="C-120-1-en.docx")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["text"], "\n".join(paragraphs))
        self.assertEqual(r.json()["word_count"], 17)
        status, headers, body = self.raw_get(v)
        self.assertEqual((status, body), (200, data))
        self.assertEqual(headers["Content-Type"], DOCX)
        self.assertIn('filename="C-120-1-en.docx"', headers["Content-Disposition"])
        found = self.s.get("/api/v1/search?q=quarterly&type=document-versions", user="ana").json()["items"]
        self.assertIn(v["id"], [i["id"] for i in found])

    def test_a_file_is_typed_by_its_content(self):
        v = self.version("C/120/2", "fr")
        r = self.put(v, odt(["Le Conseil a pris note du rapport."]), "application/octet-stream")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["text"], "Le Conseil a pris note du rapport.")
        before = self.s.get("/api/v1/document-versions/%d" % v["id"], user="ana").json()
        cases = [(docx(["A DOCX said to be a PDF."]), "application/pdf", "DOCX"),
                 (odt(["An ODT said to be a DOCX."]), DOCX, "ODT"),
                 (b"Plain words are no document.\n", "application/pdf", "not a PDF, DOCX or ODT"),
                 (b"%PDF-1.7 and nothing else", "text/plain", "is a PDF"),
                 (docx(["A DOCX said to be a text."]), "text/plain", "DOCX")]
        for data, declared, said in cases:
            with self.subTest(declared=declared, said=said):
                r = self.put(v, data, declared)
                p = self.assertProblem(r, 415)
                self.assertIn(said, p["detail"])
        bad_xml = io.BytesIO()
        with zipfile.ZipFile(bad_xml, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document><w:body><w:p>unclosed")
        self.assertProblem(self.put(v, bad_xml.getvalue(), DOCX), 422)
        self.assertProblem(self.put(v, b"%PDF-1.7 and nothing else", "application/pdf"), 422)  # a PDF in name only
        self.assertProblem(self.put(v, b"", DOCX), 400)
        after = self.s.get("/api/v1/document-versions/%d" % v["id"], user="ana").json()
        self.assertEqual((after["version"], after["text"]), (before["version"], before["text"]))
        status, headers, body = self.raw_get(v)
        self.assertEqual(headers["Content-Type"], ODT)  # the file kept is still the first

    def test_a_pdf_gives_its_text(self):
        v = self.version("C/120/3")
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30)
        conn.request("GET", "/sessions/1/participants.pdf?lang=en", headers={"Authorization": "Bearer " + self.s.tokens["ana"]})
        pdf = conn.getresponse().read()
        conn.close()
        self.assertTrue(pdf.startswith(b"%PDF-"))
        r = self.put(v, pdf, "application/pdf")
        self.assertStatus(r, 200)
        self.assertIn("List of participants", r.json()["text"])

    def test_who_may_give_and_read_a_file(self):
        v = self.version("C/120/4")
        self.assertProblem(self.put(v, docx(["A viewer's file."]), DOCX, user="dora"), 403)
        self.assertStatus(self.put(v, docx(["A translator's file."]), DOCX, user="emil"), 200)
        self.assertEqual(self.raw_get(v, user=None)[0], 404)  # an internal document's version
        self.assertEqual(self.raw_get(v, user="dora")[0], 200)
        empty = self.version("C/120/5")
        self.assertEqual(self.raw_get(empty)[0], 404)  # a version without a file

    def test_the_versions_page_takes_and_gives_its_file(self):
        v = self.version("C/120/7", "es")
        c = Client(self.s, "es")
        self.assertEqual(c.sign_in("ana").status, 303)
        page = c.get("/document-versions/%d" % v["id"]).body
        self.assertIn("Todavía no hay archivo.", page)
        self.assertIn('enctype="multipart/form-data"', page)
        body, ctype = multipart(c.csrf(), "informe.odt", odt(["El Consejo aprobó el informe sobre la apatridia."]), False)
        r = self.s.request("POST", "/document-versions/%d/file" % v["id"], raw=body,
                           headers=c._headers({"Content-Type": ctype}))
        self.assertEqual((r.status, r.header("Location")), (303, "/document-versions/%d" % v["id"]))
        page = c.get("/document-versions/%d" % v["id"]).body
        self.assertIn("Descargar el archivo", page)
        self.assertIn("apatridia", page)
        body, ctype = multipart(c.csrf(), "notes.txt", b"Just words.", False)
        r = self.s.request("POST", "/document-versions/%d/file" % v["id"], raw=body,
                           headers=c._headers({"Content-Type": ctype}))
        self.assertEqual(r.status, 415)
        self.assertIn('lang="es"', r.body)
        viewer = Client(self.s, "en")
        self.assertEqual(viewer.sign_in("dora").status, 303)
        self.assertNotIn('enctype="multipart/form-data"', viewer.get("/document-versions/%d" % v["id"]).body)

    def announced(self, method, path, content_type, length):
        """The status line answered to a head that announces a body of length bytes, none of them sent."""
        with socket.create_connection(("127.0.0.1", self.s.port), timeout=30) as sock:
            sock.sendall(("%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n"
                          "Content-Length: %d\r\n\r\n" % (method, path, self.s.tokens["ana"], content_type, length)).encode())
            return sock.recv(4096).decode("latin-1").split("\r\n")[0]

    def test_a_file_over_the_limit_is_refused_before_it_is_read(self):
        v = self.version("C/120/6")
        path = "/api/v1/document-versions/%d/file" % v["id"]
        self.assertEqual(self.announced("PUT", path, "application/pdf", 65 << 20), "HTTP/1.1 413 Content Too Large")
        big = b"%PDF-1.7\n" + b"0" * (2 << 20)  # over the server's 1 MiB: taken here, then found damaged
        self.assertProblem(self.put(v, big, "application/pdf"), 422)
        # other addresses keep the server's limit of 1 MiB
        self.assertEqual(self.announced("POST", "/api/v1/organizations", "application/json", 2 << 20),
                         "HTTP/1.1 413 Content Too Large")

if __name__ == "__main__":
    unittest.main()
