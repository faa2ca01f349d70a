"""Bad input: every validation rule of SCENARIO.md §1–3 and CLI.md, one broken thing at a time.

Each test starts from one small VALID scenario (`BASE`), breaks exactly one thing, and
checks the contract of CLI.md: exit code 1 (2 for wrong command-line usage), every
problem on stderr as `error: <file>: <dotted.path>: <message>`, a "N problems found."
summary, a message that says what is wrong (with "did you mean" where a name is close
to a valid one), and never a Python traceback.

Tests run inside `tmp_path` (autouse fixture below), so files show as `scenario.toml`.
Where the tool contradicts the spec or gives a misleading message, the test states the
expected behaviour was marked `xfail(strict=True)` until it was fixed.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke, write

# ================================================================ the valid base scenario

BASE = """\
[scenario]
name = "Validatie basis"
year = 2025
baseline = "mono"
client = "client"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
name = "Zorgverzekeraar"
role = "payer"

[parties.client]
role = "client"

[parties.verloskundigen]
role = "provider"

[parties.ziekenhuis]
role = "provider"

[parties.vsv]
role = "network"

[activities.vk_consult]
provider = "verloskundigen"
tariff = 100.00
cost = 80.00
group = "verloskunde"

[activities.echo]
provider = "verloskundigen"
tariff = 50.00
copay = 10.00
cost = 40.00
group = "verloskunde"

[activities.bevalling_klinisch]
provider = "ziekenhuis"
tariff = 2000.00
cost = 1800.00
availability_share = 0.2

[profiles.zwanger]
clients = 100
[profiles.zwanger.path]
vk_consult = 10
echo = 2
bevalling_klinisch = 0.3

[availability.acute_verloskunde]
party = "ziekenhuis"
annual_cost = 100000

[variants.mono]
name = "Monodisciplinair"

[variants.integraal]
name = "Integraal"
effects = [{ op = "scale", path = "profiles.zwanger.path.echo", factor = 0.5 }]

[[variants.integraal.mechanisms]]
type = "bundle"
payer = "zorgverzekeraar"
contractor = "vsv"
scope = ["group:verloskunde"]
price = "budget_neutral"
overhead = 0.02

[[variants.integraal.mechanisms]]
type = "availability"
payer = "zorgverzekeraar"
functions = ["acute_verloskunde"]

[[variants.integraal.mechanisms]]
type = "shared_savings"
payer = "zorgverzekeraar"
sharing_rate = 0.5
reinvest = 0.2
network = "vsv"
recipients = ["verloskundigen", "ziekenhuis"]

[whatif.minder_echo]
name = "Minder echo's"
effects = [{ op = "scale", path = "profiles.zwanger.path.echo", factor = 0.9 }]
"""

FILE = "scenario.toml"
VARIANT_EFFECT = 'effects = [{ op = "scale", path = "profiles.zwanger.path.echo", factor = 0.5 }]'
WHATIF_EFFECT = 'effects = [{ op = "scale", path = "profiles.zwanger.path.echo", factor = 0.9 }]'
# An activity that is defined but in no care path (for the `set` and `shift` rules).
THUIS = """
[activities.bevalling_thuis]
provider = "verloskundigen"
tariff = 900.00
"""
# A second profile (for the price-table rule).
RISICO = """
[profiles.risico]
clients = 10
path = { vk_consult = 12 }
"""


# ================================================================ helpers


@pytest.fixture(autouse=True)
def _inside_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path so findings name files relatively (`scenario.toml`)."""
    monkeypatch.chdir(tmp_path)


def edit(*changes: tuple[str, str], text: str = BASE) -> str:
    """BASE with each `(old, new)` replaced; `old` must occur exactly once."""
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def add(*snippets: str, text: str = BASE) -> str:
    """BASE with extra TOML tables appended."""
    return text + "".join("\n" + textwrap.dedent(s).strip("\n") + "\n" for s in snippets)


def extra_variant(body: str) -> str:
    """BASE plus a variant `extra` holding one mechanism with the given body."""
    return add(f"[variants.extra]\n[[variants.extra.mechanisms]]\n{textwrap.dedent(body).strip()}")


def error_lines(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def assert_no_traceback(result: Any) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


def assert_invalid(result: Any, file: str, path: str | None, *fragments: str) -> str:
    """Exit 1, a summary line that counts the errors, and one error line that starts with
    `error: <file>: <path>: ` and contains every fragment. Returns that line."""
    assert_no_traceback(result)
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = error_lines(result)
    assert lines, result.stderr
    n = len(lines)
    assert f"{n} problem{'s' if n != 1 else ''} found." in result.stderr, result.stderr
    prefix = f"error: {file}: {path}: " if path is not None else f"error: {file}: "
    matching = [line for line in lines if line.startswith(prefix) and all(f in line for f in fragments)]
    assert matching, f"no line starting with {prefix!r} containing {fragments!r} in:\n{result.stderr}"
    return matching[0]


def validate(scenario: Callable[..., Path], text: str) -> Any:
    return invoke("validate", scenario(text, name=FILE))


def assert_valid(scenario: Callable[..., Path], text: str) -> None:
    path = scenario(text, name=FILE)
    result = invoke("validate", path)
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert f"OK {path}" in result.stdout
    assert result.stderr == ""


# ================================================================ the base is valid


def test_base_scenario_validates(scenario: Callable[..., Path]) -> None:
    assert_valid(scenario, BASE)


def test_base_scenario_computes(scenario: Callable[..., Path]) -> None:
    """The base is complete enough to run every variant under its what-if."""
    result = invoke("compare", scenario(BASE, name=FILE), "-f", "json", "-w", "minder_echo")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert {v["id"] for v in out["variants"]} == {"mono", "integraal"}


# ================================================================ §1 files


def test_toml_syntax_error_names_the_line(scenario: Callable[..., Path]) -> None:
    line = BASE.splitlines().index("tariff = 100.00") + 1
    result = validate(scenario, edit(("tariff = 100.00", "tariff = = 100.00")))
    assert_invalid(result, FILE, None, "TOML syntax error", f"line {line}")


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / FILE).write_bytes(b"[scenario]\x00\x01\x02\n")
    assert_invalid(invoke("validate", FILE), FILE, None, "binary file")


def test_non_utf8_bytes(tmp_path: Path) -> None:
    text = edit(('name = "Validatie basis"', 'name = "Cliëntprofielen"'))
    (tmp_path / FILE).write_bytes(text.encode("latin-1"))
    assert_invalid(invoke("validate", FILE), FILE, None, "not UTF-8")


@pytest.mark.parametrize("command", ["validate", "compare"])
def test_missing_file(command: str) -> None:
    assert_invalid(invoke(command, "bestaat_niet.toml"), "bestaat_niet.toml", None, "does not exist")


def test_directory_named_like_a_toml_file(tmp_path: Path) -> None:
    (tmp_path / "regio.toml").mkdir()
    assert_invalid(invoke("validate", "regio.toml"), "regio.toml", None, "is a directory")


def test_directory_given_as_scenario(tmp_path: Path) -> None:
    (tmp_path / "regio").mkdir()
    assert_invalid(invoke("validate", "regio"), "regio", None, "directory")


def test_file_not_ending_in_toml(tmp_path: Path) -> None:
    (tmp_path / "scenario.txt").write_text(BASE, encoding="utf-8")
    assert_invalid(invoke("validate", "scenario.txt"), "scenario.txt", None, "only .toml files")


# ================================================================ §1 includes

INCLUDE = ('default_payer = "zorgverzekeraar"\n', 'default_payer = "zorgverzekeraar"\ninclude = ["{}"]\n')


