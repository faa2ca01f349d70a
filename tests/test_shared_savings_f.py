"""Shared savings as the published methods write them (CONTRACTS.md F, readings of G).

Each published programme design is encoded in our fields and settled through the whole
engine; the figure is the published one. Where the publication gives only the pair
(published figure, what first-dollar single-rate sharing gives), the inputs are
reconstructed so that both numbers follow, and the reconstruction is written beside the
test. One tiny scenario carries them all: payer `zv` pays provider `zh` EUR 1 per unit;
the baseline buys R units (the counterfactual revenue of `zh` from `zv`), the variant
A units, and the benchmark B is a number, so S = B − A.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bekostiging as bk
from bekostiging.engine.ledger import Ledger
from bekostiging.findings import ScenarioError
from bekostiging.mechanisms.shared_savings import SharedSavings, settle
from bekostiging.money import cents
from conftest import invoke

M = 1_000_000


def text(body: str, *, B: int, A: int, R: int | None = None, expect: str = "") -> str:
    R = R or A
    factor = Decimal(A) / Decimal(R)
    return f"""
[scenario]
name = "gedeelde besparingen"
baseline = "basis"
client = "client"
default_payer = "zv"
[parties.zv]
role = "payer"
[parties.client]
role = "client"
[parties.zh]
role = "provider"
[parties.vsv]
role = "network"
[activities.zorg]
provider = "zh"
tariff = 1.00
[profiles.p]
clients = 1
path = {{ zorg = {R} }}
[variants.basis]
[variants.v]
effects = [{{ op = "scale", path = "profiles.p.path.zorg", factor = {factor} }}]
[[variants.v.mechanisms]]
type = "shared_savings"
benchmark = {B}
recipients = ["zh"]
{body}
{expect}
"""


def settlement(body: str, *, B: int, A: int, R: int | None = None) -> dict[str, Any]:
    table = bk.compare(bk.loads(text(body, B=B, A=A, R=R))).table("shared_savings")
    (row,) = table.to_dicts()
    return row


def euros(value: int | str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


# ================================================================ published figures


def test_pgp_shares_only_the_savings_above_the_threshold():
    # PGP demonstration: 2 % threshold, 80 % sharing. Reconstruction: B = 100,000,000,
    # S = 6,000,000 (6 %): first dollar 6,000,000 × 0.8 = 4,800,000; above the threshold
    # (6,000,000 − 0.02 × 100,000,000) × 0.8 = 4,000,000 × 0.8 = 3,200,000 (published).
    terms = "min_savings_rate = 0.02\nsharing_rate = 0.8"
    above = settlement(terms + "\nshare_above_msr = true", B=100 * M, A=94 * M)
    first = settlement(terms, B=100 * M, A=94 * M)
    assert above["payout"] == euros(3_200_000)
    assert first["payout"] == euros(4_800_000)
    assert (above["outcome"], above["reason"], above["eligible"]) == ("payout", "savings", True)


PROFESSIONAL = """bands = [{ upto = 0.05, rate = 0.5 }, { upto = 0.10, rate = 0.35 },
         { upto = 0.15, rate = 0.15 }, { rate = 0.05 }]"""
GLOBAL = """bands = [{ upto = 0.05, rate = 1 }, { upto = 0.10, rate = 0.5 },
         { upto = 0.15, rate = 0.25 }, { rate = 0.10 }]"""


def test_reach_professional_corridors():
    # ACO REACH Professional 50/35/15/5 %. Reconstruction: single rate 50 % gives 600,000,
    # so S = 1,200,000; corridor bounds at 5/10/15 % of B = 10,000,000 (S/B = 12 %):
    # 500,000 × 0.5 + 500,000 × 0.35 + 200,000 × 0.15 = 250,000 + 175,000 + 30,000 = 455,000.
    assert settlement(PROFESSIONAL, B=10 * M, A=8_800_000)["payout"] == euros(455_000)
    assert settlement("sharing_rate = 0.5", B=10 * M, A=8_800_000)["payout"] == euros(600_000)


def test_reach_global_corridors():
    # ACO REACH Global 100/50/25/10 %. Reconstruction: single rate 100 % gives 3,000,000, so
    # S = 3,000,000; with bounds 5/10/15 % and B = 50,000,000 (S/B = 6 %):
    # 2,500,000 × 1 + 500,000 × 0.5 = 2,750,000.
    assert settlement(GLOBAL, B=50 * M, A=47 * M)["payout"] == euros(2_750_000)
    assert settlement("sharing_rate = 1", B=50 * M, A=47 * M)["payout"] == euros(3_000_000)
    # The corridors as CMS writes them (25/35/50 % of the benchmark) give the same pair with
    # B = 10,000,000, S = 3,000,000 (30 %): 2,500,000 × 1 + 500,000 × 0.5 = 2,750,000.
    cms = """bands = [{ upto = 0.25, rate = 1 }, { upto = 0.35, rate = 0.5 },
             { upto = 0.50, rate = 0.25 }, { rate = 0.10 }]"""
    assert settlement(cms, B=10 * M, A=7 * M)["payout"] == euros(2_750_000)


def test_sequestration_withholds_from_payouts():
    # 2 % sequestration: S = 800,000 of B = 10,000,000 at 50 % = 400,000; × 0.98 = 392,000.
    row = settlement("sharing_rate = 0.5\nwithhold = 0.02", B=10 * M, A=9_200_000)
    assert row["payout"] == euros(392_000)
    assert settlement("sharing_rate = 0.5", B=10 * M, A=9_200_000)["payout"] == euros(400_000)


def test_withhold_after_the_cap_and_reinvestment_from_the_net():
    # gross 400,000, cap 0.03 × 10,000,000 = 300,000 -> 300,000 × 0.98 = 294,000 ("capped");
    # reinvest 0.1 × 294,000 = 29,400 to the network, 264,600 to zh.
    body = 'sharing_rate = 0.5\nwithhold = 0.02\ncap = 0.03\nreinvest = 0.1\nnetwork = "vsv"'
    row = settlement(body, B=10 * M, A=9_200_000)
    assert row["payout"] == euros(294_000)
    assert row["reason"] == "capped"
    assert row["reinvested"] == euros(29_400)
    assert row["recipients"] == [{"party": "zh", "amount": euros(264_600)}]


def test_withhold_does_not_touch_repayments():
    # S = −1,000,000, loss rate 0.5 -> 500,000 repaid in full, withhold or not.
    row = settlement("sharing_rate = 0.5\nloss_sharing_rate = 0.5\nwithhold = 0.02", B=10 * M, A=11 * M)
    assert row["payout"] == euros(-500_000)
    assert (row["outcome"], row["reason"], row["eligible"]) == ("repayment", "losses", True)


TRACK2 = 'sharing_rate = 0.6\nloss_sharing_rate = "complement"\nloss_rate_max = 0.6'


@pytest.mark.parametrize(
    ("quality", "repaid"),
    [
        # 1 − 0.6 × 0.9 = 0.46 (inside the bounds): 1,000,000 × 0.46 = 460,000
        ("0.9", 460_000),
        # 1 − 0.6 × 0.5 = 0.70 -> at most 0.60: 600,000
        ("0.5", 600_000),
    ],
)
def test_track2_complement_loss_rate_at_most_60_percent(quality: str, repaid: int):
    row = settlement(f"{TRACK2}\nquality_score = {quality}", B=10 * M, A=11 * M)
    assert row["payout"] == euros(-repaid)
    assert row["reason"] == "losses"  # a clamped rate is not "capped"


ENHANCED = """sharing_rate = 0.75
loss_sharing_rate = "complement"
loss_rate_min = 0.40
loss_rate_max = 0.75
loss_rate_if_gate_fails = 0.75
quality_gate = 0.4"""


@pytest.mark.parametrize(
    ("quality", "repaid"),
    [
        ("1", 400_000),  # 1 − 0.75 × 1 = 0.25 -> at least 0.40: 400,000
        ("0.6", 550_000),  # 1 − 0.75 × 0.6 = 0.55: 550,000
        ("0.4", 700_000),  # 1 − 0.75 × 0.4 = 0.70 (gate met: 0.4 >= 0.4): 700,000
        ("0.2", 750_000),  # gate fails (0.2 < 0.4): 0.75 replaces the complement: 750,000
    ],
)
def test_track3_enhanced_loss_rate_40_to_75_percent_and_75_when_quality_fails(quality: str, repaid: int):
    row = settlement(f"{ENHANCED}\nquality_score = {quality}", B=10 * M, A=11 * M)
    assert row["payout"] == euros(-repaid)
    assert row["outcome"] == "repayment"


def test_gate_failure_blocks_savings_only():
    # S = +1,000,000 with quality 0.2 < gate 0.4: no payout, reason gate_failed.
    row = settlement(f"{ENHANCED}\nquality_score = 0.2", B=10 * M, A=9 * M)
    assert (row["payout"], row["outcome"], row["reason"], row["eligible"]) == (
        0,
        "none",
        "gate_failed",
        False,
    )


def test_msr_is_checked_before_the_gate():
    # S = 100,000 = 1 % < msr 2 %, and quality fails too: the reason is below_msr.
    body = "sharing_rate = 0.5\nmin_savings_rate = 0.02\nquality_score = 0.2\nquality_gate = 0.5"
    row = settlement(body, B=10 * M, A=9_900_000)
    assert (row["outcome"], row["reason"]) == ("none", "below_msr")


BASIC = """sharing_rate = 0.5
loss_sharing_rate = 0.3
loss_cap = 0.04
loss_cap_revenue = 0.08
loss_cap_parties = ["zh"]"""


def test_basic_lesser_of_two_loss_caps_revenue_binds():
    # S = −2,000,000 of B = 10,000,000 at 30 % = 600,000; caps: 0.04 × B = 400,000 and
    # 0.08 × 3,000,000 (zh's counterfactual revenue from zv) = 240,000 -> 240,000.
    row = settlement(BASIC, B=10 * M, A=12 * M, R=3 * M)
    assert row["payout"] == euros(-240_000)
    assert (row["outcome"], row["reason"]) == ("repayment", "capped")


def test_basic_lesser_of_two_loss_caps_benchmark_binds():
    # revenue 6,000,000 × 0.08 = 480,000 > 0.04 × B = 400,000 -> 400,000.
    row = settlement(BASIC, B=10 * M, A=12 * M, R=6 * M)
    assert row["payout"] == euros(-400_000)
    assert row["reason"] == "capped"


# ================================================================ each field, combinations


def test_bands_with_quality():
    # 455,000 (REACH Professional above) × quality 0.8 = 364,000
    assert settlement(PROFESSIONAL + "\nquality_score = 0.8", B=10 * M, A=8_800_000)["payout"] == euros(
        364_000
    )


def test_savings_above_a_closed_last_band_earn_nothing():
    # bands up to 5 % only: S = 1,200,000 of 10,000,000 -> 500,000 × 0.5 = 250,000
    row = settlement("bands = [{ upto = 0.05, rate = 0.5 }]", B=10 * M, A=8_800_000)
    assert row["payout"] == euros(250_000)


def test_bands_above_the_threshold():
    # share_above_msr with msr 2 %: the amount above is 1,200,000 − 200,000 = 1,000,000,
    # cut at 5 % of B = 500,000: 500,000 × 0.5 + 500,000 × 0.35 = 425,000
    body = PROFESSIONAL + "\nmin_savings_rate = 0.02\nshare_above_msr = true"
    assert settlement(body, B=10 * M, A=8_800_000)["payout"] == euros(425_000)


def test_banded_losses_default_to_the_bands_without_quality():
    # two-sided by loss_sharing_rate > 0: losses 1,200,000 cut by the same bands = 455,000,
    # not multiplied by quality 0.8
    body = PROFESSIONAL + "\nloss_sharing_rate = 0.5\nquality_score = 0.8"
    assert settlement(body, B=10 * M, A=11_200_000)["payout"] == euros(-455_000)


def test_loss_bands_make_a_banded_arrangement_two_sided():
    # loss bands 0–2 % at 0.2, above at 0.6: 200,000 × 0.2 + 800,000 × 0.6 = 40,000 + 480,000
    body = PROFESSIONAL + "\nloss_bands = [{ upto = 0.02, rate = 0.2 }, { rate = 0.6 }]"
    assert settlement(body, B=10 * M, A=11 * M)["payout"] == euros(-520_000)


def test_banded_without_loss_terms_is_one_sided():
    row = settlement(PROFESSIONAL, B=10 * M, A=11 * M)
    assert (row["payout"], row["outcome"], row["reason"], row["eligible"]) == (0, "none", "one_sided", False)


def test_share_above_mlr_for_losses():
    # (1,000,000 − 0.02 × 10,000,000) × 0.5 = 800,000 × 0.5 = 400,000
    body = "sharing_rate = 0.5\nloss_sharing_rate = 0.5\nmin_loss_rate = 0.02\nshare_above_msr = true"
    assert settlement(body, B=10 * M, A=11 * M)["payout"] == euros(-400_000)
    # −S = 100,000 < 200,000: below the minimum loss rate
    row = settlement(body, B=10 * M, A=10_100_000)
    assert (row["payout"], row["outcome"], row["reason"]) == (0, "none", "below_mlr")


def test_gate_fail_loss_rate_does_not_make_one_sided_two_sided():
    body = "sharing_rate = 0.5\nquality_score = 0.2\nquality_gate = 0.5\nloss_rate_if_gate_fails = 0.75"
    row = settlement(body, B=10 * M, A=11 * M)
    assert (row["payout"], row["reason"]) == (0, "one_sided")


def test_gate_fail_loss_rate_replaces_bands_and_is_not_clamped():
    # loss bands would give 520,000 (above); the gate fails: 1,000,000 × 0.9 = 900,000
    body = (
        PROFESSIONAL + "\nloss_bands = [{ upto = 0.02, rate = 0.2 }, { rate = 0.6 }]"
        "\nquality_score = 0.2\nquality_gate = 0.5\nloss_rate_if_gate_fails = 0.9"
    )
    assert settlement(body, B=10 * M, A=11 * M)["payout"] == euros(-900_000)


def test_capped_payout_reason():
    # 1,000,000 × 0.5 = 500,000 > cap 0.04 × 10,000,000 = 400,000
    row = settlement("sharing_rate = 0.5\ncap = 0.04", B=10 * M, A=9 * M)
    assert (row["payout"], row["reason"]) == (euros(400_000), "capped")
    # a cap equal to the amount is not "capped": 0.05 × 10,000,000 = 500,000
    assert settlement("sharing_rate = 0.5\ncap = 0.05", B=10 * M, A=9 * M)["reason"] == "savings"


def test_expect_repayment_metric():
    body = "sharing_rate = 0.5\nloss_sharing_rate = 0.3"
    expect = """
