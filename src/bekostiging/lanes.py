"""Numbers with one value per draw: draws as a dimension of the computation (HORIZON.md §2).

A Monte Carlo run computes a block of draws at once. Every drawn input, and everything
derived from it, is a `Lanes`: one value per draw (a "lane") in one numpy array, of exact
`Decimal`s (an object array), of whole cents (int64) or of truth values (bool). Its
operators do, lane by lane, what the same operator does on one number, in the same
decimal context, so the engine's code (`a - b`, `x >= y`, `sum(...)`, `ok & (y > 0)`) is
the same for one scenario and for a block of draws. The functions in `money` take an
`Amount` (a `Decimal` or `Lanes`) and send lanes here with one `isinstance` check; here
they do, lane by lane, exactly what they do for one number: the same operations, the same
precision, the same half-even rounding. So lane i of a run is the scenario with draw i's
numbers, to the cent, and `tests/test_lanes.py` checks this against the
one-draw-at-a-time evaluation.

Arrays of `Decimal` are numpy object arrays: the arithmetic is exact and runs in numpy's
loops over `decimal`'s C implementation, without the per-draw cost of building,
validating and walking a scenario.

This module does not import numpy: lanes are only ever made from other lanes or by
`column`, which imports it, so plain numbers never load it (`money` imports this module).
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias, final

if TYPE_CHECKING:
    import numpy as np


@final
class Lanes:
    """One value per draw: a numpy array of exact `Decimal`s, whole cents (int64) or truth values.

    Arithmetic and comparisons work lane by lane against a number or other lanes and give
    lanes (comparisons and `& | ~` give truth lanes). A lane's truth is its own, so `if`,
    `and` and `or` on lanes are errors: mechanisms use `money.where`, `&` and `|`.
    """

    __slots__ = ("values",)
    __hash__ = None  # type: ignore[assignment]  # `==` compares lane by lane
    __array_ufunc__ = None  # `array ∘ lanes` is left to the operators below

    values: np.ndarray

    def __init__(self, values: np.ndarray) -> None:
        if values.dtype.kind not in "Oib":  # money is never float
            raise TypeError(f"lanes hold exact numbers or truth values, not {values.dtype}")
        self.values = values

    # --- what the lanes hold
    @property
    def is_cents(self) -> bool:
        """Whole cents (int64), as a flow is."""
        return self.values.dtype.kind == "i"

    @property
    def is_decimal(self) -> bool:
        """Exact decimals (an object array), as a drawn input and its products are."""
        return self.values.dtype.kind == "O"

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, lane: int) -> Any:
        """The value of one lane (0-based)."""
        return self.values[lane]

    def __repr__(self) -> str:
        return f"Lanes({self.values!r})"

    def __bool__(self) -> NoReturn:
        raise TypeError("lanes have a truth per lane: use money.where, money.is_zero, & or |")

    def __array__(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise TypeError("lanes are not silently an array: use .values")

    # --- arithmetic, lane by lane (in the thread's decimal context, as on one number)
    def __add__(self, other: Any) -> Lanes:
        return Lanes(self.values + _array(other))

    def __radd__(self, other: Any) -> Lanes:
        return Lanes(other + self.values)

    def __sub__(self, other: Any) -> Lanes:
        return Lanes(self.values - _array(other))

    def __rsub__(self, other: Any) -> Lanes:
        return Lanes(other - self.values)

    def __mul__(self, other: Any) -> Lanes:
        return Lanes(self.values * _array(other))

    def __rmul__(self, other: Any) -> Lanes:
        return Lanes(other * self.values)

    def __truediv__(self, other: Any) -> Lanes:
        return Lanes(self.values / _array(other))

    def __rtruediv__(self, other: Any) -> Lanes:
        return Lanes(other / self.values)

    def __neg__(self) -> Lanes:
        return Lanes(-self.values)

    def __abs__(self) -> Lanes:
        return Lanes(abs(self.values))

    # --- comparisons: truth lanes
    def __lt__(self, other: Any) -> Lanes:
        return Lanes(self.values < _array(other))

    def __le__(self, other: Any) -> Lanes:
        return Lanes(self.values <= _array(other))

    def __gt__(self, other: Any) -> Lanes:
        return Lanes(self.values > _array(other))

    def __ge__(self, other: Any) -> Lanes:
        return Lanes(self.values >= _array(other))

    def __eq__(self, other: object) -> Lanes:  # type: ignore[override]
        return Lanes(self.values == _array(other))

    def __ne__(self, other: object) -> Lanes:  # type: ignore[override]
        return Lanes(self.values != _array(other))

    # --- truth lanes
    def __and__(self, other: Any) -> Lanes:
        return Lanes(self.values & _array(other))

    def __rand__(self, other: Any) -> Lanes:
        return Lanes(other & self.values)

    def __or__(self, other: Any) -> Lanes:
        return Lanes(self.values | _array(other))

    def __ror__(self, other: Any) -> Lanes:
        return Lanes(other | self.values)

    def __invert__(self) -> Lanes:
        return Lanes(~self.values)

    # --- over the lanes
    def any(self) -> bool:
        """Some lane is true (non-zero)."""
        return bool(self.values.any())

    def first(self) -> int:
        """The first lane that is true (non-zero); -1 if none is."""
        for lane, value in enumerate(self.values):
            if value:
                return lane
        return -1

    def min(self) -> Any:
        return self.values.min()

    def max(self) -> Any:
        return self.values.max()

    def decimals(self) -> Lanes:
        """The same lanes as exact `Decimal`s (cents and weights stay whole numbers)."""
        if self.is_decimal:
            return self
        return Lanes(_exact().as_decimal(self.values.astype(object)))


# One number, or one per draw. The engine is written once for both: a money function
# takes an `Amount` and gives an `Amount` (or `Cents`), the same for either.
Amount: TypeAlias = Decimal | Lanes  # euros, exact
Cents: TypeAlias = int | Lanes  # whole cents (lanes of int64)
Truth: TypeAlias = bool | Lanes  # lanes of bool


def _array(value: Any) -> Any:
    return value.values if type(value) is Lanes else value


class _Exact:
    """numpy loops over `decimal`'s exact operations in `arithmetic.CONTEXT` (60 digits, half-even)."""

    def __init__(self) -> None:
        import numpy as np

        from bekostiging.arithmetic import CONTEXT

        self.context = CONTEXT
        self.multiply = np.frompyfunc(CONTEXT.multiply, 2, 1)
        self.divide = np.frompyfunc(CONTEXT.divide, 2, 1)
        self.quantize = np.frompyfunc(CONTEXT.quantize, 2, 1)  # CONTEXT rounds half-to-even
        self.as_decimal = np.frompyfunc(Decimal, 1, 1)


