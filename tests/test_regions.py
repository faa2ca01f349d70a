"""Winners and losers per region: `compare --by scenario` and the report's `regios`
section, on a folder of three small regional files whose numbers are done by hand.

Every region: the insurer `zv` pays the midwives `vk` € 100 and the hospital `zh`
€ 1000 per client (fee for service, `mono`). Variant `hoger` raises the midwives' tariff
to € 120 and lowers the hospital's to € 990, so per client: vk +20, zh −10, zv −10 (it
pays 1110 instead of 1100), and the care (providers and networks together) +10. The
regions differ in their clients only: Midden 20, Noord 10, Zuid 5.

    hoger     care     zv      vk     zh       (delta, euros)
    Midden    +200   −200    +400   −200
    Noord     +100   −100    +200   −100
    Zuid       +50    −50    +100    −50
    sum       +350   −350    +700   −350

Sorted by the care (the default), largest gain first: Midden, Noord, Zuid; by the
hospital's change (`--party zh`): Zuid (−50), Noord (−100), Midden (−200).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import bekostiging as bk
from bekostiging.api import report
from bekostiging.cli import app

REGION = """
[scenario]
name = "{name}"
year = 2025
baseline = "mono"
default_payer = "zv"

[parties.zv]
role = "payer"
name = "Verzekeraar"
[parties.vk]
role = "provider"
name = "Verloskundige"
[parties.zh]
role = "provider"
name = "Ziekenhuis"

[activities.zorg]
provider = "vk"
tariff = 100
[activities.bevalling]
provider = "zh"
tariff = 1000

[profiles.p]
clients = {clients}
path = {{ zorg = 1, bevalling = 1 }}

[variants.mono]
name = "Mono"

