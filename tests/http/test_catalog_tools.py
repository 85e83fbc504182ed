"""tools/po-update and tools/po-check on a small tree of their own: messages found by xgettext
in the C sources (adjacent literals joined, escapes decoded, N_ only) and in the templates,
catalogs brought up to date by msgmerge with every translation kept, and the checks that fail
until each message is translated."""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools")
sys.path.insert(0, TOOLS)
sys.dont_write_bytecode = True
import po  # noqa: E402

C_SOURCE = textwrap.dedent('''\
    /* N_("not in a comment") */
    static const char *const labels[] = { N_("Pledge"), N_("Donor " "report"), N_("Caf\\u00e9 \\"chez\\" nous") };
    static const char *plain = "N_(\\"not in a string\\")";
    static const char *other = gettext("not our keyword");
    static const char *const states[] = { NC_("pledge", "Cancelled"), NC_("appeal", "Cancelled") };
    ''')
TEMPLATE = "<h1>{{_ Good day}}</h1>{{! {{_ Commented out}} }}<p>{{_  Pledge }}</p>\n"
FR = textwrap.dedent('''\
    # Liaison's interface messages in fr.  The msgid is the English text.
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Language: fr\\n"

    # a translator's note
    #: src/old.c
    msgid "Pledge"
    msgstr "Annonce de contribution"

    #: src/old.c
    msgid "No longer used"
    msgstr "Plus utilisé"
    ''')


def tool(name, root):
    return subprocess.run([sys.executable, os.path.join(TOOLS, name), "--root", root], capture_output=True,
                          text=True, timeout=120)


class CatalogTools(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        for folder in ("src/web/po", "src/web/templates", "src/domains"):
            os.makedirs(os.path.join(self.root, folder))
        self.write("src/domains/pledges.c", C_SOURCE)
        self.write("src/web/templates/page.html", TEMPLATE)
        self.write("src/web/po/fr.po", FR)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text):
        with open(os.path.join(self.root, rel), "w", encoding="utf-8") as f:
            f.write(text)

    def catalog(self, lang):
        return po.read_po(po.po_path(self.root, lang))

    def test_the_messages_and_where_they_are(self):
        found = po.extract(self.root)
        self.assertEqual(found.sorted(), ["Caf\u00e9 \"chez\" nous", "Donor report", "Good day", "Pledge",
                                          "appeal\x04Cancelled", "pledge\x04Cancelled"])
        self.assertEqual(found.refs["Pledge"], {"src/domains/pledges.c", "src/web/templates/page.html"})

    def test_update_keeps_translations_and_check_wants_the_rest(self):
        p = tool("po-update", self.root)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("fr.po: 6 messages, 5 added, 1 dropped, 5 untranslated", p.stdout)
        fr = self.catalog("fr")
        self.assertEqual(fr.get("Pledge").msgstr, "Annonce de contribution")
        self.assertEqual(fr.get("Pledge").comments, ["# a translator's note"])
        self.assertEqual(fr.get("Pledge").refs, ["src/domains/pledges.c", "src/web/templates/page.html"])
        self.assertIsNone(fr.get("No longer used"))
        self.assertEqual(fr.get("Good day").msgstr, "")
        en = self.catalog("en")   # a new catalog; English is the source
        self.assertTrue(all(e.msgstr == e.msgid for e in en.entries.values()), en.entries)
        self.assertEqual(len(self.catalog("es").entries), 6)
        # one English word, two messages: each with its context
        self.assertEqual(fr.get("pledge\x04Cancelled").msgctxt, "pledge")
        self.assertEqual(fr.get("appeal\x04Cancelled").msgid, "Cancelled")
        self.assertIn('msgctxt "appeal"\nmsgid "Cancelled"', po.format_po(fr))

        p = tool("po-check", self.root)
        self.assertEqual(p.returncode, 1)
        self.assertIn('fr.po: no translation for "Good day"', p.stdout)
        self.assertIn("catalogs: 7 passed, 11 failed", p.stdout)

        for lang in ("fr", "es"):
            c = self.catalog(lang)
            for e in c.entries.values():
                e.msgstr = e.msgstr or "[%s] %s" % (lang, e.msgid)
            self.write("src/web/po/%s.po" % lang, po.format_po(c))
        p = tool("po-check", self.root)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn("catalogs: 18 passed, 0 failed", p.stdout)

        # Nothing changed: nothing rewritten, the translations as they were.
        p = tool("po-update", self.root)
        self.assertEqual(p.stdout.count("(unchanged)"), 3, p.stdout)
        self.assertEqual(self.catalog("fr").get("Good day").msgstr, "[fr] Good day")


if __name__ == "__main__":
    unittest.main()
