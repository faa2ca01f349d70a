"""The analyst's toolkit: explain, attribution, --set, --by, several files (CLI.md, SCENARIO.md §6)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from bekostiging.api import compare
from bekostiging.engine.attribution import attribute
from bekostiging.report.explain import explain
from conftest import invoke, row
from strategies import scenarios, to_toml

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SMALL = """
[scenario]
name = "Regio {name}"
baseline = "mono"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.verloskundigen]
role = "provider"
[parties.ziekenhuis]
role = "provider"
[parties.vsv]
role = "network"

[activities.begeleiding]
provider = "verloskundigen"
tariff = 1000.00
[activities.bevalling]
provider = "ziekenhuis"
tariff = 2500.00
availability_share = 0.2

[availability.acuut]
party = "ziekenhuis"
annual_cost = 10000

[profiles.laag]
clients = {clients}
path = {{ begeleiding = 1, bevalling = 1 }}

[variants.mono]
name = "Monodisciplinair"

[variants.nieuw]
name = "Nieuw"
effects = [{{ op = "scale", path = "profiles.laag.path.bevalling", factor = 0.5 }}]
mechanisms = [
  {{ type = "availability", funding = 1 }},
  {{ type = "collaboration", recipient = "vsv", fixed = 1000 }},
]
"""


def small(clients: int = 10, name: str = "A") -> str:
    return SMALL.format(clients=clients, name=name)


def as_json(result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


# ------------------------------------------------------------------ explain


def test_explain_lists_the_flows_behind_a_figure_with_their_formulas(scenario):
    path = scenario(small())
    document = as_json(invoke("explain", path, "-v", "nieuw", "-p", "ziekenhuis", "-f", "json"))
    assert document["trace_version"] == 1
    # fee: 10 clients × 0.5 units × 2500 × (1 − 0.2) = 10,000.00; availability 10,000.00
    assert document["revenue"] == Decimal("20000.00")
    fee = next(c for c in document["components"] if c["component"] == "fee")
    (flow,) = fee["inflows"]
    assert flow["amount"] == Decimal("10000.00")
    assert (
        flow["formula"]
        == "10 clients × 0.5 units × tariff € 2500.00 × (1 − availability share 0.2) [= € 2000.00 per unit]"
    )
    tree = invoke("explain", path, "-v", "nieuw", "-p", "ziekenhuis")
    assert tree.exit_code == 0
    assert "beschikbaarheid" in tree.stdout
    assert "jaarkosten € 10.000,00 van acuut × financieringsdeel 1" in tree.stdout
    english = invoke("explain", path, "-v", "nieuw", "-p", "ziekenhuis", "--lang", "en").stdout
    assert "availability" in english and "annual cost €10,000.00 of acuut × funding share 1" in english


def test_explain_one_component_and_unknown_names(scenario):
    path = scenario(small())
    document = as_json(
        invoke("explain", path, "-v", "nieuw", "-p", "zorgverzekeraar", "-c", "collaboration", "-f", "json")
    )
    assert [c["component"] for c in document["components"]] == ["collaboration"]
    assert document["payments"] == Decimal("1000.00")
    bad = invoke("explain", path, "-v", "niew", "-p", "zorgverzekeraars", "-c", "fees")
    assert bad.exit_code == 1
    assert "did you mean 'nieuw'" in bad.stderr
    assert "did you mean 'zorgverzekeraar'" in bad.stderr
    assert "did you mean 'fee'" in bad.stderr


@PROPERTY
@given(data=scenarios())
def test_explained_flows_add_up_exactly_to_every_figure(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "s.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    out = compare(path)
    results = {(r["variant"], r["party"]): r for r in out.figures.results.iter_rows(named=True)}
    for variant in out.run.variants:
        for party in out.scenario.parties:
            e = explain(out.run, variant, party)
            figure = results[(variant, party)]
            assert (e.revenue, e.payments, e.net) == (figure["revenue"], figure["payments"], figure["net"])


# ------------------------------------------------------------------ attribution


def test_attribution_steps_in_the_fixed_order(scenario):
    document = as_json(invoke("compare", scenario(small()), "-f", "json", "--attribution"))
    steps = [r for r in document["attribution"] if r["party"] == "ziekenhuis"]
    # care: half the births, 10 × 0.5 × 2500 = −12,500; availability: +10,000 separate − 0.2 × 12,500 stripped
    assert [(r["step"], r["amount"]) for r in steps] == [
        ("care", Decimal("-12500.00")),
        ("availability", Decimal("7500.00")),
        ("collaboration", Decimal("0.00")),
    ]
    delta = row(document["results"], variant="nieuw", party="ziekenhuis")["delta"]
    assert sum(r["amount"] for r in steps) == delta
    table = invoke("compare", scenario(small(), name="b.toml"), "--attribution", "--table", "attribution")
    assert table.exit_code == 0 and "zorg" in table.stdout


def test_attribution_table_needs_the_flag(scenario):
    result = invoke("compare", scenario(small()), "-f", "csv", "--table", "attribution")
    assert result.exit_code == 2


@PROPERTY
@given(data=scenarios())
def test_attribution_steps_add_up_to_the_delta_for_every_party(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "s.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    out = compare(path)
    results = {(r["variant"], r["party"]): r["delta"] for r in out.figures.results.iter_rows(named=True)}
    for variant in out.run.variants:
        if variant == out.run.baseline:
            continue
        steps = attribute(out.run, variant)
        for party in out.scenario.parties:
            assert sum(s.amount for s in steps if s.party == party) == results[(variant, party)]


# ------------------------------------------------------------------ --set and --by


def test_set_overrides_an_input_and_is_validated_like_the_file(scenario):
    path = scenario(small())
    document = as_json(invoke("compare", path, "-f", "json", "--set", "activities.begeleiding.tariff=1200"))
    # 10 × 1200 = 12,000 instead of 10,000
    assert row(document["results"], variant="mono", party="verloskundigen")["revenue"] == Decimal("12000.00")
    bad = invoke("compare", path, "--set", "activities.begeleiding.tariff=12.345", "--set", "activitys.x=1")
    assert bad.exit_code == 1
    assert "error: --set: activities.begeleiding.tariff: money has at most 2 decimals" in bad.stderr
    assert "did you mean 'activities'" in bad.stderr
    assert invoke("compare", path, "--set", "zonder-is-teken").exit_code == 1


def test_set_with_a_wildcard_and_text(scenario):
    path = scenario(small())
    document = as_json(
        invoke(
            "compare", path, "-f", "json", "--set", "profiles.*.clients=20", "--set", "scenario.name=Anders"
        )
    )
    assert document["scenario"]["name"] == "Anders"
    assert row(document["results"], variant="mono", party="verloskundigen")["revenue"] == Decimal("20000.00")


def test_by_profile_component_and_activity(scenario):
    path = scenario(small())
    for by, key in (("profile", "laag"), ("component", "fee"), ("activity", "bevalling")):
        result = invoke("compare", path, "-f", "csv", "--by", by)
        assert result.exit_code == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert list(rows[0]) == ["variant", "party", by, "revenue", "payments", "net", "party_name"]
        assert any(r[by] == key for r in rows)
    activity = as_json(invoke("compare", path, "-f", "json", "--by", "activity"))["by_activity"]
    assert row(activity, variant="mono", party="ziekenhuis", activity="bevalling")["revenue"] == Decimal(
        "25000.00"
    )


# ------------------------------------------------------------------ several files


def _region(folder: Path, name: str, clients: int) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(small(clients, name), encoding="utf-8")
    return path


def test_several_files_side_by_side_with_a_total(tmp_path):
    a, b = _region(tmp_path, "a", 10), _region(tmp_path, "b", 30)
    document = as_json(invoke("compare", a, b, "-f", "json"))
    assert [s["scenario"]["name"] for s in document["scenarios"]] == ["Regio a", "Regio b"]
    total = row(document["total"]["results"], variant="mono", party="verloskundigen")
    assert total["revenue"] == Decimal("40000.00")  # (10 + 30) × 1000
    nieuw = row(document["total"]["results"], variant="nieuw", party="zorgverzekeraar")
    base = row(document["total"]["results"], variant="mono", party="zorgverzekeraar")
    assert nieuw["delta"] == nieuw["net"] - base["net"]
    assert nieuw["delta_pct"] == (100 * nieuw["delta"] / abs(base["net"])).quantize(Decimal("0.01"))


def test_a_folder_means_its_scenario_files_not_the_tables_they_include(tmp_path):
    _region(tmp_path, "a", 10)
    _region(tmp_path, "b", 30)
    (tmp_path / "tarieven.toml").write_text('[parties.extra]\nrole = "payer"\n')
    result = invoke("compare", tmp_path, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert next(iter(rows[0])) == "scenario"
    assert {r["scenario"] for r in rows} == {"Regio a", "Regio b", "total"}
    table = invoke("compare", tmp_path)
    assert table.exit_code == 0 and "Totaal over alle scenario's (2)" in table.stdout


def test_several_files_report_every_bad_file_at_once(tmp_path):
    good = _region(tmp_path, "a", 10)
    (tmp_path / "b.toml").write_text("[scenario\n")
    (tmp_path / "c.toml").write_text('[scenario]\nname = "c"\n')
    result = invoke("compare", good, tmp_path / "b.toml", tmp_path / "c.toml")
    assert result.exit_code == 1
    assert "b.toml: TOML syntax error" in result.stderr and "c.toml: scenario.baseline" in result.stderr


def test_an_empty_folder_is_an_error(tmp_path):
    result = invoke("compare", tmp_path)
    assert result.exit_code == 1 and "is a directory without scenario files" in result.stderr


# ------------------------------------------------------------------ check, starters, exports via the CLI

EXPECT = """
[[expect]]
variant = "nieuw"
party = "ziekenhuis"
metric = "delta"
min = -5000
message = "het ziekenhuis verliest niet meer dan 5.000"

