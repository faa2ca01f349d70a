"""Charts as SVG strings, written by hand: no dependencies, no scripts, no external files.

Every function here is pure: data in, one `<svg>` element out. The output is
deterministic (no random ids, stable order, coordinates with one decimal), so two runs
give the same bytes. The charts carry no `xmlns`: inline in HTML5 it is not needed;
`standalone()` adds it (and an XML declaration) for a `.svg` file.

Values are numbers (int, float or Decimal) in the unit the caller chose (the report
passes euros); they are converted to float for the geometry only. Every amount a reader
sees is one the caller passed (a total, a gap, a node's sum come finished from the figures
layer), and every text comes from the caller's formatter (`fmt` for amounts, `axis_fmt`
for tick labels), so the charts know nothing about languages, number formats or sums.

Accessibility: `role="img"`, an `aria-label` and a `<title>` on every chart, and a
`<title>` (a tooltip) on every bar, band and point. Colours are the Okabe-Ito palette,
which stays distinguishable for the common kinds of colour blindness.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from bekostiging.printable import printable_lines

Number = int | float | Decimal
Fmt = Callable[[Number], str]

# Okabe & Ito (2008), "Color Universal Design"; black last (the total bars are dark grey).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TOTAL_COLOUR = "#4D4D4D"
GAP_COLOUR = "#D55E00"
MUTED = "#8C8C8C"
INK = "#1A1A1A"
GRID = "#E3E3E3"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'DejaVu Sans', Arial, sans-serif"
DASHES = ("", "6 3", "2 3", "8 3 2 3")  # lines beyond the palette's length get a dash pattern
WIDTH = 960
TITLE_SIZE = 16
LABEL_SIZE = 12
SMALL_SIZE = 11
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


# ------------------------------------------------------------------ primitives


def _n(value: float) -> str:
    """A coordinate with one decimal, never `-0.0`."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _esc(text: object) -> str:
    """Text or an attribute value, escaped; a control character shown as its escape
    (`\\x1b`): XML 1.0 cannot hold one, so an SVG with one would not open."""
    return html.escape(printable_lines(str(text)), quote=True)


def _wide(c: str) -> bool:
    return c.isupper() or c in "mwMW€%"


def text_width(text: str, size: float = LABEL_SIZE) -> float:
    """An estimate of a sans-serif text's width (there is no font metric without a renderer)."""
    wide = sum(1 for c in text if _wide(c))
    return (len(text) * 0.56 + wide * 0.14) * size


def fit(text: str, limit: float, size: float = LABEL_SIZE) -> str:
    """The text, cut short with an ellipsis when it would be wider than `limit` pixels.

    The longest start that fits with the ellipsis, found in one pass: a text's width
    depends only on its length and its number of wide characters (`text_width`, the
    same formula), so each start is measured from the previous one, not remeasured.
    """
    if text_width(text, size) <= limit:
        return text
    keep = wide = 0
    for i, c in enumerate(text):
        wide += _wide(c)
        if ((i + 2) * 0.56 + wide * 0.14) * size > limit:  # text[: i + 1] and the ellipsis
            break
        keep = i + 1
    return text[:keep].rstrip() + "…"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = LABEL_SIZE,
    anchor: str = "start",
    weight: str | None = None,
    fill: str = INK,
    halo: bool = False,
    rotate: float | None = None,
) -> str:
    attrs = [f'x="{_n(x)}"', f'y="{_n(y)}"', f'font-size="{size:g}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if weight:
        attrs.append(f'font-weight="{weight}"')
    if fill != INK:
        attrs.append(f'fill="{fill}"')
    if halo:
        attrs.append('stroke="#FFFFFF" stroke-width="3" stroke-linejoin="round" paint-order="stroke"')
    if rotate is not None:
        attrs.append(f'transform="rotate({rotate:g} {_n(x)} {_n(y)})"')
    return f"<text {' '.join(attrs)}>{_esc(text)}</text>"


def _rect(
    x: float, y: float, w: float, h: float, fill: str | None, tip: str | None = None, extra: str = ""
) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0.0))}" height="{_n(max(h, 0.0))}"'
    if fill is not None:
        attrs += f' fill="{fill}"'
    if extra:
        attrs += " " + extra
    if tip is None:
        return f"<rect {attrs}/>"
    return f"<rect {attrs}><title>{_esc(tip)}</title></rect>"


