"""The scans `calibrate` runs (issue 19): a Parquet extract takes other paths than a CSV one.

Parquet: the code table grouped as read, the per-group sums in a joined scan of their own,
collected together with the outlier lines; CSV: one joined scan for the code table and the
sums. Both must give the same calibration. A scan's `where` filters before the typing, and
`collect_all` fails with the message `collect` gives.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest

from bekostiging import examples
from bekostiging.calibrate import CalibrationError, calibrate
from bekostiging.calibrate.claims import collect, collect_all, open_claims
from support.synthetic import generate_claims, mapping_toml

EXAMPLE = examples.path_of(examples.DEFAULT)
COLUMNS = ["client_id", "activity", "provider", "units", "amount", "date"]


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The same synthetic claims as Parquet and as CSV, and their mapping."""
    folder = tmp_path_factory.mktemp("paths")
    parquet = folder / "claims.parquet"
    truth = generate_claims(parquet, clients=3_000, seed=19, outlier_rate=0.01)
    csv = folder / "claims.csv"
    pl.read_parquet(parquet).write_csv(csv)
    mapping = folder / "mapping.toml"
    mapping.write_text(mapping_toml(truth, os.path.relpath(EXAMPLE, folder)), encoding="utf-8")
    return parquet, csv, mapping


@pytest.mark.parametrize("by", [None, "region"])
def test_parquet_and_csv_paths_give_the_same_calibration(extract, by):
    parquet, csv, mapping = extract
    from_parquet = calibrate(parquet, mapping, by=by).as_dict()
    from_csv = calibrate(csv, mapping, by=by).as_dict()
    for report in (from_parquet, from_csv):
        del report["source"], report["format"]  # the file's name and kind differ
    assert json.dumps(from_parquet, default=str, sort_keys=True) == json.dumps(
        from_csv, default=str, sort_keys=True
    )
    assert from_parquet["outliers"]  # the outlier path ran


@pytest.mark.parametrize("which", ["parquet", "csv"])
def test_where_keeps_the_lines_a_filter_after_typing_keeps(extract, which):
    claims = open_claims(extract[0] if which == "parquet" else extract[1])

    def big(typed: dict[str, pl.Expr]) -> pl.Expr:
        return (typed["cents"] > 50_000) & typed["code"].is_in(["190001", "190002"])

    early = claims.scan(COLUMNS, where=big).collect()
    wanted = (pl.col("cents") > 50_000) & pl.col("code").is_in(["190001", "190002"])
    late = claims.scan(COLUMNS).filter(wanted).collect()
    assert early.height > 0
    assert early.sort(pl.all()).equals(late.sort(pl.all()))


def test_collect_all_gives_what_collect_gives(extract):
    claims = open_claims(extract[0])
    queries = [claims.scan(COLUMNS).select(pl.len()), claims.scan(COLUMNS).group_by("code").len()]
    together = collect_all(claims, queries, COLUMNS)
    alone = [collect(claims, query, COLUMNS) for query in queries]
    assert together[0].equals(alone[0])
    assert together[1].sort("code").equals(alone[1].sort("code"))
    assert collect_all(claims, [], COLUMNS) == []


def test_collect_all_fails_with_the_message_of_collect(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(
        "client_id,activity,provider,units,amount,date\n"
        "a,E1,P1,1,145.00,2024-01-02\nb,E1,P1,twee,290.00,2024-01-03\n",
        encoding="utf-8",
    )
    claims = open_claims(path)
    good = claims.scan(["client_id"]).select(pl.len())
    bad = claims.scan(COLUMNS).select(pl.col("units").sum())
    with pytest.raises(CalibrationError) as alone:
        collect(claims, bad, COLUMNS)
    with pytest.raises(CalibrationError) as together:
        collect_all(claims, [good, bad], COLUMNS)
    assert str(together.value) == str(alone.value)
    assert "twee" in str(together.value)


def test_a_parquet_extract_without_outlier_candidates(tmp_path):
    """Every line at one price: no line can be an outlier, so no outlier scan runs."""
    claims = tmp_path / "claims.parquet"
    pl.DataFrame(
        {
            "client_id": ["a", "b", "c"],
            "activity": ["E1", "E1", "E1"],
            "provider": ["P1", "P1", "P2"],
            "units": [1, 2, 1],
            "amount": [145.0, 290.0, 145.0],
            "date": pl.Series(["2024-01-02"] * 3).str.to_date(),
        }
    ).write_parquet(claims)
    mapping = tmp_path / "m.toml"
    mapping.write_text('default_profile = "ongecompliceerd"\n[codes]\nE1 = "zh_echo"\n', encoding="utf-8")
    result = calibrate(claims, mapping)
    assert not result.as_dict()["outliers"]
    assert result.parts[0].profiles["ongecompliceerd"].clients == 3