[[expect]]
variant = "nieuw"
function = "acuut"
metric = "coverage"
min = 1
"""


def test_check_passes_and_fails_with_exit_codes_and_junit(scenario, tmp_path):
    path = scenario(small() + EXPECT)
    result = invoke("check", path, "--junit", tmp_path / "checks.xml")
    # ziekenhuis delta: −12,500 + 7,500 = −5,000.00 (inclusive bound: passes); coverage 1.0000: passes
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "2 van 2 toetsen geslaagd" in result.stdout
    assert b'failures="0"' in (tmp_path / "checks.xml").read_bytes()
    worse = small().replace("factor = 0.5", "factor = 0.4") + EXPECT
    failing = invoke("check", scenario(worse, name="f.toml"))
    assert failing.exit_code == 1
    assert "1 check failed." in failing.stderr
    assert invoke("check", "geboortezorg-regio").exit_code == 0


def test_check_of_an_invalid_file_is_exit_1(scenario):
    result = invoke("check", scenario("[scenario]\nname = 'x'\n"))
    assert result.exit_code == 1 and "scenario.baseline" in result.stderr


def test_examples_init_and_schema(tmp_path):
    listing = invoke("examples")
    assert listing.exit_code == 0
    assert any(line.startswith("geboortezorg-regio ") for line in listing.stdout.splitlines())
    target = tmp_path / "start"
    first = invoke("init", target)
    assert first.exit_code == 0, first.stderr
    scenario_file = target / "scenario.toml"
    assert f"wrote {scenario_file}" in first.stdout
    assert invoke("compare", scenario_file, "-f", "csv").stdout == invoke("compare", "-f", "csv").stdout
    again = invoke("init", target)
    assert again.exit_code == 1 and "refusing to overwrite" in again.stderr
    assert invoke("init", target, "--force").exit_code == 0
    assert invoke("init", target, "--example", "geboortezorg").exit_code == 1
    schema = json.loads(invoke("schema").stdout)
    assert "activities" in schema["properties"]


def test_binary_formats_and_the_excel_dialect(scenario, tmp_path):
    path = scenario(small())
    for fmt, magic in (("parquet", b"PAR1"), ("xlsx", b"PK")):
        target = tmp_path / f"uit.{fmt}"
        assert invoke("compare", path, "-f", fmt, "-o", target).exit_code == 0
        assert target.read_bytes().startswith(magic)
    nl = invoke("compare", path, "-f", "csv", "--csv-dialect", "excel-nl")
    assert nl.stdout.startswith("\ufeffvariant;party;role;revenue")
    assert "mono;verloskundigen;provider;10000,00;0,00;10000,00;0,00;0,00;;" in nl.stdout


def test_several_files_in_the_excel_dialect(tmp_path):
    a, b = _region(tmp_path, "a", 10), _region(tmp_path, "b", 30)
    result = invoke("compare", a, b, "-f", "csv", "--csv-dialect", "excel-nl")
    assert result.stdout.startswith("\ufeffscenario;variant;party")
    assert "total;mono;verloskundigen;provider;40000,00" in result.stdout
    # Several files are every format now (this was refused before): a sheet per table,
    # each with the scenario column, and the sources of each file.
    import openpyxl

    assert invoke("compare", a, b, "-o", tmp_path / "x.xlsx").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    rows = list(book["results"].iter_rows(values_only=True))
    assert rows[0][:3] == ("scenario", "variant", "party")
    assert ("total", "mono", "verloskundigen", "provider", 40000) in [r[:5] for r in rows]
    sources = [r[0] for r in book["bronnen"].iter_rows(values_only=True)]
    assert sources.count("scenario") == 2


# ------------------------------------------------------------------ calibrate via the CLI


def test_calibrate_writes_a_fragment_that_validates(tmp_path):
    from support.synthetic import generate_claims, mapping_toml

    claims = tmp_path / "claims.parquet"
    truth = generate_claims(claims, clients=3000, seed=3)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(mapping_toml(truth, str(examples_default())), encoding="utf-8")
    target = tmp_path / "fragment.toml"
    result = invoke("calibrate", claims, "--mapping", mapping, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {target}" in result.stderr
    assert "[profiles.ongecompliceerd]" in target.read_text(encoding="utf-8")
    stdout = invoke("calibrate", claims, "--mapping", mapping)
    assert stdout.stdout == target.read_text(encoding="utf-8")
    refused = invoke("calibrate", claims, "--mapping", mapping, "-o", mapping)
    assert refused.exit_code == 2


def test_calibrate_bad_input_writes_nothing(tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text("client_id,activity,units\nc1,190001,1\n", encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[codes]\n"190001" = "vk_volledig"\n', encoding="utf-8")
    target = tmp_path / "fragment.toml"
    result = invoke("calibrate", claims, "--mapping", mapping, "-o", target)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "amount" in result.stderr  # a missing column is named
    assert not target.exists()


def examples_default() -> Path:
    from bekostiging import examples

    return examples.path_of(examples.DEFAULT)
