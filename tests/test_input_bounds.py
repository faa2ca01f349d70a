"""Hostile numbers, discriminators, nesting and ids (issue 17, items 3, 5, 6 and 15).

Every number that comes in (a scenario file, `--set`, a totals file, a calibrate mapping)
has its size checked before any arithmetic, so a number the decimal context cannot hold
(`1e1000000`) is a located error like any number above 10^12, never a traceback. A value
where a name is expected (`type = []`) is a located error. Deeply nested keys are refused
before anything walks them. An id is the whole text: `"ziekenhuis\\n"` is not one.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekostiging.fields import MAX_DECIMALS
from bekostiging.scenario.limits import MAX_NESTING
from conftest import invoke
from strategies import TOML_NUMBER

# Every number-bearing field of a scenario, each as the placeholder {name} in one file
# that uses a horizon, an uncertainty, mechanisms, effects and checks.
FIELDS = {
    "tariff": ("activities.zorg.tariff", "100.00"),
    "copay": ("activities.zorg.copay", "0"),
    "cost": ("activities.zorg.cost", "60"),
    "clients": ("profiles.laag.clients", "10"),
    "units": ("profiles.laag.path.zorg", "1.5"),
    "fixed_cost": ("parties.verloskundigen.fixed_cost", "1000"),
    "annual_cost": ("availability.dienst.annual_cost", "5000"),
    "factor": ("variants.bundel.effects.0.factor", "0.9"),
    "set_value": ("variants.bundel.effects.1.value", "12"),
    "price": ("variants.bundel.mechanisms.0.price", "150"),
    "overhead": ("variants.bundel.mechanisms.0.overhead", "0.02"),
    "index": ("horizon.index", "0.03"),
    "discount": ("horizon.discount_rate", "0.04"),
    "growth": ("horizon.client_growth", "-0.004"),
    "dated": ("horizon.adoption.bundel", "0.5"),  # a table by year is checked as one
    "investment": ("horizon.investments.0.amount", "1000"),
    "low": ("uncertainty.params.activities.zorg.tariff.low", "90"),
    "high": ("uncertainty.params.activities.zorg.tariff.high", "110"),
    "expect_min": ("expect.0.min", "0"),
    "expect_max": ("expect.0.max", "1000000"),
}
# Whole numbers that are not amounts: each has its own range, none takes 1e1000000.
INT_FIELDS = {
    "year": ("scenario.year", "2025"),
    "start": ("horizon.start", "2025"),
    "years": ("horizon.years", "3"),
    "investment_year": ("horizon.investments.0.year", "2025"),
    "draws": ("uncertainty.draws", "20"),
    "seed": ("uncertainty.seed", "1"),
}

TEMPLATE = """
[scenario]
name = "Grenzen"
year = {year}
baseline = "mono"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.verloskundigen]
role = "provider"
fixed_cost = {fixed_cost}

[activities.zorg]
provider = "verloskundigen"
tariff = {tariff}
copay = {copay}
cost = {cost}

[profiles.laag]
clients = {clients}
path = {{ zorg = {units} }}

[availability.dienst]
party = "verloskundigen"
annual_cost = {annual_cost}

[variants.mono]
[variants.bundel]
effects = [
  {{ op = "scale", path = "profiles.laag.path.zorg", factor = {factor} }},
  {{ op = "set", path = "profiles.laag.clients", value = {set_value} }},
]
[[variants.bundel.mechanisms]]
type = "bundle"
payer = "zorgverzekeraar"
contractor = "verloskundigen"
scope = ["zorg"]
price = {price}
overhead = {overhead}

[horizon]
start = {start}
years = {years}
index = {index}
discount_rate = {discount}
client_growth = {growth}
adoption = {{ bundel = {{ 2025 = 0.25, 2026 = {dated} }} }}
[[horizon.investments]]
variant = "bundel"
party = "verloskundigen"
year = {investment_year}
amount = {investment}

[uncertainty]
draws = {draws}
seed = {seed}
[uncertainty.params]
"activities.zorg.tariff" = {{ dist = "uniform", low = {low}, high = {high} }}

