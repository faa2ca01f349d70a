"""Monte Carlo over the uncertain inputs (HORIZON.md §2).

Each draw sets the drawn values into the scenario at their paths (a `*` path shares one
draw over all its matches), validates the result like an effect's, and computes it with
the ordinary engine, so a draw means exactly what a scenario file with those numbers
would mean. The statistics are exact over whole cents: the mean and the percentiles
(linear interpolation) are computed in `Decimal` and rounded half-to-even, so a
degenerate distribution reproduces the deterministic figures to the cent.

Draws are independent, so they are spread over the machine's cores in worker processes
(spawned, not forked: forking after a threaded library such as polars is unsafe).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from pydantic import ValidationError

from bekostiging.money import CONTEXT
from bekostiging.scenario.findings import Finding, ScenarioError
from bekostiging.scenario.model import Scenario

PARALLEL_FROM = 200  # fewer draws than this run in-process: workers cost more than they save
CHUNK = 50


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to evaluate draws; picklable."""

    base: dict[str, Any]  # the scenario's data (raw, for a horizon; else the validated dump)
    columns: dict[str, list[Decimal]]  # path -> one value per draw
    variants: tuple[str, ...] | None
    baseline: str | None
    whatifs: tuple[str, ...]
    file: str
    horizon_start: int | None  # set when the scenario has a [horizon]


@dataclass
class Draws:
    """Per draw and per (variant, party): net and delta (and npv_delta) in cents; per
    shared-savings settlement whether it was eligible and its payout."""

    keys: list[tuple[str, str]]
    net: list[list[int]]  # [key][draw]
    delta: list[list[int]]
    npv_delta: list[list[int]] | None
    savings_keys: list[tuple[str, str]]
    eligible: list[list[bool]]
    payout: list[list[int]]


def set_values(data: dict[str, Any], values: dict[str, Decimal]) -> dict[str, Any]:
    """Write drawn values into the data at their (wildcard) paths, in place."""
    from bekostiging.scenario.effects import _matches

    for path, value in values.items():
        for container, key in _matches(data, path.split(".")):
            container[key] = value
    return data


def evaluate(job: Job, index: int) -> tuple[dict, dict]:
    """One draw: ({(variant, party): (net, delta, npv_delta)}, {(variant, payer): (eligible, payout)})."""
    import copy

    values = {path: column[index] for path, column in job.columns.items()}
    data = set_values(copy.deepcopy(job.base), values)
    try:
        if job.horizon_start is not None:
            return _evaluate_years(job, data)
        scenario = Scenario.model_validate(data, context={"source": False})
    except ValidationError as exc:
        from bekostiging.scenario.load import pydantic_findings

        raise ScenarioError(
            Finding(job.file, f.path, f"in draw {index + 1} ({_shown(values)}): {f.message}")
            for f in pydantic_findings(exc, Scenario, data, ())
        ) from None
    from bekostiging.engine.run import run

    result = run(scenario, variants=job.variants, baseline=job.baseline, whatifs=job.whatifs, file=job.file)
    return _figures(result), _savings(result)


def _evaluate_years(job: Job, data: dict[str, Any]) -> tuple[dict, dict]:
    from bekostiging.engine.horizon import run_horizon, summary

    scenario = Scenario.model_validate(data, context={"source": False})
    years = run_horizon(
        data,
        scenario,
        job.horizon_start or 0,
        variants=job.variants,
        baseline=job.baseline,
        whatifs=job.whatifs,
        file=job.file,
    )
    per_year = {}
    for year, result in years.years.items():
        per_year[year] = [
            {"variant": v, "party": p, "net": net, "delta": delta, "cost": None}
            for (v, p), (net, delta, _) in _figures(result).items()
        ]
    npv = {(r["variant"], r["party"]): r["npv_delta"] for r in summary(years, per_year)}
    first = years.years[years.start]
    figures = {key: (net, delta, npv[key]) for key, (net, delta, _) in _figures(first).items()}
    return figures, _savings(first)


def _figures(result) -> dict[tuple[str, str], tuple[int, int, int | None]]:
    parties = list(result.scenario.parties)
    base = result.variants[result.baseline].ledger
    out = {}
    for v, res in result.variants.items():
        for p in parties:
            net = res.ledger.inflows(p) - res.ledger.outflows(p)
            out[(v, p)] = (net, net - (base.inflows(p) - base.outflows(p)), None)
    return out