[[expect]]
variant = "v"
payer = "zv"
metric = "repayment"
min = 300000
max = 300000

[[expect]]
variant = "v"
payer = "zv"
metric = "payout"
max = -300000
"""
    # S = −1,000,000 × 0.3 = 300,000 repaid: repayment 300,000, payout −300,000
    checks = bk.check(bk.loads(text(body, B=10 * M, A=11 * M, expect=expect)))
    outcomes = [o for found in checks.by_file.values() for o in found]
    assert [(o.metric, o.value, o.passed) for o in outcomes] == [
        ("repayment", Decimal("300000.00"), True),
        ("payout", Decimal("-300000.00"), True),
    ]


def test_terms_dated_by_year():
    # loss limit 5 / 7.5 / 10 % by year, loss rate 0 in 2025 (one-sided), 0.5 after:
    # S = −2,000,000 of 10,000,000 (undated money: B indexed at 0 % here) at 0.5 = 1,000,000;
    # 2025: one-sided, 0; 2026: min(1,000,000, 750,000) = 750,000; 2027: 1,000,000.
    body = (
        "sharing_rate = 0.5\nloss_sharing_rate = { 2025 = 0, 2026 = 0.5 }\n"
        "loss_cap = { 2025 = 0.05, 2026 = 0.075, 2027 = 0.10 }\n"
        "bands = [{ upto = { 2025 = 0.05, 2026 = 0.10 }, rate = 0.5 }, { rate = 0.5 }]"
    )
    body = body.replace("sharing_rate = 0.5\nloss", "loss", 1)
    horizon = "[horizon]\nstart = 2025\nyears = 3\ndiscount_rate = 0\nindex = 0\nclient_growth = 0\n"
    scenario = bk.loads(horizon + text(body, B=10 * M, A=12 * M))
    table = bk.compare(scenario).table("shared_savings")
    assert [(r["year"], r["payout"], r["reason"]) for r in table.to_dicts()] == [
        (2025, 0, "one_sided"),
        (2026, euros(-750_000), "capped"),
        (2027, euros(-1_000_000), "losses"),
    ]


# ================================================================ validation


def findings(body: str) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as caught:
        bk.loads(text(body, B=10 * M, A=9 * M))
    return [(f.path, f.message) for f in caught.value.findings]


AT = "variants.v.mechanisms.0"


def test_every_problem_of_the_terms_at_once():
    found = findings(
        """bands = [{ upto = 0.10, rate = 0.5 }, { rate = 0.3 }, { upto = 0.05, rate = 0.2 }]
