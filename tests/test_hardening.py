"""Limits, safe outputs and deterministic outputs (the guarantees of SECURITY.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bekostiging import output
from bekostiging.scenario import limits, toml_files
from conftest import invoke

BASE = """
[scenario]
name = "Grenzen"
baseline = "mono"
default_payer = "zorgverzekeraar"

[parties.zorgverzekeraar]
role = "payer"
[parties.verloskundigen]
role = "provider"

[activities.zorg]
provider = "verloskundigen"
tariff = {tariff}

[profiles.laag]
clients = {clients}
path = {{ zorg = {units} }}

[variants.mono]
"""


def base(tariff="100.00", clients="10", units="1") -> str:
    return BASE.format(tariff=tariff, clients=clients, units=units)


def errors(result) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stderr


# ------------------------------------------------------------------ limits


@pytest.mark.parametrize("value", ["1e13", "-1e13", "1e400", "99999999999999999999"])
def test_a_number_beyond_10_to_the_12_is_refused(scenario, value):
    stderr = errors(invoke("validate", scenario(base(clients=value))))
    assert "profiles.laag.clients: is too large: at most 10^12" in stderr


def test_money_beyond_what_a_ledger_holds_is_refused(scenario):
    # 10^6 clients x 10^6 units x EUR 10^6 = EUR 10^18: each input is allowed, the product is not
    stderr = errors(invoke("compare", scenario(base(tariff="1000000", clients="1000000", units="1000000"))))
    assert "variants.mono: an amount of EUR 1.000E+18 is beyond the limit" in stderr


def test_a_ledger_beyond_10_to_the_12_euros_is_refused(scenario):
    stderr = errors(invoke("compare", scenario(base(tariff="1000000", clients="1000000", units="2"))))
    assert "variants.mono: more than EUR 1,000,000,000,000 flows in one variant" in stderr


def test_an_effect_that_inflates_a_number_past_the_limit_is_refused(scenario):
    text = base() + 'effects = [{ op = "scale", path = "profiles.laag.clients", factor = 1000000000000 }]\n'
    stderr = errors(invoke("validate", scenario(text)))
    assert "profiles.laag.clients: after the effects of variants.mono: is too large" in stderr


def test_file_size_limit(scenario, monkeypatch):
    monkeypatch.setattr(toml_files, "MAX_FILE_BYTES", 100)
    stderr = errors(invoke("validate", scenario(base())))
    assert "bytes; the limit is 100" in stderr


def test_include_depth_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(toml_files, "MAX_INCLUDE_DEPTH", 3)
    for i in range(6):
        (tmp_path / f"d{i}.toml").write_text(f'[scenario]\ninclude = ["d{i + 1}.toml"]\n')
    (tmp_path / "d6.toml").write_text("")
    main = tmp_path / "main.toml"
    main.write_text(base().replace("[scenario]\n", '[scenario]\ninclude = ["d0.toml"]\n'))
    stderr = errors(invoke("validate", main))
    assert "scenario.include: includes nest deeper than 3 files" in stderr


def test_entity_count_limit(scenario, monkeypatch):
    monkeypatch.setitem(limits.MAX_ENTRIES, "activities", 1)
    text = base() + '[activities.extra]\nprovider = "verloskundigen"\ntariff = 1\n'
    stderr = errors(invoke("validate", scenario(text)))
    assert "activities: has 2 entries; the limit is 1" in stderr


def test_effect_list_limit(scenario, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LIST", 1)
    effect = '{ op = "scale", path = "profiles.laag.clients", factor = 1 }'
    stderr = errors(invoke("validate", scenario(base() + f"effects = [{effect}, {effect}]\n")))
    assert "variants.mono.effects: has 2 entries; the limit is 1" in stderr


def test_care_path_cell_limit(scenario, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PATH_CELLS", 0)
    stderr = errors(invoke("validate", scenario(base())))
    assert "profiles: care paths hold 1 entries; the limit is 0" in stderr


def test_deeply_nested_toml_is_an_error_not_a_crash(scenario):
    stderr = errors(invoke("validate", scenario("a = " + "[" * 100_000 + "]" * 100_000 + "\n")))
    assert "scenario.toml" in stderr


# ------------------------------------------------------------------ safe outputs


def test_interrupt_while_writing_leaves_no_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "uit.json"

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(target, "{}")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    target = tmp_path / "uit.csv"
    target.write_text("oud\n")

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        output.write_atomic(target, "nieuw\n")
    assert target.read_text() == "oud\n"
    assert [p.name for p in tmp_path.iterdir()] == ["uit.csv"]


def test_a_write_error_is_reported_with_exit_1(scenario, tmp_path, monkeypatch):
    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    result = invoke("compare", scenario(base()), "-f", "csv", "-o", tmp_path / "uit.csv")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "No space left on device" in result.stderr


def test_output_refuses_an_included_file(tmp_path):
    (tmp_path / "tarieven.toml").write_text('[parties.gemeente]\nrole = "payer"\n')
    main = tmp_path / "main.toml"
    main.write_text(base().replace("[scenario]\n", '[scenario]\ninclude = ["tarieven.toml"]\n'))
    before = (tmp_path / "tarieven.toml").read_bytes()
    result = invoke("compare", main, "-f", "csv", "-o", tmp_path / "tarieven.toml")
    assert result.exit_code == 2
    assert (tmp_path / "tarieven.toml").read_bytes() == before


def test_output_into_a_missing_folder_is_refused(scenario, tmp_path):
    result = invoke("compare", scenario(base()), "-f", "csv", "-o", tmp_path / "nergens" / "uit.csv")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


@pytest.fixture
def umask():
    """`umask(mask)` sets the process umask for the test; the old one is restored after."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077, 0o027], ids=oct)
