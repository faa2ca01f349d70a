"""Scenario arguments -> loaded scenarios, or every problem of every file and exit 1."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from bekostiging.cli.emit import check_target, fail, say

LOCAL = "scenario.toml"  # what a command runs when given no scenario, if it is there


def chosen(arguments: Sequence[str | None] | None) -> list[str]:
    """The scenarios a command runs: the arguments given; none: `./scenario.toml` if there
    is one (what `bekostiging init DIR` writes), else the embedded default example. Which
    one is said on stderr, so that an edit that seems to do nothing is explained."""
    from bekostiging import examples

    given = [a for a in arguments or () if a is not None]
    if given:
        return given
    if Path(LOCAL).is_file():
        note(f"scenario: ./{LOCAL}")
        return [LOCAL]
    note(f"scenario: {examples.DEFAULT} (the embedded example; `bekostiging init DIR` writes a copy to edit)")
    shown = examples.shown(examples.path_of(examples.DEFAULT))
    assert shown is not None
    return [shown]


def load(arguments: Sequence[str | None] | None, sets: Sequence[str] | None) -> list[Any]:
    """The scenarios `chosen` names, loaded with the `--set` overrides (a folder gives
    each scenario file in it), each file once (a note says which were named again);
    every problem of every file and exit 1 otherwise."""
    from bekostiging import api

    found, findings = [], []
    for source in chosen(arguments):
        try:
            loaded = api.load(source, overrides=list(sets or ()), notes=note)
        except api.ScenarioError as exc:
            findings += exc.findings
            continue
        found += [loaded] if isinstance(loaded, api.Scenario) else list(loaded)
    if findings:
        fail(findings)
    return api.once(found, note)


def first_time(seen: dict[Path, str], path: Path, label: str) -> bool:
    """Whether `path` is met for the first time (`seen`: each resolved file met, with its
    label); a file named again gets a note and is left out (each file is counted once)."""
    from bekostiging import api

    key = path.resolve()
    if key in seen:
        note(api.counted_once(label, seen[key]))
        return False
    seen[key] = label
    return True


def note(line: str) -> None:
    """A note about the inputs (a file of a folder skipped, a warning), on stderr."""
    say(line)


def files(scenarios: Sequence[Any]) -> list[Path]:
    """Every file the scenarios read: what an output must never overwrite."""
    return [path for s in scenarios for path in s.files]


def load_for(
    output: Path | None, arguments: Sequence[str | None] | None, sets: Sequence[str] | None
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
        say(f"error: missing option '{option}' / '{short}': the {kind} are {listing}")
    if missing:
        raise typer.Exit(2)
    assert variant is not None and party is not None
    return variant, party
