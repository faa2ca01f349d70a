"""The streaming queries: each scans the claims once and keeps only a small aggregate.

Per client the rule flags, giving her profile (and, in a scan of its own, her region).
Then the lines grouped by (code, provider, unit price in cents) and rolled up in memory:
per claim code (lines, units, cents, providers, empty values, dates), per (code, price)
counts for the quartiles and the outlier fences. Last, collected together: each line
joined to its client's group ([region,] profile as a small integer, on a hash of
client_id) and summed per (group, code); and the outlier lines, screened by their rounded
price, for the outlier counts and examples. A CSV is parsed once for the code table and
the sums: its lines are joined to their group in the code table's scan. Memory grows
with the number of clients (and of outlier lines), not with the number of lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from bekostiging.calibrate.claims import Claims, collect, collect_all, null_problems
from bekostiging.calibrate.errors import CalibrationError
from bekostiging.calibrate.mapping import Mapping, ProfileRule
from bekostiging.fields import is_id
from bekostiging.findings import Finding, unknown
from bekostiging.scenario.model import ID_RULE

IQR_FACTOR = 3  # Tukey's "far out" fences
IQR_FLOOR = Decimal("0.1")  # the IQR is taken as at least 10 % of the median
EXAMPLES_PER_CODE = 3
_QUARTILES = {"q1": 0.25, "q2": 0.5, "q3": 0.75}
_HASH_SEED = 0x62656B6F  # any fixed seed: the lines and the client table hash alike


def code_table(
    source: Claims, mapping: Mapping, columns: list[str], groups: ClientGroups | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame | None]:
    """Per claim code: lines, units, cents, providers, first and last date; per (mapped
    code, unit price in cents) the lines with units > 0, for the quartiles (`fences`); and
    for a CSV with `groups`, per (client group, code) the lines, units and cents (None
    otherwise: `aggregate` sums them in a scan of their own).

    One scan, grouped by ([group,] code, provider, price) and then rolled up in memory: few
    groups (a provider declares a code at few prices), and no distinct count of providers
    per code over every line. A CSV's lines are joined to their client's group here, so
    that the file is parsed once for the code table and the sums. Empty values are
    counted in one column; only when there are some does a second scan count them per
    column, for the message.
    """
    frame = source.scan(columns, every_field=True)  # the one scan that checks every line's fields
    keys: list[str | pl.Expr] = ["code", "provider"]
    read_all = source.format == "csv"  # polars checks a line's fields only when it reads them all
    joined = groups is not None and read_all  # a CSV is parsed once; Parquet sums in `group_sums`
    if joined:
        frame = groups.join(source, frame)
        keys.insert(0, "_group")
    present = [c for c in columns if c not in ("activity", "profile")]  # an empty profile: use the rules
    names = {"amount": "cents"}
    positive = pl.col("units") > 0
    mapped = pl.col("code").is_in(list(mapping.codes)) & positive
    price = pl.when(mapped).then(pl.col("cents") / pl.col("units")).round(0).cast(pl.Int64)
    query = frame.group_by(*keys, price.alias("price")).agg(
        lines=pl.len(),
        units=pl.col("units").sum(),
        cents=pl.col("cents").sum(),
        positive=positive.sum(),
        first=pl.col("date").min(),
        last=pl.col("date").max(),
        _empty=pl.any_horizontal(pl.col(names.get(c, c)).is_null() for c in present).sum(),
        **({"_fields": pl.col("_fields").sum()} if source.unread(columns) else {}),
        **({"_profile": pl.col("profile").null_count()} if read_all and "profile" in columns else {}),
    )
    fine = collect(source, query, columns)
    if fine.is_empty():
        raise CalibrationError([Finding(source.shown, "", "has a header but no claim lines")])
    nulls = {"activity": int(fine.filter(pl.col("code").is_null())["lines"].sum())}
    if fine["_empty"].sum():
        counts = source.scan(columns).select(pl.col(names.get(c, c)).null_count().alias(c) for c in present)
        nulls |= collect(source, counts, columns).row(0, named=True)
    problems = null_problems(source, columns, nulls)
    if problems:
        raise CalibrationError(problems)
    table = fine.group_by("code").agg(
        pl.col("lines", "units", "cents", "positive").sum(),
        providers=pl.col("provider").n_unique(),
        first=pl.col("first").min(),
        last=pl.col("last").max(),
    )
    prices = fine.filter(pl.col("price").is_not_null())
    prices = prices.group_by("code", "price").agg(len=pl.col("lines").sum())
    sums = fine.group_by("_group", "code").agg(pl.col("lines", "units", "cents").sum()) if joined else None
    return table, prices, sums


def _group_sums(source: Claims, groups: ClientGroups) -> pl.LazyFrame:
    """Per (client group, code): lines, units, cents; a scan of its own (Parquet).

    Reading a Parquet column again costs little; grouping each line by (code, provider,
    price) after the join on her client costs about twice as much as before it, so the
    code table groups the lines as read and only this narrow scan joins them.
    """
    frame = groups.join(source, source.scan(["client_id", "activity", "units", "amount"]))
    return frame.group_by("_group", "code").agg(
        lines=pl.len(), units=pl.col("units").sum(), cents=pl.col("cents").sum()
    )


def check_codes(source: Claims, mapping: Mapping, codes: pl.DataFrame) -> None:
    """At least one code is mapped; with `unmapped = "error"`, every code is known."""
    known = set(mapping.codes)
    seen = codes["code"].to_list()
    if not known.intersection(seen):
        sample = ", ".join(sorted(seen)[:5])
        raise _codes_problem(
            source,
            f"none of the {len(seen):,} claim codes is in the mapping's [codes] "
            f"({mapping.source}); codes in the claims: {sample}{', ...' if len(seen) > 5 else ''}",
        )
    unmapped = [
        c for c in seen if c not in known and c not in mapping.ignore and c not in mapping.marker_codes
    ]
    if unmapped and mapping.unmapped == "error":
        lines = dict(zip(codes["code"], codes["lines"], strict=True))
        listed = ", ".join(f"{c} ({lines[c]:,} lines)" for c in sorted(unmapped)[:10])
        raise _codes_problem(
            source,
            f"{len(unmapped)} claim code{'s are' if len(unmapped) != 1 else ' is'} not in the "
            f'mapping (unmapped = "error" in {mapping.source}): {listed}'
            f"{', ...' if len(unmapped) > 10 else ''}",
        )


def _codes_problem(source: Claims, message: str) -> CalibrationError:
    return CalibrationError([Finding(source.shown, "activity", message)])


def fences(prices: pl.DataFrame) -> pl.DataFrame:
    """Quartiles of the unit price per mapped code, and the outlier fences (cents per unit).

    Exact quartiles need every price, which is too much memory for millions of lines; but
    prices round to whole cents per unit take few distinct values, so the counts per
    (code, price in cents) are aggregated (`code_table`) and the quartiles are read off
    them: the quartiles of the unit prices rounded to cents, with linear interpolation.
    """
    counts = prices.sort("code", "price")
    counts = counts.with_columns(
        cum=pl.col("len").cum_sum().over("code"),
        n=pl.col("len").sum().over("code"),
    )

    def quantile(q: float) -> pl.Expr:
        rank = (pl.col("n") - 1).cast(pl.Float64) * q
        low = pl.col("price").filter(pl.col("cum") > rank.floor()).first()
        high = pl.col("price").filter(pl.col("cum") > rank.ceil()).first()
        return low + (high - low) * (rank - rank.floor()).first()

    quartiles = counts.group_by("code").agg(**{name: quantile(q) for name, q in _QUARTILES.items()})
    iqr = pl.max_horizontal(pl.col("q3") - pl.col("q1"), float(IQR_FLOOR) * pl.col("q2").abs())
    return quartiles.with_columns(
        low=pl.col("q1") - IQR_FACTOR * iqr,
        high=pl.col("q3") + IQR_FACTOR * iqr,
    )


def _rule_expr(rule: ProfileRule) -> pl.Expr:
    """True for a client (grouped lines) that the rule matches."""
    conditions = []
    if rule.any_code:
        conditions.append(pl.col("code").is_in(list(rule.any_code)).any())
    for code, n in rule.min_units.items():
        units = pl.when(pl.col("code") == code).then(pl.col("units")).otherwise(0.0).sum()
        conditions.append(units >= float(n))
    expr = conditions[0]
    for c in conditions[1:]:
        expr = expr & c
    return expr


def clients(source: Claims, mapping: Mapping, columns: list[str], by: str | None) -> pl.DataFrame:
    """One row per client: client_id, profile (None: no profile), [region], conflict flags."""
    frame = source.scan([c for c in columns if c != "provider"])
    matches: list[pl.Expr]  # per client: does rule i match?
    if mapping.rules and not any(r.min_units for r in mapping.rules):
        # rules of codes only: each line's first rule, and per client the first of those
        first: Any = None
        for i, rule in enumerate(mapping.rules):
            hit = pl.col("code").is_in(list(rule.any_code))
            first = (pl.when(hit) if first is None else first.when(hit)).then(pl.lit(i, dtype=pl.UInt32))
        aggs: list[pl.Expr] = [first.min().alias("_first")]
        matches = [pl.col("_first") == i for i in range(len(mapping.rules))]
    else:
        aggs = [_rule_expr(r).alias(f"_rule{i}") for i, r in enumerate(mapping.rules)]
        matches = [pl.col(f"_rule{i}") for i in range(len(mapping.rules))]
    has_column = "profile" in columns
    if has_column:
        aggs += [
            pl.col("profile").drop_nulls().min().alias("_column"),
            pl.col("profile").drop_nulls().n_unique().alias("_column_n"),
        ]
    if not aggs:
        aggs = [pl.len().alias("_lines")]
    rules: pl.Expr | None = None
    chain: Any = None
    for match, rule in zip(matches, mapping.rules, strict=True):
        chain = (pl.when(match) if chain is None else chain.when(match)).then(pl.lit(rule.name))
    default = pl.lit(mapping.default_profile, dtype=pl.String)
    rules = default if chain is None else chain.otherwise(default)
    profile = pl.coalesce(pl.col("_column"), rules) if has_column else rules
    keep = [
        pl.col("client_id"),
        profile.cast(pl.String).alias("profile"),
        (pl.col("_column_n") > 1).alias("_profile_conflict")
        if has_column
        else pl.lit(False).alias("_profile_conflict"),
    ]
    query = frame.group_by("client_id").agg(aggs).select(keep)
    clients = collect(source, query, columns)
    if by == "region":
        clients = clients.join(_regions(source, columns), on="client_id", how="left")
    return clients


def _regions(source: Claims, columns: list[str]) -> pl.DataFrame:
    """Each client's region: the region of her first claim (earliest date; ties: the
    alphabetically first region), and whether she has claims in more than one region."""
    query = (
        source.scan(["client_id", "region", "date"])
        .group_by("client_id", "region")
        .agg(first=pl.col("date").min())
    )
    pairs = collect(source, query, columns)
    return (
        pairs.sort("client_id", "first", "region")
        .group_by("client_id", maintain_order=True)
        .agg(pl.col("region").first(), _region_conflict=pl.len() > 1)
    )


def conflicts(source: Claims, clients: pl.DataFrame, model: Any) -> tuple[int, int]:
    """Check the profile column's values; count clients with conflicting profiles/regions."""
    problems = []
    names = [p for p in clients["profile"].unique().to_list() if p is not None]
    for name in sorted(names):
        if not is_id(name):
            problems.append(Finding(source.shown, "profile", f"{name!r} is not a profile id ({ID_RULE})"))
        elif model is not None and name not in model.profiles:
            problems.append(Finding(source.shown, "profile", unknown("profile", name, model.profiles)))
    if problems:
        raise CalibrationError(problems)
    profile_conflicts = int(clients["_profile_conflict"].sum())
    region_conflicts = int(clients["_region_conflict"].sum()) if "_region_conflict" in clients.columns else 0
    return profile_conflicts, region_conflicts


