"""`--set` overrides are recorded wherever provenance is shown (issue 16, item 6).

The numbers of a run with `--set` no longer follow from the files alone, so every output
that names the files and their hashes names the overrides too: the result's metadata
(API), the JSON (`overrides`, and an input `<--set>` with their sha256), the xlsx sheet of
sources, the HTML page, the JUnit file of `check`, and the title line on a terminal.
"""

from __future__ import annotations

import hashlib
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

import bekostiging as bk
from conftest import invoke, write
from test_api import SMALL

SET = "activities.bevalling.tariff=2600.00"
OTHER = "profiles.laag.clients=12"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write(tmp_path / "klein.toml", SMALL)


def _digest(*overrides: str) -> str:
    return hashlib.sha256("".join(f"{o}\n" for o in overrides).encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ the API


def test_the_result_meta_records_the_overrides(small):
    assert bk.compare(small).meta.overrides == []
    assert bk.compare(small, overrides=[SET, " profiles.laag.clients = 12 "]).meta.overrides == [SET, OTHER]
    by_mapping = bk.compare(small, overrides={"activities.bevalling.tariff": Decimal("2600.00")})
    assert by_mapping.meta.overrides == [SET]
    loaded = bk.load(small, overrides={"profiles.laag.clients": 12, "scenario.name": "Ander"})
    assert loaded.overrides == (OTHER, "scenario.name=Ander")
    assert bk.compare(loaded).meta.overrides == [OTHER, "scenario.name=Ander"]


def test_overrides_on_top_of_overrides_are_recorded_in_order(small):
    loaded = bk.load(small, overrides=[SET])
    again = loaded.with_overrides({"profiles.laag.clients": 12})
    assert again.overrides == (SET, OTHER)
    assert bk.compare(loaded, overrides=[OTHER]).meta.overrides == [SET, OTHER]
    assert loaded.with_overrides(None) is loaded


def test_a_mapping_records_values_as_toml_writes_them(small):
    found = bk.load(
        small,
        overrides={"activities.bevalling.availability_share": Decimal("0.5"), "scenario.name": " Anders "},
    )
    assert found.overrides == ("activities.bevalling.availability_share=0.5", "scenario.name=Anders")


def test_every_command_of_the_api_records_them(small):
    overrides = [SET]
    results = [
        bk.compare(small, overrides=overrides),
        bk.simulate(small, draws=4, overrides=overrides),
        bk.sensitivity(small, variant="minder", party="zh", overrides=overrides),
        bk.explain(small, variant="minder", party="zh", overrides=overrides),
        bk.check(small, overrides=overrides),
    ]
    for result in results:
        assert [m.overrides for m in result.sources] == [[SET]], type(result).__name__
        files = [i["file"] for m in result.sources for i in m.inputs]
        assert files[-1] == "<--set>", type(result).__name__


# ------------------------------------------------------------------ JSON


def _json(*args) -> dict:
    result = invoke(*args, "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_json_records_the_overrides_and_their_hash_among_the_inputs(small):
    plain = _json("compare", small)
    changed = _json("compare", small, "--set", SET, "--set", OTHER)
    assert plain["overrides"] == []
    assert changed["overrides"] == [SET, OTHER]
    # the files are the same files; the inputs as a whole differ, as the numbers do
    assert changed["inputs"][:-1] == plain["inputs"]
    assert changed["inputs"][-1] == {"file": "<--set>", "sha256": _digest(SET, OTHER)}
    assert changed["inputs"] != _json("compare", small, "--set", OTHER, "--set", SET)["inputs"]


@pytest.mark.parametrize(
    "command",
    [
        ("compare",),
        ("simulate", "--draws", "4"),
        ("sensitivity", "-v", "minder", "-p", "zh"),
        ("explain", "-v", "minder", "-p", "zh"),
        ("check",),
    ],
    ids=lambda c: c[0],
)
def test_every_json_document_records_them(small, command):
    document = _json(command[0], small, *command[1:], "--set", SET)
    assert document["overrides"] == [SET]
    assert {"file": "<--set>", "sha256": _digest(SET)} in document["inputs"]


def test_several_files_record_them_per_scenario(small, tmp_path):
    other = write(tmp_path / "tweede.toml", SMALL.replace('name = "Klein"', 'name = "Tweede"'))
    document = _json("compare", small, other, "--set", SET)
    assert [s["overrides"] for s in document["scenarios"]] == [[SET], [SET]]


# ------------------------------------------------------------------ xlsx


def _sources(path: Path, sheet: str = "bronnen") -> list[tuple]:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    return [tuple(c for c in row if c is not None) for row in book[sheet].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "command", [("compare",), ("simulate", "--draws", "4"), ("check",)], ids=lambda c: c[0]
)
def test_the_sources_sheet_records_them(small, tmp_path, command):
    target = tmp_path / "uit.xlsx"
    result = invoke(command[0], small, *command[1:], "--set", SET, "--set", OTHER, "-o", target)
    assert result.exit_code in (0, 1), result.stderr
    rows = _sources(target)
    assert ("aangepaste invoer (--set)", f"{SET}, {OTHER}") in rows
    assert ("<--set>", _digest(SET, OTHER)) in rows  # among the input files and their sha256


def test_the_sources_sheet_says_none_without_overrides_and_in_english(small, tmp_path):
    target = tmp_path / "uit.xlsx"
    assert invoke("compare", small, "-o", target).exit_code == 0
    assert ("aangepaste invoer (--set)", "(geen)") in _sources(target)
    assert invoke("compare", small, "-o", target, "--lang", "en", "--set", SET).exit_code == 0
    assert ("overrides (--set)", SET) in _sources(target, "sources")


# ------------------------------------------------------------------ HTML


def test_the_html_report_records_them_in_its_provenance_and_header(small, tmp_path):
    target = tmp_path / "rapport.html"
    assert invoke("report", small, "-o", target, "--set", SET).exit_code == 0
    page = target.read_text(encoding="utf-8")
    provenance = page[page.index('id="herkomst"') :]
    assert f"<code>{SET}</code>" in provenance
    assert "Aangepaste invoer (--set)" in provenance
    assert _digest(SET) in provenance  # the overrides' sha256 among the inputs
    header = page[page.index("<header") : page.index("</header>")]
    assert "Aangepaste invoer (--set)" in header and SET in header


def test_the_html_report_says_none_without_overrides(small, tmp_path):
    target = tmp_path / "rapport.html"
    assert invoke("report", small, "-o", target, "--lang", "en").exit_code == 0
    page = target.read_text(encoding="utf-8")
    provenance = page[page.index('id="herkomst"') :]
    assert "<dt>Overrides (--set)</dt><dd>none</dd>" in provenance
    assert "Overrides (--set)" not in page[page.index("<header") : page.index("</header>")]


# ------------------------------------------------------------------ JUnit


def test_the_junit_file_records_them_as_properties_of_every_suite(small, tmp_path):
    target = tmp_path / "junit.xml"
    result = invoke("check", small, "--set", SET, "--set", OTHER, "--junit", target)
    assert result.exit_code == 1  # one of SMALL's checks fails
    suites = ET.parse(target).getroot().findall("testsuite")
    assert suites
    for suite in suites:
        properties = [(p.get("name"), p.get("value")) for p in suite.findall("properties/property")]
        assert properties == [("--set", SET), ("--set", OTHER)]
        assert suite[0].tag == "properties"  # first, as the JUnit schema wants


def test_the_junit_file_has_no_properties_without_overrides(small, tmp_path):
    target = tmp_path / "junit.xml"
    invoke("check", small, "--junit", target)
    assert ET.parse(target).getroot().find("testsuite/properties") is None


# ------------------------------------------------------------------ the terminal


def test_the_title_line_names_them_like_the_what_ifs(small):
    out = invoke("compare", small, "--set", SET, "--set", OTHER).stdout
    assert out.splitlines()[0] == f"Klein  (--set: {SET}, {OTHER})"
    assert invoke("compare", small).stdout.splitlines()[0] == "Klein"


def test_the_title_line_of_the_example_names_what_ifs_and_overrides():
    out = invoke("compare", "--year", "2025", "-w", "korting", "--set", "activities.kz_uur.tariff=65")
    assert out.exit_code == 0, out.stderr
    assert out.stdout.splitlines()[0].endswith("(Wat-als: korting)  (--set: activities.kz_uur.tariff=65)")


def test_a_value_with_brackets_is_shown_as_written(small):
    """Rich markup in a value (`[test]`) must not vanish from the title."""
    out = invoke("compare", small, "--set", 'scenario.name="Klein [test]"').stdout
    assert out.splitlines()[0] == 'Klein [test]  (--set: scenario.name="Klein [test]")'


@pytest.mark.parametrize(
    "command",
    [
        ("simulate", "--draws", "4"),
        ("sensitivity", "-v", "minder", "-p", "zh"),
        ("explain", "-v", "minder", "-p", "zh"),
        ("check",),
    ],
    ids=lambda c: c[0],
)
def test_every_terminal_view_names_them(small, command):
    result = invoke(command[0], small, *command[1:], "--set", SET)
    assert f"(--set: {SET})" in result.stdout
    assert "--set" not in invoke(command[0], small, *command[1:]).stdout


def test_several_files_name_them_once_above_the_tables(small, tmp_path):
    other = write(tmp_path / "tweede.toml", SMALL.replace('name = "Klein"', 'name = "Tweede"'))
    out = invoke("compare", small, other, "--set", SET).stdout
    assert out.splitlines()[0] == f"(--set: {SET})"
