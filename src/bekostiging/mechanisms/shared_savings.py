"""Shared savings, one- or two-sided (SCENARIO.md §4.10).

The payer's net spend in the counterfactual is the benchmark B (unless a number is
given); its net spend in this variant before this mechanism is A; S = B − A. Savings
above the minimum rate are shared (first euro, as in the American MSSP), capped;
losses beyond the minimum loss rate are repaid when the arrangement is two-sided. The
`contribution` key pays each recipient pro rata the revenue it gave up to make the
saving, the `investment` key pro rata its net decrease (any role: a gemeente that put
money in, a provider that lost revenue). This is how the money reaches the pocket the
saving was taken from.

The published methods (CONTRACTS.md F, readings in docs/semantics.md) are optional
fields on top: sharing only above the MSR, risk corridors (`bands`, `loss_bands`), a loss
rate tied to the final sharing rate ("complement") with bounds and a rate when the quality
gate fails, a second loss cap on the named parties' revenue, and a withhold
(sequestration). Their defaults give v1's settlement to the cent.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from bekostiging.fields import (
    Amount,
    Fraction,
    Id,
    Quantity,
    Range,
    Strict,
    keyword_or_shares,
    money_decimals,
    number,
)
from bekostiging.formula import Words
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


def _loss_rate(value: Any) -> str | Decimal:
    """A fraction, or "complement": 1 − sharing_rate × quality_score (CONTRACTS.md F)."""
    if isinstance(value, str):
        if value == "complement":
            return value
        raise PydanticCustomError(
            "keyword", 'must be "complement" or a number in [0, 1], got {got}', {"got": repr(value)}
        )
    return Range("0", "1")(number(value))


LOSS_RATE_SCHEMA = {
    "anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"const": "complement", "type": "string"}]
}


class Band(Strict):
    """One risk corridor: the part of the savings (or losses) up to `upto` × B, shared at `rate`."""

    upto: Quantity | None = None
    rate: Fraction


class SharedSavings(Strict):
    type: Literal["shared_savings"]
    payer: Id | None = None
    benchmark: Annotated[
        str | Decimal, BeforeValidator(_benchmark, json_schema_input_type=Literal["baseline"] | Decimal)
    ] = "baseline"
    min_savings_rate: Quantity = Decimal(0)
    sharing_rate: Fraction | None = None
    bands: list[Band] | None = Field(default=None, min_length=1)
    share_above_msr: bool = False
    quality_score: Fraction = Decimal(1)
    quality_gate: Fraction = Decimal(0)
    cap: Quantity | None = None
    loss_sharing_rate: Annotated[
        Amount | str, BeforeValidator(_loss_rate), WithJsonSchema(LOSS_RATE_SCHEMA)
    ] = Decimal(0)
    loss_bands: list[Band] | None = Field(default=None, min_length=1)
    loss_rate_min: Fraction = Decimal(0)
    loss_rate_max: Fraction = Decimal(1)
    loss_rate_if_gate_fails: Fraction | None = None
    min_loss_rate: Quantity = Decimal(0)
    loss_cap: Quantity | None = None
    loss_cap_revenue: Quantity | None = None
    loss_cap_parties: list[Id] | None = None
    withhold: Fraction = Decimal(0)
    reinvest: Fraction = Decimal(0)
    network: Id | None = None
    recipients: list[Id] = Field(min_length=1)
    distribution: SavingsKey = "contribution"

    @model_validator(mode="after")
    def _network_for_reinvestment(self) -> SharedSavings:
        if self.reinvest > 0 and self.network is None:
            raise PydanticCustomError("network", "`reinvest` > 0 needs a `network` to receive it")
        return self

    @property
    def complement(self) -> bool:
        return isinstance(self.loss_sharing_rate, str)

    @property
    def two_sided(self) -> Any:
        """Whether losses are repaid at all (truth lanes when the loss rate is drawn)."""
        if self.complement or self.loss_bands is not None:
            return True
        return self.loss_sharing_rate > 0


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
    yield from _check_terms(m, refs, at)


def _check_terms(m: SharedSavings, refs: Refs, at: tuple) -> Iterator[Any]:
    """The fields of CONTRACTS.md F that only make sense together."""
    given = m.model_fields_set
    if m.sharing_rate is None and m.bands is None:
        yield refs.finding((*at, "sharing_rate"), "needs `sharing_rate` or `bands`")
    if m.sharing_rate is not None and m.bands is not None:
        yield refs.finding((*at, "bands"), "`bands` replaces `sharing_rate`: give one of the two")
    for name in ("bands", "loss_bands"):
        yield from _check_bands(getattr(m, name), refs, (*at, name))
    if m.complement and m.bands is not None:
        yield refs.finding(
            (*at, "loss_sharing_rate"),
            '"complement" is 1 − sharing_rate × quality_score and needs `sharing_rate`, not `bands`',
        )
    if m.complement and m.loss_bands is not None:
        yield refs.finding(
            (*at, "loss_bands"), '`loss_bands` and loss_sharing_rate = "complement" exclude each other'
        )
    for name in ("loss_rate_min", "loss_rate_max"):
        if name in given and not m.complement:
            yield refs.finding((*at, name), f'`{name}` clamps only loss_sharing_rate = "complement"')
    if m.loss_rate_min > m.loss_rate_max:
        yield refs.finding(
            (*at, "loss_rate_min"),
            f"must be at most loss_rate_max ({m.loss_rate_max}), got {m.loss_rate_min}",
        )
    if m.loss_cap_revenue is not None and not m.loss_cap_parties:
        yield refs.finding(
            (*at, "loss_cap_parties"),
            "`loss_cap_revenue` needs `loss_cap_parties`: whose revenue from this payer is the base",
        )
    if m.loss_cap_parties is not None and m.loss_cap_revenue is None:
        yield refs.finding((*at, "loss_cap_parties"), "is only used with `loss_cap_revenue`")
    for j, p in enumerate(m.loss_cap_parties or ()):
        yield from refs.party(p, (*at, "loss_cap_parties", j), PAYEES, "loss-cap party")


def _check_bands(bands: list[Band] | None, refs: Refs, at: tuple) -> Iterator[Any]:
    """Upper bounds ascending and above 0; only the last band may be open."""
    below = Decimal(0)
    for i, band in enumerate(bands or ()):
        if band.upto is None:
            if i < len(bands or ()) - 1:
                yield refs.finding((*at, i, "upto"), "only the last band may be open (no `upto`)")
            continue
        if band.upto <= below:
            yield refs.finding(
                (*at, i, "upto"),
                f"upper bounds must ascend above {below}, got {band.upto}",
            )
        below = maximum(below, band.upto)


def apply(ctx: Any, m: SharedSavings) -> None:
    """Settle, and keep the settlement for the `shared_savings` table."""
    ctx.settlements.append(settle(ctx, m))


def banded(amount: Any, b: Any, bands: list[Band]) -> Any:
    """Σ over the bands of the part of `amount` in the band × its rate; the bounds are
    fractions of B. Savings above a last band that is not open earn 0."""
    total: Any = ZERO
    low: Any = ZERO
    for band in bands:
        above = maximum(amount - mul(low, b), 0)
        part = above if band.upto is None else minimum(above, mul(band.upto - low, b))
        total = total + mul(part, band.rate)
        low = band.upto if band.upto is not None else low
    return total


def settle(ctx: Any, m: SharedSavings) -> dict[str, Any]:
    payer = ctx.payer_or_default(m.payer)
    cf = ctx.cf_ledger()
    benchmark = cents(m.benchmark) if not isinstance(m.benchmark, str) else cf.net_spend(payer)
    actual = ctx.ledger.net_spend(payer)
    savings = benchmark - actual
    b, s = from_cents(benchmark), from_cents(savings)
    # Read before the reinvestment below is written: "before this mechanism".
    decreases = net_decreases(ctx, m) if m.distribution == "investment" else {}

    # Written with `&`, `where`, `minimum` rather than `and`/`if`/`min`, so that a
    # simulation's lanes (one value per draw) take the same branch each, lane by lane.
    msr, mlr = mul(m.min_savings_rate, b), mul(m.min_loss_rate, b)
    above_msr = s >= msr
    gate = m.quality_score >= m.quality_gate
    eligible = (savings > 0) & above_msr & gate
    gain_base = s - msr if m.share_above_msr else s
    if m.bands is not None:
        share = mul(banded(gain_base, b, m.bands), m.quality_score)
    else:
        assert m.sharing_rate is not None, "validated: sharing_rate or bands"
        share = mul(gain_base, m.sharing_rate, m.quality_score)
    gain_cap = mul(m.cap, b) if m.cap is not None else None
    capped_gain = minimum(share, gain_cap) if gain_cap is not None else share
    gain = cents(mul(capped_gain, ONE - m.withhold))  # withhold 0: exactly v1

    loss_base = -s - mlr if m.share_above_msr else -s
    loss = mul(loss_base, _loss_rate_of(m)) if _flat_loss(m) else banded(loss_base, b, _loss_bands(m))
    if m.loss_rate_if_gate_fails is not None:
        loss = where(gate, loss, mul(loss_base, m.loss_rate_if_gate_fails))
    loss_caps = [mul(m.loss_cap, b)] if m.loss_cap is not None else []
    if m.loss_cap_revenue is not None:
        base = sum((cf.paid(payer, p) for p in m.loss_cap_parties or ()), 0)
        loss_caps.append(mul(m.loss_cap_revenue, from_cents(base)))
    capped_loss = loss
    for limit in loss_caps:
        capped_loss = minimum(capped_loss, limit)
    repaid = cents(capped_loss)
    repays = (savings < 0) & m.two_sided & (-s >= mlr)
    payout = where(eligible, gain, where(repays, -repaid, 0))

    def head(w: Words) -> str:
        """The settlement in words, with its outcome and reason (`explain`; built when read,
        after `outcome` and `reason` below are known)."""
        text = _head(s, b, actual, payout, w)
        if outcome is None:
            return text
        return w("outcome", head=text, outcome=w.word(outcome), reason=w.word(reason))

    reinvested = where(payout > 0, cents(mul(m.reinvest, from_cents(maximum(payout, 0)))), 0)
    if not is_zero(reinvested):
        assert m.network is not None
        formula = lambda w: w("reinvest", head=head(w), rate=w.num(m.reinvest))  # noqa: E731
        ctx.ledger.add("reinvestment", payer, m.network, reinvested, formula=formula)
    weights = decreases if m.distribution == "investment" else key(ctx, m)
    split = allocate(payout - reinvested, weights) if weights else {}
    for party in m.recipients:  # a negative amount is repaid to the payer

        def formula(w: Words, party: str = party) -> str:
            """What is left after the reinvestment × the party's share under the key: agreed
            shares, equal, or euros (revenue, revenue given up, net decrease; in cents)."""
            name = key_name(m)
            key, money = ("shares", "") if name == "share" else (name, "" if name == "equal" else "cents")
            share = w.share(party, key, weights, money=money)
            return w("recipient", head=head(w), reinvested=w.eur(reinvested, from_cents=True), share=share)

        ctx.ledger.add("shared_savings", payer, party, split[party], formula=formula)
    lanes = any(isinstance(x, Lanes) for x in (savings, eligible, repays, payout))
    outcome, reason = (None, None) if lanes else _outcome(m, savings, eligible, repays, gate, above_msr)
    if reason == "payout":  # `capped`: a cap strictly below the uncapped amount
        reason = "capped" if gain_cap is not None and gain_cap < share else "savings"
    if reason == "repayment":
        reason = "capped" if any(limit < loss for limit in loss_caps) else "losses"
    return {
        "payer": payer,
        "benchmark": benchmark,
        "actual": actual,
        "savings": savings,
        "savings_rate": None
        if lanes or not benchmark
        else rounded(div(Decimal(savings), Decimal(benchmark)), 4),
        "eligible": (eligible | repays) if lanes else bool(eligible or repays),
        "outcome": outcome,
        "reason": reason,
        "payout": payout,
        "reinvested": reinvested,
        "recipients": [{"party": p, "amount": split[p]} for p in m.recipients],
    }


def _outcome(
    m: SharedSavings, savings: int, eligible: bool, repays: bool, gate: bool, above_msr: bool
) -> tuple:
    """(outcome, reason) of one settlement; the reason "payout"/"repayment" is refined to
    "savings"/"losses" or "capped" by the caller. The MSR is checked before the gate."""
    if eligible:
        return "payout", "payout"
    if repays:
        return "repayment", "repayment"
    if savings > 0:
        return "none", "below_msr" if not above_msr else "gate_failed"
    if savings < 0:
        return "none", "one_sided" if not m.two_sided else "below_mlr"
    return "none", "below_msr"  # no savings at all: nothing reaches the threshold


def _flat_loss(m: SharedSavings) -> bool:
    """One loss rate (v1, complement), or bands for losses."""
    return m.loss_bands is None and (m.bands is None or m.complement)


def _loss_bands(m: SharedSavings) -> list[Band]:
    """`loss_bands`, by default the savings bands (the arrangement is then two-sided only
    when `loss_sharing_rate` > 0, see `two_sided`)."""
    bands = m.loss_bands if m.loss_bands is not None else m.bands
    assert bands is not None
    return bands


def _loss_rate_of(m: SharedSavings) -> Any:
    """The loss sharing rate: as written, or the complement of the final sharing rate,
    clamped to [loss_rate_min, loss_rate_max]."""
    if not m.complement:
        return m.loss_sharing_rate
    assert m.sharing_rate is not None, "validated: complement needs sharing_rate"
    complement = ONE - mul(m.sharing_rate, m.quality_score)
    return minimum(maximum(complement, m.loss_rate_min), m.loss_rate_max)


def _head(s: Decimal, b: Decimal, actual: int, payout: int, w: Words) -> str:
    return w(
        "savings",
        savings=w.eur(s),
        benchmark=w.eur(b),
        actual=w.eur(actual, from_cents=True),
        payout=w.eur(payout, from_cents=True),
    )


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
