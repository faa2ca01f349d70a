"""Revenue ceiling: the excess above an agreed amount is clawed back (SCENARIO.md §4.9)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from bekostiging.fields import Id, Money, Strict
from bekostiging.formula import Words
from bekostiging.mechanisms.base import PROVIDERS, MechanismSpec, Refs
from bekostiging.money import allocate, as_number, cents, maximum


class Ceiling(Strict):
    type: Literal["ceiling"]
    payer: Id | None = None
    amount: Money
    party: Id | None = None


def check(m: Ceiling, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    """The capped party receives money for care."""
    yield from refs.party(m.party, (*at, "party"), PROVIDERS, "party")


def claw_back(ctx: Any, m: Ceiling) -> None:
    payer = ctx.payer_or_default(m.payer)
    limit = cents(m.amount)
    if m.party is not None:
        received = ctx.ledger.paid(payer, m.party)
        formula = lambda w: w(  # noqa: E731
            "ceiling_party", received=w.eur(received, from_cents=True), ceiling=w.eur(m.amount)
        )
        ctx.ledger.add("clawback", m.party, payer, maximum(received - limit, 0), formula=formula)
        return
    spend = ctx.ledger.net_spend(payer)
    payees = ctx.ledger.payees_of(payer)
    if not payees:
        return
    weights = {p: as_number(v) for p, v in payees.items()}
    for party, amount in allocate(maximum(spend - limit, 0), weights).items():
        ctx.ledger.add(
            "clawback",
            party,
            payer,
            amount,
            formula=lambda w, party=party: _formula(m, spend, payees, party, w),
        )


def _formula(m: Ceiling, spend: int, payees: dict[str, int], party: str, w: Words) -> str:
    return w(
        "ceiling_spend",
        spend=w.eur(spend, from_cents=True),
        ceiling=w.eur(m.amount),
        party=party,
        received=w.eur(payees[party], from_cents=True),
        total=w.eur(sum(payees.values()), from_cents=True),
    )


SPEC = MechanismSpec(
    type="ceiling",
    model=Ceiling,
    stage="ceiling",
    components=("clawback",),
    check=check,
    apply=claw_back,
    money_fields=("amount",),
    fixed_amounts=("amount",),
    labels={"nl": "plafond", "en": "ceiling"},
    summary="claws back what a party (or all payees together) received above an agreed amount",
)
