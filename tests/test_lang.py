"""One language and one number format per `--lang` (issue 16, item 12), and one spelling
of the error prefix on stderr (`error:`, CLI.md).

A Dutch text holds no English words of the catalogue and no amount written the English
way; an English text holds no Dutch words. The checks run the commands on the embedded
examples, so a formula, reason or label added later without a translation is caught.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import invoke

SRC = Path(__file__).resolve().parents[1] / "src" / "bekostiging"

# ------------------------------------------------------------------ error: on stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("compare", "--bogus"), "error: No such option: --bogus"),
        (("simulate", "--draws", "veel"), "error: Invalid value for '--draws'"),
        (("compare", "--lang", "xx"), "error: Invalid value for '--lang'"),
        (("compare", "--year", "twee"), "error: Invalid value for '--year'"),
    ],
)
def test_wrong_use_says_error_like_every_other_error(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Error" not in result.stderr and "╭" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("Usage: bekostiging ")


def test_no_capitalised_error_prefix_in_the_command_line_code():
    """Every message the CLI writes itself uses `error:` (the library's findings do too)."""
    for path in [*SRC.joinpath("cli").glob("*.py"), SRC / "findings.py"]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""["'`]Error[: ]""", text), path.name


# ------------------------------------------------------------------ explain


def english_only_words() -> set[str]:
    """Words of the English formula phrases that the Dutch ones do not use."""
    from bekostiging.formula import TEMPLATES, WORDS

    def words(texts) -> set[str]:
        return {w for t in texts for w in re.findall(r"[a-z][a-z-]{2,}", re.sub(r"\{\w+\}", " ", t.lower()))}

    phrases = [*TEMPLATES.values(), *WORDS.values()]
    return words(en for en, _ in phrases) - words(nl for _, nl in phrases)


def dutch_only_words() -> set[str]:
    from bekostiging.formula import TEMPLATES, WORDS

    def words(texts) -> set[str]:
        return {w for t in texts for w in re.findall(r"[a-z][a-zë-]{2,}", re.sub(r"\{\w+\}", " ", t.lower()))}

    phrases = [*TEMPLATES.values(), *WORDS.values()]
    return words(nl for _, nl in phrases) - words(en for en, _ in phrases)


NL_AMOUNT = re.compile(r"€ -?\d{1,3}(?:\.\d{3})*,\d{2,}")
EN_AMOUNT = re.compile(r"-?€\d{1,3}(?:,\d{3})*\.\d{2,}")
AMOUNT = re.compile(r"-?€ ?-?[\d.,]*\d")
RAW_NUMBER = re.compile(r"(?<![\d.,\w])\d{4,}(?![\d\w])")  # 1000 and more without a separator

# A variant with many kinds of flows per example (books, adoption, bundles, shares, ...).
EXPLAINED = [
    ("geboortezorg-regio", "profielen", "ziekenhuis"),
    ("geboortezorg-regio", "profielen", "zorgverzekeraar"),
    ("geboortezorg-regio", "integraal", "ziekenhuis"),
    ("geboortezorg-regio", "populatie", "zorgverzekeraar"),
    ("gedeelde-besparingen", "eenzijdig", "ziekenhuis"),
    ("gedeelde-besparingen", "tweezijdig", "zorgverzekeraar"),
    ("huisartsenpilot-limburg", "pilot", "huisartsen"),
    ("huisartsenpilot-limburg", "pilot_aanneemsom", "ziekenhuis"),
    ("preventie-gemeente", "gezamenlijk_budget", "gemeente"),
    ("caseload-verloskunde", "caseload_bundel", "verloskundigen"),
    ("hybride-ziekenhuis", "hybride", "ziekenhuis"),
    ("wijkverpleging-profielen", "maandtarief_profiel", "zorgverzekeraar"),
]


def explained(example: str, variant: str, party: str, lang: str) -> str:
    result = invoke("explain", example, "-v", variant, "-p", party, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    return " ".join(result.stdout.split())  # a long line wraps: read it as one


@pytest.mark.parametrize(("example", "variant", "party"), EXPLAINED)
def test_explain_in_dutch_has_no_english_words_and_dutch_amounts(example, variant, party):
    text = explained(example, variant, party, "nl")
    found = {w for w in english_only_words() if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)}
    assert not found, f"English in the Dutch explain: {sorted(found)}"
    amounts = AMOUNT.findall(text)
    assert amounts and all(NL_AMOUNT.fullmatch(a) for a in amounts), [
        a for a in amounts if not NL_AMOUNT.fullmatch(a)
    ]
    years = {str(y) for y in range(2000, 2100)}
    assert [n for n in RAW_NUMBER.findall(text) if n not in years] == []


@pytest.mark.parametrize(("example", "variant", "party"), EXPLAINED[:6])
def test_explain_in_english_has_no_dutch_words_and_english_amounts(example, variant, party):
    text = explained(example, variant, party, "en")
    found = {w for w in dutch_only_words() if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)}
    assert not found, f"Dutch in the English explain: {sorted(found)}"
    amounts = AMOUNT.findall(text)
    assert amounts and all(EN_AMOUNT.fullmatch(a) for a in amounts), [
        a for a in amounts if not EN_AMOUNT.fullmatch(a)
    ]
    years = {str(y) for y in range(2000, 2100)}
    assert [n for n in RAW_NUMBER.findall(text) if n not in years] == []


