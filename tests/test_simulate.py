"""Monte Carlo and one-way sensitivity (HORIZON.md §2)."""

from __future__ import annotations

import json
import re
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


FORKED = """
import json, multiprocessing, sys
from bekostiging import cores
from bekostiging.api import simulate
from bekostiging.engine import simulate as sim

methods = []
real = multiprocessing.get_context
multiprocessing.get_context = lambda method=None: methods.append(method) or real(method)
safe = cores.fork_is_safe()  # nothing computed yet: the draws' workers are forked
parallel = simulate(sys.argv[1], workers=2)  # 500 draws: 2 blocks of 250 at once
serial = simulate(sys.argv[1], workers=1)  # one block in this process
same = parallel.results.equals(serial.results), parallel.draws.equals(serial.draws)
print(json.dumps([safe, methods, *same]))
"""


def test_forked_workers_share_the_draws_and_give_the_serial_figures(scenario):
    # In a fresh process (no thread yet, as the CLI runs) the draws go to forked workers,
    # in blocks small enough that both get one; the figures are those of one block.
    import subprocess
    import sys

    path = scenario(
        with_uncertainty(
            '"activities.zorg.tariff" = { dist = "uniform", low = 80, high = 120 }\n'
            '"profiles.laag.clients" = { dist = "lognormal", mean = 10, sd = 2 }\n',
            draws=500,
        )
    )
    command = [sys.executable, "-c", FORKED, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [True, ["fork"], True, True]


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
        ",party_name"
    )
    savings = invoke("simulate", path, "-f", "csv", "--table", "shared_savings").stdout.splitlines()[0]
    # the columns of HORIZON.md §2 first, then the settlement's (issue 14)
    assert savings == (
        "variant,payer,p_eligible,payout_mean,p_payout,p_repayment,settlement_mean,settlement_p5,settlement_p95"
        ",payer_name"
    )
    risk = invoke("simulate", path, "-f", "csv", "--table", "settlement_risk").stdout.splitlines()
    assert risk == [
        "variant,recipient,p_below_baseline_before_settlement,p_below_baseline,delta_mean,delta_p5"
        ",recipient_name"
    ]  # no shared savings here: the header alone


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
    assert invoke("simulate", "--draws", "40", "--year", "2025", "-o", target).exit_code == 0
    text = target.read_text(encoding="utf-8")
    titles = [line.strip() for line in text.splitlines() if "2025" in line and "€" not in line]
    assert titles == [
        "VSV Voorbeeldregio 2025-2029: 40 trekkingen, startwaarde 20251122",
        "Saldo per partij 2025",
        "Δ saldo 2025 ten opzichte van de basis (Monodisciplinair), met de kans op verlies",
        "Gedeelde besparingen 2025",
        "Risico van de verrekening per ontvanger 2025",
    ]
    assert "…" not in text  # nothing cut off at the width of a report (160)


# ------------------------------------------------------------ settlement risk (issue 14)

TWO_SIDED = (
    BASE
    + """
[variants.gedeeld]
effects = [{ op = "scale", path = "profiles.laag.path.sectio", factor = 1 }]
[[variants.gedeeld.mechanisms]]
type = "shared_savings"
sharing_rate = 0.5
loss_sharing_rate = 0.5
recipients = ["vk", "zh"]
distribution = "equal"
"""
)
FACTORS = [Decimal("0.5"), Decimal("0.9"), Decimal("1.1"), Decimal("2.0")]


def settlement_job(path):
    from bekostiging.engine.simulate import Job
    from bekostiging.scenario.load import load_scenario

    model, _ = load_scenario(path)
    columns = {"variants.gedeeld.effects.0.factor": FACTORS}
    return Job(model.model_dump(by_alias=True), columns, None, None, (), str(path), None)


def reduced(part, n=4):
    """The figures of one block of `n` draws, reduced as `run_draws` reduces its blocks."""
    from bekostiging.engine import simulate as sim

    reducer = sim.Reducer(n, horizon=False)
    reducer.add(0, n, *part)
    return reducer.finish()


