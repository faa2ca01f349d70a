"""Terms that change by year (CONTRACTS.md E), with numbers worked out by hand: dated
numbers of every kind, an effect's own ramp, a capitation's population growth, and the
adoption mixing without cent residues."""

from __future__ import annotations

import copy
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekostiging.engine.horizon import run_horizon
from bekostiging.scenario.load import load_scenario, start_year
from conftest import invoke, row
from strategies import scenarios, to_toml
from test_horizon import as_json

BASE = """
[scenario]
name = "Jaren"
year = 2025
baseline = "mono"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.zh]
role = "provider"
[parties.igo]
role = "network"

[activities.sectio]
provider = "zh"
tariff = 1000.00

[profiles.laag]
clients = 100
path = { sectio = 0.2 }
[profiles.hoog]
clients = 50
path = { sectio = 1 }

[variants.mono]
"""

HORIZON = """
[horizon]
years = 3
"""


def results(compute_json, text: str) -> list[dict]:
    return compute_json(text)["results"]


def compare_json(scenario, text: str, *args: str) -> dict:
    return as_json(invoke("compare", scenario(text), "-f", "json", *args))


def test_a_dated_floor_is_taken_as_written_not_indexed(scenario):
    text = (
        BASE
        + """
[variants.garantie]
effects = [{ op = "scale", path = "profiles.laag.path.sectio", factor = 0.5 }]
mechanisms = [{ type = "revenue_guarantee", party = "zh", floor = { 2025 = 0.95, 2026 = 0.90 } }]
"""
        + HORIZON
        + "index = 0.02\n"
    )
    data = compare_json(scenario, text)["results"]
    # Hospital revenue without the guarantee: mono (100 × 0.2 + 50 × 1) × tariff = 70 × tariff,
    # the variant (10 + 50) × tariff = 60 × tariff.
    # 2025: tariff 1,000.00: 0.95 × 70,000 − 60,000 = 6,500.00
    assert row(data, year=2025, variant="garantie", party="zh")["delta"] == Decimal("-3500.00")
    # 2026: tariff 1,020.00, floor 0.90 (a fraction: not indexed): 0.90 × 71,400 − 61,200 = 3,060
    # so the hospital gets 64,260 against 71,400: delta −7,140.00
    assert row(data, year=2026, variant="garantie", party="zh")["delta"] == Decimal("-7140.00")
    # 2027: the latest earlier year's 0.90; tariff 1,040.40: 0.90 × 72,828 − 62,424 = 3,121.20;
    # 65,545.20 − 72,828 = −7,282.80
    assert row(data, year=2027, variant="garantie", party="zh")["delta"] == Decimal("-7282.80")


def test_dated_clients_and_path_units_are_taken_as_written(scenario):
    text = (
        BASE.replace("clients = 100", "clients = { 2025 = 100, 2027 = 80 }").replace(
            "path = { sectio = 1 }", "path = { sectio = { 2025 = 1, 2026 = 0.8 } }"
        )
        + HORIZON
        + "client_growth = 0.1\n"
    )
    data = compare_json(scenario, text)["results"]
    revenue = {y: row(data, year=y, variant="mono", party="zh")["revenue"] for y in (2025, 2026, 2027)}
    # 2025: 100 × 0.2 + 50 × 1 = 70 caesareans × 1,000
    assert revenue[2025] == Decimal("70000.00")
    # 2026: `laag` is dated, so client_growth leaves it at 100 (20 caesareans); `hoog` is not:
    # 50 × 1.1 = 55 clients at its dated 0.8 units: 44; 64 × 1,000
    assert revenue[2026] == Decimal("64000.00")
    # 2027: 80 × 0.2 = 16; 50 × 1.1² = 60.5 × 0.8 = 48.4; 64.4 × 1,000
    assert revenue[2027] == Decimal("64400.00")


def capitation_paid(scenario, text: str) -> dict[int, Decimal]:
    """What the insurer pays in the variant `capitatie`, per year of the horizon."""
    data = compare_json(scenario, text)["results"]
    return {y: -row(data, year=y, variant="capitatie", party="zv")["net"] for y in (2025, 2026, 2027)}


