"""`bekostiging check` in CI (issue 16, item 13): the summary counts files that failed to
load and files without checks, `--require-checks` refuses a file without `[[expect]]`,
`-f json` has a summary and a status per file, JUnit names say the what-ifs.

The scenario is `test_toolkit`'s small region: in `nieuw` the hospital's delta is
−12,500 + 7,500 = −5,000.00 and the acute function is covered in full (1.0000).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

from conftest import invoke
from test_toolkit import small

PASSING = """
[[expect]]
variant = "nieuw"
party = "ziekenhuis"
metric = "delta"
min = -5000

[[expect]]
variant = "nieuw"
function = "acuut"
metric = "coverage"
min = 1
"""

WITH_WHATIF = """
[whatif.duur]
effects = [{ op = "set", path = "activities.bevalling.tariff", value = 3000 }]

[[expect]]
variant = "nieuw"
party = "ziekenhuis"
metric = "delta"
whatif = ["duur"]
min = -1000000
"""


def flat(text: str) -> str:
    """The output with every run of white space as one space (a long caption wraps)."""
    return " ".join(text.split())


def folder_of_four(tmp_path, *, broken: bool = True):
    """Four region files: three with two passing checks each, the fourth invalid (or,
    not `broken`, valid without checks)."""
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.toml").write_text(small(name=name) + PASSING, encoding="utf-8")
    fourth = small(name="d")
    if broken:
        fourth = fourth.replace('baseline = "mono"', 'baseline = "mnoo"') + PASSING
    (tmp_path / "d.toml").write_text(fourth, encoding="utf-8")
    return tmp_path


def test_a_file_that_fails_to_load_is_counted_in_the_summary(tmp_path):
    result = invoke("check", folder_of_four(tmp_path), "--lang", "en")
    assert result.exit_code == 1
    assert flat(result.stdout).endswith(
        f"6 of 6 checks passed, 0 failed; 3 of 4 files checked, 1 failed to load ({tmp_path / 'd.toml'})"
    )
    assert "unknown variant 'mnoo'" in result.stderr


def test_the_dutch_summary_counts_them_too(tmp_path):
    result = invoke("check", folder_of_four(tmp_path))
    assert result.exit_code == 1
    assert flat(result.stdout).endswith(
        "6 van 6 toetsen geslaagd, 0 mislukt; "
        f"3 van 4 bestanden getoetst, 1 niet te laden ({tmp_path / 'd.toml'})"
    )


def test_only_files_that_failed_to_load_still_give_a_summary(scenario):
    path = scenario("[scenario]\nname = 'x'\n")
    result = invoke("check", path, "--lang", "en")
    assert result.exit_code == 1
    assert f"0 of 1 files checked, 1 failed to load ({path})" in flat(result.stdout)


def test_a_file_without_checks_is_named_in_the_summary_and_passes(tmp_path):
    result = invoke("check", folder_of_four(tmp_path, broken=False), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert flat(result.stdout).endswith(
        f"6 of 6 checks passed, 0 failed; 1 of 4 files without checks ({tmp_path / 'd.toml'})"
    )


def test_a_single_file_without_checks_says_no_checks(scenario):
    path = scenario(small())
    result = invoke("check", path)
    assert result.exit_code == 0
    assert flat(result.stdout).endswith(f"geen toetsen: geen [[expect]] in {path}")


def test_require_checks_fails_a_file_without_checks(tmp_path):
    result = invoke("check", folder_of_four(tmp_path, broken=False), "--require-checks")
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'd.toml'}: no [[expect]] checks (--require-checks)" in result.stderr
    passing = invoke("check", tmp_path / "a.toml", "--require-checks")
    assert passing.exit_code == 0, passing.stderr


def test_json_has_a_summary_and_a_status_per_file(tmp_path):
    folder = folder_of_four(tmp_path)
    (folder / "e.toml").write_text(small(name="e"), encoding="utf-8")
    result = invoke("check", folder, "-f", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["summary"] == {
        "files": 5,
        "checked": 3,
        "failed_to_load": 1,
        "without_checks": 1,
        "checks": 6,
        "passed": 6,
        "failed": 0,
        "ok": False,
    }
    files = {Path(f["file"]).name: f for f in document["files"]}
    assert files["a.toml"] == {
        "file": str(folder / "a.toml"),
        "status": "checked",
        "checks": 2,
        "passed": 2,
        "failed": 0,
        "error": None,
    }
    assert files["d.toml"]["status"] == "failed_to_load"
    assert "unknown variant 'mnoo'" in files["d.toml"]["error"]
    assert files["e.toml"]["status"] == "no_checks"
    first = document["outcomes"][0]
    assert first["name"] == "expect[0] nieuw ziekenhuis delta"
    assert (first["file"], first["value"], first["min"], first["passed"]) == (
        str(folder / "a.toml"),
        Decimal("-5000.00"),
        Decimal("-5000"),
        True,
    )
    assert first["reason"] == "value -5000.00 is at least min -5000"


def test_json_with_require_checks_is_not_ok_for_a_file_without_checks(tmp_path):
    result = invoke("check", folder_of_four(tmp_path, broken=False), "-f", "json", "--require-checks")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["ok"] is False
    plain = invoke("check", tmp_path, "-f", "json")
    assert plain.exit_code == 0 and json.loads(plain.stdout)["summary"]["ok"] is True


def test_junit_names_say_the_whatifs(scenario, tmp_path):
    path = scenario(small() + WITH_WHATIF)
    result = invoke("check", path, "--junit", tmp_path / "checks.xml")
    assert result.exit_code == 0, result.stderr
    cases = ET.parse(tmp_path / "checks.xml").getroot().findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["expect[0] nieuw ziekenhuis delta (what-ifs: duur)"]


def test_junit_counts_a_file_without_checks_as_a_skipped_case_only_when_required(tmp_path):
    folder = folder_of_four(tmp_path, broken=False)
    invoke("check", folder, "--junit", tmp_path / "plain.xml")
    suites = {
        Path(s.get("name")).name: s for s in ET.parse(tmp_path / "plain.xml").getroot().findall("testsuite")
    }
    assert suites["d.toml"].get("tests") == "0"
    invoke("check", folder, "--junit", tmp_path / "required.xml", "--require-checks")
    root = ET.parse(tmp_path / "required.xml").getroot()
    suites = {Path(s.get("name")).name: s for s in root.findall("testsuite")}
    assert (suites["d.toml"].get("tests"), suites["d.toml"].get("failures")) == ("1", "1")
    assert suites["d.toml"].find("testcase").get("name") == "no checks"
    assert root.get("failures") == "1"


def test_on_a_narrow_terminal_every_check_keeps_its_number_figures_and_whole_note(monkeypatch):
    """The notes are prose under the table, not a column that wraps a word a line; a table
    too wide for the terminal goes in blocks that each repeat the check's number."""
    monkeypatch.setenv("COLUMNS", "80")
    out = invoke("check", "geboortezorg-regio").stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert not re.search(r"\w…", out)  # nothing cut off (a range of bounds is "a … b")
    for figure in ("95,09%", "€ 636.979,50", "€ -541.312,96", "90,00% … 100,00%"):
        assert figure in out
    flat = " ".join(out.split())
    assert "#0 Fee-for-service pays 90-100 % of the 7x24 labour ward through the tariffs today" in flat
    notes = out[out.index("Toelichting") : out.index("7 van 7")].strip().splitlines()[1:]
    assert len(notes) <= 2 * 7  # seven notes of a sentence each, at most two lines each
    assert "7 van 7 toetsen geslaagd, 0 mislukt" in out
