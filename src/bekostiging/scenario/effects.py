"""Assumed changes in care (SCENARIO.md §3), applied to a copy of a scenario.

Variants and what-ifs derive new inputs and never mutate the scenario they start from
(OpenFisca's reforms do the same). Effects work on the plain data tree, so a dotted path
reaches any numeric input, mechanism fields included. The result is validated again,
which keeps every value rule (non-negative, copay within tariff, fractions in range) true
after effects. The "2 decimals" rule is left out: derived prices may have more.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from bekostiging.arithmetic import exact
from bekostiging.findings import Finding, ScenarioError, unknown
from bekostiging.money import as_number, is_number, mul
from bekostiging.scenario import drawn
from bekostiging.scenario.errors import pydantic_findings
from bekostiging.scenario.model import (
    Effect,
    MoveClientsEffect,
    RefillEffect,
    ScaleEffect,
    Scenario,
    SetEffect,
    ShiftEffect,
)
from bekostiging.scenario.paths import hint, reach

# Inputs an effect may change: the numeric parts of the care system, of the variants and
# of the parties (a fixed cost that comes with a variant: a VSV office, an IGO bureau).
EFFECT_ROOTS = ("activities", "profiles", "availability", "variants", "parties")


@dataclass(frozen=True)
class Applied:
    """A scenario after a list of effects, plus the refill effects to evaluate later."""

    scenario: Scenario
    refills: tuple[RefillEffect, ...]


def apply_effects(
    scenario: Scenario,
    effects: list[tuple[str, Effect]],
    *,
    file: str = "",
    ramp: Decimal = Decimal(1),
    year: int | None = None,
) -> Applied:
    """Apply `effects` in order; each is `(dotted location of the effect, effect)`.

    `ramp` is the share of the effects realised (HORIZON.md §1): every effect is scaled
    toward "no change" (factor 1 + r(f-1), set value old + r(value-old), fractions and
    rates × r). An effect with its own `ramp` table uses that table's share of `year`
    instead (CONTRACTS.md E; before its first year: 0). Raises `ScenarioError` listing
    every effect that could not be applied.
    """
    if not effects:
        return Applied(scenario, ())
    with exact():
        return _apply(scenario, effects, file, ramp, year)


def own_ramp(effect: Effect, ramp: Decimal, year: int | None) -> Decimal:
    """The share of `effect` realised in `year`: its own ramp table's, else `ramp`."""
    if effect.ramp is None or year is None:
        return ramp
    listed = [y for y in effect.ramp if y <= year]
    return effect.ramp[max(listed)] if listed else Decimal(0)


def _full(ramp: Any) -> bool:
    """Realised in full (a drawn ramp, lanes, is scaled lane by lane even where it is 1)."""
    return isinstance(ramp, int | Decimal) and ramp == 1


def _apply(
    scenario: Scenario, effects: list[tuple[str, Effect]], file: str, variant_ramp: Decimal, year: int | None
) -> Applied:
    # A simulation's view holds `Lanes` (scenario.drawn): the dump passes them through as they are.
    data = scenario.model_dump(by_alias=True, warnings=False)
    findings: list[Finding] = []
    refills: list[RefillEffect] = []
    touched: dict[str, set[str] | None] = {}  # table -> the entries changed (None: any of them)
    for where, effect in effects:
        ramp = own_ramp(effect, variant_ramp, year)
        if isinstance(effect, RefillEffect):
            refills.append(
                effect.model_copy(update={"rate": mul(ramp, effect.rate)}) if not _full(ramp) else effect
            )
            continue
        _touch(touched, effect)
        for message in _apply_one(data, effect, ramp):
            findings.append(Finding(file, where, message))
    if findings:
        raise ScenarioError(findings)
    label = ", ".join(dict.fromkeys(w.rsplit(".effects", 1)[0] for w, _ in effects))
    try:
        derived = _touched_validated(scenario, data, touched) or drawn.validate(data)
    except drawn.LaneProblem as problem:
        raise problem.within(f"after the effects of {label}") from None
    except ValidationError as exc:
        raise ScenarioError(
            Finding(file, f.path, f"after the effects of {label}: {f.message}")
            for f in pydantic_findings(exc, Scenario, data, ())
        ) from None
    return Applied(derived, tuple(refills))


def _touch(touched: dict[str, set[str] | None], effect: Effect) -> None:
    """Note the table, and the entry of it, that `effect` changes: set and scale the one
    their path names (`activities.consult.tariff`: activity `consult`; a `*` any), shift
    and move_clients any profile."""
    if isinstance(effect, SetEffect | ScaleEffect):
        table, _, rest = effect.path.partition(".")
        entry = rest.partition(".")[0]
    else:
        table, entry = "profiles", "*"
    entries = touched.get(table, set())
    if entries is None or entry in ("", "*"):
        touched[table] = None
    else:
        touched[table] = {*entries, entry}