def test_a_dated_population_and_an_indexed_amount(scenario):
    text = (
        BASE
        + """
[[variants.capitatie.mechanisms]]
type = "capitation"
contractor = "igo"
amount = 10.00
population = { 2025 = 1000, 2027 = 1200 }
"""
        + HORIZON
        + "index = 0.02\n"
    )
    paid = capitation_paid(scenario, text)
    # The amount is money: indexed from 2025 (10.20, then 10.404 → 10.40); the population is
    # not: 1,000 in 2025 and 2026 (as written), 1,200 from 2027.
    assert paid == {2025: Decimal("10000.00"), 2026: Decimal("10200.00"), 2027: Decimal("12480.00")}


def test_a_dated_money_value_is_indexed_from_its_year_on(scenario):
    text = (
        BASE
        + """
[[variants.capitatie.mechanisms]]
type = "capitation"
contractor = "igo"
amount = { 2025 = 10.00, 2026 = 20.00 }
population = 100
"""
        + HORIZON
        + "index = 0.1\n"
    )
    paid = capitation_paid(scenario, text)
    # 2026: the dated 20.00 as is (not 10 × 1.1); 2027: 20.00 × 1.1 = 22.00; × 100 persons
    assert paid == {2025: Decimal("1000.00"), 2026: Decimal("2000.00"), 2027: Decimal("2200.00")}


def test_a_dated_effect_value(scenario):
    text = (
        BASE
        + """
[variants.minder]
effects = [{ op = "scale", path = "profiles.hoog.path.sectio", factor = { 2025 = 0.9, 2027 = 0.5 } }]
"""
        + HORIZON
    )
    data = compare_json(scenario, text)["results"]
    delta = {y: row(data, year=y, variant="minder", party="zh")["delta"] for y in (2025, 2026, 2027)}
    # 50 caesareans of `hoog` × (factor − 1) × 1,000: 2025 and 2026 −5, 2027 −25
    assert delta == {2025: Decimal("-5000.00"), 2026: Decimal("-5000.00"), 2027: Decimal("-25000.00")}


def test_an_effects_own_ramp_replaces_the_variants(scenario):
    text = (
        BASE
        + """
[variants.minder]
effects = [
  { op = "scale", path = "profiles.hoog.path.sectio", factor = 0.5 },
  { op = "scale", path = "profiles.laag.path.sectio", factor = 0.5, ramp = { 2026 = 0.5, 2027 = 1 } },
]
"""
        + HORIZON
        + """
[horizon.ramp]
minder = { 2025 = 0.2, 2026 = 0.6 }
"""
    )
    data = compare_json(scenario, text)["results"]
    delta = {y: row(data, year=y, variant="minder", party="zh")["delta"] for y in (2025, 2026, 2027)}
    # hoog (50 caesareans) follows the variant's ramp r: 50 × r × (0.5 − 1);
    # laag (20 caesareans) its own: 0 before 2026, then 0.5, then 1: 20 × r' × (0.5 − 1)
    # 2025: −50 × 0.2 × 0.5 = −5 and 0            → −5,000
    # 2026: −50 × 0.6 × 0.5 = −15 and −20 × 0.5 × 0.5 = −5 → −20,000
    # 2027: −15 (0.6 still) and −20 × 1 × 0.5 = −10 → −25,000
    assert delta == {2025: Decimal("-5000.00"), 2026: Decimal("-20000.00"), 2027: Decimal("-25000.00")}


def test_an_effects_own_ramp_applies_without_a_variant_ramp_and_in_what_ifs(scenario):
    text = (
        BASE
        + """
[variants.minder]
effects = [{ op = "move_clients", from = "hoog", to = "laag", fraction = 0.5, ramp = { 2026 = 1 } }]
[whatif.groei]
effects = [{ op = "scale", path = "profiles.*.clients", factor = 2, ramp = { 2027 = 1 } }]
"""
        + HORIZON
    )
    data = compare_json(scenario, text)["results"]
    # moving 25 clients from hoog (1 caesarean each) to laag (0.2): −20 caesareans from 2026
    delta = {y: row(data, year=y, variant="minder", party="zh")["delta"] for y in (2025, 2026, 2027)}
    assert delta == {2025: Decimal("0.00"), 2026: Decimal("-20000.00"), 2027: Decimal("-20000.00")}
    data = compare_json(scenario, text, "--whatif", "groei")["results"]
    mono = {y: row(data, year=y, variant="mono", party="zh")["revenue"] for y in (2025, 2026, 2027)}
    # the what-if's effect counts only from 2027: twice the clients, 140 caesareans
    assert mono == {2025: Decimal("70000.00"), 2026: Decimal("70000.00"), 2027: Decimal("140000.00")}


