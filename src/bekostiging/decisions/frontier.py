"""The negotiation space: a grid over one or two inputs and every listed party's delta.

`bekostiging frontier --variant V --vary PATH LOW HIGH N [--vary PATH2 LOW HIGH N2]
--parties a,b` computes variant V (and the baseline) at every point of the grid and
reads each listed party's delta against the baseline: with a `[horizon]` the net
present value of the deltas over the horizon (`npv_delta`, as `compare` shows it), with
`--year Y` that year's delta, without a horizon the one year's delta.

The grid. Each axis holds N values, LOW + i·(HIGH − LOW)/(N − 1) for i = 0 .. N − 1,
rounded half-to-even to a number of decimals that `--set PATH=value` reads back as the
same number: cents for a money input (a tariff, an amount), else the fewest decimals
(at least those of LOW and HIGH) that make every value exact, at most `PLACES` (or those
of LOW and HIGH, if more). So every point is an input a user can type, and `compare
--set PATH=value` gives exactly its figures. Points are numbered in grid order: the
first `--vary` the slower, the second the faster (row by row of a table with the first
axis down and the second across).

The region (the negotiation space) is the set of points where every listed party's
delta is at least 0. Two points are read from the grid:

- max-min: the point whose smallest listed-party delta is the largest, over every point
  of the grid; it lies in the region exactly when that smallest delta is at least 0;
- Nash bargaining: over the points of the region, the point with the largest product
  of the listed parties' deltas (their gains over the baseline, the disagreement
  point); none when the region is empty or every product there is 0 (some party gains
  nothing anywhere in it).

Ties go to the first point in grid order. Figures are whole cents; a product of cents
is an exact integer, so no tie is made or broken by rounding.

Speed. Inputs under `activities`, `profiles`, `availability`, `variants` and `whatif`
are computed as lanes (`bekostiging.lanes`): a block of up to 1,000 points in one pass
of the engine, exactly what each point alone would give (`engine.simulate`, the Monte
Carlo machinery: the grid's values are its draws). The baseline holds no lanes when the
varied inputs are a variant's, so it is computed once per block; only V and the
baseline are computed. Other inputs (`horizon.discount_rate`, `scenario.*`) are
computed a point at a time. Many blocks go to worker processes (`workers`, default
every core), a few are computed in-process.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from bekostiging.findings import Finding, OptionError, ScenarioError, choose_from, describe
from bekostiging.scenario.limits import MAX_GRID_POINTS

PLACES = 6  # decimals of a grid value that is not money, unless LOW or HIGH has more
MONEY_PLACES = 2  # a money input is whole cents
SOURCE = "--vary"  # how findings about a varied input name their source

#: One axis as given: (PATH, LOW, HIGH, N), LOW and HIGH as `Decimal`, `int` or text.
Vary = tuple[str, Decimal | int | str, Decimal | int | str, int | str]


@dataclass(frozen=True)
class Axis:
    """One varied input: its dotted path and its values, in grid order."""

    path: str
    low: Decimal
    high: Decimal
    n: int
    values: tuple[Decimal, ...] = ()


@dataclass
class Grid:
    """The grid computed and read: per listed party its delta at every point (cents)."""

    variant: str
    baseline: str
    parties: list[str]
    axes: list[Axis]
    # "npv_delta" (over a horizon) or "delta" (one year); "npv_margin_delta" or
    # "margin_delta" when measured on margins (`frontier --figure margin`)
    metric: str
    year: int | None  # the year of a "delta" with a horizon
    span: tuple[int, int, Decimal] | None  # a horizon's first and last year and discount rate
    deltas: dict[str, list[int]]  # party -> delta per point, in grid order
    feasible: list[bool] = field(default_factory=list)
    smallest: list[int] = field(default_factory=list)  # the smallest listed-party delta per point
    max_min: int = 0  # the index of the max-min point
    nash: int | None = None  # the index of the Nash point; None: no point (`nash_none` says why)
    nash_none: str | None = None  # "empty" (no region) or "zero" (every product in it is 0)
    costly: tuple[str, ...] = ()  # the listed parties with costs (margin differs from net)

    @property
    def size(self) -> int:
        return len(self.smallest)

    def values_at(self, index: int) -> list[Decimal]:
        """The varied values of point `index` (0-based), one per axis."""
        if len(self.axes) == 1:
            return [self.axes[0].values[index]]
        across = self.axes[1].n
        return [self.axes[0].values[index // across], self.axes[1].values[index % across]]

    @property
    def region(self) -> list[int]:
        """The indices of the points in the region."""
        return [i for i, ok in enumerate(self.feasible) if ok]

    def ranges(self) -> list[tuple[Decimal, Decimal] | None]:
        """Per axis, the smallest and largest value of the region's points (None: no region)."""
        inside = self.region
        if not inside:
            return [None for _ in self.axes]
        found = [self.values_at(i) for i in inside]
        return [(min(v[k] for v in found), max(v[k] for v in found)) for k in range(len(self.axes))]


