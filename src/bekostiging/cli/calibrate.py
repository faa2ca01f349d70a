"""`calibrate`: a claims extract -> client profiles and care paths (a scenario fragment).

The fragment goes to stdout or `--output`; the report to stderr. The library reports
progress through a callback; the bar is drawn here, on a terminal only.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bekostiging.cli.emit import check_target, emit, exits, plan, say
from bekostiging.cli.emit import usage as _usage
from bekostiging.cli.options import Dialect, DialectOpt, FormatOpt, Lang, LangOpt


class CalibrateBy(StrEnum):
    region = "region"


class CalibrateTable(StrEnum):
    profiles = "profiles"
    paths = "paths"
    without_profile = "without_profile"
    negative_paths = "negative_paths"
    prices = "prices"
    unmapped = "unmapped"
    ignored = "ignored"
    outliers = "outliers"
    outlier_examples = "outlier_examples"


def calibrate(
    claims: Annotated[Path, typer.Argument(help="Claims extract: CSV or Parquet, one row per claim line.")],
    mapping: Annotated[
        Path, typer.Option("--mapping", "-m", help="TOML mapping: codes to activities, profile rules.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the fragment here (--by region: one file per region)."),
    ] = None,
    by: Annotated[CalibrateBy | None, typer.Option("--by", help="One fragment per region.")] = None,
    scenario: Annotated[
        Path | None,
        typer.Option("--scenario", help="Check against this scenario (default: the mapping's `scenario`)."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            "-r",
            help="Write the report to this file (atomically); its extension sets the format.",
        ),
    ] = None,
    fmt: FormatOpt = None,
    table: Annotated[CalibrateTable | None, typer.Option(help="One table of the report.")] = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    """Turn a claims extract into client profiles and care paths (a scenario fragment).

    The fragment goes to stdout or --output; the report (unmapped codes, clients without a
    profile, outliers, observed prices) to stderr as text, or as tables in any format
    (--format, --table) to stderr or --report FILE. Nothing is written when anything is wrong.
    """
    from bekostiging import api
    from bekostiging.calibrate import write_fragments
    from bekostiging.output import OutputRefused
    from bekostiging.report.writers import WRITERS

    given = [p for p in (claims, mapping, scenario) if p is not None]
    if by is not None and output is None:
        _usage("--by region writes one file per region: give --output FILE")
    if report is None and fmt is not None and WRITERS[fmt.value].binary:
        _usage(f"{fmt.value} is binary: write the report to a file with --report FILE")
    out = plan(fmt, report, table, csv_dialect, lang)
    check_target(report, given)
    if report is not None and output is not None and report.resolve() == output.resolve():
        _usage("--report and --output name the same file")
    with exits(), _CalibrationProgress() as progress:
        result = api.calibrate(
            claims, mapping, by=by.value if by else None, scenario=scenario, progress=progress, lang=out.lang
        )
    if report is not None:
        emit(result, out, given)
    elif fmt is None and table is None:
        typer.echo(result.text(out.lang), err=True)
    else:
        typer.echo(
            api.render(result, out.fmt, out.table, dialect=out.dialect, lang=out.lang), err=True, nl=False
        )
    if result.problems:
        for problem in result.problems:
            say(f"error: the calibrated fragment does not validate: {problem}")
        raise typer.Exit(1)
    if output is None:
        sys.stdout.write(result.fragment(None))
        return
    try:
        written = write_fragments(result.calibration, output, given)
    except OutputRefused as exc:
        _usage(str(exc))
    except OSError as exc:
        what = f"{output} (one file per region)" if by is not None else str(output)
        say(f"error: cannot write {what}: {exc.strerror or exc}; nothing was written")
        raise typer.Exit(1) from None
    for target in written:
        say(f"wrote {target}")


class _CalibrationProgress:
    """A progress bar on stderr while `calibrate` runs, on a terminal only.

    `with` gives the library's progress callback (None off a terminal). Polars reports
    nothing from inside one query, so the bar counts stages and spins while each runs
    (polars releases the GIL, so the spinner keeps turning); it clears at the end.
    """

    def __enter__(self):
        from rich.console import Console

        console = Console(stderr=True)
        self.bar: Any = None
        if not console.is_terminal:
            return None
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("[bold]calibrate[/bold] {task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task: Any = None
        self.bar.start()
        return self.update

    def update(self, done: int, total: int, stage: str) -> None:
        if self.task is None:
            self.task = self.bar.add_task(stage, total=total)
        self.bar.update(self.task, completed=done, description=stage, refresh=True)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# ------------------------------------------------------------------ starters
