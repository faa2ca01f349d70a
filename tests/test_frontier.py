"""`frontier`: the negotiation space over a grid of one or two inputs (issue 18).

The scenario below is small enough to compute every figure by hand:

    10 clients, each 1 `zorg` (midwife vk, € 100) and 0.2 `sectio` (hospital zh, € 1,000)
    baseline `mono`: vk 10 × 100 = € 1,000; zh 10 × 0.2 × 1,000 = € 2,000; the insurer zv pays € 3,000
    variant `duur`: the tariff of zorg × F (effect 0) and of sectio × G (effect 1):
        Δ vk = 1,000 × (F − 1)    Δ zh = 2,000 × (G − 1)    Δ zv = −(Δ vk + Δ zh)
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bekostiging as bk
from bekostiging.decisions.frontier import Axis, Grid, grid_values, read
from bekostiging.results import OptionError
from conftest import invoke

SMALL = """
[scenario]
name = "Klein"
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
name = "Duurder"
effects = [
  { op = "scale", path = "activities.zorg.tariff", factor = 1.0 },
  { op = "scale", path = "activities.sectio.tariff", factor = 1.0 },
]
"""

F = "variants.duur.effects.0.factor"
G = "variants.duur.effects.1.factor"

# Two years, discounted at the varied rate r: an NPV is Δ2025 + Δ2026 / (1 + r).
HORIZON = SMALL.replace('default_payer = "zv"', 'default_payer = "zv"\nyear = 2025') + (
    "\n[horizon]\nstart = 2025\nyears = 2\ndiscount_rate = 0.05\n"
)


def euros(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


def test_one_input_by_hand(scenario):
    # F = 0.90, 0.95, 1.00, 1.05, 1.10 (step 0.2 / 4 = 0.05, exact: two decimals)
    result = bk.frontier(scenario(SMALL), variant="duur", vary=[(F, "0.9", "1.1", 5)], parties=["vk", "zv"])
    grid = result.table("grid")
    assert grid[F].to_list() == euros("0.90", "0.95", "1.00", "1.05", "1.10")
    # Δ vk = 1,000 × (F − 1); Δ zv = −Δ vk (zh's sectio tariff is unchanged)
    assert grid["delta_vk"].to_list() == euros("-100.00", "-50.00", "0.00", "50.00", "100.00")
    assert grid["delta_zv"].to_list() == euros("100.00", "50.00", "0.00", "-50.00", "-100.00")
    assert grid["min_delta"].to_list() == euros("-100.00", "-50.00", "0.00", "-50.00", "-100.00")
    # the region: only F = 1, where both are exactly as well off
    assert grid["feasible"].to_list() == [False, False, True, False, False]
    assert grid["marker"].to_list() == [None, None, "max_min", None, None]
    points = result.table("points").to_dicts()
    assert points[0]["kind"] == "max_min" and points[0]["point"] == 3 and points[0]["feasible"] is True
    # the only point of the region gains nothing for anyone: every product is 0, no Nash point
    assert points[1]["kind"] == "nash" and points[1]["point"] is None and points[1]["delta_vk"] is None
    assert result.grid.nash_none == "zero"


def test_two_inputs_by_hand(scenario):
    # F = 0.9, 1.0, 1.1 down; G = 0.95, 1.00, 1.05 across; points 1..9 row by row
    result = bk.frontier(
        scenario(SMALL),
        variant="duur",
        vary=[(F, "0.9", "1.1", 3), (G, "0.95", "1.05", 3)],
        parties=["vk", "zh"],
    )
    grid = result.table("grid")
    assert grid["point"].to_list() == list(range(1, 10))
    assert grid[F].to_list() == euros("0.9", "0.9", "0.9", "1.0", "1.0", "1.0", "1.1", "1.1", "1.1")
    assert grid[G].to_list() == euros("0.95", "1.00", "1.05") * 3
    # Δ vk = 1,000 × (F − 1): −100, 0, 100 per row; Δ zh = 2,000 × (G − 1): −100, 0, 100 per column
    assert grid["delta_vk"].to_list() == euros(*["-100.00"] * 3, *["0.00"] * 3, *["100.00"] * 3)
    assert grid["delta_zh"].to_list() == euros("-100.00", "0.00", "100.00") * 3
    # the region: F ≥ 1 and G ≥ 1, points 5, 6, 8, 9
    assert grid.filter(grid["feasible"])["point"].to_list() == [5, 6, 8, 9]
    # max-min: point 9 (min(100, 100) = 100); Nash: products 0, 0, 0, 100 × 100 in the region -> point 9
    assert result.grid.max_min == 8 and result.grid.nash == 8
    assert grid["marker"].to_list()[8] == "max_min,nash"
    assert result.grid.ranges() == [(Decimal("1.0"), Decimal("1.1")), (Decimal("1.00"), Decimal("1.05"))]

    # the insurer too: Δ zv = −(Δ vk + Δ zh) is negative wherever a provider gains, so the
    # region is point 5 alone (everyone at 0); max-min there, no Nash point (its product is 0)
    three = bk.frontier(
        scenario(SMALL),
        variant="duur",
        vary=[(F, "0.9", "1.1", 3), (G, "0.95", "1.05", 3)],
        parties=["vk", "zh", "zv"],
    )
    assert three.grid.region == [4] and three.grid.max_min == 4
    assert three.grid.nash is None and three.grid.nash_none == "zero"


def test_an_empty_region_still_has_a_max_min_point_outside_it(scenario):
    # F = 1.05, 1.10: vk gains 50 and 100, the insurer loses as much: nobody's region
    result = bk.frontier(scenario(SMALL), variant="duur", vary=[(F, "1.05", "1.1", 2)], parties=["zv", "vk"])
    assert result.grid.region == []
    # the smallest deltas are −50 and −100: the first point is the max-min, outside the region
    assert result.grid.max_min == 0 and result.table("points")["feasible"].to_list() == [False, None]
    assert result.grid.nash is None and result.grid.nash_none == "empty"


def test_max_min_and_nash_differ_and_ties_go_to_the_first_point():
    # by hand: A = (1.00, 10.00) has min 1.00 and product 10.00; B = (2.00, 3.00) min 2.00,
    # product 6.00; C = (3.00, 2.00) the same min and product as B, later in grid order
    axis = Axis("x", Decimal(1), Decimal(3), 3, (Decimal(1), Decimal(2), Decimal(3)))
    grid = read(
        Grid("v", "b", ["p", "q"], [axis], "delta", None, None, {"p": [100, 200, 300], "q": [1000, 300, 200]})
    )
    assert grid.smallest == [100, 200, 200]
    assert grid.max_min == 1  # B, not C: the first of a tie
    assert grid.nash == 0  # A: 100 × 1,000 > 200 × 300


def test_grid_values_are_what_set_reads_back():
    # exact when the step allows it, with no more decimals than needed
    assert grid_values(Decimal("0.9"), Decimal("1.0"), 11, money=False)[1] == Decimal("0.91")
    assert str(grid_values(Decimal("0.9"), Decimal("1.0"), 11, money=False)[1]) == "0.91"
    # 0.1 / 19 has no finite decimal: six decimals, half-to-even
    values = grid_values(Decimal("0.9"), Decimal("1.0"), 20, money=False)
    assert [str(v) for v in values[:3]] == ["0.900000", "0.905263", "0.910526"] and str(
        values[-1]
    ) == "1.000000"
    # money is whole cents: 80 + 6 / 19 = 80.3157... -> 80.32
    assert [str(v) for v in grid_values(Decimal(80), Decimal(86), 20, money=True)[:2]] == ["80.00", "80.32"]
    with pytest.raises(OptionError, match="closer together than a cent"):
        grid_values(Decimal("1.00"), Decimal("1.01"), 5, money=True)
    with pytest.raises(OptionError, match=r"80\.005 has more decimals than a money input"):
        grid_values(Decimal("80.005"), Decimal(86), 7, money=True)


def test_every_point_is_reproduced_by_compare_set(scenario):
    path = scenario(SMALL)
    result = bk.frontier(
        path, variant="duur", vary=[(F, "0.9", "1.0", 7), (G, "1", "1.2", 3)], parties=["vk", "zh"]
    )
    for row in result.table("grid").iter_rows(named=True):
        compared = bk.compare(path, variants=["duur"], overrides={F: str(row[F]), G: str(row[G])}).results
        for party in ("vk", "zh"):
            delta = compared.filter((compared["variant"] == "duur") & (compared["party"] == party))["delta"][
                0
            ]
            assert delta == row[f"delta_{party}"], (row["point"], party)


def test_a_horizon_gives_the_npv_and_year_one_year(scenario):
    path = scenario(HORIZON)
    # Δ vk is 1,000 × (F − 1) in both years: F = 1.1 gives 100 a year, an NPV of
    # 100 + 100 / 1.05 = 195.238... -> 195.24
    result = bk.frontier(path, variant="duur", vary=[(F, "1.0", "1.1", 2)], parties=["vk"])
    assert result.grid.metric == "npv_delta"
    assert result.table("grid")["delta_vk"].to_list() == euros("0.00", "195.24")
    one = bk.frontier(path, variant="duur", vary=[(F, "1.0", "1.1", 2)], parties=["vk"], year=2026)
    assert one.grid.metric == "delta" and one.table("grid")["delta_vk"].to_list() == euros("0.00", "100.00")
    # the discount rate is no variant's input (computed a point at a time, the baseline
    # with it): at r = 0, 0.1, 0.2 the NPV of 100 a year is 200.00, 190.91, 183.33
    rates = bk.frontier(
        path,
        variant="duur",
        vary=[("horizon.discount_rate", "0", "0.2", 3)],
        parties=["vk"],
        overrides={F: "1.1"},
    )
    assert rates.table("grid")["delta_vk"].to_list() == euros("200.00", "190.91", "183.33")


def test_parallel_and_in_process_give_identical_tables(scenario):
    # 150 points of an input outside the lanes: three blocks of 50, so two workers share them
    path = scenario(HORIZON)
    kwargs = {
        "variant": "duur",
        "vary": [("horizon.discount_rate", "0", "0.149", 150)],
        "parties": ["vk", "zv"],
    }
    alone = bk.frontier(path, overrides={F: "1.1"}, workers=1, **kwargs)
    shared = bk.frontier(path, overrides={F: "1.1"}, workers=2, **kwargs)
    for name in ("grid", "points"):
        assert bk.render(alone, "csv", name) == bk.render(shared, "csv", name)
    assert alone.table("grid")["delta_vk"][0] == Decimal("200.00")


# ------------------------------------------------------------------ the chart


def test_the_heat_map_is_xml_with_the_region_outlined_and_both_points_marked(scenario):
    result = bk.frontier(
        scenario(SMALL),
        variant="duur",
        vary=[(F, "0.9", "1.1", 3), (G, "0.95", "1.05", 3)],
        parties=["vk", "zh"],
    )
    svg = result.chart("svg")
    root = ET.fromstring(svg.encode("utf-8"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    outline = root.findall(".//s:path[@class='region']", ns)
    assert len(outline) == 1
    # the region (points 5, 6, 8, 9) is a 2 × 2 square: 8 cell edges on its border
    assert outline[0].get("d").count("M") == 8
    assert root.findall(".//s:circle[@class='max-min']", ns) and root.findall(
        ".//s:polygon[@class='nash']", ns
    )
    assert len(root.findall("s:rect", ns)) >= 9  # a cell per point (plus the legend's swatches)
    page = result.chart("html", "en")
    assert page.startswith("<!DOCTYPE html>") and 'class="region"' in page
    assert '<table id="table-points">' in page and '<table id="table-grid">' in page


def test_one_input_draws_lines_with_the_region_shaded(scenario):
    result = bk.frontier(scenario(SMALL), variant="duur", vary=[(F, "0.9", "1.1", 5)], parties=["vk", "zv"])
    root = ET.fromstring(result.chart("svg").encode("utf-8"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//s:rect[@class='region']", ns)) == 1  # the one point F = 1
    assert len(root.findall(".//s:path", ns)) == 2  # a line per party


# ------------------------------------------------------------------ the command line


def test_cli_summary_csv_json_and_chart(scenario, tmp_path):
    path = scenario(SMALL)
    args = ("frontier", path, "-v", "duur", "--vary", F, "0.9", "1.1", "3", "--vary", G, "0.95", "1.05", "3")
    shown = invoke(*args, "-p", "vk,zh", "--lang", "en")
    assert shown.exit_code == 0, shown.stderr
    assert "Region (every party Δ ≥ 0): 4 of 9 points" in shown.stdout
    assert f"  {F}: 1.0 to 1.1" in shown.stdout
    assert "\n1.0 ·██\n1.1 ·█*\n" in shown.stdout  # the text map: max-min and Nash both at point 9
    csv = invoke(*args, "-p", "vk,zh", "-f", "csv").stdout.splitlines()
    assert csv[0] == f"point,{F},{G},delta_vk,delta_zh,min_delta,feasible,marker"
    assert csv[9] == '9,1.1,1.05,100.00,100.00,100.00,true,"max_min,nash"'
    points = invoke(*args, "-p", "vk,zh", "-f", "csv", "--table", "points").stdout.splitlines()
    assert points[1].startswith("max_min,9,1.1,1.05,100.00")
    document = json.loads(invoke(*args, "-p", "vk,zh", "-f", "json").stdout, parse_float=Decimal)
    assert document["region"]["points"] == 4 and document["parties"] == ["vk", "zh"]
    assert document["vary"][0] == {"path": F, "low": Decimal("0.9"), "high": Decimal("1.1"), "n": 3}
    assert [p["point"] for p in document["points"]] == [9, 9] and len(document["grid"]) == 9
    target = tmp_path / "ruimte.svg"
    assert invoke(*args, "-p", "vk,zh", "-o", target).exit_code == 0
    ET.fromstring(target.read_bytes())
    page = tmp_path / "ruimte.html"
    assert invoke(*args, "-p", "vk,zh", "-o", page).exit_code == 0
    assert "<svg " in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--vary", F, "0.9", "1.1", "1"), "N is 1; a grid needs at least 2 points"),
        (("--vary", F, "1.1", "0.9", "3"), "LOW (1.1) must be below HIGH (0.9)"),
        (("--vary", F, "x", "1", "3"), "LOW 'x' is not a number"),
        (
            ("--vary", F, "0", "1", "101", "--vary", G, "0", "1", "100"),
            "101 × 100 = 10,100 points; the limit is 10,000",
        ),
        (("--vary", F, "0.9", "1.1", "3", "--vary", F, "1", "2", "3"), "is given twice"),
        (("--vary", "variants.ander.effects.0.factor", "0.9", "1.1", "3"), "changes variant ander"),
        (("--vary", F, "0.9", "1.1", "3", "--year", "2026"), "has no [horizon]"),
    ],
)
def test_wrong_use_exits_2_before_computing(scenario, extra, message):
    text = (
        SMALL
        + '[variants.ander]\neffects = [{ op = "scale", path = "activities.zorg.tariff", factor = 1 }]\n'
    )
    found = invoke("frontier", scenario(text), "-v", "duur", "-p", "vk", *extra)
    assert found.exit_code == 2, found.stdout
    assert message in found.stderr


def test_the_baseline_as_the_variant_exits_2(scenario):
    found = invoke(
        "frontier",
        scenario(SMALL),
        "-v",
        "duur",
        "-p",
        "vk",
        "--baseline",
        "duur",
        "--vary",
        F,
        "0",
        "1",
        "2",
    )
    assert found.exit_code == 2 and "--variant duur is the baseline" in found.stderr


def test_missing_options_exit_2_with_each_named(scenario):
    found = invoke("frontier", scenario(SMALL))
    assert found.exit_code == 2
    for option in ("--variant", "--vary", "--parties"):
        assert f"missing option '{option}'" in found.stderr


def test_bad_input_exits_1_with_every_problem(scenario):
    path = scenario(SMALL)
    found = invoke("frontier", path, "-v", "dur", "-p", "vk,zhh", "--vary", F, "0.9", "1.1", "3")
    assert found.exit_code == 1
    assert "--variant: unknown variant 'dur' (did you mean 'duur'?); choose from mono, duur" in found.stderr
    assert "--parties: unknown party 'zhh' (did you mean 'zh'?)" in found.stderr
    found = invoke(
        "frontier",
        path,
        "-v",
        "duur",
        "-p",
        "vk",
        "--vary",
        "variants.duur.effects.0.factr",
        "0.9",
        "1.1",
        "3",
    )
    assert found.exit_code == 1 and "did you mean 'factor'" in found.stderr
    found = invoke(
        "frontier", path, "-v", "duur", "-p", "vk", "--vary", "profiles.laag.path", "0.9", "1.1", "3"
    )
    assert found.exit_code == 1 and "must name a number; it holds a table" in found.stderr
    # a value the scenario refuses, at either end of the grid, named as --vary's
    found = invoke(
        "frontier", path, "-v", "duur", "-p", "vk", "--vary", "profiles.laag.clients", "-10", "10", "3"
    )
    assert found.exit_code == 1 and "--vary: profiles.laag.clients" in found.stderr


# ------------------------------------------------------------------ invariants


@given(
    low=st.decimals(min_value=-1000, max_value=1000, places=3),
    width=st.decimals(min_value=1, max_value=1000, places=2),
    n=st.integers(min_value=2, max_value=60),
    money=st.booleans(),
)
def test_grid_values_are_n_increasing_values_from_low_to_high_within_half_a_unit(low, width, n, money):
    if money:
        low = low.quantize(Decimal("0.01"))
    high = low + width
    values = grid_values(low, high, n, money=money)
    assert len(values) == n and all(a < b for a, b in pairwise(values))
    assert values[0] == low and values[-1] == high  # the ends as given
    places = -values[0].as_tuple().exponent
    for i, value in enumerate(values):  # each within half a unit of its exact place
        exact = Fraction(low) + (Fraction(high) - Fraction(low)) * i / (n - 1)
        assert abs(Fraction(value) - exact) <= Fraction(1, 2 * 10**places)


@given(
    deltas=st.lists(
        st.tuples(st.integers(-500, 500), st.integers(-500, 500), st.integers(-500, 500)),
        min_size=2,
        max_size=30,
    )
)
def test_max_min_and_nash_are_the_best_points_and_the_first_of_equals(deltas):
    parties = ["a", "b", "c"]
    n = len(deltas)
    axis = Axis("x", Decimal(0), Decimal(n - 1), n, tuple(Decimal(i) for i in range(n)))
    columns = {p: [d[k] for d in deltas] for k, p in enumerate(parties)}
    grid = read(Grid("v", "b", parties, [axis], "delta", None, None, columns))
    smallest = [min(d) for d in deltas]
    assert grid.max_min == smallest.index(max(smallest))
    products = [d[0] * d[1] * d[2] if min(d) >= 0 else -1 for d in deltas]
    best = max(products)
    if best <= 0:
        assert grid.nash is None and grid.nash_none == ("zero" if best == 0 else "empty")
    else:
        assert grid.nash == products.index(best)


# ------------------------------------------------------------------ on margins

# zh does half its sectios in `garantie` (1 instead of 2, each costing it 600), and zv
# guarantees zh floor x its 2,000 of today: zh earns max(1,000, 2,000 x f), its cost falls
# from 1,200 to 600. Δ zh = max(1,000, 2,000 f) - 2,000; Δ margin zh = Δ zh + 600;
# zv pays 1,000 (vk) + zh's: Δ zv = 2,000 - max(1,000, 2,000 f); zv has no costs.
GUARANTEE = (
    SMALL.replace("tariff = 1000.00", "tariff = 1000.00\ncost = 600")
    + """
