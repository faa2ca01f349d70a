"""Revenue guarantee / transformation payment (SCENARIO.md §4.8)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from bekostiging.fields import Id, Quantity, Strict
from bekostiging.mechanisms.base import PAYEES, MechanismSpec, Refs, not_own_payer
from bekostiging.money import ZERO, from_cents, maximum, mul


class RevenueGuarantee(Strict):
    type: Literal["revenue_guarantee"]
    payer: Id | None = None
    party: Id
    floor: Quantity


def check(m: Any, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    """The guaranteed party receives money for care, or is a payer (a gemeente) kept whole."""
    yield from refs.party(m.party, (*at, "party"), PAYEES, "party")
    yield from not_own_payer(m, refs, m.party, (*at, "party"))
    payer = refs.s.parties.get(m.payer) if m.payer else None
    if payer is not None and payer.role == "provider":
        # A provider pays a guarantee only as the contractor of a bundle or capitation of
        # this variant: it pays from what it received for the others (CONTRACTS.md D).
        variant = refs.s.variants.get(at[1])
        contractors = {getattr(x, "contractor", None) for x in (variant.mechanisms if variant else [])}
        if m.payer not in contractors:
            yield refs.finding(
                (*at, "payer"),
                f"provider '{m.payer}' can pay a guarantee only as the contractor of a bundle or "
                "capitation in this variant",
            )


def guarantee(ctx: Any, m: RevenueGuarantee) -> None:
    revenue = from_cents(ctx.ledger.inflows(m.party))
    baseline = from_cents(ctx.cf_ledger().inflows(m.party))
    shortfall = maximum(ZERO, mul(m.floor, baseline) - revenue)
    ctx.ledger.add(
        "guarantee",
        ctx.payer_or_default(m.payer),
        m.party,
        shortfall,
        formula=lambda w: w(
            "guarantee", floor=w.num(m.floor), baseline=w.eur(baseline), revenue=w.eur(revenue)
        ),
    )


SPEC = MechanismSpec(
    type="revenue_guarantee",
    model=RevenueGuarantee,
    stage="revenue_guarantee",
    components=("guarantee",),
    check=check,
    apply=guarantee,
    labels={"nl": "omzetgarantie", "en": "guarantee"},
    summary="tops a party's revenue up to a floor × its counterfactual revenue",
    # A network (an IGO, a VSV) or a contractor may guarantee a provider from what it
    # received (CONTRACTS.md D); it pays in full, even if that makes its own net negative.
    payer_roles=("payer", "network", "provider"),
)
