"""The schema checked on every start: a database whose tables do not match the registry (a field
renamed or retyped without its migration), or whose pending migration fails, stops init, serve and
every command that opens it with one line saying what and where, and is left exactly as it was."""
import os
import sqlite3
import subprocess
import tempfile
import unittest

from harness import BIN, cli

# Every command that opens the database, as it is run (the database is added to each).
COMMANDS = [
    ("init",),
    ("serve", "--listen", "127.0.0.1:0"),
    ("export", "persons"),
    ("import", "persons", "/dev/null"),
    ("audit", "verify"),
    ("search", "Marrowfield"),
    ("reindex",),
    ("token", "create", "admin"),
    ("user", "add", "wren", "--role", "viewer"),
    ("demo", "--inquiries", "3"),
    ("mail", "import", "/nonexistent-maildir"),
]


def dump(path):
    """Every schema entry and every row of every real table (the search index's shadow tables
    included: its FTS5 tables need Liaison's tokenizer to be read through)."""
    db = sqlite3.connect(path)
    schema = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    rows = [(name, db.execute('SELECT * FROM "%s"' % name).fetchall()) for kind, name, sql in schema
            if kind == "table" and not (sql or "").startswith("CREATE VIRTUAL")]
    db.close()
    return schema, rows


class SchemaOnStart(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="liaison-schema-")
        self.db = os.path.join(self.tmp.name, "s.db")
        cli(self.db, "init")

    def tearDown(self):
        self.tmp.cleanup()

    def change(self, sql):
        db = sqlite3.connect(self.db)
        db.executescript(sql)
        db.close()

    def assertRefusedEverywhere(self, *words):
        before = dump(self.db)
        for args in COMMANDS:
            with self.subTest(command=args[0]):
                p = subprocess.run([BIN, *args, "--db", self.db], input="a long enough password\n",
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(p.returncode, 1, (p.stdout, p.stderr))
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
                self.assertTrue(p.stderr.startswith("liaison: "), p.stderr)
                for word in words:
                    self.assertIn(word, p.stderr)
                self.assertEqual(dump(self.db), before)

    def test_a_renamed_column_stops_every_start(self):
        self.change("ALTER TABLE persons RENAME COLUMN given_name TO first_name")
        self.assertRefusedEverywhere("persons.first_name is in the database but not in the registry",
                                     "needs a migration that renames or drops its column", "nothing was changed")

    def test_a_retyped_column_stops_every_start(self):
        self.change("ALTER TABLE persons DROP COLUMN position; ALTER TABLE persons ADD COLUMN position INTEGER")
        self.assertRefusedEverywhere("persons.position is INTEGER in the database but TEXT in the registry",
                                     "needs a migration that converts its column", "nothing was changed")

    def test_a_failing_migration_stops_every_start(self):
        # a database of the kind migration 019 repairs, with a leftover table in its way
        self.change("DELETE FROM schema_migrations WHERE version = 19; ALTER TABLE dup_keys ADD COLUMN id INTEGER;"
                    "CREATE TABLE dup_keys_019 (kind TEXT)")
        self.assertRefusedEverywhere("migration 019_dup_keys_by_key.sql failed at line 5",
                                     "table dup_keys_019 already exists", "nothing was changed")


if __name__ == "__main__":
    unittest.main()