def including(name: str, *changes: tuple[str, str]) -> str:
    return edit((INCLUDE[0], INCLUDE[1].format(name)), *changes)


def test_missing_included_file_is_an_error(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, including("tarieven.toml"))
    assert_invalid(result, FILE, "scenario.include", "included file tarieven.toml not found")


def test_missing_included_file_names_the_including_file(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, including("tarieven.toml"))
    assert_invalid(result, FILE, "scenario.include", "tarieven.toml")


def test_include_cycle(scenario: Callable[..., Path], tmp_path: Path) -> None:
    write(tmp_path / "deel.toml", '[scenario]\ninclude = ["scenario.toml"]\n')
    result = validate(scenario, including("deel.toml"))
    assert_invalid(
        result,
        "deel.toml",
        "scenario.include",
        "include cycle",
        "scenario.toml -> deel.toml -> scenario.toml",
    )


def test_include_cycle_between_two_included_files(scenario: Callable[..., Path], tmp_path: Path) -> None:
    write(tmp_path / "a.toml", '[scenario]\ninclude = ["b.toml"]\n')
    write(tmp_path / "b.toml", '[scenario]\ninclude = ["a.toml"]\n')
    result = validate(scenario, including("a.toml"))
    assert_invalid(result, "b.toml", "scenario.include", "include cycle", "a.toml -> b.toml -> a.toml")


def test_include_of_a_non_toml_file(scenario: Callable[..., Path], tmp_path: Path) -> None:
    write(tmp_path / "tarieven.txt", "[activities.vk_consult]\ntariff = 100.00\n")
    result = validate(scenario, including("tarieven.txt"))
    assert_invalid(result, FILE, "scenario.include", "only .toml files", "tarieven.txt")


def test_key_with_different_values_in_two_files(scenario: Callable[..., Path], tmp_path: Path) -> None:
    write(tmp_path / "tarieven.toml", "[activities.vk_consult]\ntariff = 101.00\n")
    result = validate(scenario, including("tarieven.toml"))
    line = assert_invalid(
        result, "tarieven.toml", "activities.vk_consult.tariff", "100.00", "differently here"
    )
    assert FILE in line.split(": ", 3)[3], "the message must name the other file too"
    assert "101.00" not in line, "an included file's value is never shown (SECURITY.md)"


def test_a_conflict_with_an_included_value_says_what_to_do(
    scenario: Callable[..., Path], tmp_path: Path
) -> None:
    """A locally negotiated tariff cannot overwrite the shared table (SCENARIO.md §1): the error
    says the three ways that work, and each of them does."""
    write(tmp_path / "tarieven.toml", "[activities.vk_consult]\ntariff = 101.00\n")
    result = validate(scenario, including("tarieven.toml"))
    line = assert_invalid(result, "tarieven.toml", "activities.vk_consult.tariff", "100.00")
    assert len(error_lines(result)) == 1, result.stderr
    assert '{ op = "set", path = "activities.vk_consult.tariff", value = 100.00 }' in line
    assert "--set activities.vk_consult.tariff=100.00" in line
    assert "a copy of tarieven.toml" in line
    # the first two work as the message writes them
    shared = including("tarieven.toml", ("tariff = 100.00", "tariff = 101.00"))
    scenario(shared, name=FILE)
    assert invoke("validate", FILE, "--set", "activities.vk_consult.tariff=100.00").exit_code == 0
    with_whatif = add(
        '[whatif.lokaal]\neffects = [{ op = "set", path = "activities.vk_consult.tariff", value = 100.00 }]',
        text=shared,
    )
    assert_valid(scenario, with_whatif)


def test_a_conflict_on_a_text_suggests_set_and_a_copy(scenario: Callable[..., Path], tmp_path: Path) -> None:
    write(tmp_path / "tarieven.toml", '[activities.vk_consult]\ngroup = "eerstelijn"\n')
    result = validate(scenario, including("tarieven.toml"))
    line = assert_invalid(result, "tarieven.toml", "activities.vk_consult.group", "'verloskunde'")
    assert "--set activities.vk_consult.group=" in line and "a copy of tarieven.toml" in line
    assert "op = " not in line  # an effect sets numbers only


def test_the_conflict_hint_offers_an_effect_where_an_effect_may_go() -> None:
    from bekostiging.scenario import effects, toml_files

    assert toml_files.SETTABLE == effects.EFFECT_ROOTS


@pytest.mark.parametrize("same", ["100.00", "100", "100.0"])
def test_same_key_with_the_same_value_in_two_files_is_fine(
    scenario: Callable[..., Path], tmp_path: Path, same: str
) -> None:
    write(tmp_path / "tarieven.toml", f"[activities.vk_consult]\ntariff = {same}\n")
    assert_valid(scenario, including("tarieven.toml"))


def test_tariffs_from_an_included_file(scenario: Callable[..., Path], tmp_path: Path) -> None:
    write(
        tmp_path / "tarieven.toml",
        """
        [activities.vk_consult]
        tariff = 100.00
        [activities.echo]
        tariff = 50.00
        """,
    )
    split = including("tarieven.toml", ("tariff = 100.00\n", ""), ("tariff = 50.00\n", ""))
    assert_valid(scenario, split)
    # The split scenario computes exactly what the single file computes.
    whole = json.loads(invoke("compare", scenario(BASE, name="whole.toml"), "-f", "json").stdout)
    parts = json.loads(invoke("compare", FILE, "-f", "json").stdout)
    assert parts["results"] == whole["results"]


def test_finding_inside_an_included_file_names_that_file(
    scenario: Callable[..., Path], tmp_path: Path
) -> None:
    write(
        tmp_path / "tarieven.toml",
        "[activities.vk_consult]\ntariff = -100.00\n[activities.echo]\ntariff = 50.00\n",
    )
    split = including("tarieven.toml", ("tariff = 100.00\n", ""), ("tariff = 50.00\n", ""))
    result = validate(scenario, split)
    assert_invalid(result, "tarieven.toml", "activities.vk_consult.tariff", "must be >= 0")
    assert f"error: {FILE}:" not in result.stderr


def test_syntax_error_inside_an_included_file(scenario: Callable[..., Path], tmp_path: Path) -> None:
    write(tmp_path / "tarieven.toml", "[activities.vk_consult]\ntariff = = 100.00\n")
    result = validate(scenario, including("tarieven.toml"))
    assert_invalid(result, "tarieven.toml", None, "TOML syntax error", "line 2")


# ================================================================ §2 unknown keys, at every level

UNKNOWN_KEYS = [
    # (id, changed text, dotted path, the typo, the hint)
    (
        "top-level",
        add("[activitie.kz_uur]\ntariff = 1"),
        "activitie",
        "unknown table 'activitie'",
        "activities",
    ),
    ("scenario", edit(("year = 2025", "yaer = 2025")), "scenario.yaer", "unknown key 'yaer'", "year"),
    (
        "party",
        edit(('role = "network"', 'role = "network"\nnaam = "VSV"')),
        "parties.vsv.naam",
        "'naam'",
        "name",
    ),
    ("activity", edit(("copay = 10.00", "copey = 10.00")), "activities.echo.copey", "'copey'", "copay"),
    (
        "profile",
        edit(("clients = 100", "clients = 100\nclienst = 3")),
        "profiles.zwanger.clienst",
        "'clienst'",
        "clients",
    ),
    (
        "availability function",
        edit(("annual_cost = 100000", "annual_cost = 100000\nanual_cost = 1")),
        "availability.acute_verloskunde.anual_cost",
        "'anual_cost'",
        "annual_cost",
    ),
    (
        "variant",
        edit(('name = "Integraal"', 'name = "Integraal"\nmechanism = []')),
        "variants.integraal.mechanism",
        "'mechanism'",
        "mechanisms",
    ),
    (
        "variant effect",
        edit(("factor = 0.5 }", "factor = 0.5, fator = 1 }")),
        "variants.integraal.effects.0.fator",
        "'fator'",
        "factor",
    ),
    (
        "what-if effect",
        edit(("factor = 0.9 }", 'factor = 0.9, pth = "x" }')),
        "whatif.minder_echo.effects.0.pth",
        "'pth'",
        "path",
    ),
    (
        "what-if",
        edit(('name = "Minder echo\'s"', 'nam = "Minder echo\'s"')),
        "whatif.minder_echo.nam",
        "'nam'",
        "name",
    ),
    (
        "expect",
        add('[[expect]]\nvariant = "integraal"\nparty = "vsv"\nmetric = "net"\nmin = 0\nmesage = "x"'),
        "expect.0.mesage",
        "'mesage'",
        "message",
    ),
]


