"""The ledger: every euro a row, from one party to another.

While a variant is computed, flows accumulate in a `Ledger` that answers the "so far"
questions the later mechanisms ask (a party's revenue so far, a payer's spend so far).
Afterwards all ledgers become one polars frame (`flow_schema`), and every reported figure
is a `group_by` over it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bekostiging.arithmetic import MAX_LEDGER_CENTS, MoneyOverflow
from bekostiging.formula import Words
from bekostiging.lanes import Amount, Cents, Lanes
from bekostiging.mechanisms import COMPONENTS as MECHANISM_COMPONENTS
from bekostiging.money import cents, is_zero, maximum

if TYPE_CHECKING:
    import polars as pl

COMPONENTS = MECHANISM_COMPONENTS  # fee, copay, then each mechanism's own (the registry's order)


@dataclass(frozen=True, slots=True)
class CellFormula:
    """The formula of every care-path cell's flow of one kind (`fee`, `copay`) in one
    variant: one object for all of them, the text built from the flow's own profile and
    activity when someone reads it, so a cell's flow carries no object of its own."""

    build: Callable[[str, str, Words], str]


Formula = str | Callable[[Words], str] | CellFormula


@dataclass(frozen=True, slots=True)
class Flow:
    component: str
    payer: str
    payee: str
    amount: Cents  # whole cents, > 0 (in a simulation: lanes of int64, signed per lane)
    profile: str | None = None
    activity: str | None = None
    # How the amount was made, for `explain` and audits. A callable (or, shared by every
    # cell, a `CellFormula`) so the text is only built when someone reads it (`describe`).
    formula: Formula = ""

    def describe(self, lang: str | None = None) -> str:
        """The formula: plain for audit, or for people in `lang` (`formula.Words`)."""
        formula = self.formula
        if isinstance(formula, CellFormula):
            assert self.profile is not None and self.activity is not None, "a cell's flow"
            return formula.build(self.profile, self.activity, Words(lang))
        return formula(Words(lang)) if callable(formula) else formula


class Ledger:
    """The flows of one variant, in the order the mechanisms created them."""

    def __init__(self) -> None:
        self.flows: list[Flow] = []
        self._in: dict[str, Cents] = defaultdict(int)
        self._out: dict[str, Cents] = defaultdict(int)
        self._pair: dict[tuple[str, str], Cents] = defaultdict(int)
        self._gross: Cents = 0

    def add(
        self,
        component: str,
        payer: str,
        payee: str,
        amount: Amount | Cents,
        profile: str | None = None,
        activity: str | None = None,
        formula: Formula = "",
    ) -> None:
        """Add one flow of `amount` euros (or whole cents), rounded to cents now. Zero flows
        and self-payments are not kept.

        A negative amount flows back from payee to payer. The "so far" sums count
        `forward = max(v, 0)` from payer to payee and `back = forward − v` the other way,
        so lanes (a simulation) count each lane in its own direction and keep their sign
        in the row; a row of one number is kept positive, a negative one written as the
        reverse flow.
        """
        value = amount if _is_cents(amount) else cents(amount)
        if payer == payee or is_zero(value):
            return
        if type(value) is int and type(self._gross) is int:  # one number: the common case
            self._add_number(component, payer, payee, value, profile, activity, formula)
            return
        forward = maximum(value, 0)
        back = forward - value
        self._gross = self._gross + forward + back
        if not is_zero(self._gross > MAX_LEDGER_CENTS):
            raise MoneyOverflow(f"more than EUR {MAX_LEDGER_CENTS // 100:,} flows in one variant")
        if isinstance(value, Lanes) or value > 0:
            self.flows.append(Flow(component, payer, payee, value, profile, activity, formula))
        else:
            self.flows.append(Flow(component, payee, payer, back, profile, activity, formula))
        self._count(payer, payee, forward)
        self._count(payee, payer, back)

    def _add_number(
        self,
        component: str,
        payer: str,
        payee: str,
        value: int,
        profile: str | None,
        activity: str | None,
        formula: Formula,
    ) -> None:
        """`add` of whole cents (not zero) to a ledger of plain numbers: the same rows and
        sums, without the lane checks (a one-year run adds thousands of cell flows)."""
        size = value if value > 0 else -value
        self._gross += size
        if self._gross > MAX_LEDGER_CENTS:
            raise MoneyOverflow(f"more than EUR {MAX_LEDGER_CENTS // 100:,} flows in one variant")
        if value < 0:
            payer, payee = payee, payer
        self.flows.append(Flow(component, payer, payee, size, profile, activity, formula))
        self._out[payer] = self._out[payer] + size
        self._in[payee] = self._in[payee] + size
        self._pair[(payer, payee)] = self._pair[(payer, payee)] + size

    def _count(self, payer: str, payee: str, amount: Cents) -> None:
        if is_zero(amount):
            return
        # New values, never in place: a mechanism may hold lanes of a sum it read earlier.
        self._out[payer] = self._out[payer] + amount
        self._in[payee] = self._in[payee] + amount
        self._pair[(payer, payee)] = self._pair[(payer, payee)] + amount

    def inflows(self, party: str) -> Cents:
        return self._in[party]

    def outflows(self, party: str) -> Cents:
        return self._out[party]

    def net_spend(self, party: str) -> Cents:
        """Payments minus revenue: what a payer has spent so far."""
        return self._out[party] - self._in[party]

    def paid(self, payer: str, payee: str) -> Cents:
        return self._pair[(payer, payee)]

    def payees_of(self, payer: str) -> dict[str, Cents]:
        return {b: v for (a, b), v in self._pair.items() if a == payer and not is_zero(v)}


def _is_cents(amount: Amount | Cents) -> bool:
    """Whole cents already (an `int`, or lanes of int64), not euros to round."""
    return isinstance(amount, int) or (isinstance(amount, Lanes) and amount.is_cents)


def flow_schema() -> dict[str, pl.DataType]:
    """The columns of the flows as a polars frame (`report.figures`): amount in cents."""
    import polars as pl

    return {
        "variant": pl.String,
        "component": pl.String,
        "payer": pl.String,
        "payee": pl.String,
        "profile": pl.String,
        "activity": pl.String,
        "amount": pl.Int64,  # cents
    }
