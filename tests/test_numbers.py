"""The one euro formatter and the one label catalogue (`report.numbers`, `report.i18n`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bekostiging.report import i18n
from bekostiging.report.numbers import cell, euro, euros, number, percent, scaled


def d(text: str) -> Decimal:
    return Decimal(text)


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        ("1234567.89", "€ 1.234.567,89", "€1,234,567.89"),
        ("-1234567.89", "€ -1.234.567,89", "-€1,234,567.89"),
        ("-0.05", "€ -0,05", "-€0.05"),
        ("0", "€ 0,00", "€0.00"),
        ("12.5", "€ 12,50", "€12.50"),
        ("1000000000000.00", "€ 1.000.000.000.000,00", "€1,000,000,000,000.00"),
    ],
)
def test_euros_in_dutch_and_english(value, nl, en):
    assert euro(d(value), "nl") == nl
    assert euro(d(value), "en") == en


def test_cents_in_exact_out():
    # Beyond a double's 15-16 digits: through a float this would print ...876,55.
    assert euro(euros(9876543210987654), "nl") == "€ 98.765.432.109.876,54"
    assert euro(euros(-9876543210987654), "en") == "-€98,765,432,109,876.54"
    assert euros(-1) == d("-0.01") and euros(None) is None
    for cents in (1, 5, 49, 50, 51, 99, 12345, -12345, 10**14 + 1):
        text = euro(euros(cents), "en").replace("€", "").replace(",", "")
        assert d(text) * 100 == cents


def test_an_amount_is_never_rounded():
    with pytest.raises(ValueError, match="never rounded"):
        euro(d("0.005"), "nl")
    with pytest.raises(ValueError, match="never rounded"):
        euro(d("-1234.567"), "en")
    assert euro(d("1.2300"), "nl") == "€ 1,23"  # trailing zeros are no decimals
    assert euro(d("0.005"), "nl", places=3) == "€ 0,005"
    assert euro(d("-1234.567"), "en", places=3) == "-€1,234.567"
    assert euro(None, "nl") == euro(None, "en") == "–"


def test_percentages_and_fractions():
    assert percent(d("-5.25"), "nl") == "-5,25%"
    assert percent(d("1234.5"), "en") == "1,234.50%"
    assert percent(d("0.9512"), "en", fraction=True) == "95.1%"
    assert percent(d("0.9512"), "nl", fraction=True) == "95,1%"
    assert percent(d("-0.1234"), "nl", fraction=True) == "-12,3%"  # a share is shown to 0.1 %
    assert percent(d("12.345"), "nl", places=3) == "12,345%"
    assert percent(None, "en") == "–"
    assert number(d("1234567.891"), 2, "nl") == "1.234.567,89"


def test_stored_figures_by_column():
    assert cell(-2159805497, "net", "nl") == "€ -21.598.054,97"
    assert cell(1234, "delta_pct", "en") == "12.34%"
    assert cell(9512, "coverage", "nl") == "95,1%"
    assert cell(True, "eligible", "nl") == "ja" and cell(False, "eligible", "en") == "no"
    assert cell("provider", "role", "nl") == "aanbieder"
    assert cell(None, "cost", "nl") == "–"
    assert cell("zv", "party", "nl") == "zv"
    assert scaled(12345, "coverage") == d("1.2345") and scaled(7, "year") == 7


def test_one_catalogue_with_the_same_labels_in_every_language():
    nl, en = i18n.labels("nl"), i18n.labels("en")
    for group in (
        "columns",
        "titles",
        "words",
        "roles",
        "steps",
        "report",
        "uncertainty",
        "sources",
        "checks",
        "explain",
    ):
        assert set(getattr(nl, group)) == set(getattr(en, group)), group
    assert nl.sources["sheet"] == "bronnen" and en.sources["sheet"] == "sources"
    with pytest.raises(ValueError, match="unknown language 'de'; choose from nl, en"):
        i18n.labels("de")


def test_every_column_of_a_table_has_a_label():
    from bekostiging.report.figures import COLUMNS

    columns = {c for name, cs in COLUMNS.items() if name != "attribution" for c in cs}
    for lang in i18n.LANGUAGES:
        assert columns <= set(i18n.labels(lang).columns), columns - set(i18n.labels(lang).columns)
