"""What every example may claim: its policy checks pass, and no untouched party moves.

Two guarantees over EVERY example in examples/ (discovered, so a new or reworked example is
covered without editing this file; the national folder runs in the slow set):

- `bekostiging check` passes and the example states at least one `[[expect]]`: an example
  is a claim about money, and its README's headline should be checked by the tool itself.
- A party that a variant leaves untouched shows a delta of exactly 0.00, in every variant,
  every year of a `[horizon]` and under each single what-if. "Untouched" is read from the
  ledger, through the public API only: the party's flows summed per (direction,
  counterparty, component) are the same as in the baseline of that year (and a party with
  no flows at all in either shows 0.00 too). A non-zero delta there would be money that
  comes from nowhere: a rounding residue of the books of several insurers, a guarantee or
  settlement booked against the wrong party, or a delta taken against the wrong year.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

import bekostiging as bk
from bekostiging import examples
from support.slow import example_params

NAMES = examples.names()
ZERO = Decimal("0.00")


def scenarios_of(name: str) -> tuple:
    """The example's scenario(s): one, or one per region of a national folder."""
    loaded = bk.load(name)
    return loaded if isinstance(loaded, tuple) else (loaded,)


def runs_of(name: str) -> list[tuple[str, ...]]:
    """No what-if, then each what-if of the example on its own."""
    return [(), *[(w,) for w in scenarios_of(name)[0].model.whatif]]


def comparisons(result) -> list:
    """Each scenario's Comparison of a compare() result (one, or one per region)."""
    return list(result.items) if isinstance(result, bk.Comparisons) else [result]


def flows_by_party(ledger) -> dict:
    """{(year, variant): {party: {(direction, counterparty, component): amount}}}, zeros dropped."""
    has_year = "year" in ledger.columns
    out: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    for row in ledger.iter_rows(named=True):
        key = (row["year"] if has_year else None, row["variant"])
        amount, component = row["amount"], row["component"]
        out[key][row["payer"]][("out", row["payee"], component)] += amount
        out[key][row["payee"]][("in", row["payer"], component)] += amount
    return {
        key: {party: {k: v for k, v in flows.items() if v != 0} for party, flows in parties.items()}
        for key, parties in out.items()
    }


def untouched_with_a_delta(comparison) -> list[str]:
    """Every (year, variant, party) whose flows equal the baseline's but whose delta is not 0.00."""
    baseline = comparison.meta.baseline
    flows = flows_by_party(comparison.ledger)
    results = comparison.results
    has_year = "year" in results.columns
    wrong = []
    for row in results.iter_rows(named=True):
        year = row["year"] if has_year else None
        if row["variant"] == baseline:
            if row["delta"] != ZERO:
                wrong.append(
                    f"{year} {row['variant']} {row['party']}: the baseline's own delta {row['delta']}"
                )
            continue
        mine = flows.get((year, row["variant"]), {}).get(row["party"], {})
        base = flows.get((year, baseline), {}).get(row["party"], {})
        if mine == base and row["delta"] != ZERO:
            what = "no flows in either" if not mine else "the same flows as the baseline"
            wrong.append(f"{year} {row['variant']} {row['party']}: {what}, delta {row['delta']}")
    return wrong


# ------------------------------------------------------------------ a: checks pass


@pytest.mark.parametrize("name", example_params(NAMES))
def test_every_example_states_checks_and_passes_them(name):
    checks = bk.check(name)
    assert checks.outcomes.height >= 1, f"{name} has no [[expect]]: its headline is not checked"
    failed = checks.outcomes.filter(~checks.outcomes["passed"])
    assert checks.failed == 0, (
        f"{name}: {failed.select('variant', 'subject', 'metric', 'value', 'message').rows()}"
    )


# ------------------------------------------------------------------ b: untouched parties


@pytest.mark.parametrize("name", example_params(NAMES))
def test_no_untouched_party_shows_a_delta(name):
    wrong = []
    for whatifs in runs_of(name):
        for comparison in comparisons(bk.compare(name, whatifs=whatifs)):
            found = untouched_with_a_delta(comparison)
            wrong += [f"{comparison.meta.scenario_name} {list(whatifs)} {w}" for w in found]
    assert not wrong, "\n".join(wrong[:20])


def test_every_variant_compares_some_party_to_the_baseline():
    """The guarantee above is not vacuous: in the default example it meets both kinds of
    party (untouched ones, and touched ones whose flows differ), in every year."""
    comparison = bk.compare(examples.DEFAULT)
    flows = flows_by_party(comparison.ledger)
    baseline = comparison.meta.baseline
    same = differ = 0
    for (year, variant), parties in flows.items():
        if variant == baseline:
            continue
        for party in {*parties, *flows[(year, baseline)]}:
            if parties.get(party, {}) == flows[(year, baseline)].get(party, {}):
                same += 1
            else:
                differ += 1
    assert same > 0 and differ > 0


def test_a_delta_on_an_untouched_party_is_caught(monkeypatch):
    """A broken engine that puts one cent on an untouched party's delta fails the check."""
    comparison = bk.compare(examples.DEFAULT)
    assert untouched_with_a_delta(comparison) == []
    results = comparison.results
    flows = flows_by_party(comparison.ledger)
    baseline = comparison.meta.baseline
    year, variant, party = next(
        (r["year"], r["variant"], r["party"])
        for r in results.iter_rows(named=True)
        if r["variant"] != baseline
        and flows.get((r["year"], r["variant"]), {}).get(r["party"], {})
        == flows.get((r["year"], baseline), {}).get(r["party"], {})
    )
    import polars as pl

    hit = (pl.col("year") == year) & (pl.col("variant") == variant) & (pl.col("party") == party)
    broken = results.with_columns(
        pl.when(hit).then(pl.col("delta") + Decimal("0.01")).otherwise(pl.col("delta")).alias("delta")
    )
    monkeypatch.setattr(type(comparison), "results", property(lambda self: broken))
    assert [w.split(":")[0] for w in untouched_with_a_delta(comparison)] == [f"{year} {variant} {party}"]
