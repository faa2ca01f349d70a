"""What bundles and capitation share (SCENARIO.md §4.2–4.3): the scope they pay for, the
contractor who receives the money, and how it is divided "behind the front door".

Every unit delivered is paid exactly once: by the `bundle` or `capitation` whose scope
covers its activity and profile, otherwise fee-for-service (`engine.fee_for_service`).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Annotated, Any

from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError

from bekostiging.fields import keyword_or_shares, money_decimals, non_negative, number
from bekostiging.formula import Words
from bekostiging.mechanisms import contributors
from bekostiging.mechanisms.base import PROVIDERS, Refs
from bekostiging.mechanisms.scope import resolve_scope, scope_hint
from bekostiging.money import ZERO, allocate, cents, from_cents, mul

Distribution = Annotated[str | dict[str, Decimal], keyword_or_shares("tariffs", "cost")]


def price(value: Any, info: ValidationInfo) -> Decimal | str | dict[str, Decimal]:
    """A bundle price: "budget_neutral", EUR per client, or a table of profile = EUR."""
    if isinstance(value, str):
        if value == "budget_neutral":
            return value
        raise PydanticCustomError(
            "keyword",
            'must be "budget_neutral", a number (EUR per client) or a table of profile = EUR, got {got}',
            {"got": repr(value)},
        )
    if isinstance(value, dict):
        return {str(k): money_decimals(non_negative(number(v)), info) for k, v in value.items()}
    return money_decimals(non_negative(number(value)), info)


def covered_profiles(s: Any, m: Any) -> list[str]:
    """The profiles a payment mechanism pays for: listed, priced, or all."""
    if m.profiles is not None:
        return list(m.profiles)
    if m.type == "bundle" and isinstance(m.price, dict):
        return list(m.price)
    return list(s.profiles)


def covers(s: Any, m: Any) -> list[tuple[str, str]]:
    """The (profile, activity) cells this mechanism pays instead of fee-for-service."""
    scope, _ = resolve_scope(s, m.scope)
    return [(p, a) for p in covered_profiles(s, m) for a in scope]


# ------------------------------------------------------------------ checks


def check(m: Any, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    """Contractor, scope, profiles, distribution; no cell paid twice within a variant."""
    yield from check_head(m, refs, at)
    yield from check_tail(m, refs, at, seen)


def check_head(m: Any, refs: Refs, at: tuple) -> Iterator[Any]:
    """Contributors, contractor and overhead, scope entries that match nothing, unknown profiles."""
    s = refs.s
    yield from contributors.check(m, refs, at)
    yield from refs.party(m.contractor, (*at, "contractor"), PROVIDERS, "contractor")
    if m.contractor is None and m.overhead > 0:
        yield refs.finding((*at, "overhead"), "overhead is kept by a contractor: set `contractor`")
    _, unmatched = resolve_scope(s, m.scope)
    for entry in unmatched:
        yield refs.finding((*at, "scope", (m.scope or []).index(entry)), scope_hint(s, entry))
    for j, p in enumerate(m.profiles or []):
        yield from refs.exists("profiles", "profile", p, (*at, "profiles", j))


def check_tail(m: Any, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    """The distribution key's parties and costs; no cell paid by two mechanisms."""
    s = refs.s
    activities, _ = resolve_scope(s, m.scope)
    if isinstance(m.distribution, dict):
        for p in m.distribution:
            yield from refs.party(p, (*at, "distribution", p), PROVIDERS, "party")
    elif m.distribution == "cost":
        for a in activities:
            if s.activities[a].cost is None:
                yield refs.finding(
                    (*at, "distribution"), f"distribution \"cost\" needs a `cost` on activity '{a}'"
                )
    covered: dict[tuple[str, str], int] = seen.setdefault("covered", {})
    index = at[-1]
    for p in covered_profiles(s, m):
        for a in activities:
            other = covered.setdefault((p, a), index)
            if other != index:
                yield refs.finding(
                    (*at, "scope"),
                    f"activity '{a}' of profile '{p}' is already paid by mechanisms.{other}"
                    " (at most one bundle or capitation per activity and profile)",
                )


# ------------------------------------------------------------------ flows


def pay(ctx: Any, m: Any, parts: list[tuple[str | None, int, Any]], component: str) -> None:
    """The payer (or the contributors) pays `parts` (per profile, or one sum); the money is
    divided over providers, by the contractor or, without one, by the payer directly."""
    scope, _ = resolve_scope(ctx.s, m.scope)
    total = sum(amount for _, amount, _ in parts)
    first = len(ctx.ledger.flows)

    if m.contractor is not None:
        for profile, amount, formula in parts:
            contributors.pay(ctx, m, component, m.contractor, amount, profile, formula=formula)
        overhead = cents(mul(m.overhead, from_cents(total)))
        distributable = total - overhead
        pool = partial(_overhead_pool, m, total, overhead)
    else:
        distributable = total
        pool = partial(_pool, total, parts)

    weights = distribution_weights(ctx, m, covers(ctx.s, m), scope)
    for party, amount in allocate(distributable, weights).items():
        formula = partial(_split_formula, m, pool, weights, party)
        if m.contractor is not None:
            ctx.ledger.add("distribution", m.contractor, party, amount, formula=formula)
        else:
            contributors.pay(ctx, m, component, party, amount, formula=formula)
    if all(profile is not None for profile, _, _ in parts):
        ctx.pools.append(({p: amount for p, amount, _ in parts}, ctx.ledger.flows[first:]))


def _overhead_pool(m: Any, total: int, overhead: int, w: Words) -> str:
    total_, kept = w.eur(total, from_cents=True), w.eur(overhead, from_cents=True)
    return w("overhead", total=total_, kept=kept, rate=w.num(m.overhead))


def _pool(total: int, parts: list, w: Words) -> str:
    if len(parts) > 1:
        return w("profile_prices", total=w.eur(total, from_cents=True), count=len(parts))
    return parts[0][2](w)


def _split_formula(m: Any, pool, weights: dict[str, Decimal], party: str, w: Words) -> str:
    """The pool × the party's weight / all weights; by tariffs or cost the weights are the
    euros of the units it delivers, by `distribution = {...}` the agreed shares."""
    key = m.distribution if isinstance(m.distribution, str) else "shares"
    return f"{pool(w)} × {w.share(party, key, weights, money='' if key == 'shares' else 'euros')}"


def distribution_weights(
    ctx: Any, m: Any, cells: list[tuple[str, str]], scope: list[str]
) -> dict[str, Decimal]:
    """Weights of the providers among whom the money is divided "behind the front door"."""
    if isinstance(m.distribution, dict):
        return dict(m.distribution)
    providers = {ctx.s.activities[a].provider for a in scope}
    weights = dict.fromkeys(providers, ZERO)
    for p, a in cells:
        units = ctx.units.get((p, a))
        if units is None:
            continue
        act = ctx.s.activities[a]
        per_unit = (
            ctx.payer_part(a) if m.distribution == "tariffs" else (act.cost if act.cost is not None else ZERO)
        )
        weights[act.provider] += mul(units, per_unit)
    return weights
