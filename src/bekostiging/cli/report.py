"""`report`: one self-contained HTML page, or one chart of it (SVG or PNG)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bekostiging.cli import inputs
from bekostiging.cli.emit import check_target, exits, one_pass, plan, usage, write
from bekostiging.cli.options import DEFAULT_HELP, BaselineOpt, Lang, LangOpt, SetOpt, WhatifOpt
from bekostiging.report.writers import PICTURES


def report(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Scenario files or folders (several are summed), or an embedded example name. "
            + DEFAULT_HELP,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The HTML file (or, with --chart, .svg/.png) to write."),
    ] = None,
    chart: Annotated[
        str | None,
        typer.Option("--chart", help="Only this chart, for a memo: saldo, verschil, geldstromen, ..."),
    ] = None,
    variant: Annotated[
        str | None, typer.Option("--variant", "-v", help="The variant whose money flows are drawn.")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="With a \\[horizon]: the year shown.")] = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    lang: LangOpt = Lang.nl,
) -> None:
    """One self-contained HTML page with the charts and their data, that opens offline."""
    from bekostiging import api

    formats = ("svg", "png") if chart is not None else ("html",)
    out = plan(None, output, formats=tuple(PICTURES), default=formats[0])
    if out.fmt not in formats:
        usage(
            f"{output}: "
            + ("a chart is .svg or .png" if chart else "the page is .html; --chart draws .svg or .png")
        )
    if output is None and sys.stdout.isatty():
        usage("give --output FILE (for example -o rapport.html), or redirect the output")
    one_pass()
    loaded = inputs.load(scenarios or [None], set_)
    files = inputs.files(loaded)
    check_target(output, files)
    with exits():
        for s in loaded:
            api.check_year(s, year)
        result = api.compare(loaded, baseline=baseline, whatifs=whatif or (), attribution=True)
    with exits():
        page = api.report(
            result, chart=chart, png=out.fmt == "png", lang=lang.value, variant=variant, year=year
        )
    write(page, output, files)
