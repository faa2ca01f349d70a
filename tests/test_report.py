"""The HTML report and its SVG charts: complete, offline, escaped, accessible, deterministic."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from bekostiging.api import compare
from bekostiging.examples import path_of
from bekostiging.report.html import CHARTS, available_charts, build_report, chart_svg, charts
from bekostiging.report.numbers import compact
from bekostiging.report.tables import flow_picture

# A tiny scenario over four years, with hostile names (every one must come out escaped),
# a network paid by the insurer, and a ceiling whose clawback runs against the stream.
HOSTILE = "<script>alert('x')</script>"
TINY = f"""
[scenario]
name = "Horizon & <b>vet</b>"
year = 2025
baseline = "mono"
default_payer = "zv"

[parties.zv]
role = "payer"
name = "Verzekeraar {HOSTILE}"
[parties.vk]
role = "provider"
name = "Verloskundige \\"praktijk\\""
[parties.zh]
role = "provider"
[parties.vsv]
role = "network"

[activities.zorg]
provider = "vk"
tariff = {{ 2025 = 100.00, 2027 = 120.00 }}
cost = 80
[activities.sectio]
provider = "zh"
tariff = 1000.00
cost = 900

[profiles.laag]
clients = 100
path = {{ zorg = 1, sectio = 0.2 }}

[variants.mono]
name = "Mono"
[variants.nieuw]
name = "Nieuw <i>{HOSTILE}</i>"
effects = [{{ op = "scale", path = "profiles.laag.path.sectio", factor = 0.5 }}]
mechanisms = [
  {{ type = "collaboration", recipient = "vsv", fixed = 1000 }},
  {{ type = "ceiling", party = "zh", amount = 9000 }},
]

[horizon]
years = 4
discount_rate = 0.03
client_growth = 0.01
index = 0.02
"""

FIGURE = re.compile(r'<figure id="chart-([a-z]+)"')
RESOURCE = re.compile(r"\bsrc\s*=|url\(|@import|\bxlink:href|\baction\s*=|\bdata:", re.IGNORECASE)


@pytest.fixture(scope="module")
def default():
    return compare(path_of("geboortezorg-regio"), attribution=True)


@pytest.fixture(scope="module")
def page(default) -> str:
    return build_report(default)


@pytest.fixture
def tiny(scenario):
    return compare(scenario(TINY), attribution=True)


def assert_offline(html: str) -> None:
    """No URL at all, and no reference to any resource outside the page."""
    assert "http://" not in html and "https://" not in html and "//" not in _strip_text(html)
    assert not RESOURCE.search(html), RESOURCE.search(html)
    assert "xmlns" not in html
    for href in re.findall(r'href\s*=\s*"([^"]*)"', html):
        assert href.startswith("#"), href  # in-page links only
    for target in re.findall(r'href="#([^"]+)"', html):
        assert f'id="{target}"' in html


def _strip_text(html: str) -> str:
    """The markup without text content (a party could be called "a//b"), for the // check."""
    return re.sub(r">[^<]*<", "><", html)


