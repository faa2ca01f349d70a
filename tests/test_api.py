"""The public Python API (docs/api.md): what it returns, in euros, and its errors."""

from __future__ import annotations

import doctest
import hashlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

import bekostiging as bk
from bekostiging import examples
from conftest import invoke, write

ROOT = Path(__file__).resolve().parents[1]

SMALL = """
[scenario]
name = "Klein"
baseline = "mono"
client = "client"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.client]
role = "client"
[parties.vk]
role = "provider"
[parties.zh]
role = "provider"

[activities.begeleiding]
provider = "vk"
tariff = 1000.00
copay = 10.00
[activities.bevalling]
provider = "zh"
tariff = 2500.00
availability_share = 0.4

[profiles.laag]
clients = 10
path = { begeleiding = 1, bevalling = 1 }

[availability.dienst]
party = "zh"
annual_cost = 30000

[variants.mono]
[variants.minder]
effects = [{ op = "scale", path = "profiles.laag.path.bevalling", factor = 0.5 }]

[[expect]]
variant = "minder"
party = "zv"
metric = "delta"
min = 10000

[[expect]]
variant = "minder"
party = "zh"
metric = "delta_pct"
min = 0

[uncertainty]
draws = 40
seed = 3
[uncertainty.params]
"activities.bevalling.tariff" = { dist = "uniform", low = 2400, high = 2600 }
"profiles.laag.clients" = { dist = "triangular", low = 8, mode = 10, high = 13 }
"""


@pytest.fixture(scope="module")
def small() -> bk.Scenario:
    return bk.loads(SMALL)


# ------------------------------------------------------------------ the docs run


def test_the_examples_in_docs_api_md_run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False)
    assert result.attempted > 40
    assert result.failed == 0


@pytest.mark.parametrize("module", ["bekostiging", "bekostiging.api", "bekostiging.expectations"])
def test_module_docstring_examples_run(module, monkeypatch, tmp_path):
    import importlib

    monkeypatch.chdir(tmp_path)  # the examples name embedded examples, not repository paths
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0


def test_import_is_lazy_and_the_api_is_there_when_used():
    code = (
        "import sys, bekostiging as bk\n"
        "heavy = [m for m in ('polars', 'pydantic', 'numpy', 'rich') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert callable(bk.compare)\n"
        "assert {'load', 'loads', 'render', 'ScenarioError'} <= set(dir(bk))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        bk.nope  # noqa: B018


# ------------------------------------------------------------------ loading


def test_load_takes_a_path_a_folder_or_an_example_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    by_name = bk.load("caseload-verloskunde")
    assert isinstance(by_name, bk.Scenario) and by_name.label == "caseload-verloskunde"
    path = examples.path_of("caseload-verloskunde")
    by_path = bk.load(path)
    assert by_path.file == by_name.file == "bekostiging:examples/caseload-verloskunde/scenario.toml"
    assert by_path.files[0] == path.resolve()
    regions = bk.load("geboortezorg-nationaal")
    assert isinstance(regions, tuple) and len(regions) > 10
    assert all(r.file.startswith("bekostiging:examples/geboortezorg-nationaal/regios/") for r in regions)
    with pytest.raises(bk.ScenarioError) as error:
        bk.load(tmp_path / "nergens.toml")
    assert [(f.path, f.message) for f in error.value.findings] == [("", "does not exist")]


def test_loads_reads_includes_beside_base_dir_and_names_the_text(tmp_path):
    write(
        tmp_path / "tarieven.toml",
        "[activities.bevalling]\nprovider = 'zh'\ntariff = 2500.00\navailability_share = 0.4\n",
    )
    text = SMALL.replace('name = "Klein"', 'name = "Klein"\ninclude = ["tarieven.toml"]')
    text = text.replace(
        '[activities.bevalling]\nprovider = "zh"\ntariff = 2500.00\navailability_share = 0.4\n', ""
    )
    s = bk.loads(text, base_dir=tmp_path, name="notebook")
    inputs = bk.compare(s).meta.inputs
    assert inputs[0] == {"file": "notebook", "sha256": hashlib.sha256(text.encode()).hexdigest()}
    assert inputs[1]["file"].endswith("tarieven.toml")
    with pytest.raises(bk.ScenarioError, match=r"included file tarieven\.toml not found"):
        bk.loads(text, base_dir=tmp_path / "elders")


def test_scenario_errors_carry_file_dotted_path_and_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "kapot.toml", SMALL.replace("clients = 10", "clients = -3"))
    with pytest.raises(bk.ScenarioError) as error:
        bk.load("kapot.toml")
    finding = error.value.findings[0]
    assert (finding.file, finding.path) == ("kapot.toml", "profiles.laag.clients")
    assert "must be >= 0" in finding.message
    with pytest.raises(bk.ScenarioError) as error:
        bk.loads("[scenario\n", name="tekst")
    assert error.value.findings[0].file == "tekst" and "TOML syntax error" in error.value.findings[0].message


