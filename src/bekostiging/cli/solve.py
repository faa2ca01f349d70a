"""`solve`: the value of one input that gives a party's figure its target (issue 18)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from bekostiging.cli import inputs
from bekostiging.cli.emit import emit, exits, plan, say, usage
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

EXAMPLE_PATH = "variants.profielen.mechanisms.0.adjust"


class SolutionTable(StrEnum):
    solution = "solution"
    points = "points"


def solve(
    scenario: ScenarioArg = None,
    vary: Annotated[
        str | None,
        typer.Option(
            "--vary",
            metavar="PATH",
            help="The input to solve for, a dotted path as --set takes it, "
            "e.g. activities.kz_uur.tariff (required).",
            show_default=False,
        ),
    ] = None,
    between: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--between",
            metavar="LOW HIGH",
            help="The range to search (default: the field's own bounds, e.g. 0 to 1 for a "
            "fraction; a field bounded below only: that bound to twice its value).",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            metavar="TARGET",
            help="The figure to reach: VARIANT:PARTY:METRIC, then =, >= or <= and the value; "
            "METRIC is net, delta, margin, payer_spend, coverage or payout.",
            show_default=False,
        ),
    ] = None,
    make_whole: Annotated[
        str | None,
        typer.Option(
            "--make-whole",
            metavar="PARTY",
            help="Instead of --target: PARTY's delta >= 0 at the least spend of the payer.",
            show_default=False,
        ),
    ] = None,
    variant: Annotated[
        str | None,
        typer.Option(
            "--variant",
            "-v",
            help="With --make-whole: the variant (default: the one --vary lies in).",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="With a \\[horizon]: this year's figure (default: the net present value over the horizon).",
        ),
    ] = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    fmt: FormatOpt = None,
    table: Annotated[SolutionTable | None, typer.Option(help=TABLE_HELP)] = None,
    output: OutputOpt = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    """Solve for one input: the value that gives a party's figure its target."""
    from bekostiging import api

    out = plan(fmt, output, table, csv_dialect, lang)
    if vary is None:
        usage("missing option '--vary PATH': the input to solve for, e.g. " + EXAMPLE_PATH)
    if (target is None) == (make_whole is None):
        usage(
            "give either --target VARIANT:PARTY:METRIC=VALUE (e.g. profielen:zorgverzekeraar:delta=0) "
            "or --make-whole PARTY, " + ("not both" if target is not None else "one of them")
        )
    with exits():
        ends = api.solve_range(between) if between is not None else None
        api.solve_goal(
            target, make_whole, variant, vary
        )  # a target that cannot be read: exit 2 before loading
    loaded, read = inputs.load_for(out.path, [scenario], set_)
    with exits():
        result = api.solve(
            loaded,
            vary=vary,
            target=target,
            between=ends,
            year=year,
            make_whole=make_whole,
            variant=variant,
            baseline=baseline,
            whatifs=whatif or (),
        )
    emit(result, out, read)
    if result.status == "out_of_reach":
        low, high = result.reachable
        say(
            f"error: {result.target} is out of reach for {vary} in [{result.low}, {result.high}]: "
            f"the figure reaches [{low}, {high}] there ({result.evaluations} evaluations)"
        )
        raise typer.Exit(1)
