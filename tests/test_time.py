"""Time in the data: the one rule of what is in use in a year (contract.in_period), the Atlas
in a year (model), and the time checks of the validator (validation/chronology.py) that the
fault fixtures cannot pin (a date that depends on today)."""

import datetime
import json
import shutil
from pathlib import Path

import pytest
from helpers import SITE_DATA

from mapapp import contract
from mapapp.model import load_atlas
from mapapp.validation import chronology, validate_path

VALID = Path(__file__).parent / "data" / "valid"


@pytest.mark.parametrize("period, year, in_use", [
    ((2004, None), 2003, False),  # not yet
    ((2004, None), 2004, True),  # from its first year
    ((2004, None), 2026, True),  # no end: still in use
    ((2004, 2011), 2011, True),  # up to its last year
    ((2004, 2011), 2012, False),  # not after it
    ((2002, 2002), 2002, True),  # a single year
    ((1953, None), 1994, True),
])
def test_a_period_holds_a_year_from_its_first_to_its_last(period, year, in_use):
    assert contract.in_period(period, year) is in_use


def test_the_atlas_in_a_year_has_the_routes_and_barriers_of_that_year(site_atlas):
    periods = {route.id: route.period for route in site_atlas.routes}
    for year in site_atlas.years:
        assert [r.id for r in site_atlas.routes_in_use(year)] == [
            route_id for route_id, (start, end) in periods.items()
            if start <= year and (end is None or year <= end)]
        assert [b.id for b in site_atlas.barriers_standing(year)] == [
            b.id for b in site_atlas.barriers
            if b.period[0] <= year and (b.period[1] is None or year <= b.period[1])]


def test_the_site_data_changes_over_time(site_atlas):
    """tests/data/site is made so that each year below shows something the others do not."""
    def shown(year):
        return ([r.id for r in site_atlas.routes_in_use(year)],
                [b.id for b in site_atlas.barriers_standing(year)],
                [e.id for e in site_atlas.events_in(year)])
    assert shown(2003) == (["northern-route"], ["tumen-fence-sections"], ["fences-begin-2003"])
    assert shown(2012) == (["southern-route", "northern-route", "dmz-route"],
                           ["tumen-fence-sections"], ["kim-jong-un-crackdown-2012"])
    assert shown(2024) == (["southern-route", "northern-route", "dmz-route"],
                           ["tumen-fence", "north-korean-fences-2020"], [])


def test_the_span_runs_from_the_first_event_to_this_year(site_atlas):
    assert site_atlas.years == range(min(e.year for e in site_atlas.events),
                                     contract.this_year() + 1)
    assert site_atlas.event_years == tuple(sorted({e.year for e in site_atlas.events}))


def test_events_come_in_date_order_with_a_years_undated_ones_first(site_atlas):
    dates = [(event.year, event.month or 0) for event in site_atlas.events]
    assert dates == sorted(dates)


def test_without_events_the_span_starts_with_the_first_route(tmp_path):
    shutil.copytree(VALID, tmp_path / "data")
    path = tmp_path / "data" / "routes.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"] = [f for f in document["features"]
                            if f["properties"]["layer"] != "event"]
    path.write_text(json.dumps(document), encoding="utf-8")
    atlas = load_atlas(path)
    assert atlas.events == () and atlas.years.start == 1998  # test-route's period


def test_an_event_of_a_month_still_to_come_is_a_problem(tmp_path, monkeypatch):
    """Checked against a fixed today, so the test means the same in any month."""
    year = contract.this_year()

    class Today(datetime.date):
        @classmethod
        def today(cls):
            return cls(year, 3, 15)

    monkeypatch.setattr(chronology, "date", Today)
    shutil.copytree(VALID, tmp_path / "data")
    path = tmp_path / "data" / "routes.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    [event] = [f for f in document["features"] if f["id"] == "test-event"]
    for month, problems in ((3, []), (4, [f"the event is dated April {year}, which has not "
                                           "come yet"])):
        event["properties"].update(year=year, month=month)
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        assert [p.message for p in validate_path(path)] == problems


def test_an_event_may_list_a_route_only_by_its_id(tmp_path):
    shutil.copytree(VALID, tmp_path / "data")
    path = tmp_path / "data" / "routes.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    [event] = [f for f in document["features"] if f["id"] == "test-event"]
    event["properties"]["routes"] = ["musan-nanping"]
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert [(p.check, p.message) for p in validate_path(path)] == [
        ("reference", 'lists route "musan-nanping", but that id names a crossing, not a route')]


def test_the_shipped_barriers_lie_on_the_border_and_the_events_in_their_routes_periods():
    """The project's own data: what this feature adds keeps `mapapp validate` clean."""
    problems = [p for p in validate_path(SITE_DATA.parents[3] / "data" / "routes.geojson")
                if p.feature and ("barrier" in p.message or "event" in p.message
                                  or "happened in" in p.message)]
    assert problems == []
