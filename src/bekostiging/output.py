"""Writing outputs safely: atomically, and never over a user's scenario files."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any


class OutputRefused(Exception):
    """The output path would destroy something of the user's."""


# What each kind of file that is not a regular file is called in messages.
KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}


def file_kind(mode: int) -> str | None:
    """None for a regular file; else what the file is ("a named pipe", "a socket", ...)."""
    if stat.S_ISREG(mode):
        return None
    return KINDS.get(stat.S_IFMT(mode), "a special file")


def _streams(mode: int) -> bool:
    """A character device or a named pipe: written to as it is (`-o /dev/null`, a pipe a
    program reads), never replaced."""
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def check_target(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse (`OutputRefused`) a folder, an input of the run, an existing `.toml` file, a
    special file other than a character device or a named pipe, a link that loops, and a
    path in a folder that does not exist; links are followed to the file they name."""
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a link that loops, a folder that may not be searched
        raise OutputRefused(f"cannot write {target}: {exc.strerror}") from None
    resolved = Path(os.path.realpath(target))
    if resolved.is_dir():
        raise OutputRefused(f"{target} is a directory; give a file name")
    if resolved in {p.resolve() for p in inputs}:
        raise OutputRefused(f"{target} is one of the scenario's input files; refusing to overwrite it")
    if mode is not None and not stat.S_ISREG(mode) and not _streams(mode):
        raise OutputRefused(f"{target} is {file_kind(mode)}, not a file; refusing to write to it")
    if resolved.suffix == ".toml" and mode is not None and stat.S_ISREG(mode):
        raise OutputRefused(f"{target} is an existing .toml file (a scenario?); refusing to overwrite it")
    if not resolved.parent.is_dir():
        raise OutputRefused(f"folder {target.parent} does not exist")


def write_atomic(target: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `target`, then rename: readers see all or nothing.

    A character device or a named pipe (`-o /dev/null`, a pipe another program reads) is
    written to directly: it is never replaced by a file. Any other file that is not a
    regular file (a socket, a block device) is refused (`OutputRefused`).

    A symbolic link is followed: the file it points to is written (the temporary file goes
    beside that file, so the rename never crosses filesystems), and the link stays a link.

    The file gets the mode any program's new file gets (0666 less the umask), or, when it
    overwrites one, that file's permissions and (where allowed) its owner and group, so a
    shared 0664 file stays shared. On any error, Ctrl-C or SIGTERM the temporary file is
    removed and `target` is untouched.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        before: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        before = None
    if before is not None and _streams(before.st_mode):
        _write_through(target, payload)
        return
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise OutputRefused(f"{target} is {file_kind(before.st_mode)}, not a file; refusing to write to it")
    real = Path(os.path.realpath(target))  # through every link: the file that is written
    with _removed_on_sigterm():
        made: list[str] = []  # the temporary file, as soon as it exists
        try:
            os.replace(_staged(real.parent, payload, before, made.append), real)
        except BaseException:
            for tmp in made:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
            raise


def _write_through(target: Path, payload: bytes) -> None:
    """Write to a character device or a named pipe as it is, as `> target` in a shell does
    (a pipe waits for its reader). Errors are the device's own (`/dev/full`: ENOSPC)."""
    flags = (
        os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    )
    fd = os.open(target, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not _streams(mode):  # it was swapped for something else since it was looked at
            raise OutputRefused(f"{target} is {file_kind(mode) or 'a regular file'} now; not writing to it")
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


class _Terminated(BaseException):
    """SIGTERM arrived while a temporary file existed: unwind, remove it, then end as the
    signal would have ended the program."""


@contextlib.contextmanager
def _removed_on_sigterm() -> Iterator[None]:
    """While the block runs, SIGTERM (and SIGHUP: a closed terminal) raise `_Terminated`,
    so that the `except BaseException` that removes the temporary file runs; afterwards the
    signal is delivered again under its old handler (by default: the program ends as
    killed by it). A signal that was ignored stays ignored; outside the main thread (where
    Python cannot set handlers) nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    caught: list[int] = []
    active = [True]

    def stop(signum: int, _frame: Any) -> None:
        caught.append(signum)
        if active[0]:
            raise _Terminated(signum)

    previous = {}
    for signum in wanted:
        handler = signal.getsignal(signum)
        if handler is not signal.SIG_IGN:
            previous[signum] = handler
            signal.signal(signum, stop)
    stopped = False
    try:
        yield
        active[0] = False  # written: a signal from here on only waits for the old handler
    except _Terminated:
        stopped = True
    finally:
        active[0] = False
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if caught:
        signal.raise_signal(caught[0])  # by default the program ends here
    if stopped:  # an old handler let the program go on: the file was not written
        raise InterruptedError(errno.EINTR, "interrupted by a signal before the file was written")


def _staged(
    folder: Path, payload: bytes, before: os.stat_result | None, created: Callable[[str], None]
) -> str:
    """`payload` in a new temporary file in `folder`, flushed to disk, with the mode of the
    file it will replace (`before`); `created` hears its name as soon as it exists, so a
    failure while writing still lets the caller remove it."""
    fd, tmp = _create_temporary(folder)
    created(tmp)
    with os.fdopen(fd, "wb") as handle:
        if before is not None:
            _keep_mode(handle.fileno(), before)
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


def _create_temporary(folder: Path) -> tuple[int, str]:
    """A new, empty file `.bekostiging-<8 hex>.tmp` in `folder`: a short name whatever the
    target's, so any name the folder allows can be written. Created with mode 0666 so the
    system applies the umask (and a folder's default ACL), as for any new file; `mkstemp`
    would make it 0600 whatever the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        path = os.path.join(folder, f".bekostiging-{secrets.token_hex(4)}.tmp")
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
            folder = target.resolve().parent
            _staged(folder, payload, before, lambda name, to=target: staged.append((to, name)))
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
    fd, name = _create_temporary(target.resolve().parent)
    os.close(fd)
    os.unlink(name)
    try:
        os.link(target, name, follow_symlinks=False)
    except OSError:
        return None
    return name
