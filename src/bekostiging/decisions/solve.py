"""The value of one input that gives a figure its target (`bekostiging solve`).

Pure: no scenario, no I/O. `solve` is given `figure`, a function from a value of the
parameter to the exact figure it gives (a `Decimal`: whole cents for money), the range
[low, high], the target and its relation (`=`, `>=`, `<=`), and returns the value, the
figure it gives, and every evaluation made.

How (docs/cli.md, "solve"):

1. Evaluate both ends. When they straddle the target, the straight line through them
   gives the value where an affine figure meets it; that value is evaluated (the third
   evaluation), and when it gives the target exactly the answer is found ("affine").
2. Otherwise the bracket is narrowed ("bisection"): steps through the straight line
   between the bracket's ends, each followed by a halving when it did not halve the
   bracket, and after `LINE_MISSES` such steps only halvings. When the ends do not
   straddle the target, the middle is evaluated: a figure on the straight line (within
   one unit) is affine, so out of reach; otherwise `scan` points evaluated across the
   range look for a crossing.
3. Every value tried is a finite decimal with the fewest decimals that fit, on a grid of
   steps 10^-k: the middle of the bracket is the coarsest decimal in its middle half; a
   point of the straight line, the coarsest decimal whose distance moves the line's
   figure by at most half a unit. The finest step is the one that moves the figure by
   less than a unit (a cent) at the average slope over the range, two decimals finer
   for a slope that is steeper in places: 10^-(d + 2) where 10^d is the figure's change
   over one unit of the parameter in units (a cent), d rounded up; at most 10^-`places`
   (12, and 2 for a money input, which has whole cents).
4. It stops when a value gives the target exactly; when the bracket's ends are one unit
   (a cent) apart; or when the bracket is one finest step wide: the figure jumps there
   (a threshold, a gate, cents rounded per client), and the side the relation asks for
   (`>=`, `<=`) or the nearer one (`=`) is the answer, with the other side in `other`.

The figure is assumed monotone between the points evaluated; `reachable` is the least
and the greatest figure of the evaluations.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import pairwise

RELATIONS = ("=", ">=", "<=")
#: The finest step of a parameter that is not money: 10^-12.
PLACES = 12
#: Steps along the line that may fail to halve the bracket before only halvings are made
#: (a figure in cents is a staircase at a fine enough scale: no line helps there).
LINE_MISSES = 2
#: Points looked at across the range when its ends do not straddle the target.
SCAN = 8
_COARSEST = -15  # the coarsest step tried: 10^15


@dataclass(frozen=True)
class Point:
    value: Decimal
    figure: Decimal


@dataclass(frozen=True)
class Outcome:
    """The answer: `value` gives `achieved`.

    `status`: `met` (the relation holds; for `=` the figure is the target exactly),
    `closest` (`=`: the figure jumps over the target between `value` and `other.value`;
    `value` gives the nearer figure), `out_of_reach` (no value in the range meets it:
    `value` gives the figure nearest to the target). `method`: `end` (an end of the
    range), `affine` (the third evaluation, on the line through the ends), `bisection`.
    `objective`: with an objective, its value at `value` (the least among the candidates).
    """

    value: Decimal
    achieved: Decimal
    status: str
    method: str
    points: tuple[Point, ...]
    other: Point | None = None
    objective: Decimal | None = None

    @property
    def evaluations(self) -> int:
        return len(self.points)

    @property
    def reachable(self) -> tuple[Decimal, Decimal]:
        figures = [p.figure for p in self.points]
        return min(figures), max(figures)


def solve(
    figure: Callable[[Decimal], Decimal],
    low: Decimal,
    high: Decimal,
    target: Decimal,
    relation: str = "=",
    *,
    unit: Decimal = Decimal("0.01"),
    places: int = PLACES,
    objective: Callable[[Decimal], Decimal] | None = None,
    scan: int = SCAN,
) -> Outcome:
    """The value in [low, high] where `figure` meets `target` (see the module docstring).

    `objective` (the cost to a payer, say): among the value found and the ends of the
    range that meet the relation too, the one where it is least (the value found on a
    tie). Raises `ValueError` unless low < high and the relation is one of `RELATIONS`.
    """
    if relation not in RELATIONS:
        raise ValueError(f"unknown relation {relation!r}; choose from {', '.join(RELATIONS)}")
    if not low < high:
        raise ValueError(f"the range needs low < high, got [{low}, {high}]")
    with decimal.localcontext(prec=80, rounding=ROUND_HALF_EVEN):
        search = _Search(figure, target, relation, unit, places)
        found = search.run(low, high, scan)
        if objective is not None and found.status == "met":
            found = _cheapest(found, objective, search, low, high)
        return found


class _Search:
    def __init__(self, figure, target, relation, unit, places):
        self.figure, self.target, self.relation = figure, target, relation
        self.unit, self.places = unit, places
        self.seen: dict[Decimal, Decimal] = {}
        self.order: list[Point] = []

    def at(self, x: Decimal) -> Decimal:
        if x not in self.seen:
            self.seen[x] = self.figure(x)
            self.order.append(Point(x, self.seen[x]))
        return self.seen[x]

    def sign(self, x: Decimal) -> int:
        d = self.at(x) - self.target
        return (d > 0) - (d < 0)

    def feasible(self, x: Decimal) -> bool:
        s = self.sign(x)
        return {"=": s == 0, ">=": s >= 0, "<=": s <= 0}[self.relation]

    def outcome(self, x: Decimal, status: str, method: str, other: Decimal | None = None) -> Outcome:
        point = Point(other, self.seen[other]) if other is not None else None
        return Outcome(x, self.seen[x], status, method, tuple(self.order), point)

    def run(self, low: Decimal, high: Decimal, scan: int) -> Outcome:
        sl, sh = self.sign(low), self.sign(high)
        self.places = min(self.places, finest(self.seen[high] - self.seen[low], high - low, self.unit))
        for end in (low, high):
            if self.sign(end) == 0:
                return self.outcome(end, "met", "end")
        if sl != sh:
            return self.bracket(low, high, first=True)
        middle = _middle(low, high, self.places)
        if middle is not None:
            fl, fh, fm = self.seen[low], self.seen[high], self.at(middle)
            line = fl + (fh - fl) * (middle - low) / (high - low)
            if abs(fm - line) > self.unit:  # not affine: look across the range
                for i in range(1, scan):
                    x = _coarsest(
                        low + (high - low) * i / scan, (high - low) / (4 * scan), low, high, self.places
                    )
                    if x is not None:
                        self.at(x)
        values = sorted(self.seen)
        for x in values:
            if self.sign(x) == 0:
                return self.outcome(x, "met", "bisection")
        for a, b in pairwise(values):
            if self.sign(a) != self.sign(b):
                return self.bracket(a, b, first=False)
        return self.nothing(values)

    def nothing(self, values: list[Decimal]) -> Outcome:
        """No crossing: every value meets a `>=`/`<=` target (the one nearest to it is the
        answer), or none does (out of reach: the nearest figure)."""
        nearest = min(values, key=lambda x: (abs(self.seen[x] - self.target), x))
        if self.feasible(nearest):
            return self.outcome(nearest, "met", "end" if nearest in (values[0], values[-1]) else "bisection")
        return self.outcome(
            nearest, "out_of_reach", "end" if nearest in (values[0], values[-1]) else "bisection"
        )

    def bracket(self, a: Decimal, b: Decimal, *, first: bool) -> Outcome:
        sa = self.sign(a)
        line, width, misses = True, b - a, 0
        while True:
            fa, fb = self.seen[a], self.seen[b]
            if abs(fb - fa) <= self.unit:
                break
            x = _on_line(a, b, fa, fb, self.target, self.unit, self.places) if line else None
            stepped_on_line = x is not None
            if x is None:
                x = _middle(a, b, self.places)
            if x is None:
                break  # one finest step wide
            self.at(x)
            s = self.sign(x)
            if s == 0:
                return self.outcome(x, "met", "affine" if first and len(self.order) == 3 else "bisection")
            a, b = (x, b) if s == sa else (a, x)
            if stepped_on_line and (b - a) * 2 > width:
                misses += 1  # the line did not halve the bracket: halve it next
            line = misses < LINE_MISSES and not (stepped_on_line and (b - a) * 2 > width)
            width = b - a
        return self.settle(a, b)

    def settle(self, a: Decimal, b: Decimal) -> Outcome:
        """The bracket's end the relation asks for (`=`: the nearer figure, `a` on a tie)."""
        if self.relation == "=":
            near = min((a, b), key=lambda x: (abs(self.seen[x] - self.target), x != a))
            return self.outcome(near, "closest", "bisection", b if near == a else a)
        good = a if self.feasible(a) else b
        return self.outcome(good, "met", "bisection", b if good == a else a)