CAPITATION = """
[variants.capitatie]
mechanisms = [{ type = "capitation", contractor = "igo", amount = 10.00, population = 1000, GROWTH }]
"""


def test_population_growth_by_a_rate(scenario):
    text = BASE + CAPITATION.replace("GROWTH", "population_growth = 0.1") + HORIZON
    paid = capitation_paid(scenario, text)
    # 10.00 × 1,000 × 1.1^t: 10,000; 11,000; 12,100 (the population is a quantity: not rounded)
    assert paid == {2025: Decimal("10000.00"), 2026: Decimal("11000.00"), 2027: Decimal("12100.00")}


def test_population_growth_by_rates_by_year(scenario):
    text = BASE + CAPITATION.replace("GROWTH", "population_growth = { 2025 = 0.1, 2027 = -0.5 }") + HORIZON
    paid = capitation_paid(scenario, text)
    # compounded year by year with each year's rate: 1,000; × 1.1 = 1,100 (2026 takes 2025's
    # rate); × 0.5 = 550 persons × 10.00
    assert paid == {2025: Decimal("10000.00"), 2026: Decimal("11000.00"), 2027: Decimal("5500.00")}


def capitation(components: list[dict], year: int, variant: str) -> Decimal:
    """What the insurer pays as capitation (its fee-for-service for other care left out)."""
    return row(components, year=year, variant=variant, party="zv", component="capitation")["payments"]


def test_population_growth_follows_the_clients_it_covers(scenario):
    text = (
        BASE.replace("clients = 50", "clients = { 2025 = 50, 2026 = 40 }")
        + CAPITATION.replace("GROWTH", 'population_growth = "clients", profiles = ["hoog"]')
        + """
[[variants.allen.mechanisms]]
type = "capitation"
contractor = "igo"
amount = 10.00
population = 1000
population_growth = "clients"
"""
        + HORIZON
        + "client_growth = { laag = 0.5 }\n"
    )
    data = compare_json(scenario, text)["components"]
    paid = {y: capitation(data, y, "capitatie") for y in (2025, 2026, 2027)}
    # hoog's clients: 50, 40, 40 → population 1,000 × 40 / 50 = 800 from 2026
    assert paid == {2025: Decimal("10000.00"), 2026: Decimal("8000.00"), 2027: Decimal("8000.00")}
    paid = {y: capitation(data, y, "allen") for y in (2025, 2026, 2027)}
    # all clients: 150; 2026: 150 + 40 = 190; 2027: 225 + 40 = 265
    # 10 × 1,000 × 190 / 150 = 12,666.666… → 12,666.67; 10 × 1,000 × 265 / 150 = 17,666.67
    assert paid == {2025: Decimal("10000.00"), 2026: Decimal("12666.67"), 2027: Decimal("17666.67")}


def test_population_growth_is_zero_by_default(scenario):
    text = BASE + CAPITATION.replace(", GROWTH", "") + HORIZON + "client_growth = 0.5\n"
    data = compare_json(scenario, text)["results"]
    assert {row(data, year=y, variant="capitatie", party="zv")["net"] for y in (2025, 2026, 2027)} == {
        Decimal("-10000.00")
    }


# ------------------------------------------------------------------ mixing (CONTRACTS.md E, G)

MIXING = """
[scenario]
name = "Menging"
year = 2025
baseline = "mono"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.gemeente]
role = "payer"
[parties.vk]
role = "provider"
[parties.wijkteam]
role = "provider"

[activities.zorg]
provider = "vk"
tariff = 0.01
[activities.traject]
provider = "wijkteam"
payer = "gemeente"
tariff = 0.05

[profiles.a]
clients = 4
path = { zorg = 1, traject = 1 }
[profiles.b]
clients = 4
path = { zorg = 1, traject = 1 }

[variants.mono]
[variants.nieuw]
effects = [{ op = "scale", path = "profiles.a.path.zorg", factor = 0.75 }]

[horizon]
years = 1
[horizon.adoption]
nieuw = { 2025 = 0.5 }
"""


