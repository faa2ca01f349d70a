"""The value types of scenario inputs, shared by the scenario model and the mechanisms.

Numbers are `Decimal` throughout: TOML integers and decimals only, finite, at most 10^12,
with at most `MAX_DECIMALS` decimals; the size is checked on the exponent before any
arithmetic, so a number the decimal context cannot hold (`1e1000000`) is refused like
any other that is too large.
The "at most 2 decimals" rule for money holds for what a user writes, not for what
effects derive (a scaled tariff may have more), so it is enforced only when the
validation context says `source=True`. Everything here is a leaf: it imports nothing of
the scenario or the engine, so both the model and every mechanism module can build on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from bekostiging.arithmetic import MAX_INPUT
from bekostiging.findings import describe
from bekostiging.money import decimal_places
from bekostiging.printable import has_control, printable

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ID_RULE = "lowercase letters, digits and _, starting with a letter"
_ID = re.compile(ID_PATTERN)

Id = Annotated[str, Field(pattern=ID_PATTERN)]
# A year has four digits, as the keys of a table by year (`{ 2026 = 0.5 }`); an integer of
# thousands of digits (`0xfff...`) would not even turn into text for a message.
Year = Annotated[int, Field(ge=1000, le=9999)]

# Decimals a number may have: far more than any measurement, and far fewer than would let
# a number sink below what the decimal context holds (`1e-1000000`). Every float's
# shortest form (`Decimal(repr(x))`, a draw) has fewer than 330.
MAX_DECIMALS = 1_000


def is_id(value: object) -> bool:
    """The whole text is an id. `fullmatch`: `re.match` with `$` lets `"ziekenhuis\n"` through."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


@dataclass(frozen=True)
class NoControls:
    """Text a person reads (a name, a unit, a message): no control characters, which would
    reach a terminal raw (ESC colours it or hides a link, a carriage return overwrites a
    line) and which XML cannot hold. `lines`: newline and tab are allowed (a message)."""

    lines: bool = False

    def __call__(self, value: str) -> str:
        found = has_control(value, self.lines)
        if found is not None:
            raise PydanticCustomError(
                "control_character",
                "may not contain a control character ({found}{but}), got '{text}'",
                {
                    "found": printable(found),
                    "but": "; line breaks and tabs may" if self.lines else "",
                    "text": printable(value),
                },
            )
        return value


Name = Annotated[str, AfterValidator(NoControls())]  # a name or a unit
Prose = Annotated[str, AfterValidator(NoControls(lines=True))]  # a check's message


