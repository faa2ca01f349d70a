"""The embedded examples: scenario files shipped inside the package.

In a wheel they live in `bekostiging/_data/` (see pyproject's force-include); in a source
checkout (editable install, tests) the same files are read from the repository's
`examples/` and `configs/`. Either way `include = ["../../configs/..."]` resolves.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DEFAULT = "geboortezorg-regio"
SCENARIO_FILE = "scenario.toml"
REGIONS = "regios"  # an example that is a folder of regional scenario files (a national picture)
PREFIX = "bekostiging:"  # how embedded files are named in messages and outputs


@cache
def data_root() -> Path:
    packaged = Path(__file__).parent / "_data"
    if (packaged / "examples").is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]  # src/bekostiging/ -> repository root


def names() -> list[str]:
    folder = data_root() / "examples"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / SCENARIO_FILE).is_file() or (p / REGIONS).is_dir())


def folder_of(name: str) -> Path:
    return data_root() / "examples" / name


def path_of(name: str) -> Path:
    """The example's scenario file, or its folder of regional files."""
    single = folder_of(name) / SCENARIO_FILE
    return single if single.is_file() else folder_of(name) / REGIONS


def resolve(argument: str | None) -> Path:
    """A SCENARIO argument: a path, the name of an embedded example (default: the default),
    or an embedded file as outputs name it (`bekostiging:examples/x/scenario.toml`)."""
    if argument is None:
        return path_of(DEFAULT)
    if argument.startswith(PREFIX):  # an embedded file as outputs name it
        return data_root() / argument.removeprefix(PREFIX)
    candidate = Path(argument)
    if not candidate.exists() and argument in names():
        return path_of(argument)
    return candidate


def shown(path: Path) -> str | None:
    """`bekostiging:examples/x/scenario.toml` for an embedded file, None for a user's file."""
    try:
        relative = path.resolve().relative_to(data_root().resolve())
    except ValueError:
        return None
    # In a source checkout the data root is the repository: only its examples and configs
    # are the embedded files; anything else there is a user's file like any other.
    return PREFIX + relative.as_posix() if relative.parts[:1] in (("examples",), ("configs",)) else None
