"""Reading TOML files with their includes into one plain tree.

Floats are parsed as `Decimal` so `0.2` means exactly 0.2. Includes are merged before
validation; every key remembers which file set it, so a finding can name the right file.
Only `.toml` files are read: nothing in an input can make the tool run code or go online.
An include stays inside the scenario's project folder (`project_root`), so a scenario
cannot make the tool read, and show, a file of the user's elsewhere (SECURITY.md).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from bekostiging import encoding
from bekostiging.findings import Finding, closest, shown_number
from bekostiging.output import file_kind
from bekostiging.scenario.limits import MAX_NESTING

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_INCLUDE_DEPTH = 16
# A folder holding one of these is a project root: a scenario below it may include any
# `.toml` file below it (SECURITY.md). `.bekostiging` is the tool's own (`init` writes it).
PROJECT_FILE = ".bekostiging"
PROJECT_MARKERS = (".git", "pyproject.toml", PROJECT_FILE)

Key = tuple[str | int, ...]


@dataclass
class SourceTree:
    """The merged data of a scenario file and its includes."""

    data: dict[str, Any] = field(default_factory=dict)
    origins: dict[Key, str] = field(default_factory=dict)  # key path -> file that set it
    files: list[Path] = field(default_factory=list)  # every file read, the main one first
    findings: list[Finding] = field(default_factory=list)
    main: str = ""
    texts: dict[str, str] = field(default_factory=dict)  # a scenario given as text: name -> sha256
    # file -> (its own [parties] ids, the files it includes), each as written
    declared: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    root: Path | None = None  # the folder the includes must stay in (`project_root`)
    read: set[Path] = field(default_factory=set)  # `files` as a set: is a file read yet?

    def copy(self) -> SourceTree:
        """A copy whose data can be overridden without touching this one."""
        from bekostiging.scenario.years import copy_tree

        return SourceTree(
            copy_tree(self.data),
            dict(self.origins),
            list(self.files),
            list(self.findings),
            self.main,
            dict(self.texts),
            dict(self.declared),
            self.root,
            set(self.read),
        )

    def party_order(self) -> list[str]:
        """Party ids in the order a reader meets them: the files a file includes first (the
        include stands at the top, in [scenario]), then the file's own [parties]."""
        order: dict[str, None] = {}
        seen: set[str] = set()  # each file once: files that include each other in a
        # lattice have exponentially many paths, and a second visit adds nothing

        def read(shown: str) -> None:
            if shown in seen or shown not in self.declared:
                return
            seen.add(shown)
            own, includes = self.declared[shown]
            for include in includes:
                read(include)
            order.update(dict.fromkeys(own))

        read(self.main)
        return list(order)

    def file_of(self, path: Key) -> str:
        """The file that defined `path` (or the nearest enclosing table)."""
        for end in range(len(path), 0, -1):
            origin = self.origins.get(tuple(path[:end]))
            if origin is not None:
                return origin
        return self.main

    def sha256(self) -> list[dict[str, str]]:
        texts = [{"file": name, "sha256": digest} for name, digest in self.texts.items()]
        return texts + [
            {"file": display(p), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in self.files
        ]


def display(path: Path) -> str:
    """A path as users should see it: relative to the working directory when inside it.

    Embedded example files are named `bekostiging:examples/...` so that outputs never
    carry a machine's install path.
    """
    from bekostiging.examples import shown

    embedded = shown(path)
    if embedded is not None:
        return embedded
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def read_toml(path: Path, shown: str) -> tuple[dict[str, Any] | None, list[Finding]]:
    """One file, parsed; or the findings that say why it could not be.

    Its type and size are known before a byte is read: a named pipe (which would wait for
    a writer), a device (`/dev/zero` never ends) or a file over `MAX_FILE_BYTES` is refused
    unopened, and the read itself stops one byte past the limit, so a file that grows in
    the meantime never lands in memory whole."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None, [Finding(shown, "", "does not exist" + _closest(path, shown))]
    except OSError as exc:
        return None, [Finding(shown, "", f"cannot be read: {exc.strerror}")]
    if stat.S_ISDIR(mode):
        return None, [Finding(shown, "", "is a directory, not a file")]
    kind = file_kind(mode)
    if kind is not None:
        return None, [Finding(shown, "", f"is {kind}, not a regular file")]
    if path.suffix != ".toml":
        return None, [Finding(shown, "", "only .toml files can be read")]
    try:
        raw = _read_bounded(path)
    except _NotRegular as exc:
        return None, [Finding(shown, "", f"is {exc.args[0]}, not a regular file")]
    except _TooLarge as exc:
        return None, [Finding(shown, "", str(exc))]
    except OSError as exc:
        return None, [Finding(shown, "", f"cannot be read: {exc.strerror}")]
    return parse_toml(raw, shown)


class _NotRegular(Exception):
    """The file became something else than a regular file since it was looked at."""


class _TooLarge(Exception):
    """The file is larger than `MAX_FILE_BYTES`."""


def _read_bounded(path: Path) -> bytes:
    """The bytes of a regular file of at most `MAX_FILE_BYTES`: checked again on the open
    file (opened without waiting, should it have become a pipe), read at most one byte past
    the limit."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        found = os.fstat(fd)
        kind = file_kind(found.st_mode)
        if kind is not None:
            raise _NotRegular(kind)
        if found.st_size > MAX_FILE_BYTES:
            raise _TooLarge(f"file is {found.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(MAX_FILE_BYTES + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        raise _TooLarge(f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes")
    return b"".join(chunks)


FLAG_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "ja", "nee"})


