"""`validate` (are the files valid?) and `check` (do the `[[expect]]` checks pass?)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from bekostiging.cli import inputs
from bekostiging.cli.emit import check_target, emit, fail, plan, write
from bekostiging.cli.options import (
    TABLE_HELP,
    BaselineOpt,
    CheckTable,
    Dialect,
    DialectOpt,
    FormatOpt,
    Lang,
    LangOpt,
    OutputOpt,
    ScenariosArg,
    SetOpt,
)


def validate(scenarios: ScenariosArg = None, set_: SetOpt = None) -> None:
    """Check scenario files: `OK <file>` for each good one, every problem of each bad one."""
    from bekostiging import api, examples
    from bekostiging.printable import printable

    failed = []
    seen: dict[Path, str] = {}
    for argument in inputs.chosen(scenarios):
        resolved = examples.resolve(argument)
        for path in api.scenario_files([resolved], notes=inputs.note):
            if not inputs.first_time(seen, path, argument if path == resolved else str(path)):
                continue
            try:
                api.load(path, overrides=list(set_ or ()))
            except api.ScenarioError as exc:
                failed.extend(exc.findings)
                continue
            typer.echo(f"OK {printable(str(argument if path == resolved else path))}")
    if failed:
        fail(failed)


def check(
    scenarios: ScenariosArg = None,
    baseline: BaselineOpt = None,
    set_: SetOpt = None,
    junit: Annotated[Path | None, typer.Option("--junit", help="Also write a JUnit XML report here.")] = None,
    require_checks: Annotated[
        bool,
        typer.Option("--require-checks", help=r"Fail (exit 1) when a file has no \[\[expect]] checks."),
    ] = False,
    fmt: FormatOpt = None,
    table: Annotated[CheckTable | None, typer.Option(help=TABLE_HELP)] = None,
    output: OutputOpt = None,
    csv_dialect: DialectOpt = Dialect.standard,
    lang: LangOpt = Lang.nl,
) -> None:
    r"""Evaluate the \[\[expect]] policy checks; exit 1 when any fails or a file fails to load."""
    from bekostiging import api

    out = plan(fmt, output, table, csv_dialect, lang)
    parts, errors, findings, files = [], {}, [], []
    overrides = list(set_ or ())
    seen: dict[Path, str] = {}
    for argument in inputs.chosen(scenarios):
        for path, label, is_totals in api.check_files(argument, notes=inputs.note):
            if not inputs.first_time(seen, path, label):
                continue
            files.append(path)
            try:
                if is_totals:
                    parts.append(api.check_totals(path, label, baseline=baseline, overrides=overrides))
                else:
                    loaded = replace(api.load(path, overrides=overrides), label=label)
                    parts.append(api.check(loaded, baseline=baseline))
            except api.ScenarioError as exc:
                findings += exc.findings
                errors[label] = str(exc)
    for target in (out.path, junit):
        check_target(target, files)
    checks = api.Checks.combine(parts, errors=errors, require_checks=require_checks)
    emit(checks, out, files)
    if junit is not None:
        write(checks.junit(), junit, files)
    if checks.failed:
        typer.echo(f"{checks.failed} check{'s' if checks.failed != 1 else ''} failed.", err=True)
    findings += checks.missing()
    if findings:
        fail(findings)
    if checks.failed:
        raise typer.Exit(1)
