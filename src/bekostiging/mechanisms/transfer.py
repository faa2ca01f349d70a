"""Transfers between parties (CONTRACTS.md C): money moved from one pocket to another.

A transfer closes the "wrong pocket": the insurer that saves because the gemeente's
prevention works hands part of that saving over, as a lump sum, an amount per client, a
share of its savings, or any sum of the three. It is evaluated last, after shared
savings, so the saving it shares is what `from` keeps after every other mechanism. It
has no `payer`: `from` and `to` may be any party.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from bekostiging.fields import Fraction, Id, Money, Strict
from bekostiging.formula import Words
from bekostiging.mechanisms.base import MechanismSpec, Refs
from bekostiging.money import ZERO, from_cents, maximum, mul

ANY_ROLE = ("payer", "provider", "client", "network")


class Transfer(Strict):
    type: Literal["transfer"]
    from_: Id = Field(alias="from")
    to: Id
    fixed: Money | None = None
    per_client: Money | None = None
    profiles: list[Id] | None = None
    share_of_savings: Fraction | None = None

    @model_validator(mode="after")
    def _an_amount(self) -> Transfer:
        if self.fixed is None and self.per_client is None and self.share_of_savings is None:
            raise PydanticCustomError(
                "amount", "give at least one of `fixed`, `per_client` and `share_of_savings`"
            )
        return self


def check(m: Transfer, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    yield from refs.party(m.from_, (*at, "from"), ANY_ROLE, "party")
    yield from refs.party(m.to, (*at, "to"), ANY_ROLE, "party")
    if m.from_ == m.to:
        yield refs.finding((*at, "to"), f"`from` and `to` are the same party '{m.to}'")
    for j, p in enumerate(m.profiles or []):
        yield from refs.exists("profiles", "profile", p, (*at, "profiles", j))
    if m.profiles is not None and m.per_client is None:
        yield refs.finding((*at, "profiles"), "`profiles` says whose clients count: give `per_client`")


def transfer(ctx: Any, m: Transfer) -> None:
    """One flow from → to: the parts summed exactly, rounded once."""
    amount: Any = ZERO
    clients: Any = ZERO
    saved: Any = 0
    if m.fixed is not None:
        amount = amount + m.fixed
    if m.per_client is not None:
        profiles = m.profiles if m.profiles is not None else list(ctx.s.profiles)
        clients = sum((ctx.s.profiles[p].clients for p in profiles), ZERO)
        amount = amount + mul(m.per_client, clients)
    if m.share_of_savings is not None:
        # S_from: `from`'s net spend in the counterfactual − its net spend so far.
        saved = ctx.cf_ledger().net_spend(m.from_) - ctx.ledger.net_spend(m.from_)
        amount = amount + mul(m.share_of_savings, from_cents(maximum(saved, 0)))
    ctx.ledger.add("transfer", m.from_, m.to, amount, formula=lambda w: _formula(m, clients, saved, w))


def _formula(m: Transfer, clients: Decimal, saved: int, w: Words) -> str:
    parts = []
    if m.fixed is not None:
        parts.append(w("transfer_fixed", fixed=w.eur(m.fixed)))
    if m.per_client is not None:
        parts.append(w("transfer_clients", per_client=w.eur(m.per_client), clients=w.num(clients)))
    if m.share_of_savings is not None:
        saved_ = w.eur(saved, from_cents=True)
        parts.append(w("transfer_savings", share=w.num(m.share_of_savings), saved=saved_))
    return " + ".join(parts)


SPEC = MechanismSpec(
    type="transfer",
    payer_field="from_",
    fixed_amounts=("fixed",),
    model=Transfer,
    stage="transfer",
    components=("transfer",),
    check=check,
    apply=transfer,
    money_fields=("fixed", "per_client"),
    labels={"nl": "overheveling", "en": "transfer"},
    summary="moves a fixed amount, an amount per client and/or a share of one party's savings to another",
    payer_roles=(),
)
