"""The map in time over HTTP (mapapp/web/years.py and the pages and API that use it): the year's
map page, the year control's form without JavaScript, a route's page in a year, the timeline,
the chart's marks, the API's events and its routes in a year, and the addresses the export
writes. The browser side is tests/browser/test_years.py.

tests/data/site's events run from 2003; its routes are southern (from 2004), northern (from
2000) and dmz (from 2007).
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from helpers import SITE_DATA, Html, get

from mapapp.contract import this_year
from mapapp.export import addresses
from mapapp.model import load_atlas
from mapapp.web import create_app

FIRST = 2003


def config_of(html: str) -> dict:
    """The JSON the year control carries for static/js/years.js."""
    tags = Html(html)
    [config] = [text for attrs, text in zip(tags.find("script"), tags.scripts, strict=True)
                if attrs.get("id") == "years-config"]
    return json.loads(config)


def listed(html: str) -> dict[str, bool]:
    """Each route of the list and whether it is shown (not `hidden`)."""
    return {route: not hidden for hidden, route in re.findall(
        r'<li( hidden)?>\s*<a class="route-link" href="[^"]*" data-route="([^"]+)"', html)}


def test_a_years_page_lists_only_the_routes_in_use_and_says_how_many_were_not(client):
    _, html = get(client, f"/years/{FIRST}")
    assert listed(html) == {"southern-route": False, "northern-route": True, "dmz-route": False}
    tags = Html(html)
    assert f"<title>The map in {FIRST} · " in html
    [status] = [p for p in tags.find("p") if p.get("id") == "year-status"]
    assert status["role"] == "status"
    assert f"1 route in use in {FIRST}. 2 others were not." in html
    [all_years] = [a for a in tags.find("a") if "data-year-all" in a]
    assert all_years["href"] == "/"
    [slider] = tags.find("input", type="range")
    assert (slider["min"], slider["max"], slider["value"]) == (str(FIRST), str(this_year()),
                                                              str(FIRST))
    assert [o["value"] for o in tags.find("option")] == ["2003", "2005", "2012", "2013", "2020"]


def test_a_years_page_shows_that_years_events_and_the_barriers_standing(client, site_atlas):
    _, html = get(client, "/years/2012")
    shown = re.findall(r'<div class="year-events" data-year="(\d+)"( hidden)?>', html)
    assert [year for year, hidden in shown if not hidden] == ["2012"]
    barriers = dict(re.findall(r'<li data-barrier="([^"]+)"( hidden)?>', html))
    assert {b for b, hidden in barriers.items() if not hidden} == {"tumen-fence-sections"}
    assert "Kim Jong Un&#39;s crackdown on leaving" in html
    _, html = get(client, "/years/2024")
    barriers = dict(re.findall(r'<li data-barrier="([^"]+)"( hidden)?>', html))
    assert {b for b, hidden in barriers.items() if not hidden} == {
        "tumen-fence", "north-korean-fences-2020"}
    assert 'class="year-events-none">' in html  # no event of 2024: the panel says so


def test_the_year_control_carries_what_each_year_shows(client, site_atlas):
    config = config_of(get(client, "/")[1])
    assert config["year"] is None and config["all"]["map"] == "/"
    assert (config["first"], config["last"]) == (FIRST, this_year())
    assert list(config["years"]) == [str(year) for year in site_atlas.years]
    for year in site_atlas.years:
        shown = config["years"][str(year)]
        assert shown["routes"] == [r.id for r in site_atlas.routes_in_use(year)]
        assert shown["barriers"] == [b.id for b in site_atlas.barriers_standing(year)]
        assert shown["map"] == f"/years/{year}"
    assert config["years"]["2012"]["status"] == "3 routes in use in 2012."


@pytest.mark.parametrize("year", ["1800", str(FIRST - 1), str(this_year() + 1), "abc", "02005",
                                  "2005.5", "-2005", "２００５", "2005%00", "9" * 400])
def test_years_outside_the_span_and_garbage_get_the_404_page(client, year):
    response = client.get(f"/years/{year}")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in response.get_data(as_text=True)


def test_the_form_without_javascript_is_redirected_to_the_years_page(client):
    response = client.get("/years?year=2012")
    assert response.status_code == 302 and response.headers["Location"] == "/years/2012"
    response = client.get("/years?year=2012&route=northern-route")
    assert response.headers["Location"] == "/routes/northern-route?year=2012"
    for query in ("year=1999", "year=x", "year=", "year=2012&route=nowhere"):
        assert client.get(f"/years?{query}").status_code == 404, query


def test_the_years_page_without_a_year_links_every_year(client, site_atlas):
    _, html = get(client, "/years")
    links = [a["href"] for a in Html(html).find("a") if a["href"].startswith("/years/")]
    assert links == [f"/years/{year}" for year in site_atlas.years]


def test_a_route_page_keeps_the_year(client):
    _, html = get(client, f"/routes/northern-route?year={FIRST}")
    assert listed(html) == {"southern-route": False, "northern-route": True, "dmz-route": False}
    tags = Html(html)
    assert [i["value"] for i in tags.find("input", name="route")] == ["northern-route"]
    assert tags.find("input", type="range")[0]["value"] == str(FIRST)
    assert config_of(html)["years"]["2012"]["map"] == "/years/2012"
    links = [a["href"] for a in tags.find("a", class_="route-link")]
    assert links == [f"/routes/{r}?year={FIRST}" for r in
                     ("southern-route", "northern-route", "dmz-route")]
    assert [a["href"] for a in tags.find("a") if "data-year-all" in a] == ["/routes/northern-route"]
    assert client.get("/routes/northern-route?year=1066").status_code == 404
    assert listed(get(client, "/routes/northern-route")[1]) == dict.fromkeys(listed(html), True)


@pytest.mark.parametrize(("path", "twin"), [
    (f"/routes/northern-route?year={FIRST}", f"/ko/routes/northern-route?year={FIRST}"),
    (f"/ko/routes/northern-route?year={FIRST}", f"/routes/northern-route?year={FIRST}"),
    ("/years/2012", "/ko/years/2012"),
    ("/ko/routes/northern-route", "/routes/northern-route"),
])
def test_the_link_to_the_other_language_keeps_the_year(client, path, twin):
    _, html = get(client, path)
    assert [a["href"] for a in Html(html).find("a") if "data-twin" in a] == [twin]


@pytest.mark.parametrize(("path", "note"), [
    (f"/routes/dmz-route?year={FIRST}", f"This route was not in use in {FIRST}."),
    (f"/ko/routes/dmz-route?year={FIRST}", f"이 경로는 {FIRST}년에는 쓰이지 않았습니다."),
    (f"/routes/northern-route?year={FIRST}", None),  # in use since 2000
    ("/routes/dmz-route", None),  # all years
    (f"/years/{FIRST}", None),  # no route chosen
])
def test_a_route_page_says_when_its_route_was_not_in_use_that_year(client, path, note):
    _, html = get(client, path)
    [(hidden, text)] = re.findall(r'<p class="year-route-note"( hidden)?>([^<]*)</p>', html)
    assert (None if hidden else text) == note


def test_the_timeline_has_every_event_in_order_by_decade_with_sources_and_arrivals(client,
                                                                                  site_atlas):
    _, html = get(client, "/timeline")
    ids = re.findall(r'<li id="([a-z0-9-]+)">\s*<h4>', html)
    assert ids == [event.id for event in site_atlas.events]
    assert re.findall(r'<h2 id="decade-\d+-heading">([^<]+)</h2>', html) == [
        "The 2000s", "The 2010s", "The 2020s"]
    for event in site_atlas.events:
        entry = html[html.index(f'<li id="{event.id}">'):]
        entry = entry[:entry.index("</li>\n")]
        for source in event.sources:
            assert f'<a href="{source.url}" rel="noopener noreferrer"><cite>' in entry
    arrivals_2003 = next(f.value for f in site_atlas.series("arrivals") if f.period == 2003)
    assert f"{arrivals_2003:,} people reached South Korea that year." in html
    assert 'href="/years/2012">The map in 2012</a>' in html
    assert '<time datetime="2020-09">September 2020</time>' in html


def test_the_statistics_page_lists_the_events_marked_on_the_chart(client):
    _, html = get(client, "/statistics")
    section = html[html.index('<section class="chart-marks"'):]
    assert '<a href="/years/2003">2003</a>: First fences' in section
    assert "Kim Jong Un" not in section  # marked only within the chart's years (2001–2004)
    chart = re.search(r'src="(/charts/arrivals-[0-9a-f]+\.svg)"', html).group(1)
    svg = get(client, chart)[1]
    assert re.findall(r'<g id="(mark-[^"]+)"', svg) == ["mark-1-2003", "mark-1-2003-label"]
    assert "First fences" in svg  # a label in the picture, as text


def test_the_api_gives_the_events_and_the_routes_of_a_year(client, site_atlas):
    events = json.loads(get(client, "/api/events.json")[1])
    assert [e["id"] for e in events] == [event.id for event in site_atlas.events]
    laos = next(e for e in events if e["id"] == "laos-transit-2005")
    assert laos["place"] == {"lon": 102.6, "lat": 17.97} and laos["month"] == 11
    assert laos["url"] == "/timeline#laos-transit-2005" and laos["map_url"] == "/years/2005"
    routes = json.loads(get(client, f"/api/routes.json?year={FIRST}")[1])
    assert [route["id"] for route in routes] == ["northern-route"]
    assert len(json.loads(get(client, "/api/routes.json")[1])) == 3
    assert client.get("/api/routes.json?year=1800").status_code == 404
    layer = json.loads(get(client, "/api/layers/events.geojson")[1])
    assert [f["geometry"] for f in layer["features"]][:2] == [
        None, {"type": "Point", "coordinates": [102.6, 17.97]}]
    barriers = json.loads(get(client, "/api/layers/barriers.geojson")[1])
    assert [(f["id"], f["properties"]["period"]) for f in barriers["features"]] == [
        ("tumen-fence-sections", {"from": 2003, "to": 2012}),
        ("tumen-fence", {"from": 2013, "to": None}),
        ("north-korean-fences-2020", {"from": 2020, "to": None})]


def test_the_export_writes_every_year_the_years_page_and_the_timeline(app, site_atlas):
    with app.test_request_context("/"):
        written = set()
        for endpoint, values in addresses():
            if values.get("lang", "en") == "en":
                written.add((endpoint, values.get("year")))
    assert {("pages.year", year) for year in site_atlas.years} <= written
    assert {("pages.years_index", None), ("pages.timeline", None)} <= written


def test_the_hostile_data_stays_text_on_the_time_pages(hostile_app):
    client = hostile_app.test_client()
    for path in ("/years/2012", "/timeline", "/years", "/statistics"):
        body = get(client, path)[1]
        assert "<script>window.__pwned" not in body and "<img src=x" not in body, path
        assert "<svg onload" not in body, path


def test_an_app_without_events_has_no_marks_and_a_span_from_its_first_route(tmp_path):
    shutil.copytree(SITE_DATA.parent, tmp_path / "site")
    path = tmp_path / "site" / "routes.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"] = [f for f in document["features"]
                            if f["properties"]["layer"] not in ("event", "barrier")]
    path.write_text(json.dumps(document), encoding="utf-8")
    client = create_app({"MAPAPP_DATA": str(path), "TESTING": True}).test_client()
    assert load_atlas(path).years.start == 2000  # the northern route's first year
    _, html = get(client, "/timeline")
    assert "No events yet." in html
    assert 'class="chart-marks"' not in get(client, "/statistics")[1]
    assert get(client, "/years/2000")[0].status_code == 200


def test_the_timeline_presentation_has_a_slide_for_each_year_of_events(client, site_atlas):
    _, html = get(client, "/present/timeline")
    slides = [(kind, number, year.group(1) if (year := re.search(r'data-year="(\d+)"', rest))
               else "", rest.endswith(" hidden"))
              for kind, number, rest in re.findall(
                  r'<section class="slide slide-(\w+)[^"]*" id="slide-(\d+)"([^>]*)>', html)]
    assert slides[0][0] == "timeline" and slides[-1][0] == "end"
    assert [int(year) for _, _, year, _ in slides if year] == list(site_atlas.event_years)
    assert [number for _, number, _, hidden in slides if not hidden] == ["1"]
    _, html = get(client, "/present/timeline?step=4")
    shown = re.search(r'id="slide-4"[^>]*>', html).group(0)
    assert 'data-year="2012"' in shown and "hidden" not in shown
    in_use = " ".join(route.id for route in site_atlas.routes_in_use(2012))
    standing = " ".join(barrier.id for barrier in site_atlas.barriers_standing(2012))
    assert f'data-in-use="{in_use}" data-standing="{standing}"' in shown, "what its map shows"
    assert "Kim Jong Un&#39;s crackdown on leaving" in html
