"""Spreadsheet exports (report/writers): excel-nl CSV, Parquet, xlsx.

Exactness (Parquet decimals read back equal to the figures), the CSV contract of CLI.md
in the excel-nl dialect, the xlsx layout checked inside the zip, and byte-identical
output for the same input (SECURITY.md).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from bekostiging import examples
from bekostiging.api import compare
from bekostiging.report.euros import in_euros
from bekostiging.report.figures import COLUMNS, MONEY, SCALES, TABLES, columns_of
from bekostiging.report.numbers import scaled
from bekostiging.report.writers import xlsx as xlsx_writer
from bekostiging.report.writers.csv import frame_csv
from bekostiging.report.writers.parquet import frame_parquet
from bekostiging.report.writers.xlsx import XLSX_MAX_ROWS, ExportTooLarge
from bekostiging.results import Comparison
from conftest import one_year_default, write


# The writers take tables in euros, as every result gives them; these make them from the
# figures' scaled integers (cents) the way a result does.
def _euros(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    return in_euros(frame, SCALES, [c for c in columns_of(frame, table) if c in frame.columns])


def render_csv(frame: pl.DataFrame, table: str) -> str:
    return frame_csv(_euros(frame, table))


def csv_excel_nl(frame: pl.DataFrame, table: str) -> bytes:
    return frame_csv(_euros(frame, table), "excel-nl").encode("utf-8")


def parquet(frame: pl.DataFrame, table: str) -> bytes:
    return frame_parquet(_euros(frame, table))


def xlsx(figures, meta, lang: str = "nl") -> bytes:
    return xlsx_writer.write(Comparison(None, None, None, figures, meta), lang=lang)  # type: ignore[arg-type]


TINY = """
[scenario]
name = "=SUM(A1:A2)"
baseline = "mono"
client = "client"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.client]
role = "client"
[parties.verloskundigen]
role = "provider"

[activities.begeleiding]
provider = "verloskundigen"
tariff = 1000.01
copay = 10.00
cost = 900.00

[profiles.laag]
clients = 7
path = { begeleiding = 1 }

[variants.mono]
name = "Monodisciplinair"
[variants.minder]
name = "Minder"
effects = [{ op = "scale", path = "profiles.laag.path.begeleiding", factor = 0.5 }]

[whatif.duurder]
effects = [{ op = "scale", path = "activities.*.tariff", factor = 2 }]
"""


@pytest.fixture(scope="module", params=["horizon", "one year"])
def example(request, tmp_path_factory):
    """The default example as it is (five years: a `year` column and a `horizon` table),
    and the same region for one year."""
    if request.param == "horizon":
        return compare(examples.path_of(examples.DEFAULT))
    return compare(one_year_default(tmp_path_factory.mktemp("one_year")))


def _sheets(comparison) -> list[str]:
    """The tables that become sheets: the contract tables, then any extra (`horizon`)."""
    return [*TABLES, *(n for n in comparison.figures.extra if n not in TABLES)]


def _letter(frame: pl.DataFrame, table: str, column: str) -> str:
    """The spreadsheet column of a table's column (a leading `year` shifts them all)."""
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[columns_of(frame, table).index(column)]


@pytest.fixture
def tiny(tmp_path: Path):
    path = write(tmp_path / "klein.toml", TINY)
    return path, compare(path, whatifs=["duurder"])


# ---------------------------------------------------------------- excel-nl CSV


def test_excel_nl_exact_bytes_with_bom_semicolons_decimal_comma_and_guard():
    frame = pl.DataFrame(
        {
            "variant": ["=HYPERLINK()", "mono"],
            "component": ["fee", "fee"],
            "payer": ["+1", "zorgverzekeraar"],
            "payee": ["@x", "a;b"],
            "profile": ["-2", None],
            "activity": ["\tx", "kz_uur"],
            "amount": [-150, 123456789],
        },
        schema_overrides={"amount": pl.Int64},
    )
    assert csv_excel_nl(frame, "ledger") == (
        b"\xef\xbb\xbf"
        b"variant;component;payer;payee;profile;activity;amount\n"
        b"'=HYPERLINK();fee;'+1;'@x;'-2;'\tx;-1,50\n"  # numbers untouched, text guarded
        b'mono;fee;zorgverzekeraar;"a;b";;kz_uur;1234567,89\n'  # no thousands separator
    )


