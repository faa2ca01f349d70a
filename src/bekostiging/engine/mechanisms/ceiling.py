"""Revenue ceiling: the excess above an agreed amount is clawed back (SCENARIO.md §4.9)."""

from __future__ import annotations

from bekostiging.engine.context import VariantContext
from bekostiging.engine.ledger import eur
from bekostiging.money import allocate, as_number, cents, maximum


def claw_back(ctx: VariantContext, m) -> None:
    payer = ctx.payer_or_default(m.payer)
    limit = cents(m.amount)
    if m.party is not None:
        received = ctx.ledger.paid(payer, m.party)
        formula = lambda: f"received {eur(received, from_cents=True)} − ceiling {eur(m.amount)}"  # noqa: E731
        ctx.ledger.add("clawback", m.party, payer, maximum(received - limit, 0), formula=formula)
        return
    spend = ctx.ledger.net_spend(payer)
    payees = ctx.ledger.payees_of(payer)
    if not payees:
        return
    weights = {p: as_number(v) for p, v in payees.items()}
    for party, amount in allocate(maximum(spend - limit, 0), weights).items():
        ctx.ledger.add(
            "clawback", party, payer, amount, formula=lambda party=party: _formula(m, spend, payees, party)
        )


def _formula(m, spend: int, payees: dict[str, int], party: str) -> str:
    total = sum(payees.values())
    head = f"(spend {eur(spend, from_cents=True)} − ceiling {eur(m.amount)})"
    share = f"{eur(payees[party], from_cents=True)} / {eur(total, from_cents=True)}"
    return f"{head} × received {share}"
