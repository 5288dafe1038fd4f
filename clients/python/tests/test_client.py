"""The Python client against a real Pattern Ledger (tests/server.py): records arrive and the
pages' figures show them, a bad item refuses its whole batch, and an outage loses and doubles
nothing. Needs TEST_DATABASE_URL (a PostgreSQL server where a database may be created)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import unittest
import uuid
from typing import List

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
sys.path.insert(0, PACKAGE)
sys.path.insert(0, HERE)

from pattern_ledger import BatchRefused, Client, Unreachable  # noqa: E402
from pattern_ledger.spool import Spool  # noqa: E402
from server import Server  # noqa: E402

DATABASE = os.environ.get("TEST_DATABASE_URL")


def run_id() -> str:
    return uuid.uuid4().hex[:8]


class InstallTest(unittest.TestCase):
    def test_installs_with_pip_without_the_network(self) -> None:
        with tempfile.TemporaryDirectory() as target:
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--no-index", "--quiet",
                 "--disable-pip-version-check", "--root-user-action=ignore", "--target", target,
                 PACKAGE],
                check=True,
            )  # fmt: skip
            shown = subprocess.run(
                [sys.executable, "-c",
                 "import pattern_ledger, sys; print(pattern_ledger.__file__); "
                 "print(pattern_ledger.record_pattern_occurrence.__name__)"],
                env={**os.environ, "PYTHONPATH": target}, cwd=target,
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            self.assertTrue(shown.stdout.startswith(target), shown.stdout)
            self.assertIn("record_pattern_occurrence", shown.stdout)
            self.assertTrue(os.path.exists(os.path.join(target, "pattern_ledger", "py.typed")))


@unittest.skipUnless(DATABASE, "set TEST_DATABASE_URL to a PostgreSQL server")
class ClientAgainstServerTest(unittest.TestCase):
    server: Server
    write_key: str
    read_key: str
    viewer: str

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = Server(DATABASE or "")
        cls.server.create()
        cls.write_key = cls.server.api_key("write")
        cls.read_key = cls.server.api_key("read")
        cls.viewer = cls.server.viewer_password()
        cls.server.start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.stop()
        cls.server.drop()

    def setUp(self) -> None:
        if self.server.process is None:
            self.server.start()
        self.spool_dir = tempfile.mkdtemp(prefix="pattern-ledger-spool-")

    def client(self, **options: object) -> Client:
        client = Client(self.server.url, self.write_key, spool_dir=self.spool_dir, **options)
        self.addCleanup(client.close)
        return client

    def test_records_arrive_and_the_pages_show_them(self) -> None:
        run = run_id()
        client = self.client(batch_size=50)
        for i in range(120):
            client.record_occurrence(
                f"test:py{run}:backend" if i % 3 else f"build:py{run}:frontend",
                f"adw-{run}-{i % 7}",
                similarity=0.9,
                characteristics={"complexity": "simple", "error_count": 0},
            )
        for i in range(10):
            client.record_saving(
                "pattern_offload", f"adw-{run}-{i}", 4200, 300, 0.0117,
                pattern_signature=f"test:py{run}:backend", notes=f"run {run}",
            )  # fmt: skip
        client.flush()
        self.assertEqual(
            self.server.count("pattern_occurrences", f"workflow_id LIKE 'adw-{run}-%'"), 120
        )
        self.assertEqual(self.server.count("cost_savings_log", f"notes = 'run {run}'"), 10)
        # The /patterns page, as a signed-in viewer sees it, lists both patterns with their counts.
        html = self.server.page(f"/patterns?range=all&q=py{run}", "viewer@python.tests", self.viewer)
        self.assertIn(f"test:py{run}:backend", html)
        self.assertIn(f"build:py{run}:frontend", html)
        self.assertRegex(html, r'data-col="occurrences"[^>]*>80<')
        self.assertRegex(html, r'data-col="occurrences"[^>]*>40<')
        rows = {row["signature"]: row for row in self.server.pattern_rows(self.read_key, run)}
        self.assertEqual(rows[f"test:py{run}:backend"]["occurrences"], 80)
        self.assertEqual(rows[f"build:py{run}:frontend"]["occurrences"], 40)
        self.assertAlmostEqual(rows[f"test:py{run}:backend"]["usdSaved"], 0.117, places=4)
        self.assertEqual(rows[f"test:py{run}:backend"]["type"], "test")

    def test_a_bad_item_refuses_the_whole_batch_and_the_error_names_it(self) -> None:
        run = run_id()
        client = self.client()
        client.record_occurrence(f"test:ok{run}:all", f"adw-{run}-1", similarity=0.5)
        client.record_occurrence(f"test:bad{run}:all", f"adw-{run}-2", similarity=1000)
        with self.assertRaises(BatchRefused) as refused:
            client.flush()
        self.assertEqual(refused.exception.status, 400)
        self.assertIn("item 1", str(refused.exception))
        self.assertIn(f"test:bad{run}:all", str(refused.exception))
        self.assertIn("similarity_score", str(refused.exception))
        self.assertEqual(
            self.server.count("pattern_occurrences", f"workflow_id LIKE 'adw-{run}-%'"), 0
        )
        self.assertEqual(Spool(self.spool_dir).pending(), [])

    def test_drop_in_for_the_real_writer(self) -> None:
        run = run_id()
        client = self.client()
        workflow = {
            "adw_id": f"adw-{run}",
            "nl_input": "Run pytest for app/server/test_main.py and fix the failure",
            "duration_seconds": 42,
            "errors": [],
        }
        pattern_id, created = client.record_pattern_occurrence(f"test:pytest:{run}", workflow)
        again, created_again = client.record_pattern_occurrence(f"test:pytest:{run}", workflow)
        self.assertTrue(created)
        self.assertFalse(created_again)
        self.assertEqual(pattern_id, again)
        stored = self.server.psql(
            "SELECT op.id || '|' || op.pattern_type || '|' || count(po.id) || '|' "
            "|| max(po.similarity_score) || '|' || max(po.matched_characteristics::text) "
            "FROM operation_patterns op JOIN pattern_occurrences po ON po.pattern_id = op.id "
            f"WHERE op.pattern_signature = 'test:pytest:{run}' GROUP BY op.id, op.pattern_type"
        ).split("|", 4)
        self.assertEqual(stored[:4], [str(pattern_id), "test", "2", "100"])
        self.assertIn('"files_mentioned":["app/server/test_main.py"]', stored[4].replace(" ", ""))
        self.assertIn('"duration_range":"short"', stored[4].replace(" ", ""))

    def test_an_outage_is_spooled_and_everything_arrives_once(self) -> None:
        run = run_id()
        where = f"workflow_id LIKE 'adw-{run}-%'"
        client = self.client(batch_size=500, retries=1, backoff=0.05, flush_interval=3600.0)
        for i in range(700):
            client.record_occurrence(f"deploy:ship:{run}", f"adw-{run}-{i % 9}", similarity=1.0)
        self.server.stop()
        for i in range(700, 2300):
            client.record_occurrence(f"deploy:ship:{run}", f"adw-{run}-{i % 9}", similarity=1.0)
        with self.assertRaises(Unreachable):
            client.send_spool()
        spool = Spool(self.spool_dir)
        self.assertEqual(len(spool.pending()), 3)  # 500 at i=500 went; 1000, 1500, 2000 spooled
        client.close()  # the last 300 are spooled at exit
        self.assertEqual(len(spool.pending()), 4)

        # The agent crashed after the server stored a batch but before removing its file.
        self.server.start()
        first = spool.read(spool.pending()[0])
        client._send(first["endpoint"], first["idempotency_key"], first["items"])
        self.assertEqual(self.server.count("pattern_occurrences", where), 500 + 500)

        flushed = subprocess.run(
            [sys.executable, "-m", "pattern_ledger", "flush", "--spool", self.spool_dir,
             "--url", self.server.url, "--key", self.write_key],
            cwd=PACKAGE, capture_output=True, text=True,
        )  # fmt: skip
        self.assertEqual(flushed.returncode, 0, flushed.stderr)
        self.assertIn("sent 4 of 4", flushed.stdout)
        self.assertEqual(spool.pending(), [])
        self.assertEqual(self.server.count("pattern_occurrences", where), 2300)
        counter = self.server.psql(
            f"SELECT occurrence_count FROM operation_patterns WHERE pattern_signature = 'deploy:ship:{run}'"
        )
        self.assertEqual(counter, "2300")


    def test_the_hook_forwards_spools_while_the_server_is_away_and_never_fails(self) -> None:
        run = run_id()
        spool = tempfile.mkdtemp(prefix="pattern-ledger-hooks-")
        env = {
            **os.environ,
            "PATTERN_LEDGER_URL": self.server.url,
            "PATTERN_LEDGER_KEY": self.server.api_key("capture"),
            "PATTERN_LEDGER_HOOK_SPOOL": spool,
            "ADW_ID": f"adw-{run}",
            "PYTHONPATH": PACKAGE,
        }
        where = f"workflow_id = 'adw-{run}'"

        def hook(stdin: str) -> "subprocess.CompletedProcess[str]":
            return subprocess.run(
                [sys.executable, "-m", "pattern_ledger", "hook"], input=stdin, env=env,
                cwd=PACKAGE, capture_output=True, text=True, timeout=30,
            )  # fmt: skip

        def event(n: int, command: str) -> str:
            return json.dumps({
                "session_id": f"py-{run}", "hook_event_name": "PreToolUse", "cwd": "/app",
                "tool_name": "Bash", "tool_input": {"command": command},
                "tool_use_id": f"toolu_{run}_{n}",
            })  # fmt: skip

        def spooled() -> List[str]:
            return [name for name in os.listdir(spool) if name.endswith(".hook")]

        # Whatever happens, a hook prints nothing and exits 0: Claude Code goes on.
        for stdin in [event(1, "pytest backend"), "not JSON", "[]", ""]:
            done = hook(stdin)
            self.assertEqual((done.returncode, done.stdout, done.stderr), (0, "", ""), stdin)

        self.server.stop()
        for n, command in [(2, "git status"), (3, "npx tsc --noEmit")]:
            done = hook(event(n, command))
            self.assertEqual((done.returncode, done.stdout), (0, ""))
        # The two, and the first too if the server, just started, took longer than the hook waits.
        self.assertIn(len(spooled()), (2, 3))

        self.server.start()
        # The next hook sends the spool in the background; this one runs the way `hook-command`
        # says to (`-S`, the file itself), as settings.json would.
        command = subprocess.run(
            [sys.executable, "-m", "pattern_ledger", "hook-command"], env=env, cwd=PACKAGE,
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        self.assertIn(" -S ", command)
        direct = subprocess.run(
            shlex.split(command), input=event(4, "ruff check ."), env=env, capture_output=True,
            text=True, timeout=30,
        )  # fmt: skip
        self.assertEqual((direct.returncode, direct.stdout, direct.stderr), (0, "", ""))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
            spooled() or self.server.count("pattern_ledger.capture_event", where) < 4
        ):
            time.sleep(0.2)
        self.assertEqual(spooled(), [])
        # Each event once, whichever way it arrived (the first may have been spooled too).
        self.assertEqual(self.server.count("pattern_ledger.capture_event", where), 4)

    def test_a_rate_limit_is_waited_out_as_retry_after_says(self) -> None:
        run = run_id()
        limited = self.server.sibling(API_RATE_LIMIT="2")
        limited.start()
        self.addCleanup(limited.stop)
        client = Client(limited.url, self.write_key, spool_dir=self.spool_dir, batch_size=1)
        self.addCleanup(client.close)
        started = time.monotonic()
        for i in range(3):  # the third request of the minute is answered 429 with Retry-After
            client.record_occurrence(f"git:diff:{run}", f"adw-{run}-{i}", similarity=0.8)
        waited = time.monotonic() - started
        self.assertGreater(waited, 55.0)  # Retry-After: the rest of the minute
        self.assertEqual(Spool(self.spool_dir).pending(), [])
        self.assertEqual(
            self.server.count("pattern_occurrences", f"workflow_id LIKE 'adw-{run}-%'"), 3
        )


if __name__ == "__main__":
    unittest.main()
