"""Bad input for CONTRACTS.md A and C, one broken thing at a time (as tests/test_validation.py):
exit 1, every problem located as `error: <file>: <dotted.path>: <message>`, "did you mean"
for a name close to a valid one, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from test_validation import (
    BASE,
    FILE,
    add,
    assert_invalid,
    assert_valid,
    error_lines,
    extra_variant,
    validate,
)

GEMEENTE = '[parties.gemeente]\nrole = "payer"'


@pytest.fixture(autouse=True)
def _inside_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path so findings name files relatively (`scenario.toml`)."""
    monkeypatch.chdir(tmp_path)


def with_gemeente(body: str) -> str:
    """BASE with a second payer and a variant `extra` holding one mechanism."""
    return add(GEMEENTE, text=extra_variant(body))


AT = "variants.extra.mechanisms.0"

# ================================================================ valid uses


@pytest.mark.parametrize(
    "body",
    [
        'type = "shared_savings"\nsharing_rate = 0.5\nrecipients = ["gemeente", "ziekenhuis"]\n'
        'distribution = "investment"',
        'type = "quality"\nrecipients = { gemeente = 0.5, ziekenhuis = 0.5 }\npool = 1000\nscore = 1',
        'type = "revenue_guarantee"\nparty = "gemeente"\nfloor = 1',
        'type = "transfer"\nfrom = "zorgverzekeraar"\nto = "gemeente"\nshare_of_savings = 0.5',
        'type = "transfer"\nfrom = "client"\nto = "vsv"\nfixed = 10\nper_client = 1\nprofiles = ["zwanger"]',
        'type = "collaboration"\ncontributors = { zorgverzekeraar = 0.6, gemeente = 0.4 }\n'
        'recipient = "vsv"\nfixed = 1000',
        'type = "availability"\ncontributors = { zorgverzekeraar = 0.6, gemeente = 0.4 }',
        'type = "capitation"\ncontributors = { gemeente = 1 }\namount = 10\npopulation = 100',
    ],
    ids=[
        "savings to a payer",
        "quality to a payer",
        "guarantee of a payer",
        "transfer",
        "transfer any role",
        "collaboration contributors",
        "availability contributors",
        "capitation contributors",
    ],
)
def test_new_keys_validate(scenario: Callable[..., Path], body: str) -> None:
    assert_valid(scenario, with_gemeente(body))


def test_fixed_cost_validates_and_computes(scenario: Callable[..., Path]) -> None:
    text = BASE.replace(
        '[parties.vsv]\nrole = "network"', '[parties.vsv]\nrole = "network"\nfixed_cost = 1000'
    )
    assert_valid(scenario, text)


# ================================================================ A. fixed_cost


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("-5", "must be >= 0"), ("10.005", "at most 2 decimals"), ('"veel"', "must be a number")],
)
def test_bad_fixed_cost(scenario: Callable[..., Path], value: str, fragment: str) -> None:
    text = BASE.replace(
        '[parties.vsv]\nrole = "network"', f'[parties.vsv]\nrole = "network"\nfixed_cost = {value}'
    )
    assert_invalid(validate(scenario, text), FILE, "parties.vsv.fixed_cost", fragment)


def test_dated_fixed_cost_needs_a_horizon_and_a_first_year(scenario: Callable[..., Path]) -> None:
    dated = BASE.replace(
        '[parties.vsv]\nrole = "network"', '[parties.vsv]\nrole = "network"\nfixed_cost = { 2026 = 1000 }'
    )
    assert_invalid(
        validate(scenario, dated), FILE, "parties.vsv.fixed_cost", "a table by year needs a [horizon]"
    )
    result = validate(scenario, add("[horizon]\nstart = 2025\nyears = 2", text=dated))
    assert_invalid(result, FILE, "parties.vsv.fixed_cost", "has no value for 2025: its table starts in 2026")


