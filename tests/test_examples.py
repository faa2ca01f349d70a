"""Every example scenario: validates, conserves money, and keeps its recorded figures.

The recorded figures (`tests/golden/<example>.<whatif>.csv`) guard against unintended
changes: a change in the engine that moves any figure of an example shows up here as a
readable diff. When a change is intended, regenerate them with
`BEKOSTIGING_UPDATE_GOLDEN=1 python -m pytest tests/test_examples.py` and review the diff.
The default example's figures as one year were cross-checked, to the cent, against an
independent calculator written from SCENARIO.md alone (for the plain run and every what-if);
its [horizon] reproduces them where it should (test_the_default_example_...).
An example is a `scenario.toml`, or a folder `regios/` of regional scenario files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bekostiging import examples
from bekostiging.api import compare
from conftest import invoke, one_year_default
from support.cache import compare_csv, example_files, example_runs
from support.slow import example_params

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
NAMES = examples.names()
GENERATED = [n for n in NAMES if (examples.folder_of(n) / "generate.py").is_file()]


def test_the_repository_examples_are_the_embedded_ones():
    in_repo = {p.parent.name for p in (ROOT / "examples").glob("*/scenario.toml")}
    in_repo |= {p.parent.name for p in (ROOT / "examples").glob(f"*/{examples.REGIONS}")}
    assert sorted(in_repo) == NAMES
    assert examples.DEFAULT in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_example_validates(name):
    result = invoke("validate", name)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("OK ") == len(example_files(name))


@pytest.mark.parametrize("name", example_params(NAMES))
def test_example_conserves_money_in_every_variant_and_what_if(name):
    for whatifs in example_runs(name):
        for comparison in compare(example_files(name), whatifs=whatifs).items:
            results = comparison.figures.results
            for variant in results["variant"].unique():
                net = results.filter(results["variant"] == variant)["net"].sum()
                assert net == 0, (comparison.meta.scenario_name, whatifs, variant)


@pytest.mark.parametrize("name", example_params(NAMES))
def test_example_figures_are_unchanged(name):
    for whatifs in example_runs(name):
        label = ".".join((name, *whatifs)) if whatifs else name
        golden = GOLDEN / f"{label}.csv"
        figures = compare_csv(name, whatifs)
        if examples.path_of(name).is_dir():  # a national picture: record its total, not every region
            header, *rows = figures.splitlines(keepends=True)
            figures = header + "".join(r for r in rows if r.startswith("total,"))
        if os.environ.get("BEKOSTIGING_UPDATE_GOLDEN") == "1":
            golden.write_text(figures, encoding="utf-8")
        assert golden.exists(), f"no recorded figures for {label}: run with BEKOSTIGING_UPDATE_GOLDEN=1"
        assert figures == golden.read_text(encoding="utf-8"), f"figures of {label} changed"


@pytest.mark.parametrize("name", GENERATED)
def test_generated_examples_are_what_their_script_writes(name):
    script = examples.folder_of(name) / "generate.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", example_params(NAMES))
def test_every_example_can_be_written_out_and_runs_unchanged(name, tmp_path):
    from bekostiging.starter import init_example

    written = init_example(tmp_path, name)
    local = written[0].parent if examples.path_of(name).is_dir() else written[0]
    assert invoke("compare", local, "-f", "csv").stdout == compare_csv(name)


def test_the_default_example_over_its_horizon_reproduces_it_as_one_year(tmp_path):
    """The file as one year (2024 prices, every variant in full) is what was cross-checked
    by hand. Its horizon starts unindexed in 2025, with only `profielen` phased in; from
    2028 `profielen` is fully ramped, so fully adopted, without growth and indexation, and
    with its dated costs at their first value, 2028 is that one year again."""
    import polars as pl

    one_year = compare(one_year_default(tmp_path)).figures.results
    first = compare(examples.path_of(examples.DEFAULT), year=2025).figures.results.drop("year")
    others = pl.col("variant") != "profielen"
    assert first.filter(others).equals(one_year.filter(others))
    assert not first.equals(one_year)  # `profielen` is 12.5 % adopted in 2025
    flat = [
        "horizon.index=0",
        "horizon.client_growth=0",
        "horizon.adoption.profielen={2025 = 1}",  # the parties' pace reaches 70 % by 2029: take it in full
        "variants.profielen.effects.7.ramp={2025 = 1}",  # the VSV office grows with adoption
        "variants.profielen.effects.7.value=156000",  # written by year with the index
        "variants.integraal.effects.5.value=400000",
        "variants.populatie.effects.5.value=400000",
    ]
    later = compare(examples.path_of(examples.DEFAULT), overrides=flat, year=2028).figures.results
    assert later.drop("year").equals(one_year)