@dataclass
class ClientGroups:
    """Each client's group (her profile, and region with --by region) as a small integer,
    and how lines find it: on a 64-bit hash of `client_id` when the clients' hashes are
    distinct (checked on the client table, so the join is exact), else on `client_id`
    itself. Joining integers is much cheaper than joining strings."""

    keys: list[str]  # [region,] profile
    groups: pl.DataFrame  # _group, [region,] profile
    members: pl.DataFrame  # client_id, _group
    hashed: pl.DataFrame | None  # _client (the hash), _group; None when two clients share a hash

    @classmethod
    def of(cls, source: Claims, clients: pl.DataFrame, by: str | None) -> ClientGroups:
        keys = (["region"] if by == "region" else []) + ["profile"]
        groups = clients.select(keys).unique(maintain_order=True).with_row_index("_group")
        members = clients.select("client_id", *keys).join(groups, on=keys, how="left", nulls_equal=True)
        members = members.select("client_id", "_group")
        hashed = members.select(_client=_client_hash(source), _group="_group")
        return cls(keys, groups, members, hashed if hashed["_client"].n_unique() == hashed.height else None)

    def join(self, source: Claims, frame: pl.LazyFrame) -> pl.LazyFrame:
        """The lines with their client's `_group`."""
        if self.hashed is None:
            return frame.join(self.members.lazy(), on="client_id", how="left")
        frame = frame.with_columns(_client=_client_hash(source))
        return frame.join(self.hashed.lazy(), on="_client", how="left").drop("_client")


