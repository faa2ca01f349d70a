"""Console, output and exit codes: the one place the CLI writes anything.

Exit codes: 0 success; 1 invalid input (every problem listed on stderr with file and
dotted path) or a failed check; 2 wrong use of the command line. Everything that can be
wrong with the use (a format and an extension that disagree, binary output to a
terminal, an output file that is an input, a year outside the horizon) is found before
the work starts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from bekostiging.report.writers import TABULAR, WRITERS, FormatError, choose

if TYPE_CHECKING:
    from rich.console import Console


def say(message: str) -> None:
    """A message on stderr, every control character in it shown as its escape (`\\x1b`):
    a message quotes names, keys, paths and values from files and the command line."""
    from bekostiging.printable import printable_lines

    typer.echo(printable_lines(message), err=True)


def fail(findings: Sequence[Any]) -> NoReturn:
    """Invalid input: every finding on stderr, exit 1."""
    for finding in findings:
        say(str(finding))
    count = len(findings)
    typer.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
    raise typer.Exit(1)


def usage(message: str) -> NoReturn:
    """Wrong use of the command line: exit 2."""
    say(f"error: {message}")
    raise typer.Exit(2)


def error(message: str) -> NoReturn:
    say(f"error: {message}")
    raise typer.Exit(1)


def console() -> Console:
    """The terminal's console (rich reads its width, or `COLUMNS` when set)."""
    from rich.console import Console

    return Console(emoji=False)  # a name's `:thumbs_up:` is text


def width() -> int:
    """The width of tables written to a pipe or a file: `COLUMNS` when set, else 160."""
    from bekostiging.report.writers.table import WIDTH

    found = os.environ.get("COLUMNS", "").strip()
    return int(found) if found.isdigit() and int(found) > 0 else WIDTH


@dataclass(frozen=True)
class Output:
    """How and where a command writes, settled while its options are read."""

    fmt: str
    path: Path | None = None
    table: str | None = None
    dialect: str = "standard"
    lang: str = "nl"


def plan(
    fmt: Any,
    path: Path | None,
    table: Any = None,
    dialect: Any = "standard",
    lang: Any = "nl",
    *,
    formats: Sequence[str] = TABULAR,
    default: str = "table",
) -> Output:
    """The output of a command, or exit 2: a format the extension contradicts, an
    extension no writer has, binary output to a terminal, a folder or a scenario file."""
    check_target(path, ())
    try:
        chosen = choose(_value(fmt), path, formats, default)
    except FormatError as exc:
        usage(str(exc))
    if path is None and chosen in WRITERS and WRITERS[chosen].binary and sys.stdout.isatty():
        usage(f"{chosen} is binary: write it to a file with --output FILE")
    return Output(chosen, path, _value(table), _value(dialect), _value(lang))


def _value(option: Any) -> Any:
    return getattr(option, "value", option)


def check_target(path: Path | None, inputs: Iterable[Path]) -> None:
    """Exit 2 if writing `path` would destroy something of the user's."""
    from bekostiging.output import OutputRefused
    from bekostiging.output import check_target as check

    if path is None:
        return
    try:
        check(path, inputs)
    except OutputRefused as exc:
        usage(str(exc))


@contextmanager
def exits() -> Iterator[None]:
    """The library's errors as the CLI's exit codes, in one place: 2 for an option that does
    not fit the scenario (`OptionError`), 1 with every finding for invalid input
    (`ScenarioError`), 1 for an output this machine cannot make (`OutputUnavailable`)."""
    from bekostiging.api import OptionError, OutputUnavailable, ScenarioError

    try:
        yield
    except OptionError as exc:
        usage(str(exc))
    except ScenarioError as exc:
        fail(exc.findings)
    except OutputUnavailable as exc:
        error(str(exc))


def emit(result: Any, out: Output, inputs: Iterable[Path] = (), **view: Any) -> None:
    """Write `result` as `out` says: to the console, to stdout, or atomically to a file.
    `view` holds what only the tables for people take (compare's `all_years`)."""
    from bekostiging.api import OptionError, render
    from bekostiging.report.writers.xlsx import ExportTooLarge

    if out.fmt == "table":
        _tables(result, out, inputs, view)
        return
    try:
        data = render(result, out.fmt, out.table, dialect=out.dialect, lang=out.lang)
    except OptionError as exc:
        usage(str(exc))
    except ExportTooLarge as exc:
        error(str(exc))
    write(data, out.path, inputs)


def _tables(result: Any, out: Output, inputs: Iterable[Path], view: dict[str, Any]) -> None:
    """Tables for people: on a terminal at its width; to a pipe or a file as plain text,
    `width()` columns wide, without the spaces rich pads lines with."""
    from bekostiging.api import OptionError
    from bekostiging.report.writers.table import text

    if out.table is not None:
        try:
            result.check_table(out.table)
        except OptionError as exc:
            usage(str(exc))

    def draw(target: Console) -> None:
        result.show(target, out.table, out.lang, **view)

    shown = console()
    if out.path is None and shown.is_terminal:
        draw(shown)
        return
    write(text(draw, width()), out.path, inputs, people=True)


def write(data: str | bytes, path: Path | None, inputs: Iterable[Path] = (), *, people: bool = False) -> None:
    """`data` to `path` atomically (never over an input), or to stdout: text for `people`
    in stdout's encoding (`cli/stdout.py`: the nearest character where it lacks one), any
    other text (JSON, CSV, HTML, XML) as the UTF-8 bytes a file gets, whatever the locale."""
    from bekostiging.output import OutputRefused, check_target, write_atomic

    if path is None:
        if isinstance(data, str) and people:
            sys.stdout.write(data)
            return
        sys.stdout.flush()
        sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
        sys.stdout.flush()
        return
    try:
        check_target(path, inputs)
        write_atomic(path, data)
    except OutputRefused as exc:
        usage(str(exc))
    except OSError as exc:
        error(f"cannot write {path}: {exc.strerror}")


def one_pass() -> None:
    """Pause the cyclic garbage collector for the rest of a command that computes once and
    exits (compare, explain, journey, report).

    Such a run makes about a million short-lived objects (decimals, flows, rows) that
    reference counting frees as it goes; the collector, counting them, walks the whole
    heap again and again for cycles that hardly exist (a tenth of the CPU of the national
    folder, measured: benchmarks/national.py). Whatever a cycle holds is freed when the
    process exits a moment later, without a last collection (`cli.main`); in a program
    that runs the CLI and goes on (a test), the command's end switches it on again
    (`app._Group.main`). The long runs (simulate, sensitivity,
    solve, frontier, calibrate) keep the collector: their memory is bounded by it."""
    import gc

    gc.disable()
