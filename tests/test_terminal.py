"""Tables for people (issue 16): every label and digit at every width, no padding in a
file or a pipe, the summary over a horizon first, parties in the scenario's order."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from bekostiging import examples
from bekostiging.api import compare
from bekostiging.cli import app
from bekostiging.report.numbers import FRACTION_COLUMNS, MONEY_COLUMNS, euro, percent
from bekostiging.report.writers.table import text
from conftest import invoke, write
from support.cache import example_files
from support.slow import is_national

WIDTHS = (60, 80, 100, 160)
TABLES = ("results", "components", "availability", "shared_savings", "totals", "ledger", "attribution")
BREAKDOWNS = ("component", "profile", "activity", "payer")


def run(*args: str | Path, columns: int | None = None) -> Any:
    """The CLI with stdout to a pipe (as CliRunner has it), COLUMNS set or not."""
    env = {"COLUMNS": str(columns) if columns else None}
    return CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


# ---------------------------------------------------------------- what a table must show


def _shown(value: Any, column: str) -> str | None:
    """A figure as the terminal writes it (nl)."""
    if value is None or isinstance(value, bool):
        return None
    if column in MONEY_COLUMNS or column == "amount":
        return euro(value, "nl")
    if column == "delta_pct":
        return percent(value, "nl")
    if column in FRACTION_COLUMNS:
        return percent(value, "nl", fraction=True)
    if column == "payback_year":
        return str(value)
    return None


def _strings(frame: Any, names: dict[str, str], columns: list[str] | None = None) -> set[str]:
    """Every party name and every figure of `frame` (of `columns`), as they are printed."""
    found = set()
    for row in frame.iter_rows(named=True):
        for column, value in row.items():
            if columns is not None and column not in columns:
                continue
            if column in ("party", "payer", "payee") and value is not None:
                found.add(names.get(value, value))
            elif column == "recipients":
                for r in value:
                    found |= {names.get(r["party"], r["party"]), euro(r["amount"], "nl")}
            elif (shown := _shown(value, column)) is not None:
                found.add(shown)
    return found


def _overview(results: Any, baseline: str, names: dict[str, str]) -> set[str]:
    """Net in the baseline, Δ net in every other variant, and their sums."""
    found, sums = set(), {}
    for row in results.iter_rows(named=True):
        key = "net" if row["variant"] == baseline else "delta"
        found |= {names[row["party"]], euro(row[key], "nl")}
        group = (row.get("year"), row["variant"])
        sums[group] = sums.get(group, Decimal(0)) + row[key]
    return found | {euro(s, "nl") for s in sums.values()}


def _horizon(frame: Any, baseline: str, names: dict[str, str]) -> set[str]:
    """The summary without the rows of a party that does not change."""
    import polars as pl

    changed = (
        (pl.col("npv_delta") != 0)
        | (pl.col("npv_margin_delta").fill_null(0) != 0)
        | pl.col("payback_year").is_not_null()
    )
    return _strings(frame.filter((pl.col("variant") != baseline) & changed), names)


def expected(result: Any, view: str) -> set[str]:
    """What `view` (a table, `default` or `all_years`) must show of `result`, complete."""
    metas = result.sources
    names = {p["id"]: p["name"] for m in metas for p in m.parties}
    baseline = metas[0].baseline
    several = len(metas) > 1
    horizon = "horizon" in result.names()
    if view in ("default", "all_years"):
        if horizon and view == "default":
            return _horizon(result.table("horizon"), baseline, names) if not several else set()
        results = result.total_results if several else result.table("results")
        found = _overview(results, baseline, names)
        if several:
            return found  # the summed totals are checked by the test of several files
        found |= _strings(result.table("totals"), names)
        if not horizon:
            found |= _strings(result.table("availability"), names)
            found |= _strings(result.table("shared_savings"), names, ["payer", "payout", "recipients"])
        return found
    if view == "horizon":
        return _horizon(result.table("horizon"), baseline, names)
    frame = result.table(view)
    if several and view == "results":  # the summed rows are the default view's overview
        frame = frame.filter(frame["scenario"] != "total")
    if view == "shared_savings":  # `eligible` and `reason` are said by the outcome on screen
        frame = frame.drop("eligible", "reason")
    return _strings(frame, names)


@functools.cache
def _result(name: str, by: str) -> Any:
    files = example_files(name)
    return compare(list(files), attribution=True, by=by)


# The slow set only: the longest tables of a horizon (every flow, every year), and two
# breakdowns drawn as by_component is.
LONG = {("ledger", True), ("all_years", True)}
ALIKE = ("by_profile", "by_activity")


def _views(name: str) -> list:
    horizon = examples.path_of(name).is_file() and "[horizon]" in examples.path_of(name).read_text("utf-8")
    views = [("default", "component"), *[(t, "component") for t in TABLES]]
    views += [(f"by_{b}", b) for b in BREAKDOWNS]
    if horizon:
        views += [("all_years", "component"), ("horizon", "component")]
    slow = is_national(name)
    return [
        pytest.param(
            name,
            view,
            by,
            id=f"{name}-{view}",
            marks=[pytest.mark.slow] if slow or (view, horizon) in LONG or view in ALIKE else [],
        )
        for view, by in views
    ]


@pytest.mark.parametrize(("name", "view", "by"), [p for n in examples.names() for p in _views(n)])
def test_every_label_and_figure_is_shown_whole_at_every_width(name, view, by):
    """At 60, 80, 100 and 160 columns every party name and every full amount is there, and
    no line is wider than the width or ends in padding."""
    result = _result(name, by)
    if view.startswith("by_") and view not in result.names():
        pytest.skip(f"{name} has no {view}")
    table = None if view in ("default", "all_years") else view
    wanted = expected(result, view)
    assert wanted or result.table(view).height == 0, "a view that shows something checks it"
    for width in WIDTHS:
        shown = text(lambda console: result.show(console, table, "nl", all_years=view == "all_years"), width)
        lines = shown.splitlines()
        assert max(cell_len(line) for line in lines) <= width, (width, max(lines, key=cell_len))
        assert all(line == line.rstrip() for line in lines), width
        missing = sorted(s for s in wanted if s not in shown and not wrapped(s, lines))
        assert not missing, (width, missing[:10])
        assert "…" not in shown, width


def wrapped(label: str, lines: list[str]) -> bool:
    """Whether `label` stands in a column of `lines` wrapped between its words: a line
    holds its first words, the next lines the rest, each at the same column. (An amount
    has no spaces in it, so that only a name can pass this way.)"""
    words = label.split()
    for i, line in enumerate(lines):
        for first in range(1, len(words)):
            start = line.find(" ".join(words[:first]) + " ")
            if start < 0 and line.endswith(" ".join(words[:first])):
                start = len(line) - len(" ".join(words[:first]))
            if start < 0:
                continue
            rest, j = words[first:], i + 1
            while rest and j < len(lines) and lines[j][start:].startswith(rest[0]):
                taken = 1
                while taken < len(rest) and lines[j][start:].startswith(" ".join(rest[: taken + 1])):
                    taken += 1
                rest, j = rest[taken:], j + 1
            if not rest:
                return True
    return False


# ---------------------------------------------------------------- the CLI's widths


def test_80_columns_keep_the_party_column_and_every_digit():
    """The issue: at 80 columns the party column was gone and amounts cut (`€ -21.598.054…`)."""
    result = run("compare", "hybride-ziekenhuis", columns=80)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(map(cell_len, lines)) <= 80
    for name in ("Zorgverzekeraar", "Patiënt", "Huisartsen", "Ziekenhuis"):
        assert name in result.stdout
    for amount in ("€ -92.932.000,00", "€ 12.454.400,00", "€ -45.600,00"):
        assert amount in result.stdout
    assert "…" not in result.stdout


def test_a_pipe_gets_160_columns_unless_columns_says_otherwise():
    wide = run("compare", "hybride-ziekenhuis").stdout
    assert max(map(cell_len, wide.splitlines())) > 100  # the availability table, all on one line
    assert max(map(cell_len, wide.splitlines())) <= 160
    narrow = run("compare", "hybride-ziekenhuis", columns=100).stdout
    assert max(map(cell_len, narrow.splitlines())) <= 100


def test_a_pipe_or_a_file_gets_no_trailing_spaces(tmp_path):
    for args in (("compare",), ("compare", "hybride-ziekenhuis", "--table", "availability")):
        shown = run(*args).stdout
        assert shown.strip() and all(line == line.rstrip() for line in shown.splitlines()), args
    target = tmp_path / "uit.txt"
    assert run("compare", "hybride-ziekenhuis", "-o", target, columns=80).exit_code == 0
    written = target.read_text(encoding="utf-8")
    assert "Ziekenhuis" in written and all(line == line.rstrip() for line in written.splitlines())
    assert max(map(cell_len, written.splitlines())) <= 80


# ---------------------------------------------------------------- a horizon: the summary first

HORIZON = """
[scenario]
name = "Horizon"
year = 2025
baseline = "mono"
default_payer = "zv"

