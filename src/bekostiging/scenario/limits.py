"""Size limits on what one scenario may hold, with a clear message when one is passed.

They are far above any real region or nation (the national example has about 70
regions in separate files), and keep a mistaken or hostile file from exhausting memory
or time. The byte and include limits live in `toml_files` and the magnitude limits in
`money`; all of them are listed in SECURITY.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bekostiging.findings import Finding

NAMED = ("parties", "activities", "profiles", "availability", "variants", "whatif")  # tables of named entries
MAX_ENTRIES = {
    "parties": 1_000,
    "activities": 10_000,
    "profiles": 10_000,
    "availability": 1_000,
    "variants": 200,
    "whatif": 200,
    "expect": 10_000,
}
MAX_LIST = 1_000  # effects or mechanisms of one variant or what-if
MAX_ID_LENGTH = 64  # characters of an id: the key of a named entry, an activity's group
MAX_NAME_LENGTH = 200  # characters of a `name` (of the scenario or of an entry): a label in every output
MAX_NESTING = 32  # tables and lists inside each other (`toml_files.too_deep`, when a file is read)
MAX_PATH_CELLS = 1_000_000  # profile x activity entries over all care paths
# What one run computes: every care-path entry once per variant (the baseline is one), per
# year of a [horizon], per set of what-ifs `check` computes (one per distinct `whatif`
# list of [[expect]]) and per insurer's book (`market_shares`). Measured on a 2-core
# machine: about 1.3 KB of memory and 30-45 µs per cell, so at the limit about 1.3 GB and
# under a minute; the largest example (geboortezorg-regio) needs 13,500.
MAX_WORK = 1_000_000
MAX_YEARS = 100  # [horizon] years (model.Horizon)
# Monte Carlo (HORIZON.md §2). A simulation keeps every draw's net, delta and npv_delta
# per variant x party (int64 cents) for the exact percentiles, and computes the draws a
# block at a time, so its memory is the block's work plus 24 bytes per draw and pair.
MAX_DRAWS = 1_000_000  # draws of one simulation (the file's `draws`, or --draws)
MAX_DRAW_CELLS = 60_000_000  # draws x (variant, party) pairs kept: about 1.4 GB (default example: 1e6 draws)
# A simulation block computes every cell of the work (one what-if set; all years only for
# npv_delta) once per draw of the block, as lanes: about 170 bytes per cell and draw at
# most (every profile drawn), so a block has at most this many cells x draws (about 1.2 GB),
# and a large scenario gets fewer draws per block (the default example keeps 1,000).
MAX_BLOCK_WORK = 7_000_000
MAX_PARAMS = 1_000  # [uncertainty.params]: sensitivity runs the scenario twice for each


@dataclass(frozen=True)
class Work:
    """The factors of a scenario's work (see `MAX_WORK`), read from its raw data."""

    cells: int
    variants: int
    years: int
    whatif_sets: int
    books: int

    @property
    def total(self) -> int:
        return self.cells * self.variants * self.years * self.whatif_sets * self.books

    def __str__(self) -> str:
        def n(count: int, one: str, many: str) -> str:
            return f"{count:,} {one if count == 1 else many}"

        factors = (
            n(self.cells, "care-path entry", "care-path entries"),
            n(self.variants, "variant", "variants"),
            n(self.years, "year", "years"),
            n(self.whatif_sets, "what-if set", "what-if sets"),
            n(self.books, "insurer book", "insurer books"),
        )
        return f"{' × '.join(factors)} make {self.total:,} cells to compute"


def work_of(data: dict[str, Any], *, whatif_sets: bool = True) -> Work:
    """The work of a scenario's raw (or dumped) data; a factor that is not valid yet counts 1
    (its own error follows in validation). `whatif_sets=False`: one set, as `compare` runs."""
    profiles = data.get("profiles")
    cells = sum(
        len(p.get("path", {})) if isinstance(p, dict) and isinstance(p.get("path"), dict) else 0
        for p in (profiles.values() if isinstance(profiles, dict) else ())
    )
    variants = data.get("variants")
    horizon = data.get("horizon")
    years = horizon.get("years") if isinstance(horizon, dict) else None
    expect = data.get("expect")
    sets = {  # `check` computes each distinct `whatif` list once (expectations.py)
        tuple(map(str, w)) if isinstance(w := e.get("whatif") if isinstance(e, dict) else None, list) else ()
        for e in (expect if isinstance(expect, list) else ())
    }
    meta = data.get("scenario")
    shares = meta.get("market_shares") if isinstance(meta, dict) else None
    return Work(
        cells=cells,
        variants=max(len(variants) if isinstance(variants, dict) else 0, 1),
        years=min(years, MAX_YEARS)
        if isinstance(years, int) and not isinstance(years, bool) and years > 1
        else 1,
        whatif_sets=max(len(sets), 1) if whatif_sets else 1,
        books=max(len(shares) if isinstance(shares, dict) else 0, 1),
    )