def test_excel_nl_booleans_fractions_and_null():
    frame = pl.DataFrame(
        {
            "variant": ["v"],
            "payer": ["zv"],
            "benchmark": [26000000],
            "actual": [22000000],
            "savings": [4000000],
            "savings_rate": [1538],
            "eligible": [True],
            "payout": [None],
            "reinvested": [-5],
        },
        schema_overrides={"payout": pl.Int64},
    )
    lines = csv_excel_nl(frame, "shared_savings").decode("utf-8-sig").splitlines()
    assert lines[0] == "variant;payer;benchmark;actual;savings;savings_rate;eligible;payout;reinvested"
    assert lines[1] == "v;zv;260000,00;220000,00;40000,00;0,1538;WAAR;;-0,05"  # what Dutch Excel reads


@pytest.mark.parametrize("table", TABLES)
def test_excel_nl_is_the_standard_csv_with_decimal_commas(example, table):
    frame = example.figures.table(table)
    standard = list(csv.reader(io.StringIO(render_csv(frame, table))))
    raw = csv_excel_nl(frame, table)
    assert raw.startswith(b"\xef\xbb\xbf")
    nl = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert nl[0] == standard[0]  # the same columns, in the same order
    assert len(nl) == len(standard)
    for row_nl, row_std in zip(nl[1:], standard[1:], strict=True):
        for column, a, b in zip(standard[0], row_nl, row_std, strict=True):
            booleans = {"true": "WAAR", "false": "ONWAAR"}  # the words Dutch Excel reads as booleans
            assert a == (b.replace(".", ",") if column in SCALES else booleans.get(b, b))


# ---------------------------------------------------------------- Parquet


def _read(data: bytes) -> pl.DataFrame:
    return pl.read_parquet(io.BytesIO(data))


@pytest.mark.parametrize("table", TABLES)
def test_parquet_round_trips_exactly_with_decimal_dtypes(example, table):
    frame = example.figures.table(table)
    back = _read(parquet(frame, table))
    assert back.columns == columns_of(frame, table)
    assert back.height == frame.height
    for column in columns_of(frame, table):
        if column in SCALES:
            expected_dtype = pl.Decimal(20, 4 if column in ("coverage", "savings_rate") else 2)
            assert back.schema[column] == expected_dtype, column
            assert back[column].to_list() == [scaled(v, column) for v in frame[column].to_list()]
        elif column == "recipients":
            continue
        else:
            assert back.schema[column] == frame.schema[column]
            assert back[column].to_list() == frame[column].to_list()


def test_parquet_recipients_are_structs_with_exact_decimal_amounts(example):
    frame = example.figures.shared_savings
    back = _read(parquet(frame, "shared_savings"))
    assert back.schema["recipients"] == pl.List(pl.Struct({"party": pl.String, "amount": pl.Decimal(20, 2)}))
    expected = [
        [{"party": r["party"], "amount": Decimal(r["amount"]).scaleb(-2)} for r in recipients]
        for recipients in frame["recipients"].to_list()
    ]
    assert any(expected), "the example should pay out shared savings"
    assert back["recipients"].to_list() == expected
    for row in back.iter_rows(named=True):
        assert sum(r["amount"] for r in row["recipients"]) == row["payout"] - row["reinvested"]


def test_parquet_keeps_nulls_and_large_values_exact():
    frame = pl.DataFrame(
        {
            "variant": ["v", "v"],
            "party": ["a", "b"],
            "role": ["payer", "provider"],
            "revenue": [9_223_372_036_854_775_807, -1],
            "payments": [0, 5],
            "net": [1, -(10**17) - 1],
            "delta": [0, 0],
            "delta_pct": [None, -12345],
            "cost": [None, 99],
            "margin": [None, 100],
        },
        schema_overrides={c: pl.Int64 for c in ("delta_pct", "cost", "margin")},
    )
    back = _read(parquet(frame, "results"))
    assert back["revenue"].to_list() == [Decimal("92233720368547758.07"), Decimal("-0.01")]
    assert back["net"].to_list() == [Decimal("0.01"), Decimal("-1000000000000000.01")]
    assert back["delta_pct"].to_list() == [None, Decimal("-123.45")]
    assert back["cost"].to_list() == [None, Decimal("0.99")]


