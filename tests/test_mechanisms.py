"""Hand-computed acceptance tests for every mechanism (SCENARIO.md §3–5).

Every expected number below is worked out by hand from the text of
`shared/spec/SCENARIO.md` and `docs/semantics.md`; the arithmetic sits in a comment next
to the value. The tests talk only to the JSON output of `bekostiging compare` (CLI.md).

Conventions used in the comments:
  units = clients × path;  payer part = tariff − copay;
  "LR" = largest remainder on cents, ties to the party id that sorts first.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from decimal import Decimal
from typing import Any

from conftest import money, row

# ---------------------------------------------------------------- helpers


def toml(*parts: str) -> str:
    """Glue TOML snippets that are each indented in their own way."""
    return "".join(textwrap.dedent(p).strip("\n") + "\n\n" for p in parts)


def assert_conserved(out: dict[str, Any]) -> None:
    """SCENARIO.md §5: for every variant the nets of all parties add up to exactly 0.00."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in out["results"]:
        totals[r["variant"]] += Decimal(r["net"])
    assert totals, "no results"
    for variant, total in totals.items():
        assert total == 0, f"nets of {variant} add up to {total}, not 0"


def net(out: dict[str, Any], variant: str, party: str) -> Decimal:
    return row(out["results"], variant=variant, party=party)["net"]


def res(out: dict[str, Any], variant: str, party: str) -> dict[str, Any]:
    return row(out["results"], variant=variant, party=party)


def comp(out: dict[str, Any], variant: str, party: str, component: str) -> tuple[Decimal, Decimal]:
    """(revenue, payments) of one component; (0, 0) when the table has no such row."""
    found = [
        r
        for r in out["components"]
        if r["variant"] == variant and r["party"] == party and r["component"] == component
    ]
    assert len(found) <= 1
    if not found:
        return Decimal(0), Decimal(0)
    return Decimal(found[0]["revenue"]), Decimal(found[0]["payments"])


def nets(out: dict[str, Any], variant: str) -> dict[str, Decimal]:
    return {r["party"]: r["net"] for r in out["results"] if r["variant"] == variant}


def savings_row(out: dict[str, Any], variant: str) -> dict[str, Any]:
    return row(out["shared_savings"], variant=variant)


def recipients(ss_row: dict[str, Any]) -> dict[str, Decimal]:
    return {r["party"]: Decimal(r["amount"]) for r in ss_row["recipients"]}


# ================================================================ 1. fee-for-service

FFS = """
[scenario]
name = "Fee-for-service"
baseline = "mono"
client = "client"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.gemeente]
role = "payer"
[parties.client]
role = "client"
[parties.kraamzorg]
role = "provider"

[activities.kz_uur]
provider = "kraamzorg"          # no payer: scenario.default_payer
tariff = 62.40
copay = 5.10
[activities.wijkcoach]
provider = "kraamzorg"
payer = "gemeente"
tariff = 30.00

[profiles.standaard]
clients = 10
[profiles.standaard.path]
kz_uur = 4
wijkcoach = 2

[variants.mono]
name = "Monodisciplinair"
"""


def test_fee_for_service_fee_and_copay_flows(compute):
    out = compute(toml(FFS))
    # kz_uur: units 10 × 4 = 40
    assert comp(out, "mono", "kraamzorg", "copay") == (money("204.00"), 0)  # 40 × 5.10
    # fee: 40 × (62.40 − 5.10) = 40 × 57.30 = 2292.00 (zvw)
    #      + wijkcoach 10 × 2 × 30.00 = 600.00 (gemeente)
    assert comp(out, "mono", "kraamzorg", "fee") == (money("2892.00"), 0)  # 2292.00 + 600.00
    # payer default: kz_uur has no payer -> scenario.default_payer
    assert comp(out, "mono", "zorgverzekeraar", "fee") == (0, money("2292.00"))  # 40 × 57.30
    # explicit payer: wijkcoach is paid by gemeente
    assert comp(out, "mono", "gemeente", "fee") == (0, money("600.00"))  # 20 × 30.00
    assert comp(out, "mono", "client", "copay") == (0, money("204.00"))  # 40 × 5.10

    assert net(out, "mono", "zorgverzekeraar") == money("-2292.00")
    assert net(out, "mono", "gemeente") == money("-600.00")
    assert net(out, "mono", "client") == money("-204.00")
    assert net(out, "mono", "kraamzorg") == money("3096.00")  # 2292.00 + 600.00 + 204.00
    k = res(out, "mono", "kraamzorg")
    assert k["revenue"] == money("3096.00") and k["payments"] == 0
    assert_conserved(out)  # −2292 − 600 − 204 + 3096 = 0


def test_fee_for_service_rounds_each_flow_half_even(compute):
    text = toml(
        """
        [scenario]
        name = "Afronding"
        baseline = "mono"
        default_payer = "zorgverzekeraar"

        [parties.zorgverzekeraar]
        role = "payer"
        [parties.verloskundigen]
        role = "provider"

        [activities.consult]
        provider = "verloskundigen"
        tariff = 10.01

        [profiles.een]
        clients = 1
        path = { consult = 0.5 }
        [profiles.twee]
        clients = 1
        path = { consult = 1.5 }
        [profiles.drie]
        clients = 1
        path = { consult = 2.5 }

        [variants.mono]
        name = "Monodisciplinair"
        """
    )
    out = compute(text, "--table", "ledger")
    fee = {
        r["profile"]: r["amount"] for r in out["ledger"] if r["variant"] == "mono" and r["component"] == "fee"
    }
    assert fee["een"] == money("5.00")  # 0.5 × 10.01 = 5.005 -> half-even 5.00 (0 is even)
    assert fee["twee"] == money("15.02")  # 1.5 × 10.01 = 15.015 -> 15.02 (1 is odd: up)
    assert fee["drie"] == money("25.02")  # 2.5 × 10.01 = 25.025 -> 25.02 (2 is even: stays)
    # rounded per flow, then summed: 5.00 + 15.02 + 25.02 = 45.04
    assert net(out, "mono", "verloskundigen") == money("45.04")
    assert net(out, "mono", "zorgverzekeraar") == money("-45.04")
    assert_conserved(out)


# ================================================================ 2. bundle

BUNDLE_BASE = """
[scenario]
name = "Integrale bekostiging"
baseline = "mono"
client = "client"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.client]
role = "client"
[parties.igo]
role = "network"
[parties.verloskundigen]
role = "provider"
[parties.kraamzorg]
role = "provider"

[activities.vk_controle]
provider = "verloskundigen"
tariff = 100.00
[activities.kz_uur]
provider = "kraamzorg"
tariff = 60.00
copay = 5.00

[profiles.ongecompliceerd]
clients = 10
[profiles.ongecompliceerd.path]
vk_controle = 2
kz_uur = 10

[variants.mono]
name = "Monodisciplinair"
"""