def _line(
    x1: float, y1: float, x2: float, y2: float, stroke: str = GRID, width: float = 1, dash: str = ""
) -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
        f'stroke="{stroke}" stroke-width="{width:g}"{extra}/>'
    )


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    head = (
        f'<svg viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'role="img" aria-label="{_esc(title)}" font-family="{_esc(FONT)}" fill="{INK}">'
    )
    heading = _text(0, TITLE_SIZE + 2, title, size=TITLE_SIZE, weight="600")
    return "\n".join([head, f"<title>{_esc(title)}</title>", heading, *body, "</svg>"])


def standalone(svg: str) -> str:
    """An inline chart as a `.svg` file of its own: with the SVG namespace and a declaration."""
    if not svg.startswith("<svg "):
        raise ValueError("not a chart made by this module")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="{SVG_NAMESPACE}" {svg[5:]}\n'


def _empty(title: str, message: str) -> str:
    return _svg(WIDTH, 80, title, [_text(0, 60, message, fill=MUTED)])


def nice_ticks(low: float, high: float, count: int = 5) -> list[Decimal]:
    """Round tick values (1, 2, 2.5 or 5 × 10^k apart) covering [low, high], 0 included."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high - low <= 0:
        high = low + 1
    raw = Decimal(repr((high - low) / max(count, 1)))
    exponent = raw.adjusted()
    base = raw.scaleb(-exponent)
    step = next((m for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)) if base <= m), Decimal(10))
    step = step.scaleb(exponent)
    first = (Decimal(repr(low)) / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [first]
    while float(ticks[-1]) < high:
        ticks.append(ticks[-1] + step)
    return [t.normalize() if t != 0 else Decimal(0) for t in ticks]


@dataclass
class _Scale:
    """A linear map from values to pixels (y grows downward when `low_px > high_px`)."""

    low: float
    high: float
    low_px: float
    high_px: float

    def __call__(self, value: Number) -> float:
        span = self.high - self.low or 1.0
        return self.low_px + (float(value) - self.low) / span * (self.high_px - self.low_px)


def _legend(
    items: Sequence[tuple[str, str, str]], x: float, y: float, width: float
) -> tuple[list[str], float]:
    """Swatches and labels, wrapped over lines; items are (label, colour, kind) with kind
    `box`, `line:<dash>` or `gap`. Returns the parts and the height used."""
    parts: list[str] = []
    cx, cy, line_height = x, y, 18
    for full, fill, kind in items:
        label = fit(full, 320, SMALL_SIZE)
        need = 18 + text_width(label, SMALL_SIZE) + 16
        if cx > x and cx + need > x + width:
            cx, cy = x, cy + line_height
        if kind.startswith("line"):
            dash = kind.partition(":")[2]
            parts.append(_line(cx, cy + 6, cx + 14, cy + 6, stroke=fill, width=2.5, dash=dash))
        elif kind == "gap":
            parts.append(_rect(cx, cy, 12, 12, "#FFFFFF", extra=_GAP_STROKE))
        else:
            parts.append(_rect(cx, cy, 12, 12, fill))
        parts.append(_text(cx + 18, cy + 10, label, size=SMALL_SIZE))
        cx += need
    return parts, (cy - y) + line_height


_GAP_STROKE = f'stroke="{GAP_COLOUR}" stroke-width="1.5" stroke-dasharray="4 2"'


def _y_axis(scale: _Scale, ticks: Sequence[Decimal], left: float, right: float, axis_fmt: Fmt) -> list[str]:
    parts = []
    for tick in ticks:
        y = scale(tick)
        parts.append(_line(left, y, right, y, stroke="#9A9A9A" if tick == 0 else GRID, width=1))
        parts.append(_text(left - 6, y + 4, axis_fmt(tick), size=SMALL_SIZE, anchor="end", fill="#555555"))
    return parts


def _category_labels(
    labels: Sequence[str], centres: Sequence[float], slot: float, y: float
) -> tuple[list[str], float]:
    """Labels under groups: level when they fit, else turned 35 degrees (and cut short at
    `LABEL_LIMIT` pixels). Returns parts and height."""
    widest = max((text_width(label) for label in labels), default=0.0)
    if widest <= slot - 6:
        return [
            _text(c, y + 14, label, anchor="middle") for label, c in zip(labels, centres, strict=True)
        ], 22
    labels = [fit(label, LABEL_LIMIT) for label in labels]
    widest = max(text_width(label) for label in labels)
    parts = [
        _text(c + 4, y + 12, label, anchor="end", rotate=-35)
        for label, c in zip(labels, centres, strict=True)
    ]
    return parts, widest * 0.574 + 24  # sin(35°) ≈ 0.574


def _plot_left(categories: Sequence[str], ticks: Sequence[Decimal], axis_fmt: Fmt, width: float) -> float:
    """Room left of the plot: the tick labels, or the first turned category label if wider."""
    left = _axis_width(ticks, axis_fmt)
    if not categories:
        return left
    slot = (width - left) / len(categories)
    if max(text_width(c) for c in categories) <= slot - 6:
        return left
    first = text_width(fit(categories[0], LABEL_LIMIT))
    return max(left, first * 0.819 - slot / 2 + 8)  # cos(35°) ≈ 0.819


LABEL_LIMIT = 170.0


def _axis_width(ticks: Sequence[Decimal], axis_fmt: Fmt) -> float:
    return max(text_width(axis_fmt(t), SMALL_SIZE) for t in ticks) + 14


# ------------------------------------------------------------------ grouped bars


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[Number | None]],
    *,
    title: str,
    fmt: Fmt,
    axis_fmt: Fmt,
    colours: Sequence[str] | None = None,
    width: float = WIDTH,
    plot_height: float = 300,
) -> str:
    """Vertical bars, one group per category, one bar per series (`values[series][category]`).

    Negative values hang below the zero line; every bar has a tooltip with its exact value.
    """
    colours = list(colours or [colour(i) for i in range(len(series))])
    present = [float(v) for row in values for v in row if v is not None]
    if not categories or not series or not present:
        return _empty(title, "–")
    ticks = nice_ticks(min(present), max(present))
    legend, legend_h = _legend([(s, colours[i], "box") for i, s in enumerate(series)], 0, 32, width)
    top = 32 + legend_h + 10
    left = _plot_left(categories, ticks, axis_fmt, width)
    right = width - 8
    scale = _Scale(float(ticks[0]), float(ticks[-1]), top + plot_height, top)
    slot = (right - left) / len(categories)
    bar = min(slot * 0.8 / len(series), 56.0)
    inner = bar * len(series)
    parts = [*legend, *_y_axis(scale, ticks, left, right, axis_fmt)]
    zero = scale(0)
    for s, name in enumerate(series):
        bars = [f'<g fill="{colours[s]}">']
        for c, category in enumerate(categories):
            value = values[s][c]
            if value is None:
                continue
            x = left + c * slot + (slot - inner) / 2 + s * bar
            y = scale(value)
            tip = f"{category} – {name}: {fmt(value)}"
            bars.append(_rect(x + 0.5, min(y, zero), bar - 1, abs(zero - y), None, tip))
        bars.append("</g>")
        parts += bars
    parts.append(_line(left, zero, right, zero, stroke="#666666", width=1))
    centres = [left + (c + 0.5) * slot for c in range(len(categories))]
    labels, labels_h = _category_labels(categories, centres, slot, top + plot_height)
    parts += labels
    return _svg(width, top + plot_height + labels_h + 6, title, parts)


# ------------------------------------------------------------------ waterfall


@dataclass
class Panel:
    """One small multiple: a heading, its categories, `values[category][step]` (None: no
    such step) and `totals[category]`, what the steps of a category add up to."""

    title: str
    categories: Sequence[str]
    values: Sequence[Sequence[Number | None]]
    totals: Sequence[Number]


def waterfall(
    panels: Sequence[Panel],
    steps: Sequence[str],
    *,
    total_label: str,
    title: str,
    fmt: Fmt,
    axis_fmt: Fmt,
    colours: Sequence[str] | None = None,
    width: float = WIDTH,
    plot_height: float = 220,
) -> str:
    """Per category a waterfall: each step floats from where the previous one ended, and a
    dark bar shows the total they add up to. Panels (e.g. one per variant) share a scale."""
    colours = list(colours or [colour(i) for i in range(len(steps))])
    running: list[float] = [0.0]
    for panel in panels:
        for row in panel.values:
            total = 0.0
            for v in row:
                if v is not None:
                    total += float(v)
                    running.append(total)
    if not panels or all(not p.categories for p in panels):
        return _empty(title, "–")
    ticks = nice_ticks(min(running), max(running))
    items = [(s, colours[i], "box") for i, s in enumerate(steps)] + [(total_label, TOTAL_COLOUR, "box")]
    parts, legend_h = _legend(items, 0, 32, width)
    y = 32 + legend_h + 6
    widest = max(panels, key=lambda p: len(p.categories)).categories
    left = _plot_left(widest, ticks, axis_fmt, width)
    right = width - 8
    for panel in panels:
        parts.append(_text(0, y + 16, panel.title, size=13, weight="600"))
        top = y + 28
        scale = _Scale(float(ticks[0]), float(ticks[-1]), top + plot_height, top)
        parts += _y_axis(scale, ticks, left, right, axis_fmt)
        slot = (right - left) / max(len(panel.categories), 1)
        for c, category in enumerate(panel.categories):
            row = panel.values[c]
            shown = [(i, v) for i, v in enumerate(row) if v is not None]
            bar = min(slot * 0.84 / (len(shown) + 1), 56.0)
            x = left + c * slot + (slot - bar * (len(shown) + 1)) / 2
            level = 0.0
            for i, value in shown:
                start, level = level, level + float(value)
                y0, y1 = scale(start), scale(level)
                tip = f"{category} – {steps[i]}: {fmt(value)}"
                parts.append(_rect(x + 0.5, min(y0, y1), bar - 1, max(abs(y1 - y0), 0.6), colours[i], tip))
                parts.append(_line(x + bar - 0.5, y1, x + 2 * bar - 0.5, y1, stroke="#7F7F7F", dash="2 2"))
                x += bar
            y0, y1 = scale(0), scale(level)
            tip = f"{category} – {total_label}: {fmt(panel.totals[c])}"
            parts.append(_rect(x + 0.5, min(y0, y1), bar - 1, max(abs(y1 - y0), 0.6), TOTAL_COLOUR, tip))
        zero = scale(0)
        parts.append(_line(left, zero, right, zero, stroke="#666666"))
        centres = [left + (c + 0.5) * slot for c in range(len(panel.categories))]
        labels, labels_h = _category_labels(panel.categories, centres, slot, top + plot_height)
        parts += labels
        y = top + plot_height + labels_h + 8
    return _svg(width, y, title, parts)


# ------------------------------------------------------------------ coverage


@dataclass
class CoverageRow:
    """One bar: a function's annual cost (100 %) and what covers it, in tariffs and apart."""

    label: str
    annual: Number
    embedded: Number
    separate: Number
    gap: Number  # annual − embedded − separate, shown when the bar stops short of 100 %
    note: str = ""  # text right of the bar, e.g. "95.1%  gap € 147,389"


