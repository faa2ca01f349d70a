"""Paying for quality and outcomes (SCENARIO.md §4.6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bekostiging.engine.context import VariantContext
from bekostiging.engine.ledger import eur, q
from bekostiging.money import allocate, as_number, cents, from_cents, is_zero, maximum, mul, where
from bekostiging.scenario.model import Quality


def pay(ctx: VariantContext, m: Quality) -> None:
    payer = ctx.payer_or_default(m.payer)
    if m.pool is not None:
        pool: Any = m.pool
        how = lambda: f"pool {eur(m.pool)}"  # noqa: E731
    else:
        assert m.pool_rate is not None
        spend = from_cents(ctx.ledger.net_spend(payer))
        pool = mul(m.pool_rate, spend)
        how = lambda: f"pool rate {q(m.pool_rate)} × spend so far {eur(spend)}"  # noqa: E731
    # Nothing is paid below the threshold, or when there is nothing to pay.
    paid = where(m.score >= m.threshold, maximum(cents(mul(pool, m.score)), 0), 0)
    shares = weights(ctx, m)
    if is_zero(paid) or not shares:  # nothing to pay, or nobody to pay it to
        return
    for party, amount in allocate(paid, shares).items():

        def formula(party: str = party) -> str:
            total = sum(shares.values(), Decimal(0))
            share = f"{q(shares[party])} / {q(total)}" if total else "an equal share"
            return f"{how()} × score {q(m.score)} = {eur(paid, from_cents=True)} × {share}"

        ctx.ledger.add("quality", payer, party, amount, formula=formula)


def weights(ctx: VariantContext, m: Quality) -> dict[str, Any]:
    """A share table as given; otherwise pro rata the recipients' revenue so far.

    `tariffs` names every provider and network: one that has earned nothing so far has
    weight 0 and gets nothing, unless nobody has earned anything, when all share equally.
    """
    if isinstance(m.recipients, dict):
        return dict(m.recipients)
    if isinstance(m.recipients, list):
        names = m.recipients
    else:
        names = [p for p, party in ctx.s.parties.items() if party.role in ("provider", "network")]
    return {p: as_number(ctx.ledger.inflows(p)) for p in names}
