"""The calibration report: as named tables with metadata, and as the plain text on stderr.

`report_tables` gives every figure of the report as an ordered `dict` of polars tables
(money as exact decimals, never floats) plus a small `ReportMeta`, so a generic renderer
can write them in any format; `render_report` is the text the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from bekostiging.calibrate.aggregate import IQR_FACTOR, IQR_FLOOR
from bekostiging.money import decimal_places

if TYPE_CHECKING:
    from bekostiging.calibrate.results import Calibration

TABLES = (
    "profiles",
    "paths",
    "without_profile",
    "negative_paths",
    "prices",
    "unmapped",
    "ignored",
    "outliers",
    "outlier_examples",
)
_MONEY = pl.Decimal(38, 2)
OUTLIER_RULE = (  # the fences, in words (`outlier_rule(lang)` for people)
    f"unit price outside Q1 - {IQR_FACTOR} IQR .. Q3 + {IQR_FACTOR} IQR, "
    f"IQR at least {int(IQR_FLOOR * 100)} % of the median"
)


@dataclass(frozen=True)
class ReportMeta:
    """What the tables are about: the inputs, the period, and what needs a reader's eye."""

    source: str  # the claims file, as messages show it
    format: str  # csv | parquet
    mapping: str
    scenario: str | None
    lines: int
    clients: int
    first_date: date | None
    last_date: date | None
    by: str | None
    profile_column: bool  # the claims' profile column won over the rules
    profile_conflicts: int  # clients whose lines name more than one profile
    region_conflicts: int  # clients with lines in more than one region
    notes: tuple[str, ...]
    fragment_problems: dict[str | None, list[str]]  # region -> problems of the check against the scenario
    outlier_rule: str  # the fences, in words


def report_tables(result: Calibration) -> tuple[dict[str, pl.DataFrame], ReportMeta]:
    """The report's figures as tables, in the order of `TABLES`, and their metadata.

    Every table has the same columns with or without `--by region` (`region` is null
    without); money and means are decimals, units keep every decimal they have.
    """
    parts = result.parts
    units = [p.units for part in parts for p in part.prices] + [
        c.units for c in result.unmapped + result.ignored
    ]
    units_type = pl.Decimal(38, max((decimal_places(u) for u in units), default=0))
    tables = {
        "profiles": _frame(
            [(part.region, name, r.clients, r.lines) for part in parts for name, r in part.profiles.items()],
            {"region": pl.String, "profile": pl.String, "clients": pl.Int64, "lines": pl.Int64},
        ),
        "paths": _frame(
            [
                (part.region, name, activity, mean)
                for part in parts
                for name, r in part.profiles.items()
                for activity, mean in r.path.items()
            ],
            {
                "region": pl.String,
                "profile": pl.String,
                "activity": pl.String,
                "units_per_client": pl.Decimal(38, 4),
            },
        ),
        "without_profile": _frame(
            [(p.region, p.without_profile, p.without_profile_lines, p.without_profile_amount) for p in parts],
            {"region": pl.String, "clients": pl.Int64, "lines": pl.Int64, "amount": _MONEY},
        ),
        "negative_paths": _frame(
            [(part.region, *dropped) for part in parts for dropped in part.dropped],
            {"region": pl.String, "profile": pl.String, "activity": pl.String, "units": units_type},
        ),
        "prices": _frame(
            [
                (
                    part.region,
                    p.activity,
                    ", ".join(p.codes),
                    p.lines,
                    p.units,
                    p.amount,
                    p.mean_price,
                    p.mean_price_without_outliers,
                    p.tariff,
                    p.difference_pct,
                    p.providers,
                )
                for part in parts
                for p in part.prices
            ],
            {
                "region": pl.String,
                "activity": pl.String,
                "codes": pl.String,
                "lines": pl.Int64,
                "units": units_type,
                "amount": _MONEY,
                "mean_price": _MONEY,
                "mean_price_without_outliers": _MONEY,
                "tariff": _MONEY,
                "difference_pct": pl.Decimal(38, 1),
                "providers": pl.Int64,
            },
        ),
        **{
            name: _frame(
                [(c.code, c.lines, c.units, c.amount) for c in counts],
                {"code": pl.String, "lines": pl.Int64, "units": units_type, "amount": _MONEY},
            )
            for name, counts in (("unmapped", result.unmapped), ("ignored", result.ignored))
        },
        "outliers": _frame(
            [
                (o.code, o.activity, o.lines, o.of_lines, o.amount, o.median, o.low, o.high)
                for o in result.outliers
            ],
            {
                "code": pl.String,
                "activity": pl.String,
                "lines": pl.Int64,
                "of_lines": pl.Int64,
                "amount": _MONEY,
                "median": _MONEY,
                "low": _MONEY,
                "high": _MONEY,
            },
        ),
        "outlier_examples": _frame(
            [
                (
                    o.code,
                    str(e["client_id"]),
                    str(e["provider"]),
                    e["date"],
                    e["units"],
                    e["unit_price"],
                    e["amount"],
                )
                for o in result.outliers
                for e in o.examples
            ],
            {
                "code": pl.String,
                "client_id": pl.String,
                "provider": pl.String,
                "date": pl.Date,
                "units": pl.Decimal(
                    38,
                    max((decimal_places(e["units"]) for o in result.outliers for e in o.examples), default=0),
                ),
                "unit_price": _MONEY,
                "amount": _MONEY,
            },
        ),
    }
    meta = ReportMeta(
        source=result.source,
        format=result.format,
        mapping=result.mapping.source,
        scenario=result.scenario,
        lines=result.lines,
        clients=result.clients,
        first_date=result.first_date,
        last_date=result.last_date,
        by=result.by,
        profile_column=result.profile_column,
        profile_conflicts=result.profile_conflicts,
        region_conflicts=result.region_conflicts,
        notes=tuple(result.notes),
        fragment_problems=dict(result.fragment_problems),
        outlier_rule=OUTLIER_RULE,
    )
    return {name: tables[name] for name in TABLES}, meta


