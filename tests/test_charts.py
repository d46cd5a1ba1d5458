"""The statistics as a chart and as tables (mapapp.charts): the SVG that /statistics shows, what
it says to a screen reader, and the rows and lists the page's tables are made of.

Figures are made here, a few at a time, so that each test shows the numbers it checks; the
page around the chart is tests/test_pages.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fontTools.ttLib.tables import _h_e_a_d

from mapapp import charts
from mapapp.contract import Source
from mapapp.statistics import Figure

SVG = "{http://www.w3.org/2000/svg}"
MOU = Source("Policy on North Korean defectors", "Ministry of Unification", 2025,
             "https://www.unikorea.go.kr/eng_unikorea/relations/statistics/defectors/")
ICG = Source("Strangers at Home", "International Crisis Group", 2011,
             "https://www.crisisgroup.org/asia/north-east-asia/korean-peninsula/strangers-home")


def figure(series: str, period: int, value: int | None, *, source: Source = MOU,
           low: int | None = None, high: int | None = None, line: int = 2) -> Figure:
    return Figure(series, period, value, low, high, "2025-02", "high", "", source, line)


ARRIVALS = {2001: 583, 2002: 1143, 2003: 1285, 2004: 1898, 2005: 1384}
FIGURES = (
    *(figure("arrivals", year, value, line=year - 1999) for year, value in ARRIVALS.items()),
    figure("arrivals_women", 2004, 1272, line=8),
    figure("hiding_in_china", 2002, None, low=10_000, high=300_000, source=ICG, line=9),
    figure("cumulative", 2004, 5700, line=10),
)


@pytest.fixture(scope="module")
def svg() -> ET.Element:
    return ET.fromstring(charts.arrivals_svg(FIGURES))


def texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def test_the_chart_is_named_and_described_for_screen_readers(svg):
    title, desc = list(svg)[:2]
    assert title.tag == f"{SVG}title" and title.text == "Arrivals in South Korea by year"
    assert desc.tag == f"{SVG}desc" and desc.text == (
        "Bar chart of North Koreans arriving in South Korea each year, 2001–2005: 583 in 2001, "
        "a peak of 1,898 in 2004, 1,384 in 2005.")


def test_the_text_stays_text_with_thousands_separators(svg):
    """Years on one axis, people per year on the other, the latest value over its bar: as
    <text>, not as outlines, so it stays sharp, searchable and small."""
    words = texts(svg)
    assert "people per year" in words
    assert {str(year) for year in ARRIVALS} <= set(words)
    assert "1,384" in words, "the latest year's value over its bar"
    assert any(re.fullmatch(r"\d,\d{3}", word) for word in words if word != "1,384"), words


def test_one_bar_a_year_the_latest_in_its_own_colour(svg):
    fills = [match[1] for path in svg.iter(f"{SVG}path")
             if (match := re.search(r"fill: (#[0-9a-f]{6})", path.get("style", "")))]
    assert fills.count(charts.BAR.lower()) == len(ARRIVALS) - 1
    assert fills.count(charts.LATEST.lower()) == 1


def test_the_same_figures_give_the_same_bytes():
    """The web layer caches the chart under its digest: a redraw must not change it."""
    assert charts.arrivals_svg(FIGURES) == charts.arrivals_svg(tuple(reversed(FIGURES)))


def test_a_korean_chart_gives_the_same_bytes_at_another_time(monkeypatch):
    """The Korean glyphs it carries are a subset of the site's font: fontTools would stamp the
    time of saving into it, so the Korean chart's digest changed on every restart."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>2009년 2,914명</text></svg>'
    first = charts._with_korean_glyphs(svg)
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 3_000_000_000)  # in 2099
    assert "font/woff2" in first and charts._with_korean_glyphs(svg) == first


def test_no_arrivals_no_chart():
    assert charts.arrivals_svg(()) is None
    assert charts.arrivals_svg(FIGURES[-2:]) is None


def test_the_table_has_a_row_a_year_with_the_women_of_that_year():
    rows = charts.arrivals_rows(tuple(reversed(FIGURES)))
    assert [(row.year, row.arrivals.value) for row in rows] == list(ARRIVALS.items())
    assert {row.year: row.women and row.women.value for row in rows} == {
        2001: None, 2002: None, 2003: None, 2004: 1272, 2005: None}


def test_the_other_figures_come_in_the_order_of_their_series():
    others = charts.other_figures(FIGURES)
    assert [figure.series for figure in others] == ["cumulative", "hiding_in_china"]
    assert set(charts.SERIES_LABELS) >= {figure.series for figure in FIGURES}


def test_each_source_is_listed_once_in_the_order_first_cited():
    assert charts.sources(FIGURES) == (MOU, ICG)


def test_the_chart_of_the_site_data_describes_its_own_figures(site_atlas):
    root = ET.fromstring(charts.arrivals_svg(site_atlas.figures))
    rows = charts.arrivals_rows(site_atlas.figures)
    assert list(root)[1].text == charts.describe_arrivals(rows)
    assert f"{rows[-1].arrivals.value:,}" in texts(root)
