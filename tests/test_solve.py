"""`bekostiging solve` / `bk.solve` (issue 18): the value of one input that gives a figure
its target, each answer checked by hand on a small scenario and through `compare --set`."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bekostiging as bk
from bekostiging.decisions import solve as solving
from bekostiging.decisions import targets
from conftest import invoke, row

# One payer, two providers, 100 clients who each get one `begeleiding` (vk, EUR 1,000) and
# one `bevalling` (zh, EUR 2,000): under fee-for-service (`mono`) zv pays 300,000.00, vk
# earns 100,000.00 and zh 200,000.00 (zh has a fixed cost of 150,000.00: a margin).
KLEIN = """
[scenario]
name = "Klein"
baseline = "mono"
client = "client"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.client]
role = "client"
[parties.vk]
role = "provider"
[parties.zh]
role = "provider"
fixed_cost = 150_000

[activities.begeleiding]
provider = "vk"
tariff = 1000
[activities.bevalling]
provider = "zh"
tariff = 2000

[profiles.p]
clients = 100
[profiles.p.path]
begeleiding = 1
bevalling = 1

[variants.mono]
name = "Verrichtingen"

# zv pays vk a budget-neutral bundle of 3,000.00 x (1 + adjust) per client, rounded to
# cents: zv's delta is 300,000 - 100 x 3,000 x (1 + adjust) = -300,000 x adjust.
[variants.bundel]
[[variants.bundel.mechanisms]]
type = "bundle"
payer = "zv"
contractor = "vk"
scope = ["begeleiding", "bevalling"]
price = "budget_neutral"
adjust = 0

# 20 % fewer births in the hospital: zh earns 160,000 of the 200,000 it earned, and zv
# tops it up to floor x 200,000: zh's delta is max(-40,000, floor x 200,000 - 200,000),
# flat up to floor 0.8, then linear.
[variants.garantie]
effects = [{ op = "scale", path = "profiles.p.path.bevalling", factor = 0.8 }]
[[variants.garantie.mechanisms]]
type = "revenue_guarantee"
payer = "zv"
party = "zh"
floor = 0.9