@pytest.mark.parametrize(
    ("text", "path", "typo", "hint"), [c[1:] for c in UNKNOWN_KEYS], ids=[c[0] for c in UNKNOWN_KEYS]
)
def test_unknown_key(scenario: Callable[..., Path], text: str, path: str, typo: str, hint: str) -> None:
    assert_invalid(validate(scenario, text), FILE, path, "unknown", typo, f"did you mean '{hint}'")


# A valid mechanism of every type, and a typo of one of its own keys.
MECHANISMS = {
    "bundle": ('type = "bundle"\nprice = 1000', "overhed = 0", "overhead"),
    "capitation": ('type = "capitation"\namount = 10\npopulation = 1000', "populaton = 5", "population"),
    "availability": ('type = "availability"', "fundng = 1", "funding"),
    "collaboration": (
        'type = "collaboration"\nrecipient = "vsv"\nfixed = 1000',
        "per_clent = 5",
        "per_client",
    ),
    "quality": (
        'type = "quality"\nrecipients = "tariffs"\npool = 1000\nscore = 0.8',
        "treshold = 0.5",
        "threshold",
    ),
    "revenue_guarantee": (
        'type = "revenue_guarantee"\nparty = "ziekenhuis"\nfloor = 0.95',
        "flor = 1",
        "floor",
    ),
    "ceiling": ('type = "ceiling"\namount = 200000', 'partij = "ziekenhuis"', "party"),
    "shared_savings": (
        'type = "shared_savings"\nsharing_rate = 0.5\nrecipients = ["verloskundigen"]',
        "reinvst = 0",
        "reinvest",
    ),
}


@pytest.mark.parametrize("kind", MECHANISMS)
def test_every_mechanism_type_is_valid_without_the_typo(scenario: Callable[..., Path], kind: str) -> None:
    assert_valid(scenario, extra_variant(MECHANISMS[kind][0]))


@pytest.mark.parametrize("kind", MECHANISMS)
def test_unknown_key_in_a_mechanism(scenario: Callable[..., Path], kind: str) -> None:
    body, typo, hint = MECHANISMS[kind]
    result = validate(scenario, extra_variant(f"{body}\n{typo}"))
    name = typo.split(" =")[0]
    assert_invalid(
        result, FILE, f"variants.extra.mechanisms.0.{name}", f"unknown key '{name}'", f"did you mean '{hint}'"
    )


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (("clients = 100", "clients = 100\nclienst = 3"), "profiles.zwanger.clienst"),
        (("clients = 100", "clients = -100"), "profiles.zwanger.clients"),
        (("echo = 2", "echo = -2"), "profiles.zwanger.path.echo"),
    ],
    ids=["unknown key", "negative clients", "negative units"],
)
def test_a_broken_profile_is_not_also_reported_as_unknown(
    scenario: Callable[..., Path], change: tuple[str, str], path: str
) -> None:
    result = validate(scenario, edit(change))
    assert_invalid(result, FILE, path)
    assert "unknown key 'zwanger'" not in result.stderr
    assert len(error_lines(result)) == 1, result.stderr


# ================================================================ §2 ids and roles


@pytest.mark.parametrize("bad", ["Huisarts", "2e_lijn", "huis-arts"])
def test_invalid_party_id(scenario: Callable[..., Path], bad: str) -> None:
    result = validate(scenario, add(f'[parties."{bad}"]\nrole = "provider"'))
    assert_invalid(result, FILE, f"parties.{bad}", f"'{bad}' is not a valid id", "lowercase")


def test_invalid_party_id_is_reported_once(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, add('[parties.Huisarts]\nrole = "provider"'))
    assert_invalid(result, FILE, "parties.Huisarts", "not a valid id")
    assert "[key]" not in result.stderr
    assert "after the effects" not in result.stderr
    assert len(error_lines(result)) == 1, result.stderr


def test_unknown_role_lists_the_allowed_roles(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, edit(('role = "network"', 'role = "netwerk"')))
    assert_invalid(
        result, FILE, "parties.vsv.role", "'netwerk'", "'payer'", "'provider'", "'client'", "'network'"
    )


ROLES = [
    # (id, change, dotted path, message fragments)
    (
        "provider is a payer",
        ('provider = "ziekenhuis"', 'provider = "zorgverzekeraar"'),
        "activities.bevalling_klinisch.provider",
        ("'zorgverzekeraar' has role 'payer'", "provider or network"),
    ),
    (
        "payer is a provider",
        ("tariff = 100.00", 'tariff = 100.00\npayer = "ziekenhuis"'),
        "activities.vk_consult.payer",
        ("'ziekenhuis' has role 'provider'", "must be payer"),
    ),
    (
        "scenario.client is not a client",
        ('client = "client"', 'client = "vsv"'),
        "scenario.client",
        ("'vsv' has role 'network'", "must be client"),
    ),
    (
        "contractor is a payer",
        ('contractor = "vsv"', 'contractor = "zorgverzekeraar"'),
        "variants.integraal.mechanisms.0.contractor",
        ("'zorgverzekeraar' has role 'payer'", "provider or network"),
    ),
    (
        "default payer is a provider",
        ('default_payer = "zorgverzekeraar"', 'default_payer = "ziekenhuis"'),
        "scenario.default_payer",
        ("'ziekenhuis' has role 'provider'", "must be payer"),
    ),
    (
        "mechanism payer is a network",
        ('type = "availability"\npayer = "zorgverzekeraar"', 'type = "availability"\npayer = "vsv"'),
        "variants.integraal.mechanisms.1.payer",
        ("'vsv' has role 'network'", "must be payer"),
    ),
]


@pytest.mark.parametrize(("change", "path", "fragments"), [r[1:] for r in ROLES], ids=[r[0] for r in ROLES])
def test_wrong_role(
    scenario: Callable[..., Path], change: tuple[str, str], path: str, fragments: tuple
) -> None:
    assert_invalid(validate(scenario, edit(change)), FILE, path, *fragments)


# ================================================================ §2 required keys


@pytest.mark.parametrize(
    ("old", "path"),
    [
        ('name = "Validatie basis"\n', "scenario.name"),
        ('baseline = "mono"\n', "scenario.baseline"),
        ("tariff = 100.00\n", "activities.vk_consult.tariff"),
        ('provider = "ziekenhuis"\n', "activities.bevalling_klinisch.provider"),
    ],
    ids=["scenario.name", "scenario.baseline", "activity tariff", "activity provider"],
)
def test_required_key_missing(scenario: Callable[..., Path], old: str, path: str) -> None:
    assert_invalid(validate(scenario, edit((old, ""))), FILE, path, "required key is missing")


def test_scenario_table_missing(scenario: Callable[..., Path]) -> None:
    text = BASE.split("\n\n", 1)[1]  # everything after the [scenario] table
    assert_invalid(validate(scenario, text), FILE, "scenario", "missing the [scenario] table")


