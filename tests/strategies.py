"""Hypothesis strategies for valid scenarios, and a small TOML writer for them.

Generated scenarios go through the real loader (as TOML text), so the properties cover
parsing and validation too. Every mechanism type can appear; references are valid by
construction, money has whole cents, and at most one bundle or capitation is generated
per variant (so coverage never overlaps).

`any_text` is text as a hostile or careless file may hold it (rich markup, emoji codes,
control characters, right-to-left text, emoji, XML's special characters); `scenarios(names=
any_text())` puts it in every name, and `named_scenarios` adds what-ifs, checks and an
[uncertainty] block with names of their own, so every command has something to show.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

PROVIDERS = ["verloskundigen", "kraamzorg", "ziekenhuis"]


def money(low: int = 0, high: int = 500_000) -> st.SearchStrategy[Decimal]:
    """Euros with whole cents."""
    return st.integers(low, high).map(lambda c: Decimal(c).scaleb(-2))


def fraction(places: int = 2) -> st.SearchStrategy[Decimal]:
    return st.integers(0, 10**places).map(lambda v: Decimal(v).scaleb(-places))


quantity = st.one_of(
    st.integers(0, 500).map(Decimal),
    st.integers(0, 50_000).map(lambda v: Decimal(v).scaleb(-3)),
)


@st.composite
def savings_terms(draw: st.DrawFn, providers: list[str]) -> dict[str, Any]:
    """The fields of CONTRACTS.md F on top of a v1 shared-savings mechanism (or none)."""
    design = draw(st.sampled_from(["v1", "bands", "complement", "caps"]))
    terms: dict[str, Any] = {}
    if design == "bands":
        terms["sharing_rate"] = None
        terms["bands"] = [
            {"upto": Decimal("0.02"), "rate": draw(fraction())},
            {"upto": Decimal("0.05"), "rate": draw(fraction())},
            *draw(st.sampled_from([[], [{"rate": Decimal("0.1")}]])),
        ]
        if draw(st.booleans()):
            terms["loss_bands"] = [
                {"upto": Decimal("0.03"), "rate": draw(fraction())},
                {"rate": draw(fraction())},
            ]
    if design == "complement":
        terms["loss_sharing_rate"] = "complement"
        terms["loss_rate_min"], terms["loss_rate_max"] = Decimal("0.3"), Decimal("0.7")
        terms["quality_score"], terms["quality_gate"] = draw(fraction()), draw(fraction())
        terms["loss_rate_if_gate_fails"] = draw(fraction())
    if design == "caps":
        terms["loss_cap"] = draw(fraction())
        terms["loss_cap_revenue"] = draw(fraction())
        terms["loss_cap_parties"] = providers[:1]
    if design != "v1":
        terms["share_above_msr"] = draw(st.booleans())
        terms["withhold"] = draw(fraction())
        terms["min_loss_rate"] = draw(fraction(3))
    return terms


# ---------------------------------------------------------------------- text and names

# Pieces an output could misread: rich markup and emoji codes, terminal escapes and other
# control characters (refused in names), a backslash before markup, right-to-left text and
# marks, emoji sequences, combining and wide characters, XML's and CSV's special characters.
TRICKY = [
    "[/]",
    "[bold]",
    "[link=https://x.invalid]",
    "[/link]",
    "\\",
    "\\[",
    ":thumbs_up:",
    "\x1b[31m",
    "\x1b]8;;https://x.invalid\x07",
    "\x9b2J",
    "\r",
    "\n",
    "\t",
    "\x00",
    "\x7f",
    "\x85",
    "עברית",
    "العربية",
    "\u202e",
    "\u200f",
    "\N{THUMBS UP SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}",
    "\N{MAN}\u200d\N{WOMAN}\u200d\N{GIRL}",
    "e\u0301",
    "漢字",
    "<",
    "&amp;",
    '"',
    "'",
    "]]>",
    "=SOM(1)",
    "@",
    " ",
    "\ufeff",
]


def any_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text (`st.text()`), or one built from the pieces above."""
    pieces = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=3)), max_size=8)
    return st.one_of(st.text(max_size=max_size), pieces.map("".join))