[variants.hoger]
name = "Hoger"
effects = [
  {{ op = "set", path = "activities.zorg.tariff", value = 120 }},
  {{ op = "set", path = "activities.bevalling.tariff", value = 990 }},
]
{extra}
"""
CLIENTS = {"midden": ("Midden", 20), "noord": ("Noord", 10), "zuid": ("Zuid", 5)}
# Two years, the second discounted at 25 %: an NPV is delta + delta / 1.25 = 1.8 × delta.
HORIZON = """
[horizon]
start = 2025
years = 2
discount_rate = 0.25
"""

runner = CliRunner()


def write_regions(folder: Path, extra: str = "") -> Path:
    folder.mkdir()
    for stem, (name, clients) in CLIENTS.items():
        (folder / f"{stem}.toml").write_text(REGION.format(name=name, clients=clients, extra=extra))
    return folder


@pytest.fixture
def regions(tmp_path: Path) -> Path:
    return write_regions(tmp_path / "regios")


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def d(text: str) -> Decimal:
    return Decimal(text)


def rows_of(frame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


# ------------------------------------------------------------------ the table


def test_by_scenario_rows_are_the_regions_changes_sorted_by_the_care(regions):
    result = bk.compare(regions, by="scenario")
    assert isinstance(result, bk.RegionComparisons)
    assert result.default_table == "by_scenario"
    frame = result.table("by_scenario")
    assert frame.columns == [
        "variant",
        "scenario",
        "party",
        "net",
        "delta",
        "delta_pct",
        "rank",
        "party_name",
    ]
    hoger = frame.filter(variant="hoger")
    # net: zv pays 1110 per client, vk gets 120, zh 990; delta_pct of zv: −10 / 1100 =
    # −0.909..% -> −0.91, of vk +20 / 100 = 20 %, of zh −10 / 1000 = −1 %.
    assert rows_of(hoger, "scenario", "party", "net", "delta", "delta_pct", "rank") == [
        ("Midden", "zv", d("-22200.00"), d("-200.00"), d("-0.91"), 1),
        ("Midden", "vk", d("2400.00"), d("400.00"), d("20.00"), 1),
        ("Midden", "zh", d("19800.00"), d("-200.00"), d("-1.00"), 1),
        ("Noord", "zv", d("-11100.00"), d("-100.00"), d("-0.91"), 2),
        ("Noord", "vk", d("1200.00"), d("200.00"), d("20.00"), 2),
        ("Noord", "zh", d("9900.00"), d("-100.00"), d("-1.00"), 2),
        ("Zuid", "zv", d("-5550.00"), d("-50.00"), d("-0.91"), 3),
        ("Zuid", "vk", d("600.00"), d("100.00"), d("20.00"), 3),
        ("Zuid", "zh", d("4950.00"), d("-50.00"), d("-1.00"), 3),
    ]
    assert hoger["party_name"].to_list()[:3] == ["Verzekeraar", "Verloskundige", "Ziekenhuis"]
    # the baseline: no change anywhere, so the regions keep the order they were given in
    # (the folder's files sorted by name), with the baseline's net
    mono = frame.filter(variant="mono")
    assert mono["delta"].to_list() == [0] * 9
    assert rows_of(mono.filter(party="zh"), "scenario", "net", "rank") == [
        ("Midden", d("20000.00"), 1),
        ("Noord", d("10000.00"), 2),
        ("Zuid", d("5000.00"), 3),
    ]


def test_the_regions_add_up_to_the_total_and_each_to_zero(regions):
    result = bk.compare(regions, by="scenario")
    frame = result.table("by_scenario")
    total = result.total_results
    for (variant, party), part in frame.group_by("variant", "party"):
        summed = part["delta"].sum()
        assert summed == total.filter(variant=variant, party=party)["delta"].item()
    for _, part in frame.group_by("variant", "scenario"):
        assert part["delta"].sum() == 0  # every euro one party gains, another loses


def test_party_chooses_the_figure_the_regions_are_sorted_by(regions):
    frame = bk.compare(regions, by="scenario", party="zh").table("by_scenario")
    hoger = frame.filter(variant="hoger", party="zh")
    assert rows_of(hoger, "scenario", "delta", "rank") == [
        ("Zuid", d("-50.00"), 1),
        ("Noord", d("-100.00"), 2),
        ("Midden", d("-200.00"), 3),
    ]


def test_under_a_horizon_the_regions_are_judged_by_the_npv(tmp_path):
    folder = write_regions(tmp_path / "jaren", HORIZON)
    frame = bk.compare(folder, by="scenario").table("by_scenario")
    assert frame.columns == [
        "variant",
        "scenario",
        "party",
        "npv_delta",
        "npv_margin_delta",
        "rank",
        "party_name",
    ]
    # vk in Midden: 400 in 2025, 400 / 1.25 = 320 in 2026: 720.
    assert rows_of(frame.filter(variant="hoger", party="vk"), "scenario", "npv_delta", "rank") == [
        ("Midden", d("720.00"), 1),
        ("Noord", d("360.00"), 2),
        ("Zuid", d("180.00"), 3),
    ]
    one = bk.compare(folder, by="scenario", year=2026).table("by_scenario")
    assert one.columns[:4] == ["year", "variant", "scenario", "party"]
    assert rows_of(one.filter(variant="hoger", party="zh"), "year", "scenario", "delta") == [
        (2026, "Midden", d("-200.00")),
        (2026, "Noord", d("-100.00")),
        (2026, "Zuid", d("-50.00")),
    ]


# ------------------------------------------------------------------ bad use


def test_one_scenario_cannot_be_split_by_scenario(regions):
    with pytest.raises(bk.OptionError, match="needs several scenarios: a folder or several files"):
        bk.compare(regions / "noord.toml", by="scenario")
    result = invoke("compare", regions / "noord.toml", "--by", "scenario")
    assert result.exit_code == 2
    assert "--by scenario needs several scenarios: a folder or several files" in result.stderr
    assert "Traceback" not in result.stderr


def test_party_needs_by_scenario_and_a_party_of_the_scenarios(regions):
    result = invoke("compare", regions, "--party", "zh")
    assert result.exit_code == 2
    assert "--party sorts the regions of --by scenario" in result.stderr
    with pytest.raises(bk.OptionError, match="--party needs --by scenario"):
        bk.compare(regions, party="zh")
    result = invoke("compare", regions, "--by", "scenario", "--party", "zhh")
    assert result.exit_code == 1
    assert "unknown party 'zhh' (did you mean 'zh'?); choose from zv, vk, zh" in result.stderr
    table = invoke("compare", regions, "--table", "by_scenario")
    assert table.exit_code == 2
    assert "--table by_scenario needs --by scenario" in table.stderr


# ------------------------------------------------------------------ outputs


def test_terminal_shows_a_table_per_variant_regions_down_parties_across(regions):
    result = invoke("compare", regions, "--by", "scenario", "--table", "by_scenario")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Winnaars en verliezers per regio: Hoger" in out
    assert "Δ saldo ten opzichte van Mono; gesorteerd op Aanbieders en netwerken" in out
    assert "Mono:" not in out  # the baseline has no change to show
    names = ("Midden", "Noord", "Zuid")
    lines = [line.split() for line in out.splitlines() if line.strip().startswith(names)]
    # region, then care, zv, vk, zh (the parties in the file's order), the cells "€ x"
    assert [[line[0], *line[2::2]] for line in lines] == [
        ["Midden", "200,00", "-200,00", "400,00", "-200,00"],
        ["Noord", "100,00", "-100,00", "200,00", "-100,00"],
        ["Zuid", "50,00", "-50,00", "100,00", "-50,00"],
    ]
    header = next(line for line in out.splitlines() if "Verzekeraar" in line)
    assert header.index("Aanbieders") < header.index("Verzekeraar") < header.index("Verloskundige")
    assert header.index("Verloskundige") < header.index("Ziekenhuis")
    som = next(line for line in out.splitlines() if line.strip().startswith("Som"))
    assert som.split()[2::2] == ["350,00", "-350,00", "700,00", "-350,00"]


def test_terminal_sorted_by_a_party_in_english(regions):
    args = ("compare", regions, "--by", "scenario", "--party", "zh", "--lang", "en")
    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Total over all scenarios (3)" in out  # the total first, as without --by
    assert "Winners and losers per region: Hoger" in out
    assert "sorted by Ziekenhuis, largest gain first" in " ".join(out.split())  # a title may wrap
    regions_shown = [w for w in re.findall(r"^\s*(Midden|Noord|Zuid)\b", out, flags=re.MULTILINE)]
    assert regions_shown == ["Zuid", "Noord", "Midden"]
    header = next(line for line in out.splitlines() if line.strip().startswith("Scenario"))
    assert header.count("Ziekenhuis") == 1 and header.index("Ziekenhuis") < header.index("Verzekeraar")


def test_csv_json_and_render_write_the_long_table(regions):
    csv = invoke("compare", regions, "--by", "scenario", "-f", "csv")
    assert csv.exit_code == 0, csv.stderr
    lines = csv.stdout.splitlines()
    assert lines[0] == "variant,scenario,party,net,delta,delta_pct,rank,party_name"
    assert len(lines) == 1 + 2 * 3 * 3  # variants × regions × parties
    assert lines[10] == "hoger,Midden,zv,-22200.00,-200.00,-0.91,1,Verzekeraar"
    result = bk.compare(regions, by="scenario")
    assert bk.render(result, "csv") == csv.stdout
    document = json.loads(invoke("compare", regions, "--by", "scenario", "-f", "json").stdout)
    assert len(document["scenarios"]) == 3
    found = [r for r in document["by_scenario"] if r["variant"] == "hoger" and r["party"] == "vk"]
    assert [(r["scenario"], r["delta"], r["rank"]) for r in found] == [
        ("Midden", 400.0, 1),
        ("Noord", 200.0, 2),
        ("Zuid", 100.0, 3),
    ]


def test_parquet_and_xlsx_hold_the_table(regions, tmp_path):
    import polars as pl

    out = tmp_path / "regios.parquet"
    assert invoke("compare", regions, "--by", "scenario", "-o", out).exit_code == 0
    frame = pl.read_parquet(out)
    assert frame.height == 18 and frame["rank"].max() == 3
    book = tmp_path / "regios.xlsx"
    assert invoke("compare", regions, "--by", "scenario", "-o", book).exit_code == 0
    assert book.stat().st_size > 0
    assert "by_scenario" in bk.compare(regions, by="scenario").sheets()


# ------------------------------------------------------------------ the report


def section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}"')
    return page[start : page.index("</section>", start)]


def test_report_has_winners_and_losers_per_region(regions):
    result = bk.compare(regions, attribution=True)
    page = report(result)
    part = section(page, "regios")
    assert "Winnaars en verliezers per regio" in part
    assert '<figure id="chart-regios"' in part
    assert 'id="table-regios-hoger"' in part
    for name in ("Midden", "Noord", "Zuid"):
        assert name in part
    # the table beside the chart: the regions sorted by the care, its numbers as above
    rows = re.findall(r'<tr><th scope="row">(\w+)</th>((?:<td class="num">[^<]*</td>)+)</tr>', part)
    cells = [[name, *re.findall(r">([^<]*)</td>", found)] for name, found in rows]
    assert cells == [
        ["Midden", "€ 200,00", "€ -200,00", "€ 400,00", "€ -200,00"],
        ["Noord", "€ 100,00", "€ -100,00", "€ 200,00", "€ -100,00"],
        ["Zuid", "€ 50,00", "€ -50,00", "€ 100,00", "€ -50,00"],
    ]
    svg = re.search(r"<svg .*?</svg>", part, flags=re.DOTALL).group(0)
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find("title") is not None
    assert section(page, "herkomst")  # provenance still last
    assert page.index('id="regios"') < page.index('id="herkomst"')
    one = report(bk.compare(regions / "noord.toml", attribution=True))
    assert 'id="regios"' not in one  # one scenario: no section


def test_report_chart_regios_is_a_well_formed_svg(regions, tmp_path):
    out = tmp_path / "r.svg"
    result = invoke("report", regions, "--chart", "regios", "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    root = ET.parse(out).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    assert root.find("s:title", ns).text == "Winners and losers per region: Δ net against Mono per party"
    dots = root.findall(".//s:circle", ns)
    assert len(dots) == 3 * 3  # a dot per region and party of the one variant
    tips = [dot.find("s:title", ns).text for dot in dots]
    assert "Midden – Verloskundige: €400.00" in tips
    assert "Zuid – Ziekenhuis: -€50.00" in tips
    named = {t.text for t in root.findall(".//s:text", ns)}
    assert {"Midden", "Zuid"} <= named  # the extremes of each row, by name
    one = invoke("report", regions / "noord.toml", "--chart", "regios", "-o", tmp_path / "x.svg")
    assert one.exit_code == 2
    assert "no chart 'regios'" in one.stderr


def test_two_regions_of_one_name_stay_two_rows(regions):
    """Two files with the same scenario name (a warning when the folder is read) are two
    regions: each named with its file, never added up as one."""
    text = (regions / "zuid.toml").read_text().replace('name = "Zuid"', 'name = "Noord"')
    (regions / "zuid.toml").write_text(text)
    frame = bk.compare(regions, by="scenario").table("by_scenario").filter(variant="hoger", party="vk")
    names = frame["scenario"].to_list()
    assert names[0] == "Midden" and len(set(names)) == 3
    assert names[1].startswith("Noord (") and names[1].endswith("noord.toml)")
    assert names[2].startswith("Noord (") and names[2].endswith("zuid.toml)")
    assert frame["delta"].to_list() == [d("400.00"), d("200.00"), d("100.00")]


def test_the_report_of_regions_with_a_horizon_shows_the_npv(tmp_path):
    folder = write_regions(tmp_path / "jaren", HORIZON)
    result = bk.compare(folder, attribution=True)
    part = section(report(result), "regios")
    assert "contante waarde Δ saldo 2025-2026" in part
    assert "€ 720,00" in part  # vk in Midden, as compare --by scenario sums it up
    one_year = section(report(result, year=2026), "regios")
    assert "Δ saldo ten opzichte van Mono" in one_year and "€ 400,00" in one_year


@given(st.lists(st.tuples(*[st.integers(-(10**9), 10**9)] * 3), min_size=1, max_size=8), st.booleans())
@settings(max_examples=60, deadline=None)
def test_every_row_once_and_the_regions_in_order_of_their_gain(deltas, by_party):
    """Any changes: each scenario's rows come out unchanged, once; ranks run 1..n and the
    sort figure (the providers' sum, or the one party's) falls as the rank rises."""
    import polars as pl

    from bekostiging.report.regions import by_scenario

    roles = {"zv": "payer", "vk": "provider", "zh": "provider"}
    parts = [
        (
            f"r{i}",
            pl.DataFrame(
                {"variant": ["v"] * 3, "party": list(roles), "net": [0] * 3, "delta": list(row)},
                schema_overrides={"net": pl.Int64, "delta": pl.Int64},
            ).with_columns(delta_pct=pl.lit(None, pl.Int64)),
        )
        for i, row in enumerate(deltas)
    ]
    frame = by_scenario(parts, roles, party="zh" if by_party else None)
    assert frame.height == 3 * len(deltas)
    got = {(r["scenario"], r["party"]): r["delta"] for r in frame.iter_rows(named=True)}
    assert got == {(f"r{i}", p): row[j] for i, row in enumerate(deltas) for j, p in enumerate(roles)}
    order = frame["scenario"].unique(maintain_order=True).to_list()
    assert frame.group_by("scenario", maintain_order=True).agg(pl.col("rank").first())[
        "rank"
    ].to_list() == list(range(1, len(deltas) + 1))
    key = {f"r{i}": (row[2] if by_party else row[1] + row[2]) for i, row in enumerate(deltas)}
    figures = [key[s] for s in order]
    assert figures == sorted(figures, reverse=True)
    ties = [int(s[1:]) for s in order]  # equal figures keep the given order
    assert all(ties[i] < ties[i + 1] for i in range(len(order) - 1) if figures[i] == figures[i + 1])