def test_bundle_budget_neutral_with_contractor_overhead_and_tariffs(compute):
    text = toml(
        BUNDLE_BASE,
        """
        [variants.integraal]
        name = "Integraal, meer cliënten, minder kraamzorg"
        effects = [
            { op = "set", path = "profiles.ongecompliceerd.clients", value = 12 },
            { op = "scale", path = "profiles.ongecompliceerd.path.kz_uur", factor = 0.8 },
        ]
        [[variants.integraal.mechanisms]]
        type = "bundle"
        payer = "zorgverzekeraar"
        contractor = "igo"
        price = "budget_neutral"
        adjust = -0.02
        overhead = 0.02
        distribution = "tariffs"
        """,
    )
    out = compute(text)
    # baseline: vk 20 × 100.00 = 2000.00; kz 100 units: fee 100 × 55.00 = 5500.00, copay 500.00
    assert net(out, "mono", "zorgverzekeraar") == money("-7500.00")  # 2000 + 5500
    assert net(out, "mono", "kraamzorg") == money("6000.00")  # 5500 + 500

    # price: counterfactual path of one client: 2 × 100.00 + 10 × (60.00 − 5.00) = 750.00
    #        750.00 × (1 − 0.02) = 735.00
    # bundle: 735.00 × 12 clients (this variant's clients) = 8820.00
    assert comp(out, "integraal", "zorgverzekeraar", "bundle") == (0, money("8820.00"))
    assert comp(out, "integraal", "igo", "bundle") == (money("8820.00"), 0)
    # overhead 0.02 × 8820.00 = 176.40 kept by igo; D = 8820.00 − 176.40 = 8643.60
    assert net(out, "integraal", "igo") == money("176.40")
    assert comp(out, "integraal", "igo", "distribution") == (0, money("8643.60"))
    # weights (this variant's units): vk 12 × 2 = 24 × 100.00 = 2400.00
    #                                 kz 12 × 8 = 96 × 55.00 = 5280.00; total 7680.00
    # vk 8643.60 × 2400/7680 = 2701.125; kz 8643.60 × 5280/7680 = 5942.475
    # LR: floors 2701.12 + 5942.47 = 8643.59, 1 cent left, remainders tie (0.5 cent each)
    #     -> to "kraamzorg" (sorts before "verloskundigen")
    assert comp(out, "integraal", "verloskundigen", "distribution") == (money("2701.12"), 0)
    assert comp(out, "integraal", "kraamzorg", "distribution") == (money("5942.48"), 0)
    # copay of in-scope kz_uur still flows client -> kraamzorg: 96 × 5.00 = 480.00
    assert comp(out, "integraal", "kraamzorg", "copay") == (money("480.00"), 0)
    assert comp(out, "integraal", "kraamzorg", "fee") == (0, 0)  # covered by the bundle

    assert net(out, "integraal", "zorgverzekeraar") == money("-8820.00")
    assert net(out, "integraal", "client") == money("-480.00")
    assert net(out, "integraal", "verloskundigen") == money("2701.12")
    assert net(out, "integraal", "kraamzorg") == money("6422.48")  # 5942.48 + 480.00
    assert_conserved(out)  # 176.40 + 2701.12 + 6422.48 = 9300.00 = 8820.00 + 480.00


def test_bundle_without_contractor_rounds_price_before_adjust(compute):
    text = toml(
        """
        [scenario]
        name = "Bundel zonder hoofdaannemer"
        baseline = "mono"
        client = "client"
        default_payer = "zorgverzekeraar"

        [parties.zorgverzekeraar]
        role = "payer"
        [parties.client]
        role = "client"
        [parties.verloskundigen]
        role = "provider"
        [parties.kraamzorg]
        role = "provider"

        [activities.vk_controle]
        provider = "verloskundigen"
        tariff = 200.03
        [activities.vk_echo]
        provider = "verloskundigen"
        tariff = 80.00
        copay = 10.00
        [activities.kz_uur]
        provider = "kraamzorg"
        tariff = 60.00
        copay = 5.00

        [profiles.laag]
        clients = 10
        [profiles.laag.path]
        vk_controle = 0.5
        vk_echo = 1
        kz_uur = 10

        [variants.mono]
        name = "Monodisciplinair"

        [variants.zonder]
        name = "Bundel verloskunde, zonder hoofdaannemer"
        [[variants.zonder.mechanisms]]
        type = "bundle"
        payer = "zorgverzekeraar"
        scope = ["vk_*"]
        price = "budget_neutral"
        adjust = -0.10
        distribution = "tariffs"
        """
    )
    out = compute(text)
    # baseline vk: fee 5 × 200.03 = 1000.15 + echo 10 × (80 − 10) = 700.00 -> 1700.15
    #             copay 10 × 10.00 = 100.00
    assert net(out, "mono", "verloskundigen") == money("1800.15")
    # price: 0.5 × 200.03 + 1 × (80.00 − 10.00) = 100.015 + 70 = 170.015 -> 170.02 (half-even)
    #        170.02 × 0.90 = 153.018 -> 153.02
    #        (not rounding first would give 170.015 × 0.9 = 153.0135 -> 153.01)
    # bundle total: 153.02 × 10 = 1530.20; no contractor: D = 1530.20, split payer -> provider;
    # only vk has in-scope activities, so vk gets all of it as `bundle`
    assert comp(out, "zonder", "verloskundigen", "bundle") == (money("1530.20"), 0)
    assert comp(out, "zonder", "zorgverzekeraar", "bundle") == (0, money("1530.20"))
    assert comp(out, "zonder", "verloskundigen", "distribution") == (0, 0)
    # copay of the in-scope echo still flows: 10 × 10.00 = 100.00
    assert comp(out, "zonder", "verloskundigen", "copay") == (money("100.00"), 0)
    assert comp(out, "zonder", "verloskundigen", "fee") == (0, 0)
    # kraamzorg is out of scope: fee-for-service, 100 × 55.00 = 5500.00 + copay 500.00
    assert comp(out, "zonder", "kraamzorg", "fee") == (money("5500.00"), 0)
    assert net(out, "zonder", "kraamzorg") == money("6000.00")
    assert net(out, "zonder", "verloskundigen") == money("1630.20")  # 1530.20 + 100.00
    assert net(out, "zonder", "zorgverzekeraar") == money("-7030.20")  # 1530.20 + 5500.00
    assert net(out, "zonder", "client") == money("-600.00")  # 100.00 + 500.00
    assert_conserved(out)


PRICE_TABLE = """
[scenario]
name = "Cliëntprofielen"
baseline = "mono"
client = "client"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.client]
role = "client"
[parties.igo]
role = "network"
[parties.verloskundigen]
role = "provider"
[parties.kraamzorg]
role = "provider"

[activities.vk_controle]
provider = "verloskundigen"
tariff = 100.00
cost = 35.00
[activities.kz_uur]
provider = "kraamzorg"
tariff = 60.00
copay = 5.00
cost = 16.00

[profiles.laag]
clients = 10
path = { vk_controle = 1, kz_uur = 10 }
[profiles.hoog]
clients = 2
path = { vk_controle = 3, kz_uur = 20 }

[variants.mono]
name = "Monodisciplinair"

[variants.tabel]
name = "Prijs per profiel, verdeling naar kosten"
[[variants.tabel.mechanisms]]
type = "bundle"
payer = "zorgverzekeraar"
contractor = "igo"
price = { laag = 700.00, hoog = 1500.00 }
overhead = 0.01
distribution = "cost"

[variants.vast]
name = "Vaste prijs, vaste verdeelsleutel"
[[variants.vast.mechanisms]]
type = "bundle"
payer = "zorgverzekeraar"
contractor = "igo"
price = 800.00
overhead = 0.05
distribution = { verloskundigen = 0.3, kraamzorg = 0.7 }
"""


def test_bundle_price_table_and_cost_distribution(compute):
    out = compute(toml(PRICE_TABLE))
    # units: vk 10 × 1 + 2 × 3 = 16; kz 10 × 10 + 2 × 20 = 140
    # bundle: 700.00 × 10 + 1500.00 × 2 = 7000.00 + 3000.00 = 10000.00
    assert comp(out, "tabel", "zorgverzekeraar", "bundle") == (0, money("10000.00"))
    # overhead 0.01 × 10000.00 = 100.00; D = 9900.00
    assert net(out, "tabel", "igo") == money("100.00")
    # cost weights: vk 16 × 35.00 = 560.00; kz 140 × 16.00 = 2240.00; total 2800.00
    # vk 9900.00 × 560/2800 = 1980.00; kz 9900.00 × 2240/2800 = 7920.00
    # (the "tariffs" key would give 1600 : 7700 instead)
    assert comp(out, "tabel", "verloskundigen", "distribution") == (money("1980.00"), 0)
    assert comp(out, "tabel", "kraamzorg", "distribution") == (money("7920.00"), 0)
    assert comp(out, "tabel", "kraamzorg", "copay") == (money("700.00"), 0)  # 140 × 5.00
    assert net(out, "tabel", "kraamzorg") == money("8620.00")  # 7920.00 + 700.00
    assert net(out, "tabel", "zorgverzekeraar") == money("-10000.00")
    assert net(out, "tabel", "client") == money("-700.00")
    assert_conserved(out)  # 100 + 1980 + 8620 = 10700 = 10000 + 700


