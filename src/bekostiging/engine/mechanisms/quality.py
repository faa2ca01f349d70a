"""Paying for quality and outcomes (SCENARIO.md §4.6)."""

from __future__ import annotations

from decimal import Decimal

from bekostiging.engine.context import VariantContext
from bekostiging.engine.ledger import eur, q
from bekostiging.money import allocate, cents, mul
from bekostiging.scenario.model import Quality


def pay(ctx: VariantContext, m: Quality) -> None:
    payer = ctx.payer_or_default(m.payer)
    if m.score < m.threshold:
        return
    if m.pool is not None:
        pool, how = m.pool, f"pool {eur(m.pool)}"
    else:
        assert m.pool_rate is not None
        spend = Decimal(ctx.ledger.net_spend(payer)) / 100
        pool, how = mul(m.pool_rate, spend), f"pool rate {q(m.pool_rate)} × spend so far {eur(spend)}"
    paid = cents(mul(pool, m.score))
    shares = weights(ctx, m)
    if paid <= 0 or not shares:  # nothing to pay, or nobody to pay it to
        return
    total = sum(shares.values(), Decimal(0))
    for party, amount in allocate(paid, shares).items():
        share = f"{q(shares[party])} / {q(total)}" if total else "an equal share"
        formula = f"{how} × score {q(m.score)} = {eur(paid, from_cents=True)} × {share}"
        ctx.ledger.add("quality", payer, party, amount, formula=formula)


def weights(ctx: VariantContext, m: Quality) -> dict[str, Decimal]:
    """A share table as given; otherwise pro rata the recipients' revenue so far."""
    if isinstance(m.recipients, dict):
        return dict(m.recipients)
    if isinstance(m.recipients, list):
        names = m.recipients
    else:  # "tariffs": every provider and network that has earned something so far
        names = [
            p
            for p, party in ctx.s.parties.items()
            if party.role in ("provider", "network") and ctx.ledger.inflows(p) > 0
        ] or [p for p, party in ctx.s.parties.items() if party.role in ("provider", "network")]
    return {p: Decimal(ctx.ledger.inflows(p)) for p in names}
