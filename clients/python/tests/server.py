"""A real Pattern Ledger for the client's tests: the production build (`.next-e2e`, built when
missing) on a fresh PostgreSQL database made on TEST_DATABASE_URL's server, with API keys
inserted as an admin's would be. It can be stopped and started again on the same port."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional
from urllib.parse import urlsplit, urlunsplit

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BUILD = os.environ.get("PATTERN_LEDGER_BUILD", ".next-e2e")
AUTH_SECRET = "python-client-tests-secret-0123456789abcdef"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, admin_url: str) -> None:
        self.database = f"pl_python_{os.getpid()}_{secrets.token_hex(3)}"
        self.admin_url = _with_database(admin_url, "postgres")
        self.database_url = _with_database(admin_url, self.database)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: Optional[subprocess.Popen] = None
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "AUTH_SECRET": AUTH_SECRET,
            "NEXT_DIST_DIR": BUILD,
            "NEXT_TELEMETRY_DISABLED": "1",
            "WEB_CONCURRENCY": "1",
        }

    def sibling(self, **settings: str) -> "Server":
        """Another server process on the same database, on a port of its own, with `settings`
        (environment variables) added; start and stop it, never drop it."""
        other = Server.__new__(Server)
        other.__dict__.update(self.__dict__)
        other.port = _free_port()
        other.url = f"http://127.0.0.1:{other.port}"
        other.process = None
        other.env = {**self.env, **settings}
        return other

    # -------------------------------------------------------------------------- database

    def psql(self, statement: str, url: Optional[str] = None) -> str:
        done = subprocess.run(
            ["psql", url or self.database_url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
             "-c", statement],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout.strip()

    def count(self, table: str, where: str = "TRUE") -> int:
        return int(self.psql(f"SELECT count(*) FROM {table} WHERE {where}"))

    def create(self) -> None:
        self.psql(f'CREATE DATABASE "{self.database}"', self.admin_url)
        subprocess.run(
            ["npx", "tsx", "scripts/migrate.ts"], cwd=REPO, env=self.env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        if not os.path.exists(os.path.join(REPO, BUILD, "BUILD_ID")):
            subprocess.run(["npm", "run", "build"], cwd=REPO, env=self.env, check=True)

    def drop(self) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)', self.admin_url)

    def viewer_password(self) -> str:
        """Creates a viewer account (npm run user:create) and returns its password."""
        done = subprocess.run(
            ["npm", "run", "--silent", "user:create", "--", "--email", "viewer@python.tests",
             "--role", "viewer", "--generate"],
            cwd=REPO, env=self.env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout.strip().rsplit(" ", 1)[-1]

    def page(self, path: str, email: str, password: str) -> str:
        """A page's HTML as a signed-in person gets it."""
        sign_in = urllib.request.Request(
            f"{self.url}/api/auth/sign-in/email",
            data=json.dumps({"email": email, "password": password}).encode(),
            headers={"Content-Type": "application/json", "Origin": self.url},
            method="POST",
        )
        with urllib.request.urlopen(sign_in, timeout=30) as response:
            cookies = "; ".join(
                value.split(";", 1)[0] for value in response.headers.get_all("Set-Cookie") or []
            )
        request = urllib.request.Request(self.url + path, headers={"Cookie": cookies})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()

    def api_key(self, scope: str = "write") -> str:
        """A new key, stored as the admin page stores one (its SHA-256 digest and prefix)."""
        key = "pl_" + secrets.token_urlsafe(32)
        digest = hashlib.sha256(key.encode()).hexdigest()
        self.psql(
            "INSERT INTO pattern_ledger.api_key (name, prefix, key_hash, scope, created_by) "
            f"VALUES ('python tests', '{key[:9]}', '{digest}', '{scope}', 'tests')"
        )
        return key

    # -------------------------------------------------------------------------- process

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["node", "scripts/start.mjs", "--hostname", "127.0.0.1", "--port", str(self.port)],
            cwd=REPO, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/api/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer on {self.url} within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def get(self, path: str, key: str) -> Dict[str, Any]:
        request = urllib.request.Request(
            self.url + path, headers={"Authorization": f"Bearer {key}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def pattern_rows(self, key: str, search: str) -> List[Dict[str, Any]]:
        """The leaderboard rows the /patterns page shows for signatures containing `search`."""
        return self.get(f"/api/v1/patterns?range=all&size=100&q={search}", key)["patterns"]
