"""Writing outputs safely: atomically, and never over a user's scenario files."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
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

    The file gets the mode any program's new file gets (0666 less the umask), or, when it
    overwrites one, that file's permissions and (where allowed) its owner and group, so a
    shared 0664 file stays shared. On any error, or Ctrl-C, the temporary file is removed
    and `target` is untouched.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.resolve().parent
    try:
        before: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        before = None
    fd, tmp = _create_temporary(folder, target.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if before is not None:
                _keep_mode(handle.fileno(), before)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _create_temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new, empty file `.<name>.<random>.tmp` in `folder`, created with mode 0666 so the
    system applies the umask (and a folder's default ACL), as for any new file; `mkstemp`
    would make it 0600 whatever the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        path = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(folder))


def _keep_mode(fd: int, before: os.stat_result) -> None:
    """Give the new file the old one's permission bits (not setuid/setgid/sticky), and its
    owner and group where this process may (its group, at least, when it is a member)."""
    if hasattr(os, "fchown"):
        for uid in (before.st_uid, -1):
            try:
                os.fchown(fd, uid, before.st_gid)
                break
            except PermissionError:
                continue
    if hasattr(os, "fchmod"):  # not on Windows, which has only a read-only flag
        os.fchmod(fd, stat.S_IMODE(before.st_mode) & 0o777)
