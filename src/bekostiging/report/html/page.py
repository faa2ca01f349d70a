"""The document shell: what the page shows (one comparison, or several summed; one year),
its contents, header, sections and style, as one HTML5 file.

The page opens offline: it refers to nothing outside itself (no URL of any kind, no font,
no script), and a Content-Security-Policy says so to the browser too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bekostiging.findings import choose_from
from bekostiging.report.html import charts
from bekostiging.report.html.sections import BUILDERS, CHARTS, SECTIONS, View, e, header, section_body
from bekostiging.report.i18n import labels as labels_of
from bekostiging.report.regions import by_scenario, names_of, parts_of
from bekostiging.report.tables import (
    Combined,
    combine,
    flows,
    of_year,
    party_sums,
    settlements,
    spend_change,
    step_sums,
    years_of,
)

if TYPE_CHECKING:
    from bekostiging.api import Comparison


def build_report(
    comparisons: Comparison | Sequence[Comparison],
    *,
    lang: str = "nl",
    flow_variant: str | None = None,
    year: int | None = None,
    title: str | None = None,
) -> str:
    """One self-contained HTML5 document for one comparison, or for several summed.

    `flow_variant` is the variant whose money flows section 2 draws (default: the first
    variant that is not the baseline); `year` the year sections 1-5 show for a scenario
    with a horizon (default: its first year). Raises `ValueError` for an unknown
    language, variant or year. `title` replaces the heading (default: the scenario's name,
    or "Total of N scenarios").
    """
    view = _view(comparisons, year, lang)
    if title is not None:
        view.title = title
    variant = _flow_variant(view, flow_variant)
    text = labels_of(lang).report
    figures = {name: BUILDERS[name](view, variant) for name in CHARTS}
    body = [header(view)]
    toc = []
    shown = [section for section in SECTIONS if view.many or section[0] != "regios"]
    for number, (anchor, key, names) in enumerate(shown, start=1):
        heading = f"{number}. {text[key]}"
        toc.append(f'<li><a href="#{anchor}">{e(heading)}</a></li>')
        parts = [
            f'<section id="{anchor}" aria-labelledby="{anchor}-h">',
            f'<h2 id="{anchor}-h">{e(heading)}</h2>',
        ]
        parts += section_body(view, anchor, names, figures, variant)
        parts.append("</section>")
        body.append("\n".join(parts))
    contents = e(text["contents"])
    nav = f'<nav aria-label="{contents}"><h2>{contents}</h2><ul>{"".join(toc)}</ul></nav>'
    body.insert(1, nav)
    return _page(f"{view.title} – {text['report']}", lang, "\n".join(body))


def chart_svg(
    comparisons: Comparison | Sequence[Comparison],
    name: str,
    *,
    lang: str = "nl",
    flow_variant: str | None = None,
    year: int | None = None,
) -> str:
    """One chart (a name of `CHARTS`) as a standalone SVG document, for `--chart NAME -o x.svg`.

    Raises `ValueError` for an unknown name, or a chart this comparison has no data for
    (see `available_charts`).
    """
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}; choose from {', '.join(CHARTS)}")
    view = _view(comparisons, year, lang)
    figure = BUILDERS[name](view, _flow_variant(view, flow_variant))
    if figure.svg is None:
        raise ValueError(f"no chart {name!r} for this scenario: {figure.note}")
    return charts.standalone(figure.svg)


def available_charts(comparisons: Comparison | Sequence[Comparison], *, year: int | None = None) -> list[str]:
    """The names of `CHARTS` this comparison has data for (the others print a note instead)."""
    view = _view(comparisons, year, "nl")
    variant = _flow_variant(view, None)
    return [name for name in CHARTS if BUILDERS[name](view, variant).svg is not None]


# ------------------------------------------------------------------ what the page shows


def _view(comparisons: Comparison | Sequence[Comparison], year: int | None, lang: str) -> View:
    """The tables of the year shown: the figures layer sums several scenarios per party id."""
    text = labels_of(lang).report  # raises ValueError for an unknown language
    items = list(comparisons) if isinstance(comparisons, list | tuple) else [comparisons]
    if not items:
        raise ValueError("nothing to report: no comparison given")
    metas = [c.meta for c in items]
    combined = combine([(c.meta.scenario_name, c.figures) for c in items])
    chosen = _year(combined, year)

    def shown(name: str):
        return of_year(combined.total(name), chosen)

    results = shown("results")
    view = View(
        lang=lang,
        title=metas[0].scenario_name if len(metas) == 1 else text["total_of"].format(count=len(metas)),
        metas=metas,
        baseline=metas[0].baseline,
        whatifs=list(dict.fromkeys(w for m in metas for w in m.whatifs)),
        overrides=list(dict.fromkeys(o for m in metas for o in m.overrides)),
        variants={v["id"]: v["name"] for m in metas for v in m.variants},
        parties={p["id"]: p["name"] for m in metas for p in m.parties},
        roles={p["id"]: p["role"] for m in metas for p in m.parties},
        year=chosen,
        results=results,
        sums=party_sums(results),
        flows=flows(shown("ledger")),
        availability=shown("availability"),
        settlements=settlements(shown("shared_savings")),
        totals=shown("totals"),
        inputs=list({(i["file"], i["sha256"]): i for m in metas for i in m.inputs}.values()),
    )
    if combined.has("attribution"):
        view.attribution = shown("attribution")
        view.step_sums = step_sums(view.attribution)
    if combined.has("horizon"):
        view.horizon = combined.total("horizon")
        view.per_year = combined.total("results").select("year", "variant", "party", "delta")
    if view.many:
        view.per_scenario = [
            (name, spend_change(of_year(f.totals, chosen), view.baseline)) for name, f in combined
        ]
        named = list(zip(names_of(metas), combined.parts, strict=True))
        view.regions = by_scenario(parts_of(named, year), view.roles)
    return view


def _year(combined: Combined, year: int | None) -> int | None:
    """The year sections 1-5 show: the one asked for, or the first of the horizon."""
    per_part = [years_of(f.results) for f in combined.parts]
    years = list(dict.fromkeys(y for found in per_part for y in found))
    if not years:
        if year is not None:
            raise ValueError(f"year {year}: this scenario has no [horizon]")
        return None
    if year is None:
        return min(years)
    if any(found and year not in found for found in per_part):
        raise ValueError(f"year {year} is not in the horizon ({min(years)}-{max(years)})")
    return year


def _flow_variant(view: View, asked: str | None) -> str:
    if asked is not None:
        if asked not in view.variants:
            raise ValueError(choose_from("variant", asked, view.variants))
        return asked
    others = [v for v in view.variants if v != view.baseline]
    return others[0] if others else view.baseline


# ------------------------------------------------------------------ the document


_CSS = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #5c5c5c; --rule: #d9d9d9; --band: #f6f6f4; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font-size: 15px; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 28px; line-height: 1.2; margin: 4px 0 12px; }
h2 { font-size: 21px; margin: 0 0 12px; padding-top: 8px; border-top: 2px solid var(--ink); }
.kicker { margin: 0; color: var(--muted); font-size: 13px; letter-spacing: .04em; text-transform: uppercase; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 12px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
nav { background: var(--band); padding: 10px 16px; margin: 16px 0 28px; }
nav h2 { border: 0; font-size: 15px; margin: 0 0 4px; padding: 0; }
nav ul { margin: 0; padding: 0; list-style: none; columns: 2; }
nav a { color: #0b5394; }
section { margin: 0 0 40px; }
figure.chart { margin: 8px 0 8px; }
figure.chart .svg svg { display: block; width: 100%; height: auto; max-width: 100%; }
figcaption, .note { color: var(--muted); font-size: 13px; margin: 6px 0 10px; }
.table-wrap { overflow-x: auto; margin: 6px 0 22px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; }
tbody th { font-weight: normal; }
.num { text-align: right; white-space: nowrap; }
thead th.num { white-space: normal; }
code { font-size: 12px; word-break: break-all; }
@media print { nav { display: none; } section { break-inside: auto; } figure.chart { break-inside: avoid; } }
"""


CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _page(title: str, lang: str, body: str) -> str:
    from bekostiging.version import __version__

    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Nothing outside this file may load, even if a reference ever slipped in.
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f'<meta name="generator" content="bekostiging {e(__version__)}">\n'
        f"<title>{e(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