# ================================================================ §2 references

REFERENCES = [
    # (id, change, dotted path, message fragments); a close name gets a "did you mean"
    (
        "activity provider",
        ('provider = "ziekenhuis"', 'provider = "ziekenhuiz"'),
        "activities.bevalling_klinisch.provider",
        ("unknown party 'ziekenhuiz'", "did you mean 'ziekenhuis'"),
    ),
    (
        "activity payer",
        ("tariff = 100.00", 'tariff = 100.00\npayer = "zorgverzekeraer"'),
        "activities.vk_consult.payer",
        ("unknown party 'zorgverzekeraer'", "did you mean 'zorgverzekeraar'"),
    ),
    (
        "profile path activity",
        ("vk_consult = 10", "vk_consul = 10"),
        "profiles.zwanger.path.vk_consul",
        ("unknown activity 'vk_consul'", "did you mean 'vk_consult'"),
    ),
    (
        "availability party",
        ('party = "ziekenhuis"', 'party = "ziekenhuiz"'),
        "availability.acute_verloskunde.party",
        ("unknown party 'ziekenhuiz'", "did you mean 'ziekenhuis'"),
    ),
    (
        "baseline not a variant",
        ('baseline = "mono"', 'baseline = "mon"'),
        "scenario.baseline",
        ("unknown variant 'mon'", "did you mean 'mono'"),
    ),
    (
        "client party",
        ('client = "client"', 'client = "clint"'),
        "scenario.client",
        ("unknown party 'clint'", "did you mean 'client'"),
    ),
    (
        "mechanism payer",
        ('type = "bundle"\npayer = "zorgverzekeraar"', 'type = "bundle"\npayer = "zorgverzekeraars"'),
        "variants.integraal.mechanisms.0.payer",
        ("unknown party 'zorgverzekeraars'", "did you mean 'zorgverzekeraar'"),
    ),
    (
        "mechanism contractor",
        ('contractor = "vsv"', 'contractor = "vsw"'),
        "variants.integraal.mechanisms.0.contractor",
        ("unknown party 'vsw'", "did you mean 'vsv'"),
    ),
    (
        "mechanism network",
        ('network = "vsv"', 'network = "vsw"'),
        "variants.integraal.mechanisms.2.network",
        ("unknown party 'vsw'", "did you mean 'vsv'"),
    ),
    (
        "shared_savings recipient",
        ('recipients = ["verloskundigen", "ziekenhuis"]', 'recipients = ["verloskundige", "ziekenhuis"]'),
        "variants.integraal.mechanisms.2.recipients.0",
        ("unknown party 'verloskundige'", "did you mean 'verloskundigen'"),
    ),
    (
        "availability mechanism function",
        ('functions = ["acute_verloskunde"]', 'functions = ["acute_verloskund"]'),
        "variants.integraal.mechanisms.1.functions.0",
        ("unknown availability function 'acute_verloskund'", "did you mean 'acute_verloskunde'"),
    ),
    (
        "bundle profile",
        ("overhead = 0.02", 'overhead = 0.02\nprofiles = ["zwangr"]'),
        "variants.integraal.mechanisms.0.profiles.0",
        ("unknown profile 'zwangr'", "did you mean 'zwanger'"),
    ),
    (
        "bundle price-table profile",
        ('price = "budget_neutral"', "price = { zwangr = 1000 }"),
        "variants.integraal.mechanisms.0.price.zwangr",
        ("unknown profile 'zwangr'", "did you mean 'zwanger'"),
    ),
    (
        "bundle scope id",
        ('scope = ["group:verloskunde"]', 'scope = ["vk_consul"]'),
        "variants.integraal.mechanisms.0.scope.0",
        ("unknown activity 'vk_consul'", "did you mean 'vk_consult'"),
    ),
    (
        "bundle scope glob",
        ('scope = ["group:verloskunde"]', 'scope = ["kz_*"]'),
        "variants.integraal.mechanisms.0.scope.0",
        ("'kz_*' matches no activity",),
    ),
    (
        "bundle scope group",
        ('scope = ["group:verloskunde"]', 'scope = ["group:verloskund"]'),
        "variants.integraal.mechanisms.0.scope.0",
        ("unknown group 'verloskund'", "did you mean 'verloskunde'"),
    ),
]


@pytest.mark.parametrize(
    ("change", "path", "fragments"), [r[1:] for r in REFERENCES], ids=[r[0] for r in REFERENCES]
)
def test_unknown_reference(
    scenario: Callable[..., Path], change: tuple[str, str], path: str, fragments: tuple
) -> None:
    result = validate(scenario, edit(change))
    assert_invalid(result, FILE, path, *fragments)
    assert len(error_lines(result)) == 1, result.stderr


@pytest.mark.parametrize(
    ("body", "path", "fragments"),
    [
        (
            'type = "collaboration"\nrecipient = "vsw"\nfixed = 1000',
            "variants.extra.mechanisms.0.recipient",
            ("unknown party 'vsw'", "did you mean 'vsv'"),
        ),
        (
            'type = "collaboration"\nrecipient = "vsv"\nper_client = 10\nprofiles = ["zwangr"]',
            "variants.extra.mechanisms.0.profiles.0",
            ("unknown profile 'zwangr'", "did you mean 'zwanger'"),
        ),
        (
            'type = "revenue_guarantee"\nparty = "ziekenhuiz"\nfloor = 0.95',
            "variants.extra.mechanisms.0.party",
            ("unknown party 'ziekenhuiz'", "did you mean 'ziekenhuis'"),
        ),
    ],
    ids=["collaboration recipient", "collaboration profile", "guarantee party"],
)
def test_unknown_reference_in_other_mechanisms(
    scenario: Callable[..., Path], body: str, path: str, fragments: tuple
) -> None:
    assert_invalid(validate(scenario, extra_variant(body)), FILE, path, *fragments)


# ================================================================ §1–2 numbers


@pytest.mark.parametrize(
    ("change", "path", "got"),
    [
        (("clients = 100", "clients = -100"), "profiles.zwanger.clients", "-100"),
        (("vk_consult = 10", "vk_consult = -10"), "profiles.zwanger.path.vk_consult", "-10"),
        (("tariff = 100.00", "tariff = -100.00"), "activities.vk_consult.tariff", "-100.00"),
        (("cost = 80.00", "cost = -80.00"), "activities.vk_consult.cost", "-80.00"),
        (("copay = 10.00", "copay = -10.00"), "activities.echo.copay", "-10.00"),
        (
            ("annual_cost = 100000", "annual_cost = -100000"),
            "availability.acute_verloskunde.annual_cost",
            "-100000",
        ),
    ],
    ids=["clients", "path units", "tariff", "cost", "copay", "annual_cost"],
)
def test_negative_number(scenario: Callable[..., Path], change: tuple[str, str], path: str, got: str) -> None:
    assert_invalid(validate(scenario, edit(change)), FILE, path, f"must be >= 0, got {got}")


@pytest.mark.parametrize(
    ("change", "path", "got"),
    [
        (("tariff = 100.00", 'tariff = "100.00"'), "activities.vk_consult.tariff", "the text '100.00'"),
        (("clients = 100", 'clients = "100"'), "profiles.zwanger.clients", "the text '100'"),
        (
            ("sharing_rate = 0.5", 'sharing_rate = "0.5"'),
            "variants.integraal.mechanisms.2.sharing_rate",
            "the text",
        ),
        pytest.param(
            ("year = 2025", 'year = "2025"'),
            "scenario.year",
            "",  # any "must be ..." message will do
        ),
    ],
    ids=["tariff", "clients", "sharing_rate", "year"],
)
def test_number_given_as_a_string(
    scenario: Callable[..., Path], change: tuple[str, str], path: str, got: str
) -> None:
    assert_invalid(validate(scenario, edit(change)), FILE, path, "must be", got)


