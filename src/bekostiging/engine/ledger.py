"""The ledger: every euro a row, from one party to another.

While a variant is computed, flows accumulate in a `Ledger` that answers the "so far"
questions the later mechanisms ask (a party's revenue so far, a payer's spend so far).
Afterwards all ledgers become one polars frame (`to_frame`), and every reported figure
is a `group_by` over it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bekostiging.mechanisms import COMPONENTS as MECHANISM_COMPONENTS
from bekostiging.money import MAX_LEDGER_CENTS, MoneyOverflow, cents, is_zero

if TYPE_CHECKING:
    import polars as pl

COMPONENTS = MECHANISM_COMPONENTS  # fee, copay, then each mechanism's own (the registry's order)


@dataclass(frozen=True, slots=True)
class Flow:
    component: str
    payer: str
    payee: str
    amount: int  # whole cents, > 0 (in a simulation: int64 lanes, signed)
    profile: str | None = None
    activity: str | None = None
    # How the amount was made, for `explain` and audits. Per-cell flows pass a callable so
    # the text is only built when someone reads it (`describe`), off the hot path.
    formula: str | Callable[[], str] = ""

    def describe(self) -> str:
        return self.formula() if callable(self.formula) else self.formula


class Ledger:
    """The flows of one variant, in the order the mechanisms created them."""

    def __init__(self) -> None:
        self.flows: list[Flow] = []
        self._in: dict[str, int] = defaultdict(int)
        self._out: dict[str, int] = defaultdict(int)
        self._pair: dict[tuple[str, str], int] = defaultdict(int)
        self._gross = 0

    def add(
        self,
        component: str,
        payer: str,
        payee: str,
        amount: Decimal | int,
        profile: str | None = None,
        activity: str | None = None,
        formula: str | Callable[[], str] = "",
    ) -> int:
        """Add one flow, rounded to cents now. Zero flows and self-payments are not kept.

        A negative amount is written as the reverse flow, so every row is positive. Lanes
        (a simulation) keep their sign per lane: the "so far" sums count each lane's flow
        in its own direction, exactly as one reversed row would.
        """
        value = amount if isinstance(amount, int) or _is_cents_lanes(amount) else cents(amount)
        if not isinstance(value, int):
            return self._add_lanes(component, payer, payee, value, profile, activity, formula)
        if value < 0:
            payer, payee, value = payee, payer, -value
        if value == 0 or payer == payee:
            return value
        self._gross = self._gross + value
        if not is_zero(self._gross > MAX_LEDGER_CENTS):
            raise MoneyOverflow(f"more than EUR {MAX_LEDGER_CENTS // 100:,} flows in one variant")
        self.flows.append(Flow(component, payer, payee, value, profile, activity, formula))
        self._in[payee] = self._in[payee] + value
        self._out[payer] = self._out[payer] + value
        self._pair[(payer, payee)] = self._pair[(payer, payee)] + value
        return value

    def _add_lanes(self, component, payer, payee, value, profile, activity, formula):
        if payer == payee or is_zero(value):
            return value
        import numpy as np

        forward = np.maximum(value, 0)
        back = forward - value
        self._gross = self._gross + forward + back
        if not is_zero(self._gross > MAX_LEDGER_CENTS):
            raise MoneyOverflow(f"more than EUR {MAX_LEDGER_CENTS // 100:,} flows in one variant")
        self.flows.append(Flow(component, payer, payee, value, profile, activity, formula))
        # New arrays, never in place: a mechanism may hold a sum it read earlier.
        self._in[payee] = self._in[payee] + forward
        self._out[payer] = self._out[payer] + forward
        self._in[payer] = self._in[payer] + back
        self._out[payee] = self._out[payee] + back
        self._pair[(payer, payee)] = self._pair[(payer, payee)] + forward
        self._pair[(payee, payer)] = self._pair[(payee, payer)] + back
        return value

    def inflows(self, party: str) -> int:
        return self._in[party]

    def outflows(self, party: str) -> int:
        return self._out[party]

    def net_spend(self, party: str) -> int:
        """Payments minus revenue: what a payer has spent so far."""
        return self._out[party] - self._in[party]

    def paid(self, payer: str, payee: str) -> int:
        return self._pair[(payer, payee)]

    def payees_of(self, payer: str) -> dict[str, int]:
        return {b: v for (a, b), v in self._pair.items() if a == payer and not is_zero(v)}


def _is_cents_lanes(amount: Any) -> bool:
    return getattr(amount, "dtype", None) == "int64"


def to_frame(ledgers: dict[str, Ledger]) -> pl.DataFrame:
    """All variants' flows as one frame: variant, component, payer, payee, profile, activity, amount."""
    import polars as pl

    rows = [
        (v, f.component, f.payer, f.payee, f.profile, f.activity, f.amount)
        for v, led in ledgers.items()
        for f in led.flows
    ]
    return pl.DataFrame(
        rows,
        schema={
            "variant": pl.String,
            "component": pl.String,
            "payer": pl.String,
            "payee": pl.String,
            "profile": pl.String,
            "activity": pl.String,
            "amount": pl.Int64,  # cents
        },
        orient="row",
    )
