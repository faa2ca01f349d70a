"""The library's front door: load a scenario, compute it, sum it up.

The CLI is a thin layer over these functions; scripts and notebooks can call them too:

    >>> from bekostiging.api import compare
    >>> out = compare("examples/geboortezorg-regio/scenario.toml")
    >>> out.figures.results  # a polars DataFrame, money in cents
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bekostiging.engine.run import Run, run
from bekostiging.report.figures import Figures, figures
from bekostiging.report.render import Meta
from bekostiging.scenario.load import load_scenario
from bekostiging.scenario.model import Scenario
from bekostiging.scenario.toml_files import SourceTree


@dataclass
class Comparison:
    scenario: Scenario
    tree: SourceTree
    run: Run
    figures: Figures
    meta: Meta


def compare(
    path: Path | str,
    *,
    variants: Sequence[str] | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
) -> Comparison:
    """Compute every (or the chosen) variant of a scenario file; raises `ScenarioError`."""
    scenario, tree = load_scenario(path)
    result = run(scenario, variants=variants, baseline=baseline, whatifs=whatifs, file=tree.main)
    meta = Meta(
        scenario_name=scenario.scenario.name,
        scenario_file=tree.main,
        inputs=tree.sha256(),
        baseline=result.baseline,
        whatifs=list(whatifs),
        variants=[{"id": v, "name": r.name} for v, r in result.variants.items()],
        parties=[{"id": k, "name": p.name or k, "role": p.role} for k, p in scenario.parties.items()],
    )
    return Comparison(scenario, tree, result, figures(result), meta)