def _closest(path: Path, shown: str) -> str:
    """` (did you mean '...'?)` for the closest file or folder beside a path that does not
    exist, or (a bare name) the closest embedded example; a hint when the 'path' is the
    value someone gave a flag (`--attribution true`)."""
    from bekostiging.examples import names

    if path.name.lower() in FLAG_VALUES:
        return f" (a flag such as --attribution takes no value: leave out '{path.name}')"
    where = Path(shown).parent
    candidates: dict[str, str] = {}
    if path.parent.is_dir():
        for entry in sorted(path.parent.iterdir()):
            if not entry.name.startswith(".") and (entry.is_dir() or entry.suffix == ".toml"):
                candidates[entry.name] = (where / entry.name).as_posix()
    if where == Path("."):
        candidates.update({name: name for name in names() if name not in candidates})
    close = closest(path.name, candidates)
    return f" (did you mean '{candidates[close]}'?)" if close is not None else ""


def parse_toml(raw: bytes, shown: str) -> tuple[dict[str, Any] | None, list[Finding]]:
    """TOML bytes, parsed (floats as `Decimal`); or the findings that say why they could not be."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [Finding(shown, "", f"text is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")]
    if b"\x00" in raw and not encoding.is_utf16(raw):
        return None, [Finding(shown, "", "is a binary file, not a TOML text file")]
    try:
        text = encoding.decode(raw)  # a byte-order mark (Windows Notepad) is dropped
    except encoding.NotUtf8 as exc:
        return None, [Finding(shown, "", str(exc))]
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        return None, [Finding(shown, "", f"TOML syntax error: {exc}")]
    except RecursionError:
        return None, [Finding(shown, "", "TOML nesting is too deep")]
    except ValueError:  # Python reads no integer of more than 4,300 digits (a slow conversion)
        return None, [Finding(shown, _long_integer_line(text), f"a number of more than {_INT_DIGITS}")]
    deep = too_deep(data)
    if deep is not None:
        return None, [Finding(shown, ".".join(map(str, deep)), NESTED_TOO_DEEP)]
    return data, []


_INT_DIGITS = "4,300 digits; a number is at most 10^12"
NESTED_TOO_DEEP = f"tables and lists nest more than {MAX_NESTING} levels deep"


def _long_integer_line(text: str) -> str:
    """`line N` of the first integer too long for Python to read."""
    found = re.search(r"(?<![\w.])[+-]?\d(?:_?\d){4300}", text)
    return f"line {text.count(chr(10), 0, found.start()) + 1}" if found else ""


def too_deep(data: Any) -> Key | None:
    """The first key path of `data` that nests more than `MAX_NESTING` tables and lists
    (`[x.x.x...]`, `[[[...]]]`), or None. Iterative: no recursion, whatever the depth;
    bounding the depth here keeps every recursive walk of the data later safe."""
    stack: list[tuple[Key, Any]] = [((), data)]
    while stack:
        at, node = stack.pop()
        if len(at) > MAX_NESTING:
            return at
        if isinstance(node, dict):
            stack.extend(((*at, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*at, i), v) for i, v in enumerate(node))
    return None


def project_root(top: Path) -> Path:
    """The folder a scenario's includes must stay in (SECURITY.md): the nearest folder
    above the scenario file `top` (resolved) that holds `.git`, `pyproject.toml` or
    `.bekostiging`, else the scenario's own folder. The embedded examples' root is the
    package data (in a wheel `bekostiging/_data`, which holds `examples/` and `configs/`)."""
    from bekostiging.examples import data_root, shown

    if shown(top) is not None:
        return data_root().resolve()
    for folder in top.parents:
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return top.parent


class Parsed:
    """Files parsed once for several scenarios (a folder of regions that all include the
    same tariff and care-path files): each read gets its own copy of the tables and
    lists, so no scenario ever sees what another's loading changed (an include popped, an
    override, a year resolved). A file that cannot be read is not kept: every scenario
    that includes it reports it, as it would have without the cache."""

    def __init__(self) -> None:
        self._data: dict[Path, dict[str, Any]] = {}

    def read(self, path: Path, shown: str) -> tuple[dict[str, Any] | None, list[Finding]]:
        """`read_toml(path, shown)`, parsed only the first time."""
        from bekostiging.scenario.years import copy_tree

        kept = self._data.get(path)
        if kept is None:
            data, findings = read_toml(path, shown)
            if data is None or findings:
                return data, findings
            kept = self._data[path] = copy_tree(data)  # never handed out itself
        return copy_tree(kept), []


def load_tree(path: Path, data: dict[str, Any] | None = None, parsed: Parsed | None = None) -> SourceTree:
    """Read `path` and, recursively, its `scenario.include` files into one tree. `data`:
    the file's content, already parsed (by a folder's scan), which the tree then owns;
    `parsed`: included files parsed for earlier scenarios (`Parsed`), reused as copies."""
    top = path.resolve()
    tree = SourceTree(main=display(path), root=project_root(top))
    _merge_file(tree, top, display(path), stack=(), data=data, parsed=parsed)
    return tree


def load_text(text: str, base_dir: Path, shown: str) -> SourceTree:
    """A scenario given as TOML text (`bk.loads`): its includes are relative to `base_dir`,
    and its provenance is the sha256 of the text, under the name `shown`."""
    top = base_dir.resolve() / "<text>"  # no file has that name
    tree = SourceTree(main=shown, root=project_root(top))
    raw = text.encode("utf-8")
    data, findings = parse_toml(raw, shown)
    tree.findings.extend(findings)
    if data is not None:
        tree.texts[shown] = hashlib.sha256(raw).hexdigest()
        _merge_data(tree, data, top, shown, stack=())
    return tree


def _merge_file(
    tree: SourceTree,
    path: Path,
    shown: str,
    stack: tuple[Path, ...],
    data: dict[str, Any] | None = None,
    parsed: Parsed | None = None,
) -> None:
    if data is None:
        data, findings = parsed.read(path, shown) if parsed is not None else read_toml(path, shown)
        tree.findings.extend(findings)
    if data is None:
        return
    tree.files.append(path)
    tree.read.add(path)
    _merge_data(tree, data, path, shown, stack, parsed)


def _merge_data(
    tree: SourceTree,
    data: dict[str, Any],
    path: Path,
    shown: str,
    stack: tuple[Path, ...],
    parsed: Parsed | None = None,
) -> None:
    """Merge one file's data (at `path`, which its includes are relative to) and its includes."""
    includes = _take_includes(data, shown, tree)
    parties = data.get("parties")
    tree.declared.setdefault(
        shown,
        (
            list(parties) if isinstance(parties, dict) else [],
            [display((path.parent / i).resolve()) for i in includes],
        ),
    )
    _merge(tree, tree.data, data, (), shown)
    for include in includes:
        target = (path.parent / include).resolve()
        outside = _outside(tree, include, target)
        if outside:  # said before anything else, so no message tells whether such a file exists
            tree.findings.append(Finding(shown, "scenario.include", outside))
            continue
        target_shown = display(target)
        if target in stack or target == path:
            chain = " -> ".join(display(p) for p in (*stack, path, target))
            tree.findings.append(Finding(shown, "scenario.include", f"include cycle: {chain}"))
            continue
        if target in tree.read:
            continue  # included twice through different files: read once
        if not target.is_file():
            problem = "is a directory" if target.is_dir() else "not found"
            tree.findings.append(Finding(shown, "scenario.include", f"included file {include} {problem}"))
            continue
        if len(stack) >= MAX_INCLUDE_DEPTH:
            tree.findings.append(
                Finding(
                    shown,
                    "scenario.include",
                    f"includes nest deeper than {MAX_INCLUDE_DEPTH} files",
                )
            )
            continue
        _merge_file(tree, target, target_shown, (*stack, path), parsed=parsed)


