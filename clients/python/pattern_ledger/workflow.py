"""How the real writer turns a workflow into an occurrence (tac-webbuilder's
`record_pattern_occurrence(pattern_signature, workflow)`): the workflow id, the pattern type from
the signature, similarity 100.0, and the matched characteristics with the keys its rows hold:
input_length, keywords, files_mentioned, duration_range, complexity and error_count."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional

#: Words of a request that say what kind of work it is (the pattern categories' own words).
KEYWORDS = (
    "test", "pytest", "vitest", "jest", "build", "typecheck", "compile", "bundle", "lint",
    "format", "prettier", "black", "eslint", "ruff", "deploy", "ship", "fix", "bug", "docs",
    "review", "refactor", "deps", "update", "git", "diff", "migrate", "release",
)  # fmt: skip

_FILE = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.[A-Za-z][A-Za-z0-9]{0,5})(?![\w/])")


def pattern_type_of(signature: str) -> str:
    """The part of the signature before its first colon: `test` for `test:pytest:backend`."""
    return signature.split(":", 1)[0]


def workflow_id_of(workflow: Mapping[str, Any]) -> str:
    """The id occurrences refer to: `adw_id`, else `workflow_id`."""
    for key in ("adw_id", "workflow_id"):
        value = workflow.get(key)
        if value:
            return str(value)
    raise ValueError("workflow_data needs an adw_id (or a workflow_id)")


def duration_range(seconds: Optional[float]) -> str:
    """short (under a minute), medium (under five), long; unknown without a duration."""
    if seconds is None:
        return "unknown"
    if seconds < 60:
        return "short"
    return "medium" if seconds < 300 else "long"


def _error_count(workflow: Mapping[str, Any]) -> int:
    if isinstance(workflow.get("error_count"), int):
        return int(workflow["error_count"])
    errors = workflow.get("errors")
    return len(errors) if isinstance(errors, (list, tuple)) else 0


def characteristics_of(workflow: Mapping[str, Any]) -> Dict[str, Any]:
    """The matched characteristics of a workflow, from its request text, duration and errors."""
    text = str(workflow.get("nl_input") or "")
    words = set(re.findall(r"[a-z]+", text.lower()))
    keywords: List[str] = [word for word in KEYWORDS if word in words]
    files = list(dict.fromkeys(match.group(1) for match in _FILE.finditer(text)))
    seconds = workflow.get("duration_seconds")
    duration = duration_range(float(seconds) if isinstance(seconds, (int, float)) else None)
    errors = _error_count(workflow)
    if errors > 2 or duration == "long" or len(files) > 5:
        complexity = "complex"
    elif errors > 0 or duration == "medium" or len(text) > 500:
        complexity = "moderate"
    else:
        complexity = "simple"
    return {
        "input_length": len(text),
        "keywords": keywords,
        "files_mentioned": files,
        "duration_range": duration,
        "complexity": complexity,
        "error_count": errors,
    }
