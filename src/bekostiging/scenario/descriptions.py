"""One line per key of the scenario file, for the JSON Schema (`bekostiging schema`).

An editor shows these when hovering over or completing a key. They repeat, in short, the
field tables of docs/mechanisms.md and the format of SCENARIO.md; the models stay free of
them, so loading a scenario does not pay for text only an editor reads. `SHARED` holds the
keys that mean the same in every mechanism; `DESCRIPTIONS[model]` (by the model's class
name and the key as written in TOML) comes first. A test keeps both complete: every key
of the schema has a line, and every line a key.
"""

from __future__ import annotations

PAYER = "Party id of the payer. Default: scenario.default_payer."
CONTRIBUTORS = (
    "{payer = share}: several payers fund this together, each its share (in [0, 1], adding up "
    "to exactly 1). Instead of `payer`."
)
PROFILES = "Profile ids whose clients count. Default: every profile."
APPLIES_TO = (
    'With several insurers: "region" makes a market payer pay for the whole region in its own '
    'book. Default "book".'
)
RAMP = (
    "{year = share}: the share of this effect realised by year, replacing the variant's ramp "
    "for this effect. Needs a [horizon]."
)
NAME = "Display name. Default: the id."

SHARED: dict[str, str] = {
    "type": "The mechanism type.",
    "payer": PAYER,
    "contributors": CONTRIBUTORS,
    "contractor": "Party id (network or provider) that receives the money and divides it. Default: "
    "none, paid straight to the providers.",
    "scope": "Activities covered: ids, globs (`kz_*`) or `group:NAME`. Default: all activities.",
    "profiles": PROFILES,
    "overhead": "Fraction the contractor keeps, in [0, 1); needs a `contractor`. Default 0.",
    "distribution": 'How the money is divided: "tariffs" (pro rata fee-for-service revenue), "cost" '
    '(pro rata cost price) or {party = share}. Default "tariffs".',
    "applies_to": APPLIES_TO,
    "name": NAME,
    "ramp": RAMP,
    "dist": "The distribution.",
}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "ScenarioMeta": {
        "name": "Name of the scenario, shown in every output. Required in the main file.",
        "year": "The year the amounts describe (their price level); a label, and the start of a [horizon] "
        "without `start`.",
        "baseline": "Variant id every delta is taken against. Required in the main file.",
        "client": "Party id (role client) that pays the co-payments; required when any copay > 0.",
        "default_payer": 'Payer of every activity and mechanism that names none; "market" with '
        "market_shares.",
        "market_shares": "Several insurers: {payer = share of the region's clients}; each > 0, adding up to "
        "exactly 1. Each payer is computed in its own book.",
        "include": "Relative paths of .toml files (shared tariff tables) merged before validation; a key "
        "with different values in two files is an error.",
    },
    "Party": {
        "role": "payer (zorgverzekeraar, gemeente), provider, client or network (VSV, IGO).",
        "fixed_cost": "Costs that do not move with volume, EUR per year (vaste kosten); part of the party's "
        "cost and margin.",
        "follows": "Market payer whose mechanisms this market payer applies in its own book.",
    },
    "Activity": {
        "provider": "Party id (provider or network) that delivers and bills the activity.",
        "payer": "Party id of the payer. Default: scenario.default_payer.",
        "tariff": "Full price per unit (prestatie, tarief), co-payment included; EUR, at most 2 decimals.",
        "copay": "Co-payment per unit (eigen bijdrage), paid by scenario.client; at most the tariff. "
        "Default 0.",
        "cost": "The provider's variable cost price per unit (kostprijs), for cost and margin.",
        "availability_share": "Part of the tariff that pays for 7x24 availability, in [0, 1). Default 0.",
        "group": 'A tag for scopes: scope = ["group:NAME"].',
        "unit": "Label of the unit (uur, traject).",
    },
    "Profile": {
        "clients": "Clients in the profile per year (cliëntprofiel), >= 0.",
        "path": "The care path (zorgpad): {activity id = expected units per client}.",
    },
    "AvailabilityFunction": {
        "party": "Party id that bears the cost of the 7x24 availability function.",
        "annual_cost": "Its annual cost in EUR.",
    },
    "Variant": {
        "effects": "Changes in care this variant assumes (set, scale, shift, move_clients, refill), "
        "applied in order.",
        "mechanisms": "How this variant pays for care; fee-for-service for every unit none covers.",
    },
    "WhatIf": {
        "effects": "Outside changes applied to every variant (the baseline too) with --whatif.",
    },
    "SetEffect": {
        "op": "Set the inputs a path reaches to a value.",
        "path": "Dotted path of a number, `*` for every key (activities.kz_uur.tariff, profiles.*.clients).",
        "value": "The new value.",
    },
    "ScaleEffect": {
        "op": "Multiply the inputs a path reaches.",
        "path": "Dotted path of a number, `*` for every key (profiles.*.path.zh_sectio).",
        "factor": "The factor, >= 0.",
    },
    "ShiftEffect": {
        "op": "Move units from one activity to another in care paths.",
        "profile": 'Profile id, or "*" for every profile whose path has `from`.',
        "from": "Activity id the units leave.",
        "to": "Activity id the units go to.",
        "fraction": "Fraction of the `from` units moved, in [0, 1].",
        "ratio": "Units of `to` per unit moved. Default 1.",
    },
    "MoveClientsEffect": {
        "op": "Move clients from one profile to another.",
        "from": "Profile id the clients leave.",
        "to": "Profile id the clients go to.",
        "fraction": "Fraction of the clients moved, in [0, 1].",
    },
    "RefillEffect": {
        "op": "Fill capacity a variant freed with other care, paid fee-for-service.",
        "party": "Provider whose freed capacity is refilled.",
        "rate": "Part of the freed revenue refilled, >= 0.",
        "payer": "Who pays the refilled care. Default: scenario.default_payer.",
    },
    "Expectation": {
        "variant": "Variant id the check is about.",
        "party": "Party id (for revenue, payments, net, delta, delta_pct, margin).",
        "function": "Availability function id (for coverage, gap).",
        "payer": "Payer id (for payout, repayment of shared savings).",
        "metric": "The figure checked.",
        "min": "Lowest allowed value.",
        "max": "Highest allowed value.",
        "whatif": "What-if ids applied before the check.",
        "message": "Shown when the check fails.",
    },
    "Horizon": {
        "start": "First year. Default: scenario.year.",
        "years": "Number of years, 1 to 100.",
        "discount_rate": "For net present values; the first year is not discounted. Default 0.",
        "client_growth": "Yearly growth of every profile's clients, or {profile = rate}. Default 0.",
        "index": "Yearly indexation of money inputs, or {year = rate}. Default 0.",
        "adoption": "{variant = {year = share}}: share of the population under the variant; the rest "
        "stays on the baseline.",
        "ramp": "{variant = {year = share}}: share of the variant's effects realised.",
        "investments": "One-off investments of a party under a variant, in a year.",
    },
    "Investment": {
        "variant": "Variant id the investment belongs to.",
        "party": "Party id that invests.",
        "year": "Year of the investment, inside the horizon.",
        "amount": "Amount in EUR.",
    },
    "Uncertainty": {
        "draws": "Number of Monte Carlo draws. Default 1000.",
        "seed": "Seed of the random streams: the same seed, the same draws. Default 0.",
        "params": "{dotted input path = distribution}: the uncertain inputs.",
    },
    "Uniform": {
        "low": "Lowest value.",
        "high": "Highest value.",
    },
    "Triangular": {
        "low": "Lowest value.",
        "mode": "Most likely value.",
        "high": "Highest value.",
    },
    "Pert": {
        "low": "Lowest value.",
        "mode": "Most likely value.",
        "high": "Highest value.",
    },
    "Normal": {
        "mean": "Mean.",
        "sd": "Standard deviation, >= 0.",
        "low": "Truncate below this value.",
        "high": "Truncate above this value.",
    },
    "Lognormal": {
        "mean": "Mean of the variable itself (not of its log), > 0.",
        "sd": "Standard deviation of the variable itself, >= 0.",
        "low": "Truncate below this value (>= 0).",
        "high": "Truncate above this value.",
    },
    "Beta": {
        "alpha": "Shape alpha, > 0.",
        "beta": "Shape beta, > 0.",
        "low": "Value of 0 on the beta's scale. Default 0.",
        "high": "Value of 1 on the beta's scale. Default 1.",
    },
    # ------------------------------------------------------------ mechanisms (docs/mechanisms.md)
    "LumpSum": {
        "payer": "Payer of the lump sum; only this payer's fees are replaced. Default: "
        "scenario.default_payer.",
        "party": "The contracted provider (a hospital): its fees within scope are replaced.",
        "amount": "The contract volume (aanneemsom), EUR per year.",
        "scope": "Activities covered: ids, globs (`zh_*`), `group:NAME`; only the party's own count. "
        "Default: every activity the party delivers.",
        "corridor": "{low, high}: the band, as fractions of `amount`, inside which nothing is settled.",
        "settle": "Share of the difference outside the band settled afterwards (nacalculatie), in [0, 1]. "
        "Default 0.",
    },
    "Corridor": {
        "low": "Lower bound as a fraction of the amount, in [0, 1]. Default 1.",
        "high": "Upper bound as a fraction of the amount, >= 1. Default 1.",
    },
    "Bundle": {
        "price": 'EUR per client, a table {profile = EUR}, or "budget_neutral" (the price that keeps '
        "the payer's spend the same).",
        "adjust": "Only with budget_neutral: the price × (1 + adjust), >= -1.",
    },
    "Capitation": {
        "amount": "EUR per person per year.",
        "population": "Persons covered.",
        "population_growth": 'Yearly growth of `population` under a [horizon]: a rate, or "clients" to '
        "follow the clients of `profiles`. Default 0.",
    },
    "Availability": {
        "functions": "Availability function ids funded. Default: every function.",
        "funding": "Fraction of annual_cost paid (0.95: a 5 % efficiency demand), in [0, 1]. Default 1.",
        "strip_tariffs": "Take the availability share out of the tariffs, so it is not paid twice. "
        "Default true.",
    },
    "Collaboration": {
        "recipient": "The VSV or other network (or a provider) that receives the collaboration fee.",
        "fixed": "EUR per year. Default 0.",
        "per_client": "EUR per client. Default 0.",
    },
    "Quality": {
        "recipients": '{party = share}; a list of parties (pro rata their revenue so far); or "tariffs" '
        "(every provider and network with revenue so far, pro rata).",
        "pool": "The pool in EUR. Give `pool` or `pool_rate`.",
        "pool_rate": "The pool as a fraction of the payer's spend in this variant so far.",
        "score": "The quality score, in [0, 1].",
        "threshold": "Minimum score for any payment, in [0, 1]. Default 0.",
    },
    "RevenueGuarantee": {
        "payer": "Who pays the top-up: a payer, or a network or contractor paying from what it received. "
        "Default: scenario.default_payer.",
        "party": "The guaranteed party.",
        "floor": "Guaranteed fraction of its counterfactual revenue (0.97: 97 %), >= 0.",
    },
    "Ceiling": {
        "payer": "Whose spend is capped. Default: scenario.default_payer.",
        "amount": "The ceiling in EUR (omzetplafond).",
        "party": "The capped provider. Default: the payer's total spend is capped.",
    },
    "SharedSavings": {
        "payer": "Whose spend is measured. Default: scenario.default_payer.",
        "benchmark": '"baseline" (the payer\'s net spend in the counterfactual) or EUR. Default "baseline".',
        "min_savings_rate": "MSR: savings below this fraction of the benchmark are not shared. Default 0.",
        "sharing_rate": "Part of the saving paid out, in [0, 1]. Required unless `bands`.",
        "bands": "Risk corridors [{upto, rate}, ...] replacing sharing_rate; upto ascending fractions of "
        "the benchmark, only the last open.",
        "share_above_msr": "Share only the amount above the MSR (losses: above the MLR). Default false.",
        "quality_score": "Multiplies the sharing rate, in [0, 1]. Default 1.",
        "quality_gate": "Below this score nothing is shared, in [0, 1]. Default 0.",
        "cap": "Payout at most cap × benchmark. Default: no cap.",
        "loss_sharing_rate": 'Part of a loss repaid; > 0 makes it two-sided; "complement" = 1 − '
        "sharing_rate × quality_score. Default 0.",
        "loss_bands": "Corridors for losses (no quality factor); makes it two-sided.",
        "loss_rate_min": 'Lower clamp of the "complement" loss rate. Default 0.',
        "loss_rate_max": 'Upper clamp of the "complement" loss rate. Default 1.',
        "loss_rate_if_gate_fails": "The loss rate when quality_score < quality_gate (not clamped).",
        "min_loss_rate": "Losses below this fraction of the benchmark are not repaid. Default 0.",
        "loss_cap": "Repayment at most loss_cap × benchmark. Default: no cap.",
        "loss_cap_revenue": "Repayment also at most this × the loss_cap_parties' counterfactual revenue "
        "from the payer.",
        "loss_cap_parties": "Whose revenue is the base of loss_cap_revenue.",
        "withhold": "Share of a payout withheld after the cap (sequestration), in [0, 1]. Default 0.",
        "reinvest": "Part of a payout kept by `network` for quality initiatives, in [0, 1]. Default 0.",
        "network": "Receives the reinvested part; required when reinvest > 0.",
        "recipients": "Party ids that share: providers, networks or payers (a gemeente), not the payer "
        "itself.",
        "distribution": 'How the savings are divided: "equal", "revenue", "contribution" (pro rata the '
        'revenue each gave up), "investment" or {party = share}. Default "contribution".',
    },
    "Band": {
        "upto": "Upper bound as a fraction of the benchmark; none in the last band: open.",
        "rate": "Sharing rate within the band, in [0, 1].",
    },
    "Transfer": {
        "from": "Party id that pays.",
        "to": "Party id that receives.",
        "fixed": "EUR per year.",
        "per_client": "EUR per client of `profiles`.",
        "profiles": "Profile ids whose clients count for per_client. Default: every profile.",
        "share_of_savings": "Part of `from`'s savings, in [0, 1].",
    },
}


def describe_field(model: str, key: str) -> str | None:
    """The line for `key` of `model` (a class name), or None when there is none."""
    return DESCRIPTIONS.get(model, {}).get(key) or SHARED.get(key)
