"""The negotiation space for people: the terminal summary, the chart and its page.

The summary: the grid's shape, the size of the region and the range of each input
inside it, the max-min and Nash points in a table, and, for two inputs, a map of the
region in text when it fits the console (one character a point). The chart: for two
inputs a heat map of the smallest listed-party delta, the region outlined (`class=
"region"`) and the two points marked; for one input each party's delta as a line, the
region's intervals shaded. Its page (`-o ruimte.html`) is the report's shell
(`html.page`) with the chart and the data tables, so it opens offline like the report.

`result` is a `results.Frontier` (its `grid`: `decisions.frontier.Grid`, money in cents).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from bekostiging.report.html import charts
from bekostiging.report.html.charts import _esc, _line, _n, _rect, _Scale, _svg, _text
from bekostiging.report.i18n import labels
from bekostiging.report.numbers import compact, euro, euros

GAIN, LOSS, OUTLINE = "#0072B2", "#D55E00", "#1A1A1A"  # Okabe-Ito blue and vermillion


def _words(lang: str) -> dict[str, str]:
    labels(lang)  # an unknown language: ValueError with the choices
    return labels(lang).frontier


def _names(result: Any) -> dict[str, str]:
    return {p["id"]: p["name"] for p in result.meta.parties}


def _variant_name(result: Any, variant: str) -> str:
    return next((v["name"] for v in result.meta.variants if v["id"] == variant), variant)


def metric_text(grid: Any, lang: str) -> str:
    w = _words(lang)
    margin = "_margin" if grid.metric.endswith("margin_delta") else ""
    if grid.metric.startswith("npv_"):
        first, last, rate = grid.span
        return w["npv" + margin].format(first=first, last=last, rate=rate)
    if grid.year is not None:
        return w["year" + margin].format(year=grid.year)
    return w["delta" + margin]


def costs_note(result: Any, lang: str) -> str | None:
    """What the figure means for the listed parties with costs, when any has them."""
    g, w = result.grid, _words(lang)
    if not g.costly:
        return None
    names = _names(result)
    costly = ", ".join(names.get(p, p) for p in g.costly)
    key = "margin_note" if g.metric.endswith("margin_delta") else "costly_note"
    return w[key].format(parties=costly)


# ------------------------------------------------------------------ terminal


def summary(result: Any, lang: str) -> list[Any]:
    """The renderables of the terminal view (see the module docstring)."""
    from rich.text import Text

    from bekostiging.printable import printable_lines

    g, w = result.grid, _words(lang)
    names = _names(result)
    lines = [
        w["title"].format(
            variant=_variant_name(result, g.variant), baseline=_variant_name(result, g.baseline)
        ),
        w["parties"].format(
            parties=", ".join(names.get(p, p) for p in g.parties), metric=metric_text(g, lang)
        ),
        w["grid"].format(shape=" × ".join(str(a.n) for a in g.axes), size=g.size)
        if len(g.axes) == 2
        else w["line"].format(size=g.size),
    ]
    inside = g.region
    if inside:
        lines.append(w["region"].format(count=len(inside), size=g.size))
        for a, (low, high) in zip(g.axes, g.ranges(), strict=True):
            lines.append(w["range"].format(path=a.path, low=low, high=high))
    else:
        lines.append(w["no_region"])
    shown: list[Any] = [Text(printable_lines("\n".join(lines)))]
    shown.append(points_table(result, lang))
    where = w["inside"] if g.feasible[g.max_min] else w["outside"]
    notes = [w["max_min_note"].format(where=where)]
    notes.append(w["nash_note"] if g.nash is not None else w[f"nash_{g.nash_none}"])
    notes.append(w["ties"])
    note = costs_note(result, lang)
    if note is not None:
        notes.append(note)
    shown.append(Text(printable_lines("\n".join(notes))))
    if len(g.axes) == 2:
        shown.append(Text(text_map(g, lang)))
    return shown


def points_table(result: Any, lang: str) -> Any:
    """The max-min and Nash points: their number, values and each party's delta."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from bekostiging.printable import printable

    g, w = result.grid, _words(lang)
    names = _names(result)
    table = Table(title=Text(w["points"]), box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column(w["kind"])
    table.add_column(w["point"], justify="right")
    for a in g.axes:
        table.add_column(Text(printable(a.path)), justify="right")
    for p in g.parties:
        table.add_column(Text(printable(w["party_delta"].format(party=names.get(p, p)))), justify="right")
    table.add_column(w["min_delta"], justify="right")
    table.add_column(w["feasible"])
    yes, no = labels(lang).words["yes"], labels(lang).words["no"]
    for kind, index in (("max_min", g.max_min), ("nash", g.nash)):
        if index is None:
            table.add_row(w[kind], *(["–"] * (len(g.axes) + len(g.parties) + 3)))
            continue
        money = [euro(euros(g.deltas[p][index]), lang) for p in g.parties]
        table.add_row(
            w[kind],
            str(index + 1),
            *(str(v) for v in g.values_at(index)),
            *money,
            euro(euros(g.smallest[index]), lang),
            yes if g.feasible[index] else no,
        )
    return table


def text_map(grid: Any, lang: str, width: int = 80) -> str:
    """The region in text: a row per value of the first input, a character per value of
    the second (`█` in the region, `·` outside, `M`, `N`, `*` the points)."""
    w = _words(lang)
    first, second = grid.axes
    row_labels = [str(v) for v in first.values]
    pad = max(len(t) for t in row_labels)
    if pad + 1 + second.n > width:
        return w["map_wide"].format(width=width)
    marks = {grid.max_min: "M"}
    if grid.nash is not None:
        marks[grid.nash] = "*" if grid.nash == grid.max_min else "N"
    out = [w["map"].format(rows=first.path, columns=second.path)]
    for r, label in enumerate(row_labels):
        cells = []
        for c in range(second.n):
            i = r * second.n + c
            cells.append(marks.get(i, "█" if grid.feasible[i] else "·"))
        out.append(f"{label.rjust(pad)} {''.join(cells)}")
    low, high = str(second.values[0]), str(second.values[-1])
    room = second.n - len(low) - len(high)
    ends = f"{low}{' ' * room}{high}" if room >= 1 else f"{low} … {high}"
    out.append(" " * (pad + 1) + ends)
    return "\n".join(out)


# ------------------------------------------------------------------ the chart


def svg(result: Any, lang: str) -> str:
    """The chart as an inline `<svg>` (a heat map for two inputs, lines for one)."""
    return heat_map(result, lang) if len(result.grid.axes) == 2 else line_chart(result, lang)


def _shade(value: int, largest: int) -> str:
    """A colour for a smallest delta: white at 0, to blue for gains, vermillion for losses."""
    t = min(abs(value) / largest, 1.0) if largest else 0.0
    target = GAIN if value >= 0 else LOSS
    rgb = [int(target[k : k + 2], 16) for k in (1, 3, 5)]
    mixed = [round(255 + (c - 255) * (0.15 + 0.85 * t)) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def heat_map(result: Any, lang: str) -> str:
    g, w = result.grid, _words(lang)
    names = _names(result)
    first, second = g.axes
    title = w["chart_title"].format(
        parties=", ".join(names.get(p, p) for p in g.parties), variant=_variant_name(result, g.variant)
    )
    left = max(charts.text_width(str(v), charts.SMALL_SIZE) for v in first.values) + 14
    top, plot_w = 54.0, 560.0
    cell_w = plot_w / second.n
    cell_h = min(max(360.0 / first.n, 4.0), 40.0)
    plot_h = cell_h * first.n
    largest = max(abs(v) for v in g.smallest) or 1
    parts = [_text(0, 38, metric_text(g, lang), size=charts.SMALL_SIZE, fill="#555555")]

    def xy(index: int) -> tuple[float, float]:
        return left + (index % second.n) * cell_w, top + (index // second.n) * cell_h

    for i, value in enumerate(g.smallest):
        x, y = xy(i)
        a, b = g.values_at(i)
        tip = f"{first.path} = {a}, {second.path} = {b}: {w['min_delta']} {euro(euros(value), lang)}"
        parts.append(_rect(x, y, cell_w + 0.2, cell_h + 0.2, _shade(value, largest), tip))
    parts.append(_outline(g, xy, cell_w, cell_h))
    parts += _markers(result, xy, cell_w, cell_h, lang)
    # axes: the first input down the left, the second across the bottom
    step_rows = max(1, round(first.n / 10))
    for r in range(0, first.n, step_rows):
        y = top + (r + 0.5) * cell_h
        parts.append(_text(left - 6, y + 4, str(first.values[r]), size=charts.SMALL_SIZE, anchor="end"))
    step_cols = max(1, round(second.n * 60 / plot_w))
    for c in range(0, second.n, step_cols):
        x = left + (c + 0.5) * cell_w
        text = str(second.values[c])
        parts.append(_text(x, top + plot_h + 14, text, size=charts.SMALL_SIZE, anchor="middle"))
    parts.append(_text(left, top + plot_h + 32, f"→ {second.path}", size=charts.SMALL_SIZE, fill="#555555"))
    parts.append(_text(0, top - 6, f"↓ {first.path}", size=charts.SMALL_SIZE, fill="#555555"))
    legend_y = top + plot_h + 44
    parts += _legend(w, lang, largest, 0, legend_y)
    panel = _points_panel(result, lang, left + plot_w + 24, top)
    height = legend_y + 44
    return _svg(left + plot_w + 24 + 300, max(height, top + 24 * 12), title, parts + panel)


def _outline(g: Any, xy: Any, cell_w: float, cell_h: float) -> str:
    """The region's border: every edge of a region cell whose neighbour is outside it."""
    _, second = g.axes
    rows = g.size // second.n
    segments = []
    for i in g.region:
        r, c = divmod(i, second.n)
        x, y = xy(i)
        for inside, (x1, y1, x2, y2) in (
            (r > 0 and g.feasible[i - second.n], (x, y, x + cell_w, y)),
            (r < rows - 1 and g.feasible[i + second.n], (x, y + cell_h, x + cell_w, y + cell_h)),
            (c > 0 and g.feasible[i - 1], (x, y, x, y + cell_h)),
            (c < second.n - 1 and g.feasible[i + 1], (x + cell_w, y, x + cell_w, y + cell_h)),
        ):
            if not inside:
                segments.append(f"M{_n(x1)} {_n(y1)}L{_n(x2)} {_n(y2)}")
    d = "".join(segments) or "M0 0"
    style = f'fill="none" stroke="{OUTLINE}" stroke-width="2.5" stroke-linecap="square"'
    return f'<path class="region" d="{d}" {style}/>'


def _markers(result: Any, xy: Any, cell_w: float, cell_h: float, lang: str) -> list[str]:
    g, w = result.grid, _words(lang)
    parts = []
    radius = max(min(cell_w, cell_h) * 0.35, 3.0)
    for kind, index in (("max_min", g.max_min), ("nash", g.nash)):
        if index is None:
            continue
        x, y = xy(index)
        cx, cy = x + cell_w / 2, y + cell_h / 2
        tip = _esc(f"{w[kind]}: {', '.join(str(v) for v in g.values_at(index))}")
        if kind == "max_min":
            shape = f'<circle class="max-min" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius)}"'
        else:
            r = radius * 1.25
            points = (
                f"{_n(cx)},{_n(cy - r)} {_n(cx + r)},{_n(cy)} {_n(cx)},{_n(cy + r)} {_n(cx - r)},{_n(cy)}"
            )
            shape = f'<polygon class="nash" points="{points}"'
        parts.append(f'{shape} fill="#FFFFFF" stroke="{OUTLINE}" stroke-width="2"><title>{tip}</title>')
        parts[-1] += "</circle>" if kind == "max_min" else "</polygon>"
    return parts


def _legend(w: dict[str, str], lang: str, largest: int, x: float, y: float) -> list[str]:
    items = [
        (_shade(largest, largest), w["legend_gain"]),
        (_shade(-largest, largest), w["legend_loss"]),
    ]
    parts = []
    for fill, label in items:
        parts.append(_rect(x, y, 12, 12, fill))
        parts.append(_text(x + 18, y + 10, label, size=charts.SMALL_SIZE))
        x += 36 + charts.text_width(label, charts.SMALL_SIZE)
    parts.append(_line(x, y + 6, x + 16, y + 6, stroke=OUTLINE, width=2.5))
    parts.append(_text(x + 22, y + 10, w["legend_region"], size=charts.SMALL_SIZE))
    x += 40 + charts.text_width(w["legend_region"], charts.SMALL_SIZE)
    ring = f'fill="#FFFFFF" stroke="{OUTLINE}" stroke-width="2"'
    parts.append(f'<circle cx="{_n(x + 6)}" cy="{_n(y + 6)}" r="5" {ring}/>')
    parts.append(_text(x + 16, y + 10, w["max_min"], size=charts.SMALL_SIZE))
    x += 30 + charts.text_width(w["max_min"], charts.SMALL_SIZE)
    diamond = f"{_n(x + 6)},{_n(y)} {_n(x + 12)},{_n(y + 6)} {_n(x + 6)},{_n(y + 12)} {_n(x)},{_n(y + 6)}"
    parts.append(f'<polygon points="{diamond}" fill="#FFFFFF" stroke="{OUTLINE}" stroke-width="2"/>')
    parts.append(_text(x + 18, y + 10, w["nash"], size=charts.SMALL_SIZE))
    scale = w["legend_scale"].format(amount=compact(euros(largest) or 0, lang))
    parts.append(_text(0, y + 30, scale, size=charts.SMALL_SIZE, fill="#555555"))
    return parts


def _points_panel(result: Any, lang: str, x: float, y: float) -> list[str]:
    """The two points as text beside the chart: their values and every party's delta."""
    g, w = result.grid, _words(lang)
    names = _names(result)
    parts = []
    for kind, index in (("max_min", g.max_min), ("nash", g.nash)):
        parts.append(_text(x, y + 12, w[kind], weight="600"))
        y += 18
        if index is None:
            parts.append(_text(x, y + 12, w[f"nash_{g.nash_none}"], size=charts.SMALL_SIZE, fill="#555555"))
            y += 30
            continue
        rows = [f"{a.path} = {v}" for a, v in zip(g.axes, g.values_at(index), strict=True)]
        rows += [
            f"{w['party_delta'].format(party=names.get(p, p))}: {euro(euros(g.deltas[p][index]), lang)}"
            for p in g.parties
        ]
        for row in rows:
            parts.append(_text(x, y + 12, charts.fit(row, 290, charts.SMALL_SIZE), size=charts.SMALL_SIZE))
            y += 16
        y += 14
    return parts


def line_chart(result: Any, lang: str) -> str:
    """One input: each listed party's delta over its values, the region's intervals shaded."""
    g, w = result.grid, _words(lang)
    names = _names(result)
    (axis,) = g.axes
    title = w["line_title"].format(variant=_variant_name(result, g.variant))
    values = [euros(v) for p in g.parties for v in g.deltas[p]]
    ticks = charts.nice_ticks(float(min(values)), float(max(values)), count=5)
    left = max(charts.text_width(compact(t, lang), charts.SMALL_SIZE) for t in ticks) + 14
    top, plot_w, plot_h = 80.0, 560.0, 300.0
    right = left + plot_w
    scale = _Scale(float(ticks[0]), float(ticks[-1]), top + plot_h, top)
    step = plot_w / (axis.n - 1)
    xs = [left + i * step for i in range(axis.n)]
    parts = [_text(0, 38, metric_text(g, lang), size=charts.SMALL_SIZE, fill="#555555")]
    for start, stop in _runs(g.feasible):
        x1, x2 = xs[start], xs[stop]
        if x2 - x1 < 4:
            x1, x2 = x1 - 2, x2 + 2
        parts.append(
            _rect(
                x1,
                top,
                x2 - x1,
                plot_h,
                "#0072B2",
                extra=f'class="region" fill-opacity="0.12" stroke="{OUTLINE}" stroke-width="1.5"',
            )
        )
    parts += charts._y_axis(scale, ticks, left, right, lambda t: compact(t, lang))
    for i in range(0, axis.n, max(1, round(axis.n * 60 / plot_w))):
        parts.append(
            _text(xs[i], top + plot_h + 16, str(axis.values[i]), size=charts.SMALL_SIZE, anchor="middle")
        )
    parts.append(_text(left, top + plot_h + 34, f"→ {axis.path}", size=charts.SMALL_SIZE, fill="#555555"))
    legend = [(names.get(p, p), charts.colour(k), "line:") for k, p in enumerate(g.parties)]
    legend += [(w["legend_region"], "#CCE3F0", "box")]
    drawn, _ = charts._legend(legend, 0, 50, plot_w + left)
    parts += drawn
    for k, p in enumerate(g.parties):
        stroke = charts.colour(k)
        points = [(x, scale(euros(v) or 0)) for x, v in zip(xs, g.deltas[p], strict=True)]
        d = " ".join(f"{'M' if i == 0 else 'L'}{_n(x)} {_n(y)}" for i, (x, y) in enumerate(points))
        parts.append(f'<path d="{d}" fill="none" stroke="{stroke}" stroke-width="2"/>')
        for (x, y), value, v in zip(points, g.deltas[p], axis.values, strict=True):
            tip = _esc(f"{names.get(p, p)}, {axis.path} = {v}: {euro(euros(value), lang)}")
            parts.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.5" fill="{stroke}"><title>{tip}</title></circle>'
            )
    for kind, index in (("max_min", g.max_min), ("nash", g.nash)):
        if index is not None:
            x = xs[index]
            parts.append(
                _line(
                    x,
                    top,
                    x,
                    top + plot_h,
                    stroke=OUTLINE,
                    width=1.5,
                    dash="2 3" if kind == "nash" else "6 3",
                )
            )
            parts.append(
                _text(
                    x + 4,
                    top + 12 + (14 if kind == "nash" else 0),
                    w[kind],
                    size=charts.SMALL_SIZE,
                    halo=True,
                )
            )
    panel = _points_panel(result, lang, right + 24, top)
    return _svg(right + 24 + 300, max(top + plot_h + 50, top + 24 * 12), title, parts + panel)


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """The maximal runs of consecutive true flags, as (first, last) indices."""
    found, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            found.append((start, i - 1))
            start = None
    return found


# ------------------------------------------------------------------ the page


def page(result: Any, lang: str) -> str:
    """A self-contained HTML page: the chart, the summary, and the two data tables."""
    from bekostiging.report.html.page import _page
    from bekostiging.report.html.sections import e, table

    g, w = result.grid, _words(lang)
    title = w["title"].format(
        variant=_variant_name(result, g.variant), baseline=_variant_name(result, g.baseline)
    )
    parts = [f"<h1>{e(title)}</h1>", f"<p>{e(result.meta.scenario_name)}: {e(metric_text(g, lang))}</p>"]
    figure = '<figure id="chart-frontier" class="chart" aria-describedby="table-points">'
    parts.append(f'{figure}<div class="svg">{svg(result, lang)}</div></figure>')
    for name, caption in (("points", w["points"]), ("grid", w["grid_table"])):
        frame = result.table(name)
        head = [
            (_column(c, result, w), frame.schema[c].is_numeric() or c in (a.path for a in g.axes))
            for c in frame.columns
        ]
        body = [[_cell(v, c, lang) for c, v in row.items()] for row in frame.iter_rows(named=True)]
        parts.append(table(caption, head, body, name, row_headers=1))
    return _page(f"{title} – {w['page']}", lang, "\n".join(parts))


def _column(column: str, result: Any, w: dict[str, str]) -> str:
    names = _names(result)
    if column.startswith("delta_") and column[6:] in names:
        return w["party_delta"].format(party=names[column[6:]])
    return w.get(column, column)


def _cell(value: Any, column: str, lang: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return labels(lang).words["yes" if value else "no"]
    if isinstance(value, Decimal) and (column.startswith("delta_") or column == "min_delta"):
        return euro(value, lang)
    return str(value)