@pytest.mark.parametrize(
    ("change", "path", "got"),
    [
        (("clients = 100", "clients = true"), "profiles.zwanger.clients", "boolean"),
        (("overhead = 0.02", "overhead = true"), "variants.integraal.mechanisms.0.overhead", "boolean"),
        (("tariff = 2000.00", "tariff = false"), "activities.bevalling_klinisch.tariff", "boolean"),
        pytest.param(
            ("year = 2025", "year = true"),
            "scenario.year",
            "",  # any "must be ..." message will do
        ),
    ],
    ids=["clients", "overhead", "tariff", "year"],
)
def test_boolean_given_as_a_number(
    scenario: Callable[..., Path], change: tuple[str, str], path: str, got: str
) -> None:
    assert_invalid(validate(scenario, edit(change)), FILE, path, "must be", got)


@pytest.mark.parametrize("value", ["1", "0", '"yes"'])
def test_number_or_text_given_as_a_boolean(scenario: Callable[..., Path], value: str) -> None:
    text = edit(
        ('functions = ["acute_verloskunde"]', f'functions = ["acute_verloskunde"]\nstrip_tariffs = {value}')
    )
    assert_invalid(
        validate(scenario, text), FILE, "variants.integraal.mechanisms.1.strip_tariffs", "true or false"
    )


@pytest.mark.parametrize("value", ["inf", "nan"])
def test_non_finite_number(scenario: Callable[..., Path], value: str) -> None:
    result = validate(scenario, edit(("tariff = 100.00", f"tariff = {value}")))
    assert_invalid(result, FILE, "activities.vk_consult.tariff", "finite number")


MONEY_3_DECIMALS = [
    ("tariff", edit(("tariff = 100.00", "tariff = 100.001")), "activities.vk_consult.tariff", "100.001"),
    ("copay", edit(("copay = 10.00", "copay = 10.005")), "activities.echo.copay", "10.005"),
    ("cost", edit(("cost = 80.00", "cost = 80.123")), "activities.vk_consult.cost", "80.123"),
    (
        "annual_cost",
        edit(("annual_cost = 100000", "annual_cost = 100000.001")),
        "availability.acute_verloskunde.annual_cost",
        "100000.001",
    ),
    (
        "bundle price",
        edit(('price = "budget_neutral"', "price = 1234.567")),
        "variants.integraal.mechanisms.0.price",
        "1234.567",
    ),
    (
        "collaboration fixed",
        extra_variant('type = "collaboration"\nrecipient = "vsv"\nfixed = 1000.001'),
        "variants.extra.mechanisms.0.fixed",
        "1000.001",
    ),
]


@pytest.mark.parametrize(
    ("text", "path", "got"), [m[1:] for m in MONEY_3_DECIMALS], ids=[m[0] for m in MONEY_3_DECIMALS]
)
def test_money_with_three_decimals(scenario: Callable[..., Path], text: str, path: str, got: str) -> None:
    assert_invalid(validate(scenario, text), FILE, path, "at most 2 decimals", got)


def test_quantities_may_have_many_decimals(scenario: Callable[..., Path]) -> None:
    assert_valid(
        scenario, edit(("clients = 100", "clients = 10.5"), ("vk_consult = 10", "vk_consult = 0.12345"))
    )


def test_copay_above_tariff(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, edit(("copay = 10.00", "copay = 60.00")))
    assert_invalid(result, FILE, "activities.echo.copay", "copay 60.00 is above the tariff 50.00")


@pytest.mark.parametrize("share", ["1", "1.0", "1.5", "-0.1"])
def test_availability_share_outside_zero_to_one_open(scenario: Callable[..., Path], share: str) -> None:
    result = validate(scenario, edit(("availability_share = 0.2", f"availability_share = {share}")))
    assert_invalid(result, FILE, "activities.bevalling_klinisch.availability_share", "[0, 1)", f"got {share}")


FRACTIONS = [
    (
        "funding",
        edit(('functions = ["acute_verloskunde"]', 'functions = ["acute_verloskunde"]\nfunding = 1.5')),
        "variants.integraal.mechanisms.1.funding",
        "[0, 1]",
    ),
    (
        "sharing_rate",
        edit(("sharing_rate = 0.5", "sharing_rate = 1.2")),
        "variants.integraal.mechanisms.2.sharing_rate",
        "[0, 1]",
    ),
    (
        "sharing_rate<0",
        edit(("sharing_rate = 0.5", "sharing_rate = -0.5")),
        "variants.integraal.mechanisms.2.sharing_rate",
        "[0, 1]",
    ),
    (
        "reinvest",
        edit(("reinvest = 0.2", "reinvest = 1.2")),
        "variants.integraal.mechanisms.2.reinvest",
        "[0, 1]",
    ),
    (
        "quality score",
        extra_variant('type = "quality"\nrecipients = "tariffs"\npool = 1000\nscore = 1.1'),
        "variants.extra.mechanisms.0.score",
        "[0, 1]",
    ),
    (
        "overhead",
        edit(("overhead = 0.02", "overhead = 1.5")),
        "variants.integraal.mechanisms.0.overhead",
        "[0, 1)",
    ),
    (
        "shift fraction",
        edit(
            (
                VARIANT_EFFECT,
                'effects = [{ op = "shift", profile = "zwanger", from = "bevalling_klinisch", to = "echo",'
                " fraction = 1.5 }]",
            )
        ),
        "variants.integraal.effects.0.fraction",
        "[0, 1]",
    ),
    (
        "move_clients fraction",
        add(
            RISICO,
            text=edit(
                (
                    VARIANT_EFFECT,
                    'effects = [{ op = "move_clients", from = "zwanger", to = "risico", fraction = -0.1 }]',
                )
            ),
        ),
        "variants.integraal.effects.0.fraction",
        "[0, 1]",
    ),
]


@pytest.mark.parametrize(
    ("text", "path", "interval"), [f[1:] for f in FRACTIONS], ids=[f[0] for f in FRACTIONS]
)
def test_fraction_outside_its_range(
    scenario: Callable[..., Path], text: str, path: str, interval: str
) -> None:
    assert_invalid(validate(scenario, text), FILE, path, f"must lie in {interval}")


@pytest.mark.parametrize(
    ("change", "path", "total"),
    [
        (
            ("overhead = 0.02", "overhead = 0.02\ndistribution = { verloskundigen = 0.6, ziekenhuis = 0.3 }"),
            "variants.integraal.mechanisms.0.distribution",
            "0.9",
        ),
        (
            ('network = "vsv"', 'network = "vsv"\ndistribution = { verloskundigen = 0.5, ziekenhuis = 0.6 }'),
            "variants.integraal.mechanisms.2.distribution",
            "1.1",
        ),
    ],
    ids=["bundle", "shared_savings"],
)
def test_distribution_shares_do_not_add_up_to_one(
    scenario: Callable[..., Path], change: tuple[str, str], path: str, total: str
) -> None:
    assert_invalid(validate(scenario, edit(change)), FILE, path, f"shares must add up to 1, got {total}")


def test_distribution_shares_that_add_up_are_fine(scenario: Callable[..., Path]) -> None:
    text = edit(
        ("overhead = 0.02", "overhead = 0.02\ndistribution = { verloskundigen = 0.6, ziekenhuis = 0.4 }")
    )
    assert_valid(scenario, text)


# ================================================================ §2 who pays


def test_copay_without_scenario_client(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, edit(('client = "client"\n', "")))
    assert_invalid(result, FILE, "activities.echo.copay", "needs `scenario.client`")