def test_mixing_by_hand(scenario):
    text = MIXING.replace("years = 1", "years = 2").replace(
        "nieuw = { 2025 = 0.5 }", "nieuw = { 2025 = 0.5 }"
    )
    data = compare_json(scenario, text, "--table", "ledger")
    data = compare_json(scenario, text)
    # gemeente → wijkteam, fee: 4 × 0.05 = 0.20 per profile under both. Mixed per flow (as
    # before) 0.5 × 0.20 = 0.10 twice per profile: no residue here, so take zv → vk:
    # variant a: 3 × 0.01 = 0.03, b: 0.04; baseline a: 0.04, b: 0.04.
    # Group total 0.5 × 0.07 + 0.5 × 0.08 = 0.075 → 0.08 (half to even: 7.5 cents → 8),
    # split pro rata a: 3.5, b: 4 cents: 3.733 and 4.267 → floors 3 and 4, the cent left to
    # the larger remainder (a, 0.733): a 0.04, b 0.04. (Flow by flow: 0.5 × 3 = 1.5 → 2,
    # 0.5 × 4 = 2, and 2 + 2 for b: 0.08 too, but see the next test.)
    zv = row(data["results"], year=2025, variant="nieuw", party="zv")
    assert zv["net"] == Decimal("-0.08")
    assert row(data["results"], year=2025, variant="nieuw", party="gemeente")["delta"] == Decimal("0.00")


def test_mixing_leaves_no_cent_residue_where_nothing_changed(scenario):
    # zv → vk: 0.01 per client-unit; the variant changes profile a only. Baseline lines a: 0.03,
    # b: 0.03 (3 clients each); variant a: 0.01 (a scaled to 1/3), b: 0.03. a = 0.5:
    # flow by flow (before): 0.5 × 1 = 0.005 → 0.00, 0.5 × 3 = 0.015 → 0.02 (each of four
    # parts), so b alone became 0.02 + 0.02 = 0.04 for 0.03 in both: a cent from nowhere.
    # Now: the group total 0.5 × 0.04 + 0.5 × 0.06 = 0.05 exactly, split a: 2, b: 3 cents.
    text = (
        MIXING.replace("clients = 4", "clients = 3")
        .replace("factor = 0.75", "factor = 0.3333333333")
        .replace("tariff = 0.05", "tariff = 0.03")
    )
    data = compare_json(scenario, text, "--table", "ledger")["ledger"]
    nieuw = [r for r in data if r["variant"] == "nieuw" and r.get("year", 2025) == 2025]
    fee = {r["profile"]: r["amount"] for r in nieuw if r["payer"] == "zv"}
    assert fee == {"a": Decimal("0.02"), "b": Decimal("0.03")}
    # gemeente → wijkteam: 0.09 per profile under both: exactly that, mixed.
    traject = {r["profile"]: r["amount"] for r in nieuw if r["payer"] == "gemeente"}
    assert traject == {"a": Decimal("0.09"), "b": Decimal("0.09")}
    results = compare_json(scenario, text)["results"]
    for party in ("gemeente", "wijkteam"):
        assert row(results, year=2025, variant="nieuw", party=party)["delta"] == Decimal("0.00")


def test_a_year_before_a_dated_tables_first_year_is_an_error(scenario):
    text = (
        BASE.replace("path = { sectio = 1 }", "path = { sectio = { 2026 = 1 } }")
        + """
[variants.garantie]
mechanisms = [{ type = "revenue_guarantee", party = "zh", floor = { 2027 = 0.9 } }]
"""
        + HORIZON
    )
    result = invoke("validate", scenario(text))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "profiles.hoog.path.sectio: has no value for 2025: its table starts in 2026" in result.stderr
    assert (
        "variants.garantie.mechanisms.0.floor: has no value for 2025: its table starts in 2027"
        in result.stderr
    )


def test_tables_by_year_are_checked(scenario):
    text = (
        BASE.replace("clients = 100", 'clients = { 2025 = 100, 26 = 90, 2027 = "veel" }')
        + """
[variants.minder]
effects = [{ op = "scale", path = "profiles.laag.clients", factor = 0.5, ramp = { 2025 = 1.5, 2026 = 1 } }]
[[variants.capitatie.mechanisms]]
type = "capitation"
contractor = "igo"
amount = 10.00
population = 1000
population_growth = "alle"
"""
        + HORIZON
    )
    result = invoke("validate", scenario(text))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    for expected in (
        "profiles.laag.clients.26: '26' is not a year (like 2026): a table by year has years as keys",
        "profiles.laag.clients.2027: must be a number, got the text 'veel'",
        "variants.minder.effects.0.ramp.2025: must lie in [0, 1], got 1.5",
        'variants.capitatie.mechanisms.0.population_growth: must be a yearly rate or "clients"',
    ):
        assert expected in result.stderr, expected


