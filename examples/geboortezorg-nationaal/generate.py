"""Write the 71 VSV regions of the national example: regios/<id>.toml, one file per region.

Run from anywhere (standard library only, Python 3.11+):

    python examples/geboortezorg-nationaal/generate.py           # (re)write regios/*.toml
    python examples/geboortezorg-nationaal/generate.py --check   # exit 1 if they are stale

The output is deterministic: running the script again writes byte-identical files. The
only pseudo-random numbers are small per-region variations drawn from
`random.Random(2024).random()`, whose sequence Python guarantees for a given seed.

Each regional file is small. Everything that is the same in every region is in shared
files that the region includes (a key set in two files with different values is an error,
so nothing below is also set in a shared file):

    configs/tarieven/geboortezorg-2024.toml     parties and tariffs (prestaties)
    configs/geboortezorg/zorgpaden-2024.toml    client profiles and their national care
                                                paths; who carries each 7x24 function
    configs/geboortezorg/varianten-2024.toml    the five funding variants, the what-ifs,
                                                the policy checks

A region sets its name, its clients per profile, where its low-risk births take place,
the annual cost of its three 7x24 functions, and the capitation of variant `populatie`
(its inhabitants x a national amount per inhabitant).

Distributions (all figures are in the tables below; README.md shows them as a table)
-------------------------------------------------------------------------------------

1. Births per province. CBS StatLine table 82056NED "Levend geboren kinderen;
   huishoudenssamenstelling, regio", 2023, column "Totaal huishoudens" (164,487 for the
   country). Their shares are applied to the national total of 164,013 births in 2024
   (bron: docs/reference.md, "births in the Netherlands", CBS via staatvenz.nl), with the
   largest remainder method so the provinces add up to exactly 164,013.
   aanname: the 2024 births are spread over the provinces as in 2023.

2. VSV regions per province: 71 in all (bron: docs/reference.md, "about 70 regional
   VSVs"). How many per province, their names and their relative sizes (weights) are
   assumptions, roughly following the hospitals with a labour ward: more regions in
   Noord-Holland (12) and Zuid-Holland (15), two in Drenthe, Flevoland and Zeeland. The
   names label a part of the province; the figures are generated, not the real VSV's.
   A province's births are split over its regions pro rata the weights (largest
   remainder).

3. Inhabitants per region (for `populatie`). CBS StatLine table 70072NED "Regionale
   kerncijfers Nederland", population on 1 January 2024 per province (17,947,684 in
   all), split over the province's regions pro rata their births (largest remainder).
   aanname: within a province every region has the same inhabitants per birth.

4. Client profile mix. Nationally the mix of the embedded example (1,400 / 280 / 170 /
   250 / 300 of 2,400 births: 58.3 % ongecompliceerd, 11.7 % overgewicht, 7.1 %
   diabetes, 10.4 % psychosociaal kwetsbaar, 12.5 % complexe voorgeschiedenis). Per
   region the share of a profile is the national share x a factor for the region's type
   (table TYPES: big cities more psychosocially vulnerable women and more diabetes,
   rural regions more obesity) x (1 + up to +-5 %, drawn per region), then scaled so
   that the national share stays the example's. `ongecompliceerd` takes the rest.
   Clients are whole numbers that add up to the region's births (largest remainder).
   aanname: the direction of the differences follows the well-known urban/rural
   patterns; their size is an assumption.

5. First-line share. In `ongecompliceerd` the share f of births in the first line (home,
   birth centre or first-line outpatient) is 0.40 nationally (the example's path, which
   gives 27 % first-line births over all profiles; bron: Perined 2020, 26.9 %). Per
   region f = 0.40 x a factor for the region's type (lower in the big cities and the
   Randstad, higher in rural regions) x (1 + up to +-3 %, drawn per region), scaled so
   that the national f stays 0.40, rounded to 3 decimals. The path follows from f:
   0.65 f home/birth centre and 0.35 f first-line outpatient (the example's 0.26/0.14),
   zh_bevalling_poliklinisch = 0.35 f, zh_bevalling_klinisch = 0.93 - f (0.07 are
   caesareans), kz_partusassistentie_uur = 4 h x 0.65 f + 2 h x 0.35 f + 0.18 h before a
   transfer = 3.3 f + 0.18, zh_ligdag = 0.4 x (1 - f) / 0.6 (the example's 0.4 extra
   days per clinical birth or caesarean), rounded to 4 decimals. At f = 0.40 these are
   the example's 0.14 / 0.53 / 1.5 / 0.4.

6. Annual cost of the 7x24 functions. The example's costs (3,000,000 / 520,000 /
   290,000 at 2,400 births) split into a fixed part, the minimum staffing of a 7x24
   service whatever the volume, and a part that grows with the births:
   cost = C x (a + (1 - a) x births / 2,400), rounded to thousands, with a = 0.25 for
   the labour ward and 0.20 for the midwives' and kraamzorg's on-call services.
   aanname: the fixed shares. So small regions carry more availability cost per birth,
   which the tariffs (paid per birth) do not follow.

7. Capitation of `populatie`: the region's inhabitants x one national amount per
   inhabitant = today's (fee-for-service) insurer spend on the care in scope over the
   whole country / all inhabitants, rounded to cents. aanname: a normative national
   price, not the region's own history, so regions where more inhabitants share a birth
   receive more per birth.

8. Fixed costs per party (CONTRACTS.md A). The shared tariff table's `cost` is the
   VARIABLE cost per unit (its header, [V]: ziekenhuis and kinderarts 0.40,
   verloskundigen 0.60, kraamzorg 0.85, wijkteam 0.80). The rest of today's direct cost
   is fixed: fixed_cost = (0.97 - V) x stripped tariff x units today, per party, with the
   stripped tariff = tariff x (1 - availability_share) and the units today = the
   region's clients x today's care paths (no variant effects); wijkteam (1 - V), it
   works at cost. Rounded to thousands. So today's cost and margin of every provider are
   what they were when every cost was variable; what V changes is how much cost leaves
   with care that moves away. The networks' costs (IGO bureau, VSV office) come with the
   variants that create them: `set` effects in configs/geboortezorg/varianten-2024.toml.
"""