loss_bands = [{ upto = 0.05, rate = 0.5 }, { upto = 0.05, rate = 0.5 }]
loss_sharing_rate = "complement"
loss_rate_min = 0.8
loss_rate_max = 0.6
loss_cap_revenue = 0.08
withhold = 0.02"""
    )
    paths = [p for p, _ in found]
    assert f"{AT}.bands.1.upto" in paths  # only the last band may be open
    assert f"{AT}.bands.2.upto" in paths  # 0.05 does not ascend above 0.10
    assert f"{AT}.loss_bands.1.upto" in paths
    assert f"{AT}.loss_sharing_rate" in paths  # complement with bands
    assert f"{AT}.loss_rate_min" in paths  # 0.8 > 0.6
    assert f"{AT}.loss_cap_parties" in paths  # loss_cap_revenue without parties
    assert len(found) >= 7, found


def test_field_ranges_at_once():
    found = findings(
        """sharing_rate = 0.5
withhold = 1.5
bands = [{ upto = 0.05, rate = 1.2 }, { rate = 0.1 }]
loss_sharing_rate = "compliment"
loss_rate_if_gate_fails = -0.1"""
    )
    paths = {p for p, _ in found}
    assert {
        f"{AT}.withhold",
        f"{AT}.bands.0.rate",
        f"{AT}.loss_sharing_rate",
        f"{AT}.loss_rate_if_gate_fails",
    } <= paths
    messages = " ".join(m for _, m in found)
    assert '"complement"' in messages


def test_terms_that_need_each_other():
    assert any("needs `sharing_rate` or `bands`" in m for _, m in findings("share_above_msr = true"))
    assert any("replaces `sharing_rate`" in m for _, m in findings("sharing_rate = 0.5\n" + PROFESSIONAL))
    both = findings('sharing_rate = 0.5\nloss_rate_max = 0.6\nloss_cap_parties = ["zh"]')
    assert {p for p, _ in both} == {f"{AT}.loss_rate_max", f"{AT}.loss_cap_parties"}
    unknown = findings('sharing_rate = 0.5\nloss_cap_revenue = 0.08\nloss_cap_parties = ["zk"]')
    assert [p for p, _ in unknown] == [f"{AT}.loss_cap_parties.0"]


# ================================================================ properties


class _Context:
    """Just what `settle` reads: a variant's ledger and its counterfactual's."""

    def __init__(self, actual: int, counterfactual: int):
        self.ledger, self.cf = Ledger(), Ledger()
        self.ledger.add("fee", "zv", "zh", actual)
        self.cf.add("fee", "zv", "zh", counterfactual)

    def payer_or_default(self, payer: str | None) -> str:
        return payer or "zv"

    def cf_ledger(self) -> Ledger:
        return self.cf


def settle_direct(terms: dict[str, Any], benchmark: int, actual: int) -> dict[str, Any]:
    m = SharedSavings.model_validate(
        {"type": "shared_savings", "benchmark": Decimal(benchmark) / 100, "recipients": ["zh"], **terms}
    )
    return settle(_Context(actual, benchmark), m)


def fraction() -> st.SearchStrategy[Decimal]:
    return st.integers(0, 1000).map(lambda v: Decimal(v).scaleb(-3))


amounts = st.integers(1, 10**10)


@settings(max_examples=60, deadline=None)
@given(amounts, amounts, fraction(), fraction(), fraction())
def test_one_open_band_equals_the_single_rate(benchmark, actual, rate, quality, msr):
    common = {"quality_score": quality, "min_savings_rate": msr}
    single = settle_direct({**common, "sharing_rate": rate}, benchmark, actual)
    banded = settle_direct({**common, "bands": [{"rate": rate}]}, benchmark, actual)
    assert single["payout"] == banded["payout"]


def v1_payout(benchmark: int, actual: int, t: dict[str, Decimal]) -> int:
    """The v1 settlement, as it was written before CONTRACTS.md F."""
    b, s = Decimal(benchmark) / 100, Decimal(benchmark - actual) / 100
    if benchmark - actual > 0 and s >= t["min_savings_rate"] * b and t["quality_score"] >= t["quality_gate"]:
        return cents(min(s * t["sharing_rate"] * t["quality_score"], t["cap"] * b))
    if benchmark - actual < 0 and t["loss_sharing_rate"] > 0 and -s >= t["min_loss_rate"] * b:
        return -cents(min(-s * t["loss_sharing_rate"], t["loss_cap"] * b))
    return 0


@settings(max_examples=80, deadline=None)
@given(
    amounts,
    amounts,
    st.fixed_dictionaries(
        {
            k: fraction()
            for k in (
                "sharing_rate",
                "quality_score",
                "quality_gate",
                "cap",
                "loss_sharing_rate",
                "min_savings_rate",
                "min_loss_rate",
                "loss_cap",
            )
        }
    ),
)
def test_withhold_zero_and_defaults_reproduce_v1(benchmark, actual, terms):
    row = settle_direct({**terms, "withhold": Decimal(0)}, benchmark, actual)
    assert row["payout"] == v1_payout(benchmark, actual, terms)
    assert row["eligible"] == (row["payout"] != 0 or row["outcome"] != "none")


@settings(max_examples=60, deadline=None)
@given(
    amounts,
    st.integers(0, 10**9),
    st.integers(0, 10**9),
    st.sampled_from(["single", "bands", "above"]),
    fraction(),
)
def test_payout_monotone_in_savings(benchmark, less, more_by, design, withhold):
    terms: dict[str, Any] = {
        "single": {"sharing_rate": Decimal("0.5"), "cap": Decimal("0.1")},
        "bands": {"bands": [{"upto": Decimal("0.05"), "rate": Decimal("0.5")}, {"rate": Decimal("0.2")}]},
        "above": {
            "sharing_rate": Decimal("0.8"),
            "min_savings_rate": Decimal("0.02"),
            "share_above_msr": True,
        },
    }[design]
    terms = {**terms, "withhold": withhold, "loss_sharing_rate": Decimal("0.5")}
    # more savings = a lower actual spend against the same benchmark
    low = settle_direct(terms, benchmark, benchmark + 10**9 - less)
    high = settle_direct(terms, benchmark, benchmark + 10**9 - less - more_by)
    assert high["payout"] >= low["payout"]


# ================================================================ outputs


def test_outcome_and_reason_in_csv_json_xlsx(tmp_path):
    import zipfile

    from conftest import invoke, write

    # S = −1,000,000, loss rate 0.3: a repayment of 300,000; a repayment row is eligible
    path = write(tmp_path / "s.toml", text("sharing_rate = 0.5\nloss_sharing_rate = 0.3", B=10 * M, A=11 * M))
    csv = invoke("compare", path, "-f", "csv", "--table", "shared_savings")
    header, line = csv.stdout.splitlines()[:2]
    assert header.split(",")[6:9] == ["eligible", "outcome", "reason"]
    assert line.split(",")[6:10] == ["true", "repayment", "losses", "-300000.00"]
    json_out = invoke("compare", path, "-f", "json")
    assert '"outcome": "repayment"' in json_out.stdout and '"reason": "losses"' in json_out.stdout
    out = tmp_path / "s.xlsx"
    assert invoke("compare", path, "-f", "xlsx", "-o", out).exit_code == 0
    with zipfile.ZipFile(out) as z:
        strings = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else ""
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "repayment" in strings + sheets and "losses" in strings + sheets


def test_the_outcome_in_words_on_screen_and_in_explain():
    """On screen the outcome is one column in the reader's language (csv and json keep
    `eligible`, `outcome` and `reason`); explain's formula names the outcome and reason."""
    nl = invoke("compare", "huisartsenpilot-limburg", "--table", "shared_savings")
    assert nl.exit_code == 0 and "uitkering" in nl.stdout and "Recht op deling" not in nl.stdout
    en = invoke("compare", "huisartsenpilot-limburg", "--table", "shared_savings", "--lang", "en")
    assert "payout" in en.stdout and "Eligible" not in en.stdout
    trace = invoke(
        "explain", "preventie-gemeente", "-v", "gedeelde_besparing", "-p", "gemeente", "--year", "2028"
    )
    assert "[uitkering: besparing]" in " ".join(trace.stdout.split())
    english = invoke(
        "explain",
        "preventie-gemeente",
        "-v",
        "gedeelde_besparing",
        "-p",
        "gemeente",
        "--year",
        "2028",
        "--lang",
        "en",
    )
    assert "[payout: savings]" in " ".join(english.stdout.split())
