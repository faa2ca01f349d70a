"""Where the inputs come from (issue 16): the file a command runs, folders, names that do
not exist, encodings."""

from __future__ import annotations

import pytest

from bekostiging.calibrate import CalibrationError, calibrate, load_mapping
from conftest import invoke, write

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
