"""Availability funding and coverage (SCENARIO.md §4.4).

7x24 functions are paid partly inside tariffs (`availability_share`) and, under this
mechanism, separately. Coverage shows both, so that fewer caesareans under
fee-for-service show up as a falling coverage of the hospital's fixed costs.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any, Literal

from bekostiging.arithmetic import exact
from bekostiging.fields import Fraction, Id, Strict
from bekostiging.formula import Words
from bekostiging.mechanisms import contributors
from bekostiging.mechanisms.base import MechanismSpec, Refs
from bekostiging.mechanisms.contributors import Contributors
from bekostiging.money import ZERO, allocate, cents, div, mul, rounded


class Availability(Strict):
    type: Literal["availability"]
    payer: Id | None = None
    contributors: Contributors = None
    functions: list[Id] | None = None
    funding: Fraction = Decimal(1)
    strip_tariffs: bool = True
    # Several insurers (CONTRACTS.md B): "region" makes a market payer fund the whole region
    # in its own book, the other books' tariffs stripped all the same (they ride free).
    applies_to: Literal["book", "region"] = "book"


def check(m: Availability, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    """Contributors; functions exist; each is funded by at most one mechanism of a variant."""
    yield from contributors.check(m, refs, at)
    funded: dict[str, int] = seen.setdefault("funded", {})
    for j, f in enumerate(m.functions or list(refs.s.availability)):
        yield from refs.exists("availability", "availability function", f, (*at, "functions", j))
        if f in funded:
            yield refs.finding(
                (*at, "functions", j),
                f"function '{f}' is already funded by mechanisms.{funded[f]} in this variant",
            )
        funded[f] = at[-1]


def fund(ctx: Any, m: Availability) -> None:
    for f in m.functions if m.functions is not None else ctx.s.availability:
        function = ctx.s.availability[f]
        formula = partial(_formula, function.annual_cost, f, m.funding)
        amount = cents(mul(function.annual_cost, m.funding))
        contributors.pay(ctx, m, "availability", function.party, amount, formula=formula)


def _formula(annual_cost: Decimal, function: str, funding: Decimal, w: Words) -> str:
    return w("availability", cost=w.eur(annual_cost), function=function, funding=w.num(funding))


def stripped_parties(s: Any, mechanisms: list[Any]) -> set[str]:
    """Providers whose tariffs lose their availability share: funded separately instead."""
    return {
        s.availability[f].party
        for m in mechanisms
        if isinstance(m, Availability) and m.strip_tariffs
        for f in (m.functions if m.functions is not None else s.availability)
    }


def coverage(ctx: Any) -> list[dict[str, Any]]:
    """One row per availability function: annual cost, embedded, separate, coverage, gap (cents)."""
    with exact():  # called lazily, when a report asks, outside the run's context
        return _coverage(ctx)


def _coverage(ctx: Any) -> list[dict[str, Any]]:
    s = ctx.s
    separate = separate_money(s, ctx.mechanisms)
    embedded = embedded_money(s, ctx.units_by_activity(), ctx.stripped)
    return coverage_rows(s, {f: cents(v) for f, v in separate.items()}, embedded)


def separate_money(s: Any, mechanisms: list[Any]) -> dict[str, Any]:
    """Per function: the money an availability mechanism pays for it (exact, unrounded)."""
    separate: dict[str, Any] = {}
    for m in mechanisms:
        if isinstance(m, Availability):
            for f in m.functions if m.functions is not None else s.availability:
                separate[f] = mul(s.availability[f].annual_cost, m.funding)
    return separate


def embedded_money(s: Any, units: dict[str, Any], stripped: frozenset[str]) -> dict[str, Any]:
    """Per party with functions: availability share × tariff × units of its unstripped activities."""
    return {
        party: sum(
            (
                mul(act.availability_share, act.tariff, units.get(a, ZERO))
                for a, act in s.activities.items()
                if act.provider == party and a not in stripped
            ),
            ZERO,
        )
        for party in sorted({f.party for f in s.availability.values()})
    }


def coverage_rows(
    s: Any, separate: dict[str, int], embedded_by_party: dict[str, Any]
) -> list[dict[str, Any]]:
    """The rows from separate cents per function and embedded money per party, rounded once."""
    embedded: dict[str, int] = {}
    for party, money in embedded_by_party.items():
        functions = {k: f.annual_cost for k, f in s.availability.items() if f.party == party}
        embedded.update(allocate(cents(money), functions))

    rows = []
    for k, f in sorted(s.availability.items()):
        annual = cents(f.annual_cost)
        covered = embedded[k] + separate.get(k, 0)
        rows.append(
            {
                "function": k,
                "party": f.party,
                "annual_cost": annual,
                "embedded": embedded[k],
                "separate": separate.get(k, 0),
                "coverage": rounded(div(Decimal(covered), Decimal(annual)), 4) if annual else None,
                "gap": annual - covered,
            }
        )
    return rows


SPEC = MechanismSpec(
    type="availability",
    model=Availability,
    stage="availability",
    components=("availability",),
    check=check,
    apply=fund,
    book_amounts=("funding",),
    labels={"nl": "beschikbaarheid", "en": "availability"},
    summary="the 7x24 functions' annual cost paid separately, taken out of the tariffs",
)
