"""Several years (HORIZON.md §1), with numbers worked out by hand."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from bekostiging.api import compare
from conftest import invoke, row
from strategies import scenarios, to_toml

HORIZON = """
[scenario]
name = "Horizon"
year = 2025
baseline = "mono"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.vk]
role = "provider"
[parties.zh]
role = "provider"
[parties.vsv]
role = "network"

[activities.zorg]
provider = "vk"
tariff = { 2025 = 100.00, 2027 = 120.00 }
cost = 80
[activities.sectio]
provider = "zh"
tariff = 1000.00
cost = 900

[profiles.laag]
clients = 100
path = { zorg = 1, sectio = 0.2 }

[variants.mono]
[variants.nieuw]
effects = [{ op = "scale", path = "profiles.laag.path.sectio", factor = 0.5 }]
mechanisms = [{ type = "collaboration", recipient = "vsv", fixed = 1000 }]

[horizon]
years = 4
discount_rate = 0.03
client_growth = 0.01
index = 0.02
[horizon.adoption]
nieuw = { 2025 = 0.5, 2026 = 1.0 }
[horizon.ramp]
nieuw = { 2025 = 0.5, 2027 = 1.0 }
[[horizon.investments]]
variant = "nieuw"
party = "vsv"
year = 2025
amount = 5000
"""


def as_json(result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def test_every_year_by_hand(scenario):
    results = as_json(invoke("compare", scenario(HORIZON), "-f", "json"))["results"]
    assert sorted({r["year"] for r in results}) == [2025, 2026, 2027, 2028]

    # 2025 (t = 0): ramp 0.5 makes the factor 1 + 0.5 × (0.5 − 1) = 0.75, so 15 caesareans;
    # the variant alone pays 10,000 + 15,000 + 1,000 = 26,000; adoption 0.5 mixes it with
    # the baseline's 30,000: 0.5 × 26,000 + 0.5 × 30,000 = 28,000.
    assert row(results, year=2025, variant="mono", party="zv")["net"] == Decimal("-30000.00")
    assert row(results, year=2025, variant="nieuw", party="zv")["net"] == Decimal("-28000.00")
    assert row(results, year=2025, variant="nieuw", party="vsv")["revenue"] == Decimal("500.00")
    assert row(results, year=2025, variant="nieuw", party="zh")["delta"] == Decimal("-2500.00")
    # The investment of 5,000 is the VSV's cost in 2025 only: margin 500 − 5,000.
    assert row(results, year=2025, variant="nieuw", party="vsv")["margin"] == Decimal("-4500.00")
    assert row(results, year=2026, variant="nieuw", party="vsv")["cost"] is None

    # 2026 (t = 1): 101 clients; the 2025 dated tariff indexed once: 100 × 1.02 = 102.00;
    # sectio 1,020.00; ramp still 0.5 (latest earlier year), adoption 1.
    assert row(results, year=2026, variant="mono", party="vk")["revenue"] == Decimal("10302.00")  # 101 × 102
    assert row(results, year=2026, variant="mono", party="zh")["revenue"] == Decimal(
        "20604.00"
    )  # 20.2 × 1,020
    assert row(results, year=2026, variant="nieuw", party="zh")["delta"] == Decimal(
        "-5151.00"
    )  # 15.15 × 1,020 − 20,604
    assert row(results, year=2026, variant="nieuw", party="vsv")["revenue"] == Decimal(
        "1020.00"
    )  # 1,000 × 1.02

    # 2027 (t = 2): the dated 120.00 applies as is; clients 100 × 1.01² = 102.01;
    # sectio 1,000 × 1.02² = 1,040.40; full ramp: factor 0.5.
    assert row(results, year=2027, variant="mono", party="vk")["revenue"] == Decimal(
        "12241.20"
    )  # 102.01 × 120
    assert row(results, year=2027, variant="mono", party="zh")["revenue"] == Decimal(
        "21226.24"
    )  # 20.402 × 1,040.40
    assert row(results, year=2027, variant="nieuw", party="zh")["revenue"] == Decimal(
        "10613.12"
    )  # 10.201 × 1,040.40

    for year in (2025, 2026, 2027, 2028):
        for variant in ("mono", "nieuw"):
            nets = [r["net"] for r in results if r["year"] == year and r["variant"] == variant]
            assert sum(nets) == 0


def test_net_present_values_by_hand(scenario):
    horizon = as_json(invoke("compare", scenario(HORIZON), "-f", "json"))["horizon"]
    vsv = row(horizon, variant="nieuw", party="vsv")
    # 500 + 1,020 / 1.03 + 1,040.40 / 1.03² + 1,061.21 / 1.03³ = 3,442.13
    assert vsv["npv_delta"] == Decimal("3442.13")
    # the same with the 5,000 investment in 2025: −4,500 + 990.29 + 980.68 + 971.16
    assert vsv["npv_margin_delta"] == Decimal("-1557.87")
    assert vsv["payback_year"] is None  # cumulative −4,500, −3,480, −2,439.60, −1,378.39: never back
    assert row(horizon, variant="nieuw", party="zv")["npv_margin_delta"] is None  # a payer has no cost
    assert row(horizon, variant="mono", party="vk") == {
        "variant": "mono",
        "party": "vk",
        "npv_delta": Decimal("0.00"),
        "npv_margin_delta": Decimal("0.00"),
        "payback_year": None,
        "party_name": "vk",
    }


def test_payback_year(scenario):
    text = (
        HORIZON.replace("[horizon.adoption]\nnieuw = { 2025 = 0.5, 2026 = 1.0 }\n", "")
        .replace("[horizon.ramp]\nnieuw = { 2025 = 0.5, 2027 = 1.0 }\n", "")
        .replace("fixed = 1000", "fixed = 2000")
        .replace("amount = 5000", "amount = 3000")
        .replace("index = 0.02", "index = 0")
    )
    horizon = as_json(invoke("compare", scenario(text), "-f", "json"))["horizon"]
    # VSV margin delta: 2025: 2,000 − 3,000 = −1,000 (cumulative −1,000); 2026: +2,000 (cumulative +1,000)
    assert row(horizon, variant="nieuw", party="vsv")["payback_year"] == 2026


def test_year_option_and_tables(scenario):
    path = scenario(HORIZON)
    only = as_json(invoke("compare", path, "-f", "json", "--year", "2027"))
    assert {r["year"] for r in only["results"]} == {2027}
    assert len(only["horizon"]) == 8  # the summary is always over the whole horizon
    csv_text = invoke("compare", path, "-f", "csv").stdout
    assert csv_text.startswith("year,variant,party,role,revenue")
    assert invoke("compare", path, "-f", "csv", "--table", "horizon").stdout.startswith(
        "variant,party,npv_delta,npv_margin_delta,payback_year,party_name\n"
    )
    table = invoke("compare", path)
    assert table.exit_code == 0 and "2028" in table.stdout and "Contante waarde" in table.stdout
    assert invoke("compare", path, "--year", "2031").exit_code == 2  # wrong use, like report's


def test_attribution_under_partial_adoption_adds_up(scenario):
    # 2025: half the clients are under `nieuw`. The steps build the variant in full, and a
    # last step, `adoption`, takes back the half that stays on the baseline, so the steps
    # still add up to the (mixed) delta of every party in every year.
    data = as_json(invoke("compare", scenario(HORIZON), "-f", "json", "--attribution"))
    for year in (2025, 2026, 2027, 2028):
        for party in ("zv", "vk", "zh", "vsv"):
            steps = [s["amount"] for s in data["attribution"] if s["year"] == year and s["party"] == party]
            delta = row(data["results"], year=year, variant="nieuw", party=party)["delta"]
            assert sum(steps) == delta, (year, party)
    assert {s["year"] for s in data["attribution"] if s["step"] == "adoption"} == {2025}
    # The VSV's collaboration money: 1,000 in full, of which half is adopted.
    assert row(data["attribution"], year=2025, party="vsv", step="collaboration")["amount"] == Decimal(
        "1000.00"
    )
    assert row(data["attribution"], year=2025, party="vsv", step="adoption")["amount"] == Decimal("-500.00")


def test_dated_values_and_horizon_problems_are_all_reported(scenario):
    text = """
    [scenario]
    name = "H"
    baseline = "mono"
    default_payer = "zv"
    [parties.zv]
    role = "payer"
    [parties.vk]
    role = "provider"
    [activities.zorg]
    provider = "vk"
    tariff = { 2026 = 100.00 }
    [profiles.laag]
    clients = 10
    path = { zorg = 1 }
    [variants.mono]
    [horizon]
    start = 2025
    years = 3
    [horizon.adoption]
    nieuw = { 2025 = 1.5 }
    [[horizon.investments]]
    variant = "mono"
    party = "vsv"
    year = 2030
    amount = 10
    """
    result = invoke("validate", scenario(text))
    assert result.exit_code == 1
    for expected in (
        "activities.zorg.tariff: has no value for 2025: its table starts in 2026",
        "horizon.adoption.nieuw: unknown variant 'nieuw'",
        "horizon.adoption.nieuw.2025: must lie in [0, 1], got 1.5",
        "horizon.investments.0.party: unknown party 'vsv'",
        "horizon.investments.0.year: 2030 is outside the horizon 2025-2027",
    ):
        assert expected in result.stderr


def test_a_table_by_year_needs_a_horizon(scenario):
    text = HORIZON[: HORIZON.index("[horizon]")]
    result = invoke("validate", scenario(text))
    assert result.exit_code == 1
    assert "activities.zorg.tariff: a table by year needs a [horizon]" in result.stderr


def test_a_number_where_a_table_by_year_belongs_is_quoted_as_written(scenario):
    """The message shows the value as the file has it (it once read `got Decimal('0.5')`)."""
    text = HORIZON.replace("nieuw = { 2025 = 0.5, 2026 = 1.0 }", "nieuw = 0.5", 1)
    result = invoke("validate", scenario(text))
    assert result.exit_code == 1
    assert "horizon.adoption.nieuw: must be a table by year, got 0.5\n" in result.stderr


def test_year_without_horizon_is_an_error(scenario):
    text = HORIZON[: HORIZON.index("[horizon]")].replace("{ 2025 = 100.00, 2027 = 120.00 }", "100.00")
    assert invoke("compare", scenario(text), "--year", "2025").exit_code == 2


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=scenarios())
def test_every_year_of_every_variant_conserves_money(data, tmp_path_factory):
    data = copy.deepcopy(data)
    data["scenario"]["year"] = 2025
    other = next(v for v in data["variants"] if v != "mono")
    data["horizon"] = {
        "years": 3,
        "index": Decimal("0.025"),
        "client_growth": Decimal("0.01"),
        "adoption": {other: {"2025": Decimal("0.3"), "2026": Decimal("0.7")}},
        "ramp": {other: {"2025": Decimal("0.5")}},
    }
    path = tmp_path_factory.mktemp("h") / "s.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    results = compare(path).figures.results
    for (year, variant), part in results.group_by("year", "variant"):
        assert part["net"].sum() == 0, (year, variant)


def test_several_files_with_a_horizon_add_up_year_by_year(scenario):
    a = scenario(HORIZON, "a.toml")
    b = scenario(HORIZON.replace("clients = 100", "clients = 50"), "b.toml")
    rows = list(__import__("csv").DictReader(invoke("compare", a, b, "-f", "csv").stdout.splitlines()))
    for year in ("2025", "2028"):
        parts = [r for r in rows if r["year"] == year and r["variant"] == "nieuw" and r["party"] == "vk"]
        files, total = parts[:2], parts[2]
        assert total["scenario"] == "total"
        assert Decimal(total["net"]) == sum(Decimal(r["net"]) for r in files)
    # by hand: in 2025 (no growth yet, tariff 100.00) the midwives bill 100 + 50 clients × 1 × 100.00
    mono = [r for r in rows if r["year"] == "2025" and r["variant"] == "mono" and r["party"] == "vk"]
    assert [r["net"] for r in mono] == ["10000.00", "5000.00", "15000.00"]
    shown = invoke("compare", a, b).stdout
    assert "2028" in shown and "20" + "2" * 3 not in shown  # years are shown, never added up


def test_files_of_different_years_are_not_added_up(scenario):
    a = scenario(HORIZON, "a.toml")
    one = scenario(
        HORIZON.split("[horizon]")[0].replace("{ 2025 = 100.00, 2027 = 120.00 }", "100.00"), "een.toml"
    )
    result = invoke("compare", a, one, "-f", "csv")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "een.toml" in result.stderr and "need the same years" in result.stderr
    assert invoke("compare", a, a, "--year", "2026", "-f", "json").exit_code == 0


def test_explain_shows_a_year_of_the_horizon(scenario):
    path = scenario(HORIZON)
    shown = invoke("explain", path, "-v", "nieuw", "-p", "vk", "--year", "2027", "-f", "json").stdout
    trace = json.loads(shown, parse_float=Decimal)
    result = row(compare(path, year=2027).figures.results.to_dicts(), variant="nieuw", party="vk")
    assert trace["year"] == 2027 and trace["net"] == Decimal(result["net"]).scaleb(-2)
    assert json.loads(invoke("explain", path, "-v", "nieuw", "-p", "vk", "-f", "json").stdout)["year"] == 2025
    assert "2026" in invoke("explain", path, "-v", "nieuw", "-p", "vk", "--year", "2026").stdout
    assert invoke("explain", path, "-v", "nieuw", "-p", "vk", "--year", "2031").exit_code == 2
