"""bekostiging: what does each funding variant do to every party's money?

The public API (documented in docs/api.md), loaded on first use so that `import
bekostiging` and `bekostiging --help` stay fast:

    >>> import bekostiging as bk
    >>> s = bk.load("geboortezorg-regio")
    >>> r = bk.compare(s, year=2025)
    >>> r.results.filter(variant="mono", party="ziekenhuis")["net"].item()
    Decimal('10864587.50')

`load`/`loads` read a scenario, `compare`, `simulate`, `sensitivity`, `explain` and
`check` compute it into a result of named tables (money as `Decimal` euros), and `render`
writes a result exactly as the CLI does. The CLI (`bekostiging.cli`) calls only these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bekostiging.version import __version__

__all__ = [
    "CalibrationReport",
    "Checks",
    "Comparison",
    "Comparisons",
    "Difference",
    "Finding",
    "Journey",
    "OptionError",
    "OutputUnavailable",
    "RegionComparisons",
    "Result",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "Simulation",
    "Solution",
    "Trace",
    "__version__",
    "calibrate",
    "check",
    "compare",
    "diff",
    "explain",
    "frontier",
    "journey",
    "load",
    "loads",
    "render",
    "report",
    "sensitivity",
    "simulate",
    "solve",
]

if TYPE_CHECKING:
    from bekostiging.api import (
        CalibrationReport,
        Checks,
        Comparison,
        Comparisons,
        Difference,
        Finding,
        Journey,
        OptionError,
        OutputUnavailable,
        RegionComparisons,
        Result,
        Scenario,
        ScenarioError,
        Sensitivity,
        Simulation,
        Solution,
        Trace,
        calibrate,
        check,
        compare,
        diff,
        explain,
        frontier,
        journey,
        load,
        loads,
        render,
        report,
        sensitivity,
        simulate,
        solve,
    )


def __getattr__(name: str) -> Any:
    """The API's names, imported from `bekostiging.api` when first used (PEP 562)."""
    if name in __all__:
        from bekostiging import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'bekostiging' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
