"""`data/statistics.csv` as `mapapp validate` reads it: the optional source_via column, spans of
years for arrivals before 2001, and estimates given as a bound ("up to 100,000")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp.cli import cli
from mapapp.statistics import COLUMNS, REQUIRED_COLUMNS

HEADER = ",".join(COLUMNS)
SOURCE = "Strangers at Home,International Crisis Group,2011,https://www.crisisgroup.org/a"
ARRIVALS = "arrivals,2001,583,,,2013-01,high,,Defectors by year,Stars and Stripes,2013,https://www.stripes.com/,"


def validate(tmp_path: Path, text: str) -> tuple[int, list[tuple[int, str]]]:
    path = tmp_path / "statistics.csv"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, [(p["line"], p["message"]) for p in json.loads(result.stdout)]


def test_a_file_without_the_source_via_column_is_still_read(tmp_path):
    text = ",".join(REQUIRED_COLUMNS) + "\n" + ARRIVALS.removesuffix(",") + "\n"
    assert validate(tmp_path, text) == (0, [])


def test_a_copy_goes_in_source_via_and_a_mirror_is_never_the_source_url(tmp_path):
    read_in_copy = ARRIVALS.removesuffix(",") + ",https://www.nkeconwatch.com/2011/07/20/copy/"
    assert validate(tmp_path, f"{HEADER}\n{read_in_copy}\n") == (0, [])
    mirror = ARRIVALS.replace("https://www.stripes.com/", "https://www.nkeconwatch.com/x")
    code, problems = validate(tmp_path, f"{HEADER}\n{mirror}\n")
    assert code == 1
    assert [line for line, message in problems if "is a copy on nkeconwatch.com" in message] == [2]


def test_arrivals_before_2001_are_a_span_of_years(tmp_path):
    span = f"arrivals_span,1990-1994,86,,,2011-07,medium,,{SOURCE},"
    assert validate(tmp_path, f"{HEADER}\n{ARRIVALS}\n{span}\n") == (0, [])


@pytest.mark.parametrize(("row", "message"), [
    (f"arrivals_span,1994,86,,,2011-07,medium,,{SOURCE},", 'period "1994" is not a span of years'),
    (f"arrivals_span,1994-1990,86,,,2011-07,medium,,{SOURCE},",
     'period "1994-1990" is not a span of years'),
    (f"arrivals,1990-1994,86,,,2011-07,medium,,{SOURCE},", 'period "1990-1994" is not a year'),
    (f"arrivals_span,1999-2001,900,,,2011-07,medium,,{SOURCE},",
     "arrivals_span 1999–2001 overlaps the yearly arrivals of 2001–2001"),
])
def test_a_span_is_only_for_arrivals_over_years_not_counted_one_by_one(tmp_path, row, message):
    code, problems = validate(tmp_path, f"{HEADER}\n{ARRIVALS}\n{row}\n")
    assert code == 1
    assert (3, message) in problems


def test_an_estimate_may_be_an_upper_bound_alone(tmp_path):
    up_to = f"hiding_in_china,2006,,,100000,2006-10,low,up to 100000,{SOURCE},"
    assert validate(tmp_path, f"{HEADER}\n{ARRIVALS}\n{up_to}\n") == (0, [])
    nothing = f"hiding_in_china,2006,,,,2006-10,low,,{SOURCE},"
    code, problems = validate(tmp_path, f"{HEADER}\n{ARRIVALS}\n{nothing}\n")
    assert code == 1 and (3, "an estimate needs a value, a range or a bound") in problems


def test_each_fault_of_the_statistics_is_reported_at_its_line(tmp_path):
    """tests/data/statistics-faults.csv: a fault or two on each row, and one of the whole file."""
    faults = Path(__file__).parent / "data" / "statistics-faults.csv"
    assert validate(tmp_path, faults.read_text(encoding="utf-8")) == (1, [
        (1, "arrivals are missing for 2002"),
        (4, "arrivals 2003 is already given on line 3"),
        (5, "900 women arrived in 2001, more than all 583 arrivals"),
        (6, 'value "1 896" is not a whole number of people'),
        (7, "low 300000 is above high 10000"),
        (7, "a source's url 'ftp://example.org/report' is not an http or https address"),
        (8, 'unknown series "refugees"'),
        (8, 'confidence "sure" is not one of high, medium, low'),
    ])