def coverage_bars(
    groups: Sequence[tuple[str, Sequence[CoverageRow]]],
    *,
    title: str,
    legend: tuple[str, str, str],
    fmt: Fmt,
    width: float = WIDTH,
) -> str:
    """Horizontal bars, one per (function, variant), the annual cost as 100 %: the part in
    the tariffs and the separate funding stacked, the gap up to 100 % outlined in red."""
    rows = [r for _, rs in groups for r in rs]
    if not rows:
        return _empty(title, "–")
    ratios = [
        (float(r.embedded) + float(r.separate)) / float(r.annual) if float(r.annual) else 0.0 for r in rows
    ]
    most = max([1.0, *ratios])
    items = [(legend[0], PALETTE[0], "box"), (legend[1], PALETTE[1], "box"), (legend[2], GAP_COLOUR, "gap")]
    parts, legend_h = _legend(items, 0, 32, width)
    left = max(text_width(fit(r.label, 200)) for r in rows) + 16
    note_w = max(text_width(r.note, SMALL_SIZE) for r in rows) + 12
    bar_right = width - note_w - 8
    scale = _Scale(0.0, most, left, bar_right)
    y = 32 + legend_h + 10
    axis_top = y
    parts.append(_text(scale(1.0), y + 8, "100%", size=SMALL_SIZE, anchor="middle", fill="#555555"))
    y += 14
    bar_h, row_h = 16, 24
    for heading, group in groups:
        parts.append(_text(0, y + 14, fit(heading, width - 20, 13), size=13, weight="600"))
        y += 22
        for r in group:
            annual = float(r.annual)
            e = float(r.embedded) / annual if annual else 0.0
            s = float(r.separate) / annual if annual else 0.0
            parts.append(_text(left - 8, y + 12, fit(r.label, 200), anchor="end"))
            x0 = scale(0)
            tip_e = f"{heading} – {r.label}: {legend[0]} {fmt(r.embedded)}"
            tip_s = f"{heading} – {r.label}: {legend[1]} {fmt(r.separate)}"
            parts.append(_rect(x0, y, scale(e) - x0, bar_h, PALETTE[0], tip_e))
            parts.append(_rect(scale(e), y, scale(e + s) - scale(e), bar_h, PALETTE[1], tip_s))
            if e + s < 1.0 - 1e-9:
                tip_g = f"{heading} – {r.label}: {legend[2]} {fmt(r.gap)}"
                parts.append(
                    _rect(
                        scale(e + s),
                        y + 0.75,
                        scale(1.0) - scale(e + s),
                        bar_h - 1.5,
                        "#FDEBE3",
                        tip_g,
                        _GAP_STROKE,
                    )
                )
            parts.append(_text(bar_right + 8, y + 12, r.note, size=SMALL_SIZE, fill="#333333"))
            y += row_h
        y += 6
    parts.append(_line(scale(1.0), axis_top + 12, scale(1.0), y, stroke="#555555", dash="3 3"))
    return _svg(width, y + 4, title, parts)