def number(value: Any) -> Decimal:
    """Accept TOML integers and decimals only: no strings, booleans, inf or nan; finite, at
    most 10^12 in absolute value, with at most `MAX_DECIMALS` decimals.

    The size is read from the exponent before any arithmetic: even `abs()` of `1e1000000`
    overflows the decimal context.
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError(
            "not_a_number",
            "must be a number, got {got}{hint}",
            {"got": describe(value), "hint": number_hint(value)},
        )
    number = Decimal(value)  # exact, whatever its size: no context applies
    if not number.is_finite():
        raise PydanticCustomError("not_finite", "must be a finite number, got {got}", {"got": str(value)})
    if (number and number.adjusted() > 12) or number.copy_abs() > MAX_INPUT:
        raise PydanticCustomError(
            "too_large",
            "is too large: at most 10^12 in absolute value, got {got}",
            {"got": describe(number)},
        )
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise PydanticCustomError(
            "too_many_decimals",
            "has {count} decimals; a number has at most {limit}",
            {"count": f"{-exponent:,}", "limit": f"{MAX_DECIMALS:,}"},
        )
    return number


def in_range(value: Any) -> bool:
    """A number that `number` accepts: arithmetic on it cannot overflow. Code that computes
    on raw data before validation (years of a horizon) leaves other values to validation."""
    try:
        number(value)
    except PydanticCustomError:
        return False
    return True


_PLAIN = re.compile(r"[+-]?\d+(\.\d+)?")
_DUTCH = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?|[+-]?\d+,\d+")  # 1.234,56  65,50  4.800.000
_ENGLISH = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")  # 1,234.56  4,800,000


def number_hint(value: Any) -> str:
    """` (use a decimal point: 65.50)` for a number written as text, Dutch style or quoted."""
    if not isinstance(value, str):
        return ""
    text = value.strip().replace(" ", "").replace("_", "")
    if _PLAIN.fullmatch(text):
        return f" (write it without quotes: {text})"
    if _DUTCH.fullmatch(text):
        plain = text.replace(".", "").replace(",", ".")
        return (
            f" (use a decimal point: {plain})"
            if "," in text
            else f" (write it without thousands separators: {plain})"
        )
    if _ENGLISH.fullmatch(text):
        return f" (write it without thousands separators: {text.replace(',', '')})"
    return ""


def non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError("negative", "must be >= 0, got {got}", {"got": str(value)})
    return value


def money_decimals(value: Decimal, info: ValidationInfo) -> Decimal:
    if info.context and info.context.get("source") and decimal_places(value) > 2:
        raise PydanticCustomError(
            "money_decimals",
            "money has at most 2 decimals (whole cents), got {got}",
            {"got": str(value)},
        )
    return value


@dataclass(frozen=True)
class Range:
    """A closed (or right-open) interval rule; its bounds are data, so the JSON Schema shows them."""

    low: str
    high: str
    high_open: bool = False

    def __call__(self, value: Decimal) -> Decimal:
        lo, hi = Decimal(self.low), Decimal(self.high)
        if value < lo or value > hi or (self.high_open and value == hi):
            bracket = ")" if self.high_open else "]"
            raise PydanticCustomError(
                "out_of_range",
                "must lie in [{low}, {high}{bracket}, got {got}",
                {"low": self.low, "high": self.high, "bracket": bracket, "got": str(value)},
            )
        return value


@dataclass(frozen=True)
class AtLeast:
    """A lower bound only (`high` of a corridor is at least 1); data, so the JSON Schema shows it."""

    low: str
    why: str = ""

    def __call__(self, value: Decimal) -> Decimal:
        if value < Decimal(self.low):
            raise PydanticCustomError(
                "too_small",
                "must be >= {low}{why}, got {got}",
                {"low": self.low, "why": f" ({self.why})" if self.why else "", "got": str(value)},
            )
        return value


# Pydantic validates one number. In a simulation the engine's view of a scenario holds a
# value per draw in these fields (`Lanes`, placed by `scenario.drawn.with_draws` after
# every draw was validated), so to the engine (and a type checker) a number is an `Amount`.
if TYPE_CHECKING:
    from bekostiging.lanes import Amount
else:
    Amount = Decimal

Number = Annotated[Amount, BeforeValidator(number)]
Quantity = Annotated[Amount, BeforeValidator(number), AfterValidator(non_negative)]
Money = Annotated[
    Amount,
    BeforeValidator(number),
    AfterValidator(non_negative),
    AfterValidator(money_decimals),
]
Fraction = Annotated[Amount, BeforeValidator(number), AfterValidator(Range("0", "1"))]
FractionBelowOne = Annotated[Amount, BeforeValidator(number), AfterValidator(Range("0", "1", high_open=True))]


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)


def shares_table(value: Any) -> dict[str, Decimal]:
    """A `{party = share}` table whose shares are fractions that add up to exactly 1."""
    if not isinstance(value, dict):
        raise PydanticCustomError("not_a_table", "must be a table, got {got}", {"got": describe(value)})
    shares = {str(k): number(v) for k, v in value.items()}
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


def keyword_or_shares(*keywords: str):
    """A keyword (`"tariffs"`) or a share table; the JSON Schema lists the keywords as an enum."""

    def parse(value: Any) -> str | dict[str, Decimal]:
        if isinstance(value, str):
            if value in keywords:
                return value
            raise PydanticCustomError(
                "keyword",
                "must be {options} or a share table (party = share), got {got}",
                {"options": ", ".join(repr(k) for k in keywords), "got": repr(value)},
            )
        return shares_table(value)

    return BeforeValidator(parse, json_schema_input_type=Literal[keywords] | dict[str, Fraction])  # type: ignore[valid-type]
