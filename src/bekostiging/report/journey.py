"""A client's journey: one typical client of a profile under each variant (docs/cli.md, `journey`).

Per variant, from that variant's own run (under a `[horizon]` one year, as contracted:
`engine.horizon.unmixed_year`):

- her care path: the expected units per activity of one client of the profile, after the
  variant's effects;
- who is paid what for her: every flow of the ledger that carries her profile (fees,
  co-payments, a bundle's price per client), plus her profile's part of what a bundle
  divides behind the front door (its flows without a profile, pro rata her profile's part
  of the bundle: `VariantContext.pools`), divided by the profile's clients: kind `direct`;
- her share of per-population money: every other flow (availability, collaboration,
  capitation, lump sums, quality, shared savings, transfers, guarantees, ceilings),
  divided by all clients of the region (the profiles' clients in that variant): kind
  `share`. Not care she receives: her part of what is paid for everyone.

Exact: the sums are whole cents, each divided as a `Fraction`, and rounded half-even to
cents only at the end, each figure on its own. So, before rounding, the clients-weighted
sum of the profiles' `total` per client is the variant's total spend (`totals.total`):
every flow that leaves a payer or the client is either one profile's (direct) or the
region's (share), and the shares over all clients add up to the whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl
    from rich.console import Console

    from bekostiging.engine.run import Run, VariantResult
    from bekostiging.report.render import Meta

FUNDERS = ("payer", "client")  # whose net outflows are the spend (`totals`: payer_spend + client_copay)
KINDS = ("direct", "share")
SUMMARY = ("direct", "copay", "share", "total")
COLUMNS = {
    "path": ["variant", "activity", "activity_name", "provider", "units"],
    "payments": ["variant", "payer", "payee", "component", "kind", "per_client"],
    "summary": ["variant", "clients", "region_clients", "direct", "copay", "share", "total"],
}
SCALES = {"per_client": 2, **dict.fromkeys(SUMMARY, 2)}
SHARE_RULE = (
    "direct: the flows of her profile (and its part of a bundle divided behind the front door) "
    "/ the profile's clients; share: every other flow / all clients of the region; each figure "
    "rounded half-even to the cent"
)


@dataclass
class JourneyFigures:
    """One profile's journey: rows per table (money in whole cents, rounded half-even at the
    end) and, per variant, the exact euros per client of the summary (`exact`)."""

    profile: str
    profile_name: str
    year: int | None
    path: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    exact: dict[str, dict[str, Fraction | None]] = field(default_factory=dict)


def journey(run: Run, profile: str, year: int | None = None) -> JourneyFigures:
    """The journey of one client of `profile` under every variant of `run` (baseline first)."""
    s = run.scenario
    found = JourneyFigures(profile, s.profiles[profile].name or profile, year)
    for v, result in run.variants.items():
        _path(found, v, result, profile)
        _money(found, v, result, profile)
    return found


def _path(found: JourneyFigures, v: str, result: VariantResult, profile: str) -> None:
    s = result.inputs
    for a, units in s.profiles[profile].path.items():
        act = s.activities[a]
        found.path.append(
            {
                "variant": v,
                "activity": a,
                "activity_name": act.name or a,
                "provider": act.provider,
                "units": units,
            }
        )


def _money(found: JourneyFigures, v: str, result: VariantResult, profile: str) -> None:
    s = result.inputs
    clients = Fraction(s.profiles[profile].clients)
    everyone = sum((Fraction(p.clients) for p in s.profiles.values()), Fraction(0))
    sums: dict[tuple[str, str, str, str], int | Fraction] = defaultdict(int)
    for book in result.books.values() or [result]:
        pooled: dict[int, Fraction] = {}  # a pool's flow without a profile -> her profile's part
        for parts, flows in book.pools:
            total = sum(parts.values())
            part = Fraction(parts.get(profile, 0), total) if total else Fraction(0)
            pooled.update({id(f): part for f in flows if f.profile is None})
        for f in book.ledger.flows:
            if f.profile is not None:
                kind, amount = ("direct", f.amount) if f.profile == profile else (None, 0)
            elif id(f) in pooled:
                kind, amount = "direct", f.amount * pooled[id(f)]
            else:
                kind, amount = "share", f.amount
            if kind is not None and amount:
                sums[(f.payer, f.payee, f.component, kind)] += amount
    per = {"direct": clients, "share": everyone}
    roles = {p: party.role for p, party in s.parties.items()}
    spent: dict[str, Fraction] = dict.fromkeys(SUMMARY, Fraction(0))
    for (payer, payee, component, kind), cents in sorted(sums.items(), key=lambda item: _order(s, *item[0])):
        each = Fraction(cents) / per[kind] if per[kind] else None
        found.payments.append(
            {
                "variant": v,
                "payer": payer,
                "payee": payee,
                "component": component,
                "kind": kind,
                "per_client": _rounded(each),
            }
        )
        sign = (roles[payer] in FUNDERS) - (roles[payee] in FUNDERS)
        if each is not None and sign:
            column = (
                "share"
                if kind == "share"
                else "copay"
                if roles[payer if sign > 0 else payee] == "client"
                else "direct"
            )
            spent[column] += sign * each
    spent["total"] = spent["direct"] + spent["copay"] + spent["share"]
    exact: dict[str, Fraction | None] = {
        k: (value if clients or k == "share" else None) for k, value in spent.items()
    }
    if not clients:  # none of her profile in this variant: no figure per client of it
        exact["total"] = None
    found.exact[v] = exact
    found.summary.append(
        {
            "variant": v,
            "clients": s.profiles[profile].clients,
            "region_clients": sum((p.clients for p in s.profiles.values()), Decimal(0)),
            **{k: _rounded(value) for k, value in exact.items()},
        }
    )


def _order(s: Any, payer: str, payee: str, component: str, kind: str) -> tuple[int, ...]:
    """Payments as people read them: direct before share, then by payer, payee (in the
    scenario's order of parties) and component (in the ledger's order of components)."""
    from bekostiging.engine.ledger import COMPONENTS

    parties = list(s.parties)
    rank = {c: i for i, c in enumerate(COMPONENTS)}
    return (KINDS.index(kind), parties.index(payer), parties.index(payee), rank.get(component, len(rank)))


def _rounded(euros_in_cents: Fraction | None) -> int | None:
    """Whole cents, half to even (`round` of a Fraction is exact and rounds half to even)."""
    return None if euros_in_cents is None else round(euros_in_cents)


# ------------------------------------------------------------------ tables


def frame(found: JourneyFigures, name: str) -> pl.DataFrame:
    """Table `name` with money as whole cents (Int64) and units as written (Decimal objects)."""
    import polars as pl

    rows = getattr(found, name)
    schema: dict[str, Any] = {c: pl.String for c in COLUMNS[name]}
    schema |= {c: pl.Int64 for c in COLUMNS[name] if c in SCALES}
    schema |= {c: pl.Object for c in ("units", "clients", "region_clients") if c in schema}
    return pl.DataFrame([[r[c] for c in COLUMNS[name]] for r in rows], schema=schema, orient="row")


def show(
    tables: dict[str, pl.DataFrame],
    found: JourneyFigures,
    meta: Meta,
    table: str | None,
    lang: str,
    console: Console | None = None,
) -> list[Any]:
    """The view for people: a heading, the care path with the variants side by side, the
    payments and the summary (or just `table`), and what a share is. On `console`, the
    activities' names wrap so that the variants stay side by side."""
    import polars as pl
    from rich.text import Text

    from bekostiging.printable import printable
    from bekostiging.report.i18n import labels as catalogue
    from bekostiging.report.writers.table import frame_table

    labels = catalogue(lang)
    names = {v["id"]: v["name"] for v in meta.variants}
    parties = {p["id"]: p["name"] for p in meta.parties}
    summary = tables["summary"]
    first = (
        summary.row(0, named=True)
        if summary.height
        else {"clients": Decimal(0), "region_clients": Decimal(0)}
    )
    year = labels.words["journey_year"].format(year=found.year) if found.year is not None else ""
    head = labels.words["journey_head"].format(
        profile=found.profile_name, clients=as_written(first["clients"], lang), year=year
    )
    shown: list[Any] = [Text(printable(f"{labels.titles['journey']}: {head}"), style="bold")]
    if table in (None, "path"):
        path = _path_wide(tables["path"], names, parties, lang)
        shown.append(_side_by_side(path, labels.titles["path"], lang, console))
    if table in (None, "payments"):
        payments = tables["payments"].with_columns(
            _named("variant", names),
            _named("payer", parties),
            _named("payee", parties),
            _named("component", dict(labels.components)),
            _named("kind", {k: labels.words[f"kind_{k}"] for k in KINDS}),
        )
        shown.append(frame_table(payments.select(COLUMNS["payments"]), labels.titles["payments"], lang))
    if table in (None, "summary"):
        rows = summary.select(
            _named("variant", names),
            pl.col("clients").map_elements(lambda c: as_written(c, lang), return_dtype=pl.String),
            *SUMMARY,
        )
        shown.append(_right(frame_table(rows, labels.titles["summary"], lang), 1))
    if table in (None, "payments", "summary"):
        note = labels.words["share_note"].format(clients=as_written(first["region_clients"], lang))
        shown.append(Text(printable(note)))
    return shown


