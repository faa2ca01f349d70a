"""Checks on the total of several scenarios: a totals file (docs/cli.md, `check`).

A folder of regional scenarios adds up to a national picture (`compare FOLDER` prints the
total per party), but an `[[expect]]` in a scenario file checks that one file. A totals
file checks the sum. It is a TOML file without a `[scenario]` table:

    [totals]
    name = "Landelijke toetsing"            # optional; outputs name the file otherwise
    scenarios = ["regios"]                  # files or folders, relative to this file

    [[expect]]                              # as SCENARIO.md §7, on the summed figures
    variant = "mono"
    party = "zorgverzekeraar"
    metric = "payments"
    min = 1_349_000_000
    max = 1_649_000_000

Every scenario is computed on its own, exactly as `compare` does, and the figures are
summed per party (function, payer) as the `total` rows of `compare`: money is added,
`delta_pct` and `coverage` are recomputed from the sums. The scenarios must share the
baseline. `bekostiging check` evaluates a totals file given as an argument, and the
totals files in a folder it is given, after the scenarios' own checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bekostiging.findings import Finding, ScenarioError
from bekostiging.scenario.model import Expectation


class _Totals(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    scenarios: list[str] = Field(min_length=1)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    totals: _Totals
    expect: list[Expectation] = Field(min_length=1)


@dataclass(frozen=True)
class TotalsFile:
    """A parsed totals file: what it sums and what it expects of the sum."""

    path: Path
    label: str
    name: str
    scenarios: tuple[Path, ...]
    expect: tuple[Expectation, ...]


def is_totals_file(path: Path) -> bool:
    """A TOML file with a `[totals]` table and no `[scenario]` table."""
    from bekostiging.scenario.folders import is_totals
    from bekostiging.scenario.toml_files import read_toml

    data, _ = read_toml(path, str(path))
    return is_totals(data)


def load_totals(path: Path, label: str) -> TotalsFile:
    """Parse and validate a totals file; `ScenarioError` with every problem otherwise."""
    from bekostiging.scenario.errors import pydantic_findings
    from bekostiging.scenario.toml_files import read_toml

    raw, problems = read_toml(path, label)
    if raw is None:
        raise ScenarioError(problems)
    try:
        parsed = _File.model_validate(raw)
    except ValidationError as exc:
        found = pydantic_findings(exc, _File, raw, ())
        raise ScenarioError([Finding(label, f.path, f.message) for f in found]) from None
    findings = []
    scenarios = []
    first: dict[Path, int] = {}  # each file listed, at its first place
    for i, entry in enumerate(parsed.totals.scenarios):
        target = (path.parent / entry).resolve()
        if not target.exists():
            findings.append(Finding(label, f"totals.scenarios.{i}", f"{entry!r} does not exist"))
        elif target in first:  # counted once it would not add up; most likely another region was meant
            why = f"{entry!r} names the same file as totals.scenarios.{first[target]}"
            why += ": each file is counted once"
            findings.append(Finding(label, f"totals.scenarios.{i}", why))
        first.setdefault(target, i)
        scenarios.append(target)
    if findings:
        raise ScenarioError(findings)
    return TotalsFile(path, label, parsed.totals.name or label, tuple(scenarios), tuple(parsed.expect))


def evaluate_totals(
    totals: TotalsFile, scenarios: Sequence[Any], *, baseline: str | None = None
) -> list[Any]:
    """The outcome of every `[[expect]]` of the totals file on the summed figures of its
    `scenarios` (loaded by the caller, `api.check_totals`), in file order."""
    from bekostiging.engine.run import run
    from bekostiging.expectations import evaluate_expects
    from bekostiging.report.figures import figures
    from bekostiging.report.tables import combine

    def summed(variants: list[str], whatifs: tuple[str, ...]) -> tuple[_Summed, str]:
        parts, baselines, findings = [], set(), []
        for s in scenarios:
            try:
                result = run(s.model, variants=variants, baseline=baseline, whatifs=whatifs, file=s.file)
            except ScenarioError as exc:
                findings += exc.findings
                continue
            baselines.add(result.baseline)
            parts.append((s.name, figures(result)))
        if findings:
            raise ScenarioError(findings)
        if len(baselines) != 1:
            why = f"the scenarios have different baselines: {', '.join(sorted(baselines))}"
            raise ScenarioError([Finding(totals.label, "totals.scenarios", why)])
        return _Summed(combine(parts)), baselines.pop()

    return evaluate_expects(totals.expect, summed)


class _Summed:
    """The summed tables of several scenarios, read like one scenario's figures."""

    def __init__(self, combined: Any):
        self.combined = combined

    def table(self, name: str) -> Any:
        return self.combined.total(name)
