"""What a funding mechanism is to the tool: one `MechanismSpec` per mechanism module.

A mechanism module holds everything about one `type = "..."` of the file: its pydantic
model (the input side), its cross-reference checks, and how it writes flows into the
ledger (the engine side). The registry in `mechanisms/__init__.py` lists the specs in
the fixed evaluation order (SCENARIO.md §4); the model union, validation, the engine's
loop, attribution steps, labels, indexed money fields and the docs are derived from it.

Mechanism modules import only leaves (`fields`, `money`, `lanes`): the engine and the
validator hand them what they need (a context, a `Refs`), so a mechanism sits below
both the scenario and the engine layers and neither imports the other through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pydantic import BaseModel

PROVIDERS = ("provider", "network")  # the roles that can receive money for care
# Who may receive shared savings, a quality payment or a guarantee (CONTRACTS.md C): a
# payer too (a gemeente that bears part of the cost), which lowers its net spend.
PAYEES = (*PROVIDERS, "payer")


class Refs(Protocol):
    """Turns a reference into findings with the file and a "did you mean" (scenario.checks)."""

    s: Any  # the structurally valid Scenario

    def finding(self, path: tuple, message: str) -> Any: ...

    def exists(self, section: str, kind: str, name: str, path: tuple) -> Iterator[Any]: ...

    def party(self, name: str | None, path: tuple, roles: tuple[str, ...], what: str) -> Iterator[Any]: ...

    def payer(self, name: str | None, path: tuple, roles: tuple[str, ...] = ("payer",)) -> Iterator[Any]: ...


# check(mechanism, refs, at, seen): findings for one mechanism at `at` (its dotted path as a
# tuple); `seen` is shared by the mechanisms of one variant (what is already paid or funded).
Check = Callable[[Any, Refs, tuple, dict[str, Any]], Iterator[Any]]
# apply(context, mechanism): write this mechanism's flows into the variant's ledger.
Apply = Callable[[Any, Any], None]


def no_check(m: Any, refs: Refs, at: tuple, seen: dict[str, Any]) -> Iterator[Any]:
    return iter(())


def not_own_payer(m: Any, refs: Refs, name: str, path: tuple) -> Iterator[Any]:
    """A payer (or contributor) of a mechanism cannot also receive from it: it would pay itself."""
    contributors = getattr(m, "contributors", None)
    payers = list(contributors) if contributors is not None else [m.payer or refs.s.scenario.default_payer]
    if name in payers:
        yield refs.finding(path, f"'{name}' pays this mechanism; it cannot also receive from it")


@dataclass(frozen=True)
class MechanismSpec:
    """One mechanism: its file type, model, place in the evaluation order and behaviour."""

    type: str  # `type = "..."` in the file; for refill, the effect's `op`
    stage: str  # its step in the evaluation order (and in attribution); shared by bundle/capitation
    components: tuple[str, ...]  # the ledger components it writes, in the order they are reported
    apply: Apply
    model: type[BaseModel] | None = None  # None: the instances are effects (refill), not mechanisms
    check: Check = no_check
    money_fields: tuple[str, ...] = ()  # euro inputs, indexed and dated by year (HORIZON.md §1)
    labels: dict[str, str] = field(default_factory=dict)  # the stage's name per language (nl, en)
    summary: str = ""  # one line for the docs
    # Who may be its `payer` (checked for every mechanism by the validator, with the default
    # payer when none is given); empty: the mechanism checks its own paying side.
    payer_roles: tuple[str, ...] = ("payer",)
    # The field that names who pays (a transfer's `from`): books (several insurers) put each
    # mechanism in the book of the party that pays it.
    payer_field: str = "payer"
    # Payment mechanisms: the (profile, activity) cells they pay instead of fee-for-service.
    covers: Callable[[Any, Any], list[tuple[str, str]]] | None = None
    # Several insurers (CONTRACTS.md B, engine.books): the amounts that are not per client.
    # They are taken as written in the payer's own book, × share_follower / share_lead in a
    # follower's book, and × share_k in book k when the payer is "market" or not a market
    # payer. A numeric field only: a keyword (a benchmark of "baseline") is not scaled.
    fixed_amounts: tuple[str, ...] = ()
    # Amounts paid per book in every case, × share_k in book k whoever the payer (availability
    # pays annual_cost × funding × share_k), except under `applies_to = "region"`.
    book_amounts: tuple[str, ...] = ()

    @property
    def from_effects(self) -> bool:
        """Instances come from a variant's (and the what-ifs') effects, not its mechanisms."""
        return self.model is None
