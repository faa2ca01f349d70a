"""The scenario as typed, validated data (SCENARIO.md §2–4).

Models are frozen: variants and what-ifs never change a scenario, they derive a new one
(`effects.apply`). Numbers are `Decimal` throughout. The "at most 2 decimals" rule for
money holds for what a user writes, not for what effects derive (a scaled tariff may have
more), so it is enforced only when the validation context says `source=True`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bekostiging.money import MAX_INPUT, decimal_places

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ID_RULE = "lowercase letters, digits and _, starting with a letter"

Id = Annotated[str, Field(pattern=ID_PATTERN)]


def _number(value: Any) -> Decimal:
    """Accept TOML integers and decimals only: no strings, booleans, inf or nan."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError("not_a_number", "must be a number, got {got}", {"got": _describe(value)})
    number = Decimal(value)
    if not number.is_finite():
        raise PydanticCustomError("not_finite", "must be a finite number, got {got}", {"got": str(value)})
    if abs(number) > MAX_INPUT:
        raise PydanticCustomError(
            "too_large", "is too large: at most 10^12 in absolute value, got {got}", {"got": str(value)}
        )
    return number


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError("negative", "must be >= 0, got {got}", {"got": str(value)})
    return value


def _money_decimals(value: Decimal, info: ValidationInfo) -> Decimal:
    if info.context and info.context.get("source") and decimal_places(value) > 2:
        raise PydanticCustomError(
            "money_decimals",
            "money has at most 2 decimals (whole cents), got {got}",
            {"got": str(value)},
        )
    return value


def _range(low: str, high: str, *, high_open: bool = False) -> AfterValidator:
    lo, hi = Decimal(low), Decimal(high)

    def check(value: Decimal) -> Decimal:
        if value < lo or value > hi or (high_open and value == hi):
            bracket = ")" if high_open else "]"
            raise PydanticCustomError(
                "out_of_range",
                "must lie in [{low}, {high}{bracket}, got {got}",
                {"low": low, "high": high, "bracket": bracket, "got": str(value)},
            )
        return value

    return AfterValidator(check)


# Pydantic validates one number. In a simulation, the engine's view of a scenario holds
# a value per draw in these fields (`Lanes`, placed by `scenario.drawn.with_draws` after
# every draw was validated), so to the engine a number field is an `Amount`.
if TYPE_CHECKING:
    from bekostiging.lanes import Amount
else:
    Amount = Decimal

Number = Annotated[Amount, BeforeValidator(_number)]
Quantity = Annotated[Amount, BeforeValidator(_number), AfterValidator(_non_negative)]
Money = Annotated[
    Amount,
    BeforeValidator(_number),
    AfterValidator(_non_negative),
    AfterValidator(_money_decimals),
]
Fraction = Annotated[Amount, BeforeValidator(_number), _range("0", "1")]
FractionBelowOne = Annotated[Amount, BeforeValidator(_number), _range("0", "1", high_open=True)]


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)


# ---------------------------------------------------------------- the world

Role = Literal["payer", "provider", "client", "network"]


class ScenarioMeta(Strict):
    name: str
    year: int | None = None
    baseline: Id
    client: Id | None = None
    default_payer: Id | None = None
    include: list[str] = Field(default_factory=list)


class Party(Strict):
    name: str | None = None
    role: Role


class Activity(Strict):
    name: str | None = None
    provider: Id
    payer: Id | None = None
    tariff: Money
    copay: Money = Decimal(0)
    cost: Money | None = None
    availability_share: FractionBelowOne = Decimal(0)
    group: Id | None = None
    unit: str | None = None

    @field_validator("copay")
    @classmethod
    def _copay_within_tariff(cls, copay: Decimal, info: ValidationInfo) -> Decimal:
        tariff = info.data.get("tariff")
        if tariff is not None and copay > tariff:
            raise PydanticCustomError(
                "copay_above_tariff",
                "copay {copay} is above the tariff {tariff}: the tariff is the full price, "
                "co-payment included",
                {"copay": str(copay), "tariff": str(tariff)},
            )
        return copay


class Profile(Strict):
    name: str | None = None
    clients: Quantity
    path: dict[Id, Quantity] = Field(default_factory=dict)


class AvailabilityFunction(Strict):
    name: str | None = None
    party: Id
    annual_cost: Money


# ---------------------------------------------------------------- effects


class SetEffect(Strict):
    op: Literal["set"]
    path: str
    value: Number


class ScaleEffect(Strict):
    op: Literal["scale"]
    path: str
    factor: Quantity


class ShiftEffect(Strict):
    op: Literal["shift"]
    profile: str  # a profile id, or "*" for every profile whose path has `from`
    from_: Id = Field(alias="from")
    to: Id
    fraction: Fraction
    ratio: Quantity = Decimal(1)


class MoveClientsEffect(Strict):
    op: Literal["move_clients"]
    from_: Id = Field(alias="from")
    to: Id
    fraction: Fraction