def test_parquet_is_byte_identical_for_the_same_input(example, tiny):
    for comparison in (example, tiny[1]):
        for table in TABLES:
            frame = comparison.figures.table(table)
            assert parquet(frame, table) == parquet(frame, table)


# ---------------------------------------------------------------- xlsx


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist()}


def _sheet_names(parts: dict[str, str]) -> list[str]:
    return re.findall(r'<sheet name="([^"]+)"', parts["xl/workbook.xml"])


def test_xlsx_has_one_sheet_per_table_and_sources(example):
    parts = _parts(xlsx(example.figures, example.meta))
    assert _sheet_names(parts) == [*_sheets(example), "bronnen"]
    en = _parts(xlsx(example.figures, example.meta, lang="en"))
    assert _sheet_names(en) == [*_sheets(example), "sources"]


def test_xlsx_freezes_the_header_row_of_every_table(example):
    parts = _parts(xlsx(example.figures, example.meta))
    for i, _ in enumerate(TABLES, start=1):
        sheet = parts[f"xl/worksheets/sheet{i}.xml"]
        assert re.search(r'<pane ySplit="1" topLeftCell="A2"[^>]*state="frozen"', sheet)


def test_xlsx_number_formats_and_typed_cells(example):
    parts = _parts(xlsx(example.figures, example.meta))
    styles = parts["xl/styles.xml"]
    assert 'formatCode="[$€-2] #,##0.00;[$€-2] -#,##0.00"' in styles
    assert 'formatCode="0.00%"' in styles  # every percentage, delta_pct too (as a fraction)
    assert 'formatCode="0.00"' not in styles
    shared_savings = parts["xl/worksheets/sheet4.xml"]
    frame = example.figures.shared_savings
    eligible, payout_at = (
        _letter(frame, "shared_savings", "eligible"),
        _letter(frame, "shared_savings", "payout"),
    )
    # eligible: a real FALSE (the parties' stip has no savings to share: README)
    assert f'<c r="{eligible}2" t="b"><v>0</v></c>' in shared_savings
    # payout, as the nearest double of the exact amount
    payout = frame["payout"][0]
    value = re.search(rf'<c r="{payout_at}2" s="\d+"><v>([^<]+)</v>', shared_savings).group(1)
    assert float(value) == float(scaled(payout, "payout"))


def test_xlsx_money_cells_are_the_exact_amounts_as_doubles(example):
    parts = _parts(xlsx(example.figures, example.meta))
    frame = example.figures.totals
    sheet = parts["xl/worksheets/sheet5.xml"]
    cells = dict(re.findall(r'<c r="([A-Z]+\d+)" s="\d+"><v>([^<]+)</v>', sheet))
    for r, row in enumerate(frame.iter_rows(named=True), start=2):
        for column in ("payer_spend", "client_copay", "total"):
            letter = _letter(frame, "totals", column)
            assert column in MONEY
            # the double Excel reads is the one nearest the exact decimal, so it shows the cents
            assert Decimal(repr(float(cells[f"{letter}{r}"]))) == scaled(row[column], column)


def test_xlsx_sources_list_inputs_with_sha256_and_guard_text(tiny):
    path, comparison = tiny
    parts = _parts(xlsx(comparison.figures, comparison.meta))
    strings = parts["xl/sharedStrings.xml"]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert f"<t>{digest}</t>" in strings
    assert f"<t>{comparison.meta.scenario_file}</t>" in strings
    assert "<t>'=SUM(A1:A2)</t>" in strings  # the scenario name, guarded
    assert "<t>=SUM(A1:A2)</t>" not in strings
    assert "<t>duurder</t>" in strings  # the what-if
    assert "<f>" not in "".join(parts.values())  # never a formula
    assert "<t>basisvariant</t>" in strings


def test_xlsx_recipients_as_text(example):
    parts = _parts(xlsx(example.figures, example.meta))
    recipients = example.figures.shared_savings["recipients"][0].to_list()
    text = "; ".join(f"{r['party']}: {scaled(r['amount'], 'amount')}" for r in recipients)
    assert f"<t>{text}</t>" in parts["xl/sharedStrings.xml"]


