"""The exact arithmetic every money computation shares: one decimal context, the limits.

A leaf below `money` and `lanes`, so that both (one number, and one number per draw) do
their arithmetic in the same 60-digit, half-to-even context and refuse the same
magnitudes, without importing each other.
"""

from __future__ import annotations

import decimal
from contextlib import AbstractContextManager
from decimal import ROUND_HALF_EVEN, Decimal

# Enough digits that no product of inputs is ever rounded before the cent rounding.
CONTEXT = decimal.Context(prec=60, rounding=ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])

ZERO = Decimal(0)
ONE = Decimal(1)

# Limits that keep every sum far inside a 64-bit integer of cents (9.2e16 euros): one
# input number at most 10^12, one variant's gross money at most EUR 10^12 (Dutch health
# care spends about 10^11 a year), one flow at most EUR 10^15 before that check.
MAX_INPUT = Decimal(10) ** 12
MAX_FLOW = Decimal(10) ** 15
MAX_LEDGER_CENTS = 10**14


class MoneyOverflow(ArithmeticError):
    """An amount beyond what the tool represents; a sign of inputs off by orders of magnitude."""


# The precision of the engine's arithmetic. Operators (`a + b`) use the thread's decimal
# context, so the engine runs inside `exact()`; the default's 28 digits could round a
# long sum of products before its cent rounding.
PRECISION = 60


def exact() -> AbstractContextManager[decimal.Context]:
    """The decimal context for a computation: 60 digits, half-to-even, the default traps."""
    return decimal.localcontext(prec=PRECISION, rounding=ROUND_HALF_EVEN)