# ------------------------------------------------------------------ compare


def test_money_is_decimal_euros_equal_to_the_exact_figures(small):
    r = bk.compare(small, attribution=True)
    money = pl.Decimal(20, 2)
    assert r.results.schema["net"] == money and r.results.schema["delta_pct"] == money
    assert r.table("availability").schema["coverage"] == pl.Decimal(20, 4)
    assert r.ledger.schema["amount"] == money
    for name in r.names():
        euros, cents = r.table(name), r.figures.table(name)
        for column, dtype in euros.schema.items():
            if isinstance(dtype, pl.Decimal):
                scale = Decimal(1).scaleb(dtype.scale)
                assert [None if v is None else v * scale for v in euros[column].to_list()] == cents[
                    column
                ].to_list(), (name, column)
    zh = r.results.filter(variant="minder", party="zh").row(0, named=True)
    assert zh["delta"] == Decimal("-12500.00") and zh["delta_pct"] == Decimal("-50.00")


def test_overrides_are_a_mapping_validated_like_the_file(small):
    by_decimal = bk.compare(small, overrides={"activities.bevalling.tariff": Decimal("2600.00")})
    by_int = bk.compare(small, overrides={"activities.bevalling.tariff": 2600})
    by_text = bk.compare(small, overrides={"activities.bevalling.tariff": "2600.00"})
    by_cli = bk.compare(small, overrides=["activities.bevalling.tariff=2600.00"])
    revenue = by_decimal.results.filter(variant="mono", party="zh")["revenue"].item()
    assert revenue == Decimal("26000.00")
    for other in (by_int, by_text, by_cli):
        assert other.results.equals(by_decimal.results)
    assert bk.compare(small).results.filter(variant="mono", party="zh")["revenue"].item() == Decimal(
        "25000.00"
    )
    with pytest.raises(bk.ScenarioError) as error:
        bk.compare(small, overrides={"activities.bevalling.tariff": 2600.5, "activities.nee.tariff": 1})
    assert [(f.file, f.path) for f in error.value.findings] == [
        ("overrides", "activities.bevalling.tariff"),
        ("overrides", "activities.nee.tariff"),
    ]
    assert "is a float" in error.value.findings[0].message


def test_an_example_name_or_a_path_is_a_scenario_too(tmp_path):
    path = write(tmp_path / "klein.toml", SMALL)
    assert bk.compare(str(path)).results.equals(bk.compare(bk.load(path)).results)
    assert bk.compare("caseload-verloskunde").meta.scenario_name == bk.load("caseload-verloskunde").name


def test_several_scenarios_give_comparisons_with_a_total(small):
    both = bk.compare([small, small.with_overrides({"profiles.laag.clients": 30})])
    assert isinstance(both, bk.Comparisons) and len(both.items) == 2
    total = both.results.filter(scenario="total", variant="mono", party="vk")["revenue"].item()
    assert total == Decimal("40000.00")  # 10 + 30 clients × 1000
    assert both.table("ledger").columns[0] == "scenario"
    document = json.loads(bk.render(both, "json"))
    assert len(document["scenarios"]) == 2 and "total" in document


def test_year_computes_only_that_year_until_the_summary_is_read(monkeypatch):
    from bekostiging.engine import horizon

    asked = []
    real = horizon.run_horizon

    def counting(*args, only_year=None, **kwargs):
        asked.append(only_year)
        return real(*args, only_year=only_year, **kwargs)

    monkeypatch.setattr(horizon, "run_horizon", counting)
    s = bk.load("geboortezorg-regio")
    r = bk.compare(s, year=2027)
    assert r.results["year"].unique().to_list() == [2027]
    bk.render(r, "csv", "components")
    assert asked == [2027]
    summary = r.table("horizon")  # over every year: they are computed now
    assert asked == [2027, None] and summary.height > 0
    assert summary.equals(bk.compare(s).table("horizon"))
    assert r.results.equals(bk.compare(s).results.filter(year=2027))