def test_bundle_fixed_price_and_fixed_share_table(compute):
    out = compute(toml(PRICE_TABLE))
    # price a number: 800.00 per client × (10 + 2) clients = 9600.00
    assert comp(out, "vast", "igo", "bundle") == (money("9600.00"), 0)
    # overhead 0.05 × 9600.00 = 480.00; D = 9120.00
    assert net(out, "vast", "igo") == money("480.00")
    # vk 0.3 × 9120 = 2736.00; kz 0.7 × 9120 = 6384.00
    assert comp(out, "vast", "verloskundigen", "distribution") == (money("2736.00"), 0)
    assert comp(out, "vast", "kraamzorg", "distribution") == (money("6384.00"), 0)
    assert net(out, "vast", "kraamzorg") == money("7084.00")  # 6384.00 + copay 700.00
    assert net(out, "vast", "zorgverzekeraar") == money("-9600.00")
    assert_conserved(out)


# ================================================================ 3. capitation


def test_capitation_amount_times_population_overhead_distribution(compute):
    text = toml(
        BUNDLE_BASE,
        """
        [variants.populatie]
        name = "Populatiebekostiging"
        [[variants.populatie.mechanisms]]
        type = "capitation"
        payer = "zorgverzekeraar"
        contractor = "igo"
        amount = 0.75
        population = 10000
        overhead = 0.04
        distribution = "tariffs"
        """,
    )
    out = compute(text)
    # capitation: 0.75 × 10000 = 7500.00
    assert comp(out, "populatie", "zorgverzekeraar", "capitation") == (0, money("7500.00"))
    assert comp(out, "populatie", "igo", "capitation") == (money("7500.00"), 0)
    # overhead 0.04 × 7500.00 = 300.00; D = 7200.00
    assert net(out, "populatie", "igo") == money("300.00")
    # weights: vk 20 × 100.00 = 2000.00; kz 100 × 55.00 = 5500.00; total 7500.00
    assert comp(out, "populatie", "verloskundigen", "distribution") == (
        money("1920.00"),  # 7200 × 2000/7500
        0,
    )
    assert comp(out, "populatie", "kraamzorg", "distribution") == (
        money("5280.00"),  # 7200 × 5500/7500
        0,
    )
    assert comp(out, "populatie", "kraamzorg", "fee") == (0, 0)
    assert net(out, "populatie", "kraamzorg") == money("5780.00")  # 5280 + copay 100 × 5.00
    assert net(out, "populatie", "client") == money("-500.00")
    assert net(out, "populatie", "zorgverzekeraar") == money("-7500.00")
    assert_conserved(out)


# ================================================================ 4. availability

AVAILABILITY = """
[scenario]
name = "Beschikbaarheid"
baseline = "mono"
client = "client"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.client]
role = "client"
[parties.ziekenhuis]
role = "provider"
[parties.verloskundigen]
role = "provider"

[activities.sectio]
provider = "ziekenhuis"
tariff = 3000.00
copay = 100.00
availability_share = 0.2
[activities.poli]
provider = "ziekenhuis"
tariff = 100.00
copay = 90.00
availability_share = 0.2
[activities.vk_controle]
provider = "verloskundigen"
tariff = 100.00

[availability.acute_verloskunde]
party = "ziekenhuis"
annual_cost = 300000
[availability.neonatologie]
party = "ziekenhuis"
annual_cost = 100000

[profiles.standaard]
clients = 100
[profiles.standaard.path]
sectio = 0.5
poli = 1
vk_controle = 2

[variants.mono]
name = "Monodisciplinair"

[variants.beschikbaarheid]
name = "Beschikbaarheidsbekostiging"
[[variants.beschikbaarheid.mechanisms]]
type = "availability"
payer = "zorgverzekeraar"
funding = 0.95

[variants.minder_sectio]
name = "Minder sectio's, fee-for-service"
effects = [ { op = "scale", path = "profiles.standaard.path.sectio", factor = 0.5 } ]
"""


def test_availability_flow_and_stripped_tariffs(compute):
    out = compute(toml(AVAILABILITY))
    # units: sectio 100 × 0.5 = 50; poli 100; vk_controle 200
    # baseline: sectio fee 50 × (3000 − 100) = 145000.00, copay 5000.00
    #           poli fee 100 × (100 − 90) = 1000.00, copay 9000.00; vk 200 × 100 = 20000.00
    assert net(out, "mono", "zorgverzekeraar") == money("-166000.00")  # 145000 + 1000 + 20000
    assert net(out, "mono", "ziekenhuis") == money("160000.00")  # 145000 + 5000 + 1000 + 9000

    # availability flows: 300000 × 0.95 + 100000 × 0.95 = 285000.00 + 95000.00
    assert comp(out, "beschikbaarheid", "ziekenhuis", "availability") == (money("380000.00"), 0)
    # stripped: sectio 3000 × (1 − 0.2) = 2400; payer part 2400 − 100 = 2300; 50 × 2300
    #           poli 100 × 0.8 = 80; payer part max(0, 80 − 90) = 0 -> no fee
    assert comp(out, "beschikbaarheid", "ziekenhuis", "fee") == (money("115000.00"), 0)
    # co-payments unchanged: 50 × 100.00 + 100 × 90.00 = 5000.00 + 9000.00
    assert comp(out, "beschikbaarheid", "ziekenhuis", "copay") == (money("14000.00"), 0)
    # verloskundigen are no function party: not stripped
    assert net(out, "beschikbaarheid", "verloskundigen") == money("20000.00")
    # zvw: 380000 + 115000 + 20000 = 515000.00
    assert net(out, "beschikbaarheid", "zorgverzekeraar") == money("-515000.00")
    assert net(out, "beschikbaarheid", "ziekenhuis") == money("509000.00")  # 380000+115000+14000
    assert_conserved(out)


def test_availability_coverage_table(compute):
    out = compute(toml(AVAILABILITY))
    av = out["availability"]
    # mono: embedded at ziekenhuis = 0.2 × 3000 × 50 + 0.2 × 100 × 100 = 30000 + 2000 = 32000.00
    #       split pro rata annual_cost 300000 : 100000 -> 24000.00 : 8000.00
    a = row(av, variant="mono", function="acute_verloskunde")
    assert a["party"] == "ziekenhuis"
    assert a["annual_cost"] == money("300000.00")
    assert a["embedded"] == money("24000.00")
    assert a["separate"] == 0
    assert a["coverage"] == Decimal("0.0800")  # 24000 / 300000
    assert a["gap"] == money("276000.00")  # 300000 − 24000 − 0
    n = row(av, variant="mono", function="neonatologie")
    assert n["embedded"] == money("8000.00")
    assert n["coverage"] == Decimal("0.0800")  # 8000 / 100000
    assert n["gap"] == money("92000.00")

    # stripped variant: embedded 0; separate = the availability flow
    a = row(av, variant="beschikbaarheid", function="acute_verloskunde")
    assert a["embedded"] == 0
    assert a["separate"] == money("285000.00")  # 300000 × 0.95
    assert a["coverage"] == Decimal("0.9500")  # (0 + 285000) / 300000
    assert a["gap"] == money("15000.00")  # 300000 − 0 − 285000
    n = row(av, variant="beschikbaarheid", function="neonatologie")
    assert n["separate"] == money("95000.00")
    assert n["coverage"] == Decimal("0.9500")
    assert n["gap"] == money("5000.00")

    # fewer caesareans under fee-for-service: sectio units 100 × 0.25 = 25
    # embedded = 0.2 × 3000 × 25 + 0.2 × 100 × 100 = 15000 + 2000 = 17000.00 -> 12750 : 4250
    a = row(av, variant="minder_sectio", function="acute_verloskunde")
    assert a["embedded"] == money("12750.00")
    assert a["separate"] == 0
    assert a["coverage"] == Decimal("0.0425")  # 12750 / 300000: falls from 0.0800
    assert a["gap"] == money("287250.00")
    n = row(av, variant="minder_sectio", function="neonatologie")
    assert n["embedded"] == money("4250.00")
    assert n["coverage"] == Decimal("0.0425")  # 4250 / 100000
    assert n["gap"] == money("95750.00")
    assert_conserved(out)


