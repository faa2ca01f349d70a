"""Fuzzing the loader and the CLI: whatever the file, exit 0 or 1 and never a traceback.

Inputs are random bytes, random text, and valid scenarios mutated line by line (lines
dropped, duplicated, truncated, numbers made negative, huge, tiny or text, keys
misspelt). Each test runs twice: a few cases in the default run (`quick`), many in the slow
set (`long`, `pytest -m slow`). A longer run is one environment variable away:

    BEKOSTIGING_FUZZ_EXAMPLES=20000 python -m pytest -m slow tests/test_fuzz.py -q
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bekostiging import examples
from bekostiging.cli import app
from strategies import scenarios, to_toml
from support.slow import budgets

CASES = budgets(quick=15, long=int(os.environ.get("BEKOSTIGING_FUZZ_EXAMPLES", "150")))
DEFAULT_TEXT = examples.path_of(examples.DEFAULT).read_text(encoding="utf-8")
runner = CliRunner()

REPLACEMENTS = st.sampled_from(
    [
        "-1",
        "0",
        "1e400",
        "-1e400",
        "1e-400",
        "99999999999999999999999999",
        "0.001",
        '"tekst"',
        "true",
        "[]",
        "{}",
        "inf",
        "nan",
        '"budget_neutral"',
        '"*"',
        '"profiles.*.path.*"',
        "[1, 2]",
        "{ a = 1 }",
    ]
)


def fuzz(cases: int) -> settings:
    return settings(
        max_examples=cases,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _run(path: Path, *args: str) -> None:
    for command in (["validate", str(path)], ["compare", str(path), "-f", "json", *args]):
        result = runner.invoke(app, command, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{command} raised {result.exception!r}") from result.exception
        assert result.exit_code in (0, 1), (command, result.exit_code, result.output[-2000:])
        assert "Traceback" not in result.output


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """A scenario text with a few lines changed."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "truncate", "value", "key", "swap"]))
        line = lines[i]
        if action == "drop":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, line)
        elif action == "truncate":
            lines[i] = line[: draw(st.integers(0, max(len(line) - 1, 0)))]
        elif action == "value" and "=" in line:
            lines[i] = line.split("=", 1)[0] + "= " + draw(REPLACEMENTS)
        elif action == "key" and "=" in line:
            key, rest = line.split("=", 1)
            lines[i] = key.rstrip() + draw(st.sampled_from(["x", "_", "S", ""])) + " =" + rest
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("cases", CASES)
def test_random_bytes(cases, tmp_path_factory):
    @fuzz(cases)
    @given(data=st.binary(max_size=2000))
    def check(data):
        path = tmp_path_factory.mktemp("fuzz") / "s.toml"
        path.write_bytes(data)
        _run(path)

    check()


@pytest.mark.parametrize("cases", CASES)
def test_random_text(cases, tmp_path_factory):
    @fuzz(cases)
    @given(text=st.text(max_size=500))
    def check(text):
        path = tmp_path_factory.mktemp("fuzz") / "s.toml"
        path.write_text(text, encoding="utf-8")
        _run(path)

    check()


@pytest.mark.parametrize("cases", CASES)
def test_mutated_default_example(cases, tmp_path_factory):
    @fuzz(cases)
    @given(text=mutated(DEFAULT_TEXT))
    def check(text):
        folder = tmp_path_factory.mktemp("fuzz")
        (folder / "examples" / "x").mkdir(parents=True)
        config = examples.data_root() / "configs"
        (folder / "configs").symlink_to(config, target_is_directory=True)
        path = folder / "examples" / "x" / "scenario.toml"
        path.write_text(text, encoding="utf-8")
        _run(path, "-w", "verplaatsing")

    check()


@pytest.mark.parametrize("cases", CASES)
def test_mutated_generated_scenarios(cases, tmp_path_factory):
    @fuzz(cases)
    @given(data=st.data())
    def check(data):
        text = data.draw(mutated(to_toml(data.draw(scenarios()))))
        path = tmp_path_factory.mktemp("fuzz") / "s.toml"
        path.write_text(text, encoding="utf-8")
        _run(path)

    check()