@cache
def _exact() -> _Exact:
    return _Exact()


_HUNDRED = Decimal(100)


def column(values: Sequence[Decimal]) -> Lanes:
    """One drawn input: a value per draw."""
    import numpy as np

    out = np.empty(len(values), dtype=object)
    out[:] = values
    return Lanes(out)


def mul(a: Any, b: Any) -> Lanes:
    x, y = _array(a), _array(b)
    if type(x) is Decimal or type(y) is Decimal:
        # Lanes × one Decimal: numpy's own loop over `*` in the same context is
        # `CONTEXT.multiply` lane by lane (every lane's product is a Decimal, an int lane
        # converted exactly), without a Python call per lane.
        with decimal.localcontext(_exact().context):
            return Lanes(x * y)
    return Lanes(_exact().multiply(x, y))


def div(a: Any, b: Any) -> Lanes:
    return Lanes(_exact().divide(_array(a), _array(b)))


def maximum(a: Any, b: Any) -> Lanes:
    import numpy as np

    return Lanes(np.maximum(_array(a), _array(b)))


def minimum(a: Any, b: Any) -> Lanes:
    import numpy as np

    return Lanes(np.minimum(_array(a), _array(b)))


def where(condition: Lanes, yes: Any, no: Any) -> Lanes:
    import numpy as np

    return Lanes(np.where(condition.values, _array(yes), _array(no)))


