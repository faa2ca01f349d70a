"""`calibrate` against hostile or broken input (issue 17, items 12, 13 and 19).

Each test failed before its fix: a duplicated column was read silently, a claims path was
expanded as a glob, a file name could write TOML into the fragment, `--by region` on a
full disk left a partial set that blocked a rerun, a line with an extra field passed when
the header had a column calibrate does not read, and a missing mapping `scenario` named
neither the mapping nor its key.
"""

from __future__ import annotations

import errno
import os
import tomllib
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekostiging.calibrate import CalibrationError, calibrate, write_fragments
from bekostiging.calibrate.fragment import render_fragment, toml_string
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


# ------------------------------------------------------------------ item 19: file names in comments


def test_a_newline_in_the_claims_name_stays_in_its_comment(tmp_path):
    name = "x\n[profiles.evil]\nclients = 1\n#.csv"
    claims = tmp_path / name
    claims.write_text(HEADER + "\n" + LINES, encoding="utf-8")
    mapping = tmp_path / "m\rap\x1b[31m.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    fragment = calibrate(claims, mapping).fragment()
    assert tomllib.loads(fragment) == {
        "profiles": {"ongecompliceerd": {"clients": 2, "path": {"zh_echo": 1.5}}}
    }
    first = fragment.splitlines()[0]
    assert "'x\\n[profiles.evil]\\nclients = 1\\n#.csv'" in first
    assert "'m\\rap\\x1b[31m.toml'" in first
    assert all(
        line == "" or line.startswith(("#", "[", "clients", "zh_echo")) for line in fragment.splitlines()
    )


_NAMES = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
_REGIONAL: dict = {}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=_NAMES, mapping=_NAMES, region=_NAMES)
def test_any_name_in_the_fragment_header_is_one_comment_line(tmp_path, source, mapping, region):
    if "result" not in _REGIONAL:
        claims = tmp_path / "claims.csv"
        claims.write_text(HEADER + ",region\n" + "a,E1,P1,1,145.00,2024-01-02,noord\n", encoding="utf-8")
        result = calibrate(claims, _mapping(tmp_path), by="region")
        _REGIONAL["result"] = result
        _REGIONAL["lines"] = len(render_fragment(result, result.parts[0]).splitlines())
    result, lines = _REGIONAL["result"], _REGIONAL["lines"]
    part = result.parts[0]
    part.region, result.source, result.mapping._source = region, source, mapping
    fragment = render_fragment(result, part)
    # a control character breaks the TOML; a line break could add keys to it
    assert tomllib.loads(fragment) == {
        "profiles": {"ongecompliceerd": {"clients": 1, "path": {"zh_echo": 1.0}}}
    }
    assert len(fragment.splitlines()) == lines
    header = fragment.split("\n\n")[0].splitlines()
    assert all(line.startswith("#") and line.isprintable() for line in header)


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_a_profile_name_is_a_toml_string_whatever_it_holds(name):
    assert tomllib.loads(f"name = {toml_string(name)}") == {"name": name}  # DEL too


# ------------------------------------------------------------------ item 19: all or nothing


def _regional(tmp_path: Path) -> tuple[Path, Path]:
    claims = tmp_path / "claims.csv"
    claims.write_text(
        HEADER + ",region\n"
        "a,E1,P1,1,145.00,2024-01-02,noord\n"
        "b,E1,P1,1,145.00,2024-01-02,oost\n"
        "c,E1,P1,1,145.00,2024-01-02,zuid\n",
        encoding="utf-8",
    )
    return claims, _mapping(tmp_path)


def _full_disk_after(monkeypatch: pytest.MonkeyPatch, files: int) -> None:
    """Every write after the first `files` files fails as on a full disk (ENOSPC at fsync)."""
    real = os.fsync
    calls = {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > files:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.parametrize("files", [0, 1, 2])
def test_by_region_on_a_full_disk_writes_nothing_and_a_rerun_works(tmp_path, monkeypatch, files):
    claims, mapping = _regional(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    with monkeypatch.context() as patch:
        _full_disk_after(patch, files)
        result = invoke("calibrate", claims, "-m", mapping, "--by", "region", "-o", out / "f.toml")
    assert result.exit_code == 1
    assert list(out.iterdir()) == []  # no fragment and no temporary file
    assert "No space left on device; nothing was written" in result.stderr
    rerun = invoke("calibrate", claims, "-m", mapping, "--by", "region", "-o", out / "f.toml")
    assert rerun.exit_code == 0, rerun.stderr
    assert sorted(p.name for p in out.iterdir()) == ["f-noord.toml", "f-oost.toml", "f-zuid.toml"]


def test_a_failed_rename_takes_back_the_new_files(tmp_path, monkeypatch):
    claims, mapping = _regional(tmp_path)
    result = calibrate(claims, mapping, by="region")
    real = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(src, dst)

    kept = tmp_path / "f-oost.txt"
    kept.write_text("old", encoding="utf-8")
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        write_fragments(result, tmp_path / "f.txt", [claims, mapping])
    monkeypatch.undo()
    # the new files are gone again, the file that was there is as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.csv", "f-oost.txt", "m.toml"]
    assert kept.read_text(encoding="utf-8") == "old"


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


# ------------------------------------------------------------------ item 19: the mapping's scenario


def test_a_missing_mapping_scenario_names_the_mapping_and_its_key(tmp_path):
    (tmp_path / "claims.csv").write_text(HEADER + "\n" + LINES, encoding="utf-8")
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "scenario.toml").write_text("", encoding="utf-8")
    mapping = _mapping(tmp_path, 'scenario = "scenarios/scenaro.toml"\n' + MAPPING)
    with pytest.raises(CalibrationError) as exc:
        calibrate(tmp_path / "claims.csv", mapping)
    assert exc.value.problems == [
        "m.toml: scenario: scenarios/scenaro.toml does not exist (did you mean 'scenarios/scenario.toml'?)"
    ]
    result = invoke("calibrate", tmp_path / "claims.csv", "--mapping", mapping)
    assert result.exit_code == 1 and "m.toml: scenario: scenarios/scenaro.toml" in result.stderr
    (tmp_path / "folder.toml").mkdir()
    mapping.write_text('scenario = "folder.toml"\n' + MAPPING, encoding="utf-8")
    with pytest.raises(
        CalibrationError, match=r"^error: m\.toml: scenario: folder\.toml is a directory, not a file$"
    ):
        calibrate(tmp_path / "claims.csv", mapping)
    # a scenario given on the command line is named as before: the file itself
    with pytest.raises(CalibrationError, match=r"^error: nope\.toml: does not exist"):
        calibrate(tmp_path / "claims.csv", mapping, scenario="nope.toml")
