"""Several insurers in one region (CONTRACTS.md B, G "Books"): books per market payer.

Hand-computed: three insurers (0.55 / 0.30 / 0.15), zv_b following zv_a, zv_c riding free
on an availability mechanism that zv_a pays for the whole region. Properties: one insurer
with share 1 is exactly the v1 scenario; each book is the v1 scenario scaled by its
share; money is conserved per book and in total. Validation: every rule of G "Books".
"""

from __future__ import annotations

import copy
import textwrap
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bekostiging as bk
from bekostiging.engine.run import run as engine_run
from conftest import invoke
from strategies import scenarios, to_toml
from support.slow import budgets

BUDGETS = budgets(quick=15, long=100)

THREE = """
[scenario]
name = "Drie verzekeraars"
baseline = "nu"
default_payer = "market"
market_shares = { zv_a = 0.55, zv_b = 0.30, zv_c = 0.15 }

[parties.zv_a]
role = "payer"
[parties.zv_b]
role = "payer"
follows = "zv_a"
[parties.zv_c]
role = "payer"
[parties.gemeente]
role = "payer"
[parties.ziekenhuis]
role = "provider"
[parties.vsv]
role = "network"

[activities.partus]
provider = "ziekenhuis"
tariff = 1000
availability_share = 0.1

[profiles.zw]
clients = 1000
path = { partus = 1 }

[availability.obstetrie]
party = "ziekenhuis"
annual_cost = 200000

[variants.nu]

[variants.regio]
[[variants.regio.mechanisms]]
type = "availability"
payer = "zv_a"
applies_to = "region"
[[variants.regio.mechanisms]]
type = "collaboration"
payer = "zv_a"
recipient = "vsv"
fixed = 11000
per_client = 10
[[variants.regio.mechanisms]]
type = "collaboration"
payer = "gemeente"
recipient = "vsv"
fixed = 5000

[variants.besparen]
effects = [{ op = "scale", path = "profiles.zw.path.partus", factor = 0.9 }]
[[variants.besparen.mechanisms]]
type = "shared_savings"
sharing_rate = 0.5
recipients = ["ziekenhuis"]

[variants.plafond]
[[variants.plafond.mechanisms]]
type = "ceiling"
amount = 900000
party = "ziekenhuis"
[[variants.plafond.mechanisms]]
type = "quality"
payer = "zv_a"
pool = 11000
score = 1
recipients = ["vsv"]
"""


def cents(euros: str) -> int:
    return int(Decimal(euros) * 100)


def nets(result: Any, variant: str) -> dict[str, int]:
    frame = result.figures.results.filter(result.figures.results["variant"] == variant)
    return dict(zip(frame["party"], frame["net"], strict=True))


def ledger_rows(result: Any, variant: str) -> list[tuple]:
    frame = result.figures.ledger.filter(result.figures.ledger["variant"] == variant)
    return frame.select("component", "payer", "payee", "amount").rows()


# ================================================================ hand-computed


def test_a_lump_sum_and_a_transfer_in_the_books() -> None:
    """A lump sum is contracted by its payer (and applied by its follower, × 0.30 / 0.55);
    a transfer goes in the book of the party it comes from, here a gemeente: every book,
    its fixed amount × share."""
    extra = """
[variants.aanneem]
[[variants.aanneem.mechanisms]]
type = "lump_sum"
payer = "zv_a"
party = "ziekenhuis"
amount = 500000
[[variants.aanneem.mechanisms]]
type = "transfer"
from = "gemeente"
to = "vsv"
fixed = 11000
"""
    r = bk.compare(bk.loads(THREE + extra))
    # zv_a: 550 births × 1000 = 550,000 of fees replaced by the lump sum of 500,000.
    # zv_b follows: 500,000 × 0.30 / 0.55 = 272,727.2727… -> 272,727.27 instead of 300,000.
    # zv_c: its own fees, 150 × 1000. The transfer: 11,000 × (0.55 + 0.30 + 0.15).
    assert nets(r, "aanneem") == {
        "zv_a": -cents("500000"),
        "zv_b": -cents("272727.27"),
        "zv_c": -cents("150000"),
        "gemeente": -cents("11000"),
        "ziekenhuis": cents("922727.27"),
        "vsv": cents("11000"),
    }
    rows = ledger_rows(r, "aanneem")
    assert ("lump_sum", "zv_b", "ziekenhuis", cents("272727.27")) in rows
    assert ("transfer", "gemeente", "vsv", cents("11000")) in rows