def test_the_issues_capitation_formula_in_both_languages():
    """`€ 82.44 × 262000 persons` in a Dutch sentence (the issue): now each factor named."""
    nl = explained("geboortezorg-regio", "populatie", "zorgverzekeraar", "nl")
    assert "€ 82,44 per persoon × 144.100 personen" in nl
    assert "capitatie" in nl
    en = explained("geboortezorg-regio", "populatie", "zorgverzekeraar", "en")
    assert "€82.44 per person × 144,100 persons" in en


def test_the_json_trace_keeps_the_plain_audit_formula():
    result = invoke("explain", "geboortezorg-regio", "-v", "populatie", "-p", "zorgverzekeraar", "-f", "json")
    assert "book zorgverzekeraar: € 82.44 per person × 144100 persons" in result.stdout


def test_every_phrase_and_component_has_both_languages():
    from bekostiging.engine.ledger import COMPONENTS
    from bekostiging.formula import TEMPLATES
    from bekostiging.report.i18n import labels

    for lang in ("nl", "en"):
        assert set(labels(lang).components) == set(COMPONENTS), lang
    for key, (en, nl) in TEMPLATES.items():
        assert set(re.findall(r"\{(\w+)\}", en)) == set(re.findall(r"\{(\w+)\}", nl)), key


# ------------------------------------------------------------------ calibrate


def test_the_calibrate_report_and_fragment_follow_lang(tmp_path):
    """The report on stderr and the fragment's comments: Dutch words and Dutch numbers by
    default, English with `--lang en`; the TOML itself is the same."""
    import os

    from support.synthetic import generate_claims, mapping_toml

    example = Path(__file__).resolve().parents[1] / "examples" / "geboortezorg-regio" / "scenario.toml"
    claims, mapping = tmp_path / "claims.parquet", tmp_path / "mapping.toml"
    truth = generate_claims(claims, clients=1500, seed=7)
    mapping.write_text(mapping_toml(truth, os.path.relpath(example, tmp_path)), encoding="utf-8")
    nl = invoke("calibrate", claims, "--mapping", mapping)
    en = invoke("calibrate", claims, "--mapping", mapping, "--lang", "en")
    assert nl.exit_code == 0 and en.exit_code == 0, nl.stderr + en.stderr
    assert nl.stderr.startswith("Kalibratie van ") and "declaratieregels" in nl.stderr
    assert en.stderr.startswith("Calibration of ") and "claim lines" in en.stderr
    for english in (
        "clients",
        "lines",
        "Profiles",
        "tariff",
        "without a profile",
        "Unmapped",
        "Price outliers",
    ):
        assert english not in nl.stderr, english
    assert not re.search(r"\d,\d{3}\b", nl.stderr.split("\n", 1)[1])  # no English thousands
    assert "# Gekalibreerd uit" in nl.stdout and "# Calibrated from" in en.stdout
    toml = [line for line in nl.stdout.splitlines() if not line.startswith("#")]
    assert toml == [line for line in en.stdout.splitlines() if not line.startswith("#")]
