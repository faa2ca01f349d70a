"""Numbers as people read them: the one euro formatter, percentages and fractions, nl and en.

`€ 1.234.567,89` and `€ -1.234,50` in Dutch, `€1,234,567.89` and `-€0.05` in English.
Figures are stored as scaled integers (`figures.SCALES`); `scaled` turns one into the exact
`Decimal` it stands for, and the text is made from that `Decimal`, never from a float.

A euro amount is never rounded here: cents in, the same cents out. An amount with more
decimals than asked for is refused (a figure that would print rounded is a bug upstream);
`places` shows more of them when a value really has them (a check's bound). Fractions
(coverage, a chance) are shown in percent with one decimal, as a summary.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bekostiging.report.figures import MONEY, SCALES

MONEY_COLUMNS = frozenset({*MONEY, "npv_delta", "npv_margin_delta"})
FRACTION_COLUMNS = frozenset({"coverage", "savings_rate"})
NUMBER_COLUMNS = MONEY_COLUMNS | FRACTION_COLUMNS | {"delta_pct"}
EMPTY = "–"  # a figure that does not exist (no cost, no base to compare with)


def scaled(value: int | None, column: str) -> Decimal | None:
    """A stored integer as the exact decimal it stands for (cents -> euros)."""
    if value is None:
        return None
    places = SCALES.get(column, 0)
    return Decimal(value).scaleb(-places) if places else Decimal(value)


def euros(cents: int | None) -> Decimal | None:
    """Whole cents as exact euros."""
    return scaled(cents, "amount")


def number(value: Decimal, places: int, lang: str) -> str:
    """`1234567.891` -> `1.234.567,89` (nl) or `1,234,567.89` (en), half-even at `places`."""
    text = f"{value:,.{places}f}"
    if lang == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def euro(value: Decimal | None, lang: str, *, places: int = 2) -> str:
    """An exact amount: `€ -1.234,50` (nl), `-€1,234.50` (en). Raises `ValueError` rather
    than round away a decimal the amount has."""
    if value is None:
        return EMPTY
    if not _fits(value, places):
        raise ValueError(f"{value} has more than {places} decimals: a euro amount is never rounded")
    text = number(value, places, lang)
    if lang == "nl":
        return f"€ {text}"
    return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"


def percent(value: Decimal | None, lang: str, *, fraction: bool = False, places: int | None = None) -> str:
    """A percentage (`delta_pct`: `-5,25%`), or a fraction shown in percent (`0.9512`: `95,1%`)."""
    if value is None:
        return EMPTY
    if fraction:
        return f"{number(value * 100, 1 if places is None else places, lang)}%"
    return f"{number(value, 2 if places is None else places, lang)}%"


def compact(value: int | float | Decimal, lang: str, places: int | None = None) -> str:
    """A short amount for axes and labels: `€ 21,6 mln`, `€ 1,5 mld`, `€ 250.000` (nl);
    `€21.6m`, `€1.5bn`, `€250,000` (en). `places=None` shows as many decimals as the
    value has, up to two (tick values are round)."""
    amount = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    suffix = ""
    for size, nl, en in ((Decimal(10) ** 9, "mld", "bn"), (Decimal(10) ** 6, "mln", "m")):
        if abs(amount) >= size:
            amount, suffix = amount / size, (f" {nl}" if lang == "nl" else en)
            break
    if places is None:
        exponent = amount.normalize().as_tuple().exponent
        places = min(max(-exponent, 0), 2) if isinstance(exponent, int) else 0
    text = number(amount, places, lang)
    if lang == "nl":
        return f"€ {text}{suffix}"
    return f"-€{text[1:]}{suffix}" if text.startswith("-") else f"€{text}{suffix}"


def cell(value: Any, column: str, lang: str) -> str:
    """One stored value of a figures table as a person reads it, by its column."""
    from bekostiging.report import i18n

    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return i18n.labels(lang).words["yes" if value else "no"]
    if column in MONEY_COLUMNS:
        return euro(scaled(value, column), lang)
    if column == "delta_pct":
        return percent(scaled(value, column), lang)
    if column in FRACTION_COLUMNS:
        return percent(scaled(value, column), lang, fraction=True)
    if column == "role":
        return i18n.labels(lang).roles.get(value, value)
    if column == "component":
        return i18n.labels(lang).components.get(value, value)
    return str(value)


def _fits(value: Decimal, places: int) -> bool:
    """Whether `value` has at most `places` decimals (trailing zeros do not count)."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= -places:
        return True
    shifted = value.scaleb(places)
    return shifted == shifted.to_integral_value()
