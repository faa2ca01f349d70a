"""`--set PATH=VALUE`: override inputs from the command line, validated like the file.

The override is written into the raw data before validation, so every rule (types,
ranges, money with 2 decimals, references) applies to it, and a finding about it names
`--set` as its source. VALUE is read as a TOML value (`65`, `0.95`, `true`, `"tekst"`,
`[1, 2]`); anything that is not valid TOML is taken as plain text, and so is a value
given for an input that holds text (`scenario.name=2025` is the name "2025"). A bad value
is one finding located at `--set`: the checks leave out the entry it broke, and so do
the checks of paths that name it (effects, [uncertainty]). A value that is a table (a
whole entry, `activities.x={tariff=1}`) is `--set`'s in every key, so its problems name
`--set` too. The includes are read with the files, before any override: `--set` cannot
change them (`scenario.include`), and says so.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from bekostiging.findings import Finding, unknown
from bekostiging.scenario.toml_files import Key, SourceTree, _record, too_deep

SOURCE = "--set"


def parse_assignment(text: str) -> tuple[str, Any] | None:
    """`"a.b=1"` -> ("a.b", Decimal or int or ...); None when there is no `=`."""
    if "=" not in text:
        return None
    path, raw = (part.strip() for part in text.split("=", 1))
    return path, parse_value(raw)


def parse_value(raw: str) -> Any:
    """A TOML value (`65`, `0.95`, `true`, `"tekst"`, `[1, 2]`), or else the text itself.

    An integer too long for Python to read is read as a `Decimal` (validation says it is
    too large); a value nested deeper than a file may be is text (validation says what it
    should be)."""
    text = raw.strip()
    try:
        value = tomllib.loads(f"v = {text}", parse_float=Decimal)["v"]
    except tomllib.TOMLDecodeError:
        return text
    except RecursionError:
        return text
    except ValueError:  # an integer of more than 4,300 digits
        return Decimal(text.replace("_", "")) if _INTEGER.fullmatch(text) else text
    return text if too_deep(value) is not None else value


_INTEGER = re.compile(r"[+-]?\d(_?\d)*")


def apply_overrides(
    tree: SourceTree, assignments: Sequence[str] | Mapping[str, Any], source: str = SOURCE
) -> None:
    """Write each override into the tree; problems become findings of `source`.

    `assignments` are `PATH=VALUE` texts (`--set`), or a mapping of path to value (the
    Python API): a `Decimal`, `int`, `bool` or list as it is, a `str` read as `--set` reads
    VALUE. A float is refused: it cannot say which decimal it stands for.
    """
    triples: list[tuple[str, Any, str | None]] = []  # path, value, the text it was read from
    if isinstance(assignments, Mapping):
        for path, value in assignments.items():
            if isinstance(value, float):
                tree.findings.append(
                    Finding(source, path, f"{value!r} is a float; give a Decimal, an int or a str")
                )
            elif isinstance(value, str):
                triples.append((path, parse_value(value), value.strip()))
            else:
                triples.append((path, value, None))
    else:
        for text in assignments:
            parsed = parse_assignment(text)
            if parsed is None or not parsed[0]:
                tree.findings.append(
                    Finding(source, text, "expected PATH=VALUE, e.g. activities.kz_uur.tariff=65")
                )
            else:
                triples.append((*parsed, text.split("=", 1)[1].strip()))
    for path, value, raw in triples:
        _assign(tree, path, value, raw, source)


def _assign(tree: SourceTree, path: str, value: Any, raw: str | None, source: str) -> None:
    segments = path.split(".")
    targets = _parents(tree.data, segments[:-1])
    if isinstance(targets, str):
        tree.findings.append(Finding(source, path, targets))
        return
    for parent, where in targets:
        key: Any = segments[-1]
        if isinstance(parent, list):
            if not key.isdigit() or int(key) >= len(parent):
                tree.findings.append(Finding(source, path, f"'{key}' is not an index of {where}"))
                continue
            key = int(key)
        at = (*where, key)
        if _changes_includes(at, value):
            tree.findings.append(Finding(source, "scenario.include", NO_INCLUDES))
            continue
        current = parent[key] if isinstance(parent, list) else parent.get(key)
        # A text written where a text stands (`scenario.name=2025`) is that text, not a number.
        text_for_text = isinstance(current, str) and not isinstance(value, str) and raw is not None
        parent[key] = raw if text_for_text else value
        _forget(tree, at, current)
        _record(tree, at, parent[key], source)


NO_INCLUDES = (
    "--set cannot change the includes: they are read with the files, before any override;"
    " write the include in the scenario file"
)


def _changes_includes(at: Key, value: Any) -> bool:
    """`scenario.include`, or a whole `[scenario]` table with one."""
    if at == ("scenario", "include"):
        return True
    if at == ("scenario",):
        return isinstance(value, dict) and "include" in value
    return False


def _forget(tree: SourceTree, at: Key, old: Any) -> None:
    """Drop the origins of what an override replaced (its keys name no file any more)."""
    stack = [(at, old)]
    while stack:
        path, node = stack.pop()
        tree.origins.pop(path, None)
        if isinstance(node, dict):
            stack += [((*path, k), v) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [((*path, i), v) for i, v in enumerate(node)]


def _parents(data: Any, segments: list[str]) -> list[tuple[Any, tuple]] | str:
    """The containers a dotted prefix reaches (`*` matches every key), or why none."""
    nodes: list[tuple[Any, tuple]] = [(data, ())]
    for seg in segments:
        following = []
        for node, where in nodes:
            if isinstance(node, dict):
                keys = list(node) if seg == "*" else [seg] if seg in node else []
                following += [(node[k], (*where, k)) for k in keys]
            elif isinstance(node, list):
                keys = (
                    range(len(node))
                    if seg == "*"
                    else [int(seg)]
                    if seg.isdigit() and int(seg) < len(node)
                    else []
                )
                following += [(node[k], (*where, k)) for k in keys]
        if not following:
            scope = nodes[0][0]
            here = ".".join(map(str, nodes[0][1])) or "the scenario"
            candidates = list(scope) if isinstance(scope, dict) else []
            return f"matches nothing: {unknown('key', seg, candidates)} in {here}"
        nodes = following
    return [(n, w) for n, w in nodes if isinstance(n, dict | list)] or "does not lead to a table"
