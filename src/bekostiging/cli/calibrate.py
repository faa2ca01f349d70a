"""`calibrate`: a claims extract -> client profiles and care paths (a scenario fragment).

Kept as it was while `calibrate/` becomes a package; its report will become a result
(named tables) with every format, like the other commands.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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
    from rich.console import Console

    from bekostiging.calibrate import CalibrationError, output_paths
    from bekostiging.calibrate import calibrate as run_calibration
    from bekostiging.output import OutputRefused, check_target, write_atomic

    try:
        result = run_calibration(
            claims, mapping, by=by.value if by else None, scenario=scenario, console=Console(stderr=True)
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
    inputs = [p for p in (claims, mapping, scenario) if p is not None]
    targets = output_paths(output, result)
    try:
        for target in targets:  # check every target before writing any
            check_target(target, inputs)
        for target, text in targets.items():
            write_atomic(target, text)
    except OutputRefused as exc:
        _usage(str(exc))
    except OSError as exc:
        typer.echo(f"error: cannot write {output}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None
    for target in targets:
        typer.echo(f"wrote {target}", err=True)
