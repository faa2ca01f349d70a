"""The tables of many runs in one polars pass (`report.figures.figures_of`, issue 19): each
run's tables exactly as it gets them on its own, whichever runs share the pass."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from bekostiging import api
from bekostiging.engine.horizon import run_horizon
from bekostiging.engine.run import run
from bekostiging.report.figures import TABLES, figures, figures_of

EXAMPLES = Path(__file__).parents[1] / "examples"
NATIONAL = EXAMPLES / "geboortezorg-nationaal" / "regios"


def _one_year_runs() -> list:
    """A run of every one-year example and of three regions: other parties, other
    mechanisms, tables that some have rows in and others have none (availability,
    shared savings)."""
    paths = [p / "scenario.toml" for p in sorted(EXAMPLES.iterdir()) if (p / "scenario.toml").exists()]
    paths += sorted(NATIONAL.glob("*.toml"))[:3]
    runs = []
    for path in paths:
        s = api.load(path)
        if s.model.horizon is None:
            runs.append(run(s.model, file=s.file, applied=s.applied))
    return runs


def _assert_same(together, alone) -> None:
    for name in TABLES:
        mine, own = together.table(name), alone.table(name)
        assert mine.schema == own.schema, name
        assert mine.equals(own), name


def test_every_run_gets_the_tables_it_gets_alone():
    runs = _one_year_runs()
    assert len(runs) >= 6
    shared = figures_of(runs)
    assert len(shared) == len(runs)
    for together, result in zip(shared, runs, strict=True):
        _assert_same(together, figures(result))
    # Some runs have availability and shared-savings rows, some none: empty tables split too.
    assert any(f.availability.height for f in shared) and any(not f.availability.height for f in shared)
    assert any(f.shared_savings.height for f in shared)
    assert any(not f.shared_savings.height for f in shared)


def test_in_any_order_and_with_a_run_twice():
    runs = _one_year_runs()[:4]
    mixed = [runs[2], runs[0], runs[2], runs[3], runs[1]]
    for together, result in zip(figures_of(mixed), mixed, strict=True):
        _assert_same(together, figures(result))


def test_the_years_of_a_horizon_in_one_pass():
    s = api.load("geboortezorg-regio")
    assert s.model.horizon is not None
    years = run_horizon(s.tree.data, s.model, api._start(s), file=s.file).years
    assert len(years) == 5
    for together, result in zip(figures_of(list(years.values())), years.values(), strict=True):
        _assert_same(together, figures(result))


def test_one_run_is_figures_of_it():
    result = _one_year_runs()[0]
    (only,) = figures_of([result])
    _assert_same(only, figures(result))
    assert figures_of([]) == []


BAD_COST = """
[scenario]
name = "Te dure kosten"
year = 2025
baseline = "fee"
default_payer = "verzekeraar"

[parties]
verzekeraar = { role = "payer" }
praktijk = { role = "provider" }

[activities]
consult = { provider = "praktijk", tariff = 10, cost = 100_000_000_000 }

[profiles.iedereen]
clients = 20_000
path = { consult = 1 }

[variants.fee]
name = "Verrichtingen"
"""


def test_a_region_whose_cost_is_beyond_any_amount_fails_alone(tmp_path):
    """One region's error in the shared pass: its own error, the others' tables unchanged."""
    bad = tmp_path / "te-duur.toml"
    bad.write_text(BAD_COST, encoding="utf-8")
    good = NATIONAL / "dr_noord_drenthe.toml"
    with pytest.raises(api.ScenarioError) as alone:
        api.compare(bad)
    with pytest.raises(api.ScenarioError) as together:
        api.compare([good, bad])
    assert [(f.file, f.path, f.message) for f in together.value.findings] == [
        (f.file, f.path, f.message) for f in alone.value.findings
    ]
    assert "check the magnitudes of units and costs" in alone.value.findings[0].message

    from bekostiging.api import _compare_block

    first, second = _compare_block([api.load(good), api.load(bad)], None, None, (), False, None)
    assert isinstance(second, api.ScenarioError)
    assert first.results.equals(api.compare(good).results)
    assert isinstance(first.results, pl.DataFrame)


def _each_on_its_own(both, name: str) -> pl.DataFrame:
    """What `Comparisons.table` gives when every scenario's table is converted on its own."""
    return pl.concat(
        [c.table(name).select(pl.lit(c.meta.scenario_name).alias("scenario"), pl.all()) for c in both]
    )


@pytest.mark.parametrize("name", ["results", "components", "ledger", "availability", "totals"])
def test_several_scenarios_converted_at_once_as_each_alone(name):
    both = api.compare(sorted(NATIONAL.glob("*.toml"))[:4])
    together = both.table(name)
    alone = _each_on_its_own(both, name)
    if name == "results":  # the total rows follow
        together = together.filter(pl.col("scenario") != "total")
    assert together.equals(alone)


def test_a_party_named_otherwise_in_another_scenario_keeps_each_name():
    first = NATIONAL / "dr_noord_drenthe.toml"
    other = api.load(NATIONAL / "fl_almere.toml", overrides=['parties.client.name="Zwangere"'])
    both = api.compare([first, other])
    names = both.table("results").select("scenario", "party", "party_name").unique().to_dicts()
    clients = {r["scenario"]: r["party_name"] for r in names if r["party"] == "client"}
    assert clients[other.name] == "Zwangere"
    assert clients[both[0].meta.scenario_name] != "Zwangere"
    assert both.table("components").equals(_each_on_its_own(both, "components"))