def without_controls(text: str) -> str:
    """`text` without control characters: a name a file may hold."""
    return "".join(c for c in text if not ("\x00" <= c <= "\x1f" or "\x7f" <= c <= "\x9f"))


def names() -> st.SearchStrategy[str]:
    """Valid names: any text but control characters (validation refuses those)."""
    return any_text().map(without_controls)


@st.composite
def scenarios(draw: st.DrawFn, names: st.SearchStrategy[str] | None = None) -> dict[str, Any]:
    """A valid scenario; with `names`, the scenario, every party, activity (and its unit),
    profile, function and variant has a name drawn from it."""
    providers = draw(st.lists(st.sampled_from(PROVIDERS), min_size=1, max_size=3, unique=True))
    parties: dict[str, Any] = {
        "zorgverzekeraar": {"role": "payer"},
        "gemeente": {"role": "payer"},
        "client": {"role": "client"},
        "vsv": {"role": "network"},
        **{p: {"role": "provider"} for p in providers},
    }
    if draw(st.booleans()):  # CONTRACTS.md A
        parties[draw(st.sampled_from([*providers, "vsv"]))]["fixed_cost"] = draw(money())
    activities: dict[str, Any] = {}
    for i in range(draw(st.integers(1, 4))):
        tariff = draw(money(0, 300_000))
        activity: dict[str, Any] = {
            "provider": draw(st.sampled_from(providers)),
            "tariff": tariff,
            "group": draw(st.sampled_from(["eerstelijn", "tweedelijn"])),
        }
        if draw(st.booleans()):
            activity["copay"] = draw(money(0, int(tariff * 100)))
        if draw(st.booleans()):
            activity["cost"] = draw(money(0, 300_000))
        if draw(st.booleans()):
            activity["availability_share"] = draw(st.integers(0, 50).map(lambda v: Decimal(v).scaleb(-2)))
        if draw(st.booleans()):
            activity["payer"] = "gemeente"
        activities[f"act{i}"] = activity
    profiles = {}
    for i in range(draw(st.integers(1, 3))):
        # every path has act0, so a shift from act0 always has something to move
        chosen = ["act0", *draw(st.lists(st.sampled_from(list(activities)[1:] or ["act0"]), unique=True))]
        chosen = list(dict.fromkeys(chosen))
        profiles[f"profiel{i}"] = {"clients": draw(quantity), "path": {a: draw(quantity) for a in chosen}}
    availability = {}
    party_pool = sorted({a["provider"] for a in activities.values()})
    for i in range(draw(st.integers(0, 2))):
        availability[f"functie{i}"] = {
            "party": draw(st.sampled_from(party_pool)),
            "annual_cost": draw(money()),
        }

    variants: dict[str, Any] = {"mono": {}}
    for v in range(draw(st.integers(1, 2))):
        variants[f"variant{v}"] = draw(
            variant(list(activities), list(profiles), providers, list(availability))
        )
    if names is not None:
        for table in (parties, activities, profiles, availability, variants):
            for entry in table.values():
                entry["name"] = draw(names)
        for activity in activities.values():
            activity["unit"] = draw(names)
    return {
        "scenario": {
            "name": "Gegenereerd" if names is None else draw(names),
            "baseline": "mono",
            "client": "client",
            "default_payer": "zorgverzekeraar",
        },
        "parties": parties,
        "activities": activities,
        "profiles": profiles,
        "availability": availability,
        "variants": variants,
    }


@st.composite
def named_scenarios(draw: st.DrawFn, names: st.SearchStrategy[str]) -> dict[str, Any]:
    """A scenario with names from `names` everywhere: a what-if, a check with a message,
    and an [uncertainty] parameter, so that `check`, `simulate` and `sensitivity` show them."""
    found = draw(scenarios(names=names))
    provider = found["activities"]["act0"]["provider"]
    found["whatif"] = {
        "meer": {
            "name": draw(names),
            "effects": [{"op": "scale", "path": "profiles.*.clients", "factor": Decimal("1.1")}],
        }
    }
    found["expect"] = [
        {"variant": v, "party": provider, "metric": "net", "min": Decimal(-(10**9)), "message": draw(names)}
        for v in found["variants"]
    ] + [{"variant": "mono", "whatif": ["meer"], "party": provider, "metric": "net", "max": 0}]
    found["uncertainty"] = {
        "draws": 20,
        "seed": 1,
        "params": {"profiles.profiel0.clients": {"dist": "uniform", "low": 0, "high": 500}},
    }
    return found


