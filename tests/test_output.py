"""One renderer: every tabular command writes every format, `-o` names the format, and
wrong use is refused (exit 2) before any computing starts."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from conftest import invoke, write
from test_api import SMALL

# Each tabular command, with the arguments that make it compute `SMALL` quickly, and its tables.
COMMANDS = {
    "compare": ((), ["results", "components", "availability", "shared_savings", "totals", "ledger"]),
    "simulate": (("--draws", "12"), ["results", "shared_savings"]),
    "sensitivity": (("-v", "minder", "-p", "zh"), ["tornado"]),
    "explain": (("-v", "minder", "-p", "zh"), ["flows", "components"]),
    "check": ((), ["outcomes"]),
}
FORMATS = {"table": ".txt", "csv": ".csv", "json": ".json", "parquet": ".parquet", "xlsx": ".xlsx"}


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write(tmp_path / "klein.toml", SMALL)


@pytest.fixture
def no_computing(monkeypatch):
    """Any computation fails the test: what is refused must be refused before it."""
    from bekostiging.engine import horizon, run

    def computed(*args, **kwargs):
        raise AssertionError("computed before the usage error was found")

    monkeypatch.setattr(run, "run", computed)
    monkeypatch.setattr(horizon, "run_horizon", computed)


def _exit_ok(result, command: str) -> None:
    # `check` exits 1 because one of SMALL's two checks fails, in every format
    assert result.exit_code == (1 if command == "check" else 0), result.stderr


def _read(fmt: str, target: Path, table: str) -> list[str]:
    """The column names of `table` in a file written as `fmt`."""
    data = target.read_bytes()
    if fmt == "csv":
        return next(csv.reader(io.StringIO(data.decode("utf-8"))))
    if fmt == "json":
        document = json.loads(data, parse_float=Decimal)
        rows = document.get(table) or document.get("components")  # explain: the trace
        return list(rows[0])
    if fmt == "parquet":
        return pl.read_parquet(io.BytesIO(data)).columns
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert f'<sheet name="{table}"' in z.read("xl/workbook.xml").decode()
        return []
    assert "\x1b[" not in data.decode("utf-8") and data.strip()
    return []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_tabular_command_writes_every_format(command, fmt, small, tmp_path):
    args, tables = COMMANDS[command]
    target = tmp_path / f"uit{FORMATS[fmt]}"
    result = invoke(command, small, *args, "-f", fmt, "-o", target)
    _exit_ok(result, command)
    columns = _read(fmt, target, tables[0])
    if fmt in ("csv", "parquet"):
        assert columns and columns[0] in ("variant", "parameter", "component", "file")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_tabular_command_has_table(command, small, tmp_path):
    args, tables = COMMANDS[command]
    for table in tables:
        shown = invoke(command, small, *args, "--table", table)
        _exit_ok(shown, command)
        assert shown.stdout.strip()
        written = invoke(command, small, *args, "--table", table, "-o", tmp_path / "t.csv")
        _exit_ok(written, command)
        header = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",")[0] in ("variant", "parameter", "component", "file")
    unknown = invoke(command, small, *args, "--table", "bestaat_niet")
    assert unknown.exit_code == 2 and "bestaat_niet" in unknown.stderr


def test_the_excel_dialect_for_every_command(small):
    for command, (args, _) in COMMANDS.items():
        result = invoke(command, small, *args, "-f", "csv", "--csv-dialect", "excel-nl")
        _exit_ok(result, command)
        assert result.stdout_bytes.startswith(b"\xef\xbb\xbf") and b";" in result.stdout_bytes


# ------------------------------------------------------------------ the bugs of issue 12


def test_simulate_json_with_a_table_is_json_not_csv(small):
    result = invoke("simulate", small, "--draws", "12", "-f", "json", "--table", "shared_savings")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1 and "results" in document and "shared_savings" in document


@pytest.mark.parametrize("command", ["simulate", "sensitivity"])
def test_simulate_and_sensitivity_write_parquet_and_xlsx(command, small, tmp_path):
    args, tables = COMMANDS[command]
    assert invoke(command, small, *args, "-o", tmp_path / "uit.parquet").exit_code == 0
    back = pl.read_parquet(tmp_path / "uit.parquet")
    csv_text = invoke(command, small, *args, "-f", "csv").stdout
    assert back.columns == csv_text.splitlines()[0].split(",")
    money = "net_mean" if command == "simulate" else "swing"
    assert back.schema[money] == pl.Decimal(20, 2)
    assert invoke(command, small, *args, "-o", tmp_path / "uit.xlsx").exit_code == 0
    with zipfile.ZipFile(tmp_path / "uit.xlsx") as z:
        sheets = z.read("xl/workbook.xml").decode()
    assert all(f'<sheet name="{t}"' in sheets for t in tables) and '<sheet name="bronnen"' in sheets


def test_compare_output_xlsx_without_format_writes_xlsx(small, tmp_path):
    target = tmp_path / "uit.xlsx"
    result = invoke("compare", small, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert zipfile.is_zipfile(target)  # before: the terminal table, as text, in a .xlsx
    with zipfile.ZipFile(target) as z:
        assert '<sheet name="results"' in z.read("xl/workbook.xml").decode()


def test_report_refuses_an_extension_it_cannot_write(small, tmp_path, no_computing):
    for args, name in (
        (("--chart", "saldo"), "s.pdf"),  # before: SVG written into the .pdf
        (("--chart", "saldo"), "s.html"),
        ((), "r.svg"),
        ((), "r.csv"),
    ):
        result = invoke("report", small, *args, "-o", tmp_path / name)
        assert result.exit_code == 2, (args, name, result.stderr)
        assert not (tmp_path / name).exists()


def test_report_writes_a_chart_by_its_extension(small, tmp_path):
    assert invoke("report", small, "--chart", "saldo", "-o", tmp_path / "s.svg").exit_code == 0
    assert (tmp_path / "s.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_a_bad_year_exits_2_before_computing_in_every_command(tmp_path, no_computing):
    for args in (
        ("compare", "--year", "2040"),
        ("compare", "-f", "json", "--year", "2040"),
        ("explain", "-v", "profielen", "-p", "vsv", "--year", "2040"),
        ("report", "--year", "2040", "-o", tmp_path / "r.html"),
        ("compare", "caseload-verloskunde", "--year", "2025"),  # no [horizon]
    ):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "year" in result.stderr and "Traceback" not in result.stderr


def test_tables_that_cannot_be_there_exit_2_before_computing(small, no_computing):
    cases = (
        (("--table", "horizon"), "needs a [horizon]"),  # before: a traceback
        (("--table", "attribution"), "needs --attribution"),
        (("--table", "by_profile", "--by", "activity"), "needs --by profile"),
    )
    for args, message in cases:
        result = invoke("compare", small, *args)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)


def test_binary_formats_to_a_terminal_exit_2_before_computing(small):
    for fmt in ("parquet", "xlsx"):
        leader, follower = pty.openpty()
        done = subprocess.run(
            [sys.executable, "-m", "bekostiging", "compare", str(small), "-f", fmt],
            stdout=follower,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
        os.close(follower)
        os.close(leader)
        assert done.returncode == 2
        assert f"{fmt} is binary" in done.stderr.decode()


# ------------------------------------------------------------------ -o and -f


@pytest.mark.parametrize(
    ("fmt", "name", "written"),
    [
        (None, "uit.csv", "csv"),
        (None, "uit.json", "json"),
        (None, "uit.parquet", "parquet"),
        (None, "uit.xlsx", "xlsx"),
        (None, "uit.txt", "table"),
        (None, "uit.CSV", "csv"),
        (None, "uit", "table"),
        ("csv", "uit", "csv"),
        ("json", "uit.json", "json"),
        ("table", "uit.txt", "table"),
    ],
)
def test_output_infers_the_format_from_the_extension(fmt, name, written, small, tmp_path):
    target = tmp_path / name
    result = invoke("compare", small, *(("-f", fmt) if fmt else ()), "-o", target)
    assert result.exit_code == 0, result.stderr
    expected = invoke("compare", small, "-f", written, "-o", tmp_path / f"ref{FORMATS[written]}")
    assert expected.exit_code == 0
    assert target.read_bytes() == (tmp_path / f"ref{FORMATS[written]}").read_bytes()


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        ("csv", "uit.json", "does not match"),
        ("json", "uit.csv", "does not match"),
        ("table", "uit.xlsx", "does not match"),
        ("parquet", "uit.txt", "does not match"),
        (None, "uit.pdf", "cannot write a .pdf file"),
        ("csv", "uit.pdf", "cannot write a .pdf file"),
        (None, "uit.html", "cannot write a .html file"),  # that is `report`
        (None, "uit.svg", "cannot write a .svg file"),
        (None, "uit.xls", "cannot write a .xls file"),
    ],
)
def test_output_refuses_an_extension_before_computing(fmt, name, message, small, tmp_path, no_computing):
    result = invoke("compare", small, *(("-f", fmt) if fmt else ()), "-o", tmp_path / name)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / name).exists()


def test_the_output_is_checked_before_computing(small, tmp_path, no_computing):
    for command, (args, _) in COMMANDS.items():
        result = invoke(command, small, *args, "-o", small)
        assert result.exit_code == 2 and "refusing" in result.stderr, command
        assert invoke(command, small, *args, "-o", tmp_path / "nergens" / "x.csv").exit_code == 2
