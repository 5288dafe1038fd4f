"""The client: batches records, sends them with retries, and spools what cannot be sent."""

from __future__ import annotations

import atexit
import json
import os
import random
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from .errors import BatchRefused, ConfigurationError, PatternLedgerError, Unreachable
from .spool import Spool
from .workflow import characteristics_of, pattern_type_of, workflow_id_of

#: The API's largest batch (MAX_BATCH_ITEMS in lib/api/ingest-schemas.ts).
MAX_BATCH = 1000
#: The longest pause between two tries of a batch (a Retry-After above it is cut to it).
MAX_WAIT = 120.0
#: The similarity the real writer stores for a matched pattern (its 0–100 scale).
REAL_WRITER_SIMILARITY = 100.0

Time = Union[datetime, str, None]
Answer = Dict[str, Any]

ENDPOINTS = {"occurrences": "/api/v1/occurrences", "savings": "/api/v1/savings"}


def _iso(value: Time) -> Optional[str]:
    """An ISO 8601 time with its zone; a naive datetime is taken as UTC."""
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def _without_none(record: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in record.items() if value is not None}


class Client:
    """Sends occurrences and savings to one Pattern Ledger server.

    Records wait in memory and go in batches: when `batch_size` are waiting, when the oldest has
    waited `flush_interval` seconds (a background thread sends it), on `flush()` and at exit. Each
    batch carries an Idempotency-Key kept across its retries. 429 (after its Retry-After), 5xx and
    network errors are retried with backoff; a 400 is raised as BatchRefused naming the bad item
    and never retried. A batch the server cannot take after the retries is written to the spool
    (`spool_dir`) and sent, in order, before anything newer, by the next batch or by
    `python -m pattern_ledger flush`.
    """

    def __init__(
        self,
        url: Optional[str] = None,
        key: Optional[str] = None,
        *,
        spool_dir: Optional[str] = None,
        batch_size: int = MAX_BATCH,
        flush_interval: float = 2.0,
        retries: int = 4,
        backoff: float = 0.25,
        timeout: float = 30.0,
        pause_after_failure: float = 5.0,
    ) -> None:
        url = url or os.environ.get("PATTERN_LEDGER_URL")
        key = key or os.environ.get("PATTERN_LEDGER_KEY")
        if not url or not key:
            raise ConfigurationError(
                "Set PATTERN_LEDGER_URL and PATTERN_LEDGER_KEY, or pass url and key."
            )
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
        self.url = url.rstrip("/")
        self.key = key
        self.spool = Spool(
            spool_dir
            or os.environ.get("PATTERN_LEDGER_SPOOL")
            or os.path.join(tempfile.gettempdir(), "pattern-ledger-spool")
        )
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.pause_after_failure = pause_after_failure
        self._pending: Dict[str, List[Dict[str, Any]]] = {"occurrences": [], "savings": []}
        self._oldest: Dict[str, Optional[float]] = {"occurrences": None, "savings": None}
        self._lock = threading.RLock()
        self._down_until = 0.0
        self._background_error: Optional[PatternLedgerError] = None
        self._closed = threading.Event()
        self._timer = threading.Thread(target=self._flush_by_time, daemon=True)
        self._timer.start()
        atexit.register(self.close)

    # ------------------------------------------------------------------------------ recording

    def record_occurrence(
        self,
        signature: str,
        workflow_id: str,
        similarity: Optional[float] = None,
        characteristics: Any = None,
        detected_at: Time = None,
        pattern_type: Optional[str] = None,
    ) -> None:
        """Queues one occurrence. `similarity` defaults to the real writer's 100.0; a new
        signature creates its pattern (type: the part before the first colon)."""
        self._add(
            "occurrences",
            _without_none(
                {
                    "pattern_signature": signature,
                    "pattern_type": pattern_type,
                    "workflow_id": workflow_id,
                    "similarity_score": REAL_WRITER_SIMILARITY if similarity is None else similarity,
                    "matched_characteristics": characteristics,
                    "detected_at": _iso(detected_at),
                }
            ),
        )

    def record_saving(
        self,
        optimization_type: str,
        workflow_id: str,
        baseline_tokens: int,
        actual_tokens: int,
        cost_saved_usd: float,
        *,
        tokens_saved: Optional[int] = None,
        pattern_id: Optional[int] = None,
        pattern_signature: Optional[str] = None,
        tool_call_id: Optional[str] = None,
        notes: Optional[str] = None,
        saved_at: Time = None,
    ) -> None:
        """Queues one savings entry (`optimization_type`: pattern_offload, tool_call,
        input_split or inverted_flow). `tokens_saved` is derived when not given."""
        self._add(
            "savings",
            _without_none(
                {
                    "optimization_type": optimization_type,
                    "workflow_id": workflow_id,
                    "baseline_tokens": baseline_tokens,
                    "actual_tokens": actual_tokens,
                    "tokens_saved": tokens_saved,
                    "cost_saved_usd": cost_saved_usd,
                    "pattern_id": pattern_id,
                    "pattern_signature": pattern_signature,
                    "tool_call_id": tool_call_id,
                    "notes": notes,
                    "saved_at": _iso(saved_at),
                }
            ),
        )

    def record_pattern_occurrence(
        self, pattern_signature: str, workflow_data: Mapping[str, Any]
    ) -> Tuple[Optional[int], bool]:
        """The real writer's call, at once rather than batched: records that the workflow
        matched the pattern and answers (pattern id, whether this created the pattern). When
        the server cannot be reached the occurrence is spooled and the answer is (None, False)."""
        item = {
            "pattern_signature": pattern_signature,
            "pattern_type": pattern_type_of(pattern_signature),
            "workflow_id": workflow_id_of(workflow_data),
            "similarity_score": REAL_WRITER_SIMILARITY,
            "matched_characteristics": characteristics_of(workflow_data),
        }
        answer = self._deliver("occurrences", [item])
        if answer is None:
            return None, False
        return answer["pattern_ids"][0], pattern_signature in answer["patterns_created"]

    # ------------------------------------------------------------------------------ sending

    def flush(self) -> None:
        """Sends everything waiting in memory and in the spool; raises what went wrong."""
        self._raise_background_error()
        for endpoint in ENDPOINTS:
            while True:
                with self._lock:
                    batch = self._take(endpoint)
                if not batch:
                    break
                self._deliver(endpoint, batch)
        self.send_spool()

    def send_spool(self) -> int:
        """Sends the spooled batches, oldest first; returns how many were sent. Stops at the
        first that cannot be sent (raising Unreachable); a refused one moves to `refused/` and
        raises BatchRefused."""
        sent = 0
        with self.spool.exclusive():
            for path in self.spool.pending():
                batch = self.spool.read(path)
                try:
                    self._send(batch["endpoint"], batch["idempotency_key"], batch["items"])
                except BatchRefused:
                    self.spool.refuse(path)
                    raise
                self.spool.done(path)
                sent += 1
        return sent

    def close(self) -> None:
        """Sends what is waiting (spooling what cannot go) and stops the background thread."""
        if self._closed.is_set():
            return
        self._closed.set()
        try:
            self.flush()
        except PatternLedgerError:
            pass

    # ------------------------------------------------------------------------------ internals

    def _add(self, endpoint: str, record: Dict[str, Any]) -> None:
        self._raise_background_error()
        with self._lock:
            pending = self._pending[endpoint]
            pending.append(record)
            if self._oldest[endpoint] is None:
                self._oldest[endpoint] = time.monotonic()
            batch = self._take(endpoint) if len(pending) >= self.batch_size else None
        if batch:
            self._deliver(endpoint, batch)

    def _take(self, endpoint: str) -> List[Dict[str, Any]]:
        pending = self._pending[endpoint]
        batch, self._pending[endpoint] = pending[: self.batch_size], pending[self.batch_size :]
        self._oldest[endpoint] = time.monotonic() if self._pending[endpoint] else None
        return batch

    def _flush_by_time(self) -> None:
        while not self._closed.wait(min(self.flush_interval, 0.5)):
            for endpoint in ENDPOINTS:
                with self._lock:
                    oldest = self._oldest[endpoint]
                    due = oldest is not None and time.monotonic() - oldest >= self.flush_interval
                    batch = self._take(endpoint) if due else []
                if batch:
                    try:
                        self._deliver(endpoint, batch)
                    except PatternLedgerError as error:
                        self._background_error = error

    def _raise_background_error(self) -> None:
        error, self._background_error = self._background_error, None
        if error is not None:
            raise error

    def _deliver(self, endpoint: str, items: List[Dict[str, Any]]) -> Optional[Answer]:
        """Sends one new batch after whatever is spooled; spools it when the server cannot take
        it. Returns the server's answer, or None when the batch was spooled."""
        key = str(uuid.uuid4())
        with self._lock:
            if time.monotonic() < self._down_until:
                self.spool.put(endpoint, key, items)
                return None
            try:
                if self.spool.pending():
                    try:
                        self.send_spool()
                    except BatchRefused as refused:
                        # An older batch's refusal: said on the next call; this batch goes on.
                        self._background_error = refused
                return self._send(endpoint, key, items)
            except Unreachable:
                self._down_until = time.monotonic() + self.pause_after_failure
                self.spool.put(endpoint, key, items)
                return None
            except ConfigurationError:
                # A key the server does not take: keep the batch for when it is fixed.
                self.spool.put(endpoint, key, items)
                raise

    def _send(self, endpoint: str, key: str, items: List[Dict[str, Any]]) -> Answer:
        """One batch, retried on 429, 5xx and network errors with the same Idempotency-Key."""
        body = json.dumps({endpoint: items}, separators=(",", ":"), allow_nan=False).encode()
        last = "no attempt"
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(
                self.url + ENDPOINTS[endpoint],
                data=body,
                method="POST",
                headers={
                    "Authorization": f"Bearer {self.key}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                },
            )
            wait = self.backoff * 2**attempt * (0.5 + random.random())
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read() or b"{}")
            except urllib.error.HTTPError as error:
                payload = _json_of(error)
                message = str(payload.get("error", error.reason))
                if error.code in (401, 403):
                    raise ConfigurationError(f"{error.code}: {message}") from None
                if error.code == 429 or error.code >= 500:
                    retry_after = error.headers.get("Retry-After")
                    if error.code == 429 and retry_after and retry_after.isdigit():
                        # The server says when: wait that long (a minute at most by its limit).
                        wait = max(wait, float(retry_after))
                    last = f"{error.code} {message}"
                else:
                    raise BatchRefused(error.code, message, payload.get("issues", []), items) from None
            except (urllib.error.URLError, socket.timeout, ConnectionError, OSError) as error:
                last = f"{type(error).__name__}: {getattr(error, 'reason', error)}"
            if attempt < self.retries:
                time.sleep(min(wait, MAX_WAIT))
        raise Unreachable(f"{self.url} did not take the batch ({last})")


