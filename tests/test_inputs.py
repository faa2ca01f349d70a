"""Where the inputs come from (issue 16): the file a command runs, folders, names that do
not exist, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bekostiging.calibrate import CalibrationError, calibrate, load_mapping
from bekostiging.cli import app
from conftest import invoke, runner, write

SMALL = """
[scenario]
name = "Klein"
baseline = "mono"
default_payer = "zvw"

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
path = { vk_a = 1.5 }

[variants.mono]
[variants.meer]
effects = [{ op = "scale", path = "profiles.p.path.vk_a", factor = 2 }]
"""

BOM = b"\xef\xbb\xbf"
EXPECT = '[[expect]]\nvariant = "meer"\nparty = "vk"\nmetric = "delta"\nmin = 1500\nmax = 1500\n'


# ------------------------------------------------------------------ encodings (item 5)


def test_a_byte_order_mark_is_accepted_in_a_scenario_and_its_include(tmp_path):
    tariffs = tmp_path / "tarieven.toml"
    tariffs.write_bytes(BOM + b'[activities.vk_a]\nprovider = "vk"\ntariff = 100.00\n')
    text = SMALL.replace('[activities.vk_a]\nprovider = "vk"\ntariff = 100.00\n', "")
    text = text.replace('default_payer = "zvw"\n', 'default_payer = "zvw"\ninclude = ["tarieven.toml"]\n')
    main = tmp_path / "regio.toml"
    main.write_bytes(BOM + text.encode("utf-8"))
    result = invoke("validate", main)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK ")


def test_a_byte_order_mark_is_accepted_in_a_totals_file_and_a_mapping(tmp_path):
    write(tmp_path / "regios" / "a.toml", SMALL)
    totals = tmp_path / "totaal.toml"
    body = '[totals]\nscenarios = ["regios"]\n' + EXPECT
    totals.write_bytes(BOM + body.encode("utf-8"))
    result = invoke("check", totals)
    assert result.exit_code == 0, result.stderr
    mapping = tmp_path / "mapping.toml"
    mapping.write_bytes(BOM + b'default_profile = "p"\n[codes]\nE1 = "vk_a"\n')
    assert load_mapping(mapping).default_profile == "p"


@pytest.mark.parametrize("where", ["scenario", "include"])
def test_a_file_in_another_encoding_gets_the_file_and_a_hint(tmp_path, where):
    tariffs = tmp_path / "tarieven.toml"
    tariffs.write_text('[parties.vk]\nname = "Verloskundigen"\n', encoding="utf-8")
    text = SMALL.replace('default_payer = "zvw"\n', 'default_payer = "zvw"\ninclude = ["tarieven.toml"]\n')
    text = text.replace('name = "Verloskundigen"\n', "")
    main = tmp_path / "regio.toml"
    main.write_text(text, encoding="utf-8")
    broken = main if where == "scenario" else tariffs
    latin1 = broken.read_bytes().replace(b'"Klein"', b'"Cli\xebnt"').replace(b"Verlos", b"Verl\xf6s")
    broken.write_bytes(latin1)
    result = invoke("compare", main)
    assert result.exit_code == 1
    line = next(line for line in result.stderr.splitlines() if broken.name in line)
    assert "not UTF-8" in line and "save it as UTF-8" in line and "sla op als UTF-8" in line
    assert "line " in line


def test_a_utf16_file_is_named_as_such(tmp_path):
    main = tmp_path / "regio.toml"
    main.write_bytes(SMALL.encode("utf-16"))
    result = invoke("validate", main)
    assert result.exit_code == 1
    assert "UTF-16" in result.stderr and "save it as UTF-8" in result.stderr
    assert "binary" not in result.stderr


def test_a_totals_file_in_another_encoding_gets_a_hint(tmp_path):
    write(tmp_path / "regios" / "a.toml", SMALL)
    totals = tmp_path / "totaal.toml"
    body = '# Totaal van één regio\n[totals]\nscenarios = ["regios"]\n' + EXPECT
    totals.write_bytes(body.encode("latin-1"))
    result = invoke("check", totals)
    assert result.exit_code == 1
    assert "totaal.toml" in result.stderr and "save it as UTF-8" in result.stderr
    assert "codec" not in result.stderr


def test_claims_in_another_encoding_get_a_hint_also_far_into_the_file(tmp_path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('default_profile = "ongecompliceerd"\n[codes]\nE1 = "zh_echo"\n', encoding="utf-8")
    claims = tmp_path / "claims.csv"
    header = "client_id,activity,provider,units,amount,date\n"
    rows = "a,E1,P1,1,145.00,2024-01-02\n" * 4000  # beyond the first 64 KiB
    claims.write_bytes((header + rows + "b,E1,Zoë,1,145.00,2024-01-02\n").encode("latin-1"))
    with pytest.raises(CalibrationError) as info:
        calibrate(claims, mapping)
    message = "\n".join(info.value.problems)
    assert "claims.csv" in message and "save it as UTF-8" in message
    bom = tmp_path / "bom.csv"
    bom.write_bytes(BOM + (header + "a,E1,P1,1,145.00,2024-01-02\n").encode("utf-8"))
    assert calibrate(bom, mapping).parts[0].profiles["ongecompliceerd"].clients == 1


# ------------------------------------------------------------------ names that do not exist (item 4)


def test_a_misspelt_example_name_gets_a_did_you_mean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in ("compare", "validate", "check"):
        result = invoke(command, "geboortezorg-regoi")
        assert result.exit_code == 1, command
        assert "geboortezorg-regoi: does not exist (did you mean 'geboortezorg-regio'?)" in result.stderr
        assert "only .toml" not in result.stderr


def test_a_misspelt_file_name_gets_a_did_you_mean_over_its_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "regios" / "utrecht.toml", SMALL)
    result = invoke("compare", "regios/utrect.toml")
    assert result.exit_code == 1
    assert "regios/utrect.toml: does not exist (did you mean 'regios/utrecht.toml'?)" in result.stderr
    result = invoke("compare", "regoi")
    assert "regoi: does not exist (did you mean 'regios'?)" in result.stderr


def test_a_path_that_does_not_exist_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "nergens/regio.toml")
    assert result.exit_code == 1
    assert "error: nergens/regio.toml: does not exist" in result.stderr
    result = invoke("validate", "regio.txt")
    assert "error: regio.txt: does not exist" in result.stderr


def test_a_value_after_a_flag_is_explained(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "--attribution", "true")
    assert result.exit_code == 1
    assert "true: does not exist" in result.stderr
    assert "a flag such as --attribution takes no value" in result.stderr


@pytest.mark.parametrize(
    ("command", "missing"),
    [
        (("explain", "-p", "ziekenhuis"), "--variant"),
        (("explain", "-v", "profielen"), "--party"),
        (("sensitivity", "-p", "ziekenhuis"), "--variant"),
        (("sensitivity", "-v", "profielen"), "--party"),
    ],
)
def test_a_missing_variant_or_party_lists_the_choices(command, missing):
    result = invoke(*command)
    assert result.exit_code == 2
    choices = (
        "mono, beschikbaarheid, integraal, profielen, populatie"
        if missing == "--variant"
        else "ziekenhuis, verloskundigen, kraamzorg"
    )
    line = next(line for line in result.stderr.splitlines() if missing in line)
    assert "missing" in line and choices in line


@pytest.mark.parametrize(
    "command",
    [
        ("compare", "-v", "profielenx"),
        ("compare", "--baseline", "profielenx"),
        ("explain", "-v", "profielenx", "-p", "ziekenhuis"),
        ("sensitivity", "-v", "profielenx", "-p", "ziekenhuis"),
        ("simulate", "-v", "profielenx", "--draws", "10"),
    ],
)
def test_an_unknown_variant_lists_the_variants_and_the_closest(command):
    result = invoke(*command)
    assert result.exit_code in (1, 2)
    assert "unknown variant 'profielenx' (did you mean 'profielen'?)" in result.stderr
    assert "mono, beschikbaarheid, integraal, profielen, populatie" in result.stderr


def test_the_report_lists_the_variants_for_an_unknown_one(tmp_path):
    result = invoke("report", "-v", "profielenx", "-o", tmp_path / "r.html")
    assert result.exit_code == 2
    assert "unknown variant 'profielenx' (did you mean 'profielen'?)" in result.stderr
    assert "mono, beschikbaarheid, integraal, profielen, populatie" in result.stderr


# ------------------------------------------------------------------ help (item 4)


def _commands() -> list[str]:
    from bekostiging.cli import app

    return [c.callback.__name__ for c in app.registered_commands]


@pytest.mark.parametrize("command", ["", *_commands()])
def test_help_shows_flags_as_flags_and_every_text_whole_at_80_columns(command):
    result = runner.invoke(app, [*([command] if command else []), "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout
    assert "…" not in result.stdout, "a help text is cut off"
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_the_set_example_is_shown_whole():
    result = runner.invoke(app, ["compare", "--help"], env={"COLUMNS": "80"})
    assert "activities.kz_uur.tariff=65" in result.stdout


# ------------------------------------------------------------------ folders (item 3)

TARIFFS = '[activities.vk_a]\nprovider = "vk"\ntariff = 100.00\n'


def _region(name: str) -> str:
    """SMALL as a region that includes the folder's tariff table."""
    text = SMALL.replace('name = "Klein"', f'name = "{name}"').replace(TARIFFS, "")
    return text.replace('default_payer = "zvw"\n', 'default_payer = "zvw"\ninclude = ["tarieven.toml"]\n')