from __future__ import annotations

import argparse
import random
import sys
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "regios"
SHARED = {
    "tarieven": ROOT / "configs" / "tarieven" / "geboortezorg-2024.toml",
    "zorgpaden": ROOT / "configs" / "geboortezorg" / "zorgpaden-2024.toml",
}
MARKER = "# Generated by examples/geboortezorg-nationaal/generate.py"
SEED = 2024

NATIONAL_BIRTHS = 164_013  # bron: docs/reference.md, births in the Netherlands 2024 (provisional)

# code, name, births 2023 (CBS 82056NED), inhabitants 1 January 2024 (CBS 70072NED)
PROVINCES = [
    ("gr", "Groningen", 4_843, 601_510),
    ("fr", "Fryslân", 5_698, 661_956),
    ("dr", "Drenthe", 4_041, 504_116),
    ("ov", "Overijssel", 10_935, 1_189_079),
    ("fl", "Flevoland", 4_966, 450_920),
    ("ge", "Gelderland", 19_397, 2_149_057),
    ("ut", "Utrecht", 14_070, 1_400_187),
    ("nh", "Noord-Holland", 27_545, 2_980_494),
    ("zh", "Zuid-Holland", 37_427, 3_840_662),
    ("ze", "Zeeland", 3_359, 391_657),
    ("nb", "Noord-Brabant", 23_425, 2_644_872),
    ("li", "Limburg", 8_781, 1_133_174),
]

# Region types. S: big city (Amsterdam, Rotterdam, Den Haag, Utrecht); R: other urban
# Randstad and large cities; O: medium towns with their surroundings; P: rural periphery.
# Factors on the national share (aanname, see the docstring, points 4 and 5).
_TYPE_COLUMNS = ("label", "psychosociaal_kwetsbaar", "overgewicht", "diabetes", "first_line")
TYPES = {
    code: dict(zip(_TYPE_COLUMNS, row, strict=True))
    for code, row in {
        "S": ("grote stad", "1.45", "0.90", "1.20", "0.85"),
        "R": ("verstedelijkt", "1.00", "0.95", "1.00", "0.95"),
        "O": ("middelgrote stad en omgeving", "0.85", "1.05", "0.92", "1.05"),
        "P": ("platteland", "0.80", "1.12", "0.92", "1.12"),
    }.items()
}

