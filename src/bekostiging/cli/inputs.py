"""Scenario arguments -> loaded scenarios, or every problem of every file and exit 1."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from bekostiging.cli.emit import check_target, fail


def load(arguments: Sequence[str | None], sets: Sequence[str] | None) -> list[Any]:
    """Each argument (a file, a folder, an example name; None: the default example) loaded
    with the `--set` overrides; a folder gives each scenario file in it."""
    from bekostiging import api, examples

    found, findings = [], []
    for argument in arguments:
        source = argument if argument is not None else examples.path_of(examples.DEFAULT)
        try:
            loaded = api.load(source, overrides=list(sets or ()), notes=note)
        except api.ScenarioError as exc:
            findings += exc.findings
            continue
        found += [loaded] if isinstance(loaded, api.Scenario) else list(loaded)
    if findings:
        fail(findings)
    return found


def note(line: str) -> None:
    """A note about the inputs (a file of a folder skipped, a warning), on stderr."""
    typer.echo(line, err=True)


def files(scenarios: Sequence[Any]) -> list[Path]:
    """Every file the scenarios read: what an output must never overwrite."""
    return [path for s in scenarios for path in s.files]


def load_for(
    output: Path | None, arguments: Sequence[str | None], sets: Sequence[str] | None
) -> tuple[list[Any], list[Path]]:
    """The scenarios and the files they read, once the output is known not to overwrite one
    of them (exit 2 otherwise): what every command that writes does first."""
    scenarios = load(arguments, sets)
    read = files(scenarios)
    check_target(output, read)
    return scenarios, read


def required(scenarios: Sequence[Any], variant: str | None, party: str | None) -> tuple[str, str]:
    """`--variant` and `--party` of a command about one figure; exit 2 when one is missing,
    with the choices the scenario has (in its order), so the next try can be right."""
    missing = [
        (option, short, kind, choices)
        for option, short, kind, given, choices in (
            ("--variant", "-v", "variants", variant, [v for s in scenarios for v in s.model.variants]),
            ("--party", "-p", "parties", party, [p for s in scenarios for p in s.model.parties]),
        )
        if given is None
    ]
    for option, short, kind, choices in missing:
        listing = ", ".join(dict.fromkeys(choices))
        typer.echo(f"error: missing option '{option}' / '{short}': the {kind} are {listing}", err=True)
    if missing:
        raise typer.Exit(2)
    assert variant is not None and party is not None
    return variant, party
