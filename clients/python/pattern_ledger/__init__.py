"""Send pattern occurrences and savings from AI agents to Pattern Ledger.

    from pattern_ledger import record_occurrence, record_saving, flush

    record_occurrence("test:pytest:backend", "adw-3f9c", similarity=0.92)
    record_saving("pattern_offload", "adw-3f9c", 4200, 300, 0.0117,
                  pattern_signature="test:pytest:backend")
    flush()

Configuration: PATTERN_LEDGER_URL and PATTERN_LEDGER_KEY (an API key with the write scope), or
`Client(url, key)`. See docs/agents.md in the Pattern Ledger repository.
"""

from .client import (
    MAX_BATCH,
    Client,
    default_client,
    flush,
    record_occurrence,
    record_pattern_occurrence,
    record_saving,
)
from .errors import BatchRefused, ConfigurationError, PatternLedgerError, Unreachable
from .workflow import characteristics_of

__all__ = [
    "MAX_BATCH",
    "BatchRefused",
    "Client",
    "ConfigurationError",
    "PatternLedgerError",
    "Unreachable",
    "characteristics_of",
    "default_client",
    "flush",
    "record_occurrence",
    "record_pattern_occurrence",
    "record_saving",
]
