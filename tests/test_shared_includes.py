"""A folder of regions parses the files they share once (issue 19): each region gets its
own copy, so no region's loading or data ever reaches another's."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from bekostiging import api
from bekostiging.findings import ScenarioError
from bekostiging.scenario import toml_files
from conftest import write

SHARED = """
[parties.zvw]
role = "payer"
[parties.vk]
role = "provider"

[activities.vk_a]
provider = "vk"
tariff = 100.00

[variants.mono]
[variants.meer]
effects = [{ op = "scale", path = "profiles.p.path.vk_a", factor = 2 }]
"""

REGION = """
[scenario]
name = "{name}"
baseline = "mono"
default_payer = "zvw"
include = ["../shared/{include}.toml"]

[profiles.p]
clients = {clients}
path = {{ vk_a = 1.5 }}
"""


def regions(root: Path, include: str = "tarieven") -> Path:
    write(root / ".bekostiging", "")
    write(root / "shared" / "tarieven.toml", SHARED)
    for name, clients in (("noord", 10), ("zuid", 30)):
        write(root / "regios" / f"{name}.toml", REGION.format(name=name, clients=clients, include=include))
    return root / "regios"


def test_a_folder_parses_a_shared_include_once(tmp_path, monkeypatch):
    folder = regions(tmp_path)
    reads: Counter[str] = Counter()
    read_toml = toml_files.read_toml

    def counted(path: Path, shown: str):
        reads[path.name] += 1
        return read_toml(path, shown)

    monkeypatch.setattr(toml_files, "read_toml", counted)
    loaded = api.load(folder)
    assert reads["tarieven.toml"] == 1
    assert [s.name for s in loaded] == ["noord", "zuid"]


def test_a_region_of_a_folder_is_the_region_loaded_alone(tmp_path):
    folder = regions(tmp_path)
    together = api.load(folder)
    for s in together:
        alone = api.load(folder / f"{s.name}.toml")
        assert s.tree.data == alone.tree.data
        assert s.tree.origins == alone.tree.origins
        assert s.model == alone.model
    compared = api.compare(folder)
    assert [c.results.to_dicts() for c in compared] == [
        api.compare(folder / f"{name}.toml").results.to_dicts() for name in ("noord", "zuid")
    ]


def test_changing_one_regions_shared_data_leaves_the_others_untouched(tmp_path):
    noord, zuid = api.load(regions(tmp_path))
    before = api.load(regions(tmp_path / "fresh"))[1].tree.data
    # Tables, lists and values that came from the shared file, changed in place.
    noord.tree.data["activities"]["vk_a"]["tariff"] = Decimal("999.00")
    noord.tree.data["parties"]["zvw"]["role"] = "provider"
    noord.tree.data["variants"]["meer"]["effects"].append({"op": "set"})
    noord.tree.data["variants"]["meer"]["effects"][0]["factor"] = 7
    del noord.tree.data["variants"]["mono"]
    assert zuid.tree.data == before
    assert zuid.tree.data["activities"]["vk_a"]["tariff"] == Decimal("100.00")
    assert len(zuid.tree.data["variants"]["meer"]["effects"]) == 1
    assert zuid.model.activities["vk_a"].tariff == Decimal("100.00")


def test_overrides_of_a_folder_reach_each_region_once(tmp_path):
    loaded = api.load(regions(tmp_path), overrides={"activities.vk_a.tariff": 120})
    assert [s.model.activities["vk_a"].tariff for s in loaded] == [120, 120]
    compared = api.compare(loaded)
    deltas = [c.results.filter(party="vk", variant="meer")["delta"].item() for c in compared]
    assert deltas == [Decimal("1800.00"), Decimal("5400.00")]  # 10 and 30 clients x 1.5 x 120


def test_parsed_hands_out_copies_and_never_its_own(tmp_path):
    path = write(tmp_path / "tarieven.toml", SHARED)
    parsed = toml_files.Parsed()
    first, found = parsed.read(path, "tarieven.toml")
    assert found == [] and first is not None
    first["activities"]["vk_a"]["tariff"] = Decimal(1)
    first["variants"]["meer"]["effects"].clear()
    second, _ = parsed.read(path, "tarieven.toml")
    assert second == toml_files.read_toml(path, "tarieven.toml")[0]
    assert second is not first and second["activities"] is not first["activities"]


def test_a_missing_shared_include_is_reported_for_every_region(tmp_path):
    with pytest.raises(ScenarioError) as caught:
        api.load(regions(tmp_path, include="ontbreekt"))
    files = sorted(Path(f.file).name for f in caught.value.findings if "not found" in f.message)
    assert files == ["noord.toml", "zuid.toml"]


# ------------------------------------------------------------------ effects applied once

NATIONAL = Path(__file__).parents[1] / "examples" / "geboortezorg-nationaal" / "regios"


def test_loading_keeps_each_variants_effects_applied_as_the_engine_would_apply_them():
    from bekostiging.scenario.effects import apply_effects

    s = api.load(NATIONAL / "dr_noord_drenthe.toml")
    with_effects = [v for v, variant in s.model.variants.items() if variant.effects]
    assert sorted(s.applied) == sorted(with_effects) and with_effects
    for v in with_effects:
        effects = [(f"variants.{v}.effects.{i}", e) for i, e in enumerate(s.model.variants[v].effects)]
        again = apply_effects(s.model, effects, file=s.file)
        assert s.applied[v].scenario == again.scenario
        assert s.applied[v].refills == again.refills


@pytest.mark.parametrize("whatifs", [(), ("first",)])
def test_compare_from_the_kept_effects_equals_compare_applying_them_again(whatifs):
    import dataclasses

    s = api.load(NATIONAL / "fl_almere.toml")
    chosen = [next(iter(s.model.whatif))] if whatifs else []
    kept = api.compare(s, whatifs=chosen)
    again = api.compare(dataclasses.replace(s, applied={}), whatifs=chosen)
    for name in ("results", "ledger"):
        assert kept.table(name).equals(again.table(name))


def test_overrides_get_their_own_effects_applied_and_a_sent_scenario_none():
    import pickle

    s = api.load(NATIONAL / "fl_almere.toml")
    cheaper = s.with_overrides({"activities.zh_sectio.tariff": 1})
    v = next(iter(s.applied))
    assert cheaper.applied[v].scenario.activities["zh_sectio"].tariff == 1
    assert s.applied[v].scenario.activities["zh_sectio"].tariff != 1
    assert pickle.loads(pickle.dumps(s)).applied == {}