[[expect]]
variant = "bundel"
party = "verloskundigen"
metric = "net"
min = {expect_min}
max = {expect_max}
"""


def scenario_with(field: str, token: str) -> str:
    values = {name: default for name, (_, default) in {**FIELDS, **INT_FIELDS}.items()}
    values[field] = token
    return TEMPLATE.format(**values)


def test_the_template_is_valid(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(scenario_with("tariff", "100.00"), encoding="utf-8")
    result = invoke("validate", path)
    assert result.exit_code == 0, result.stderr


def refused(value: Decimal) -> bool:
    """A number every number field refuses, whatever the field's own rule."""
    if not value.is_finite():
        return True
    if (value and value.adjusted() > 12) or value.copy_abs() > 10**12:
        return True
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -MAX_DECIMALS


def errors_of(result) -> str:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    return result.stderr


# ---------------------------------------------------------------- item 3: huge exponents

HUGE = ["1e1000000", "-1e1000000", "1E+999999999", "0x" + "f" * 3000, "9" * 4000]


@pytest.mark.parametrize("token", HUGE)
@pytest.mark.parametrize("field", list(FIELDS))
def test_a_huge_number_in_any_field_is_a_located_error(tmp_path, field, token):
    path = tmp_path / "s.toml"
    path.write_text(scenario_with(field, token), encoding="utf-8")
    stderr = errors_of(invoke("validate", path))
    where = FIELDS[field][0]
    assert f"s.toml: {where}: " in stderr, stderr
    assert "is too large: at most 10^12" in stderr or "must be" in stderr, stderr
    assert len(stderr) < 2000  # the number is not echoed digit by digit


@pytest.mark.parametrize("token", HUGE)
@pytest.mark.parametrize("field", list(INT_FIELDS))
def test_a_huge_number_in_a_whole_number_field_is_a_located_error(tmp_path, field, token):
    path = tmp_path / "s.toml"
    path.write_text(scenario_with(field, token), encoding="utf-8")
    for command in ("validate", "simulate"):
        stderr = errors_of(invoke(command, path))
        assert f"s.toml: {INT_FIELDS[field][0]}: " in stderr, stderr
        assert len(stderr) < 2000


def test_a_cost_beyond_any_amount_is_an_error_of_the_variant(tmp_path):
    """Each input in range, their product not: EUR 9 x 10^11 per unit x 15,000 units."""
    text = scenario_with("cost", "9e11").replace("clients = 10\n", "clients = 10000\n")
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    for command in ("compare", "check", "report"):
        output = ["-o", tmp_path / "r.html"] if command == "report" else []
        stderr = errors_of(invoke(command, path, *output))
        assert "s.toml: variants.mono: an amount of EUR 1.350E+16 is beyond the limit" in stderr, stderr


@pytest.mark.parametrize("token", ["1e-1000000", "0.1e-999999999", "1." + "0" * 5000 + "1", "0e-2000"])
@pytest.mark.parametrize("field", ["clients", "units", "factor", "low", "expect_min", "index", "dated"])
def test_a_number_with_too_many_decimals_is_a_located_error(tmp_path, field, token):
    path = tmp_path / "s.toml"
    path.write_text(scenario_with(field, token), encoding="utf-8")
    stderr = errors_of(invoke("validate", path))
    assert f"s.toml: {FIELDS[field][0]}: has " in stderr, stderr
    assert f" decimals; a number has at most {MAX_DECIMALS:,}" in stderr, stderr
    assert len(stderr) < 2000


def test_an_integer_too_long_to_read_names_its_line(tmp_path):
    """Python refuses to read an integer of more than 4,300 digits (a guard against slow
    conversions); the file is refused with the line, not with Python's message."""
    path = tmp_path / "s.toml"
    path.write_text(scenario_with("clients", "1" + "0" * 5000), encoding="utf-8")
    stderr = errors_of(invoke("validate", path))
    line = scenario_with("clients", "1" + "0" * 5000).split("\n").index("clients = 1" + "0" * 5000)
    assert f"s.toml: line {line + 1}: a number of more than 4,300 digits" in stderr
    assert "set_int_max_str_digits" not in stderr