def test_settlement_statistics_by_hand(scenario):
    from bekostiging.engine import simulate as sim

    job = settlement_job(scenario(TWO_SIDED))
    tables = sim.statistics(reduced(sim.evaluate_block(job, range(4))))
    # The baseline spends 10 × 100 + 10 × 0.2 × 1000 = 3000.00. The drawn factor scales the
    # sectio spend of 2000.00 to 1000, 1800, 2200, 4000: savings 1000, 200, −200, −2000,
    # and the payout (both sides 50 %, first euro) 500, 100, −100, −1000 (cents:
    # −100000, −10000, 10000, 50000 sorted).
    (savings,) = [r for r in tables["shared_savings"] if r["variant"] == "gedeeld"]
    assert savings == {
        "variant": "gedeeld",
        "payer": "zv",
        "p_eligible": 10000,  # CONTRACTS.md G: eligible when the outcome is a payout or a repayment
        "payout_mean": -12500,  # (50000 + 10000 − 10000 − 100000) / 4 = −125.00
        "p_payout": 5000,  # 2 of 4 draws pay out
        "p_repayment": 5000,  # 2 of 4 repay
        "settlement_mean": -12500,
        "settlement_p5": -86500,  # h = 3 × 0.05 = 0.15: −100000 + 0.15 × 90000
        "settlement_p95": 44000,  # h = 2.85: 10000 + 0.85 × 40000
    }
    # Each recipient gets half the payout. The midwives' revenue does not change, so
    # before the settlement they are never below the baseline; after it they are when the
    # network repays: delta 250, 50, −50, −500. The hospital loses sectio revenue
    # −1000, −200, +200, +2000 before the settlement, −750, −150, +150, +1500 after it.
    risk = {r["recipient"]: r for r in tables["settlement_risk"]}
    assert set(risk) == {"vk", "zh"}
    assert risk["vk"] == {
        "variant": "gedeeld",
        "recipient": "vk",
        "p_below_baseline_before_settlement": 0,
        "p_below_baseline": 5000,
        "delta_mean": -6250,  # (25000 + 5000 − 5000 − 50000) / 4
        "delta_p5": -43250,  # −50000 + 0.15 × (−5000 + 50000)
    }
    assert risk["zh"] == {
        "variant": "gedeeld",
        "recipient": "zh",
        "p_below_baseline_before_settlement": 5000,
        "p_below_baseline": 5000,
        "delta_mean": 18750,  # (−75000 − 15000 + 15000 + 150000) / 4
        "delta_p5": -66000,  # −75000 + 0.15 × (−15000 + 75000)
    }
    # the same measure as p_loss in `results`, restricted to the recipients
    for r in tables["results"]:
        if r["variant"] == "gedeeld" and r["party"] in risk:
            assert r["p_loss"] == risk[r["party"]]["p_below_baseline"]


def test_settlement_statistics_of_a_block_equal_those_of_draws_one_at_a_time(scenario):
    from bekostiging.engine import simulate as sim

    job = settlement_job(scenario(TWO_SIDED))
    sim._init(job)
    block = sim.statistics(reduced(sim.evaluate_block(job, range(4))))
    one_by_one = sim.statistics(reduced(sim._one_by_one(0, 4, job.columns)))
    assert block["settlement_risk"] and block == one_by_one


