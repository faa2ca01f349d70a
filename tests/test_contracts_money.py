"""Hand-computed tests for CONTRACTS.md A and C: fixed costs, money to payers, transfers,
pooled budgets (contributors) and the shared-savings key `investment`.

Every expected number is worked out by hand from docs/spec/CONTRACTS.md (with the
readings of its section G) and docs/semantics.md; the arithmetic sits next to the value.
The tests read the JSON output of `bekostiging compare` (CLI.md), like
tests/test_mechanisms.py. "LR" = largest remainder on cents, ties to the id that sorts first.
"""

from __future__ import annotations

import json

from conftest import invoke, money, row
from test_mechanisms import assert_conserved, comp, net, res, savings_row, toml

# One insurer (zvw) and a gemeente that pays the prevention coach; 100 clients.
# mono: zvw pays vk 100 × 2 × 100 = 20,000.00 and zh 100 × 0.5 × 1,000 = 50,000.00
#       (spend 70,000.00); gemeente pays vk 100 × 1 × 50 = 5,000.00.
REGION = """
[scenario]
name = "Twee financiers"
baseline = "mono"
default_payer = "zvw"

[parties.zvw]
role = "payer"
[parties.gemeente]
role = "payer"
[parties.vk]
role = "provider"
[parties.zh]
role = "provider"
fixed_cost = 20000
[parties.vsv]
role = "network"
fixed_cost = 25000

[activities.vk_consult]
provider = "vk"
tariff = 100.00
cost = 60.00
[activities.zh_opname]
provider = "zh"
tariff = 1000.00
cost = 700.00
[activities.coach]
provider = "vk"
payer = "gemeente"
tariff = 50.00

[profiles.p]
clients = 100
path = { vk_consult = 2, zh_opname = 0.5, coach = 1 }
[profiles.q]
clients = 0.1

[variants.mono]
"""

# Prevention by the gemeente: coach 1 -> 2 per client (gemeente +5,000.00), admissions
# 0.5 -> 0.4 (zvw −10,000.00): the wrong pocket. zvw spends 20,000 + 40,000 = 60,000.00.
PREVENTION = (
    'effects = [{ op = "set", path = "profiles.p.path.coach", value = 2 },'
    ' { op = "scale", path = "profiles.p.path.zh_opname", factor = 0.8 }]'
)


def variant(vid: str, *mechanisms: str, effects: str = PREVENTION) -> str:
    body = "".join(f"\n[[variants.{vid}.mechanisms]]\n{m.strip()}\n" for m in mechanisms)
    return f"[variants.{vid}]\n{effects}\n{body}"


def spend(out, v: str, party: str):
    return -net(out, v, party)


# ================================================================ A. fixed costs


def test_a_party_with_only_a_fixed_cost_has_a_cost_and_a_margin(compute):
    out = compute(toml(REGION, variant("vsv", 'type = "collaboration"\nrecipient = "vsv"\nfixed = 30000')))
    assert_conserved(out)
    # vsv has no activities and no function: cost = its fixed cost 25,000.00
    assert res(out, "mono", "vsv")["cost"] == money("25000.00")
    assert res(out, "mono", "vsv")["margin"] == money("-25000.00")  # net 0 − 25,000
    assert res(out, "vsv", "vsv")["margin"] == money("5000.00")  # 30,000 − 25,000
    # zh: 50 × 700 = 35,000 variable + 20,000 fixed = 55,000; margin 50,000 − 55,000
    assert res(out, "mono", "zh")["cost"] == money("55000.00")
    assert res(out, "mono", "zh")["margin"] == money("-5000.00")
    # under prevention zh delivers 40 units: 28,000 + 20,000; margin 40,000 − 48,000
    assert res(out, "vsv", "zh")["cost"] == money("48000.00")
    assert res(out, "vsv", "zh")["margin"] == money("-8000.00")
    # a party with neither cost nor fixed cost still has none
    assert res(out, "mono", "gemeente")["cost"] is None


def test_fixed_cost_is_not_part_of_a_bundles_cost_key(compute):
    bundle = (
        'type = "bundle"\ncontractor = "vsv"\nscope = ["vk_consult", "zh_opname"]\n'
        'profiles = ["p"]\nprice = 700\ndistribution = "cost"'
    )
    out = compute(toml(REGION, variant("b", bundle, effects="")))
    # D = 700 × 100 = 70,000.00, weights cost × units only: vk 200 × 60 = 12,000,
    # zh 50 × 700 = 35,000 (zh's fixed 20,000 is not a weight): vk 70,000 × 12/47 =
    # 17,872.340…, zh 52,127.659… -> LR: 17,872.34 and 52,127.66
    assert comp(out, "b", "vk", "distribution") == (money("17872.34"), 0)
    assert comp(out, "b", "zh", "distribution") == (money("52127.66"), 0)