# ================================================================ C. payers that receive


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (
            'type = "shared_savings"\nsharing_rate = 0.5\nrecipients = ["zorgverzekeraar"]',
            f"{AT}.recipients.0",
        ),
        (
            'type = "quality"\npayer = "gemeente"\nrecipients = { gemeente = 1 }\npool = 10\nscore = 1',
            f"{AT}.recipients.gemeente",
        ),
        (
            'type = "quality"\ncontributors = { zorgverzekeraar = 0.5, gemeente = 0.5 }\n'
            'recipients = ["gemeente"]\npool = 10\nscore = 1',
            f"{AT}.recipients.gemeente",
        ),
        ('type = "revenue_guarantee"\nparty = "zorgverzekeraar"\nfloor = 1', f"{AT}.party"),
    ],
    ids=["savings", "quality", "quality contributor", "guarantee (default payer)"],
)
def test_a_payer_cannot_receive_from_itself(scenario: Callable[..., Path], body: str, path: str) -> None:
    assert_invalid(validate(scenario, with_gemeente(body)), FILE, path, "pays this mechanism", "cannot also")


def test_a_client_is_still_no_recipient_and_a_ceiling_still_caps_providers(scenario) -> None:
    body = 'type = "shared_savings"\nsharing_rate = 0.5\nrecipients = ["client"]'
    result = validate(scenario, with_gemeente(body))
    assert_invalid(
        result, FILE, f"{AT}.recipients.0", "'client' has role 'client'", "provider or network or payer"
    )
    result = validate(scenario, with_gemeente('type = "ceiling"\namount = 5\nparty = "gemeente"'))
    assert_invalid(result, FILE, f"{AT}.party", "'gemeente' has role 'payer'", "provider or network")


# ================================================================ C. transfer


@pytest.mark.parametrize(
    ("body", "path", "fragments"),
    [
        (
            'type = "transfer"\nfrom = "zorgverzekeraars"\nto = "gemeente"\nfixed = 1',
            f"{AT}.from",
            ("unknown party 'zorgverzekeraars'", "did you mean 'zorgverzekeraar'"),
        ),
        (
            'type = "transfer"\nfrom = "zorgverzekeraar"\nto = "gemeent"\nfixed = 1',
            f"{AT}.to",
            ("unknown party 'gemeent'", "did you mean 'gemeente'"),
        ),
        (
            'type = "transfer"\nfrom = "gemeente"\nto = "gemeente"\nfixed = 1',
            f"{AT}.to",
            ("`from` and `to` are the same party 'gemeente'",),
        ),
        (
            'type = "transfer"\nfrom = "zorgverzekeraar"\nto = "gemeente"',
            AT,
            ("at least one of `fixed`, `per_client` and `share_of_savings`",),
        ),
        (
            'type = "transfer"\nfrom = "zorgverzekeraar"\nto = "gemeente"\nfixed = 1\nprofiles = ["zwanger"]',
            f"{AT}.profiles",
            ("give `per_client`",),
        ),
        (
            'type = "transfer"\nfrom = "zorgverzekeraar"\nto = "gemeente"\nper_client = 1\n'
            'profiles = ["zwangr"]',
            f"{AT}.profiles.0",
            ("unknown profile 'zwangr'", "did you mean 'zwanger'"),
        ),
        (
            'type = "transfer"\nfrom = "zorgverzekeraar"\nto = "gemeente"\nshare_of_savings = 1.5',
            f"{AT}.share_of_savings",
            ("must lie in [0, 1]",),
        ),
        (
            'type = "transfer"\nfrom = "zorgverzekeraar"\nto = "gemeente"\nfixed = 1.001',
            f"{AT}.fixed",
            ("at most 2 decimals",),
        ),
        (
            'type = "transfer"\npayer = "zorgverzekeraar"\nto = "gemeente"\nfixed = 1',
            f"{AT}.payer",
            ("unknown key 'payer'",),
        ),
    ],
    ids=[
        "unknown from",
        "unknown to",
        "from is to",
        "no amount",
        "profiles without per_client",
        "unknown profile",
        "share above 1",
        "fixed decimals",
        "payer instead of from",
    ],
)
def test_bad_transfer(scenario: Callable[..., Path], body: str, path: str, fragments: tuple) -> None:
    assert_invalid(validate(scenario, with_gemeente(body)), FILE, path, *fragments)