# ------------------------------------------------------------------ sankey


@dataclass
class _Item:
    key: str
    value: float
    y: float = 0.0
    height: float = 0.0
    out_y: float = 0.0  # where the next outgoing band starts
    in_y: float = 0.0  # where the next incoming band ends


def sankey(
    nodes: Sequence[tuple[str, str, int]],
    links: Sequence[tuple[str, str, Number]],
    *,
    amounts: Mapping[str, Number],
    title: str,
    columns: tuple[str, str, str],
    fmt: Fmt,
    width: float = WIDTH,
    plot_height: float = 460,
) -> str:
    """Money from payers (column 0) via networks and contractors (1) to providers (2).

    `nodes` are (key, label, column); `links` (source, target, amount > 0) must go from a
    lower column to a higher one; `amounts` is the amount beside each node's label. Band
    width is proportional to the amount; a node is as tall as the larger of what comes in
    and what goes out. A link from column 0 straight to column 2 passes the middle column
    in a lane of its own, below the networks.
    """
    column_of = {key: col for key, _, col in nodes}
    label_of = {key: label for key, label, _ in nodes}
    order = {key: i for i, (key, _, _) in enumerate(nodes)}
    links = [(s, t, v) for s, t, v in links if float(v) > 0 and column_of[s] < column_of[t]]
    if not links:
        return _empty(title, "–")
    inflow: dict[str, float] = {}
    outflow: dict[str, float] = {}
    for s, t, v in links:
        outflow[s] = outflow.get(s, 0.0) + float(v)
        inflow[t] = inflow.get(t, 0.0) + float(v)
    node_gap, lane_gap, node_w = 22.0, 1.5, 14.0
    cols: list[list[_Item]] = [[], [], []]
    for key, _, col in nodes:
        value = max(inflow.get(key, 0.0), outflow.get(key, 0.0))
        if value > 0:
            cols[col].append(_Item(key, value))
    position = {item.key: i for col in cols for i, item in enumerate(col)}
    direct = sorted(
        (link for link in links if column_of[link[0]] == 0 and column_of[link[1]] == 2),
        key=lambda link: (position[link[0]], position[link[1]]),
    )
    lanes = [_Item(f"{s}\x00{t}", float(v)) for s, t, v in direct]

    def gaps(col: int) -> float:
        count = len(cols[col])
        if col != 1:
            return node_gap * max(count - 1, 0)
        return (
            node_gap * max(count - 1, 0)
            + (node_gap if count and lanes else 0)
            + lane_gap * max(len(lanes) - 1, 0)
        )

    totals = [
        sum(i.value for i in cols[c]) + (sum(lane.value for lane in lanes) if c == 1 else 0) for c in range(3)
    ]
    k = min((plot_height - gaps(c)) / totals[c] for c in range(3) if totals[c] > 0)
    heights = [totals[c] * k + gaps(c) for c in range(3)]
    tallest = max(heights)

    amount = amounts
    limit = width * 0.26
    texts = {
        i.key: f"{fit(label_of[i.key], limit - text_width(fmt(amount[i.key])) - 8)}  {fmt(amount[i.key])}"
        for col in cols
        for i in col
    }
    left = max((text_width(texts[i.key]) for i in cols[0]), default=0.0) + 10
    right = max((text_width(texts[i.key]) for i in cols[2]), default=0.0) + 10
    x = [left, 0.0, width - right - node_w]
    x[1] = (x[0] + x[2]) / 2
    top = 32 + 26

    for c in range(3):
        y = top + (tallest - heights[c]) / 2
        for item in cols[c]:
            item.y, item.height = y, item.value * k
            item.out_y = item.in_y = y
            y += item.height + node_gap
        if c == 1:
            for lane in lanes:
                lane.y, lane.height = y, lane.value * k
                y += lane.height + lane_gap
    items = {i.key: i for col in cols for i in col}
    lane_of = {(s, t): lanes[n] for n, (s, t, _) in enumerate(direct)}

    def anchor_y(key: str, other: str) -> float:
        lane = lane_of.get((key, other)) or lane_of.get((other, key))
        return lane.y if lane else items[other].y

    # Bands leave a node sorted by where they arrive, and arrive sorted by where they left.
    outgoing = sorted(
        links,
        key=lambda link: (position[link[0]], column_of[link[0]], anchor_y(link[0], link[1]), order[link[1]]),
    )
    starts: dict[tuple[str, str], float] = {}
    for s, t, v in outgoing:
        starts[(s, t)] = items[s].out_y
        items[s].out_y += float(v) * k
    incoming = sorted(links, key=lambda link: (anchor_y(link[1], link[0]), order[link[0]]))
    ends: dict[tuple[str, str], float] = {}
    for s, t, v in incoming:
        ends[(s, t)] = items[t].in_y
        items[t].in_y += float(v) * k

    colours: dict[str, str] = {}
    for n, item in enumerate([*cols[0], *cols[1]]):
        colours[item.key] = colour(n)
    for item in cols[2]:
        colours[item.key] = "#6B6B6B"

    parts = []
    for c, heading in enumerate(columns):
        anchor = ("end", "middle", "start")[c]
        hx = (x[0] + node_w, x[1] + node_w / 2, x[2])[c]
        parts.append(
            _text(hx, 32 + 14, heading, size=SMALL_SIZE, anchor=anchor, weight="600", fill="#555555")
        )
    bands = ['<g fill-opacity="0.42">']
    for s, t, v in links:
        thickness = float(v) * k
        sx, tx = x[column_of[s]] + node_w, x[column_of[t]]
        points = [(sx, starts[(s, t)])]
        if (s, t) in lane_of:
            lane = lane_of[(s, t)]
            points += [(x[1], lane.y), (x[1] + node_w, lane.y)]
        points.append((tx, ends[(s, t)]))
        tip = f"{label_of[s]} → {label_of[t]}: {fmt(v)}"
        bands.append(
            f'<path d="{_band(points, thickness)}" fill="{colours[s]}"><title>{_esc(tip)}</title></path>'
        )
    bands.append("</g>")
    parts += bands
    for c in range(3):
        for item in cols[c]:
            tip = f"{label_of[item.key]}: {fmt(amount[item.key])}"
            parts.append(_rect(x[c], item.y, node_w, max(item.height, 1.0), colours[item.key], tip))
            cy = item.y + item.height / 2 + 4
            if c == 0:
                parts.append(_text(x[0] - 6, cy, texts[item.key], anchor="end"))
            elif c == 1:
                parts.append(_text(x[1] + node_w + 5, cy, texts[item.key], halo=True, weight="600"))
            else:
                parts.append(_text(x[2] + node_w + 6, cy, texts[item.key]))
    return _svg(width, top + tallest + 10, title, parts)


