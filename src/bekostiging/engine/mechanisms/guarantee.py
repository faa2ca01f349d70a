"""Revenue guarantee / transformation payment (SCENARIO.md §4.8)."""

from __future__ import annotations

from bekostiging.engine.context import VariantContext
from bekostiging.engine.ledger import eur, q
from bekostiging.money import ZERO, from_cents, maximum, mul
from bekostiging.scenario.model import RevenueGuarantee


def guarantee(ctx: VariantContext, m: RevenueGuarantee) -> None:
    revenue = from_cents(ctx.ledger.inflows(m.party))
    baseline = from_cents(ctx.cf_ledger().inflows(m.party))
    shortfall = maximum(ZERO, mul(m.floor, baseline) - revenue)
    ctx.ledger.add(
        "guarantee",
        ctx.payer_or_default(m.payer),
        m.party,
        shortfall,
        formula=lambda: (
            f"floor {q(m.floor)} × counterfactual revenue {eur(baseline)} − revenue so far {eur(revenue)}"
        ),
    )
