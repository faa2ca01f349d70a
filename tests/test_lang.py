"""One language and one number format per `--lang` (issue 16, item 12), and one spelling
of the error prefix on stderr (`error:`, CLI.md).

A Dutch text holds no English words of the catalogue and no amount written the English
way; an English text holds no Dutch words. The checks run the commands on the embedded
examples, so a formula, reason or label added later without a translation is caught.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import invoke

SRC = Path(__file__).resolve().parents[1] / "src" / "bekostiging"

# ------------------------------------------------------------------ error: on stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("compare", "--bogus"), "error: No such option: --bogus"),
        (("check",), "error: Missing argument 'scenarios'."),
        (("compare", "--lang", "xx"), "error: Invalid value for '--lang'"),
        (("explain", "--variant", "mono"), "error: Missing option '--party'"),
    ],
)
def test_wrong_use_says_error_like_every_other_error(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Error" not in result.stderr and "╭" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("Usage: bekostiging ")


def test_no_capitalised_error_prefix_in_the_command_line_code():
    """Every message the CLI writes itself uses `error:` (the library's findings do too)."""
    for path in [*SRC.joinpath("cli").glob("*.py"), SRC / "findings.py"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""["'`]Error[: ]""", text), path.name
