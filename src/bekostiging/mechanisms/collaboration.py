"""Funding of the regional collaboration, the VSV (SCENARIO.md §4.5)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

from bekostiging.fields import Id, Money, Strict
from bekostiging.mechanisms import contributors
from bekostiging.mechanisms.base import PROVIDERS, MechanismSpec, Refs
from bekostiging.mechanisms.contributors import Contributors
from bekostiging.money import ZERO, cents, mul


class Collaboration(Strict):
    type: Literal["collaboration"]
    payer: Id | None = None
    contributors: Contributors = None
    recipient: Id
    fixed: Money = Decimal(0)
    per_client: Money = Decimal(0)
    profiles: list[Id] | None = None
    # Several insurers (CONTRACTS.md B): "region" makes a market payer pay for the whole
    # region's clients in its own book; the other books pay nothing (they ride free).
    applies_to: Literal["book", "region"] = "book"


def check(m: Collaboration, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    yield from contributors.check(m, refs, at)
    yield from refs.party(m.recipient, (*at, "recipient"), PROVIDERS, "recipient")
    for j, p in enumerate(m.profiles or []):
        yield from refs.exists("profiles", "profile", p, (*at, "profiles", j))


def fund(ctx: Any, m: Collaboration) -> None:
    profiles = m.profiles if m.profiles is not None else list(ctx.s.profiles)
    clients = sum((ctx.s.profiles[p].clients for p in profiles), ZERO)
    contributors.pay(
        ctx,
        m,
        "collaboration",
        m.recipient,
        cents(m.fixed + mul(m.per_client, clients)),
        formula=lambda w: w(
            "collaboration", fixed=w.eur(m.fixed), per_client=w.eur(m.per_client), clients=w.num(clients)
        ),
    )


SPEC = MechanismSpec(
    type="collaboration",
    model=Collaboration,
    stage="collaboration",
    components=("collaboration",),
    check=check,
    apply=fund,
    money_fields=("fixed", "per_client"),
    fixed_amounts=("fixed",),
    labels={"nl": "samenwerking", "en": "collaboration"},
    summary="a fixed amount plus an amount per client to the regional collaboration (VSV)",
)
