"""A Claude Code command hook that forwards the event it is given on stdin to Pattern Ledger's
/api/v1/hooks/claude-code, with nothing of the agent changed.

It never blocks or fails a tool call: it prints nothing and always exits 0. It writes stdin to
the spool as it came and returns; a process it forks off (detached from the agent's session and
pipes) reads the spool, drops what is not a JSON object, and sends the rest oldest first, in
batches. While the server is away the events wait, and the next hook sends them. Each event
carries an id and its capture time, so a re-sent event is stored once and at its own time.

Run it as `python3 -S /path/to/pattern_ledger/hook.py` (`python -m pattern_ledger hook-command`
prints that line): `-S` skips site-packages, most of an interpreter's start. So it is one file of
the standard library only, and the hook itself imports nothing but `os`, `sys` and `time`: the
modules that parse and send are imported by the forked process.
"""

from __future__ import annotations

import os
import sys
import time

#: What the server gets to answer where the hook cannot fork (Windows), in seconds.
HOOK_TIMEOUT = 0.06
#: What the server gets to answer the background send, in seconds.
FLUSH_TIMEOUT = 10.0
#: Events sent in one request.
FLUSH_BATCH = 500
PATH = "/api/v1/hooks/claude-code"
#: A spooled hook input: `<time ns>-<capture id>.hook`, holding the workflow id, a newline, stdin.
SUFFIX = ".hook"


def spool_directory() -> str:
    configured = os.environ.get("PATTERN_LEDGER_HOOK_SPOOL")
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "pattern-ledger", "hooks")


def _spool(stdin: bytes, workflow: str) -> None:
    directory = spool_directory()
    os.makedirs(directory, exist_ok=True)
    name = f"{time.time_ns():020d}-{os.urandom(16).hex()}{SUFFIX}"
    temporary = os.path.join(directory, f".{name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(workflow.replace("\n", " ").encode("utf-8") + b"\n" + stdin)
    os.replace(temporary, os.path.join(directory, name))


def forward(stdin: bytes, environ: dict[str, str] | None = None) -> None:
    """Spools one hook input and starts sending the spool."""
    env = dict(os.environ if environ is None else environ)
    if not env.get("PATTERN_LEDGER_URL") or not env.get("PATTERN_LEDGER_KEY"):
        return
    if not stdin.strip():
        return
    _spool(stdin, env.get("PATTERN_LEDGER_WORKFLOW_ID") or env.get("ADW_ID") or "")
    _send_in_background(env)


def _send_in_background(env: dict[str, str]) -> None:
    """Forks off the send and returns at once; where there is no fork, sends within the hook."""
    fork = getattr(os, "fork", None)
    if fork is None:  # pragma: no cover - Windows
        flush(env, HOOK_TIMEOUT)
        return
    if fork() != 0:
        return
    # The child: out of the agent's session and off its pipes (Claude Code waits for them to
    # close), it sends what waits and leaves without running the parent's exit handlers.
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        flush(env)
    finally:
        os._exit(0)


def _waiting(directory: str) -> list[str]:
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    return sorted(
        os.path.join(directory, name)
        for name in names
        if name.endswith(SUFFIX) and not name.startswith(".")
    )


def _event(path: str) -> dict | None:
    """The event a spool file holds, with its id and time; None when it holds no JSON object."""
    import json
    from datetime import datetime, timezone

    with open(path, "rb") as handle:
        workflow, _, stdin = handle.read().partition(b"\n")
    try:
        event = json.loads(stdin.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(event, dict):
        return None
    stamp, _, rest = os.path.basename(path).partition("-")
    event["capture_id"] = rest[: -len(SUFFIX)]
    event["captured_at"] = datetime.fromtimestamp(int(stamp) / 1e9, timezone.utc).isoformat()
    if workflow and "workflow_id" not in event:
        event["workflow_id"] = workflow.decode("utf-8", "replace")
    return event


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


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def flush(environ: dict[str, str] | None = None, timeout: float = FLUSH_TIMEOUT) -> int:
    """Sends the spooled events in batches, oldest first; returns how many were taken.

    One send runs at a time per spool. A hook that finds one running leaves its event to it: the
    running send looks again after it lets go, so an event spooled meanwhile is not left behind.
    """
    import json

    env = os.environ if environ is None else environ
    url, key = env.get("PATTERN_LEDGER_URL"), env.get("PATTERN_LEDGER_KEY")
    if not url or not key:
        return 0
    directory = spool_directory()
    sent = 0
    while True:
        lock = _lock(directory)
        if lock is None:
            return sent
        try:
            while True:
                files = _waiting(directory)[:FLUSH_BATCH]
                if not files:
                    break
                batch, taken = [], []
                for path in files:
                    try:
                        event = _event(path)
                    except OSError:
                        continue
                    if event is None:
                        _remove(path)
                    else:
                        batch.append(event)
                        taken.append(path)
                if batch and not _post(url, key, json.dumps(batch).encode("utf-8"), timeout):
                    return sent
                for path in taken:
                    _remove(path)
                sent += len(batch)
        finally:
            lock.close()
        if not _waiting(directory):
            return sent


def _lock(directory: str):  # noqa: ANN202 - an open file, or None
    """One send at a time per spool (None: another is running)."""
    os.makedirs(directory, exist_ok=True)
    handle = open(os.path.join(directory, ".flush.lock"), "w")  # noqa: SIM115
    try:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # pragma: no cover - Windows: no lock, sends may overlap
        return handle
    except OSError:
        handle.close()
        return None
    return handle


def main(argv: list[str]) -> int:
    """The command: exits 0 whatever happens, and without the interpreter's teardown (a hook's
    time is the agent's)."""
    try:
        if argv and argv[0] == "hook-flush":
            flush()
        else:
            forward(sys.stdin.buffer.read())
    except Exception:  # noqa: BLE001 - whatever happens, the tool call goes on
        pass
    os._exit(0)


def command() -> str:
    """The settings.json command that runs this hook fastest, for this interpreter."""
    return f'"{sys.executable}" -S "{os.path.abspath(__file__)}"'


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