def _touched_validated(
    scenario: Scenario, data: dict[str, Any], touched: dict[str, set[str] | None]
) -> Scenario | None:
    """`scenario` with the entries the effects changed (`touched`: per table the entries,
    or None for the whole table) validated again from `data`, and every other entry and
    table as it was: validating an unchanged entry's dump gives back what it holds, and no
    rule of a table looks across its entries (each entry is a model of its own). None where
    the whole must be validated: lanes in the data (a simulation,
    `drawn`), or a value made invalid (the whole validation then reports it, with the paths
    it always had)."""
    if not touched.keys() <= set(EFFECT_ROOTS) or drawn.lanes_possible():
        return None
    if not touched:  # refill effects only: they change no table
        return scenario
    tables = {
        table: data[table] if entries is None else {k: data[table][k] for k in data[table] if k in entries}
        for table, entries in touched.items()
    }
    try:
        part = drawn.validate({"scenario": data["scenario"], **tables})
    except ValidationError:
        return None
    update = {}
    for table, entries in touched.items():
        validated = getattr(part, table)
        update[table] = validated if entries is None else {**getattr(scenario, table), **validated}
    return scenario.model_copy(update=update)


def _apply_one(data: dict[str, Any], effect: Effect, ramp: Decimal) -> list[str]:
    if isinstance(effect, SetEffect | ScaleEffect):
        return _set_or_scale(data, effect, ramp)
    if isinstance(effect, ShiftEffect):
        return _shift(data, effect.model_copy(update={"fraction": mul(ramp, effect.fraction)}))
    if isinstance(effect, MoveClientsEffect):
        return _move_clients(data, effect.model_copy(update={"fraction": mul(ramp, effect.fraction)}))
    raise AssertionError(f"unhandled effect {effect!r}")  # pragma: no cover


def _set_or_scale(data: dict[str, Any], effect: SetEffect | ScaleEffect, ramp: Decimal) -> list[str]:
    segments = effect.path.split(".")
    if segments[0] not in EFFECT_ROOTS:
        return [f"path '{effect.path}' must start with one of: {', '.join(EFFECT_ROOTS)}"]
    matches = list(reach(data, segments))
    if isinstance(effect, SetEffect):
        matches += _new_path_entries(data, segments, {id(c) for c, _ in matches})
    if not matches:
        return [f"path '{effect.path}' matches nothing{hint(data, segments)}"]
    problems = []
    for container, key in matches:
        current = container.get(key) if isinstance(container, dict) else container[key]
        if isinstance(effect, SetEffect):
            if current is not None and not is_number(current):
                problems.append(f"'{effect.path}' reaches '{key}', which is not a number")
                continue
            old = as_number(current) if current is not None else Decimal(0)
            container[key] = effect.value if _full(ramp) else old + mul(ramp, effect.value - old)
        else:
            if not is_number(current):
                problems.append(f"'{effect.path}' reaches '{key}', which has no number to scale")
                continue
            factor = effect.factor if _full(ramp) else 1 + mul(ramp, effect.factor - 1)
            container[key] = mul(as_number(current), factor)
    return problems


def _new_path_entries(data: dict[str, Any], segments: list[str], seen: set[int]) -> list[tuple[Any, Any]]:
    """`set profiles.P.path.A` adds a defined activity A to a care path that lacks it."""
    if len(segments) != 4 or segments[0] != "profiles" or segments[2] != "path":
        return []
    activity = segments[3]
    if activity not in data.get("activities", {}):
        return []
    names = list(data.get("profiles", {})) if segments[1] == "*" else [segments[1]]
    out = []
    for name in names:
        profile = data.get("profiles", {}).get(name)
        if profile is not None and activity not in profile["path"]:
            out.append((profile["path"], activity))
    return out


def _shift(data: dict[str, Any], effect: ShiftEffect) -> list[str]:
    profiles = data["profiles"]
    activities = data["activities"]
    problems = [unknown("activity", a, activities) for a in (effect.from_, effect.to) if a not in activities]
    if effect.profile == "*":
        names = [p for p, v in profiles.items() if effect.from_ in v["path"]]
        if not names and not problems:
            problems.append(f"no profile has '{effect.from_}' in its path")
    elif effect.profile not in profiles:
        problems.append(unknown("profile", effect.profile, profiles))
        names = []
    else:
        names = [effect.profile]
        if effect.from_ not in profiles[effect.profile]["path"] and not problems:
            problems.append(f"profile '{effect.profile}' has no '{effect.from_}' in its path to shift from")
    if problems:
        return problems
    for name in names:
        path = profiles[name]["path"]
        moved = mul(path[effect.from_], effect.fraction)
        path[effect.from_] = path[effect.from_] - moved
        path[effect.to] = path.get(effect.to, Decimal(0)) + mul(moved, effect.ratio)
    return []


def _move_clients(data: dict[str, Any], effect: MoveClientsEffect) -> list[str]:
    profiles = data["profiles"]
    problems = [unknown("profile", p, profiles) for p in (effect.from_, effect.to) if p not in profiles]
    if problems:
        return problems
    moved = mul(profiles[effect.from_]["clients"], effect.fraction)
    profiles[effect.from_]["clients"] = profiles[effect.from_]["clients"] - moved  # never in place: lanes
    profiles[effect.to]["clients"] = profiles[effect.to]["clients"] + moved
    return []
