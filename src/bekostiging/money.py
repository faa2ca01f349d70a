"""The one way to make money values: exact decimals in, whole cents out.

Every flow is computed exactly in `Decimal` and rounded half-to-even to whole cents when
it is created; from then on it is an `int` of cents, so sums are exact and the nets of
all parties add up to exactly zero. Pooled amounts are split with the largest remainder
method so that the parts add up to the whole, to the cent.

A simulation holds a drawn number as `Lanes`, one value per draw: an `Amount` is a
`Decimal` or lanes of them, `Cents` an `int` or lanes of them. Each function here does
its work on one number, or, after one `isinstance(x, Lanes)` check, passes lanes on to
`lanes`, which does the same lane by lane. Plain numbers never import numpy.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal

from bekostiging import lanes
from bekostiging.arithmetic import (
    CONTEXT,
    MAX_FLOW,
    ONE,
    ZERO,
    MoneyOverflow,
    exact,
)
from bekostiging.lanes import Amount, Cents, Lanes, Truth

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def cents(amount: Amount) -> Cents:
    """Round an exact euro amount half-to-even to whole cents."""
    if isinstance(amount, Lanes):
        return lanes.cents(amount)
    if abs(amount) >= MAX_FLOW:
        raise MoneyOverflow(f"an amount of EUR {amount:.3E} is beyond the limit of EUR {MAX_FLOW:.0E}")
    return int(CONTEXT.multiply(amount, _HUNDRED).quantize(ONE, rounding=ROUND_HALF_EVEN, context=CONTEXT))


def present_value(cents_by_year: Mapping[int, Cents], start: int, rate: Decimal) -> Cents:
    """The net present value of amounts in cents per year (numbers or lanes): each over
    (1 + rate)^(year − start), summed exactly, rounded once half-to-even to the cent. The
    one discounting of every NPV: `compare`'s horizon table, `solve`, `frontier`."""
    with exact():
        total: Amount = Decimal(0)
        for year, amount in cents_by_year.items():
            total += div(as_number(amount), CONTEXT.power(1 + rate, year - start))
        return cents(total / 100)


def from_cents(amount_cents: Cents) -> Amount:
    """Whole cents as an exact euro amount (for the "so far" figures mechanisms use)."""
    if isinstance(amount_cents, Lanes):
        return lanes.from_cents(amount_cents)
    return CONTEXT.divide(Decimal(amount_cents), _HUNDRED)


def as_number(value: Cents | Amount) -> Amount:
    """An int of cents or weights as a `Decimal`; lanes as lanes of `Decimal`s."""
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, Lanes):
        return value.decimals()
    raise TypeError(f"not a number: {value!r}")


def is_number(value: object) -> bool:
    """A number (not a boolean), or lanes of numbers (a simulation's drawn input)."""
    if isinstance(value, int | Decimal):
        return not isinstance(value, bool)
    return isinstance(value, Lanes) and value.is_decimal


def maximum(a: Amount | Cents, b: Amount | Cents) -> Amount | Cents:
    """`max(a, b)`, lane by lane when either is lanes."""
    if isinstance(a, Lanes) or isinstance(b, Lanes):
        return lanes.maximum(a, b)
    return max(a, b)


def minimum(a: Amount | Cents, b: Amount | Cents) -> Amount | Cents:
    if isinstance(a, Lanes) or isinstance(b, Lanes):
        return lanes.minimum(a, b)
    return min(a, b)


def where(condition: Truth, yes: Amount | Cents, no: Amount | Cents) -> Amount | Cents:
    """`yes if condition else no`, lane by lane when the condition is lanes."""
    if isinstance(condition, Lanes):
        return lanes.where(condition, yes, no)
    return yes if condition else no


def is_zero(value: Amount | Cents | Truth) -> bool:
    """Zero (or false) in every lane."""
    if isinstance(value, Lanes):
        return not value.any()
    return value == 0


def euros(amount_cents: int) -> Decimal:
    """Whole cents back to an exact euro `Decimal` with two decimals."""
    return (Decimal(amount_cents) / 100).quantize(_CENT, context=CONTEXT)


def mul(*factors: Amount | int) -> Amount:
    """Exact product (60 significant digits); lane by lane when a factor is lanes."""
    if len(factors) == 2:  # the hot path (units × price): the loop below, unrolled
        a, b = factors
        if (type(a) is Decimal or type(a) is int) and (type(b) is Decimal or type(b) is int):
            return CONTEXT.multiply(CONTEXT.multiply(ONE, a), b)
    result: Amount = ONE
    for i, f in enumerate(factors):
        if type(result) is Decimal and (type(f) is Decimal or type(f) is int):  # the hot path
            result = CONTEXT.multiply(result, f)
        elif i == 0 and len(factors) > 1 and isinstance(f, Lanes):
            # 1 × lanes is the lanes: the next factor's product makes every lane a Decimal
            # (`lanes.mul`), as 1 × would, so the pass over the lanes is saved.
            result = f
        elif isinstance(result, Lanes) or isinstance(f, Lanes):
            result = lanes.mul(result, f)
        else:
            result = CONTEXT.multiply(result, f)
    return result


def div(a: Amount | int, b: Amount | int) -> Amount:
    if isinstance(a, Lanes) or isinstance(b, Lanes):
        return lanes.div(a, b)
    return CONTEXT.divide(a, b)


def rounded(value: Decimal, places: int) -> Decimal:
    """Half-to-even rounding of a ratio or percentage to `places` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=CONTEXT)


def decimal_places(value: Decimal) -> int:
    """How many decimals a value was written with (`1.50` has 2, `1.5` has 1)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def allocate(total_cents: Cents, weights: Mapping[str, Amount]) -> dict[str, Cents]:
    """Split whole cents over keys pro rata `weights` by the largest remainder method.

    Each key first gets the floor of its exact share; the cents left over go one each to
    the largest remainders, ties to the key that sorts first. All weights zero (or none
    positive) splits equally. A negative total is split as the mirror of the positive one,
    so a repayment is shared exactly like a payout.
    """
    keys = sorted(weights)
    if not keys:
        raise ValueError("nothing to allocate over")
    drawn = next((v for v in (total_cents, *weights.values()) if isinstance(v, Lanes)), None)
    if drawn is not None:
        return lanes.allocate(total_cents, weights, len(drawn))
    if total_cents < 0:
        return {k: -v for k, v in allocate(-total_cents, weights).items()}
    positive = {k: max(weights[k], ZERO) for k in keys}
    weight_sum = sum(positive.values(), ZERO)
    if weight_sum == 0:
        positive = {k: ONE for k in keys}
        weight_sum = Decimal(len(keys))
    shares: dict[str, int] = {}
    remainders: list[tuple[Decimal, str]] = []
    for k in keys:
        exact = CONTEXT.divide(CONTEXT.multiply(Decimal(total_cents), positive[k]), weight_sum)
        floor = int(exact.to_integral_value(rounding=decimal.ROUND_FLOOR, context=CONTEXT))
        shares[k] = floor
        remainders.append((exact - floor, k))
    left = total_cents - sum(shares.values())
    # Largest remainder first; equal remainders go to the id that sorts first.
    for _, k in sorted(remainders, key=lambda rk: (-rk[0], rk[1]))[:left]:
        shares[k] += 1
    return shares
