"""Scenario arguments -> loaded scenarios, or every problem of every file and exit 1."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bekostiging.cli.emit import check_target, fail


def load(arguments: Sequence[str | None], sets: Sequence[str] | None) -> list[Any]:
    """Each argument (a file, a folder, an example name; None: the default example) loaded
    with the `--set` overrides; a folder gives each scenario file in it."""
    from bekostiging import api, examples

    found, findings = [], []
    for argument in arguments:
        source = argument if argument is not None else examples.path_of(examples.DEFAULT)
        try:
            loaded = api.load(source, overrides=list(sets or ()))
        except api.ScenarioError as exc:
            findings += exc.findings
            continue
        found += [loaded] if isinstance(loaded, api.Scenario) else list(loaded)
    if findings:
        fail(findings)
    return found


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