HORIZON = """
[horizon]
start = 2025
years = 3
index = 0.10
[horizon.adoption]
prev = { 2025 = 0.5, 2026 = 1 }
"""


def test_fixed_cost_is_indexed_dated_and_not_mixed_by_adoption(compute):
    text = toml(REGION, variant("prev"), HORIZON).replace(
        "fixed_cost = 25000", "fixed_cost = { 2025 = 1000, 2027 = 5000 }"
    )
    out = compute(text)
    cost = {
        (r["year"], r["variant"], r["party"]): r["cost"]
        for r in out["results"]
        if r["party"] in ("zh", "vsv")
    }
    # vsv: dated 1,000 in 2025, indexed 1,000 × 1.1 = 1,100 in 2026, dated 5,000 in 2027
    assert [cost[(y, "mono", "vsv")] for y in (2025, 2026, 2027)] == [
        money("1000.00"),
        money("1100.00"),
        money("5000.00"),
    ]
    # zh fixed 20,000 indexed: 22,000.00 (2026), 24,200.00 (2027); tariffs and costs too:
    # 2026 cost per admission 770.00, 2027 847.00; 50 admissions in mono
    assert cost[(2026, "mono", "zh")] == money("60500.00")  # 50 × 770 + 22,000
    assert cost[(2027, "mono", "zh")] == money("66550.00")  # 50 × 847 + 24,200
    # 2025, adoption 0.5: variable cost mixed 0.5 × 40 × 700 + 0.5 × 50 × 700 = 31,500,
    # plus the fixed 20,000 in full (not 0.5 × 20,000 + 0.5 × 20,000 rounded apart)
    assert cost[(2025, "prev", "zh")] == money("51500.00")
    assert cost[(2025, "prev", "vsv")] == money("1000.00")


def test_a_variant_brings_its_own_fixed_cost_with_an_effect(compute):
    """An office that exists only in a variant (the default example's VSV office): an
    effect sets `parties.X.fixed_cost`; the counterfactual does not have it."""
    office = 'effects = [{ op = "set", path = "parties.vsv.fixed_cost", value = 40000 }]'
    collaboration = 'type = "collaboration"\nrecipient = "vsv"\nfixed = 30000'
    out = compute(toml(REGION, variant("office", collaboration, effects=office)))
    assert_conserved(out)
    assert res(out, "mono", "vsv")["cost"] == money("25000.00")  # the file's fixed cost
    assert res(out, "office", "vsv")["cost"] == money("40000.00")  # the effect's
    assert res(out, "office", "vsv")["margin"] == money("-10000.00")  # 30,000 − 40,000


def test_a_fixed_cost_effect_with_its_own_ramp_grows_by_year(compute):
    # the office ramps with its own table: 0.25 × (40,000 − 25,000) above the file's 25,000
    # in 2025 = 28,750.00; from 2026 in full (an effect's value is taken as written, not
    # indexed); the variant is adopted 0.5 in 2025 but a fixed cost is not mixed
    office = (
        'effects = [{ op = "set", path = "parties.vsv.fixed_cost", value = 40000,'
        " ramp = { 2025 = 0.25, 2026 = 1 } }]"
    )
    out = compute(toml(REGION, variant("prev", effects=office), HORIZON))
    cost = {r["year"]: r["cost"] for r in out["results"] if (r["variant"], r["party"]) == ("prev", "vsv")}
    assert cost == {2025: money("28750.00"), 2026: money("40000.00"), 2027: money("40000.00")}


# ================================================================ C. money to payers


