"""`bekostiging diff OLD NEW` and `bk.diff` (issue 18): what an edit to a scenario did.

A small scenario written here, by hand: one payer (zvw), a midwife practice (vk) and a
hospital (zh); 10 clients, each with one vk_a (tariff in an included file) and two zh_b
(€ 50.00); variant `meer` doubles vk_a. The NEW copy raises the vk_a tariff from 100.00
to 110.00 in the included file and the hospital's fixed cost from 200 to 300 in the
scenario file itself.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bekostiging as bk
from conftest import invoke, row, write

MAIN = """
[scenario]
name = "Klein"
baseline = "mono"
default_payer = "zvw"
include = ["tarieven.toml"]

[parties.zvw]
role = "payer"
[parties.vk]
name = "Verloskundigen"
role = "provider"
[parties.zh]
name = "Ziekenhuis"
role = "provider"
fixed_cost = 200

[profiles.p]
clients = 10
path = { vk_a = 1, zh_b = 2 }

[variants.mono]
[variants.meer]
effects = [{ op = "scale", path = "profiles.p.path.vk_a", factor = 2 }]
"""

TARIFFS = """
[activities.vk_a]
provider = "vk"
tariff = 100.00

[activities.zh_b]
provider = "zh"
tariff = 50.00
"""

HORIZON = """
[horizon]
start = 2025
years = 2
discount_rate = 0.10
"""


def version(folder: Path, *, tariff: str = "100.00", fixed_cost: str = "200", main: str = MAIN) -> Path:
    """The scenario in `folder` (its scenario file and the included tariffs)."""
    write(folder / "tarieven.toml", TARIFFS.replace("100.00", tariff))
    return write(folder / "regio.toml", main.replace("fixed_cost = 200", f"fixed_cost = {fixed_cost}"))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old = version(tmp_path / "oud")
    new = version(tmp_path / "nieuw", tariff="110.00", fixed_cost="300")
    return old, new


def as_json(result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def d(text: str) -> Decimal:
    return Decimal(text)


# ------------------------------------------------------------------ inputs and figures by hand


def test_the_changed_inputs_are_dotted_paths_after_includes(pair, monkeypatch):
    monkeypatch.chdir(pair[0].parent.parent)
    document = as_json(invoke("diff", "oud/regio.toml", "nieuw/regio.toml", "-f", "json"))
    assert document["inputs"] == [
        # the scenario file's own change, then the included file's (in the order read)
        {"path": "parties.zh.fixed_cost", "old": "200", "new": "300", "set_in": "nieuw/regio.toml"},
        {"path": "activities.vk_a.tariff", "old": "100.00", "new": "110.00", "set_in": "nieuw/tarieven.toml"},
    ]


def test_every_figure_changes_as_computed_by_hand(pair):
    document = as_json(invoke("diff", *pair, "-f", "json"))
    results = document["results"]

    def change(variant: str, party: str, figure: str) -> tuple[Decimal | None, ...]:
        found = row(results, variant=variant, party=party, figure=figure)
        return found["old"], found["new"], found["change"]

    # mono: vk is paid 10 × 1 × tariff: 1,000.00 -> 1,100.00; zvw pays that plus
    # 10 × 2 × 50.00 = 1,000.00 for the hospital: 2,000.00 -> 2,100.00.
    assert change("mono", "vk", "revenue") == (d("1000.00"), d("1100.00"), d("100.00"))
    assert change("mono", "zvw", "payments") == (d("2000.00"), d("2100.00"), d("100.00"))
    assert change("mono", "zvw", "net") == (d("-2000.00"), d("-2100.00"), d("-100.00"))
    # meer doubles vk_a: vk 2,000.00 -> 2,200.00; its delta against mono 1,000.00 -> 1,100.00,
    # still 100 % of its net in mono: delta_pct does not change.
    assert change("meer", "vk", "revenue") == (d("2000.00"), d("2200.00"), d("200.00"))
    assert change("meer", "vk", "delta") == (d("1000.00"), d("1100.00"), d("100.00"))
    assert change("meer", "vk", "delta_pct") == (d("100.00"), d("100.00"), d("0.00"))
    assert change("meer", "zvw", "delta") == (d("-1000.00"), d("-1100.00"), d("-100.00"))
    # the hospital: revenue 1,000.00 in both; its fixed cost 200 -> 300, so its margin
    # (net - cost) 800.00 -> 700.00, in every variant.
    assert change("meer", "zh", "revenue") == (d("1000.00"), d("1000.00"), d("0.00"))
    assert change("mono", "zh", "cost") == (d("200.00"), d("300.00"), d("100.00"))
    assert change("meer", "zh", "margin") == (d("800.00"), d("700.00"), d("-100.00"))
    # a payer has no cost on either side: no row for it (nothing to compare)
    assert not [r for r in results if r["party"] == "zvw" and r["figure"] in ("cost", "margin")]
    # totals: the payers spend 2,000.00 -> 2,100.00 (mono) and 3,000.00 -> 3,200.00 (meer)
    totals = document["totals"]
    assert row(totals, variant="mono", figure="payer_spend")["change"] == d("100.00")
    assert row(totals, variant="meer", figure="total") == {
        "variant": "meer",
        "figure": "total",
        "old": d("3000.00"),
        "new": d("3200.00"),
        "change": d("200.00"),
    }
    # provenance: both sides' files, each with its sha256
    old_files = [i["file"] for i in document["old"][0]["inputs"]]
    assert [Path(f).name for f in old_files] == ["regio.toml", "tarieven.toml"]
    assert document["new"][0]["inputs"][1]["sha256"] == _sha256(pair[1].parent / "tarieven.toml")


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_terminal_shows_changed_figures_largest_first_with_a_count(pair):
    result = invoke("diff", *pair, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "activities.vk_a.tariff" in out and "100.00" in out and "110.00" in out
    meer = out[out.index("Figures that change: meer") : out.index("Total spending")]
    lines = [line for line in meer.splitlines() if "€" in line or "%" in line]
    # in meer: the changes of 200.00 (zvw's payments and net, vk's revenue and net) first,
    # then those of 100.00, then delta_pct (zvw: -1,000/2,000 = -50 % -> -1,100/2,100 =
    # -52.38 %); zh's revenue (1,000.00 on both sides) is not shown
    assert all("200.00" in line for line in lines[:4]) and "100.00" in lines[4]
    assert any(line.split()[:2] == ["Verloskundigen", "Revenue"] for line in lines[:4])
    assert lines[-1].split() == ["zvw", "Δ", "%", "-50.00%", "-52.38%", "-2.38%"]
    assert not any("Ziekenhuis" in line and "Revenue" in line for line in lines)
    # the count says how many figures did not change (totals included)
    document = as_json(invoke("diff", *pair, "-f", "json"))
    same = sum(r["change"] == 0 for r in document["results"] + document["totals"])
    assert f"{same} figures are unchanged" in out


def test_csv_gives_every_row_of_the_chosen_table(pair):
    result = invoke("diff", *pair, "-f", "csv", "--table", "results")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "variant,party,figure,old,new,change,party_name"
    assert "mono,vk,revenue,1000.00,1100.00,100.00,Verloskundigen" in lines
    assert "meer,zh,revenue,1000.00,1000.00,0.00,Ziekenhuis" in lines  # unchanged rows too
    # on screen, --table shows every row too, a delta_pct as a percentage
    shown = invoke("diff", *pair, "--table", "results", "--lang", "en").stdout
    assert "Verloskundigen" not in shown and "€1,100.00" in shown and "100.00%" in shown
    inputs = invoke("diff", *pair, "-f", "csv", "--table", "inputs").stdout.splitlines()
    assert inputs[0] == "path,old,new,set_in"
    assert inputs[2].startswith("activities.vk_a.tariff,100.00,110.00,")


def test_the_api_gives_the_same_tables(pair):
    result = bk.diff(pair[0], pair[1])
    assert isinstance(result, bk.Difference)
    assert result.names() == ["inputs", "results", "totals"]
    vk = result.results.filter(variant="mono", party="vk", figure="revenue")
    assert vk["change"].item() == d("100.00")
    assert bk.render(result, "csv", "results") == invoke("diff", *pair, "-f", "csv").stdout
    assert not result.unchanged


def test_overrides_apply_to_both_sides(pair):
    # --set the tariff on both sides: only the fixed cost still differs
    result = bk.diff(*pair, overrides={"activities.vk_a.tariff": Decimal("120.00")})
    assert result.inputs["path"].to_list() == ["parties.zh.fixed_cost"]
    assert result.results.filter(variant="mono", party="vk", figure="revenue")["change"].item() == 0
    # ... and on the command line the same
    document = as_json(invoke("diff", *pair, "--set", "activities.vk_a.tariff=120", "-f", "json"))
    assert [i["path"] for i in document["inputs"]] == ["parties.zh.fixed_cost"]
    assert document["old"][0]["overrides"] == ["activities.vk_a.tariff=120"]


# ------------------------------------------------------------------ added and removed


def test_added_and_removed_keys_variants_and_array_entries(tmp_path):
    expect = '\n[[expect]]\nvariant = "meer"\nparty = "vk"\nmetric = "delta"\nmin = {low}\n'
    old = version(tmp_path / "oud", main=MAIN + expect.format(low=0))
    main = MAIN.replace('name = "Verloskundigen"\n', "") + "[variants.extra]\n" + expect.format(low=500)
    new = version(tmp_path / "nieuw", main=main + expect.format(low=900))
    document = as_json(invoke("diff", old, new, "-f", "json"))
    inputs = {i["path"]: (i["old"], i["new"]) for i in document["inputs"]}
    assert inputs == {
        "parties.vk.name": ('"Verloskundigen"', None),  # removed: its new side is empty
        "variants.extra": (None, "{}"),  # an empty table is one input
        "expect.0.min": ("0", "500"),  # an array of tables, by index
        "expect.1.variant": (None, '"meer"'),
        "expect.1.party": (None, '"vk"'),
        "expect.1.metric": (None, '"delta"'),
        "expect.1.min": (None, "900"),
    }
    # the added variant (no effects: as mono, 1,000.00 for vk) is compared with nothing
    extra = row(document["results"], variant="extra", party="vk", figure="revenue")
    assert (extra["old"], extra["new"], extra["change"]) == (None, d("1000.00"), None)
    # and the screen shows it, the old side empty
    out = invoke("diff", old, new, "--lang", "en").stdout
    assert "Figures that change: extra" in out


def test_an_added_key_stands_beside_its_neighbours():
    from bekostiging.scenario.changes import changes
    from bekostiging.scenario.toml_files import SourceTree

    old = SourceTree({"a": {"x": 1, "z": 3}, "b": 1})
    new = SourceTree({"a": {"x": 1, "y": 2, "z": 4}, "b": True})
    found = [(c.path, c.old, c.new) for c in changes(old, new)]
    # y after x (where the new side writes it), z changed; 1 and true differ (a boolean
    # equals only a boolean), while 1 and 1.0 would be the same number
    assert found == [("a.y", None, "2"), ("a.z", "3", "4"), ("b", "1", "true")]
    assert changes(SourceTree({"a": 1}), SourceTree({"a": Decimal("1.00")})) == []


# ------------------------------------------------------------------ identical, names, horizon


def test_identical_files_have_no_differences(pair):
    result = invoke("diff", pair[0], pair[0], "--lang", "en")
    assert result.exit_code == 0
    assert "No difference: the inputs and every figure are the same." in result.stdout
    document = as_json(invoke("diff", pair[0], pair[0], "-f", "json"))
    assert document["inputs"] == []
    assert {r["change"] for r in document["results"] + document["totals"]} == {d("0.00")}
    assert bk.diff(pair[0], pair[0]).unchanged


def test_two_different_scenarios_are_compared_with_a_warning(pair):
    text = pair[1].read_text(encoding="utf-8").replace('name = "Klein"', 'name = "Groot"')
    pair[1].write_text(text, encoding="utf-8")
    result = invoke("diff", *pair, "-f", "json")
    assert result.exit_code == 0
    assert "is scenario 'Klein'" in result.stderr and "is scenario 'Groot'" in result.stderr
    assert row(json.loads(result.stdout)["inputs"], path="scenario.name")["new"] == '"Groot"'


def test_under_a_horizon_the_net_present_values_change_as_computed_by_hand(tmp_path):
    old = version(tmp_path / "oud", main=MAIN + HORIZON)
    new = version(tmp_path / "nieuw", tariff="110.00", main=MAIN + HORIZON)
    document = as_json(invoke("diff", old, new, "-f", "json"))
    results = document["results"]
    # each year: vk's net 1,000.00 -> 1,100.00 in mono; discounted at 10 %:
    # 1,000 + 1,000 / 1.1 = 1,909.09 -> 1,100 + 1,100 / 1.1 = 2,100.00
    npv = row(results, variant="mono", party="vk", figure="npv_net", year=None)
    assert (npv["old"], npv["new"], npv["change"]) == (d("1909.09"), d("2100.00"), d("190.91"))
    # meer: vk's delta 1,000.00 -> 1,100.00 in each year, discounted the same way
    delta = row(results, variant="meer", party="vk", figure="npv_delta", year=None)
    assert (delta["old"], delta["new"]) == (d("1909.09"), d("2100.00"))
    assert row(results, variant="mono", party="vk", figure="revenue", year=2026)["change"] == d("100.00")
    # the screen: the net present values, and how to see the years
    out = invoke("diff", old, new, "--lang", "en").stdout
    assert "(net present value 2025-2026)" in out and "--year YEAR (2025-2026)" in out
    assert "Revenue" not in out
    assert "Revenue" in invoke("diff", old, new, "--lang", "en", "--all-years").stdout
    # --year: that year's figures only
    one = as_json(invoke("diff", old, new, "--year", "2026", "-f", "json"))["results"]
    assert {r["year"] for r in one} == {2026}


# ------------------------------------------------------------------ folders


def test_folders_are_matched_by_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    version(tmp_path / "oud")
    version(tmp_path / "nieuw", tariff="110.00")
    write(tmp_path / "oud" / "weg.toml", MAIN.replace('include = ["tarieven.toml"]\n', "") + TARIFFS)
    write(tmp_path / "nieuw" / "erbij.toml", MAIN.replace('include = ["tarieven.toml"]\n', "") + TARIFFS)
    result = invoke("diff", "oud", "nieuw", "-f", "json")
    document = as_json(result)
    inputs = document["inputs"]
    assert row(inputs, file="regio.toml", path="activities.vk_a.tariff")["new"] == "110.00"
    # a file on one side only: every input with the other side empty, every figure
    # compared with nothing
    removed = [i for i in inputs if i["file"] == "weg.toml"]
    assert removed and all(i["new"] is None for i in removed)
    assert row(inputs, file="erbij.toml", path="parties.zh.fixed_cost") == {
        "file": "erbij.toml",
        "path": "parties.zh.fixed_cost",
        "old": None,
        "new": "200",
        "set_in": "nieuw/erbij.toml",
    }
    gone = row(document["results"], file="weg.toml", variant="mono", party="vk", figure="revenue")
    assert (gone["old"], gone["new"], gone["change"]) == (d("1000.00"), None, None)
    changed = row(document["results"], file="regio.toml", variant="mono", party="vk", figure="revenue")
    assert changed["change"] == d("100.00")
    assert [s["scenario"]["file"] for s in document["old"]] == ["oud/regio.toml", "oud/weg.toml"]
    out = invoke("diff", "oud", "nieuw", "--lang", "en").stdout
    assert "erbij.toml: only in the new folder (added)" in out
    assert "weg.toml: only in the old folder (removed)" in out


# ------------------------------------------------------------------ bad input


def test_a_missing_file_is_invalid_input(pair, tmp_path):
    result = invoke("diff", pair[0], tmp_path / "nergens.toml")
    assert result.exit_code == 1
    assert "nergens.toml" in result.stderr and "Traceback" not in result.stderr


def test_a_folder_against_a_file_is_wrong_use(pair):
    result = invoke("diff", pair[0].parent, pair[1])
    assert result.exit_code == 2
    assert "is a folder and" in result.stderr and "two files or two folders" in result.stderr
    with pytest.raises(bk.OptionError):
        bk.diff(pair[0], pair[1].parent)


def test_problems_of_both_sides_are_reported_at_once(pair):
    pair[0].write_text(pair[0].read_text(encoding="utf-8").replace("clients = 10", "clients = -1"))
    pair[1].write_text(pair[1].read_text(encoding="utf-8").replace('role = "payer"', 'role = "betaler"'))
    result = invoke("diff", *pair)
    assert result.exit_code == 1
    assert "oud/regio.toml" in result.stderr and "nieuw/regio.toml" in result.stderr


def test_a_year_outside_the_horizon_and_all_years_without_one(pair, tmp_path):
    assert invoke("diff", *pair, "--year", "2030").exit_code == 2  # no [horizon]
    result = invoke("diff", *pair, "--all-years")
    assert result.exit_code == 2 and "needs a [horizon]" in result.stderr
    assert invoke("diff", *pair, "--all-years", "-f", "json").exit_code == 2


def test_an_unknown_baseline_names_the_variants(pair):
    result = invoke("diff", *pair, "--baseline", "mnoo")
    assert result.exit_code == 1
    assert "mono" in result.stderr


def test_the_output_may_not_overwrite_an_input(pair):
    result = invoke("diff", *pair, "-o", pair[1].parent / "tarieven.toml")
    assert result.exit_code == 2


# ------------------------------------------------------------------ compare's hint


def test_compare_of_two_versions_points_to_diff(pair):
    result = invoke("compare", *pair)
    assert result.exit_code == 0  # still added up: it is a hint
    hint = next(line for line in result.stderr.splitlines() if line.startswith("hint:"))
    assert "are both scenario 'Klein'" in hint
    assert f"bekostiging diff {pair[0]} {pair[1]}" in hint


def test_compare_of_two_regions_gets_no_hint(pair):
    text = pair[1].read_text(encoding="utf-8").replace('name = "Klein"', 'name = "Noord"')
    pair[1].write_text(text, encoding="utf-8")
    assert "hint:" not in invoke("compare", *pair).stderr


def test_a_copy_of_the_default_example_with_one_edit(tmp_path, monkeypatch):
    """The README's example: `init`, one tariff edited, diff against the embedded example."""
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "oud").exit_code == 0
    shutil.copytree("oud", "nieuw")
    tariffs = Path("nieuw/tarieven/geboortezorg-2024.toml")
    text = tariffs.read_text(encoding="utf-8")
    assert "tariff = 62.30" in text
    tariffs.write_text(text.replace("tariff = 62.30", "tariff = 64.00", 1), encoding="utf-8")
    document = as_json(
        invoke("diff", "oud/scenario.toml", "nieuw/scenario.toml", "--year", "2025", "-f", "json")
    )
    assert [(i["path"], i["old"], i["new"]) for i in document["inputs"]] == [
        ("activities.kz_uur.tariff", "62.30", "64.00")
    ]
    # each side's figures are compare's, to the cent
    after, before = (
        as_json(invoke("compare", f"{side}/scenario.toml", "--year", "2025", "-f", "json"))["results"]
        for side in ("nieuw", "oud")
    )
    kz = row(document["results"], variant="mono", party="kraamzorg", figure="revenue")
    assert kz["new"] == row(after, variant="mono", party="kraamzorg")["revenue"]
    assert kz["change"] == kz["new"] - row(before, variant="mono", party="kraamzorg")["revenue"] > 0


