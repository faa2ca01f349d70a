"""Revenue ceiling: the excess above an agreed amount is clawed back (SCENARIO.md §4.9)."""

from __future__ import annotations

from decimal import Decimal

from bekostiging.engine.context import VariantContext
from bekostiging.engine.ledger import eur
from bekostiging.money import allocate, cents


def claw_back(ctx: VariantContext, m) -> None:
    payer = ctx.payer_or_default(m.payer)
    limit = cents(m.amount)
    if m.party is not None:
        received = ctx.ledger.paid(payer, m.party)
        excess = received - limit
        if excess > 0:
            formula = f"received {eur(received, from_cents=True)} − ceiling {eur(m.amount)}"
            ctx.ledger.add("clawback", m.party, payer, excess, formula=formula)
        return
    excess = ctx.ledger.net_spend(payer) - limit
    payees = ctx.ledger.payees_of(payer)
    if excess <= 0 or not payees:
        return
    weights = {p: Decimal(v) for p, v in payees.items()}
    total = sum(payees.values())
    head = f"(spend {eur(ctx.ledger.net_spend(payer), from_cents=True)} − ceiling {eur(m.amount)})"
    for party, amount in allocate(excess, weights).items():
        share = f"{eur(payees[party], from_cents=True)} / {eur(total, from_cents=True)}"
        ctx.ledger.add("clawback", party, payer, amount, formula=f"{head} × received {share}")
