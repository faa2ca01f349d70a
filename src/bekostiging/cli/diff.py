"""`diff`: two versions of one scenario, the inputs that differ and what each figure does."""

from __future__ import annotations

from typing import Annotated

import typer

from bekostiging.cli import inputs
from bekostiging.cli.emit import check_target, emit, exits, plan, usage
from bekostiging.cli.options import (
    TABLE_HELP,
    BaselineOpt,
    Dialect,
    DialectOpt,
    DiffTable,
    FormatOpt,
    Lang,
    LangOpt,
    OutputOpt,
    SetOpt,
    WhatifOpt,
)


def diff(
    old: Annotated[
        str,
        typer.Argument(
            help="The old version: a scenario file, a folder of them, or an embedded example.",
            show_default=False,
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(
            help="The new version: a file against a file, a folder against a folder (matched by file name).",
            show_default=False,
        ),
    ],
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="With a \\[horizon]: only this year's figures."),
    ] = None,
    all_years: Annotated[
        bool,
        typer.Option(
            "--all-years",
            help="With a \\[horizon]: every year's figures on screen, beside the net present values "
            "(by default those only; csv and json hold every year).",
        ),
    ] = False,
    fmt: FormatOpt = None,
    table: Annotated[
        DiffTable | None,
        typer.Option(help=TABLE_HELP + " Terminal default: what changed (inputs, then figures)."),
    ] = None,
    output: OutputOpt = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    """Two versions of one scenario: the inputs that differ, then the change of every figure."""
    from bekostiging import api

    out = plan(fmt, output, table, csv_dialect, lang)
    if all_years and year is not None:
        usage("--all-years and --year exclude each other: every year, or one")
    if all_years and out.fmt != "table":
        usage(f"--all-years is for the tables on screen; {out.fmt} holds every year already")
    with exits():
        sides = api.diff_sides(old, new, overrides=list(set_ or ()) or None, notes=inputs.note)
    read = inputs.files([s for side in sides for s in _each(side)])
    check_target(out.path, read)
    if all_years and not any(s.model.horizon for side in sides for s in _each(side)):
        usage("--all-years needs a [horizon]")
    with exits():
        result = api.diff(*sides, baseline=baseline, whatifs=whatif or (), year=year, notes=inputs.note)
    emit(result, out, read, all_years=all_years)


def _each(side):
    return side if isinstance(side, tuple) else (side,)
