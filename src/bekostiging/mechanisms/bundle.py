"""Integral bundle: one price per client (profile) for a scope of care (SCENARIO.md §4.2)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from bekostiging.fields import FractionBelowOne, Id, Money, Number, Strict
from bekostiging.formula import Words
from bekostiging.mechanisms import payment
from bekostiging.mechanisms.base import MechanismSpec, Refs
from bekostiging.mechanisms.contributors import Contributors
from bekostiging.mechanisms.scope import resolve_scope
from bekostiging.money import ZERO, cents, from_cents, mul

Price = Annotated[
    Decimal | str | dict[str, Decimal],
    BeforeValidator(
        payment.price, json_schema_input_type=Money | Literal["budget_neutral"] | dict[Id, Money]
    ),
]


class Bundle(Strict):
    type: Literal["bundle"]
    payer: Id | None = None
    contributors: Contributors = None
    contractor: Id | None = None
    scope: list[str] | None = None
    profiles: list[Id] | None = None
    price: Price
    adjust: Number | None = None
    overhead: FractionBelowOne = Decimal(0)
    distribution: payment.Distribution = "tariffs"


def check(m: Bundle, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    yield from payment.check_head(m, refs, at)
    if m.adjust is not None and m.price != "budget_neutral":
        yield refs.finding((*at, "adjust"), '`adjust` only goes with price = "budget_neutral"')
    if m.adjust is not None and m.adjust < -1:
        yield refs.finding((*at, "adjust"), f"must be >= -1, got {m.adjust}")
    if isinstance(m.price, dict):
        for p in m.price:
            yield from refs.exists("profiles", "profile", p, (*at, "price", p))
        for p in m.profiles or []:
            if p not in m.price:
                yield refs.finding((*at, "price"), f"has no price for profile '{p}'")
    yield from payment.check_tail(m, refs, at, seen)


def apply(ctx: Any, m: Bundle) -> None:
    """The payer pays a price per client of each covered profile."""
    s = ctx.s
    scope, _ = resolve_scope(s, m.scope)
    parts = []
    for p in payment.covered_profiles(s, m):
        price = bundle_price(ctx, m, p, scope)
        formula = partial(_formula, m, s.profiles[p].clients, price)
        parts.append((p, cents(mul(price, s.profiles[p].clients)), formula))
    payment.pay(ctx, m, parts, "bundle")


def budget_neutral_price(ctx: Any, m: Bundle, profile: str, scope: list[str]) -> Decimal:
    """The payer part of one client's in-scope counterfactual path, at this variant's prices."""
    path = ctx.cf_scenario().profiles[profile].path
    price = from_cents(cents(sum((mul(path[a], ctx.payer_part(a)) for a in scope if a in path), ZERO)))
    if m.adjust is not None:
        price = from_cents(cents(mul(price, 1 + m.adjust)))
    return price


def bundle_price(ctx: Any, m: Bundle, profile: str, scope: list[str]) -> Decimal:
    if isinstance(m.price, str):  # validated: "budget_neutral"
        return budget_neutral_price(ctx, m, profile, scope)
    if isinstance(m.price, dict):
        return m.price[profile]
    return m.price  # a number (in a simulation perhaps lanes)


def _formula(m: Bundle, clients: Decimal, price: Decimal, w: Words) -> str:
    phrase = "bundle_neutral" if isinstance(m.price, str) else "bundle"
    return w(phrase, clients=w.num(clients), price=w.eur(price))


SPEC = MechanismSpec(
    type="bundle",
    model=Bundle,
    stage="payment",
    components=("bundle", "distribution"),
    check=check,
    apply=apply,
    covers=payment.covers,
    money_fields=("price",),
    labels={"nl": "betaling", "en": "payment"},
    summary="one price per client (profile) for a scope of care, budget neutral or given",
)
