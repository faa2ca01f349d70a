"""Problems as data with a location, reported all at once (beancount's way).

Loading never stops at the first problem: each check returns `Finding`s, the loader
gathers them, and only the CLI decides to print them and exit 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bekostiging.printable import printable


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        """One line: a control character (from a key, a file name, a value) shows as `\\x1b`."""
        where = f"{self.file}: {self.path}" if self.path else self.file
        return printable(f"error: {where}: {self.message}")


class ScenarioError(Exception):
    """Raised by the library when inputs are invalid; carries every finding."""

    def __init__(self, findings: Iterable[Finding]):
        self.findings = list(dict.fromkeys(findings))  # keep order, drop exact repeats
        super().__init__("\n".join(str(f) for f in self.findings))


# "Did you mean" compares a name with every candidate (difflib): bounded, so that a file
# of thousands of unknown names over thousands of ids stays quick (SECURITY.md).
CUTOFF = 0.6  # how close a suggestion must be (difflib's ratio)
MAX_CANDIDATES = 500  # compared per name: a larger list is narrowed to the same first letter, then by length
MAX_SUGGESTIONS = 100  # names one run searches a suggestion for; the names after that get none
_left: ContextVar[list[int] | None] = ContextVar("suggestions_left", default=None)


@contextmanager
def suggestion_budget(limit: int | None = None) -> Iterator[None]:
    """Within this block (one run: loading a scenario) at most `limit` (default
    `MAX_SUGGESTIONS`) names get a suggestion searched; the first name after that says so."""
    token = _left.set([MAX_SUGGESTIONS if limit is None else limit])
    try:
        yield
    finally:
        _left.reset(token)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest candidate, or '' when none is close."""
    left = _left.get()
    if left is not None:
        left[0] -= 1
        if left[0] < 0:
            return " (no more suggestions: too many unknown names)" if left[0] == -1 else ""
    close = closest(name, candidates)
    return f" (did you mean '{close}'?)" if close is not None else ""


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `name` (difflib, over the bounded `_near` list), or None
    when none is close enough: the one search every "did you mean" uses."""
    close = difflib.get_close_matches(name, _near(name, candidates), n=1, cutoff=CUTOFF)
    return close[0] if close else None


def _near(name: str, candidates: Iterable[str]) -> list[str]:
    """The candidates that can be close to `name`, at most `MAX_CANDIDATES`, sorted.

    A ratio of at least `CUTOFF` needs lengths within a factor (difflib's
    `real_quick_ratio`), so leaving the others out changes no suggestion; a larger list
    keeps those with `name`'s first letter, then those nearest in length.
    """
    size = len(name)
    near = sorted(c for c in set(candidates) if _length_ratio(size, len(c)) >= CUTOFF)
    if len(near) > MAX_CANDIDATES:
        near = [c for c in near if c[:1] == name[:1]] or near
    if len(near) > MAX_CANDIDATES:
        near = sorted(sorted(near, key=lambda c: abs(len(c) - size))[:MAX_CANDIDATES])
    return near


def _length_ratio(a: int, b: int) -> float:
    """The best ratio two texts of these lengths can have (as difflib computes it)."""
    return 2.0 * min(a, b) / (a + b) if a + b else 1.0


def unknown(kind: str, name: str, candidates: Iterable[str]) -> str:
    """The message for a reference to something that is not defined."""
    candidates = list(candidates)
    hint = did_you_mean(name, candidates)
    if not hint and candidates and len(candidates) <= 8:
        hint = f" (defined: {', '.join(sorted(candidates))})"
    return f"unknown {kind} '{name}'{hint}"


def choose_from(kind: str, name: str, candidates: Iterable[str]) -> str:
    """The message for an option naming something the scenario does not have (`--variant
    x`): the closest name, and every choice in the scenario's order."""
    candidates = list(candidates)
    listing = ", ".join(candidates) if candidates else "(none)"
    return f"unknown {kind} '{name}'{did_you_mean(name, candidates)}; choose from {listing}"


def describe(value: Any) -> str:
    """A value as a message quotes it: `the text 'x'`, `the boolean true`, `a table`, `1.5`.

    Says what kind of value was found, so "must be a number, got the text '12'" explains
    itself; numbers are shown as written, never as Python's `Decimal('1.5')`.
    """
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | Decimal):
        return shown_number(value)
    return repr(value)


def shown_number(value: int | Decimal) -> str:
    """A number as written (`1.50`, `1E+1000000`); one too long to quote (thousands of
    digits, which Python will not even turn into text as an int) in short: `1.000000E+5000`."""
    if isinstance(value, int) and value.bit_length() <= 128:
        return str(value)
    if isinstance(value, Decimal) and len(text := str(value)) <= 50:
        return text
    return f"{Decimal(value):.6E}"  # exact conversion, then rounded to 7 digits for the message


class OptionError(ValueError):
    """An argument that does not fit the scenario or the result: a year outside the
    horizon, a table the result does not have. The CLI exits 2 (wrong use), and finds
    these before it computes anything where it can. (Here, beside `ScenarioError`, so
    that every layer can raise it; `bekostiging.results` and the API export it.)"""
