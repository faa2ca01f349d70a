"""TOML (+ includes) -> a validated `Scenario`, or every problem at once.

Each entry of each table is validated on its own, so one broken activity does not hide
the problems of the others; then the cross-reference checks in `checks.CHECKS` run over
what did validate. `load_scenario` raises `ScenarioError` with all findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from bekostiging.findings import Finding, ScenarioError, did_you_mean, suggestion_budget
from bekostiging.scenario.errors import pydantic_findings
from bekostiging.scenario.limits import check_sizes
from bekostiging.scenario.model import (
    Activity,
    AvailabilityFunction,
    Expectation,
    Horizon,
    Party,
    Profile,
    Scenario,
    ScenarioMeta,
    Uncertainty,
    Variant,
    WhatIf,
)
from bekostiging.scenario.toml_files import SourceTree, load_tree

if TYPE_CHECKING:
    from bekostiging.scenario.effects import Applied

SECTIONS: dict[str, type[BaseModel]] = {
    "parties": Party,
    "activities": Activity,
    "profiles": Profile,
    "availability": AvailabilityFunction,
    "variants": Variant,
    "whatif": WhatIf,
}
LATER: dict[str, str] = {}  # tables of a later version, with the message that says so
TOP_LEVEL = ("scenario", *SECTIONS, "expect", "horizon", "uncertainty")

_ADAPTERS = {
    model: TypeAdapter(model)
    for model in (*SECTIONS.values(), ScenarioMeta, Expectation, Horizon, Uncertainty)
}


def load_scenario(
    path: Path | str, overrides: list[str] | tuple[str, ...] = ()
) -> tuple[Scenario, SourceTree]:
    """Load and validate a scenario file; raise `ScenarioError` with every finding.

    `overrides` are `PATH=VALUE` texts (`--set`), applied before validation.
    """
    tree = load_tree(Path(path))
    if tree.findings and not tree.data:
        raise ScenarioError(tree.findings)
    if overrides:
        from bekostiging.scenario.overrides import apply_overrides

        apply_overrides(tree, list(overrides))
    scenario = validate_tree(tree)
    if tree.findings:
        raise ScenarioError(tree.findings)
    assert scenario is not None
    return scenario, tree


def validate_tree(tree: SourceTree, keep: dict[str, Applied] | None = None) -> Scenario | None:
    """Validate the merged data; append findings to `tree.findings`. At most
    `MAX_SUGGESTIONS` unknown names get a "did you mean" (findings.py). `keep` gets each
    variant's effects applied, as the check applied them (`checks.dry_run_effects`)."""
    with suggestion_budget():
        return _validate_tree(tree, keep)


def _validate_tree(tree: SourceTree, keep: dict[str, Applied] | None = None) -> Scenario | None:
    from bekostiging.scenario.checks import run_checks

    data = tree.data
    findings = tree.findings
    context = {"source": True}

    too_large = check_sizes(data, tree.file_of)
    if too_large:  # don't spend time and memory validating what we will not compute
        findings.extend(too_large)
        return None

    horizon, data = _horizon(tree, data)

    for key in data:
        if key in LATER:
            findings.append(Finding(tree.file_of((key,)), key, LATER[key]))
        elif key not in TOP_LEVEL:
            findings.append(
                Finding(
                    tree.file_of((key,)),
                    key,
                    f"unknown table '{key}'{did_you_mean(key, TOP_LEVEL)}",
                )
            )

    meta = None
    if "scenario" not in data:
        findings.append(Finding(tree.main, "scenario", "missing the [scenario] table (name, baseline)"))
    else:
        meta = _validate(tree, ScenarioMeta, data["scenario"], ("scenario",), context)

    parts: dict[str, dict[str, Any]] = {}
    failed: dict[str, list[str]] = {}
    for section, model in SECTIONS.items():
        raw = data.get(section, {})
        parts[section] = {}
        if not isinstance(raw, dict):
            findings.append(Finding(tree.file_of((section,)), section, "must be a table of named entries"))
            continue
        for key, value in raw.items():
            valid = _validate(tree, model, value, (section, key), context)
            if valid is not None:
                parts[section][key] = valid
            else:
                failed.setdefault(section, []).append(key)

    expectations = []
    failed_expect: list[int] = []
    raw_expect = data.get("expect", [])
    if not isinstance(raw_expect, list):
        findings.append(Finding(tree.file_of(("expect",)), "expect", "must be an array of tables [[expect]]"))
        raw_expect = []
    for i, value in enumerate(raw_expect):
        valid = _validate(tree, Expectation, value, ("expect", i), context)
        if valid is not None:
            expectations.append(valid)
        else:
            failed_expect.append(i)
    failed["expect"] = failed_expect  # type: ignore[assignment]

    # With a broken [scenario] table the cross-references are still worth checking: use
    # what it says that is usable, but return no scenario.
    usable_meta = meta or _partial_meta(data.get("scenario"))
    uncertainty = None
    if "uncertainty" in data:
        uncertainty = _validate(tree, Uncertainty, data["uncertainty"], ("uncertainty",), context)
    scenario = Scenario.model_construct(
        scenario=usable_meta, expect=expectations, horizon=horizon, uncertainty=uncertainty, **parts
    )
    findings.extend(run_checks(scenario, tree, failed, whole_meta=meta is not None, keep=keep))
    return scenario if meta is not None else None