[variants.garantie]
effects = [{ op = "scale", path = "profiles.laag.path.sectio", factor = 0.5 }]
[[variants.garantie.mechanisms]]
type = "revenue_guarantee"
payer = "zv"
party = "zh"
floor = 0.9
"""
)
FLOOR = "variants.garantie.mechanisms.0.floor"


def test_on_margins_a_party_that_delivers_less_care_needs_less(scenario):
    s = scenario(GUARANTEE)
    vary = [(FLOOR, "0.5", "1.0", 6)]
    on_net = bk.frontier(s, variant="garantie", vary=vary, parties=["zh", "zv"])
    grid = on_net.table("grid")
    assert grid["delta_zh"].to_list() == euros("-1000.00", "-800.00", "-600.00", "-400.00", "-200.00", "0.00")
    assert grid["delta_zv"].to_list() == euros("1000.00", "800.00", "600.00", "400.00", "200.00", "0.00")
    assert grid["feasible"].to_list() == [False] * 5 + [True]  # only floor 1: both exactly whole
    assert on_net.grid.costly == ("zh",)
    # on margins zh keeps 600 more at every floor (the sectios it no longer does), so every
    # floor from 0.7 leaves both whole; max-min min(200, 400) = min(400, 200) = 200: the
    # first, floor 0.8 (point 4); Nash 200 x 400 = 400 x 200: the first again
    on_margin = bk.frontier(s, variant="garantie", vary=vary, parties=["zh", "zv"], figure="margin")
    grid = on_margin.table("grid")
    assert grid["delta_zh"].to_list() == euros("-400.00", "-200.00", "0.00", "200.00", "400.00", "600.00")
    assert grid["delta_zv"].to_list() == euros("1000.00", "800.00", "600.00", "400.00", "200.00", "0.00")
    assert grid["feasible"].to_list() == [False, False, True, True, True, True]
    assert (on_margin.grid.max_min, on_margin.grid.nash) == (3, 3)
    assert on_margin.grid.metric == "margin_delta"
    # each point is compare --set's margin less the baseline's, to the cent
    found = invoke("compare", s, "--set", f"{FLOOR}=0.8", "-f", "json")
    rows = {(r["variant"], r["party"]): r for r in json.loads(found.stdout, parse_float=Decimal)["results"]}
    assert rows[("garantie", "zh")]["margin"] - rows[("mono", "zh")]["margin"] == Decimal("200.00")


def test_on_margins_under_a_horizon_is_npv_margin_delta_to_the_cent():
    s = bk.load("geboortezorg-regio")
    path = "variants.populatie.mechanisms.0.amount"
    found = bk.frontier(
        s, variant="populatie", vary=[(path, "82", "84", 3)], parties=["igo"], figure="margin"
    )
    assert found.grid.metric == "npv_margin_delta"
    for amount, cents in zip(("82", "83", "84"), found.grid.deltas["igo"], strict=True):
        horizon = bk.compare(s, variants=["populatie"], overrides={path: amount}).table("horizon")
        (row,) = horizon.filter((horizon["variant"] == "populatie") & (horizon["party"] == "igo")).to_dicts()
        assert row["npv_margin_delta"] == Decimal(cents).scaleb(-2)


def test_on_margins_only_payment_terms_are_varied(scenario):
    result = invoke(
        "frontier", scenario(GUARANTEE), "--variant", "garantie", "--vary", "activities.sectio.cost",
        "500", "700", "3", "--parties", "zh,zv", "--figure", "margin",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "can change the care delivered, and so its cost" in result.stderr


def test_the_terminal_says_when_a_listed_party_has_costs(scenario):
    s = scenario(GUARANTEE)
    args = ("frontier", s, "--variant", "garantie", "--vary", FLOOR, "0.5", "1.0", "6", "--parties", "zh,zv")
    on_net = " ".join(invoke(*args, "--lang", "en").stdout.split())
    assert "zh: has costs, which Δ net leaves out" in on_net and "--figure margin" in on_net
    on_margin = " ".join(invoke(*args, "--figure", "margin", "--lang", "en").stdout.split())
    assert "figure: Δ margin" in on_margin and "With costs: zh" in on_margin
