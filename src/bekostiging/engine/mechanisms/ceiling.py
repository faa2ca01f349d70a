"""Revenue ceiling: the excess above an agreed amount is clawed back (SCENARIO.md §4.9)."""

from __future__ import annotations

from decimal import Decimal

from bekostiging.engine.context import VariantContext
from bekostiging.money import allocate, cents


def claw_back(ctx: VariantContext, m) -> None:
    payer = ctx.payer_or_default(m.payer)
    limit = cents(m.amount)
    if m.party is not None:
        excess = ctx.ledger.paid(payer, m.party) - limit
        if excess > 0:
            ctx.ledger.add("clawback", m.party, payer, excess)
        return
    excess = ctx.ledger.net_spend(payer) - limit
    payees = ctx.ledger.payees_of(payer)
    if excess <= 0 or not payees:
        return
    weights = {p: Decimal(v) for p, v in payees.items()}
    for party, amount in allocate(excess, weights).items():
        ctx.ledger.add("clawback", party, payer, amount)
