"""One year of a multi-year scenario (HORIZON.md §1, CONTRACTS.md E): dated values,
indexation, growth.

A scenario with `[horizon]` is resolved year by year on its raw data, before validation.
Any number of the care system and of the variants may be a table by year
(`floor = { 2025 = 0.95, 2027 = 0.90 }`): a year takes the latest earlier year's value;
a year before the table's first year is an error. Money inputs (the registry's
`MONEY_FIELDS`, activities' tariff/copay/cost, availability annual_cost, parties'
fixed_cost) are then indexed: an undated one from `start`, a dated one from its year on,
rounded to cents. Other numbers are taken as written. Undated clients grow by
`client_growth`, an undated capitation population by its `population_growth`. Each year
is then an ordinary one-year scenario, validated and computed like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from bekostiging.arithmetic import CONTEXT, MoneyOverflow
from bekostiging.fields import in_range
from bekostiging.lanes import Lanes
from bekostiging.mechanisms import MONEY_FIELDS
from bekostiging.money import as_number, cents, div, from_cents, is_number, is_zero, mul, where
from bekostiging.scenario.model import Horizon

# Money inputs that are indexed (HORIZON.md §1), by where they stand in the data.
ACTIVITY_MONEY = ("tariff", "copay", "cost")
PARTY_MONEY = ("fixed_cost",)
# Where a number may be a table by year (CONTRACTS.md E); [scenario] only for market_shares.
DATABLE = ("activities", "profiles", "parties", "availability", "variants", "whatif")
# An effect's own `ramp` is a table by year with the rule of the horizon's tables (before
# its first year: 0), not a dated number: the engine reads it per year.
OWN_TABLES = ("ramp",)


class YearProblem(ValueError):
    def __init__(self, path: tuple, message: str):
        self.path = path
        super().__init__(message)


def is_dated(value: Any) -> bool:
    """A table by year: `{2025 = 1863.97, 2026 = 1950.00}`, or meant as one (a key of digits:
    no id starts with a digit), so a malformed one is reported as such."""
    return isinstance(value, dict) and bool(value) and any(str(k).isdigit() for k in value)


def is_year(key: Any) -> bool:
    return str(key).isdigit() and len(str(key)) == 4


def money_leaves(data: dict[str, Any]) -> Iterator[tuple[tuple, dict, str]]:
    """Every money input of the raw data as (path, container, key)."""
    for key, activity in _entries(data, "activities"):
        for field in ACTIVITY_MONEY:
            if field in activity:
                yield ("activities", key, field), activity, field
    for key, function in _entries(data, "availability"):
        if "annual_cost" in function:
            yield ("availability", key, "annual_cost"), function, "annual_cost"
    for key, party in _entries(data, "parties"):
        for field in PARTY_MONEY:
            if field in party:
                yield ("parties", key, field), party, field
    for key, i, m in _mechanisms(data):
        kind = m.get("type")  # raw data: validation reports a `type` that is not a name
        for field in MONEY_FIELDS.get(kind, ()) if isinstance(kind, str) else ():
            value = m.get(field)
            at = ("variants", key, "mechanisms", i, field)
            if field == "price" and isinstance(value, dict) and not is_dated(value):
                for profile in value:  # a price per profile, each maybe dated
                    yield (*at, profile), value, profile
            elif field in m and not isinstance(value, str):
                yield at, m, field


def dated_leaves(data: dict[str, Any]) -> list[tuple[tuple, dict | list, Any]]:
    """Every table by year where a number may be dated, as (path, container, key)."""
    found: list[tuple[tuple, dict | list, Any]] = []
    for section in DATABLE:
        if section in data:
            _dated_in(data[section], (section,), found)
    meta = data.get("scenario")
    if isinstance(meta, dict) and "market_shares" in meta:
        _dated_in(meta["market_shares"], ("scenario", "market_shares"), found)
    return found


def _dated_in(node: Any, at: tuple, found: list) -> None:
    """Add the tables by year under `node` to `found` (a list, not a generator: this walk
    sees every value of every scenario loaded)."""
    if isinstance(node, dict):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    is_effect = len(at) >= 2 and at[-2] == "effects"
    for key, value in items:
        if is_effect and key in OWN_TABLES:
            continue
        if is_dated(value):
            found.append(((*at, key), node, key))
        elif isinstance(value, dict | list):
            _dated_in(value, (*at, key), found)


def copy_tree(node: Any) -> Any:
    """A copy of the tables and lists of raw data; the numbers and texts in it are shared
    (they are never changed in place, and lanes of a simulation are large)."""
    if isinstance(node, dict):
        return {k: copy_tree(v) for k, v in node.items()}
    if isinstance(node, list):
        return [copy_tree(v) for v in node]
    return node


def _entries(data: dict[str, Any], section: str) -> Iterator[tuple[str, dict]]:
    table = data.get(section)
    for key, entry in table.items() if isinstance(table, dict) else ():
        if isinstance(entry, dict):
            yield key, entry


def _mechanisms(data: dict[str, Any]) -> Iterator[tuple[str, int, dict]]:
    for key, variant in _entries(data, "variants"):
        mechanisms = variant.get("mechanisms")
        for i, m in enumerate(mechanisms if isinstance(mechanisms, list) else []):
            if isinstance(m, dict):
                yield key, i, m


def computable(value: Any) -> bool:
    """A number of the raw data to compute with before validation: lanes (draws, validated
    before they are placed) or a number in range. Anything else is left as written, for
    validation to report: arithmetic on `1e1000000` would overflow."""
    return is_number(value) and (isinstance(value, Lanes) or in_range(value))


def index_factor(horizon: Horizon, since: int, year: int) -> Decimal:
    """Π (1 + index_k) for k = since+1 .. year."""
    return growth_factor(horizon.index, since, year)


def growth_factor(rate: Any, since: int, year: int) -> Any:
    """Π (1 + rate_k) for k = since+1 .. year; `rate` a number or a table by year (before
    its first year: 0)."""
    factor = Decimal(1)
    for k in range(since + 1, year + 1):
        factor = mul(factor, 1 + rate_in(rate, k, Decimal(0)))
    return factor


def rate_in(table: Any, year: int, before: Any) -> Any:
    """A number, or a table by year: the latest listed year <= `year`, else `before`."""
    if not isinstance(table, dict):
        return table
    listed = [y for y in table if int(y) <= year]
    return table[max(listed, key=int)] if listed else before


class _Resolver:
    """Reads the dated tables of one year and records what is wrong with them."""

    def __init__(self, year: int, problems: list[YearProblem] | None):
        self.year = year
        self.problems = problems

    def problem(self, path: tuple, message: str) -> None:
        problem = YearProblem(path, message)
        if self.problems is None:
            raise problem
        self.problems.append(problem)

    def at(self, path: tuple, value: Any, year: int | None = None) -> tuple[int | None, Any]:
        """(the year the value was written for, the value) in `year` (default this one);
        (None, value) for a value that is not dated."""
        if not is_dated(value):
            return None, value
        year = self.year if year is None else year
        table = self.table(path, value)
        listed = [y for y in table if y <= year]
        if not table:
            return None, value  # nothing usable: reported
        if not listed:
            self.problem(path, f"has no value for {year}: its table starts in {min(table)}")
            listed = [min(table)]
        since = max(listed)
        return since, table[since]

    def table(self, path: tuple, value: dict) -> dict[int, Any]:
        """The entries of a table by year; keys that are not years and values that are not
        numbers are reported."""
        table = {}
        for key, entry in value.items():
            if not is_year(key):
                self.problem(
                    (*path, key), f"'{key}' is not a year (like 2026): a table by year has years as keys"
                )
            elif not is_number(entry):
                self.problem((*path, key), f"must be a number, got {_describe(entry)}")
            else:
                table[int(key)] = entry
        return table


def _describe(value: Any) -> str:
    from bekostiging.findings import describe

    return describe(value)


def resolve(
    data: dict[str, Any], horizon: Horizon, start: int, year: int, problems: list[YearProblem] | None = None
) -> dict[str, Any]:
    """The raw data of one year: dated values read, money indexed (rounded to cents),
    clients and populations grown.

    A dated value with no entry for `year`, or a table by year with keys that are not years
    or values that are not numbers, raises `YearProblem`, or, when a `problems` list is
    given, is recorded there (a table that starts too late takes its first entry) so the
    rest can be checked.
    """
    out = copy_tree(data)
    read = _Resolver(year, problems)
    start_clients = _clients(data, horizon, start, _Resolver(start, []))
    clients = _clients(data, horizon, start, read)
    _grow_populations(out, read, start, start_clients, clients)
    for name, value in clients.items():
        out["profiles"][name]["clients"] = value
    for path, container, key in list(money_leaves(out)):
        since, base = read.at(path, container[key])
        if not computable(base):
            continue  # not a number, or out of range: validation reports it
        factor = index_factor(horizon, start if since is None else since, year)
        if factor != 1:
            indexed = mul(as_number(base), factor)
            try:
                base = from_cents(cents(indexed))
            except MoneyOverflow:  # beyond any money: validation of the year says it is too large
                base = indexed
        container[key] = base
    for path, container, key in dated_leaves(out):
        container[key] = read.at(path, container[key])[1]  # as written
    return out


def _clients(data: dict[str, Any], horizon: Horizon, start: int, read: _Resolver) -> dict[str, Any]:
    """Each profile's clients in the resolver's year: a dated value as written, an undated
    one grown by `client_growth` from `start`."""
    out = {}
    growth = horizon.client_growth
    for name, profile in _entries(data, "profiles"):
        if "clients" not in profile:
            continue
        since, clients = read.at(("profiles", name, "clients"), profile["clients"])
        rate = growth.get(name, Decimal(0)) if isinstance(growth, dict) else growth
        if since is None and computable(clients) and rate and read.year != start:
            clients = mul(as_number(clients), CONTEXT.power(1 + rate, read.year - start))
        out[name] = clients
    return out


def _grow_populations(
    out: dict[str, Any], read: _Resolver, start: int, start_clients: dict[str, Any], clients: dict[str, Any]
) -> None:
    """A capitation's undated `population` follows its `population_growth`: a rate (or a
    table of rates by year), or "clients": the growth of the clients of its profiles."""
    for key, i, m in _mechanisms(out):
        if m.get("type") != "capitation" or "population_growth" not in m:
            continue
        at = ("variants", key, "mechanisms", i)
        growth = m["population_growth"]
        population = m.get("population")
        if is_dated(population) or not computable(population):
            continue  # a dated population is taken as written; a wrong one is reported by validation
        if growth == "clients":
            covered = m.get("profiles")
            # raw data: a name that is not a text (`profiles = [[]]`) is validation's to report
            names = [p for p in covered if isinstance(p, str)] if isinstance(covered, list) else list(clients)
            now = sum((as_number(clients[p]) for p in names if computable(clients.get(p))), Decimal(0))
            then = sum(
                (as_number(start_clients[p]) for p in names if computable(start_clients.get(p))), Decimal(0)
            )
            if is_zero(then):
                continue  # no clients to follow: the population stays as written
            # (lanes: a draw with no clients at the start keeps its population)
            factor = where(then == 0, Decimal(1), div(now, where(then == 0, Decimal(1), then)))
        elif is_number(growth) or is_dated(growth):
            # (1 + rate)^t; rates by year compound year by year (their problems are
            # reported with the other tables by year)
            rates = (
                _Resolver(read.year, []).table((*at, "population_growth"), growth)
                if is_dated(growth)
                else growth
            )
            if not all(map(computable, rates.values() if isinstance(rates, dict) else [rates])):
                continue  # a rate out of range: validation reports it
            factor = growth_factor(rates, start, read.year)
        else:
            continue  # not a rate: validation reports it
        m["population"] = mul(as_number(population), factor)