@pytest.mark.parametrize("token", ["1e1000000", "1" + "0" * 5000, "1e-1000000"])
def test_a_huge_number_through_set_is_a_located_error(tmp_path, token):
    path = tmp_path / "s.toml"
    path.write_text(scenario_with("tariff", "100.00"), encoding="utf-8")
    for command in ("validate", "compare", "simulate"):
        stderr = errors_of(invoke(command, path, "--set", f"profiles.laag.clients={token}"))
        assert "--set: profiles.laag.clients: " in stderr, stderr
        assert "10^12" in stderr or "decimals" in stderr, stderr


@pytest.mark.parametrize("token", ["1e1000000", "-1e1000000", "1e-1000000"])
def test_a_huge_bound_in_a_totals_file_is_a_located_error(tmp_path, token):
    region = tmp_path / "regios" / "a.toml"
    region.parent.mkdir()
    region.write_text(scenario_with("tariff", "100.00"), encoding="utf-8")
    totals = tmp_path / "landelijk.toml"
    totals.write_text(
        f'[totals]\nscenarios = ["regios"]\n[[expect]]\nvariant = "mono"\n'
        f'party = "zorgverzekeraar"\nmetric = "net"\nmin = {token}\n',
        encoding="utf-8",
    )
    stderr = errors_of(invoke("check", totals))
    assert "expect.0.min: " in stderr, stderr


@pytest.mark.parametrize("token", ["1e1000000", "1e-1000000", "0x" + "f" * 3000])
def test_a_huge_factor_in_a_calibrate_mapping_is_a_located_error(tmp_path, token):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "client_id,activity,provider,units,amount,date\na,E1,P1,1,145.00,2024-01-02\n", encoding="utf-8"
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        f'default_profile = "laag"\n[codes]\nE1 = {{ activity = "zorg", factor = {token} }}\n',
        encoding="utf-8",
    )
    result = invoke("calibrate", claims, "--mapping", mapping)
    stderr = errors_of(result)
    assert "mapping.toml: codes.E1.factor: " in stderr, stderr
    assert len(stderr) < 2000


def _value_of(token: str) -> Decimal | None:
    """What TOML makes of a token (None: not a TOML number, or one Python cannot read)."""
    try:
        value = tomllib.loads(f"v = {token}", parse_float=Decimal)["v"]
    except ValueError:  # TOMLDecodeError, or an integer of more than 4,300 digits
        return None
    return Decimal(value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from([*FIELDS, *INT_FIELDS]), token=TOML_NUMBER)
def test_any_toml_number_in_any_field_gives_no_traceback(tmp_path, field, token):
    path = tmp_path / "s.toml"
    path.write_text(scenario_with(field, token), encoding="utf-8")
    value = _value_of(token)
    result = invoke("validate", path)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (0, 1), result.stderr
    if value is None:
        assert result.exit_code == 1
        assert re.match(r"error: \S*s\.toml: ", result.stderr), result.stderr
        return
    try:
        is_refused = refused(value)
    except InvalidOperation:  # pragma: no cover - a finite value compares
        is_refused = True
    if is_refused and field in FIELDS:
        assert f"s.toml: {FIELDS[field][0]}: " in errors_of(result)
    if result.exit_code == 0:  # what validates also computes
        for command in ("compare", "check"):
            outcome = invoke(command, path)
            assert "Traceback" not in outcome.stdout + outcome.stderr
            assert outcome.exit_code in (0, 1), outcome.stderr


# ---------------------------------------------------------------- item 5: discriminators

NOT_A_NAME = ["[]", "{}", "{ a = 1 }", '["bundle"]', "1", "true", "1979-05-27", "1.5", "inf"]
DISCRIMINATORS = {
    "type": ('type = "bundle"', "variants.bundel.mechanisms.0.type"),
    "op": ('op = "scale"', "variants.bundel.effects.0.op"),
    "dist": ('dist = "uniform"', "uncertainty.params.activities.zorg.tariff.dist"),
    "metric": ('metric = "net"', "expect.0.metric"),
    "role": ('role = "provider"', "parties.verloskundigen.role"),
}


