"""What the client raises."""

from __future__ import annotations

from typing import Any, Dict, List, Optional


class PatternLedgerError(Exception):
    """Anything the client could not do."""


class ConfigurationError(PatternLedgerError):
    """No server URL or API key, or a key the server does not accept (401/403)."""


class Unreachable(PatternLedgerError):
    """The server did not answer (or answered 429/5xx) after every retry; the batch is spooled."""


class BatchRefused(PatternLedgerError):
    """The server refused a batch whole (400): nothing of it was written. Never retried.

    `issues` lists every problem the server named: `item` (the index in the batch, None for the
    batch itself), `field` and `message`; `items` are the records that were sent.
    """

    def __init__(
        self,
        status: int,
        message: str,
        issues: List[Dict[str, Any]],
        items: List[Dict[str, Any]],
    ) -> None:
        self.status = status
        self.issues = issues
        self.items = items
        super().__init__(self._describe(message))

    def _describe(self, message: str) -> str:
        lines = [f"Pattern Ledger refused the batch ({self.status}): {message}"]
        for issue in self.issues:
            index: Optional[int] = issue.get("item")
            where = "the batch" if index is None else f"item {index}"
            if index is not None and 0 <= index < len(self.items):
                record = self.items[index]
                name = record.get("pattern_signature") or record.get("optimization_type")
                where += f" ({name}, workflow {record.get('workflow_id')})"
            field = f" {issue['field']}" if issue.get("field") else ""
            lines.append(f"  {where}{field}: {issue.get('message')}")
        return "\n".join(lines)
