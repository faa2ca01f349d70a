"""Lump sum (aanneemsom, omzetplafond with settlement): today's hospital contract (CONTRACTS.md D).

The payer pays the party one agreed `amount` instead of the fee-for-service `fee` flows
of its care in scope. Those cells are skipped by fee-for-service (the `covers` seam), so
the fees are never written; their value V (each cell's payer part rounded to cents, as
fee-for-service would have written it) is what the contract volume is settled against
afterwards: above `high × amount` the payer pays `settle` of the excess, below
`low × amount` the party pays back `settle` of the shortfall. Co-payments stay, and the
party's units still carry their embedded availability money (coverage is unchanged).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from bekostiging.fields import AtLeast, Fraction, Id, Money, Number, Strict
from bekostiging.formula import Words
from bekostiging.mechanisms import payment
from bekostiging.mechanisms.base import PROVIDERS, MechanismSpec, Refs
from bekostiging.mechanisms.scope import resolve_scope, scope_hint
from bekostiging.money import ZERO, cents, from_cents, maximum, mul

# The payment mechanisms that take a cell out of fee-for-service (a lump sum replaces fees only).
PAYMENT_TYPES = ("bundle", "capitation")


# The corridor's upper bound: at least the contract volume itself.
High = Annotated[Number, AfterValidator(AtLeast("1", "a corridor runs from low <= 1 to high >= 1"))]


class Corridor(Strict):
    """The band around the contract volume inside which nothing is settled."""

    low: Fraction = Decimal(1)  # a bound not given is 1
    high: High = Decimal(1)


class LumpSum(Strict):
    type: Literal["lump_sum"]
    payer: Id | None = None
    party: Id
    amount: Money
    scope: list[str] | None = None  # default: every activity the party delivers
    corridor: Corridor = Field(default_factory=Corridor)
    settle: Fraction = Decimal(0)  # 0: a pure lump sum


def in_scope(s: Any, m: LumpSum) -> list[str]:
    """The scope's activities that the party delivers."""
    activities, _ = resolve_scope(s, m.scope)
    return [a for a in activities if s.activities[a].provider == m.party]


def covers(s: Any, m: LumpSum) -> list[tuple[str, str]]:
    """The (profile, activity) cells whose `fee` flows from this payer the lump sum replaces."""
    payer = m.payer or s.scenario.default_payer
    activities = [a for a in in_scope(s, m) if (s.activities[a].payer or s.scenario.default_payer) == payer]
    return [(p, a) for p in s.profiles for a in activities]


# ------------------------------------------------------------------ checks


def check(m: LumpSum, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    """Party, scope entries, and no cell paid by a bundle or capitation or by two lump sums."""
    s = refs.s
    yield from refs.party(m.party, (*at, "party"), PROVIDERS, "party")
    party_known = m.party in s.parties
    for j, entry in enumerate(m.scope or []):
        hits, unmatched = resolve_scope(s, [entry])
        if unmatched:
            yield refs.finding((*at, "scope", j), scope_hint(s, entry))
        elif party_known and not any(s.activities[a].provider == m.party for a in hits):
            yield refs.finding((*at, "scope", j), f"'{entry}' matches no activity that '{m.party}' delivers")
    if not party_known:
        return
    mine = covers(s, m)
    if m.scope is None and not in_scope(s, m):
        yield refs.finding((*at, "party"), f"'{m.party}' delivers no activity: the lump sum replaces nothing")

    variant = s.variants.get(at[1]) if len(at) > 1 else None
    if variant is not None:
        cells = set(mine)
        for i, other in enumerate(variant.mechanisms):
            if getattr(other, "type", None) not in PAYMENT_TYPES:
                continue
            clash = sorted(cells.intersection(payment.covers(s, other)))
            if clash:
                p, a = clash[0]
                yield refs.finding(
                    (*at, "scope"),
                    f"activity '{a}' of profile '{p}' is also paid by the {other.type} at mechanisms.{i}"
                    " (a cell is paid by a bundle or capitation, or by a lump sum, not both)",
                )

    taken: dict[tuple[str, str], int] = seen.setdefault("lump_sum", {})
    index = at[-1]
    for cell in mine:
        other_index = taken.setdefault(cell, index)
        if other_index != index:
            p, a = cell
            yield refs.finding(
                (*at, "scope"),
                f"activity '{a}' of profile '{p}' is already in the lump sum at mechanisms.{other_index}"
                " (at most one lump sum per party, payer and cell)",
            )
            break


# ------------------------------------------------------------------ flows


def fee_value(ctx: Any, m: LumpSum) -> Any:
    """V: the `fee` flows the lump sum replaces, each cell rounded to cents as fee-for-service
    would have written it, summed (whole cents)."""
    return sum(
        (
            cents(mul(ctx.units[cell], ctx.payer_part(cell[1])))
            for cell in covers(ctx.s, m)
            if cell in ctx.units
        ),
        0,
    )


def apply(ctx: Any, m: LumpSum) -> None:
    """One `lump_sum` flow of `amount`; a `settlement` of the part of V outside the corridor."""
    payer = ctx.payer_or_default(m.payer)
    value = fee_value(ctx, m)
    ctx.ledger.add(
        "lump_sum", payer, m.party, m.amount, formula=lambda w: w("contract_volume", amount=w.eur(m.amount))
    )
    v = from_cents(value)
    high = mul(m.corridor.high, m.amount)
    low = mul(m.corridor.low, m.amount)
    above = maximum(v - high, ZERO)
    below = maximum(low - v, ZERO)
    # Signed: positive from payer to party (above the band), negative back (below it).
    ctx.ledger.add(
        "settlement",
        payer,
        m.party,
        mul(m.settle, above - below),
        formula=lambda w: _formula(m, v, low, high, w),
    )


def _formula(m: LumpSum, v: Decimal, low: Decimal, high: Decimal, w: Words) -> str:
    worth = w("fee_value", value=w.eur(v))
    settle, amount = w.num(m.settle), w.eur(m.amount)
    if v > high:
        return w("settle_high", settle=settle, value=worth, high=w.num(m.corridor.high), amount=amount)
    return w("settle_low", settle=settle, low=w.num(m.corridor.low), amount=amount, value=worth)


SPEC = MechanismSpec(
    type="lump_sum",
    fixed_amounts=("amount",),
    model=LumpSum,
    stage="lump_sum",
    components=("lump_sum", "settlement"),
    check=check,
    apply=apply,
    covers=covers,
    money_fields=("amount",),
    labels={"nl": "aanneemsom", "en": "lump sum"},
    summary=(
        "an agreed amount instead of a party's fees (aanneemsom), the fees' value outside a corridor"
        " settled afterwards"
    ),
)
