"""Monte Carlo over the uncertain inputs (HORIZON.md §2), draws as a dimension.

A block of draws is computed at once: every drawn input becomes `Lanes`, one value per
draw (`bekostiging.lanes`), set into the scenario's data at its paths (a `*` path shares
one draw over all its matches; `scenario.drawn` validates it and lays the lanes over the
validated scenario), and the ordinary engine computes the block in one pass, its
arithmetic running lane by lane in numpy over exact decimals. Lane i of the block is,
to the cent, what the scenario file with draw i's numbers would give: the same code with
the same precision and rounding, checked against the one-draw-at-a-time `evaluate` in
the tests. Rules on the inputs are checked for every draw (`scenario.drawn`).

The statistics are exact over whole cents: the mean and the percentiles (linear
interpolation) are computed in `Decimal` and rounded half-to-even, so a degenerate
distribution reproduces the deterministic figures to the cent.

Blocks are independent, so many draws are spread over the machine's cores in worker
processes. They are forked where that is safe (`cores.fork_is_safe`: on Linux, while
this process runs no thread, so polars has not started its pool): a forked worker has
the engine imported and the job in memory, so it starts in milliseconds, and from
`SPLIT_FROM` draws the blocks are made small enough that every worker gets one (1,000
draws on 2 cores: 2 blocks of 500 at once). Elsewhere they are spawned (a fresh
interpreter that imports everything again), and only from `PARALLEL_FROM` blocks on.
Blocks of any size give the same draws, so the figures are the same either way.
Parameters outside the scenario's care and variants (in `[horizon]`) are drawn one at a
time with `evaluate`: those drive the horizon's own bookkeeping, not the engine.

Memory stays bounded whatever the number of draws: the parameters are drawn a block at a
time (`Sampler`), at most a few blocks are in flight, and each finished block is reduced
at once into the figures the statistics need (`Reducer`): per variant × party the net,
delta and npv_delta of every draw as int64 cents (exact percentiles need every value:
24 bytes per draw and pair, bounded by `MAX_DRAW_CELLS`), and counts for the rest.

With a `[horizon]`, net and delta are those of `Job.year` (default the first year), and
npv_delta covers every year (`Job.npv`; without it only `Job.year` is computed).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from pydantic import ValidationError

from bekostiging.arithmetic import CONTEXT, exact
from bekostiging.findings import Finding, ScenarioError
from bekostiging.lanes import Cents, Lanes, Truth
from bekostiging.scenario.model import Scenario
from bekostiging.scenario.uncertainty import Sampler

BLOCK = 1000  # draws computed together at most (fewer for a large scenario: `block_size`)
PARALLEL_FROM = 3  # spawned blocks: fewer than this run in-process, where workers cost more than they save
SPLIT_FROM = 400  # draws: from this many, forked workers share them (each block at least half of this)
IN_FLIGHT = 2  # blocks per worker submitted ahead: keeps the workers busy, the drawn inputs few
LANE_ROOTS = ("activities", "profiles", "availability", "variants", "whatif")


LOSS = -1  # cents: a draw is a loss when its figure is at most this, a loss of at least one cent


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to evaluate draws; picklable."""

    base: dict[str, Any]  # the scenario's data (raw, for a horizon; else the validated dump)
    columns: dict[str, list[Decimal]]  # path -> one value per draw (of one block, from `first`)
    variants: tuple[str, ...] | None
    baseline: str | None
    whatifs: tuple[str, ...]
    file: str
    horizon_start: int | None  # set when the scenario has a [horizon]
    year: int | None = None  # with a [horizon]: the year of net and delta (default the first)
    npv: bool = True  # with a [horizon]: every year, for npv_delta; else only `year`
    first: int = 0  # the index of the draw `columns` start with (messages number draws from 1)


@dataclass
class Draws:
    """Per draw and per (variant, party): net and delta (and npv_delta) in cents; for a
    recipient of shared savings the number of draws in which it was below its baseline
    before the settlement (`below_before`, None for the other parties); per shared-savings
    payer the number of eligible draws and the payout of every draw."""

    n: int
    keys: list[tuple[str, str]]
    net: list[Any]  # [key] -> int64 array over the draws
    delta: list[Any]
    npv_delta: list[Any] | None
    below_before: list[int | None]
    savings_keys: list[tuple[str, str]]
    eligible: list[int]
    payout: list[Any]  # [key] -> int64 array over the draws