def check_sizes(data: dict[str, Any], file_of) -> list[Finding]:
    """Findings for every limit the raw data passes (before any validation work)."""
    findings = []
    for section, limit in MAX_ENTRIES.items():
        entries = data.get(section)
        if isinstance(entries, dict | list) and len(entries) > limit:
            findings.append(
                Finding(file_of((section,)), section, f"has {len(entries):,} entries; the limit is {limit:,}")
            )
    for section in ("variants", "whatif"):
        entries = data.get(section)
        for key, entry in entries.items() if isinstance(entries, dict) else ():
            for field in ("effects", "mechanisms"):
                items = entry.get(field) if isinstance(entry, dict) else None
                if isinstance(items, list) and len(items) > MAX_LIST:
                    findings.append(
                        Finding(
                            file_of((section, key, field)),
                            f"{section}.{key}.{field}",
                            f"has {len(items):,} entries; the limit is {MAX_LIST:,}",
                        )
                    )
    uncertainty = data.get("uncertainty")
    params = uncertainty.get("params") if isinstance(uncertainty, dict) else None
    if isinstance(params, dict) and len(params) > MAX_PARAMS:
        findings.append(
            Finding(
                file_of(("uncertainty", "params")),
                "uncertainty.params",
                f"has {len(params):,} entries; the limit is {MAX_PARAMS:,}",
            )
        )
    findings.extend(_long_texts(data, file_of))
    work = work_of(data)
    cells = work.cells
    if cells > MAX_PATH_CELLS:
        findings.append(
            Finding(
                file_of(("profiles",)),
                "profiles",
                f"care paths hold {cells:,} entries; the limit is {MAX_PATH_CELLS:,}",
            )
        )
    elif work.total > MAX_WORK:
        findings.append(
            Finding(
                file_of(("profiles",)),
                "profiles",
                f"{work}; the limit is {MAX_WORK:,} (MAX_WORK in SECURITY.md): "
                "use fewer care-path entries, variants or years, or split the scenario",
            )
        )
    return findings


def _long_texts(data: dict[str, Any], file_of) -> list[Finding]:
    """Ids and names beyond `MAX_ID_LENGTH` and `MAX_NAME_LENGTH` characters (a path shows
    a long id by its start)."""

    def shown(key: str) -> str:
        return key if len(key) <= MAX_ID_LENGTH else f"{key[:MAX_ID_LENGTH]}…"

    def long(path: tuple, text: Any, what: str, limit: int) -> Finding | None:
        if not isinstance(text, str) or len(text) <= limit:
            return None
        dotted = ".".join(shown(str(p)) for p in path)
        return Finding(file_of(path), dotted, f"{what} has {len(text):,} characters; the limit is {limit:,}")

    meta = data.get("scenario")
    found = [
        long(
            ("scenario", "name"),
            meta.get("name") if isinstance(meta, dict) else None,
            "the name",
            MAX_NAME_LENGTH,
        )
    ]
    for section in NAMED:
        entries = data.get(section)
        for key, entry in entries.items() if isinstance(entries, dict) else ():
            found.append(long((section, key), key, "the id", MAX_ID_LENGTH))
            if isinstance(entry, dict):
                found.append(long((section, key, "name"), entry.get("name"), "the name", MAX_NAME_LENGTH))
                if section == "activities":
                    found.append(
                        long((section, key, "group"), entry.get("group"), "the group", MAX_ID_LENGTH)
                    )
    return [f for f in found if f is not None]


# `frontier` (issue 18): the points of one grid, each a computation of a variant and the
# baseline (a block of up to 1,000 in one pass as lanes, about 0.5 ms a point on the
# default example; an input outside lanes takes a run per point, about 0.1 s). Every
# point's figures are kept for the table and the chart: 10,000 is a 100 × 100 grid.
MAX_GRID_POINTS = 10_000
