"""Shared savings, one- or two-sided (SCENARIO.md §4.10).

The payer's net spend in the counterfactual is the benchmark B (unless a number is
given); its net spend in this variant before this mechanism is A; S = B − A. Savings
above the minimum rate are shared (first euro, as in the American MSSP), capped;
losses beyond the minimum loss rate are repaid when the arrangement is two-sided. The
`contribution` key pays each recipient pro rata the revenue it gave up to make the
saving, the `investment` key pro rata its net decrease (any role: a gemeente that put
money in, a provider that lost revenue). This is how the money reaches the pocket the
saving was taken from.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from bekostiging.fields import Fraction, Id, Quantity, Strict, keyword_or_shares, money_decimals, number
from bekostiging.formula import eur, q
from bekostiging.lanes import Lanes
from bekostiging.mechanisms.base import PAYEES, PROVIDERS, MechanismSpec, Refs, not_own_payer
from bekostiging.money import (
    ONE,
    ZERO,
    allocate,
    as_number,
    cents,
    div,
    from_cents,
    is_zero,
    maximum,
    minimum,
    mul,
    rounded,
    where,
)


def _benchmark(value: Any, info: ValidationInfo) -> str | Decimal:
    if isinstance(value, str):
        if value == "baseline":
            return value
        raise PydanticCustomError(
            "keyword", 'must be "baseline" or a number (EUR), got {got}', {"got": repr(value)}
        )
    return money_decimals(number(value), info)


SavingsKey = Annotated[
    str | dict[str, Decimal], keyword_or_shares("equal", "revenue", "contribution", "investment")
]


class SharedSavings(Strict):
    type: Literal["shared_savings"]
    payer: Id | None = None
    benchmark: Annotated[str | Decimal, BeforeValidator(_benchmark)] = "baseline"
    min_savings_rate: Quantity = Decimal(0)
    sharing_rate: Fraction
    quality_score: Fraction = Decimal(1)
    quality_gate: Fraction = Decimal(0)
    cap: Quantity | None = None
    loss_sharing_rate: Fraction = Decimal(0)
    min_loss_rate: Quantity = Decimal(0)
    loss_cap: Quantity | None = None
    reinvest: Fraction = Decimal(0)
    network: Id | None = None
    recipients: list[Id] = Field(min_length=1)
    distribution: SavingsKey = "contribution"

    @model_validator(mode="after")
    def _network_for_reinvestment(self) -> SharedSavings:
        if self.reinvest > 0 and self.network is None:
            raise PydanticCustomError("network", "`reinvest` > 0 needs a `network` to receive it")
        return self


def check(m: SharedSavings, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    yield from refs.party(m.network, (*at, "network"), PROVIDERS, "network")
    for j, p in enumerate(m.recipients):
        yield from refs.party(p, (*at, "recipients", j), PAYEES, "recipient")
        yield from not_own_payer(m, refs, p, (*at, "recipients", j))
    if isinstance(m.distribution, dict):
        for p in m.distribution:
            if p not in m.recipients:
                yield refs.finding(
                    (*at, "distribution", p),
                    f"'{p}' has a share but is not among the recipients",
                )


def apply(ctx: Any, m: SharedSavings) -> None:
    """Settle, and keep the settlement for the `shared_savings` table."""
    ctx.settlements.append(settle(ctx, m))


def settle(ctx: Any, m: SharedSavings) -> dict[str, Any]:
    payer = ctx.payer_or_default(m.payer)
    cf = ctx.cf_ledger()
    benchmark = cents(m.benchmark) if not isinstance(m.benchmark, str) else cf.net_spend(payer)
    actual = ctx.ledger.net_spend(payer)
    savings = benchmark - actual
    b, s = from_cents(benchmark), from_cents(savings)
    # Read before the reinvestment below is written: "before this mechanism".
    decreases = net_decreases(ctx, m) if m.distribution == "investment" else {}

    # Written with `&` and `where` rather than `and`/`if`, so that a simulation's lanes
    # (one value per draw) take the same branch each, lane by lane.
    eligible = (savings > 0) & (s >= mul(m.min_savings_rate, b)) & (m.quality_score >= m.quality_gate)
    share = mul(s, m.sharing_rate, m.quality_score)
    gain = cents(minimum(share, mul(m.cap, b)) if m.cap is not None else share)
    loss = mul(-s, m.loss_sharing_rate)
    repaid = cents(minimum(loss, mul(m.loss_cap, b)) if m.loss_cap is not None else loss)
    repays = (savings < 0) & (m.loss_sharing_rate > 0) & (-s >= mul(m.min_loss_rate, b))
    payout = where(eligible, gain, where(repays, -repaid, 0))

    reinvested = where(payout > 0, cents(mul(m.reinvest, from_cents(maximum(payout, 0)))), 0)
    if not is_zero(reinvested):
        assert m.network is not None
        formula = lambda: f"{_head(s, b, actual, payout)} × reinvest {q(m.reinvest)}"  # noqa: E731
        ctx.ledger.add("reinvestment", payer, m.network, reinvested, formula=formula)
    weights = decreases if m.distribution == "investment" else key(ctx, m)
    split = allocate(payout - reinvested, weights) if weights else {}
    for party in m.recipients:  # a negative amount is repaid to the payer

        def formula(party: str = party) -> str:
            total = sum(weights.values(), ZERO)
            share = f"{q(weights[party])} / {q(total)}" if total else "an equal share"
            rest = f"{_head(s, b, actual, payout)} − reinvested {eur(reinvested, from_cents=True)}"
            return f"{rest}, {key_name(m)} key {share}"

        ctx.ledger.add("shared_savings", payer, party, split[party], formula=formula)
    lanes = any(isinstance(x, Lanes) for x in (savings, eligible, payout))
    return {
        "payer": payer,
        "benchmark": benchmark,
        "actual": actual,
        "savings": savings,
        "savings_rate": None
        if lanes or not benchmark
        else rounded(div(Decimal(savings), Decimal(benchmark)), 4),
        "eligible": eligible if lanes else bool(eligible),
        "payout": payout,
        "reinvested": reinvested,
        "recipients": [{"party": p, "amount": split[p]} for p in m.recipients],
    }


def _head(s: Decimal, b: Decimal, actual: int, payout: int) -> str:
    head = f"savings {eur(s)} = benchmark {eur(b)} − actual {eur(actual, from_cents=True)}"
    return f"{head}; payout {eur(payout, from_cents=True)}"


def key_name(m: SharedSavings) -> str:
    return m.distribution if isinstance(m.distribution, str) else "share"


def key(ctx: Any, m: SharedSavings) -> dict[str, Decimal]:
    """The weights of the recipients under the chosen distribution key."""
    if isinstance(m.distribution, dict):
        return {p: m.distribution.get(p, ZERO) for p in m.recipients}
    if m.distribution == "equal":
        return dict.fromkeys(m.recipients, ONE)
    cf = ctx.cf_ledger()
    if m.distribution == "revenue":
        return {p: as_number(cf.inflows(p)) for p in m.recipients}
    # contribution: revenue given up against the counterfactual (all zero -> equal split)
    return {p: as_number(maximum(0, cf.inflows(p) - ctx.ledger.inflows(p))) for p in m.recipients}


def net_decreases(ctx: Any, m: SharedSavings) -> dict[str, Any]:
    """The `investment` key: each recipient's net decrease against the counterfactual so far,
    `max(0, net_cf − net)` with net = revenue − payments, which is the rise of its net spend
    (all zero -> equal split)."""
    cf = ctx.cf_ledger()
    return {p: as_number(maximum(0, ctx.ledger.net_spend(p) - cf.net_spend(p))) for p in m.recipients}


SPEC = MechanismSpec(
    type="shared_savings",
    model=SharedSavings,
    stage="shared_savings",
    components=("shared_savings", "reinvestment"),
    check=check,
    apply=apply,
    money_fields=("benchmark",),
    fixed_amounts=("benchmark",),
    labels={"nl": "gedeelde besparingen", "en": "shared savings"},
    summary="shares the payer's savings against a benchmark (and, two-sided, its losses)",
)