# (variant, party) -> net, delta, npv_delta, settled (see `Draws`)
Figures = dict[tuple[str, str], tuple[Any, Any, Any, Any]]
Savings = dict[tuple[str, str], tuple[Any, Any]]  # (variant, payer) -> eligible, payout


def set_values(data: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Write drawn values (numbers, or lanes) into the data at their (wildcard) paths, in place."""
    from bekostiging.scenario.paths import reach

    for path, value in values.items():
        for container, key in reach(data, path.split(".")):
            container[key] = value
    return data


def in_lanes(paths: Iterable[str]) -> bool:
    """Whether every parameter can be drawn as lanes (see the module docstring)."""
    return all(path.split(".", 1)[0] in LANE_ROOTS for path in paths)


def evaluate_block(job: Job, draws: range) -> tuple[Figures, Savings]:
    """The draws `draws` at once: every figure an int64 array with one value per draw."""
    import numpy as np

    from bekostiging import lanes
    from bekostiging.scenario import drawn
    from bekostiging.scenario.years import copy_tree

    values = {path: lanes.column(column[draws.start : draws.stop]) for path, column in job.columns.items()}
    data = set_values(copy_tree(job.base), values)
    try:
        with drawn.active(), exact():
            figures, savings = _evaluate(job, data)
    except drawn.LaneProblem as problem:
        index = draws.start + problem.lane
        shown = _shown({p: column[index] for p, column in job.columns.items()})
        number = job.first + index + 1
        raise ScenarioError(
            [Finding(job.file, problem.path, f"in draw {number} ({shown}): {problem.message}")]
        ) from None
    n = len(draws)

    def full(x: Cents | Truth | None, dtype: Any = np.int64) -> Any:
        if x is None:
            return None
        return np.broadcast_to(np.asarray(x.values if isinstance(x, Lanes) else x, dtype=dtype), (n,))

    return (
        {k: tuple(full(x) for x in values) for k, values in figures.items()},
        {k: (full(ok, bool), full(payout)) for k, (ok, payout) in savings.items()},
    )


def evaluate(job: Job, index: int) -> tuple[Figures, Savings]:
    """One draw, as a scenario of its own: validated and computed with plain numbers."""
    from bekostiging.scenario.years import copy_tree

    values = {path: column[index] for path, column in job.columns.items()}
    data = set_values(copy_tree(job.base), values)
    try:
        return _evaluate(job, data)
    except ValidationError as exc:
        from bekostiging.scenario.errors import pydantic_findings

        raise ScenarioError(
            Finding(job.file, f.path, f"in draw {job.first + index + 1} ({_shown(values)}): {f.message}")
            for f in pydantic_findings(exc, Scenario, data, ())
        ) from None


def _evaluate(job: Job, data: dict[str, Any]) -> tuple[Figures, Savings]:
    from bekostiging.engine.run import run
    from bekostiging.scenario import drawn

    if job.horizon_start is not None:
        return _evaluate_years(job, data, drawn.validate(_first_year(data, job.horizon_start)))
    scenario = drawn.validate(data)
    result = run(scenario, variants=job.variants, baseline=job.baseline, whatifs=job.whatifs, file=job.file)
    return _figures(result), _savings(result)


def _first_year(data: dict[str, Any], start: int) -> dict[str, Any]:
    """The raw data of a horizon's first year: its tables by year read (HORIZON.md §1), so
    it validates as one year, as the file did when it was loaded."""
    from bekostiging.scenario.model import Horizon
    from bekostiging.scenario.years import resolve

    return resolve(data, Horizon.model_validate(data["horizon"]), start, start)


def _evaluate_years(job: Job, data: dict[str, Any], scenario: Scenario) -> tuple[Figures, Savings]:
    """Net and delta of `job.year` (default the first); npv_delta over the horizon when
    `job.npv` (else only `job.year` is computed).

    The years are computed one at a time and each is reduced to its figures at once, so
    a block holds the ledgers (lanes of every flow) of one year, not of the horizon."""
    from bekostiging.engine.horizon import HorizonRun, run_horizon, summary

    assert scenario.horizon is not None
    start = job.horizon_start or 0
    shown = job.year if job.year is not None else start
    years = range(start, start + scenario.horizon.years) if job.npv else range(shown, shown + 1)
    figures: dict[int, Figures] = {}
    savings: Savings = {}
    for year in years:
        one = run_horizon(
            data,
            scenario,
            start,
            variants=job.variants,
            baseline=job.baseline,
            whatifs=job.whatifs,
            file=job.file,
            only_year=year,
        )
        figures[year] = _figures(one.years[year])
        if year == shown:
            savings = _savings(one.years[year])
        del one
    npv: dict[tuple[str, str], Any] = {}
    if job.npv:
        per_year = {
            year: [
                {"variant": v, "party": p, "net": net, "delta": delta, "cost": None}
                for (v, p), (net, delta, *_) in of_year.items()
            ]
            for year, of_year in figures.items()
        }
        shell = HorizonRun(scenario.horizon, start, job.baseline or scenario.scenario.baseline)
        npv = {(r["variant"], r["party"]): r["npv_delta"] for r in summary(shell, per_year)}
    chosen = {
        key: (net, delta, npv.get(key), settled) for key, (net, delta, _, settled) in figures[shown].items()
    }
    return chosen, savings


def _figures(result) -> Figures:
    parties = list(result.scenario.parties)
    base = result.variants[result.baseline].ledger
    out = {}
    for v, res in result.variants.items():
        settled = _settled(res)
        for p in parties:
            net = res.ledger.inflows(p) - res.ledger.outflows(p)
            out[(v, p)] = (net, net - (base.inflows(p) - base.outflows(p)), None, settled.get(p))
    return out


def _settled(res) -> dict[str, Any]:
    """Each shared-savings recipient's net from the settlement flows of one variant (its
    components: the share of savings, a repayment, reinvestment), in cents; a recipient's
    net before the settlement is its net minus this."""
    from bekostiging.mechanisms.shared_savings import SPEC

    out: dict[str, Any] = {r["party"]: 0 for row in res.settlements for r in row["recipients"]}
    for flow in res.ledger.flows:
        if flow.component in SPEC.components:
            if flow.payee in out:
                out[flow.payee] = out[flow.payee] + flow.amount
            if flow.payer in out:
                out[flow.payer] = out[flow.payer] - flow.amount
    return out


def _savings(result) -> Savings:
    out: Savings = {}
    for v, res in result.variants.items():
        for row in res.settlements:
            eligible, payout = out.get((v, row["payer"]), (False, 0))
            out[(v, row["payer"])] = (eligible | row["eligible"], payout + row["payout"])
    return out


def _shown(values: dict[str, Decimal]) -> str:
    return ", ".join(f"{p} = {v}" for p, v in values.items())


_JOB: Job | None = None


def _init(job: Job) -> None:
    global _JOB
    _JOB = job


def _block(start: int, size: int, columns: dict[str, list[Decimal]]) -> tuple[Figures, Savings]:
    """One block of draws, numbered from `start`, as lanes (in a worker, or in-process)."""
    assert _JOB is not None
    return evaluate_block(replace(_JOB, columns=columns, first=start), range(size))


def _one_by_one(start: int, size: int, columns: dict[str, list[Decimal]]) -> tuple[Figures, Savings]:
    """A block evaluated draw by draw (parameters that cannot be lanes), in the block's shape."""
    import numpy as np

    assert _JOB is not None
    job = replace(_JOB, columns=columns, first=start)
    results = [evaluate(job, i) for i in range(size)]

    def column(table: int, key: tuple[str, str], j: int, dtype: Any) -> Any:
        values = [r[table][key][j] for r in results]
        return None if values[0] is None else np.array(values, dtype=dtype)

    figures = {k: tuple(column(0, k, j, np.int64) for j in range(4)) for k in results[0][0]}
    savings = {k: (column(1, k, 0, bool), column(1, k, 1, np.int64)) for k in results[0][1]}
    return figures, savings  # type: ignore[return-value]


