"""How the formulas `explain` shows are written: exact, never rounded, in one language.

A ledger flow keeps its formula as a function of a `Words`, called only when someone
reads it. `Words()` writes the audit text of the JSON trace and the csv (`€ 1863.97`,
`0.725`, English, no thousands separators, no locale), so a script can recompute every
step; `Words("nl")` and `Words("en")` write the same formula for people, in the language
and number format of `--lang` (`€ 1.863,97 per persoon × 262.000 personen`). Every factor
is named by what it is. `TEMPLATES` holds each phrase in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

# phrase -> (English, Dutch); `{name}` places a number, an amount or a nested phrase
TEMPLATES: dict[str, tuple[str, str]] = {
    # fee-for-service (engine/fee_for_service.py)
    "volume": ("{clients} clients × {units} units", "{clients} cliënten × {units} eenheden"),
    "copay_cell": ("{volume} × copay {copay}", "{volume} × eigen bijdrage {copay}"),
    "tariff": ("tariff {tariff}", "tarief {tariff}"),
    "stripped": (
        "{price} × (1 − availability share {share})",
        "{price} × (1 − beschikbaarheidsdeel {share})",
    ),
    "less_copay": ("({price} − copay {copay})", "({price} − eigen bijdrage {copay})"),
    "per_unit": ("{price} [= {amount} per unit]", "{price} [= {amount} per eenheid]"),
    # mechanisms
    "capitation": (
        "{amount} per person × {population} persons",
        "{amount} per persoon × {population} personen",
    ),
    "contract_volume": ("contract volume {amount}", "aanneemsom {amount}"),
    "fee_value": ("fee-for-service value {value}", "waarde tegen tarieven {value}"),
    "settle_high": (
        "settlement rate {settle} × ({value} − upper bound {high} × contract volume {amount})",
        "verrekenpercentage {settle} × ({value} − bovengrens {high} × aanneemsom {amount})",
    ),
    "settle_low": (
        "settlement rate {settle} × (lower bound {low} × contract volume {amount} − {value})",
        "verrekenpercentage {settle} × (ondergrens {low} × aanneemsom {amount} − {value})",
    ),
    "overhead": (
        "({total} − overhead {kept} [overhead rate {rate} × total])",
        "({total} − overhead {kept} [overheadpercentage {rate} × totaal])",
    ),
    "profile_prices": (
        "{total} (the sum of {count} profile prices)",
        "{total} (de som van {count} profielprijzen)",
    ),
    "share": (
        "share of {party} by {key} ({weight} / {total})",
        "deel van {party} naar {key} ({weight} / {total})",
    ),
    "equal_share": ("an equal share", "een gelijk deel"),
    "bundle": ("{clients} clients × price {price}", "{clients} cliënten × prijs {price}"),
    "bundle_neutral": (
        "{clients} clients × price {price} (budget neutral)",
        "{clients} cliënten × prijs {price} (budgetneutraal)",
    ),
    "refill": (
        "refill rate {rate} × freed capacity {freed} (tariff × units no longer delivered)",
        "opvulpercentage {rate} × vrijgekomen capaciteit {freed}"
        " (tarief × eenheden die niet meer geleverd worden)",
    ),
    "guarantee": (
        "floor {floor} × counterfactual revenue {baseline} − revenue so far {revenue}",
        "garantiepercentage {floor} × omzet zonder de variant {baseline} − omzet tot nu toe {revenue}",
    ),
    "collaboration": (
        "fixed {fixed} + {per_client} per client × {clients} clients",
        "vast {fixed} + {per_client} per cliënt × {clients} cliënten",
    ),
    "pool": ("pool {pool}", "pot {pool}"),
    "pool_rate": (
        "pool rate {rate} × spend so far {spend}",
        "potpercentage {rate} × uitgaven tot nu toe {spend}",
    ),
    "quality": ("{how} × score {score} = {paid} × {share}", "{how} × score {score} = {paid} × {share}"),
    "availability": (
        "annual cost {cost} of {function} × funding share {funding}",
        "jaarkosten {cost} van {function} × financieringsdeel {funding}",
    ),
    "transfer_fixed": ("fixed {fixed}", "vast {fixed}"),
    "transfer_clients": (
        "{per_client} per client × {clients} clients",
        "{per_client} per cliënt × {clients} cliënten",
    ),
    "transfer_savings": (
        "share of savings {share} × max(0, savings {saved})",
        "deel van de besparing {share} × max(0, besparing {saved})",
    ),
    "contributor": ("{head} × contributor share {share}", "{head} × bijdragedeel {share}"),
    "ceiling_party": ("received {received} − ceiling {ceiling}", "ontvangen {received} − plafond {ceiling}"),
    "ceiling_spend": (
        "(spend {spend} − ceiling {ceiling}) × share of what {party} received ({received} / {total})",
        "(uitgaven {spend} − plafond {ceiling}) × deel van wat {party} ontving ({received} / {total})",
    ),
    "savings": (
        "savings {savings} = benchmark {benchmark} − actual {actual}; payout {payout}",
        "besparing {savings} = benchmark {benchmark} − werkelijk {actual}; uitkering {payout}",
    ),
    "outcome": ("{head} [{outcome}: {reason}]", "{head} [{outcome}: {reason}]"),
    "reinvest": ("{head} × reinvestment share {rate}", "{head} × herinvesteringsdeel {rate}"),
    "recipient": (
        "({head} − reinvested {reinvested}) × {share}",
        "({head} − geherinvesteerd {reinvested}) × {share}",
    ),
    # several insurers (engine/books.py) and adoption (engine/horizon.py)
    "book": ("book {book}: {formula}", "boek {book}: {formula}"),
    "adopted": ("adoption {share} × ({formula})", "adoptie {share} × ({formula})"),
    "not_adopted": ("(1 − adoption) {share} × ({formula})", "(1 − adoptie) {share} × ({formula})"),
    "mixed": (
        "{parts}; the group's {total} split over its lines by largest remainder",
        "{parts}; het groepstotaal {total} verdeeld over de regels naar grootste rest",
    ),
    "lanes": ("lanes", "lanes"),
}

# Keys of a split, and a settlement's outcome and reason, as a formula names them.
WORDS: dict[str, tuple[str, str]] = {
    "tariffs": ("tariffs", "tarieven"),
    "cost": ("cost", "kosten"),
    "shares": ("agreed shares", "afgesproken verdeling"),
    "revenue": ("revenue", "omzet"),
    "revenue_so_far": ("revenue so far", "omzet tot nu toe"),
    "contribution": ("revenue given up", "prijsgegeven omzet"),
    "investment": ("net decrease", "nettodaling"),
    "equal": ("equal shares", "gelijke delen"),
    "payout": ("payout", "uitkering"),
    "repayment": ("repayment", "terugbetaling"),
    "none": ("none", "geen"),
    "savings": ("savings", "besparing"),
    "losses": ("losses", "verlies"),
    "capped": ("capped", "begrensd"),
    "below_msr": ("below the threshold", "onder de drempel"),
    "gate_failed": ("quality below the gate", "kwaliteit onder de poort"),
    "below_mlr": ("below the loss threshold", "onder de verliesdrempel"),
    "one_sided": ("one-sided", "eenzijdig"),
}


class Words:
    """Writes one formula: `Words()` plain for audit, `Words("nl")`/`Words("en")` for people."""

    def __init__(self, lang: str | None = None):
        if lang not in (None, "nl", "en"):
            raise ValueError(f"unknown language {lang!r}; choose from nl, en")
        self.lang = lang

    def __call__(self, phrase: str, **values: object) -> str:
        return TEMPLATES[phrase][self.lang == "nl"].format(**values)

    def word(self, key: str) -> str:
        """A key's or an outcome's name (`tariffs`, `below_msr`), or the key itself."""
        return WORDS[key][self.lang == "nl"] if key in WORDS else key

    def share(self, party: str, key: str, weights: Mapping[str, Any], *, money: str = "") -> str:
        """`share of zh by tariffs (€ 2.00 / € 3.00)`: the party's weight of all the weights
        under a key (`WORDS`); `money` "euros" or "cents" shows the weights as amounts."""
        total = sum(weights.values(), Decimal(0))
        if not total:
            return self("equal_share")
        show = {"euros": self.eur, "cents": lambda v: self.eur(v, from_cents=True)}.get(money, self.num)
        return self("share", party=party, key=self.word(key), weight=show(weights[party]), total=show(total))

    def num(self, value: Decimal | int) -> str:
        """An exact number: `262000` plain, `262.000` (nl), `262,000` (en); never rounded."""
        text = q(value)
        return text if self.lang is None else _grouped(text, self.lang)

    def eur(self, value: Decimal | int, *, from_cents: bool = False) -> str:
        """An exact amount: `€ 82.44` plain, `€ 82,44` (nl), `€82.44` (en); at least two
        decimals, more when the amount has them."""
        if self.lang is None:
            return eur(value, from_cents=from_cents)
        amount = Decimal(value) / 100 if from_cents else Decimal(value)
        exact = amount == amount.quantize(Decimal("0.01"))
        text = _grouped(f"{amount:.2f}" if exact else q(amount), self.lang)
        if self.lang == "nl":
            return f"€ {text}"
        return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"


def q(value: Decimal | int) -> str:
    """A number for a formula: plain decimal notation, no exponent, no trailing zeros."""
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def eur(value: Decimal | int, *, from_cents: bool = False) -> str:
    amount = Decimal(value) / 100 if from_cents else Decimal(value)
    return f"€ {amount:.2f}" if amount == amount.quantize(Decimal("0.01")) else f"€ {q(amount)}"


def _grouped(plain: str, lang: str) -> str:
    """`-1234567.891` as `-1.234.567,891` (nl) or `-1,234,567.891` (en): digits kept."""
    sign = "-" if plain.startswith("-") else ""
    whole, _, decimals = plain.lstrip("-").partition(".")
    thousands, point = (".", ",") if lang == "nl" else (",", ".")
    groups = f"{int(whole):,}".replace(",", thousands)
    return f"{sign}{groups}{point}{decimals}" if decimals else f"{sign}{groups}"