def test_settlement_risk_in_every_format(scenario, tmp_path):
    import openpyxl
    import polars as pl

    params = '"variants.gedeeld.effects.0.factor" = { dist = "uniform", low = 0.5, high = 2 }'
    path = scenario(
        with_uncertainty(params, draws=40).replace(
            "[uncertainty]", TWO_SIDED[len(BASE) :] + "\n[uncertainty]"
        )
    )
    result = simulate(path, workers=1)
    assert list(result.tables) == ["results", "shared_savings", "settlement_risk"]
    assert result.settlement_risk.columns == [
        "variant",
        "recipient",
        "p_below_baseline_before_settlement",
        "p_below_baseline",
        "delta_mean",
        "delta_p5",
        "recipient_name",
    ]
    assert result.settlement_risk["recipient"].to_list() == ["vk", "zh"]
    header = invoke("simulate", path, "-f", "csv", "--table", "settlement_risk").stdout.splitlines()[0]
    assert header == ",".join(result.settlement_risk.columns)
    document = json.loads(invoke("simulate", path, "-f", "json").stdout, parse_float=Decimal)
    assert [r["recipient"] for r in document["settlement_risk"]] == ["vk", "zh"]
    assert document["settlement_risk"][0]["delta_p5"] == result.settlement_risk["delta_p5"][0]
    assert invoke("simulate", path, "--table", "settlement_risk", "-o", tmp_path / "r.parquet").exit_code == 0
    assert pl.read_parquet(tmp_path / "r.parquet")["recipient"].to_list() == ["vk", "zh"]
    assert invoke("simulate", path, "-o", tmp_path / "r.xlsx").exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames == [*result.tables, "bronnen"]
    shown = invoke("simulate", path, "--table", "settlement_risk").stdout
    assert "vóór" in shown and "Risico van de verrekening per ontvanger" in shown


# ------------------------------------------------------------ years and the NPV (issue 16, item 11)

# Three years; `duur` is adopted by 10 %, 50 %, 100 %. The midwives' Δ is clients × tariff
# × 0.1 × adoption: at tariff 100, 10.00, 50.00, 100.00; the NPV at 10 % is
# 10 + 50 / 1.1 + 100 / 1.21 = 138.0991… = 138.10 (the payer the opposite).
YEARS = """
[horizon]
years = 3
discount_rate = 0.1
[horizon.adoption]
duur = { 2025 = 0.1, 2026 = 0.5, 2027 = 1.0 }
"""


def with_years(params: str, draws: int = 20) -> str:
    return with_uncertainty(params, draws).replace("[scenario]\n", "[scenario]\nyear = 2025\n") + YEARS


FIXED = '"activities.zorg.tariff" = { dist = "uniform", low = 100, high = 100 }'
SWUNG = '"activities.zorg.tariff" = { dist = "uniform", low = 90, high = 110 }'


def test_simulate_year_gives_that_years_net_and_delta_by_hand(scenario):
    path = scenario(with_years(FIXED))
    for year, delta, net in (
        (None, "10.00", "1010.00"),
        (2026, "50.00", "1050.00"),
        (2027, "100.00", "1100.00"),
    ):
        result = simulate(path, year=year, workers=1)
        vk = row(result.results.to_dicts(), variant="duur", party="vk")
        assert vk["delta_mean"] == vk["delta_p5"] == vk["delta_p95"] == Decimal(delta), year
        assert vk["net_p50"] == Decimal(net) and vk["p_loss"] == 0
        assert vk["npv_delta_mean"] == Decimal("138.10")  # over every year, whatever the year shown
        zv = row(result.results.to_dicts(), variant="duur", party="zv")
        assert zv["npv_delta_p50"] == Decimal("-138.10") and zv["p_loss"] == zv["p_loss_npv"] == 1
        assert result.year == (year or 2025)
    document = json.loads(
        invoke("simulate", path, "--year", "2026", "-f", "json").stdout, parse_float=Decimal
    )
    assert document["year"] == 2026
    assert row(document["results"], variant="duur", party="vk")["delta_mean"] == Decimal("50.00")


def test_a_year_outside_the_horizon_is_wrong_use(scenario):
    path = scenario(with_years(FIXED))
    for command in (("simulate",), ("sensitivity", "-v", "duur", "-p", "vk")):
        late = invoke(*command, path, "--year", "2028")
        assert late.exit_code == 2 and "year 2028 is not in the horizon 2025-2027" in late.stderr, command
    single = scenario(with_uncertainty(FIXED), "een-jaar.toml")
    for command in (("simulate",), ("sensitivity", "-v", "duur", "-p", "vk")):
        none = invoke(*command, single, "--year", "2025")
        assert none.exit_code == 2 and "this scenario has no [horizon]" in none.stderr, command