def block_size(job: Job) -> int:
    """Draws per block: `BLOCK`, or fewer, so that one block's cells × draws stay within
    `MAX_BLOCK_WORK` (SECURITY.md): a block's memory grows with both. Blocks of any size
    give the same draws (`Sampler`), so this changes only memory and speed."""
    from bekostiging.scenario.limits import MAX_BLOCK_WORK, work_of

    work = work_of(job.base, whatif_sets=False)
    if job.horizon_start is None or not job.npv:
        work = replace(work, years=1)
    return max(1, min(BLOCK, MAX_BLOCK_WORK // max(work.total, 1)))


def run_draws(
    job: Job,
    sampler: Sampler,
    n: int,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    parties: Sequence[str] | None = None,
) -> Draws:
    """Evaluate `n` draws a block at a time (in parallel when worth it), in draw order.

    `sampler.take(k)` gives the parameters' next k draws; it is called once per block, in
    order, and at most `IN_FLIGHT` blocks per worker wait or run at a time, so memory does
    not grow with `n` beyond what the `Reducer` keeps. `parties` orders the parties of
    every variant (default: as the scenario has them).
    """
    from bekostiging.cores import fork_is_safe

    lanes = in_lanes(sampler.paths)
    size = block_size(job) if lanes else 50
    work = _block if lanes else _one_by_one
    take = sampler.take
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    forked = workers > 1 and n >= SPLIT_FROM and fork_is_safe()
    if forked:  # every worker gets a block, and workers start at once (module docstring)
        size = min(size, max(-(-n // workers), SPLIT_FROM // 2))
    blocks = (range(i, min(i + size, n)) for i in range(0, n, size))
    reducer = Reducer(n, horizon=job.horizon_start is not None and job.npv, parties=parties)

    def done(block: range, part: tuple[Figures, Savings]) -> None:
        reducer.add(block.start, len(block), *part)
        if progress:
            progress(len(block))

    if -(-n // size) < (2 if forked else PARALLEL_FROM) or workers <= 1:
        _init(job)
        for block in blocks:
            done(block, work(block.start, len(block), take(len(block))))
        return reducer.finish()
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if forked else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(job,)) as pool:
        pending: deque = deque()

        def submit() -> None:
            block = next(blocks, None)
            if block is not None:
                pending.append((block, pool.submit(work, block.start, len(block), take(len(block)))))

        try:
            for _ in range(IN_FLIGHT * workers):
                submit()
            while pending:  # in draw order
                block, future = pending.popleft()
                done(block, future.result())
                submit()
        except BaseException:  # an invalid draw, or Ctrl-C: the blocks not started are dropped
            for _, future in pending:
                future.cancel()
            raise
    return reducer.finish()


class Reducer:
    """The figures of finished blocks, kept as the statistics need them (see the module
    docstring): every draw's net, delta, npv_delta and payout in preallocated int64
    arrays, counts for the chance of a loss before a settlement and of eligibility."""

    def __init__(self, n: int, *, horizon: bool, parties: Sequence[str] | None = None):
        self.n, self.horizon, self.parties = n, horizon, parties
        self.draws: Draws | None = None

    def add(self, start: int, size: int, figures: Figures, savings: Savings) -> None:
        """The figures of the draws `start` .. `start + size - 1`."""
        if self.draws is None:
            self.draws = self._allocate(figures, savings)
        d, stop = self.draws, start + size
        for i, key in enumerate(d.keys):
            net, delta, npv, settled = figures[key]
            d.net[i][start:stop] = net
            d.delta[i][start:stop] = delta
            if d.npv_delta is not None:
                d.npv_delta[i][start:stop] = npv
            if settled is not None:
                d.below_before[i] = (d.below_before[i] or 0) + int(((delta - settled) <= LOSS).sum())
        for i, key in enumerate(d.savings_keys):
            eligible, payout = savings[key]
            d.eligible[i] += int(eligible.sum())
            d.payout[i][start:stop] = payout

    def _allocate(self, figures: Figures, savings: Savings) -> Draws:
        import numpy as np

        keys = list(figures)
        if self.parties is not None:
            rank = {p: i for i, p in enumerate(self.parties)}
            variants = {v: i for i, v in enumerate(dict.fromkeys(v for v, _ in keys))}
            keys.sort(key=lambda k: (variants[k[0]], rank.get(k[1], len(rank)), k[1]))

        def arrays(count: int) -> list[Any]:
            return [np.zeros(self.n, dtype=np.int64) for _ in range(count)]

        return Draws(
            n=self.n,
            keys=keys,
            net=arrays(len(keys)),
            delta=arrays(len(keys)),
            npv_delta=arrays(len(keys)) if self.horizon else None,
            below_before=[None] * len(keys),
            savings_keys=list(savings),
            eligible=[0] * len(savings),
            payout=arrays(len(savings)),
        )

    def finish(self) -> Draws:
        assert self.draws is not None, "no draws"
        return self.draws


# ------------------------------------------------------------------ statistics


def mean_cents(values: Any) -> int:
    """The mean of whole cents, rounded half-to-even to a cent (summed as Python ints:
    a million draws of large amounts would overflow 64 bits)."""
    import numpy as np

    total = int(np.asarray(values, dtype=np.int64).astype(object).sum())
    exact = CONTEXT.divide(Decimal(total), Decimal(len(values)))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def percentile_cents(ordered: Sequence[int], p: Decimal) -> int:
    """The p-quantile by linear interpolation (numpy's default), exact, rounded to a cent."""
    h = CONTEXT.multiply(Decimal(len(ordered) - 1), p)
    low = int(h)
    if low + 1 >= len(ordered):
        return int(ordered[-1])
    below, above = int(ordered[low]), int(ordered[low + 1])
    exact = below + CONTEXT.multiply(h - low, Decimal(above - below))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def share(count: int, total: int) -> int:
    """count / total as ten-thousandths (4 decimals), half-to-even."""
    exact = CONTEXT.divide(Decimal(count * 10_000), Decimal(total))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


PERCENTILES = {"p5": Decimal("0.05"), "p50": Decimal("0.5"), "p95": Decimal("0.95")}


def statistics(draws: Draws) -> dict[str, list[dict[str, Any]]]:
    """Rows of the `results`, `shared_savings` and `settlement_risk` tables (money in cents,
    shares in 1e-4). A loss is a figure of at most `LOSS`: at least one cent below the
    baseline (amounts are whole cents, so that is any figure below 0.00)."""
    rows = []
    for i, (variant, party) in enumerate(draws.keys):
        row: dict[str, Any] = {"variant": variant, "party": party}
        series = {"net": draws.net[i], "delta": draws.delta[i]}
        if draws.npv_delta is not None:
            series["npv_delta"] = draws.npv_delta[i]
        for name, values in series.items():
            row |= _summary(name, values, PERCENTILES)
        row["p_loss"] = _chance(draws.delta[i] <= LOSS)
        if draws.npv_delta is not None:  # the chance of a loss over the whole horizon
            row["p_loss_npv"] = _chance(draws.npv_delta[i] <= LOSS)
        rows.append(row)
    savings = [
        {
            "variant": variant,
            "payer": payer,
            "p_eligible": share(draws.eligible[i], draws.n),
            "payout_mean": mean_cents(draws.payout[i]),
            "p_payout": _chance(draws.payout[i] > 0),
            "p_repayment": _chance(draws.payout[i] < 0),
            **_summary("settlement", draws.payout[i], SETTLEMENT),
        }
        for i, (variant, payer) in enumerate(draws.savings_keys)
    ]
    # The settlement risk of each recipient: below its baseline after the settlement (the
    # same measure as p_loss), and before it, its net without the settlement's flows.
    risk = [
        {
            "variant": variant,
            "recipient": party,
            "p_below_baseline_before_settlement": share(below, draws.n),
            "p_below_baseline": _chance(draws.delta[i] <= LOSS),
            **_summary("delta", draws.delta[i], {"p5": PERCENTILES["p5"]}),
        }
        for i, ((variant, party), below) in enumerate(zip(draws.keys, draws.below_before, strict=True))
        if below is not None
    ]
    return {"results": rows, "shared_savings": savings, "settlement_risk": risk}


SETTLEMENT = {"p5": PERCENTILES["p5"], "p95": PERCENTILES["p95"]}


def _summary(name: str, values: Any, percentiles: dict[str, Decimal]) -> dict[str, int]:
    """`{name}_mean` and `{name}_{label}` for each percentile, in cents."""
    import numpy as np

    ordered = np.sort(values)
    out = {f"{name}_mean": mean_cents(values)}
    return out | {f"{name}_{label}": percentile_cents(ordered, p) for label, p in percentiles.items()}


def _chance(truth: Any) -> int:
    """The share of draws where `truth` holds (1e-4)."""
    return share(int(truth.sum()), len(truth))