def test_tables_by_year_need_a_horizon(scenario):
    text = BASE.replace("path = { sectio = 1 }", "path = { sectio = { 2025 = 1 } }") + (
        """
[variants.capitatie]
effects = [{ op = "scale", path = "profiles.laag.clients", factor = 0.5, ramp = { 2025 = 1 } }]
mechanisms = [
  { type = "capitation", contractor = "igo", amount = 10.00, population = 1000, population_growth = 0.01 },
  { type = "revenue_guarantee", party = "zh", floor = { 2025 = 0.9 } },
]
"""
    )
    result = invoke("validate", scenario(text))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    for expected in (
        "profiles.hoog.path.sectio: a table by year needs a [horizon]",
        "variants.capitatie.mechanisms.1.floor: a table by year needs a [horizon]",
        "variants.capitatie.effects.0.ramp: an effect's ramp needs a [horizon]",
        "variants.capitatie.mechanisms.0.population_growth: population_growth needs a [horizon]",
    ):
        assert expected in result.stderr, expected


# ------------------------------------------------------------------ properties


def _horizon_run(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("j") / "s.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    model, tree = load_scenario(path)
    start = start_year(model.horizon, tree.data)
    return run_horizon(tree.data, model, start, file=str(path))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    data=scenarios(),
    shares=st.lists(st.one_of(st.just(500), st.integers(0, 1000)), min_size=3, max_size=3),
)
def test_a_party_whose_flows_are_the_same_has_no_delta_in_any_mixed_year(data, shares, tmp_path_factory):
    """CONTRACTS.md E: a party whose flows per counterparty and component total the same
    under the variant and the baseline has a delta of exactly 0.00 in every mixed year. A
    copy of the baseline (`kopie`) is such a variant for every party; the generated variants
    are for the parties they leave alone. (Mixed flow by flow, a cent came from nowhere.)"""
    data = copy.deepcopy(data)
    data["scenario"]["year"] = 2025
    data["variants"]["kopie"] = copy.deepcopy(data["variants"]["mono"])
    adoption = {str(2025 + i): Decimal(s).scaleb(-3) for i, s in enumerate(shares)}
    data["horizon"] = {
        "years": 3,
        "index": Decimal("0.025"),
        "client_growth": Decimal("0.01"),
        "adoption": {v: adoption for v in data["variants"] if v != "mono"},
    }
    mixed = _horizon_run(data, tmp_path_factory)
    data["horizon"]["adoption"] = {}
    full = _horizon_run(data, tmp_path_factory)
    for year, run in mixed.years.items():
        base = run.variants["mono"].ledger
        for variant, result in run.variants.items():
            own = full.years[year].variants[variant].ledger
            for party in run.scenario.parties:
                if _groups(own, party) != _groups(base, party):
                    continue
                delta = _net(result.ledger, party) - _net(base, party)
                assert delta == 0, (year, variant, party)
        assert all(_net(run.variants["kopie"].ledger, p) == _net(base, p) for p in run.scenario.parties)


def _groups(ledger, party: str) -> dict:
    """The party's flows per (component, counterparty, direction), summed."""
    out: dict = defaultdict(int)
    for f in ledger.flows:
        if party in (f.payer, f.payee):
            out[(f.component, f.payee if f.payer == party else f.payer, f.payer == party)] += f.amount
    return {k: v for k, v in out.items() if v}


def _net(ledger, party: str) -> int:
    return ledger.inflows(party) - ledger.outflows(party)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=scenarios(), share=st.integers(1, 999))
