"""Inputs -> ledger: the fixed evaluation order, the counterfactual, every variant.

Order (SCENARIO.md §4), whatever the order in the file: fee-for-service, then the stages
of the mechanism registry (`bekostiging.mechanisms.STAGES`): lump_sum -> payment (bundle,
capitation) -> availability -> collaboration -> quality -> refill -> revenue_guarantee
-> ceiling -> shared_savings -> transfer. Mechanisms of one stage run in file order.

With `scenario.market_shares` (several insurers, CONTRACTS.md B) every variant is
computed in this same way once per market payer's book and the books are merged
(`engine.books`); the counterfactual is then one per book.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from bekostiging.arithmetic import MoneyOverflow, exact
from bekostiging.engine import books
from bekostiging.engine.context import Counterfactual, VariantContext, per_activity, units_of
from bekostiging.engine.fee_for_service import pay_for_care
from bekostiging.engine.ledger import Ledger
from bekostiging.findings import Finding, ScenarioError, choose_from
from bekostiging.mechanisms import STAGES, spec_of
from bekostiging.mechanisms.availability import coverage
from bekostiging.mechanisms.base import MechanismSpec
from bekostiging.scenario.effects import Applied, apply_effects
from bekostiging.scenario.model import Scenario


@dataclass
class VariantResult:
    id: str
    name: str
    inputs: Scenario  # after what-ifs and this variant's effects
    ledger: Ledger
    coverage_of: Callable[[], list[dict[str, Any]]]  # computed when a report asks (`coverage`)
    settlements: list[dict[str, Any]]
    units: dict[tuple[str, str], Any]
    # Several years (engine.horizon): the share under this variant, the baseline result
    # the rest stays on, and one-off investments per party in this year.
    adoption: Any = 1
    rest: VariantResult | None = None
    investments: dict[str, Any] = field(default_factory=dict)
    # Several insurers (engine.books): each market payer's book, whose merged flows this is.
    books: dict[str, VariantResult] = field(default_factory=dict)
    # The per-profile payments and their flows (`VariantContext.pools`); of each book's
    # own ledger when there are books, so empty on the merged result.
    pools: list[tuple[dict[str, Any], list[Any]]] = field(default_factory=list)

    @cached_property
    def coverage(self) -> list[dict[str, Any]]:
        """One row per availability function: annual cost, embedded, separate, coverage, gap."""
        return self.coverage_of()


@dataclass
class Run:
    """The outcome of one scenario: every computed variant, the baseline first."""

    scenario: Scenario
    baseline: str
    whatifs: list[str]
    variants: dict[str, VariantResult] = field(default_factory=dict)
    inputs: Applied | None = None  # the scenario after the what-ifs
    # What every non-baseline variant is compared with; with market shares, one per book.
    counterfactual: Counterfactual | dict[str, Counterfactual] | None = None
    file: str = ""
    ramps: dict[str, Any] = field(default_factory=dict)
    year: int | None = None  # the year of a horizon this run computes (effects' own ramps)


ALL_STEPS = frozenset(STAGES)


def run(
    scenario: Scenario,
    *,
    variants: Sequence[str] | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    file: str = "",
    ramps: dict[str, Any] | None = None,
    year: int | None = None,
    applied: Mapping[str, Applied] | None = None,
) -> Run:
    """Compute the baseline and the chosen variants (default: all) under the chosen what-ifs.

    `ramps` gives, per variant, the share of its effects realised (default 1); `year`, in
    a horizon, the year whose share an effect with its own ramp takes. `applied`: variants'
    effects applied to `scenario` in full already (by loading's check, `Scenario.applied`
    of the API), used instead of applying them again where they are what is asked for
    (no what-if, no ramp, no year).
    """
    with exact():
        return _run(scenario, variants, baseline, whatifs, file, ramps, year, applied)


def _run(scenario, variants, baseline, whatifs, file, ramps, year, applied=None) -> Run:
    base = baseline or scenario.scenario.baseline
    _check_ids(scenario, base, variants or (), whatifs, file)

    what_if_effects = [
        (f"whatif.{w}.effects.{i}", e) for w in whatifs for i, e in enumerate(scenario.whatif[w].effects)
    ]
    inputs = apply_effects(scenario, what_if_effects, file=file, year=year)
    ready = _ready(applied, inputs.scenario is scenario and year is None, ramps)

    wanted = [base, *[v for v in (variants or scenario.variants) if v != base]]
    result = Run(scenario, base, list(whatifs), inputs=inputs, file=file, ramps=dict(ramps or {}), year=year)

    # The baseline's counterfactual would be itself: use its inputs under fee-for-service.
    ramp = result.ramps.get
    try:
        if books.has_books(inputs.scenario):
            counterfactual: Any = _book_counterfactuals(inputs.scenario, base, file, ramp(base, 1), year)
        else:
            base_ctx = _context(
                inputs.scenario,
                inputs.refills,
                base,
                None,
                file,
                mechanisms=False,
                ramp=ramp(base, 1),
                year=year,
                ready=ready.get(base),
            )
            pay_for_care(base_ctx)
            counterfactual = _counterfactual(base_ctx)
    except MoneyOverflow as exc:
        raise ScenarioError([Finding(file, f"variants.{base}", f"{exc}: check the magnitudes")]) from None
    base_result = compute_variant(
        inputs.scenario,
        inputs.refills,
        base,
        counterfactual,
        file,
        ramp=ramp(base, 1),
        year=year,
        ready=ready,
    )
    result.variants[base] = base_result
    if base_result.books:
        counterfactual = {k: _result_counterfactual(r) for k, r in base_result.books.items()}
    else:
        counterfactual = _result_counterfactual(base_result)
    result.counterfactual = counterfactual
    for v in wanted[1:]:
        result.variants[v] = compute_variant(
            inputs.scenario, inputs.refills, v, counterfactual, file, ramp=ramp(v, 1), year=year, ready=ready
        )
    return result


def _ready(applied: Mapping[str, Applied] | None, plain: bool, ramps: dict[str, Any] | None) -> dict:
    """The variants whose effects, applied in full to the scenario itself, can be taken
    from `applied`: all of them for a `plain` run (no what-if, no year), none of a ramp."""
    if not applied or not plain:
        return {}
    return {v: a for v, a in applied.items() if (ramps or {}).get(v, 1) == 1}


def _counterfactual(ctx: VariantContext) -> Counterfactual:
    return Counterfactual(ctx.s, per_activity(ctx.units), ctx.ledger)


def _result_counterfactual(result: VariantResult) -> Counterfactual:
    return Counterfactual(result.inputs, per_activity(result.units), result.ledger)


def _book_counterfactuals(
    s: Scenario, base: str, file: str, ramp, year: int | None
) -> dict[str, Counterfactual]:
    """Per book, the baseline's inputs (its effects applied to the region) under fee-for-service."""
    effects = [(f"variants.{base}.effects.{i}", e) for i, e in enumerate(s.variants[base].effects)]
    region = apply_effects(s, effects, file=file, ramp=ramp, year=year).scenario
    out = {}
    for payer in books.book_payers(region):
        ctx = VariantContext(base, books.book_scenario(region, base, payer), (), None, [])
        pay_for_care(ctx)
        out[payer] = _counterfactual(ctx)
    return out


