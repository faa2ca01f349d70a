"""The funding mechanisms, in the fixed evaluation order (SCENARIO.md §4).

`MECHANISMS` is the one list: the scenario's model union, the cross-reference checks,
the engine's loop, the attribution steps, the ledger components, the labels of the
steps, the money inputs indexed by year and the docs' table are all derived from it.
Adding a mechanism is one module with a `SPEC` plus one line here.

Mechanisms of one stage run in file order, whatever their type (a bundle and a
capitation of one variant are paid in the order they are written).
"""

from __future__ import annotations

import functools
import operator
from typing import Annotated, Any

from pydantic import Field

from bekostiging.mechanisms import (
    availability,
    bundle,
    capitation,
    ceiling,
    collaboration,
    lump_sum,
    quality,
    refill,
    revenue_guarantee,
    shared_savings,
    transfer,
)
from bekostiging.mechanisms.base import MechanismSpec

MECHANISMS: tuple[MechanismSpec, ...] = (
    lump_sum.SPEC,  # evaluated with fee-for-service (CONTRACTS.md D)
    bundle.SPEC,
    capitation.SPEC,
    availability.SPEC,
    collaboration.SPEC,
    quality.SPEC,
    refill.SPEC,
    revenue_guarantee.SPEC,
    ceiling.SPEC,
    shared_savings.SPEC,
    transfer.SPEC,
)

BY_TYPE: dict[str, MechanismSpec] = {spec.type: spec for spec in MECHANISMS}
# The mechanisms written as `[[variants.ID.mechanisms]]` (refill is an effect).
MECHANISM_TYPES: tuple[str, ...] = tuple(spec.type for spec in MECHANISMS if not spec.from_effects)
# The steps of the evaluation order, each with its mechanisms.
STAGES: dict[str, tuple[MechanismSpec, ...]] = {
    stage: tuple(s for s in MECHANISMS if s.stage == stage)
    for stage in dict.fromkeys(s.stage for s in MECHANISMS)
}
# Fee-for-service and co-payments, which need no mechanism, then every mechanism's own.
COMPONENTS: tuple[str, ...] = tuple(
    dict.fromkeys(("fee", "copay", *(c for spec in MECHANISMS for c in spec.components)))
)
# Euro inputs of mechanisms, indexed and dated by year (HORIZON.md §1).
MONEY_FIELDS: dict[str, tuple[str, ...]] = {s.type: s.money_fields for s in MECHANISMS if s.money_fields}
STAGE_LABELS: dict[str, dict[str, str]] = {
    lang: {stage: specs[0].labels[lang] for stage, specs in STAGES.items()} for lang in ("nl", "en")
}

# The tagged union of mechanism models, on `type` (pydantic picks the model by its literal).
Mechanism = Annotated[
    functools.reduce(operator.or_, [s.model for s in MECHANISMS if s.model is not None]),  # type: ignore[valid-type]
    Field(discriminator="type"),
]


def spec_of(mechanism: Any) -> MechanismSpec:
    """The spec of a validated mechanism (its `type`), or of a refill effect (its `op`)."""
    return BY_TYPE[getattr(mechanism, "type", None) or mechanism.op]
