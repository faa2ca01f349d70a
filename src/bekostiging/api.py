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
from bekostiging.findings import Finding, ScenarioError
from bekostiging.report.figures import Figures, attribution_frame, breakdown, figures
from bekostiging.report.render import Meta
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
    year: int | None = None  # with a [horizon]: the year of `run` (the first, or the one asked for)


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
    from bekostiging.report.tables import by_year
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
    shown_year = year if year is not None else start
    first = years.years[shown_year]
    return Comparison(scenario, tree, first, tables, _meta(scenario, tree, first, whatifs), shown_year)


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
    _same_years(comparisons)
    return comparisons


def _same_years(comparisons: Sequence[Comparison]) -> None:
    """Several files add up year by year, so they must cover the same years: all one year,
    or all with a `[horizon]` over the same years."""
    if len(comparisons) < 2:
        return

    def years(c: Comparison) -> tuple[int, ...] | None:
        results = c.figures.results
        return (
            tuple(results["year"].unique(maintain_order=True).to_list())
            if "year" in results.columns
            else None
        )

    first = years(comparisons[0])
    if all(years(c) == first for c in comparisons):
        return

    def shown_years(found: tuple[int, ...] | None) -> str:
        return "one year (no [horizon])" if found is None else f"the years {found[0]}-{found[-1]}"

    raise ScenarioError(
        [
            Finding(
                c.tree.main,
                "horizon",
                f"covers {shown_years(years(c))}, but {comparisons[0].tree.main} covers "
                f"{shown_years(first)}: files compared together are added up year by year, so they "
                "need the same years (compare them one by one, or use --year Y on files with a horizon)",
            )
            for c in comparisons[1:]
            if years(c) != first
        ]
    )


def total_results(comparisons: Sequence[Comparison]) -> pl.DataFrame:
    """`results` summed per variant × party id over several scenarios (delta_pct recomputed)."""
    from bekostiging.report.tables import combine

    return combine([(c.meta.scenario_name, c.figures) for c in comparisons]).total("results")


def shown(path: Path) -> str:
    return display(path)


# ------------------------------------------------------------------ uncertainty (HORIZON.md §2)


@dataclass
class Simulation:
    meta: Meta
    draws: int
    seed: int
    results: list[dict]  # per variant × party: net/delta (and npv_delta) mean, p5, p50, p95, p_loss
    shared_savings: list[dict]  # per variant × payer: p_eligible, payout_mean
    year: int | None = None  # with a [horizon]: the year of net, delta and p_eligible (its first)


def _uncertain(path, sets, baseline, whatifs, variants=None):
    """Load a scenario with an [uncertainty] table; its deterministic run; the job to draw with."""
    from bekostiging.engine.simulate import Job
    from bekostiging.scenario.load import start_year

    scenario, tree = load_scenario(path, overrides=tuple(sets))
    if scenario.uncertainty is None:
        raise ScenarioError(
            [Finding(tree.main, "uncertainty", "has no [uncertainty] table: nothing to draw")]
        )
    result = run(scenario, variants=variants, baseline=baseline, whatifs=whatifs, file=tree.main)
    start = start_year(scenario.horizon, tree.data) if scenario.horizon is not None else None
    base = tree.data if start is not None else scenario.model_dump(by_alias=True)
    job = Job(base, {}, tuple(variants) if variants else None, baseline, tuple(whatifs), tree.main, start)
    return scenario, tree, result, job


def simulate(
    path: Path | str,
    *,
    draws: int | None = None,
    seed: int | None = None,
    variants: Sequence[str] | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    sets: Sequence[str] = (),
    workers: int | None = None,
    progress=None,
) -> Simulation:
    """Monte Carlo over the scenario's [uncertainty] parameters; raises `ScenarioError`."""
    from dataclasses import replace

    from bekostiging.engine.simulate import run_draws, statistics
    from bekostiging.scenario.uncertainty import draw_params

    scenario, tree, result, job = _uncertain(path, sets, baseline, whatifs, variants)
    assert scenario.uncertainty is not None
    n = draws if draws is not None else scenario.uncertainty.draws
    s = seed if seed is not None else scenario.uncertainty.seed
    job = replace(job, columns=draw_params(scenario.uncertainty, draws=n, seed=s))
    rows, savings = statistics(run_draws(job, n, workers=workers, progress=progress))
    return Simulation(_meta(scenario, tree, result, whatifs), n, s, rows, savings, job.horizon_start)


def sensitivity(
    path: Path | str,
    *,
    variant: str,
    party: str,
    metric: str = "delta",
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    sets: Sequence[str] = (),
) -> tuple[Meta, list[dict]]:
    """One-way sensitivity: each parameter at its two swing values (low/high, or p5/p95),
    the others at the scenario's own values; rows sorted by swing, largest first."""
    from dataclasses import replace

    from bekostiging.engine.simulate import evaluate
    from bekostiging.findings import unknown
    from bekostiging.scenario.uncertainty import swing_values

    scenario, tree, result, job = _uncertain(path, sets, baseline, whatifs)
    assert scenario.uncertainty is not None
    problems = []
    if variant not in scenario.variants:
        problems.append(Finding(tree.main, "--variant", unknown("variant", variant, scenario.variants)))
    if party not in scenario.parties:
        problems.append(Finding(tree.main, "--party", unknown("party", party, scenario.parties)))
    if metric == "npv_delta" and scenario.horizon is None:
        problems.append(Finding(tree.main, "--metric", "npv_delta needs a [horizon]"))
    if problems:
        raise ScenarioError(problems)
    column = {"net": 0, "delta": 1, "npv_delta": 2}[metric]

    def measure(values: dict) -> int:
        figures, _ = evaluate(replace(job, columns={p: [v] for p, v in values.items()}), 0)
        return figures[(variant, party)][column]

    rows = []
    for name, dist in scenario.uncertainty.params.items():
        low, high = swing_values(dist)
        at_low, at_high = measure({name: low}), measure({name: high})
        rows.append(
            {
                "parameter": name,
                "low": low,
                "high": high,
                "metric_low": at_low,
                "metric_high": at_high,
                "swing": abs(at_high - at_low),
            }
        )
    rows.sort(key=lambda r: (-r["swing"], r["parameter"]))
    return _meta(scenario, tree, result, whatifs), rows
