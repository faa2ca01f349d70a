"""Bounded work (issue 17, items 7-9): the cells a run computes, "did you mean", and the
lengths of ids and names with the shortening of labels in the report."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bekostiging import examples, findings
from bekostiging.api import simulate
from bekostiging.report.html import charts
from bekostiging.scenario import limits
from bekostiging.scenario.toml_files import load_tree
from conftest import invoke

SMALL = """
[scenario]
name = "Werk"
baseline = "mono"
default_payer = "zv"
client = "client"

[parties.zv]
role = "payer"
[parties.client]
role = "client"
[parties.vk]
role = "provider"

[activities.zorg]
provider = "vk"
tariff = 100.00
copay = 5.00
[activities.nazorg]
provider = "vk"
tariff = 50.00

[profiles.laag]
clients = 10
path = { zorg = 1, nazorg = 2 }
[profiles.hoog]
clients = 4
path = { zorg = 2 }

[variants.mono]
[variants.duur]
effects = [{ op = "scale", path = "activities.zorg.tariff", factor = 1.1 }]
"""


def errors(result) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stderr


# ------------------------------------------------------------------ item 7: the work of a run


def test_a_small_file_whose_work_passes_the_limit_is_refused_at_validation(scenario):
    # 30 KB, within every other limit: one care-path entry, 200 variants, 100 years and 51
    # sets of what-ifs for `check` are 1,020,000 cells to compute
    text = SMALL.replace("path = { zorg = 1, nazorg = 2 }", "path = { zorg = 1 }").replace(
        "path = { zorg = 2 }", "path = {}"
    )
    text = text.replace('[scenario]\nname = "Werk"', '[scenario]\nname = "Werk"\nyear = 2025')
    text += "".join(f"[variants.v{i}]\n" for i in range(198))
    text += "[horizon]\nyears = 100\n"
    for i in range(51):
        text += f'[whatif.w{i}]\n[[expect]]\nvariant = "mono"\nparty = "zv"\nmin = -1\nwhatif = ["w{i}"]\n'
    stderr = errors(invoke("validate", scenario(text)))
    assert (
        "scenario.toml: profiles: 1 care-path entry × 200 variants × 100 years × 51 what-if sets"
        " × 1 insurer book make 1,020,000 cells to compute; the limit is 1,000,000 (MAX_WORK in"
        " SECURITY.md)"
    ) in stderr


def test_insurer_books_count_in_the_work(scenario, monkeypatch):
    monkeypatch.setattr(limits, "MAX_WORK", 11)
    path = examples.path_of(examples.DEFAULT)
    stderr = errors(invoke("validate", path))
    assert "90 care-path entries × 5 variants × 5 years × 2 what-if sets × 3 insurer books" in stderr
    assert "make 13,500 cells to compute; the limit is 11" in stderr


def test_every_example_is_far_inside_the_work_limit():
    root = Path(examples.path_of(examples.DEFAULT)).parents[1]
    files = sorted(root.glob("*/*.toml")) + sorted(root.glob("*/regios/*.toml"))
    assert len(files) > 71  # the examples and each region of the national one
    for file in files:
        work = limits.work_of(load_tree(file).data)
        assert work.total * 50 <= limits.MAX_WORK, (file, str(work))


def test_a_large_scenario_simulates_in_smaller_blocks_with_the_same_draws(scenario, monkeypatch):
    from bekostiging.engine import simulate as sim

    text = SMALL + (
        '\n[uncertainty]\ndraws = 40\nseed = 3\n[uncertainty.params]\n"profiles.*.clients" = '
        '{ dist = "uniform", low = 5, high = 15 }\n'
    )
    path = scenario(text)
    whole = simulate(path, workers=1)
    sizes = []
    block = sim._block

    def counted(start, n, columns):
        sizes.append(n)
        return block(start, n, columns)

    monkeypatch.setattr(sim, "_block", counted)
    monkeypatch.setattr(limits, "MAX_BLOCK_WORK", 7 * 6)  # 3 cells × 2 variants: 7 draws a block
    blocks = simulate(path, workers=1)
    assert sizes == [7] * 5 + [5]
    assert blocks.results.equals(whole.results) and blocks.draws.equals(whole.draws)


def test_the_cells_of_a_variant_share_their_formulas():
    # a cell's fee and co-payment flows carry no object of their own (memory per cell)
    from bekostiging.api import load
    from bekostiging.engine.run import run

    s = load(examples.path_of("caseload-verloskunde"))
    for result in run(s.model).variants.values():
        for component in ("fee", "copay"):
            flows = [f for f in result.ledger.flows if f.component == component]
            assert len(flows) > 1 and len({id(f.formula) for f in flows}) == 1, component
            assert all(f.describe() for f in flows)


# ------------------------------------------------------------------ item 8: did you mean


def test_thousands_of_unknown_names_search_a_bounded_number_of_suggestions(scenario, monkeypatch):
    activities = "".join(f'[activities.zorg_{i:04d}]\nprovider = "vk"\ntariff = 1\n' for i in range(2000))
    path = ", ".join(f"zorgx_{i:04d} = 1" for i in range(2000))
    text = SMALL.replace("path = { zorg = 2 }", f"path = {{ {path} }}") + activities
    compared = []
    close = difflib.get_close_matches

    def counted(word, possibilities, *args, **kwargs):
        compared.append(len(possibilities))
        return close(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    stderr = errors(invoke("validate", scenario(text)))
    assert stderr.count("unknown activity 'zorgx_") == 2000
    assert len(compared) <= findings.MAX_SUGGESTIONS + 10  # and a few for the rest of the file
    assert max(compared) <= findings.MAX_CANDIDATES
    assert (
        "profiles.hoog.path.zorgx_0000: unknown activity 'zorgx_0000' (did you mean 'zorg_0000'?)" in stderr
    )
    assert stderr.count("(no more suggestions: too many unknown names)") == 1


names = st.text(st.sampled_from("abcdefgh_1"), max_size=12)


@given(names, st.lists(names, max_size=40))
def test_the_narrowed_candidates_suggest_what_all_of_them_would(name, candidates):
    expected = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=findings.CUTOFF)
    hint = findings.did_you_mean(name, candidates)
    assert hint == (f" (did you mean '{expected[0]}'?)" if expected else "")


# ------------------------------------------------------------------ item 9: names and labels


def test_ids_and_names_beyond_their_length_are_refused(scenario):
    long_id = "v" + "k" * 64  # 65 characters
    text = SMALL.replace("[parties.vk]", f'[parties.vk]\nname = "{"N" * 201}"')
    text += f'[parties.{long_id}]\nrole = "provider"\n'
    text = text.replace('name = "Werk"', f'name = "{"W" * 20_000}"')
    stderr = errors(invoke("validate", scenario(text)))
    assert "scenario.name: the name has 20,000 characters; the limit is 200" in stderr
    assert "parties.vk.name: the name has 201 characters; the limit is 200" in stderr
    assert f"parties.{long_id[:64]}…: the id has 65 characters; the limit is 64" in stderr


def test_ids_and_names_at_their_length_are_accepted(scenario):
    text = SMALL.replace("[parties.vk]", f'[parties.vk]\nname = "{"N" * 200}"')
    text = text.replace("vk", "v" + "k" * 63)  # the party's id: 64 characters
    result = invoke("validate", scenario(text))
    assert result.exit_code == 0, result.stderr


def test_a_long_label_is_shortened_measuring_it_once(monkeypatch):
    calls = []
    width = charts.text_width

    def counted(text, size=charts.LABEL_SIZE):
        calls.append(len(text))
        return width(text, size)

    monkeypatch.setattr(charts, "text_width", counted)
    short = charts.fit("Verloskundigen " * 1_400, 200)  # 21,000 characters
    assert len(calls) == 1
    assert short.endswith("…") and width(short) <= 200 < width(short[:-1] + "x…")


def _fit_by_characters(text: str, limit: float, size: float) -> str:
    """The former `fit`: one character at a time, the whole text measured each time."""
    if charts.text_width(text, size) <= limit:
        return text
    while text and charts.text_width(text + "…", size) > limit:
        text = text[:-1]
    return text.rstrip() + "…"


@given(st.text(max_size=80), st.floats(min_value=0, max_value=600), st.sampled_from([11, 12, 16]))
def test_shortening_in_one_pass_cuts_where_cutting_by_characters_did(text, limit, size):
    assert charts.fit(text, limit, size) == _fit_by_characters(text, limit, size)


def test_security_doc_lists_these_limits_and_their_tests():
    text = (Path(__file__).resolve().parents[1] / "SECURITY.md").read_text(encoding="utf-8")
    for name in (
        "MAX_WORK",
        "MAX_BLOCK_WORK",
        "MAX_ID_LENGTH",
        "MAX_NAME_LENGTH",
        "MAX_SUGGESTIONS",
        "MAX_CANDIDATES",
    ):
        assert name in text, name
    row = next(line for line in text.splitlines() if "tests/test_work_limits.py" in line)
    named = re.findall(r"`(test_\w+)`", row)
    assert len(named) >= 7 and all(callable(globals().get(n)) for n in named), named
