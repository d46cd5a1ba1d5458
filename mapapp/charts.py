"""The statistics, as a chart and as tables: arrivals in South Korea by year.

The chart is an SVG drawn by matplotlib once per data version (the web layer caches it), with
its text left as text (`svg.fonttype = "none"`) so it stays sharp, searchable and small, and a
<title> and <desc> that say what it shows. The same figures go into a table beside it, which is
what screen readers and people who want exact numbers read.
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import matplotlib
from flask_babel import gettext, lazy_gettext
from fontTools import subset
from fontTools.ttLib import TTFont
from matplotlib.figure import Figure as Canvas
from matplotlib.ticker import FuncFormatter, MaxNLocator

from mapapp import paths
from mapapp.contract import Source
from mapapp.language import format_number
from mapapp.model import Figure
from mapapp.statistics import SPANS

CHART_INCHES = (6.0, 3.4)
CHART_PIXELS = tuple(round(inches * 96) for inches in CHART_INCHES)  # CSS pixels, for <img>
BAR, LATEST, INK, GRID = "#0072B2", "#D55E00", "#3a3530", "#e3dfd8"
MARK_HEADROOM = 1.45  # the chart's height over the highest bar, when events are marked
SERIES_LABELS = {
    "arrivals": lazy_gettext("Arrivals in South Korea"),
    "arrivals_women": lazy_gettext("Women among them"),
    "arrivals_span": lazy_gettext("Arrivals over several years"),
    "cumulative": lazy_gettext("All arrivals since 1953"),
    "hiding_in_china": lazy_gettext("North Koreans hiding in China (estimate)"),
}
KOREAN_FONT = paths.static_dir() / "fonts" / "map-gothic-ko-regular.woff2"
_HANGUL = re.compile("[\u1100-\u11ff\u3000-\u318f\uac00-\ud7a3\uff00-\uffef]")
_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")
_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "mapapp",  # stable ids: the same data gives the same bytes
    "font.family": "sans-serif",
    "font.size": 11,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


@dataclass(frozen=True)
class YearRow:
    """One line of the arrivals table."""

    year: int
    arrivals: Figure
    women: Figure | None


def arrivals_rows(figures: tuple[Figure, ...]) -> tuple[YearRow, ...]:
    women = {f.period: f for f in figures if f.series == "arrivals_women"}
    return tuple(YearRow(f.period, f, women.get(f.period))
                 for f in sorted(figures, key=lambda f: f.period) if f.series == "arrivals")


def span_figures(figures: tuple[Figure, ...]) -> tuple[Figure, ...]:
    """Arrivals over several years (before 2001 the sources give only totals), oldest first:
    rows of the arrivals table, not bars of the chart, which has one bar a year."""
    return tuple(sorted((f for f in figures if f.series in SPANS), key=lambda f: f.period))


def other_figures(figures: tuple[Figure, ...]) -> tuple[Figure, ...]:
    """Cumulative totals and estimates: figures that are not arrivals in a year or a span."""
    order = list(SERIES_LABELS)
    arrivals = ("arrivals", "arrivals_women", *SPANS)
    return tuple(sorted((f for f in figures if f.series not in arrivals),
                        key=lambda f: (order.index(f.series), f.period, f.line)))


def sources(figures: tuple[Figure, ...]) -> tuple[Source, ...]:
    return tuple(dict.fromkeys(f.source for f in figures))


def describe_arrivals(rows: tuple[YearRow, ...]) -> str:
    """One sentence with the shape of the series: first year, peak, latest year."""
    first, last = rows[0], rows[-1]
    peak = max(rows, key=lambda row: row.arrivals.value)
    return gettext("Bar chart of North Koreans arriving in South Korea each year, %(first)s–"
                   "%(last)s: %(first_value)s in %(first)s, a peak of %(peak_value)s in "
                   "%(peak)s, %(last_value)s in %(last)s.", first=first.year, last=last.year,
                   first_value=format_number(first.arrivals.value), peak=peak.year,
                   peak_value=format_number(peak.arrivals.value),
                   last_value=format_number(last.arrivals.value))


def arrivals_svg(figures: tuple[Figure, ...], marks: Sequence[tuple[int, str]] = ()) -> str | None:
    """The arrivals chart as SVG text, or None when there are no arrivals figures. `marks` are
    the events that explain its changes, as (year, label): each a dashed line at its year with
    its label as text beside it (the page lists the same events in words)."""
    rows = arrivals_rows(figures)
    if not rows:
        return None
    years = [row.year for row in rows]
    values = [row.arrivals.value for row in rows]
    with matplotlib.rc_context(_STYLE):
        # matplotlib's object API, not pyplot: no global figure state, no GUI backend.
        fig = Canvas(figsize=CHART_INCHES, layout="constrained")
        ax = fig.subplots()
        colours = [BAR] * (len(rows) - 1) + [LATEST]
        ax.bar(years, values, width=0.75, color=colours)
        ax.set_ylabel(gettext("people per year"))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(round(value))))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
        ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        shown = [(year, label) for year, label in marks if years[0] <= year <= years[-1]]
        if shown:  # room above the bars for the labels
            ax.set_ylim(0, max(values) * MARK_HEADROOM)
        for number, (year, label) in enumerate(shown, start=1):
            _mark(ax, year, label, max(values) * MARK_HEADROOM, f"mark-{number}-{year}")
        ax.annotate(format_number(values[-1]), (years[-1], values[-1]), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", color=LATEST)
        buffer = io.StringIO()
        with warnings.catch_warnings():  # Hangul, which matplotlib's own font lacks: see below
            warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
            fig.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    return _with_title(_with_korean_glyphs(buffer.getvalue()),
                       gettext("Arrivals in South Korea by year"), describe_arrivals(rows))


def _mark(ax, year: int, label: str, top: float, gid: str) -> None:
    ax.axvline(year, color=INK, linewidth=0.9, linestyle=(0, (3, 3)), gid=gid)
    ax.text(year - 0.3, top, label, rotation=90, ha="right", va="top", fontsize=8, color=INK,
            parse_math=False, gid=f"{gid}-label",
            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none",
                  "alpha": 0.85})


def _with_korean_glyphs(svg: str) -> str:
    """A chart with Korean text carries the glyphs it needs: shown as an image, an SVG cannot
    use the page's fonts, and a classroom computer may have no Korean font. Its Hangul comes
    from a subset of the site's Korean font (static/fonts, scripts/build_font.py), a few KB,
    inlined; other text keeps matplotlib's font."""
    hangul = set(_HANGUL.findall("".join(_TEXT.findall(svg))))  # what is drawn
    if not hangul:
        return svg
    font = TTFont(KOREAN_FONT, recalcTimestamp=False)  # the same bytes on every run
    options = subset.Options()
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(hangul)))
    subsetter.subset(font)
    data = io.BytesIO()
    font.flavor = "woff2"
    font.save(data)
    face = ("<style>@font-face { font-family: 'Map Gothic'; src: url(data:font/woff2;base64,"
            f"{base64.b64encode(data.getvalue()).decode('ascii')}) format('woff2'); "
            "unicode-range: U+1100-11FF, U+3000-318F, U+AC00-D7A3, U+FF00-FFEF; }</style>")
    start = svg.index(">", svg.index("<svg")) + 1
    return (svg[:start] + face + svg[start:]).replace("font-family: 'DejaVu Sans'",
                                                      "font-family: 'Map Gothic', 'DejaVu Sans'")


def _with_title(svg: str, title: str, description: str) -> str:
    """Add <title> and <desc> as the first children of the root, where assistive technology
    looks for the name and description of an SVG image."""
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    return (svg[:end] + f"\n <title>{escape(title)}</title>\n <desc>{escape(description)}</desc>"
            + svg[end:])
