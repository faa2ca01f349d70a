"""Every example scenario: validates, conserves money, and keeps its recorded figures.

The recorded figures (`tests/golden/<example>.<whatif>.csv`) guard against unintended
changes: a change in the engine that moves any figure of an example shows up here as a
readable diff. When a change is intended, regenerate them with
`BEKOSTIGING_UPDATE_GOLDEN=1 python -m pytest tests/test_examples.py` and review the diff.
The default example's recorded figures were cross-checked, to the cent, against an
independent calculator written from SCENARIO.md alone (for the plain run and every what-if).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bekostiging import examples
from bekostiging.api import compare
from conftest import invoke

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
NAMES = examples.names()


def test_the_repository_examples_are_the_embedded_ones():
    assert sorted(p.parent.name for p in (ROOT / "examples").glob("*/scenario.toml")) == NAMES
    assert examples.DEFAULT in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_example_validates(name):
    result = invoke("validate", examples.path_of(name))
    assert result.exit_code == 0, result.stderr


def _runs(name: str) -> list[tuple[str, ...]]:
    scenario = compare(examples.path_of(name)).scenario
    return [(), *[(w,) for w in scenario.whatif]]


@pytest.mark.parametrize("name", NAMES)
def test_example_conserves_money_in_every_variant_and_what_if(name):
    for whatifs in _runs(name):
        results = compare(examples.path_of(name), whatifs=whatifs).figures.results
        for variant in results["variant"].unique():
            assert results.filter(results["variant"] == variant)["net"].sum() == 0, (whatifs, variant)


@pytest.mark.parametrize("name", NAMES)
def test_example_figures_are_unchanged(name):
    for whatifs in _runs(name):
        label = ".".join((name, *whatifs)) if whatifs else name
        golden = GOLDEN / f"{label}.csv"
        args = [a for w in whatifs for a in ("-w", w)]
        result = invoke("compare", name, "-f", "csv", *args)
        assert result.exit_code == 0, result.stderr
        if os.environ.get("BEKOSTIGING_UPDATE_GOLDEN") == "1":
            golden.write_text(result.stdout, encoding="utf-8")
        assert golden.exists(), f"no recorded figures for {label}: run with BEKOSTIGING_UPDATE_GOLDEN=1"
        assert result.stdout == golden.read_text(encoding="utf-8"), f"figures of {label} changed"
