"""Special files as inputs and outputs, and a stdout that cannot show every character
(issue 17, items 1, 11, 16, 18 and 21; the promises are in SECURITY.md).

Devices are only ever written through nodes this test makes in its own folder (as root),
or through /dev/null and /dev/full when not root (a rename into /dev is then refused):
an old build that replaced a device node would replace only the test's own copy.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bekostiging import api, output
from conftest import invoke
from test_hardening import base

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device (1, minor: 3 is null, 7 is full): a node of our own when root."""
    if not ROOT:
        return Path("/dev") / name
    node = tmp_path / name
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return node


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


@contextlib.contextmanager
def reading(fifo: Path) -> Iterator[list[bytes]]:
    """A reader on the other end of `fifo`, in a thread; the list holds what it read."""
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        yield got
    finally:
        if thread.is_alive() and stat.S_ISFIFO(os.stat(fifo).st_mode):
            with contextlib.suppress(OSError):  # nobody opened the other end: let the reader go
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            thread.join()
        # else: the pipe was replaced (an old build), its reader waits on it until the end


@contextlib.contextmanager
def feeding(fifo: Path, data: bytes) -> Iterator[None]:
    """A writer on the other end of `fifo`, in a thread: whoever opens it to read, however
    often, gets `data` (so an old build that read the pipe does not hang: it reads a
    scenario and exits 0)."""
    done = threading.Event()

    def feed() -> None:
        while not done.is_set():
            with contextlib.suppress(OSError), open(fifo, "wb") as handle:
                handle.write(data)

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        with contextlib.suppress(OSError):  # the writer waits for a reader: be one, once
            held = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
            thread.join()
            os.close(held)
        thread.join()


# ------------------------------------------------------------------ item 1: devices and pipes


def test_output_to_a_character_device_writes_through_it(scenario, tmp_path):
    """`-o /dev/null` as root replaced the device with a regular file and exited 0."""
    null = device(tmp_path, "null", 3)
    before = os.stat(null)
    result = invoke("compare", scenario(base()), "-f", "csv", "-o", null)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    after = os.stat(null)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp beside it


def test_output_to_a_full_device_is_a_clear_error(scenario, tmp_path):
    full = device(tmp_path, "full", 7)
    result = invoke("compare", scenario(base()), "-f", "csv", "-o", full)
    no_traceback(result)
    assert result.exit_code == 1
    assert f"error: cannot write {full}: No space left on device" in result.stderr
    assert stat.S_ISCHR(os.stat(full).st_mode)


@needs_fifo
def test_output_to_a_named_pipe_goes_to_its_reader(scenario, tmp_path):
    path = scenario(base())
    fifo = tmp_path / "uit.csv"
    os.mkfifo(fifo)
    with reading(fifo) as got:
        result = invoke("compare", path, "-o", fifo)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got == [invoke("compare", path, "-f", "csv").stdout.encode("utf-8")]


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no unix sockets here")
def test_output_to_a_socket_is_refused(scenario, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short path: a socket's name has at most ~100 bytes
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("s.csv")
        result = invoke("compare", scenario(base()), "-o", "s.csv")
    no_traceback(result)
    assert result.exit_code == 2
    assert "error: s.csv is a socket, not a file; refusing to write to it" in result.stderr
    assert stat.S_ISSOCK(os.stat("s.csv").st_mode)


@pytest.mark.skipif(not ROOT, reason="only root can make a block device")
def test_output_to_a_block_device_is_refused(scenario, tmp_path):
    node = tmp_path / "schijf"
    os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 0))  # a loop device's number: never opened
    result = invoke("compare", scenario(base()), "-f", "csv", "-o", node)
    assert result.exit_code == 2
    assert "is a block device, not a file; refusing to write to it" in result.stderr
    assert stat.S_ISBLK(os.stat(node).st_mode)


# ------------------------------------------------------------------ item 16: names, links, SIGTERM


@pytest.mark.parametrize("length", [242, 255])
def test_a_name_up_to_the_longest_a_folder_allows_can_be_written(scenario, tmp_path, length):
    """The temporary name added 14 bytes to the target's, so 242-255 byte names failed."""
    target = tmp_path / ("u" * (length - 4) + ".csv")
    result = invoke("compare", scenario(base()), "-o", target)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("variant,")


def test_output_through_a_symlink_writes_the_file_it_points_to(scenario, tmp_path):
    real = tmp_path / "echt.csv"
    real.write_text("oud\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real.name)
    assert invoke("compare", scenario(base()), "-o", link).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == real.name  # the link is still a link
    assert real.read_text().startswith("variant,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["echt.csv", "link.csv", "scenario.toml"]


def test_output_through_a_symlink_to_another_filesystem(scenario, tmp_path):
    """The temporary file went beside the link, so the rename crossed filesystems: EXDEV."""
    other = Path("/dev/shm")
    if not other.is_dir() or os.stat(other).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second filesystem to point a link at")
    real = other / f"bekostiging-test-{os.getpid()}.csv"
    try:
        real.write_text("oud\n")
        link = tmp_path / "link.csv"
        link.symlink_to(real)
        result = invoke("compare", scenario(base()), "-o", link)
        no_traceback(result)
        assert result.exit_code == 0, result.stderr
        assert link.is_symlink() and real.read_text().startswith("variant,")
    finally:
        real.unlink(missing_ok=True)


def test_a_link_to_nothing_yet_makes_the_file_it_names(tmp_path):
    """As `> link` in a shell does: the link stays, its target appears."""
    link = tmp_path / "link.txt"
    link.symlink_to("nieuw.txt")
    output.write_atomic(link, "x\n")
    assert link.is_symlink() and (tmp_path / "nieuw.txt").read_text() == "x\n"


def test_output_to_a_link_that_loops_is_refused(scenario, tmp_path):
    """A traceback (RuntimeError from Path.resolve) before."""
    (tmp_path / "a.csv").symlink_to("b.csv")
    (tmp_path / "b.csv").symlink_to("a.csv")
    result = invoke("compare", scenario(base()), "-o", tmp_path / "a.csv")
    no_traceback(result)
    assert result.exit_code == 2
    assert f"error: cannot write {tmp_path / 'a.csv'}: Too many levels of symbolic links" in result.stderr


SLOW_WRITE = """
import os, sys, time
from pathlib import Path
from bekostiging import output

def slow(fd):  # the write is under way: the temporary file exists, the rename has not happened
    print("writing", flush=True)
    time.sleep(600)

os.fsync = slow
output.write_atomic(Path(sys.argv[1]), "nieuw\\n")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGTERM to send on Windows")
@pytest.mark.parametrize("existing", [False, True], ids=["new", "replacing"])
def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path, existing):
    target = tmp_path / "uit.csv"
    if existing:
        target.write_text("oud\n")
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # it was there
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=120)  # a guard against hanging, not a timed assertion
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGTERM  # still ends as killed by SIGTERM, as before
    assert sorted(p.name for p in tmp_path.iterdir()) == (["uit.csv"] if existing else [])
    if existing:
        assert target.read_text() == "oud\n"


def test_the_sigterm_handler_is_put_back_after_a_write(tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    output.write_atomic(tmp_path / "uit.txt", "x")
    assert signal.getsignal(signal.SIGTERM) is before


# ------------------------------------------------------------------ items 11 and 18: inputs


@needs_fifo
def test_a_named_pipe_as_scenario_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    with feeding(fifo, base().encode("utf-8")):
        result = invoke("compare", fifo)
    no_traceback(result)
    assert result.exit_code == 1
    assert f"error: {fifo}: is a named pipe, not a regular file" in result.stderr


def test_a_character_device_as_scenario_is_refused(tmp_path):
    zero = tmp_path / "nul.toml"
    zero.symlink_to("/dev/zero")
    result = invoke("validate", zero)
    no_traceback(result)
    assert result.exit_code == 1
    assert f"error: {zero}: is a character device, not a regular file" in result.stderr


def test_a_file_that_grows_past_the_limit_after_its_size_was_read_is_not_read_whole(tmp_path, monkeypatch):
    """The size is checked on the open file and the read is bounded, so a file that grows
    (or a size that lied) never makes the whole file land in memory."""
    from bekostiging.scenario import toml_files

    path = tmp_path / "groot.toml"
    path.write_text(base())
    monkeypatch.setattr(toml_files, "MAX_FILE_BYTES", 64)
    real_stat, real_fstat = os.stat, os.fstat

    def small(found: os.stat_result) -> os.stat_result:  # the size the file had a moment ago
        return os.stat_result((*found[:6], 10, *found[7:]))

    monkeypatch.setattr(os, "stat", lambda *a, **kw: small(real_stat(*a, **kw)))
    monkeypatch.setattr(os, "fstat", lambda fd: small(real_fstat(fd)))
    data, findings = toml_files.read_toml(path, "groot.toml")
    assert data is None
    assert [f.message for f in findings] == ["file is larger than the limit of 64 bytes"]


@needs_fifo
def test_a_folder_lists_the_files_that_are_not_regular_files(tmp_path, scenario):
    """`compare FOLDER` read every *.toml whole first: a pipe hung, a link to /dev/zero ran
    out of memory. Now they are skipped, and said to be, before a byte of them is read."""
    scenario(base(), name="regio.toml")
    os.mkfifo(tmp_path / "pijp.toml")
    (tmp_path / "nul.toml").symlink_to("/dev/zero")
    (tmp_path / "map.toml").mkdir()
    notes: list[str] = []
    with feeding(tmp_path / "pijp.toml", b"[scenario]\nname = 'pijp'\n"):
        loaded = api.load(tmp_path, notes=notes.append)
    assert [s.model.scenario.name for s in loaded] == ["Grenzen"]
    assert sorted(notes) == [
        f"skipped {tmp_path / 'map.toml'}: a folder",
        f"skipped {tmp_path / 'nul.toml'}: a character device, not a regular file",
        f"skipped {tmp_path / 'pijp.toml'}: a named pipe, not a regular file",
    ]


def test_a_folder_does_not_read_a_file_beyond_the_size_limit(tmp_path, scenario, monkeypatch):
    """The size is known before a byte is read: a 2 GiB file costs nothing."""
    from bekostiging.scenario import toml_files

    scenario(base(), name="regio.toml")
    huge = tmp_path / "groot.toml"
    with open(huge, "wb") as handle:
        handle.truncate(toml_files.MAX_FILE_BYTES + 1)  # sparse: no disk, but st_size says so
    read: list[int] = []
    real_read = os.read

    def counted(fd, n):
        got = real_read(fd, n)
        read.append(len(got))
        return got

    monkeypatch.setattr(os, "read", counted)
    result = invoke("validate", tmp_path)
    assert result.exit_code == 1
    assert f"file is {toml_files.MAX_FILE_BYTES + 1:,} bytes; the limit is" in result.stderr
    assert sum(read) < 1024 * 1024  # only the small file was read, not 10 MiB of the big one


# ------------------------------------------------------------------ item 21: stdout's encoding

NARROW = {
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "C-locale": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
}


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL", "LANG"}
    }
    return subprocess.run(
        [sys.executable, "-m", "bekostiging", *args],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        check=False,
    )


@pytest.mark.parametrize("env", list(NARROW), ids=list(NARROW))
@pytest.mark.parametrize(
    "args",
    [
        ["compare", "scenario.toml"],
        ["explain", "scenario.toml", "-v", "mono", "-p", "zorgverzekeraar"],
        ["check", "scenario.toml"],
    ],
    ids=lambda a: a[0],
)
def test_a_stdout_that_cannot_show_every_character(tmp_path, env, args):
    """A cp1252 pipe or the C locale gave UnicodeEncodeError tracebacks: now the nearest
    character is shown, and stderr says so once."""
    (tmp_path / "scenario.toml").write_text(
        base().replace('name = "Grenzen"', 'name = "Cliënt Δ 50€ ✓"')
        + '\n[[expect]]\nvariant = "mono"\nparty = "zorgverzekeraar"\nmetric = "net"\nmax = 0\n',
        encoding="utf-8",
    )
    result = run_cli(args, NARROW[env], tmp_path)
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert result.returncode == 0, stderr
    shown = result.stdout.decode("cp1252" if env == "cp1252" else "ascii")  # its own encoding
    if args[0] == "compare":  # the scenario's name heads the table
        assert ("Cliënt D 50€ ?" if env == "cp1252" else "Client D 50E ?") in shown
    assert stderr.count("cannot show every character") == 1, stderr


@pytest.mark.parametrize("env", list(NARROW), ids=list(NARROW))
@pytest.mark.parametrize(
    "args",
    [["compare", "scenario.toml", "-f", "json"], ["compare", "scenario.toml", "-f", "csv"], ["schema"]],
    ids=lambda a: a[-1],
)
def test_machine_formats_on_a_narrow_stdout_are_the_utf8_of_a_file(tmp_path, env, args):
    """JSON and CSV on stdout (and `schema`, whose JSON has × and −) are the bytes `-o`
    writes, UTF-8, whatever the locale: a replaced character would change a name or a
    figure. It crashed with UnicodeEncodeError."""
    path = tmp_path / "scenario.toml"
    named = base().replace('role = "payer"', 'role = "payer"\nname = "Verzekeraar Δ − Cliënt"')
    path.write_text(named.replace('name = "Grenzen"', 'name = "Cliënt Δ"'), encoding="utf-8")
    suffix = ".json" if args[-1] in {"json", "schema"} else ".csv"
    assert run_cli([*args, "-o", f"uit{suffix}"], {}, tmp_path).returncode == 0
    result = run_cli(args, NARROW[env], tmp_path)
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert result.returncode == 0, stderr
    assert result.stdout == (tmp_path / f"uit{suffix}").read_bytes()
    assert "cannot show every character" not in stderr
