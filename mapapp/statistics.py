"""`data/statistics.csv`: one figure per row, each with its source, parsed with line numbers."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from mapapp import contract
from mapapp.contract import Issue, Source, check_source

COLUMNS = ("series", "period", "value", "low", "high", "vintage", "confidence", "note",
           "source_title", "source_publisher", "source_year", "source_url", "source_via")
# `source_via` (the copy where a figure was read) is optional: a file written before it existed
# names the columns up to source_url, and its rows have one field fewer.
REQUIRED_COLUMNS = COLUMNS[:-1]
SERIES = ("arrivals", "arrivals_women", "arrivals_span", "cumulative", "hiding_in_china")
ESTIMATES = ("hiding_in_china",)
# Arrivals over several years (sources before 2001 give totals, not yearly counts): their period
# is a span such as 1990-1994, and no other series takes one.
SPANS = ("arrivals_span",)
FIRST_ARRIVALS_YEAR = 2001
_VINTAGE = re.compile(r"^\d{4}(-\d{2})?$")
_SPAN = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


@dataclass(frozen=True)
class Figure:
    series: str
    period: int
    value: int | None
    low: int | None
    high: int | None
    vintage: str
    confidence: str
    note: str
    source: Source
    line: int
    first_period: int | None = None  # the first year of a span; `period` is its last

    @property
    def years(self) -> str:
        """The period as a reader writes it: "2009", or "1990–1994" for a span."""
        if self.first_period is None:
            return str(self.period)
        return f"{self.first_period}–{self.period}"


def parse_statistics(text: str) -> tuple[list[Figure], list[Issue]]:
    """Read every row; a faulty row is left out and its fault recorded with its line."""
    issues: list[Issue] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader, None)
    except csv.Error as error:
        return [], [Issue(1, f"the header cannot be read as CSV: {error}", "fix the first line")]
    columns = tuple(column.strip() for column in header) if header is not None else None
    if columns not in (COLUMNS, REQUIRED_COLUMNS):
        return [], [Issue(1, "the first line must name the columns " + ",".join(COLUMNS),
                          "copy the header from docs/data-format.md")]
    figures: list[Figure] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                issues.append(Issue(line, f"the row has {len(row)} fields, not {len(columns)}",
                                    "quote fields that contain a comma, e.g. \"a, b\""))
                continue
            cells = dict.fromkeys(COLUMNS, "")
            cells.update(zip(columns, (cell.strip() for cell in row), strict=True))
            figure = _figure(cells, line, issues)
            if figure:
                figures.append(figure)
    except csv.Error as error:
        issues.append(Issue(reader.line_num, f"the file is not valid CSV here: {error}",
                            "check the quotes on this line"))
    _whole_series(figures, issues)
    return figures, issues


def _figure(row: dict[str, str], line: int, issues: list[Issue]) -> Figure | None:
    start = len(issues)

    def fault(message: str, hint: str, check: str = "schema") -> None:
        issues.append(Issue(line, message, hint, check))

    if row["series"] not in SERIES:
        fault(f'unknown series "{row["series"]}"', f"use one of {', '.join(SERIES)}")
    first_period, period = _period(row, fault)
    numbers = {key: _whole(row[key]) for key in ("value", "low", "high")}
    for key, number in numbers.items():
        if row[key] and (number is None or number < 0):
            fault(f'{key} "{row[key]}" is not a whole number of people',
                  "write digits only, without separators, e.g. 2914")
    value, low, high = numbers["value"], numbers["low"], numbers["high"]
    if row["series"] in ESTIMATES:
        if value is None and low is None and high is None:
            fault("an estimate needs a value, a range or a bound",
                  "fill value, or low and high; high alone means \"up to\", low alone \"at "
                  "least\"")
        if low is not None and high is not None and low > high:
            fault(f"low {low} is above high {high}", "swap them")
        elif value is not None and ((low is not None and value < low) or
                                    (high is not None and value > high)):
            fault(f"value {value} lies outside its range {low}–{high}", "check the three figures")
    elif not row["value"] or row["low"] or row["high"]:
        fault(f'the {row["series"]} figure needs a value and no range',
              "write the count in the value column; leave low and high empty")
    if not _VINTAGE.match(row["vintage"]):
        fault(f'vintage "{row["vintage"]}" is not a year or year-month',
              "write when the figure was reported, e.g. 2025-02")
    if row["confidence"] not in contract.CONFIDENCE:
        fault(f'confidence "{row["confidence"]}" is not one of {", ".join(contract.CONFIDENCE)}',
              "write high, medium or low")
    year = _whole(row["source_year"])
    via = row["source_via"] or None
    check_source({"title": row["source_title"], "publisher": row["source_publisher"],
                  "year": year if year is not None else row["source_year"],
                  "url": row["source_url"], "via": via}, fault)
    if len(issues) > start:
        return None
    return Figure(row["series"], period, value, low, high, row["vintage"], row["confidence"],
                  row["note"], Source(row["source_title"], row["source_publisher"], year,
                                      row["source_url"], via), line, first_period)


def _period(row: dict[str, str], fault) -> tuple[int | None, int | None]:
    """(first year, year): a span for the series that take one, a single year for the rest."""
    span = _SPAN.match(row["period"])
    if row["series"] in SPANS:
        first, last = (int(span[1]), int(span[2])) if span else (None, None)
        if first is None or not 1945 <= first < last <= 2100:
            fault(f'period "{row["period"]}" is not a span of years',
                  "write the first and the last year, e.g. 1990-1994")
        return first, last
    period = _whole(row["period"])
    if period is None or not 1945 <= period <= 2100:
        fault(f'period "{row["period"]}" is not a year',
              "write the year, e.g. 2009" + (f"; only {', '.join(SPANS)} takes a span"
                                              if span else ""))
    return None, period


def _whole_series(figures: list[Figure], issues: list[Issue]) -> None:
    """Rules that look at several rows: one arrivals row per year, no gaps, women ≤ all."""
    seen: dict[tuple[str, int], Figure] = {}
    for figure in figures:
        key = (figure.series, figure.period)
        if figure.series not in ESTIMATES and key in seen:
            issues.append(Issue(figure.line, f"{figure.series} {figure.period} is already given "
                                f"on line {seen[key].line}", "keep one row per series and year"))
        seen.setdefault(key, figure)
    years = sorted(period for series, period in seen if series == "arrivals")
    for figure in figures:
        overlap = [year for year in years if figure.first_period is not None
                   and figure.first_period <= year <= figure.period]
        if overlap:
            issues.append(Issue(figure.line, f"{figure.series} {figure.years} overlaps the yearly "
                                f"arrivals of {overlap[0]}–{overlap[-1]}",
                                "end the span before the first year counted one by one"))
    if years:
        missing = sorted(set(range(FIRST_ARRIVALS_YEAR, years[-1] + 1)) - set(years))
        if missing:
            issues.append(Issue(1, f"arrivals are missing for {', '.join(map(str, missing))}",
                                f"give one arrivals row for every year from {FIRST_ARRIVALS_YEAR}"))
    for (series, period), figure in seen.items():
        total = seen.get(("arrivals", period))
        if series == "arrivals_women" and total and figure.value > total.value:
            issues.append(Issue(figure.line, f"{figure.value} women arrived in {period}, more "
                                f"than all {total.value} arrivals", "check both figures"))


def _whole(text: str) -> int | None:
    """ASCII digits only: str.isdigit() also takes "²", which int() refuses."""
    if not (text.isascii() and text.isdigit()):
        return None
    try:
        return int(text)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        return None