# province, id, name, weight (relative size within the province), type (aanname)
REGIONS = [
    ("gr", "groningen_stad", "Groningen-Stad", "1.5", "R"),
    ("gr", "midden_groningen", "Midden-Groningen", "0.9", "O"),
    ("gr", "oost_groningen", "Oost-Groningen", "0.6", "P"),
    ("fr", "leeuwarden", "Leeuwarden", "1.3", "O"),
    ("fr", "zuidwest_fryslan", "Zuidwest-Fryslân", "0.8", "P"),
    ("fr", "heerenveen", "Heerenveen", "0.9", "P"),
    ("fr", "drachten", "Drachten", "0.9", "P"),
    ("dr", "noord_drenthe", "Noord-Drenthe", "1.0", "O"),
    ("dr", "zuid_drenthe", "Zuid-Drenthe", "1.1", "P"),
    ("ov", "zwolle", "Zwolle", "1.5", "O"),
    ("ov", "deventer", "Deventer", "0.9", "O"),
    ("ov", "vechtdal", "Vechtdal", "0.6", "P"),
    ("ov", "almelo_hengelo", "Almelo-Hengelo", "1.1", "O"),
    ("ov", "enschede", "Enschede", "1.1", "R"),
    ("fl", "almere", "Almere", "1.5", "R"),
    ("fl", "lelystad_noordoostpolder", "Lelystad-Noordoostpolder", "1.0", "O"),
    ("ge", "nijmegen", "Nijmegen", "1.5", "R"),
    ("ge", "arnhem", "Arnhem", "1.3", "R"),
    ("ge", "gelderse_vallei", "Gelderse Vallei", "1.0", "O"),
    ("ge", "apeldoorn", "Apeldoorn", "1.0", "O"),
    ("ge", "zutphen", "Zutphen", "0.6", "P"),
    ("ge", "achterhoek", "Achterhoek", "0.8", "P"),
    ("ge", "rivierenland", "Rivierenland", "0.7", "O"),
    ("ge", "noord_veluwe", "Noord-Veluwe", "0.9", "O"),
    ("ut", "utrecht_stad", "Utrecht-Stad", "1.6", "S"),
    ("ut", "utrecht_zuid", "Utrecht-Zuid", "1.0", "R"),
    ("ut", "utrechtse_heuvelrug", "Utrechtse Heuvelrug", "0.8", "R"),
    ("ut", "amersfoort", "Amersfoort", "1.3", "R"),
    ("ut", "utrecht_west", "Utrecht-West", "0.7", "R"),
    ("nh", "amsterdam_west", "Amsterdam-West", "1.1", "S"),
    ("nh", "amsterdam_oost", "Amsterdam-Oost", "1.05", "S"),
    ("nh", "amsterdam_zuid", "Amsterdam-Zuid", "1.05", "S"),
    ("nh", "amsterdam_noord", "Amsterdam-Noord", "0.9", "S"),
    ("nh", "amstelland", "Amstelland", "0.8", "R"),
    ("nh", "haarlem", "Haarlem", "1.3", "R"),
    ("nh", "ijmond", "IJmond", "0.7", "R"),
    ("nh", "zaanstreek", "Zaanstreek", "0.8", "R"),
    ("nh", "alkmaar", "Alkmaar", "1.2", "O"),
    ("nh", "kop_van_noord_holland", "Kop van Noord-Holland", "0.6", "P"),
    ("nh", "west_friesland", "West-Friesland", "1.0", "O"),
    ("nh", "gooi_en_vechtstreek", "Gooi en Vechtstreek", "0.9", "R"),
    ("zh", "rotterdam_centrum", "Rotterdam-Centrum", "1.2", "S"),
    ("zh", "rotterdam_zuid", "Rotterdam-Zuid", "1.2", "S"),
    ("zh", "rotterdam_noord", "Rotterdam-Noord", "1.0", "S"),
    ("zh", "schiedam_vlaardingen", "Schiedam-Vlaardingen", "0.9", "R"),
    ("zh", "den_haag_centrum", "Den Haag-Centrum", "1.2", "S"),
    ("zh", "den_haag_zuidwest", "Den Haag-Zuidwest", "1.1", "S"),
    ("zh", "delft_westland", "Delft-Westland", "1.1", "R"),
    ("zh", "zoetermeer", "Zoetermeer", "0.8", "R"),
    ("zh", "leiden", "Leiden", "1.1", "R"),
    ("zh", "alphen_leiderdorp", "Alphen-Leiderdorp", "0.9", "R"),
    ("zh", "midden_holland", "Midden-Holland", "0.8", "R"),
    ("zh", "drechtsteden", "Drechtsteden", "1.2", "O"),
    ("zh", "gorinchem", "Gorinchem", "0.6", "P"),
    ("zh", "voorne_putten", "Voorne-Putten", "0.8", "O"),
    ("zh", "capelle_krimpen", "Capelle-Krimpen", "0.8", "R"),
    ("ze", "walcheren_bevelanden", "Walcheren-Bevelanden", "1.4", "P"),
    ("ze", "zeeuws_vlaanderen", "Zeeuws-Vlaanderen", "0.6", "P"),
    ("nb", "eindhoven", "Eindhoven", "1.4", "R"),
    ("nb", "kempen", "Kempen", "1.0", "O"),
    ("nb", "tilburg", "Tilburg", "1.3", "R"),
    ("nb", "breda", "Breda", "1.3", "R"),
    ("nb", "west_brabant", "West-Brabant", "0.9", "O"),
    ("nb", "den_bosch", "'s-Hertogenbosch", "1.2", "R"),
    ("nb", "uden_oss", "Uden-Oss", "0.9", "O"),
    ("nb", "helmond_peel", "Helmond-Peel", "0.8", "O"),
    ("nb", "land_van_cuijk", "Land van Cuijk", "0.5", "P"),
    ("li", "maastricht_heuvelland", "Maastricht-Heuvelland", "0.9", "R"),
    ("li", "parkstad_sittard", "Parkstad-Sittard", "1.3", "O"),
    ("li", "noord_limburg", "Noord-Limburg", "1.0", "P"),
    ("li", "midden_limburg", "Midden-Limburg", "0.8", "P"),
]

