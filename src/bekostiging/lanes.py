"""Numbers with one value per draw: draws as a dimension of the computation (HORIZON.md §2).

A Monte Carlo run computes the scenario once, with every drawn input, and everything
derived from it, held as a numpy array of exact `Decimal`s with one value per draw (a
"lane"), and every flow as an array of whole cents. The engine's code is the same as for
a single scenario: the functions in `money` dispatch here when a value is an array and
do, lane by lane, exactly what they do for one number: the same operations, the same
precision, the same half-even rounding. So lane i of a run is the scenario with draw i's
numbers, to the cent, and `engine.simulate` checks this against the one-draw-at-a-time
evaluation in its tests.

Arrays of `Decimal` are numpy object arrays: the arithmetic is exact and runs in
numpy's loops over `decimal`'s C implementation, without the per-draw cost of building,
validating and walking a scenario.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np

from bekostiging.money import CONTEXT, MAX_FLOW, ONE, MoneyOverflow

_HUNDRED = Decimal(100)
_multiply = np.frompyfunc(CONTEXT.multiply, 2, 1)
_divide = np.frompyfunc(CONTEXT.divide, 2, 1)
_quantize = np.frompyfunc(CONTEXT.quantize, 2, 1)  # CONTEXT rounds half-to-even
_as_decimal = np.frompyfunc(Decimal, 1, 1)


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=decimal.ROUND_FLOOR, context=CONTEXT))


_floors = np.frompyfunc(_floor, 1, 1)


def is_many(value: Any) -> bool:
    return isinstance(value, np.ndarray)


def decimals(value: Any) -> np.ndarray:
    """Lanes as exact `Decimal`s (cents arrays and plain numbers included)."""
    if isinstance(value, np.ndarray) and value.dtype == object:
        return value
    if isinstance(value, np.ndarray):
        return _as_decimal(value.astype(object))
    raise TypeError(f"not lanes: {value!r}")


def column(values: list[Decimal]) -> np.ndarray:
    """One drawn input: a value per draw."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def mul(a: Any, b: Any) -> np.ndarray:
    return _multiply(a, b)


def div(a: Any, b: Any) -> np.ndarray:
    return _divide(a, b)


def cents(amount: np.ndarray) -> np.ndarray:
    """Half-to-even whole cents of each lane, as int64."""
    if np.any(np.abs(amount) >= MAX_FLOW):
        worst = max(amount, key=abs)
        raise MoneyOverflow(f"an amount of EUR {worst:.3E} is beyond the limit of EUR {MAX_FLOW:.0E}")
    return _quantize(_multiply(amount, _HUNDRED), ONE).astype(np.int64)


def from_cents(amount_cents: np.ndarray) -> np.ndarray:
    """Whole cents back to exact euros, per lane."""
    return _as_decimal(amount_cents.astype(object)) / _HUNDRED


def allocate(total_cents: Any, weights: Mapping[str, Any], lanes: int) -> dict[str, np.ndarray]:
    """`money.allocate`, lane by lane: the largest remainder method, ties to the key that
    sorts first, an equal split where no weight is positive, a negative total mirrored."""
    keys = sorted(weights)
    total = np.broadcast_to(np.asarray(total_cents, dtype=np.int64), (lanes,))
    sign = np.where(total < 0, -1, 1)
    magnitude = _as_decimal((total * sign).astype(object))
    positive = np.empty((len(keys), lanes), dtype=object)
    for i, k in enumerate(keys):
        w = weights[k]
        positive[i] = np.maximum(w, 0) if is_many(w) else max(w, Decimal(0))
    weight_sum = positive.sum(axis=0) if keys else np.zeros(lanes, dtype=object)
    none = weight_sum == 0
    if np.any(none):
        positive[:, none] = ONE
        weight_sum = np.where(none, Decimal(len(keys)), weight_sum)
    exact = _divide(_multiply(magnitude, positive), weight_sum)
    floors = _floors(exact).astype(np.int64)
    remainders = exact - floors
    left = total * sign - floors.sum(axis=0)
    # Rank each key within its lane: largest remainder first, equal ones in key order
    # (a stable sort of the negated remainders keeps the sorted key order among ties).
    order = np.argsort(-remainders, axis=0, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(len(keys))[:, None].repeat(lanes, axis=1), axis=0)
    shares = (floors + (rank < left)) * sign
    return {k: shares[i] for i, k in enumerate(keys)}
