"""The JSON Schema as an editor uses it (issue 16 item 15): keywords as enums, a line per key.

`tests/test_starter.py` checks its structure and that every example validates against it;
these check what an author sees while typing: completion of the keywords
("budget_neutral", "tariffs", "contribution"), an error on a misspelt one, and a
description on hover for every key.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bekostiging import starter
from bekostiging.scenario.descriptions import DESCRIPTIONS, SHARED

jsonschema = pytest.importorskip("jsonschema")

# Strings that are free text or names, where no list of keywords can help.
FREE_TEXT = {
    ("Activity", "name"),
    ("Activity", "unit"),
    ("AvailabilityFunction", "name"),
    ("Party", "name"),
    ("Profile", "name"),
    ("Variant", "name"),
    ("WhatIf", "name"),
    ("ScenarioMeta", "name"),
    ("ScenarioMeta", "include"),
    ("Expectation", "message"),
    ("Bundle", "scope"),
    ("Capitation", "scope"),
    ("LumpSum", "scope"),
    ("SetEffect", "path"),
    ("ScaleEffect", "path"),
    ("ShiftEffect", "profile"),  # a profile id or "*"
}


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(starter.json_schema())


def _open_strings(node: Any) -> bool:
    """Whether `node` accepts some string without an enum, const or pattern."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"enum", "const", "pattern"} & set(node):
            return True
        return any(_open_strings(v) for v in node.values())
    if isinstance(node, list):
        return any(_open_strings(v) for v in node)
    return False


def test_every_keyword_field_lists_its_keywords(schema: dict) -> None:
    defs = schema["$defs"]
    arms = {
        (model, key): [a for a in defs[model]["properties"][key]["anyOf"] if a.get("type") == "string"]
        for model, key in (
            ("Bundle", "price"),
            ("Bundle", "distribution"),
            ("Capitation", "distribution"),
            ("SharedSavings", "benchmark"),
            ("SharedSavings", "distribution"),
            ("Quality", "recipients"),
        )
    }
    assert arms == {
        ("Bundle", "price"): [{"const": "budget_neutral", "type": "string"}],
        ("Bundle", "distribution"): [{"enum": ["tariffs", "cost"], "type": "string"}],
        ("Capitation", "distribution"): [{"enum": ["tariffs", "cost"], "type": "string"}],
        ("SharedSavings", "benchmark"): [{"const": "baseline", "type": "string"}],
        ("SharedSavings", "distribution"): [
            {"enum": ["equal", "revenue", "contribution", "investment"], "type": "string"}
        ],
        ("Quality", "recipients"): [{"const": "tariffs", "type": "string"}],
    }
    assert defs["Party"]["properties"]["role"]["enum"] == ["payer", "provider", "client", "network"]
    # No other key takes any string: a new keyword field must say its keywords too.
    open_keys = {
        (model, key)
        for model, definition in defs.items()
        for key, prop in definition.get("properties", {}).items()
        if _open_strings(prop)
    }
    assert open_keys == FREE_TEXT


@pytest.mark.parametrize(
    ("mechanism", "where"),
    [
        ({"type": "bundle", "price": "budget_neutrl"}, "price"),
        ({"type": "bundle", "price": 10, "distribution": "tarifs"}, "distribution"),
        ({"type": "capitation", "amount": 1, "population": 1, "distribution": "kosten"}, "distribution"),
        (
            {
                "type": "shared_savings",
                "sharing_rate": 0.5,
                "recipients": ["a"],
                "distribution": "contributie",
            },
            "distribution",
        ),
        (
            {"type": "shared_savings", "sharing_rate": 0.5, "recipients": ["a"], "benchmark": "basline"},
            "benchmark",
        ),
        ({"type": "quality", "recipients": "tarifs", "pool": 1, "score": 1}, "recipients"),
        ({"type": "bundle", "price": 10, "distribution": {"a": 1.5}}, "distribution"),
    ],
    ids=["price", "bundle", "capitation", "shared-savings", "benchmark", "quality", "share-above-1"],
)
def test_a_misspelt_keyword_is_an_error_in_the_editor(
    schema: dict, mechanism: dict[str, Any], where: str
) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    document = {"variants": {"v": {"mechanisms": [mechanism]}}}
    assert list(validator.iter_errors(document)), mechanism
    fixed = {
        "price": "budget_neutral",
        "distribution": "cost" if mechanism["type"] != "shared_savings" else "contribution",
        "benchmark": "baseline",
        "recipients": "tariffs",
    }[where]
    document["variants"]["v"]["mechanisms"][0] = {**mechanism, where: fixed}
    assert not list(validator.iter_errors(document)), list(validator.iter_errors(document))


def test_every_key_has_a_description(schema: dict) -> None:
    missing = [
        (model, key)
        for model, definition in schema["$defs"].items()
        for key, prop in definition.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert not missing
    for table, prop in schema["properties"].items():
        assert prop.get("description"), table


def test_every_description_belongs_to_a_key(schema: dict) -> None:
    defs = schema["$defs"]
    stale = [
        (m, k)
        for m, keys in DESCRIPTIONS.items()
        for k in keys
        if k not in defs.get(m, {}).get("properties", {})
    ]
    assert not stale
    used = {k for d in defs.values() for k in d.get("properties", {})}
    assert set(SHARED) <= used


def test_the_main_keys_say_what_they_mean(schema: dict) -> None:
    defs = schema["$defs"]

    def text(model: str, key: str) -> str:
        return defs[model]["properties"][key]["description"]

    assert "co-payment included" in text("Activity", "tariff")
    assert "scenario.client" in text("Activity", "copay")
    assert "budget_neutral" in text("Bundle", "price")
    assert '"contribution"' in text("SharedSavings", "distribution")
    assert "every delta" in text("ScenarioMeta", "baseline")
    assert "care path" in text("Profile", "path")
    assert text("Bundle", "payer") == text("Capitation", "payer")  # one meaning, one line
    # the year-table handling stays: a number of a mechanism may be a table by year
    assert defs["Bundle"]["properties"]["overhead"]["anyOf"][1]["patternProperties"]