def _savings(result) -> dict[tuple[str, str], tuple[bool, int]]:
    out: dict[tuple[str, str], tuple[bool, int]] = {}
    for v, res in result.variants.items():
        for row in res.settlements:
            eligible, payout = out.get((v, row["payer"]), (False, 0))
            out[(v, row["payer"])] = (eligible or row["eligible"], payout + row["payout"])
    return out


def _shown(values: dict[str, Decimal]) -> str:
    return ", ".join(f"{p} = {v}" for p, v in values.items())


_JOB: Job | None = None


def _init(job: Job) -> None:
    global _JOB
    _JOB = job


def _chunk(indices: range) -> list[tuple[dict, dict]]:
    assert _JOB is not None
    return [evaluate(_JOB, i) for i in indices]


def run_draws(
    job: Job, n: int, *, workers: int | None = None, progress: Callable[[int], None] | None = None
) -> Draws:
    """Evaluate every draw (in parallel when worth it) and collect them in draw order."""
    chunks = [range(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)]
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    results: list[tuple[dict, dict]] = []
    if n < PARALLEL_FROM or workers <= 1:
        for chunk in chunks:
            results += [evaluate(job, i) for i in chunk]
            if progress:
                progress(len(chunk))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(job,)) as pool:
            for part in pool.map(_chunk, chunks):  # map keeps the order of the chunks
                results += part
                if progress:
                    progress(len(part))
    return _collect(results, horizon=job.horizon_start is not None)


def _collect(results: Sequence[tuple[dict, dict]], *, horizon: bool) -> Draws:
    keys = list(results[0][0])
    savings_keys = list(results[0][1])
    return Draws(
        keys=keys,
        net=[[r[0][k][0] for r in results] for k in keys],
        delta=[[r[0][k][1] for r in results] for k in keys],
        npv_delta=[[r[0][k][2] for r in results] for k in keys] if horizon else None,
        savings_keys=savings_keys,
        eligible=[[r[1][k][0] for r in results] for k in savings_keys],
        payout=[[r[1][k][1] for r in results] for k in savings_keys],
    )


# ------------------------------------------------------------------ statistics


def mean_cents(values: Sequence[int]) -> int:
    """The mean of whole cents, rounded half-to-even to a cent."""
    exact = CONTEXT.divide(Decimal(sum(values)), Decimal(len(values)))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def percentile_cents(ordered: Sequence[int], p: Decimal) -> int:
    """The p-quantile by linear interpolation (numpy's default), exact, rounded to a cent."""
    h = CONTEXT.multiply(Decimal(len(ordered) - 1), p)
    low = int(h)
    if low + 1 >= len(ordered):
        return ordered[-1]
    exact = ordered[low] + CONTEXT.multiply(h - low, Decimal(ordered[low + 1] - ordered[low]))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def share(count: int, total: int) -> int:
    """count / total as ten-thousandths (4 decimals), half-to-even."""
    exact = CONTEXT.divide(Decimal(count * 10_000), Decimal(total))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


PERCENTILES = {"p5": Decimal("0.05"), "p50": Decimal("0.5"), "p95": Decimal("0.95")}


def statistics(draws: Draws) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of the `results` and `shared_savings` tables (money in cents, shares in 1e-4)."""
    rows = []
    for i, (variant, party) in enumerate(draws.keys):
        row: dict[str, Any] = {"variant": variant, "party": party}
        series = {"net": draws.net[i], "delta": draws.delta[i]}
        if draws.npv_delta is not None:
            series["npv_delta"] = draws.npv_delta[i]
        for name, values in series.items():
            ordered = sorted(values)
            row[f"{name}_mean"] = mean_cents(values)
            for label, p in PERCENTILES.items():
                row[f"{name}_{label}"] = percentile_cents(ordered, p)
        row["p_loss"] = share(sum(d < 0 for d in draws.delta[i]), len(draws.delta[i]))
        rows.append(row)
    savings = [
        {
            "variant": variant,
            "payer": payer,
            "p_eligible": share(sum(draws.eligible[i]), len(draws.eligible[i])),
            "payout_mean": mean_cents(draws.payout[i]),
        }
        for i, (variant, payer) in enumerate(draws.savings_keys)
    ]
    return rows, savings
