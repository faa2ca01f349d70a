"""Shared savings, one- or two-sided (SCENARIO.md §4.10).

The payer's net spend in the counterfactual is the benchmark B (unless a number is
given); its net spend in this variant before this mechanism is A; S = B − A. Savings
above the minimum rate are shared (first euro, as in the American MSSP), capped;
losses beyond the minimum loss rate are repaid when the arrangement is two-sided. The
`contribution` key pays each recipient pro rata the revenue it gave up to make the
saving. This is how the money reaches the pocket the saving was taken from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bekostiging.engine.context import VariantContext
from bekostiging.engine.ledger import eur, q
from bekostiging.money import ONE, ZERO, allocate, cents, div, mul, rounded
from bekostiging.scenario.model import SharedSavings


def settle(ctx: VariantContext, m: SharedSavings) -> dict[str, Any]:
    payer = ctx.payer_or_default(m.payer)
    cf = ctx.cf_ledger()
    benchmark = cents(m.benchmark) if isinstance(m.benchmark, Decimal) else cf.net_spend(payer)
    actual = ctx.ledger.net_spend(payer)
    savings = benchmark - actual
    b, s = Decimal(benchmark) / 100, Decimal(savings) / 100

    eligible = savings > 0 and s >= mul(m.min_savings_rate, b) and m.quality_score >= m.quality_gate
    payout = 0
    if eligible:
        share = mul(s, m.sharing_rate, m.quality_score)
        payout = cents(min(share, mul(m.cap, b)) if m.cap is not None else share)
    elif savings < 0 and m.loss_sharing_rate > 0 and -s >= mul(m.min_loss_rate, b):
        loss = mul(-s, m.loss_sharing_rate)
        payout = -cents(min(loss, mul(m.loss_cap, b)) if m.loss_cap is not None else loss)

    reinvested = cents(mul(m.reinvest, Decimal(payout) / 100)) if payout > 0 else 0
    head = f"savings {eur(s)} = benchmark {eur(b)} − actual {eur(actual, from_cents=True)}"
    head += f"; payout {eur(payout, from_cents=True)}"
    if reinvested:
        assert m.network is not None
        formula = f"{head} × reinvest {q(m.reinvest)}"
        ctx.ledger.add("reinvestment", payer, m.network, reinvested, formula=formula)
    weights = key(ctx, m)
    split = allocate(payout - reinvested, weights) if payout else dict.fromkeys(m.recipients, 0)
    total = sum(weights.values(), ZERO)
    rest = f"{head} − reinvested {eur(reinvested, from_cents=True)}"
    for party in m.recipients:  # a negative amount is repaid to the payer
        share = f"{q(weights[party])} / {q(total)}" if total else "an equal share"
        formula = f"{rest}, {key_name(m)} key {share}"
        ctx.ledger.add("shared_savings", payer, party, split[party], formula=formula)
    return {
        "payer": payer,
        "benchmark": benchmark,
        "actual": actual,
        "savings": savings,
        "savings_rate": rounded(div(Decimal(savings), Decimal(benchmark)), 4) if benchmark else None,
        "eligible": eligible,
        "payout": payout,
        "reinvested": reinvested,
        "recipients": [{"party": p, "amount": split[p]} for p in m.recipients],
    }


def key_name(m: SharedSavings) -> str:
    return m.distribution if isinstance(m.distribution, str) else "share"


def key(ctx: VariantContext, m: SharedSavings) -> dict[str, Decimal]:
    """The weights of the recipients under the chosen distribution key."""
    if isinstance(m.distribution, dict):
        return {p: m.distribution.get(p, ZERO) for p in m.recipients}
    if m.distribution == "equal":
        return dict.fromkeys(m.recipients, ONE)
    cf = ctx.cf_ledger()
    if m.distribution == "revenue":
        return {p: Decimal(cf.inflows(p)) for p in m.recipients}
    # contribution: revenue given up against the counterfactual (all zero -> equal split)
    return {p: Decimal(max(0, cf.inflows(p) - ctx.ledger.inflows(p))) for p in m.recipients}
