"""Shared test helpers: scenarios as TOML snippets, run through the real CLI.

Tests talk to the contract (CLI.md's JSON/CSV and exit codes) where they can, so that
they keep meaning the same thing however the engine is built inside.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bekostiging.cli import app

runner = CliRunner()


def invoke(*args: str | Path) -> Any:
    """Run the CLI in-process; returns typer's Result (exit_code, stdout, stderr)."""
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _default_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables written to a pipe are as wide as `COLUMNS` says when it is set: tests (and the
    output blocks in the docs) see the default width, whatever the shell exports."""
    monkeypatch.delenv("COLUMNS", raising=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def scenario(tmp_path: Path) -> Callable[..., Path]:
    """`scenario(text, name="scenario.toml")` writes a dedented TOML file, returns its path."""

    def make(text: str, name: str = "scenario.toml") -> Path:
        return write(tmp_path / name, text)

    return make


@pytest.fixture
def compute(scenario: Callable[..., Path]) -> Callable[..., dict[str, Any]]:
    """`compute(text, *cli_args)` -> the parsed `compare --format json` output (Decimals)."""

    def run(text: str, *args: str) -> dict[str, Any]:
        path = scenario(text)
        result = invoke("compare", path, "--format", "json", *args)
        assert result.exit_code == 0, result.stderr or result.stdout
        return json.loads(result.stdout, parse_float=Decimal)

    return run


def row(table: list[dict[str, Any]], **keys: Any) -> dict[str, Any]:
    """The one row of a JSON table whose fields equal `keys`."""
    found = [r for r in table if all(r.get(k) == v for k, v in keys.items())]
    assert len(found) == 1, f"expected one row for {keys}, found {len(found)}"
    return found[0]


def money(value: str | int) -> Decimal:
    return Decimal(str(value))


def one_year_default(folder: Path) -> Path:
    """The embedded default example written to `folder`, without its [horizon] and
    [uncertainty] (the last sections of the file): the same region, one year, 2024 prices.

    What only a horizon allows goes too: an effect's own `ramp` (every effect in full),
    a value by year (its first year's), a capitation's `population_growth`."""
    import re

    from bekostiging.starter import init_example

    path = init_example(folder)[0]
    text = path.read_text(encoding="utf-8")
    one_year, found, _ = text.partition("\n[horizon]\n")
    assert found and "\n[uncertainty]\n" not in one_year, "the example's [horizon] should come last"
    one_year = re.sub(r", ramp = \{[^}]*\}", "", one_year)
    one_year = re.sub(r"value = \{ 2025 = ([\d_.]+)[^}]*\}", r"value = \1", one_year)
    one_year = re.sub(r"(?m)^population_growth = .*\n", "", one_year)
    path.write_text(one_year, encoding="utf-8")
    return path