def aggregate(
    source: Claims,
    groups: ClientGroups,
    sums: pl.DataFrame | None,
    prices: pl.DataFrame,
    fences: pl.DataFrame,
    columns: list[str],
) -> tuple[pl.DataFrame, dict[str, list[dict]]]:
    """Per ([region,] profile, code): lines, units, cents (`sums` of `code_table`) and
    outlier lines; and the outliers' examples per code.

    One scan, that keeps only the outlier lines (a join on the code's fences and a
    filter), few by construction; they are summed and ranked in memory. Without `sums`
    (Parquet), the scan for them runs beside it, in one `collect_all`.
    """
    query = _outlier_lines(source, prices, fences)
    queries = [_group_sums(source, groups)] if sums is None else []
    if query is not None:
        queries.append(query)
    found = collect_all(source, queries, columns)
    if sums is None:
        sums = found.pop(0)
    outlier_lines = found[0] if query is not None else _no_outliers(source, prices, fences)
    outlier_sums = (
        outlier_lines.join(groups.members, on="client_id", how="inner")  # every line's client is there
        .group_by("_group", "code")
        .agg(
            outliers=pl.len(),
            outlier_units=pl.col("units").sum(),
            outlier_cents=pl.col("cents").sum(),
        )
    )
    grouped = (
        sums.join(outlier_sums, on=["_group", "code"], how="left", nulls_equal=True)
        .with_columns(
            pl.col("outliers").fill_null(0),
            pl.col("outlier_units").fill_null(0.0),
            pl.col("outlier_cents").fill_null(0),
        )
        .join(groups.groups, on="_group", how="left")
        .select(*groups.keys, "code", "lines", "units", "cents", "outliers", "outlier_units", "outlier_cents")
    )
    return grouped, outlier_examples(outlier_lines)