def test_each_group_is_the_mixed_total_rounded_once(data, share, tmp_path_factory):
    """Per year and (from, to, component): the mixed ledger holds a·V + (1 − a)·B rounded
    once, and every year conserves money."""
    data = copy.deepcopy(data)
    data["scenario"]["year"] = 2025
    other = next(v for v in data["variants"] if v != "mono")
    a = Decimal(share).scaleb(-3)
    data["horizon"] = {"years": 2, "index": Decimal("0.03"), "adoption": {other: {"2025": a}}}
    years = _horizon_run(data, tmp_path_factory)
    run = years.years[2025]
    mixed, rest = run.variants[other], run.variants["mono"]
    assert mixed.rest is rest
    full = _full_variant(data, other, tmp_path_factory)
    expected: dict = defaultdict(Decimal)
    for weight, ledger in ((a, full), (1 - a, rest.ledger)):
        for f in ledger.flows:
            expected[(f.component, f.payer, f.payee)] += weight * f.amount
    got: dict = defaultdict(int)
    for f in mixed.ledger.flows:
        got[(f.component, f.payer, f.payee)] += f.amount
    rounded = {k: int(v.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)) for k, v in expected.items()}
    assert got == {k: v for k, v in rounded.items() if v}
    for result in run.variants.values():
        assert sum(result.ledger.inflows(p) - result.ledger.outflows(p) for p in run.scenario.parties) == 0


def _full_variant(data, variant, tmp_path_factory):
    """The variant's own ledger in 2025 (adopted in full)."""
    data = copy.deepcopy(data)
    data["horizon"]["adoption"] = {}
    return _horizon_run(data, tmp_path_factory).years[2025].variants[variant].ledger


def test_the_default_example_has_no_cent_residues():
    """The wijkteam and the IGO are untouched by `profielen`: 0.00 in every year (the
    flow-by-flow mixing gave the then untouched gemeente € 0.01 in 2026), and `simulate`
    finds no loss for them."""
    result = as_json(invoke("compare", "geboortezorg-regio", "-f", "json"))
    for year in range(2025, 2030):
        for party in ("wijkteam", "igo"):
            assert row(result["results"], year=year, variant="profielen", party=party)["delta"] == 0, (
                year,
                party,
            )
    simulation = as_json(
        invoke("simulate", "geboortezorg-regio", "--draws", "40", "--seed", "7", "-f", "json")
    )
    wijkteam = row(simulation["results"], variant="profielen", party="wijkteam")
    assert wijkteam["p_loss"] == 0 and wijkteam["p_loss_npv"] == 0


LANES = (
    BASE.replace("clients = 50", "clients = { 2025 = 50, 2026 = 41 }")
    + """
[[variants.nieuw.mechanisms]]
type = "capitation"
contractor = "igo"
scope = ["sectio"]
profiles = ["hoog"]
amount = { 2025 = 333.33, 2027 = 350.00 }
population = 77
population_growth = "clients"
[[variants.nieuw.mechanisms]]
type = "revenue_guarantee"
party = "zh"
floor = { 2025 = 0.97, 2026 = 0.9 }
[variants.nieuw]
effects = [{ op = "scale", path = "profiles.laag.path.sectio", factor = 0.7, ramp = { 2026 = 0.5 } }]
[horizon]
years = 3
index = 0.013
[horizon.adoption]
nieuw = { 2025 = 0.5, 2026 = 0.3333 }
"""
)


def test_a_block_of_draws_equals_each_draw_alone_with_terms_by_year(scenario):
    """Dated values, an effect's own ramp, population growth and the mixing, on lanes: lane
    i is draw i computed alone, to the cent (HORIZON.md §2)."""
    from bekostiging.engine.simulate import Job, evaluate, evaluate_block

    path = scenario(LANES)
    _, tree = load_scenario(path)
    columns = {
        "profiles.laag.clients": [Decimal("100"), Decimal("97.3"), Decimal("101.01"), Decimal("55")],
        "activities.sectio.tariff": [
            Decimal("1000.00"),
            Decimal("999.99"),
            Decimal("1234.57"),
            Decimal("0.03"),
        ],
        "variants.nieuw.effects.0.factor": [Decimal("0.7"), Decimal("0.333"), Decimal("1"), Decimal("0.5")],
    }
    job = Job(tree.data, columns, None, None, (), str(path), 2025)
    figures, _ = evaluate_block(job, range(4))
    for i in range(4):
        alone, _ = evaluate(job, i)
        for key, values in alone.items():
            assert tuple(None if c is None else int(c[i]) for c in figures[key]) == values, (i, key)