def test_a_new_output_file_follows_the_umask(scenario, tmp_path, umask, mask):
    """Like any file a program creates: 0666 less the umask (it was 0600 whatever the umask)."""
    path = scenario(base())
    umask(mask)
    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"uit.{fmt}"
        assert invoke("compare", path, "-o", target).exit_code == 0
        assert target.stat().st_mode & 0o777 == 0o666 & ~mask, (fmt, oct(target.stat().st_mode))
    output.write_atomic(tmp_path / "direct.txt", "x")  # what init and calibrate write with
    assert (tmp_path / "direct.txt").stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("mode", [0o664, 0o640, 0o600, 0o444], ids=oct)
def test_an_overwritten_output_keeps_its_mode(scenario, tmp_path, umask, mode):
    """A shared 0664 file stays 0664 (the group keeps its access), whatever the umask."""
    target = tmp_path / "gedeeld.csv"
    target.write_text("oud\n")
    target.chmod(mode)
    umask(0o077)
    assert invoke("compare", scenario(base()), "-f", "csv", "-o", target).exit_code == 0
    assert target.read_text().startswith("variant,")  # the new content, written atomically
    assert target.stat().st_mode & 0o777 == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gedeeld.csv", "scenario.toml"]  # no temp left


def test_an_overwritten_output_keeps_its_group(tmp_path):
    target = tmp_path / "gedeeld.csv"
    target.write_text("oud\n")
    other = next((g for g in os.getgroups() if g != os.getegid()), None)
    if other is None and os.geteuid() == 0:
        other = 4321  # root may give a file any group
    if other is None:
        pytest.skip("no second group to give the file")
    os.chown(target, -1, other)
    output.write_atomic(target, "nieuw\n")
    assert target.read_text() == "nieuw\n"
    assert target.stat().st_gid == other


def test_an_overwritten_setuid_file_does_not_keep_the_setuid_bit(tmp_path):
    """The permissions are kept, not the special bits: new content is not the old program."""
    target = tmp_path / "uit.txt"
    target.write_text("oud\n")
    target.chmod(0o4755)
    output.write_atomic(target, "nieuw\n")
    assert target.stat().st_mode & 0o7777 == 0o755


# ------------------------------------------------------------------ determinism


@pytest.mark.parametrize(
    "fmt",
    [["-f", "json"], ["-f", "csv", "--table", "ledger"], pytest.param(["-f", "csv"], marks=pytest.mark.slow)],
)
def test_outputs_are_byte_identical_across_runs_and_hash_seeds(fmt, tmp_path):
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "bekostiging", "compare", "-w", "verplaatsing", *fmt],
            capture_output=True,
            env=env,
            cwd=tmp_path,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_results_do_not_depend_on_the_order_of_variants_in_the_file(scenario):
    variants = [
        '[variants.a]\neffects = [{ op = "scale", path = "profiles.laag.clients", factor = 2 }]\n',
        '[variants.b]\nmechanisms = [{ type = "bundle", price = 75 }]\n',
    ]
    first = invoke("compare", scenario(base() + "".join(variants), name="ab.toml"), "-f", "csv")
    second = invoke("compare", scenario(base() + "".join(variants[::-1]), name="ba.toml"), "-f", "csv")

    def rows(result) -> list[str]:
        assert result.exit_code == 0, result.stderr
        return sorted(result.stdout.splitlines())

    assert rows(first) == rows(second)


def test_the_scenario_in_memory_is_never_changed_by_variants(tmp_path):
    from bekostiging.api import compare
    from bekostiging.scenario.load import load_scenario

    path = tmp_path / "s.toml"
    path.write_text(
        base() + '[variants.x]\neffects = [{ op = "scale", path = "activities.*.tariff", factor = 3 }]\n'
    )
    scenario, _ = load_scenario(path)
    before = scenario.model_dump()
    compare(path)
    from bekostiging.engine.run import run

    run(scenario)
    assert scenario.model_dump() == before


def test_security_doc_lists_every_limit():
    text = (Path(__file__).resolve().parents[1] / "SECURITY.md").read_text(encoding="utf-8")
    for name in (
        "MAX_FILE_BYTES",
        "MAX_INCLUDE_DEPTH",
        "MAX_INPUT",
        "MAX_FLOW",
        "MAX_LEDGER_CENTS",
        "MAX_LIST",
        "MAX_DRAWS",
        "MAX_DRAW_CELLS",
        "MAX_PARAMS",
    ):
        assert name in text, name
    for section in limits.MAX_ENTRIES:
        assert section in text
