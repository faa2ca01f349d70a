"""Names are text, never markup or terminal commands (SECURITY.md "Names and text").

A name (of the scenario, a party, a variant, a what-if, an activity, a profile, a
function), a unit and a check's message are shown as written in every output: rich
markup (`[/]`, `[link=...]`, `[bold]`) and emoji codes (`:thumbs_up:`) are printed as
text, not read. Control characters (ESC, BEL, C1) are refused in names at validation;
wherever text from a file or the command line still reaches an output (a key, a file
name, a claim code, a `--set`), a control character is shown as `\\x1b`, never sent raw.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings

from bekostiging import examples
from bekostiging.printable import printable, printable_lines
from conftest import invoke, write
from strategies import any_text

# A name with markup in every spelling rich reads, an emoji code, and a backslash at the end.
MARKUP = " [/] [bold]vet [link=https://x.invalid]klik[/link] :thumbs_up: \\"
SHOWN = ("[/]", "[bold]vet", "[link=https://x.invalid]klik[/link]", ":thumbs_up:")
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what may never reach a terminal raw


def hostile(example: str, tmp_path: Path, suffix: str = MARKUP) -> Path:
    """A copy of an embedded example (and the tables it includes) with `suffix` after
    every name, unit and message."""
    source = examples.folder_of(example)
    target = tmp_path / "examples" / example
    shutil.copytree(source, target)
    shutil.copytree(examples.data_root() / "configs", tmp_path / "configs")
    (tmp_path / ".bekostiging").touch()  # the project root: its includes reach ../../configs
    toml = suffix.replace("\\", "\\\\")  # as a TOML basic string holds it
    for path in [target / "scenario.toml", *(tmp_path / "configs").rglob("*.toml")]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(
            r'^((?:name|unit|message) = "[^"]*)"',
            lambda m: m[1] + toml + '"',
            text,
            flags=re.M,
        )
        path.write_text(text, encoding="utf-8")
    return target / "scenario.toml"


def shown_as_written(result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.stdout[-2000:], result.stderr[-2000:])
    out = result.stdout
    for piece in SHOWN:
        assert piece in out, (piece, out[-3000:])
    assert "\N{THUMBS UP SIGN}" not in out
    assert not CONTROLS.search(out + result.stderr)
    return out


HOSPITAL = [
    ["compare"],
    ["compare", "--by", "component"],
    ["compare", "--by", "profile"],
    ["compare", "--by", "activity"],
    ["compare", "-w", "volume_daalt", "--table", "components"],
    ["compare", "--table", "ledger", "-v", "hybride"],
    ["compare", "--table", "availability"],
    ["compare", "--attribution", "--table", "attribution"],
    ["compare", "--lang", "en"],
    ["explain", "-v", "hybride", "-p", "ziekenhuis"],
    ["explain", "-v", "hybride", "-p", "ziekenhuis", "--table", "flows"],
    ["check"],
    ["simulate", "--draws", "20"],
    ["simulate", "--draws", "20", "--table", "shared_savings"],
    ["sensitivity", "-v", "hybride", "-p", "ziekenhuis", "-w", "volume_daalt"],
]


@pytest.mark.parametrize("args", HOSPITAL, ids=" ".join)
def test_markup_in_names_is_printed_as_written(tmp_path, args):
    path = hostile("hybride-ziekenhuis", tmp_path)
    shown_as_written(invoke(args[0], path, *args[1:]))


@pytest.mark.parametrize(
    "args",
    [
        ["compare"],
        ["compare", "--all-years"],
        ["compare", "--table", "horizon"],
        ["compare", "--table", "shared_savings"],
        ["simulate", "--draws", "20"],
        ["simulate", "--draws", "20", "--year", "2027"],
        ["sensitivity", "-v", "gedeelde_besparing", "-p", "gemeente"],
        ["check"],
    ],
    ids=" ".join,
)
def test_markup_in_names_over_a_horizon(tmp_path, args):
    path = hostile("preventie-gemeente", tmp_path)
    shown_as_written(invoke(args[0], path, *args[1:]))


def test_markup_in_names_of_several_files(tmp_path):
    one = hostile("hybride-ziekenhuis", tmp_path / "a")
    two = hostile("hybride-ziekenhuis", tmp_path / "b", suffix=MARKUP + " twee")
    shown_as_written(invoke("compare", one, two))
    shown_as_written(invoke("compare", one, two, "--table", "results"))


@pytest.mark.parametrize(
    "args",
    [
        ["compare"],
        ["compare", "--table", "ledger", "-v", "hybride"],
        ["explain", "-v", "hybride", "-p", "ziekenhuis", "--table", "flows"],
        ["check"],
        ["simulate", "--draws", "20"],
    ],
    ids=" ".join,
)
def test_markup_in_names_on_a_narrow_terminal(tmp_path, monkeypatch, args):
    """Tables too wide for the console are split (headings, blocks, records): each part
    keeps the names (in its title too) as written."""
    path = hostile("hybride-ziekenhuis", tmp_path, suffix=" [/]:thumbs_up:\\")
    for columns in ("70", "30"):
        monkeypatch.setenv("COLUMNS", columns)
        out = invoke(args[0], path, *args[1:])
        assert out.exit_code in (0, 1) and not out.stderr, (columns, out.stderr)
        assert "[/]:thumbs_up:\\" in out.stdout.replace("\n", ""), (columns, out.stdout[-3000:])


def test_markup_in_names_in_the_report(tmp_path):
    path = hostile("hybride-ziekenhuis", tmp_path)
    page = tmp_path / "r.html"
    assert invoke("report", path, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "[link=https://x.invalid]klik[/link]" in html
    chart = tmp_path / "c.svg"
    assert invoke("report", path, "--chart", "saldo", "-o", chart).exit_code == 0
    assert "[/]" in "".join(ET.fromstring(chart.read_text(encoding="utf-8")).itertext())


# ------------------------------------------------------------------ control characters

NAMES = [
    ("scenario", r"^name = .*$", "scenario.name"),
    ("parties.ziekenhuis", r'^name = "Ziekenhuis"$', "parties.ziekenhuis.name"),
    ("variants.hybride", r'^name = "Hybride[^"]*"$', "variants.hybride.name"),
]


@pytest.mark.parametrize("control", ["\x1b[31m", "\x07", "\x9b31m", "\r", "\n", "\x00", "\x7f"])
def test_a_control_character_in_a_name_is_refused(scenario, control):
    """Every name, unit and message is checked; the message shows where, and shows the
    character as an escape."""
    toml = json.dumps(f"rood{control}tekst")
    path = scenario(f"""
        [scenario]
        name = {toml}
        baseline = "mono"
        default_payer = "zv"

        [parties.zv]
        name = {toml}
        role = "payer"
        [parties.vk]
        role = "provider"

        [activities.zorg]
        name = {toml}
        unit = {toml}
        provider = "vk"
        tariff = 100

        [profiles.laag]
        name = {toml}
        clients = 10
        path = {{ zorg = 1 }}

        [availability.seh]
        name = {toml}
        party = "vk"
        annual_cost = 10

        [variants.mono]
        name = {toml}

        [whatif.minder]
        name = {toml}

        [[expect]]
        variant = "mono"
        party = "vk"
        metric = "net"
        min = 0
        message = {toml}
        """)
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert not CONTROLS.search(result.stdout + result.stderr)
    where = [
        "scenario.name",
        "parties.zv.name",
        "activities.zorg.name",
        "activities.zorg.unit",
        "profiles.laag.name",
        "availability.seh.name",
        "variants.mono.name",
        "whatif.minder.name",
    ]
    if control != "\n":  # a check's message is prose: it may have lines
        where.append("expect.0.message")
    for dotted in where:
        assert f": {dotted}: " in result.stderr and "control character" in result.stderr, (
            dotted,
            result.stderr,
        )
    assert printable(control) in result.stderr
    assert result.stderr.count("\n") == len(where) + 1  # one line per problem, and the count


def test_a_control_character_in_a_key_is_shown_escaped(scenario):
    path = scenario("""
        [scenario]
        name = "x"
        baseline = "mono"

        [parties."zv\\u001b]8;;https://x.invalid\\u0007"]
        role = "payer"

        [variants.mono]
        """)
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert not CONTROLS.search(result.stderr)
    assert "zv\\x1b]8;;https://x.invalid\\x07" in result.stderr


def test_a_control_character_in_a_file_name_is_shown_escaped(tmp_path):
    good = write(tmp_path / "goed\x1b[2J.toml", (examples.path_of("hybride-ziekenhuis")).read_text("utf-8"))
    bad = write(tmp_path / "fout\x1b[2J.toml", "[scenario\n")
    result = invoke("validate", good, bad)
    assert result.exit_code == 1
    assert not CONTROLS.search(result.stdout + result.stderr)
    assert "goed\\x1b[2J.toml" in result.stdout and "fout\\x1b[2J.toml" in result.stderr


def test_a_control_character_in_an_option_is_shown_escaped():
    for args in (
        ["compare", "hybride-ziekenhuis", "-v", "x\x1b[31m"],
        ["compare", "hybride-ziekenhuis", "--set", "parties.x\x1b[31m.name=1"],
        ["compare", "hybride-ziekenhuis", "--set", 'parties.ziekenhuis.name="x\x1b[31m"'],
        ["compare", "hybride-ziekenhuis", "--format", "x\x1b[31m"],
        ["compare", "geen\x1b[31m"],
    ):
        result = invoke(*args)
        assert result.exit_code in (1, 2), args
        assert not CONTROLS.search(result.stdout + result.stderr), (args, result.stderr)
        assert "\\x1b[31m" in result.stderr, (args, result.stderr)


def test_a_set_text_with_markup_is_printed_as_written(tmp_path):
    result = invoke(
        "compare", "hybride-ziekenhuis", "--set", "parties.ziekenhuis.name='[/] [link=x]y[/link]'"
    )
    assert result.exit_code == 0, result.stderr
    assert "[/] [link=x]y[/link]" in result.stdout


# ------------------------------------------------------------------ the primitives


@settings(max_examples=300)
@given(any_text())
def test_printable_shows_every_control_and_nothing_else(text):
    shown = printable(text)
    assert not re.search("[\x00-\x1f\x7f-\x9f]", shown)
    lines = printable_lines(text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", lines)
    assert lines.count("\n") == text.count("\n") and lines.count("\t") >= text.count("\t")
    if not re.search("[\x00-\x1f\x7f-\x9f]", text):
        assert shown == lines == text


@settings(max_examples=300)
@given(any_text())
def test_markup_of_any_text_prints_it_as_written(text):
    from rich.text import Text

    from bekostiging.report.layout import markup

    def shown(found: str) -> str:
        return Text.from_markup(found, emoji=False).plain

    assert shown(markup(text)) == printable(text)
    assert shown(f"[bold]{markup(text)}[/bold] x") == printable(text) + " x"
    assert shown(f"[italic]{markup(text)}[/italic][bold]x[/bold]") == printable(text) + "x"
    assert shown(markup(text) + markup(text[::-1])) == printable(text) + printable(text[::-1])


def test_a_control_character_in_a_claim_code_is_shown_escaped(tmp_path):
    """A claims extract is data from elsewhere: its codes reach the report as written, but
    never a control character raw (the report on stderr, its tables in any format)."""
    claims = write(
        tmp_path / "claims.csv",
        "client_id,activity,provider,units,amount,date\n"
        "a,E1,P1,1,145.00,2024-01-02\n"
        "b,X\x1b[2J\x9b31m,P\x07,1,10.00,2024-03-01\n",
    )
    mapping = write(
        tmp_path / "mapping.toml", 'default_profile = "ongecompliceerd"\n[codes]\nE1 = "zh_echo"\n'
    )
    for options in ([], ["--table", "unmapped"], ["-f", "csv", "--table", "unmapped"], ["-f", "json"]):
        result = invoke("calibrate", claims, "--mapping", mapping, *options)
        assert result.exit_code == 0, (options, result.stderr)
        assert not CONTROLS.search(result.stdout + result.stderr), (options, result.stderr)
        assert "X\\x1b[2J\\x9b31m" in result.stderr or "X\\u001b[2J\\u009b31m" in result.stderr, options


def test_a_control_character_in_a_file_name_never_reaches_an_output_raw(tmp_path):
    """The page names its files, and so do JSON and the terminal: an ESC or a NUL-like
    character in a file name is shown as its escape, the charts stay valid XML."""
    path = write(
        tmp_path / "regio\x1b[2J\x01.toml", examples.path_of("hybride-ziekenhuis").read_text("utf-8")
    )
    page = tmp_path / "r.html"
    assert invoke("report", path, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert not CONTROLS.search(html) and "regio\\x1b[2J\\x01.toml" in html
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert svgs
    for svg in svgs:
        ET.fromstring(svg)
    document = invoke("compare", path, "-f", "json")
    assert document.exit_code == 0 and not CONTROLS.search(document.stdout)
    assert json.loads(document.stdout)["scenario"]["file"].endswith("regio\x1b[2J\x01.toml")
    for args in (
        ["compare", path],
        ["check", path],
        ["check", path, "-f", "csv"],
        ["simulate", path, "--draws", "10"],
    ):
        result = invoke(*args)
        assert result.exit_code == 0 and not CONTROLS.search(result.stdout + result.stderr), args


def test_markup_in_a_file_name_on_a_narrow_terminal(tmp_path, monkeypatch):
    """`check` titles its table with the file: split in blocks, each block's title keeps it."""
    path = write(
        tmp_path / "regio [/] [link=x]y.toml", examples.path_of("hybride-ziekenhuis").read_text("utf-8")
    )
    for columns in ("160", "60", "30"):
        monkeypatch.setenv("COLUMNS", columns)
        result = invoke("check", path)
        assert result.exit_code == 0, (columns, result.stderr)
        assert "regio[/][link=x]y.toml" in "".join(result.stdout.split()), columns


