"""What changed between two versions of a scenario's inputs (`bekostiging diff`).

Both sides are compared as the merged source data (`SourceTree.data`: every include read,
any `--set` applied), the data `--set` writes into: so every path is one a user can write
in `--set PATH=VALUE` (`activities.kz_uur.tariff`, `variants.igo.mechanisms.0.floor`).
The include list itself (`scenario.include`) is not an input: what the files bring is
compared key by key, and each changed value names the file that sets it (`set_in`), so
a value moved to another file, or a tariff table renamed, shows only where a value
differs. Tables are walked key by key; an array of tables (`[[expect]]`, a variant's mechanisms)
entry by entry, by index; any other value (a number, a text, a list of numbers) is one
leaf. A key on one side only is an added or removed input, shown with the other side
empty. Values are compared as values (`0.2` and `0.20` are the same number) and shown as
TOML writes them (`110.00`, `"tekst"`, `[1, 2]`, `true`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from bekostiging.scenario.toml_files import Key, SourceTree


@dataclass(frozen=True)
class Change:
    """One input that differs: its dotted path, the old and new values as TOML text (None
    where the side does not have it), and the file that set it (the new side's, or the old
    side's for a removed input)."""

    path: str
    old: str | None
    new: str | None
    set_in: str

    def row(self) -> dict[str, str | None]:
        """The row of the `inputs` table."""
        return {"path": self.path, "old": self.old, "new": self.new, "set_in": self.set_in}


#: Not an input: how the files are put together (`--set` cannot change it either).
INCLUDES: Key = ("scenario", "include")


def leaves(data: Any, at: Key = ()) -> dict[Key, Any]:
    """Every leaf of `data` by its key path, in the order written (tables by key, arrays
    of tables by index), the include list left out."""
    found: dict[Key, Any] = {}
    stack: list[tuple[Key, Any]] = [(at, data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict) and node:
            stack += [((*path, k), v) for k, v in reversed(node.items())]
        elif _tables(node):
            stack += [((*path, i), v) for i, v in reversed(list(enumerate(node)))]
        elif path and path != INCLUDES:
            found[path] = node
    return found


def _tables(node: Any) -> bool:
    """An array of tables (walked by index): a non-empty list holding a table."""
    return isinstance(node, list) and any(isinstance(v, dict) for v in node)


def changes(old: SourceTree, new: SourceTree) -> list[Change]:
    """Every input that differs between `old` and `new`, in the order the files write them
    (the old side's order, an added input where the new side has it)."""
    before, after = leaves(old.data), leaves(new.data)
    found = []
    for key in _union(list(before), list(after)):
        a, b = before.get(key, _MISSING), after.get(key, _MISSING)
        if a is not _MISSING and b is not _MISSING and same(a, b):
            continue
        where = new.file_of(key) if b is not _MISSING else old.file_of(key)
        found.append(
            Change(dotted(key), None if a is _MISSING else toml(a), None if b is _MISSING else toml(b), where)
        )
    return found


def every_input(tree: SourceTree, side: str) -> list[Change]:
    """Every input of a scenario that only one side has (`side`: `old` or `new`)."""
    return [
        Change(
            dotted(key),
            toml(value) if side == "old" else None,
            toml(value) if side == "new" else None,
            tree.file_of(key),
        )
        for key, value in leaves(tree.data).items()
    ]


_MISSING = object()


def _union(before: list[Key], after: list[Key]) -> list[Key]:
    """The keys of both sides: the old side's order, each added key after the key the new
    side writes before it (so an added entry stands beside its neighbours)."""
    seen = set(before)
    order = list(before)
    position = {key: i for i, key in enumerate(order)}
    inserted: list[tuple[int, int, Key]] = []
    anchor = -1
    for n, key in enumerate(after):
        if key in seen:
            anchor = position[key]
        else:
            inserted.append((anchor, n, key))
    merged: list[tuple[int, int, Key]] = [(i, -1, key) for i, key in enumerate(order)] + inserted
    return [key for _, _, key in sorted(merged, key=lambda item: (item[0], item[1]))]


def dotted(key: Key) -> str:
    return ".".join(str(k) for k in key)


def same(a: Any, b: Any) -> bool:
    """Equal as inputs: numbers by value (`0.2` = `0.20`, `1` = `1.0`), a boolean only to a
    boolean, anything else by type and value."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | Decimal) and isinstance(b, int | Decimal):
        a, b = Decimal(a), Decimal(b)
        return str(a) == str(b) if a.is_nan() or b.is_nan() else a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def toml(value: Any) -> str:
    """A value as TOML writes it: `110.00`, `"tekst"`, `true`, `[1, 2]`, `{ a = 1 }`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _key(key: Any) -> str:
    text = str(key)
    return (
        text if text and all(c.isalnum() or c in "_-" for c in text) and text.isascii() else json.dumps(text)
    )
