"""Policy checks: `[[expect]]` (SCENARIO.md §7) evaluated by `bekostiging.expectations`.

Every expected value below is worked out by hand from SCENARIO.md §4–5; the arithmetic
sits in a comment next to it. The scenario `CHECKS`:

  units (mono): vk_a 100 × 1 = 100 at 100.00, zh_b 100 × 0.5 = 50 at 1000.00, all paid by zvw
  mono    vk revenue 10,000.00, cost 100 × 80 = 8,000.00; zh revenue 50,000.00, cost 20,000.00
          (its availability function); zvw net −60,000.00; gemeente pays nothing: net 0
          acuut coverage: embedded 0.10 × 1000 × 50 = 5,000 / 20,000 = 0.2500, gap 15,000.00
  besch   + availability zvw → zh 0.5 × 20,000 = 10,000.00: zvw net −70,000.00
          coverage (5,000 + 10,000) / 20,000 = 0.7500
  samen   shift 20 % of zh_b to vk_a: zh_b 40 units, vk_a 110; zvw spends 11,000 + 40,000
          = 51,000 before shared savings; benchmark 60,000 (mono), S = 9,000, payout 4,500
          split equally 2,250 / 2,250
  dubbel  two shared_savings of zvw, benchmark 70,000: S = 10,000 → 5,000; then
          A = 65,000, S = 5,000 → 2,500; payouts sum to 7,500.00
  what-if duur: vk_a costs 120.00
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from io import StringIO

import pytest

from bekostiging import examples, expectations
from bekostiging.expectations import Outcome, evaluate, failed, junit_xml, render_outcomes
from bekostiging.findings import ScenarioError

CHECKS = """
[scenario]
name = "Toetsen"
baseline = "mono"
client = "client"
default_payer = "zvw"

[parties.zvw]
role = "payer"
[parties.gemeente]
role = "payer"
[parties.client]
role = "client"
[parties.vk]
role = "provider"
[parties.zh]
role = "provider"

[activities.vk_a]
provider = "vk"
tariff = 100.00
cost = 80.00
[activities.zh_b]
provider = "zh"
tariff = 1000.00
availability_share = 0.10

[profiles.p]
clients = 100
[profiles.p.path]
vk_a = 1
zh_b = 0.5

[availability.acuut]
party = "zh"
annual_cost = 20000

[variants.mono]
name = "Vandaag"

[variants.besch]
name = "Beschikbaarheid"
[[variants.besch.mechanisms]]
type = "availability"
payer = "zvw"
functions = ["acuut"]
funding = 0.5
strip_tariffs = false

[variants.samen]
name = "Samen"
effects = [{ op = "shift", profile = "p", from = "zh_b", to = "vk_a", fraction = 0.2 }]
[[variants.samen.mechanisms]]
type = "shared_savings"
payer = "zvw"
sharing_rate = 0.5
recipients = ["vk", "zh"]
distribution = "equal"

[variants.dubbel]
name = "Dubbel"
[[variants.dubbel.mechanisms]]
type = "shared_savings"
payer = "zvw"
benchmark = 70000
sharing_rate = 0.5
recipients = ["vk", "zh"]
distribution = "equal"
[[variants.dubbel.mechanisms]]
type = "shared_savings"
payer = "zvw"
benchmark = 70000
sharing_rate = 0.5
recipients = ["vk", "zh"]
distribution = "equal"

[whatif.duur]
effects = [{ op = "set", path = "activities.vk_a.tariff", value = 120 }]

# 0: revenue, min = max = value (both edges inclusive)
[[expect]]
variant = "mono"
party = "vk"
metric = "revenue"
min = 10000
max = 10000
message = "De verloskundigen houden hun omzet"

# 1: payments, one cent short of min
[[expect]]
variant = "mono"
party = "zvw"
metric = "payments"
min = 60000.01

# 2: net, on the max edge
[[expect]]
variant = "mono"
party = "zvw"
metric = "net"
max = -60000

# 3: delta, one cent above max
[[expect]]
variant = "besch"
party = "zvw"
metric = "delta"
max = -10000.01
message = "Beschikbaarheid kost de verzekeraar meer dan 10.000"

# 4: delta_pct = 100 × −10,000 / 60,000 = −16.666… → −16.67 (half-even, 2 decimals)
[[expect]]
variant = "besch"
party = "zvw"
metric = "delta_pct"
min = -16.67
max = -16.67

