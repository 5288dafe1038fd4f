"""The local spool: a file per batch the server could not take yet, sent later in order.

A batch is written to a temporary file, flushed to disk and then renamed into place, so a crash
leaves either the whole batch or nothing. Each file keeps the batch's Idempotency-Key: if the
agent crashes after the server stored a batch but before its file was removed, sending the file
again returns the first answer and writes nothing twice (the server remembers a key for 24 hours).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
import time
from typing import Any, Dict, Iterator, List, Optional

try:  # Unix: one process at a time sends a spool.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_counter = itertools.count()
_lock = threading.Lock()


class Spool:
    """Batches waiting in `directory`, oldest first. Refused ones move to `refused/`."""

    def __init__(self, directory: str) -> None:
        self.directory = os.path.abspath(directory)
        os.makedirs(self.directory, exist_ok=True)

    def put(self, endpoint: str, idempotency_key: str, items: List[Dict[str, Any]]) -> str:
        """Stores a batch durably; returns its file's path."""
        with _lock:
            sequence = next(_counter)
        name = f"{time.time_ns():020d}-{os.getpid():07d}-{sequence:06d}-{endpoint}.json"
        path = os.path.join(self.directory, name)
        temporary = os.path.join(self.directory, f".{name}.tmp")
        record = {"endpoint": endpoint, "idempotency_key": idempotency_key, "items": items}
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(record, handle, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        self._sync_directory()
        return path

    def pending(self) -> List[str]:
        """The spooled batches' files, oldest first."""
        return sorted(
            os.path.join(self.directory, name)
            for name in os.listdir(self.directory)
            if name.endswith(".json") and not name.startswith(".")
        )

    @staticmethod
    def read(path: str) -> Dict[str, Any]:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)

    def done(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
        self._sync_directory()

    def refuse(self, path: str) -> str:
        """Moves a batch the server refused aside (kept for a person to look at); returns its path."""
        refused = os.path.join(self.directory, "refused")
        os.makedirs(refused, exist_ok=True)
        target = os.path.join(refused, os.path.basename(path))
        os.replace(path, target)
        self._sync_directory()
        return target

    @contextlib.contextmanager
    def exclusive(self, wait: bool = True) -> Iterator[bool]:
        """Holds the spool's lock while sending it; yields False when another process holds it."""
        if fcntl is None:  # pragma: no cover - Windows
            yield True
            return
        with open(os.path.join(self.directory, ".lock"), "a+") as lock:
            flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
            try:
                fcntl.flock(lock, flags)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _sync_directory(self) -> None:
        if not hasattr(os, "O_DIRECTORY"):  # pragma: no cover - Windows
            return
        descriptor: Optional[int] = None
        try:
            descriptor = os.open(self.directory, os.O_RDONLY | os.O_DIRECTORY)
            os.fsync(descriptor)
        except OSError:
            pass
        finally:
            if descriptor is not None:
                os.close(descriptor)
