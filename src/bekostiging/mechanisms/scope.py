"""Which activities and profiles a payment mechanism covers: ids, globs and `group:NAME`."""

from __future__ import annotations

import fnmatch
from typing import Any

from bekostiging.findings import unknown


def resolve_scope(s: Any, scope: list[str] | None) -> tuple[list[str], list[str]]:
    """Activity ids a scope covers (ids, globs, group:NAME), and the entries that match nothing."""
    if scope is None:
        return list(s.activities), []
    covered: dict[str, None] = {}
    unmatched = []
    for entry in scope:
        if entry.startswith("group:"):
            hits = [a for a, act in s.activities.items() if act.group == entry[6:]]
        elif any(c in entry for c in "*?["):
            hits = [a for a in s.activities if fnmatch.fnmatchcase(a, entry)]
        else:
            hits = [entry] if entry in s.activities else []
        if not hits:
            unmatched.append(entry)
        covered.update(dict.fromkeys(hits))
    return list(covered), unmatched


def scope_hint(s: Any, entry: str) -> str:
    """Why a scope entry matches nothing, with a "did you mean"."""
    if entry.startswith("group:"):
        groups = {a.group for a in s.activities.values() if a.group}
        return unknown("group", entry[6:], groups)
    if any(c in entry for c in "*?["):
        return f"'{entry}' matches no activity"
    return unknown("activity", entry, s.activities)
