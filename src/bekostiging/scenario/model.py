"""The scenario as typed, validated data (SCENARIO.md §2–4).

Models are frozen: variants and what-ifs never change a scenario, they derive a new one
(`effects.apply`). Numbers are `Decimal` throughout (`bekostiging.fields` has the value
types and their rules). The models of the funding mechanisms live with their behaviour,
one module each, in `bekostiging.mechanisms`; `Mechanism` is their tagged union.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bekostiging.fields import ID_PATTERN as ID_PATTERN  # re-exported: the id rule of the file
from bekostiging.fields import ID_RULE as ID_RULE
from bekostiging.fields import (
    Fraction,
    FractionBelowOne,
    Id,
    Money,
    Name,
    Number,
    Prose,
    Quantity,
    Strict,
    Year,
    number,
)
from bekostiging.findings import describe
from bekostiging.mechanisms import MECHANISM_TYPES as MECHANISM_TYPES  # the file's mechanism types
from bekostiging.mechanisms import Mechanism
from bekostiging.scenario.limits import MAX_YEARS
from bekostiging.scenario.uncertainty import Uncertainty

# ---------------------------------------------------------------- the world

Role = Literal["payer", "provider", "client", "network"]


class ScenarioMeta(Strict):
    name: Name
    year: Year | None = None
    baseline: Id
    client: Id | None = None
    default_payer: Id | None = None
    # Several insurers (CONTRACTS.md B): payer id = share of the region's clients; the
    # scenario is then computed as one book per market payer (engine.books).
    market_shares: dict[Id, Annotated[Decimal, BeforeValidator(number)]] | None = None
    include: list[str] = Field(default_factory=list)


class Party(Strict):
    name: Name | None = None
    role: Role
    # Costs that do not move with volume (CONTRACTS.md A): buildings, rostered staff, a
    # network's bureau. Part of the party's `cost`, once for the region.
    fixed_cost: Money | None = None
    follows: Id | None = None  # a market payer's lead, whose mechanisms it applies (CONTRACTS.md B)


class Activity(Strict):
    name: Name | None = None
    provider: Id
    payer: Id | None = None
    tariff: Money
    copay: Money = Decimal(0)
    cost: Money | None = None
    availability_share: FractionBelowOne = Decimal(0)
    group: Id | None = None
    unit: Name | None = None

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
    name: Name | None = None
    clients: Quantity
    path: dict[Id, Quantity] = Field(default_factory=dict)


class AvailabilityFunction(Strict):
    name: Name | None = None
    party: Id
    annual_cost: Money


# ---------------------------------------------------------------- tables by year (HORIZON.md §1)


def _year_table(value: Any) -> dict[int, Decimal]:
    """`{2025 = 0.2, 2027 = 1.0}`: keys are years, values numbers; sorted by year."""
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "not_a_table", "must be a table by year, got {got}", {"got": describe(value)}
        )
    out = {}
    for key, value_ in value.items():
        if not (str(key).isdigit() and len(str(key)) == 4):
            raise PydanticCustomError("year", "'{key}' is not a year (like 2026)", {"key": str(key)})
        out[int(key)] = number(value_)
    return dict(sorted(out.items()))


def _rate_or_table(value: Any) -> Decimal | dict[str, Decimal]:
    if isinstance(value, dict):
        return {str(k): number(v) for k, v in value.items()}
    return number(value)


def _number_or_years(value: Any) -> Decimal | dict[int, Decimal]:
    return _year_table(value) if isinstance(value, dict) else number(value)


YearTable = Annotated[dict[int, Decimal], BeforeValidator(_year_table)]


# ---------------------------------------------------------------- effects


class SetEffect(Strict):
    op: Literal["set"]
    path: str
    value: Number
    ramp: YearTable | None = None  # replaces the variant's ramp for this effect (CONTRACTS.md E)


class ScaleEffect(Strict):
    op: Literal["scale"]
    path: str
    factor: Quantity
    ramp: YearTable | None = None  # replaces the variant's ramp for this effect (CONTRACTS.md E)


class ShiftEffect(Strict):
    op: Literal["shift"]
    profile: str  # a profile id, or "*" for every profile whose path has `from`
    from_: Id = Field(alias="from")
    to: Id
    fraction: Fraction
    ratio: Quantity = Decimal(1)
    ramp: YearTable | None = None  # replaces the variant's ramp for this effect (CONTRACTS.md E)


class MoveClientsEffect(Strict):
    op: Literal["move_clients"]
    from_: Id = Field(alias="from")
    to: Id
    fraction: Fraction
    ramp: YearTable | None = None  # replaces the variant's ramp for this effect (CONTRACTS.md E)


class RefillEffect(Strict):
    op: Literal["refill"]
    party: Id
    rate: Quantity
    payer: Id | None = None
    ramp: YearTable | None = None  # replaces the variant's ramp for this effect (CONTRACTS.md E)


Effect = Annotated[
    SetEffect | ScaleEffect | ShiftEffect | MoveClientsEffect | RefillEffect,
    Field(discriminator="op"),
]

EFFECT_OPS = ("set", "scale", "shift", "move_clients", "refill")


class Variant(Strict):
    name: Name | None = None
    effects: list[Effect] = Field(default_factory=list)
    mechanisms: list[Mechanism] = Field(default_factory=list)


class WhatIf(Strict):
    name: Name | None = None
    effects: list[Effect] = Field(default_factory=list)


Metric = Literal[
    "revenue", "payments", "net", "delta", "delta_pct", "margin", "coverage", "gap", "payout", "repayment"
]


class Expectation(Strict):
    variant: Id
    party: Id | None = None
    function: Id | None = None
    payer: Id | None = None
    metric: Metric
    min: Number | None = None
    max: Number | None = None
    whatif: list[Id] = Field(default_factory=list)
    message: Prose | None = None

    @model_validator(mode="after")
    def _subject(self) -> Expectation:
        if self.min is None and self.max is None:
            raise PydanticCustomError("bounds", "give `min`, `max` or both")
        wanted = {"coverage": "function", "gap": "function", "payout": "payer", "repayment": "payer"}.get(
            self.metric, "party"
        )
        given = [k for k in ("party", "function", "payer") if getattr(self, k) is not None]
        if given != [wanted]:
            raise PydanticCustomError(
                "subject",
                "metric '{metric}' needs exactly `{wanted}`",
                {"metric": self.metric, "wanted": wanted},
            )
        return self


# ---------------------------------------------------------------- horizon (HORIZON.md §1)


class Investment(Strict):
    variant: Id
    party: Id
    year: Year
    amount: Money


class Horizon(Strict):
    """Several years: growth, indexation, adoption and ramp-up paths, one-off investments."""

    start: Year | None = None
    years: int = Field(ge=1, le=MAX_YEARS)
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