# National profile mix: the embedded example's 2,400 births (point 4).
EXAMPLE_BIRTHS = 2_400
EXAMPLE_MIX = {
    "ongecompliceerd": 1_400,
    "overgewicht": 280,
    "diabetes": 170,
    "psychosociaal_kwetsbaar": 250,
    "complexe_voorgeschiedenis": 300,
}
VARYING = (
    "overgewicht",
    "diabetes",
    "psychosociaal_kwetsbaar",
)  # complexe_voorgeschiedenis: national share everywhere
MIX_SPREAD = Decimal("0.05")  # +- 5 % per region (point 4)
FIRST_LINE = Decimal("0.40")  # f of `ongecompliceerd` nationally (point 5)
FIRST_LINE_SPREAD = Decimal("0.03")

# 7x24 functions: the example's annual cost at 2,400 births and the fixed part a (point 6)
AVAILABILITY = {
    "acute_verloskunde": (Decimal(3_000_000), Decimal("0.25")),
    "verloskundige_dienst": (Decimal(520_000), Decimal("0.20")),
    "kraamzorg_paraatheid": (Decimal(290_000), Decimal("0.20")),
}
# Variable cost share per sector: the [V] header of configs/tarieven/geboortezorg-2024.toml
# (point 8). Today's direct cost is a 0.97 share of the stripped tariff (a 3 % margin),
# the wijkteam's is the whole tariff.
VARIABLE_SHARE = {
    "ziekenhuis": Decimal("0.40"),
    "kinderarts": Decimal("0.40"),
    "verloskundigen": Decimal("0.60"),
    "kraamzorg": Decimal("0.85"),
    "wijkteam": Decimal("0.80"),
}
COST_SHARE = {"wijkteam": Decimal(1)}  # others: Decimal("0.97")
CAPITATION_SCOPE = ("verloskunde", "kraamzorg", "ziekenhuis", "kinderarts")  # groups, as variant `populatie`
INSURER = "zorgverzekeraar"


def largest_remainder(total: int, weights: list[Decimal]) -> list[int]:
    """Whole numbers pro rata `weights` that add up to `total` (ties: the first one)."""
    whole = sum(weights)
    exact = [Decimal(total) * w / whole for w in weights]
    parts = [int(e) for e in exact]  # all non-negative: int() rounds down
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def spread(rng: random.Random, width: Decimal) -> Decimal:
    """A factor 1 +- width, from one draw of the seeded generator, to 4 decimals."""
    draw = Decimal(repr(rng.random())).quantize(Decimal("0.000001"))
    return (1 + width * (2 * draw - 1)).quantize(Decimal("0.0001"))