def test_three_insurers_with_a_follower_and_a_free_rider() -> None:
    r = bk.compare(bk.loads(THREE))
    # Baseline: each book pays its clients' care. 550 / 300 / 150 births × € 1000.
    assert nets(r, "nu") == {
        "zv_a": cents("-550000"),
        "zv_b": cents("-300000"),
        "zv_c": cents("-150000"),
        "gemeente": 0,
        "vsv": 0,
        "ziekenhuis": cents("1000000"),
    }
    # regio: zv_a funds the whole function (applies_to = "region"): € 200,000 in its book.
    # Every book's tariffs lose their 10 % share: 550 / 300 / 150 × € 900.
    # Collaboration of zv_a: own book fixed € 11,000 + € 10 × 550 = € 16,500; its follower
    # zv_b: € 11,000 × 0.30 / 0.55 = € 6,000 + € 10 × 300 = € 9,000; zv_c: nothing.
    # Gemeente (no book of its own) in every book: € 5,000 × 0.55 / 0.30 / 0.15.
    assert sorted(ledger_rows(r, "regio")) == sorted(
        [
            ("fee", "zv_a", "ziekenhuis", cents("495000")),
            ("availability", "zv_a", "ziekenhuis", cents("200000")),
            ("collaboration", "zv_a", "vsv", cents("16500")),
            ("collaboration", "gemeente", "vsv", cents("5000")),  # 2,750 + 1,500 + 750, merged
            ("fee", "zv_b", "ziekenhuis", cents("270000")),
            ("collaboration", "zv_b", "vsv", cents("9000")),
            ("fee", "zv_c", "ziekenhuis", cents("135000")),
        ]
    )
    # zv_a: −495,000 − 200,000 − 16,500 = −711,500, Δ −161,500; zv_b: −279,000, Δ +21,000;
    # zv_c rides free: −135,000, Δ +15,000.
    deltas = r.figures.results.filter(r.figures.results["variant"] == "regio")
    assert dict(zip(deltas["party"], deltas["delta"], strict=True)) == {
        "zv_a": cents("-161500"),
        "zv_b": cents("21000"),
        "zv_c": cents("15000"),
        "gemeente": cents("-5000"),
        "vsv": cents("30500"),
        "ziekenhuis": cents("100000"),
    }
    # Coverage over all books: separate 200,000 (zv_a's book; 0 in the others), embedded 0
    # (stripped everywhere). Baseline: 0.1 × 1000 × 1000 = 100,000 embedded, 50 %.
    cov = {row["variant"]: row for row in r.figures.availability.to_dicts()}
    assert (cov["regio"]["separate"], cov["regio"]["embedded"], cov["regio"]["gap"]) == (20_000_000, 0, 0)
    assert (cov["nu"]["embedded"], cov["nu"]["coverage"]) == (10_000_000, 5000)


def test_shared_savings_is_settled_per_book_with_one_row_each() -> None:
    r = bk.compare(bk.loads(THREE))
    # 10 % fewer births. Book k: benchmark 1000 × n_k, actual 900 × n_k, payout 50 %.
    rows = r.figures.shared_savings.select("payer", "benchmark", "savings", "payout").rows()
    assert rows == [
        ("zv_a", cents("550000"), cents("55000"), cents("27500")),
        ("zv_b", cents("300000"), cents("30000"), cents("15000")),
        ("zv_c", cents("150000"), cents("15000"), cents("7500")),
    ]


