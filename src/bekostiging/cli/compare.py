"""`compare`: every funding variant, the money of every party."""

from __future__ import annotations

from typing import Annotated

import typer

from bekostiging.cli import inputs
from bekostiging.cli.emit import emit, exits, one_pass, plan, usage
from bekostiging.cli.options import (
    DEFAULT_HELP,
    TABLE_HELP,
    BaselineOpt,
    By,
    CompareTable,
    Dialect,
    DialectOpt,
    FormatOpt,
    Lang,
    LangOpt,
    OutputOpt,
    SetOpt,
    WhatifOpt,
)


def compare(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Scenario files or folders (all scenario files in them), or the name of an embedded "
            "example. " + DEFAULT_HELP,
            show_default=False,
        ),
    ] = None,
    variant: Annotated[
        list[str] | None,
        typer.Option(
            "--variant", "-v", help="Only these variants (repeatable); the baseline is always computed."
        ),
    ] = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    by: Annotated[By, typer.Option("--by", help="Breakdown of the main table.")] = By.party,
    attribution: Annotated[
        bool,
        typer.Option("--attribution", help="Split every delta into steps, in the fixed evaluation order."),
    ] = False,
    year: Annotated[
        int | None, typer.Option("--year", help="With a \\[horizon]: only this year's tables.")
    ] = None,
    all_years: Annotated[
        bool,
        typer.Option(
            "--all-years",
            help="With a \\[horizon]: the tables of every year on screen, before the summary "
            "(by default the summary only).",
        ),
    ] = False,
    fmt: FormatOpt = None,
    table: Annotated[
        CompareTable | None, typer.Option(help=TABLE_HELP + " json adds the ledger with 'ledger'.")
    ] = None,
    output: OutputOpt = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
    party: Annotated[
        str | None,
        typer.Option(
            "--party",
            "-p",
            help="With --by scenario: sort the regions by this party's change (default: the "
            "providers and networks together).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Compute every funding variant and compare the money of every party."""
    from bekostiging import api

    out = plan(fmt, output, table, csv_dialect, lang)
    if out.table == "attribution" and not attribution:
        usage("--table attribution needs --attribution")
    if out.table and out.table.startswith("by_") and by.value != out.table[3:]:
        usage(f"--table {out.table} needs --by {out.table[3:]}")
    if party is not None and by is not By.scenario:
        usage("--party sorts the regions of --by scenario; give --by scenario too")
    if all_years and year is not None:
        usage("--all-years and --year exclude each other: every year, or one")
    if all_years and out.fmt != "table":
        usage(f"--all-years is for the tables on screen; {out.fmt} holds every year already")
    one_pass()
    loaded, read = inputs.load_for(out.path, scenarios or [None], set_)
    if by is By.scenario and len(loaded) < 2:
        usage(
            f"--by scenario needs several scenarios: a folder or several files; got one ({loaded[0].label})"
        )
    for hint in versions_hint(scenarios or [], loaded):
        inputs.note(hint)
    for s in loaded:
        if s.model.horizon is None:
            if out.table == "horizon":
                usage(f"{s.file}: --table horizon needs a [horizon]")
            if all_years:
                usage(f"{s.file}: --all-years needs a [horizon]")
    with exits():
        result = api.compare(
            loaded,
            variants=variant or None,
            baseline=baseline,
            whatifs=whatif or (),
            year=year,
            attribution=attribution,
            by=by.value,
            party=party,
        )
    emit(result, out, read, all_years=all_years)


def versions_hint(arguments: list[str], loaded: list) -> list[str]:
    """A hint for each scenario name that several files given apart have: compare adds
    them up as regions, but two versions of one scenario are what `diff` is for. Files of
    one folder named as the folder are left to the folder's own warning."""
    import shlex
    from pathlib import Path

    from bekostiging import examples

    folders = {examples.resolve(a).resolve() for a in arguments if examples.resolve(a).is_dir()}
    by_name: dict[str, list] = {}
    for s in loaded:
        by_name.setdefault(s.name, []).append(s)
    hints = []
    for name, group in by_name.items():
        parents = {Path(f).resolve().parent for s in group for f in s.files[:1]}
        if len(group) < 2 or (len(parents) == 1 and parents <= folders):
            continue
        labels = [s.label for s in group]
        both = "both" if len(labels) == 2 else "all"
        hints.append(
            f"hint: {', '.join(labels[:-1])} and {labels[-1]} are {both} scenario '{name}': compare adds "
            "them up, as regions; to see what changed from one version to the other: "
            f"bekostiging diff {shlex.quote(labels[0])} {shlex.quote(labels[1])}"
        )
    return hints