class RefillEffect(Strict):
    op: Literal["refill"]
    party: Id
    rate: Quantity
    payer: Id | None = None


Effect = Annotated[
    SetEffect | ScaleEffect | ShiftEffect | MoveClientsEffect | RefillEffect,
    Field(discriminator="op"),
]

# ---------------------------------------------------------------- mechanisms


def _shares(value: Any) -> dict[str, Decimal]:
    """A `{party = share}` table whose shares are fractions that add up to exactly 1."""
    if not isinstance(value, dict):
        raise PydanticCustomError("not_a_table", "must be a table, got {got}", {"got": _describe(value)})
    shares = {str(k): _number(v) for k, v in value.items()}
    for k, v in shares.items():
        if v < 0 or v > 1:
            raise PydanticCustomError(
                "share_range",
                "share of {party} must lie in [0, 1], got {got}",
                {"party": k, "got": str(v)},
            )
    total = sum(shares.values(), Decimal(0))
    if total != 1:
        raise PydanticCustomError("shares_sum", "shares must add up to 1, got {got}", {"got": str(total)})
    return shares


def _keyword_or_shares(*keywords: str):
    def parse(value: Any) -> str | dict[str, Decimal]:
        if isinstance(value, str):
            if value in keywords:
                return value
            raise PydanticCustomError(
                "keyword",
                "must be {options} or a share table (party = share), got {got}",
                {"options": ", ".join(repr(k) for k in keywords), "got": repr(value)},
            )
        return _shares(value)

    return BeforeValidator(parse)


def _price(value: Any, info: ValidationInfo) -> Decimal | str | dict[str, Decimal]:
    if isinstance(value, str):
        if value == "budget_neutral":
            return value
        raise PydanticCustomError(
            "keyword",
            'must be "budget_neutral", a number (EUR per client) or a table of profile = EUR, got {got}',
            {"got": repr(value)},
        )
    if isinstance(value, dict):
        return {str(k): _money_decimals(_non_negative(_number(v)), info) for k, v in value.items()}
    return _money_decimals(_non_negative(_number(value)), info)


Distribution = Annotated[str | dict[str, Amount], _keyword_or_shares("tariffs", "cost")]
Price = Annotated[Amount | str | dict[str, Amount], BeforeValidator(_price)]


class Bundle(Strict):
    type: Literal["bundle"]
    payer: Id | None = None
    contractor: Id | None = None
    scope: list[str] | None = None
    profiles: list[Id] | None = None
    price: Price
    adjust: Number | None = None
    overhead: FractionBelowOne = Decimal(0)
    distribution: Distribution = "tariffs"


class Capitation(Strict):
    type: Literal["capitation"]
    payer: Id | None = None
    contractor: Id | None = None
    scope: list[str] | None = None
    profiles: list[Id] | None = None
    amount: Money
    population: Quantity
    overhead: FractionBelowOne = Decimal(0)
    distribution: Distribution = "tariffs"


class Availability(Strict):
    type: Literal["availability"]
    payer: Id | None = None
    functions: list[Id] | None = None
    funding: Fraction = Decimal(1)
    strip_tariffs: bool = True


class Collaboration(Strict):
    type: Literal["collaboration"]
    payer: Id | None = None
    recipient: Id
    fixed: Money = Decimal(0)
    per_client: Money = Decimal(0)
    profiles: list[Id] | None = None


def _recipients(value: Any) -> str | list[str] | dict[str, Decimal]:
    if isinstance(value, list):
        if not value:
            raise PydanticCustomError("empty", "must name at least one recipient")
        return [str(v) for v in value]
    return _keyword_or_shares("tariffs").func(value)  # type: ignore[attr-defined]


class Quality(Strict):
    type: Literal["quality"]
    payer: Id | None = None
    recipients: Annotated[str | list[Id] | dict[str, Amount], BeforeValidator(_recipients)]
    pool: Money | None = None
    pool_rate: Quantity | None = None
    score: Fraction
    threshold: Fraction = Decimal(0)

    @model_validator(mode="after")
    def _one_pool(self) -> Quality:
        if (self.pool is None) == (self.pool_rate is None):
            raise PydanticCustomError("pool", "give exactly one of `pool` (EUR) and `pool_rate` (fraction)")
        return self


class RevenueGuarantee(Strict):
    type: Literal["revenue_guarantee"]
    payer: Id | None = None
    party: Id
    floor: Quantity


class Ceiling(Strict):
    type: Literal["ceiling"]
    payer: Id | None = None
    amount: Money
    party: Id | None = None


def _benchmark(value: Any, info: ValidationInfo) -> str | Decimal:
    if isinstance(value, str):
        if value == "baseline":
            return value
        raise PydanticCustomError(
            "keyword", 'must be "baseline" or a number (EUR), got {got}', {"got": repr(value)}
        )
    return _money_decimals(_number(value), info)


