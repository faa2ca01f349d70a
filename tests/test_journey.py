"""`journey` / `bk.journey`: one typical client of a profile, numbers computed by hand."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bekostiging as bk
from conftest import invoke, write

# Two profiles, a fee-for-service baseline, a bundle without a contractor plus availability
# funding (with an effect on the path), and a bundle through a network that keeps overhead.
REIS = """
[scenario]
name = "Reis"
baseline = "ffs"
client = "client"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.client]
role = "client"
[parties.vk]
name = "Verloskundige"
role = "provider"
[parties.zh]
role = "provider"
[parties.net]
role = "network"

[activities.zorg]
name = "Zorg thuis"
provider = "vk"
tariff = 100.00
copay = 10.00
[activities.opname]
provider = "zh"
tariff = 1000.00
availability_share = 0.2

[profiles.laag]
clients = 30
path = { zorg = 2 }
[profiles.hoog]
name = "Hoog risico"
clients = 10
path = { zorg = 1, opname = 1 }

[availability.dienst]
party = "zh"
annual_cost = 8000

[variants.ffs]

[variants.bundel]
effects = [{ op = "scale", path = "profiles.hoog.path.opname", factor = 0.5 }]
[[variants.bundel.mechanisms]]
type = "bundle"
scope = ["zorg", "opname"]
price = { laag = 250, hoog = 900 }
distribution = { vk = 0.6, zh = 0.4 }
[[variants.bundel.mechanisms]]
type = "availability"