def _band(points: Sequence[tuple[float, float]], thickness: float) -> str:
    """A band of constant thickness through the points (top edges), curving between them."""

    def path(pts: Sequence[tuple[float, float]]) -> list[str]:
        out = []
        for (ax, ay), (bx, by) in pairwise(pts):
            if abs(ay - by) < 0.05:
                out.append(f"L{_n(bx)} {_n(by)}")
            else:
                mx = (ax + bx) / 2
                out.append(f"C{_n(mx)} {_n(ay)} {_n(mx)} {_n(by)} {_n(bx)} {_n(by)}")
        return out

    bottom = [(px, py + max(thickness, 0.5)) for px, py in reversed(points)]
    first, low = points[0], bottom[0]
    return " ".join(
        [f"M{_n(first[0])} {_n(first[1])}", *path(points), f"L{_n(low[0])} {_n(low[1])}", *path(bottom), "Z"]
    )


# ------------------------------------------------------------------ shared savings


@dataclass
class Settlement:
    """One shared-savings settlement: the benchmark against the actual spend, and how the
    savings were split (`split`: label, amount, colour or None for the palette)."""

    title: str
    benchmark: Number
    actual: Number
    savings_label: str  # e.g. "Savings € 227,567.59 (1.1%)"
    split: Sequence[tuple[str, Number, str | None]] = field(default_factory=list)
    none_label: str = ""  # shown instead of the split bar when there is nothing to split


