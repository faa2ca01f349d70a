"""Monte Carlo and one-way sensitivity (HORIZON.md §2)."""

from __future__ import annotations

import json
from decimal import Decimal

from bekostiging.api import compare, sensitivity, simulate
from conftest import invoke, row

BASE = """
[scenario]
name = "Onzeker"
baseline = "mono"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.vk]
role = "provider"
[parties.zh]
role = "provider"

[activities.zorg]
provider = "vk"
tariff = 100.00
[activities.sectio]
provider = "zh"
tariff = 1000.00

[profiles.laag]
clients = 10
path = { zorg = 1, sectio = 0.2 }

[variants.mono]
[variants.duur]
effects = [{ op = "scale", path = "activities.zorg.tariff", factor = 1.1 }]
"""


def with_uncertainty(params: str, draws: int = 50, seed: int = 1) -> str:
    return BASE + f"\n[uncertainty]\ndraws = {draws}\nseed = {seed}\n[uncertainty.params]\n{params}\n"


def test_a_degenerate_distribution_gives_exactly_the_deterministic_result(scenario):
    text = with_uncertainty(
        '"activities.zorg.tariff" = { dist = "uniform", low = 120.00, high = 120.00 }\n'
        '"profiles.laag.clients" = { dist = "normal", mean = 12, sd = 0 }\n'
        '"variants.duur.effects.0.factor" = { dist = "pert", low = 1.3, mode = 1.3, high = 1.3 }\n'
    )
    result = simulate(scenario(text), workers=1)
    fixed = compare(
        scenario(BASE, name="vast.toml"),
        overrides={
            "activities.zorg.tariff": Decimal("120.00"),
            "profiles.laag.clients": 12,
            "variants.duur.effects.0.factor": Decimal("1.3"),
        },
    ).results
    stats_rows = result.results.to_dicts()
    for r in fixed.iter_rows(named=True):
        stats = row(stats_rows, variant=r["variant"], party=r["party"])
        for stat in ("mean", "p5", "p50", "p95"):
            assert stats[f"net_{stat}"] == r["net"], (r["variant"], r["party"], stat)
            assert stats[f"delta_{stat}"] == r["delta"]
    # 12 clients × 120 × (1.3 − 1) = 432.00 more for the midwives, every draw
    assert row(stats_rows, variant="duur", party="vk")["delta_mean"] == Decimal("432.00")
    assert row(stats_rows, variant="duur", party="zv")["p_loss"] == 1  # the payer always pays more


def test_the_same_seed_gives_byte_identical_output_and_another_seed_differs(scenario):
    path = scenario(
        with_uncertainty(
            '"activities.zorg.tariff" = { dist = "triangular", low = 80, mode = 100, high = 130 }'
        )
    )
    first = invoke("simulate", path, "-f", "json")
    again = invoke("simulate", path, "-f", "json")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == again.stdout
    other = invoke("simulate", path, "-f", "json", "--seed", "2")
    assert other.stdout != first.stdout
    document = json.loads(first.stdout, parse_float=Decimal)
    assert (document["draws"], document["seed"]) == (50, 1)


def test_parallel_draws_equal_serial_draws(scenario, monkeypatch):
    from bekostiging.engine import simulate as sim

    monkeypatch.setattr(sim, "BLOCK", 50)  # 240 draws: 5 blocks, spread over 2 workers
    path = scenario(
        with_uncertainty(
            '"activities.zorg.tariff" = { dist = "uniform", low = 80, high = 120 }\n'
            '"profiles.laag.clients" = { dist = "lognormal", mean = 10, sd = 2 }\n',
            draws=240,
        )
    )
    serial = simulate(path, workers=1)
    parallel = simulate(path, workers=2)
    assert serial.results.equals(parallel.results)
    assert serial.draws.equals(parallel.draws)


def test_chance_of_a_loss(scenario):
    # the variant's factor is uniform on [0.8, 1.2]: the midwives lose in about half the draws
    path = scenario(
        with_uncertainty(
            '"variants.duur.effects.0.factor" = { dist = "uniform", low = 0.8, high = 1.2 }', draws=400
        )
    )
    vk = row(simulate(path, workers=1).results.to_dicts(), variant="duur", party="vk")
    assert Decimal("0.40") <= vk["p_loss"] <= Decimal("0.60")
    assert vk["delta_p5"] < 0 < vk["delta_p95"]


