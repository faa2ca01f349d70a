"""Fuzzing the loader and the CLI: whatever the file, exit 0 or 1 and never a traceback.

Inputs are random bytes, random text, and valid scenarios mutated line by line (lines
dropped, duplicated, truncated, numbers made negative, huge, tiny or text, keys
misspelt), their names any text (`strategies.any_text`: markup, control characters,
right-to-left, emoji). Names also go through every output, where each format must parse
and no control character may reach the terminal raw. Each test runs twice: a few cases in
the default run (`quick`), many in the slow set (`long`, `pytest -m slow`). A longer run
is one environment variable away:

    BEKOSTIGING_FUZZ_EXAMPLES=20000 python -m pytest -m slow tests/test_fuzz.py -q
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bekostiging import examples
from bekostiging.cli import app
from bekostiging.printable import has_control
from strategies import TOML_NUMBER, any_text, named_scenarios, names, scenarios, to_toml
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
            # a hand-picked bad value, or any number of the TOML grammar (exponents up to 10^10)
            lines[i] = line.split("=", 1)[0] + "= " + draw(st.one_of(REPLACEMENTS, TOML_NUMBER))
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
        named = data.draw(st.sampled_from([None, names(), any_text()]))
        text = data.draw(mutated(to_toml(data.draw(scenarios(names=named)))))
        path = tmp_path_factory.mktemp("fuzz") / "s.toml"
        path.write_text(text, encoding="utf-8")
        _run(path)

    check()


# ------------------------------------------------------------------ names through every output

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # never raw in an output


def _ok(*args: str | Path, codes: tuple[int, ...] = (0,)) -> str:
    """Run a command; its exit code one of `codes`, no traceback, no raw control character."""
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args} raised {result.exception!r}") from result.exception
    assert result.exit_code in codes, (args, result.exit_code, result.stderr[-2000:])
    assert not RAW_CONTROL.search(result.stdout + result.stderr), (args, result.stdout[-2000:])
    return result.stdout


def _refused(data: dict) -> bool:
    """Whether a name (or a check's message: lines allowed) holds a control character."""
    found = [data["scenario"]["name"]]
    for table in ("parties", "activities", "profiles", "availability", "variants", "whatif"):
        found += [e[k] for e in data[table].values() for k in ("name", "unit") if k in e]
    messages = [e["message"] for e in data["expect"] if "message" in e]
    return any(has_control(n) for n in found) or any(has_control(m, lines=True) for m in messages)


@pytest.mark.parametrize(
    "cases", budgets(quick=8, long=int(os.environ.get("BEKOSTIGING_FUZZ_EXAMPLES", "150")))
)
def test_names_through_every_output(cases, tmp_path_factory):
    """Any text as every name (the scenario, parties, activities and units, profiles,
    functions, variants, what-ifs, checks' messages): a name with a control character is
    refused with its path; any other is shown by every command, and every output parses."""

    @fuzz(cases)
    @given(data=st.one_of(named_scenarios(names()), named_scenarios(any_text())))
    def check(data):
        folder = tmp_path_factory.mktemp("names")
        path = folder / "s.toml"
        path.write_text(to_toml(data), encoding="utf-8")
        event("a name refused" if _refused(data) else "names shown")
        if _refused(data):
            stderr = runner.invoke(app, ["validate", str(path)]).stderr
            _ok("validate", path, codes=(1,))
            assert "control character" in stderr
            return
        _ok("validate", path)
        provider = data["activities"]["act0"]["provider"]
        for args in (
            [],
            ["--by", "component"],
            ["--by", "profile"],
            ["--table", "ledger"],
            ["--attribution", "--table", "attribution"],
            ["-w", "meer"],
        ):
            _ok("compare", path, *args)
        document = json.loads(_ok("compare", path, "-f", "json"))
        assert {p["id"]: p["name"] for p in document["parties"]} == {
            k: v.get("name") or k for k, v in data["parties"].items()
        }
        rows = list(csv.reader(io.StringIO(_ok("compare", path, "-f", "csv", "--table", "components"))))
        assert len({len(r) for r in rows}) == 1
        _ok("compare", path, "-f", "xlsx", "-o", folder / "s.xlsx")
        _ok("explain", path, "-v", "variant0", "-p", provider)
        _ok("explain", path, "-v", "variant0", "-p", provider, "--table", "flows")
        _ok("check", path, "--junit", folder / "junit.xml", codes=(0, 1))
        ET.parse(folder / "junit.xml")
        _ok("simulate", path, "--draws", "20")
        _ok("sensitivity", path, "-v", "variant0", "-p", provider)
        _ok("report", path, "-o", folder / "r.html")
        page = (folder / "r.html").read_text(encoding="utf-8")
        assert not RAW_CONTROL.search(page)
        HTMLParser().feed(page)
        for svg in re.findall(r"<svg\b.*?</svg>", page, flags=re.S):
            ET.fromstring(svg)
        _ok("report", path, "--chart", "saldo", "-o", folder / "c.svg")
        ET.parse(folder / "c.svg")

    check()
