"""Opvulzorg: freed capacity is refilled with other billable care (SCENARIO.md §4.7).

Refill is written as an effect (`op = "refill"`, in a variant or a what-if) because it
says what providers do, but it is paid as a step of the evaluation order: after quality,
before the guarantee, so that a guarantee counts the refilled revenue.
"""

from __future__ import annotations

from typing import Any

from bekostiging.mechanisms.base import MechanismSpec
from bekostiging.money import ZERO, maximum, mul


def freed_capacity(ctx: Any, party: str) -> Any:
    """Σ tariff × max(0, counterfactual units − variant units) over the party's activities."""
    now = ctx.units_by_activity()
    before = ctx.cf_units_by_activity()
    return sum(
        (
            mul(act.tariff, maximum(ZERO, before.get(a, ZERO) - now.get(a, ZERO)))
            for a, act in ctx.s.activities.items()
            if act.provider == party
        ),
        ZERO,
    )


def refill(ctx: Any, effect: Any) -> None:
    payer = ctx.payer_or_default(effect.payer)
    freed = freed_capacity(ctx, effect.party)
    ctx.ledger.add(
        "refill",
        payer,
        effect.party,
        mul(effect.rate, freed),
        formula=lambda w: w("refill", rate=w.num(effect.rate), freed=w.eur(freed)),
    )


SPEC = MechanismSpec(
    type="refill",
    stage="refill",
    components=("refill",),
    apply=refill,
    labels={"nl": "opvulzorg", "en": "refill"},
    summary="freed capacity (tariff × units no longer delivered) refilled with other care at a rate",
)
