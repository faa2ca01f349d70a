"""Paying for quality and outcomes (SCENARIO.md §4.6)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, model_validator
from pydantic_core import PydanticCustomError

from bekostiging.fields import Fraction, Id, Money, Quantity, Strict, keyword_or_shares
from bekostiging.formula import Words
from bekostiging.mechanisms import contributors
from bekostiging.mechanisms.base import PAYEES, PROVIDERS, MechanismSpec, Refs, not_own_payer
from bekostiging.mechanisms.contributors import Contributors
from bekostiging.money import allocate, as_number, cents, from_cents, is_zero, maximum, mul, where


def _recipients(value: Any) -> str | list[str] | dict[str, Decimal]:
    if isinstance(value, list):
        if not value:
            raise PydanticCustomError("empty", "must name at least one recipient")
        return [str(v) for v in value]
    return keyword_or_shares("tariffs").func(value)  # type: ignore[attr-defined]


class Quality(Strict):
    type: Literal["quality"]
    payer: Id | None = None
    contributors: Contributors = None
    recipients: Annotated[
        str | list[Id] | dict[str, Decimal],
        BeforeValidator(
            _recipients, json_schema_input_type=Literal["tariffs"] | list[Id] | dict[str, Fraction]
        ),
    ]
    pool: Money | None = None
    pool_rate: Quantity | None = None
    score: Fraction
    threshold: Fraction = Decimal(0)

    @model_validator(mode="after")
    def _one_pool(self) -> Quality:
        if (self.pool is None) == (self.pool_rate is None):
            raise PydanticCustomError("pool", "give exactly one of `pool` (EUR) and `pool_rate` (fraction)")
        return self


def check(m: Quality, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    yield from contributors.check(m, refs, at)
    names = m.recipients if isinstance(m.recipients, list | dict) else []
    for p in names:
        yield from refs.party(p, (*at, "recipients", p), PAYEES, "recipient")
        yield from not_own_payer(m, refs, p, (*at, "recipients", p))


def pay(ctx: Any, m: Quality) -> None:
    if m.pool is not None:
        pool: Any = m.pool
        how = lambda w: w("pool", pool=w.eur(m.pool))  # noqa: E731
    else:
        assert m.pool_rate is not None
        spend = from_cents(ctx.ledger.net_spend(ctx.payer_or_default(m.payer)))
        pool = mul(m.pool_rate, spend)
        how = lambda w: w("pool_rate", rate=w.num(m.pool_rate), spend=w.eur(spend))  # noqa: E731
    # Nothing is paid below the threshold, or when there is nothing to pay.
    paid = where(m.score >= m.threshold, maximum(cents(mul(pool, m.score)), 0), 0)
    shares = weights(ctx, m)
    if is_zero(paid) or not shares:  # nothing to pay, or nobody to pay it to
        return
    for party, amount in allocate(paid, shares).items():

        def formula(w: Words, party: str = party) -> str:
            """The pool × score, × the party's share: agreed, or by revenue so far (cents)."""
            agreed = isinstance(m.recipients, dict)
            key, money = ("shares", "") if agreed else ("revenue_so_far", "cents")
            share = w.share(party, key, shares, money=money)
            return w(
                "quality", how=how(w), score=w.num(m.score), paid=w.eur(paid, from_cents=True), share=share
            )

        contributors.pay(ctx, m, "quality", party, amount, formula=formula)


def weights(ctx: Any, m: Quality) -> dict[str, Any]:
    """A share table as given; otherwise pro rata the recipients' revenue so far.

    `tariffs` names every provider and network: one that has earned nothing so far has
    weight 0 and gets nothing, unless nobody has earned anything, when all share equally.
    """
    if isinstance(m.recipients, dict):
        return dict(m.recipients)
    if isinstance(m.recipients, list):
        names = m.recipients
    else:
        names = [p for p, party in ctx.s.parties.items() if party.role in PROVIDERS]
    return {p: as_number(ctx.ledger.inflows(p)) for p in names}


SPEC = MechanismSpec(
    type="quality",
    model=Quality,
    stage="quality",
    components=("quality",),
    check=check,
    apply=pay,
    money_fields=("pool",),
    fixed_amounts=("pool",),
    labels={"nl": "kwaliteit", "en": "quality"},
    summary="a pool (EUR, or a rate of spend so far) paid by score above a threshold",
)