SavingsKey = Annotated[str | dict[str, Amount], _keyword_or_shares("equal", "revenue", "contribution")]


class SharedSavings(Strict):
    type: Literal["shared_savings"]
    payer: Id | None = None
    benchmark: Annotated[str | Amount, BeforeValidator(_benchmark)] = "baseline"
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


Mechanism = Annotated[
    Bundle | Capitation | Availability | Collaboration | Quality | RevenueGuarantee | Ceiling | SharedSavings,
    Field(discriminator="type"),
]

MECHANISM_TYPES = (
    "bundle",
    "capitation",
    "availability",
    "collaboration",
    "quality",
    "revenue_guarantee",
    "ceiling",
    "shared_savings",
)
EFFECT_OPS = ("set", "scale", "shift", "move_clients", "refill")


class Variant(Strict):
    name: str | None = None
    effects: list[Effect] = Field(default_factory=list)
    mechanisms: list[Mechanism] = Field(default_factory=list)


class WhatIf(Strict):
    name: str | None = None
    effects: list[Effect] = Field(default_factory=list)


Metric = Literal["revenue", "payments", "net", "delta", "delta_pct", "margin", "coverage", "gap", "payout"]


class Expectation(Strict):
    variant: Id
    party: Id | None = None
    function: Id | None = None
    payer: Id | None = None
    metric: Metric
    min: Number | None = None
    max: Number | None = None
    whatif: list[Id] = Field(default_factory=list)
    message: str | None = None

    @model_validator(mode="after")
    def _subject(self) -> Expectation:
        if self.min is None and self.max is None:
            raise PydanticCustomError("bounds", "give `min`, `max` or both")
        wanted = {"coverage": "function", "gap": "function", "payout": "payer"}.get(self.metric, "party")
        given = [k for k in ("party", "function", "payer") if getattr(self, k) is not None]
        if given != [wanted]:
            raise PydanticCustomError(
                "subject",
                "metric '{metric}' needs exactly `{wanted}`",
                {"metric": self.metric, "wanted": wanted},
            )
        return self


# ---------------------------------------------------------------- horizon (HORIZON.md §1)


def _year_table(value: Any) -> dict[int, Decimal]:
    """`{2025 = 0.2, 2027 = 1.0}`: keys are years, values numbers; sorted by year."""
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "not_a_table", "must be a table by year, got {got}", {"got": _describe(value)}
        )
    out = {}
    for key, number in value.items():
        if not (str(key).isdigit() and len(str(key)) == 4):
            raise PydanticCustomError("year", "'{key}' is not a year (like 2026)", {"key": str(key)})
        out[int(key)] = _number(number)
    return dict(sorted(out.items()))


def _rate_or_table(value: Any) -> Decimal | dict[str, Decimal]:
    if isinstance(value, dict):
        return {str(k): _number(v) for k, v in value.items()}
    return _number(value)


def _number_or_years(value: Any) -> Decimal | dict[int, Decimal]:
    return _year_table(value) if isinstance(value, dict) else _number(value)


YearTable = Annotated[dict[int, Decimal], BeforeValidator(_year_table)]


class Investment(Strict):
    variant: Id
    party: Id
    year: int
    amount: Money


class Horizon(Strict):
    """Several years: growth, indexation, adoption and ramp-up paths, one-off investments."""

    start: int | None = None
    years: int = Field(ge=1, le=100)
    discount_rate: Quantity = Decimal(0)
    client_growth: Annotated[Decimal | dict[str, Decimal], BeforeValidator(_rate_or_table)] = Decimal(0)
    index: Annotated[
        Decimal | dict[int, Decimal],
        BeforeValidator(_number_or_years),
    ] = Decimal(0)
    adoption: dict[Id, YearTable] = Field(default_factory=dict)
    ramp: dict[Id, YearTable] = Field(default_factory=dict)
    investments: list[Investment] = Field(default_factory=list)


class Scenario(Strict):
    """One region's care system for one year, with the funding variants to compare."""

    scenario: ScenarioMeta
    parties: dict[Id, Party] = Field(default_factory=dict)
    activities: dict[Id, Activity] = Field(default_factory=dict)
    profiles: dict[Id, Profile] = Field(default_factory=dict)
    availability: dict[Id, AvailabilityFunction] = Field(default_factory=dict)
    variants: dict[Id, Variant] = Field(default_factory=dict)
    whatif: dict[Id, WhatIf] = Field(default_factory=dict)
    expect: list[Expectation] = Field(default_factory=list)
    horizon: Horizon | None = None
    uncertainty: Uncertainty | None = None

    def payer_of(self, activity: str) -> str:
        payer = self.activities[activity].payer or self.scenario.default_payer
        assert payer is not None, "validated: every activity has a payer"
        return payer

    def name_of(self, party: str) -> str:
        return self.parties[party].name or party


# The distributions build on the number types above, so they are imported last.
from bekostiging.scenario.uncertainty import Uncertainty  # noqa: E402

Scenario.model_rebuild()
