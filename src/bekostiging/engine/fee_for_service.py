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
from bekostiging.engine.ledger import CellFormula
from bekostiging.formula import Words
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
    # One formula object per kind for all cells (a cell's flow names its profile and activity)
    copay_formula = CellFormula(partial(_cell_formula, ctx, True))
    fee_formula = CellFormula(partial(_cell_formula, ctx, False))
    add = ctx.ledger.add
    fees: dict[str, tuple] = {}  # per activity: its payer and payer's part, as for every cell
    for (p, a), units in ctx.units.items():
        act = s.activities[a]
        if client and not is_zero(act.copay):
            copay = mul(units, act.copay)
            add("copay", client, act.provider, copay, p, a, copay_formula)
        if (p, a) not in covered:
            if a not in fees:
                fees[a] = (s.payer_of(a), ctx.payer_part(a))
            payer, part = fees[a]
            add("fee", payer, act.provider, mul(units, part), p, a, fee_formula)


def _cell_formula(ctx: VariantContext, copay: bool, p: str, a: str, w: Words) -> str:
    """`1250 clients × 0.72 units × tariff € 1863.97`: built only when `explain` asks."""
    profile, act = ctx.s.profiles[p], ctx.s.activities[a]
    volume = w("volume", clients=w.num(profile.clients), units=w.num(profile.path[a]))
    if copay:
        return w("copay_cell", volume=volume, copay=w.eur(act.copay))
    return f"{volume} × {_payer_part_formula(ctx, a, w)}"


def _payer_part_formula(ctx: VariantContext, a: str, w: Words) -> str:
    act = ctx.s.activities[a]
    price = w("tariff", tariff=w.eur(act.tariff))
    if a in ctx.stripped:
        price = w("stripped", price=price, share=w.num(act.availability_share))
    if act.copay:
        price = w("less_copay", price=price, copay=w.eur(act.copay))
    if a in ctx.stripped or act.copay:
        price = w("per_unit", price=price, amount=w.eur(ctx.payer_part(a)))
    return price
