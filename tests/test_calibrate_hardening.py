"""`calibrate` against hostile or broken input (issue 17, items 12, 13 and 19).

Each test failed before its fix: a duplicated column was read silently, a claims path was
expanded as a glob, a file name could write TOML into the fragment, `--by region` on a
full disk left a partial set that blocked a rerun, a line with an extra field passed when
the header had a column calibrate does not read, and a missing mapping `scenario` named
neither the mapping nor its key.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from bekostiging.calibrate import CalibrationError, calibrate
from conftest import invoke

HEADER = "client_id,activity,provider,units,amount,date"
LINES = "a,E1,P1,1,145.00,2024-01-02\nb,E1,P1,2,290.00,2024-01-03\n"
MAPPING = 'default_profile = "ongecompliceerd"\n[codes]\nE1 = "zh_echo"\n'


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    """Messages name files relative to the working directory: work where the files are."""
    monkeypatch.chdir(tmp_path)


def _mapping(folder: Path, text: str = MAPPING) -> Path:
    path = folder / "m.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(exc_info: pytest.ExceptionInfo[CalibrationError]) -> str:
    return "\n".join(exc_info.value.problems)


# ------------------------------------------------------------------ item 12: duplicate columns


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_a_column_named_twice_is_refused(tmp_path, separator):
    # the second `units` holds the real figure: reading the first would give a path 5x too high
    header = (HEADER + ",units").replace(",", separator)
    line = "a,E1,P1,5,145.00,2024-01-02,1\n".replace(",", separator)
    claims = tmp_path / "claims.csv"
    claims.write_text(header + "\n" + line, encoding="utf-8")
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, _mapping(tmp_path))
    assert exc.value.problems == [
        "claims.csv: units: line 1 (the header) names this column twice (columns 4 and 7); "
        "calibrate cannot tell which one holds the figures: rename or remove one"
    ]


def test_every_duplicate_column_at_once_and_on_the_command_line(tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        'client_id,activity,"amount",provider,units,amount,date,activity,activity\n'
        "a,E1,1.00,P1,1,145.00,2024-01-02,E2,E3\n",
        encoding="utf-8",
    )
    result = invoke("calibrate", claims, "--mapping", _mapping(tmp_path))
    assert result.exit_code == 1
    assert "claims.csv: activity: line 1 (the header) names this column 3 times (columns 2, 8 and 9)" in (
        result.stderr
    )
    assert (
        "claims.csv: amount: line 1 (the header) names this column twice (columns 3 and 6)" in result.stderr
    )
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_column_named_twice_is_told_with_the_other_header_problems(tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "client_id,activity,units,amount,date,units\na,E1,1,145.00,2024-01-02,1\n", encoding="utf-8"
    )
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, _mapping(tmp_path))
    assert "claims.csv: units: line 1 (the header) names this column twice (columns 3 and 6)" in _problems(
        exc
    )
    assert "claims.csv: provider: required column is missing" in _problems(exc)


def test_a_duplicate_column_calibrate_does_not_read_is_ignored(tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        HEADER + ",opmerking,opmerking\n" + "a,E1,P1,1,145.00,2024-01-02,x,y\n", encoding="utf-8"
    )
    assert calibrate(claims, _mapping(tmp_path)).lines == 1


# ------------------------------------------------------------------ item 13: literal paths


@pytest.mark.parametrize("name", ["sm*.csv", "claims[2024].csv", "sm?.parquet", "claims[2024].parquet"])
def test_the_claims_path_is_literal_not_a_glob(tmp_path, name):
    frame = pl.read_csv((HEADER + "\n" + LINES).encode(), infer_schema=False)
    sibling = "small.parquet" if name.endswith(".parquet") else "small.csv"
    for path in (tmp_path / name, tmp_path / sibling, tmp_path / ("sm1" + Path(name).suffix)):
        if path.suffix == ".parquet":
            typed = frame.with_columns(
                pl.col("units", "amount").cast(pl.Float64), pl.col("date").str.to_date()
            )
            typed.write_parquet(path)
        else:
            path.write_text(HEADER + "\n" + LINES, encoding="utf-8")
    result = calibrate(tmp_path / name, _mapping(tmp_path))
    assert result.lines == 2  # not 4 or 6: the siblings a glob would match are not read
    assert result.parts[0].profiles["ongecompliceerd"].path == {"zh_echo": Decimal("1.5000")}
    cli = invoke("calibrate", tmp_path / name, "--mapping", _mapping(tmp_path))
    assert cli.exit_code == 0, cli.stderr
    assert "zh_echo = 1.5000" in cli.stdout


def test_a_glob_that_names_no_file_is_not_found(tmp_path):
    (tmp_path / "small.csv").write_text(HEADER + "\n" + LINES, encoding="utf-8")
    with pytest.raises(CalibrationError, match="file not found"):
        calibrate(tmp_path / "*.csv", _mapping(tmp_path))


# ------------------------------------------------------------------ item 19: more fields than the header


@pytest.mark.parametrize("seventh", ["region", "profile", "opmerking"])
def test_a_line_with_more_fields_than_the_header_is_refused(tmp_path, seventh):
    claims = tmp_path / "claims.csv"
    value = "ongecompliceerd" if seventh == "profile" else "noord"
    claims.write_text(
        f"{HEADER},{seventh}\n"
        f"a,E1,P1,1,145.00,2024-01-02,{value}\n"
        f'b,E1,P1,1,145.00,2024-01-02,{value},"5,5"\n'
        f"c,E1,P1,1,145.00,2024-01-02,{value}\n"
        f"d,E1,P1,1,145.00,2024-01-02,{value},,\n",
        encoding="utf-8",
    )
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, _mapping(tmp_path))
    assert exc.value.problems == [
        "claims.csv: a line has more fields than the header (7): line 3 has 8, line 5 has 9"
    ]
    cli = invoke("calibrate", claims, "--mapping", _mapping(tmp_path))
    assert cli.exit_code == 1 and "line 3 has 8" in cli.stderr and cli.stdout == ""


def test_more_fields_are_found_beyond_the_first_lines(tmp_path):
    claims = tmp_path / "claims.csv"
    good = "a,E1,P1,1,145.00,2024-01-02,noord\n"
    claims.write_text(HEADER + ",region\n" + good * 5000 + good.strip() + ",x\n", encoding="utf-8")
    with pytest.raises(CalibrationError, match=r"line 5002 has 8$"):
        calibrate(claims, _mapping(tmp_path))