def test_a_table_in_blocks_keeps_its_title_as_text():
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from bekostiging.report.layout import fit

    table = Table(title=Text("titel [/] [bold]"))
    table.add_column("naam")
    for i in range(6):
        table.add_column(f"kolom {i}", justify="right")
    for _ in range(3):
        table.add_row(Text("partij [/]"), *(f"{i * 1_000_000:,}" for i in range(6)))
    console = Console(width=50, record=True, file=io.StringIO())
    parts = fit(table, console)
    assert len(parts) > 1
    for part in parts:
        console.print(part)
    shown = console.export_text()
    assert "titel [/] [bold] (1/" in shown and "partij [/]" in shown


def test_a_control_character_in_a_folder_for_init_is_shown_escaped(tmp_path):
    folder = tmp_path / "map\x1b[2J"
    result = invoke("init", folder, "--example", "hybride-ziekenhuis")
    assert result.exit_code == 0 and (folder / "scenario.toml").is_file()
    assert not CONTROLS.search(result.stdout + result.stderr) and "map\\x1b[2J" in result.stdout
    again = invoke("init", folder, "--example", "hybride-ziekenhuis")  # exists: refused, on stderr
    assert again.exit_code == 1 and not CONTROLS.search(again.stderr) and "map\\x1b[2J" in again.stderr