def _outside(tree: SourceTree, include: str, target: Path) -> str:
    """Why an include may not be read (SECURITY.md), or "": it must be a relative path that
    stays in the project folder, through no hidden file or folder (`.cargo`, `.ssh`)."""
    if Path(include).is_absolute() or Path(include).drive:
        return f"'{include}' is an absolute path: an include is a path relative to the file that includes it"
    root = tree.root
    assert root is not None, "every tree is made with its project root"  # fail closed, never open
    if not target.is_relative_to(root):
        folder = display(root).rstrip("/") + "/"
        return (
            f"'{include}' leads outside the project folder {folder}: an include must stay in the nearest"
            " folder above the scenario that holds .git, pyproject.toml or .bekostiging, or else in the"
            " scenario's own folder (SECURITY.md); move the file into it, or put an empty file"
            " .bekostiging in a folder that holds both"
        )
    if any(part.startswith(".") for part in target.relative_to(root).parts):
        return f"'{include}' leads into a hidden file or folder, which an include may not (SECURITY.md)"
    return ""


def _take_includes(data: dict[str, Any], shown: str, tree: SourceTree) -> list[str]:
    """Remove `scenario.include` from a file's data (each file's includes are its own)."""
    meta = data.get("scenario")
    if not isinstance(meta, dict) or "include" not in meta:
        return []
    includes = meta.pop("include")
    if not meta:
        data.pop("scenario")
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        tree.findings.append(
            Finding(shown, "scenario.include", "must be a list of relative paths to .toml files")
        )
        return []
    bad = [i for i in includes if not i.endswith(".toml")]
    for i in bad:
        tree.findings.append(
            Finding(shown, "scenario.include", f"only .toml files can be included, got '{i}'")
        )
    return [i for i in includes if i not in bad]