def _folder(tmp_path, **files: str):
    folder = tmp_path / "regios"
    for name, text in files.items():
        write(folder / f"{name}.toml", text)
    return folder


def test_a_scenario_without_baseline_in_a_folder_is_an_error_not_skipped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _folder(tmp_path, a=SMALL, b=SMALL.replace('baseline = "mono"\n', "").replace("Klein", "B"))
    for command in ("compare", "validate"):
        result = invoke(command, "regios")
        assert result.exit_code == 1, command
        assert "regios/b.toml: scenario.baseline" in result.stderr, command
    assert "OK regios/a.toml" in invoke("validate", "regios").stdout


def test_every_skipped_file_of_a_folder_is_listed_with_why(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = _folder(
        tmp_path, a=_region("A"), b=_region("B"), tarieven=TARIFFS, los='[parties.x]\nrole = "payer"\n'
    )
    write(folder / "totaal.toml", '[totals]\nscenarios = ["."]\n' + EXPECT)
    (folder / "._a.toml").write_bytes(b"\x00\x05\x16\x07")  # what macOS leaves on a USB stick
    for command in ("compare", "validate"):
        result = invoke(command, "regios")
        assert result.exit_code == 0, result.stderr
        notes = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
        assert notes == [
            "skipped regios/._a.toml: a hidden file",
            "skipped regios/los.toml: no [scenario] table: a table for scenarios to include",
            "skipped regios/tarieven.toml: included by regios/a.toml",
            "skipped regios/totaal.toml: a totals file (`bekostiging check` reads it)",
        ], command
    result = invoke("check", "regios")
    assert "totaal.toml" not in "\n".join(line for line in result.stderr.splitlines() if "skipped" in line)


def test_two_versions_of_one_scenario_in_a_folder_get_a_warning(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _folder(
        tmp_path,
        utrecht=SMALL,
        utrecht_oud=SMALL.replace("100.00", "90.00"),
        zwolle=SMALL.replace("Klein", "Z"),
    )
    result = invoke("compare", "regios")
    assert result.exit_code == 0
    warning = next(line for line in result.stderr.splitlines() if line.startswith("warning:"))
    assert "regios/utrecht.toml and regios/utrecht_oud.toml are both scenario 'Klein'" in warning
    assert "both are counted" in warning
    assert "`bekostiging diff regios/utrecht.toml regios/utrecht_oud.toml`" in warning
    assert "hint:" not in result.stderr  # the folder's warning says it once
    assert "zwolle" not in result.stderr


def test_two_regions_with_one_name_get_a_warning_without_versions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _folder(tmp_path, noord=SMALL, zuid=SMALL.replace("100.00", "90.00"))
    result = invoke("validate", "regios")
    (warning,) = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert "both scenario 'Klein'" in warning and "its own name" in warning
    assert "bekostiging compare" not in warning


def test_a_folder_whose_scenarios_are_in_a_subfolder_points_to_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _folder(tmp_path, a=SMALL)
    write(tmp_path / "totaal.toml", '[totals]\nscenarios = ["regios"]\n' + EXPECT)
    result = invoke("compare", ".")
    assert result.exit_code == 1
    assert "did you mean 'regios' (1 scenario file)?" in result.stderr
    assert "skipped totaal.toml: a totals file" in result.stderr
    result = invoke("compare", str(Path(__file__).parents[1] / "examples" / "geboortezorg-nationaal"))
    assert result.exit_code == 1
    assert "/geboortezorg-nationaal/regios' (71 scenario files)?" in result.stderr


def test_a_folder_is_parsed_once(tmp_path, monkeypatch):
    import bekostiging as bk
    from bekostiging.scenario import toml_files

    folder = _folder(tmp_path, a=_region("A"), b=_region("B"), tarieven=TARIFFS)
    parsed: list[str] = []
    parse = toml_files.parse_toml

    def counting(raw: bytes, shown: str):
        parsed.append(Path(shown).name)
        return parse(raw, shown)

    monkeypatch.setattr(toml_files, "parse_toml", counting)
    notes: list[str] = []
    assert [s.name for s in bk.load(folder, notes=notes.append)] == ["A", "B"]
    # each scenario file once; the included table for the scan, and then once for every
    # tree (each gets its own copy: issue 19)
    assert sorted(parsed) == ["a.toml", "b.toml", "tarieven.toml", "tarieven.toml"]
    assert notes == [f"skipped {folder / 'tarieven.toml'}: included by {folder / 'a.toml'}"]


# ------------------------------------------------------------------ init and ./scenario.toml (item 2)


def test_init_writes_scenario_toml_with_its_includes_beside_it(tmp_path, monkeypatch):
    import tomllib

    monkeypatch.chdir(tmp_path)
    result = invoke("init", "mijn-regio")
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "mijn-regio"
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "README.md",
        "scenario.toml",
        "tarieven/geboortezorg-2024.toml",
    ]
    data = tomllib.loads((target / "scenario.toml").read_text(encoding="utf-8"))
    assert data["scenario"]["include"] == ["tarieven/geboortezorg-2024.toml"]
    lines = result.stdout.splitlines()
    assert lines[0] == "wrote mijn-regio/scenario.toml"
    assert lines[-1] == "next: cd mijn-regio && bekostiging compare"


def test_every_command_runs_the_local_scenario_toml_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "mijn-regio").exit_code == 0
    monkeypatch.chdir(tmp_path / "mijn-regio")
    local = Path("scenario.toml")
    local.write_text(
        local.read_text(encoding="utf-8").replace('name = "VSV Voorbeeldregio', 'name = "VSV Mijn regio')
    )
    result = invoke("compare")
    assert result.exit_code == 0, result.stderr
    assert "VSV Mijn regio" in result.stdout
    assert result.stderr.splitlines()[0] == "scenario: ./scenario.toml"
    commands = [
        ("validate",),
        ("check",),
        ("explain", "-v", "profielen", "-p", "ziekenhuis"),
        ("simulate", "--draws", "20"),
        ("sensitivity", "-v", "profielen", "-p", "ziekenhuis"),
        ("report", "-o", "rapport.html"),
    ]
    for command in commands:
        result = invoke(*command)
        assert result.exit_code == 0, (command, result.stderr)
        assert "scenario: ./scenario.toml" in result.stderr.splitlines(), command
    assert invoke("validate").stdout == "OK scenario.toml\n"


