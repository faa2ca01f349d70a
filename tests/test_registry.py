"""The mechanism registry is the one list: everything derived from it agrees with it.

Adding a mechanism is one module with a `SPEC` plus one line in
`bekostiging/mechanisms/__init__.py`; these tests say what else then follows by itself
(the model union, checks, engine loop, components, docs table) and fail when a piece
drifts from the registry.
"""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from bekostiging import mechanisms
from bekostiging.engine.ledger import COMPONENTS
from bekostiging.mechanisms import MECHANISMS, STAGES, Mechanism
from bekostiging.scenario.model import MECHANISM_TYPES, Variant

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "bekostiging" / "mechanisms"
# SCENARIO.md §4: the fixed evaluation order.
ORDER = [
    "lump_sum",  # CONTRACTS.md D: evaluated with fee-for-service, before the payment mechanisms
    "payment",
    "availability",
    "collaboration",
    "quality",
    "refill",
    "revenue_guarantee",
    "ceiling",
    "shared_savings",
    "transfer",  # CONTRACTS.md C: evaluated last
]
# What a mechanism module may import: leaves only, never the scenario or the engine.
LEAVES = {
    "bekostiging.arithmetic",
    "bekostiging.fields",
    "bekostiging.findings",
    "bekostiging.formula",
    "bekostiging.lanes",
    "bekostiging.money",
}


def registry_table() -> str:
    """The docs' registry table, as the registry says it must read."""
    rows = [
        "| step | `type` | components | money inputs (indexed by year) | what it does |",
        "| --- | --- | --- | --- | --- |",
        "| fee-for-service | (none: no mechanism) | `fee`, `copay` | activities' `tariff`, `copay`, `cost` "
        "| every unit no payment mechanism covers, at the payer's part of the tariff; co-payments on every "
        "unit |",
    ]
    for spec in MECHANISMS:
        kind = f"`{spec.type}`" + (" (an effect)" if spec.from_effects else "")
        components = ", ".join(f"`{c}`" for c in spec.components)
        money = ", ".join(f"`{m}`" for m in spec.money_fields) or "—"
        rows.append(f"| {spec.stage} | {kind} | {components} | {money} | {spec.summary} |")
    return "\n".join(rows)


def test_the_docs_table_is_the_registry():
    guide = (ROOT / "docs" / "mechanisms.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- registry:[^>]*-->\n(.*?)\n<!-- /registry -->", guide, re.DOTALL)
    assert block is not None
    assert block.group(1) == registry_table()


def test_stages_are_the_contract_order():
    assert list(STAGES) == ORDER


def test_components_are_the_cli_contract_names_in_order():
    cli = (ROOT / "docs" / "spec" / "CLI.md").read_text(encoding="utf-8")
    listed = re.search(r"Component names: (.*?)\.\n", cli, re.DOTALL)
    assert listed is not None
    assert list(COMPONENTS) == re.findall(r"`(\w+)`", listed.group(1))


@pytest.mark.parametrize("spec", MECHANISMS, ids=lambda s: s.type)
def test_each_spec_describes_its_model(spec):
    assert spec.labels.keys() == {"nl", "en"} and spec.summary
    if spec.model is None:  # refill: an effect, typed with the effects
        assert spec.type == "refill" and not spec.money_fields
        return
    assert typing.get_args(spec.model.model_fields["type"].annotation) == (spec.type,)
    for name in spec.money_fields:
        assert name in spec.model.model_fields, f"{spec.type}.{name}"
    assert (spec.covers is not None) == (spec.stage in ("lump_sum", "payment"))


def test_the_model_union_is_the_registry():
    assert tuple(s.type for s in MECHANISMS if s.model is not None) == MECHANISM_TYPES
    schema = TypeAdapter(Mechanism).json_schema()
    assert set(schema["discriminator"]["mapping"]) == set(MECHANISM_TYPES)
    # a variant validates each entry to the spec's model, by its `type`
    variant = Variant.model_validate(
        {"mechanisms": [{"type": "ceiling", "amount": 5}, {"type": "availability"}]},
        context={"source": True},
    )
    assert [mechanisms.spec_of(m).type for m in variant.mechanisms] == ["ceiling", "availability"]


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_mechanism_modules_import_only_leaves(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bekostiging"):
            allowed = node.module in LEAVES or node.module.startswith("bekostiging.mechanisms")
            assert allowed, f"{path.name} imports {node.module}"