def test_payers_receive_shared_savings_and_quality(compute):
    savings = 'type = "shared_savings"\nsharing_rate = 0.5\nrecipients = ["gemeente"]\ndistribution = "equal"'
    quality = 'type = "quality"\nrecipients = { gemeente = 1 }\npool = 2000\nscore = 0.5'
    # the gemeente's own settlement (one-sided) reads its net spend after receiving
    own = 'type = "shared_savings"\npayer = "gemeente"\nsharing_rate = 0.5\nrecipients = ["vk"]'
    out = compute(toml(REGION, variant("ss", quality, savings, own)))
    assert_conserved(out)
    # quality: 2,000 × 0.5 = 1,000.00 zvw -> gemeente
    assert comp(out, "ss", "gemeente", "quality") == (money("1000.00"), 0)
    # zvw: B = 70,000.00; A = 60,000 + 1,000 = 61,000.00; S = 9,000; payout 4,500.00
    zvw = row(out["shared_savings"], variant="ss", payer="zvw")
    assert (zvw["benchmark"], zvw["actual"], zvw["payout"]) == (
        money("70000.00"),
        money("61000.00"),
        money("4500.00"),
    )
    # the gemeente receives zvw's payout and pays its own (below) to vk
    assert comp(out, "ss", "gemeente", "shared_savings") == (money("4500.00"), money("250.00"))
    # gemeente: B = 5,000.00; A = 10,000 − 1,000 − 4,500 = 4,500.00: a payer that
    # receives lowers its net spend; S = 500, payout 250.00 to vk
    gem = row(out["shared_savings"], variant="ss", payer="gemeente")
    assert (gem["benchmark"], gem["actual"], gem["payout"]) == (
        money("5000.00"),
        money("4500.00"),
        money("250.00"),
    )
    assert spend(out, "ss", "gemeente") == money("4750.00")  # 4,500 + 250
    # zvw: 61,000 + 4,500 = 65,500.00
    assert spend(out, "ss", "zvw") == money("65500.00")


def test_a_payer_has_a_revenue_guarantee(compute):
    # Baseline: zvw pays the gemeente a quality pool of 2,000 (score 1); the variant's
    # score is 0.25 (500.00), and zvw guarantees the gemeente 0.9 of its revenue.
    quality = 'type = "quality"\nrecipients = { gemeente = 1 }\npool = 2000\nscore = SCORE'
    text = toml(
        REGION.replace('baseline = "mono"', 'baseline = "basis"'),
        variant("basis", quality.replace("SCORE", "1"), effects=""),
        variant(
            "garantie",
            quality.replace("SCORE", "0.25"),
            'type = "revenue_guarantee"\nparty = "gemeente"\nfloor = 0.9',
            effects="",
        ),
    )
    out = compute(text)
    assert_conserved(out)
    # R0 = 2,000.00; R = 500.00; guarantee 0.9 × 2,000 − 500 = 1,300.00 zvw -> gemeente
    assert comp(out, "garantie", "gemeente", "guarantee") == (money("1300.00"), 0)
    assert comp(out, "garantie", "zvw", "guarantee") == (0, money("1300.00"))
    # gemeente spend 5,000 − 500 − 1,300 = 3,200.00 (basis: 5,000 − 2,000 = 3,000.00)
    assert res(out, "garantie", "gemeente")["delta"] == money("-200.00")


# ================================================================ C. transfer


def test_transfer_of_fixed_per_client_and_a_share_of_savings(compute):
    transfer = (
        'type = "transfer"\nfrom = "zvw"\nto = "gemeente"\nfixed = 1000\n'
        'per_client = 2.50\nprofiles = ["p"]\nshare_of_savings = 0.5'
    )
    out = compute(toml(REGION, variant("t", transfer)))
    ledger = compute(toml(REGION, variant("t", transfer)), "--table", "ledger")["ledger"]
    assert_conserved(out)
    # fixed 1,000 + 2.50 × 100 clients of p = 250 + 0.5 × (70,000 − 60,000) = 5,000
    assert comp(out, "t", "gemeente", "transfer") == (money("6250.00"), 0)
    assert comp(out, "t", "zvw", "transfer") == (0, money("6250.00"))
    flows = [r for r in ledger if r["component"] == "transfer"]
    assert [(r["variant"], r["payer"], r["payee"], r["amount"]) for r in flows] == [
        ("t", "zvw", "gemeente", money("6250.00"))
    ]