def test_a_market_ceiling_is_split_over_the_books_and_a_follower_scales_a_pool() -> None:
    r = bk.compare(bk.loads(THREE))
    # Ceiling paid by "market": € 900,000 × share per book; the hospital received
    # 550,000 / 300,000 / 150,000: clawed back 55,000 / 30,000 / 15,000.
    # Quality pool of zv_a € 11,000 in its book, × 0.30 / 0.55 = € 6,000 for zv_b.
    assert sorted(ledger_rows(r, "plafond")) == sorted(
        [
            ("fee", "zv_a", "ziekenhuis", cents("550000")),
            ("fee", "zv_b", "ziekenhuis", cents("300000")),
            ("fee", "zv_c", "ziekenhuis", cents("150000")),
            ("clawback", "ziekenhuis", "zv_a", cents("55000")),
            ("clawback", "ziekenhuis", "zv_b", cents("30000")),
            ("clawback", "ziekenhuis", "zv_c", cents("15000")),
            ("quality", "zv_a", "vsv", cents("11000")),
            ("quality", "zv_b", "vsv", cents("6000")),
        ]
    )


def test_a_region_wide_collaboration_counts_the_whole_region() -> None:
    text = THREE.replace(
        "fixed = 11000\nper_client = 10", 'fixed = 11000\nper_client = 10\napplies_to = "region"'
    )
    r = bk.compare(bk.loads(text))
    # Only zv_a pays, for all 1000 clients: 11,000 + 10 × 1000 = 21,000; the follower
    # does not follow a region-wide mechanism.
    collab = [row for row in ledger_rows(r, "regio") if row[0] == "collaboration" and row[1] != "gemeente"]
    assert collab == [("collaboration", "zv_a", "vsv", cents("21000"))]


def test_refill_is_paid_by_each_books_payer() -> None:
    text = THREE.replace(
        'effects = [{ op = "scale", path = "profiles.zw.path.partus", factor = 0.9 }]',
        'effects = [{ op = "scale", path = "profiles.zw.path.partus", factor = 0.9 },'
        ' { op = "refill", party = "ziekenhuis", rate = 0.5 }]',
    )
    r = bk.compare(bk.loads(text))
    # Freed capacity per book: € 1000 × 0.1 × n_k; refilled at 50 %: 27,500 / 15,000 / 7,500.
    refill = [row for row in ledger_rows(r, "besparen") if row[0] == "refill"]
    assert refill == [
        ("refill", "zv_a", "ziekenhuis", cents("27500")),
        ("refill", "zv_b", "ziekenhuis", cents("15000")),
        ("refill", "zv_c", "ziekenhuis", cents("7500")),
    ]


def test_a_set_effect_applies_to_the_region_before_the_books() -> None:
    text = THREE.replace(
        'effects = [{ op = "scale", path = "profiles.zw.path.partus", factor = 0.9 }]',
        'effects = [{ op = "set", path = "profiles.zw.clients", value = 900 }]',
    )
    r = bk.compare(bk.loads(text))
    # 900 clients in the region, then split: 495 / 270 / 135 births × € 1000.
    fees = [row for row in ledger_rows(r, "besparen") if row[0] == "fee"]
    assert [row[3] for row in fees] == [cents("495000"), cents("270000"), cents("135000")]


# ================================================================ properties