class _Balance(HTMLParser):
    """Every element that is opened is closed, in order (void elements excepted)."""

    VOID = frozenset({"meta", "br", "link", "img", "hr", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def assert_well_formed(html: str) -> None:
    checker = _Balance()
    checker.feed(html)
    checker.close()
    assert checker.stack == []
    for svg in re.findall(r"<svg .*?</svg>", html, flags=re.DOTALL):
        root = ET.fromstring(svg)  # every inline chart is well-formed XML
        assert root.get("role") == "img" and root.get("aria-label")
        assert root.find("title") is not None and root.get("viewBox")


def figures_with_tables(html: str) -> list[str]:
    """Chart names whose figure is followed by its data table, which it points to."""
    found = []
    for match in re.finditer(
        r'<figure id="chart-([a-z]+)" class="chart" aria-describedby="([^"]+)">.*?</figure>\s*'
        r'<div class="table-wrap"><table id="([^"]+)">\s*<caption>[^<]+</caption>',
        html,
        flags=re.DOTALL,
    ):
        assert match.group(2) == match.group(3)
        found.append(match.group(1))
    return found


# ------------------------------------------------------------------ the default example


def test_default_example_has_every_chart_with_its_table(page):
    # the example has a [horizon]: the horizon chart too; one scenario: no regions
    expected = [name for name in CHARTS if name != "regios"]
    assert FIGURE.findall(page) == expected
    assert figures_with_tables(page) == expected
    assert page.count("<svg ") == len(expected)
    assert '<th scope="col"' in page and '<th scope="row"' in page
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert "VSV Voorbeeldregio 2025-2029" in page
    assert "Geldstromen: Beschikbaarheid" in page  # the first variant that is not the baseline
    for section in ("saldo", "geldstromen", "waterval", "dekking", "besparingen", "horizon", "herkomst"):
        assert f'<section id="{section}"' in page


def test_default_example_is_offline_and_well_formed(page):
    assert_offline(page)
    assert_well_formed(page)
    assert "<script" not in page
    assert len(page.encode()) < 1_000_000


def test_numbers_in_tables_are_the_exact_figures(page):
    assert "€ -11.879.066,42" in page  # the preferent insurer's net in the baseline, 2025
    assert "€ 418.461,71" in page  # the IGO's change under Integraal
    assert "95,1%" in page and "€ 147.389,00" in page  # coverage and gap of acute_verloskunde
    assert "€ -524.180,46" in page  # the preferent's "savings" under the stip: it spends more


def test_provenance_names_files_hashes_and_version(default, page):
    from bekostiging import __version__

    assert f"bekostiging {__version__}" in page
    for item in default.meta.inputs:
        assert item["file"] in page and item["sha256"] in page


def test_report_is_deterministic(default, page):
    assert build_report(default) == page
    again = compare(path_of("geboortezorg-regio"), attribution=True)
    assert build_report(again) == page


def test_english_and_a_chosen_flow_variant(default):
    page = build_report(default, lang="en", flow_variant="integraal")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "Flow of money: Integraal (IGO)" in page
    assert "€11,879,066.42" in page.replace("-€", "€")
    assert "IGO" in page and "Networks and contractors" in page
    assert_offline(page)
    with pytest.raises(ValueError, match="unknown variant"):
        build_report(default, flow_variant="nope")
    with pytest.raises(ValueError, match="unknown language"):
        build_report(default, lang="de")


def test_without_attribution_the_waterfall_gives_a_note():
    plain = compare(path_of("geboortezorg-regio"))
    page = build_report(plain)
    assert 'id="chart-waterval"' not in page
    assert "attribution=True" in page
    assert "waterval" not in available_charts(plain)
    with pytest.raises(ValueError, match="no chart 'waterval'"):
        chart_svg(plain, "waterval")


@pytest.mark.parametrize("name", ["caseload-verloskunde", "huisartsenpilot-limburg", "preventie-gemeente"])
def test_other_examples_render(name):
    comparison = compare(path_of(name), attribution=True)
    page = build_report(comparison, lang="en")
    assert_offline(page)
    assert_well_formed(page)
    assert figures_with_tables(page) == FIGURE.findall(page) == available_charts(comparison)


def test_only_the_baseline():
    comparison = compare(path_of("geboortezorg-regio"), variants=["mono"], attribution=True)
    page = build_report(comparison)
    assert FIGURE.findall(page) == ["saldo", "geldstromen", "dekking"]
    assert "Alleen de basis is berekend" in page
    assert_offline(page)
    assert_well_formed(page)


# ------------------------------------------------------------------ single charts


def test_every_chart_as_a_standalone_svg(default):
    for name in available_charts(default):
        svg = chart_svg(default, name)
        assert svg.startswith(
            '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        )
        root = ET.fromstring(svg.split("\n", 1)[1])
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert svg.count("http") == 1  # the namespace, nothing else
    with pytest.raises(ValueError, match="unknown chart"):
        chart_svg(default, "taart")
    one_year = compare(path_of("caseload-verloskunde"))  # no [horizon]
    with pytest.raises(ValueError, match="no chart 'horizon'"):
        chart_svg(one_year, "horizon")


def test_a_transfer_between_payers_is_drawn_through_the_middle():
    """CONTRACTS.md C: the insurer transfers part of its savings to the gemeente, which pays
    its own providers: the gemeente stands in the middle and the transfer is drawn."""
    roles = {"zv": "payer", "gemeente": "payer", "wijkteam": "provider", "zh": "provider"}
    flows = [("zv", "zh", 1000), ("zv", "gemeente", 100), ("gemeente", "wijkteam", 500)]
    column, drawn, not_drawn = flow_picture(flows, roles)
    assert column == {"zv": 0, "zh": 2, "gemeente": 1, "wijkteam": 2}
    assert ("zv", "gemeente", 100) in drawn and not not_drawn
    # two payers that pay each other net out; the one that pays on balance stays left
    column, drawn, _ = flow_picture([*flows, ("gemeente", "zv", 30)], roles)
    assert column["zv"] == 0 and column["gemeente"] == 1 and ("zv", "gemeente", 70) in drawn


def test_flow_picture_columns_netting_and_backflows():
    roles = {"zv": "payer", "client": "client", "igo": "network", "zh": "provider", "vk": "provider"}
    flows = [
        ("zv", "igo", 1000),
        ("igo", "zh", 600),  # network to contractor: both in the middle, listed, not drawn
        ("zh", "vk", 100),  # the hospital pays a midwife on: a contractor, so middle column
        ("zv", "vk", 50),
        ("vk", "zv", 20),  # a clawback, netted against the payment
        ("client", "zh", 30),
        ("vk", "client", 5),  # runs against the stream: listed, not drawn
    ]
    column, drawn, not_drawn = flow_picture(flows, roles)
    assert column == {"zv": 0, "igo": 1, "zh": 1, "vk": 2, "client": 0}
    assert drawn == [("zv", "igo", 1000), ("zh", "vk", 100), ("zv", "vk", 30), ("client", "zh", 30)]
    assert not_drawn == [("igo", "zh", 600), ("vk", "client", 5)]


# ------------------------------------------------------------------ a scenario with a horizon


def test_horizon_scenario_escapes_names_and_adds_section_6(tiny):
    page = build_report(tiny)
    assert FIGURE.findall(page) == ["saldo", "verschil", "geldstromen", "waterval", "horizon"]
    assert figures_with_tables(page) == ["saldo", "verschil", "geldstromen", "waterval", "horizon"]
    assert_offline(page)
    assert_well_formed(page)
    assert "<script" not in page and "<b>vet" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Horizon &amp; &lt;b&gt;vet&lt;/b&gt;" in page
    assert "Verloskundige &quot;praktijk&quot;" in page
    # Section 6: per-year lines and the NPV table; sections 1-5 show the first year.
    assert 'id="table-npv"' in page and "Contante waarde Δ saldo" in page
    for year in ("2025", "2026", "2027", "2028"):
        assert f">{year}</th>" in page
    assert "het jaar 2025" in page
    later = build_report(tiny, year=2027)
    assert "het jaar 2027" in later
    with pytest.raises(ValueError, match="not in the horizon"):
        build_report(tiny, year=2031)
    for name in available_charts(tiny):
        ET.fromstring(chart_svg(tiny, name).split("\n", 1)[1])


def test_horizon_with_only_the_baseline_gives_a_note(scenario):
    comparison = compare(scenario(TINY), variants=["mono"])
    assert "horizon" not in available_charts(comparison)  # no change to draw, as `verschil`
    assert "Alleen de basis is berekend" in build_report(comparison)


def test_network_and_clawback_in_the_flow_chart(tiny):
    svg = chart_svg(tiny, "geldstromen")
    # The network gets its collaboration money; the ceiling's clawback is netted, not drawn.
    assert "vsv" in svg
    assert svg.count("<path ") == 3  # zv → vk, zv → zh (net of the clawback), zv → vsv


# ------------------------------------------------------------------ several scenarios


@pytest.mark.slow
def test_national_example_as_one_report():
    start = time.perf_counter()
    comparisons = compare(path_of("geboortezorg-nationaal"), attribution=True).items
    computed = time.perf_counter()
    page = build_report(comparisons)
    built = time.perf_counter()
    size = len(page.encode())
    print(
        f"\nnational report: {len(comparisons)} scenarios, compute {computed - start:.2f} s, "
        f"build {built - computed:.2f} s, {size / 1e6:.2f} MB"
    )
    assert size <= 5_000_000
    assert FIGURE.findall(page) == [name for name in CHARTS if name != "horizon"]
    assert_offline(page)
    assert_well_formed(page)
    assert 'id="table-per-scenario"' in page
    assert "VSV Utrecht-Stad (Utrecht)" in page
    assert "€ -1.475.972.472,89" in page  # the insurer's summed net, as `compare` of the folder prints
    assert "€ 29.520.350,64" in page  # the IGO's summed change under Populatie


# ------------------------------------------------------------------ chart helpers


def test_charts_are_pure_and_deterministic():
    def fmt(value):
        return f"{value}"

    one = charts.grouped_bars(["a", "b"], ["x", "y"], [[1, -2], [3, None]], title="t", fmt=fmt, axis_fmt=fmt)
    assert one == charts.grouped_bars(
        ["a", "b"], ["x", "y"], [[1, -2], [3, None]], title="t", fmt=fmt, axis_fmt=fmt
    )
    assert one.count("<rect ") == 3 + 2  # three bars and two legend swatches
    ET.fromstring(one)
    empty = charts.sankey([("a", "A", 0)], [], amounts={}, title="t", columns=("1", "2", "3"), fmt=fmt)
    ET.fromstring(empty)
    assert "–" in empty


def test_nice_ticks_and_compact_amounts():
    assert [float(t) for t in charts.nice_ticks(-21.6e6, 10.9e6)] == [-3e7, -2e7, -1e7, 0, 1e7, 2e7]
    assert [float(t) for t in charts.nice_ticks(0, 0.9)] == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    from decimal import Decimal

    assert compact(Decimal("-21598054.97"), "nl", places=1) == "€ -21,6 mln"
    assert compact(Decimal("21598054.97"), "en", places=1) == "€21.6m"
    assert compact(Decimal("-2500000"), "en") == "-€2.5m"
    assert compact(Decimal("250000"), "nl") == "€ 250.000"
    assert compact(Decimal("1500000000"), "nl") == "€ 1,5 mld"


# ------------------------------------------------------------------ shared savings of one scenario

TWO_AGREEMENTS = """
[scenario]
name = "Twee afspraken"
baseline = "mono"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.vk]
role = "provider"
[parties.kz]
role = "provider"

[activities.vk_controle]
provider = "vk"
tariff = 100.00
[activities.kz_uur]
provider = "kz"
tariff = 50.00

[profiles.standaard]
clients = 100
[profiles.standaard.path]
vk_controle = 10
kz_uur = 20

[variants.mono]
name = "Mono"

[variants.twee]
name = "Twee"
effects = [ { op = "scale", path = "profiles.standaard.path.kz_uur", factor = 0.9 } ]
[[variants.twee.mechanisms]]
type = "shared_savings"
payer = "zv"
recipients = ["vk"]
sharing_rate = 0.5
distribution = "equal"
[[variants.twee.mechanisms]]
type = "shared_savings"
payer = "zv"
recipients = ["kz"]
sharing_rate = 0.2
min_savings_rate = 0.5
distribution = "equal"
"""


def test_two_agreements_of_one_payer_are_two_settlements(scenario):
    # One scenario with two shared-savings agreements of the insurer: the report shows each
    # as `compare --table shared_savings` does. It used to add them up as if they were two
    # scenarios: a benchmark of € 400.000 for € 200.000 of spend, eligible "1 van 2".
    page = build_report(compare(scenario(TWO_AGREEMENTS)))
    table = page.split('<table id="table-besparingen">')[1].split("</table>")[0]
    assert table.count("<tr><th") == 2
    assert "€ 400.000,00" not in page and "1 van 2" not in page
    assert "€ 190.000,00" in table and "€ 195.000,00" in table
    assert ">ja<" in table and ">nee<" in table
    assert chart_svg(compare(scenario(TWO_AGREEMENTS)), "besparingen").count("Benchmark: € 200.000,00") == 2