def test_transfer_of_negative_savings_is_zero_and_parts_are_rounded_once(compute):
    worse = 'effects = [{ op = "scale", path = "profiles.p.path.zh_opname", factor = 1.2 }]'
    loss = 'type = "transfer"\nfrom = "zvw"\nto = "gemeente"\nfixed = 100\nshare_of_savings = 1'
    # per_client 0.05 × 0.1 clients of q = 0.005; share 0.1234505 × 10,000 = 1,234.505:
    # summed 1,234.51 (each rounded on its own: 0.00 + 1,234.50)
    once = (
        'type = "transfer"\nfrom = "zvw"\nto = "gemeente"\nper_client = 0.05\nprofiles = ["q"]\n'
        "share_of_savings = 0.1234505"
    )
    out = compute(toml(REGION, variant("slechter", loss, effects=worse), variant("afronding", once)))
    # zvw spends 20,000 + 60,000 = 80,000: S = 70,000 − 80,000 < 0 -> share part 0; fixed 100
    assert comp(out, "slechter", "gemeente", "transfer") == (money("100.00"), 0)
    assert comp(out, "afronding", "gemeente", "transfer") == (money("1234.51"), 0)


def test_transfer_closes_the_wrong_pocket(compute):
    share = 'type = "transfer"\nfrom = "zvw"\nto = "gemeente"\nshare_of_savings = 0.5'
    out = compute(toml(REGION, variant("zonder"), variant("dicht", share)))
    assert_conserved(out)
    # without: zvw saves 10,000, the gemeente pays 5,000 more
    assert res(out, "zonder", "gemeente")["delta"] == money("-5000.00")
    # with: 0.5 × 10,000 = 5,000.00 to the gemeente: its delta is exactly 0.00
    assert res(out, "dicht", "gemeente")["delta"] == money("0.00")
    assert res(out, "dicht", "zvw")["delta"] == money("5000.00")
    # total payer spend is what the care costs, whoever pays: 60,000 + 10,000
    totals = {r["variant"]: r["payer_spend"] for r in out["totals"]}
    assert totals == {"mono": money("75000.00"), "zonder": money("70000.00"), "dicht": money("70000.00")}


def test_transfer_counts_savings_after_shared_savings(compute):
    savings = 'type = "shared_savings"\nsharing_rate = 0.5\nrecipients = ["zh"]'
    share = 'type = "transfer"\nfrom = "zvw"\nto = "gemeente"\nshare_of_savings = 0.5'
    # file order puts the transfer first; it is still evaluated last:
    # S = 10,000, payout 5,000 to zh; then zvw's savings are 5,000 -> transfer 2,500.00
    out = compute(toml(REGION, variant("na", share, savings)))
    assert comp(out, "na", "zh", "shared_savings") == (money("5000.00"), 0)
    assert comp(out, "na", "gemeente", "transfer") == (money("2500.00"), 0)


