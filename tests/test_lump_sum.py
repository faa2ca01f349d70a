"""Lump sums with corridor and settlement, and guarantees paid by a network (CONTRACTS.md D).

Every number is computed by hand from the contract; the arithmetic is in the comments.

The region (REGION): insurer zv, gemeente, a hospital zh and a GP practice hap.
Fee-for-service, per activity (units = clients × path):
  zh_poli  a: 100 × 2     = 200 units × (200 − copay 20) = 36,000.00 zv → zh; copay 4,000.00
  zh_ok    a: 100 × 0.5   =  50 units × 3,000            = 150,000.00
           b:  10 × 1     =  10 units × 3,000            =  30,000.00
  zh_tel   a: 100 × 0.005 = 0.5 units × 33.33 = 16.665   →  16.66 (half-even)
           b:  10 × 0.05  = 0.5 units × 33.33 = 16.665   →  16.66
  zh_wmo   a: 100 × 1     = 100 units × 100              =  10,000.00 gemeente → zh
  hap      a: 100 × 4     = 400 units × 50               =  20,000.00 zv → hap
V (zv's fees to zh) = 36,000 + 150,000 + 30,000 + 16.66 + 16.66 = 216,033.32
(the cells rounded one by one: rounding the sum would give 216,033.33).
The effect `minder` (zh_ok × 0.8): zh_ok 40 + 8 units → V = 36,000 + 144,000 + 33.32 = 180,033.32.
The effect `meer` (zh_ok × 1.2): zh_ok 60 + 12 units → V = 36,000 + 216,000 + 33.32 = 252,033.32.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke, row

REGION = """
[scenario]
name = "Aanneemsom"
baseline = "ffs"
client = "client"
default_payer = "zv"

[parties]
zv = { role = "payer" }
gemeente = { role = "payer" }
client = { role = "client" }
zh = { role = "provider" }
hap = { role = "provider" }
vsv = { role = "network" }

[activities]
zh_poli = { provider = "zh", tariff = 200, copay = 20 }
zh_ok = { provider = "zh", tariff = 3000, availability_share = 0.2 }
zh_tel = { provider = "zh", tariff = 33.33 }
zh_wmo = { provider = "zh", tariff = 100, payer = "gemeente" }
hap_consult = { provider = "hap", tariff = 50 }

[profiles.a]
clients = 100
path = { zh_poli = 2, zh_ok = 0.5, zh_tel = 0.005, zh_wmo = 1, hap_consult = 4 }
[profiles.b]
clients = 10
path = { zh_ok = 1, zh_tel = 0.05 }

