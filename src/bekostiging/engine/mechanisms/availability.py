"""Availability funding and coverage (SCENARIO.md §4.4).

7x24 functions are paid partly inside tariffs (`availability_share`) and, under this
mechanism, separately. Coverage shows both, so that fewer caesareans under
fee-for-service show up as a falling coverage of the hospital's fixed costs.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from bekostiging.engine.context import VariantContext, per_activity
from bekostiging.engine.ledger import eur, q
from bekostiging.money import ZERO, allocate, cents, div, exact, mul, rounded
from bekostiging.scenario.model import Availability


def fund(ctx: VariantContext, m: Availability) -> None:
    payer = ctx.payer_or_default(m.payer)
    for f in m.functions if m.functions is not None else ctx.s.availability:
        function = ctx.s.availability[f]
        formula = partial(_formula, function.annual_cost, f, m.funding)
        ctx.ledger.add(
            "availability", payer, function.party, mul(function.annual_cost, m.funding), formula=formula
        )


def _formula(annual_cost: Decimal, function: str, funding: Decimal) -> str:
    return f"annual cost {eur(annual_cost)} of {function} × funding {q(funding)}"


def coverage(ctx: VariantContext) -> list[dict[str, Any]]:
    """One row per availability function: annual cost, embedded, separate, coverage, gap (cents)."""
    with exact():  # called lazily, when a report asks, outside the run's context
        return _coverage(ctx)


def _coverage(ctx: VariantContext) -> list[dict[str, Any]]:
    s = ctx.s
    units = per_activity(ctx.units)
    separate: dict[str, int] = {}
    for m in ctx.mechanisms:
        if isinstance(m, Availability):
            for f in m.functions if m.functions is not None else s.availability:
                separate[f] = cents(mul(s.availability[f].annual_cost, m.funding))

    embedded: dict[str, int] = {}
    for party in sorted({f.party for f in s.availability.values()}):
        money = sum(
            (
                mul(act.availability_share, act.tariff, units.get(a, ZERO))
                for a, act in s.activities.items()
                if act.provider == party and a not in ctx.stripped
            ),
            ZERO,
        )
        functions = {k: f.annual_cost for k, f in s.availability.items() if f.party == party}
        embedded.update(allocate(cents(money), functions))

    rows = []
    for k, f in sorted(s.availability.items()):
        annual = cents(f.annual_cost)
        covered = embedded[k] + separate.get(k, 0)
        rows.append(
            {
                "function": k,
                "party": f.party,
                "annual_cost": annual,
                "embedded": embedded[k],
                "separate": separate.get(k, 0),
                "coverage": rounded(div(Decimal(covered), Decimal(annual)), 4) if annual else None,
                "gap": annual - covered,
            }
        )
    return rows