# ================================================================ 5. collaboration


def test_collaboration_fixed_plus_per_client(compute):
    text = toml(
        """
        [scenario]
        name = "Samenwerking"
        baseline = "mono"
        default_payer = "zorgverzekeraar"

        [parties.zorgverzekeraar]
        role = "payer"
        [parties.vsv]
        role = "network"
        [parties.verloskundigen]
        role = "provider"

        [activities.vk_controle]
        provider = "verloskundigen"
        tariff = 100.00

        [profiles.laag]
        clients = 10
        path = { vk_controle = 1 }
        [profiles.hoog]
        clients = 5
        path = { vk_controle = 2 }

        [variants.mono]
        name = "Monodisciplinair"

        [variants.samen]
        name = "VSV-financiering, alle cliënten"
        [[variants.samen.mechanisms]]
        type = "collaboration"
        payer = "zorgverzekeraar"
        recipient = "vsv"
        fixed = 10000
        per_client = 12.50

        [variants.samen_hoog]
        name = "VSV-financiering, alleen hoog"
        [[variants.samen_hoog.mechanisms]]
        type = "collaboration"
        recipient = "vsv"
        fixed = 10000
        per_client = 12.50
        profiles = ["hoog"]
        """
    )
    out = compute(text)
    # FFS: vk 10 × 1 + 5 × 2 = 20 units × 100.00 = 2000.00 in every variant
    # all clients: 10000 + 12.50 × (10 + 5) = 10000 + 187.50
    assert comp(out, "samen", "vsv", "collaboration") == (money("10187.50"), 0)
    assert net(out, "samen", "zorgverzekeraar") == money("-12187.50")  # 2000 + 10187.50
    # profiles subset: 10000 + 12.50 × 5 = 10062.50 (payer defaults to zorgverzekeraar)
    assert comp(out, "samen_hoog", "vsv", "collaboration") == (money("10062.50"), 0)
    assert comp(out, "samen_hoog", "zorgverzekeraar", "collaboration") == (0, money("10062.50"))
    assert net(out, "samen_hoog", "verloskundigen") == money("2000.00")
    assert net(out, "mono", "vsv") == 0
    assert_conserved(out)


# ================================================================ 6. quality

QUALITY = toml(
    BUNDLE_BASE,
    """
    [variants.kwaliteit]
    name = "Kwaliteitspot, boven de drempel"
    [[variants.kwaliteit.mechanisms]]
    type = "quality"
    payer = "zorgverzekeraar"
    recipients = { verloskundigen = 0.4, kraamzorg = 0.6 }
    pool = 1000.00
    score = 0.8
    threshold = 0.7

    [variants.gelijk]
    name = "Score precies op de drempel"
    [[variants.gelijk.mechanisms]]
    type = "quality"
    recipients = { verloskundigen = 0.4, kraamzorg = 0.6 }
    pool = 1000.00
    score = 0.7
    threshold = 0.7

    [variants.onder]
    name = "Score onder de drempel"
    [[variants.onder.mechanisms]]
    type = "quality"
    recipients = { verloskundigen = 0.4, kraamzorg = 0.6 }
    pool = 1000.00
    score = 0.6
    threshold = 0.7

    [variants.naar_omzet]
    name = "Pool als deel van de uitgaven, naar omzet"
    [[variants.naar_omzet.mechanisms]]
    type = "quality"
    payer = "zorgverzekeraar"
    recipients = "tariffs"
    pool_rate = 0.10
    score = 0.9
    """,
)


def test_quality_pool_times_score_above_and_at_threshold(compute):
    out = compute(QUALITY)
    # FFS as baseline: vk 2000.00; kz fee 5500.00 + copay 500.00; zvw −7500.00
    # paid: 1000.00 × 0.8 = 800.00 (0.8 >= 0.7) -> vk 0.4 × 800 = 320.00, kz 0.6 × 800 = 480.00
    assert comp(out, "kwaliteit", "verloskundigen", "quality") == (money("320.00"), 0)
    assert comp(out, "kwaliteit", "kraamzorg", "quality") == (money("480.00"), 0)
    assert comp(out, "kwaliteit", "zorgverzekeraar", "quality") == (0, money("800.00"))
    assert net(out, "kwaliteit", "zorgverzekeraar") == money("-8300.00")  # 7500 + 800
    assert net(out, "kwaliteit", "kraamzorg") == money("6480.00")  # 5500 + 500 + 480
    # score == threshold counts: 1000.00 × 0.7 = 700.00 -> 280.00 : 420.00
    assert comp(out, "gelijk", "verloskundigen", "quality") == (money("280.00"), 0)
    assert comp(out, "gelijk", "kraamzorg", "quality") == (money("420.00"), 0)
    assert_conserved(out)


def test_quality_below_threshold_pays_nothing(compute):
    out = compute(QUALITY)
    # 0.6 < 0.7: nothing paid, every net as in the baseline
    assert comp(out, "onder", "zorgverzekeraar", "quality") == (0, 0)
    assert nets(out, "onder") == nets(out, "mono")
    assert res(out, "onder", "verloskundigen")["delta"] == 0


def test_quality_pool_rate_and_tariffs_recipients(compute):
    out = compute(QUALITY)
    # payer's spend so far: 2000.00 + 5500.00 = 7500.00; pool 0.10 × 7500 = 750.00
    # paid 750.00 × 0.9 = 675.00
    assert comp(out, "naar_omzet", "zorgverzekeraar", "quality") == (0, money("675.00"))
    # "tariffs": pro rata revenue so far: vk 2000.00; kz 5500.00 + 500.00 copay = 6000.00
    # vk 675 × 2000/8000 = 168.75; kz 675 × 6000/8000 = 506.25
    assert comp(out, "naar_omzet", "verloskundigen", "quality") == (money("168.75"), 0)
    assert comp(out, "naar_omzet", "kraamzorg", "quality") == (money("506.25"), 0)
    assert net(out, "naar_omzet", "zorgverzekeraar") == money("-8175.00")
    assert_conserved(out)


# ================================================================ 7. refill


def test_refill_freed_capacity_summed_over_profiles(compute):
    text = toml(
        """
        [scenario]
        name = "Opvulzorg"
        baseline = "mono"
        default_payer = "zorgverzekeraar"

        [parties.zorgverzekeraar]
        role = "payer"
        [parties.gemeente]
        role = "payer"
        [parties.ziekenhuis]
        role = "provider"

        [activities.sectio]
        provider = "ziekenhuis"
        tariff = 3000.00
        [activities.poli]
        provider = "ziekenhuis"
        tariff = 150.00

        [profiles.laag]
        clients = 100
        path = { sectio = 0.2, poli = 2 }
        [profiles.hoog]
        clients = 50
        path = { sectio = 0.1 }

        [variants.mono]
        name = "Monodisciplinair"

        [variants.minder]
        name = "Minder sectio's, capaciteit opgevuld"
        effects = [
            { op = "scale", path = "profiles.laag.path.sectio", factor = 0.5 },
            { op = "set", path = "profiles.hoog.path.sectio", value = 0.2 },
            { op = "scale", path = "profiles.laag.path.poli", factor = 1.25 },
            { op = "refill", party = "ziekenhuis", rate = 0.6 },
        ]

        [variants.minder_gemeente]
        name = "Idem, opvulling betaald door de gemeente"
        effects = [
            { op = "scale", path = "profiles.laag.path.sectio", factor = 0.5 },
            { op = "set", path = "profiles.hoog.path.sectio", value = 0.2 },
            { op = "scale", path = "profiles.laag.path.poli", factor = 1.25 },
            { op = "refill", party = "ziekenhuis", rate = 0.1, payer = "gemeente" },
        ]
        """
    )
    out = compute(text)
    # counterfactual units: sectio 100 × 0.2 + 50 × 0.1 = 25; poli 100 × 2 = 200
    # variant units:        sectio 100 × 0.1 + 50 × 0.2 = 20; poli 100 × 2.5 = 250
    # freed = 3000 × max(0, 25 − 20) + 150 × max(0, 200 − 250) = 15000 + 0 = 15000.00
    # (per profile it would have been 3000 × 10 = 30000: the units are summed first)
    # refill: 0.6 × 15000 = 9000.00, default payer zorgverzekeraar
    assert comp(out, "minder", "ziekenhuis", "refill") == (money("9000.00"), 0)
    assert comp(out, "minder", "zorgverzekeraar", "refill") == (0, money("9000.00"))
    # FFS: sectio 20 × 3000 = 60000.00; poli 250 × 150 = 37500.00
    assert net(out, "minder", "ziekenhuis") == money("106500.00")  # 60000 + 37500 + 9000
    # baseline: 25 × 3000 + 200 × 150 = 75000 + 30000 = 105000.00
    assert net(out, "mono", "ziekenhuis") == money("105000.00")
    assert res(out, "minder", "ziekenhuis")["delta"] == money("1500.00")  # 106500 − 105000
    # explicit payer: 0.1 × 15000 = 1500.00 paid by gemeente
    assert comp(out, "minder_gemeente", "gemeente", "refill") == (0, money("1500.00"))
    assert comp(out, "minder_gemeente", "zorgverzekeraar", "refill") == (0, 0)
    assert net(out, "minder_gemeente", "gemeente") == money("-1500.00")
    assert_conserved(out)


