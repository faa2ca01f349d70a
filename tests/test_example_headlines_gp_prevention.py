"""The multi-year headlines of huisartsenpilot-limburg and preventie-gemeente, as their
READMEs state them. `bekostiging check` evaluates one year without the horizon, so the
claims about net present values and about when money flows are pinned here."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bekostiging.api import compare
from bekostiging.examples import path_of


def _npv(comparison, variant: str, party: str, column: str = "npv_delta") -> Decimal:
    h = comparison.figures.extra["horizon"]
    row = h.filter((h["variant"] == variant) & (h["party"] == party))
    return Decimal(row[column][0]) / 100  # the figures hold cents


def _delta(comparison, year: int, variant: str, party: str) -> Decimal:
    r = comparison.figures.results
    row = r.filter((r["year"] == year) & (r["variant"] == variant) & (r["party"] == party))
    return Decimal(row["delta"][0]) / 100


@pytest.fixture(scope="module")
def gp():
    return compare(path_of("huisartsenpilot-limburg"))


@pytest.fixture(scope="module")
def prev():
    return compare(path_of("preventie-gemeente"))


def test_gp_pilot_saves_the_insurer_and_the_tapering_guarantee_keeps_the_hospital_whole(gp):
    assert _npv(gp, "pilot", "zorgverzekeraar") == Decimal("1977212.40")
    assert _npv(gp, "pilot", "ziekenhuis", "npv_margin_delta") < Decimal("-1000000")
    # the tapering guarantee: the insurer keeps about half, the hospital's margin is whole to within 1 %
    assert _npv(gp, "pilot_omzetgarantie", "zorgverzekeraar") == Decimal("914900.53")
    assert abs(_npv(gp, "pilot_omzetgarantie", "ziekenhuis", "npv_margin_delta")) < Decimal("10000")
    # the GPs are paid for their extra hours at cost
    assert abs(_npv(gp, "pilot", "huisartsen", "npv_margin_delta")) < Decimal("500")


def test_gp_costs_come_first(gp):
    # in 2024 the guarantee and the GP hours cost the insurer more than the referrals save
    assert _delta(gp, 2024, "pilot_omzetgarantie", "zorgverzekeraar") < 0
    assert _delta(gp, 2024, "pilot", "zorgverzekeraar") < _delta(gp, 2026, "pilot", "zorgverzekeraar")


def test_gp_on_a_lump_sum_the_hospital_gains_margin_and_the_insurer_saves_less(gp):
    assert _npv(gp, "pilot_aanneemsom", "ziekenhuis", "npv_margin_delta") > 0
    assert 0 < _npv(gp, "pilot_aanneemsom", "zorgverzekeraar") < _npv(gp, "pilot", "zorgverzekeraar")


@pytest.mark.parametrize(("factor", "positive"), [("0.950", True), ("0.951", False)])
def test_gp_pilot_flips_when_referrals_fall_by_less_than_five_percent(factor, positive):
    assert _insurer_gains("huisartsenpilot-limburg", "pilot", "effects.1.factor", factor) is positive


def _insurer_gains(example: str, variant: str, field: str, value: str) -> bool:
    """Whether the insurer's net present value of `variant` is positive with one input set."""
    overrides = {f"variants.{variant}.{field}": Decimal(value)}
    c = compare(path_of(example), variants=[variant], overrides=overrides)
    return _npv(c, variant, "zorgverzekeraar") > 0


def test_prevention_wrong_pocket_and_lagging_benefits(prev):
    assert _npv(prev, "preventie_zonder_afspraak", "gemeente") == Decimal("-584848.49")
    assert _npv(prev, "preventie_zonder_afspraak", "zorgverzekeraar") == Decimal("466257.43")
    # the benefits lag: nothing saved in 2024, the coach paid from the start
    assert _delta(prev, 2024, "preventie_zonder_afspraak", "zorgverzekeraar") == 0
    assert _delta(prev, 2024, "preventie_zonder_afspraak", "gemeente") < 0


def test_prevention_money_reaches_the_gemeente_as_a_payer(prev):
    no_deal = _npv(prev, "preventie_zonder_afspraak", "gemeente")
    shared = _npv(prev, "gedeelde_besparing", "gemeente")
    transfer = _npv(prev, "voorfinanciering", "gemeente")
    pooled = _npv(prev, "gezamenlijk_budget", "gemeente")
    assert no_deal < shared < transfer < 0 and no_deal < pooled < 0
    # shared savings pay nothing while the saving is below the threshold (2024, 2025)
    assert _delta(prev, 2025, "gedeelde_besparing", "gemeente") == _delta(
        prev, 2025, "preventie_zonder_afspraak", "gemeente"
    )
    for variant in ("gedeelde_besparing", "voorfinanciering", "gezamenlijk_budget"):
        assert _npv(prev, variant, "zorgverzekeraar") > 0


@pytest.mark.parametrize(("factor", "positive"), [("0.9778", True), ("0.9780", False)])
def test_prevention_joint_budget_flips_for_the_insurer(factor, positive):
    assert _insurer_gains("preventie-gemeente", "gezamenlijk_budget", "effects.2.factor", factor) is positive
