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

from bekostiging.cli.emit import fail as _fail
from bekostiging.cli.emit import usage as _usage


class CalibrateBy(StrEnum):
    region = "region"


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
) -> None:
    """Turn a claims extract into client profiles and care paths (a scenario fragment).

    The fragment goes to stdout or --output; the report (unmapped codes, clients without a
    profile, outliers, observed prices) to stderr. Nothing is written when anything is wrong.
    """
    from bekostiging.calibrate import CalibrationError, write_fragments
    from bekostiging.calibrate import calibrate as run_calibration
    from bekostiging.output import OutputRefused

    try:
        with _CalibrationProgress() as progress:
            result = run_calibration(
                claims, mapping, by=by.value if by else None, scenario=scenario, progress=progress
            )
    except CalibrationError as exc:
        _fail(exc.findings)
    typer.echo(result.report(), err=True)
    problems = [f"{region or 'fragment'}: {p}" for region, ps in result.fragment_problems.items() for p in ps]
    if problems:
        for problem in problems:
            typer.echo(f"error: the calibrated fragment does not validate: {problem}", err=True)
        raise typer.Exit(1)
    if output is None:
        if by is not None:
            _usage("--by region writes one file per region: give --output FILE")
        sys.stdout.write(result.fragment(None))
        return
    try:
        written = write_fragments(result, output, [p for p in (claims, mapping, scenario) if p is not None])
    except OutputRefused as exc:
        _usage(str(exc))
    except OSError as exc:
        typer.echo(f"error: cannot write {output}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None
    for target in written:
        typer.echo(f"wrote {target}", err=True)


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
