"""`explain`: the ledger rows behind one party's figure, each with the formula that made it.

An analyst has to defend every euro in a meeting. This is a filter on the ledger (the same
rows every figure sums), so the flows listed always add up exactly to the figure shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bekostiging.engine.ledger import COMPONENTS, Flow
from bekostiging.engine.run import Run
from bekostiging.findings import Finding, ScenarioError, choose_from, unknown

TRACE_VERSION = 1


@dataclass
class ComponentTrace:
    component: str
    inflows: list[Flow] = field(default_factory=list)
    outflows: list[Flow] = field(default_factory=list)

    @property
    def revenue(self) -> int:
        return sum(f.amount for f in self.inflows)

    @property
    def payments(self) -> int:
        return sum(f.amount for f in self.outflows)


@dataclass
class Explanation:
    variant: str
    variant_name: str
    party: str
    party_name: str
    components: list[ComponentTrace]
    year: int | None = None  # with a [horizon]: the year shown
    names: dict[str, str] = field(default_factory=dict)  # party id -> name, for people

    @property
    def revenue(self) -> int:
        return sum(c.revenue for c in self.components)

    @property
    def payments(self) -> int:
        return sum(c.payments for c in self.components)

    @property
    def net(self) -> int:
        return self.revenue - self.payments


def explain(
    run: Run,
    variant: str,
    party: str,
    component: str | None = None,
    *,
    file: str = "",
    year: int | None = None,
) -> Explanation:
    """The flows of `party` in `variant` (optionally one component), grouped by component.

    `year` names the year of a horizon that `run` is (it only labels the output)."""
    problems = []
    if variant not in run.variants:
        problems.append(Finding(file, "--variant", choose_from("variant", variant, run.scenario.variants)))
    if party not in run.scenario.parties:
        problems.append(Finding(file, "--party", choose_from("party", party, run.scenario.parties)))
    if component is not None and component not in COMPONENTS:
        problems.append(Finding(file, "--component", unknown("component", component, COMPONENTS)))
    if problems:
        raise ScenarioError(problems)

    traces = {c: ComponentTrace(c) for c in COMPONENTS if component in (None, c)}
    for flow in run.variants[variant].ledger.flows:
        trace = traces.get(flow.component)
        if trace is None:
            continue
        if flow.payee == party:
            trace.inflows.append(flow)
        if flow.payer == party:
            trace.outflows.append(flow)
    return Explanation(
        variant=variant,
        variant_name=run.variants[variant].name,
        party=party,
        party_name=run.scenario.name_of(party),
        components=[t for t in traces.values() if t.inflows or t.outflows],
        year=year,
        names={p: run.scenario.name_of(p) for p in run.scenario.parties},
    )


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def trace_document(e: Explanation, meta: Any) -> dict[str, Any]:
    """The JSON trace for audit: versioned, exact amounts, every flow with its formula."""

    def flow(f: Flow) -> dict[str, Any]:
        return {
            "payer": f.payer,
            "payee": f.payee,
            "profile": f.profile,
            "activity": f.activity,
            "amount": _money(f.amount),
            "formula": f.describe(),
        }

    from bekostiging.report.render import provenance

    return {
        "trace_version": TRACE_VERSION,
        **provenance(meta),
        "variant": e.variant,
        "party": e.party,
        **({"year": e.year} if e.year is not None else {}),
        "revenue": _money(e.revenue),
        "payments": _money(e.payments),
        "net": _money(e.net),
        "components": [
            {
                "component": c.component,
                "revenue": _money(c.revenue),
                "payments": _money(c.payments),
                "inflows": [flow(f) for f in c.inflows],
                "outflows": [flow(f) for f in c.outflows],
            }
            for c in e.components
        ],
    }


def render_tree(e: Explanation, lang: str = "nl", max_flows: int = 50):
    """A rich Tree: figure -> component -> flows (the largest first when there are many),
    in one language: component and party names, amounts and formulas as `lang` writes them."""
    from rich.tree import Tree

    from bekostiging.report.i18n import labels as labels_of
    from bekostiging.report.layout import markup
    from bekostiging.report.numbers import euro

    labels = labels_of(lang).columns
    components = labels_of(lang).components
    where = labels_of(lang).explain["in"]
    when = f" {e.year}" if e.year is not None else ""
    root = Tree(
        f"[bold]{markup(e.party_name)}[/bold] {where} {markup(e.variant_name)}{when}: "
        f"{labels['net'].lower()} {euro(_money(e.net), lang)} = "
        f"{labels['revenue'].lower()} {euro(_money(e.revenue), lang)}"
        f" − {labels['payments'].lower()} {euro(_money(e.payments), lang)}"
    )
    for c in e.components:
        branch = root.add(
            f"[bold]{markup(components.get(c.component, c.component))}[/bold]: "
            f"{labels['revenue'].lower()} {euro(_money(c.revenue), lang)}, "
            f"{labels['payments'].lower()} {euro(_money(c.payments), lang)}"
        )
        for direction, flows in (("←", c.inflows), ("→", c.outflows)):
            ordered = sorted(flows, key=lambda f: -f.amount)
            for f in ordered[:max_flows]:
                other = f.payer if direction == "←" else f.payee
                other = e.names.get(other, other)
                cell = " / ".join(x for x in (f.profile, f.activity) if x)
                detail = f"  [dim]{markup(cell)}[/dim]" if cell else ""
                amount = euro(_money(f.amount), lang)
                formula = f"[italic]{markup(f.describe(lang))}[/italic]"
                branch.add(f"{direction} {markup(other)}: {amount}{detail}  {formula}")
            if len(ordered) > max_flows:
                rest = sum(f.amount for f in ordered[max_flows:])
                more = labels_of(lang).explain["more_flows"]
                branch.add(f"… {len(ordered) - max_flows} {more}: {euro(_money(rest), lang)} (--format json)")
    return root
