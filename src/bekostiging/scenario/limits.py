"""Size limits on what one scenario may hold, with a clear message when one is passed.

They are far above any real region or nation (the national example has about 70
regions in separate files), and keep a mistaken or hostile file from exhausting memory
or time. The byte and include limits live in `toml_files` and the magnitude limits in
`money`; all of them are listed in SECURITY.md.
"""

from __future__ import annotations

from typing import Any

from bekostiging.findings import Finding

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
MAX_NESTING = 32  # tables and lists inside each other (`toml_files.too_deep`, when a file is read)
MAX_PATH_CELLS = 1_000_000  # profile x activity entries over all care paths
# Monte Carlo (HORIZON.md §2). A simulation keeps every draw's net, delta and npv_delta
# per variant x party (int64 cents) for the exact percentiles, and computes the draws a
# block at a time, so its memory is the block's work plus 24 bytes per draw and pair.
MAX_DRAWS = 1_000_000  # draws of one simulation (the file's `draws`, or --draws)
MAX_DRAW_CELLS = 60_000_000  # draws x (variant, party) pairs kept: about 1.4 GB (default example: 1e6 draws)
MAX_PARAMS = 1_000  # [uncertainty.params]: sensitivity runs the scenario twice for each


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
    profiles = data.get("profiles")
    cells = sum(
        len(p.get("path", {})) if isinstance(p, dict) and isinstance(p.get("path"), dict) else 0
        for p in (profiles.values() if isinstance(profiles, dict) else ())
    )
    if cells > MAX_PATH_CELLS:
        findings.append(
            Finding(
                file_of(("profiles",)),
                "profiles",
                f"care paths hold {cells:,} entries; the limit is {MAX_PATH_CELLS:,}",
            )
        )
    return findings
