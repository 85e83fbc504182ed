"""The check itself: tests/run counts a suite the tree has but the build or
the run lacks as a failure, so that a test file left out of meson.build, or
an HTTP test module whose tests all vanished, cannot pass in silence.
Runs tests/run's own functions on an invented tree and build."""
import importlib.machinery
import importlib.util
import io
import os
import stat
import tempfile
import unittest
from contextlib import redirect_stdout

RUN = os.path.join(os.path.dirname(__file__), "..", "run")


def load_runner():
    loader = importlib.machinery.SourceFileLoader("tests_run", RUN)
    spec = importlib.util.spec_from_loader("tests_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def write(path, text, executable=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if executable:
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


CMOCKA_PASS = "#!/bin/sh\necho '[==========] 3 test(s) run.'\necho '[  PASSED  ] 3 test(s).'\n"
REPLAY_PASS = "#!/bin/sh\necho 'replay_%s: 4 passed, 0 failed'\n"


class MissingSuites(unittest.TestCase):
    def setUp(self):
        self.run_ = load_runner()
        self.dir = tempfile.TemporaryDirectory(prefix="liaison-check-")
        self.tree = os.path.join(self.dir.name, "tests")
        self.build = os.path.join(self.dir.name, "build")
        os.makedirs(self.build)
        self.run_.HERE = self.tree

    def tearDown(self):
        self.dir.cleanup()

    def quietly(self, fn, *args):
        with redirect_stdout(io.StringIO()) as out:
            result = fn(*args)
        return result, out.getvalue()

    def test_a_unit_test_file_without_its_program_fails(self):
        write(os.path.join(self.tree, "unit", "test_alpha.c"), "")
        write(os.path.join(self.tree, "unit", "test_beta.c"), "")
        write(os.path.join(self.build, "test_alpha"), CMOCKA_PASS, executable=True)
        (passed, failed), out = self.quietly(self.run_.run_units, self.build)
        self.assertEqual((passed, failed), (3, 1))
        self.assertIn("test_beta: not built", out)
        write(os.path.join(self.build, "test_beta"), CMOCKA_PASS, executable=True)
        self.assertEqual(self.quietly(self.run_.run_units, self.build)[0], (6, 0))

    def test_a_program_the_tree_no_longer_has_is_not_run(self):
        write(os.path.join(self.tree, "unit", "test_alpha.c"), "")
        write(os.path.join(self.build, "test_alpha"), CMOCKA_PASS, executable=True)
        write(os.path.join(self.build, "test_gone"), "#!/bin/sh\nexit 1\n", executable=True)  # a stale build's
        self.assertEqual(self.quietly(self.run_.run_units, self.build)[0], (3, 0))

    def test_a_harness_without_its_replay_fails(self):
        write(os.path.join(self.tree, "fuzz", "fuzz_gamma.c"), "")
        write(os.path.join(self.tree, "fuzz", "fuzz_delta.c"), "")
        write(os.path.join(self.build, "replay_gamma"), REPLAY_PASS % "gamma", executable=True)
        (passed, failed), out = self.quietly(self.run_.run_replays, self.build)
        self.assertEqual((passed, failed), (4, 1))
        self.assertIn("replay_delta: not built", out)

    def test_an_http_module_that_ran_no_test_fails(self):
        out = "\n".join([
            "test_one (test_ran.Case.test_one) ... ok",
            "test_two (test_docs.Case.test_two)",
            "What the test is about. ... ok",
            "test_three (test_skipped.Case.test_three) ... skipped 'no browser'",
        ])
        files = ["/x/test_ran.py", "/x/test_docs.py", "/x/test_skipped.py", "/x/test_absent.py"]
        empty, printed = self.quietly(self.run_.modules_without_tests, out, files)
        self.assertEqual(empty, ["test_absent", "test_skipped"])
        self.assertIn("test_absent: no test ran", printed)


if __name__ == "__main__":
    unittest.main()