def _json_of(error: urllib.error.HTTPError) -> Dict[str, Any]:
    try:
        payload = json.loads(error.read() or b"{}")
        return payload if isinstance(payload, dict) else {}
    except ValueError:
        return {}


# ---------------------------------------------------------------------------- module functions

_default: Optional[Client] = None
_default_lock = threading.Lock()


def default_client() -> Client:
    """The client the module functions use, configured from the environment on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Client()
        return _default


def record_occurrence(
    signature: str,
    workflow_id: str,
    similarity: Optional[float] = None,
    characteristics: Any = None,
    detected_at: Time = None,
) -> None:
    """Queues one occurrence on the default client (see Client.record_occurrence)."""
    default_client().record_occurrence(
        signature, workflow_id, similarity, characteristics, detected_at
    )


def record_saving(
    optimization_type: str,
    workflow_id: str,
    baseline_tokens: int,
    actual_tokens: int,
    cost_saved_usd: float,
    **extra: Any,
) -> None:
    """Queues one savings entry on the default client (see Client.record_saving)."""
    default_client().record_saving(
        optimization_type, workflow_id, baseline_tokens, actual_tokens, cost_saved_usd, **extra
    )


def record_pattern_occurrence(
    pattern_signature: str, workflow_data: Mapping[str, Any]
) -> Tuple[Optional[int], bool]:
    """Drop-in for the real writer: (pattern id, whether it is new); see the Client method."""
    return default_client().record_pattern_occurrence(pattern_signature, workflow_data)


def flush() -> None:
    """Sends everything the default client holds."""
    default_client().flush()
