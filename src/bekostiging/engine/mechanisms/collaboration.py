"""Funding of the regional collaboration, the VSV (SCENARIO.md §4.5)."""

from __future__ import annotations

from bekostiging.engine.context import VariantContext
from bekostiging.engine.ledger import eur, q
from bekostiging.money import ZERO, mul
from bekostiging.scenario.model import Collaboration


def fund(ctx: VariantContext, m: Collaboration) -> None:
    profiles = m.profiles if m.profiles is not None else list(ctx.s.profiles)
    clients = sum((ctx.s.profiles[p].clients for p in profiles), ZERO)
    ctx.ledger.add(
        "collaboration",
        ctx.payer_or_default(m.payer),
        m.recipient,
        m.fixed + mul(m.per_client, clients),
        formula=lambda: f"fixed {eur(m.fixed)} + {eur(m.per_client)} per client × {q(clients)} clients",
    )
