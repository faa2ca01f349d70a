"""The scenario files of a folder: which run, which are skipped and why, what looks wrong.

A folder of regional files adds up to a national picture, so a file that is silently
left out, or counted twice, changes the total. The rules (docs/cli.md, "Folders"):

- a `.toml` file with a `[scenario]` table runs; one without `baseline` runs too, so
  that the loader reports the missing baseline instead of the file being left out;
- skipped, each with its reason: a file without a `[scenario]` table (a shared table that
  scenarios include), a file another file of the folder includes, a totals file
  (`bekostiging check` reads it), a hidden file, and, unopened, anything that is not a
  regular file (a folder, a named pipe, a device, a link to nothing);
- two files that run with the same scenario name get a warning: both are counted;
- a folder without any scenario file names the subfolders that have them.

Each file is parsed once: the data of the files that run goes to the loader. A file's
type and size are known before it is opened (`toml_files.read_toml`), so a file over the
size limit, a pipe or `/dev/zero` costs nothing.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bekostiging.output import file_kind
from bekostiging.scenario.toml_files import display, read_toml

TOTALS_TABLE = "totals"
_VERSIONS = 0.6  # file names at least this similar (difflib ratio) look like two versions


def is_totals(data: dict[str, Any] | None) -> bool:
    """The parsed data of a totals file: a `[totals]` table and no `[scenario]` table."""
    return data is not None and isinstance(data.get(TOTALS_TABLE), dict) and "scenario" not in data


@dataclass
class Folder:
    """What a folder holds, as `scan` found it."""

    path: Path
    scenarios: list[Path] = field(default_factory=list)  # the files that run, by name
    data: dict[Path, dict[str, Any]] = field(default_factory=dict)  # their parsed data
    totals: list[Path] = field(default_factory=list)  # totals files (`check` reads them)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # other files, with why
    warnings: list[str] = field(default_factory=list)

    def notes(self, *, totals_read: bool = False) -> list[str]:
        """One line per skipped file, then the warnings; `totals_read`: a totals file is
        not skipped (`check` evaluates it)."""
        skipped = list(self.skipped)
        if not totals_read:
            skipped += [(path, "a totals file (`bekostiging check` reads it)") for path in self.totals]
        lines = [f"skipped {display(path)}: {why}" for path, why in sorted(skipped)]
        return lines + [f"warning: {text}" for text in self.warnings]

    def empty(self, shown: str) -> str:
        """Why there is nothing to run: the message for a folder without scenario files
        (`shown`: the folder as the user named it), pointing to the subfolders that have
        some."""
        found = [(sub, len(scan(sub).scenarios)) for sub in _subfolders(self.path)]
        found = [(sub, count) for sub, count in found if count]
        message = "is a directory without scenario files"
        count = len(self.skipped) + len(self.totals)
        if count:
            message += f" ({count} file{'s' if count != 1 else ''} skipped)"
        if found:
            base = Path(shown)
            choices = " or ".join(
                f"'{(base / sub.name).as_posix()}' ({n} scenario file{'s' if n != 1 else ''})"
                for sub, n in found
            )
            message += f"; did you mean {choices}?"
        return message


def scan(folder: Path) -> Folder:
    """The `.toml` files directly in `folder`, sorted into those that run and the others."""
    found = Folder(folder)
    parsed: dict[Path, dict[str, Any] | None] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name.startswith("."):
            found.skipped.append((path, "a hidden file"))
            continue
        unusual = _not_a_file(path)
        if unusual is not None:  # never opened: a pipe would wait, /dev/zero never ends
            found.skipped.append((path, unusual))
            continue
        data, _ = read_toml(path, display(path))  # unreadable: runs, so the loader says why
        parsed[path] = data
    included = _included(parsed)
    for path, data in parsed.items():
        meta = data.get("scenario") if data is not None else None
        if path.resolve() in included:
            found.skipped.append((path, f"included by {display(included[path.resolve()])}"))
        elif is_totals(data):
            found.totals.append(path)
        elif data is not None and not (isinstance(meta, dict) and set(meta) - {"include"}):
            found.skipped.append((path, "no [scenario] table: a table for scenarios to include"))
        else:
            found.scenarios.append(path)
            if data is not None:
                found.data[path] = data
    found.warnings = _same_names(found)
    return found


def _not_a_file(path: Path) -> str | None:
    """Why `path` (a link followed) is not a file to read, or None for a regular file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a link to a file that does not exist"
    except OSError as exc:
        return f"cannot be looked at: {exc.strerror}"
    kind = file_kind(mode)
    if kind is None or stat.S_ISDIR(mode):
        return kind
    return f"{kind}, not a regular file"


def _included(parsed: dict[Path, dict[str, Any] | None]) -> dict[Path, Path]:
    """The files of the folder that another file of it includes (resolved -> includer)."""
    included: dict[Path, Path] = {}
    for path, data in parsed.items():
        meta = data.get("scenario") if data is not None else None
        includes = meta.get("include") if isinstance(meta, dict) else None
        for entry in includes if isinstance(includes, list) else ():
            if isinstance(entry, str):
                target = (path.parent / entry).resolve()
                if target != path.resolve():
                    included.setdefault(target, path)
    return included


def _same_names(found: Folder) -> list[str]:
    """A warning for each scenario name that more than one file of the folder has."""
    by_name: dict[str, list[Path]] = {}
    for path, data in found.data.items():
        name = data["scenario"].get("name")
        if isinstance(name, str):
            by_name.setdefault(name, []).append(path)
    warnings = []
    for name, paths in by_name.items():
        if len(paths) < 2:
            continue
        files = [display(p) for p in paths]
        both = "both" if len(paths) == 2 else "all"
        text = f"{', '.join(files[:-1])} and {files[-1]} are {both} scenario '{name}' and {both} are counted"
        if _look_like_versions(paths):
            text += (
                ": they look like versions of one scenario; see what changed with"
                f" `bekostiging diff {' '.join(files[:2])}` and keep one in the folder"
            )
        else:
            text += " (give each its own name if they are different regions)"
        warnings.append(text)
    return warnings


def _look_like_versions(paths: list[Path]) -> bool:
    """The same bytes, or file names that are close (`regio.toml`, `regio-oud.toml`)."""
    first = paths[0]
    for other in paths[1:]:
        a, b = first.stem.lower(), other.stem.lower()
        close = a.startswith(b) or b.startswith(a) or difflib.SequenceMatcher(None, a, b).ratio() >= _VERSIONS
        if not close and first.read_bytes() != other.read_bytes():
            return False
    return True


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
