"""`calibrate`: profiles, care paths and prices recovered from a claims extract.

The recovery tests draw a synthetic extract from the default example (tests/support/synthetic.py)
and calibrate it with the mapping the generator writes. Sampling error, stated once:
client counts are exact (every client of a profile carries its marker, the default
profile gets the rest); the mean units per client of activity a in profile p, with path
mean m and n clients, has standard error SE = sqrt(var / n) with var = m (1 - m) for
m <= 1 (Bernoulli) and var = m for m > 1 (Poisson). The tests accept |observed - m| <=
5 SE + 0.00005 (the fragment rounds to 4 decimals). Over the ~100 (profile, activity)
pairs, a false alarm has probability about 100 x 5.7e-7; the seed is fixed anyway.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from bekostiging import examples
from bekostiging.calibrate import (
    STAGES,
    TABLES,
    Calibration,
    CalibrationError,
    CodeTarget,
    Mapping,
    ProfileRule,
    calibrate,
    check_fragment,
    check_mapping_against,
    load_mapping,
    output_paths,
    parse_mapping,
    report_tables,
    write_fragments,
)
from bekostiging.output import OutputRefused
from bekostiging.scenario.load import load_scenario
from bekostiging.scenario.model import ID_RULE
from conftest import invoke
from support.synthetic import Truth, generate_claims, mapping_toml, unit_variance

EXAMPLE = examples.path_of(examples.DEFAULT)
TARIFFS = examples.data_root() / "configs" / "tarieven" / "geboortezorg-2024.toml"
CLIENTS = 20_000
SEED = 2024


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> tuple[Path, Path, Truth]:
    """A synthetic Parquet extract of 20,000 clients and its mapping (with the scenario)."""
    folder = tmp_path_factory.mktemp("claims")
    claims = folder / "claims.parquet"
    truth = generate_claims(claims, clients=CLIENTS, seed=SEED)
    mapping = folder / "mapping.toml"
    mapping.write_text(mapping_toml(truth, os.path.relpath(EXAMPLE, folder)), encoding="utf-8")
    return claims, mapping, truth


@pytest.fixture(scope="module")
def result(extract) -> Calibration:
    claims, mapping, _ = extract
    return calibrate(claims, mapping)


def _fragment(text: str) -> dict:
    return tomllib.loads(text, parse_float=Decimal)


def _assert_recovers(profiles: dict, clients: dict[str, int], truth: Truth) -> None:
    assert {p: v["clients"] for p, v in profiles.items() if v["clients"]} == clients
    for profile, n in clients.items():
        observed = profiles[profile]["path"]
        for activity, mean in truth.path[profile].items():
            if mean == 0:
                continue
            se = math.sqrt(unit_variance(mean) / n)
            value = float(observed.get(activity, 0))
            assert abs(value - float(mean)) <= 5 * se + 0.00005, (profile, activity, value, mean, se)
        assert set(observed) <= {a for a, m in truth.path[profile].items() if m > 0}


# ---------------------------------------------------------------- recovery


def test_recovers_clients_and_path_units(result, extract):
    _, _, truth = extract
    assert sum(truth.clients.values()) == CLIENTS
    assert result.clients == CLIENTS
    assert result.lines == truth.lines
    fragment = _fragment(result.fragment())
    _assert_recovers(fragment["profiles"], truth.clients, truth)
    # m = 1 for everyone (kraamzorg registration): exactly one, whatever the sample
    assert fragment["profiles"]["diabetes"]["path"]["kz_inschrijving"] == Decimal("1.0000")
    assert result.parts[0].without_profile == 0


def test_fragment_format_is_fixed_and_deterministic(result, extract):
    text = result.fragment()
    assert "[profiles.ongecompliceerd]\nname = " in text
    path_lines = [line for line in text.splitlines() if line.startswith("vk_volledig = ")]
    assert path_lines and all(len(line.split(" = ")[1].split(".")[1]) == 4 for line in path_lines)
    # profiles in the scenario's order, activities in the tariff table's order
    order = [line for line in text.splitlines() if line.startswith("[profiles.") and ".path" not in line]
    assert order == [f"[profiles.{p}]" for p in load_scenario(EXAMPLE)[0].profiles]
    claims, mapping, _ = extract
    assert calibrate(claims, mapping).fragment() == text


def test_clients_whose_hashes_collide_are_joined_on_their_ids(result, extract, monkeypatch):
    """Lines join their client on a hash of client_id only when no two clients share one;
    else on client_id itself, with the same result (here every id hashes to its length)."""
    from bekostiging.calibrate import aggregate

    claims, mapping, _ = extract
    by_region = calibrate(claims, mapping, by="region").as_dict()
    monkeypatch.setattr(aggregate, "_client_hash", lambda source: pl.col("client_id").str.len_bytes())
    assert calibrate(claims, mapping).as_dict() == result.as_dict()
    assert calibrate(claims, mapping, by="region").as_dict() == by_region


def test_fragment_validates_against_the_scenario(result, tmp_path):
    assert result.fragment_problems == {None: []}
    assert check_fragment(result.fragment(), EXAMPLE) == []
    # and as a file: a scenario that includes the tariff table and the fragment (both in
    # its folder: an include stays in the scenario's project, SECURITY.md)
    (tmp_path / "tarieven.toml").write_bytes(TARIFFS.read_bytes())
    (tmp_path / "fragment.toml").write_text(result.fragment(), encoding="utf-8")
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(
        "[scenario]\n"
        'name = "Gekalibreerd"\n'
        'baseline = "mono"\n'
        'client = "client"\n'
        'default_payer = "zorgverzekeraar"\n'
        'include = ["tarieven.toml", "fragment.toml"]\n'
        "\n[variants.mono]\n",
        encoding="utf-8",
    )
    loaded, _ = load_scenario(scenario)
    assert loaded.profiles["diabetes"].clients == result.parts[0].profiles["diabetes"].clients
    from bekostiging.api import compare

    compare(scenario)  # it computes, too


def test_observed_prices_are_the_exact_means(result, extract):
    _, _, truth = extract
    prices = {p.activity: p for p in result.parts[0].prices}
    assert set(prices) == {a for a in truth.amount}
    for activity, p in prices.items():
        assert p.amount == truth.amount[activity]
        assert p.units == truth.units[activity]
        expected = truth.observed_price(activity).quantize(Decimal("0.01"))
        assert p.mean_price == expected, activity
        assert p.tariff == truth.tariffs[activity]
        # providers' contract prices are within +-10 % of the tariff
        assert abs(p.mean_price_without_outliers / p.tariff - 1) < Decimal("0.1")
    assert "# observed" not in result.fragment()  # prices are comments with a fixed wording:
    assert "tariff € 1,863.97" in result.fragment()


def test_unmapped_codes_are_reported_with_lines_and_amounts(result, extract):
    _, _, truth = extract
    found = {c.code: (c.lines, c.amount) for c in result.unmapped}
    assert found == truth.unmapped
    assert "Unmapped codes" in result.report() and "999901" in result.report()


def test_injected_outliers_are_found_and_nothing_else(result, extract):
    _, _, truth = extract
    found = {o.code: o.lines for o in result.outliers}
    assert found == truth.outliers
    for o in result.outliers:
        assert o.low < o.median < o.high
        assert 0 < len(o.examples) <= 3
        assert all(e["unit_price"] < o.low or e["unit_price"] > o.high for e in o.examples)


def test_report_and_json(result):
    report = result.report()
    for text in ("Profiles", "without a profile", "Observed mean price", "Price outliers", "diabetes"):
        assert text in report
    data = json.loads(json.dumps(result.as_dict()))
    assert data["parts"][0]["profiles"]["diabetes"]["clients"] == result.parts[0].profiles["diabetes"].clients


def test_report_as_tables(result, extract):
    _, _, truth = extract
    tables, meta = report_tables(result)
    assert list(tables) == list(TABLES)
    profiles = tables["profiles"]
    assert profiles["region"].null_count() == profiles.height  # without --by no region
    assert dict(zip(profiles["profile"], profiles["clients"], strict=True)) == {
        name: r.clients for name, r in result.parts[0].profiles.items()
    }
    paths = _fragment(result.fragment())["profiles"]
    assert {
        (r["profile"], r["activity"]): r["units_per_client"] for r in tables["paths"].iter_rows(named=True)
    } == {(name, activity): units for name, p in paths.items() for activity, units in p["path"].items()}
    prices = tables["prices"]
    assert prices.schema["amount"] == pl.Decimal(38, 2)  # money exact, never float
    assert dict(zip(prices["activity"], prices["amount"], strict=True)) == truth.amount
    assert dict(zip(prices["activity"], prices["mean_price"], strict=True)) == {
        p.activity: p.mean_price for p in result.parts[0].prices
    }
    unmapped = tables["unmapped"]
    assert {r["code"]: (r["lines"], r["amount"]) for r in unmapped.iter_rows(named=True)} == truth.unmapped
    assert dict(zip(tables["outliers"]["code"], tables["outliers"]["lines"], strict=True)) == truth.outliers
    assert tables["outlier_examples"].height == sum(len(o.examples) for o in result.outliers) > 0
    assert tables["without_profile"].rows() == [(None, 0, 0, Decimal("0.00"))]
    assert (meta.lines, meta.clients, meta.by, meta.mapping) == (
        truth.lines,
        CLIENTS,
        None,
        result.mapping.source,
    )
    assert meta.outlier_rule in result.report()


def test_by_region_gives_one_fragment_per_region(extract, tmp_path):
    claims, mapping, truth = extract
    result = calibrate(claims, mapping, by="region")
    fragments = result.fragments()
    assert sorted(fragments) == sorted(truth.regions)
    for region, text in fragments.items():
        profiles = _fragment(text)["profiles"]
        _assert_recovers(profiles, truth.clients_by_region[region], truth)
        assert f"region '{region}'" in text
        assert check_fragment(text, EXAMPLE) == []
    paths = output_paths(tmp_path / "fragment.toml", result)
    assert sorted(p.name for p in paths) == sorted(f"fragment-{r}.toml" for r in truth.regions)
    assert not list(tmp_path.iterdir())  # the library writes nothing
    tables, meta = report_tables(result)
    assert meta.by == "region" and sorted(set(tables["profiles"]["region"])) == sorted(truth.regions)
    assert tables["without_profile"]["region"].to_list() == sorted(truth.regions)
    # writing: every target is checked before any is written, then each is written whole
    taken = tmp_path / f"fragment-{sorted(truth.regions)[-1]}.toml"
    with pytest.raises(OutputRefused):
        write_fragments(result, tmp_path / "fragment.toml", [claims, mapping, taken])
    assert not list(tmp_path.iterdir())
    written = write_fragments(result, tmp_path / "fragment.toml", [claims, mapping])
    assert {p: p.read_text(encoding="utf-8") for p in written} == paths
    assert output_paths(tmp_path / "f.toml", calibrate(claims, mapping)) == {
        tmp_path / "f.toml": calibrate(claims, mapping).fragment()
    }


def test_csv_gives_the_same_fragment_as_parquet(extract, tmp_path):
    _, mapping, truth = extract
    csv = tmp_path / "claims.csv"
    generate_claims(csv, clients=CLIENTS, seed=SEED)
    from_csv = calibrate(csv, mapping)
    from_parquet = calibrate(extract[0], mapping)
    body = lambda text: text.split("\n[", 1)[1]  # noqa: E731 - the part after the header comments
    assert body(from_csv.fragment()) == body(from_parquet.fragment())
    assert {o.code: o.lines for o in from_csv.outliers} == truth.outliers


def test_generator_is_deterministic(tmp_path):
    a = generate_claims(tmp_path / "a.parquet", clients=500, seed=5)
    b = generate_claims(tmp_path / "b.parquet", clients=500, seed=5)
    c = generate_claims(tmp_path / "c.parquet", clients=500, seed=6)
    assert pl.read_parquet(tmp_path / "a.parquet").equals(pl.read_parquet(tmp_path / "b.parquet"))
    assert a.outliers == b.outliers and a.unmapped == b.unmapped and a.lines == b.lines
    assert not pl.read_parquet(tmp_path / "a.parquet").equals(pl.read_parquet(tmp_path / "c.parquet"))
    assert c.clients == a.clients  # counts are exact, only the draws differ
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no parts left behind


# ---------------------------------------------------------------- profile rules


def test_first_matching_rule_wins(extract, tmp_path):
    claims, _, truth = extract
    mapping = tmp_path / "reversed.toml"
    mapping.write_text(mapping_toml(truth, reverse_rules=True), encoding="utf-8")
    reversed_ = calibrate(claims, mapping).parts[0].profiles
    # 30 % of the diabetes clients also carry the overgewicht marker: with overgewicht's
    # rule first they move there
    moved = truth.clients["diabetes"] - reversed_["diabetes"].clients
    assert reversed_["overgewicht"].clients - truth.clients["overgewicht"] == moved
    assert 0.2 * truth.clients["diabetes"] < moved < 0.4 * truth.clients["diabetes"]


def test_profile_column_wins_over_the_rules(tmp_path):
    claims = tmp_path / "claims.parquet"
    truth = generate_claims(claims, clients=3000, seed=3, with_profile_column=True)
    mapping = tmp_path / "mapping.toml"
    # reversed rules would misplace clients; the profile column overrides them
    mapping.write_text(mapping_toml(truth, reverse_rules=True), encoding="utf-8")
    result = calibrate(claims, mapping)
    assert {p: r.clients for p, r in result.parts[0].profiles.items() if r.clients} == truth.clients
    assert result.profile_column and "profile column" in result.fragment()


CLAIMS_HEADER = "client_id,activity,provider,units,amount,date\n"
MAPPING = 'default_profile = "ongecompliceerd"\n[codes]\nE1 = "zh_echo"\n'


def _small(tmp_path: Path, rows: str, mapping: str, header: str = CLAIMS_HEADER) -> tuple[Path, Path]:
    claims = tmp_path / "claims.csv"
    claims.write_text(header + rows, encoding="utf-8")
    path = tmp_path / "mapping.toml"
    path.write_text(mapping, encoding="utf-8")
    return claims, path


def test_min_units_rule_factor_default_and_without_profile(tmp_path):
    claims, mapping = _small(
        tmp_path,
        "a,E1,P1,3,435.00,2024-01-02\n"  # 3 scans: meets min_units
        "a,PRE,P1,1,344.84,2024-01-02\n"  # half a prenatal prestatie
        "b,E1,P1,1,145.00,2024-02-01\n"
        "b,PRE,P1,1,689.67,2024-02-01\n"
        "c,X9,P2,1,10.00,2024-03-01\n",  # only an unmapped code: matches no rule
        '[codes]\nE1 = "zh_echo"\nPRE = { activity = "vk_prenataal", factor = 0.5 }\n'
        '[[profile]]\nname = "diabetes"\nmin_units = { E1 = 3 }\n'
        '[[profile]]\nname = "ongecompliceerd"\nany_code = ["PRE"]\n',
    )
    result = calibrate(claims, mapping)
    profiles = result.parts[0].profiles
    assert profiles["diabetes"].clients == 1 and profiles["diabetes"].path == {
        "zh_echo": Decimal("3.0000"),
        "vk_prenataal": Decimal("0.5000"),
    }
    assert profiles["ongecompliceerd"].path["vk_prenataal"] == Decimal("0.5000")
    assert result.parts[0].without_profile == 1  # client c: no rule, no default
    prices = {p.activity: p for p in result.parts[0].prices}
    assert prices["vk_prenataal"].units == Decimal("1.0")
    assert prices["vk_prenataal"].mean_price == Decimal("1034.51")  # per scenario unit (factor 0.5)
    assert [c.code for c in result.unmapped] == ["X9"]
    assert "1 clients matched no profile rule" in result.fragment()


def test_more_credited_than_declared_is_left_out_of_the_path(tmp_path):
    claims, mapping = _small(
        tmp_path,
        "a,E1,P1,1,145.00,2024-01-02\na,E1,P1,-2,-290.00,2024-01-03\nb,PRE,P1,1,689.67,2024-01-02\n",
        'default_profile = "ongecompliceerd"\n[codes]\nE1 = "zh_echo"\nPRE = "vk_prenataal"\n',
    )
    result = calibrate(claims, mapping)
    assert result.parts[0].profiles["ongecompliceerd"].path == {"vk_prenataal": Decimal("0.5000")}
    assert "zh_echo" not in result.fragment().split("[profiles.")[1]
    line = "left out: ongecompliceerd.zh_echo: net units -1 < 0 (more credited than declared)"
    assert line in result.report()
    dutch = "weggelaten: ongecompliceerd.zh_echo: netto eenheden -1 < 0 (meer gecrediteerd dan gedeclareerd)"
    assert dutch in result.report("nl")
    tables, _ = report_tables(result)
    assert tables["negative_paths"].rows() == [(None, "ongecompliceerd", "zh_echo", Decimal("-1.0"))]


def test_tied_outlier_examples_are_the_first_clients(tmp_path):
    """Outliers often share a price; among ties the examples were whichever lines the
    engine met first, and on a large extract they changed from run to run."""
    rows = "".join(f"n{i:02d},E1,P1,1,145.00,2024-01-02\n" for i in range(40))
    rows += "".join(f"o{11 - i:02d},E1,P{i},1,1450.00,2024-01-02\n" for i in range(12))
    claims, mapping = _small(tmp_path, rows, MAPPING)
    (outlier,) = calibrate(claims, mapping).outliers
    assert outlier.lines == 12
    assert [e["client_id"] for e in outlier.examples] == ["o00", "o01", "o02"]


def test_outliers_a_third_of_a_cent_past_the_fence(tmp_path):
    """Lines are screened by their price rounded to cents before the exact test: a price a
    third of a cent above the high fence (EUR 188.50 a unit) is an outlier, one a third
    below is not, though both round to the fence."""
    rows = "".join(f"n{i:02d},E1,P1,1,145.00,2024-01-02\n" for i in range(40))
    rows += "a,E1,P1,3,565.51,2024-01-02\nb,E1,P1,3,565.49,2024-01-02\n"
    claims, mapping = _small(tmp_path, rows, MAPPING)
    (outlier,) = calibrate(claims, mapping).outliers
    assert (outlier.lines, outlier.high) == (1, Decimal("188.50"))
    assert [e["client_id"] for e in outlier.examples] == ["a"]


def test_no_outliers_no_examples(tmp_path):
    rows = "".join(f"n{i:02d},E1,P1,1,145.00,2024-01-02\n" for i in range(10))
    claims, mapping = _small(tmp_path, rows, MAPPING)
    result = calibrate(claims, mapping)
    assert result.outliers == [] and result.parts[0].prices[0].outlier_units == 0


def test_dutch_excel_csv_with_semicolons_and_decimal_commas(tmp_path):
    claims, mapping = _small(
        tmp_path,
        "a;E1;P1;2;290,00;2024-01-02\nb;E1;P1;1;145,50;2024-01-03\n",
        MAPPING,
        header="\ufeff" + CLAIMS_HEADER.replace(",", ";"),
    )
    result = calibrate(claims, mapping)
    assert result.parts[0].profiles["ongecompliceerd"].path == {"zh_echo": Decimal("1.5000")}
    assert result.parts[0].prices[0].mean_price == Decimal("145.17")


def test_progress_goes_to_a_callback(extract):
    claims, mapping, _ = extract
    calls: list[tuple[int, int, str]] = []
    result = calibrate(claims, mapping, progress=lambda *call: calls.append(call))
    assert result.clients == CLIENTS
    # one call as each stage starts, counting the stages done, and one at the end
    assert [done for done, _, _ in calls] == list(range(len(STAGES) + 1))
    assert {total for _, total, _ in calls} == {len(STAGES)}
    assert [stage for _, _, stage in calls] == [*STAGES, "done"]


def test_the_library_never_loads_rich(tmp_path):
    """The library reports progress to a callback; only the CLI draws (with rich)."""
    claims, mapping = _small(tmp_path, "a,E1,P1,1,145.00,2024-01-02\n", MAPPING)
    code = (
        "import sys\n"
        "import bekostiging.calibrate as c\n"
        f"c.calibrate({str(claims)!r}, {str(mapping)!r}, progress=lambda *a: None).report()\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'rich'], 'rich was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_cli_shows_the_stages_on_a_terminal_only(extract, monkeypatch):
    claims, mapping, _ = extract
    for name in ("TTY_COMPATIBLE", "FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    quiet = invoke("calibrate", claims, "--mapping", mapping)
    assert quiet.exit_code == 0 and quiet.stderr.startswith("Kalibratie van ")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich: stderr is a terminal
    shown = invoke("calibrate", claims, "--mapping", mapping)
    assert shown.exit_code == 0
    bar, report = shown.stderr.split("Kalibratie van ", 1)
    bar = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", bar)  # the terminal's control codes
    for stage in STAGES:  # the bar moved through the stages (transient: cleared at the end)
        assert f"calibrate {stage} " in bar, stage
    assert "calibrate done " in bar and " 6/6 " in bar
    assert shown.stdout == quiet.stdout and report == quiet.stderr.removeprefix("Kalibratie van ")


def test_the_report_as_tables_in_every_format(extract, result, tmp_path):
    """`--format` and `--table` write the report's tables (stderr, or `--report FILE` by
    its extension); the fragment still goes to stdout."""
    claims, mapping, _ = extract
    tables, _ = report_tables(result)
    quiet = invoke("calibrate", claims, "--mapping", mapping)
    document = invoke("calibrate", claims, "--mapping", mapping, "-f", "json")
    assert document.exit_code == 0 and document.stdout == quiet.stdout
    data = json.loads(document.stderr)
    assert data["calibration"]["clients"] == CLIENTS and data["calibration"]["problems"] == []
    assert [t for t in data if t in TABLES] == list(TABLES)
    assert len(data["prices"]) == tables["prices"].height
    prices = invoke("calibrate", claims, "--mapping", mapping, "-f", "csv", "--table", "prices")
    assert prices.stderr.splitlines()[0] == ",".join(tables["prices"].columns)
    for suffix in ("csv", "json", "parquet", "xlsx"):
        target = tmp_path / f"rapport.{suffix}"
        written = invoke("calibrate", claims, "--mapping", mapping, "--report", target)
        assert written.exit_code == 0 and written.stdout == quiet.stdout and not written.stderr, suffix
        assert target.stat().st_size > 0
    assert pl.read_parquet(tmp_path / "rapport.parquet").equals(tables["profiles"])
    import openpyxl

    assert openpyxl.load_workbook(tmp_path / "rapport.xlsx").sheetnames == list(TABLES)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--report", "rapport.pdf"], "cannot write a .pdf file"),
        (["-f", "parquet"], "to a file with --report FILE"),
        (["-f", "csv", "--report", "rapport.json"], "does not match"),
        (["--by", "region"], "give --output FILE"),
    ],
)
def test_report_usage_errors_come_before_the_work(tmp_path, options, message):
    """Exit 2 before the claims are read: the claims file here does not even exist."""
    mapping = tmp_path / "mapping.toml"
    mapping.write_text("", encoding="utf-8")
    found = invoke("calibrate", tmp_path / "missing.parquet", "--mapping", mapping, *options)
    assert found.exit_code == 2 and message in found.stderr, found.stderr
    assert not (tmp_path / "rapport.pdf").exists()


# ---------------------------------------------------------------- bad input


def _problems(exc_info) -> str:
    return "\n".join(exc_info.value.problems)


def test_missing_columns_are_named(tmp_path):
    claims, mapping = _small(tmp_path, "a,E1,1,145.00\n", MAPPING, header="client_id,Activity,units,bedrag\n")
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, mapping)
    text = _problems(exc)
    assert "activity: required column is missing (did you mean 'Activity'?)" in text
    for column in ("provider", "amount", "date"):
        assert f"{column}: required column is missing" in text
    assert "columns found: client_id, Activity, units, bedrag" in text
    assert not list(tmp_path.glob("*.toml.*"))  # nothing written beside the inputs


def test_wrong_types_in_csv_name_the_line(tmp_path):
    claims, mapping = _small(
        tmp_path,
        "a,E1,P1,1,145.00,2024-01-02\nb,E1,P1,twee,145.00,2024-01-02\nc,E1,P1,1,€ 145,2024-13-40\n",
        MAPPING,
    )
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, mapping)
    text = _problems(exc)
    assert "units: 1 value not a number: 'twee' on line 3" in text
    assert "amount: 1 value not an amount in euros: '€ 145' on line 4" in text
    assert "date: 1 value not a date (YYYY-MM-DD): '2024-13-40' on line 4" in text
    assert str(exc.value).startswith("error: ")


def test_wrong_types_in_parquet(tmp_path):
    claims = tmp_path / "claims.parquet"
    pl.DataFrame(
        {
            "client_id": ["a"],
            "activity": ["E1"],
            "provider": ["P"],
            "units": ["1"],
            "amount": [145.0],
            "date": ["2024-01-01"],
        }
    ).write_parquet(claims)
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, tmp_path / "m.toml")
    text = _problems(exc)
    assert "units: must be numeric, but the Parquet column is String" in text
    assert "date: must be a date, but the Parquet column is String" in text


def test_empty_values_are_errors(tmp_path):
    claims, mapping = _small(tmp_path, "a,E1,P1,1,,2024-01-02\n,E1,P1,1,1.00,2024-01-02\n", MAPPING)
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, mapping)
    text = _problems(exc)
    assert "amount: 1 value is empty or not a finite number (line 2)" in text
    assert "client_id: 1 value is empty (line 3)" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r"is empty \(0 bytes\)"),
        (CLAIMS_HEADER, "has a header but no claim lines"),
        ("\n\n", "has no header line"),
    ],
)
def test_empty_files(tmp_path, content, message):
    claims = tmp_path / "claims.csv"
    claims.write_text(content, encoding="utf-8")
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    with pytest.raises(CalibrationError, match=message):
        calibrate(claims, tmp_path / "m.toml")


def test_not_a_file(tmp_path):
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    with pytest.raises(CalibrationError, match="file not found"):
        calibrate(tmp_path / "nope.csv", tmp_path / "m.toml")
    with pytest.raises(CalibrationError, match="is a directory"):
        calibrate(tmp_path, tmp_path / "m.toml")


def test_unknown_codes_in_the_claims(tmp_path):
    claims, mapping = _small(tmp_path, "a,E1,P1,1,145.00,2024-01-02\nb,Z7,P1,1,5.00,2024-01-02\n", MAPPING)
    result = calibrate(claims, mapping)  # default: reported
    assert [(c.code, c.lines, c.amount) for c in result.unmapped] == [("Z7", 1, Decimal("5.00"))]
    mapping.write_text('unmapped = "error"\n' + MAPPING, encoding="utf-8")
    with pytest.raises(CalibrationError, match=r"1 claim code is not in the mapping .*: Z7 \(1 lines\)"):
        calibrate(claims, mapping)
    mapping.write_text('default_profile = "ongecompliceerd"\n[codes]\nQQ = "zh_echo"\n', encoding="utf-8")
    with pytest.raises(CalibrationError, match="none of the 2 claim codes is in the mapping's"):
        calibrate(claims, mapping)


def test_unknown_activity_and_profile_in_the_mapping(tmp_path):
    claims, mapping = _small(
        tmp_path,
        "a,E1,P1,1,145.00,2024-01-02\n",
        f'scenario = "{Path(os.path.relpath(EXAMPLE, tmp_path)).as_posix()}"\n'
        'default_profile = "ongecompliceerd"\n'
        '[[profile]]\nname = "diabtes"\nany_code = ["D"]\n'
        '[codes]\nE1 = "zh_ech"\n',
    )
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, mapping)
    text = _problems(exc)
    assert "codes.E1: unknown activity 'zh_ech' (did you mean 'zh_echo'?)" in text
    assert "profile[0].name: unknown profile 'diabtes' (did you mean 'diabetes'?)" in text


def test_unknown_profile_in_the_profile_column(tmp_path):
    claims, mapping = _small(
        tmp_path,
        "a,E1,P1,1,145.00,2024-01-02,diabtes\nb,E1,P1,1,145.00,2024-01-02,Diabetes type 1\n",
        f'scenario = "{Path(os.path.relpath(EXAMPLE, tmp_path)).as_posix()}"\n' + MAPPING,
        header=CLAIMS_HEADER.replace("date\n", "date,profile\n"),
    )
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, mapping)
    text = _problems(exc)
    assert "profile: unknown profile 'diabtes' (did you mean 'diabetes'?)" in text
    assert "'Diabetes type 1' is not a profile id" in text


def test_mapping_typos_are_errors(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        'default_profle = "x"\nunmapped = "warn"\n'
        '[codes]\nE1 = "Echo"\nE2 = { activity = "zh_echo", factr = 2 }\n'
        '[[profile]]\nname = "diabetes"\nany_codes = ["D"]\n'
        '[[profile]]\nname = "Obese"\nmin_units = { X = -1 }\n',
        encoding="utf-8",
    )
    with pytest.raises(CalibrationError) as exc:
        load_mapping(path)
    text = _problems(exc)
    assert "default_profle: unknown key 'default_profle' (did you mean 'default_profile'?)" in text
    assert 'unmapped: must be "report" or "error", got the text \'warn\'' in text
    assert "codes.E1: must name an activity id" in text
    assert "codes.E2.factr: unknown key 'factr' (did you mean 'factor'?)" in text
    assert "profile[0].any_codes: unknown key 'any_codes' (did you mean 'any_code'?)" in text
    assert "profile[0]: a rule needs any_code and/or min_units" in text
    assert "profile[1].name: must be a profile id" in text
    assert "profile[1].min_units.X: must be a number >= 0, got -1" in text
    assert text.startswith("m.toml: ") or "m.toml: " in text


def test_mapping_errors_need_no_claims(tmp_path):
    with pytest.raises(CalibrationError, match="maps no claim code"):
        parse_mapping({"default_profile": "a"})
    with pytest.raises(CalibrationError, match="both mapped to an activity"):
        parse_mapping({"codes": {"A": "x"}, "ignore": ["A"], "default_profile": "a"})
    path = tmp_path / "m.toml"
    path.write_text("[codes\n", encoding="utf-8")
    with pytest.raises(CalibrationError, match="TOML syntax error"):
        load_mapping(path)
    claims, mapping = _small(tmp_path, "a,E1,P1,1,145.00,2024-01-02\n", '[codes]\nE1 = "zh_echo"\n')
    with pytest.raises(CalibrationError, match="assigns no profile"):
        calibrate(claims, mapping)


def _mapping_problems(text: str) -> list[str]:
    with pytest.raises(CalibrationError) as exc:
        parse_mapping(tomllib.loads(text, parse_float=Decimal), shown="m.toml")
    return exc.value.problems


def test_mapping_problems_are_located_as_the_file_writes_them():
    problems = _mapping_problems(
        'default_profile = "a"\n[codes]\nE1 = 3\n"E 2" = "Echo"\n"" = "x"\n'
        'E4 = { factor = 2 }\nE5 = { activity = "Echo" }\n'
    )
    assert problems == [
        f"m.toml: codes.E1: must name an activity id ({ID_RULE}), got 3",
        f"m.toml: codes.\"E 2\": must name an activity id ({ID_RULE}), got the text 'Echo'",
        'm.toml: codes."": a claim code must not be empty',
        "m.toml: codes.E4.activity: required key is missing",
        f"m.toml: codes.E5.activity: must name an activity id ({ID_RULE}), got the text 'Echo'",
    ]


def test_mapping_shapes_and_unknown_keys():
    problems = _mapping_problems(
        'scenario = "x.json"\nignore = "A"\nprofile = 3\nrules = []\ncodes = ["A"]\n'
    )
    assert problems == [
        "m.toml: rules: unknown key 'rules' "
        "(defined: codes, default_profile, ignore, profile, scenario, unmapped)",
        "m.toml: scenario: must be the path of a scenario .toml file, relative to the mapping file",
        'm.toml: codes: must be a table of claim code = "activity_id"',
        "m.toml: ignore: must be a list of claim codes (texts)",
        "m.toml: profile: must be an array of tables: [[profile]] name = ..., any_code = [...]",
    ]
    both = _mapping_problems('ignore = ["B", "A", "C"]\n[codes]\nA = "x"\nB = "y"\n')
    assert both == ["m.toml: ignore: codes 'A', 'B' are both mapped to an activity (codes) and ignored"]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "true", '"0.5"', "0", "-0.5"])
def test_a_factor_is_a_finite_number_above_zero(value):
    """`factor = nan` or `inf` once crashed with decimal.InvalidOperation."""
    problems = _mapping_problems(
        f'default_profile = "a"\n[codes]\nE1 = {{ activity = "x", factor = {value} }}\n'
    )
    assert len(problems) == 1 and problems[0].startswith(
        "m.toml: codes.E1.factor: must be a number > 0, got "
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "true", '"1"', "-1"])
def test_a_minimum_is_a_finite_number_not_below_zero(value):
    rule = f'[[profile]]\nname = "a"\nmin_units = {{ E1 = {value} }}\n'
    problems = _mapping_problems('[codes]\nE1 = "x"\n' + rule)
    assert len(problems) == 1 and problems[0].startswith(
        "m.toml: profile[0].min_units.E1: must be a number >= 0, got "
    )


def test_mapping_is_a_model_with_the_files_values(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the file is shown relative to the working directory
    path = tmp_path / "m.toml"
    path.write_text(
        'scenario = "s.toml"\nunmapped = "error"\nignore = ["ADM"]\n'
        '[codes]\nE1 = "zh_echo"\nP = { activity = "vk_prenataal", factor = 0.5 }\n'
        '[[profile]]\nname = "diabetes"\nany_code = ["D"]\nmin_units = { E1 = 3 }\n',
        encoding="utf-8",
    )
    mapping = load_mapping(path)
    assert mapping.source == "m.toml" and mapping.scenario == tmp_path.resolve() / "s.toml"
    assert mapping.codes["E1"] == CodeTarget(activity="zh_echo")  # the shorthand: factor 1
    assert mapping.codes["P"].factor == Decimal("0.5")
    assert mapping.rules == (ProfileRule(name="diabetes", any_code=("D",), min_units={"E1": Decimal(3)}),)
    assert mapping.unmapped == "error" and mapping.ignore == frozenset({"ADM"})
    assert mapping.marker_codes == frozenset({"D"}) and mapping.profiles == ["diabetes"]
    built = Mapping(  # from Python: the same model
        scenario=tmp_path.resolve() / "s.toml",
        unmapped="error",
        ignore=["ADM"],
        codes={"E1": "zh_echo", "P": CodeTarget(activity="vk_prenataal", factor=Decimal("0.5"))},
        profile=list(mapping.rules),
    )
    assert built.model_dump() == mapping.model_dump() and built.source == "mapping"


def test_by_region_needs_a_region_column(tmp_path):
    claims, mapping = _small(tmp_path, "a,E1,P1,1,145.00,2024-01-02\n", MAPPING)
    with pytest.raises(CalibrationError, match="region: required column is missing"):
        calibrate(claims, mapping, by="region")
    with pytest.raises(CalibrationError, match="must be one of: region"):
        calibrate(claims, mapping, by="provider")


def test_the_mapping_example_in_the_docs_is_valid():
    import re

    docs = Path(__file__).resolve().parents[1] / "docs"
    text = (docs / "calibrate.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```toml\n(.*?)```", text, re.DOTALL) if "[codes]" in b)
    mapping = parse_mapping(tomllib.loads(block, parse_float=Decimal), shown="docs", base=docs)
    # the docs name the repository's copy of the default example (the installed one may live elsewhere)
    repository_example = docs.parent / "examples" / "geboortezorg-regio" / "scenario.toml"
    assert mapping.scenario is not None and mapping.scenario.resolve() == repository_example.resolve()
    assert check_mapping_against(mapping, load_scenario(mapping.scenario)[0]) == []
    assert [r.name for r in mapping.rules] == ["diabetes", "overgewicht", "complexe_voorgeschiedenis"]
    assert mapping.codes["190021"].factor == Decimal("0.5")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("a,E1,P1,1,145.00,2024-01-02,extra\n", "a line has more fields than the header"),
        ('a,"E1,P1,1,145.00,2024-01-02\nb,E1,P1,1,1.00,2024-01-02\n', "a quote is not closed"),
        ("a,E1,P1, 1 ,145.00,2024-01-02\n", "units: 1 value not a number: ' 1 ' on line 2"),
        ("a,E1,P1,NaN,145.00,2024-01-02\n", "units: 1 value is empty or not a finite number"),
    ],
)
def test_malformed_csv(tmp_path, rows, message):
    claims, mapping = _small(tmp_path, rows, MAPPING)
    with pytest.raises(CalibrationError) as exc:
        calibrate(claims, mapping)
    assert message in _problems(exc)


def test_not_utf8(tmp_path):
    claims, mapping = _small(tmp_path, "", MAPPING)
    claims.write_bytes((CLAIMS_HEADER + "a,E1,Zoë,1,145.00,2024-01-02\n").encode("latin-1"))
    with pytest.raises(CalibrationError, match="is not UTF-8 text"):
        calibrate(claims, mapping)


def test_tab_separated_csv(tmp_path):
    claims, mapping = _small(
        tmp_path, "a\tE1\tP1\t1\t145.00\t2024-01-02\n", MAPPING, header=CLAIMS_HEADER.replace(",", "\t")
    )
    assert calibrate(claims, mapping).parts[0].profiles["ongecompliceerd"].clients == 1


def test_parquet_with_integer_ids_decimal_amounts_and_timestamps(tmp_path):
    claims = tmp_path / "claims.parquet"
    pl.DataFrame(
        {
            "client_id": [1, 2, 2],
            "activity": [190001, 190001, 190011],
            "provider": [7, 7, 8],
            "units": [1, 1, 2],
            "amount": [Decimal("1863.97"), Decimal("1800.00"), Decimal("290.00")],
            "region": ["noord", "zuid", "zuid"],
        },
        schema_overrides={"amount": pl.Decimal(12, 2)},
    ).with_columns(date=pl.datetime(2024, 3, 1, 10)).write_parquet(claims)
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'default_profile = "ongecompliceerd"\n[codes]\n"190001" = "vk_volledig"\n"190011" = "zh_echo"\n',
        encoding="utf-8",
    )
    result = calibrate(claims, mapping, by="region")
    zuid = next(p for p in result.parts if p.region == "zuid")
    assert zuid.profiles["ongecompliceerd"].path == {
        "vk_volledig": Decimal("1.0000"),
        "zh_echo": Decimal("2.0000"),
    }
    prices = {p.activity: p.mean_price for p in calibrate(claims, mapping).parts[0].prices}
    assert prices == {
        "vk_volledig": Decimal("1831.98"),
        "zh_echo": Decimal("145.00"),
    }  # 3663.97 / 2 = 1831.985: half-to-even


def test_generator_command_line(tmp_path, capsys):
    from support.synthetic import main

    main([str(tmp_path / "c.csv"), "--clients", "300", "--seed", "9", "--mapping", str(tmp_path / "m.toml")])
    assert "claim lines of 300 clients" in capsys.readouterr().out
    result = calibrate(tmp_path / "c.csv", tmp_path / "m.toml")
    assert result.clients == 300 and result.scenario is not None and result.fragment_problems == {None: []}