# 5: delta_pct of zh = 100 × 10,000 / 50,000 = 20.00, below min
[[expect]]
variant = "besch"
party = "zh"
metric = "delta_pct"
min = 20.01

# 6: delta_pct of gemeente: its baseline net is 0 -> null
[[expect]]
variant = "besch"
party = "gemeente"
metric = "delta_pct"
min = -1

# 7: margin of vk = 10,000 − 8,000 = 2,000.00, on the min edge
[[expect]]
variant = "mono"
party = "vk"
metric = "margin"
min = 2000

# 8: margin of zvw: no cost -> null
[[expect]]
variant = "mono"
party = "zvw"
metric = "margin"
min = 0

# 9: coverage 0.7500, a fraction
[[expect]]
variant = "besch"
function = "acuut"
metric = "coverage"
min = 0.75
max = 0.75

# 10: coverage 0.2500 is above max 0.2499
[[expect]]
variant = "mono"
function = "acuut"
metric = "coverage"
max = 0.2499
message = "Dekking onder de 25 %"

# 11: gap = 20,000 − 0.10 × 1000 × 40 = 16,000.00
[[expect]]
variant = "samen"
function = "acuut"
metric = "gap"
min = 16000
max = 16000

# 12: payout 4,500.00
[[expect]]
variant = "samen"
payer = "zvw"
metric = "payout"
min = 4500
max = 4500

# 13: two shared_savings rows for zvw: 5,000 + 2,500
[[expect]]
variant = "dubbel"
payer = "zvw"
metric = "payout"
min = 7500
max = 7500

# 14: gemeente has no shared_savings mechanism in samen
[[expect]]
variant = "samen"
payer = "gemeente"
metric = "payout"
min = 0

# 15: the baseline has no shared_savings mechanism at all
[[expect]]
variant = "mono"
payer = "zvw"
metric = "payout"
max = 0

# 16: what-if: vk revenue = 100 × 120.00
[[expect]]
variant = "mono"
whatif = ["duur"]
party = "vk"
metric = "revenue"
min = 12000
max = 12000

# 17: what-if in samen: spend 110 × 120 + 40,000 = 53,200, benchmark 62,000, payout 4,400
[[expect]]
variant = "samen"
whatif = ["duur"]
payer = "zvw"
metric = "payout"
min = 4400
max = 4400

# 18: margin of vk in samen = 11,000 + 2,250 − 110 × 80 = 4,450.00
[[expect]]
variant = "samen"
party = "vk"
metric = "margin"
min = 4450
max = 4450.00