def _named(column: str, names: dict[str, str]) -> pl.Expr:
    import polars as pl

    return pl.col(column).replace_strict(names, default=pl.col(column), return_dtype=pl.String)


def _path_wide(
    path: pl.DataFrame, variants: dict[str, str], parties: dict[str, str], lang: str
) -> pl.DataFrame:
    """The care path with one column of units per variant (its name), the activities in the
    order they first appear; "–" where a variant's path lacks the activity."""
    import polars as pl

    from bekostiging.report.i18n import labels as catalogue

    columns = catalogue(lang).columns
    order: dict[str, tuple[str, str]] = {}
    cells: dict[tuple[str, str], str] = {}
    for row in path.iter_rows(named=True):
        order.setdefault(
            row["activity"], (row["activity_name"], parties.get(row["provider"], row["provider"]))
        )
        cells[(row["activity"], row["variant"])] = as_written(row["units"], lang)
    shown = list(dict.fromkeys(path["variant"]))
    data: dict[str, list[Any]] = {
        columns["activity"]: [name for name, _ in order.values()],
        columns["provider"]: [provider for _, provider in order.values()],
    }
    for v in shown:
        data[variants.get(v, v)] = [cells.get((a, v)) for a in order]
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))


def _side_by_side(path: pl.DataFrame, title: str, lang: str, console: Console | None) -> Any:
    """The care path as one table: when it is wider than the console, the activities'
    names (the longest column) wrap, down to 24 characters, if that keeps the variants side
    by side; else the shared fitting shows them in parts, the names whole."""
    from rich.console import Group

    from bekostiging.report.layout import measure
    from bekostiging.report.writers.table import frame_table

    shown = _right(frame_table(path, title, lang), 2)
    if console is None or path.height == 0:
        return shown
    excess = measure(shown, console) - console.width
    if excess <= 0:
        return shown
    longest = max(len(n) for n in path[path.columns[0]])
    for width in range(longest - excess, 23, -2):
        shown.columns[0].max_width = width
        if measure(shown, console) <= console.width:
            return Group(shown)  # laid out: printed as it is
    shown.columns[0].max_width = None
    return shown


def _right(table: Any, first: int) -> Any:
    """`table` with its columns from `first` on right-aligned (numbers shown as written)."""
    for column in table.columns[first:]:
        column.justify = "right"
    return table


def as_written(value: Decimal, lang: str) -> str:
    """A number with as many decimals as it has (units, clients), in the language's format."""
    from bekostiging.report.numbers import number

    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:  # computed (a shift, a ramp): no trailing zeros
        value = value.normalize()
        exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number(value, places, lang)
