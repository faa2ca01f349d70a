"""The scenario fragment: `profiles.*.clients` and `profiles.*.path` as TOML text.

The same input gives the same bytes: profiles in the scenario's order (without one:
alphabetical), path entries in the order of its activities; observed prices are comments,
because a scenario has no place for them and replacing a tariff is a policy decision.
Writing is separate from calibrating: `write_fragments` checks every target first and
writes them all or nothing, so a refused or failed write leaves nothing half-written and
nothing that blocks a rerun. File names and regions appear in comments as one line each,
escaped like a Python string literal when they hold a control character or line break.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bekostiging.calibrate.report import _num, phrase, units_text
from bekostiging.calibrate.results import PATH_DECIMALS

if TYPE_CHECKING:
    from bekostiging.calibrate.results import Calibration, Part


def render_fragment(result: Calibration, part: Part, model: Any = None, lang: str = "en") -> str:
    """The scenario fragment: profiles.*.clients and profiles.*.path, prices as comments
    (in `lang`, `en` or `nl`, with its number format)."""
    region = phrase("f_region", lang, region=part.region) if part.region is not None else ""
    dated = phrase("dated", lang, first=result.first_date, last=result.last_date) if result.first_date else ""
    column = phrase("f_column", lang) if result.profile_column else ""
    out = [
        phrase(
            "f_source", lang, source=comment_text(result.source), mapping=comment_text(result.mapping.source)
        ),
        phrase("f_lines", lang, lines=_num(result.lines, 0, lang)) + dated + region,
        phrase("f_clients", lang, column=column),
        phrase("f_decimals", lang, decimals=PATH_DECIMALS),
    ]
    if part.without_profile:
        out.append(phrase("f_without", lang, count=_num(part.without_profile, 0, lang)))
    if part.prices:
        out += ["#", phrase("f_prices", lang)]
        width = max(len(p.activity) for p in part.prices)
        for p in part.prices:
            price = phrase("na", lang) if p.mean_price is None else f"€ {_num(p.mean_price, 2, lang)}"
            robust = p.mean_price_without_outliers
            if p.outlier_units and robust is not None:
                price += f" (€ {_num(robust, 2, lang)})"
            tariff = ""
            if p.tariff is not None:
                diff = p.difference_pct
                shown = f" ({'+' if diff >= 0 else ''}{_num(diff, 1, lang)} %)" if diff is not None else ""
                tariff = phrase("f_tariff", lang, tariff=_num(p.tariff, 2, lang)) + shown
            units = phrase("f_units", lang, units=units_text(p.units, lang))
            out.append(f"#   {p.activity:<{width}}  {price:>24}{tariff}, {units}")
    for name, profile in part.profiles.items():
        out += ["", f"[profiles.{name}]"]
        if model is not None and name in model.profiles and model.profiles[name].name:
            out.append(f"name = {toml_string(model.profiles[name].name)}")
        out.append(f"clients = {profile.clients}")
        out += ["", f"[profiles.{name}.path]"]
        out += [f"{a} = {v:.{PATH_DECIMALS}f}" for a, v in profile.path.items()]
    return "\n".join(out) + "\n"


def output_paths(target: Path | str, result: Calibration) -> dict[Path, str]:
    """Where `-o TARGET` writes each fragment: TARGET itself, or TARGET-<region>.toml per region."""
    target = Path(target)
    if result.by is None:
        return {target: result.fragment(None)}
    out: dict[Path, str] = {}
    for part in result.parts:
        slug = re.sub(r"[^a-z0-9_-]+", "_", str(part.region).lower()).strip("_") or "region"
        path = target.with_name(f"{target.stem}-{slug}{target.suffix or '.toml'}")
        n = 2
        while path in out:
            path = target.with_name(f"{target.stem}-{slug}-{n}{target.suffix or '.toml'}")
            n += 1
        out[path] = part.fragment
    return out


def check_fragment(fragment: str, scenario: Path | str) -> list[str]:
    """Problems of the scenario with its profiles replaced by the fragment's (empty: it validates)."""
    import tomllib

    from bekostiging.scenario.load import validate_tree
    from bekostiging.scenario.toml_files import load_tree

    tree = load_tree(Path(scenario))
    if tree.findings:
        return [str(f).removeprefix("error: ") for f in tree.findings]
    profiles = tomllib.loads(fragment, parse_float=Decimal).get("profiles", {})
    tree.data["profiles"] = profiles
    validate_tree(tree)
    return [str(f).removeprefix("error: ") for f in tree.findings]


def write_fragments(result: Calibration, target: Path | str, inputs: Iterable[Path]) -> list[Path]:
    """Write the fragments where `output_paths` says, never over one of `inputs`.

    Every target is checked before any is written (`OutputRefused`); then they are written
    all or nothing (`output.write_all_atomic`: every file to a temporary name first, then
    renamed), so a full disk leaves no partial set that would block a rerun. An `OSError`
    of the writing is left to the caller.
    """
    from bekostiging.output import check_target, write_all_atomic, write_atomic

    targets = output_paths(target, result)
    inputs = list(inputs)
    for path in targets:
        check_target(path, inputs)
    if len(targets) == 1:
        [(path, text)] = targets.items()
        write_atomic(path, text)
    else:
        write_all_atomic(dict(targets))
    return list(targets)


def comment_text(name: str) -> str:
    """A name as it may stand in a TOML comment: as it is when every character is printable,
    else quoted and escaped like a Python string literal (`'x\\n[profiles.y]'`), so a line
    break or control character in a file name can neither end the comment nor break the TOML."""
    return name if name.isprintable() else repr(name)


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; TOML also wants DEL escaped)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
