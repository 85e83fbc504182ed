"""Upgrades: a database made by each earlier released schema (tests/upgrade/*.sql.gz, made as
tests/upgrade/README says) is opened by this build, which migrates it; then every record of every
kind is there with its values, read from the database and through the API, every audit entry is
there unchanged and `liaison audit verify` passes, and searching for known titles finds them."""
import glob
import gzip
import json
import os
import sqlite3
import tempfile
import unittest
from urllib.parse import quote

from harness import Server, ServerTest, cli
from test_openapi import kinds

FIXTURES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "upgrade", "*.sql.gz")))

# Columns an upgrade gives another name (old table, old column): new column.
RENAMED = {("users", "organization_id"): "organization"}
# Columns an upgrade fills where a build of the time left them empty (migration 018).
FILLED = {("users", "version"), ("users", "classification"), ("users", "updated_at")}

# The countries iso-codes gives a common name ("Bolivia" for "Bolivia, Plurinational State of"):
# `liaison init` names them so in a database seeded before, and keeps the ISO name as official_name.
ISO_3166 = "/usr/share/iso-codes/json/iso_3166-1.json"
OFFICIAL_ONLY = {"TW"}  # named as the United Nations write it (src/formats/isocodes.c)
COMMON_NAMES = {c["alpha_2"]: (c["common_name"], c["name"])
                for c in json.load(open(ISO_3166, encoding="utf-8"))["3166-1"]
                if "common_name" in c and c["alpha_2"] not in OFFICIAL_ONLY}

# What the fixtures' own records are called (tests/upgrade/make-fixture): (kind, column, value).
KNOWN_TITLES = [
    ("organizations", "name_en", "Northwind Coastal Alliance"),
    ("organizations", "name_en", "Saltmarsh Fisheries Cooperative"),
    ("persons", "family_name", "Marrowfield"),
    ("interactions", "subject", "Saltmarsh restoration pledge"),
]


def load(fixture, path):
    """A fresh database file holding the fixture's dump."""
    db = sqlite3.connect(path)
    with gzip.open(fixture, "rt", encoding="utf-8") as f:
        db.executescript(f.read())
    db.close()


# Kinds whose table had another name in a release: the governing bodies' sessions,
# while the platform's sign-ins held the name (migrations 022, 023).
OLD_TABLES = {"sessions": "gb_sessions"}
# Tables of the platform's own that a kind's name later took: not the kind's records.
PLATFORM_TABLES_THEN = {"sessions"}


def rows(db, table):
    db.row_factory = sqlite3.Row
    return {r["id"]: dict(r) for r in db.execute("SELECT * FROM %s" % table)}


def tables(db):
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns(db, table):
    return {r[1] for r in db.execute("SELECT * FROM pragma_table_info(?)", (table,))}


def same(api, stored):
    """Whether the API's value is the stored column's: lists and objects are stored as JSON
    text, flags as 0 and 1."""
    if isinstance(api, bool):
        return stored in (0, 1) and api == bool(stored)
    if isinstance(api, (list, dict)) and isinstance(stored, str):
        return api == json.loads(stored)
    return api == stored


