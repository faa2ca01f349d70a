"""Revenue guarantee / transformation payment (SCENARIO.md §4.8)."""

from __future__ import annotations

from decimal import Decimal

from bekostiging.engine.context import VariantContext
from bekostiging.engine.ledger import eur, q
from bekostiging.money import ZERO, mul
from bekostiging.scenario.model import RevenueGuarantee


def guarantee(ctx: VariantContext, m: RevenueGuarantee) -> None:
    revenue = Decimal(ctx.ledger.inflows(m.party)) / 100
    baseline = Decimal(ctx.cf_ledger().inflows(m.party)) / 100
    shortfall = max(ZERO, mul(m.floor, baseline) - revenue)
    formula = f"floor {q(m.floor)} × counterfactual revenue {eur(baseline)} − revenue so far {eur(revenue)}"
    ctx.ledger.add("guarantee", ctx.payer_or_default(m.payer), m.party, shortfall, formula=formula)