[parties.zh]
name = "Ziekenhuis"
role = "provider"
[parties.zv]
name = "Zorgverzekeraar"
role = "payer"
[parties.apotheek]
name = "Apotheek"
role = "provider"
[parties.vk]
name = "Verloskundigen"
role = "provider"
[parties.vsv]
name = "VSV"
role = "network"

[activities.zorg]
provider = "vk"
tariff = 100.00
[activities.sectio]
provider = "zh"
tariff = 1000.00
[activities.medicijn]
provider = "apotheek"
tariff = 10.00

[profiles.laag]
clients = 100
path = { zorg = 1, sectio = 0.2, medicijn = 1 }

[variants.mono]
name = "Vandaag"
[variants.nieuw]
name = "Nieuw"
effects = [{ op = "scale", path = "profiles.laag.path.sectio", factor = 0.5 }]
mechanisms = [{ type = "collaboration", recipient = "vsv", fixed = 1000 }]

[horizon]
years = 3
discount_rate = 0.03
[horizon.adoption]
nieuw = { 2025 = 0.5, 2026 = 1.0 }
"""


def test_a_horizon_leads_with_its_summary_and_says_how_to_see_the_years(scenario):
    path = scenario(HORIZON)
    shown = invoke("compare", path)
    assert shown.exit_code == 0, shown.stderr
    out = shown.stdout
    assert "Over de hele periode" in out and "2025-2027, verschil met de basis: Vandaag" in out
    assert "--year JAAR (2025-2027)" in out and "--all-years" in out
    assert "Saldo per partij" not in out and "Totale uitgaven" not in out  # no tables of a year
    assert "Apotheek" not in out  # no change in any year: its row of zeros is left out
    assert "Partijen zonder verschil in een variant zijn weggelaten." in out
    # ... and then the years (HORIZON.md: per-year figures beside the summary), one line a
    # party: half adopted in 2025, so half the sectio saved (100 x 0.2 x 1000 x 0.5 x 0.5)
    assert out.index("Over de hele periode") < out.index("Δ saldo per jaar")
    lines = out[out.index("Δ saldo per jaar") :].splitlines()
    assert re.search(r"Ziekenhuis\s+€ -5\.000,00\s+€ -10\.000,00\s+€ -10\.000,00$", "\n".join(lines), re.M)
    assert re.search(r"Zorgverzekeraar\s+€ 4\.500,00\s+€ 9\.000,00\s+€ 9\.000,00$", "\n".join(lines), re.M)
    assert re.search(r"VSV\s+€ 500,00\s+€ 1\.000,00\s+€ 1\.000,00$", "\n".join(lines), re.M)
    assert not any("Apotheek" in line for line in lines)
    english = invoke("compare", path, "--lang", "en").stdout
    assert "Over the horizon" in english and "--year YEAR (2025-2027)" in english
    assert "change against the baseline: Vandaag" in english
    every = invoke("compare", path, "--all-years").stdout
    for year in ("2025", "2026", "2027"):
        assert f" {year} " in every  # a rule per year
    assert every.count("Saldo per partij") == 3 and every.count("Over de hele periode") == 1
    assert every.index("2027") < every.index("Over de hele periode")
    one = invoke("compare", path, "--year", "2026").stdout
    assert one.count("Saldo per partij") == 1 and " 2026 " in one and "Over de hele periode" in one
    assert "2025-2027, verschil met de basis" in one  # the summary covers every year


def test_a_chosen_table_over_a_horizon_shows_every_year(scenario):
    shown = invoke("compare", scenario(HORIZON), "--table", "totals").stdout
    assert shown.count("Totale uitgaven per variant") == 3


def test_all_years_is_for_a_horizon_on_screen(scenario):
    path = scenario(HORIZON)
    one_year = scenario(HORIZON[: HORIZON.index("[horizon]")], name="een.toml")
    for args, message in (
        ((path, "--all-years", "--year", "2026"), "exclude each other"),
        ((path, "--all-years", "-f", "csv"), "csv holds every year"),
        ((one_year, "--all-years"), "--all-years needs a [horizon]"),
    ):
        result = invoke("compare", *args)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)


def test_scenarios_without_a_horizon_show_their_tables_as_before():
    shown = invoke("compare", "hybride-ziekenhuis").stdout
    assert "Saldo per partij" in shown and "Dekking van de beschikbaarheidsfuncties" in shown
    assert "--all-years" not in shown


# ---------------------------------------------------------------- the order of the parties


def _order(out: str, names: list[str]) -> list[str]:
    """Those of `names` that `out` shows, in the order it first shows them."""
    return sorted((n for n in names if n in out), key=out.index)


def test_parties_stand_in_the_scenarios_order_in_every_table(scenario):
    """Not by role, not by id: as the scenario lists them (zh, zv, apotheek, vk, vsv)."""
    path = scenario(HORIZON)
    order = ["Ziekenhuis", "Zorgverzekeraar", "Apotheek", "Verloskundigen", "VSV"]
    for args in (
        (),
        ("--table", "horizon"),
        ("--year", "2026"),
        ("--year", "2026", "--table", "results"),
        ("--year", "2026", "--table", "components"),
        ("--year", "2026", "--by", "component", "--table", "by_component"),
        ("--year", "2026", "--attribution", "--table", "attribution"),
    ):
        out = invoke("compare", path, *args).stdout
        shown = _order(out, order)
        assert len(shown) >= 3 and shown == [n for n in order if n in shown], (args, out)
    other = scenario(HORIZON.replace('name = "Horizon"', 'name = "Andere regio"'), name="b.toml")
    for args in ((), ("--year", "2026"), ("--year", "2026", "--table", "results")):
        several = invoke("compare", path, other, *args).stdout
        shown = _order(several, order)
        assert len(shown) >= 3 and shown == [n for n in order if n in shown], (args, several)


def test_an_included_files_parties_come_where_it_is_included(tmp_path):
    write(
        tmp_path / "gedeeld.toml",
        """
        [parties.zv]
        name = "Zorgverzekeraar"
        role = "payer"
        [parties.vk]
        name = "Verloskundigen"
        role = "provider"
        [activities.zorg]
        provider = "vk"
        tariff = 100.00
        """,
    )
    main = write(
        tmp_path / "regio.toml",
        """
        [scenario]
        name = "Regio"
        include = ["gedeeld.toml"]
        baseline = "mono"
        default_payer = "zv"
        [parties.gemeente]
        name = "Gemeente"
        role = "payer"
        [parties.vk]
        fixed_cost = 10
        [profiles.laag]
        clients = 10
        path = { zorg = 1 }
        [variants.mono]
        """,
    )
    out = invoke("compare", main).stdout
    names = ["Zorgverzekeraar", "Verloskundigen", "Gemeente"]
    assert _order(out, names) == names
    parties = compare(main).meta.parties
    assert [p["id"] for p in parties] == ["zv", "vk", "gemeente"]
