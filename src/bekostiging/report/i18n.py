"""The one label catalogue: every text a person reads in a table, sheet or report, nl and en.

Grouped by what the text names: `columns` (the figures' column names), `titles` (table
titles by table name), `words` (small words in cells and headings), `roles`, `steps` (the
attribution steps: `care`, each mechanism stage as its registry entry names it, and
`adoption`), `report` (the HTML report's own texts), `uncertainty` (the tables of
`simulate` and `sensitivity`), `sources` (the xlsx sheet of sources), `checks` (the `check`
table), `explain` (the `explain` tree) and `components` (the ledger's components). Column,
table and component *names* are the contract (CLI.md) and stay English; only what they are
shown as changes. The formulas `explain` shows have their own phrases, in
`bekostiging.formula`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bekostiging.mechanisms import STAGE_LABELS  # each mechanism names its own step

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Labels:
    columns: Mapping[str, str]
    titles: Mapping[str, str]
    words: Mapping[str, str]
    roles: Mapping[str, str]
    steps: Mapping[str, str]
    report: Mapping[str, Any]
    uncertainty: Mapping[str, str]
    sources: Mapping[str, str]
    checks: Mapping[str, str]
    explain: Mapping[str, str]
    components: Mapping[str, str]  # ledger component id -> its name (CLI.md keeps the ids)
    solve: Mapping[str, str]  # `solve`'s table
    frontier: Mapping[str, str]  # `frontier`'s summary, heat map and page


def labels(lang: str) -> Labels:
    """The labels of one language; raises `ValueError` for a language there are none for."""
    if lang not in CATALOGUE:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    return CATALOGUE[lang]


# `solve` (issue 18): the answer's table, per language.
SOLVE = {
    "nl": {
        "title": "Oplossing: {path}",
        "target": "Doel",
        "value": "Waarde",
        "achieved": "Bereikt",
        "difference": "Verschil met het doel",
        "status": "Status",
        "met": "gehaald",
        "closest": "zo dicht mogelijk: het cijfer springt over het doel heen",
        "out_of_reach": "buiten bereik binnen het bereik van de parameter",
        "method": "Methode",
        "end": "een grens van het bereik",
        "affine": "lineair: exact uit de twee grenzen, gecontroleerd met een derde evaluatie",
        "bisection": "insluiten en halveren",
        "evaluations": "Evaluaties",
        "range": "Bereik van de parameter",
        "reachable": "Bereikbaar cijfer",
        "other": "Aan de andere kant van de sprong",
        "minimised": "Geminimaliseerd",
        "spend": "uitgaven van {party}",
        "all_payers": "uitgaven van alle betalers",
        "npv": "contante waarde {first}–{last}",
        "in_year": "in {year}",
        "check": "Controle: bekostiging compare {command}",
        "points": "Evaluaties",
        "to": "t/m",
        "margin": "Δ marge bij deze waarde",
        "margin_note": (
            "{party} heeft kosten, die meebewegen met de zorg die het levert: heel op het saldo "
            "is niet heel op wat het overhoudt. Heel houden op de marge: --target {target}"
        ),
    },
    "en": {
        "title": "Solution: {path}",
        "target": "Target",
        "value": "Value",
        "achieved": "Achieved",
        "difference": "Difference from the target",
        "status": "Status",
        "met": "met",
        "closest": "as close as it gets: the figure jumps over the target",
        "out_of_reach": "out of reach within the parameter's range",
        "method": "Method",
        "end": "an end of the range",
        "affine": "affine: exact from the two ends, verified by a third evaluation",
        "bisection": "bracketing and bisection",
        "evaluations": "Evaluations",
        "range": "Range of the parameter",
        "reachable": "Reachable figure",
        "other": "On the other side of the jump",
        "minimised": "Minimised",
        "spend": "spend of {party}",
        "all_payers": "spend of every payer",
        "npv": "net present value {first}–{last}",
        "in_year": "in {year}",
        "check": "Check: bekostiging compare {command}",
        "points": "Evaluations",
        "to": "to",
        "margin": "Δ margin at this value",
        "margin_note": (
            "{party} has costs that move with the care it delivers: whole on its net is not "
            "whole on what it keeps. To keep its margin whole: --target {target}"
        ),
    },
}

# `frontier` (issue 18): the negotiation space's summary, heat map and page, per language.
FRONTIER = {
    "nl": {
        "title": "Onderhandelingsruimte: {variant} ten opzichte van {baseline}",
        "npv": "contante waarde van Δ saldo over {first}–{last} (discontovoet {rate})",
        "year": "Δ saldo in {year}",
        "delta": "Δ saldo",
        "npv_margin": "contante waarde van Δ marge over {first}–{last} (discontovoet {rate})",
        "year_margin": "Δ marge in {year}",
        "delta_margin": "Δ marge",
        "costly_note": (
            "{parties}: heeft kosten, en Δ saldo telt die niet mee; wie minder zorg levert, "
            "houdt met hetzelfde saldo meer over, en een netwerk met een bureau minder. "
            "Gemeten op wat ze overhouden: --figure margin."
        ),
        "margin_note": (
            "Δ marge: Δ saldo min de verandering van de kosten (de zorg en vaste kosten van de "
            "variant, gelijk op elk punt: betalingsvoorwaarden veranderen de zorg niet). Met "
            "kosten: {parties}; een partij zonder kosten telt met haar Δ saldo."
        ),
        "parties": "Partijen: {parties}; figuur: {metric}",
        "grid": "Rooster: {shape} = {size} punten",
        "line": "Rooster: {size} punten",
        "region": "Ruimte (elke partij Δ ≥ 0): {count} van {size} punten",
        "no_region": "Ruimte: leeg; op geen punt gaat elke partij erop vooruit of blijft ze gelijk",
        "range": "  {path}: {low} tot en met {high}",
        "points": "De twee punten",
        "max_min": "max-min",
        "nash": "Nash",
        "inside": "in de ruimte",
        "outside": "buiten de ruimte",
        "max_min_note": "Max-min: het grootste kleinste Δ over het hele rooster ({where}).",
        "nash_note": "Nash: het grootste product van de winsten, binnen de ruimte.",
        "nash_empty": "Nash: geen punt, de ruimte is leeg.",
        "nash_zero": "Nash: geen punt; in de hele ruimte wint minstens één partij niets (elk product is 0).",
        "ties": "Bij gelijke waarden het eerste punt van het rooster.",
        "map": (
            "Kaart: █ in de ruimte, · erbuiten, M max-min, N Nash, * beide; "
            "rijen: {rows}, kolommen: {columns}"
        ),
        "map_wide": "(de kaart past niet in {width} kolommen; zie -o ruimte.svg)",
        "kind": "Punt",
        "point": "Nr.",
        "min_delta": "Kleinste Δ",
        "feasible": "In de ruimte",
        "marker": "Markering",
        "party_delta": "Δ {party}",
        "chart_title": "Kleinste Δ van {parties}: {variant}",
        "line_title": "Δ per partij: {variant}",
        "legend_region": "ruimte (elke partij ≥ 0)",
        "legend_gain": "kleinste Δ ≥ 0",
        "legend_loss": "kleinste Δ < 0",
        "legend_scale": "Hoe donkerder, hoe verder van 0 (tot {amount})",
        "page": "Onderhandelingsruimte",
        "grid_table": "Het rooster",
    },
    "en": {
        "title": "Negotiation space: {variant} against {baseline}",
        "npv": "net present value of Δ net over {first}–{last} (discount rate {rate})",
        "year": "Δ net in {year}",
        "delta": "Δ net",
        "npv_margin": "net present value of Δ margin over {first}–{last} (discount rate {rate})",
        "year_margin": "Δ margin in {year}",
        "delta_margin": "Δ margin",
        "costly_note": (
            "{parties}: has costs, which Δ net leaves out; a party that delivers less care "
            "keeps more of the same net, and a network with a bureau less. Measured on what "
            "they keep: --figure margin."
        ),
        "margin_note": (
            "Δ margin: Δ net less the change of cost (the variant's care and fixed costs, the "
            "same at every point: payment terms do not change the care). With costs: "
            "{parties}; a party without costs counts with its Δ net."
        ),
        "parties": "Parties: {parties}; figure: {metric}",
        "grid": "Grid: {shape} = {size} points",
        "line": "Grid: {size} points",
        "region": "Region (every party Δ ≥ 0): {count} of {size} points",
        "no_region": "Region: empty; at no point is every party at least as well off",
        "range": "  {path}: {low} to {high}",
        "points": "The two points",
        "max_min": "max-min",
        "nash": "Nash",
        "inside": "in the region",
        "outside": "outside the region",
        "max_min_note": "Max-min: the largest smallest Δ over the whole grid ({where}).",
        "nash_note": "Nash: the largest product of the gains, inside the region.",
        "nash_empty": "Nash: no point, the region is empty.",
        "nash_zero": "Nash: no point; in the whole region some party gains nothing (every product is 0).",
        "ties": "Ties go to the first point of the grid.",
        "map": "Map: █ in the region, · outside, M max-min, N Nash, * both; rows: {rows}, columns: {columns}",
        "map_wide": "(the map does not fit in {width} columns; see -o space.svg)",
        "kind": "Point",
        "point": "No.",
        "min_delta": "Smallest Δ",
        "feasible": "In the region",
        "marker": "Marker",
        "party_delta": "Δ {party}",
        "chart_title": "Smallest Δ of {parties}: {variant}",
        "line_title": "Δ per party: {variant}",
        "legend_region": "region (every party ≥ 0)",
        "legend_gain": "smallest Δ ≥ 0",
        "legend_loss": "smallest Δ < 0",
        "legend_scale": "The darker, the further from 0 (up to {amount})",
        "page": "Negotiation space",
        "grid_table": "The grid",
    },
}


CATALOGUE = {
    "nl": Labels(
        columns={
            "party": "Partij",
            "scenario": "Scenario",
            "role": "Rol",
            "revenue": "Opbrengsten",
            "payments": "Betalingen",
            "net": "Saldo",
            "delta": "Δ saldo",
            "delta_pct": "Δ %",
            "cost": "Kosten",
            "margin": "Marge",
            "margin_delta": "Δ marge",
            "component": "Component",
            "function": "Functie",
            "annual_cost": "Jaarkosten",
            "embedded": "In tarieven",
            "separate": "Apart",
            "coverage": "Dekking",
            "gap": "Tekort",
            "payer": "Betaler",
            "benchmark": "Benchmark",
            "actual": "Werkelijk",
            "savings": "Besparing",
            "savings_rate": "Besparing %",
            "eligible": "Recht op deling",
            "outcome": "Uitkomst",
            "reason": "Reden",
            "payout": "Uitkering",
            "reinvested": "Geherinvesteerd",
            "recipients": "Verdeling",
            "variant": "Variant",
            "payer_spend": "Uitgaven betalers",
            "client_copay": "Eigen bijdragen",
            "total": "Totaal",
            "payee": "Ontvanger",
            "profile": "Profiel",
            "activity": "Activiteit",
            "amount": "Bedrag",
            "paid": "Betaald",
            "fair_share": "Deel naar marktaandeel",
            "free_ride": "Meelifter",
            "npv_delta": "Contante waarde Δ saldo",
            "npv_margin_delta": "Contante waarde Δ marge",
            "payback_year": "Terugverdiend in",
            "year": "Jaar",
            "party_name": "Naam partij",
            "payer_name": "Naam betaler",
            "payee_name": "Naam ontvanger",
            "recipient_name": "Naam ontvanger",
            # a client's journey (`journey`)
            "activity_name": "Naam activiteit",
            "provider": "Aanbieder",
            "units": "Eenheden per cliënt",
            "kind": "Soort",
            "per_client": "Per cliënt",
            "clients": "Cliënten",
            "region_clients": "Cliënten in de regio",
            "direct": "Direct",
            "copay": "Eigen bijdrage",
            "share": "Aandeel",
            # bekostiging diff
            "figure": "Cijfer",
            "old": "Oud",
            "new": "Nieuw",
            "change": "Verschil",
            "npv_net": "Contante waarde saldo",
            "npv_margin": "Contante waarde marge",
            "path": "Invoer",
            "set_in": "In bestand",
            "file": "Bestand",
            "rank": "Rang",
        },
        titles={
            "results": "Geldstromen per partij",
            "overview": "Saldo per partij en verschil met de basis (details: --table results)",
            "by": "Uitsplitsing",
            "attribution": "Waar komt het verschil vandaan",
            "total": "Totaal over alle scenario's",
            "horizon": "Over de hele periode: contante waarde en terugverdienjaar",
            "by_year": "Δ saldo per jaar",
            "components": "Per component",
            "availability": "Dekking van de beschikbaarheidsfuncties",
            "shared_savings": "Gedeelde besparingen",
            "totals": "Totale uitgaven per variant",
            "ledger": "Grootboek",
            "journey": "Reis van een cliënt",
            "path": "Zorgpad: verwachte eenheden per cliënt",
            "payments": "Wie krijgt wat voor haar (per cliënt)",
            "summary": "Totaal per cliënt",
            "by_scenario": "Winnaars en verliezers per regio: {variant}",
        },
        words={
            "yes": "ja",
            "no": "nee",
            "baseline": "basis",
            "sum": "Som",
            "whatifs": "Wat-als",
            # a settlement's outcome and reason (the shared_savings table on screen)
            "payout": "uitkering",
            "repayment": "terugbetaling",
            "none": "geen",
            "below_msr": "onder de drempel",
            "gate_failed": "kwaliteit onder de poort",
            "capped": "begrensd",
            "below_mlr": "onder de verliesdrempel",
            "one_sided": "eenzijdig",
            # the summary over a horizon on screen, and how to see its years
            "horizon_period": "{first}-{last}, verschil met de basis: {baseline}",
            "unchanged_left_out": "Partijen zonder verschil in een variant zijn weggelaten.",
            "years_hint": (
                "Per jaar: --year JAAR ({first}-{last}) voor één jaar, --all-years voor alle jaren."
            ),
            # a client's journey (`journey`)
            "journey_head": "{profile}: één cliënt van {clients}{year}",
            "journey_year": ", {year}",
            "kind_direct": "direct",
            "kind_share": "aandeel",
            "share_note": (
                "Aandeel: geld per populatie (beschikbaarheid, samenwerking, capitatie, gedeelde "
                "besparingen, ...) gedeeld door alle {clients} cliënten van de regio: haar deel, "
                "geen zorg die zij krijgt. Direct: betalers voor haar zorg; eigen bijdrage: zijzelf. "
                "Een aandeel is een gemiddelde over alle profielen: waar een variant veel per populatie "
                "betaalt (een aanneemsom, capitatie), zegt haar totaal minder over wat haar zorg kost; "
                "vergelijk varianten dan op haar zorgpad en op Direct."
            ),
            # bekostiging diff
            "diff_heading": "Van {old} naar {new}",
            "diff_inputs": "Invoer die verschilt ({count})",
            "diff_no_inputs": "Geen invoer verschilt.",
            "diff_variant": "Cijfers die veranderen: {variant}",
            "diff_npv": "(contante waarde {first}-{last})",
            "diff_all_years": "{first}-{last}",
            "diff_totals": "Totale uitgaven die veranderen",
            "diff_unchanged": "{count} cijfers zijn gelijk gebleven (csv en json tonen alle cijfers).",
            "diff_no_figures": "Geen cijfer verandert.",
            "diff_none": "Geen verschil: de invoer en alle cijfers zijn gelijk.",
            "diff_added": "{file}: alleen in de nieuwe map (toegevoegd); zijn cijfers staan tegenover niets.",
            "diff_removed": "{file}: alleen in de oude map (verwijderd); zijn cijfers staan tegenover niets.",
            # compare --by scenario: the regions of a variant, sorted
            "care_parties": "Aanbieders en netwerken",
            "by_scenario_sorted": (
                "{what} ten opzichte van {baseline}; gesorteerd op {key}, grootste winst bovenaan"
            ),
        },
        roles={"payer": "betaler", "provider": "aanbieder", "client": "cliënt", "network": "netwerk"},
        steps={"care": "zorg", **STAGE_LABELS["nl"], "adoption": "adoptie"},
        report={
            "report": "Rapport",
            "contents": "Inhoud",
            "baseline": "Basis",
            "whatifs": "Wat-als",
            "overrides": "Aangepaste invoer (--set)",
            "none": "geen",
            "variants": "Varianten",
            "scenarios": "Scenario's",
            "total_of": "Totaal van {count} scenario's",
            "year": "Jaar",
            "year_note": "Secties 1 tot en met 5 tonen het jaar {year}; sectie 6 de hele periode.",
            "many_note": (
                "Dit rapport telt {count} scenario's op: de grafieken tonen de som per partij over "
                "alle scenario's; de tabel per scenario staat in sectie 1."
            ),
            "s_saldo": "Saldo per partij",
            "saldo": "Saldo per partij per variant",
            "verschil": "Verschil met de basis ({baseline})",
            "saldo_note": "Positief: de partij ontvangt per saldo; negatief: de partij betaalt per saldo.",
            "verschil_note": (
                "Δ saldo van elke variant ten opzichte van de basis; "
                "boven de as gaat een partij erop vooruit."
            ),
            "per_scenario": "Totale uitgaven per scenario: basis en verschil per variant",
            "only_baseline": "Alleen de basis is berekend: er is geen verschil te tonen.",
            "s_geldstromen": "Geldstromen",
            "geldstromen": "Geldstromen: {variant}",
            "columns": ("Betalers en cliënt", "Netwerken en hoofdaannemers", "Aanbieders"),
            "flow_note": (
                "De breedte van een band is evenredig met het bedrag. Terugbetalingen (zoals een "
                "plafond) zijn verrekend met de betaling waar ze tegenover staan."
            ),
            "flow_other": (
                "De geldstromen van een andere variant: kies een andere geldstromenvariant ({ids})."
            ),
            "not_drawn": "Niet getekend (stroomt niet van links naar rechts): {flows}.",
            "flows_table": "Geldstromen per betaler en ontvanger: {variant}",
            "s_waterval": "Waar komt het verschil vandaan",
            "waterval": "Waar komt het verschil vandaan: stappen per partij",
            "waterval_note": (
                "Elke stap schakelt één onderdeel van de variant in (eerst de veranderde zorg, dan "
                "elk mechanisme); samen tellen ze op tot het Δ saldo. "
                "Partijen zonder verschil zijn weggelaten."
            ),
            "no_attribution": "Geen uitsplitsing berekend: maak het rapport met attribution=True.",
            "s_dekking": "Dekking van de beschikbaarheidsfuncties",
            "dekking": "Dekking van de beschikbaarheidsfuncties (jaarkosten = 100%)",
            "dekking_note": (
                "Per functie de jaarkosten als 100%: het deel in de tarieven en de aparte "
                "bekostiging gestapeld; het tekort tot 100% rood omlijnd."
            ),
            "no_availability": "Dit scenario heeft geen beschikbaarheidsfuncties.",
            "s_besparingen": "Gedeelde besparingen",
            "besparingen": "Gedeelde besparingen: benchmark, werkelijk, uitkering en verdeling",
            "besparingen_note": (
                "Boven: de benchmark tegen de werkelijke uitgaven, de besparing rood omlijnd. "
                "Onder: hoe de besparing is verdeeld."
            ),
            "kept": "behouden door {payer}",
            "split_table": "Verdeling van de besparing",
            "no_payout": "Geen uitkering.",
            "no_settlements": "Geen gedeelde besparingen in dit scenario.",
            "eligible_count": "{count} van {total}",
            "s_horizon": "Over de jaren",
            "horizon": "Δ saldo per jaar",
            "horizon_note": "Per variant het verschil met de basis per partij, per jaar.",
            "horizon_table": "Δ saldo per jaar per partij",
            "no_horizon": "Geen [horizon]: de cijfers gelden voor één jaar.",
            "s_herkomst": "Herkomst",
            "tool": "Gemaakt met",
            "file": "Bestand",
            "sha256": "sha256",
            "inputs": "Invoerbestanden",
            "scenario_file": "Scenariobestand",
            "table_hint": "De tabel onder de grafiek bevat dezelfde cijfers.",
            "s_regios": "Winnaars en verliezers per regio",
            "regios": "Winnaars en verliezers per regio: {what} per partij",
            "regios_what": "Δ saldo ten opzichte van {baseline}",
            "regios_npv": "contante waarde Δ saldo {first}-{last}",
            "regios_note": (
                "Elke stip is een regio: rechts van de nullijn gaat de partij erop vooruit, links "
                "erop achteruit. De twee uitersten staan er bij naam bij."
            ),
            "regios_table": "{variant}: per regio, gesorteerd op {key} (grootste winst bovenaan)",
            "no_regions": "Eén scenario: winnaars en verliezers per regio vragen meerdere scenario's.",
        },
        uncertainty={
            "heading": "{scenario}: {draws} trekkingen, startwaarde {seed}",
            "net": "Saldo per partij{year}",
            "delta": "Δ saldo{year} ten opzichte van de basis ({baseline}), met de kans op verlies",
            "npv_delta": (
                "Contante waarde van Δ saldo over {first}–{last} (discontovoet {rate}), "
                "met de kans op verlies"
            ),
            "shared_savings": "Gedeelde besparingen{year}",
            "settlement_risk": "Risico van de verrekening per ontvanger{year}",
            "loss_note": "Kans op verlies: het aandeel van de trekkingen met een verlies van € 0,01 of meer.",
            "years_note": "Saldo, Δ saldo en gedeelde besparingen per jaar: --year {first} t/m {last}.",
            "tornado": "Gevoeligheid van {metric}{year} van {party} in {variant}, gesorteerd op uitslag",
            "npv_metric": "de contante waarde van Δ saldo over {first}–{last}",
            "swing_note": "Laag en hoog: de grenzen van de verdeling, anders haar P5 en P95.",
            "variant": "Variant",
            "party": "Partij",
            "payer": "Betaler",
            "recipient": "Ontvanger",
            "mean": "Gemiddeld",
            "p5": "P5",
            "p50": "Mediaan",
            "p95": "P95",
            "p_loss": "Kans op verlies",
            "p_loss_npv": "Kans op verlies",
            "p_eligible": "Kans op deling",
            "payout_mean": "Uitkering gemiddeld",
            "p_payout": "Kans op uitkering",
            "p_repayment": "Kans op terugbetaling",
            "settlement_mean": "Verrekening gemiddeld",
            "settlement_p5": "Verrekening P5",
            "settlement_p95": "Verrekening P95",
            "p_below_baseline_before_settlement": "Kans onder de basis vóór verrekening",
            "p_below_baseline": "Kans onder de basis na verrekening",
            "delta_mean": "Δ saldo gemiddeld",
            "delta_p5": "Δ saldo P5",
            "parameter": "Parameter",
            "low": "Laag",
            "high": "Hoog",
            "metric_low": "Uitkomst bij laag",
            "metric_high": "Uitkomst bij hoog",
            "swing": "Uitslag",
            "progress": "trekkingen",
        },
        sources={
            "sheet": "bronnen",
            "field": "veld",
            "value": "waarde",
            "scenario": "scenario",
            "file": "bestand",
            "baseline": "basisvariant",
            "whatifs": "what-ifs",
            "overrides": "aangepaste invoer (--set)",
            "none": "(geen)",
            "tool": "rekenmodel",
            "inputs": "invoerbestanden",
            "sha256": "sha256",
            "variants": "varianten",
            "parties": "partijen",
            "id": "id",
            "name": "naam",
            "role": "rol",
        },
        checks={
            "title": "Beleidstoetsen",
            "file": "Bestand",
            "subject": "Onderwerp",
            "metric": "Maatstaf",
            "whatifs": "Wat-als",
            "value": "Waarde",
            "bounds": "Grenzen",
            "result": "Resultaat",
            "note": "Toelichting",
            "pass": "✔ OK",
            "fail": "✘ FOUT",
            "summary": "{passed} van {total} toetsen geslaagd, {failed} mislukt",
            "not_loaded": "; {checked} van {count} bestanden getoetst, {failed} niet te laden ({files})",
            "without_checks": "; {without} van {count} bestanden zonder toetsen ({files})",
            "no_checks": "geen toetsen: geen [[expect]] in {files}",
            # why a check passed or failed (`Outcome.reason_in`)
            "r_below": "waarde {value} ligt onder het minimum {min}",
            "r_above": "waarde {value} ligt boven het maximum {max}",
            "r_within": "waarde {value} ligt binnen [{min}, {max}]",
            "r_at_least": "waarde {value} is ten minste het minimum {min}",
            "r_at_most": "waarde {value} is ten hoogste het maximum {max}",
            "r_no_settlement": "geen gedeelde besparingen voor betaler {subject} in variant {variant}",
            "r_no_figures": "geen cijfers ({table}) voor {subject} in variant {variant}",
            "r_null_delta_pct": "{metric} bestaat niet (het saldo van {subject} in de basis {baseline} is 0)",
            "r_null_margin": (
                "{metric} bestaat niet ({subject} heeft geen kosten: geen activiteiten met kosten, "
                "geen beschikbaarheidsfunctie)"
            ),
            "r_null_coverage": "{metric} bestaat niet (de jaarkosten van {subject} zijn 0)",
            "r_null": "{metric} bestaat niet",
        },
        explain={"in": "bij", "more_flows": "stromen meer"},
        components={
            "fee": "tarieven",
            "copay": "eigen bijdrage",
            "lump_sum": "aanneemsom",
            "settlement": "verrekening aanneemsom",
            "bundle": "integrale prijs",
            "distribution": "verdeling door hoofdaannemer",
            "capitation": "capitatie",
            "availability": "beschikbaarheid",
            "collaboration": "samenwerking",
            "quality": "kwaliteit",
            "refill": "opvulzorg",
            "guarantee": "omzetgarantie",
            "clawback": "terugbetaling boven plafond",
            "shared_savings": "gedeelde besparingen",
            "reinvestment": "herinvestering",
            "transfer": "overheveling",
        },
        solve=SOLVE["nl"],
        frontier=FRONTIER["nl"],
    ),
    "en": Labels(
        columns={
            "party": "Party",
            "scenario": "Scenario",
            "role": "Role",
            "revenue": "Revenue",
            "payments": "Payments",
            "net": "Net",
            "delta": "Δ net",
            "delta_pct": "Δ %",
            "cost": "Cost",
            "margin": "Margin",
            "margin_delta": "Δ margin",
            "component": "Component",
            "function": "Function",
            "annual_cost": "Annual cost",
            "embedded": "In tariffs",
            "separate": "Separate",
            "coverage": "Coverage",
            "gap": "Gap",
            "payer": "Payer",
            "benchmark": "Benchmark",
            "actual": "Actual",
            "savings": "Savings",
            "savings_rate": "Savings %",
            "eligible": "Eligible",
            "outcome": "Outcome",
            "reason": "Reason",
            "payout": "Payout",
            "reinvested": "Reinvested",
            "recipients": "Split",
            "variant": "Variant",
            "payer_spend": "Payer spend",
            "client_copay": "Co-payments",
            "total": "Total",
            "payee": "Payee",
            "profile": "Profile",
            "activity": "Activity",
            "amount": "Amount",
            "paid": "Paid",
            "fair_share": "Fair share",
            "free_ride": "Free ride",
            "npv_delta": "NPV Δ net",
            "npv_margin_delta": "NPV Δ margin",
            "payback_year": "Payback year",
            "year": "Year",
            "party_name": "Party name",
            "payer_name": "Payer name",
            "payee_name": "Payee name",
            "recipient_name": "Recipient name",
            # a client's journey (`journey`)
            "activity_name": "Activity name",
            "provider": "Provider",
            "units": "Units per client",
            "kind": "Kind",
            "per_client": "Per client",
            "clients": "Clients",
            "region_clients": "Clients in the region",
            "direct": "Direct",
            "copay": "Co-payment",
            "share": "Share",
            # bekostiging diff
            "figure": "Figure",
            "old": "Old",
            "new": "New",
            "change": "Change",
            "npv_net": "NPV net",
            "npv_margin": "NPV margin",
            "path": "Input",
            "set_in": "Set in",
            "file": "File",
            "rank": "Rank",
        },
        titles={
            "results": "Money flows per party",
            "overview": "Net per party and change against the baseline (details: --table results)",
            "by": "Breakdown",
            "attribution": "Where the change comes from",
            "total": "Total over all scenarios",
            "horizon": "Over the horizon: net present values and payback year",
            "by_year": "Δ net per year",
            "components": "By component",
            "availability": "Coverage of the availability functions",
            "shared_savings": "Shared savings",
            "totals": "Total spend per variant",
            "ledger": "Ledger",
            "journey": "A client's journey",
            "path": "Care path: expected units per client",
            "payments": "Who is paid what for her (per client)",
            "summary": "Total per client",
            "by_scenario": "Winners and losers per region: {variant}",
        },
        words={
            "yes": "yes",
            "no": "no",
            "baseline": "baseline",
            "sum": "Sum",
            "whatifs": "What-ifs",
            "payout": "payout",
            "repayment": "repayment",
            "none": "none",
            "below_msr": "below the threshold",
            "gate_failed": "quality below the gate",
            "capped": "capped",
            "below_mlr": "below the loss threshold",
            "one_sided": "one-sided",
            "horizon_period": "{first}-{last}, change against the baseline: {baseline}",
            "unchanged_left_out": "Parties without a change in a variant are left out.",
            "years_hint": "Per year: --year YEAR ({first}-{last}) for one year, --all-years for every year.",
            # a client's journey (`journey`)
            "journey_head": "{profile}: one client of {clients}{year}",
            "journey_year": ", {year}",
            "kind_direct": "direct",
            "kind_share": "share",
            "share_note": (
                "Share: per-population money (availability, collaboration, capitation, shared "
                "savings, ...) divided over all {clients} clients of the region: her part, not "
                "care she receives. Direct: payers for her care; co-payment: she herself. A share "
                "is an average over all profiles: where a variant pays much per population (a lump "
                "sum, capitation), her total says less about what her care costs; compare the "
                "variants on her care path and on Direct then."
            ),
            # bekostiging diff
            "diff_heading": "From {old} to {new}",
            "diff_inputs": "Inputs that differ ({count})",
            "diff_no_inputs": "No input differs.",
            "diff_variant": "Figures that change: {variant}",
            "diff_npv": "(net present value {first}-{last})",
            "diff_all_years": "{first}-{last}",
            "diff_totals": "Total spending that changes",
            "diff_unchanged": "{count} figures are unchanged (csv and json show every figure).",
            "diff_no_figures": "No figure changes.",
            "diff_none": "No difference: the inputs and every figure are the same.",
            "diff_added": "{file}: only in the new folder (added); its figures are compared with nothing.",
            "diff_removed": (
                "{file}: only in the old folder (removed); its figures are compared with nothing."
            ),
            # compare --by scenario: the regions of a variant, sorted
            "care_parties": "Providers and networks",
            "by_scenario_sorted": "{what} against {baseline}; sorted by {key}, largest gain first",
        },
        roles={"payer": "payer", "provider": "provider", "client": "client", "network": "network"},
        steps={"care": "care", **STAGE_LABELS["en"], "adoption": "adoption"},
        report={
            "report": "Report",
            "contents": "Contents",
            "baseline": "Baseline",
            "whatifs": "What-ifs",
            "overrides": "Overrides (--set)",
            "none": "none",
            "variants": "Variants",
            "scenarios": "Scenarios",
            "total_of": "Total of {count} scenarios",
            "year": "Year",
            "year_note": "Sections 1 to 5 show the year {year}; section 6 the whole horizon.",
            "many_note": (
                "This report adds up {count} scenarios: the charts show the sum per party over all "
                "scenarios; the table per scenario is in section 1."
            ),
            "s_saldo": "Net per party",
            "saldo": "Net per party by variant",
            "verschil": "Change against the baseline ({baseline})",
            "saldo_note": "Positive: the party receives on balance; negative: the party pays on balance.",
            "verschil_note": "Δ net of every variant against the baseline; above the axis a party gains.",
            "per_scenario": "Total spend per scenario: baseline and change per variant",
            "only_baseline": "Only the baseline was computed: there is no change to show.",
            "s_geldstromen": "Money flows",
            "geldstromen": "Flow of money: {variant}",
            "columns": ("Payers and client", "Networks and contractors", "Providers"),
            "flow_note": (
                "A band's width is proportional to the amount. Repayments (such as a ceiling) are "
                "netted against the payment they offset."
            ),
            "flow_other": "The money flows of another variant: choose another flow variant ({ids}).",
            "not_drawn": "Not drawn (does not flow left to right): {flows}.",
            "flows_table": "Money flows per payer and payee: {variant}",
            "s_waterval": "Where the change comes from",
            "waterval": "Where the change comes from: steps per party",
            "waterval_note": (
                "Each step switches on one part of the variant (first the changed care, then each "
                "mechanism); together they add up to the Δ net. Parties without a change are left out."
            ),
            "no_attribution": "No attribution computed: make the report with attribution=True.",
            "s_dekking": "Coverage of the availability functions",
            "dekking": "Coverage of the availability functions (annual cost = 100%)",
            "dekking_note": (
                "Per function the annual cost as 100%: the part in the tariffs and the separate "
                "funding stacked; the gap up to 100% outlined in red."
            ),
            "no_availability": "This scenario has no availability functions.",
            "s_besparingen": "Shared savings",
            "besparingen": "Shared savings: benchmark, actual, payout and split",
            "besparingen_note": (
                "Top: the benchmark against the actual spend, the savings outlined in red. "
                "Bottom: how the savings were split."
            ),
            "kept": "kept by {payer}",
            "split_table": "Split of the savings",
            "no_payout": "No payout.",
            "no_settlements": "No shared savings in this scenario.",
            "eligible_count": "{count} of {total}",
            "s_horizon": "Over the years",
            "horizon": "Δ net per year",
            "horizon_note": "Per variant the change against the baseline per party, per year.",
            "horizon_table": "Δ net per year per party",
            "no_horizon": "No [horizon]: the figures are for one year.",
            "s_herkomst": "Provenance",
            "tool": "Made with",
            "file": "File",
            "sha256": "sha256",
            "inputs": "Input files",
            "scenario_file": "Scenario file",
            "table_hint": "The table below the chart holds the same numbers.",
            "s_regios": "Winners and losers per region",
            "regios": "Winners and losers per region: {what} per party",
            "regios_what": "Δ net against {baseline}",
            "regios_npv": "NPV of Δ net {first}-{last}",
            "regios_note": (
                "Each dot is a region: right of the zero line the party gains, left of it the party "
                "loses. The two extremes are named."
            ),
            "regios_table": "{variant}: per region, sorted by {key} (largest gain first)",
            "no_regions": "One scenario: winners and losers per region need several scenarios.",
        },
        uncertainty={
            "heading": "{scenario}: {draws} draws, seed {seed}",
            "net": "Net per party{year}",
            "delta": "Δ net{year} against the baseline ({baseline}), with the chance of a loss",
            "npv_delta": (
                "Net present value of Δ net over {first}–{last} (discount rate {rate}), "
                "with the chance of a loss"
            ),
            "shared_savings": "Shared savings{year}",
            "settlement_risk": "Settlement risk per recipient{year}",
            "loss_note": "Chance of a loss: the share of draws with a loss of €0.01 or more.",
            "years_note": "Net, Δ net and shared savings per year: --year {first} to {last}.",
            "tornado": "Sensitivity of {metric}{year} of {party} under {variant}, sorted by swing",
            "npv_metric": "the net present value of Δ net over {first}–{last}",
            "swing_note": "Low and high: the distribution's bounds, else its P5 and P95.",
            "variant": "Variant",
            "party": "Party",
            "payer": "Payer",
            "recipient": "Recipient",
            "mean": "Mean",
            "p5": "P5",
            "p50": "Median",
            "p95": "P95",
            "p_loss": "Chance of a loss",
            "p_loss_npv": "Chance of a loss",
            "p_eligible": "Chance eligible",
            "payout_mean": "Mean payout",
            "p_payout": "Chance of a payout",
            "p_repayment": "Chance of a repayment",
            "settlement_mean": "Mean settlement",
            "settlement_p5": "Settlement P5",
            "settlement_p95": "Settlement P95",
            "p_below_baseline_before_settlement": "Chance below baseline before settlement",
            "p_below_baseline": "Chance below baseline after settlement",
            "delta_mean": "Mean Δ net",
            "delta_p5": "Δ net P5",
            "parameter": "Parameter",
            "low": "Low",
            "high": "High",
            "metric_low": "Result at low",
            "metric_high": "Result at high",
            "swing": "Swing",
            "progress": "draws",
        },
        sources={
            "sheet": "sources",
            "field": "field",
            "value": "value",
            "scenario": "scenario",
            "file": "file",
            "baseline": "baseline",
            "whatifs": "what-ifs",
            "overrides": "overrides (--set)",
            "none": "(none)",
            "tool": "tool",
            "inputs": "input files",
            "sha256": "sha256",
            "variants": "variants",
            "parties": "parties",
            "id": "id",
            "name": "name",
            "role": "role",
        },
        checks={
            "title": "Policy checks",
            "file": "File",
            "subject": "Subject",
            "metric": "Metric",
            "whatifs": "What-ifs",
            "value": "Value",
            "bounds": "Bounds",
            "result": "Result",
            "note": "Message",
            "pass": "✔ PASS",
            "fail": "✘ FAIL",
            "summary": "{passed} of {total} checks passed, {failed} failed",
            "not_loaded": "; {checked} of {count} files checked, {failed} failed to load ({files})",
            "without_checks": "; {without} of {count} files without checks ({files})",
            "no_checks": "no checks: no [[expect]] in {files}",
            # why a check passed or failed (`Outcome.reason_in`; plain, the JSON and JUnit reason)
            "r_below": "value {value} is below min {min}",
            "r_above": "value {value} is above max {max}",
            "r_within": "value {value} is within [{min}, {max}]",
            "r_at_least": "value {value} is at least min {min}",
            "r_at_most": "value {value} is at most max {max}",
            "r_no_settlement": "no shared_savings mechanism for payer {subject} in variant {variant}",
            "r_no_figures": "no {table} figures for {kind} {subject} in variant {variant}",
            "r_null_delta_pct": "{metric} is null (the net of {subject} in the baseline {baseline} is 0)",
            "r_null_margin": (
                "{metric} is null ({subject} has no cost: no priced activities, no availability function)"
            ),
            "r_null_coverage": "{metric} is null (the annual_cost of {subject} is 0)",
            "r_null": "{metric} is null",
        },
        explain={"in": "in", "more_flows": "more flows"},
        components={
            "fee": "fees",
            "copay": "co-payment",
            "lump_sum": "lump sum",
            "settlement": "lump-sum settlement",
            "bundle": "bundled payment",
            "distribution": "distribution by the contractor",
            "capitation": "capitation",
            "availability": "availability",
            "collaboration": "collaboration",
            "quality": "quality",
            "refill": "refill",
            "guarantee": "revenue guarantee",
            "clawback": "clawback above the ceiling",
            "shared_savings": "shared savings",
            "reinvestment": "reinvestment",
            "transfer": "transfer",
        },
        solve=SOLVE["en"],
        frontier=FRONTIER["en"],
    ),
}
