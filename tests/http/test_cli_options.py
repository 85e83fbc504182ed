"""The command line's options, read the same way by every subcommand (getopt_long over the
names each declares): --help for each, and a usage error as one line that names the command and
where its help is, with exit status 2 — an unknown option, an option without its value, a flag
given a value, a bad value."""
import os
import re
import subprocess
import tempfile
import unittest

from harness import BIN


def run(*args, env=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env=env)


def commands():
    """The subcommands `liaison --help` lists."""
    out = run("--help").stdout
    return re.findall(r"^  (\w+) ", out, re.M)


class Options(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.dir.name, "options.db")
        p = run("init", "--db", cls.db)
        assert p.returncode == 0, p.stderr

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def usage_error(self, cmd, *args, says):
        p = run(cmd, *args)
        self.assertEqual(p.returncode, 2, (args, p.stdout, p.stderr))
        self.assertEqual(p.stdout, "")
        self.assertEqual(p.stderr, "liaison %s: %s; see liaison %s --help\n" % (cmd, says, cmd))

    def test_every_command_has_help(self):
        names = commands()
        self.assertGreaterEqual(len(names), 12, names)
        for name in names:
            for flag in ("--help", "-h"):
                with self.subTest(command=name, flag=flag):
                    p = run(name, flag)
                    self.assertEqual((p.returncode, p.stderr), (0, ""))
                    self.assertTrue(p.stdout.startswith("usage: liaison " + name), p.stdout)

    def test_an_unknown_option(self):
        for name in commands():
            with self.subTest(command=name):
                self.usage_error(name, "--no-such-option", "--db", self.db, says="unknown option --no-such-option")
        self.usage_error("serve", "--foo=bar", says="unknown option --foo")
        self.usage_error("init", "-x", says="unknown option -x")

    def test_an_option_without_its_value(self):
        self.usage_error("serve", "--db", says="--db needs a value")
        self.usage_error("export", "organizations", "--format", says="--format needs a value")
        self.usage_error("search", "x", "--limit", says="--limit needs a value")
        self.usage_error("audit", "verify", "--head", says="--head needs a value")

    def test_a_flag_given_a_value(self):
        self.usage_error("import", "organizations", "x.csv", "--dry-run=yes", says="--dry-run takes no value")
        self.usage_error("serve", "--quiet=1", says="--quiet takes no value")

    def test_a_bad_value(self):
        self.usage_error("serve", "--threads", "lots", "--db", self.db, says="--threads must be a number from 1 to 256")
        self.usage_error("serve", "--heads-every=0", "--db", self.db,
                         says="--heads-every must be a number of seconds from 1 to 86400")
        self.usage_error("demo", "--scale", "12abc", "--db", self.db, says="--scale takes a number from 1 to 1000")
        self.usage_error("search", "x", "--limit", "0", "--db", self.db, says="--limit takes a number from 1 to 100")
        self.usage_error("export", "organizations", "--format=xml", "--db", self.db, says="--format takes csv or vcard")
        self.usage_error("user", "add", "zed", "--role", "staff", "--organization", "7x", "--db", self.db,
                         says="--organization takes an organization id")
        self.usage_error("init", "extra", "--db", self.db, says="unexpected argument extra")

    def test_options_go_anywhere_and_take_either_form(self):
        for args in (("export", "countries", "--db", self.db), ("export", "--db", self.db, "countries"),
                     ("export", "--db=" + self.db, "countries", "--format=csv")):
            with self.subTest(args=args):
                p = run(*args)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertTrue(p.stdout.startswith("id,"), p.stdout[:80])

    def test_a_double_dash_ends_the_options(self):
        p = run("search", "--db", self.db, "--", "--quoted")
        self.assertNotIn("unknown option", p.stderr)

    def test_the_environment_still_names_the_database(self):
        p = run("audit", "verify", env=dict(os.environ, LIAISON_DB=self.db))
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_head_may_be_given_again(self):
        head = run("audit", "head", "--db", self.db).stdout.strip()
        p = run("audit", "verify", "--db", self.db, "--head", head, "--head=" + head)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("2 heads match", p.stdout)

    def test_an_unknown_command(self):
        p = run("frobnicate")
        self.assertEqual((p.returncode, p.stderr), (2, "liaison: unknown command 'frobnicate'; see liaison --help\n"))


if __name__ == "__main__":
    unittest.main()