# ================================================================ 8. revenue guarantee


def test_revenue_guarantee_tops_up_to_the_floor_only(compute):
    text = toml(
        """
        [scenario]
        name = "Omzetgarantie"
        baseline = "mono"
        default_payer = "zorgverzekeraar"

        [parties.zorgverzekeraar]
        role = "payer"
        [parties.ziekenhuis]
        role = "provider"
        [parties.verloskundigen]
        role = "provider"

        [activities.sectio]
        provider = "ziekenhuis"
        tariff = 3000.00
        [activities.vk_controle]
        provider = "verloskundigen"
        tariff = 100.00

        [profiles.standaard]
        clients = 100
        path = { sectio = 0.2, vk_controle = 2 }

        [variants.mono]
        name = "Monodisciplinair"

        [variants.garantie]
        name = "Minder sectio's met omzetgarantie"
        effects = [ { op = "scale", path = "profiles.standaard.path.sectio", factor = 0.5 } ]
        [[variants.garantie.mechanisms]]
        type = "revenue_guarantee"
        party = "ziekenhuis"
        floor = 0.9
        [[variants.garantie.mechanisms]]
        type = "revenue_guarantee"
        payer = "zorgverzekeraar"
        party = "verloskundigen"
        floor = 0.9
        """
    )
    out = compute(text)
    # R0 ziekenhuis = 20 × 3000 = 60000.00; R = 10 × 3000 = 30000.00
    # guarantee = max(0, 0.9 × 60000 − 30000) = 24000.00
    assert comp(out, "garantie", "ziekenhuis", "guarantee") == (money("24000.00"), 0)
    assert net(out, "garantie", "ziekenhuis") == money("54000.00")  # 30000 + 24000
    # verloskundigen: R = R0 = 200 × 100 = 20000 > 0.9 × 20000 -> nothing
    assert comp(out, "garantie", "verloskundigen", "guarantee") == (0, 0)
    assert net(out, "garantie", "verloskundigen") == money("20000.00")
    assert net(out, "garantie", "zorgverzekeraar") == money("-74000.00")  # 30000+20000+24000
    assert_conserved(out)


# ================================================================ 9. ceiling


def test_ceiling_with_and_without_party(compute):
    text = toml(
        """
        [scenario]
        name = "Omzetplafond"
        baseline = "mono"
        default_payer = "zorgverzekeraar"

        [parties.zorgverzekeraar]
        role = "payer"
        [parties.gemeente]
        role = "payer"
        [parties.ziekenhuis]
        role = "provider"
        [parties.verloskundigen]
        role = "provider"

        [activities.sectio]
        provider = "ziekenhuis"
        tariff = 3000.00
        [activities.nazorg]
        provider = "ziekenhuis"
        payer = "gemeente"
        tariff = 200.00
        [activities.vk_controle]
        provider = "verloskundigen"
        tariff = 100.00

        [profiles.standaard]
        clients = 10
        path = { sectio = 1, nazorg = 2, vk_controle = 3 }

        [variants.mono]
        name = "Monodisciplinair"

        [variants.plafond_zh]
        name = "Plafond voor het ziekenhuis"
        mechanisms = [ { type = "ceiling", amount = 25000, party = "ziekenhuis" } ]

        [variants.plafond_totaal]
        name = "Plafond op de totale uitgaven"
        mechanisms = [ { type = "ceiling", payer = "zorgverzekeraar", amount = 32000 } ]
        """
    )
    out = compute(text)
    # FFS: zh from zvw 10 × 3000 = 30000.00; zh from gemeente 20 × 200 = 4000.00;
    #      vk from zvw 30 × 100 = 3000.00
    # with a party: zh's inflows from zvw 30000 > 25000 -> clawback 5000.00 zh -> zvw
    # (its 4000.00 from gemeente do not count)
    assert comp(out, "plafond_zh", "ziekenhuis", "clawback") == (0, money("5000.00"))
    assert comp(out, "plafond_zh", "zorgverzekeraar", "clawback") == (money("5000.00"), 0)
    assert net(out, "plafond_zh", "ziekenhuis") == money("29000.00")  # 34000 − 5000
    assert net(out, "plafond_zh", "zorgverzekeraar") == money("-28000.00")  # 33000 − 5000
    assert net(out, "plafond_zh", "verloskundigen") == money("3000.00")

    # without a party: zvw net spend 33000 − 32000 = 1000.00 excess, pro rata inflows from zvw
    # zh 1000 × 30000/33000 = 909.0909..; vk 1000 × 3000/33000 = 90.9090..
    # LR: floors 909.09 + 90.90 = 999.99; remainders 0.09 vs 0.91 cent -> vk gets the cent
    assert comp(out, "plafond_totaal", "ziekenhuis", "clawback") == (0, money("909.09"))
    assert comp(out, "plafond_totaal", "verloskundigen", "clawback") == (0, money("90.91"))
    assert comp(out, "plafond_totaal", "gemeente", "clawback") == (0, 0)
    assert net(out, "plafond_totaal", "zorgverzekeraar") == money("-32000.00")
    assert net(out, "plafond_totaal", "ziekenhuis") == money("33090.91")  # 34000 − 909.09
    assert net(out, "plafond_totaal", "verloskundigen") == money("2909.09")  # 3000 − 90.91
    assert net(out, "plafond_totaal", "gemeente") == money("-4000.00")
    assert_conserved(out)


# ================================================================ 10. shared savings

SAVINGS_BASE = """
[scenario]
name = "Gedeelde besparingen"
baseline = "mono"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.vsv]
role = "network"
[parties.verloskundigen]
role = "provider"
[parties.kraamzorg]
role = "provider"
[parties.ziekenhuis]
role = "provider"

[activities.vk_controle]
provider = "verloskundigen"
tariff = 100.00
[activities.kz_uur]
provider = "kraamzorg"
tariff = 50.00
[activities.sectio]
provider = "ziekenhuis"
tariff = 3000.00

[profiles.standaard]
clients = 100
[profiles.standaard.path]
vk_controle = 10
kz_uur = 20
sectio = 0.2

[variants.mono]
name = "Monodisciplinair"
"""
# Baseline: vk 1000 × 100 = 100000.00; kz 2000 × 50 = 100000.00; zh 20 × 3000 = 60000.00
# B = 260000.00.
# With EFFECTS (kz_uur × 0.9 -> 1800 units = 90000.00; sectio × 0.5 -> 10 units = 30000.00):
# A = 100000 + 90000 + 30000 = 220000.00, S = 40000.00, savings_rate 40000/260000 = 0.1538
EFFECTS = (
    'effects = [ { op = "scale", path = "profiles.standaard.path.kz_uur", factor = 0.9 },'
    ' { op = "scale", path = "profiles.standaard.path.sectio", factor = 0.5 } ]'
)
# With EFFECTS_LOSS (sectio × 1.5 -> 30 units = 90000.00): A = 290000.00, S = −30000.00
EFFECTS_LOSS = 'effects = [ { op = "scale", path = "profiles.standaard.path.sectio", factor = 1.5 } ]'
RECIPIENTS = 'recipients = ["verloskundigen", "kraamzorg", "ziekenhuis"]'


