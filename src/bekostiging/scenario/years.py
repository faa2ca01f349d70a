"""One year of a multi-year scenario (HORIZON.md §1): dated values, indexation, growth.

A scenario with `[horizon]` is resolved year by year on its raw data, before validation:
every money input becomes that year's value (its dated value, or the value indexed from
`start`, rounded to cents), and every profile's clients grow. Each year is then an
ordinary one-year scenario, validated and computed like any other. Fractions (shares,
rates, floors) are never indexed.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from bekostiging.arithmetic import CONTEXT
from bekostiging.mechanisms import MONEY_FIELDS
from bekostiging.money import as_number, cents, from_cents, is_number, mul
from bekostiging.scenario.model import Horizon

# Money inputs that are indexed (HORIZON.md §1), by where they stand in the data.
ACTIVITY_MONEY = ("tariff", "copay", "cost")


class YearProblem(ValueError):
    def __init__(self, path: tuple, message: str):
        self.path = path
        super().__init__(message)


def is_dated(value: Any) -> bool:
    """A table by year: `{2025 = 1863.97, 2026 = 1950.00}`."""
    return (
        isinstance(value, dict) and bool(value) and all(str(k).isdigit() and len(str(k)) == 4 for k in value)
    )


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
        if "fixed_cost" in party:
            yield ("parties", key, "fixed_cost"), party, "fixed_cost"
    for key, variant in _entries(data, "variants"):
        mechanisms = variant.get("mechanisms")
        for i, m in enumerate(mechanisms if isinstance(mechanisms, list) else []):
            if not isinstance(m, dict):
                continue
            kind = m.get("type")  # raw data: validation reports a `type` that is not a name
            for field in MONEY_FIELDS.get(kind, ()) if isinstance(kind, str) else ():
                value = m.get(field)
                at = ("variants", key, "mechanisms", i, field)
                if field == "price" and isinstance(value, dict) and not is_dated(value):
                    for profile in value:  # a price per profile, each maybe dated
                        yield (*at, profile), value, profile
                elif field in m and not isinstance(value, str):
                    yield at, m, field


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


def index_factor(horizon: Horizon, since: int, year: int) -> Decimal:
    """Π (1 + index_k) for k = since+1 .. year."""
    factor = Decimal(1)
    for k in range(since + 1, year + 1):
        factor = mul(factor, 1 + rate_in(horizon.index, k, Decimal(0)))
    return factor


def rate_in(table: Decimal | dict[int, Decimal], year: int, before: Decimal) -> Decimal:
    """A number, or a table by year: the latest listed year <= `year`, else `before`."""
    if not isinstance(table, dict):
        return table
    listed = [y for y in table if y <= year]
    return table[max(listed)] if listed else before


def resolve(
    data: dict[str, Any], horizon: Horizon, start: int, year: int, problems: list[YearProblem] | None = None
) -> dict[str, Any]:
    """The raw data of one year: money indexed or dated (rounded to cents), clients grown.

    A dated value with no entry for `year` raises `YearProblem`, or, when a `problems`
    list is given, is recorded there and takes its first entry so the rest can be checked.
    """
    out = copy_tree(data)
    for path, container, key in list(money_leaves(out)):
        value = container[key]
        if is_dated(value):
            dated = {int(k): v for k, v in value.items()}
            listed = [y for y in dated if y <= year]
            if not listed:
                problem = YearProblem(path, f"has no value for {year}: its table starts in {min(dated)}")
                if problems is None:
                    raise problem
                problems.append(problem)
                listed = [min(dated)]
            since = max(listed)
            base = dated[since]
        else:
            since, base = start, value
        if not is_number(base):
            continue  # not a number: validation reports it
        factor = index_factor(horizon, since, year)
        container[key] = from_cents(cents(mul(as_number(base), factor))) if factor != 1 else base
    t = year - start
    for name, profile in _entries(out, "profiles"):
        growth = horizon.client_growth
        rate = growth.get(name, Decimal(0)) if isinstance(growth, dict) else growth
        clients = profile.get("clients")
        if t and rate and is_number(clients):
            profile["clients"] = mul(as_number(clients), CONTEXT.power(1 + rate, t))
    return out
