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


def write_all_atomic(files: dict[Path, str | bytes]) -> None:
    """Write several files all or nothing (calibrate's `--by region`, one file per region).

    Every file is first written to a temporary file beside its target and flushed to disk;
    only when all of them are written are they renamed over their targets, so a full disk
    leaves no target touched. On any error, or Ctrl-C, the temporary files are removed, and
    a rename that fails halfway takes back the renames before it: a new file is removed
    again, a replaced file gets its old content back (kept meanwhile as a hard link, where
    the filesystem has them). Modes as for `write_atomic`.
    """
    staged: list[tuple[Path, str]] = []
    backups: dict[Path, str | None] = {}  # targets that existed -> a hard link to the old file
    done: list[Path] = []
    try:
        for target, data in files.items():
            payload = data.encode("utf-8") if isinstance(data, str) else data
            try:
                before: os.stat_result | None = os.stat(target)
            except FileNotFoundError:
                before = None
            fd, tmp = _create_temporary(target.resolve().parent, target.name)
            staged.append((target, tmp))
            with os.fdopen(fd, "wb") as handle:
                if before is not None:
                    _keep_mode(handle.fileno(), before)
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if before is not None:
                backups[target] = _hard_link(target)
        for target, tmp in staged:
            os.replace(tmp, target)
            done.append(target)
    except BaseException:
        for target in reversed(done):
            with contextlib.suppress(OSError):
                backup = backups.get(target)
                if backup is not None:
                    os.replace(backup, target)
                elif target not in backups:  # new: remove it; replaced without a link: keep it
                    os.unlink(target)
        for path in [tmp for target, tmp in staged if target not in done] + list(backups.values()):
            if path is not None:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        raise
    for backup in backups.values():
        if backup is not None:
            with contextlib.suppress(OSError):
                os.unlink(backup)


def _hard_link(target: Path) -> str | None:
    """A second name for `target` beside it (a free temporary name), or None where the
    filesystem or its permissions allow no hard link."""
    fd, name = _create_temporary(target.resolve().parent, target.name)
    os.close(fd)
    os.unlink(name)
    try:
        os.link(target, name, follow_symlinks=False)
    except OSError:
        return None
    return name
