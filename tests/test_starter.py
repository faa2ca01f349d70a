"""The getting-started helpers: `examples`, `init` and `schema` (src/bekostiging/starter.py)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from bekostiging import examples, starter
from bekostiging.api import compare, scenario_files
from bekostiging.scenario.model import EFFECT_OPS, MECHANISM_TYPES

DEFAULT = examples.DEFAULT
TABLES = ("scenario", "parties", "activities", "profiles", "availability", "variants", "whatif", "expect")


# ---------------------------------------------------------------- examples


def test_list_has_the_default_example_with_a_one_line_description():
    listed = dict(starter.list_examples())
    assert list(listed) == examples.names()
    description = listed[DEFAULT]
    assert description.strip()
    assert "\n" not in description
    assert len(description) <= starter.MAX_DESCRIPTION
    scenario_name = tomllib.loads(examples.path_of(DEFAULT).read_text(encoding="utf-8"))["scenario"]["name"]
    assert description.startswith(scenario_name)


def test_long_descriptions_are_cut_to_one_line():
    text = starter._one_line("a\nb " + "x" * 200)
    assert "\n" not in text
    assert len(text) == starter.MAX_DESCRIPTION
    assert text.endswith("…")


# ---------------------------------------------------------------- init


def _embedded_files(name: str) -> list[Path]:
    """Every scenario file of the example and the shared tables they include, once each."""
    from bekostiging.scenario.toml_files import load_tree

    files: dict[Path, None] = {}
    for path in scenario_files([examples.path_of(name)]):
        files.update(dict.fromkeys(load_tree(path).files))
    return list(files)


SINGLE_FILE = [n for n in examples.names() if examples.path_of(n).is_file()]


def test_init_writes_scenario_includes_and_readme(tmp_path):
    written = starter.init_example(tmp_path)
    assert written == [
        tmp_path / "scenario.toml",
        tmp_path / "tarieven" / "geboortezorg-2024.toml",
        tmp_path / "README.md",
    ]
    assert len(written) == len(_embedded_files(DEFAULT)) + 1  # every include, plus the README
    assert all(p.is_file() for p in written)
    embedded = examples.path_of(DEFAULT).read_text(encoding="utf-8")
    include = 'include = ["../../configs/tarieven/geboortezorg-2024.toml"]'
    assert include in embedded, "the embedded example includes the shared tariff table"
    local = include.replace("../../configs/", "")
    assert written[0].read_text(encoding="utf-8") == embedded.replace(include, local)
    assert written[1].read_bytes() == _embedded_files(DEFAULT)[1].read_bytes()
    assert not list(tmp_path.rglob("*.tmp")), "no temporary files are left behind"


def test_init_without_a_name_writes_the_default_example(tmp_path):
    written = starter.init_example(tmp_path)[0]
    embedded = tomllib.loads(examples.path_of(DEFAULT).read_text(encoding="utf-8"))["scenario"]["name"]
    assert tomllib.loads(written.read_text(encoding="utf-8"))["scenario"]["name"] == embedded


@pytest.mark.parametrize("name", SINGLE_FILE)  # folder examples: tests/test_examples.py
def test_the_written_scenario_computes_exactly_the_embedded_one(tmp_path, name):
    written = starter.init_example(tmp_path / "new" / "folder", name)  # folders are created
    copied = compare(written[0])
    embedded = compare(examples.path_of(name))
    assert [p.resolve() for p in copied.tree.files] == [p.resolve() for p in written if p.suffix == ".toml"]
    for table in ("results", "components", "availability", "shared_savings", "totals"):
        assert getattr(copied.figures, table).equals(getattr(embedded.figures, table)), table


def test_init_refuses_to_overwrite_and_lists_every_file_in_the_way(tmp_path):
    written = starter.init_example(tmp_path)
    main, include = written[0], tmp_path / "tarieven" / "geboortezorg-2024.toml"
    main.write_text("# mine\n", encoding="utf-8")
    include.write_text("# also mine\n", encoding="utf-8")
    readme = written[-1]
    readme.unlink()
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    with pytest.raises(starter.StarterError) as info:
        starter.init_example(tmp_path)

    message = str(info.value)
    assert "--force" in message
    assert str(main) in message and str(include) in message
    assert str(readme) not in message
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert not readme.exists(), "nothing is written when anything is in the way"


def test_force_overwrites(tmp_path):
    written = starter.init_example(tmp_path)
    first = written[0].read_bytes()
    written[0].write_text("# mine\n", encoding="utf-8")
    again = starter.init_example(tmp_path, force=True)
    assert again == written
    assert written[0].read_bytes() == first


def test_a_folder_where_a_file_goes_is_an_error_even_with_force(tmp_path):
    (tmp_path / "scenario.toml").mkdir(parents=True)
    with pytest.raises(starter.StarterError, match="folders"):
        starter.init_example(tmp_path, force=True)


def test_unknown_example_suggests_the_closest_name(tmp_path):
    with pytest.raises(starter.StarterError) as info:
        starter.init_example(tmp_path, DEFAULT.replace("regio", "regoi"))
    message = str(info.value)
    assert f"did you mean '{DEFAULT}'?" in message
    assert all(name in message for name in examples.names())
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- schema


def _number_or_string_fields(schema: dict) -> set[tuple[str, str]]:
    found = set()
    for model, definition in schema["$defs"].items():
        for field, prop in definition.get("properties", {}).items():
            types = {arm.get("type") for arm in prop.get("anyOf", [])}
            if {"number", "string"} <= types:
                found.add((model, field))
    return found


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(starter.json_schema())


def test_schema_is_json_with_the_top_level_tables(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] and schema["description"]
    assert set(TABLES) <= set(schema["properties"])
    for table in TABLES:
        assert schema["properties"][table].get("description"), table
    assert schema["additionalProperties"] is False


def test_schema_has_every_mechanism_type_and_effect_op(schema):
    defs = schema["$defs"]
    mechanisms = defs["Variant"]["properties"]["mechanisms"]["items"]
    assert mechanisms["discriminator"]["propertyName"] == "type"
    assert set(mechanisms["discriminator"]["mapping"]) == set(MECHANISM_TYPES)
    consts = {
        defs[ref["$ref"].rsplit("/", 1)[1]]["properties"]["type"]["const"] for ref in mechanisms["oneOf"]
    }
    assert consts == set(MECHANISM_TYPES)
    effects = defs["Variant"]["properties"]["effects"]["items"]
    assert set(effects["discriminator"]["mapping"]) == set(EFFECT_OPS)


def test_schema_uses_the_toml_key_names(schema):
    defs = schema["$defs"]
    for effect in ("ShiftEffect", "MoveClientsEffect"):
        assert "from" in defs[effect]["properties"]
        assert "from_" not in defs[effect]["properties"]
        assert "from" in defs[effect]["required"]


def test_decimal_fields_are_numbers_not_strings(schema):
    defs = schema["$defs"]
    tariff = {k: v for k, v in defs["Activity"]["properties"]["tariff"].items() if k != "description"}
    assert tariff == {"minimum": 0, "title": "Tariff", "type": "number"}
    assert defs["Activity"]["properties"]["copay"]["default"] == 0
    assert defs["Activity"]["properties"]["availability_share"]["exclusiveMaximum"] == 1
    assert defs["Quality"]["properties"]["score"]["anyOf"][0]["maximum"] == 1
    # under [horizon] a mechanism's, effect's, party's or profile's number may be a table by
    # year (CONTRACTS.md E); an activity's tariff may not
    by_year = defs["Party"]["properties"]["fixed_cost"]["anyOf"][1]
    assert by_year["patternProperties"] == {"^[0-9]{4}$": {"minimum": 0, "type": "number"}}
    assert len(defs["SetEffect"]["properties"]["value"]["anyOf"]) == 2
    assert defs["SetEffect"]["properties"]["ramp"]["anyOf"][0]["additionalProperties"] == {"type": "number"}
    assert defs["Profile"]["properties"]["path"]["patternProperties"]
    assert {"type": "number", "minimum": 0} in defs["Bundle"]["properties"]["price"]["anyOf"]
    assert {"const": "budget_neutral", "type": "string"} in defs["Bundle"]["properties"]["price"]["anyOf"]

    # A number or a string only where the string is a keyword: price = "budget_neutral",
    # benchmark = "baseline" and population_growth = "clients". pydantic alone would say
    # this of every number field.
    assert _number_or_string_fields(schema) == {
        ("Bundle", "price"),
        ("SharedSavings", "benchmark"),
        ("SharedSavings", "loss_sharing_rate"),  # "complement" (CONTRACTS.md F)
        ("Capitation", "population_growth"),
    }
    assert {"const": "complement", "type": "string"} in defs["SharedSavings"]["properties"][
        "loss_sharing_rate"
    ]["anyOf"]
    assert {"const": "clients", "type": "string"} in defs["Capitation"]["properties"]["population_growth"][
        "anyOf"
    ]
    assert '"0"' not in starter.json_schema() and '"1"' not in starter.json_schema()


def test_schema_is_byte_identical_on_repeat():
    first = starter.json_schema()
    assert first.endswith("}\n")
    assert starter.json_schema() == first


@pytest.mark.parametrize("name", examples.names())
def test_example_files_validate_against_the_schema(name, schema):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in _embedded_files(name):  # the scenario and the shared tables it includes
        data = tomllib.loads(path.read_text(encoding="utf-8"))  # floats as float for this check
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, (path, errors)


def test_the_schema_catches_what_an_editor_should(schema):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema)
    bad = {
        "scenario": {"name": "x", "baseline": "mono", "baseline_": "typo"},
        "activities": {"Kz-Uur": {"provider": "kraamzorg", "tariff": 10}},
        "profiles": {"p": {"clients": "1250"}},
        "variants": {"v": {"mechanisms": [{"type": "bundel", "price": 1}]}},
    }
    where = {tuple(e.absolute_path) for e in validator.iter_errors(bad)}
    assert where == {
        ("scenario",),
        ("activities",),
        ("profiles", "p", "clients"),
        ("variants", "v", "mechanisms", 0),
    }