@pytest.mark.parametrize("value", NOT_A_NAME)
@pytest.mark.parametrize("key", list(DISCRIMINATORS))
def test_a_discriminator_that_is_not_a_name_is_a_located_error(tmp_path, key, value):
    """With a horizon (years are resolved on the raw data before validation) and an
    uncertainty (draws are placed before validation), in every command that reads it."""
    written, where = DISCRIMINATORS[key]
    text = scenario_with("tariff", "100.00")
    assert text.count(written) == 1
    path = tmp_path / "s.toml"
    path.write_text(text.replace(written, f"{written.split(' = ')[0]} = {value}"), encoding="utf-8")
    for command in ("validate", "compare", "check", "simulate", "sensitivity"):
        stderr = errors_of(invoke(command, path))
        assert f"s.toml: {where}" in stderr, (command, stderr)


@pytest.mark.parametrize("names", ["[[], {}]", "[{ a = 1 }]", '[["laag"]]'])
def test_a_list_of_names_that_are_not_texts_under_a_horizon(tmp_path, names):
    """A capitation that follows its clients sums the clients of the profiles it names, on
    the raw data, before validation: a name that is a list or table is validation's to
    report (it was a TypeError: unhashable)."""
    capitation = (
        "[[variants.bundel.mechanisms]]\n"
        'type = "capitation"\npayer = "zorgverzekeraar"\ncontractor = "verloskundigen"\n'
        f'amount = 100\npopulation = 1000\npopulation_growth = "clients"\nprofiles = {names}\n'
    )
    text = scenario_with("tariff", "100.00").replace("[horizon]", capitation + "\n[horizon]")
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    for command in ("validate", "compare"):
        stderr = errors_of(invoke(command, path))
        assert "s.toml: variants.bundel.mechanisms.1.profiles.0" in stderr, stderr


