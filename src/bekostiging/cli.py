"""The command line: parse options, call the library, render, map errors to exit codes.

Heavy imports (polars, pydantic models, rich tables) happen inside the commands, so
`bekostiging --help` stays fast. Exit codes: 0 success, 1 invalid input (every problem
listed on stderr with file and dotted path) or a failed check, 2 wrong use of the
command line.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

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
    parquet = "parquet"
    xlsx = "xlsx"


class TraceFormat(StrEnum):
    table = "table"
    json = "json"


class TableName(StrEnum):
    results = "results"
    components = "components"
    availability = "availability"
    shared_savings = "shared_savings"
    totals = "totals"
    ledger = "ledger"
    attribution = "attribution"
    by_component = "by_component"
    by_profile = "by_profile"
    by_activity = "by_activity"
    horizon = "horizon"


class By(StrEnum):
    party = "party"
    component = "component"
    profile = "profile"
    activity = "activity"


class Dialect(StrEnum):
    standard = "standard"
    excel_nl = "excel-nl"


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


def _console():
    """A rich console: the terminal's width, or 160 columns when piped (no colours then)."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=160)


def _emit(data: str | bytes, output: Path | None, inputs: list[Path]) -> None:
    """Write to `output` atomically (never over an input), or to stdout."""
    from bekostiging.output import OutputRefused, check_target, write_atomic

    if output is None:
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                _usage("this format is binary: write it to a file with --output FILE")
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            sys.stdout.write(data)
        return
    try:
        check_target(output, inputs)
        write_atomic(output, data)
    except OutputRefused as exc:
        _usage(str(exc))
    except OSError as exc:
        typer.echo(f"error: cannot write {output}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None


# ------------------------------------------------------------------ shared options

ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        help="Scenario file, or the name of an embedded example. Default: the embedded "
        "example 'geboortezorg-regio'.",
        show_default=False,
    ),
]
BaselineOpt = Annotated[
    str | None, typer.Option("--baseline", help="Another baseline than scenario.baseline.")
]
WhatifOpt = Annotated[
    list[str] | None, typer.Option("--whatif", "-w", help="Apply these what-ifs, in this order (repeatable).")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Override one input, e.g. --set activities.kz_uur.tariff=65 "
        "(repeatable; validated like the file).",
    ),
]
# `explain` and `sensitivity` are about one figure: one variant's, of one party (required).
FigureVariantOpt = Annotated[str, typer.Option("--variant", "-v", help="The variant of the figure.")]
FigurePartyOpt = Annotated[str, typer.Option("--party", "-p", help="The party of the figure.")]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Labels and number format of terminal tables.")]


# ------------------------------------------------------------------ compare