def settlement(
    panels: Sequence[Settlement],
    *,
    title: str,
    labels: tuple[str, str, str],
    fmt: Fmt,
    width: float = WIDTH,
) -> str:
    """Per settlement: benchmark and actual spend as two bars on one scale, the savings
    marked between them, then the savings (100 %) split over payer, network and providers.
    `labels` name the three bars: benchmark, actual, split."""
    if not panels:
        return _empty(title, "–")
    parts: list[str] = []
    left = max(text_width(label) for label in labels) + 16
    right = width - 8
    y = 36.0
    for panel in panels:
        parts.append(_text(0, y + 14, panel.title, size=13, weight="600"))
        y += 24
        most = max(float(panel.benchmark), float(panel.actual), 1.0)
        scale = _Scale(0.0, most, left, right - 4)
        for label, value, fill in (
            (labels[0], panel.benchmark, PALETTE[4]),
            (labels[1], panel.actual, PALETTE[0]),
        ):
            parts.append(_text(left - 8, y + 13, label, anchor="end"))
            parts.append(_rect(left, y, scale(value) - left, 18, fill, f"{label}: {fmt(value)}"))
            parts.append(_text(left + 6, y + 13, fmt(value), size=SMALL_SIZE, fill="#FFFFFF"))
            y += 24
        low, high = sorted((scale(panel.benchmark), scale(panel.actual)))
        parts.append(_rect(low, y - 48, high - low, 42, "#FFFFFF", None, _GAP_STROKE))
        parts.append(_text(right, y + 8, panel.savings_label, size=SMALL_SIZE, anchor="end", weight="600"))
        y += 18
        split = [(label, value, fill) for label, value, fill in panel.split if float(value) > 0]
        whole = sum(float(v) for _, v, _ in split)
        if whole <= 0:
            parts.append(_text(left, y + 14, panel.none_label, fill=MUTED))
            y += 30
            continue
        bar = _Scale(0.0, whole, left, right)
        parts.append(_text(left - 8, y + 15, labels[2], anchor="end"))
        x = left
        legend_items = []
        for n, (label, value, fill) in enumerate(split):
            paint = fill or colour(n + 1)
            w = bar(value) - bar(0)
            parts.append(
                _rect(x, y, w, 22, paint, f"{label}: {fmt(value)}", 'stroke="#FFFFFF" stroke-width="1"')
            )
            legend_items.append((f"{label} {fmt(value)}", paint, "box"))
            x += w
        y += 30
        legend, legend_h = _legend(legend_items, left, y, right - left)
        parts += legend
        y += legend_h + 14
    return _svg(width, y, title, parts)