def test_without_a_local_scenario_the_embedded_example_runs_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (("compare", "-f", "csv"), ("validate",), ("check",)):
        result = invoke(*command)
        assert result.exit_code == 0, (command, result.stderr)
        first = result.stderr.splitlines()[0]
        assert first.startswith("scenario: geboortezorg-regio (the embedded example"), command
    assert "VSV Voorbeeldregio" in invoke("compare").stdout


def test_a_scenario_argument_says_nothing_about_which_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "scenario.toml", SMALL)
    write(tmp_path / "ander.toml", SMALL.replace("Klein", "Ander"))
    result = invoke("compare", "ander.toml")
    assert "scenario:" not in result.stderr and "Ander" in result.stdout


def test_init_of_a_folder_example_writes_its_regions_and_shared_tables(tmp_path, monkeypatch):
    import tomllib

    monkeypatch.chdir(tmp_path)
    result = invoke("init", "nl", "--example", "geboortezorg-nationaal")
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "nl"
    top = sorted(p.name for p in target.iterdir())
    assert top == [
        ".bekostiging",
        "README.md",
        "geboortezorg",
        "landelijke-cijfers.toml",
        "regios",
        "tarieven",
    ]
    regions = sorted((target / "regios").glob("*.toml"))
    assert len(regions) == 71
    include = tomllib.loads(regions[0].read_text(encoding="utf-8"))["scenario"]["include"]
    assert include == [
        "../tarieven/geboortezorg-2024.toml",
        "../geboortezorg/zorgpaden-2024.toml",
        "../geboortezorg/varianten-2024.toml",
    ]
    assert result.stdout.splitlines()[-1] == "next: cd nl && bekostiging compare regios"
    assert invoke("validate", regions[0], regions[-1]).exit_code == 0  # all 71: tests/test_examples.py
