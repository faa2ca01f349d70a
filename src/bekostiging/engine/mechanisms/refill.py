"""Opvulzorg: freed capacity is refilled with other billable care (SCENARIO.md §4.7)."""

from __future__ import annotations

from bekostiging.engine.context import VariantContext, per_activity
from bekostiging.engine.ledger import eur, q
from bekostiging.money import ZERO, maximum, mul
from bekostiging.scenario.model import RefillEffect


def freed_capacity(ctx: VariantContext, party: str):
    """Σ tariff × max(0, counterfactual units − variant units) over the party's activities."""
    now = per_activity(ctx.units)
    before = ctx.cf_units_by_activity()
    return sum(
        (
            mul(act.tariff, maximum(ZERO, before.get(a, ZERO) - now.get(a, ZERO)))
            for a, act in ctx.s.activities.items()
            if act.provider == party
        ),
        ZERO,
    )


def refill(ctx: VariantContext, effect: RefillEffect) -> None:
    payer = ctx.payer_or_default(effect.payer)
    freed = freed_capacity(ctx, effect.party)
    ctx.ledger.add(
        "refill",
        payer,
        effect.party,
        mul(effect.rate, freed),
        formula=lambda: (
            f"rate {q(effect.rate)} × freed capacity {eur(freed)} (tariff × units no longer delivered)"
        ),
    )
