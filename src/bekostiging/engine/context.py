"""What a mechanism sees: one variant's inputs, prices, units, ledger so far, counterfactual."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from bekostiging.engine.ledger import Ledger
from bekostiging.lanes import Amount
from bekostiging.mechanisms.availability import stripped_parties
from bekostiging.money import ZERO, maximum, mul
from bekostiging.scenario.model import Mechanism, RefillEffect, Scenario


def units_of(s: Scenario) -> dict[tuple[str, str], Amount]:
    """Units delivered per (profile, activity): clients × units per client, exact."""
    return {(p, a): mul(prof.clients, u) for p, prof in s.profiles.items() for a, u in prof.path.items()}


def per_activity(units: dict[tuple[str, str], Amount]) -> dict[str, Amount]:
    total: dict[str, Amount] = defaultdict(lambda: ZERO)
    for (_, a), u in units.items():
        total[a] += u
    return dict(total)


@dataclass
class Counterfactual:
    """The figures of the counterfactual that mechanisms compare against."""

    scenario: Scenario
    units_by_activity: dict[str, Amount]
    ledger: Ledger


@dataclass
class VariantContext:
    variant: str
    s: Scenario  # inputs after what-ifs and this variant's effects
    refills: tuple[RefillEffect, ...]
    cf: Counterfactual | None  # None while computing the counterfactual itself
    mechanisms: list[Mechanism]  # the switched-on ones, file order; empty: pure fee-for-service
    ledger: Ledger = field(default_factory=Ledger)
    stripped: frozenset[str] = frozenset()  # activities priced without their availability share
    settlements: list[dict[str, Any]] = field(default_factory=list)
    # Each per-profile payment (a bundle): its parts per profile (whole cents) and the flows
    # it made, so a client's journey can attribute the flows without a profile (the pool
    # divided over providers) to the profiles, pro rata their parts (report.journey).
    pools: list[tuple[dict[str, Any], list[Any]]] = field(default_factory=list)
    units: dict[tuple[str, str], Amount] = field(init=False)

    def __post_init__(self) -> None:
        self.units = units_of(self.s)
        parties = stripped_parties(self.s, self.mechanisms)
        self.stripped = frozenset(a for a, act in self.s.activities.items() if act.provider in parties)

    def price(self, activity: str) -> Amount:
        """The unit price in this variant: the tariff, less its availability share if stripped."""
        act = self.s.activities[activity]
        if activity in self.stripped:
            return mul(act.tariff, 1 - act.availability_share)
        return act.tariff

    def payer_part(self, activity: str) -> Amount:
        """What the payer pays per unit: price − co-payment, never below 0."""
        return maximum(self.price(activity) - self.s.activities[activity].copay, ZERO)

    def payer_or_default(self, payer: str | None) -> str:
        chosen = payer or self.s.scenario.default_payer
        assert chosen is not None, "validated: a payer or a default payer exists"
        return chosen

    def cf_ledger(self) -> Ledger:
        """The counterfactual's ledger; the counterfactual of itself is its own ledger."""
        return self.cf.ledger if self.cf is not None else self.ledger

    def units_by_activity(self) -> dict[str, Amount]:
        return per_activity(self.units)

    def cf_units_by_activity(self) -> dict[str, Amount]:
        return self.cf.units_by_activity if self.cf is not None else per_activity(self.units)

    def cf_scenario(self) -> Scenario:
        return self.cf.scenario if self.cf is not None else self.s