def cents(amount: Lanes) -> Lanes:
    """Half-to-even whole cents of each lane, as int64."""
    import numpy as np

    from bekostiging.arithmetic import MAX_FLOW, ONE, MoneyOverflow

    values, exact = amount.values, _exact()
    try:
        with decimal.localcontext(exact.context):  # `CONTEXT.multiply` lane by lane (see `mul`)
            hundredfold = values * _HUNDRED
        whole = exact.quantize(hundredfold, ONE).astype(np.int64)
        # Every lane is below MAX_FLOW when its rounded cents are below MAX_FLOW in cents (a
        # lane of at least MAX_FLOW rounds to at least that whole number). Only at the
        # limit, or beyond what the rounding and int64 hold, are the lanes compared.
        limit = int(MAX_FLOW) * 100
        if whole.max() < limit and whole.min() > -limit:
            return Lanes(whole)
    except ArithmeticError:
        whole = None
    if np.any(np.abs(values) >= MAX_FLOW):
        worst = max(values, key=abs)
        raise MoneyOverflow(f"an amount of EUR {worst:.3E} is beyond the limit of EUR {MAX_FLOW:.0E}")
    assert whole is not None, "a lane below the limit rounds to int64 cents"
    return Lanes(whole)


def from_cents(amount_cents: Lanes) -> Lanes:
    """Whole cents back to exact euros, per lane."""
    return Lanes(_exact().as_decimal(amount_cents.values.astype(object)) / _HUNDRED)


def allocate(total_cents: Any, weights: Mapping[str, Any], lanes: int) -> dict[str, Lanes]:
    """`money.allocate`, lane by lane: the largest remainder method, ties to the key that
    sorts first, an equal split where no weight is positive, a negative total mirrored."""
    import numpy as np

    from bekostiging.arithmetic import ONE

    exact = _exact()
    keys = sorted(weights)
    total = np.broadcast_to(np.asarray(_array(total_cents), dtype=np.int64), (lanes,))
    if len(keys) == 1:  # one key gets the whole total in every lane, whatever its weight
        return {keys[0]: Lanes(total.copy())}
    sign = np.where(total < 0, -1, 1)
    magnitude = exact.as_decimal((total * sign).astype(object))
    positive = np.empty((len(keys), lanes), dtype=object)
    for i, k in enumerate(keys):
        w = weights[k]
        positive[i] = np.maximum(w.values, 0) if isinstance(w, Lanes) else max(w, Decimal(0))
    weight_sum = positive.sum(axis=0) if keys else np.zeros(lanes, dtype=object)
    none = weight_sum == 0
    if np.any(none):
        positive[:, none] = ONE
        weight_sum = np.where(none, Decimal(len(keys)), weight_sum)
    with decimal.localcontext(exact.context):  # `CONTEXT.multiply` and `.divide`: `magnitude` holds Decimals
        shares_exact = magnitude * positive / weight_sum
    # The shares are >= 0, so truncating each to an int is its floor.
    floors = np.fromiter(map(int, shares_exact.ravel()), dtype=np.int64, count=shares_exact.size)
    floors = floors.reshape(shares_exact.shape)
    left = total * sign - floors.sum(axis=0)
    # Rank each key within its lane: largest remainder first, equal ones in key order
    # (a stable sort of the negated remainders, floor - share, keeps the sorted key order
    # among ties).
    order = np.argsort(floors - shares_exact, axis=0, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(len(keys))[:, None].repeat(lanes, axis=1), axis=0)
    shares = (floors + (rank < left)) * sign
    return {k: Lanes(shares[i]) for i, k in enumerate(keys)}
