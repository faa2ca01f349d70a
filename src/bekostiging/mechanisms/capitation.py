"""Population payment: an amount per person covered for a scope of care (SCENARIO.md §4.3)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Literal

from bekostiging.fields import FractionBelowOne, Id, Money, Quantity, Strict
from bekostiging.formula import eur, q
from bekostiging.mechanisms import payment
from bekostiging.mechanisms.base import MechanismSpec
from bekostiging.mechanisms.contributors import Contributors
from bekostiging.money import cents, mul


class Capitation(Strict):
    type: Literal["capitation"]
    payer: Id | None = None
    contributors: Contributors = None
    contractor: Id | None = None
    scope: list[str] | None = None
    profiles: list[Id] | None = None
    amount: Money
    population: Quantity
    overhead: FractionBelowOne = Decimal(0)
    distribution: payment.Distribution = "tariffs"


def apply(ctx, m: Capitation) -> None:
    """The payer pays amount × population, whatever the care delivered."""
    formula = partial(_formula, m)
    payment.pay(ctx, m, [(None, cents(mul(m.amount, m.population)), formula)], "capitation")


def _formula(m: Capitation) -> str:
    return f"{eur(m.amount)} × {q(m.population)} persons"


SPEC = MechanismSpec(
    type="capitation",
    model=Capitation,
    stage="payment",
    components=("capitation", "distribution"),
    check=payment.check,
    apply=apply,
    covers=payment.covers,
    money_fields=("amount",),
    fixed_amounts=("population",),
    labels={"nl": "betaling", "en": "payment"},
    summary="an amount per person covered (population payment), whatever the care delivered",
)