def savings_variant(vid: str, body: str, effects: str = EFFECTS) -> str:
    return (
        f'[variants.{vid}]\nname = "{vid}"\n{effects}\n'
        f'[[variants.{vid}.mechanisms]]\ntype = "shared_savings"\npayer = "zorgverzekeraar"\n'
        f"{RECIPIENTS}\n{textwrap.dedent(body).strip()}\n"
    )


SAVINGS = toml(
    SAVINGS_BASE,
    savings_variant(
        "contributie",
        """
        benchmark = "baseline"
        min_savings_rate = 0.02
        sharing_rate = 0.5
        quality_score = 0.9
        cap = 0.10
        reinvest = 0.2
        network = "vsv"
        distribution = "contribution"
        """,
    ),
    savings_variant(
        "plafond",
        """
        sharing_rate = 0.5
        cap = 0.05
        distribution = "equal"
        """,
    ),
    savings_variant(
        "drempel",
        """
        min_savings_rate = 0.20
        sharing_rate = 0.5
        distribution = "equal"
        """,
    ),
    savings_variant(
        "poort",
        """
        sharing_rate = 0.5
        quality_score = 0.5
        quality_gate = 0.6
        distribution = "equal"
        """,
    ),
    savings_variant(
        "getal",
        """
        benchmark = 250000
        sharing_rate = 0.5
        distribution = "revenue"
        """,
    ),
    savings_variant(
        "tabel",
        """
        sharing_rate = 0.5
        distribution = { verloskundigen = 0.2, kraamzorg = 0.3, ziekenhuis = 0.5 }
        """,
    ),
    savings_variant(
        "niemand",
        """
        benchmark = 270000
        sharing_rate = 0.3
        distribution = "contribution"
        """,
        effects="",
    ),
    savings_variant(
        "verlies",
        """
        sharing_rate = 0.5
        loss_sharing_rate = 0.4
        min_loss_rate = 0.02
        loss_cap = 0.05
        reinvest = 0.2
        network = "vsv"
        distribution = "equal"
        """,
        effects=EFFECTS_LOSS,
    ),
)


def test_shared_savings_baseline_benchmark_reinvest_and_contribution(compute):
    out = compute(SAVINGS)
    s = savings_row(out, "contributie")
    assert s["payer"] == "zorgverzekeraar"
    assert s["benchmark"] == money("260000.00")  # baseline net spend
    assert s["actual"] == money("220000.00")  # 100000 + 90000 + 30000
    assert s["savings"] == money("40000.00")  # 260000 − 220000
    assert s["savings_rate"] == Decimal("0.1538")  # 40000 / 260000 = 0.153846..
    assert s["eligible"] is True  # 40000 >= 0.02 × 260000 = 5200; 0.9 >= gate 0
    # payout = min(40000 × 0.5 × 0.9, 0.10 × 260000) = min(18000, 26000) = 18000.00
    assert s["payout"] == money("18000.00")
    assert s["reinvested"] == money("3600.00")  # 0.2 × 18000
    assert comp(out, "contributie", "vsv", "reinvestment") == (money("3600.00"), 0)
    # rest 14400.00 by contribution: revenue decreases vk 0, kz 10000, zh 30000 (total 40000)
    # kz 14400 × 10000/40000 = 3600.00; zh 14400 × 30000/40000 = 10800.00
    rec = recipients(s)
    assert rec["kraamzorg"] == money("3600.00")
    assert rec["ziekenhuis"] == money("10800.00")
    assert rec.get("verloskundigen", 0) == 0
    assert comp(out, "contributie", "ziekenhuis", "shared_savings") == (money("10800.00"), 0)
    assert net(out, "contributie", "zorgverzekeraar") == money("-238000.00")  # 220000 + 18000
    assert net(out, "contributie", "kraamzorg") == money("93600.00")  # 90000 + 3600
    assert net(out, "contributie", "ziekenhuis") == money("40800.00")  # 30000 + 10800
    assert net(out, "contributie", "verloskundigen") == money("100000.00")
    assert_conserved(out)


def test_shared_savings_cap_and_equal_split_with_tie(compute):
    out = compute(SAVINGS)
    s = savings_row(out, "plafond")
    # payout = min(40000 × 0.5 × 1, 0.05 × 260000) = min(20000, 13000) = 13000.00
    assert s["eligible"] is True
    assert s["payout"] == money("13000.00")
    assert s["reinvested"] == 0
    # equal: 13000 / 3 = 4333.333.. each; LR: 1 cent left, three equal remainders
    # -> "kraamzorg" (first by id)
    rec = recipients(s)
    assert rec == {
        "kraamzorg": money("4333.34"),
        "verloskundigen": money("4333.33"),
        "ziekenhuis": money("4333.33"),
    }
    assert net(out, "plafond", "zorgverzekeraar") == money("-233000.00")  # 220000 + 13000
    assert net(out, "plafond", "kraamzorg") == money("94333.34")
    assert_conserved(out)


def test_shared_savings_below_min_savings_rate_or_quality_gate(compute):
    out = compute(SAVINGS)
    s = savings_row(out, "drempel")
    assert s["savings"] == money("40000.00")
    assert s["eligible"] is False  # 40000 < 0.20 × 260000 = 52000
    assert s["payout"] == 0
    assert s["reinvested"] == 0
    assert net(out, "drempel", "zorgverzekeraar") == money("-220000.00")
    g = savings_row(out, "poort")
    assert g["eligible"] is False  # quality_score 0.5 < quality_gate 0.6
    assert g["payout"] == 0
    assert nets(out, "poort") == nets(out, "drempel")
    assert comp(out, "poort", "zorgverzekeraar", "shared_savings") == (0, 0)
    assert_conserved(out)


def test_shared_savings_number_benchmark_and_revenue_key(compute):
    out = compute(SAVINGS)
    s = savings_row(out, "getal")
    assert s["benchmark"] == money("250000.00")
    assert s["savings"] == money("30000.00")  # 250000 − 220000
    assert s["savings_rate"] == Decimal("0.1200")  # 30000 / 250000
    assert s["payout"] == money("15000.00")  # 30000 × 0.5 × 1 (no cap)
    # revenue key: counterfactual inflows vk 100000, kz 100000, zh 60000 (total 260000)
    # vk = kz = 15000 × 100000/260000 = 5769.2307..; zh = 15000 × 60000/260000 = 3461.5384..
    # LR: floors 5769.23 + 5769.23 + 3461.53 = 14999.99; largest remainder zh (0.84 cent)
    assert recipients(s) == {
        "verloskundigen": money("5769.23"),
        "kraamzorg": money("5769.23"),
        "ziekenhuis": money("3461.54"),
    }
    assert net(out, "getal", "ziekenhuis") == money("33461.54")  # 30000 + 3461.54
    assert_conserved(out)


def test_shared_savings_share_table_and_all_zero_contribution(compute):
    out = compute(SAVINGS)
    s = savings_row(out, "tabel")
    assert s["payout"] == money("20000.00")  # 40000 × 0.5
    assert recipients(s) == {
        "verloskundigen": money("4000.00"),  # 0.2 × 20000
        "kraamzorg": money("6000.00"),  # 0.3 × 20000
        "ziekenhuis": money("10000.00"),  # 0.5 × 20000
    }
    # no effects: A = 260000, benchmark 270000 -> S = 10000; payout 10000 × 0.3 = 3000.00
    # nobody lost revenue -> contribution falls back to equal: 1000.00 each
    n = savings_row(out, "niemand")
    assert n["savings"] == money("10000.00")
    assert n["payout"] == money("3000.00")
    assert recipients(n) == {
        "verloskundigen": money("1000.00"),
        "kraamzorg": money("1000.00"),
        "ziekenhuis": money("1000.00"),
    }
    assert net(out, "niemand", "ziekenhuis") == money("61000.00")  # 60000 + 1000
    assert_conserved(out)


