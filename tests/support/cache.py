"""Example results computed once per test session: several tests read the same figures."""

from __future__ import annotations

import functools
from pathlib import Path

from bekostiging import examples
from bekostiging.api import scenario_files
from bekostiging.scenario.load import load_scenario
from conftest import invoke


@functools.cache
def example_files(name: str) -> tuple[Path, ...]:
    """The scenario file(s) of an embedded example: one, or one per region."""
    return tuple(scenario_files([examples.path_of(name)]))


@functools.cache
def example_runs(name: str) -> tuple[tuple[str, ...], ...]:
    """No what-if, then each what-if of the example on its own."""
    scenario, _ = load_scenario(example_files(name)[0])
    return ((), *[(w,) for w in scenario.whatif])


@functools.cache
def compare_csv(name: str, whatifs: tuple[str, ...] = ()) -> str:
    """What `bekostiging compare NAME -f csv -w ...` prints (asserted to exit 0)."""
    args = [a for w in whatifs for a in ("-w", w)]
    result = invoke("compare", name, "-f", "csv", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout
