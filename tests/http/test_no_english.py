"""Every page of every kind, in French and in Spanish, says nothing in English: no text of the English
catalog whose translation differs is shown or read out (text nodes, labels, titles, the labels of
table cells), whole or as the start of a sentence. The pages are read as an administrator sees them
(every kind, every action), with one record of each kind, its form, its edit form and its history."""
import re

from harness import ServerTest
from test_desk_pages import TextParser
from test_pages import Client, catalog

KINDS_WITH_PAGES = ("organizations", "persons", "countries", "interactions", "follow-ups", "relationships",
                    "relationship-types", "inquiries", "canned-answers", "kb-articles", "routing-rules",
                    "briefings", "users", "meetings", "meeting-priority-rules", "representations")


class NoEnglish(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.s

        def made(kind, body):
            r = s.post("/api/v1/%s?force=true" % kind, body, user="root")
            assert r.status == 201, (kind, r)
            return r.json()

        org = made("organizations", {"name": {"en": "Zorvalia Coastal Network"}, "type": "cso", "country": "ES",
                                     "website": "zorvalia.example.org", "tags": ["zorvalia"]})
        other = made("organizations", {"name": {"en": "Quellmarsh Union"}, "type": "igo"})
        person = made("persons", {"given_name": "Irsa", "family_name": "Vantorek", "organization": org["id"],
                                  "emails": ["irsa.vantorek@example.org"]})
        made("interactions", {"kind": "meeting", "subject": "Zorvalia harbour", "date": "2026-11-02",
                              "participants": [{"kind": "persons", "id": person["id"], "role": "participant"}]})
        me = s.get("/api/v1/users/root", user="root").json()["id"]
        made("follow-ups", {"task": "Zorvalia letter", "due_date": "2026-12-20", "status": "open", "owner": me})
        made("relationships", {"type": "member_of", "from_organization": org["id"], "to_organization": other["id"]})
        made("inquiries", {"subject": "Zorvalia visas", "channel": "email", "requester_name": "Irsa Vantorek"})
        made("briefings", {"title": "Zorvalia visitors", "status": "scheduled", "starts_at": "2026-12-10T09:00:00Z"})
        made("canned-answers", {"code": "zorvalia", "title": {"en": "Zorvalia"}, "body": {"en": "Zorvalia."}})
        made("kb-articles", {"title": {"en": "Zorvalia"}, "body": {"en": "Zorvalia."}})
        made("meeting-priority-rules", {"name": "Zorvalia ministerials", "level": "ministerial", "points": 70})
        meeting = made("meetings", {"title": {"en": "Zorvalia ministerial"}, "starts_on": "2026-12-10",
                                    "level": "ministerial", "organizer": other["id"], "topics": ["zorvalia"]})
        made("representations", {"meeting": meeting["id"], "who": me, "status": "confirmed"})

    def english(self, lang):
        theirs = catalog(lang)
        return {msgid for msgid, msgstr in catalog("en").items() if theirs.get(msgid) not in (None, "", msgid)}

    def paths(self, c):
        """The pages an administrator reaches from the menu, each kind's list, forms, one record and its history."""
        out = ["/", "/search?q=Zorvalia", "/search?q=Zorvalya", "/admin", "/admin/audit", "/admin/outbox", "/help",
               "/desk", "/briefings/calendar"]
        for kind in KINDS_WITH_PAGES:
            out += ["/" + kind, "/%s/new" % kind]
            listing = c.get("/" + kind).body
            hrefs = [h for h in re.findall(r'<td data-label="[^"]*"><a href="(/%s/[^"/?#]+)"' % kind, listing)]
            if hrefs:
                out += [hrefs[0], hrefs[0] + "/edit"]
        return out

    def test_french_and_spanish_pages_have_no_english_words(self):
        for lang in ("fr", "es"):
            english = self.english(lang)
            c = Client(self.s, lang)
            self.assertEqual(c.sign_in("root").status, 303)
            for path in self.paths(c):
                with self.subTest(lang=lang, path=path):
                    r = c.get(path)
                    if r.status in (403, 404, 405):
                        continue  # a page this kind does not have
                    self.assertIn('<html lang="%s">' % lang, r.body)
                    p = TextParser(lang)
                    p.feed(r.body)
                    found = sorted({t for t in p.texts if t in english or t.rstrip(".:") in english or
                                    any(t.startswith(e + " ") for e in english if len(e) > 12)})
                    self.assertEqual(found, [])
