"""The library's front door: load a scenario, compute it, sum it up.

The CLI is a thin layer over these functions; scripts and notebooks can call them too:

    >>> from bekostiging.api import compare
    >>> out = compare("examples/geboortezorg-regio/scenario.toml")
    >>> out.figures.results  # a polars DataFrame, money in cents
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bekostiging.engine.run import Run, run
from bekostiging.report.figures import Figures, attribution_frame, breakdown, figures
from bekostiging.report.render import Meta
from bekostiging.scenario.findings import Finding, ScenarioError
from bekostiging.scenario.load import load_scenario
from bekostiging.scenario.model import Scenario
from bekostiging.scenario.toml_files import SourceTree, display

if TYPE_CHECKING:
    import polars as pl


@dataclass
class Comparison:
    scenario: Scenario
    tree: SourceTree
    run: Run
    figures: Figures
    meta: Meta


def compare(
    path: Path | str,
    *,
    variants: Sequence[str] | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    sets: Sequence[str] = (),
    attribution: bool = False,
    by: str | None = None,
    year: int | None = None,
) -> Comparison:
    """Compute every (or the chosen) variant of a scenario file; raises `ScenarioError`.

    `sets` are `PATH=VALUE` overrides; `attribution` adds the step-by-step split of every
    delta; `by` adds a breakdown per component, profile or activity. A scenario with a
    `[horizon]` is computed for every year (tables get a `year` column, `year` keeps one)
    and gets the `horizon` table of net present values.
    """
    scenario, tree = load_scenario(path, overrides=tuple(sets))
    if scenario.horizon is not None:
        return _compare_years(scenario, tree, variants, baseline, whatifs, attribution, by, year)
    if year is not None:
        raise ScenarioError([Finding(tree.main, "--year", "this scenario has no [horizon]")])
    result = run(scenario, variants=variants, baseline=baseline, whatifs=whatifs, file=tree.main)
    meta = _meta(scenario, tree, result, whatifs)
    return Comparison(scenario, tree, result, _figures(result, attribution, by), meta)


def _meta(scenario: Scenario, tree: SourceTree, result: Run, whatifs: Sequence[str]) -> Meta:
    return Meta(
        scenario_name=scenario.scenario.name,
        scenario_file=tree.main,
        inputs=tree.sha256(),
        baseline=result.baseline,
        whatifs=list(whatifs),
        variants=[{"id": v, "name": r.name} for v, r in result.variants.items()],
        parties=[{"id": k, "name": p.name or k, "role": p.role} for k, p in scenario.parties.items()],
    )


def _figures(result: Run, attribution: bool, by: str | None) -> Figures:
    tables = figures(result)
    if attribution:
        from bekostiging.engine.attribution import attribute

        steps = [s for v in result.variants if v != result.baseline for s in attribute(result, v)]
        tables.extra["attribution"] = attribution_frame(steps)
    if by is not None and by != "party":
        tables.extra[f"by_{by}"] = breakdown(tables, by)
    return tables


def _compare_years(scenario, tree, variants, baseline, whatifs, attribution, by, year) -> Comparison:
    """Every year of the horizon; per-year tables stacked, plus the horizon summary."""
    import polars as pl

    from bekostiging.engine.horizon import run_horizon, summary
    from bekostiging.report.figures import by_year
    from bekostiging.scenario.load import start_year

    assert scenario.horizon is not None
    start = start_year(scenario.horizon, tree.data)
    assert start is not None
    years = run_horizon(
        tree.data, scenario, start, variants=variants, baseline=baseline, whatifs=whatifs, file=tree.main
    )
    if year is not None and year not in years.years:
        raise ScenarioError(
            [Finding(tree.main, "--year", f"{year} is not in the horizon {start}-{years.last}")]
        )
    per_year = {y: _figures(r, attribution, by) for y, r in years.years.items()}
    horizon = summary(years, {y: list(f.results.iter_rows(named=True)) for y, f in per_year.items()})
    shown = {year: per_year[year]} if year is not None else per_year
    tables = by_year(shown)
    schema = {
        "variant": pl.String,
        "party": pl.String,
        "npv_delta": pl.Int64,
        "npv_margin_delta": pl.Int64,
        "payback_year": pl.Int64,
    }
    tables.extra["horizon"] = pl.DataFrame(horizon, schema=schema)
    first = years.years[year if year is not None else start]
    return Comparison(scenario, tree, first, tables, _meta(scenario, tree, first, whatifs))


def scenario_files(arguments: Sequence[Path]) -> list[Path]:
    """Files as given; a folder stands for the scenario files in it (not the files they include)."""
    found: list[Path] = []
    for argument in arguments:
        if not argument.is_dir():
            found.append(argument)
            continue
        candidates = [p for p in sorted(argument.glob("*.toml")) if _is_scenario(p)]
        found += candidates or [argument]  # none: the loader says it is a folder without any
    return found


def _is_scenario(path: Path) -> bool:
    """A scenario file has a [scenario] table with a baseline; a tariff table has not."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # let the loader report what is wrong with it
    meta = data.get("scenario")
    return isinstance(meta, dict) and "baseline" in meta


def compare_many(paths: Sequence[Path], **options) -> list[Comparison]:
    """Each file computed on its own (SCENARIO.md §6); every file's problems reported together."""
    comparisons, findings = [], []
    for path in paths:
        try:
            comparisons.append(compare(path, **options))
        except ScenarioError as exc:
            findings += exc.findings
    if findings:
        raise ScenarioError(findings)
    return comparisons


def total_results(comparisons: Sequence[Comparison]) -> pl.DataFrame:
    """`results` summed per variant × party id over several scenarios (delta_pct recomputed)."""
    from bekostiging.report.figures import sum_results

    return sum_results([c.figures.results for c in comparisons])


def shown(path: Path) -> str:
    return display(path)
