"""The command-line contract (CLI.md): commands, formats, columns, exit codes, safe output."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from bekostiging import __version__
from bekostiging.report.figures import COLUMNS
from bekostiging.report.numbers import euro, percent
from bekostiging.report.writers.csv import frame_csv
from conftest import invoke, row

SMALL = """
[scenario]
name = "Klein"
baseline = "mono"
client = "client"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
name = "Zorgverzekeraar"
role = "payer"
[parties.client]
role = "client"
[parties.verloskundigen]
role = "provider"
[parties.ziekenhuis]
role = "provider"

[activities.begeleiding]
provider = "verloskundigen"
tariff = 1000.00
copay = 10.00
[activities.bevalling]
provider = "ziekenhuis"
tariff = 2500.00

[profiles.laag]
clients = 10
path = { begeleiding = 1, bevalling = 1 }

[variants.mono]
name = "Monodisciplinair"
[variants.minder]
name = "Minder ziekenhuis"
effects = [{ op = "scale", path = "profiles.laag.path.bevalling", factor = 0.5 }]

[whatif.duurder]
effects = [{ op = "scale", path = "activities.*.tariff", factor = 2 }]
"""


@pytest.fixture
def small(scenario) -> Path:
    return scenario(SMALL)


def as_json(result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"bekostiging {__version__}"


def test_help_lists_the_commands():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("compare", "validate"):
        assert command in result.stdout


def test_compare_without_arguments_runs_the_embedded_example_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "--format", "json")
    document = as_json(result)
    assert document["scenario"]["file"] == "bekostiging:examples/geboortezorg-regio/scenario.toml"
    assert all(f["file"].startswith("bekostiging:") for f in document["inputs"])  # no machine paths
    table = invoke("compare")
    assert table.exit_code == 0
    assert document["scenario"]["name"] in table.stdout


def test_an_embedded_example_can_be_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("validate", "geboortezorg-regio").stdout.strip() == "OK geboortezorg-regio"


# After the contract's columns, each party id column's name (docs/cli.md).
NAME_COLUMNS = {
    "results": ["party_name"],
    "components": ["party_name"],
    "availability": ["party_name"],
    "shared_savings": ["payer_name"],
    "totals": [],
    "ledger": ["payer_name", "payee_name"],
}


def test_json_follows_the_contract(small):
    document = as_json(invoke("compare", small, "--format", "json"))
    assert document["schema_version"] == 1
    assert document["tool"] == {"name": "bekostiging", "version": __version__}
    assert document["scenario"]["name"] == "Klein"
    assert document["baseline"] == "mono"
    assert document["whatifs"] == []
    assert document["variants"] == [
        {"id": "mono", "name": "Monodisciplinair"},
        {"id": "minder", "name": "Minder ziekenhuis"},
    ]
    assert {"id": "zorgverzekeraar", "name": "Zorgverzekeraar", "role": "payer"} in document["parties"]
    assert document["inputs"] == [
        {"file": str(small), "sha256": hashlib.sha256(small.read_bytes()).hexdigest()}
    ]
    for table in ("results", "components", "availability", "shared_savings", "totals"):
        assert table in document
        for r in document[table]:
            assert list(r) == COLUMNS[table] + NAME_COLUMNS[table]  # the names after the contract's
    assert "ledger" not in document
    with_ledger = as_json(invoke("compare", small, "--format", "json", "--table", "ledger"))
    assert list(with_ledger["ledger"][0]) == COLUMNS["ledger"] + ["payer_name", "payee_name"]


def test_json_money_is_exact_with_at_most_two_decimals(small):
    result = invoke("compare", small, "--format", "json")
    zv = row(as_json(result)["results"], variant="minder", party="zorgverzekeraar")
    # 10 × 990 + 5 × 2500 = 22,400.00 paid; baseline 10 × 990 + 10 × 2500 = 34,900.00
    assert zv["net"] == Decimal("-22400.00")
    assert zv["delta"] == Decimal("12500.00")
    assert zv["delta_pct"] == Decimal("35.82")  # 100 × 12,500 / 34,900 = 35.816...
    assert '"net": -22400.00' in result.stdout  # a JSON number, written from Decimal


def test_csv_has_the_contract_columns_for_every_table(small):
    for table in ("results", "components", "availability", "shared_savings", "totals", "ledger"):
        result = invoke("compare", small, "--format", "csv", "--table", table)
        assert result.exit_code == 0, result.stderr
        header = next(csv.reader(io.StringIO(result.stdout)))
        assert header == [c for c in COLUMNS[table] if c != "recipients"] + NAME_COLUMNS[table]


def test_csv_defaults_to_results_with_plain_decimals(small):
    result = invoke("compare", small, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    zv = next(r for r in rows if r["variant"] == "mono" and r["party"] == "zorgverzekeraar")
    assert zv["net"] == "-34900.00"
    assert zv["delta_pct"] == "0.00"
    assert zv["cost"] == ""  # null: the payer has no costs


def test_csv_guards_text_cells_against_formula_injection():
    import polars as pl

    frame = pl.DataFrame({"variant": ["=HYPERLINK()"], "payer": ["+1"], "payee": ["@x"], "profile": ["-2"]})
    frame = frame.with_columns(
        component=pl.lit("fee"),
        activity=pl.lit("\tx"),
        amount=pl.lit(Decimal("-1.50"), dtype=pl.Decimal(20, 2)),
    )
    text = frame_csv(frame.select(COLUMNS["ledger"]))
    assert text.splitlines()[1] == "'=HYPERLINK(),fee,'+1,'@x,'-2,'\tx,-1.50"  # numbers untouched


def test_variant_option_selects_variants_and_keeps_the_baseline(small):
    document = as_json(invoke("compare", small, "-f", "json", "-v", "minder"))
    assert {r["variant"] for r in document["results"]} == {"mono", "minder"}
    only_base = as_json(invoke("compare", small, "-f", "json", "-v", "mono"))
    assert {r["variant"] for r in only_base["results"]} == {"mono"}


def test_baseline_option_takes_deltas_against_another_variant(small):
    document = as_json(invoke("compare", small, "-f", "json", "--baseline", "minder"))
    assert document["baseline"] == "minder"
    assert document["variants"][0]["id"] == "minder"
    assert row(document["results"], variant="mono", party="zorgverzekeraar")["delta"] == Decimal("-12500.00")


def test_whatif_applies_to_every_variant_including_the_baseline(small):
    document = as_json(invoke("compare", small, "-f", "json", "-w", "duurder"))
    assert document["whatifs"] == ["duurder"]
    # tariffs doubled, copay unchanged: 10 × (2000 − 10) + 10 × 5000 = 69,900.00
    assert row(document["results"], variant="mono", party="zorgverzekeraar")["net"] == Decimal("-69900.00")


def test_output_is_written_atomically_and_equals_stdout(small, tmp_path):
    target = tmp_path / "uit.csv"
    result = invoke("compare", small, "-f", "csv", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == invoke("compare", small, "-f", "csv").stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.toml", "uit.csv"]  # no temp files left


def test_output_table_format_writes_plain_text(small, tmp_path):
    target = tmp_path / "uit.txt"
    assert invoke("compare", small, "-o", target).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "Klein" in text and "\x1b[" not in text


@pytest.mark.parametrize("target", ["scenario.toml", "."])
def test_output_never_overwrites_the_scenario_or_a_folder(small, tmp_path, target):
    before = small.read_bytes()
    result = invoke("compare", small, "-f", "csv", "-o", tmp_path / target)
    assert result.exit_code == 2
    assert "refusing" in result.stderr or "directory" in result.stderr
    assert small.read_bytes() == before


def test_output_refuses_any_existing_toml_file(small, tmp_path):
    other = tmp_path / "ander.toml"
    other.write_text("a = 1\n")
    result = invoke("compare", small, "-f", "json", "-o", other)
    assert result.exit_code == 2
    assert other.read_text() == "a = 1\n"


def test_terminal_tables_in_dutch_and_english(small):
    nl = invoke("compare", small)
    assert nl.exit_code == 0
    assert "€ -34.900,00" in nl.stdout
    assert "Saldo" in nl.stdout
    en = invoke("compare", small, "--lang", "en")
    assert "-€34,900.00" in en.stdout
    assert "Net" in en.stdout


def test_each_table_can_be_shown_alone(small):
    for table in ("results", "components", "availability", "shared_savings", "totals", "ledger"):
        result = invoke("compare", small, "--table", table)
        assert result.exit_code == 0, (table, result.stderr)


def test_number_formats():
    assert euro(Decimal("1234567.89"), "nl") == "€ 1.234.567,89"
    assert euro(Decimal("-1234.5"), "nl") == "€ -1.234,50"
    assert euro(Decimal("1234567.89"), "en") == "€1,234,567.89"
    assert euro(Decimal("-0.05"), "en") == "-€0.05"
    assert euro(None, "nl") == "–"
    assert percent(Decimal("-5.25"), "nl") == "-5,25%"
    assert percent(Decimal("0.9512"), "en", fraction=True) == "95.1%"


def test_validate_prints_ok_per_good_file_and_fails_for_a_bad_one(small, scenario):
    bad = scenario("[scenario]\nname = 'x'\n", name="kapot.toml")
    result = invoke("validate", small, bad)
    assert result.exit_code == 1
    assert f"OK {small}" in result.stdout
    assert "kapot.toml: scenario.baseline: required key is missing" in result.stderr


def test_python_dash_m_works():
    done = subprocess.run(
        [sys.executable, "-m", "bekostiging", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"bekostiging {__version__}"


def test_no_traceback_for_bad_input(scenario):
    bad = scenario("[scenario\nname=", name="stuk.toml")
    result = invoke("compare", bad)
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "stuk.toml: TOML syntax error" in result.stderr


def test_help_texts_show_the_toml_tables_they_name():
    # Rich markup would take "[horizon]" for a style tag and drop it from the help.
    assert "[[expect]]" in invoke("check", "--help").stdout
    assert "[uncertainty]" in invoke("simulate", "--help").stdout
    for command in ("compare", "report"):
        assert "[horizon]" in invoke(command, "--help").stdout, command