def examples(budget: int) -> settings:
    return settings(max_examples=budget, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _one_insurer(data: dict[str, Any], explicit: list[bool]) -> dict[str, Any]:
    """The same scenario as one market payer with share 1; some mechanisms name it."""
    books = copy.deepcopy(data)
    books["scenario"]["default_payer"] = "market"
    books["scenario"]["market_shares"] = {"zorgverzekeraar": Decimal(1)}
    mechanisms = [m for v in books["variants"].values() for m in v.get("mechanisms", [])]
    for m, named in zip(mechanisms, explicit, strict=False):
        pays_itself = "payer" in m or "contributors" in m or m["type"] == "transfer"
        if named and not pays_itself:  # the default payer, named
            m["payer"] = "zorgverzekeraar"
    return books


@pytest.mark.parametrize("budget", BUDGETS)
def test_one_insurer_with_share_1_gives_exactly_the_v1_figures(budget):
    @examples(budget)
    @given(data=scenarios(), explicit=st.lists(st.booleans(), max_size=20))
    def check(data, explicit):
        v1 = bk.compare(bk.loads(to_toml(data), name="s.toml"))
        books = bk.compare(bk.loads(to_toml(_one_insurer(data, explicit)), name="s.toml"))
        for name in ("results", "components", "availability", "shared_savings", "totals", "ledger"):
            assert books.figures.table(name).equals(v1.figures.table(name)), name

    check()


FIXED = {  # the non-per-client amounts of the strategies' mechanisms, and availability's funding
    "collaboration": ("fixed",),
    "quality": ("pool",),
    "ceiling": ("amount",),
    "capitation": ("population",),
    "availability": ("funding",),
    "transfer": ("fixed",),
    "lump_sum": ("amount",),
}


def _market(data: dict[str, Any], shares: dict[str, Decimal]) -> dict[str, Any]:
    """`data` with its insurer split into market payers; fixed amounts in whole euros, so a
    share in hundredths keeps them in cents."""
    out = copy.deepcopy(data)
    del out["parties"]["zorgverzekeraar"]
    out["parties"].update({p: {"role": "payer"} for p in shares})
    out["scenario"]["default_payer"] = "market"
    out["scenario"]["market_shares"] = shares
    for v in out["variants"].values():
        # A mechanism that names the one insurer (a transfer from it, a contribution) has no
        # single market payer to stand for it: left out of this comparison.
        v["mechanisms"] = [m for m in v.get("mechanisms", []) if "zorgverzekeraar" not in repr(m)]
        for m in v["mechanisms"]:
            for name in FIXED.get(m["type"], ()):
                if name in m and m["type"] != "availability":
                    m[name] = Decimal(m[name]).to_integral_value()
    return out


def _book_as_v1(market: dict[str, Any], payer: str) -> dict[str, Any]:
    """Book `payer` written by hand as a v1 scenario: clients and fixed amounts × share."""
    share = market["scenario"]["market_shares"][payer]
    out = copy.deepcopy(market)
    del out["scenario"]["market_shares"]
    out["scenario"]["default_payer"] = payer
    for profile in out["profiles"].values():
        profile["clients"] *= share
    for v in out["variants"].values():
        for m in v.get("mechanisms", []):
            for name in FIXED.get(m["type"], ()):
                if name in m:
                    m[name] *= share
    return out


shares_of = st.sampled_from(
    [
        {"zv_a": Decimal("0.55"), "zv_b": Decimal("0.30"), "zv_c": Decimal("0.15")},
        {"zv_a": Decimal("0.5"), "zv_b": Decimal("0.5")},
        {"zv_a": Decimal("0.01"), "zv_b": Decimal("0.99")},
    ]
)


def _flows(ledger) -> list[tuple]:
    return sorted((f.component, f.payer, f.payee, f.profile, f.activity, f.amount) for f in ledger.flows)


@pytest.mark.parametrize("budget", BUDGETS)
def test_each_book_is_the_v1_scenario_scaled_by_its_share(budget):
    """Shares × k: book k equals the one-insurer scenario with clients and every non-per-client
    amount × share_k, written by hand; the merged ledger is the sum of the books."""

    @examples(budget)
    @given(data=scenarios(), shares=shares_of)
    def check(data, shares):
        market = _market(data, shares)
        result = engine_run(bk.loads(to_toml(market), name="s.toml").model)
        for payer in shares:
            v1 = engine_run(bk.loads(to_toml(_book_as_v1(market, payer)), name="s.toml").model)
            for v, res in result.variants.items():
                assert _flows(res.books[payer].ledger) == _flows(v1.variants[v].ledger), (payer, v)
                assert res.books[payer].settlements == v1.variants[v].settlements

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_money_is_conserved_per_book_and_in_total(budget):
    @examples(budget)
    @given(data=scenarios(), shares=shares_of, payers=st.lists(st.sampled_from([None, "zv_a", "gemeente"])))
    def check(data, shares, payers):
        market = _market(data, shares)
        market["parties"]["zv_b"]["follows"] = "zv_a"
        mechanisms = [m for v in market["variants"].values() for m in v.get("mechanisms", [])]
        for m, payer in zip(mechanisms, payers, strict=False):
            # a mechanism that names its paying side, or pays the party it would name, keeps it
            pays_itself = "payer" in m or "contributors" in m or m["type"] == "transfer"
            if payer is not None and not pays_itself and f"'{payer}'" not in repr(m):
                m["payer"] = payer
        result = engine_run(bk.loads(to_toml(market), name="s.toml").model)
        parties = list(market["parties"])
        for res in result.variants.values():
            total: dict[str, int] = defaultdict(int)
            for book in res.books.values():
                book_nets = {p: book.ledger.inflows(p) - book.ledger.outflows(p) for p in parties}
                assert sum(book_nets.values()) == 0
                for p, net in book_nets.items():
                    total[p] += net
            merged = {p: res.ledger.inflows(p) - res.ledger.outflows(p) for p in parties}
            assert merged == dict(total)
            assert sum(merged.values()) == 0

    check()


# ================================================================ validation


@pytest.fixture(autouse=True)
def _inside_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def edit(*changes: tuple[str, str], text: str = THREE) -> str:
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def problems(scenario: Callable[..., Path], text: str) -> list[str]:
    result = invoke("validate", scenario(textwrap.dedent(text), name="scenario.toml"))
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.exit_code == (1 if lines else 0), result.stderr
    return lines


def assert_problem(scenario, text: str, path: str, *fragments: str) -> None:
    lines = problems(scenario, text)
    prefix = f"error: scenario.toml: {path}: "
    assert any(line.startswith(prefix) and all(f in line for f in fragments) for line in lines), lines


def test_the_three_insurer_scenario_is_valid(scenario) -> None:
    assert problems(scenario, THREE) == []


def test_a_market_share_names_a_payer(scenario) -> None:
    text = edit(("zv_c = 0.15 }", "zv_x = 0.15 }"))
    assert_problem(scenario, text, "scenario.market_shares.zv_x", "unknown party 'zv_x'", "did you mean")
    text = edit(("zv_c = 0.15 }", "vsv = 0.15 }"))
    assert_problem(scenario, text, "scenario.market_shares.vsv", "has role 'network'")


def test_a_market_share_is_positive(scenario) -> None:
    text = edit(("zv_a = 0.55, zv_b = 0.30, zv_c = 0.15", "zv_a = 0.70, zv_b = 0.30, zv_c = 0"))
    assert_problem(scenario, text, "scenario.market_shares.zv_c", "must be > 0")


def test_market_shares_sum_to_exactly_1(scenario) -> None:
    text = edit(("zv_c = 0.15 }", "zv_c = 0.14 }"))
    assert_problem(scenario, text, "scenario.market_shares", "sum to exactly 1", "0.99")


def test_default_payer_market_is_written_out(scenario) -> None:
    text = edit(('default_payer = "market"', 'default_payer = "zv_a"'))
    assert_problem(scenario, text, "scenario.default_payer", '`default_payer = "market"`')
    text = edit(('default_payer = "market"\n', ""))
    assert_problem(scenario, text, "scenario.default_payer", '`default_payer = "market"`')


def test_market_without_market_shares(scenario) -> None:
    text = edit(("market_shares = { zv_a = 0.55, zv_b = 0.30, zv_c = 0.15 }\n", ""))
    for path in ("scenario.default_payer", "parties.zv_b.follows", "variants.regio.mechanisms.0.applies_to"):
        assert_problem(scenario, text, path, "needs `scenario.market_shares`")


def test_an_activity_cannot_name_a_market_payer(scenario) -> None:
    text = edit(("tariff = 1000\n", 'tariff = 1000\npayer = "zv_a"\n'))
    assert_problem(scenario, text, "activities.partus.payer", "'zv_a' is a market payer")


def test_follows_names_a_market_payer(scenario) -> None:
    text = edit(('follows = "zv_a"', 'follows = "zv_aa"'))
    assert_problem(scenario, text, "parties.zv_b.follows", "unknown market payer 'zv_aa'", "did you mean")
    text = edit(('follows = "zv_a"', 'follows = "gemeente"'))
    assert_problem(scenario, text, "parties.zv_b.follows", "unknown market payer 'gemeente'")


def test_a_lead_that_is_no_party_is_reported_once_not_a_crash(scenario) -> None:
    # found by the long fuzz run: the default example with its include line commented out
    # left the lead insurer undefined while its followers still named it (a KeyError)
    text = edit(('[parties.zv_a]\nrole = "payer"\n', ""))
    assert_problem(scenario, text, "scenario.market_shares.zv_a", "unknown party 'zv_a'")
    assert not any("parties.zv_b.follows" in line for line in problems(scenario, text))


def test_only_a_market_payer_follows(scenario) -> None:
    gemeente = '[parties.gemeente]\nrole = "payer"'
    text = edit((gemeente, f'{gemeente}\nfollows = "zv_a"'))
    assert_problem(scenario, text, "parties.gemeente.follows", "only a market payer can follow")


def test_no_cycles_of_followers(scenario) -> None:
    text = edit(('follows = "zv_a"', 'follows = "zv_b"'))
    assert_problem(scenario, text, "parties.zv_b.follows", "cannot follow itself")
    text = edit(('[parties.zv_c]\nrole = "payer"', '[parties.zv_c]\nrole = "payer"\nfollows = "zv_b"'))
    assert_problem(scenario, text, "parties.zv_c.follows", "a follower cannot follow a follower")
    text = edit(('[parties.zv_a]\nrole = "payer"', '[parties.zv_a]\nrole = "payer"\nfollows = "zv_b"'))
    assert_problem(scenario, text, "parties.zv_b.follows", "a follower cannot follow a follower")


def test_a_follower_has_no_mechanisms_of_its_own(scenario) -> None:
    text = edit(('type = "quality"\npayer = "zv_a"', 'type = "quality"\npayer = "zv_b"'))
    assert_problem(scenario, text, "variants.plafond.mechanisms.1.payer", "a follower has no mechanisms")


def test_applies_to_region_needs_a_market_payer(scenario) -> None:
    text = edit(('type = "availability"\npayer = "zv_a"', 'type = "availability"'))
    assert_problem(scenario, text, "variants.regio.mechanisms.0.applies_to", "needs a market payer")
    text = edit(('type = "availability"\npayer = "zv_a"', 'type = "availability"\npayer = "gemeente"'))
    assert_problem(scenario, text, "variants.regio.mechanisms.0.applies_to", "needs a market payer")


def test_applies_to_only_on_availability_and_collaboration(scenario) -> None:
    text = edit(("pool = 11000", 'pool = 11000\napplies_to = "region"'))
    assert_problem(scenario, text, "variants.plafond.mechanisms.1.applies_to", "unknown key")
    text = edit(('applies_to = "region"', 'applies_to = "land"'))
    assert_problem(scenario, text, "variants.regio.mechanisms.0.applies_to", "region")


# ================================================================ --by payer and the docs


def test_by_payer_shows_who_rides_free() -> None:
    r = bk.compare(bk.loads(THREE), by="payer")
    frame = r.figures.table("by_payer")
    rows = {
        (row["payer"], row["component"]): (row["paid"], row["fair_share"], row["free_ride"])
        for row in frame.filter(frame["variant"] == "regio").to_dicts()
    }
    # availability: market payers paid 200,000 together; fair shares 110,000 / 60,000 /
    # 30,000; zv_a pays 90,000 for the others. Collaboration: 16,500 + 9,000 + 0 = 25,500;
    # fair shares 14,025 / 7,650 / 3,825. The gemeente has no market share.
    assert rows == {
        ("zv_a", "fee"): (cents("495000"), cents("495000"), 0),
        ("zv_a", "availability"): (cents("200000"), cents("110000"), cents("-90000")),
        ("zv_a", "collaboration"): (cents("16500"), cents("14025"), cents("-2475")),
        ("zv_b", "fee"): (cents("270000"), cents("270000"), 0),
        ("zv_b", "availability"): (0, cents("60000"), cents("60000")),
        ("zv_b", "collaboration"): (cents("9000"), cents("7650"), cents("-1350")),
        ("zv_c", "fee"): (cents("135000"), cents("135000"), 0),
        ("zv_c", "availability"): (0, cents("30000"), cents("30000")),
        ("zv_c", "collaboration"): (0, cents("3825"), cents("3825")),
        ("gemeente", "collaboration"): (cents("5000"), None, None),
    }
    # A clawback received counts against what was paid: 550,000 − 55,000 = 495,000 net.
    ceiling = frame.filter((frame["variant"] == "plafond") & (frame["component"] == "clawback"))
    assert ceiling.select("payer", "paid").rows() == [
        ("zv_a", cents("-55000")),
        ("zv_b", cents("-30000")),
        ("zv_c", cents("-15000")),
    ]


def test_by_payer_on_the_command_line(scenario) -> None:
    path = scenario(textwrap.dedent(THREE), name="scenario.toml")
    result = invoke("compare", path, "--by", "payer", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "variant,payer,component,paid,fair_share,free_ride,payer_name"
    assert any(line.startswith("regio,zv_c,availability,0.00,30000.00,30000.00,") for line in lines)
    assert any(line.startswith("regio,gemeente,collaboration,5000.00,,,") for line in lines)
    table = invoke("compare", path, "--by", "payer", "--lang", "en")
    assert table.exit_code == 0 and "Free ride" in table.stdout


def test_the_worked_example_in_the_docs_is_this_scenario() -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs" / "mechanisms.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Several insurers") :]
    block = section[section.index("```toml\n") + 8 : section.index("```", section.index("```toml\n") + 8)]
    documented = bk.compare(bk.loads(block))
    ours = bk.compare(bk.loads(THREE))
    for name in ("results", "availability", "shared_savings"):
        mine = ours.figures.table(name).filter(ours.figures.table(name)["variant"] != "plafond")
        assert documented.figures.table(name).equals(mine), name


def test_a_block_of_draws_equals_each_draw_alone_with_books(tmp_path: Path) -> None:
    """Simulation lanes through the books give each draw's figures to the cent."""
    from bekostiging.engine.simulate import Job, evaluate, evaluate_block
    from bekostiging.scenario.load import load_scenario
    from conftest import write

    path = write(tmp_path / "drie.toml", THREE)
    model, _ = load_scenario(path)
    columns = {
        "profiles.zw.clients": [Decimal(v) for v in ("1000", "999.5", "1234", "0")],
        "activities.partus.tariff": [Decimal(v) for v in ("1000", "1234.56", "999.99", "0.01")],
        "variants.regio.mechanisms.1.fixed": [Decimal(v) for v in ("11000", "12345.67", "0", "1")],
        "variants.plafond.mechanisms.0.amount": [Decimal(v) for v in ("900000", "1", "2000000", "555555.55")],
    }
    job = Job(model.model_dump(by_alias=True), columns, None, None, (), str(path), None)
    figures, savings = evaluate_block(job, range(4))
    for i in range(4):
        one_figures, one_savings = evaluate(job, i)
        for key, values in one_figures.items():
            assert tuple(None if c is None else int(c[i]) for c in figures[key]) == values, (i, key)
        for key, (eligible, payout) in one_savings.items():
            assert (bool(savings[key][0][i]), int(savings[key][1][i])) == (eligible, payout), (i, key)