[availability.ok]
party = "zh"
annual_cost = 40000
"""

MINDER = 'effects = [{ op = "scale", path = "profiles.*.path.zh_ok", factor = 0.8 }]'
MEER = 'effects = [{ op = "scale", path = "profiles.*.path.zh_ok", factor = 1.2 }]'


def lump_sum(variant: str, *lines: str, effects: str = "") -> str:
    """A variant holding one lump sum zv → zh of 220,000 plus the given keys."""
    body = "\n".join(('type = "lump_sum"', 'party = "zh"', "amount = 220_000", *lines))
    return f"\n[variants.{variant}]\n{effects}\n[[variants.{variant}.mechanisms]]\n{body}\n"


CORRIDOR = ("corridor = { low = 0.97, high = 1.03 }", "settle = 0.5")
# 0.97 × 220,000 = 213,400.00; 1.03 × 220,000 = 226,600.00
BANDS = (
    REGION
    + "\n[variants.ffs]\n"
    + lump_sum("binnen", *CORRIDOR)
    + lump_sum("onder", *CORRIDOR, effects=MINDER)
    + lump_sum("boven", 'scope = ["zh_*"]', *CORRIDOR, effects=MEER)
    + lump_sum("puur", effects=MINDER)  # settle 0: a pure lump sum
    + lump_sum("alleen_hoog", "corridor = { high = 1.05 }", "settle = 0.5", effects=MINDER)
    + lump_sum("geen_band", "settle = 1", effects=MEER)
    + lump_sum("onder_garantie", *CORRIDOR, effects=MINDER)
    + '[[variants.onder_garantie.mechanisms]]\ntype = "revenue_guarantee"\nparty = "zh"\nfloor = 1\n'
)


@pytest.fixture(scope="module")
def bands(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _compare(tmp_path_factory.mktemp("bands"), BANDS, "--table", "ledger")


@pytest.fixture(scope="module")
def bands_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _compare(tmp_path_factory.mktemp("bands_results"), BANDS)


def _compare(folder: Path, text: str, *args: str) -> dict[str, Any]:
    import json

    path = folder / "scenario.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = invoke("compare", path, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr or result.stdout
    return json.loads(result.stdout, parse_float=Decimal)


def flows(out: dict[str, Any], variant: str, component: str) -> list[tuple[str, str, Decimal]]:
    return [
        (r["payer"], r["payee"], r["amount"])
        for r in out["ledger"]
        if r["variant"] == variant and r["component"] == component
    ]


def net(out: dict[str, Any], variant: str, party: str) -> Decimal:
    return row(out["results"], variant=variant, party=party)["net"]


def test_inside_the_corridor_only_the_lump_sum(bands):
    # V = 216,033.32 lies in [213,400, 226,600]: no settlement; zv's fees to zh are gone.
    assert flows(bands, "binnen", "lump_sum") == [("zv", "zh", Decimal("220000.00"))]
    assert flows(bands, "binnen", "settlement") == []
    assert [f for f in flows(bands, "binnen", "fee") if f[:2] == ("zv", "zh")] == []


def test_below_the_corridor_the_party_pays_back(bands):
    # V = 180,033.32 < 213,400: 0.5 × (213,400 − 180,033.32) = 0.5 × 33,366.68 = 16,683.34 zh → zv
    assert flows(bands, "onder", "settlement") == [("zh", "zv", Decimal("16683.34"))]


def test_above_the_corridor_the_payer_pays_extra(bands):
    # V = 252,033.32 > 226,600: 0.5 × (252,033.32 − 226,600) = 0.5 × 25,433.32 = 12,716.66 zv → zh
    assert flows(bands, "boven", "settlement") == [("zv", "zh", Decimal("12716.66"))]


def test_settle_zero_is_a_pure_lump_sum(bands):
    assert flows(bands, "puur", "lump_sum") == [("zv", "zh", Decimal("220000.00"))]
    assert flows(bands, "puur", "settlement") == []


def test_a_corridor_bound_not_given_is_one(bands):
    # corridor = { high = 1.05 }: low = 1 → 0.5 × (220,000 − 180,033.32) = 0.5 × 39,966.68 = 19,983.34
    assert flows(bands, "alleen_hoog", "settlement") == [("zh", "zv", Decimal("19983.34"))]
    # no corridor at all: {1, 1}; settle 1 → 252,033.32 − 220,000 = 32,033.32 zv → zh
    assert flows(bands, "geen_band", "settlement") == [("zv", "zh", Decimal("32033.32"))]


def test_co_payments_other_payers_and_other_parties_stay_fee_for_service(bands):
    for variant in ("ffs", "binnen", "onder", "boven", "puur"):
        assert flows(bands, variant, "copay") == [("client", "zh", Decimal("4000.00"))]
        fees = flows(bands, variant, "fee")
        assert ("gemeente", "zh", Decimal("10000.00")) in fees  # another payer's fee stays
        assert ("zv", "hap", Decimal("20000.00")) in fees  # another party's fee stays
        if variant != "ffs":
            assert all(f[:2] != ("zv", "zh") for f in fees)


def test_lump_sum_nets_and_conservation(bands_results):
    out = bands_results
    # ffs: zh 216,033.32 + 4,000 + 10,000 = 230,033.32; zv −(216,033.32 + 20,000) = −236,033.32
    assert net(out, "ffs", "zh") == Decimal("230033.32")
    # binnen: zh 220,000 + 4,000 + 10,000 = 234,000; zv −240,000 (delta −3,966.68)
    assert net(out, "binnen", "zh") == Decimal("234000.00")
    assert row(out["results"], variant="binnen", party="zv")["delta"] == Decimal("-3966.68")
    # onder: zh 234,000 − 16,683.34 = 217,316.66
    assert net(out, "onder", "zh") == Decimal("217316.66")
    # boven: zh 234,000 + 12,716.66 = 246,716.66; zv −(240,000 + 12,716.66)
    assert net(out, "boven", "zh") == Decimal("246716.66")
    assert net(out, "boven", "zv") == Decimal("-252716.66")
    for variant in ("ffs", "binnen", "onder", "boven", "puur", "alleen_hoog", "geen_band", "onder_garantie"):
        assert sum(r["net"] for r in out["results"] if r["variant"] == variant) == 0


def test_a_guarantee_counts_inflows_not_a_settlement_paid_back(bands):
    # R0 = zh's inflows at fee-for-service: 216,033.32 + 4,000 + 10,000 = 230,033.32.
    # R = 220,000 + 4,000 + 10,000 = 234,000 >= R0: no top-up, although zh repays 16,683.34.
    assert flows(bands, "onder_garantie", "settlement") == [("zh", "zv", Decimal("16683.34"))]
    assert flows(bands, "onder_garantie", "guarantee") == []


def test_embedded_availability_money_is_unchanged(bands_results):
    # 0.2 × 3,000 × 60 units = 36,000 embedded, lump sum or not; 48 units: 28,800
    assert row(bands_results["availability"], variant="binnen")["embedded"] == Decimal("36000.00")
    assert row(bands_results["availability"], variant="ffs")["embedded"] == Decimal("36000.00")
    assert row(bands_results["availability"], variant="onder")["embedded"] == Decimal("28800.00")


def test_v_sums_the_cells_as_rounded(compute):
    # amount 216,033.33 with corridor {1, 1}, settle 1: V = 216,033.32 (16.66 + 16.66, not
    # round(33.33)) falls 0.01 short, repaid zh → zv. Rounding the sum would settle nothing.
    text = REGION + "\n[variants.ffs]\n" + lump_sum("krap", "settle = 1").replace("220_000", "216_033.33")
    out = compute(text, "--table", "ledger")
    assert flows(out, "krap", "settlement") == [("zh", "zv", Decimal("0.01"))]


def test_attribution_has_a_lump_sum_step(compute):
    text = REGION + "\n[variants.ffs]\n" + lump_sum("onder", *CORRIDOR, effects=MINDER)
    out = compute(text, "--attribution")
    steps = {r["step"]: r["amount"] for r in out["attribution"] if r["party"] == "zh"}
    # care: zh_ok 60 → 48 units, 12 × 3,000 = −36,000 at fee-for-service;
    # lump_sum: 217,316.66 − (230,033.32 − 36,000) = 23,283.34; together the delta −12,716.66
    assert steps == {"care": Decimal("-36000.00"), "lump_sum": Decimal("23283.34")}


# ------------------------------------------------------------ a lump sum in the baseline

BASELINE = (
    REGION.replace('baseline = "ffs"', 'baseline = "contract"')
    + lump_sum("contract")
    + lump_sum("contract_minder", effects=MINDER)
    + f"\n[variants.ffs_minder]\n{MINDER}\n"
    + f"""
