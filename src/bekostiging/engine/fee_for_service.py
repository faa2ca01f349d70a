"""Who pays for each unit of care (SCENARIO.md §4.1): fee-for-service is the default.

Every unit delivered is paid exactly once: by the payment mechanism (bundle, capitation)
whose scope covers its activity and profile, otherwise fee-for-service, unless a lump
sum replaces the fees of its party and payer (`covers` of each spec says which cells
a mechanism takes). Co-payments
always flow from the client to the provider, whatever pays the rest. This is not a
mechanism of the file: it is what a variant without mechanisms means, and it runs before
the first stage of the registry.
"""

from __future__ import annotations

from functools import partial

from bekostiging.engine.context import VariantContext
from bekostiging.formula import eur, q
from bekostiging.mechanisms import spec_of
from bekostiging.money import is_zero, mul


def pay_for_care(ctx: VariantContext) -> None:
    """Copay flows for every unit; fee flows for the units no payment mechanism covers."""
    s = ctx.s
    covered: set[tuple[str, str]] = set()
    for m in ctx.mechanisms:
        covers = spec_of(m).covers
        if covers is not None:
            covered.update(covers(s, m))

    client = s.scenario.client
    for (p, a), units in ctx.units.items():
        act = s.activities[a]
        if client and not is_zero(act.copay):
            copay = mul(units, act.copay)
            ctx.ledger.add(
                "copay", client, act.provider, copay, p, a, partial(_cell_formula, ctx, p, a, True)
            )
        if (p, a) not in covered:
            fee = mul(units, ctx.payer_part(a))
            ctx.ledger.add(
                "fee", s.payer_of(a), act.provider, fee, p, a, partial(_cell_formula, ctx, p, a, False)
            )


def _cell_formula(ctx: VariantContext, p: str, a: str, copay: bool) -> str:
    """`1250 clients × 0.72 units × tariff € 1863.97`: built only when `explain` asks."""
    profile, act = ctx.s.profiles[p], ctx.s.activities[a]
    volume = f"{q(profile.clients)} clients × {q(profile.path[a])} units"
    return f"{volume} × copay {eur(act.copay)}" if copay else f"{volume} × {_payer_part_formula(ctx, a)}"


def _payer_part_formula(ctx: VariantContext, a: str) -> str:
    act = ctx.s.activities[a]
    price = f"tariff {eur(act.tariff)}"
    if a in ctx.stripped:
        price = f"{price} × (1 − availability share {q(act.availability_share)})"
    if act.copay:
        price = f"({price} − copay {eur(act.copay)})"
    if a in ctx.stripped or act.copay:
        price = f"{price} [= {eur(ctx.payer_part(a))} per unit]"
    return price