class UpgradeChecks:
    """The checks, for one fixture (cls.fixture): the database as the fixture had it is read
    first (cls.before), then the server opens its own copy, migrated by `liaison init`."""
    fixture = None
    users = [("keeper", "admin", None)]
    touched = set()  # (kind, id) of old records a test changes: the others compare them as they were

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="liaison-upgrade-")
        path = os.path.join(cls.tmp.name, "before.db")
        load(cls.fixture, path)
        cls.before = sqlite3.connect(path)
        cls.s = Server(cls.server_args, cls.users, prepare=lambda db: load(cls.fixture, db))
        cls.after = sqlite3.connect(cls.s.db)
        renamed = cls.before.execute("SELECT id FROM countries WHERE iso2 IN (%s)" % ",".join("?" * len(COMMON_NAMES)),
                                     list(COMMON_NAMES)).fetchall()
        cls.touched = cls.touched | {("countries", rid) for (rid,) in renamed}

    @classmethod
    def tearDownClass(cls):
        cls.after.close()
        cls.before.close()
        cls.s.close()
        cls.tmp.cleanup()

    def kinds(self):
        """(kind, table in the fixture, table now) of every kind this build has whose table the fixture has."""
        have = tables(self.before)
        found = []
        for k in sorted(kinds()):
            now = k.replace("-", "_")
            old = OLD_TABLES.get(k, now)
            if old in have and (old != now or now not in PLATFORM_TABLES_THEN):
                found.append((k, old, now))
        self.assertGreaterEqual(len(found), 7, found)
        return found

    def test_every_record_keeps_its_values_in_the_database(self):
        counted = 0
        for kind, table, now in self.kinds():
            before, after = rows(self.before, table), rows(self.after, now)
            counted += len(before)
            for rid, old in before.items():
                self.assertIn(rid, after, "%s %d is gone" % (kind, rid))
                if (kind, rid) in self.touched:
                    continue
                for col, value in old.items():
                    new = RENAMED.get((table, col), col)
                    if value is None and new != col:
                        continue  # nothing to carry over: the new column's own value stands
                    with self.subTest(kind=kind, id=rid, column=col):
                        if value is None and (table, col) in FILLED:
                            self.assertIsNotNone(after[rid][new])
                        else:
                            self.assertEqual(after[rid][new], value)
        self.assertGreater(counted, 500)

    def test_every_record_reads_the_same_through_the_api(self):
        for kind, table, _ in self.kinds():
            for rid, old in rows(self.before, table).items():
                r = self.s.get("/api/v1/%s/%d" % (kind, rid), user="keeper")
                self.assertEqual(r.status, 200, (kind, rid, r))
                if (kind, rid) in self.touched:
                    continue
                rec, compared = r.json(), 0
                for col, value in old.items():
                    base, _, lang = col.rpartition("_")
                    if col in rec:
                        api = rec[col]
                    elif isinstance(rec.get(base), dict) and lang in ("en", "fr", "es"):
                        api = rec[base].get(lang)
                    else:
                        continue  # no field: a password hash, a column an upgrade renamed
                    compared += 1
                    if value is None and (table, col) in FILLED:
                        continue
                    self.assertTrue(same(api, value), "%s %d %s: %r in the API, %r stored before" % (
                        kind, rid, col, api, value))
                self.assertGreater(compared, 5, (kind, rid))

    def test_every_link_is_kept(self):
        cols = "kind, record_id, field, position, target_kind, target_id, role"
        before = self.before.execute("SELECT %s FROM links" % cols).fetchall()
        after = set(self.after.execute("SELECT %s FROM links" % cols).fetchall())
        self.assertTrue(before)
        self.assertEqual([x for x in before if x not in after], [])

    def test_the_audit_chain_keeps_every_entry_and_verifies(self):
        before, after = rows(self.before, "audit"), rows(self.after, "audit")
        self.assertGreater(len(before), 100)
        for aid, entry in before.items():
            self.assertIn(aid, after)
            self.assertEqual({k: after[aid][k] for k in entry}, entry)
        p = cli(self.s.db, "audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("audit log sound: %d entries" % len(after), p.stdout)

    def test_search_finds_known_titles(self):
        wanted = [(kind, value) for kind, col, value in KNOWN_TITLES
                  if self.before.execute("SELECT 1 FROM %s WHERE %s = ?" % (kind, col), (value,)).fetchone()]
        # and one record the demo made: its first organization
        first = self.before.execute("SELECT name_en FROM organizations ORDER BY id LIMIT 1").fetchone()[0]
        wanted.append(("organizations", first))
        self.assertGreaterEqual(len(wanted), 4, wanted)
        for kind, title in wanted:
            table = kind.replace("-", "_")
            col = "name_en" if kind == "organizations" else "family_name" if kind == "persons" else "subject"
            ids = {r[0] for r in self.before.execute("SELECT id FROM %s WHERE %s = ?" % (table, col), (title,))}
            r = self.s.get("/api/v1/search?q=" + quote('"%s" type:%s' % (title, kind)), user="keeper")
            self.assertEqual(r.status, 200, r)
            found = {hit["id"] for hit in r.json()["items"] if hit["kind"] == kind}
            self.assertTrue(ids & found, "%r not found: %r" % (title, r.json()["items"]))

    def test_old_and_new_records_can_be_written(self):
        old = self.before.execute("SELECT id FROM organizations WHERE archived = 0 ORDER BY id LIMIT 1").fetchone()[0]
        self.touched.add(("organizations", old))
        version = self.s.get("/api/v1/organizations/%d" % old, user="keeper").json()["version"]
        r = self.s.patch("/api/v1/organizations/%d" % old, {"notes": "Seen after the upgrade."}, version,
                         user="keeper")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["version"], version + 1)
        # no language: the users table of the oldest schema refused a user without one
        r = self.s.post("/api/v1/users", {"name": "sorrel.viewer", "role": "viewer"}, user="keeper")
        self.assertEqual(r.status, 201, r)
        r = self.s.post("/api/v1/organizations?force=true", {"name": {"en": "Harrowgate Tidal Trust"}, "type": "cso"},
                        user="keeper")
        self.assertEqual(r.status, 201, r)
        made = r.json()["id"]
        hits = self.s.get("/api/v1/search?q=" + quote("Harrowgate"), user="keeper").json()["items"]
        self.assertIn(("organizations", made), [(h["kind"], h["id"]) for h in hits])
        p = cli(self.s.db, "audit", "verify", check=False)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_old_records_are_found_again_as_likely_duplicates(self):
        # the keys an older build wrote are gone, and every record is filed as this build files it
        kinds_of_keys = {k[:2] for (k,) in self.after.execute("SELECT DISTINCT substr(key, 1, 2) FROM dup_keys")}
        self.assertTrue(kinds_of_keys and kinds_of_keys <= {"w:", "p:", "a:", "e:"}, kinds_of_keys)
        old_id, name = self.before.execute("SELECT id, name_en FROM organizations WHERE archived = 0 AND name_en != '' "
                                           "ORDER BY id LIMIT 1").fetchone()
        words = name.split()
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        words[longest] = words[longest][:3] + words[longest][4:]   # a letter left out
        r = self.s.post("/api/v1/organizations", {"name": {"en": " ".join(words)}, "type": "cso"}, user="keeper")
        self.assertEqual(r.status, 409, (name, r))
        self.assertIn(old_id, [c["id"] for c in r.json()["candidates"]])

    def test_the_installation_keeps_its_uuid_namespace(self):
        ns = "SELECT uuid_namespace FROM installation"
        after = self.after.execute(ns).fetchone()[0]
        self.assertRegex(after, "^[0-9a-f]{32}$")
        if "installation" in tables(self.before):  # else drawn by migration 013 on the way
            self.assertEqual(after, self.before.execute(ns).fetchone()[0])

    def test_nothing_is_left_to_do_and_the_schema_is_today_s(self):
        self.assertEqual(self.after.execute("SELECT count(*) FROM migration_tasks").fetchone()[0], 0)
        names = {r[0] for r in self.after.execute("SELECT name FROM schema_migrations")}
        shipped = {os.path.basename(p) for p in glob.glob(os.path.join(
            os.path.dirname(__file__), "..", "..", "src", "store", "migrations", "*.sql"))}
        self.assertEqual(names, shipped)


    def test_countries_are_named_as_people_name_them(self):
        self.assertIn("BO", COMMON_NAMES)
        for iso2, (common, iso) in COMMON_NAMES.items():
            with self.subTest(country=iso2):
                old = self.before.execute("SELECT name_en, name_fr, name_es FROM countries WHERE iso2 = ?", (iso2,)).fetchone()
                rec = self.s.get("/api/v1/countries/" + iso2, user="keeper").json()
                self.assertEqual(rec["name"]["en"], common)
                if "official_name_en" in columns(self.before, "countries"):  # made after the names changed
                    official = self.before.execute("SELECT official_name_en, official_name_fr, official_name_es "
                                                   "FROM countries WHERE iso2 = ?", (iso2,)).fetchone()
                    self.assertEqual(old[0], common, "the fixture had the common name already")
                    self.assertEqual(rec["official_name"], {"en": official[0], "fr": official[1], "es": official[2]})
                else:
                    self.assertEqual(old[0], iso, "the fixture had the ISO name")
                    self.assertEqual(rec["official_name"], {"en": old[0], "fr": old[1], "es": old[2]})
                self.assertEqual(rec["membership"], self.before.execute(
                    "SELECT membership FROM countries WHERE iso2 = ?", (iso2,)).fetchone()[0], "nothing else changes")
        tw = self.s.get("/api/v1/countries/TW", user="keeper").json()
        self.assertEqual(tw["name"]["en"], "Taiwan, Province of China")
        self.assertEqual(tw["official_name"], {"en": None, "fr": None, "es": None})
        bo = self.s.get("/api/v1/countries/BO", user="keeper").json()
        self.assertEqual((bo["name"]["fr"], bo["name"]["es"]), ("Bolivie", "Bolivia"))
        r = self.s.get("/api/v1/search?q=" + quote("Bolivia type:countries"), user="keeper").json()
        self.assertEqual([(h["id"], h["title"]) for h in r["items"]][:1], [(bo["id"], "Bolivia")])

    def test_init_again_changes_nothing_more(self):
        before = rows(self.after, "countries")
        cli(self.s.db, "init")
        self.assertEqual(rows(self.after, "countries"), before)


