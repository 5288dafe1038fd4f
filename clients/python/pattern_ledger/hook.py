"""`python -m pattern_ledger hook`: a Claude Code command hook that forwards the event it is given
on stdin to Pattern Ledger's /api/v1/hooks/claude-code, with nothing of the agent changed.

It never blocks or fails a tool call: it prints nothing, always exits 0, and gives the server
HOOK_TIMEOUT seconds. An event the server does not take in time (or at all: it is down) is written
to the spool and sent, oldest first and in batches, by a background `python -m pattern_ledger
hook-flush` that the next successful hook starts. Each event carries an id and its capture time,
so a re-sent event is stored once and at its own time.

Only the standard library, and only the few modules it needs (a hook runs at every tool call).
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

#: What the server gets to answer, in seconds; the hook's whole run stays under 0.1 s.
HOOK_TIMEOUT = 0.06
#: Events sent in one request by the flush.
FLUSH_BATCH = 500
PATH = "/api/v1/hooks/claude-code"


def spool_directory() -> str:
    configured = os.environ.get("PATTERN_LEDGER_HOOK_SPOOL")
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "pattern-ledger", "hooks")


def _post(url: str, key: str, body: bytes, timeout: float) -> bool:
    """True when the server took the events (2xx); False for anything else, never raising."""
    import http.client
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.rstrip("/") + PATH)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
        try:
            connection.request(
                "POST",
                parts.path,
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {key}",
                    "User-Agent": "pattern-ledger-hook/1",
                },
            )
            response = connection.getresponse()
            response.read()
            return 200 <= response.status < 300
        finally:
            connection.close()
    except Exception:  # noqa: BLE001 - a hook must never fail the agent's tool call
        return False


def _spool(event: Dict[str, Any]) -> None:
    directory = spool_directory()
    os.makedirs(directory, exist_ok=True)
    name = f"{time.time_ns():020d}-{os.getpid():07d}-{event['capture_id'][:8]}.json"
    temporary = os.path.join(directory, f".{name}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(event, handle, separators=(",", ":"))
    os.replace(temporary, os.path.join(directory, name))


def _waiting(directory: str) -> List[str]:
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    return sorted(
        os.path.join(directory, name)
        for name in names
        if name.endswith(".json") and not name.startswith(".")
    )


def _start_flush() -> None:
    import subprocess

    subprocess.Popen(  # noqa: S603 - our own module, no shell
        [sys.executable, "-m", "pattern_ledger", "hook-flush"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def forward(stdin: bytes, environ: Optional[Dict[str, str]] = None) -> None:
    """Sends one hook input; spools it when the server does not take it."""
    env = os.environ if environ is None else environ
    url, key = env.get("PATTERN_LEDGER_URL"), env.get("PATTERN_LEDGER_KEY")
    if not url or not key:
        return
    try:
        event = json.loads(stdin.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return
    if not isinstance(event, dict):
        return
    event["capture_id"] = uuid.uuid4().hex
    event["captured_at"] = datetime.now(timezone.utc).isoformat()
    workflow = env.get("PATTERN_LEDGER_WORKFLOW_ID") or env.get("ADW_ID")
    if workflow and "workflow_id" not in event:
        event["workflow_id"] = workflow
    body = json.dumps(event, separators=(",", ":")).encode("utf-8")
    if _post(url, key, body, HOOK_TIMEOUT):
        if _waiting(spool_directory()):
            _start_flush()
    else:
        _spool(event)


def flush(environ: Optional[Dict[str, str]] = None) -> int:
    """Sends the spooled events in batches, oldest first; returns how many were taken."""
    env = os.environ if environ is None else environ
    url, key = env.get("PATTERN_LEDGER_URL"), env.get("PATTERN_LEDGER_KEY")
    if not url or not key:
        return 0
    directory = spool_directory()
    lock = _lock(directory)
    if lock is None:
        return 0
    sent = 0
    try:
        while True:
            files = _waiting(directory)[:FLUSH_BATCH]
            if not files:
                return sent
            events = []
            for path in files:
                try:
                    with open(path, encoding="utf-8") as handle:
                        events.append(json.load(handle))
                except (OSError, ValueError):
                    events.append(None)
            batch = [event for event in events if isinstance(event, dict)]
            if batch and not _post(url, key, json.dumps(batch).encode("utf-8"), 10.0):
                return sent
            for path in files:
                try:
                    os.remove(path)
                except FileNotFoundError:
                    pass
            sent += len(batch)
    finally:
        lock.close()


def _lock(directory: str) -> Optional[Any]:
    """One flush at a time per spool (None: another is running)."""
    os.makedirs(directory, exist_ok=True)
    handle = open(os.path.join(directory, ".flush.lock"), "w")  # noqa: SIM115
    try:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # pragma: no cover - Windows: no lock, flushes may overlap
        return handle
    except OSError:
        handle.close()
        return None
    return handle


def main(argv: List[str]) -> int:
    try:
        if argv and argv[0] == "hook-flush":
            flush()
        else:
            forward(sys.stdin.buffer.read())
    except Exception:  # noqa: BLE001 - whatever happens, the tool call goes on
        pass
    return 0