def test_a_discriminator_that_is_not_a_name_through_set(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(scenario_with("tariff", "100.00"), encoding="utf-8")
    for where in ("variants.bundel.mechanisms.0.type", "variants.bundel.effects.0.op", "expect.0.metric"):
        for value in ("[]", "{}", "{a=1}"):
            stderr = errors_of(invoke("compare", path, "--set", f"{where}={value}"))
            assert f"--set: {where}" in stderr, stderr


# ---------------------------------------------------------------- item 6: deep nesting


@pytest.mark.parametrize(
    "extra",
    [
        "[" + ".".join(["x"] * 1000) + "]\n",
        "[variants.mono." + ".".join(["x"] * 1000) + "]\n",
        ".".join(["x"] * 1000) + " = 1\n",
        "x = { " + ".".join(["x"] * 1000) + " = 1 }\n",
        "x = " + "[" * 200 + "]" * 200 + "\n",
    ],
)
def test_deeply_nested_keys_are_refused_with_a_clear_error(tmp_path, extra):
    path = tmp_path / "s.toml"
    path.write_text(scenario_with("tariff", "100.00").replace("[scenario]", extra + "[scenario]", 1))
    stderr = errors_of(invoke("validate", path))
    assert f"nest more than {MAX_NESTING} levels deep" in stderr, stderr
    assert re.match(r"error: \S*s\.toml: ", stderr), stderr


def test_nesting_at_the_limit_is_read(tmp_path):
    """The limit counts tables and lists: MAX_NESTING levels are read (and then reported as
    an unknown table, like any key the format does not have)."""
    path = tmp_path / "s.toml"
    header = "[" + ".".join(["x"] * (MAX_NESTING - 1)) + "]\ny = 1\n"
    path.write_text(header + scenario_with("tariff", "100.00"))
    stderr = errors_of(invoke("validate", path))
    assert "unknown table 'x'" in stderr and "nest more than" not in stderr


def test_deep_nesting_in_an_included_file_and_a_mapping(tmp_path):
    deep = tmp_path / "diep.toml"
    deep.write_text("[" + ".".join(["x"] * 1000) + "]\n", encoding="utf-8")
    path = tmp_path / "s.toml"
    path.write_text(
        scenario_with("tariff", "100.00").replace("year = 2025", 'year = 2025\ninclude = ["diep.toml"]')
    )
    stderr = errors_of(invoke("validate", path))
    assert "diep.toml" in stderr and f"nest more than {MAX_NESTING} levels deep" in stderr
    claims = tmp_path / "claims.csv"
    claims.write_text("client_id,activity,provider,units,amount,date\na,E1,P1,1,1.00,2024-01-02\n")
    stderr = errors_of(invoke("calibrate", claims, "--mapping", deep))
    assert "diep.toml" in stderr and f"nest more than {MAX_NESTING} levels deep" in stderr
    totals = tmp_path / "totalen.toml"
    totals.write_text('[totals]\nscenarios = ["s.toml"]\n' + "[" + ".".join(["x"] * 1000) + "]\n")
    stderr = errors_of(invoke("check", totals))
    assert "totalen.toml" in stderr and f"nest more than {MAX_NESTING} levels deep" in stderr


@pytest.mark.parametrize("value", ["[" * 990 + "]" * 990, "{a=" * 990 + "1" + "}" * 990, "[" * 40 + "]" * 40])
def test_a_deeply_nested_set_value_is_an_error(tmp_path, value):
    path = tmp_path / "s.toml"
    path.write_text(scenario_with("tariff", "100.00"), encoding="utf-8")
    stderr = errors_of(invoke("validate", path, "--set", f"profiles.laag.clients={value}"))
    assert "--set: profiles.laag.clients: must be a number" in stderr, stderr


# ---------------------------------------------------------------- item 15: ids are whole texts


@pytest.mark.parametrize("bad", ["ziekenhuis\\n", "ziekenhuis\\r\\n", "\\nziekenhuis", "zieken huis"])
def test_an_id_with_a_newline_is_not_an_id(tmp_path, bad):
    text = scenario_with("tariff", "100.00") + f'\n[parties."{bad}"]\nrole = "provider"\n'
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    stderr = errors_of(invoke("validate", path))
    assert "is not a valid id" in stderr, stderr
    # found by the id rule of the file itself, not only when effects revalidate the data
    assert "after the effects" not in stderr, stderr


@pytest.mark.parametrize("bad", ["laag\\n", "laag\\r"])
def test_a_calibrate_profile_with_a_newline_is_refused(tmp_path, bad):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "client_id,activity,provider,units,amount,date\na,E1,P1,1,145.00,2024-01-02\n", encoding="utf-8"
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(f'default_profile = "{bad}"\n[codes]\nE1 = "zorg"\n', encoding="utf-8")
    stderr = errors_of(invoke("calibrate", claims, "--mapping", mapping))
    assert "default_profile: must be a profile id" in stderr, stderr
    rule = f'[codes]\nE1 = "zorg"\n[[profile]]\nname = "{bad}"\nany_code = ["E1"]\n'
    mapping.write_text(rule, encoding="utf-8")
    stderr = errors_of(invoke("calibrate", claims, "--mapping", mapping))
    assert "profile[0].name: must be a profile id" in stderr, stderr


def test_a_profile_column_with_a_newline_is_refused(tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        'client_id,activity,provider,units,amount,date,profile\na,E1,P1,1,145.00,2024-01-02,"laag\n"\n',
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[codes]\nE1 = "zorg"\n', encoding="utf-8")
    stderr = errors_of(invoke("calibrate", claims, "--mapping", mapping))
    assert "is not a profile id" in stderr, stderr


def test_every_id_check_takes_the_whole_text():
    """No `re.match` with a pattern that ends in `$` (it accepts a final newline)."""
    src = Path(__file__).parent.parent / "src" / "bekostiging"
    offenders = [
        f"{p.relative_to(src)}:{i}"
        for p in sorted(src.rglob("*.py"))
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"re\.match\(|_PATTERN\.match\(|_TAG\.match\(", line)
    ]
    assert offenders == []
