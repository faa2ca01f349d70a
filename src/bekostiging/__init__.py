"""bekostiging: what does each funding variant do to every party's money?

Library first: `load_scenario` turns TOML into a validated `Scenario`, `run` turns a
scenario into a ledger of money flows, and `report.figures` sums that ledger into the
tables the CLI prints. The CLI (`bekostiging.cli`) is a thin layer over these.
"""

__version__ = "0.1.0"
