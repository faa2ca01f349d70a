"""Who pays for each unit of care (SCENARIO.md §4.1–4.3).

Every unit delivered is paid exactly once: by the `bundle` or `capitation` whose scope
covers its activity and profile, otherwise fee-for-service. Co-payments always flow from
the client to the provider, whatever pays the rest.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from bekostiging.engine.context import VariantContext
from bekostiging.engine.ledger import eur, q
from bekostiging.money import ZERO, allocate, cents, from_cents, is_zero, mul
from bekostiging.scenario.checks import covered_profiles, resolve_scope
from bekostiging.scenario.model import Bundle, Capitation


def pay_for_care(ctx: VariantContext) -> None:
    """Copay and fee flows for uncovered units, bundle/capitation flows for covered ones."""
    s = ctx.s
    mechanisms = [m for m in ctx.mechanisms if isinstance(m, Bundle | Capitation)]
    covered: dict[tuple[str, str], int] = {}
    cells: list[list[tuple[str, str]]] = []
    for i, m in enumerate(mechanisms):
        scope, _ = resolve_scope(s, m.scope)
        mine = [(p, a) for p in covered_profiles(s, m) for a in scope]
        cells.append(mine)
        covered.update(dict.fromkeys(mine, i))

    client = s.scenario.client
    for (p, a), units in ctx.units.items():
        act = s.activities[a]
        if client and not is_zero(act.copay):
            copay = mul(units, act.copay)
            ctx.ledger.add(
                "copay", client, act.provider, copay, p, a, partial(_cell_formula, ctx, p, a, True)
            )
        if (p, a) not in covered:
            fee = mul(units, ctx.payer_part(a))
            ctx.ledger.add(
                "fee", s.payer_of(a), act.provider, fee, p, a, partial(_cell_formula, ctx, p, a, False)
            )

    for m, mine in zip(mechanisms, cells, strict=True):
        _pay_mechanism(ctx, m, mine)


def _cell_formula(ctx: VariantContext, p: str, a: str, copay: bool) -> str:
    """`1250 clients × 0.72 units × tariff € 1863.97`: built only when `explain` asks."""
    profile, act = ctx.s.profiles[p], ctx.s.activities[a]
    volume = f"{q(profile.clients)} clients × {q(profile.path[a])} units"
    return f"{volume} × copay {eur(act.copay)}" if copay else f"{volume} × {_payer_part_formula(ctx, a)}"


def _payer_part_formula(ctx: VariantContext, a: str) -> str:
    act = ctx.s.activities[a]
    price = f"tariff {eur(act.tariff)}"
    if a in ctx.stripped:
        price = f"{price} × (1 − availability share {q(act.availability_share)})"
    if act.copay:
        price = f"({price} − copay {eur(act.copay)})"
    if a in ctx.stripped or act.copay:
        price = f"{price} [= {eur(ctx.payer_part(a))} per unit]"
    return price


def budget_neutral_price(ctx: VariantContext, m: Bundle, profile: str, scope: list[str]) -> Decimal:
    """The payer part of one client's in-scope counterfactual path, at this variant's prices."""
    path = ctx.cf_scenario().profiles[profile].path
    price = from_cents(cents(sum((mul(path[a], ctx.payer_part(a)) for a in scope if a in path), ZERO)))
    if m.adjust is not None:
        price = from_cents(cents(mul(price, 1 + m.adjust)))
    return price


def bundle_price(ctx: VariantContext, m: Bundle, profile: str, scope: list[str]) -> Decimal:
    if isinstance(m.price, str):  # validated: "budget_neutral"
        return budget_neutral_price(ctx, m, profile, scope)
    if isinstance(m.price, dict):
        return m.price[profile]
    return m.price  # a number (in a simulation perhaps lanes)


def _pay_mechanism(ctx: VariantContext, m: Bundle | Capitation, cells: list[tuple[str, str]]) -> None:
    s = ctx.s
    payer = ctx.payer_or_default(m.payer)
    component = "bundle" if isinstance(m, Bundle) else "capitation"
    scope, _ = resolve_scope(s, m.scope)

    # What the payer pays: per client of each profile, or per person covered.
    if isinstance(m, Bundle):
        parts = []
        for p in covered_profiles(s, m):
            price = bundle_price(ctx, m, p, scope)
            formula = partial(_bundle_formula, m, s.profiles[p].clients, price)
            parts.append((p, cents(mul(price, s.profiles[p].clients)), formula))
    else:
        formula = partial(_capitation_formula, m)
        parts = [(None, cents(mul(m.amount, m.population)), formula)]
    total = sum(amount for _, amount, _ in parts)

    if m.contractor is not None:
        for profile, amount, formula in parts:
            ctx.ledger.add(component, payer, m.contractor, amount, profile, formula=formula)
        overhead = cents(mul(m.overhead, from_cents(total)))
        distributable = total - overhead
        source, split_component = m.contractor, "distribution"
        pool = partial(_overhead_pool, m, total, overhead)
    else:
        distributable, source, split_component = total, payer, component
        pool = partial(_pool, total, parts)

    weights = distribution_weights(ctx, m, cells, scope)
    for party, amount in allocate(distributable, weights).items():
        formula = partial(_split_formula, m, pool, weights, party)
        ctx.ledger.add(split_component, source, party, amount, formula=formula)


def _bundle_formula(m: Bundle, clients: Decimal, price: Decimal) -> str:
    how = " (budget neutral)" if isinstance(m.price, str) else ""
    return f"{q(clients)} clients × price {eur(price)}{how}"


def _capitation_formula(m: Capitation) -> str:
    return f"{eur(m.amount)} × {q(m.population)} persons"


def _overhead_pool(m: Bundle | Capitation, total: int, overhead: int) -> str:
    kept = eur(overhead, from_cents=True)
    return f"({eur(total, from_cents=True)} − overhead {kept} [{q(m.overhead)} × total])"


def _pool(total: int, parts: list) -> str:
    return f"{eur(total, from_cents=True)} ({len(parts)} profile prices)" if len(parts) > 1 else parts[0][2]()


def _split_formula(m: Bundle | Capitation, pool, weights: dict[str, Decimal], party: str) -> str:
    key = m.distribution if isinstance(m.distribution, str) else "shares"
    weight_sum = sum(weights.values(), ZERO)
    share = f"{q(weights[party])} / {q(weight_sum)}" if weight_sum else "an equal share"
    return f"{pool()} × {key} weight {share}"


def distribution_weights(
    ctx: VariantContext, m: Bundle | Capitation, cells: list[tuple[str, str]], scope: list[str]
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