def test_with_a_horizon_the_terminal_leads_with_the_npv(scenario):
    path = scenario(with_years(FIXED))
    shown = invoke("simulate", path).stdout
    assert "Contante waarde van Δ saldo over 2025–2027 (discontovoet 10%), met de kans op verlies" in shown
    assert "€ 138,10" in shown and "€ -138,10" in shown
    assert "--year 2025 t/m 2027" in shown  # how to see one year
    assert "Saldo per partij" not in shown and "net/delta" not in shown
    one_year = invoke("simulate", path, "--year", "2026").stdout
    assert "Saldo per partij 2026" in one_year and "€ 1.050,00" in one_year
    assert "Δ saldo 2026 ten opzichte van de basis (mono), met de kans op verlies" in one_year
    assert "€ 50,00" in one_year and "Contante waarde" not in one_year
    english = invoke("simulate", path, "--lang", "en").stdout
    assert (
        "Net present value of Δ net over 2025–2027 (discount rate 10%), with the chance of a loss" in english
    )
    assert "€138.10" in english and "-€138.10" in english


def test_sensitivity_with_a_horizon_swings_the_npv_unless_a_year_is_given(scenario):
    path = scenario(with_years(SWUNG))
    # tariff 90: Δ 9, 45, 90 → 9 + 45 / 1.1 + 90 / 1.21 = 124.2892… ; tariff 110: Δ 11, 55,
    # 110 → 11 + 50 + 90.9090… = 151.9090…
    npv = sensitivity(path, variant="duur", party="vk")
    assert npv.metric == "npv_delta" and npv.year is None
    assert npv.tornado.select("metric_low", "metric_high", "swing").row(0) == (
        Decimal("124.29"),
        Decimal("151.91"),
        Decimal("27.62"),
    )
    of_2026 = sensitivity(path, variant="duur", party="vk", year=2026)
    assert of_2026.metric == "delta" and of_2026.year == 2026
    assert of_2026.tornado.select("metric_low", "metric_high", "swing").row(0) == (
        Decimal("45.00"),
        Decimal("55.00"),
        Decimal("10.00"),
    )
    document = json.loads(
        invoke("sensitivity", path, "-v", "duur", "-p", "vk", "--year", "2026", "-f", "json").stdout
    )
    assert (document["metric"], document["year"]) == ("delta", 2026)
    shown = invoke("sensitivity", path, "-v", "duur", "-p", "vk").stdout
    assert "Gevoeligheid van de contante waarde van Δ saldo over 2025–2027 van vk in duur" in shown
    both = invoke("sensitivity", path, "-v", "duur", "-p", "vk", "--metric", "npv_delta", "--year", "2026")
    assert both.exit_code == 2 and "covers every year of the horizon" in both.stderr


def test_a_loss_is_at_least_one_cent(scenario):
    # `cent` pays the midwives 10 × 99.999 = 999.99 instead of 1000.00: one cent less, in
    # every draw. A loss of one cent counts; no change (the hospital's 0.00) does not.
    text = with_uncertainty(
        '"profiles.laag.clients" = { dist = "uniform", low = 10, high = 10 }', draws=5
    ).replace(
        "[uncertainty]",
        '[variants.cent]\neffects = [{ op = "scale", path = "activities.zorg.tariff", factor = 0.99999 }]\n\n'
        "[uncertainty]",
    )
    rows = simulate(scenario(text), workers=1).results.to_dicts()
    vk, zv, zh = (row(rows, variant="cent", party=p) for p in ("vk", "zv", "zh"))
    assert vk["delta_mean"] == Decimal("-0.01") and vk["p_loss"] == 1
    assert zv["delta_mean"] == Decimal("0.01") and zv["p_loss"] == 0
    assert zh["delta_mean"] == 0 and zh["p_loss"] == 0


# ------------------------------------------------------------ limits (issue 16, item 16)


