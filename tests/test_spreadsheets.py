"""What a spreadsheet reader gets (issue 16, item 8): every column of every xlsx sheet in
its number format, party names beside their ids, and booleans Dutch Excel reads.

The xlsx files are read back with openpyxl, cell by cell: money in the euro format,
every percentage a real Excel percentage (a fraction shown as `0.00%`, `delta_pct`
included), whole numbers as integers. Every export of a table with a party id (`party`,
`payer`, `payee`, `recipient`) has that party's name in a column `<id column>_name`,
after the contract's columns (CLI.md: columns may be added after them, never reordered).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

import bekostiging as bk
from bekostiging import examples
from bekostiging.report import simulation
from bekostiging.report.figures import COLUMNS, MONEY
from conftest import invoke, write
from test_api import SMALL

openpyxl = pytest.importorskip("openpyxl")

MONEY_FORMAT = "[$€-2] #,##0.00;[$€-2] -#,##0.00"
PERCENT_FORMAT = "0.00%"
INTEGER_FORMAT = "0"

# What a reader should see in each column that holds numbers, by the column's name.
MONEY_COLUMNS = {*MONEY, "npv_delta", "npv_margin_delta", "amount"} | {
    c for c, scale in simulation.SCALES.items() if scale == 2
}
PERCENT_COLUMNS = {"delta_pct", "coverage", "savings_rate", *simulation.SHARES}
INTEGER_COLUMNS = {"year", "payback_year", "index"}
# Numbers whose kind is that of the row: a check's bounds and value (by its metric), a
# tornado's parameter values (as written: a count, a fraction, a tariff).
BY_ROW = {"min", "max", "value", "low", "high"}

NAMED = """
[parties.zv]
name = "Zorgverzekeraar Zuid"
role = "payer"
[parties.client]
name = "Cliënt"
role = "client"
[parties.vk]
name = "Verloskundigen Oost"
role = "provider"
[parties.zh]
name = "Ziekenhuis Midden"
role = "provider"
"""
NAMES = {
    "zv": "Zorgverzekeraar Zuid",
    "client": "Cliënt",
    "vk": "Verloskundigen Oost",
    "zh": "Ziekenhuis Midden",
}


@pytest.fixture(scope="module")
def named(tmp_path_factory) -> Path:
    """SMALL with a name for every party."""
    start, end = SMALL.index("[parties.zv]"), SMALL.index("[activities.begeleiding]")
    return write(tmp_path_factory.mktemp("named") / "klein.toml", SMALL[:start] + NAMED + "\n" + SMALL[end:])


@pytest.fixture(scope="module")
def example() -> bk.Scenario:
    return bk.load(examples.path_of(examples.DEFAULT))


def _book(result) -> dict[str, list[dict[str, object]]]:
    """Every table sheet as rows of {column: cell}."""
    book = openpyxl.load_workbook(io.BytesIO(bk.render(result, "xlsx")))
    sheets = {}
    for sheet in book.worksheets:
        if sheet.title in ("bronnen", "sources"):
            continue
        header = [c.value for c in sheet[1]]
        sheets[sheet.title] = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    return sheets


def _results(example) -> dict[str, object]:
    return {
        "compare": bk.compare(example, attribution=True, by="component"),
        "compare --by payer": bk.compare(example, by="payer", year=2025),
        "simulate": bk.simulate(example, draws=6),
        "sensitivity": bk.sensitivity(example, variant="integraal", party="ziekenhuis"),
        "explain": bk.explain(example, variant="integraal", party="ziekenhuis"),
        "check": bk.check(example),
    }


def test_every_number_column_of_every_sheet_has_the_format_of_its_kind(example):
    for command, result in _results(example).items():
        for name, rows in _book(result).items():
            assert rows, (command, name)
            for column in rows[0]:
                cells = [r[column] for r in rows if r[column].value is not None]
                numbers = [
                    c for c in cells if isinstance(c.value, int | float) and not isinstance(c.value, bool)
                ]
                where = (command, name, column)
                if column in MONEY_COLUMNS:
                    assert numbers == cells and {c.number_format for c in cells} <= {MONEY_FORMAT}, where
                elif column in PERCENT_COLUMNS:
                    assert numbers == cells and {c.number_format for c in cells} <= {PERCENT_FORMAT}, where
                elif column in INTEGER_COLUMNS:
                    assert all(float(c.value).is_integer() for c in numbers), where
                    assert numbers == cells and {c.number_format for c in cells} <= {INTEGER_FORMAT}, where
                elif column not in BY_ROW:
                    assert not numbers, f"{where}: a column of numbers without a kind"


def test_delta_pct_is_an_excel_percentage_of_the_same_number(example):
    """35,82 % is the fraction 0.3582 in Excel (as coverage is): what CSV writes as 35.82."""
    result = bk.compare(example, year=2025)
    rows = _book(result)["results"]
    expected = result.results["delta_pct"].to_list()
    assert len(rows) == len(expected)
    shown = 0
    for row, pct in zip(rows, expected, strict=True):
        cell = row["delta_pct"]
        if pct is None:
            assert cell.value is None
            continue
        assert cell.number_format == PERCENT_FORMAT
        assert cell.value == float(pct / 100)
        shown += pct != 0
    assert shown  # some are not zero


def test_a_checks_bounds_and_value_have_the_format_of_its_metric(example):
    rows = _book(bk.check(example))["outcomes"]
    metrics = {r["metric"].value for r in rows}
    assert {"coverage", "delta_pct"} <= metrics and metrics & MONEY_COLUMNS
    for row in rows:
        metric = row["metric"].value
        for column in ("min", "max", "value"):
            cell = row[column]
            if cell.value is None:
                continue
            assert cell.number_format == (MONEY_FORMAT if metric in MONEY_COLUMNS else PERCENT_FORMAT), (
                metric,
                column,
            )
    table = bk.check(example).outcomes
    pct = table.filter(pl.col("metric") == "delta_pct").row(0, named=True)
    cell = next(r for r in rows if r["metric"].value == "delta_pct")["value"]
    assert cell.value == float(pct["value"] / 100)  # a percentage as Excel's fraction


# ------------------------------------------------------------------ party names


def _name_columns(table: str) -> list[str]:
    ids = [c for c in ("party", "payer", "payee", "recipient") if c in COLUMNS.get(table, [table])]
    return [f"{c}_name" for c in ids]


def test_every_table_with_a_party_id_has_its_name_last(named):
    result = bk.compare(named, attribution=True, by="component")
    for table in result.names():
        frame = result.table(table)
        contract = [c for c in frame.columns if not c.endswith("_name")]
        expected = _name_columns(table)
        assert frame.columns == contract + expected, table  # after the contract's columns
        for column in expected:
            ids = frame[column.removesuffix("_name")].to_list()
            assert frame[column].to_list() == [NAMES.get(i, i) for i in ids], (table, column)
    assert result.table("results").columns[: len(COLUMNS["results"])] == COLUMNS["results"]
    assert "party_name" in result.table("results").columns
    assert result.table("ledger").columns[-2:] == ["payer_name", "payee_name"]
    assert result.table("shared_savings").columns[-1] == "payer_name"
    assert result.table("totals").columns == COLUMNS["totals"]  # no party: no name


def test_the_other_commands_name_their_parties_too(named):
    sim = bk.simulate(named, draws=4)
    assert sim.results.columns[-1] == "party_name"
    assert sim.shared_savings.columns[-1] == "payer_name"
    assert sim.settlement_risk.columns[-1] == "recipient_name"
    assert set(sim.results["party_name"]) == set(NAMES.values())
    flows = bk.explain(named, variant="minder", party="zh").table("flows")
    assert flows.columns[-2:] == ["payer_name", "payee_name"]
    assert "Ziekenhuis Midden" in flows["payee_name"].to_list()
    by_payer = bk.compare(named, by="payer").table("by_payer")
    assert by_payer.columns[-1] == "payer_name" and set(by_payer["payer_name"]) <= set(NAMES.values())


def test_several_files_name_the_total_rows_too(named, tmp_path):
    other = write(tmp_path / "tweede.toml", named.read_text(encoding="utf-8").replace("Klein", "Tweede"))
    results = bk.compare([named, other]).results
    assert results.columns == ["scenario", *COLUMNS["results"], "party_name"]
    total = results.filter(pl.col("scenario") == "total")
    assert total.height and total["party_name"].to_list() == [NAMES[p] for p in total["party"]]


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "xlsx"])
def test_the_names_reach_every_export(named, tmp_path, fmt):
    target = tmp_path / f"uit.{fmt}"
    assert invoke("compare", named, "-o", target).exit_code == 0
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
        found = [(r["party"], r["party_name"]) for r in rows]
    elif fmt == "json":
        rows = json.loads(target.read_text(encoding="utf-8"), parse_float=Decimal)["results"]
        found = [(r["party"], r["party_name"]) for r in rows]
        assert list(rows[0])[-1] == "party_name"
    elif fmt == "parquet":
        frame = pl.read_parquet(target)
        found = list(zip(frame["party"], frame["party_name"], strict=True))
    else:
        sheet = openpyxl.load_workbook(target)["results"]
        header = [c.value for c in sheet[1]]
        assert header[-1] == "party_name"
        found = [(r[header.index("party")], r[-1]) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert found and all(name == NAMES[party] for party, name in found)


def test_a_party_without_a_name_is_named_by_its_id(tmp_path):
    path = write(tmp_path / "klein.toml", SMALL)
    results = bk.compare(path).results
    assert results["party_name"].to_list() == results["party"].to_list()


# ------------------------------------------------------------------ booleans for Dutch Excel


def _csv(*args) -> list[dict[str, str]]:
    result = invoke(*args, "-f", "csv")
    raw = result.stdout_bytes.decode("utf-8-sig")
    delimiter = ";" if "excel-nl" in args else ","
    return list(csv.DictReader(io.StringIO(raw), delimiter=delimiter))


def test_excel_nl_writes_booleans_as_dutch_excel_reads_them(named):
    """Dutch Excel reads WAAR and ONWAAR as its booleans (TRUE and FALSE stay text)."""
    passed = [r["passed"] for r in _csv("check", named, "--csv-dialect", "excel-nl")]
    assert sorted(set(passed)) == ["ONWAAR", "WAAR"]  # SMALL: one check passes, one fails
    assert sorted({r["passed"] for r in _csv("check", named)}) == ["false", "true"]  # standard stays


def test_excel_nl_booleans_of_shared_savings():
    rows = _csv("compare", "gedeelde-besparingen", "--table", "shared_savings", "--csv-dialect", "excel-nl")
    assert rows and {r["eligible"] for r in rows} <= {"WAAR", "ONWAAR"}
    assert "WAAR" in {r["eligible"] for r in rows}
