"""Cross-reference checks: one function per rule, registered in one tuple.

Each `check_*` takes the structurally valid scenario and the source tree (to name the
file) and returns findings; none of them changes anything. Existence is checked against
every key written in the file, so an entry with its own problems is not also reported as
"unknown" wherever it is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bekostiging.fields import ID_RULE, is_id
from bekostiging.findings import Finding, ScenarioError, unknown
from bekostiging.mechanisms import spec_of
from bekostiging.mechanisms.base import PROVIDERS
from bekostiging.scenario.effects import Applied, apply_effects
from bekostiging.scenario.model import (
    Effect,
    MoveClientsEffect,
    RefillEffect,
    ScaleEffect,
    Scenario,
    ScenarioMeta,
    SetEffect,
    ShiftEffect,
)
from bekostiging.scenario.paths import hint, reach
from bekostiging.scenario.toml_files import SourceTree

Check = Callable[[Scenario, SourceTree], Iterator[Finding]]

_EFFECTS: TypeAdapter[list[Effect]] = TypeAdapter(list[Effect])

# The tables of named entries.
SECTIONS = ("parties", "activities", "profiles", "availability", "variants", "whatif")
MARKET = "market"  # the keyword payer of a scenario with market shares (CONTRACTS.md B)


class _Refs:
    """Helpers that turn a reference into findings, with the file and a hint."""

    def __init__(self, scenario: Scenario, tree: SourceTree):
        self.s = scenario
        self.tree = tree

    def keys(self, section: str) -> list[str]:
        raw = self.tree.data.get(section, {})
        return list(raw) if isinstance(raw, dict) else []

    def finding(self, path: tuple, message: str) -> Finding:
        return Finding(self.tree.file_of(path), ".".join(map(str, path)), message)

    def exists(self, section: str, kind: str, name: str, path: tuple) -> Iterator[Finding]:
        if name not in self.keys(section):
            yield self.finding(path, unknown(kind, name, self.keys(section)))

    def party(self, name: str | None, path: tuple, roles: tuple[str, ...], what: str) -> Iterator[Finding]:
        if name is None:
            return
        if name not in self.keys("parties"):
            yield self.finding(path, unknown("party", name, self.keys("parties")))
            return
        party = self.s.parties.get(name)
        if party is not None and party.role not in roles:
            yield self.finding(
                path, f"{what} '{name}' has role '{party.role}'; it must be {' or '.join(roles)}"
            )

    def payer(self, name: str | None, path: tuple, roles: tuple[str, ...] = ("payer",)) -> Iterator[Finding]:
        if name is None and self.s.scenario.default_payer is None:
            yield self.finding(path, "no payer: give `payer` here or `scenario.default_payer`")
        if name == MARKET and self.s.scenario.market_shares is not None and "payer" in roles:
            return  # every market payer, each in its own book (CONTRACTS.md B)
        yield from self.party(name, path, roles, "payer")


def check_ids(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    refs = _Refs(s, tree)
    for section in SECTIONS:
        for key in refs.keys(section):
            if not is_id(key):
                yield refs.finding(
                    (section, key),
                    f"'{key}' is not a valid id ({ID_RULE})",
                )


def check_meta(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    refs = _Refs(s, tree)
    meta = s.scenario
    if meta.baseline and meta.baseline not in refs.keys("variants"):
        yield refs.finding(("scenario", "baseline"), unknown("variant", meta.baseline, refs.keys("variants")))
    yield from refs.party(meta.client, ("scenario", "client"), ("client",), "client")
    if meta.default_payer != MARKET:  # the keyword: check_market
        yield from refs.party(meta.default_payer, ("scenario", "default_payer"), ("payer",), "default payer")
    if meta.client is None:
        for key, activity in s.activities.items():
            if activity.copay > 0:
                yield refs.finding(
                    ("activities", key, "copay"),
                    "a co-payment needs `scenario.client`: the party that pays it",
                )


def check_activities(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    refs = _Refs(s, tree)
    for key, activity in s.activities.items():
        yield from refs.party(activity.provider, ("activities", key, "provider"), PROVIDERS, "provider")
        yield from refs.payer(activity.payer, ("activities", key, "payer"))


def check_profiles(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    refs = _Refs(s, tree)
    for key, profile in s.profiles.items():
        for activity in profile.path:
            yield from refs.exists("activities", "activity", activity, ("profiles", key, "path", activity))


def check_availability_functions(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    refs = _Refs(s, tree)
    for key, function in s.availability.items():
        yield from refs.party(function.party, ("availability", key, "party"), PROVIDERS, "party")


def check_variants(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    """Every mechanism's payer, then its own checks (its module's `check`, via the registry)."""
    refs = _Refs(s, tree)
    for vid, variant in s.variants.items():
        seen: dict[str, object] = {}  # shared by the mechanisms of one variant: what is paid, funded
        for i, m in enumerate(variant.mechanisms):
            at = ("variants", vid, "mechanisms", i)
            spec = spec_of(m)
            # Contributors replace the payer: the mechanism checks them (`contributors.check`).
            if spec.payer_roles and getattr(m, "contributors", None) is None:
                yield from refs.payer(m.payer, (*at, "payer"), spec.payer_roles)
            yield from spec.check(m, refs, at, seen)


def _effect_lists(s: Scenario) -> Iterator[tuple[tuple[str, str], list]]:
    for k, v in s.variants.items():
        yield ("variants", k), v.effects
    for k, w in s.whatif.items():
        yield ("whatif", k), w.effects


def check_effect_references(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    refs = _Refs(s, tree)
    for owner, effects in _effect_lists(s):
        for i, e in enumerate(effects):
            at = (*owner, "effects", i)
            if isinstance(e, RefillEffect):
                yield from refs.party(e.party, (*at, "party"), PROVIDERS, "party")
                if not (e.payer == MARKET and s.scenario.market_shares is not None):
                    yield from refs.party(e.payer, (*at, "payer"), ("payer",), "payer")
            if isinstance(e, MoveClientsEffect | ShiftEffect) and e.from_ == e.to:
                yield refs.finding(at, "`from` and `to` are the same")


def dry_run_effects(
    s: Scenario, tree: SourceTree, whole_meta: bool = True, keep: dict[str, Applied] | None = None
) -> Iterator[Finding]:
    """Apply each effect list to the scenario: paths that match nothing, values made invalid.

    Runs with the other checks, also on a partial model (some entries failed validation and
    were left out): an effect that reaches only a left-out entry is skipped, not reported as
    a path that matches nothing. The valid effects of a variant or what-if that failed for
    another reason (a broken mechanism) are tried too. Effects never touch [scenario]: a
    broken one is replaced by a stand-in, so it is not reported again after the effects.

    `keep`, if given, gets each variant's effects applied (`Applied`, by variant id) when
    the whole scenario validated: the engine computes the variants from them instead of
    applying the same effects again (`engine.run.run`'s `applied`).
    """
    # Entries under an invalid id (reported by check_ids) are left out like broken ones.
    update: dict[str, Any] = {
        section: {k: v for k, v in getattr(s, section).items() if is_id(k)} for section in SECTIONS
    }
    if not whole_meta:
        update["scenario"] = ScenarioMeta(name="-", baseline="stand_in")
    s = s.model_copy(update=update)
    left_out = _left_out(s, tree)
    data = s.model_dump(by_alias=True) if any(left_out.values()) else {}
    done: list[tuple[list[Any], Applied]] = []
    for owner, effects in [*_effect_lists(s), *_effects_of_left_out(tree, left_out)]:
        located = [
            (".".join(map(str, (*owner, "effects", i))), e)
            for i, e in enumerate(effects)
            if not _reaches_left_out(e, left_out, data)
        ]
        try:
            applied = _applied_after(s, located, tree.file_of(owner), done)
        except ScenarioError as exc:
            yield from exc.findings
            continue
        if (
            keep is not None
            and whole_meta
            and located
            and owner[0] == "variants"
            and not any(left_out.values())
        ):
            keep[owner[1]] = applied


def _applied_after(s: Scenario, located: list[tuple[str, Any]], file: str, done: list) -> Applied:
    """`apply_effects(s, located)`, continued from the longest effect list applied before
    (`done`) that this one begins with: variants often share their first effects (the same
    shifts of care, then each its own fixed cost), and applying and validating them once
    per scenario is enough. Effects apply one after the other to valid data, so the result
    is the one of applying all of them at once; an error is reported as it is then (its
    location and message come from this list's own effects)."""
    effects = [e for _, e in located]
    start, base = 0, None
    for earlier, applied in done:
        if start < len(earlier) <= len(effects) and effects[: len(earlier)] == earlier:
            start, base = len(earlier), applied
    if base is None:
        result = apply_effects(s, located, file=file)
    else:
        rest = apply_effects(base.scenario, located[start:], file=file)
        result = Applied(rest.scenario, (*base.refills, *rest.refills))
    done.append((effects, result))
    return result


def _left_out(s: Scenario, tree: SourceTree) -> dict[str, set[str]]:
    """The entries written in the file that failed validation, by section."""
    out: dict[str, set[str]] = {}
    for section in SECTIONS:
        raw = tree.data.get(section)
        if isinstance(raw, dict):
            out[section] = {str(k) for k in raw} - set(getattr(s, section))
    return out


def _effects_of_left_out(tree: SourceTree, left_out: dict[str, set[str]]) -> Iterator[tuple[tuple, list]]:
    """The effect lists of left-out variants and what-ifs that are valid on their own."""
    for section in ("variants", "whatif"):
        for key in sorted(left_out.get(section, ())):
            raw = tree.data[section][key]
            if not isinstance(raw, dict) or not raw.get("effects"):
                continue
            try:
                effects = _EFFECTS.validate_python(raw["effects"], context={"source": True})
            except ValidationError:
                continue  # reported with the entry
            yield (section, key), effects


def _reaches_left_out(effect: Effect, left_out: dict[str, set[str]], data: dict[str, Any]) -> bool:
    """Whether the effect names an entry that was left out, so its check would be a false alarm."""
    if isinstance(effect, SetEffect | ScaleEffect):
        return _path_reaches_left_out(effect.path.split("."), left_out, data)
    if isinstance(effect, ShiftEffect):
        profiles = left_out.get("profiles", set())
        return bool(
            {effect.from_, effect.to} & left_out.get("activities", set())
            or effect.profile in profiles
            or (effect.profile == "*" and profiles)
        )
    if isinstance(effect, MoveClientsEffect):
        return bool({effect.from_, effect.to} & left_out.get("profiles", set()))
    return False


def _path_reaches_left_out(segments: list[str], left_out: dict[str, set[str]], data: dict[str, Any]) -> bool:
    """A dotted path into a left-out entry (`activities.X...` with X left out; `*` when one is
    and the valid entries give no match), or a care path entry `profiles.P.path.A` for a
    left-out activity A. `data` is the (partial) model's."""
    if len(segments) >= 2:
        gone = left_out.get(segments[0], set())
        if segments[1] in gone or (gone and segments[1] == "*" and not reach(data, segments)):
            return True
    is_care_path = len(segments) == 4 and segments[0] == "profiles" and segments[2] == "path"
    return is_care_path and segments[3] in left_out.get("activities", set())


def check_market(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    """Several insurers (CONTRACTS.md B, G "Books"): shares, the market payer, followers."""
    refs = _Refs(s, tree)
    shares = s.scenario.market_shares
    if shares is None:
        yield from _without_market(s, refs)
        return
    at = ("scenario", "market_shares")
    for payer, share in shares.items():
        yield from refs.party(payer, (*at, payer), ("payer",), "market payer")
        if not share > 0:
            yield refs.finding((*at, payer), f"a market share must be > 0, got {share}")
    total = sum(shares.values(), Decimal(0))
    if total != 1:
        yield refs.finding(at, f"the market shares must sum to exactly 1, got {total}")
    if s.scenario.default_payer != MARKET:
        yield refs.finding(
            ("scenario", "default_payer"),
            'with `market_shares`, write `default_payer = "market"`: each book\'s own payer pays',
        )
    for key, activity in s.activities.items():
        if activity.payer in shares:
            yield refs.finding(
                ("activities", key, "payer"),
                f"'{activity.payer}' is a market payer: it pays in its own book only, so leave"
                ' `payer` out (or write "market") and every book\'s payer pays',
            )
    for key, party in s.parties.items():
        if party.follows is None:
            continue
        where = ("parties", key, "follows")
        if key not in shares:
            yield refs.finding(where, f"'{key}' has no market share: only a market payer can follow")
        if party.follows == key:
            yield refs.finding(where, f"'{key}' cannot follow itself")
        elif party.follows not in shares:
            yield refs.finding(where, unknown("market payer", party.follows, list(shares)))
        elif (lead := s.parties.get(party.follows)) is not None and lead.follows is not None:
            # (a lead that is no party at all is reported at its market share)
            yield refs.finding(
                where,
                f"'{party.follows}' follows '{lead.follows}' itself: a follower cannot follow a follower",
            )
    followers = {k for k, p in s.parties.items() if p.follows is not None}
    for vid, variant in s.variants.items():
        for i, m in enumerate(variant.mechanisms):
            m_at = ("variants", vid, "mechanisms", i)
            payer = getattr(m, "payer", None)
            if payer in followers:
                yield refs.finding(
                    (*m_at, "payer"),
                    f"'{payer}' follows '{s.parties[payer].follows}': a follower has no mechanisms "
                    "of its own, it applies its lead's",
                )
            if getattr(m, "applies_to", "book") == "region" and payer not in shares:
                yield refs.finding(
                    (*m_at, "applies_to"),
                    '`applies_to = "region"` needs a market payer as `payer`: it pays for the whole '
                    "region in its own book",
                )


def _without_market(s: Scenario, refs: _Refs) -> Iterator[Finding]:
    """Keys that only mean something with `market_shares`."""
    if s.scenario.default_payer == MARKET:
        yield refs.finding(
            ("scenario", "default_payer"),
            '"market" is the payer of each book: it needs `scenario.market_shares`',
        )
    for key, party in s.parties.items():
        if party.follows is not None:
            yield refs.finding(("parties", key, "follows"), "`follows` needs `scenario.market_shares`")
    for vid, variant in s.variants.items():
        for i, m in enumerate(variant.mechanisms):
            if getattr(m, "applies_to", "book") == "region":
                yield refs.finding(
                    ("variants", vid, "mechanisms", i, "applies_to"),
                    '`applies_to = "region"` needs `scenario.market_shares`',
                )


def check_expectations(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    refs = _Refs(s, tree)
    for i, e in enumerate(s.expect):
        at = ("expect", i)
        yield from refs.exists("variants", "variant", e.variant, (*at, "variant"))
        if e.party:
            yield from refs.exists("parties", "party", e.party, (*at, "party"))
        if e.payer:
            yield from refs.party(e.payer, (*at, "payer"), ("payer",), "payer")
        if e.function:
            yield from refs.exists("availability", "availability function", e.function, (*at, "function"))
        for j, w in enumerate(e.whatif):
            yield from refs.exists("whatif", "what-if", w, (*at, "whatif", j))


def check_horizon(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    """Adoption and ramp name variants and hold shares; investments fall inside the horizon."""
    h = s.horizon
    if h is None:
        return
    refs = _Refs(s, tree)
    for table in ("adoption", "ramp"):
        for variant, shares in getattr(h, table).items():
            yield from refs.exists("variants", "variant", variant, ("horizon", table, variant))
            for year, share in shares.items():
                if not 0 <= share <= 1:
                    yield refs.finding(
                        ("horizon", table, variant, str(year)), f"must lie in [0, 1], got {share}"
                    )
    meta = tree.data.get("scenario", {})
    start = h.start if h.start is not None else meta.get("year") if isinstance(meta, dict) else None
    for i, inv in enumerate(h.investments):
        at = ("horizon", "investments", i)
        yield from refs.exists("variants", "variant", inv.variant, (*at, "variant"))
        yield from refs.exists("parties", "party", inv.party, (*at, "party"))
        if isinstance(start, int) and not start <= inv.year < start + h.years:
            last = start + h.years - 1
            yield refs.finding((*at, "year"), f"{inv.year} is outside the horizon {start}-{last}")
    if isinstance(h.client_growth, dict):
        for profile in h.client_growth:
            yield from refs.exists("profiles", "profile", profile, ("horizon", "client_growth", profile))


def check_years(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    """An effect's own ramp holds shares and, like `population_growth`, needs a [horizon]."""
    refs = _Refs(s, tree)
    for section, entries in (("variants", s.variants), ("whatif", s.whatif)):
        for key, entry in entries.items():
            for i, effect in enumerate(entry.effects):
                at = (section, key, "effects", i, "ramp")
                if effect.ramp is None:
                    continue
                if s.horizon is None:
                    yield refs.finding(
                        at, "an effect's ramp needs a [horizon]: without one the scenario is a single year"
                    )
                for year, share in effect.ramp.items():
                    if not 0 <= share <= 1:
                        yield refs.finding((*at, str(year)), f"must lie in [0, 1], got {share}")
    if s.horizon is not None:
        return
    for key, variant in s.variants.items():
        for i, m in enumerate(variant.mechanisms):
            if getattr(m, "population_growth", 0) != 0:
                yield refs.finding(
                    ("variants", key, "mechanisms", i, "population_growth"),
                    "population_growth needs a [horizon]: without one the scenario is a single year",
                )


def check_uncertainty_paths(s: Scenario, tree: SourceTree) -> Iterator[Finding]:
    """Every uncertain parameter's path reaches a number (as an effect's path would).

    A path into an entry that failed validation is not checked: that entry is reported on
    its own (a bad `--set` value must not make the file's [uncertainty] look wrong).
    """
    from bekostiging.money import is_number

    if s.uncertainty is None:
        return
    refs = _Refs(s, tree)
    data = s.model_dump(by_alias=True)
    left_out = _left_out(s, tree)
    for path in s.uncertainty.params:
        at = ("uncertainty", "params", path)
        matches = reach(data, path.split("."))
        if not matches and not _path_reaches_left_out(path.split("."), left_out, data):
            yield refs.finding(at, f"path '{path}' matches nothing{hint(data, path.split('.'))}")
        for container, key in matches:
            if not is_number(container[key]):
                yield refs.finding(at, f"'{path}' reaches '{key}', which is not a number")
                break


CHECKS: tuple[Check, ...] = (
    check_ids,
    check_meta,
    check_activities,
    check_profiles,
    check_availability_functions,
    check_variants,
    check_effect_references,
    check_market,
    check_expectations,
    check_horizon,
    check_years,
    check_uncertainty_paths,
)


def run_checks(
    s: Scenario,
    tree: SourceTree,
    failed: dict[str, list] | None = None,
    whole_meta: bool = True,
    keep: dict[str, Applied] | None = None,
) -> list[Finding]:
    """Every check, the effects' dry run included, so every problem is reported at once.

    `failed` names the entries that did not validate (left out of `s`), `whole_meta` whether
    the [scenario] table did, `keep` gets the variants' effects applied (`dry_run_effects`).
    """
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(s, tree))
    findings.extend(check_references_of_invalid_entries(tree, failed or {}))
    findings.extend(dry_run_effects(s, tree, whole_meta, keep))
    return findings


def check_references_of_invalid_entries(tree: SourceTree, failed: dict[str, list[str]]) -> Iterator[Finding]:
    """Entries that failed validation are left out of the model; still name their bad references."""
    refs = _Refs(Scenario.model_construct(), tree)
    parties, activities = refs.keys("parties"), refs.keys("activities")

    def entries(section: str) -> Iterator[tuple[str, dict]]:
        for key in failed.get(section, []):
            raw = tree.data[section][key]
            if isinstance(raw, dict):
                yield key, raw

    for key, raw in entries("activities"):
        for name in ("provider", "payer"):
            value = raw.get(name)
            if isinstance(value, str) and value not in parties:
                yield refs.finding(("activities", key, name), unknown("party", value, parties))
    for key, raw in entries("profiles"):
        path = raw.get("path")
        for activity in path if isinstance(path, dict) else {}:
            if activity not in activities:
                yield refs.finding(
                    ("profiles", key, "path", activity), unknown("activity", activity, activities)
                )
    for key, raw in entries("availability"):
        value = raw.get("party")
        if isinstance(value, str) and value not in parties:
            yield refs.finding(("availability", key, "party"), unknown("party", value, parties))
    raw_expect = tree.data.get("expect", [])
    for i in failed.get("expect", []):
        raw = raw_expect[i]
        if not isinstance(raw, dict):
            continue
        for name, section, kind in (
            ("variant", "variants", "variant"),
            ("party", "parties", "party"),
            ("function", "availability", "availability function"),
        ):
            value = raw.get(name)
            if isinstance(value, str) and value not in refs.keys(section):
                yield refs.finding(("expect", i, name), unknown(kind, value, refs.keys(section)))
