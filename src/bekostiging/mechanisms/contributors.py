"""Pooled budgets: several payers fund one mechanism together (CONTRACTS.md C).

Instead of `payer`, a bundle, capitation, collaboration, availability or quality
mechanism may name `contributors = { zorgverzekeraar = 0.6, gemeente = 0.4 }`. Every
flow the payer would have made is then split over the contributors by largest remainder
on cents (ties by party id), so the parts add up to that flow exactly and each payer's
spend shows its own part of the pooled budget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator

from bekostiging.fields import shares_table
from bekostiging.formula import Words
from bekostiging.mechanisms.base import Refs
from bekostiging.money import allocate

# The keyword of a region with several insurers (CONTRACTS.md B): every market payer in
# its own book, so it names no one payer who could contribute a share.
MARKET = "market"


def _contributors(value: Any) -> dict[str, Decimal] | None:
    return None if value is None else shares_table(value)


Contributors = Annotated[dict[str, Decimal] | None, BeforeValidator(_contributors)]


def check(m: Any, refs: Refs, at: tuple) -> Iterator[Any]:
    """Contributors are payers, not "market"; they replace `payer` (and a quality `pool_rate`)."""
    if m.contributors is None:
        return
    if m.payer is not None:
        yield refs.finding((*at, "contributors"), "give `payer` or `contributors`, not both")
    if getattr(m, "pool_rate", None) is not None:
        yield refs.finding(
            (*at, "contributors"),
            "`pool_rate` is a rate of one payer's spend: with `contributors`, give `pool` (EUR)",
        )
    for name in m.contributors:
        path = (*at, "contributors", name)
        if name == MARKET:
            yield refs.finding(path, '"market" is not a contributor: name the payers and their shares')
        else:
            yield from refs.party(name, path, ("payer",), "contributor")


def pay(
    ctx: Any,
    m: Any,
    component: str,
    payee: str,
    amount: Any,
    profile: str | None = None,
    formula: str | Callable[[Words], str] = "",
) -> None:
    """One payer-side flow of `amount` whole cents: from the payer, or split over the contributors."""
    if m.contributors is None:
        ctx.ledger.add(component, ctx.payer_or_default(m.payer), payee, amount, profile, formula=formula)
        return
    for party, part in allocate(amount, m.contributors).items():

        def share(w: Words, party: str = party) -> str:
            head = formula(w) if callable(formula) else formula
            return w("contributor", head=head, share=w.num(m.contributors[party]))

        ctx.ledger.add(component, party, payee, part, profile, formula=share)
