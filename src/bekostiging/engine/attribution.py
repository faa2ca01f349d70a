"""Attribution: a variant's delta split into the steps that make it, in the fixed order.

Step 1, `care`: the variant's care effects under pure fee-for-service (the same care,
paid per unit; against a baseline on a lump sum this step also leaves the lump sum).
Then each stage of the mechanism registry that the variant uses is switched on in the
evaluation order (lump_sum, payment, availability, collaboration, quality, refill,
revenue_guarantee, ceiling, shared_savings, transfer). A step's amount is the change
in a party's net that switching it on causes. The steps telescope, so they add up
exactly to the delta.

The split depends on the order: a shared-savings payout measured after availability
funding differs from one measured before it. This order is the evaluation order itself,
so each step reads as "what this mechanism adds, given everything before it", which is
the question an analyst asks. In a year of a horizon in which the variant is only
partly adopted, a last step `adoption` goes from the variant in full to the mix of it
and the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

from bekostiging.engine.run import Run, compute_variant
from bekostiging.mechanisms import STAGES, spec_of

CARE = "care"
ADOPTION = "adoption"


@dataclass(frozen=True)
class Step:
    variant: str
    step: str
    party: str
    amount: int  # cents: the change in the party's net caused by this step


def attribute(run: Run, variant: str) -> list[Step]:
    """The steps of one non-baseline variant, for every party, adding up to its delta."""
    assert run.inputs is not None and run.counterfactual is not None
    scenario = run.inputs.scenario
    refills = run.inputs.refills or any(e.op == "refill" for e in scenario.variants[variant].effects)
    used = {spec_of(m).stage for m in scenario.variants[variant].mechanisms}
    if refills:
        used.add("refill")
    present = [stage for stage in STAGES if stage in used]
    parties = list(run.scenario.parties)
    before = _nets(run.variants[run.baseline].ledger, parties)
    steps: list[Step] = []
    enabled: set[str] = set()
    for name in [CARE, *present]:
        if name != CARE:
            enabled.add(name)
        result = compute_variant(
            scenario,
            run.inputs.refills,
            variant,
            run.counterfactual,
            run.file,
            steps=frozenset(enabled),
            ramp=run.ramps.get(variant, 1),
            year=run.year,
        )
        after = _nets(result.ledger, parties)
        steps += [Step(variant, name, p, after[p] - before[p]) for p in parties]
        before = after
    final = _nets(run.variants[variant].ledger, parties)
    if run.variants[variant].rest is not None:
        # A year of a horizon with the variant only partly adopted (HORIZON.md §1): the
        # steps built the variant in full; `adoption` takes it to its mixed ledger.
        steps += [Step(variant, ADOPTION, p, final[p] - before[p]) for p in parties]
        return steps
    assert before == final, "the last step must be the variant itself"
    return steps


def _nets(ledger, parties: list[str]) -> dict[str, int]:
    return {p: ledger.inflows(p) - ledger.outflows(p) for p in parties}