def _merge(tree: SourceTree, into: dict[str, Any], new: dict[str, Any], at: Key, shown: str) -> None:
    for key, value in new.items():
        path = (*at, key)
        if key not in into:
            into[key] = value
            _record(tree, path, value, shown)
        elif isinstance(into[key], dict) and isinstance(value, dict):
            _merge(tree, into[key], value, path, shown)
        elif into[key] != value:
            # Only the scenario's own values are shown: another file's value (a token of a
            # file it includes) must never reach a terminal, a CI log or a JUnit report.
            first = tree.file_of(path)
            then = f"as {_short(value)}" if shown == tree.main else "differently"
            before = f"as {_short(into[key])} " if first == tree.main else ""
            tree.findings.append(
                Finding(
                    shown,
                    ".".join(map(str, path)),
                    f"defined {before}in {first} and {then} here"
                    + _what_to_do(path, into[key], value, shown, shown_first=first == tree.main),
                )
            )


# The tables an effect may change (`effects.EFFECT_ROOTS`, which builds on this module).
SETTABLE = ("activities", "profiles", "availability", "variants", "parties")


def _what_to_do(path: Key, first: Any, then: Any, shown: str, *, shown_first: bool) -> str:
    """A conflict is an error (SCENARIO.md §1: no file overrides another); say what works
    instead, with the first value filled in only if it may be shown (`shown_first`)."""
    if isinstance(first, dict | list) or isinstance(then, dict | list):
        return ""
    dotted = ".".join(map(str, path))
    ways = [f"`--set {dotted}=...`", f"a copy of {shown} with the value changed"]
    if _is_number(first) and _is_number(then):
        value = first if shown_first else "..."
        ways[0] = f"`--set {dotted}={value}`"
        if path[0] in SETTABLE:
            effect = f'{{ op = "set", path = "{dotted}", value = {value} }}'
            ways.insert(0, f"a `set` effect in a variant or what-if ({effect})")
    return "; an included value cannot be overridden: use " + ", ".join(ways[:-1]) + f" or {ways[-1]}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _record(tree: SourceTree, path: Key, value: Any, shown: str) -> None:
    """Every key path under `path` was set by `shown`. Iterative, like `too_deep`: a file's
    nesting is bounded, but `--set` and the API add data too."""
    stack = [(path, value)]
    while stack:
        at, node = stack.pop()
        tree.origins[at] = shown
        if isinstance(node, dict):
            stack.extend(((*at, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*at, i), v) for i, v in enumerate(node))


def _short(value: Any) -> str:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return shown_number(value)  # repr of an int of 5,000 digits raises
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