# ================================================================ C. contributors

POOL = 'type = "collaboration"\nrecipient = "vsv"\nfixed = 1000\n'


@pytest.mark.parametrize(
    ("body", "path", "fragments"),
    [
        (
            POOL + "contributors = { zorgverzekeraars = 0.6, gemeente = 0.4 }",
            f"{AT}.contributors.zorgverzekeraars",
            ("unknown party 'zorgverzekeraars'", "did you mean 'zorgverzekeraar'"),
        ),
        (
            POOL + "contributors = { zorgverzekeraar = 0.6, gemeente = 0.3 }",
            f"{AT}.contributors",
            ("shares must add up to 1, got 0.9",),
        ),
        (
            POOL + 'payer = "zorgverzekeraar"\ncontributors = { zorgverzekeraar = 0.6, gemeente = 0.4 }',
            f"{AT}.contributors",
            ("give `payer` or `contributors`, not both",),
        ),
        (
            'type = "quality"\nrecipients = "tariffs"\npool_rate = 0.01\nscore = 1\n'
            "contributors = { zorgverzekeraar = 0.6, gemeente = 0.4 }",
            f"{AT}.contributors",
            ("`pool_rate`", "give `pool`"),
        ),
        (
            POOL + "contributors = { market = 0.6, gemeente = 0.4 }",
            f"{AT}.contributors.market",
            ('"market" is not a contributor',),
        ),
        (
            POOL + "contributors = { ziekenhuis = 0.6, gemeente = 0.4 }",
            f"{AT}.contributors.ziekenhuis",
            ("contributor 'ziekenhuis' has role 'provider'", "must be payer"),
        ),
        (
            'type = "bundle"\nprice = 1000\ncontributors = { zorgverzekeraar = 1.2, gemeente = -0.2 }',
            f"{AT}.contributors",
            ("share of zorgverzekeraar must lie in [0, 1]",),
        ),
        (
            'type = "ceiling"\namount = 5\ncontributors = { zorgverzekeraar = 1 }',
            f"{AT}.contributors",
            ("unknown key 'contributors'",),
        ),
    ],
    ids=[
        "unknown contributor",
        "shares do not sum to 1",
        "with payer",
        "with pool_rate",
        "market",
        "not a payer",
        "share out of range",
        "not on a ceiling",
    ],
)
def test_bad_contributors(scenario: Callable[..., Path], body: str, path: str, fragments: tuple) -> None:
    assert_invalid(validate(scenario, with_gemeente(body)), FILE, path, *fragments)


def test_contributors_need_no_default_payer(scenario: Callable[..., Path]) -> None:
    """The generic payer check is skipped: contributors name who pays."""
    text = with_gemeente(POOL + "contributors = { zorgverzekeraar = 0.6, gemeente = 0.4 }")
    text = text.replace('default_payer = "zorgverzekeraar"\n', "").replace(
        "tariff = 100.00\n", 'tariff = 100.00\npayer = "zorgverzekeraar"\n'
    )
    text = text.replace("tariff = 50.00\n", 'tariff = 50.00\npayer = "zorgverzekeraar"\n').replace(
        "tariff = 2000.00\n", 'tariff = 2000.00\npayer = "zorgverzekeraar"\n'
    )
    assert_valid(scenario, text)
    # without contributors the same mechanism needs a payer
    result = validate(scenario, text.replace("contributors = { zorgverzekeraar = 0.6, gemeente = 0.4 }", ""))
    assert_invalid(result, FILE, f"{AT}.payer", "no payer")
    assert len(error_lines(result)) == 1


def test_investment_is_a_shared_savings_key(scenario: Callable[..., Path]) -> None:
    body = (
        'type = "shared_savings"\nsharing_rate = 0.5\nrecipients = ["ziekenhuis"]\n'
        'distribution = "investment"'
    )
    assert_valid(scenario, with_gemeente(body))
    result = validate(scenario, with_gemeente(body.replace('"investment"', '"investering"')))
    assert_invalid(result, FILE, f"{AT}.distribution", "'investment'")
