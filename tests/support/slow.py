"""What runs only in the slow set (`pytest -m slow`; `pytest` alone leaves it out).

The default run stays fast enough to run after every change; the slow set adds the long
fuzzing and the 71-region national example, and CI (`.ci/run`) runs both.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from bekostiging import examples


def budgets(quick: int, long: int) -> list:
    """Two runs of one property, as parameters: `quick` cases in the default run, `long`
    cases in the slow set."""
    return [pytest.param(quick, id="quick"), pytest.param(long, id="long", marks=pytest.mark.slow)]


def is_national(name: str) -> bool:
    """A folder of regional scenarios (71 regions): seconds per run instead of milliseconds."""
    return examples.path_of(name).is_dir()


def example_params(names: Iterable[str]) -> list:
    """Example names as parameters; the national ones marked slow."""
    return [pytest.param(n, marks=pytest.mark.slow) if is_national(n) else n for n in names]
