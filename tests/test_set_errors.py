"""`--set` errors (issue 16 item 9): one error, located at `--set`, with a hint that helps.

A bad override used to bring a second, false error that blamed the scenario file (the
entry the override broke was left out of the model, so the `[uncertainty]` path that
named it "matched nothing"). Run on the embedded default example, as a newcomer would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke


@pytest.fixture(autouse=True)
def _inside_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./scenario.toml here: the embedded default example runs


def errors(result: Any) -> list[str]:
    assert "Traceback" not in result.stderr + result.stdout
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def one_error(*args: str) -> str:
    """Run `compare`; exit 1 and exactly one error line, which it returns."""
    result = invoke("compare", *args)
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    lines = errors(result)
    assert len(lines) == 1, result.stderr
    assert "1 problem found." in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ("abc", ("must be a number, got the text 'abc'",)),
        ("-5", ("must be >= 0, got -5",)),
        ("65,50", ("must be a number, got the text '65,50'", "use a decimal point: 65.50")),
        ("1.234,56", ("got the text '1.234,56'", "use a decimal point: 1234.56")),
        ('"65.50"', ("got the text '65.50'", "without quotes: 65.50")),
        ("65.555", ("at most 2 decimals",)),
    ],
    ids=["text", "negative", "decimal-comma", "thousands-dot", "quoted", "three-decimals"],
)
def test_a_bad_value_is_one_error_at_set(value: str, fragments: tuple[str, ...]) -> None:
    line = one_error("--set", f"activities.kz_uur.tariff={value}")
    assert line.startswith("error: --set: activities.kz_uur.tariff: "), line
    for fragment in fragments:
        assert fragment in line, line


def test_a_bad_value_under_a_wildcard_names_each_entry_and_nothing_else() -> None:
    result = invoke("compare", "--set", "profiles.*.clients=-1")
    assert result.exit_code == 1
    lines = errors(result)
    assert lines and all(line.startswith("error: --set: profiles.") for line in lines), result.stderr
    assert f"{len(lines)} problems found." in result.stderr


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("activities.kz_uurr.tariff", "unknown key 'kz_uurr' (did you mean 'kz_uur'?) in activities"),
        ("activiteiten.kz_uur.tariff", "unknown key 'activiteiten' (did you mean 'activities'?)"),
        ("activities.kz_uur.tarif", "unknown key 'tarif' (did you mean 'tariff'?)"),
    ],
)
def test_an_unknown_path_is_one_error_with_did_you_mean(path: str, hint: str) -> None:
    line = one_error("--set", f"{path}=60")
    assert line.startswith("error: --set: "), line
    assert hint in line, line


def test_a_number_given_for_a_text_is_taken_as_the_text() -> None:
    result = invoke("compare", "-f", "json", "--variant", "mono", "--set", "scenario.name=2025")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["scenario"]["name"] == "2025"


def test_a_set_error_and_a_file_error_come_together(tmp_path: Path) -> None:
    from bekostiging.starter import init_example

    path = init_example(tmp_path / "regio")[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("baseline = ", "name_ = 1\nbaseline = ", 1), encoding="utf-8")
    result = invoke("validate", path, "--set", 'activities.kz_uur.tariff="62,30"')
    lines = errors(result)
    assert len(lines) == 2, result.stderr
    at_set = [line for line in lines if line.startswith("error: --set: activities.kz_uur.tariff: ")]
    assert len(at_set) == 1 and "use a decimal point: 62.30" in at_set[0], result.stderr
    assert any("scenario.name_: unknown key 'name_'" in line for line in lines), result.stderr


def test_a_quoted_number_in_a_file_gets_the_hint(tmp_path: Path) -> None:
    from bekostiging.starter import init_example

    path = init_example(tmp_path / "regio")[0]
    text = path.read_text(encoding="utf-8")
    assert text.count("clients = 1400") == 1
    path.write_text(text.replace("clients = 1400", 'clients = "1400"'), encoding="utf-8")
    result = invoke("validate", path)
    lines = errors(result)
    assert len(lines) == 1, result.stderr
    assert "profiles.ongecompliceerd.clients: must be a number, got the text '1400'" in lines[0]
    assert "write it without quotes: 1400" in lines[0]


def test_the_api_overrides_give_one_finding_too() -> None:
    import bekostiging as bk

    with pytest.raises(bk.ScenarioError) as caught:
        bk.compare(bk.load("geboortezorg-regio"), overrides={"activities.kz_uur.tariff": "65,50"})
    (finding,) = caught.value.findings
    assert (finding.file, finding.path) == ("overrides", "activities.kz_uur.tariff")
    assert "use a decimal point: 65.50" in finding.message