def test_activity_without_payer_and_without_default_payer(scenario: Callable[..., Path]) -> None:
    text = edit(
        ('default_payer = "zorgverzekeraar"\n', ""),
        ("tariff = 100.00", 'tariff = 100.00\npayer = "zorgverzekeraar"'),
        ("tariff = 2000.00", 'tariff = 2000.00\npayer = "zorgverzekeraar"'),
    )
    result = validate(scenario, text)
    assert_invalid(result, FILE, "activities.echo.payer", "no payer", "default_payer")
    assert len(error_lines(result)) == 1, result.stderr


# ================================================================ §4 mechanisms


def test_unknown_mechanism_type(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, edit(('type = "bundle"', 'type = "bundel"')))
    assert_invalid(
        result,
        FILE,
        "variants.integraal.mechanisms.0.type",
        "unknown type 'bundel'",
        "did you mean 'bundle'",
        "capitation",
    )


def test_mechanism_without_type(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, edit(('type = "bundle"\n', "")))
    assert_invalid(result, FILE, "variants.integraal.mechanisms.0.type", "needs a `type` key")


MECHANISM_RULES = [
    (
        "overhead without contractor",
        edit(('contractor = "vsv"\n', "")),
        "variants.integraal.mechanisms.0.overhead",
        ("contractor",),
    ),
    (
        "adjust without budget_neutral",
        edit(('price = "budget_neutral"', "price = 1000\nadjust = -0.02")),
        "variants.integraal.mechanisms.0.adjust",
        ("budget_neutral",),
    ),
    (
        "price table misses a listed profile",
        add(
            RISICO,
            text=edit(
                ('price = "budget_neutral"', 'profiles = ["zwanger", "risico"]\nprice = { zwanger = 1200 }')
            ),
        ),
        "variants.integraal.mechanisms.0.price",
        ("no price for profile 'risico'",),
    ),
    (
        "two bundles cover the same activity and profile",
        edit(
            (
                '[[variants.integraal.mechanisms]]\ntype = "availability"',
                '[[variants.integraal.mechanisms]]\ntype = "bundle"\nscope = ["echo"]\nprice = 100\n\n'
                '[[variants.integraal.mechanisms]]\ntype = "availability"',
            )
        ),
        "variants.integraal.mechanisms.1.scope",
        ("activity 'echo' of profile 'zwanger'", "already paid by mechanisms.0"),
    ),
    (
        "quality with pool and pool_rate",
        extra_variant('type = "quality"\nrecipients = "tariffs"\npool = 1000\npool_rate = 0.01\nscore = 1'),
        "variants.extra.mechanisms.0",
        ("exactly one of `pool`", "`pool_rate`"),
    ),
    (
        "quality with neither pool nor pool_rate",
        extra_variant('type = "quality"\nrecipients = "tariffs"\nscore = 1'),
        "variants.extra.mechanisms.0",
        ("exactly one of `pool`", "`pool_rate`"),
    ),
    (
        "shared_savings reinvest without network",
        edit(('network = "vsv"\n', "")),
        "variants.integraal.mechanisms.2",
        ("`reinvest` > 0 needs a `network`",),
    ),
    (
        "distribution cost with an activity lacking cost",
        edit(("cost = 40.00\n", ""), ("overhead = 0.02", 'overhead = 0.02\ndistribution = "cost"')),
        "variants.integraal.mechanisms.0.distribution",
        ('distribution "cost" needs a `cost`', "'echo'"),
    ),
    (
        "distribution keyword typo",
        edit(("overhead = 0.02", 'overhead = 0.02\ndistribution = "costs"')),
        "variants.integraal.mechanisms.0.distribution",
        ("'tariffs', 'cost'", "got 'costs'"),
    ),
]


@pytest.mark.parametrize(
    ("text", "path", "fragments"), [m[1:] for m in MECHANISM_RULES], ids=[m[0] for m in MECHANISM_RULES]
)
def test_mechanism_rule(scenario: Callable[..., Path], text: str, path: str, fragments: tuple) -> None:
    result = validate(scenario, text)
    assert_invalid(result, FILE, path, *fragments)
    assert len(error_lines(result)) == 1, result.stderr


def test_adjust_with_budget_neutral_is_fine(scenario: Callable[..., Path]) -> None:
    assert_valid(scenario, edit(('price = "budget_neutral"', 'price = "budget_neutral"\nadjust = -0.02')))


# ================================================================ §3 effects


def effect(new: str, *snippets: str) -> str:
    """BASE with the variant's effect list replaced by `[new]`."""
    return add(*snippets, text=edit((VARIANT_EFFECT, f"effects = [{new}]")))


AT = "variants.integraal.effects.0"

EFFECT_ERRORS = [
    (
        "path matches nothing (path key)",
        effect('{ op = "scale", path = "profiles.zwanger.path.ecko", factor = 0.5 }'),
        ("matches nothing", "did you mean 'echo'"),
    ),
    (
        "path matches nothing (activity field)",
        effect('{ op = "scale", path = "activities.vk_consult.tarif", factor = 0.5 }'),
        ("matches nothing", "did you mean 'tariff'"),
    ),
    (
        "path matches nothing (profile)",
        effect('{ op = "set", path = "profiles.zwangr.clients", value = 5 }'),
        ("matches nothing", "did you mean 'zwanger'"),
    ),
    (
        "set of an undefined activity into a path",
        effect('{ op = "set", path = "profiles.zwanger.path.kraamzorg_uur", value = 1 }'),
        ("matches nothing", "kraamzorg_uur"),
    ),
    (
        "set of a party's text field",
        effect('{ op = "set", path = "parties.vsv.role", value = 1 }'),
        ("'role'", "not a number"),
    ),
    (
        "path outside the inputs (scenario)",
        effect('{ op = "set", path = "scenario.year", value = 2030 }'),
        ("must start with one of", "activities, profiles, availability, variants, parties"),
    ),
    (
        "scale of a non-number",
        effect('{ op = "scale", path = "activities.vk_consult.provider", factor = 2 }'),
        ("'provider'", "no number to scale"),
    ),
    (
        "scale of a table",
        effect('{ op = "scale", path = "profiles.zwanger.path", factor = 2 }'),
        ("'path'", "no number to scale"),
    ),
    (
        "set of a non-number",
        effect('{ op = "set", path = "activities.vk_consult.group", value = 2 }'),
        ("'group'", "not a number"),
    ),
    (
        "shift from an activity not in the path",
        effect(
            '{ op = "shift", profile = "zwanger", from = "bevalling_thuis", to = "echo", fraction = 0.1 }',
            THUIS,
        ),
        ("profile 'zwanger' has no 'bevalling_thuis' in its path",),
    ),
    (
        "shift from an undefined activity",
        effect(
            '{ op = "shift", profile = "zwanger", from = "bevalling_thuiss", to = "echo", fraction = 0.1 }',
            THUIS,
        ),
        ("unknown activity 'bevalling_thuiss'", "did you mean 'bevalling_thuis'"),
    ),
    (
        "shift in an unknown profile",
        effect('{ op = "shift", profile = "zwangr", from = "echo", to = "vk_consult", fraction = 0.1 }'),
        ("unknown profile 'zwangr'", "did you mean 'zwanger'"),
    ),
    (
        "move_clients to an unknown profile",
        effect('{ op = "move_clients", from = "zwanger", to = "risicovol", fraction = 0.1 }'),
        ("unknown profile 'risicovol'",),
    ),
    (
        "mechanism index out of range",
        effect('{ op = "set", path = "variants.integraal.mechanisms.9.overhead", value = 0.1 }'),
        ("matches nothing", "has 3 entries"),
    ),
]