@app.command()
def compare(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Scenario files or folders (all scenario files in them), or the name of an embedded "
            "example. Default: the embedded example 'geboortezorg-regio'.",
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
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    table: Annotated[
        TableName | None,
        typer.Option(
            help="The table csv/parquet write (default results); with table: only this table; "
            "json: adds the ledger with 'ledger'."
        ),
    ] = None,
    output: OutputOpt = None,
    csv_dialect: Annotated[
        Dialect,
        typer.Option("--csv-dialect", help="excel-nl: ';', decimal comma and a BOM, for Dutch Excel."),
    ] = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    """Compute every funding variant and compare the money of every party."""
    from bekostiging import api, examples
    from bekostiging.findings import ScenarioError

    paths = api.scenario_files([examples.resolve(s) for s in scenarios or [None]])
    options = {
        "variants": variant or None,
        "baseline": baseline,
        "whatifs": whatif or (),
        "sets": set_ or (),
        "attribution": attribution,
        "by": by.value,
        "year": year,
    }
    try:
        results = api.compare_many(paths, **options)
    except ScenarioError as exc:
        _fail(exc.findings)

    table_name = table.value if table else None
    if table_name == "attribution" and not attribution:
        _usage("--table attribution needs --attribution")
    if table_name and table_name.startswith("by_") and by.value != table_name[3:]:
        _usage(f"--table {table_name} needs --by {table_name[3:]}")
    inputs = [p for r in results for p in r.tree.files]
    if len(results) > 1:
        _emit_many(results, fmt, table_name, output, lang, csv_dialect, inputs)
        return
    result = results[0]
    if fmt is Format.table:
        from bekostiging.report.terminal import render_tables

        if output is None:
            render_tables(result.figures, result.meta, table_name, lang.value, console=_console())
        else:
            _emit(render_tables(result.figures, result.meta, table_name, lang.value), output, inputs)
        return
    from bekostiging.report.export import ExportTooLarge

    try:
        data = _render(result.figures, result.meta, fmt, table_name, csv_dialect, lang)
    except ExportTooLarge as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _emit(data, output, inputs)


def _render(figures, meta, fmt: Format, table: str | None, dialect: Dialect, lang: Lang) -> str | bytes:
    from bekostiging.report import export
    from bekostiging.report.render import default_table, render

    name = table or default_table(figures)
    if fmt is Format.parquet:
        return export.parquet(figures.table(name), name)
    if fmt is Format.xlsx:
        return export.xlsx(figures, meta, lang=lang.value)
    if fmt is Format.csv and dialect is Dialect.excel_nl:
        return export.csv_excel_nl(figures.table(name), name)
    return render(figures, meta, fmt.value, table, lang.value)


def _emit_many(results, fmt: Format, table: str | None, output, lang: Lang, dialect: Dialect, inputs) -> None:
    from bekostiging.api import total_results
    from bekostiging.report.render import render_many

    total = total_results(results)
    if fmt in (Format.csv, Format.json):
        items = [(r.figures, r.meta) for r in results]
        _emit(render_many(items, total, fmt.value, table, dialect.value), output, inputs)
        return
    if fmt is not Format.table:
        _usage(f"--format {fmt.value} takes one scenario; use csv or json for several")
    from bekostiging.report.terminal import render_many_tables

    items = [(r.figures, r.meta) for r in results]
    if output is None:
        render_many_tables(items, total, table, lang.value, console=_console())
    else:
        _emit(render_many_tables(items, total, table, lang.value), output, inputs)


def render_tables(*args, **kwargs):
    from bekostiging.report.terminal import render_tables as render

    return render(*args, **kwargs)


# ------------------------------------------------------------------ validate


@app.command()
def validate(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files (or embedded example names).")],
    set_: SetOpt = None,
) -> None:
    """Check scenario files: `OK <file>` for each good one, every problem of each bad one."""
    from bekostiging import examples
    from bekostiging.api import scenario_files
    from bekostiging.findings import ScenarioError
    from bekostiging.scenario.load import load_scenario

    failed = []
    for argument in scenarios:
        resolved = examples.resolve(argument)
        for path in scenario_files([resolved]):
            try:
                load_scenario(path, overrides=tuple(set_ or ()))
            except ScenarioError as exc:
                failed.extend(exc.findings)
                continue
            typer.echo(f"OK {argument if path == resolved else path}")
    if failed:
        _fail(failed)


# ------------------------------------------------------------------ explain


@app.command()
def explain(
    scenario: ScenarioArg = None,
    variant: FigureVariantOpt = ...,  # type: ignore[assignment]
    party: FigurePartyOpt = ...,  # type: ignore[assignment]
    component: Annotated[
        str | None, typer.Option("--component", "-c", help="Only this component (fee, bundle, ...).")
    ] = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    fmt: Annotated[
        TraceFormat, typer.Option("--format", "-f", help="table: a tree; json: a versioned trace for audit.")
    ] = TraceFormat.table,
    year: Annotated[
        int | None, typer.Option("--year", help="With a \\[horizon]: this year (default: the first).")
    ] = None,
    output: OutputOpt = None,
    lang: LangOpt = Lang.nl,
) -> None:
    """The ledger lines behind one party's figure, each with the formula that made it."""
    from bekostiging import api, examples
    from bekostiging.explain import explain as trace
    from bekostiging.explain import render_tree, trace_document
    from bekostiging.findings import ScenarioError
    from bekostiging.report.render import dumps

    try:
        result = api.compare(
            examples.resolve(scenario), baseline=baseline, whatifs=whatif or (), sets=set_ or (), year=year
        )
        explanation = trace(result.run, variant, party, component, file=result.tree.main, year=result.year)
    except ScenarioError as exc:
        _fail(exc.findings)
    if fmt is TraceFormat.json:
        _emit(dumps(trace_document(explanation, result.meta)) + "\n", output, result.tree.files)
        return
    tree = render_tree(explanation, lang.value)
    if output is None:
        _console().print(tree)
        return
    import io

    from rich.console import Console

    buffer = Console(file=io.StringIO(), width=160, color_system=None)
    buffer.print(tree)
    _emit(buffer.file.getvalue(), output, result.tree.files)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ check


@app.command()
def check(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario files (or embedded example names).")],
    baseline: BaselineOpt = None,
    set_: SetOpt = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Also write a JUnit XML report here.")] = None,
    lang: LangOpt = Lang.nl,
) -> None:
    r"""Evaluate the \[\[expect]] policy checks; exit 1 when any fails."""
    from bekostiging import examples
    from bekostiging.api import scenario_files
    from bekostiging.expectations import evaluate, failed, junit_xml, render_outcomes
    from bekostiging.findings import ScenarioError
    from bekostiging.scenario.toml_files import display

    outcomes, errors, findings, inputs = {}, {}, [], []
    for argument in scenarios:
        resolved = examples.resolve(argument)
        for path in scenario_files([resolved]):
            label = argument if path == resolved else display(path)
            inputs.append(path)
            try:
                outcomes[label] = evaluate(path, baseline=baseline, sets=tuple(set_ or ()))
            except ScenarioError as exc:
                findings += exc.findings
                errors[label] = str(exc)
    if outcomes:
        _console().print(render_outcomes(outcomes, lang=lang.value))
    if junit is not None:
        _emit(junit_xml(outcomes, errors=errors), junit, inputs)
    if findings:
        _fail(findings)
    count = failed(outcomes)
    if count:
        typer.echo(f"{count} check{'s' if count != 1 else ''} failed.", err=True)
        raise typer.Exit(1)


# ------------------------------------------------------------------ uncertainty


class TextFormat(StrEnum):
    """The formats of `simulate` and `sensitivity`: text only (no parquet or xlsx)."""

    table = "table"
    csv = "csv"
    json = "json"


class SimTable(StrEnum):
    results = "results"
    shared_savings = "shared_savings"


class Metric(StrEnum):
    delta = "delta"
    net = "net"
    npv_delta = "npv_delta"


@app.command()
def simulate(
    scenario: ScenarioArg = None,
    draws: Annotated[
        int | None, typer.Option("--draws", min=1, help="Number of draws (default: the file's).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (default: the file's).")] = None,
    variant: Annotated[
        list[str] | None, typer.Option("--variant", "-v", help="Only these variants (repeatable).")
    ] = None,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    fmt: Annotated[
        TextFormat, typer.Option("--format", "-f", help="table, csv (one table: --table) or json.")
    ] = TextFormat.table,
    table: Annotated[
        SimTable | None, typer.Option("--table", help="Write this table as CSV (default: results).")
    ] = None,
    output: OutputOpt = None,
    lang: LangOpt = Lang.nl,
) -> None:
    r"""Monte Carlo over the \[uncertainty] parameters: mean, p5, p50, p95 and the chance of loss."""
    from bekostiging import api, examples
    from bekostiging.findings import ScenarioError
    from bekostiging.report import simulation as out

    path = examples.resolve(scenario)
    console = _console()
    progress_bar = None
    if console.is_terminal:
        from rich.console import Console
        from rich.progress import Progress

        progress_bar = Progress(console=Console(stderr=True), transient=True)
    try:
        if progress_bar is None:
            result = _simulate(api, path, draws, seed, variant, baseline, whatif, set_, None)
        else:
            with progress_bar:
                task = progress_bar.add_task("trekkingen" if lang is Lang.nl else "draws", total=draws)
                result = _simulate(
                    api,
                    path,
                    draws,
                    seed,
                    variant,
                    baseline,
                    whatif,
                    set_,
                    lambda k: progress_bar.advance(task, k),
                )
    except ScenarioError as exc:
        _fail(exc.findings)
    tables = {"results": result.results, "shared_savings": result.shared_savings}
    extra: dict[str, Any] = {"draws": result.draws, "seed": result.seed}
    if result.year is not None:
        extra["year"] = result.year  # net, delta and p_eligible are this year's
    if table is not None or fmt is TextFormat.csv:
        chosen = (table or SimTable.results).value
        text = out.to_csv(tables[chosen], chosen)
    elif fmt is TextFormat.json:
        text = out.to_json(tables, result.meta, extra)
    else:
        title = f"{result.meta.scenario_name} ({result.draws} draws, seed {result.seed})"
        if result.year is not None:
            title += f", net/delta {result.year}"
        if output is None:
            for rich_table in out.to_tables(tables, result.meta, lang.value, title):
                console.print(rich_table)
            return
        text = _plain(out.to_tables(tables, result.meta, lang.value, title))
    _emit(text, output, [path])


def _simulate(api, path, draws, seed, variant, baseline, whatif, set_, progress):
    return api.simulate(
        path,
        draws=draws,
        seed=seed,
        variants=variant or None,
        baseline=baseline,
        whatifs=whatif or (),
        sets=set_ or (),
        progress=progress,
    )


def _plain(renderables) -> str:
    import io

    from rich.console import Console

    buffer = Console(file=io.StringIO(), width=160, color_system=None)
    for r in renderables:
        buffer.print(r)
    return buffer.file.getvalue()  # type: ignore[attr-defined]


@app.command()
def sensitivity(
    scenario: ScenarioArg = None,
    variant: FigureVariantOpt = ...,  # type: ignore[assignment]
    party: FigurePartyOpt = ...,  # type: ignore[assignment]
    metric: Annotated[Metric, typer.Option("--metric", help="The figure that swings.")] = Metric.delta,
    baseline: BaselineOpt = None,
    whatif: WhatifOpt = None,
    set_: SetOpt = None,
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="table, csv or json.")] = TextFormat.table,
    output: OutputOpt = None,
    lang: LangOpt = Lang.nl,
) -> None:
    """One-way sensitivity: a tornado table of the parameters, sorted by swing."""
    from bekostiging import api, examples
    from bekostiging.findings import ScenarioError
    from bekostiging.report import simulation as out

    path = examples.resolve(scenario)
    try:
        meta, rows = api.sensitivity(
            path,
            variant=variant,
            party=party,
            metric=metric.value,
            baseline=baseline,
            whatifs=whatif or (),
            sets=set_ or (),
        )
    except ScenarioError as exc:
        _fail(exc.findings)
    if fmt is TextFormat.csv:
        text = out.to_csv(rows, "tornado")
    elif fmt is TextFormat.json:
        text = out.to_json(
            {"tornado": rows}, meta, {"variant": variant, "party": party, "metric": metric.value}
        )
    else:
        title = f"{meta.scenario_name}: {metric.value} {party} ({variant})"
        tables = out.to_tables({"tornado": rows}, meta, lang.value, title)
        if output is None:
            for rich_table in tables:
                _console().print(rich_table)
            return
        text = _plain(tables)
    _emit(text, output, [path])


