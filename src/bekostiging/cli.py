"""The command line: parse options, call the library, render, map errors to exit codes.

Heavy imports (polars, pydantic models, rich tables) happen inside the commands, so
`bekostiging --help` stays fast. Exit codes: 0 success, 1 invalid input (every problem
listed on stderr with file and dotted path), 2 wrong use of the command line.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from bekostiging import __version__

app = typer.Typer(
    name="bekostiging",
    help="Funding-model calculator for Dutch healthcare: what does each funding variant "
    "do to every party's money?",
    no_args_is_help=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class TableName(StrEnum):
    results = "results"
    components = "components"
    availability = "availability"
    shared_savings = "shared_savings"
    totals = "totals"
    ledger = "ledger"


class Lang(StrEnum):
    nl = "nl"
    en = "en"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bekostiging {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Compare funding variants for Dutch healthcare, per party, to the cent."""


def _fail(findings) -> NoReturn:
    for finding in findings:
        typer.echo(str(finding), err=True)
    count = len(findings)
    typer.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
    raise typer.Exit(1)


def _usage(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        help="Scenario file, or the name of an embedded example. Default: the embedded "
        "example 'geboortezorg-regio'.",
        show_default=False,
    ),
]


@app.command()
def compare(
    scenario: ScenarioArg = None,
    variant: Annotated[
        list[str] | None,
        typer.Option(
            "--variant",
            "-v",
            help="Only these variants (repeatable); the baseline is always computed.",
        ),
    ] = None,
    baseline: Annotated[str | None, typer.Option(help="Another baseline than scenario.baseline.")] = None,
    whatif: Annotated[
        list[str] | None,
        typer.Option("--whatif", "-w", help="Apply these what-ifs, in this order (repeatable)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    table: Annotated[
        TableName | None,
        typer.Option(
            help="The table csv writes (default results); with table: only this table; "
            "json: adds the ledger with 'ledger'."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout."),
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Labels and number format of terminal tables.")] = Lang.nl,
) -> None:
    """Compute every funding variant and compare the money of every party."""
    from bekostiging import api, examples
    from bekostiging.output import OutputRefused, check_target, write_atomic
    from bekostiging.report.render import render
    from bekostiging.scenario.findings import ScenarioError

    path = examples.resolve(scenario)
    try:
        result = api.compare(path, variants=variant or None, baseline=baseline, whatifs=whatif or ())
    except ScenarioError as exc:
        _fail(exc.findings)

    table_name = table.value if table else None
    if output is None and fmt is Format.table:
        from rich.console import Console

        from bekostiging.report.terminal import render_tables

        console = Console()
        if not console.is_terminal:
            console = Console(width=160)  # piped into a file or pager: don't squeeze the tables
        render_tables(result.figures, result.meta, table_name, lang.value, console=console)
        return
    text = render(result.figures, result.meta, fmt.value, table_name, lang.value)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        check_target(output, result.tree.files)
        write_atomic(output, text)
    except OutputRefused as exc:
        _usage(str(exc))
    except OSError as exc:
        typer.echo(f"error: cannot write {output}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None


@app.command()
def validate(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files (or embedded example names).")],
) -> None:
    """Check scenario files: `OK <file>` for each good one, every problem of each bad one."""
    from bekostiging import examples
    from bekostiging.scenario.findings import ScenarioError
    from bekostiging.scenario.load import load_scenario

    failed = []
    for argument in scenarios:
        path = examples.resolve(argument)
        try:
            load_scenario(path)
        except ScenarioError as exc:
            failed.extend(exc.findings)
            continue
        typer.echo(f"OK {argument}")
    if failed:
        _fail(failed)


def main() -> None:
    app()
