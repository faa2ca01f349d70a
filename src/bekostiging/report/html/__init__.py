"""The report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts.

    import bekostiging as bk
    r = bk.compare(bk.load("geboortezorg-regio"), attribution=True)
    page = bk.report(r)                                        # Dutch, the whole page
    svg = bk.report(r, chart="geldstromen", lang="en")         # one chart

Every chart is a `<figure id="chart-NAME">` followed by a `<table>` with the same numbers;
the footer says which files (with their sha256) and which tool version made them.
Several scenarios (a folder of regions) make one report too: pass a list of comparisons.
The charts then show the figures summed per party id over all scenarios (like `compare`
of several files prints their total), and section 1 adds a table per scenario.

`page` is the document shell, `sections` turns finished tables into sections, `charts`
draws SVG, `raster` makes a PNG of one chart. The figures (sums over scenarios, years and
parties) come from `report.tables`, the labels from `report.i18n`, the numbers as text
from `report.numbers`.
"""

from bekostiging.report.html.page import available_charts, build_report, chart_svg
from bekostiging.report.html.sections import CHARTS

__all__ = ["CHARTS", "available_charts", "build_report", "chart_svg"]