def test_another_baseline_on_both_sides(pair):
    # against meer: vk's delta in mono is 1,000.00 - 2,000.00 = -1,000.00, and
    # 1,100.00 - 2,200.00 = -1,100.00 with the new tariff
    document = as_json(invoke("diff", *pair, "--baseline", "meer", "-f", "json"))
    vk = row(document["results"], variant="mono", party="vk", figure="delta")
    assert (vk["old"], vk["new"], vk["change"]) == (d("-1000.00"), d("-1100.00"), d("-100.00"))
    assert document["old"][0]["baseline"] == document["new"][0]["baseline"] == "meer"


def test_xlsx_has_a_sheet_per_table_and_the_sources(pair, tmp_path):
    import zipfile

    target = tmp_path / "verschil.xlsx"
    assert invoke("diff", *pair, "-o", target).exit_code == 0
    sheets = [n for n in zipfile.ZipFile(target).namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 4  # inputs, results, totals, and the sources of both sides


# ------------------------------------------------------------------ an invariant

_leaf = st.one_of(st.integers(-3, 3), st.booleans(), st.sampled_from(["a", "b"]), st.just([1, 2]))
_tree = st.recursive(
    _leaf,
    lambda inner: (
        st.dictionaries(st.sampled_from(["x", "y", "z"]), inner, max_size=3)
        | st.lists(st.dictionaries(st.sampled_from(["p", "q"]), inner, min_size=1, max_size=2), max_size=2)
    ),
    max_leaves=8,
)


@given(
    st.dictionaries(st.sampled_from(["s", "t"]), _tree), st.dictionaries(st.sampled_from(["s", "t"]), _tree)
)
def test_changes_are_the_same_both_ways_round_and_none_against_itself(a, b):
    from bekostiging.scenario.changes import changes
    from bekostiging.scenario.toml_files import SourceTree

    forth = {(c.path, c.old, c.new) for c in changes(SourceTree(a), SourceTree(b))}
    back = {(c.path, c.new, c.old) for c in changes(SourceTree(b), SourceTree(a))}
    assert forth == back
    assert changes(SourceTree(a), SourceTree(a)) == []