# ------------------------------------------------------------------ the other commands


def test_simulate_tables_and_draws_agree(small):
    sim = bk.simulate(small, draws=40, seed=3)
    assert sim.n_draws == 40 and sim.seed == 3
    assert sim.draws.height == 40 * 2 * 4  # draws × variants × parties
    assert sim.draws["draw"].unique().sort().to_list() == list(range(1, 41))
    for row in sim.results.iter_rows(named=True):
        mine = sim.draws.filter(variant=row["variant"], party=row["party"])
        assert min(mine["net"]) <= row["net_mean"] <= max(mine["net"])
        losses = sum(1 for d in mine["delta"] if d < 0)
        assert row["p_loss"] == (Decimal(losses) / 40).quantize(Decimal("0.0001"))
    assert sim.results.schema["p_loss"] == pl.Decimal(20, 4)
    assert sim.shared_savings.columns[:4] == ["variant", "payer", "p_eligible", "payout_mean"]
    assert sim.shared_savings.columns[4:] == [
        "p_payout",
        "p_repayment",
        "settlement_mean",
        "settlement_p5",
        "settlement_p95",
        "payer_name",
    ]
    assert sim.settlement_risk.height == 0  # no shared savings in this scenario


def test_sensitivity_keeps_parameter_values_as_written(small):
    tornado = bk.sensitivity(small, variant="minder", party="zh", metric="net").tornado
    assert tornado.columns == ["parameter", "low", "high", "metric_low", "metric_high", "swing"]
    first = tornado.row(0, named=True)
    assert (first["parameter"], first["low"], first["high"]) == ("profiles.laag.clients", 8, 13)
    assert str(first["low"]) == "8" and first["swing"] == Decimal("6250.00")
    with pytest.raises(bk.OptionError, match="unknown metric"):
        bk.sensitivity(small, variant="minder", party="zh", metric="marge")


def test_explain_flows_add_up_to_the_figure_and_its_json_is_the_clis(small, tmp_path):
    trace = bk.explain(small, variant="minder", party="zh")
    flows = trace.table("flows")
    signed = [a if d == "in" else -a for d, a in zip(flows["direction"], flows["amount"], strict=True)]
    assert sum(signed) == trace.net
    net = bk.compare(small).results.filter(variant="minder", party="zh")["net"].item()
    assert trace.net == net
    path = write(tmp_path / "klein.toml", SMALL)
    cli = invoke("explain", path, "-v", "minder", "-p", "zh", "-f", "json").stdout
    assert cli == bk.render(bk.explain(bk.load(path), variant="minder", party="zh"), "json")


def test_check_outcomes_as_a_table(small):
    checks = bk.check(small)
    assert checks.failed == 1  # the hospital loses half its births
    outcomes = checks.outcomes
    assert outcomes["passed"].to_list() == [True, False]
    assert outcomes["value"].to_list() == [Decimal("12500.00"), Decimal("-50.00")]
    assert outcomes["file"].to_list() == ["<text>", "<text>"]
    assert "below min 0" in outcomes["reason"][1]


def test_one_scenario_commands_refuse_several(small):
    other = bk.loads(SMALL, name="tweede")
    with pytest.raises(bk.OptionError, match="simulate takes one scenario file; got 2"):
        bk.simulate([small, other])


# ------------------------------------------------------------------ render: exactly the CLI's bytes


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "parquet", "xlsx"])
def test_render_writes_exactly_what_the_cli_writes(fmt, tmp_path):
    path = write(tmp_path / "klein.toml", SMALL)
    target = tmp_path / f"uit.{ {'table': 'txt'}.get(fmt, fmt) }"
    assert invoke("compare", path, "-f", fmt, "--table", "availability", "-o", target).exit_code == 0
    rendered = bk.render(bk.compare(bk.load(path)), fmt, "availability")
    assert target.read_bytes() == (rendered if isinstance(rendered, bytes) else rendered.encode())
    nl = bk.render(bk.compare(bk.load(path)), "csv", dialect="excel-nl")
    assert invoke("compare", path, "-f", "csv", "--csv-dialect", "excel-nl").stdout_bytes == nl


def test_render_refuses_unknown_formats_and_tables(small):
    from bekostiging.report.writers import FormatError

    r = bk.compare(small)
    with pytest.raises(FormatError, match="unknown format 'pdf'"):
        bk.render(r, "pdf")
    with pytest.raises(bk.OptionError, match="no table 'horizon' here"):
        bk.render(r, "csv", "horizon")