def test_sensitivity_sorted_by_swing_by_hand(scenario):
    path = scenario(
        with_uncertainty(
            '"activities.zorg.tariff" = { dist = "uniform", low = 90, high = 110 }\n'
            '"profiles.laag.clients" = { dist = "uniform", low = 8, high = 12 }\n'
        )
    )
    rows = sensitivity(path, variant="duur", party="vk").tornado.to_dicts()
    # delta of the midwives = clients × tariff × 0.1:
    # clients 8 .. 12 at tariff 100: 80.00 .. 120.00 (swing 40);
    # tariff 90 .. 110 at 10 clients: 90.00 .. 110.00 (swing 20)
    assert [(r["parameter"], r["metric_low"], r["metric_high"], r["swing"]) for r in rows] == [
        ("profiles.laag.clients", Decimal("80.00"), Decimal("120.00"), Decimal("40.00")),
        ("activities.zorg.tariff", Decimal("90.00"), Decimal("110.00"), Decimal("20.00")),
    ]
    csv_out = invoke("sensitivity", path, "-v", "duur", "-p", "vk", "-f", "csv")
    assert csv_out.stdout.splitlines()[0] == "parameter,low,high,metric_low,metric_high,swing"
    assert csv_out.stdout.splitlines()[1] == "profiles.laag.clients,8,12,80.00,120.00,40.00"


def test_csv_tables_follow_the_contract(scenario):
    path = scenario(with_uncertainty('"activities.zorg.tariff" = { dist = "uniform", low = 90, high = 110 }'))
    results = invoke("simulate", path, "-f", "csv", "--table", "results").stdout.splitlines()[0]
    assert results == (
        "variant,party,net_mean,net_p5,net_p50,net_p95,delta_mean,delta_p5,delta_p50,delta_p95,p_loss"
    )
    savings = invoke("simulate", path, "-f", "csv", "--table", "shared_savings").stdout.splitlines()[0]
    assert savings == "variant,payer,p_eligible,payout_mean"


def test_without_uncertainty_or_with_unknown_names_it_says_so(scenario):
    result = invoke("simulate", scenario(BASE))
    assert result.exit_code == 1 and "has no [uncertainty] table" in result.stderr
    path = scenario(
        with_uncertainty('"activities.zorg.tariff" = { dist = "uniform", low = 90, high = 110 }'), "u.toml"
    )
    bad = invoke("sensitivity", path, "-v", "duu", "-p", "v")
    assert bad.exit_code == 1 and "did you mean 'duur'" in bad.stderr
    assert invoke("sensitivity", path, "-v", "duur", "-p", "vk", "--metric", "npv_delta").exit_code == 1


def test_with_a_horizon_the_npv_is_simulated_too(scenario):
    text = (
        with_uncertainty('"activities.zorg.tariff" = { dist = "uniform", low = 100, high = 100 }').replace(
            "[scenario]\n", "[scenario]\nyear = 2025\n"
        )
        + "\n[horizon]\nyears = 2\ndiscount_rate = 0.1\n"
    )
    result = simulate(scenario(text), workers=1)
    vk = row(result.results.to_dicts(), variant="duur", party="vk")
    # 10 × 100 × 0.1 = 100.00 a year; NPV 100 + 100 / 1.1 = 190.91
    assert vk["npv_delta_mean"] == vk["npv_delta_p95"] == Decimal("190.91")
    assert (
        vk["p_loss_npv"] == 0
        and row(result.results.to_dicts(), variant="duur", party="zv")["p_loss_npv"] == 1
    )
    assert result.year == 2025  # net and delta are the first year's
    document = json.loads(invoke("simulate", scenario(text, "h.toml"), "-f", "json").stdout)
    assert document["year"] == 2025 and document["results"][0]["p_loss_npv"] == 0


def test_csv_format_writes_the_results_table_and_help_keeps_its_brackets(scenario):
    path = scenario(with_uncertainty('"activities.zorg.tariff" = { dist = "uniform", low = 90, high = 110 }'))
    assert (
        invoke("simulate", path, "-f", "csv").stdout
        == invoke("simulate", path, "-f", "csv", "--table", "results").stdout
    )
    # rich markup must not eat the table names in the help texts
    overview = invoke("--help").stdout
    assert "[uncertainty]" in overview and "[[expect]]" in overview


def test_the_terminal_shows_one_narrow_table_per_figure(tmp_path):
    target = tmp_path / "simulatie.txt"
    assert invoke("simulate", "--draws", "40", "-o", target).exit_code == 0
    text = target.read_text(encoding="utf-8")
    titles = [
        line.split("net/delta 2025: ")[1].strip() for line in text.splitlines() if "net/delta 2025" in line
    ]
    assert titles == ["net", "delta", "npv_delta", "shared_savings"]
    assert "…" not in text  # nothing cut off at the width of a report (160)
