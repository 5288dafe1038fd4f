"""Send pattern occurrences and savings from AI agents to Pattern Ledger.

    from pattern_ledger import record_occurrence, record_saving, flush

    record_occurrence("test:pytest:backend", "adw-3f9c", similarity=0.92)
    record_saving("pattern_offload", "adw-3f9c", 4200, 300, 0.0117,
                  pattern_signature="test:pytest:backend")
    flush()

Configuration: PATTERN_LEDGER_URL and PATTERN_LEDGER_KEY (an API key with the write scope), or
`Client(url, key)`. See docs/agents.md in the Pattern Ledger repository.
"""

from importlib import import_module
from typing import Any

# Loaded when first used, so that `python -m pattern_ledger hook` (run at every tool call) does
# not pay for the client's imports.
_LAZY = {
    "MAX_BATCH": "client",
    "Client": "client",
    "default_client": "client",
    "flush": "client",
    "record_occurrence": "client",
    "record_pattern_occurrence": "client",
    "record_saving": "client",
    "BatchRefused": "errors",
    "ConfigurationError": "errors",
    "PatternLedgerError": "errors",
    "Unreachable": "errors",
    "characteristics_of": "workflow",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pattern_ledger' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

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