def q(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def number(value: Decimal | int) -> str:
    """A TOML number: plain decimals without trailing zeros, thousands with underscores."""
    if isinstance(value, int) or value == value.to_integral_value():
        n = int(value)
        return f"{n:_}" if abs(n) >= 10_000 else str(n)
    text = format(value.normalize(), "f")
    return text


def ongecompliceerd_path(f: Decimal) -> dict[str, Decimal]:
    """The regional part of the low-risk care path, from its first-line share f (point 5)."""
    return {
        "zh_bevalling_poliklinisch": q(Decimal("0.35") * f, "0.0001"),
        "zh_bevalling_klinisch": q(Decimal("0.93") - f, "0.0001"),
        "kz_partusassistentie_uur": q(Decimal("3.3") * f + Decimal("0.18"), "0.0001"),
        "zh_ligdag": q(Decimal("0.4") * (1 - f) / Decimal("0.6"), "0.0001"),
    }


def build() -> tuple[list[dict], dict]:
    """Every region's figures, and the national ones for the summary."""
    provinces = {code: (name, births, people) for code, name, births, people in PROVINCES}
    codes = [p[0] for p in PROVINCES]
    province_births = dict(
        zip(codes, largest_remainder(NATIONAL_BIRTHS, [Decimal(provinces[c][1]) for c in codes]), strict=True)
    )

    regions: list[dict] = []
    for code in codes:
        members = [r for r in REGIONS if r[0] == code]
        births = largest_remainder(province_births[code], [Decimal(r[3]) for r in members])
        people = largest_remainder(provinces[code][2], [Decimal(b) for b in births])
        for (_, rid, label, _weight, kind), b, p in zip(members, births, people, strict=True):
            regions.append(
                {
                    "id": f"{code}_{rid}",
                    "label": label,
                    "province": provinces[code][0],
                    "type": kind,
                    "births": b,
                    "population": p,
                }
            )

    # Draws in a fixed order: per region (file order above), the three varying profiles,
    # then the first-line share.
    rng = random.Random(SEED)
    for region in regions:
        factors = TYPES[region["type"]]
        region["raw_mix"] = {k: Decimal(factors[k]) * spread(rng, MIX_SPREAD) for k in VARYING}
        region["raw_first_line"] = Decimal(factors["first_line"]) * spread(rng, FIRST_LINE_SPREAD)

    total_births = Decimal(sum(r["births"] for r in regions))
    national_share = {k: Decimal(v) / EXAMPLE_BIRTHS for k, v in EXAMPLE_MIX.items()}
    scale = {k: total_births / sum(r["births"] * r["raw_mix"][k] for r in regions) for k in VARYING}
    for region in regions:
        shares = {k: q(national_share[k] * region["raw_mix"][k] * scale[k], "0.00001") for k in VARYING}
        shares["complexe_voorgeschiedenis"] = national_share["complexe_voorgeschiedenis"]
        shares = {"ongecompliceerd": 1 - sum(shares.values()), **shares}
        order = list(EXAMPLE_MIX)
        clients = largest_remainder(region["births"], [shares[k] for k in order])
        region["clients"] = dict(zip(order, clients, strict=True))

    low_risk = sum(r["clients"]["ongecompliceerd"] for r in regions)
    fl_scale = low_risk / sum(r["clients"]["ongecompliceerd"] * r["raw_first_line"] for r in regions)
    for region in regions:
        region["first_line"] = q(FIRST_LINE * region["raw_first_line"] * fl_scale, "0.001")
        region["path"] = ongecompliceerd_path(region["first_line"])
        region["availability"] = {
            fid: int(q(cost * (a + (1 - a) * Decimal(region["births"]) / EXAMPLE_BIRTHS), "1E3"))
            for fid, (cost, a) in AVAILABILITY.items()
        }

    # Capitation amount: national insurer spend in scope under fee-for-service / inhabitants.
    tariffs = tomllib.loads(SHARED["tarieven"].read_text(encoding="utf-8"), parse_float=Decimal)
    shared = tomllib.loads(SHARED["zorgpaden"].read_text(encoding="utf-8"), parse_float=Decimal)
    activities = tariffs["activities"]
    payer_part = {
        a: Decimal(str(v["tariff"])) - Decimal(str(v.get("copay", 0)))
        for a, v in activities.items()
        if v.get("payer", INSURER) == INSURER and v.get("group") in CAPITATION_SCOPE
    }
    spend = Decimal(0)
    for region in regions:
        fixed = dict.fromkeys(VARIABLE_SHARE, Decimal(0))
        for profile, n in region["clients"].items():
            path = dict(shared["profiles"][profile]["path"])
            if profile == "ongecompliceerd":
                path.update(region["path"])
            spend += n * sum(Decimal(str(units)) * payer_part.get(a, 0) for a, units in path.items())
            for a, units in path.items():
                activity = activities[a]
                party = activity["provider"]
                available = Decimal(str(activity.get("availability_share", 0)))
                stripped = Decimal(str(activity["tariff"])) * (1 - available)
                share = COST_SHARE.get(party, Decimal("0.97")) - VARIABLE_SHARE[party]
                fixed[party] += share * stripped * n * Decimal(str(units))
        region["fixed_cost"] = {party: int(q(f, "1E3")) for party, f in fixed.items()}
    population = sum(r["population"] for r in regions)
    amount = q(spend / population, "0.01")
    national = {
        "births": sum(r["births"] for r in regions),
        "population": population,
        "spend": q(spend, "0.01"),
        "amount": amount,
        "clients": {k: sum(r["clients"][k] for r in regions) for k in EXAMPLE_MIX},
        "first_line_low_risk": sum(r["clients"]["ongecompliceerd"] * r["first_line"] for r in regions)
        / low_risk,
        "province_births": {provinces[c][0]: province_births[c] for c in codes},
        "paths": shared["profiles"],
    }
    return regions, national


def render(region: dict, national: dict) -> str:
    """One region's file."""
    births = region["births"]
    c = region["clients"]
    f = region["first_line"]
    lines = [
        f"{MARKER}; do not edit by hand.",
        "# The distributions behind every figure are in that script's docstring and in",
        "# examples/geboortezorg-nationaal/README.md. Shared parts (tariffs, care paths,",
        "# variants, what-ifs) come from the included files; nothing here is set there too.",
        f"# Region type {region['type']} ({TYPES[region['type']]['label']}); "
        f"{births:,} births, {region['population']:,} inhabitants.",
        "",
        "[scenario]",
        f'name = "VSV {region["label"]} ({region["province"]})"',
        "year = 2024",
        'baseline = "mono"',
        'client = "client"',
        'default_payer = "zorgverzekeraar"',
        "include = [",
        '  "../../../configs/tarieven/geboortezorg-2024.toml",',
        '  "../../../configs/geboortezorg/zorgpaden-2024.toml",',
        '  "../../../configs/geboortezorg/varianten-2024.toml",',
        "]",
        "",
        f"# Clients per profile: {births:,} births split by the region's profile mix.",
        "[profiles]",
    ]
    for profile, n in c.items():
        lines.append(f"{profile}.clients = {n}")
    lines += [
        "",
        f"# Where the low-risk births take place: first-line share f = {f} (national 0.40).",
        "[profiles.ongecompliceerd.path]",
    ]
    for activity, units in region["path"].items():
        lines.append(f"{activity} = {number(units)}")
    lines += [
        "",
        f"# cost = C x (a + (1 - a) x {births:,} / 2,400), rounded to thousands.",
        "[availability]",
    ]
    for fid, cost in region["availability"].items():
        example, a = AVAILABILITY[fid]
        lines.append(f"{fid}.annual_cost = {number(cost)}  # C = {int(example):,}, a = {a}")
    lines += [
        "",
        "# Fixed costs today: (0.97 - V) x stripped tariff x today's units, per party, V the",
        "# variable share of the tariff table's [V] header (wijkteam: 1 - V); rounded to thousands.",
        "[parties]",
    ]
    for party, cost in region["fixed_cost"].items():
        lines.append(f"{party}.fixed_cost = {number(cost)}  # V = {VARIABLE_SHARE[party]}")
    lines += [
        "",
        "# The variants are defined in varianten-2024.toml; naming them here first keeps the",
        "# columns in that order (this file is read before the files it includes).",
        "[variants]",
        "mono = {}",
        "beschikbaarheid = {}",
        "integraal = {}",
        "profielen = {}",
        "",
        "# Populatie: the region's inhabitants x the national amount per inhabitant",
        f"# (today's insurer spend in scope {national['spend']:,} / {national['population']:,} inhabitants).",
        "[[variants.populatie.mechanisms]]",
        'type = "capitation"',
        'payer = "zorgverzekeraar"',
        'contractor = "igo"',
        'scope = ["group:verloskunde", "group:kraamzorg", "group:ziekenhuis", "group:kinderarts"]',
        f"amount = {national['amount']}",
        f"population = {number(region['population'])}",
        "overhead = 0.02",
        'distribution = "tariffs"',
        "",
        "[[variants.populatie.mechanisms]]",
        'type = "revenue_guarantee"',
        'payer = "zorgverzekeraar"',
        'party = "ziekenhuis"',
        "floor = 0.97",
        "",
    ]
    return "\n".join(lines)


def summary(regions: list[dict], national: dict) -> str:
    """National figures, to check the distributions against the sources."""
    n = national["births"]
    paths = national["paths"]
    # First-line births per client: the shared paths; in ongecompliceerd the region's f.
    fixed = {
        "overgewicht": Decimal("0.16"),
        "diabetes": Decimal("0.05"),
        "psychosociaal_kwetsbaar": Decimal("0.12"),
        "complexe_voorgeschiedenis": Decimal("0.02"),
    }

    def first_line(rs: list[dict]) -> Decimal:
        return sum(
            r["clients"]["ongecompliceerd"] * r["first_line"]
            + sum(r["clients"][k] * share for k, share in fixed.items())
            for r in rs
        )

    clients = national["clients"]
    first = first_line(regions)
    sectio = sum(clients[k] * Decimal(str(paths[k]["path"]["zh_sectio"])) for k in clients)
    sizes = sorted(r["births"] for r in regions)
    provinces = ", ".join(f"{k} {v:,}" for k, v in national["province_births"].items())
    mix = ", ".join(f"{k} {v:,} ({100 * v / n:.1f} %)" for k, v in clients.items())
    out = [
        f"regions {len(regions)}, births {n:,}, inhabitants {national['population']:,}",
        f"births per province: {provinces}",
        f"region sizes: smallest {sizes[0]:,}, median {sizes[len(sizes) // 2]:,}, largest {sizes[-1]:,}",
        f"profile mix: {mix}",
        f"first-line share f of ongecompliceerd {national['first_line_low_risk']:.4f}",
        f"first-line births {first:,.0f} ({100 * first / n:.1f} %)",
        f"caesareans {sectio:,.0f} ({100 * sectio / n:.1f} %)",
        f"insurer spend in scope under fee-for-service {national['spend']:,}",
        f"capitation amount per inhabitant {national['amount']}",
    ]
    for kind, factors in TYPES.items():
        rs = [r for r in regions if r["type"] == kind]
        births = sum(r["births"] for r in rs)
        fs = [r["first_line"] for r in rs]
        out.append(
            f"type {kind} ({factors['label']}): {len(rs)} regions, {births:,} births, "
            f"f {min(fs)}-{max(fs)}, first-line births {100 * first_line(rs) / births:.1f} %"
        )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if regios/ is not what it would write")
    parser.add_argument("--summary", action="store_true", help="print the national figures")
    args = parser.parse_args(argv)

    regions, national = build()
    wanted = {OUT / f"{r['id']}.toml": render(r, national) for r in regions}
    existing = sorted(OUT.glob("*.toml")) if OUT.is_dir() else []
    stale = [p for p in existing if p not in wanted]

    if args.check:
        differ = [
            p for p, text in wanted.items() if not p.is_file() or p.read_bytes() != text.encode("utf-8")
        ]
        for p in differ:
            print(f"stale: {p.relative_to(ROOT)}", file=sys.stderr)
        for p in stale:
            print(f"not generated: {p.relative_to(ROOT)}", file=sys.stderr)
        if differ or stale:
            print("run: python examples/geboortezorg-nationaal/generate.py", file=sys.stderr)
            return 1
        print(f"OK: {len(wanted)} regional files are current")
        return 0

    OUT.mkdir(exist_ok=True)
    for p in stale:
        if p.read_text(encoding="utf-8").startswith(MARKER):
            p.unlink()
    for p, text in wanted.items():
        if not p.is_file() or p.read_bytes() != text.encode("utf-8"):
            p.write_bytes(text.encode("utf-8"))
    print(f"wrote {len(wanted)} regional files to {OUT.relative_to(ROOT)}/")
    if args.summary:
        print(summary(regions, national), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