def test_absurd_numbers_of_draws_are_refused_before_anything_is_loaded():
    from bekostiging.api import OptionError

    for draws in (10**30, 10**12, 1_000_001, 0):
        # the file does not exist: the number of draws is refused before it is read
        result = invoke("simulate", "bestaat-niet.toml", "--draws", str(draws))
        assert result.exit_code == 2 and "--draws" in result.stderr, draws
        assert "bestaat-niet" not in result.stderr
    try:
        simulate("bestaat-niet.toml", draws=10**12)
    except OptionError as exc:
        assert "the number of draws must be 1 to 1,000,000" in str(exc)
    else:  # pragma: no cover - the test fails here
        raise AssertionError("10^12 draws were not refused")


def test_the_files_own_draws_are_limited_too(scenario):
    result = invoke("simulate", scenario(with_uncertainty(FIXED, draws=1_000_001)))
    assert result.exit_code == 1 and "uncertainty.draws" in result.stderr


def test_draws_times_pairs_are_limited_before_drawing(scenario, monkeypatch):
    from bekostiging.scenario import limits

    monkeypatch.setattr(limits, "MAX_DRAW_CELLS", 100)  # 2 variants × 3 parties: 16 draws fit
    path = scenario(with_uncertainty(FIXED, draws=17))
    option = invoke("simulate", path, "--draws", "17")
    assert option.exit_code == 2 and "use at most 16 draws" in option.stderr
    from_file = invoke("simulate", path)
    assert from_file.exit_code == 1 and "uncertainty.draws" in from_file.stderr
    assert "use at most 16 draws" in from_file.stderr
    assert invoke("simulate", path, "--draws", "16").exit_code == 0


def test_too_many_uncertain_parameters_are_refused(scenario):
    params = "\n".join(
        f'"profiles.p{i}.clients" = {{ dist = "uniform", low = 1, high = 2 }}' for i in range(1001)
    )
    result = invoke("sensitivity", scenario(with_uncertainty(params)), "-v", "duur", "-p", "vk")
    assert result.exit_code == 1
    assert "uncertainty.params: has 1,001 entries; the limit is 1,000" in result.stderr


def test_parameters_are_drawn_a_block_at_a_time(scenario, monkeypatch):
    from bekostiging.engine import simulate as sim
    from bekostiging.scenario import uncertainty

    path = scenario(
        with_uncertainty(
            '"activities.zorg.tariff" = { dist = "uniform", low = 80, high = 120 }\n'
            '"profiles.laag.clients" = { dist = "lognormal", mean = 10, sd = 2 }\n',
            draws=240,
        )
    )
    whole = simulate(path, workers=1)  # 240 draws: one block of 1000
    asked = []
    draw_many = uncertainty.draw_many

    def counted(dist, rng, n):
        asked.append(n)
        return draw_many(dist, rng, n)

    monkeypatch.setattr(uncertainty, "draw_many", counted)
    monkeypatch.setattr(sim, "BLOCK", 50)
    blocks = simulate(path, workers=1)
    assert max(asked) == 50 and sum(asked) == 2 * 240  # two parameters, never more than a block
    assert blocks.results.equals(whole.results) and blocks.draws.equals(whole.draws)


# ------------------------------------------------------------ one language, one order (issue 16, item 12)


def test_simulate_speaks_the_language_of_lang(scenario):
    path = scenario(with_uncertainty(FIXED))
    dutch = invoke("simulate", path).stdout
    for word in ("trekkingen", "startwaarde", "Saldo per partij", "Gemiddeld", "Mediaan", "Kans op verlies"):
        assert word in dutch, word
    for word in ("draws", "seed", "mean", "p_loss", "delta", "net_", "Net"):
        assert word not in dutch, word
    # the payer's net: 10 × 100.00 + 10 × 0.2 × 1000.00, and 10 × 110.00 + 2000 under `duur`
    assert "€ -3.000,00" in dutch and "€ -3.100,00" in dutch and "€ 1.100,00" in dutch
    english = invoke("simulate", path, "--lang", "en").stdout
    for word in ("draws", "seed", "Net per party", "Mean", "Median", "Chance of a loss"):
        assert word in english, word
    for word in ("trekkingen", "Saldo", "Gemiddeld", "Kans"):
        assert word not in english, word
    assert "-€3,000.00" in english and "€1,100.00" in english