# ------------------------------------------------------------------ the grid, before loading


def axes_of(vary: Sequence[Vary]) -> list[Axis]:
    """The axes as given, checked before anything is loaded; raises `OptionError` with every
    problem (a number that is not one, N < 2, LOW >= HIGH, a grid above `MAX_GRID_POINTS`)."""
    problems: list[str] = []
    if not vary:
        problems.append("give the input to vary: --vary PATH LOW HIGH N")
    if len(vary) > 2:
        problems.append(f"--vary is given {len(vary)} times; a grid has one or two inputs")
    axes = []
    for entry in vary:
        if len(entry) != 4:
            problems.append(f"--vary {' '.join(map(str, entry))}: give PATH LOW HIGH N")
            continue
        path, low_given, high_given, n_given = entry
        low, high = _number(low_given), _number(high_given)
        n = _count(n_given)
        here = f"--vary {path}"
        for name, given, value in (("LOW", low_given, low), ("HIGH", high_given, high)):
            if value is None:
                problems.append(f"{here}: {name} {given!r} is not a number")
        if n is None:
            problems.append(f"{here}: N {n_given!r} is not a whole number")
        elif n < 2:
            problems.append(f"{here}: N is {n}; a grid needs at least 2 points per input")
        if low is not None and high is not None and low >= high:
            problems.append(f"{here}: LOW ({low_given}) must be below HIGH ({high_given})")
        if low is not None and high is not None and n is not None:
            axes.append(Axis(str(path).strip(), low, high, n))
    paths = [a.path for a in axes]
    if len(set(paths)) < len(paths):
        problems.append(f"--vary {paths[0]} is given twice; vary two different inputs")
    if not problems and axes:
        points = 1
        for a in axes:
            points *= a.n
        if points > MAX_GRID_POINTS:
            shape = " × ".join(f"{a.n:,}" for a in axes)
            problems.append(
                f"the grid has {shape} = {points:,} points; the limit is {MAX_GRID_POINTS:,} "
                "(SECURITY.md): use fewer points per input"
            )
    if problems:
        raise OptionError("; ".join(problems))
    return axes


