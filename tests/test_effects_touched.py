"""Effects validate again only the tables they change (issue 19): the scenario they give is
the one a validation of the whole gives, for every effect list of every example."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bekostiging import api
from bekostiging.findings import ScenarioError
from bekostiging.scenario import drawn, effects

EXAMPLES = Path(__file__).parents[1] / "examples"
FILES = sorted(p for p in EXAMPLES.glob("*/*.toml") if "[scenario]" in p.read_text(encoding="utf-8"))
FILES += sorted((EXAMPLES / "geboortezorg-nationaal" / "regios").glob("*.toml"))[:3]


def effect_lists(s: api.Scenario):
    for section in ("variants", "whatif"):
        for key, entry in getattr(s.model, section).items():
            if entry.effects:
                yield (
                    f"{section}.{key}",
                    [(f"{section}.{key}.effects.{i}", e) for i, e in enumerate(entry.effects)],
                )


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_only_the_changed_tables_validated_give_the_whole_validation(path, monkeypatch):
    s = api.load(path)
    lists = list(effect_lists(s))
    assert lists
    for owner, located in lists:
        quick = effects.apply_effects(s.model, located, file=s.file)
        monkeypatch.setattr(effects, "_touched_validated", lambda *_: None)
        whole = effects.apply_effects(s.model, located, file=s.file)
        monkeypatch.undo()
        assert quick.scenario == whole.scenario, owner
        assert quick.scenario.model_dump() == whole.scenario.model_dump(), owner
        assert quick.refills == whole.refills


def test_an_effect_that_makes_a_value_invalid_is_reported_as_before(tmp_path):
    s = api.load(EXAMPLES / "geboortezorg-nationaal" / "regios" / "fl_almere.toml")
    shift = next(e for e in s.model.variants["integraal"].effects if e.op == "shift")
    broken = shift.model_copy(update={"fraction": 1, "ratio": -5})
    with pytest.raises(ScenarioError) as caught:
        effects.apply_effects(s.model, [("variants.integraal.effects.0", broken)], file=s.file)
    assert all("after the effects of variants.integraal" in f.message for f in caught.value.findings)
    assert all(f.path.startswith("profiles.") for f in caught.value.findings)


def test_a_simulation_validates_the_whole(monkeypatch):
    s = api.load(EXAMPLES / "geboortezorg-nationaal" / "regios" / "fl_almere.toml")
    located = next(effect_lists(s))[1]
    calls: list[dict] = []
    validate = drawn.validate
    monkeypatch.setattr(drawn, "validate", lambda data: calls.append(data) or validate(data))
    with drawn.active():
        effects.apply_effects(s.model, located, file=s.file)
    assert len(calls) == 1 and set(calls[0]) >= {"activities", "variants", "parties"}


def test_only_the_changed_entries_are_validated_again(monkeypatch):
    """`scale activities.X.tariff` validates activity X again, not the table; a `*` or a
    shift validates the whole table; the result is the whole validation's either way."""
    s = api.load(EXAMPLES / "geboortezorg-nationaal" / "regios" / "fl_almere.toml")
    calls: list[dict] = []
    validate = drawn.validate
    monkeypatch.setattr(drawn, "validate", lambda data: calls.append(data) or validate(data))
    first, second = list(s.model.activities)[:2]
    one = effects.ScaleEffect(op="scale", path=f"activities.{first}.tariff", factor=Decimal("1.1"))
    every = effects.ScaleEffect(op="scale", path="profiles.*.clients", factor=Decimal("0.9"))
    quick = effects.apply_effects(s.model, [("x.effects.0", one), ("x.effects.1", every)], file=s.file)
    (data,) = calls
    assert list(data["activities"]) == [first]
    assert list(data["profiles"]) == list(s.model.profiles)
    assert list(quick.scenario.activities) == list(s.model.activities)  # the order kept
    assert quick.scenario.activities[first].tariff == s.model.activities[first].tariff * Decimal("1.1")
    assert quick.scenario.activities[second] == s.model.activities[second]
    monkeypatch.setattr(effects, "_touched_validated", lambda *_: None)
    whole = effects.apply_effects(s.model, [("x.effects.0", one), ("x.effects.1", every)], file=s.file)
    assert quick.scenario.model_dump() == whole.scenario.model_dump()


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_variants_that_share_their_first_effects_apply_them_once_with_the_same_result(path):
    """The effects' check continues from the longest effect list it applied before
    (`checks._applied_after`); each variant's result is the one of all its effects at once."""
    from bekostiging.scenario.checks import dry_run_effects

    s = api.load(path)
    kept: dict = {}
    assert list(dry_run_effects(s.model, s.tree, keep=kept)) == []
    for variant, entry in s.model.variants.items():
        located = [(f"variants.{variant}.effects.{i}", e) for i, e in enumerate(entry.effects)]
        if not located:
            continue
        whole = effects.apply_effects(s.model, located, file=s.file)
        assert kept[variant].scenario.model_dump() == whole.scenario.model_dump(), variant
        assert kept[variant].refills == whole.refills, variant


def test_a_shared_start_then_an_effect_that_fails_is_reported_as_alone(tmp_path):
    """The second variant repeats the first one's effects and adds one that reaches
    nothing: its finding is the one applying all its effects at once gives."""
    from bekostiging.scenario.checks import _applied_after

    s = api.load(EXAMPLES / "geboortezorg-nationaal" / "regios" / "fl_almere.toml")
    shared = [e for e in s.model.variants["integraal"].effects if e.op == "shift"]
    first = [(f"variants.a.effects.{i}", e) for i, e in enumerate(shared)]
    broken = effects.ScaleEffect(op="scale", path="activities.bestaat_niet.tariff", factor=Decimal(2))
    second = [(f"variants.b.effects.{i}", e) for i, e in enumerate([*shared, broken])]
    done: list = []
    _applied_after(s.model, first, s.file, done)
    with pytest.raises(ScenarioError) as continued:
        _applied_after(s.model, second, s.file, done)
    with pytest.raises(ScenarioError) as alone:
        effects.apply_effects(s.model, second, file=s.file)
    assert [(f.path, f.message) for f in continued.value.findings] == [
        (f.path, f.message) for f in alone.value.findings
    ]
    assert continued.value.findings[0].path == f"variants.b.effects.{len(shared)}"