@st.composite
def variant(
    draw: st.DrawFn, activities: list[str], profiles: list[str], providers: list[str], functions: list[str]
) -> dict[str, Any]:
    mechanisms: list[dict[str, Any]] = []
    payment = draw(st.sampled_from(["none", "bundle", "capitation"]))
    contractor = draw(st.sampled_from([None, "vsv"]))
    distribution = draw(
        st.sampled_from(["tariffs", "shares"])
    )  # "cost" needs costs everywhere: covered by hand-made tests
    shares = _shares(draw, providers)
    if payment != "none":
        m: dict[str, Any] = {
            "type": payment,
            "distribution": shares if distribution == "shares" else "tariffs",
        }
        if contractor:
            m["contractor"] = contractor
            m["overhead"] = draw(st.integers(0, 10).map(lambda v: Decimal(v).scaleb(-2)))
        if payment == "bundle":
            m["price"] = draw(st.one_of(st.just("budget_neutral"), money(0, 500_000)))
            if m["price"] == "budget_neutral" and draw(st.booleans()):
                m["adjust"] = draw(st.integers(-10, 10).map(lambda v: Decimal(v).scaleb(-2)))
        else:
            m["amount"] = draw(money(0, 100_000))
            m["population"] = draw(st.integers(0, 300_000))
        mechanisms.append(m)
    if functions and draw(st.booleans()):
        mechanisms.append(
            {
                "type": "availability",
                "funding": draw(fraction()),
                "strip_tariffs": draw(st.booleans()),
            }
        )
    if draw(st.booleans()):
        collaboration: dict[str, Any] = {
            "type": "collaboration",
            "recipient": "vsv",
            "fixed": draw(money()),
            "per_client": draw(money(0, 10_000)),
        }
        if draw(st.booleans()):  # a pooled budget (CONTRACTS.md C)
            collaboration["contributors"] = _shares(draw, ["zorgverzekeraar", "gemeente"])
        mechanisms.append(collaboration)
    if draw(st.booleans()):
        q: dict[str, Any] = {"type": "quality", "score": draw(fraction()), "threshold": draw(fraction())}
        q["recipients"] = draw(st.sampled_from(["tariffs", "list", "shares"]))
        if q["recipients"] == "list":
            q["recipients"] = providers
        elif q["recipients"] == "shares":
            q["recipients"] = shares
        if draw(st.booleans()):
            q["pool"] = draw(money())
        else:
            q["pool_rate"] = draw(fraction(3))
        mechanisms.append(q)
    if draw(st.booleans()):
        mechanisms.append(
            {
                "type": "revenue_guarantee",
                "party": draw(st.sampled_from(providers)),
                "floor": draw(fraction()),
            }
        )
    if draw(st.booleans()):
        c: dict[str, Any] = {"type": "ceiling", "amount": draw(money(0, 50_000_000))}
        if draw(st.booleans()):
            c["party"] = draw(st.sampled_from(providers))
        mechanisms.append(c)
    if draw(st.booleans()):
        savings: dict[str, Any] = {
            "type": "shared_savings",
            "sharing_rate": draw(fraction()),
            "min_savings_rate": draw(fraction(3)),
            "cap": draw(fraction()),
            "loss_sharing_rate": draw(fraction()),
            "reinvest": draw(fraction()),
            "network": "vsv",
            "recipients": [*providers, *draw(st.sampled_from([[], ["gemeente"]]))],
            "distribution": draw(st.sampled_from(["equal", "revenue", "contribution", "investment"])),
            **draw(savings_terms(providers)),
        }
        mechanisms.append({k: v for k, v in savings.items() if v is not None})  # bands: no sharing_rate
    if draw(st.booleans()):  # CONTRACTS.md C: evaluated last
        mechanisms.append(
            {
                "type": "transfer",
                "from": "zorgverzekeraar",
                "to": draw(st.sampled_from(["gemeente", *providers])),
                "fixed": draw(money(0, 10_000)),
                "share_of_savings": draw(fraction()),
            }
        )
    effects = []
    if draw(st.booleans()):
        effects.append({"op": "scale", "path": "profiles.*.path.*", "factor": draw(fraction())})
    if draw(st.booleans()) and len(activities) > 1:
        effects.append(
            {
                "op": "shift",
                "profile": "*",
                "from": activities[0],
                "to": activities[1],
                "fraction": draw(fraction()),
                "ratio": draw(fraction()),
            }
        )
    if draw(st.booleans()):
        effects.append({"op": "refill", "party": draw(st.sampled_from(providers)), "rate": draw(fraction())})
    return {"effects": effects, "mechanisms": mechanisms}


