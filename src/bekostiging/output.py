"""Writing outputs safely: atomically, and never over a user's scenario files."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputRefused(Exception):
    """The output path would destroy something of the user's."""


def check_target(target: Path, inputs: Iterable[Path]) -> None:
    resolved = target.resolve()
    if resolved.is_dir():
        raise OutputRefused(f"{target} is a directory; give a file name")
    if resolved in {p.resolve() for p in inputs}:
        raise OutputRefused(f"{target} is one of the scenario's input files; refusing to overwrite it")
    if resolved.suffix == ".toml" and resolved.exists():
        raise OutputRefused(f"{target} is an existing .toml file (a scenario?); refusing to overwrite it")
    if not resolved.parent.is_dir():
        raise OutputRefused(f"folder {target.parent} does not exist")


def write_atomic(target: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `target`, then rename: readers see all or nothing.

    On any error, or Ctrl-C, the temporary file is removed and `target` is untouched.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.resolve().parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