def _number(given: Any) -> Decimal | None:
    if isinstance(given, bool | float):
        return None  # a float cannot say which decimal it stands for
    try:
        value = Decimal(str(given).strip().replace("_", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _count(given: Any) -> int | None:
    if isinstance(given, bool):
        return None
    if isinstance(given, int):
        return given
    text = str(given).strip()
    return int(text) if re.fullmatch(r"[+-]?\d{1,12}", text) else None


def grid_values(low: Decimal, high: Decimal, n: int, *, money: bool) -> tuple[Decimal, ...]:
    """The N values from LOW to HIGH, evenly spaced, rounded as the module docstring says.

    Raises `OptionError` when two neighbours round to the same value (a grid finer than
    a cent, or than `PLACES` decimals), or for a money LOW or HIGH with more than cents."""
    given = max(_decimals(low), _decimals(high))
    if money and given > MONEY_PLACES:
        end = low if _decimals(low) > MONEY_PLACES else high
        raise OptionError(f"{end} has more decimals than a money input (whole cents)")
    cap = MONEY_PLACES if money else max(PLACES, given)
    exact = [Fraction(low) + (Fraction(high) - Fraction(low)) * i / (n - 1) for i in range(n)]
    places = next(
        (p for p in range(min(given, cap), cap + 1) if all((x * 10**p).denominator == 1 for x in exact)),
        cap,
    )
    values = tuple(Decimal(round(x * 10**places)).scaleb(-places) for x in exact)
    if len(set(values)) < n:
        unit = "a cent" if money else f"{Decimal(1).scaleb(-places)}"
        raise OptionError(
            f"{n} values from {low} to {high} are closer together than {unit}: use fewer points"
        )
    return values


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# ------------------------------------------------------------------ the inputs, once loaded


def check_choices(
    model: Any, file: str, variant: str, parties: Sequence[str], baseline: str | None
) -> list[str]:
    """The listed parties, each once in the order given; raises `ScenarioError` for an
    unknown variant or party (with the choices, as `compare --variant` does) and
    `OptionError` for a variant that is the baseline or no party."""
    problems = []
    if variant not in model.variants:
        problems.append(Finding(file, "--variant", choose_from("variant", variant, model.variants)))
    chosen = list(dict.fromkeys(p.strip() for p in parties if p.strip()))
    for party in chosen:
        if party not in model.parties:
            problems.append(Finding(file, "--parties", choose_from("party", party, model.parties)))
    if problems:
        raise ScenarioError(problems)
    if not chosen:
        raise OptionError(f"give the parties: --parties a,b (the parties are {', '.join(model.parties)})")
    base = baseline or model.scenario.baseline
    if variant == base:
        raise OptionError(
            f"--variant {variant} is the baseline: every delta is 0; choose another variant "
            "(or another --baseline)"
        )
    return chosen


def check_paths(
    raw: dict[str, Any],
    dumped: dict[str, Any],
    axes: Sequence[Axis],
    variant: str,
    base: str,
    whatifs: Sequence[str],
) -> list[Finding]:
    """Findings for a path that matches nothing or holds something other than a number
    (`raw`: the data as read, `dumped`: the validated model, whose defaults count as
    present); `OptionError` for a path that cannot change V or the baseline."""
    from bekostiging.scenario.paths import hint, reach

    findings = []
    for a in axes:
        segments = a.path.split(".")
        found = reach(raw, segments) or reach(dumped, segments)
        if not found:
            where = hint(raw, segments) or ": matches nothing"
            findings.append(Finding(SOURCE, a.path, f"matches no input{where}"))
            continue
        for container, key in found:
            value = container[key]
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                findings.append(Finding(SOURCE, a.path, f"must name a number; it holds {describe(value)}"))
                break
        _check_scope(a.path, segments, variant, base, whatifs)
    return findings


def _check_scope(path: str, segments: list[str], variant: str, base: str, whatifs: Sequence[str]) -> None:
    """A variant's input other than V's or the baseline's (or an unapplied what-if's)
    changes nothing the grid shows: every point would be the same."""
    if len(segments) < 2 or segments[1] == "*":
        return
    section, name = segments[0], segments[1]
    if section == "variants" and name not in (variant, base):
        raise OptionError(
            f"--vary {path} changes variant {name}, neither {variant} nor the baseline {base}: "
            "every point would be the same"
        )
    if section == "whatif" and name not in whatifs:
        raise OptionError(
            f"--vary {path} changes the what-if {name}, which is not applied (--whatif {name}): "
            "every point would be the same"
        )


def is_money(raw: dict[str, Any], path: str) -> bool:
    """Whether `path` (`*` matching any key) names a money input: whole cents."""
    from bekostiging.scenario.years import money_leaves

    pattern = path.split(".")
    return any(
        len(leaf) == len(pattern) and all(p in ("*", str(k)) for p, k in zip(pattern, leaf, strict=True))
        for leaf, _, _ in money_leaves(raw)
    )


def corners(axes: Sequence[Axis]) -> list[dict[str, Decimal]]:
    """The overrides that put every axis at its first value, and at its last: every rule on
    one input is a bound, so holding at both ends it holds at every point (`scenario.drawn`)."""
    return [{a.path: a.values[0] for a in axes}, {a.path: a.values[-1] for a in axes}]


# ------------------------------------------------------------------ computing the grid


def points_of(axes: Sequence[Axis]) -> dict[str, list[Decimal]]:
    """Per path, its value at every point, in grid order."""
    if len(axes) == 1:
        return {axes[0].path: list(axes[0].values)}
    first, second = axes
    return {
        first.path: [x for x in first.values for _ in second.values],
        second.path: [y for _ in first.values for y in second.values],
    }


class _Points:
    """The grid's values a block at a time, as `engine.simulate.run_draws` takes its draws."""

    def __init__(self, columns: dict[str, list[Decimal]]):
        self.paths = list(columns)
        self._columns = columns
        self._next = 0

    def take(self, k: int) -> dict[str, list[Decimal]]:
        start, self._next = self._next, self._next + k
        return {path: column[start : self._next] for path, column in self._columns.items()}


def evaluate(
    base: dict[str, Any],
    axes: Sequence[Axis],
    *,
    variant: str,
    parties: Sequence[str],
    baseline: str | None,
    whatifs: Sequence[str],
    file: str,
    start: int | None,
    year: int | None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, list[int]]:
    """Every listed party's delta (cents) at every point, in grid order: the NPV over the
    horizon when there is one and no `year`, else the delta of `year` (or the one year).

    `base` is the scenario's data (raw with a horizon, else the validated model's dump)
    with every varied path present. A point that breaks a rule raises `ScenarioError`
    naming the point."""
    from bekostiging.engine.simulate import Job, run_draws

    columns = points_of(axes)
    n = len(next(iter(columns.values())))
    npv = start is not None and year is None
    job = Job(base, {}, (variant,), baseline, tuple(whatifs), file, start, year=year, npv=npv)
    try:
        draws = run_draws(
            job,
            _Points(columns),  # type: ignore[arg-type]  # what run_draws reads of a Sampler
            n,
            workers=workers if workers is not None else (os.cpu_count() or 1),
            progress=progress,
        )
    except ScenarioError as exc:
        raise ScenarioError(
            Finding(f.file, f.path, _DRAW.sub(r"at grid point \1 ", f.message)) for f in exc.findings
        ) from None
    at = {key: i for i, key in enumerate(draws.keys)}
    figures = draws.npv_delta if npv else draws.delta
    assert figures is not None
    return {p: [int(x) for x in figures[at[(variant, p)]]] for p in parties}


def check_figure(figure: str, axes: Sequence[Axis], variant: str) -> None:
    """`OptionError` for a figure that is not one, or margins over an input that could
    change the care delivered (and so its cost): found before anything is loaded."""
    if figure not in ("delta", "margin"):
        raise OptionError(f"--figure {figure!r}: delta or margin")
    outside = [a.path for a in axes if not a.path.startswith(f"variants.{variant}.mechanisms.")]
    if figure == "margin" and outside:
        raise OptionError(
            f"--figure margin varies payment terms only (variants.{variant}.mechanisms.*): "
            f"{', '.join(outside)} can change the care delivered, and so its cost"
        )


def present_margins(
    yearly: dict[int, list[int]], cost_changes: dict[int | None, int], start: int, rate: Decimal
) -> list[int]:
    """Per point the net present value of the change of margin (cents): each year's delta
    less that year's change of cost, discounted and rounded as `compare` rounds
    `npv_margin_delta` (`money.present_value`)."""
    from bekostiging.money import present_value

    n = len(next(iter(yearly.values())))
    return [
        present_value({y: deltas[i] - cost_changes[y] for y, deltas in yearly.items()}, start, rate)
        for i in range(n)
    ]


_DRAW = re.compile(r"^in draw (\d+) ")  # the simulation's words for a point: "in draw 7 (path = v)"


# ------------------------------------------------------------------ reading the grid


def read(grid: Grid) -> Grid:
    """Fill in the region, the smallest delta of each point and the two points."""
    columns = [grid.deltas[p] for p in grid.parties]
    smallest = [min(values) for values in zip(*columns, strict=True)]
    feasible = [m >= 0 for m in smallest]
    grid.smallest, grid.feasible = smallest, feasible
    grid.max_min = max(range(len(smallest)), key=lambda i: (smallest[i], -i))
    best, best_product = None, 0
    for i in grid.region:
        product = 1
        for values in columns:
            product *= values[i]
        if product > best_product:  # strictly: ties keep the first in grid order
            best, best_product = i, product
    grid.nash = best
    grid.nash_none = None if best is not None else ("empty" if not grid.region else "zero")
    return grid