[variants.netwerk]
[[variants.netwerk.mechanisms]]
type = "bundle"
contractor = "net"
overhead = 0.1
scope = ["zorg", "opname"]
price = { laag = 250, hoog = 900 }
distribution = { vk = 0.6, zh = 0.4 }
"""

HORIZON = """
[horizon]
start = 2025
years = 2
client_growth = 0.1
[horizon.adoption]
bundel = { 2025 = 0.5, 2026 = 1 }
"""


@pytest.fixture(scope="module")
def reis() -> bk.Scenario:
    return bk.loads(REIS, name="reis")


def payments(result: bk.Journey, variant: str) -> dict[tuple[str, str, str, str], Decimal]:
    frame = result.table("payments").filter(variant=variant)
    return {
        (r["payer"], r["payee"], r["component"], r["kind"]): r["per_client"]
        for r in frame.iter_rows(named=True)
    }


def summary(result: bk.Journey, variant: str) -> dict[str, Decimal]:
    row = result.table("summary").filter(variant=variant).row(0, named=True)
    return {k: row[k] for k in ("direct", "copay", "share", "total")}


# ------------------------------------------------------------------ hand-checked numbers


def test_fee_for_service_pays_per_unit_of_her_path(reis):
    hoog = bk.journey(reis, profile="hoog")
    # hoog: zorg 1 unit at 100 (copay 10: the payer pays 90), opname 1 unit at 1000.
    assert payments(hoog, "ffs") == {
        ("zv", "vk", "fee", "direct"): Decimal("90.00"),
        ("client", "vk", "copay", "direct"): Decimal("10.00"),
        ("zv", "zh", "fee", "direct"): Decimal("1000.00"),
    }
    assert summary(hoog, "ffs") == {
        "direct": Decimal("1090.00"),
        "copay": Decimal("10.00"),
        "share": Decimal("0.00"),
        "total": Decimal("1100.00"),
    }
    laag = bk.journey(reis, profile="laag")
    # laag: 2 units of zorg: the payer 2 × 90 = 180, she 2 × 10 = 20.
    assert summary(laag, "ffs") == {
        "direct": Decimal("180.00"),
        "copay": Decimal("20.00"),
        "share": Decimal("0.00"),
        "total": Decimal("200.00"),
    }


def test_a_bundle_without_contractor_is_her_price_divided_as_the_pool_is(reis):
    result = bk.journey(reis, profile="hoog")
    # Parts: laag 250 × 30 = 7,500, hoog 900 × 10 = 9,000; pool 16,500 -> vk 60 % 9,900,
    # zh 40 % 6,600. Her profile's part 9,000 / 16,500 = 6/11: vk 9,900 × 6/11 = 5,400,
    # zh 6,600 × 6/11 = 3,600; per client (10): 540 and 360, together her price of 900.
    # Availability: 8,000 for zh, over all 40 clients of the region: 200 each, a share.
    # Co-payment: zorg 1 × 10 (copays flow whatever pays the rest).
    assert payments(result, "bundel") == {
        ("client", "vk", "copay", "direct"): Decimal("10.00"),
        ("zv", "vk", "bundle", "direct"): Decimal("540.00"),
        ("zv", "zh", "bundle", "direct"): Decimal("360.00"),
        ("zv", "zh", "availability", "share"): Decimal("200.00"),
    }
    assert summary(result, "bundel") == {
        "direct": Decimal("900.00"),
        "copay": Decimal("10.00"),
        "share": Decimal("200.00"),
        "total": Decimal("1110.00"),
    }
    laag = bk.journey(reis, profile="laag")
    # laag's part 7,500 / 16,500 = 5/11: vk 4,500 / 30 = 150, zh 3,000 / 30 = 100.
    assert payments(laag, "bundel")[("zv", "zh", "bundle", "direct")] == Decimal("100.00")
    assert summary(laag, "bundel") == {
        "direct": Decimal("250.00"),
        "copay": Decimal("20.00"),
        "share": Decimal("200.00"),
        "total": Decimal("470.00"),
    }


def test_a_contractor_passes_her_money_on_but_the_payer_spends_it_once(reis):
    result = bk.journey(reis, profile="hoog")
    # zv -> net 900 per client of hoog; net keeps 10 % of 16,500 and divides 14,850:
    # vk 8,910, zh 5,940; her part 6/11: 4,860 and 3,240, per client 486 and 324.
    assert payments(result, "netwerk") == {
        ("client", "vk", "copay", "direct"): Decimal("10.00"),
        ("zv", "net", "bundle", "direct"): Decimal("900.00"),
        ("net", "vk", "distribution", "direct"): Decimal("486.00"),
        ("net", "zh", "distribution", "direct"): Decimal("324.00"),
    }
    # What the network passes on is not spent again: direct is the payer's 900.
    assert summary(result, "netwerk")["direct"] == Decimal("900.00")
    assert summary(result, "netwerk")["total"] == Decimal("910.00")


def test_her_path_after_each_variants_effects_with_names(reis):
    path = bk.journey(reis, profile="hoog").table("path")
    rows = {(r["variant"], r["activity"]): r for r in path.iter_rows(named=True)}
    assert rows[("ffs", "opname")]["units"] == Decimal("1")
    assert rows[("bundel", "opname")]["units"] == Decimal("0.5")  # scaled by 0.5
    assert rows[("bundel", "zorg")]["activity_name"] == "Zorg thuis"
    assert rows[("bundel", "zorg")]["provider"] == "vk"
    assert rows[("bundel", "opname")]["activity_name"] == "opname"  # no name: its id


def test_only_the_chosen_variants_beside_the_baseline(reis):
    result = bk.journey(reis, profile="laag", variants=["netwerk"])
    assert result.table("summary")["variant"].to_list() == ["ffs", "netwerk"]


def test_half_even_cents_at_the_end(reis):
    # 41 clients in the region: availability 8,000 / 41 = 195.1219... -> 195.12; laag's
    # share of the bundle: 31 × 250 = 7,750 of 16,750, paid per client 250 exactly.
    s = reis.with_overrides({"profiles.laag.clients": 31})
    result = bk.journey(s, profile="laag")
    assert summary(result, "bundel")["share"] == Decimal("195.12")
    assert result.figures.exact["bundel"]["share"] == Fraction(800000, 41)
    # A half cent rounds to even: 8,000.10 / 40 = 200.0025 -> 200.00; 8,000.30 / 40 =
    # 200.0075 -> 200.01 (each figure on its own, from the exact sum).
    for cost, share in (("8000.10", "200.00"), ("8000.30", "200.01")):
        s = reis.with_overrides({"availability.dienst.annual_cost": cost})
        assert summary(bk.journey(s, profile="laag"), "bundel")["share"] == Decimal(share)


def test_the_profiles_clients_weighted_add_up_to_the_total_spend(reis):
    # ffs 17,000 = 30 × 200 + 10 × 1,100; bundel 25,200 = 30 × 470 + 10 × 1,110.
    assert _weighted(reis) == _spend(reis)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    laag=st.integers(1, 500),
    hoog=st.integers(0, 200),
    price=st.decimals("0", "5000", places=2),
    cost=st.decimals("0", "100000", places=2),
    units=st.decimals("0", "9", places=3),
)
def test_reconciliation_holds_for_any_inputs(laag, hoog, price, cost, units):
    s = bk.loads(REIS, name="reis").with_overrides(
        {
            "profiles.laag.clients": laag,
            "profiles.hoog.clients": hoog,
            "variants.bundel.mechanisms.0.price.hoog": price,
            "availability.dienst.annual_cost": cost,
            "profiles.laag.path.zorg": units,
        }
    )
    assert _weighted(s) == _spend(s)


def _weighted(s: bk.Scenario) -> dict[str, Fraction]:
    """Per variant Σ clients × exact total per client, over the profiles, in cents."""
    found: dict[str, Fraction] = {}
    for profile in s.model.profiles:
        result = bk.journey(s, profile=profile)
        for row in result.table("summary").iter_rows(named=True):
            total = result.figures.exact[row["variant"]]["total"]
            found[row["variant"]] = found.get(row["variant"], Fraction(0)) + Fraction(row["clients"]) * (
                total or 0
            )
    return found


def _spend(s: bk.Scenario) -> dict[str, Fraction]:
    totals = bk.compare(s).table("totals")
    return {r["variant"]: Fraction(r["total"]) * 100 for r in totals.iter_rows(named=True)}


def test_horizon_shows_the_variant_as_contracted_in_one_year():
    s = bk.loads(REIS + HORIZON, name="reis")
    first = bk.journey(s, profile="hoog")
    assert first.year == 2025
    # Adoption 0.5 in 2025 mixes compare's ledger; her journey is the variant's own.
    assert summary(first, "bundel")["direct"] == Decimal("900.00")
    later = bk.journey(s, profile="hoog", year=2026)
    row = later.table("summary").filter(variant="bundel").row(0, named=True)
    # client growth 0.1: 33 + 11 = 44 clients; availability 8,000 / 44 = 181.8181... -> 181.82
    assert (row["clients"], row["region_clients"]) == (Decimal("11.0"), Decimal("44.0"))
    assert row["share"] == Decimal("181.82")
    with pytest.raises(bk.OptionError, match="not in the horizon 2025-2026"):
        bk.journey(s, profile="hoog", year=2027)


# ------------------------------------------------------------------ bad input


def test_unknown_profile_and_variant_are_reported_together(reis):
    with pytest.raises(bk.ScenarioError) as caught:
        bk.journey(reis, profile="hooog", variants=["bundle"])
    messages = [f.message for f in caught.value.findings]
    assert messages == [
        "unknown profile 'hooog' (did you mean 'hoog'?); choose from laag, hoog",
        "unknown variant 'bundle' (did you mean 'bundel'?); choose from ffs, bundel, netwerk",
    ]


def test_a_year_without_a_horizon_is_wrong_use(reis):
    with pytest.raises(bk.OptionError, match="has no \\[horizon\\]"):
        bk.journey(reis, profile="hoog", year=2025)


# ------------------------------------------------------------------ the command


@pytest.fixture
def reis_file(tmp_path):
    return write(tmp_path / "reis.toml", REIS)


def test_cli_table_in_dutch_by_default_and_english(reis_file):
    nl = invoke("journey", reis_file, "--profile", "hoog", "--variant", "bundel")
    assert nl.exit_code == 0, nl.stderr
    out = nl.stdout
    assert "Reis van een cliënt: Hoog risico: één cliënt van 10" in out
    assert "Zorgpad: verwachte eenheden per cliënt" in out
    assert "Zorg thuis" in out and "Verloskundige" in out
    assert "€ 540,00" in out and "aandeel" in out and "€ 1.110,00" in out
    assert "gedeeld door alle 40 cliënten van de regio" in out
    en = invoke("journey", reis_file, "-p", "hoog", "-v", "bundel", "--lang", "en")
    assert "A client's journey: Hoog risico: one client of 10" in en.stdout
    assert "€1,110.00" in en.stdout and "share" in en.stdout


def test_cli_csv_of_a_table_and_json_of_all(reis_file):
    csv = invoke("journey", reis_file, "-p", "laag", "-f", "csv", "--table", "summary")
    assert csv.exit_code == 0, csv.stderr
    assert csv.stdout.splitlines() == [
        "variant,clients,region_clients,direct,copay,share,total",
        "ffs,30,40,180.00,20.00,0.00,200.00",
        "bundel,30,40,250.00,20.00,200.00,470.00",
        "netwerk,30,40,250.00,20.00,0.00,270.00",
    ]
    default = invoke("journey", reis_file, "-p", "laag", "-f", "csv")
    assert default.stdout.startswith("variant,payer,payee,component,kind,per_client,payer_name,payee_name")
    text = invoke("journey", reis_file, "-p", "laag", "-f", "json").stdout
    document = json.loads(text, parse_float=Decimal)
    assert document["profile"] == "laag"
    assert {"path", "payments", "summary", "share_rule"} <= set(document)
    assert document["summary"][1]["total"] == Decimal("470.00")
    assert document["path"][0]["units"] == 2


def test_cli_missing_profile_lists_the_choices(reis_file):
    result = invoke("journey", reis_file)
    assert result.exit_code == 2
    assert "missing option '--profile' / '-p': the profiles are laag, hoog" in result.stderr


def test_cli_unknown_profile_exits_1_with_did_you_mean(reis_file):
    result = invoke("journey", reis_file, "-p", "laaag", "-v", "nope")
    assert result.exit_code == 1
    assert "unknown profile 'laaag' (did you mean 'laag'?)" in result.stderr
    assert "unknown variant 'nope'" in result.stderr
    assert "2 problems found." in result.stderr


def test_cli_year_outside_the_horizon_is_wrong_use(tmp_path):
    path = write(tmp_path / "reis.toml", REIS + HORIZON)
    result = invoke("journey", path, "-p", "laag", "--year", "2030")
    assert result.exit_code == 2
    assert "year 2030 is not in the horizon 2025-2026" in result.stderr
    unknown_table = invoke("journey", path, "-p", "laag", "--table", "ledger")
    assert unknown_table.exit_code == 2


def test_render_writes_what_the_cli_writes(reis_file):
    result = bk.journey(bk.load(reis_file), profile="hoog")
    cli = invoke("journey", reis_file, "-p", "hoog", "-f", "csv", "--table", "payments")
    assert bk.render(result, "csv", "payments") == cli.stdout


def test_with_several_insurers_her_money_comes_from_each_book():
    # market_shares zv 0.6, zv2 0.4: each book holds that share of every profile's clients
    # and pays her bundle price for them; per client of the region her money is the same,
    # split by share: vk 540 -> 324 + 216, zh 360 -> 216 + 144, availability 200 -> 120 + 80.
    text = REIS.replace(
        'default_payer = "zv"', 'default_payer = "market"\nmarket_shares = { zv = 0.6, zv2 = 0.4 }'
    )
    s = bk.loads(text + '[parties.zv2]\nrole = "payer"\n', name="reis")
    result = bk.journey(s, profile="hoog", variants=["bundel"])
    found = payments(result, "bundel")
    assert found[("zv", "vk", "bundle", "direct")] == Decimal("324.00")
    assert found[("zv2", "vk", "bundle", "direct")] == Decimal("216.00")
    assert found[("zv2", "zh", "bundle", "direct")] == Decimal("144.00")
    assert found[("zv2", "zh", "availability", "share")] == Decimal("80.00")
    assert summary(result, "bundel")["total"] == Decimal("1110.00")
    assert _weighted(s) == _spend(s)
