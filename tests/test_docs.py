"""Docs as tests: output samples are the real output, commands and mechanisms are documented.

Output blocks in Markdown files look like

    <!-- output: bekostiging compare --table totals -->
    ```text
    ...
    ```
    <!-- end output -->

and are checked against the tool on every run. `BEKOSTIGING_UPDATE_DOCS=1` rewrites them.
"""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from bekostiging.cli import app
from bekostiging.scenario.model import EFFECT_OPS, MECHANISM_TYPES, Effect, Mechanism
from conftest import invoke
from support.slow import is_national

ROOT = Path(__file__).resolve().parents[1]
MARKDOWN = [
    ROOT / "README.md",
    *[
        pytest.param(path, marks=pytest.mark.slow) if is_national(path.parent.name) else path
        for path in sorted((ROOT / "examples").glob("*/README.md"))
    ],
]
BLOCK = re.compile(
    r"<!-- output: (?P<command>[^>]+?) -->\n(?:```text\n(?P<body>.*?)```\n<!-- end output -->\n)?",
    re.DOTALL,
)
UPDATE = os.environ.get("BEKOSTIGING_UPDATE_DOCS") == "1"


def _output(command: str) -> str:
    args = shlex.split(command)
    assert args[0] == "bekostiging"
    result = invoke(*args[1:])
    assert result.exit_code == 0, result.stderr
    return "".join(line.rstrip() + "\n" for line in result.stdout.splitlines())


def _regenerate(text: str) -> str:
    def block(match: re.Match) -> str:
        command = match["command"]
        return f"<!-- output: {command} -->\n```text\n{_output(command)}```\n<!-- end output -->\n"

    return BLOCK.sub(block, text)


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_output_blocks_are_the_real_output(path: Path, monkeypatch):
    monkeypatch.chdir(ROOT)  # commands in the docs use paths relative to the repository
    text = path.read_text(encoding="utf-8")
    fresh = _regenerate(text)
    if UPDATE and fresh != text:
        path.write_text(fresh, encoding="utf-8")
        return
    assert fresh == text, (
        f"{path.name}: output blocks are stale; run BEKOSTIGING_UPDATE_DOCS=1 pytest {__file__}"
    )


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(python3 -m venv .*?)\n```", readme)
    assert len(commands) >= 2, "the README must show the install+run and install+test commands"
    run, test = commands[0], commands[1]
    assert run.endswith("bekostiging compare")
    assert "pytest" in test
    assert test in ci.splitlines(), ".ci/run must run the README's test command verbatim"
    assert ".venv/bin/python -m pytest -m slow" in ci.splitlines(), ".ci/run runs the slow set"
    assert ".venv/bin/lint-imports" in ci.splitlines() and ".venv/bin/vulture" in ci.splitlines()


def _commands() -> dict:
    import typer

    return typer.main.get_command(app).commands


def test_every_command_is_in_the_readme_and_the_reference():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert _commands()
    for name in _commands():
        assert f"`bekostiging {name}" in readme, name
        assert f"## `bekostiging {name}" in reference, name


def test_every_option_of_every_command_is_in_the_reference():
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", reference, flags=re.MULTILINE)
    for name, command in _commands().items():
        section = next(s for s in sections if s.startswith(f"`bekostiging {name}"))
        for param in command.params:
            if param.param_type_name == "option":
                for flag in param.opts:
                    assert f"`{flag}" in section or f", `{flag}" in section, f"{name} {flag}"


def test_every_mechanism_and_effect_has_a_section():
    guide = (ROOT / "docs" / "mechanisms.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,3} (.+)$", guide, re.MULTILINE))
    for name in ("fee-for-service", *MECHANISM_TYPES):
        assert name in headings, name
    for op in EFFECT_OPS:
        assert op in headings, op


def test_toml_examples_in_the_docs_are_valid():
    mechanisms, effects = TypeAdapter(Mechanism), TypeAdapter(Effect)
    for path in (ROOT / "docs" / "mechanisms.md", ROOT / "README.md"):
        blocks = re.findall(r"```toml\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)
        assert blocks
        for block in blocks:
            data = tomllib.loads(block, parse_float=Decimal)
            for section in ("variants", "whatif"):
                for entry in data.get(section, {}).values():
                    for m in entry.get("mechanisms", []):
                        mechanisms.validate_python(m, context={"source": True})
                    for e in entry.get("effects", []):
                        effects.validate_python(e)
