"""Population payment: an amount per person covered for a scope of care (SCENARIO.md §4.3)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from bekostiging.fields import Amount, FractionBelowOne, Id, Money, Quantity, Strict, number
from bekostiging.findings import describe
from bekostiging.formula import Words
from bekostiging.mechanisms import payment
from bekostiging.mechanisms.base import MechanismSpec
from bekostiging.mechanisms.contributors import Contributors
from bekostiging.money import cents, mul


def _growth(value: Any) -> Decimal | str:
    """A yearly rate above -1, or "clients"."""
    if isinstance(value, str):
        if value == "clients":
            return value
        raise PydanticCustomError(
            "growth", 'must be a yearly rate or "clients", got {got}', {"got": describe(value)}
        )
    rate = number(value)
    if rate <= -1:
        raise PydanticCustomError("growth", "a growth rate must be above -1, got {got}", {"got": str(rate)})
    return rate


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
    # Under a [horizon]: the population of year t is population × (1 + rate)^(t − start),
    # or follows the clients of `profiles` ("clients"); applied by `scenario.years`.
    population_growth: Annotated[Amount | Literal["clients"], BeforeValidator(_growth)] = Decimal(0)


def apply(ctx, m: Capitation) -> None:
    """The payer pays amount × population, whatever the care delivered."""
    formula = partial(_formula, m)
    payment.pay(ctx, m, [(None, cents(mul(m.amount, m.population)), formula)], "capitation")


def _formula(m: Capitation, w: Words) -> str:
    return w("capitation", amount=w.eur(m.amount), population=w.num(m.population))


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