@pytest.mark.parametrize(
    ("text", "fragments"), [e[1:] for e in EFFECT_ERRORS], ids=[e[0] for e in EFFECT_ERRORS]
)
def test_effect_error(scenario: Callable[..., Path], text: str, fragments: tuple) -> None:
    result = validate(scenario, text)
    assert_invalid(result, FILE, AT, *fragments)
    assert len(error_lines(result)) == 1, result.stderr


def test_unknown_effect_op(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, effect('{ op = "scal", path = "profiles.zwanger.path.echo", factor = 0.5 }'))
    assert_invalid(result, FILE, f"{AT}.op", "unknown op 'scal'", "did you mean 'scale'")


def test_set_adds_a_defined_activity_to_a_care_path(scenario: Callable[..., Path]) -> None:
    text = effect('{ op = "set", path = "profiles.zwanger.path.bevalling_thuis", value = 0.1 }', THUIS)
    assert_valid(scenario, text)
    assert invoke("compare", FILE, "-f", "json").exit_code == 0


def test_negative_scale_factor(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, effect('{ op = "scale", path = "profiles.zwanger.clients", factor = -1 }'))
    assert_invalid(result, FILE, f"{AT}.factor", "must be >= 0")


@pytest.mark.parametrize(
    ("text", "label", "tariff"),
    [
        (effect('{ op = "set", path = "activities.echo.tariff", value = 5 }'), "variants.integraal", "5"),
        (
            edit(
                (WHATIF_EFFECT, 'effects = [{ op = "scale", path = "activities.echo.tariff", factor = 0.1 }]')
            ),
            "whatif.minder_echo",
            "5.000",
        ),
    ],
    ids=["variant", "what-if"],
)
def test_effect_making_copay_above_tariff(
    scenario: Callable[..., Path], text: str, label: str, tariff: str
) -> None:
    result = validate(scenario, text)
    assert_invalid(
        result, FILE, "activities.echo.copay", f"after the effects of {label}", f"above the tariff {tariff}"
    )


def test_effect_making_a_value_negative(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, effect('{ op = "set", path = "profiles.zwanger.clients", value = -5 }'))
    assert_invalid(
        result, FILE, "profiles.zwanger.clients", "after the effects of variants.integraal", "must be >= 0"
    )


def test_refill_of_an_unknown_party(scenario: Callable[..., Path]) -> None:
    result = validate(scenario, effect('{ op = "refill", party = "ziekenhuiz", rate = 0.5 }'))
    assert_invalid(result, FILE, f"{AT}.party", "unknown party 'ziekenhuiz'", "did you mean 'ziekenhuis'")


# ================================================================ command line (CLI.md)


@pytest.mark.parametrize(
    ("args", "path", "fragments"),
    [
        (("--baseline", "mon"), "--baseline", ("unknown variant 'mon'", "did you mean 'mono'")),
        (("--variant", "integral"), "--variant", ("unknown variant 'integral'", "did you mean 'integraal'")),
        (("-v", "integral"), "--variant", ("unknown variant 'integral'", "did you mean 'integraal'")),
        (
            ("--whatif", "minder_echos"),
            "--whatif",
            ("unknown what-if 'minder_echos'", "did you mean 'minder_echo'"),
        ),
        (
            ("-w", "minder_echos"),
            "--whatif",
            ("unknown what-if 'minder_echos'", "did you mean 'minder_echo'"),
        ),
    ],
    ids=["--baseline", "--variant", "-v", "--whatif", "-w"],
)
def test_unknown_id_on_the_command_line(
    scenario: Callable[..., Path], args: tuple[str, ...], path: str, fragments: tuple
) -> None:
    scenario(BASE, name=FILE)
    result = invoke("compare", FILE, "-f", "csv", *args)
    assert_invalid(result, FILE, path, *fragments)
    assert result.stdout == ""


def test_several_unknown_ids_on_the_command_line_are_all_listed(scenario: Callable[..., Path]) -> None:
    scenario(BASE, name=FILE)
    result = invoke("compare", FILE, "-v", "integral", "-w", "minder_echos", "--baseline", "mon")
    assert_invalid(result, FILE, "--whatif", "minder_echos")
    assert len(error_lines(result)) == 3
    assert "3 problems found." in result.stderr


def test_unknown_format_is_a_usage_error(scenario: Callable[..., Path]) -> None:
    scenario(BASE, name=FILE)
    result = invoke("compare", FILE, "--format", "xml")
    assert_no_traceback(result)
    assert result.exit_code == 2
    assert "xml" in result.stderr


@pytest.mark.parametrize("target", [FILE, "tarieven.toml"], ids=["scenario file", "included file"])
def test_output_over_an_input_file_is_refused(
    scenario: Callable[..., Path], tmp_path: Path, target: str
) -> None:
    write(tmp_path / "tarieven.toml", "[activities.vk_consult]\ntariff = 100.00\n")
    scenario(including("tarieven.toml", ("tariff = 100.00\n", "")), name=FILE)
    before = {name: (tmp_path / name).read_bytes() for name in (FILE, "tarieven.toml")}
    result = invoke("compare", FILE, "-f", "csv", "--output", target)
    assert_no_traceback(result)
    assert result.exit_code == 2, result.stderr
    assert target in result.stderr
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before), "no temp files left behind"


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_output_to_a_directory_is_refused(scenario: Callable[..., Path], tmp_path: Path, fmt: str) -> None:
    scenario(BASE, name=FILE)
    (tmp_path / "uit").mkdir()
    result = invoke("compare", FILE, "-f", fmt, "--output", "uit")
    assert_no_traceback(result)
    assert result.exit_code == 2, result.stderr
    assert "directory" in result.stderr
    assert list((tmp_path / "uit").iterdir()) == []


def test_validate_without_a_file_validates_the_default_and_says_which() -> None:
    result = invoke("validate")  # like every command: ./scenario.toml, else the embedded example
    assert_no_traceback(result)
    assert result.exit_code == 0
    assert result.stderr.startswith("scenario: ")


def test_validate_reports_good_and_bad_files_together(scenario: Callable[..., Path]) -> None:
    good = scenario(BASE, name="goed.toml")
    scenario(edit(("tariff = 100.00", "tariff = -1")), name="fout.toml")
    result = invoke("validate", good, "fout.toml")
    assert f"OK {good}" in result.stdout
    assert_invalid(result, "fout.toml", "activities.vk_consult.tariff", "must be >= 0")


# ================================================================ §8 later: horizon and uncertainty


def test_uncertainty_params_are_validated(scenario: Callable[..., Path]) -> None:
    text = add(
        "[uncertainty]\ndraws = 100\n[uncertainty.params]\n"
        '"profiles.zwangerr.clients" = { dist = "uniform", low = 1, high = 2 }\n'
        '"activities.echo.tariff" = { dist = "uniforme", low = 1, high = 2 }\n'
        '"activities.vk_consult.tariff" = { dist = "triangular", low = 5, mode = 1, high = 9 }\n'
    )
    result = validate(scenario, text)
    assert_invalid(result, FILE, "uncertainty.params.activities.echo.tariff.dist", "did you mean 'uniform'")
    assert_invalid(result, FILE, "uncertainty.params.activities.vk_consult.tariff.mode", "below low")
    valid = add(
        "[uncertainty]\n[uncertainty.params]\n"
        '"profiles.zwangerr.clients" = { dist = "uniform", low = 1, high = 2 }\n'
    )
    result = invoke("validate", scenario(valid, name="pad.toml"))
    assert_invalid(result, "pad.toml", "uncertainty.params.profiles.zwangerr.clients", "matches nothing")


