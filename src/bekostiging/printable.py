"""Text from a file or the command line as it may reach a terminal, a log or a document.

A control character (C0, DEL and C1: ESC, BEL, a carriage return, CSI `\\x9b`, ...) in a
name, a key, a file name or a claim code would otherwise reach the terminal raw: colours,
a cleared screen, a hidden hyperlink, a line overwritten; and XML 1.0 (SVG, the HTML
report read as XML) cannot hold C0 controls at all. Every text output shows such a
character as its escape, `\\x1b`, so the reader sees that it is there and what it is.

Names cannot hold control characters (validation refuses them); these functions are the
defence for everything else that is shown: keys, paths, file names, messages, claim codes.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # C0, DEL, C1
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and newline


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match[0]):02x}"


def printable(text: str) -> str:
    """`text` with every control character shown as its escape (`\\x1b`, `\\x0a`): one line."""
    return CONTROL.sub(_escape, text)


def printable_lines(text: str) -> str:
    """`text` with every control character but newline and tab shown as its escape: for
    text of several lines (a report, a check's message)."""
    return _CONTROL_BUT_LINES.sub(_escape, text)


def has_control(text: str, lines: bool = False) -> str | None:
    """The first control character in `text` (not counting newline and tab when `lines`),
    or None."""
    found = (_CONTROL_BUT_LINES if lines else CONTROL).search(text)
    return found[0] if found else None