# 19: delta_pct of zvw in samen = 100 × 4,500 / 60,000 = 7.50
[[expect]]
variant = "samen"
party = "zvw"
metric = "delta_pct"
min = 7.5
max = 7.5
"""

FAILING = {1, 3, 5, 6, 8, 10, 14, 15}


@pytest.fixture
def checks(scenario):
    return scenario(CHECKS)


@pytest.fixture
def outcomes(checks) -> list[Outcome]:
    return evaluate(checks)


def d(text: str) -> Decimal:
    return Decimal(text)


BASE = CHECKS.split("# 0:")[0]  # the scenario without its [[expect]] blocks


def expect(**fields: object) -> str:
    """One [[expect]] block; strings are written with their quotes (`'"mono"'`)."""
    return "[[expect]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items()) + "\n"


# ---------------------------------------------------------------- evaluation


def test_one_outcome_per_expectation_in_file_order(outcomes):
    assert [o.index for o in outcomes] == list(range(20))
    assert {o.index for o in outcomes if not o.passed} == FAILING
    assert failed({"f": outcomes}) == len(FAILING)


@pytest.mark.parametrize(
    ("index", "value"),
    [
        (0, "10000.00"),  # revenue 100 × 100.00
        (1, "60000.00"),  # payments 100 × 100 + 50 × 1000
        (2, "-60000.00"),  # net of the payer
        (3, "-10000.00"),  # delta: −70,000 − −60,000
        (4, "-16.67"),  # delta_pct −16.666… rounded half-even
        (5, "20.00"),  # delta_pct 100 × 10,000 / 50,000
        (7, "2000.00"),  # margin 10,000 − 8,000
        (9, "0.7500"),  # coverage (5,000 + 10,000) / 20,000
        (10, "0.2500"),  # coverage 5,000 / 20,000
        (11, "16000.00"),  # gap 20,000 − 4,000
        (12, "4500.00"),  # payout 9,000 × 0.5
        (13, "7500.00"),  # payouts 5,000 + 2,500
        (16, "12000.00"),  # what-if: 100 × 120.00
        (17, "4400.00"),  # what-if: (62,000 − 53,200) × 0.5
        (18, "4450.00"),  # margin 13,250 − 8,800
        (19, "7.50"),  # delta_pct 100 × 4,500 / 60,000
    ],
)
def test_values_are_exact_decimals_on_the_users_scale(outcomes, index, value):
    got = outcomes[index].value
    assert isinstance(got, Decimal)
    assert got == d(value)
    assert str(got) == value  # the stored scale: 2 decimals, 4 for coverage


def test_fields_of_an_outcome(outcomes):
    assert outcomes[0] == Outcome(
        index=0,
        variant="mono",
        kind="party",
        subject="vk",
        metric="revenue",
        whatifs=(),
        min=d("10000"),
        max=d("10000"),
        value=d("10000.00"),
        passed=True,
        message="De verloskundigen houden hun omzet",
        reason="value 10000.00 is within [10000, 10000]",
    )
    assert (outcomes[9].kind, outcomes[9].subject) == ("function", "acuut")
    assert (outcomes[12].kind, outcomes[12].subject) == ("payer", "zvw")
    assert outcomes[16].whatifs == ("duur",)
    assert outcomes[1].message is None


def test_bounds_are_inclusive_on_both_edges(outcomes):
    assert outcomes[0].passed  # min = max = value
    assert outcomes[2].passed and outcomes[2].reason == "value -60000.00 is at most max -60000"
    assert outcomes[7].passed and outcomes[7].reason == "value 2000.00 is at least min 2000"
    assert outcomes[4].passed and outcomes[9].passed and outcomes[19].passed


def test_one_cent_or_one_basis_point_outside_fails(outcomes):
    assert outcomes[1].reason == "value 60000.00 is below min 60000.01"
    assert outcomes[3].reason == "value -10000.00 is above max -10000.01"
    assert outcomes[5].reason == "value 20.00 is below min 20.01"
    assert outcomes[10].reason == "value 0.2500 is above max 0.2499"
    assert not any(outcomes[i].passed for i in (1, 3, 5, 10))


def test_null_delta_pct_fails_with_a_reason(outcomes):
    o = outcomes[6]
    assert (o.passed, o.value) == (False, None)
    assert o.reason == "delta_pct is null (the net of gemeente in the baseline mono is 0)"


def test_null_margin_fails_with_a_reason(outcomes):
    o = outcomes[8]
    assert (o.passed, o.value) == (False, None)
    assert o.reason.startswith("margin is null (zvw has no cost")


def test_missing_shared_savings_row_fails_with_a_reason(outcomes):
    assert outcomes[14].value is None and not outcomes[14].passed
    assert outcomes[14].reason == "no shared_savings mechanism for payer gemeente in variant samen"
    assert outcomes[15].reason == "no shared_savings mechanism for payer zvw in variant mono"


def test_each_whatif_combination_is_computed_once(checks, monkeypatch):
    loads, runs = [], []
    real_load, real_run = expectations.load_scenario, expectations.run

    def load(path, overrides=()):
        loads.append(path)
        return real_load(path, overrides)

    def run(scenario, **kwargs):
        runs.append((tuple(kwargs["whatifs"]), tuple(kwargs["variants"])))
        return real_run(scenario, **kwargs)

    monkeypatch.setattr(expectations, "load_scenario", load)
    monkeypatch.setattr(expectations, "run", run)
    evaluate(checks)
    assert len(loads) == 1
    assert runs == [
        ((), ("mono", "besch", "samen", "dubbel")),
        (("duur",), ("mono", "samen")),  # only the variants its expectations name
    ]


def test_whatif_order_makes_a_distinct_combination(scenario):
    text = BASE + (
        '[whatif.goedkoop]\neffects = [{ op = "scale", path = "activities.vk_a.tariff", factor = 0.5 }]\n'
        + "".join(
            expect(variant='"mono"', whatif=ws, party='"vk"', metric='"revenue"', min=v, max=v)
            for ws, v in (('["duur", "goedkoop"]', 6000), ('["goedkoop", "duur"]', 12000))
        )
    )
    first, second = evaluate(scenario(text))
    assert first.value == d("6000.00") and first.passed  # 120.00, then halved: 60.00 × 100
    assert second.value == d("12000.00") and second.passed  # halved, then set to 120.00
    assert (first.whatifs, second.whatifs) == (("duur", "goedkoop"), ("goedkoop", "duur"))


def test_another_baseline(checks):
    out = evaluate(checks, baseline="besch")
    assert out[3].value == d("0.00")  # besch against itself
    assert out[3].reason == "value 0.00 is above max -10000.01"
    assert out[2].value == d("-60000.00") and out[2].passed  # net does not depend on the baseline
    assert out[6].reason == "delta_pct is null (the net of gemeente in the baseline besch is 0)"
    # the shared-savings benchmark follows the baseline: besch spends 70,000, so samen saves
    # 70,000 − 51,000 = 19,000 and pays out 9,500.00
    assert out[12].value == d("9500.00") and out[12].reason == "value 9500.00 is above max 4500"
    assert out[13].value == d("7500.00")  # a benchmark number does not


def test_set_overrides_apply_before_the_checks(checks):
    out = evaluate(checks, sets=["activities.vk_a.tariff=120"])
    assert out[0].value == d("12000.00") and out[0].reason == "value 12000.00 is above max 10000"
    assert out[16].value == d("12000.00") and out[16].passed  # the what-if sets the same tariff


def test_unknown_baseline_raises_scenario_error(checks):
    with pytest.raises(ScenarioError, match="nope"):
        evaluate(checks, baseline="nope")


def test_invalid_expectation_is_a_load_error(scenario):
    text = BASE + expect(variant='"mono"', party='"zz"', metric='"net"', min=0)
    with pytest.raises(ScenarioError, match=r"expect\.0\.party"):
        evaluate(scenario(text))


def test_no_expectations_no_outcomes(scenario):
    assert evaluate(scenario(BASE)) == []


def test_embedded_example_checks_all_pass():
    out = evaluate(examples.path_of("geboortezorg-regio"))
    assert len(out) == 7
    assert all(o.passed for o in out), [o.reason for o in out if not o.passed]
    assert [(o.variant, o.subject, o.metric, o.whatifs) for o in out] == [
        ("mono", "acute_verloskunde", "coverage", ()),
        ("mono", "acute_verloskunde", "coverage", ("minder_interventies",)),
        ("profielen", "acute_verloskunde", "coverage", ("minder_interventies",)),
        ("integraal", "zorgverzekeraar", "delta_pct", ()),
        ("profielen", "client", "delta", ()),
        ("profielen", "zorgverzekeraar", "delta", ()),
        ("integraal", "ziekenhuis", "margin", ()),
    ]
    # coverage is a fraction (the example's comments: 95.1 % today, about 92 % after the what-if)
    assert d("0.95") <= out[0].value <= d("0.96")
    assert d("0.91") <= out[1].value <= d("0.93")
    assert out[2].value >= d("0.97")
    assert out[3].value is not None and abs(out[3].value) <= d("0.1")  # a percentage
    # the co-payments clients no longer pay: 1,400 x 46 h + ... x 5.10 + 230.9 outpatient births x 375
    assert out[4].value == d("636979.50")
    assert out[5].value < 0 and out[6].value < 0


# ---------------------------------------------------------------- JUnit XML


def test_junit_xml_counts_and_failures(outcomes):
    data = junit_xml({"a.toml": outcomes, "b.toml": outcomes[:1]})
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n")
    root = ET.fromstring(data)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("21", "8", "0")
    a, b = root.findall("testsuite")
    assert (a.get("name"), a.get("tests"), a.get("failures")) == ("a.toml", "20", "8")
    assert (b.get("name"), b.get("tests"), b.get("failures")) == ("b.toml", "1", "0")
    cases = a.findall("testcase")
    assert [c.get("name") for c in cases[:2]] == ["expect[0] mono vk revenue", "expect[1] mono zvw payments"]
    assert {c.get("classname") for c in cases} == {"a.toml"}
    failures = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    assert len(failures) == 8
    assert failures["expect[10] mono acuut coverage"].get("message") == "value 0.2500 is above max 0.2499"
    assert "Dekking onder de 25 %" in failures["expect[10] mono acuut coverage"].text
    assert failures["expect[14] samen gemeente payout"].get("message") == (
        "no shared_savings mechanism for payer gemeente in variant samen"
    )
    assert cases[0].find("failure") is None


def test_junit_xml_is_byte_identical_on_repeat(checks):
    first = junit_xml({str(checks): evaluate(checks)})
    second = junit_xml({str(checks): evaluate(checks)})
    assert first == second


def test_junit_xml_lists_files_that_failed_to_load(outcomes):
    root = ET.fromstring(junit_xml({"a.toml": outcomes[:2]}, errors={"bad.toml": "error: bad.toml: x"}))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    bad = root.findall("testsuite")[1]
    assert (bad.get("name"), bad.get("errors"), bad.get("tests")) == ("bad.toml", "1", "1")
    assert bad.find("testcase/error").text == "error: bad.toml: x"


def test_junit_xml_survives_characters_xml_cannot_hold(scenario):
    """A message cannot hold a control character (validation refuses it); a file name can:
    shown as its escape (`\\x07`), and what XML cannot hold at all (U+FFFE) dropped."""
    text = BASE + expect(variant='"mono"', party='"vk"', metric='"net"', max=0, message=r'"bell <&> \"€\""')
    out = evaluate(scenario(text))
    root = ET.fromstring(junit_xml({"x & <y>\x07\ufffe.toml": out}))
    assert root.find("testsuite").get("name") == "x & <y>\\x07.toml"
    assert 'bell <&> "€"' in root.find("testsuite/testcase/failure").text


# ---------------------------------------------------------------- terminal


def printed(table, width: int = 200) -> str:
    from rich.console import Console

    console = Console(file=StringIO(), width=width, color_system=None, force_terminal=False)
    console.print(table)
    return console.file.getvalue()


def test_render_outcomes_in_dutch(outcomes):
    text = printed(render_outcomes({"toetsen.toml": outcomes}))
    assert "Beleidstoetsen: toetsen.toml" in text
    assert "12 van 20 toetsen geslaagd, 8 mislukt" in text
    assert "€ 60.000,00" in text and "≥ € 60.000,01" in text  # money, bounds
    assert "-16,67%" in text  # delta_pct, a percentage
    assert "25,00%" in text and "≤ 24,99%" in text  # coverage, a fraction shown in percent
    assert "75,00% … 75,00%" in text
    assert "✘ FOUT" in text and "✔ OK" in text
    flat = " ".join(text.split())  # a reason wraps in its column
    assert "geen gedeelde besparingen voor betaler gemeente in variant samen" in flat
    assert "waarde € 60.000,00 ligt onder het minimum € 60.000,01" in flat  # in Dutch, Dutch amounts
    assert "no shared_savings" not in flat and "is below min" not in flat
    assert "duur" in text  # the what-ifs column
    assert "Bestand" not in text  # one file: no file column


def test_render_outcomes_in_english_with_several_files(outcomes):
    text = printed(render_outcomes({"a.toml": outcomes[:3], "b.toml": outcomes[9:10]}, lang="en"))
    assert "File" in text and "a.toml" in text and "b.toml" in text
    assert "€60,000.00" in text and "-€60,000.00" in text
    assert "75.00%" in text and "✔ PASS" in text and "✘ FAIL" in text
    assert "3 of 4 checks passed, 1 failed" in text
    assert "value €60,000.00 is below min €60,000.01" in " ".join(text.split())


def test_render_outcomes_does_not_read_markup_from_messages(scenario):
    text = BASE + expect(
        variant='"mono"', party='"vk"', metric='"net"', min=0, message='"[bold]x[/bold] [red"'
    )
    assert "[bold]x[/bold] [red" in printed(render_outcomes({"x": evaluate(scenario(text))}))


def test_bounds_with_more_decimals_are_shown_exactly():
    assert expectations.format_value(d("0.92955"), "coverage") == "92,955%"
    assert expectations.format_value(d("1000.005"), "net", "en") == "€1,000.005"
    assert expectations.format_value(d("-0.10"), "delta_pct") == "-0,10%"
    assert expectations.format_value(None, "payout") == "–"


def test_rich_is_imported_only_when_rendering():
    code = "import sys, bekostiging.expectations; print('rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
