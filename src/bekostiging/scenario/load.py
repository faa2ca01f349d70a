"""TOML (+ includes) -> a validated `Scenario`, or every problem at once.

Each entry of each table is validated on its own, so one broken activity does not hide
the problems of the others; then the cross-reference checks in `checks.CHECKS` run over
what did validate. `load_scenario` raises `ScenarioError` with all findings.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from bekostiging.findings import Finding, ScenarioError, did_you_mean
from bekostiging.scenario.limits import check_sizes
from bekostiging.scenario.model import (
    ID_RULE,
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
from bekostiging.scenario.toml_files import SourceTree, display, load_tree

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
# Pydantic names union members in error locations ("list[str]", "function-after[...]"):
# those segments mean nothing to a user and are dropped from the dotted path.
_UNION_TAG = re.compile(r"^(str|int|float|bool|decimal|none|constrained-[a-z]+|[a-z-]+\[.*\])$")


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


def validate_tree(tree: SourceTree) -> Scenario | None:
    """Validate the merged data; append findings to `tree.findings`."""
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
    findings.extend(run_checks(scenario, tree, failed))
    return scenario if meta is not None else None


def start_year(horizon: Horizon, data: dict[str, Any]) -> int | None:
    meta = data.get("scenario")
    year = meta.get("year") if isinstance(meta, dict) else None
    return horizon.start if horizon.start is not None else year if isinstance(year, int) else None


def _horizon(tree: SourceTree, data: dict[str, Any]) -> tuple[Horizon | None, dict[str, Any]]:
    """Validate [horizon]; return it with the data of its first year (what the rest validates).

    Without a horizon, a money input given as a table by year is an error: it has no year
    to take its value from.
    """
    from bekostiging.scenario.years import YearProblem, is_dated, money_leaves, resolve

    if "horizon" not in data:
        for path, container, key in money_leaves(data):
            if is_dated(container[key]):
                tree.findings.append(
                    Finding(tree.file_of(path), ".".join(map(str, path)), "a table by year needs a [horizon]")
                )
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
    for p in problems:
        tree.findings.append(Finding(tree.file_of(p.path), ".".join(map(str, p.path)), str(p)))
    return horizon, resolved


def _partial_meta(raw: Any) -> ScenarioMeta:
    """The text fields of an invalid [scenario] table, for the cross-reference checks."""
    raw = raw if isinstance(raw, dict) else {}
    usable = {k: v for k, v in raw.items() if k in ScenarioMeta.model_fields and isinstance(v, str)}
    return ScenarioMeta.model_construct(**{"name": "", "baseline": "", **usable})


def _validate(tree: SourceTree, model: type[BaseModel], value: Any, at: tuple, context: dict) -> Any:
    try:
        return _ADAPTERS[model].validate_python(value, context=context)
    except ValidationError as exc:
        tree.findings.extend(pydantic_findings(exc, model, value, at, tree))
        return None


def pydantic_findings(
    exc: ValidationError,
    model: type[BaseModel],
    raw: Any,
    at: tuple,
    tree: SourceTree | None = None,
) -> list[Finding]:
    """Translate pydantic's errors into findings with clean dotted paths and hints."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(seg for seg in error["loc"] if not _is_union_tag(seg))
        loc = _drop_discriminators(loc, raw)
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, str(error.get("ctx", {}).get("discriminator", "type")).strip("'"))
        path = (*at, *loc)
        message = _message(error, model, raw, loc)
        file = tree.file_of(path) if tree else ""
        out.append(Finding(file, ".".join(map(str, path)), message))
    return out


def _is_union_tag(seg: Any) -> bool:
    return isinstance(seg, str) and bool(_UNION_TAG.match(seg))


def _drop_discriminators(loc: tuple, raw: Any) -> tuple:
    """Remove the tag pydantic inserts after a list index of a tagged union."""
    out: list[Any] = []
    node = raw
    i = 0
    while i < len(loc):
        seg = loc[i]
        out.append(seg)
        node = _child(node, seg)
        if (
            isinstance(node, dict)
            and i + 1 < len(loc)
            and loc[i + 1] in (node.get("type"), node.get("op"), node.get("dist"))
            and loc[i + 1] not in node
        ):
            i += 1  # skip the tag
        i += 1
    return tuple(out)


def _child(node: Any, seg: Any) -> Any:
    if isinstance(node, dict):
        return node.get(seg)
    if isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
        return node[seg]
    return None


def _message(error: dict, model: type[BaseModel], raw: Any, loc: tuple) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        allowed = allowed_keys(model, raw, loc[:-1])
        return f"unknown key '{name}'{did_you_mean(name, allowed)}" + (
            "" if did_you_mean(name, allowed) or not allowed else f" (allowed: {', '.join(allowed)})"
        )
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        tag = str(ctx.get("tag", ""))
        expected = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        field = str(ctx.get("discriminator", "type")).strip("'")
        return f"unknown {field} '{tag}'{did_you_mean(tag, expected)} (one of: {', '.join(expected)})"
    if kind == "union_tag_not_found":
        field = str(error.get("ctx", {}).get("discriminator", "type")).strip("'")
        return f"needs a `{field}` key"
    if kind == "string_pattern_mismatch":
        return f"'{error.get('input')}' is not a valid id ({ID_RULE})"
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}, got {error.get('input')!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a table"
    if kind == "list_type":
        return "must be a list"
    if kind == "string_type":
        return "must be a text string"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind == "too_short":
        return "must not be empty"
    msg = str(error["msg"])
    return msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg


def allowed_keys(model: type[BaseModel], raw: Any, loc: tuple) -> list[str]:
    """The keys a table at `loc` (inside a `model` entry) may have, for "did you mean"."""
    tp: Any = model
    node = raw
    for seg in loc:
        tp = _step(tp, seg, node)
        node = _child(node, seg)
        if tp is None:
            return []
    tp = _pick_member(tp, node)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return sorted(f.alias or name for name, f in tp.model_fields.items())
    return []


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _pick_member(tp: Any, node: Any) -> Any:
    tp = _unwrap(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [_unwrap(m) for m in typing.get_args(tp)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if isinstance(node, dict):
            for m in models:
                for tag in ("type", "op", "dist"):
                    field = m.model_fields.get(tag)
                    if field and node.get(tag) in typing.get_args(field.annotation):
                        return m
        if len(models) == 1:
            return models[0]
        dicts = [m for m in members if typing.get_origin(m) is dict]
        return dicts[0] if dicts else tp
    return tp


def _step(tp: Any, seg: Any, node: Any) -> Any:
    tp = _pick_member(tp, node)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            if seg in (name, f.alias):
                return f.annotation
        return None
    origin = typing.get_origin(tp)
    if origin is dict:
        return typing.get_args(tp)[1]
    if origin is list:
        return typing.get_args(tp)[0]
    return None


def describe_file(path: Path) -> str:
    return display(path)