def _frame(rows: list[tuple[Any, ...]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


# The report's and the fragment's phrases: key -> (English, Dutch); one pair a line, however long.
PHRASES: dict[str, tuple[str, str]] = {
    "title": (
        "Calibration of {source} ({format}, {lines} claim lines, {clients} clients",
        "Kalibratie van {source} ({format}, {lines} declaratieregels, {clients} cliënten",
    ),
    "dated": (", dated {first} to {last}", ", van {first} tot en met {last}"),
    "mapping": ("mapping: {mapping}", "vertaaltabel: {mapping}"),
    "scenario": ("; scenario: {scenario}", "; scenario: {scenario}"),
    "profiles": ("Profiles", "Profielen"),
    "region_profiles": ("Region {region}: profiles", "Regio {region}: profielen"),
    "profiles_note": (
        "{title} (clients; path = mean units per client)",
        "{title} (cliënten; pad = gemiddelde eenheden per cliënt)",
    ),
    "without_profile": ("without a profile", "zonder profiel"),
    "clients": ("clients", "cliënten"),
    "lines": ("lines", "regels"),
    "left_out": (
        "  left out: {name}.{activity}: net units {units} < 0 (more credited than declared)",
        "  weggelaten: {name}.{activity}: netto eenheden {units} < 0 (meer gecrediteerd dan gedeclareerd)",
    ),
    "prices": (
        "Observed mean price per activity (sum of amounts / sum of units)",
        "Waargenomen gemiddelde prijs per activiteit (som van de bedragen / som van de eenheden)",
    ),
    "activity": ("activity", "activiteit"),
    "units": ("units", "eenheden"),
    "amount": ("amount", "bedrag"),
    "mean_price": ("mean price", "gem. prijs"),
    "robust": ("w/o outliers", "zonder uitsch."),
    "tariff": ("tariff", "tarief"),
    "diff": ("diff", "verschil"),
    "providers": ("providers", "aanbieders"),
    "na": ("n/a", "n.v.t."),
    "unmapped": (
        "Unmapped codes (not in [codes], ignore or a rule): {codes} codes, {lines} lines, € {amount} left out",  # noqa: E501
        "Niet vertaalde codes (niet in [codes], ignore of een regel): {codes} codes, {lines} regels, € {amount} weggelaten",  # noqa: E501
    ),
    "more": ("  ... and {count} more", "  ... en nog {count}"),
    "unmapped_none": ("Unmapped codes: none", "Niet vertaalde codes: geen"),
    "ignored": (
        "Ignored codes (mapping's ignore list): {codes} codes, {lines} lines",
        "Genegeerde codes (ignore-lijst van de vertaaltabel): {codes} codes, {lines} regels",
    ),
    "outliers": (
        "Price outliers: {lines} lines in {codes} codes ({rule})",
        "Prijsuitschieters: {lines} regels in {codes} codes ({rule})",
    ),
    "outlier": (
        "  {code} {activity} {lines} of {of} lines  median € {median}, fences € {low} .. € {high}",
        "  {code} {activity} {lines} van {of} regels  mediaan € {median}, grenzen € {low} .. € {high}",
    ),
    "example": (
        "      client {client}, provider {provider}, {date}: {units} x € {price} = € {amount}",
        "      cliënt {client}, aanbieder {provider}, {date}: {units} x € {price} = € {amount}",
    ),
    "outliers_none": ("Price outliers: none", "Prijsuitschieters: geen"),
    "rule": (
        "unit price outside Q1 - {factor} IQR .. Q3 + {factor} IQR, IQR at least {floor} % of the median",
        "prijs per eenheid buiten Q1 - {factor} IQR .. Q3 + {factor} IQR, IQR minstens {floor} % van de mediaan",  # noqa: E501
    ),
    "profile_conflicts": (
        "{count} clients have lines with different values in the profile column; each is counted in the first of them in alphabetical order",  # noqa: E501
        "{count} cliënten hebben regels met verschillende waarden in de kolom profile; elk telt mee in de eerste daarvan op alfabet",  # noqa: E501
    ),
    "region_conflicts": (
        "{count} clients have lines in more than one region; each is counted in the region of her first claim (earliest date)",  # noqa: E501
        "{count} cliënten hebben regels in meer dan één regio; elk telt mee in de regio van de eerste declaratie (vroegste datum)",  # noqa: E501
    ),
    "note": ("note: {note}", "let op: {note}"),
    "fragment": ("fragment", "fragment"),
    "fragment_region": ("fragment for region {region}", "fragment voor regio {region}"),
    "warning": (
        "warning: {where} does not validate against the scenario: {problem}",
        "waarschuwing: {where} klopt niet met het scenario: {problem}",
    ),
    # the fragment's comments (fragment.render_fragment)
    "f_source": (
        "# Calibrated from {source} by `bekostiging calibrate` (mapping: {mapping})",
        "# Gekalibreerd uit {source} met `bekostiging calibrate` (vertaaltabel: {mapping})",
    ),
    "f_lines": ("# {lines} claim lines", "# {lines} declaratieregels"),
    "f_region": ("; this fragment: region {region!r}", "; dit fragment: regio {region!r}"),
    "f_clients": (
        "# clients: distinct client_id per profile (first matching rule{column}); path: units per client",
        "# clients: verschillende client_id per profiel (eerste regel die past{column}); path: eenheden per cliënt",  # noqa: E501
    ),
    "f_column": (
        ", or the claims' profile column where it has a value",
        ", of de kolom profile waar die een waarde heeft",
    ),
    "f_decimals": (
        "# (sum of units / clients, {decimals} decimals).",
        "# (som van de eenheden / cliënten, {decimals} decimalen).",
    ),
    "f_without": (
        "# {count} clients matched no profile rule and are left out.",
        "# {count} cliënten passen bij geen profielregel en zijn weggelaten.",
    ),
    "f_prices": (
        "# Observed mean price per activity (sum of amounts / sum of units; in brackets without\n# the price outliers) beside its tariff. Comments only: the scenario's tariffs stay as\n# they are; copy a price over by hand.",  # noqa: E501
        "# Waargenomen gemiddelde prijs per activiteit (som van de bedragen / som van de eenheden;\n# tussen haakjes zonder de prijsuitschieters) naast het tarief. Alleen commentaar: de\n# tarieven van het scenario blijven zoals ze zijn; neem een prijs met de hand over.",  # noqa: E501
    ),
    "f_tariff": ("  tariff € {tariff}", "  tarief € {tariff}"),
    "f_units": ("{units} units", "{units} eenheden"),
}


def phrase(key: str, lang: str = "en", **values: Any) -> str:
    return PHRASES[key][lang == "nl"].format(**values)


def _num(value: Any, places: int, lang: str) -> str:
    """`1,234.50` (en) or `1.234,50` (nl), at `places` decimals."""
    from bekostiging.report.numbers import number

    return number(Decimal(value), places, lang)


def outlier_rule(lang: str = "en") -> str:
    return phrase("rule", lang, factor=IQR_FACTOR, floor=int(IQR_FLOOR * 100))


def render_report(result: Calibration, lang: str = "en") -> str:
    """A plain-text report: profiles, prices, unmapped codes, clients without a profile,
    outliers; in `lang` (`en`, `nl`) with its number format."""

    def n(value: Any) -> str:
        return _num(value, 0, lang)

    def money(value: Any) -> str:
        return _num(value, 2, lang)

    out = [
        phrase(
            "title",
            lang,
            source=result.source,
            format=result.format,
            lines=n(result.lines),
            clients=n(result.clients),
        )
        + (phrase("dated", lang, first=result.first_date, last=result.last_date) if result.first_date else "")
        + ")",
        phrase("mapping", lang, mapping=result.mapping.source)
        + (phrase("scenario", lang, scenario=result.scenario) if result.scenario else ""),
    ]
    clients, lines = phrase("clients", lang), phrase("lines", lang)
    for part in result.parts:
        out.append("")
        title = (
            phrase("profiles", lang)
            if part.region is None
            else phrase("region_profiles", lang, region=part.region)
        )
        out.append(phrase("profiles_note", lang, title=title))
        without = phrase("without_profile", lang)
        width = max([len(name) for name in part.profiles] + [len(without)])
        for name, profile in part.profiles.items():
            out.append(
                f"  {name:<{width}}  {n(profile.clients):>10} {clients}  {n(profile.lines):>12} {lines}"
            )
        out.append(
            f"  {without:<{width}}  {n(part.without_profile):>10} {clients}  "
            f"{n(part.without_profile_lines):>12} {lines}  € {money(part.without_profile_amount)}"
        )
        for name, activity, units in part.dropped:
            out.append(phrase("left_out", lang, name=name, activity=activity, units=units_text(units, lang)))
        out.append("")
        out.append(phrase("prices", lang))
        if part.prices:
            width = max(len(p.activity) for p in part.prices)
            heads = [
                phrase(k, lang)
                for k in ("activity", "units", "amount", "mean_price", "robust", "tariff", "diff")
            ]
            out.append(
                f"  {heads[0]:<{width}}  {heads[1]:>14}  {heads[2]:>18}  {heads[3]:>12}  "
                f"{heads[4]:>14}  {heads[5]:>12}  {heads[6]:>8}  {phrase('providers', lang)}"
            )
            na = phrase("na", lang)
            for p in part.prices:
                price = na if p.mean_price is None else money(p.mean_price)
                robust = p.mean_price_without_outliers
                robust_text = na if robust is None else money(robust)
                tariff = "" if p.tariff is None else money(p.tariff)
                diff = (
                    ""
                    if p.difference_pct is None
                    else f"{'+' if p.difference_pct >= 0 else ''}{_num(p.difference_pct, 1, lang)} %"
                )
                out.append(
                    f"  {p.activity:<{width}}  {units_text(p.units, lang):>14}  {money(p.amount):>18}  {price:>12}  "  # noqa: E501
                    f"{robust_text:>14}  {tariff:>12}  {diff:>8}  {n(p.providers):>9}"
                )
    out.append("")
    if result.unmapped:
        count = sum(c.lines for c in result.unmapped)
        amount = sum((c.amount for c in result.unmapped), Decimal(0))
        out.append(phrase("unmapped", lang, codes=len(result.unmapped), lines=n(count), amount=money(amount)))
        for c in result.unmapped[:25]:
            out.append(f"  {c.code:<16} {n(c.lines):>12} {lines}  € {money(c.amount):>16}")
        if len(result.unmapped) > 25:
            out.append(phrase("more", lang, count=len(result.unmapped) - 25))
    else:
        out.append(phrase("unmapped_none", lang))
    if result.ignored:
        count = sum(c.lines for c in result.ignored)
        out.append(phrase("ignored", lang, codes=len(result.ignored), lines=n(count)))
    out.append("")
    if result.outliers:
        total = sum(o.lines for o in result.outliers)
        out.append(
            phrase("outliers", lang, lines=n(total), codes=len(result.outliers), rule=outlier_rule(lang))
        )
        for o in result.outliers:
            out.append(
                phrase(
                    "outlier",
                    lang,
                    code=f"{o.code:<10}",
                    activity=f"{o.activity:<26}",
                    lines=f"{n(o.lines):>8}",
                    of=f"{n(o.of_lines):>10}",
                    median=money(o.median),
                    low=money(o.low),
                    high=money(o.high),
                )
            )
            for e in o.examples:
                out.append(
                    phrase(
                        "example",
                        lang,
                        client=e["client_id"],
                        provider=e["provider"],
                        date=e["date"],
                        units=units_text(e["units"], lang),
                        price=money(e["unit_price"]),
                        amount=money(e["amount"]),
                    )
                )
    else:
        out.append(phrase("outliers_none", lang))
    if result.profile_conflicts:
        out.append(phrase("profile_conflicts", lang, count=n(result.profile_conflicts)))
    if result.region_conflicts:
        out.append(phrase("region_conflicts", lang, count=n(result.region_conflicts)))
    for note in result.notes:
        out.append(phrase("note", lang, note=note))
    for region, problems in result.fragment_problems.items():
        where = phrase("fragment", lang) if region is None else phrase("fragment_region", lang, region=region)
        for problem in problems:
            out.append(phrase("warning", lang, where=where, problem=problem))
    return "\n".join(out) + "\n"


def units_text(value: Decimal, lang: str = "en") -> str:
    """Units as the report writes them: `1,234.5` (en) or `1.234,5` (nl): thousands
    separated, no trailing zeros."""
    text = _num(value, 4, lang)
    point = "," if lang == "nl" else "."
    text = text.rstrip("0").rstrip(point) if point in text else text
    return text or "0"
