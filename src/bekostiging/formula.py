"""How numbers are written in the formulas `explain` shows: plain, exact, never rounded.

Formulas are for audit, not for display: `€ 1863.97`, `0.725`, no thousands separators
and no locale, so a reader can recompute every step. (Tables for people use the report's
euro formatter instead.)
"""

from __future__ import annotations

from decimal import Decimal


def q(value: Decimal | int) -> str:
    """A number for a formula: plain decimal notation, no exponent, no trailing zeros."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def eur(value: Decimal | int, *, from_cents: bool = False) -> str:
    amount = Decimal(value) / 100 if from_cents else Decimal(value)
    return f"€ {amount:.2f}" if amount == amount.quantize(Decimal("0.01")) else f"€ {q(amount)}"
