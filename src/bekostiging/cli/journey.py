"""`journey`: one typical client of a profile, under each variant."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from bekostiging.cli import inputs
from bekostiging.cli.emit import emit, exits, one_pass, plan, say
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


class JourneyTable(StrEnum):
    path = "path"
    payments = "payments"
    summary = "summary"


def journey(
    scenario: ScenarioArg = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", "-p", help="The client profile (required).", show_default=False),
    ] = None,
    variant: Annotated[
        list[str] | None,
        typer.Option(
            "--variant", "-v", help="Only these variants (repeatable); the baseline is always shown beside."
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="With a \\[horizon]: this year (default: the first), each variant as contracted "
            "(not mixed by adoption).",
        ),
    ] = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    fmt: FormatOpt = None,
    table: Annotated[
        JourneyTable | None,
        typer.Option(help=TABLE_HELP + " Default for csv and parquet: payments."),
    ] = None,
    output: OutputOpt = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    """One typical client of a profile: her care path and who is paid what for her.

    Per variant: euros per client, her co-payment included, and apart her share of the
    money paid per population."""
    from bekostiging import api

    out = plan(fmt, output, table, csv_dialect, lang)
    one_pass()
    loaded, read = inputs.load_for(out.path, [scenario], set_)
    if profile is None:
        listing = ", ".join(dict.fromkeys(p for s in loaded for p in s.model.profiles))
        say(f"error: missing option '--profile' / '-p': the profiles are {listing}")
        raise typer.Exit(2)
    with exits():
        result = api.journey(
            loaded,
            profile=profile,
            variants=variant or None,
            year=year,
            baseline=baseline,
            whatifs=whatif or (),
        )
    emit(result, out, read)