[variants.besparing]
{MINDER}
[[variants.besparing.mechanisms]]
type = "shared_savings"
sharing_rate = 0.5
recipients = ["zh"]

[variants.garantie_vsv]
{MINDER}
[[variants.garantie_vsv.mechanisms]]
type = "collaboration"
recipient = "vsv"
fixed = 10_000
[[variants.garantie_vsv.mechanisms]]
type = "revenue_guarantee"
payer = "vsv"
party = "zh"
floor = 1
"""
)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _compare(tmp_path_factory.mktemp("baseline"), BASELINE, "--table", "results")


def test_a_variant_that_moves_off_the_baseline_lump_sum_to_fee_for_service(baseline):
    # contract: zh 220,000 + 4,000 + 10,000 = 234,000; zv −(220,000 + 20,000) = −240,000.
    assert net(baseline, "contract", "zh") == Decimal("234000.00")
    assert net(baseline, "contract", "zv") == Decimal("-240000.00")
    # ffs_minder: zh 180,033.32 + 14,000 = 194,033.32 → delta −39,966.68;
    # zv −(180,033.32 + 20,000) = −200,033.32 → delta +39,966.68
    assert row(baseline["results"], variant="ffs_minder", party="zh")["delta"] == Decimal("-39966.68")
    assert row(baseline["results"], variant="ffs_minder", party="zv")["delta"] == Decimal("39966.68")


def test_a_variant_that_keeps_the_lump_sum_saves_nothing(baseline):
    # The Limburg case: fewer units, the same lump sum: the insurer's saving disappears.
    for party in ("zh", "zv", "hap", "gemeente", "client"):
        assert row(baseline["results"], variant="contract_minder", party=party)["delta"] == 0


def test_shared_savings_benchmark_is_the_baseline_as_computed(baseline):
    # B = zv's net spend in the baseline, lump sum included: 240,000. A = 200,033.32.
    # S = 39,966.68; payout 0.5 × S = 19,983.34 to zh → zh delta −39,966.68 + 19,983.34
    assert row(baseline["results"], variant="besparing", party="zh")["delta"] == Decimal("-19983.34")
    assert row(baseline["results"], variant="besparing", party="zv")["delta"] == Decimal("19983.34")


def test_a_guarantee_paid_by_a_network_in_full(baseline):
    # R0 = zh's inflows in the baseline: 234,000 (the lump sum counts). R = 194,033.32.
    # vsv pays floor 1 × 234,000 − 194,033.32 = 39,966.68 from its 10,000: net −29,966.68.
    assert net(baseline, "garantie_vsv", "vsv") == Decimal("-29966.68")
    assert row(baseline["results"], variant="garantie_vsv", party="zh")["delta"] == 0
    # zv: −(180,033.32 + 20,000 + 10,000) = −210,033.32 → delta +29,966.68
    assert row(baseline["results"], variant="garantie_vsv", party="zv")["delta"] == Decimal("29966.68")
    for variant in ("contract", "contract_minder", "ffs_minder", "besparing", "garantie_vsv"):
        assert sum(r["net"] for r in baseline["results"] if r["variant"] == variant) == 0


def test_the_amount_is_datable_and_indexed(compute):
    # 2025: 220,000; 2026: the dated 230,000; 2027: 230,000 × 1.1 = 253,000 (indexed from 2026).
    text = (
        REGION.replace('baseline = "ffs"', 'baseline = "ffs"\nyear = 2025')
        + "\n[variants.ffs]\n"
        + lump_sum("jaar").replace("amount = 220_000", "amount = { 2025 = 220_000, 2026 = 230_000 }")
        + "\n[horizon]\nyears = 3\nindex = 0.1\n"
    )
    out = compute(text, "--table", "ledger")
    amounts = {r["year"]: r["amount"] for r in out["ledger"] if r["component"] == "lump_sum"}
    assert amounts == {2025: Decimal("220000.00"), 2026: Decimal("230000.00"), 2027: Decimal("253000.00")}


def test_lanes_of_a_lump_sum_equal_each_draw_alone(scenario: Callable[..., Path]):
    # A simulation runs the mechanisms on lanes (one value per draw, no `if` on amounts):
    # draws below, inside and above the corridor, each equal to the scenario with that draw.
    from bekostiging.engine.simulate import Job, evaluate, evaluate_block
    from bekostiging.scenario.load import load_scenario

    path = scenario(REGION + "\n[variants.ffs]\n" + lump_sum("onder", *CORRIDOR, effects=MINDER))
    s, _ = load_scenario(path)
    columns = {
        "activities.zh_ok.tariff": [Decimal(v) for v in ("3000", "3500", "4500", "3712.37")],
        "variants.onder.mechanisms.0.settle": [Decimal(v) for v in ("0.5", "0.25", "1", "0.333")],
    }
    job = Job(s.model_dump(by_alias=True), columns, None, None, (), str(path), None)
    figures, _ = evaluate_block(job, range(4))
    for i in range(4):
        alone, _ = evaluate(job, i)
        assert set(alone) == set(figures)
        for key, values in alone.items():
            assert tuple(None if c is None else int(c[i]) for c in figures[key]) == values, (i, key)


# ------------------------------------------------------------ bad input


def invalid(scenario: Callable[..., Path], extra: str, path: str, *fragments: str) -> None:
    """REGION plus `extra` fails validation: exit 1, one located line with every fragment."""
    result = invoke("validate", scenario(REGION + "\n[variants.ffs]\n" + extra))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 1, result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    hits = [line for line in lines if f": {path}: " in line and all(f in line for f in fragments)]
    assert hits, f"no line at {path} with {fragments} in:\n{result.stderr}"
    assert f"{len(lines)} problem{'s' if len(lines) != 1 else ''} found." in result.stderr


AT = "variants.x.mechanisms.0"
BUNDLE = '\n[[variants.x.mechanisms]]\ntype = "bundle"\nscope = ["zh_poli"]\nprice = 200\n'


@pytest.mark.parametrize(
    ("lines", "path", "fragments"),
    [
        (("corridor = { low = 1.02 }",), f"{AT}.corridor.low", ("must lie in [0, 1]", "1.02")),
        (("corridor = { high = 0.98 }",), f"{AT}.corridor.high", ("must be >= 1", "0.98")),
        (("corridor = { lo = 0.9 }",), f"{AT}.corridor.lo", ("unknown key 'lo'", "did you mean 'low'")),
        (("settle = 1.5",), f"{AT}.settle", ("must lie in [0, 1]",)),
        (("settle = -0.1",), f"{AT}.settle", ("must lie in [0, 1]",)),
        (('scope = ["zh_pol"]',), f"{AT}.scope.0", ("unknown activity 'zh_pol'", "did you mean 'zh_poli'")),
        (('scope = ["zh_poli", "kz_*"]',), f"{AT}.scope.1", ("'kz_*' matches no activity",)),
        (('scope = ["hap_consult"]',), f"{AT}.scope.0", ("matches no activity that 'zh' delivers",)),
        (('scope = ["group:zkh"]',), f"{AT}.scope.0", ("unknown group 'zkh'",)),
    ],
)
def test_bad_lump_sum_keys(scenario, lines, path, fragments):
    invalid(scenario, lump_sum("x", *lines), path, *fragments)


def test_lump_sum_party_must_receive_money_for_care(scenario):
    invalid(scenario, lump_sum("x").replace('party = "zh"', 'party = "zv"'), f"{AT}.party", "role 'payer'")
    invalid(
        scenario,
        lump_sum("x").replace('party = "zh"', 'party = "zhh"'),
        f"{AT}.party",
        "unknown party 'zhh'",
        "did you mean 'zh'",
    )


def test_lump_sum_payer_must_be_a_payer(scenario):
    invalid(scenario, lump_sum("x", 'payer = "vsv"'), f"{AT}.payer", "role 'network'", "must be payer")


def test_a_party_without_activities_has_nothing_to_replace(scenario):
    invalid(
        scenario, lump_sum("x").replace('party = "zh"', 'party = "vsv"'), f"{AT}.party", "replaces nothing"
    )


def test_a_cell_paid_by_a_bundle_and_a_lump_sum(scenario):
    # either order: the lump sum names the bundle's cell
    invalid(scenario, lump_sum("x") + BUNDLE, f"{AT}.scope", "'zh_poli' of profile 'a'", "bundle")
    bundle_first = "\n[variants.x]" + BUNDLE + lump_sum("x").split("\n", 3)[3]
    invalid(scenario, bundle_first, "variants.x.mechanisms.1.scope", "mechanisms.0", "bundle")


def test_two_lump_sums_for_the_same_cell(scenario):
    second = '\n[[variants.x.mechanisms]]\ntype = "lump_sum"\nparty = "zh"\nscope = ["zh_ok"]\namount = 5\n'
    invalid(scenario, lump_sum("x") + second, "variants.x.mechanisms.1.scope", "mechanisms.0", "one lump sum")


def test_two_lump_sums_for_different_payers_are_fine(scenario):
    # the gemeente's lump sum covers zh_wmo only, zv's the rest
    second = '\n[[variants.x.mechanisms]]\ntype = "lump_sum"\npayer = "gemeente"\nparty = "zh"\namount = 5\n'
    result = invoke("validate", scenario(REGION + "\n[variants.ffs]\n" + lump_sum("x") + second))
    assert result.exit_code == 0, result.stderr


def test_a_guarantee_payer_is_a_payer_a_network_or_a_contractor(scenario):
    guarantee = (
        '\n[variants.x]\n[[variants.x.mechanisms]]\ntype = "revenue_guarantee"\nparty = "zh"\nfloor = 1\n'
    )
    invalid(scenario, guarantee + 'payer = "hap"\n', f"{AT}.payer", "'hap'", "only as the contractor")
    result = invoke("validate", scenario(REGION + "\n[variants.ffs]\n" + guarantee + 'payer = "vsv"\n'))
    assert result.exit_code == 0, result.stderr
    contractor = (
        '\n[[variants.x.mechanisms]]\ntype = "capitation"\ncontractor = "hap"\namount = 1\npopulation = 1\n'
    )
    result = invoke(
        "validate", scenario(REGION + "\n[variants.ffs]\n" + guarantee + 'payer = "hap"\n' + contractor)
    )
    assert result.exit_code == 0, result.stderr
