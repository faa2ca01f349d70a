"""`frontier`: the negotiation space of a variant over a grid of one or two inputs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from bekostiging.cli import inputs
from bekostiging.cli.emit import emit, exits, plan, usage, write
from bekostiging.cli.options import (
    TABLE_HELP,
    BaselineOpt,
    Dialect,
    DialectOpt,
    FormatOpt,
    Lang,
    LangOpt,
    OutputOpt,
    ScenarioArg,
    SetOpt,
    WhatifOpt,
)
from bekostiging.report.writers import TABULAR

CHARTS = ("svg", "html")  # what -o ruimte.svg / ruimte.html draws: the chart, or its page


class FrontierTable(StrEnum):
    grid = "grid"
    points = "points"


class Command(TyperCommand):
    """`--vary PATH LOW HIGH N`, repeatable: an option of four values, which typer (0.29)
    cannot declare (no list of tuples), so the parsed option is given its four arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.name == "vary":
                param.nargs = 4


class Figure(StrEnum):
    """What "at least as well off" is measured on."""

    delta = "delta"
    margin = "margin"


def frontier(
    scenario: ScenarioArg = None,
    variant: Annotated[
        str | None, typer.Option("--variant", "-v", help="The variant (required).", show_default=False)
    ] = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            metavar="PATH LOW HIGH N",
            parser=tuple,
            help="An input (a dotted path, as --set takes it) and N evenly spaced values "
            "from LOW to HIGH; once or twice (a line or a grid).",
            show_default=False,
        ),
    ] = None,
    parties: Annotated[
        str | None,
        typer.Option(
            "--parties",
            "-p",
            help="The parties that must not lose, comma-separated (required).",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="With a \\[horizon]: the delta of this year (default: the net present value over it).",
        ),
    ] = None,
    figure: Annotated[
        Figure,
        typer.Option(
            "--figure",
            help="delta: the change of each party's net; margin: of what it keeps (net less its "
            "costs), for parties with costs that move with the care they deliver.",
        ),
    ] = Figure.delta,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, max=256, help="Processes for a large grid (default: every core)."),
    ] = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    fmt: FormatOpt = None,
    table: Annotated[FrontierTable | None, typer.Option(help=TABLE_HELP)] = None,
    output: OutputOpt = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    """The negotiation space: where no listed party loses, over a grid of one or two inputs.

    Every listed party's delta at each point, the region where none loses, and its max-min
    and Nash points (-o ruimte.svg: the chart)."""
    from bekostiging import api

    out = plan(fmt, output, table, csv_dialect, lang, formats=(*TABULAR, *CHARTS))
    missing = [
        f"missing option '{option}'" + (f" / '{short}'" if short else "")
        for option, short, given in (
            ("--variant", "-v", variant),
            ("--vary", "", vary),
            ("--parties", "-p", parties),
        )
        if not given
    ]
    if missing:
        usage("; ".join(missing) + " (see bekostiging frontier --help)")
    assert variant is not None and vary is not None and parties is not None
    loaded, read = inputs.load_for(out.path, [scenario], set_)
    with exits():
        result = api.frontier(
            loaded,
            variant=variant,
            vary=vary,
            parties=parties.split(","),
            year=year,
            baseline=baseline,
            whatifs=whatif or (),
            workers=workers,
            figure=figure.value,
        )
    if out.fmt in CHARTS:
        write(result.chart(out.fmt, out.lang), out.path, read)
        return
    emit(result, out, read)
