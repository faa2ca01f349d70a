"""Dotted paths into scenario data (`activities.kz_uur.tariff`, `profiles.*.clients`).

Effects, `--set`-style uncertain parameters and draws all address inputs this way; one
matcher and one hint keep them reading the same path the same way.
"""

from __future__ import annotations

from typing import Any

from bekostiging.findings import unknown


def reach(node: Any, segments: list[str]) -> list[tuple[Any, Any]]:
    """Every (container, key) the dotted pattern reaches; `*` is any key or index."""
    if not segments:
        return []
    head, rest = segments[0], segments[1:]
    if isinstance(node, dict):
        keys = list(node) if head == "*" else ([head] if head in node else [])
    elif isinstance(node, list):
        if head == "*":
            keys = list(range(len(node)))
        elif head.isdigit() and int(head) < len(node):
            keys = [int(head)]
        else:
            keys = []
    else:
        return []
    if not rest:
        return [(node, k) for k in keys]
    found = []
    for k in keys:
        found += reach(node[k], rest)
    return found


def hint(data: dict[str, Any], segments: list[str]) -> str:
    """Name the first segment that leads nowhere, with a 'did you mean'."""
    activities = data.get("activities", {})
    is_path = len(segments) == 4 and segments[0] == "profiles" and segments[2] == "path"
    if is_path and segments[3] != "*" and segments[3] not in activities:
        return f": {unknown('activity', segments[3], activities)}"
    node: Any = data
    for i, seg in enumerate(segments):
        if seg == "*":
            return ""
        if isinstance(node, dict):
            if seg not in node:
                where = ".".join(segments[:i]) or "the scenario"
                return f": {unknown('key', seg, [str(k) for k in node])} in {where}"
            node = node[seg]
        elif isinstance(node, list):
            if not seg.isdigit() or int(seg) >= len(node):
                return f": '{'.'.join(segments[:i])}' has {len(node)} entries, no '{seg}'"
            node = node[int(seg)]
        else:
            return ""
    return ""