# ------------------------------------------------------------------ report


@app.command()
def report(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Scenario files or folders (several are summed), or an embedded example name. "
            "Default: the embedded example 'geboortezorg-regio'.",
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
    from bekostiging import api, examples
    from bekostiging.findings import ScenarioError
    from bekostiging.report import html

    if output is None and sys.stdout.isatty():
        _usage("give --output FILE (for example -o rapport.html), or redirect the output")
    paths = api.scenario_files([examples.resolve(s) for s in scenarios or [None]])
    options = {"baseline": baseline, "whatifs": whatif or (), "sets": set_ or (), "attribution": True}
    try:
        results = api.compare_many(paths, **options)
    except ScenarioError as exc:
        _fail(exc.findings)
    inputs = [p for r in results for p in r.tree.files]
    subject = results[0] if len(results) == 1 else results
    try:
        if chart is None:
            _emit(
                html.build_report(subject, lang=lang.value, flow_variant=variant, year=year), output, inputs
            )
            return
        svg = html.chart_svg(subject, chart, lang=lang.value, flow_variant=variant, year=year)
    except ValueError as exc:
        _usage(str(exc))
    if output is not None and output.suffix.lower() == ".png":
        from bekostiging.report.html.raster import PngUnavailable, svg_to_png

        try:
            _emit(svg_to_png(svg), output, inputs)
        except PngUnavailable as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        return
    _emit(svg, output, inputs)


# ------------------------------------------------------------------ calibrate


class CalibrateBy(StrEnum):
    region = "region"


@app.command()
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


@app.command()
def examples() -> None:
    """List the embedded examples, one line each."""
    from bekostiging.starter import list_examples

    for name, description in list_examples():
        typer.echo(f"{name:28s} {description}")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to write the example into.")] = Path("."),
    example: Annotated[
        str | None, typer.Option("--example", "-e", help="Which example (see `examples`).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that exist.")] = False,
) -> None:
    """Write an example scenario (and the files it includes) to start from."""
    from bekostiging import examples as embedded
    from bekostiging.starter import StarterError, init_example

    try:
        written = init_example(directory, example or embedded.DEFAULT, force=force)
    except StarterError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for path in written:
        typer.echo(f"wrote {path}")
    start = written[0].parent if embedded.path_of(example or embedded.DEFAULT).is_dir() else written[0]
    typer.echo(f"next: bekostiging compare {start}")


@app.command()
def schema(output: OutputOpt = None) -> None:
    """The JSON Schema of the scenario format (for `#:schema` in editors)."""
    from bekostiging.starter import json_schema

    _emit(json_schema(), output, [])


def main() -> None:
    app()