def _context(
    s, refills, variant, cf, file, *, mechanisms: bool = True, steps=ALL_STEPS, ramp=1, year=None, ready=None
) -> VariantContext:
    effects = [(f"variants.{variant}.effects.{i}", e) for i, e in enumerate(s.variants[variant].effects)]
    applied = ready if ready is not None else apply_effects(s, effects, file=file, ramp=ramp, year=year)
    chosen = [
        m for m in applied.scenario.variants[variant].mechanisms if mechanisms and spec_of(m).stage in steps
    ]
    all_refills = (*refills, *applied.refills) if "refill" in steps else ()
    return VariantContext(variant, applied.scenario, all_refills, cf, chosen)


def compute_variant(
    s: Scenario,
    refills,
    variant: str,
    cf: Counterfactual,
    file: str = "",
    steps=ALL_STEPS,
    ramp=1,
    year: int | None = None,
    ready: Mapping[str, Applied] | None = None,
) -> VariantResult:
    """One variant on the inputs, in the fixed evaluation order (only the given steps
    switched on). `ready`: variants' effects applied to `s` already (`run`'s `applied`)."""
    try:
        with exact():
            return _compute(s, refills, variant, cf, file, steps, ramp, year, (ready or {}).get(variant))
    except MoneyOverflow as exc:
        raise ScenarioError(
            [
                Finding(
                    file, f"variants.{variant}", f"{exc}: check the magnitudes of clients, units and prices"
                )
            ]
        ) from None


