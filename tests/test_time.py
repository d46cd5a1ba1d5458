"""Time in the data: the one rule of what is in use in a year (contract.in_period), the Atlas
in a year (model), and the time checks of the validator (validation/chronology.py) that the
fault fixtures cannot pin (a date that depends on today)."""

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
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


def test_the_messages_about_an_event_say_an_event(tmp_path):
    """English wants "an" before a vowel: the validator says "an event" (and "an array"), never
    "a event"."""
    shutil.copytree(VALID, tmp_path / "data")
    path = tmp_path / "data" / "routes.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    [event] = [f for f in document["features"] if f["id"] == "test-event"]
    [route] = [f for f in document["features"] if f["properties"]["layer"] == "route"]
    event["properties"]["routes"] = ["test-event"]
    del event["properties"]["title"]
    event["geometry"] = {"type": "LineString", "coordinates": [[129.0, 42.0], [129.1, 42.1]]}
    route["properties"]["crossings"] = ["test-event"]
    [country, *_] = [f for f in document["features"] if f["properties"]["layer"] == "country"]
    country["id"] = ["country"]
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    messages = [p.message for p in validate_path(path)]
    assert {'an event is drawn as a Point, not a LineString', 'an event needs the property "title"',
            'lists route "test-event", but that id names an event, not a route',
            'uses crossing "test-event", but that id names an event, not a crossing',
            'the id is an array; ids are strings here'} <= set(messages)
    assert not [message for message in messages if re.search(r"\ba [aeiou]", message)]


def test_the_shipped_barriers_lie_on_the_border_and_the_events_in_their_routes_periods():
    """The project's own data: what this feature adds keeps `mapapp validate` clean."""
    problems = [p for p in validate_path(SITE_DATA.parents[3] / "data" / "routes.geojson")
                if p.feature and ("barrier" in p.message or "event" in p.message
                                  or "happened in" in p.message)]
    assert problems == []


# -- the shipped events tell their figures beside the sources that give them (FACTS section 7) ----
SHIPPED = SITE_DATA.parents[3] / "data" / "routes.geojson"
FIGURES = [
    ("vietnam-airlift-2004", ["468"], "news.bbc.co.uk/2/hi/asia-pacific/3931873.stm"),
    ("arrivals-peak-2009", ["2,914"], "yna.co.kr/view/AEN20200403007000325"),
    ("kim-jong-un-crackdown-2012", ["2,706", "1,502"], "koreaherald.com/view.php?ud=20180930000253"),
    ("border-closed-2020", ["1,047", "229", "63"], "koreajoongangdaily.joins.com"),
    ("border-wall-2023", ["489 km"], "japantimes.co.jp/news/2023/05/27"),
    ("mass-return-2023", ["500 to 600", "9 October 2023"], "rfa.org/english/news/korea"),
    ("hrw-report-2024", ["321 km", "6,820", "110 metres", "230 km"], "hrw.org/report/2024/03/07"),
    ("north-korean-fences-2020", ["321 km", "6,820", "489 km"], "hrw.org/report/2024/03/07"),
    ("three-crossed-2024", ["236", "210", "three"], "yna.co.kr/view/AEN20250204009200315"),
]


@pytest.mark.parametrize("feature_id, figures, source", FIGURES)
def test_the_shipped_events_tell_their_figures_beside_their_sources(feature_id, figures, source):
    features = json.loads(SHIPPED.read_text(encoding="utf-8"))["features"]
    [feature] = [f for f in features if f["id"] == feature_id]
    text = feature["properties"]["summary"]
    for figure in figures:
        assert figure in text, (feature_id, figure)
    assert any(source in s["url"] for s in feature["properties"]["sources"]), feature_id


def test_the_shipped_events_arrivals_match_the_statistics():
    """An event that says how many arrived in a year says what data/statistics.csv says."""
    atlas = load_atlas(SHIPPED)
    arrivals = {figure.period: figure.value for figure in atlas.series("arrivals")}
    told = {2009: "2,914", 2011: "2,706", 2012: "1,502", 2019: "1,047", 2020: "229", 2021: "63",
            2024: "236"}
    assert {year: f"{arrivals[year]:,}" for year in told} == told


# -- the texts that say when China began fencing the border agree with its barriers (FACTS E7) ----
def _first_year_of_the_fences(text: str, words: tuple[str, ...]) -> int:
    """The first year named in the first sentence of `text` that speaks of fences."""
    [sentence, *_] = [s for s in re.split(r"(?<=[.!?])\s+", text) if any(w in s for w in words)]
    return int(re.search(r"\b(1[0-9]{3}|20[0-9]{2})(?=\b|년)", sentence).group(1))


def test_the_shipped_texts_date_chinas_first_fences_as_its_barriers_do():
    """China's policy and the southern route, in English and in Korean, date China's first fences
    from the year its first barrier stands (wire fences on Tumen crossing routes from 2003; the
    Yalu near Dandong followed in 2006), not from 2006."""
    atlas = load_atlas(SHIPPED)
    first = min(b.period[0] for b in atlas.barriers if b.name.startswith("Chinese"))
    assert first == 2003
    [southern] = [route for route in atlas.routes if route.id == "southern-route"]
    [crossing] = [p for p in southern.narrative.stages[0].body.split("\n\n") if "fenc" in p]
    texts = {"country:country-chn:policy": atlas.country("CHN").policy,
             "route:southern-route:summary": southern.summary,
             "route:southern-route:stage-1:body": crossing}
    with (SHIPPED.parent / "translations" / "ko.po").open("rb") as handle:
        catalogue = read_po(handle)
    for context, english in texts.items():
        assert _first_year_of_the_fences(english, ("fence", "fencing")) == first, context
        korean = catalogue.get(english, context=context)
        assert korean and korean.string and not korean.fuzzy, context
        assert _first_year_of_the_fences(korean.string, ("울타리", "철조망")) == first, context