# ------------------------------------------------------------------ lines


def lines(
    x_labels: Sequence[str],
    panels: Sequence[tuple[str, Sequence[tuple[str, Sequence[Number | None]]]]],
    *,
    title: str,
    fmt: Fmt,
    axis_fmt: Fmt,
    width: float = WIDTH,
    plot_height: float = 200,
) -> str:
    """Per panel (e.g. a variant) one line per series (e.g. a party) over `x_labels` (years).

    The panels share one scale; series keep their colour (and dash, beyond the palette)
    in every panel, so one legend serves all.
    """
    names = list(dict.fromkeys(name for _, series in panels for name, _ in series))
    present = [float(v) for _, series in panels for _, vs in series for v in vs if v is not None]
    if not x_labels or not present:
        return _empty(title, "–")
    style = {name: (colour(i), DASHES[(i // len(PALETTE)) % len(DASHES)]) for i, name in enumerate(names)}
    ticks = nice_ticks(min(present), max(present), count=4)
    legend, legend_h = _legend([(n, style[n][0], "line:" + style[n][1]) for n in names], 0, 32, width)
    parts = list(legend)
    left = _axis_width(ticks, axis_fmt)
    right = width - 16
    y = 32 + legend_h + 4
    step = (right - left) / max(len(x_labels) - 1, 1)
    xs = [left + i * step if len(x_labels) > 1 else (left + right) / 2 for i in range(len(x_labels))]
    for heading, series in panels:
        parts.append(_text(0, y + 16, heading, size=13, weight="600"))
        top = y + 28
        scale = _Scale(float(ticks[0]), float(ticks[-1]), top + plot_height, top)
        parts += _y_axis(scale, ticks, left, right, axis_fmt)
        for px, label in zip(xs, x_labels, strict=True):
            parts.append(
                _text(px, top + plot_height + 16, label, size=SMALL_SIZE, anchor="middle", fill="#555555")
            )
        for name, values in series:
            stroke, dash = style[name]
            points = [(px, scale(v), v) for px, v in zip(xs, values, strict=True) if v is not None]
            if not points:
                continue
            d = " ".join(f"{'M' if i == 0 else 'L'}{_n(px)} {_n(py)}" for i, (px, py, _) in enumerate(points))
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<path d="{d}" fill="none" stroke="{stroke}" stroke-width="2"{dash_attr}/>')
            for (px, py, v), label in zip(
                points, [x_labels[i] for i, v in enumerate(values) if v is not None], strict=True
            ):
                tip = f"{heading} – {name} {label}: {fmt(v)}"
                dot = f'<circle cx="{_n(px)}" cy="{_n(py)}" r="3" fill="{stroke}">'
                parts.append(f"{dot}<title>{_esc(tip)}</title></circle>")
        y = top + plot_height + 30
    return _svg(width, y, title, parts)


# ------------------------------------------------------------------ dot plot (regions)


@dataclass
class DotRow:
    """One row of a dot plot: a label (a party) and its points (a region and its value)."""

    label: str
    points: Sequence[tuple[str, Number]]


@dataclass
class DotPanel:
    """One small multiple (a variant): its heading and rows, and the colour of its dots."""

    title: str
    rows: Sequence[DotRow]
    colour: str = PALETTE[0]


def dot_plot(
    panels: Sequence[DotPanel],
    *,
    title: str,
    fmt: Fmt,
    axis_fmt: Fmt,
    width: float = WIDTH,
    row_height: float = 30,
) -> str:
    """Per panel one row per label, each point a dot at its value (the zero line marked), so
    that the spread over the points shows at a glance; the rows of a panel share its scale
    (panels differ: each has its own axis). The lowest and the highest point of a row are
    named beside their dots when they lie apart (at least `SPREAD` of the axis). Every dot
    has a tooltip with its point's name and exact value."""
    panels = [panel for panel in panels if any(row.points for row in panel.rows)]
    if not panels:
        return _empty(title, "–")
    all_ticks = []
    for panel in panels:
        values = [float(v) for row in panel.rows for _, v in row.points]
        all_ticks.append(nice_ticks(min(values), max(values)))
    labels = [row.label for panel in panels for row in panel.rows]
    label_w = min(max(text_width(label) for label in labels) + 14, LABEL_LIMIT + 14)
    half_tick = max(text_width(axis_fmt(t), SMALL_SIZE) for ticks in all_ticks for t in ticks) / 2
    left, right = label_w + half_tick, width - half_tick - 4
    parts: list[str] = []
    y = 32.0 + 12
    for panel, ticks in zip(panels, all_ticks, strict=True):
        scale = _Scale(float(ticks[0]), float(ticks[-1]), left, right)
        parts.append(_text(0, y + 14, panel.title, weight="600"))
        top = y + 24
        bottom = top + row_height * len(panel.rows)
        for tick in ticks:
            x = scale(tick)
            zero = tick == 0
            parts.append(
                _line(x, top, x, bottom, stroke="#666666" if zero else GRID, width=1.5 if zero else 1)
            )
            parts.append(
                _text(x, bottom + 14, axis_fmt(tick), size=SMALL_SIZE, anchor="middle", fill="#555555")
            )
        for i, row in enumerate(panel.rows):
            centre = top + row_height * (i + 0.5)
            parts.append(_line(left, centre, right, centre, stroke=GRID))
            parts.append(_text(0, centre + 4, fit(row.label, LABEL_LIMIT)))
            dots = [f'<g fill="{panel.colour}" fill-opacity="0.55" stroke="#FFFFFF" stroke-width="0.5">']
            for name, value in row.points:
                tip = f"{name} – {row.label}: {fmt(value)}"
                at = f'cx="{_n(scale(value))}" cy="{_n(centre)}" r="4.5"'
                dots.append(f"<circle {at}><title>{_esc(tip)}</title></circle>")
            dots.append("</g>")
            parts += dots
            parts += _extremes(row, scale, centre, left, right)
        y = bottom + 30
    return _svg(width, y, title, parts)


#: How far apart (a share of the axis) a row's lowest and highest points must lie to be named.
SPREAD = 0.05


def _extremes(row: DotRow, scale: _Scale, centre: float, left: float, right: float) -> list[str]:
    """The names of a row's lowest and highest points, beside their dots (on the side with
    room), above the row's line; nothing when they lie close together (`SPREAD`)."""
    if not row.points:
        return []
    low = min(row.points, key=lambda p: float(p[1]))
    high = max(row.points, key=lambda p: float(p[1]))
    if scale(high[1]) - scale(low[1]) < SPREAD * (right - left):
        return []
    parts = []
    for (name, value), outward in ((low, "end"), (high, "start")):
        x = scale(value)
        label = fit(name, 240, SMALL_SIZE)
        room = x - left if outward == "end" else right - x
        anchor = (
            outward if text_width(label, SMALL_SIZE) + 8 <= room else ("start" if outward == "end" else "end")
        )
        dx = -7 if anchor == "end" else 7
        parts.append(
            _text(x + dx, centre - 6, label, size=SMALL_SIZE, anchor=anchor, fill="#333333", halo=True)
        )
    return parts