def test_shared_savings_two_sided_loss(compute):
    out = compute(SAVINGS)
    s = savings_row(out, "verlies")
    # sectio × 1.5 -> 30 units = 90000.00; A = 100000 + 100000 + 90000 = 290000.00
    assert s["actual"] == money("290000.00")
    assert s["savings"] == money("-30000.00")  # 260000 − 290000
    assert s["savings_rate"] == Decimal("-0.1154")  # −30000 / 260000 = −0.11538..
    # 30000 >= 0.02 × 260000 = 5200; repayment = min(30000 × 0.4, 0.05 × 260000)
    #                                         = min(12000, 13000) = 12000.00
    assert s["payout"] == money("-12000.00")
    assert s["reinvested"] == 0  # no reinvestment of a repayment
    # equal key: 12000 / 3 = 4000.00 each, paid by the recipients to the payer
    assert recipients(s) == {
        "verloskundigen": money("-4000.00"),
        "kraamzorg": money("-4000.00"),
        "ziekenhuis": money("-4000.00"),
    }
    assert comp(out, "verlies", "ziekenhuis", "shared_savings") == (0, money("4000.00"))
    assert comp(out, "verlies", "zorgverzekeraar", "shared_savings") == (money("12000.00"), 0)
    assert comp(out, "verlies", "vsv", "reinvestment") == (0, 0)
    assert net(out, "verlies", "zorgverzekeraar") == money("-278000.00")  # 290000 − 12000
    assert net(out, "verlies", "ziekenhuis") == money("86000.00")  # 90000 − 4000
    assert net(out, "verlies", "kraamzorg") == money("96000.00")  # 100000 − 4000
    assert_conserved(out)


# ================================================================ 11. effects and the CLI

EFFECTS_SCENARIO = """
[scenario]
name = "Effecten"
baseline = "mono"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.gemeente]
role = "payer"
[parties.verloskundigen]
role = "provider"
[parties.kraamzorg]
role = "provider"
[parties.ziekenhuis]
role = "provider"

[activities.vk_controle]
provider = "verloskundigen"
tariff = 100.00
[activities.bevalling_thuis]
provider = "verloskundigen"
tariff = 400.00
[activities.kz_uur]
provider = "kraamzorg"
tariff = 50.00
[activities.wijkcoach]
provider = "kraamzorg"
payer = "gemeente"
tariff = 80.00
[activities.bevalling_klinisch]
provider = "ziekenhuis"
tariff = 1000.00

[profiles.laag]
clients = 100
path = { vk_controle = 10, kz_uur = 20, bevalling_klinisch = 0.5 }
[profiles.kwetsbaar]
clients = 20
path = { vk_controle = 12, kz_uur = 30, bevalling_klinisch = 0.8 }

[variants.mono]
name = "Monodisciplinair"

[variants.wijkcoach]
name = "Wijkcoach voor kwetsbare cliënten"
effects = [ { op = "set", path = "profiles.kwetsbaar.path.wijkcoach", value = 1.5 } ]

[variants.halve_kraamzorg]
name = "Halve kraamzorg"
effects = [ { op = "scale", path = "profiles.*.path.kz_uur", factor = 0.5 } ]

[variants.thuis]
name = "Thuis bevallen"
[[variants.thuis.effects]]
op = "shift"
profile = "laag"
from = "bevalling_klinisch"
to = "bevalling_thuis"
fraction = 0.2
ratio = 1.5

[variants.verhuizing]
name = "Cliënten naar kwetsbaar"
effects = [ { op = "move_clients", from = "laag", to = "kwetsbaar", fraction = 0.1 } ]

[whatif.zet]
effects = [ { op = "set", path = "activities.kz_uur.tariff", value = 60 } ]
[whatif.schaal]
effects = [ { op = "scale", path = "activities.kz_uur.tariff", factor = 1.5 } ]
"""
# Baseline units: vk_controle 100 × 10 + 20 × 12 = 1240 -> 124000.00
#                 kz_uur 100 × 20 + 20 × 30 = 2600 -> 130000.00
#                 bevalling_klinisch 100 × 0.5 + 20 × 0.8 = 66 -> 66000.00


def test_effects_set_scale_shift_move_clients(compute):
    out = compute(toml(EFFECTS_SCENARIO))
    assert nets(out, "mono") == {
        "zorgverzekeraar": money("-320000.00"),  # 124000 + 130000 + 66000
        "gemeente": 0,
        "verloskundigen": money("124000.00"),
        "kraamzorg": money("130000.00"),
        "ziekenhuis": money("66000.00"),
    }
    # set adds wijkcoach to kwetsbaar: 20 × 1.5 = 30 units × 80.00 = 2400.00 from gemeente
    assert comp(out, "wijkcoach", "gemeente", "fee") == (0, money("2400.00"))
    assert net(out, "wijkcoach", "kraamzorg") == money("132400.00")  # 130000 + 2400
    # scale with *: kz_uur 100 × 10 + 20 × 15 = 1300 units × 50.00 = 65000.00
    assert net(out, "halve_kraamzorg", "kraamzorg") == money("65000.00")
    assert net(out, "halve_kraamzorg", "zorgverzekeraar") == money("-255000.00")
    # shift with ratio in laag: klinisch 0.5 − 0.2 × 0.5 = 0.4 -> 40 + 16 = 56 × 1000 = 56000
    #                           thuis 0 + 0.2 × 0.5 × 1.5 = 0.15 -> 15 × 400 = 6000
    assert net(out, "thuis", "ziekenhuis") == money("56000.00")
    assert net(out, "thuis", "verloskundigen") == money("130000.00")  # 124000 + 6000
    assert net(out, "thuis", "zorgverzekeraar") == money("-316000.00")
    # move_clients 0.1 of laag: laag 90, kwetsbaar 30
    # vk (900 + 360) × 100 = 126000; kz (1800 + 900) × 50 = 135000; zh (45 + 24) × 1000 = 69000
    assert net(out, "verhuizing", "verloskundigen") == money("126000.00")
    assert net(out, "verhuizing", "kraamzorg") == money("135000.00")
    assert net(out, "verhuizing", "ziekenhuis") == money("69000.00")
    assert net(out, "verhuizing", "zorgverzekeraar") == money("-330000.00")
    assert_conserved(out)


def test_whatifs_apply_to_every_variant_in_command_line_order(compute):
    # zet then schaal: kz_uur tariff 60 × 1.5 = 90
    out = compute(toml(EFFECTS_SCENARIO), "--whatif", "zet", "--whatif", "schaal")
    assert net(out, "mono", "kraamzorg") == money("234000.00")  # 2600 × 90 (the baseline too)
    assert net(out, "halve_kraamzorg", "kraamzorg") == money("117000.00")  # 1300 × 90
    assert res(out, "halve_kraamzorg", "kraamzorg")["delta"] == money("-117000.00")
    assert net(out, "mono", "zorgverzekeraar") == money("-424000.00")  # 124000+234000+66000
    assert_conserved(out)
    # schaal then zet: 50 × 1.5 = 75, then set to 60
    out = compute(toml(EFFECTS_SCENARIO), "-w", "schaal", "-w", "zet")
    assert net(out, "mono", "kraamzorg") == money("156000.00")  # 2600 × 60
    assert net(out, "halve_kraamzorg", "kraamzorg") == money("78000.00")  # 1300 × 60
    assert_conserved(out)