def _client_hash(source: Claims) -> pl.Expr:
    """A 64-bit hash of `client_id`, the same in every query (a categorical as its text)."""
    column = pl.col("client_id")
    dtype = source.parquet_schema.get("client_id")
    if dtype is not None and (dtype == pl.Categorical or isinstance(dtype, pl.Enum | pl.Categorical)):
        column = column.cast(pl.String)
    return column.hash(_HASH_SEED)


def _no_outliers(source: Claims, prices: pl.DataFrame, fences: pl.DataFrame) -> pl.DataFrame:
    """No outlier lines, in the columns `_outlier_lines` gives."""
    return pl.DataFrame(schema=_outlier_lines(source, prices, fences, always=True).collect_schema())


def _outlier_lines(
    source: Claims, prices: pl.DataFrame, fences: pl.DataFrame, *, always: bool = False
) -> pl.LazyFrame | None:
    """The lines whose unit price lies outside their code's fences, with their deviation
    (None, no query, when no line can be one, unless `always`).

    The counts per (code, price rounded to cents) tell which rounded prices can hold an
    outlier: a unit price below the low fence rounds to less than `low + 1`, one above the
    high fence to more than `high - 1`. Lines at other rounded prices are dropped first by
    a cheap numeric filter (no scan at all when there are none), before the exact test on
    the code's fences.
    """
    candidates = prices.join(fences.select("code", "low", "high"), on="code", how="inner")
    candidates = candidates.filter(
        (pl.col("price") < pl.col("low") + 1) | (pl.col("price") > pl.col("high") - 1)
    )["price"].unique()

    def candidate(typed: dict[str, pl.Expr]) -> pl.Expr:
        price = typed["cents"] / typed["units"]
        return pl.when(typed["units"] > 0).then(price).round(0).cast(pl.Int64).is_in(candidates.implode())

    frame = source.scan(["client_id", "activity", "provider", "units", "amount", "date"], where=candidate)
    price = pl.col("cents") / pl.col("units")
    outlier = (pl.col("units") > 0) & ((price < pl.col("low")) | (price > pl.col("high")))
    query = (
        frame.join(fences.lazy().select("code", "q2", "low", "high"), on="code", how="inner")
        .filter(outlier)
        .select(
            "client_id",
            "code",
            "provider",
            "date",
            "units",
            "cents",
            deviation=(price - pl.col("q2")).abs() / pl.col("q2").abs().clip(lower_bound=1),
        )
    )
    return None if candidates.is_empty() and not always else query


def outlier_examples(lines: pl.DataFrame) -> dict[str, list[dict]]:
    """The most deviating outlier lines per code.

    Ties (outliers often share a price) go to the first by `example_order`, so the same
    input gives the same examples however the streaming engine split the work.
    """
    if lines.is_empty():
        return {}
    order = [
        pl.col("deviation"),
        pl.col("client_id").cast(pl.String),
        pl.col("date"),
        pl.col("provider").cast(pl.String),
        pl.col("units"),
        pl.col("cents"),
    ]
    table = lines.group_by("code").agg(
        examples=pl.struct("client_id", "provider", "date", "units", "cents", "deviation").top_k_by(
            order, EXAMPLES_PER_CODE, reverse=[False] + [True] * (len(order) - 1)
        )
    )
    return {row["code"]: sorted(row["examples"], key=example_order) for row in table.iter_rows(named=True)}


def example_order(line: dict[str, Any]) -> tuple:
    """The most deviating first; then by client, date, provider, units, amount."""
    return (
        -line["deviation"],
        str(line["client_id"]),
        line["date"],
        str(line["provider"]),
        line["units"],
        line["cents"],
    )