# A quality pool of 10,000 x score 0.8 = 8,000 for zh, paid only when the score 0.8
# reaches the threshold: zh's delta is 8,000 for a threshold up to 0.8, else 0 (a step).
[variants.kwaliteit]
[[variants.kwaliteit.mechanisms]]
type = "quality"
payer = "zv"
recipients = ["zh"]
pool = 10_000
score = 0.8
threshold = 0.6
"""

ADJUST = "variants.bundel.mechanisms.0.adjust"
FLOOR = "variants.garantie.mechanisms.0.floor"
THRESHOLD = "variants.kwaliteit.mechanisms.0.threshold"


@pytest.fixture
def klein(scenario):
    return scenario(KLEIN)


def solved(*args) -> dict:
    result = invoke("solve", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def compared(path, assignment: str, *args: str) -> dict:
    result = invoke("compare", path, "--set", assignment, "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


# ------------------------------------------------------------------ by hand, small scenario


def test_an_affine_figure_is_solved_exactly_from_the_two_ends_and_verified_once(klein):
    # zv's delta = -300,000 x adjust: at -0.1 it is 30,000, at 0.1 -30,000; the line through
    # them meets 6,000 at adjust = -0.02 (price 2,940.00, zv pays 294,000.00)
    found = solved(klein, "--vary", ADJUST, "--between", "-0.1", "0.1", "--target", "bundel:zv:delta=6000")
    assert (found["value"], found["achieved"]) == (Decimal("-0.02"), Decimal("6000.00"))
    assert (found["status"], found["method"], found["evaluations"]) == ("met", "affine", 3)
    assert [p["value"] for p in found["points"]] == [Decimal("-0.1"), Decimal("0.1"), Decimal("-0.02")]
    back = compared(klein, found["set"])
    assert row(back["results"], variant="bundel", party="zv")["delta"] == found["achieved"]


def test_a_floor_that_is_flat_then_linear_is_found_by_bisection(klein):
    # zh's delta = max(-40,000, floor x 200,000 - 200,000) = -10,000 at floor 0.95; the
    # default range of a quantity (>= 0) is 0 to twice its value 0.9: [0, 1.8]
    found = solved(klein, "--vary", FLOOR, "--target", "garantie:zh:delta=-10000")
    assert (found["value"], found["achieved"], found["status"]) == (
        Decimal("0.95"),
        Decimal("-10000.00"),
        "met",
    )
    assert found["method"] == "bisection" and found["evaluations"] > 3
    assert found["solution"][0]["low"] == 0 and found["solution"][0]["high"] == Decimal("1.8")
    assert found["reachable"] == {"min": Decimal("-40000.00"), "max": Decimal("160000.00")}
    back = compared(klein, found["set"])
    assert row(back["results"], variant="garantie", party="zh")["delta"] == Decimal("-10000.00")


def test_make_whole_is_delta_at_least_zero_at_the_payers_least_spend(klein):
    # zh is whole from floor 1 (top-up 40,000); zv's spend grows with the floor, so the
    # least is at 1: 100 x 1,000 + 80 x 2,000 + 40,000 = 300,000.00; the variant is the
    # one the path lies in, the payer the mechanism's
    found = solved(klein, "--vary", FLOOR, "--make-whole", "zh")
    assert (found["value"], found["achieved"], found["status"]) == (Decimal("1"), Decimal("0.00"), "met")
    assert found["target"] == {
        "variant": "garantie",
        "party": "zh",
        "metric": "delta",
        "relation": ">=",
        "value": Decimal("0"),
    }
    assert found["minimised"] == {"party": "zv", "spend": Decimal("300000.00")}
    back = compared(klein, found["set"])
    assert row(back["results"], variant="garantie", party="zv")["net"] == Decimal("-300000.00")


def test_a_step_function_ends_on_the_side_the_target_asks_for(klein):
    # zh gets 8,000 for a threshold up to 0.8 and nothing above: >= 5,000 holds up to 0.8,
    # and the jump lies between 0.8 and the next finest step (10^-8: the figure moves
    # 800,000 cents over the range, 10^6 -> 6 + 2 decimals)
    found = solved(klein, "--vary", THRESHOLD, "--target", "kwaliteit:zh:delta>=5000")
    assert (found["value"], found["achieved"], found["status"]) == (Decimal("0.8"), Decimal("8000.00"), "met")
    other = found["solution"][0]
    assert (other["other_value"], other["other_figure"]) == (Decimal("0.80000001"), Decimal("0.00"))
    # `=` cannot be met: the nearer side of the jump, said so, exit 0
    found = solved(klein, "--vary", THRESHOLD, "--target", "kwaliteit:zh:delta=7000")
    assert (found["value"], found["achieved"], found["status"]) == (
        Decimal("0.8"),
        Decimal("8000.00"),
        "closest",
    )
    assert found["solution"][0]["difference"] == Decimal("1000.00")


def test_a_target_out_of_reach_exits_1_with_the_reachable_interval(klein):
    # zv's delta over adjust in [-0.1, 0.1] runs from 30,000 to -30,000: 50,000 is out of reach
    result = invoke(
        "solve",
        klein,
        "--vary",
        ADJUST,
        "--between",
        "-0.1",
        "0.1",
        "--target",
        "bundel:zv:delta=50000",
        "-f",
        "json",
    )
    assert result.exit_code == 1
    assert "out of reach" in result.stderr and "[-30000.00, 30000.00]" in result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["status"] == "out_of_reach" and document["evaluations"] == 3
    assert document["reachable"] == {"min": Decimal("-30000.00"), "max": Decimal("30000.00")}


def test_at_most_and_payer_spend(klein):
    # zv's spend = 300,000 x (1 + adjust) <= 297,000 from adjust -0.01 down: the crossing
    found = solved(
        klein, "--vary", ADJUST, "--between", "-0.1", "0.1", "--target", "bundel:zv:payer-spend<=297000"
    )
    assert (found["metric"], found["value"], found["achieved"]) == (
        "payer_spend",
        Decimal("-0.01"),
        Decimal("297000.00"),
    )
    # every payer together (`*`) is the totals table's payer_spend
    found = solved(
        klein, "--vary", ADJUST, "--between", "-0.1", "0.1", "--target", "bundel:*:payer_spend=303000"
    )
    assert found["value"] == Decimal("0.01")
    back = compared(klein, found["set"])
    assert row(back["totals"], variant="bundel")["payer_spend"] == Decimal("303000.00")


def test_a_margin_target(klein):
    # zh's margin = 200,000 - 150,000 = 50,000 at fee-for-service; in `garantie` it is
    # floor x 200,000 - 150,000 above floor 0.8: 40,000 at floor 0.95
    found = solved(klein, "--vary", FLOOR, "--target", "garantie:zh:margin=40000")
    assert (found["value"], found["achieved"]) == (Decimal("0.95"), Decimal("40000.00"))


def test_the_terminal_table_in_dutch_and_english(klein):
    args = ("solve", klein, "--vary", ADJUST, "--between", "-0.1", "0.1", "--target", "bundel:zv:delta=6000")
    dutch = invoke(*args)
    assert dutch.exit_code == 0, dutch.stderr
    for text in (
        "Oplossing",
        "Waarde",
        "-0.02",
        "Bereikt",
        "€ 6.000,00",
        "Evaluaties",
        "compare -v bundel --set",
    ):
        assert text in dutch.stdout, text
    english = invoke(*args, "--lang", "en")
    for text in ("Solution", "Value", "Achieved", "€6,000.00", "Evaluations"):
        assert text in english.stdout, text
    csv = invoke(*args, "-f", "csv").stdout.splitlines()
    assert len(csv) == 2 and csv[0].startswith("path,variant,party,metric")
    points = invoke(*args, "-f", "csv", "--table", "points").stdout.splitlines()
    assert points == ["n,value,figure", "1,-0.1,30000.00", "2,0.1,-30000.00", "3,-0.02,6000.00"]


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "bundel:zv:delta=0"], "missing option '--vary PATH'"),
        (["--vary", ADJUST], "give either --target"),
        (["--vary", ADJUST, "--target", "bundel:zv:delta=0", "--make-whole", "zh"], "not both"),
        (
            ["--vary", ADJUST, "--between", "-1", "1", "--target", "bundel:zv"],
            "expected VARIANT:PARTY:METRIC=VALUE",
        ),
        (["--vary", ADJUST, "--between", "-1", "1", "--target", "bundel:zv:delt=0"], "did you mean 'delta'"),
        (
            ["--vary", ADJUST, "--between", "-1", "1", "--target", "bundel:zv:delta=0.001"],
            "at most 2 decimals",
        ),
        (["--vary", ADJUST, "--between", "-1", "1", "--target", "bundel:zv:delta=abc"], "is not a number"),
        (
            ["--vary", ADJUST, "--between", "1", "-1", "--target", "bundel:zv:delta=0"],
            "LOW must be below HIGH",
        ),
        (
            ["--vary", ADJUST, "--between", "x", "1", "--target", "bundel:zv:delta=0"],
            "--between x: not a number",
        ),
        (["--vary", ADJUST, "--target", "bundel:zv:delta=0"], "give --between LOW HIGH"),
        (["--vary", FLOOR, "--target", "garantie:zh:delta=0", "--year", "2025"], "has no [horizon]"),
        (["--vary", "profiles.p.clients", "--make-whole", "zh"], "needs the variant"),
        (["--vary", FLOOR, "--target", "garantie:vk:margin=0"], "no margin"),
        (
            ["--vary", FLOOR, "--variant", "garantie", "--target", "garantie:zh:delta=0"],
            "--variant goes with --make-whole",
        ),
    ],
)
def test_wrong_use_exits_2(klein, args, message):
    result = invoke("solve", klein, *args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_input_exits_1_with_every_problem_and_did_you_mean(klein):
    result = invoke(
        "solve",
        klein,
        "--vary",
        "variants.bundel.mechanismz.0.adjust",
        "--between",
        "-1",
        "1",
        "--target",
        "bundle:zvv:payer_spend=0",
    )
    assert result.exit_code == 1
    assert "unknown variant 'bundle' (did you mean 'bundel'?)" in result.stderr
    assert "unknown party 'zvv' (did you mean 'zv'?)" in result.stderr
    assert "unknown key 'mechanismz' (did you mean 'mechanisms'?)" in result.stderr
    assert "3 problems found." in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "--vary",
                "variants.bundel.mechanisms.0.price",
                "--between",
                "0",
                "1",
                "--target",
                "bundel:zv:delta=0",
            ],
            "is not a number: it is the text 'budget_neutral'",
        ),
        (
            [
                "--vary",
                "variants.bundel.mechanisms.0.adjus",
                "--between",
                "0",
                "1",
                "--target",
                "bundel:zv:delta=0",
            ],
            "did you mean 'adjust'",
        ),
        (
            ["--vary", FLOOR, "--between", "-1", "1", "--target", "garantie:zh:delta=0"],
            "--between: variants.garantie.mechanisms.0.floor: must be >= 0, got -1",
        ),
        (
            ["--vary", FLOOR, "--target", "garantie:vk:payer_spend=0"],
            "payer_spend is a payer's: choose from zv, *",
        ),
        (["--vary", FLOOR, "--target", "garantie:zh:coverage=1"], "unknown availability function 'zh'"),
        (["--vary", FLOOR, "--target", "garantie:zh:payout=1"], "garantie has no shared_savings mechanism"),
    ],
)
def test_an_input_that_does_not_fit_exits_1(klein, args, message):
    result = invoke("solve", klein, *args)
    assert result.exit_code == 1, result.stderr
    assert message in result.stderr, result.stderr


# ------------------------------------------------------------------ the API


def test_the_api_returns_a_result_with_a_solution_table(klein):
    s = bk.load(klein)
    r = bk.solve(s, vary=FLOOR, target="garantie:zh:delta>=-10000", between=("0", "2"))
    assert isinstance(r, bk.Solution)
    assert (r.value, r.achieved, r.status, r.assignment) == (
        Decimal("0.95"),
        Decimal("-10000.00"),
        "met",
        f"{FLOOR}=0.95",
    )
    assert r.table("solution").row(0, named=True)["value"] == Decimal("0.95")
    assert json.loads(bk.render(r, "json"), parse_float=Decimal)["value"] == Decimal("0.95")
    with pytest.raises(bk.OptionError, match="LOW must be below HIGH"):
        bk.solve(s, vary=FLOOR, target="garantie:zh:delta=0", between=(1, 0))


# ------------------------------------------------------------------ the pure algorithm


def cents(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


@settings(max_examples=60, deadline=None)
@given(
    slope=st.decimals(min_value=1, max_value=10**7, places=2),
    root=st.decimals(min_value=-1, max_value=1, places=6),
    up=st.booleans(),
)
def test_an_affine_figure_in_cents_is_met_or_closest_within_a_cent(slope, root, up):
    slope = slope if up else -slope

    def figure(x: Decimal) -> Decimal:
        return cents(slope * (x - root))

    found = solving.solve(figure, Decimal(-2), Decimal(2), Decimal(0))
    assert figure(found.value) == found.achieved  # the value gives exactly the figure reported
    assert found.status in ("met", "closest") and abs(found.achieved) <= Decimal("0.01")
    assert solving.plain(found.value) == format(Decimal(solving.plain(found.value)), "f")


@settings(max_examples=40, deadline=None)
@given(step_at=st.decimals(min_value="0.001", max_value="0.999", places=9), jump=st.integers(1, 10**6))
def test_a_step_function_terminates_on_the_feasible_side(step_at, jump):
    def figure(x: Decimal) -> Decimal:
        return Decimal(jump) if x >= step_at else Decimal(0)

    found = solving.solve(figure, Decimal(0), Decimal(1), Decimal(jump) / 2, ">=")
    assert found.status == "met" and found.achieved == jump and found.value >= step_at
    assert found.other is not None and found.other.value < step_at and found.evaluations < 80


def test_npv_discounts_as_compare_does():
    # every party's npv_delta of the default example is its yearly deltas discounted by `npv`
    c = bk.compare("geboortezorg-regio", variants=["profielen"])
    start, rate = 2025, bk.load("geboortezorg-regio").model.horizon.discount_rate
    for r in c.table("horizon").iter_rows(named=True):
        yearly = targets.yearly(c, r["variant"], r["party"], "delta")
        assert targets.npv(yearly, start, rate) == r["npv_delta"], r


# ------------------------------------------------------------------ the default example (issue 18, done when)


@pytest.mark.slow  # about 40 evaluations of five years: ten seconds
def test_the_budget_neutral_adjust_of_the_bundle_for_the_preferent_insurer():
    found = solved(
        "--vary",
        "variants.profielen.mechanisms.0.adjust",
        "--between",
        "-0.2",
        "0.2",
        "--target",
        "profielen:zorgverzekeraar:delta=0",
    )
    assert found["status"] in ("met", "closest") and found["npv"] is True
    assert Decimal("-0.06") < found["value"] < Decimal("-0.04")  # README: a cut of about 4.8 %
    assert abs(found["achieved"]) < 1  # the figure moves in steps of cents per client: within a euro
    back = compared("geboortezorg-regio", found["set"], "-v", "profielen")
    assert (
        row(back["horizon"], variant="profielen", party="zorgverzekeraar")["npv_delta"] == found["achieved"]
    )


def test_the_budget_neutral_adjust_in_one_year():
    found = solved(
        "--vary",
        "variants.profielen.mechanisms.0.adjust",
        "--between",
        "-0.2",
        "0.2",
        "--target",
        "profielen:zorgverzekeraar:delta=0",
        "--year",
        "2027",
    )
    assert found["year"] == 2027 and found["npv"] is False
    back = compared("geboortezorg-regio", found["set"], "-v", "profielen", "--year", "2027")
    assert row(back["results"], variant="profielen", party="zorgverzekeraar")["delta"] == found["achieved"]


def test_the_floor_that_makes_the_hospital_whole_in_populatie():
    found = solved("--vary", "variants.populatie.mechanisms.1.floor", "--make-whole", "ziekenhuis")
    assert found["status"] == "met" and found["achieved"] >= 0
    assert found["minimised"]["party"] == "igo"  # the guarantee's payer
    back = compared("geboortezorg-regio", found["set"], "-v", "populatie")
    assert row(back["horizon"], variant="populatie", party="ziekenhuis")["npv_delta"] == found["achieved"]
    # a little below it the hospital is not whole: 0.0001 of a floor is about EUR 5,000
    below = Decimal(found["value"]) - Decimal("0.0001")
    lower = compared(
        "geboortezorg-regio", f"variants.populatie.mechanisms.1.floor={below}", "-v", "populatie"
    )
    assert row(lower["horizon"], variant="populatie", party="ziekenhuis")["npv_delta"] < 0


def test_coverage_of_a_function_with_a_money_input_in_one_year():
    # coverage has no net present value: one year's; a money input moves in whole cents
    result = invoke(
        "solve",
        "--vary",
        "availability.acute_verloskunde.annual_cost",
        "--target",
        "mono:acute_verloskunde:coverage=0.9",
        "--between",
        "2800000",
        "3500000",
        "-f",
        "json",
    )
    assert result.exit_code == 2 and "give a year" in result.stderr
    found = solved(
        "--vary",
        "availability.acute_verloskunde.annual_cost",
        "--target",
        "mono:acute_verloskunde:coverage=0.9",
        "--between",
        "2800000",
        "3500000",
        "--year",
        "2025",
    )
    assert found["achieved"] == Decimal("0.9000")
    assert Decimal(found["value"]) == Decimal(found["value"]).quantize(Decimal("0.01"))
    back = compared("geboortezorg-regio", found["set"], "-v", "mono", "--year", "2025")
    assert row(back["availability"], variant="mono", function="acute_verloskunde")["coverage"] == Decimal(
        "0.9000"
    )


def test_make_whole_says_when_a_party_with_costs_would_be_whole_on_its_margin(scenario):
    # bevalling costs zh 1,500 a birth: 20 fewer births save it 30,000, so whole on its net
    # (floor 1: top-up 40,000) leaves it 30,000 better off than it was; whole on what it
    # keeps is margin_delta >= 0: delta = -30,000 = floor x 200,000 - 200,000, floor 0.85
    costly = scenario(KLEIN.replace("tariff = 2000", "tariff = 2000\ncost = 1500"))
    found = solved(costly, "--vary", FLOOR, "--make-whole", "zh")
    assert (found["value"], found["achieved"]) == (Decimal("1"), Decimal("0.00"))
    assert found["solution"][0]["margin_delta"] == Decimal("30000.00")
    shown = invoke("solve", costly, "--vary", FLOOR, "--make-whole", "zh", "--lang", "en")
    assert "To keep its margin whole: --target garantie:zh:margin_delta>=0" in " ".join(shown.stdout.split())
    on_margin = solved(costly, "--vary", FLOOR, "--target", "garantie:zh:margin_delta>=0")
    assert (on_margin["value"], on_margin["achieved"]) == (Decimal("0.85"), Decimal("0.00"))
    back = compared(costly, on_margin["set"])
    assert row(back["results"], variant="garantie", party="zh")["delta"] == Decimal("-30000.00")
    # without costs that move, the two are the same and nothing more is said
    plain = invoke("solve", scenario(KLEIN), "--vary", FLOOR, "--make-whole", "zh", "--lang", "en")
    assert "margin whole" not in plain.stdout