def test_a_mechanism_type_that_is_not_a_name_is_an_error_under_a_horizon(
    scenario: Callable[..., Path],
) -> None:
    """Years are resolved on the raw data before validation: a `type` that is a list (found
    by the fuzzer) must reach validation as a finding, not a TypeError."""
    text = add(
        "[horizon]\nstart = 2025\nyears = 2", extra_variant('type = ["ceiling"]\namount = 5')[len(BASE) :]
    )
    result = validate(scenario, text)
    assert_invalid(result, FILE, "variants.extra.mechanisms.0.type", "unknown type", "did you mean 'ceiling'")


# ================================================================ every problem at once

FIVE_PROBLEMS = [
    pytest.param(
        (
            ("tariff = 100.00", "tariff = -100.00"),  # negative money
            ('provider = "ziekenhuis"', 'provider = "ziekenhuiz"'),  # unknown party
            ("annual_cost = 100000", "annual_cost = 100000.001"),  # 3 decimals
            ("sharing_rate = 0.5", "sharing_rate = 1.5"),  # fraction out of range
            ('role = "network"', 'role = "network"\nnaam = "VSV"'),  # unknown key
        ),
        [
            "activities.vk_consult.tariff",
            "activities.bevalling_klinisch.provider",
            "availability.acute_verloskunde.annual_cost",
            "variants.integraal.mechanisms.2.sharing_rate",
            "parties.vsv.naam",
        ],
        id="five entries",
    ),
    pytest.param(
        (
            ("year = 2025", "yaer = 2025"),  # unknown key in [scenario]
            ("tariff = 100.00", "tariff = -100.00"),
            ('provider = "ziekenhuis"', 'provider = "ziekenhuiz"'),
            ("annual_cost = 100000", "annual_cost = 100000.001"),
            ("sharing_rate = 0.5", "sharing_rate = 1.5"),
        ),
        [
            "scenario.yaer",
            "activities.vk_consult.tariff",
            "activities.bevalling_klinisch.provider",
            "availability.acute_verloskunde.annual_cost",
            "variants.integraal.mechanisms.2.sharing_rate",
        ],
        id="one in [scenario]",
    ),
]


@pytest.mark.parametrize(("changes", "paths"), FIVE_PROBLEMS)
def test_every_problem_is_listed_at_once(
    scenario: Callable[..., Path], changes: tuple[tuple[str, str], ...], paths: list[str]
) -> None:
    result = validate(scenario, edit(*changes))
    assert_no_traceback(result)
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 5, result.stderr
    assert "5 problems found." in result.stderr
    for path in paths:
        assert any(re.match(rf"error: {re.escape(FILE)}: {re.escape(path)}: ", line) for line in lines), (
            path,
            result.stderr,
        )


# ---------------------------------------------------------------- effect paths at once (issue 16 item 14)

ZWANGER_TYPO = 'effects = [{ op = "scale", path = "profiles.zwangr.clients", factor = 0.5 }]'
TO_RISICO = 'effects = [{ op = "move_clients", from = "zwanger", to = "risico", fraction = 0.1 }]'
SCALE_VK = 'effects = [{ op = "scale", path = "activities.vk_consult.tariff", factor = 2 }]'


@pytest.mark.parametrize(
    ("changes", "paths"),
    [
        pytest.param(
            (("tariff = 100.00", "tariff = -100.00"), (VARIANT_EFFECT, ZWANGER_TYPO)),
            ["activities.vk_consult.tariff", "variants.integraal.effects.0"],
            id="model error and variant effect path",
        ),
        pytest.param(
            (("year = 2025", "yaer = 2025"), (WHATIF_EFFECT, ZWANGER_TYPO)),
            ["scenario.yaer", "whatif.minder_echo.effects.0"],
            id="[scenario] error and what-if effect path",
        ),
        pytest.param(
            (("sharing_rate = 0.5", "sharing_rate = 1.5"), (VARIANT_EFFECT, ZWANGER_TYPO)),
            ["variants.integraal.mechanisms.2.sharing_rate", "variants.integraal.effects.0"],
            id="mechanism error and an effect path of the same variant",
        ),
        pytest.param(
            (
                ("year = 2025", "yaer = 2025"),
                (VARIANT_EFFECT, 'effects = [{ op = "set", path = "profiles.zwanger.clients", value = -5 }]'),
            ),
            ["scenario.yaer", "profiles.zwanger.clients"],
            id="[scenario] error and an effect that makes a value invalid",
        ),
        pytest.param(
            (
                ("tariff = 100.00", "tariff = -100.00"),
                (WHATIF_EFFECT, TO_RISICO),
            ),
            ["activities.vk_consult.tariff", "whatif.minder_echo.effects.0"],
            id="model error and move_clients to an unknown profile",
        ),
    ],
)
def test_an_effect_path_error_comes_with_the_other_errors(
    scenario: Callable[..., Path], changes: tuple[tuple[str, str], ...], paths: list[str]
) -> None:
    result = validate(scenario, edit(*changes))
    assert_no_traceback(result)
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == len(paths), result.stderr
    for path in paths:
        assert any(line.startswith(f"error: {FILE}: {path}: ") for line in lines), (path, result.stderr)


def test_an_uncertain_path_error_comes_with_the_other_errors(scenario: Callable[..., Path]) -> None:
    text = add(
        "[uncertainty]\n[uncertainty.params]\n"
        '"profiles.zwangerr.clients" = { dist = "uniform", low = 1, high = 2 }\n',
        text=edit(("tariff = 100.00", "tariff = -100.00")),
    )
    result = validate(scenario, text)
    assert len(error_lines(result)) == 2, result.stderr
    assert_invalid(result, FILE, "activities.vk_consult.tariff", "must be >= 0")
    assert_invalid(result, FILE, "uncertainty.params.profiles.zwangerr.clients", "did you mean 'zwanger'")


@pytest.mark.parametrize(
    ("text", "path"),
    [
        pytest.param(
            edit(
                ("tariff = 100.00", "tariff = -100.00"),
                (VARIANT_EFFECT, SCALE_VK),
            ),
            "activities.vk_consult.tariff",
            id="scale of a broken activity",
        ),
        pytest.param(
            edit(("clients = 100", "clients = -100")),  # the effects of BASE scale its path
            "profiles.zwanger.clients",
            id="effects into a broken profile",
        ),
        pytest.param(
            add(
                THUIS.replace("900.00", "900.001"),
                text=edit(
                    (
                        VARIANT_EFFECT,
                        'effects = [{ op = "set", path = "profiles.zwanger.path.bevalling_thuis",'
                        ' value = 0.1 }, { op = "shift", profile = "zwanger", from = "echo",'
                        ' to = "bevalling_thuis", fraction = 0.1 }]',
                    )
                ),
            ),
            "activities.bevalling_thuis.tariff",
            id="set and shift to a broken activity",
        ),
        pytest.param(
            add(RISICO.replace("clients = 10", "clients = true"), text=edit((WHATIF_EFFECT, TO_RISICO))),
            "profiles.risico.clients",
            id="move_clients to a broken profile",
        ),
        pytest.param(
            add(
                "[uncertainty]\n[uncertainty.params]\n"
                '"activities.vk_consult.tariff" = { dist = "uniform", low = 1, high = 2 }\n',
                text=edit(("tariff = 100.00", "tariff = -100.00")),
            ),
            "activities.vk_consult.tariff",
            id="uncertain input of a broken activity",
        ),
    ],
)
def test_an_effect_into_a_broken_entry_is_not_a_second_error(
    scenario: Callable[..., Path], text: str, path: str
) -> None:
    result = validate(scenario, text)
    assert_no_traceback(result)
    lines = error_lines(result)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {FILE}: {path}: "), result.stderr