def test_sensitivity_shows_values_in_the_language_format(scenario):
    path = scenario(
        with_uncertainty(
            '"activities.zorg.tariff" = { dist = "uniform", low = 1990.5, high = 2100 }\n'
            '"profiles.laag.clients" = { dist = "uniform", low = 1000, high = 1200 }\n'
            '"variants.duur.effects.0.factor" = { dist = "uniform", low = 1.05, high = 1.25 }\n'
        )
    )
    dutch = invoke("sensitivity", path, "-v", "duur", "-p", "vk").stdout
    assert "€ 1.990,50" in dutch and "€ 2.100,00" in dutch  # a tariff is money
    assert " 1.000 " in dutch and " 1.200 " in dutch and " 1,05 " in dutch and " 1,25 " in dutch
    assert "Gevoeligheid van Δ saldo van vk in duur, gesorteerd op uitslag" in dutch
    for word in ("Laag", "Hoog", "Uitslag", "Uitkomst bij laag"):
        assert word in dutch, word
    assert "metric" not in dutch and "swing" not in dutch and "2100" not in dutch
    english = invoke("sensitivity", path, "-v", "duur", "-p", "vk", "--lang", "en").stdout
    assert "€1,990.50" in english and " 1,200 " in english and " 1.05 " in english
    assert "Sensitivity of Δ net of vk under duur, sorted by swing" in english
    # the data keep the values as written
    csv_rows = invoke("sensitivity", path, "-v", "duur", "-p", "vk", "-f", "csv").stdout
    assert "activities.zorg.tariff,1990.5,2100," in csv_rows


def test_parties_come_in_the_order_of_every_other_table(scenario):
    # the file lists the hospital, the midwives, the insurer; every table lists the payer
    # first, then the providers by id (docs/semantics.md)
    text = with_uncertainty(SWUNG).replace(
        '[parties.zv]\nrole = "payer"\n[parties.vk]\nrole = "provider"\n[parties.zh]\nrole = "provider"\n',
        '[parties.zh]\nrole = "provider"\n[parties.vk]\nrole = "provider"\n[parties.zv]\nrole = "payer"\n',
    )
    assert "[parties.zh]\nrole" in text
    path = scenario(text)
    order = compare(path).results.filter(variant="duur")["party"].to_list()
    assert order == ["zv", "vk", "zh"]
    result = simulate(path, workers=1)
    assert result.results.filter(variant="duur")["party"].to_list() == order
    assert result.draws.filter(draw=1, variant="duur")["party"].to_list() == order


def test_on_a_narrow_terminal_simulate_keeps_every_digit_and_the_scenarios_party_order(scenario, monkeypatch):
    # the file lists the hospital, the midwives, the insurer: the terminal shows them so
    # (the data keep the engine's order, above); at 60 columns the figures go in blocks
    text = with_uncertainty(SWUNG).replace(
        '[parties.zv]\nrole = "payer"\n[parties.vk]\nrole = "provider"\n[parties.zh]\nrole = "provider"\n',
        '[parties.zh]\nrole = "provider"\n[parties.vk]\nrole = "provider"\n[parties.zv]\nrole = "payer"\n',
    )
    path = scenario(text)
    wide = invoke("simulate", path, "--lang", "en").stdout
    monkeypatch.setenv("COLUMNS", "60")
    narrow = invoke("simulate", path, "--lang", "en").stdout
    assert max(len(line) for line in narrow.splitlines()) <= 60
    amounts = {a for a in re.findall(r"€-?[\d,]+\.\d\d", wide)}
    assert amounts and all(a in narrow for a in amounts)  # no amount cut or wrapped
    for out in (wide, narrow):
        first = out[out.index("Net") :]
        assert first.index(" zh ") < first.index(" vk ") < first.index(" zv ")