def _shares(draw: st.DrawFn, parties: list[str]) -> dict[str, Decimal]:
    """Shares in hundredths that add up to exactly 1."""
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(parties) - 1, max_size=len(parties) - 1)))
    bounds = [0, *cuts, 100]
    return {p: Decimal(bounds[i + 1] - bounds[i]).scaleb(-2) for i, p in enumerate(parties)}


# ---------------------------------------------------------------------- TOML writer


def to_toml(data: dict[str, Any]) -> str:
    """Write the nested dict as TOML: tables with headers, lists as inline values."""
    lines: list[str] = []
    _table(lines, (), data)
    return "\n".join(lines) + "\n"


def _table(lines: list[str], path: tuple[str, ...], table: dict[str, Any]) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in table.items() if isinstance(v, dict)}
    if path and (scalars or not tables):
        lines.append(f"[{'.'.join(path)}]")
    for k, v in scalars.items():
        lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in tables.items():
        _table(lines, (*path, _key(k)), v)


def _key(k: str) -> str:
    return k if k.replace("_", "a").isalnum() else json.dumps(k)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal | int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")  # TOML: DEL escaped
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


# TOML 1.0 numbers (toml.io): integers in decimal, hex, octal and binary, with
# underscores between digits; floats with a fraction and/or an exponent; inf and nan.
def _digits(alphabet: str = "0123456789", first: str = "123456789", max_size: int = 12):
    rest = st.lists(st.tuples(st.booleans(), st.sampled_from(alphabet)), max_size=max_size).map(
        lambda xs: "".join(("_" if u else "") + d for u, d in xs)
    )
    return st.one_of(st.just("0"), st.tuples(st.sampled_from(first), rest).map("".join))


def _plain_digits(max_size: int = 12):
    return st.lists(
        st.tuples(st.booleans(), st.sampled_from("0123456789")), min_size=1, max_size=max_size
    ).map(lambda xs: xs[0][1] + "".join(("_" if u else "") + d for u, d in xs[1:]))


SIGN = st.sampled_from(["", "+", "-"])
EXPONENT = st.tuples(
    st.sampled_from("eE"),
    SIGN,
    st.one_of(_plain_digits(3), st.integers(0, 10**10).map(str)),
).map("".join)
DECIMAL_INT = st.tuples(SIGN, _digits()).map("".join)
FLOAT = st.one_of(
    st.tuples(DECIMAL_INT, st.just("."), _plain_digits(40)).map("".join),
    st.tuples(DECIMAL_INT, EXPONENT).map("".join),
    st.tuples(DECIMAL_INT, st.just("."), _plain_digits(), EXPONENT).map("".join),
    st.tuples(SIGN, st.sampled_from(["inf", "nan"])).map("".join),
)
PREFIXED = st.one_of(
    st.tuples(st.just("0x"), _plain_digits().map(lambda d: d.replace("9", "f"))).map("".join),
    st.tuples(st.just("0o"), _plain_digits().map(lambda d: re.sub("[89]", "7", d))).map("".join),
    st.tuples(st.just("0b"), _plain_digits().map(lambda d: re.sub("[2-9]", "1", d))).map("".join),
    st.integers(1, 6000).map(lambda n: "0x" + "f" * n),
)
TOML_NUMBER = st.one_of(DECIMAL_INT, FLOAT, PREFIXED, st.integers(-(10**30), 10**30).map(str))
