"""Problems as data with a location, reported all at once (beancount's way).

Loading never stops at the first problem: each check returns `Finding`s, the loader
gathers them, and only the CLI decides to print them and exit 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
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


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest candidate, or '' when none is close."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


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
        return str(value)
    return repr(value)
