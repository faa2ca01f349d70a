"""What an include may reach, what a message may show of it, and inputs named twice
(issue 17, items 2, 17, 20 and 23; SECURITY.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekostiging import api, examples
from bekostiging.findings import ScenarioError
from bekostiging.scenario import toml_files
from conftest import invoke, write

SMALL = """
[scenario]
name = "Klein"
baseline = "mono"
default_payer = "zvw"
{include}
[parties.zvw]
role = "payer"
[parties.vk]
name = "Verloskundigen"
role = "provider"

[activities.vk_a]
provider = "vk"
tariff = 100.00

[profiles.p]
clients = 10
path = {{ vk_a = 1.5 }}

[variants.mono]
[variants.meer]
effects = [{{ op = "scale", path = "profiles.p.path.vk_a", factor = 2 }}]

[[expect]]
variant = "meer"
party = "vk"
metric = "delta"
min = 1500
"""

TOKEN = "cio-0123456789abcdef"  # what a credentials file holds: never in any output
SECRET = f'[scenario]\nname = "{TOKEN}"\n[registry]\ntoken = "{TOKEN}"\n'


def small(*includes: str) -> str:
    listed = ", ".join(json.dumps(i) for i in includes)
    return SMALL.format(include=f"include = [{listed}]" if includes else "")


def errors(result) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stderr


# ------------------------------------------------------------------ item 2: where an include may lead


@pytest.fixture
def home(tmp_path):
    """A home folder with a credentials file, and a project in it (no marker above)."""
    write(tmp_path / ".cargo" / "credentials.toml", SECRET)
    write(tmp_path / "geheim" / "tarieven.toml", SECRET)
    return tmp_path


@pytest.mark.parametrize("command", ["validate", "check", "compare"])
def test_an_include_outside_the_project_folder_is_refused_and_not_read(home, command):
    main = write(home / "regio" / "scenario.toml", small("../geheim/tarieven.toml"))
    junit = home / "uit" / "junit.xml"
    junit.parent.mkdir()
    args = ["--junit", junit] if command == "check" else []
    stderr = errors(invoke(command, main, *args))
    assert "scenario.include: '../geheim/tarieven.toml' leads outside the project folder" in stderr
    assert "SECURITY.md" in stderr
    assert TOKEN not in stderr
    if junit.exists():
        assert TOKEN not in junit.read_text(encoding="utf-8")


def test_an_absolute_include_is_refused_even_inside_the_folder(home):
    write(home / "regio" / "tarieven.toml", "[activities.vk_a]\ntariff = 100.00\n")
    inside = str(home / "regio" / "tarieven.toml")
    outside = str(home / ".cargo" / "credentials.toml")
    stderr = errors(invoke("validate", write(home / "regio" / "s.toml", small(inside, outside))))
    assert f"'{inside}' is an absolute path" in stderr and f"'{outside}' is an absolute path" in stderr
    assert TOKEN not in stderr


def test_a_symlink_that_leads_out_of_the_project_is_refused(home):
    link = home / "regio" / "tarieven.toml"
    link.parent.mkdir()
    link.symlink_to(home / "geheim" / "tarieven.toml")
    stderr = errors(invoke("validate", write(home / "regio" / "s.toml", small("tarieven.toml"))))
    assert "'tarieven.toml' leads outside the project folder" in stderr and TOKEN not in stderr


@pytest.mark.parametrize("marker", [".git", "pyproject.toml", ".bekostiging"])
def test_an_include_may_go_anywhere_inside_the_project_root(home, marker):
    project = home / "project"
    (project / marker).parent.mkdir(parents=True, exist_ok=True)
    (project / marker).mkdir() if marker == ".git" else (project / marker).write_text("")
    write(project / "gedeeld" / "tarieven.toml", "[activities.vk_a]\ntariff = 100.00\n")
    main = write(project / "regios" / "noord" / "s.toml", small("../../gedeeld/tarieven.toml"))
    result = invoke("validate", main)
    assert result.exit_code == 0, result.stderr
    # the root is the nearest marked folder: one level out of it is refused
    write(home / "buiten.toml", "[activities.vk_a]\ntariff = 100.00\n")
    write(main, small("../../../buiten.toml"))
    assert "leads outside the project folder" in errors(invoke("validate", main))


def test_a_hidden_folder_in_the_project_cannot_be_included(home):
    """A home folder kept in git is a project root: its dot-folders (.cargo, .ssh, .config)
    are still out of reach."""
    (home / ".git").mkdir()
    main = write(home / "regio" / "s.toml", small("../.cargo/credentials.toml"))
    stderr = errors(invoke("validate", main))
    assert "'../.cargo/credentials.toml' leads into a hidden file or folder" in stderr
    assert TOKEN not in stderr


def test_bk_loads_keeps_includes_in_the_folder_of_base_dir(home):
    with pytest.raises(ScenarioError) as caught:
        api.loads(small("../geheim/tarieven.toml"), base_dir=home / "regio")
    assert "leads outside the project folder" in str(caught.value) and TOKEN not in str(caught.value)


def test_the_embedded_examples_resolve_from_the_package_data(tmp_path, monkeypatch):
    """In a wheel the examples and configs lie in `bekostiging/_data`, without any marker:
    that folder is their project root."""
    data = tmp_path / "site-packages" / "bekostiging" / "_data"
    for folder in ("examples", "configs"):
        shutil.copytree(examples.data_root() / folder, data / folder)
    monkeypatch.setattr(examples, "data_root", lambda: data)
    for name in examples.names():
        path = examples.path_of(name)
        files = sorted(path.glob("*.toml"))[:1] if path.is_dir() else [path]
        for file in files:
            assert api.load(file).name  # raises on any finding


def test_init_marks_the_project_of_a_folder_example(tmp_path, monkeypatch):
    """Its regions include the tables in the folder above: `init` marks that folder."""
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "nl", "--example", "geboortezorg-nationaal").exit_code == 0
    assert (tmp_path / "nl" / ".bekostiging").is_file()
    first = sorted((tmp_path / "nl" / "regios").glob("*.toml"))[0]
    assert invoke("validate", first).exit_code == 0
    assert invoke("init", "een", "--example", "geboortezorg-regio").exit_code == 0
    assert not (tmp_path / "een" / ".bekostiging").exists()  # its includes stay beside it


SEGMENTS = st.sampled_from(["..", ".", "a", "b", ".h", ".git", "nergens"])
LAST = st.sampled_from(["in.toml", "x.toml", "buiten.toml", "link.toml", "s.toml", "b/in.toml"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paths=st.lists(st.tuples(st.booleans(), st.lists(SEGMENTS, max_size=5), LAST), min_size=1, max_size=4))
def test_no_include_path_reads_outside_the_project_or_shows_what_is_there(tmp_path, paths):
    """Whatever the path (`..`, `.`, hidden folders, absolute, a link out), every file read
    lies in the project root, through no hidden folder, and no message shows a token."""
    root = tmp_path / "p"
    if not root.exists():
        (root / ".git").mkdir(parents=True)
        write(tmp_path / "buiten.toml", SECRET)
        write(root / ".h" / "x.toml", SECRET)
        write(root / ".git" / "x.toml", SECRET)
        write(root / "in.toml", "[activities.vk_a]\ntariff = 100.00\n")
        write(root / "a" / "b" / "in.toml", "[activities.vk_a]\ntariff = 100.00\n")
        (root / "a" / "link.toml").symlink_to(tmp_path / "buiten.toml")
    includes = [("/" if absolute else "") + "/".join([*segments, last]) for absolute, segments, last in paths]
    main = write(root / "a" / "s.toml", small(*includes))
    tree = toml_files.load_tree(main)
    for read in tree.files:
        assert read.is_relative_to(root) and not any(p.startswith(".") for p in read.relative_to(root).parts)
    assert TOKEN not in "\n".join(str(f) for f in tree.findings)


def test_a_conflict_never_shows_the_value_of_an_included_file(tmp_path):
    write(tmp_path / "a.toml", f'[parties.vk]\nname = "{TOKEN}"\n[activities.vk_a]\ntariff = 123.45\n')
    write(tmp_path / "b.toml", f'[parties.vk]\nname = "{TOKEN}x"\n')
    main = write(tmp_path / "s.toml", small("a.toml", "b.toml"))
    stderr = errors(invoke("validate", main))
    assert TOKEN not in stderr and "123.45" not in stderr
    # the scenario's own value may be shown: the user wrote it
    assert "a.toml: parties.vk.name: defined as 'Verloskundigen' in " in stderr
    assert "a.toml: activities.vk_a.tariff: defined as 100.00 in " in stderr
    assert "and differently here; an included value cannot be overridden: use a `set` effect" in stderr
    assert "b.toml: parties.vk.name: defined as 'Verloskundigen' in " in stderr


def test_two_included_files_in_conflict_get_advice_without_either_value(tmp_path):
    write(tmp_path / "a.toml", "[activities.extra]\ntariff = 7.77\n")
    write(tmp_path / "b.toml", "[activities.extra]\ntariff = 8.88\n")
    stderr = errors(invoke("validate", write(tmp_path / "s.toml", small("a.toml", "b.toml"))))
    line = next(x for x in stderr.splitlines() if "activities.extra.tariff" in x)
    assert "7.77" not in line and "8.88" not in line
    assert "b.toml: activities.extra.tariff: defined in " in line and "a.toml and differently here" in line
    assert "`--set activities.extra.tariff=...`" in line and "value = ... }" in line


# ------------------------------------------------------------------ item 17: many includes


def _many(folder: Path, n: int) -> Path:
    for i in range(n):
        (folder / f"t{i}.toml").write_text(f'[activities.a{i}]\nprovider = "vk"\ntariff = 1\n')
    return write(folder / "s.toml", small(*(f"t{i}.toml" for i in range(n))))


def test_reading_includes_is_linear_in_their_number(tmp_path, monkeypatch):
    """`target in tree.files` on a list made 20,000 includes take 92 s: count the path
    comparisons instead of timing them."""
    main = _many(tmp_path, 2_000)
    compared = [0]
    eq = PurePath.__eq__

    def counting(self, other):
        compared[0] += 1
        return eq(self, other)

    monkeypatch.setattr(PurePath, "__eq__", counting)
    tree = toml_files.load_tree(main)
    assert not tree.findings and len(tree.files) == 2_001
    assert compared[0] < 10 * 2_000, compared[0]  # was about 2,000,000


def test_five_thousand_includes_validate(tmp_path):
    result = invoke("validate", _many(tmp_path, 5_000))
    assert result.exit_code == 0, result.stderr


def test_the_party_order_reads_each_file_once(tmp_path):
    """Files that include each other in a lattice (every file of a level includes every
    file of the next) are read once each; the party order must not walk every path."""
    levels, width = 10, 3
    for level in range(levels):
        for i in range(width):
            nxt = [f"l{level + 1}_{j}.toml" for j in range(width)] if level + 1 < levels else []
            body = f"[scenario]\ninclude = {json.dumps(nxt)}\n" if nxt else ""
            write(tmp_path / f"l{level}_{i}.toml", body + f'[parties.p{level}_{i}]\nrole = "provider"\n')
    main = write(tmp_path / "s.toml", small(*(f"l0_{i}.toml" for i in range(width))))
    tree = toml_files.load_tree(main)
    looked = [0]

    class Counting(dict):
        def __getitem__(self, key):
            looked[0] += 1
            return super().__getitem__(key)

    tree.declared = Counting(tree.declared)
    order = tree.party_order()
    assert order[:width] == [f"p{levels - 1}_{i}" for i in range(width)] and order[-2:] == ["zvw", "vk"]
    assert looked[0] <= levels * width + 1, looked[0]  # was 3^10 paths


# ------------------------------------------------------------------ item 20: what --set may do


def test_a_set_that_replaces_a_whole_entry_is_blamed_on_set(tmp_path):
    main = write(tmp_path / "s.toml", small())
    stderr = errors(invoke("validate", main, "--set", "activities.vk_a={tariff=1}"))
    assert "error: --set: activities.vk_a.provider: required key is missing" in stderr
    assert "s.toml: activities.vk_a" not in stderr
    # and an entry the --set adds is its own too
    stderr = errors(invoke("validate", main, "--set", "activities.vk_a={provider='vk', tariff='x'}"))
    assert "error: --set: activities.vk_a.tariff:" in stderr


@pytest.mark.parametrize(
    "assignment",
    [
        'scenario.include=["t.toml"]',
        "scenario.include=[]",
        "scenario={name='x', baseline='mono', include=[]}",
    ],
)
def test_set_cannot_change_the_includes(tmp_path, assignment):
    write(tmp_path / "t.toml", "[activities.vk_a]\ntariff = 100.00\n")
    main = write(tmp_path / "s.toml", small())
    stderr = errors(invoke("validate", main, "--set", assignment))
    assert "error: --set: scenario.include: --set cannot change the includes" in stderr


def test_overrides_cannot_change_the_includes_through_the_api(tmp_path):
    main = write(tmp_path / "s.toml", small())
    with pytest.raises(ScenarioError, match="cannot change the includes"):
        api.load(main, overrides={"scenario.include": '["s.toml"]'})


# ------------------------------------------------------------------ item 23: one file named twice


def _csv(*args) -> str:
    result = invoke("compare", *args, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_same_file_twice_is_counted_once_with_a_note(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.toml", small())
    (tmp_path / "link.toml").symlink_to("a.toml")
    once = _csv("a.toml")
    for twice in (["a.toml", "a.toml"], ["a.toml", "./a.toml"], ["a.toml", "link.toml"]):
        result = invoke("compare", *twice, "-f", "csv")
        assert result.exit_code == 0, result.stderr
        assert result.stdout == once, twice
        why = "named more than once" if twice[1] == "a.toml" else "the same file as a.toml"
        assert f"skipped {twice[1]}: {why} (each file is counted once)" in result.stderr


def test_a_folder_and_a_file_in_it_count_the_file_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "regios" / "a.toml", small())
    write(tmp_path / "regios" / "b.toml", small().replace('"Klein"', '"Ander"'))
    folder = _csv("regios")
    result = invoke("compare", "regios", "regios/b.toml", "-f", "csv")
    assert result.exit_code == 0 and result.stdout == folder
    assert "skipped regios/b.toml: named more than once (each file is counted once)" in result.stderr


def test_validate_and_check_name_a_file_twice_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "regios" / "a.toml", small())
    result = invoke("validate", "regios/a.toml", "regios", "./regios/a.toml")
    assert result.exit_code == 0 and result.stdout.count("OK ") == 1, result.stdout
    assert "skipped regios/a.toml: named more than once (each file is counted once)" in result.stderr
    assert "skipped ./regios/a.toml: the same file as regios/a.toml" in result.stderr
    result = invoke("check", "regios", "regios/a.toml", "./regios/a.toml", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["outcomes"]) == 1
    assert result.stderr.count("(each file is counted once)") == 2


def test_the_api_counts_a_scenario_named_twice_once(tmp_path):
    path = write(tmp_path / "a.toml", small())
    once = api.compare(path)
    twice = api.compare([path, tmp_path / "." / "a.toml"])
    assert isinstance(twice, api.Comparison)
    assert twice.figures.results.equals(once.figures.results)
    loaded = api.load(path)
    assert isinstance(api.compare([loaded, loaded]), api.Comparison)
    # the same file with other overrides is another scenario: both are kept
    other = loaded.with_overrides({"profiles.p.clients": 20})
    assert len(api.compare([loaded, other]).items) == 2


@pytest.mark.parametrize("listed", [["regios/a.toml", "regios/a.toml"], ["regios", "./regios/a.toml"]])
def test_a_totals_file_counts_each_scenario_once(tmp_path, listed):
    """A file a totals file names twice is an error (a typo for another region, most
    likely); a folder and a file in it count the file once, as on the command line."""
    write(tmp_path / "regios" / "a.toml", small())
    write(tmp_path / "regios" / "b.toml", small().replace('"Klein"', '"Ander"'))
    expect = '[[expect]]\nvariant = "mono"\nparty = "zvw"\nmetric = "payments"\nmin = 3000\nmax = 3000\n'
    totals = write(tmp_path / "landelijk.toml", f"[totals]\nscenarios = {json.dumps(listed)}\n{expect}")
    result = invoke("check", totals, "-f", "json")
    if listed[0] == listed[1]:
        stderr = errors(result)
        assert "totals.scenarios.1: 'regios/a.toml' names the same file as totals.scenarios.0" in stderr
    else:
        assert result.exit_code == 0, result.stderr  # 1,500 each for a and b: 3,000, not 4,500