def _compute(
    s: Scenario, refills, variant: str, cf, file: str, steps, ramp, year, ready=None
) -> VariantResult:
    if books.has_books(s):
        return _compute_books(s, refills, variant, cf, file, steps, ramp, year)
    ctx = _context(s, refills, variant, cf, file, steps=steps, ramp=ramp, year=year, ready=ready)

    pay_for_care(ctx)
    for specs in STAGES.values():
        for m in instances(ctx, specs):
            spec_of(m).apply(ctx, m)

    return VariantResult(
        id=variant,
        name=ctx.s.variants[variant].name or variant,
        inputs=ctx.s,
        ledger=ctx.ledger,
        coverage_of=partial(coverage, ctx),
        settlements=ctx.settlements,
        units=ctx.units,
        pools=ctx.pools,
    )


def _compute_books(
    s: Scenario, refills, variant: str, cfs: dict[str, Counterfactual], file: str, steps, ramp, year
) -> VariantResult:
    """Several insurers (CONTRACTS.md B): effects on the whole region, then one v1 run per
    book against that book's counterfactual, the ledgers merged (engine.books)."""
    effects = [(f"variants.{variant}.effects.{i}", e) for i, e in enumerate(s.variants[variant].effects)]
    applied = apply_effects(s, effects, file=file, ramp=ramp, year=year)
    region = applied.scenario
    all_refills = (*refills, *applied.refills)
    per_book = {
        payer: _compute(
            books.book_scenario(region, variant, payer),
            books.refills_in_book(region, all_refills, payer),
            variant,
            cfs[payer],
            file,
            steps,
            1,  # the effects, ramped, are applied to the region already
            year,
        )
        for payer in books.book_payers(region)
    }
    return VariantResult(
        id=variant,
        name=region.variants[variant].name or variant,
        inputs=region,
        ledger=books.merge_ledgers({k: r.ledger for k, r in per_book.items()}),
        coverage_of=partial(books.coverage, region, per_book),
        settlements=[row for r in per_book.values() for row in r.settlements],
        units=units_of(region),
        books=per_book,
    )


def instances(ctx: VariantContext, specs: tuple[MechanismSpec, ...]) -> list[Any]:
    """The switched-on mechanisms of one stage, in file order (refill: the refill effects)."""
    if any(spec.from_effects for spec in specs):
        return list(ctx.refills)
    types = {spec.type for spec in specs}
    return [m for m in ctx.mechanisms if m.type in types]


def _check_ids(s: Scenario, base: str, variants: Sequence[str], whatifs: Sequence[str], file: str) -> None:
    findings = []
    if base not in s.variants:
        findings.append(Finding(file, "--baseline", choose_from("variant", base, s.variants)))
    for v in variants:
        if v not in s.variants:
            findings.append(Finding(file, "--variant", choose_from("variant", v, s.variants)))
    for w in whatifs:
        if w not in s.whatif:
            findings.append(Finding(file, "--whatif", choose_from("what-if", w, s.whatif)))
    if findings:
        raise ScenarioError(findings)