def test_other_baseline_and_variant_subset(compute):
    out = compute(toml(EFFECTS_SCENARIO), "--baseline", "halve_kraamzorg")
    m = res(out, "mono", "kraamzorg")
    assert m["delta"] == money("65000.00")  # 130000 − 65000
    assert m["delta_pct"] == money("100.00")  # 100 × 65000 / 65000
    z = res(out, "mono", "zorgverzekeraar")
    assert z["delta"] == money("-65000.00")  # −320000 − (−255000)
    assert z["delta_pct"] == money("-25.49")  # 100 × −65000 / 255000 = −25.4901..
    assert res(out, "halve_kraamzorg", "kraamzorg")["delta"] == 0

    out = compute(toml(EFFECTS_SCENARIO), "--variant", "thuis")
    assert {r["variant"] for r in out["results"]} == {"mono", "thuis"}  # baseline always
    assert res(out, "thuis", "ziekenhuis")["delta"] == money("-10000.00")  # 56000 − 66000
    assert_conserved(out)


# ================================================================ 12. figures


def test_figures_delta_pct_cost_margin_and_totals(compute):
    text = toml(
        """
        [scenario]
        name = "Kengetallen"
        baseline = "mono"
        client = "client"
        default_payer = "zorgverzekeraar"

        [parties.zorgverzekeraar]
        role = "payer"
        [parties.gemeente]
        role = "payer"
        [parties.client]
        role = "client"
        [parties.vsv]
        role = "network"
        [parties.verloskundigen]
        role = "provider"
        [parties.ziekenhuis]
        role = "provider"

        [activities.vk_controle]
        provider = "verloskundigen"
        tariff = 100.00
        cost = 70.00
        [activities.sectio]
        provider = "ziekenhuis"
        tariff = 3000.00
        copay = 200.00
        cost = 2600.00

        [availability.acute_verloskunde]
        party = "ziekenhuis"
        annual_cost = 50000

        [profiles.standaard]
        clients = 20
        path = { vk_controle = 1, sectio = 0.5 }

        [variants.mono]
        name = "Monodisciplinair"

        [variants.extra]
        name = "Samenwerking en kwaliteit"
        [[variants.extra.mechanisms]]
        type = "collaboration"
        payer = "gemeente"
        recipient = "vsv"
        fixed = 1000
        [[variants.extra.mechanisms]]
        type = "quality"
        payer = "zorgverzekeraar"
        recipients = { verloskundigen = 1 }
        pool = 246.90
        score = 1
        """
    )
    out = compute(text)
    # mono: vk 20 × 100 = 2000.00; sectio 10 units: fee 10 × 2800 = 28000.00, copay 2000.00
    vk = res(out, "mono", "verloskundigen")
    assert vk["net"] == money("2000.00")
    assert vk["cost"] == money("1400.00")  # 20 × 70.00
    assert vk["margin"] == money("600.00")  # 2000 − 1400
    assert vk["delta"] == 0 and vk["delta_pct"] == 0
    zh = res(out, "mono", "ziekenhuis")
    assert zh["net"] == money("30000.00")  # 28000 + 2000
    assert zh["cost"] == money("76000.00")  # 10 × 2600 + annual_cost 50000
    assert zh["margin"] == money("-46000.00")  # 30000 − 76000
    for party in ("zorgverzekeraar", "gemeente", "client", "vsv"):
        r = res(out, "mono", party)
        assert r["cost"] is None and r["margin"] is None  # no activities, no functions
    t = row(out["totals"], variant="mono")
    assert t["payer_spend"] == money("30000.00")  # zvw 2000 + 28000; gemeente 0
    assert t["client_copay"] == money("2000.00")  # 10 × 200
    assert t["total"] == money("32000.00")

    # extra: quality 246.90 × 1 -> vk; collaboration 1000.00 gemeente -> vsv
    vk = res(out, "extra", "verloskundigen")
    assert vk["net"] == money("2246.90")
    assert vk["delta"] == money("246.90")
    assert vk["delta_pct"] == money("12.34")  # 100 × 246.90 / 2000 = 12.345 -> half-even 12.34
    assert vk["margin"] == money("846.90")  # 2246.90 − 1400
    z = res(out, "extra", "zorgverzekeraar")
    assert z["net"] == money("-30246.90")
    assert z["delta"] == money("-246.90")
    assert z["delta_pct"] == money("-0.82")  # 100 × −246.90 / 30000 = −0.823
    g = res(out, "extra", "gemeente")
    assert g["delta"] == money("-1000.00")
    assert g["delta_pct"] is None  # baseline net 0
    v = res(out, "extra", "vsv")
    assert v["revenue"] == money("1000.00") and v["payments"] == 0
    assert v["delta"] == money("1000.00")
    assert v["delta_pct"] is None
    assert v["cost"] is None and v["margin"] is None
    t = row(out["totals"], variant="extra")
    assert t["payer_spend"] == money("31246.90")  # 30246.90 + 1000
    assert t["client_copay"] == money("2000.00")
    assert t["total"] == money("33246.90")
    assert_conserved(out)


# ================================================================ 13. fixed evaluation order

ORDER = """
[scenario]
name = "Volgorde"
baseline = "mono"
client = "client"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.client]
role = "client"
[parties.igo]
role = "network"
[parties.verloskundigen]
role = "provider"
[parties.kraamzorg]
role = "provider"

[activities.vk_controle]
provider = "verloskundigen"
tariff = 100.00
[activities.kz_uur]
provider = "kraamzorg"
tariff = 60.00
copay = 5.00

[profiles.ongecompliceerd]
clients = 10
path = { vk_controle = 2, kz_uur = 10 }

[variants.mono]
name = "Monodisciplinair"

[variants.canoniek]
name = "Canonieke volgorde"
[[variants.canoniek.mechanisms]]
type = "bundle"
contractor = "igo"
price = 800.00
overhead = 0.05
distribution = { verloskundigen = 0.25, kraamzorg = 0.75 }
[[variants.canoniek.mechanisms]]
type = "collaboration"
recipient = "igo"
fixed = 600
[[variants.canoniek.mechanisms]]
type = "quality"
recipients = { verloskundigen = 0.5, kraamzorg = 0.5 }
pool_rate = 0.05
score = 1
[[variants.canoniek.mechanisms]]
type = "ceiling"
amount = 8500
party = "igo"

[variants.omgekeerd]
name = "Omgekeerde volgorde in het bestand"
[[variants.omgekeerd.mechanisms]]
type = "ceiling"
amount = 8500
party = "igo"
[[variants.omgekeerd.mechanisms]]
type = "quality"
recipients = { verloskundigen = 0.5, kraamzorg = 0.5 }
pool_rate = 0.05
score = 1
[[variants.omgekeerd.mechanisms]]
type = "collaboration"
recipient = "igo"
fixed = 600
[[variants.omgekeerd.mechanisms]]
type = "bundle"
contractor = "igo"
price = 800.00
overhead = 0.05
distribution = { verloskundigen = 0.25, kraamzorg = 0.75 }
"""


def test_fixed_evaluation_order_whatever_the_file_order(compute):
    out = compute(toml(ORDER))
    for v in ("canoniek", "omgekeerd"):
        # bundle 800.00 × 10 = 8000.00; overhead 0.05 × 8000 = 400.00; D = 7600.00
        #   vk 0.25 × 7600 = 1900.00; kz 0.75 × 7600 = 5700.00; copay 100 × 5.00 = 500.00
        # collaboration 600.00 zvw -> igo
        # quality: zvw spend so far 8000 + 600 = 8600; 0.05 × 8600 × 1 = 430.00 -> 215 : 215
        # ceiling: igo's inflows from zvw 8000 + 600 = 8600 > 8500 -> clawback 100.00
        assert comp(out, v, "zorgverzekeraar", "quality") == (0, money("430.00")), v
        assert comp(out, v, "igo", "clawback") == (0, money("100.00")), v
        assert nets(out, v) == {
            "zorgverzekeraar": money("-8930.00"),  # 8000 + 600 + 430 − 100
            "client": money("-500.00"),
            "igo": money("900.00"),  # 400 + 600 − 100
            "verloskundigen": money("2115.00"),  # 1900 + 215
            "kraamzorg": money("6415.00"),  # 5700 + 500 + 215
        }, v
    assert nets(out, "canoniek") == nets(out, "omgekeerd")
    assert_conserved(out)
