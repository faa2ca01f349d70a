"""Totals files: `[[expect]]` on the sum of several scenarios (docs/cli.md, `check`)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

import bekostiging as bk
from bekostiging import examples
from conftest import invoke, write

REGION = """
[scenario]
name = "Regio"
baseline = "mono"
default_payer = "zvw"

[parties.zvw]
role = "payer"
[parties.vk]
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

[[expect]]
variant = "meer"
party = "vk"
metric = "delta"
min = 1500
max = 1500
"""


def _regions(tmp_path: Path) -> Path:
    """Two regions of 10 clients x 1.5 units x € 100 (€ 1,500 each today) in tmp/regios/."""
    folder = tmp_path / "regios"
    folder.mkdir()
    for name in ("a.toml", "b.toml"):
        (folder / name).write_text(REGION, encoding="utf-8")
    return folder


def _outcomes(result) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_a_totals_file_checks_the_sum_of_its_scenarios(tmp_path):
    _regions(tmp_path)
    write(
        tmp_path / "landelijk.toml",
        """
        [totals]
        scenarios = ["regios"]

        [[expect]]
        variant = "mono"
        party = "zvw"
        metric = "payments"
        min = 3000
        max = 3000

        [[expect]]
        variant = "meer"
        party = "vk"
        metric = "delta_pct"
        min = 100
        max = 100
        """,
    )
    result = invoke("check", tmp_path, "-f", "csv")
    assert result.exit_code == 0, result.stdout + result.stderr
    rows = _outcomes(result)
    totals = [r for r in rows if r["file"].endswith("landelijk.toml")]
    assert [(r["metric"], Decimal(r["value"]), r["passed"]) for r in totals] == [
        ("payments", Decimal(3000), "true"),
        ("delta_pct", Decimal(100), "true"),
    ]
    # the scenarios' own checks run too, one per file
    own = [(Path(r["file"]).name, r["metric"], r["passed"]) for r in rows if r not in totals]
    assert own == [("a.toml", "delta", "true"), ("b.toml", "delta", "true")]


def test_a_total_outside_its_band_fails_the_check(tmp_path):
    _regions(tmp_path)
    totals = write(
        tmp_path / "landelijk.toml",
        """
        [totals]
        name = "Twee regio's"
        scenarios = ["regios/a.toml", "regios/b.toml"]

        [[expect]]
        variant = "mono"
        party = "zvw"
        metric = "payments"
        max = 1500
        """,
    )
    result = invoke("check", totals, "-f", "csv")
    assert result.exit_code == 1
    (row,) = [r for r in _outcomes(result) if r["file"] == str(totals)]
    assert row["passed"] == "false" and Decimal(row["value"]) == 3000
    assert "is above max 1500" in row["reason"]


EXPECT = '[[expect]]\nvariant = "mono"\nparty = "zvw"\nmetric = "net"\nmin = 0\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[totals]\nscenarios = []\n", "totals.scenarios"),
        (
            '[totals]\nscenarios = ["nergens"]\n' + EXPECT,
            "does not exist",
        ),
        (
            '[totals]\nscenarios = ["regios"]\nbogus = 1\n' + EXPECT,
            "totals.bogus",
        ),
    ],
)
def test_an_invalid_totals_file_is_reported(tmp_path, body, message):
    _regions(tmp_path)
    totals = tmp_path / "landelijk.toml"
    totals.write_text(body, encoding="utf-8")
    result = invoke("check", totals)
    assert result.exit_code == 1
    assert message in result.stderr


@pytest.mark.slow
def test_the_national_example_passes_its_published_figure_checks():
    folder = examples.folder_of("geboortezorg-nationaal")
    result = invoke("check", folder, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = _outcomes(result)
    national = [r for r in rows if r["file"].endswith("landelijke-cijfers.toml")]
    assert [(r["subject"], r["passed"]) for r in national] == [
        ("zorgverzekeraar", "true"),
        ("ziekenhuis", "true"),
        ("verloskundigen", "true"),
        ("kraamzorg", "true"),
    ]
    assert len(rows) == 71 * 2 + 4
    # the sum is the `total` of `compare`: the insurer's payments today
    total = bk.compare(folder / "regios", variants=["mono"]).total_results
    insurer = total.filter((total["party"] == "zorgverzekeraar") & (total["variant"] == "mono"))
    assert Decimal(national[0]["value"]) == insurer["payments"][0]