for _path in FIXTURES:
    _name = "Upgrade_" + os.path.basename(_path).split(".")[0].replace("-", "_")
    globals()[_name] = type(_name, (UpgradeChecks, ServerTest), {"fixture": _path, "touched": set()})


class CountryNamesKeepWhatPeopleWrote(unittest.TestCase):
    def test_a_name_someone_changed_stays_theirs(self):
        with tempfile.TemporaryDirectory(prefix="liaison-upgrade-") as d:
            path = os.path.join(d, "names.db")
            load(FIXTURES[-1], path)
            db = sqlite3.connect(path)
            db.execute("UPDATE countries SET name_fr = 'Bolivie (État plurinational)' WHERE iso2 = 'BO'")
            db.commit()
            cli(path, "init")
            got = db.execute("SELECT name_en, name_fr, name_es, official_name_fr FROM countries WHERE iso2 = 'BO'").fetchone()
            db.close()
        self.assertEqual(got[:3], ("Bolivia", "Bolivie (État plurinational)", "Bolivia"))
        self.assertEqual(got[3], "Bolivie, état plurinational de")


class Fixtures(unittest.TestCase):
    def test_there_are_fixtures_of_at_least_three_earlier_schemas(self):
        self.assertGreaterEqual(len(FIXTURES), 3, FIXTURES)
        for path in FIXTURES:
            self.assertLess(os.path.getsize(path), 400 * 1024, path)


if __name__ == "__main__":
    unittest.main()