def test_xlsx_is_byte_identical_for_the_same_input(example, tiny):
    for comparison in (example, tiny[1]):
        first = xlsx(comparison.figures, comparison.meta)
        assert first == xlsx(comparison.figures, comparison.meta)
        with zipfile.ZipFile(io.BytesIO(first)) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            assert "2000-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()


def test_xlsx_adds_tables_made_on_request_as_sheets(example):
    if not hasattr(example.figures, "extra"):
        pytest.skip("this version of Figures has no extra tables")
    step = pl.DataFrame(
        {"variant": ["mono"], "party": ["vsv"], "step": ["-fee"], "amount": [-1234]},
        schema_overrides={"amount": pl.Int64},
    )
    figures = dataclasses.replace(example.figures, extra={"attribution": step})
    parts = _parts(xlsx(figures, example.meta))
    assert _sheet_names(parts) == [*TABLES, "attribution", "bronnen"]
    assert "<t>'-fee</t>" in parts["xl/sharedStrings.xml"]  # text guarded
    assert re.search(r'<c r="D2" s="\d+"><v>-12.34</v>', parts["xl/worksheets/sheet7.xml"])


def test_xlsx_refuses_to_cut_off_rows_or_text(example):
    rows = XLSX_MAX_ROWS  # one more than fits under the header row
    ledger = pl.select(
        **{c: pl.repeat("x", rows) for c in COLUMNS["ledger"] if c != "amount"},
        amount=pl.repeat(1, rows, dtype=pl.Int64),
    )
    with pytest.raises(ExportTooLarge, match="ledger has 1048576 rows"):
        xlsx(dataclasses.replace(example.figures, ledger=ledger), example.meta)
    long_name = dataclasses.replace(example.meta, scenario_name="x" * 40_000)
    with pytest.raises(ExportTooLarge, match="longer than Excel's limit"):
        xlsx(example.figures, long_name)


def test_xlsx_rejects_an_unknown_language(example):
    with pytest.raises(ValueError, match="unknown language"):
        xlsx(example.figures, example.meta, lang="de")


def test_xlsx_opens_in_openpyxl_if_installed(example):
    openpyxl = pytest.importorskip("openpyxl")  # not a dependency; used only when present
    book = openpyxl.load_workbook(io.BytesIO(xlsx(example.figures, example.meta)))
    assert book.sheetnames == [*_sheets(example), "bronnen"]
    sheet = book["results"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [*columns_of(example.figures.results, "results"), "party_name"]


# ---------------------------------------------------------------- determinism, start-up

_HASH_ALL = """
import hashlib, sys
import bekostiging as bk
c = bk.compare(bk.load("geboortezorg-regio"))
h = hashlib.sha256(bk.render(c, "xlsx"))
for t in ("results", "shared_savings", "ledger"):
    h.update(bk.render(c, "parquet", t))
    h.update(bk.render(c, "csv", t, dialect="excel-nl"))
print(h.hexdigest())
"""


def test_exports_are_byte_identical_across_processes_and_hash_seeds(tmp_path):
    import os

    digests = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _HASH_ALL],
            capture_output=True,
            env=env,
            cwd=tmp_path,
            check=True,
            text=True,
        )
        digests.add(done.stdout)
    assert len(digests) == 1


def test_importing_the_xlsx_writer_does_not_load_xlsxwriter():
    code = "import sys, bekostiging.report.writers.xlsx; assert 'xlsxwriter' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_xlsx_net_present_values_are_euros_not_percentages():
    """npv_delta and npv_margin_delta are money: they were formatted as fractions (0.00%)."""
    openpyxl = pytest.importorskip("openpyxl")
    from bekostiging.report.writers.xlsx import MONEY_FORMAT

    comparison = compare(examples.path_of(examples.DEFAULT))
    book = openpyxl.load_workbook(io.BytesIO(xlsx(comparison.figures, comparison.meta)))
    sheet = book["horizon"]
    header = [c.value for c in sheet[1]]
    for column in ("npv_delta", "npv_margin_delta"):
        cells = [row[header.index(column)] for row in sheet.iter_rows(min_row=2)]
        filled = [c for c in cells if c.value is not None]
        assert filled and all(c.number_format == MONEY_FORMAT for c in filled), column