def _cheapest(found: Outcome, objective, search: _Search, low: Decimal, high: Decimal) -> Outcome:
    candidates = [found.value, *(end for end in (low, high) if end != found.value and search.feasible(end))]
    costs = {x: objective(x) for x in candidates}
    best = min(candidates, key=lambda x: costs[x])  # the first (the value found) on a tie
    chosen = (
        found if best == found.value else replace(found, value=best, achieved=search.seen[best], method="end")
    )
    return replace(chosen, objective=costs[best], points=tuple(search.order))


def finest(change: Decimal, width: Decimal, unit: Decimal) -> int:
    """The decimals of the finest step: `d + 2` where 10^d (d rounded up) is the figure's
    change over one unit of the parameter, in units; no limit for a flat figure."""
    per_unit = abs(change) / width / unit
    if per_unit == 0:
        return PLACES
    d = per_unit.adjusted() + (0 if per_unit == Decimal(1).scaleb(per_unit.adjusted()) else 1)
    return max(0, d + 2)


def _step(k: int) -> Decimal:
    return Decimal(1).scaleb(-k)


def _coarsest(x: Decimal, tolerance: Decimal, a: Decimal, b: Decimal, places: int) -> Decimal | None:
    """The decimal with the fewest decimals within `tolerance` of `x`, strictly inside (a, b)."""
    for k in range(_COARSEST, places + 1):
        r = x.quantize(_step(k), rounding=ROUND_HALF_EVEN)
        if a < r < b and abs(r - x) <= tolerance:
            return Decimal(plain(r))
    r = x.quantize(_step(places), rounding=ROUND_HALF_EVEN)
    return Decimal(plain(r)) if a < r < b else None


def _middle(a: Decimal, b: Decimal, places: int) -> Decimal | None:
    """The coarsest decimal in the middle half of (a, b); at the finest step any inside it;
    None when the bracket is one finest step wide."""
    return _coarsest((a + b) / 2, (b - a) / 4, a, b, places)


def _on_line(a, b, fa, fb, target, unit, places) -> Decimal | None:
    """Where the straight line through the bracket's ends meets the target, as the coarsest
    decimal that moves the line's figure by at most half a unit."""
    x = a + (target - fa) * (b - a) / (fb - fa)
    slope = abs(fb - fa) / (b - a)
    return _coarsest(x, unit / 2 / slope, a, b, places)


def plain(value: Decimal) -> str:
    """A value as `--set` reads it back: fixed point, no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