def start_year(horizon: Horizon, data: dict[str, Any]) -> int | None:
    meta = data.get("scenario")
    year = meta.get("year") if isinstance(meta, dict) else None
    return horizon.start if horizon.start is not None else year if isinstance(year, int) else None


def _horizon(tree: SourceTree, data: dict[str, Any]) -> tuple[Horizon | None, dict[str, Any]]:
    """Validate [horizon]; return it with the data of its first year (what the rest validates).

    Without a horizon, a number given as a table by year is an error: it has no year to
    take its value from.
    """
    from bekostiging.scenario.years import YearProblem, copy_tree, dated_leaves, resolve

    if "horizon" not in data:
        leaves = dated_leaves(data)
        if leaves:
            data = copy_tree(data)  # each table's first value stands in, so the rest is checked once
        for path, _, _ in leaves:
            tree.findings.append(
                Finding(
                    tree.file_of(path),
                    ".".join(map(str, path)),
                    "a table by year needs a [horizon]: without one the scenario is a single year",
                )
            )
        for _, container, key in dated_leaves(data) if leaves else ():  # none: no second walk
            container[key] = next(iter(container[key].values()))
        return None, data
    horizon = _validate(tree, Horizon, data["horizon"], ("horizon",), {"source": True})
    if horizon is None:
        return None, data
    start = start_year(horizon, data)
    if start is None:
        tree.findings.append(
            Finding(tree.file_of(("horizon",)), "horizon.start", "give `start` or scenario.year")
        )
        return None, data
    problems: list[YearProblem] = []
    resolved = resolve(data, horizon, start, start, problems)
    for path, message in dict.fromkeys((p.path, str(p)) for p in problems):
        tree.findings.append(Finding(tree.file_of(path), ".".join(map(str, path)), message))
    return horizon, resolved


def _partial_meta(raw: Any) -> ScenarioMeta:
    """What is usable of an invalid [scenario] table, for the cross-reference checks.

    Every key that validates keeps its typed value (market shares included), so a typo in
    one key does not turn into false errors about the others.
    """
    raw = raw if isinstance(raw, dict) else {}
    usable = {k: v for k, v in raw.items() if k in ScenarioMeta.model_fields}
    try:
        _ADAPTERS[ScenarioMeta].validate_python(usable, context={"source": True})
    except ValidationError as exc:
        bad = {e["loc"][0] for e in exc.errors() if e["loc"]}
        usable = {k: v for k, v in usable.items() if k not in bad}
    stand_in = {"name": "", "baseline": "stand_in"}
    try:
        meta = _ADAPTERS[ScenarioMeta].validate_python({**stand_in, **usable}, context={"source": True})
    except ValidationError:  # pragma: no cover - every key left validated on its own
        return ScenarioMeta.model_construct(name="", baseline="")
    return meta.model_copy(update={k: "" for k in stand_in if k not in usable})


def _validate(tree: SourceTree, model: type[BaseModel], value: Any, at: tuple, context: dict) -> Any:
    try:
        return _ADAPTERS[model].validate_python(value, context=context)
    except ValidationError as exc:
        tree.findings.extend(pydantic_findings(exc, model, value, at, tree))
        return None