def test_transfer_is_an_attribution_step_and_explained(compute, scenario):
    share = 'type = "transfer"\nfrom = "zvw"\nto = "gemeente"\nshare_of_savings = 0.5'
    out = compute(toml(REGION, variant("dicht", share)), "--attribution")
    steps = {r["step"]: r["amount"] for r in out["attribution"] if r["party"] == "gemeente"}
    assert steps == {"care": money("-5000.00"), "transfer": money("5000.00")}
    path = scenario(toml(REGION, variant("dicht", share)))
    result = invoke("explain", path, "-v", "dicht", "-p", "gemeente", "-c", "transfer", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert "share of savings 0.5 × max(0, savings € 10000.00)" in result.stdout
    table = invoke("compare", path, "--attribution", "--lang", "nl")
    assert "overheveling" in table.stdout
    assert json.loads(invoke("compare", path, "-f", "json").stdout)["components"]


# ================================================================ C. contributors


def test_pooled_budget_with_contributors_and_an_odd_cent(compute):
    capitation = (
        'type = "capitation"\ncontributors = { zvw = 0.6, gemeente = 0.4 }\ncontractor = "vsv"\n'
        'scope = ["vk_consult", "zh_opname"]\namount = 250.01\npopulation = 101'
    )
    tie = (
        'type = "collaboration"\ncontributors = { zvw = 0.5, gemeente = 0.5 }\n'
        'recipient = "vsv"\nfixed = 1000.01'
    )
    quality = (
        'type = "quality"\ncontributors = { zvw = 0.6, gemeente = 0.4 }\n'
        "recipients = { vk = 1 }\npool = 333.33\nscore = 1"
    )
    out = compute(toml(REGION, variant("pool", capitation, tie, quality, effects="")))
    assert_conserved(out)
    # 250.01 × 101 = 25,251.01 = 2,525,101 cents: × 0.6 = 1,515,060.6, × 0.4 = 1,010,040.4
    # -> LR gives the odd cent to zvw: 15,150.61 and 10,100.40
    assert comp(out, "pool", "zvw", "capitation") == (0, money("15150.61"))
    assert comp(out, "pool", "gemeente", "capitation") == (0, money("10100.40"))
    assert comp(out, "pool", "vsv", "capitation") == (money("25251.01"), 0)
    # 1,000.01 at 0.5 / 0.5: 50,000.5 cents each, a tie -> the cent to "gemeente" (first id)
    assert comp(out, "pool", "gemeente", "collaboration") == (0, money("500.01"))
    assert comp(out, "pool", "zvw", "collaboration") == (0, money("500.00"))
    # quality 333.33 = 33,333 cents: 19,999.8 / 13,333.2 -> 199.99 (zvw rem .8 +1 = 200.00), 133.33
    assert comp(out, "pool", "zvw", "quality") == (0, money("200.00"))
    assert comp(out, "pool", "gemeente", "quality") == (0, money("133.33"))


def test_bundle_and_availability_without_contractor_split_every_payer_flow(compute):
    text = toml(
        REGION,
        """
        [availability.acuut]
        party = "zh"
        annual_cost = 10000.01
        """,
        variant(
            "samen",
            'type = "bundle"\ncontributors = { zvw = 0.75, gemeente = 0.25 }\n'
            'scope = ["vk_consult", "zh_opname"]\nprofiles = ["p"]\nprice = 700.01',
            'type = "availability"\ncontributors = { zvw = 0.75, gemeente = 0.25 }\nstrip_tariffs = false',
            effects="",
        ),
    )
    out = compute(text)
    assert_conserved(out)
    # bundle 700.01 × 100 = 70,001.00 split by tariffs 20,000 : 50,000 (vk 2/7, zh 5/7):
    # vk 20,000.2857… -> 20,000.28, zh 50,000.714… -> 50,000.72 (LR);
    # each payer flow split 0.75 / 0.25: vk 2,000,028 cents -> 1,500,021 / 500,007;
    # zh 5,000,072 -> 3,750,054 / 1,250,018
    assert comp(out, "samen", "zvw", "bundle") == (0, money("52500.75"))  # 15,000.21 + 37,500.54
    assert comp(out, "samen", "gemeente", "bundle") == (0, money("17500.25"))  # 5,000.07 + 12,500.18
    # availability 10,000.01 = 1,000,001 cents: 750,000.75 / 250,000.25 -> 7,500.01 and 2,500.00
    assert comp(out, "samen", "zvw", "availability") == (0, money("7500.01"))
    assert comp(out, "samen", "gemeente", "availability") == (0, money("2500.00"))


# ================================================================ C. key `investment`


def test_shared_savings_key_investment(compute):
    key = (
        'type = "shared_savings"\nsharing_rate = 0.5\nrecipients = ["gemeente", "zh", "vk"]\n'
        'distribution = "{}"'
    )
    equal = (
        'type = "shared_savings"\nsharing_rate = 0.5\nrecipients = ["vk", "vsv"]\ndistribution = "investment"'
    )
    out = compute(
        toml(
            REGION,
            variant("investering", key.format("investment")),
            variant("bijdrage", key.format("contribution")),
            variant("gelijk", equal),
        )
    )
    assert_conserved(out)
    # S = 70,000 − 60,000 = 10,000, payout 5,000.00. Net decreases against mono:
    # gemeente −5,000 -> −10,000: 5,000; zh 50,000 -> 40,000: 10,000; vk 25,000 -> 30,000: 0
    # 500,000 cents × 5/15 = 166,666.67, × 10/15 = 333,333.33 -> LR: 1,666.67 and 3,333.33
    split = {r["party"]: r["amount"] for r in savings_row(out, "investering")["recipients"]}
    assert split == {"gemeente": money("1666.67"), "zh": money("3333.33"), "vk": money("0.00")}
    # `contribution` only counts lost revenue: the gemeente lost none, zh gets it all
    split = {r["party"]: r["amount"] for r in savings_row(out, "bijdrage")["recipients"]}
    assert split == {"gemeente": money("0.00"), "zh": money("5000.00"), "vk": money("0.00")}
    # nobody's net decreased (vk gained, vsv unchanged): equal, 2,500.00 each
    split = {r["party"]: r["amount"] for r in savings_row(out, "gelijk")["recipients"]}
    assert split == {"vk": money("2500.00"), "vsv": money("2500.00")}
