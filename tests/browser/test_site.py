"""The site in Chromium (pytest-playwright's `page`, against `live_server`).

Every test runs under the guard of tests/browser/conftest.py: no request leaves 127.0.0.1 and
the console stays free of errors. Motion is reduced, so the map jumps instead of flying and
positions can be checked at once.
"""

from __future__ import annotations

import re

import pytest
from helpers import route_ids
from playwright.sync_api import Page, expect

ROUTES = route_ids()
pytestmark = pytest.mark.usefixtures("guard")


def open_page(page: Page, path: str = "/") -> None:
    page.goto(path)
    page.wait_for_selector("html.js-ready")


def selected_paths(page: Page, route_id: str) -> int:
    return page.locator(f"path.route-{route_id}.route-selected").count()


def map_call(page: Page, expression: str):
    """Evaluate an expression on the Leaflet map folium declared (`map_routes`)."""
    return page.evaluate(f"() => window.map_routes.{expression}")


def expect_chosen(page: Page, atlas, route_id: str) -> None:
    route = atlas.route(route_id)
    expect(page).to_have_url(re.compile(rf"/routes/{route_id}$"))
    expect(page.locator(f"#story-{route_id}")).to_be_visible()
    expect(page.locator(f"#story-{route_id} h2")).to_have_text(route.title)
    expect(page.locator(".story:visible")).to_have_count(1)
    expect(page.locator(f'a.route-link[data-route="{route_id}"]')).to_have_attribute(
        "aria-current", "page")
    expect(page.locator('a.route-link[aria-current="page"]')).to_have_count(1)
    expect(page).to_have_title(re.compile(re.escape(route.title)))
    assert selected_paths(page, route_id) == len(route.legs)
    others = sum(len(r.legs) for r in atlas.routes if r.id != route_id)
    assert page.locator("path.route.route-dimmed").count() == others


def test_the_map_draws_every_layer(page: Page, site_atlas):
    open_page(page)
    expect(page.locator(".map-status")).to_be_hidden()
    # The base map is painted on canvases (tests/browser/test_map.py looks at the paint).
    expect(page.locator(".leaflet-base-pane canvas")).to_have_count(2)
    for route in site_atlas.routes:
        assert page.locator(f"path.route-{route.id}").count() == len(route.legs)
    assert page.locator("path.crossing").count() == len(site_atlas.crossings)
    for kind in ("zone", "mdl", "nll"):
        assert page.locator(f"path.dmz-{kind}").count() == 1
    nll = page.locator("path.dmz-nll")
    assert nll.get_attribute("stroke-dasharray"), "the schematic NLL is dashed"
    assert page.locator(".leaflet-control-layers").count() == 1
    assert page.locator(".leaflet-control-scale").count() == 1
    expect(page.locator(".legend")).to_contain_text("Northern Limit Line (schematic, disputed)")
    assert map_call(page, "getMaxZoom()") == 8 and map_call(page, "getMinZoom()") == 3
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor")
    assert background == "rgb(200, 220, 232)", "the sea is the container's background"


def test_the_route_list_and_the_welcome_panel(page: Page):
    open_page(page)
    expect(page.locator("a.route-link")).to_have_count(len(ROUTES))
    expect(page.locator("#story-welcome")).to_be_visible()
    expect(page.locator(".story:visible")).to_have_count(1)
    assert page.locator("path.route-selected").count() == 0
    assert page.locator("path.route-dimmed").count() == 0


def test_choosing_from_the_list(page: Page, site_atlas):
    open_page(page)
    page.click('a.route-link[data-route="northern-route"]')
    expect_chosen(page, site_atlas, "northern-route")
    expect(page.locator("#story-northern-route h2")).to_be_focused()
    _expect_fitted(page, site_atlas.route("northern-route").bounds)


def _count_zoom_steps(page: Page) -> None:
    page.evaluate("""() => { window.zoomSteps = 0; window.zoomEnded = false;
        window.map_routes.on('zoom', () => { window.zoomSteps += 1; });
        window.map_routes.on('zoomend', () => { window.zoomEnded = true; }); }""")


def test_the_map_flies_unless_the_reader_prefers_less_motion(page: Page, site_atlas):
    open_page(page)
    _count_zoom_steps(page)
    page.click('a.route-link[data-route="dmz-route"]')
    expect_chosen(page, site_atlas, "dmz-route")
    _expect_fitted(page, site_atlas.route("dmz-route").bounds)
    assert page.evaluate("() => window.zoomSteps") <= 1, "reduced motion: one jump"

    page.emulate_media(reduced_motion="no-preference")
    page.evaluate("() => { window.zoomSteps = 0; window.zoomEnded = false; }")
    page.click('a.route-link[data-route="northern-route"]')
    page.wait_for_function("() => window.zoomEnded && window.zoomSteps > 3")
    _expect_fitted(page, site_atlas.route("northern-route").bounds)


def test_choosing_by_clicking_a_line_on_the_map(page: Page, site_atlas):
    open_page(page)
    point = page.evaluate("""() => {
        const path = document.querySelector('path.route-southern-route');
        const at = path.getPointAtLength(path.getTotalLength() * 0.3);
        const screen = at.matrixTransform(path.getScreenCTM());
        return {x: screen.x, y: screen.y};
    }""")
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('class')",
                        [point["x"], point["y"]])
    assert "route-southern-route" in hit, "the point chosen lies on the line"
    page.mouse.click(point["x"], point["y"])
    expect_chosen(page, site_atlas, "southern-route")


def test_keyboard_enter_and_space_choose_a_route(page: Page, site_atlas):
    open_page(page)
    page.focus('a.route-link[data-route="dmz-route"]')
    page.keyboard.press("Enter")
    expect_chosen(page, site_atlas, "dmz-route")
    page.focus('a.route-link[data-route="southern-route"]')
    page.keyboard.press(" ")
    expect_chosen(page, site_atlas, "southern-route")


def test_previous_and_next_step_through_the_stages(page: Page, site_atlas):
    route = site_atlas.route("southern-route")
    open_page(page, "/routes/southern-route")
    story = page.locator("#story-southern-route")
    status, previous, following = (story.locator(s) for s in
                                   (".step-status", ".step-prev", ".step-next"))
    expect(status).to_have_text(f"Overview · {len(route.narrative.stages)} stages")
    expect(previous).to_be_disabled()
    for index, stage in enumerate(route.narrative.stages):
        following.click()
        expect(status).to_have_text(
            f"Stage {index + 1} of {len(route.narrative.stages)}: {stage.title}")
        expect(story.locator(".stage:visible")).to_have_count(1)
        expect(story.locator(".stage:visible h4")).to_contain_text(stage.title)
        expect(story.locator(".story-overview")).to_be_hidden()
        _expect_map_at(page, site_atlas, stage.place)
    expect(following).to_be_disabled()
    previous.click()
    expect(status).to_contain_text("Stage 2 of 3")
    _expect_map_at(page, site_atlas, route.narrative.stages[1].place)
    previous.click()
    previous.click()
    expect(status).to_contain_text("Overview")
    expect(story.locator(".story-overview")).to_be_visible()
    expect(previous).to_be_disabled()


def _expect_map_at(page: Page, atlas, place) -> None:
    """The map shows the stage's place: its centre lies on the place's extent."""
    centre = map_call(page, "getCenter()")
    if place.kind == "point":
        assert abs(centre["lat"] - place.lat) < 0.05 and abs(centre["lng"] - place.lon) < 0.05
        assert map_call(page, "getZoom()") == 6
        return
    if place.kind == "crossing":
        crossing = atlas.crossing(place.ref)
        west, south, east, north = (crossing.lon - 0.2, crossing.lat - 0.2,
                                    crossing.lon + 0.2, crossing.lat + 0.2)
    else:
        west, south, east, north = atlas.country(place.ref).shape.bounds
    assert south <= centre["lat"] <= north and west <= centre["lng"] <= east, (place, centre)


def test_back_and_forward_restore_the_selection(page: Page, site_atlas):
    open_page(page)
    page.click('a.route-link[data-route="southern-route"]')
    expect_chosen(page, site_atlas, "southern-route")
    page.click('a.route-link[data-route="dmz-route"]')
    expect_chosen(page, site_atlas, "dmz-route")
    page.go_back()
    expect_chosen(page, site_atlas, "southern-route")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#story-welcome")).to_be_visible()
    assert page.locator("path.route-selected").count() == 0
    page.go_forward()
    expect_chosen(page, site_atlas, "southern-route")
    page.click("#story-southern-route .back-link")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#story-welcome")).to_be_visible()


def test_a_story_not_in_the_page_comes_from_its_page_once_without_leaving(page: Page,
                                                                        site_atlas):
    """The map page holds only its own story: pointing at a route fetches the other from the
    route's page, once, and choosing it then changes no page (the script's state survives)."""
    fetched = []
    page.on("request", lambda request: fetched.append(request.url)
            if request.resource_type == "fetch" else None)
    open_page(page)
    expect(page.locator("article.story")).to_have_count(1)  # the welcome text
    page.evaluate("window.stillHere = true")
    page.hover('a.route-link[data-route="dmz-route"]')
    expect(page.locator("#story-dmz-route")).to_be_attached()
    expect(page.locator("#story-dmz-route")).to_be_hidden()
    page.click('a.route-link[data-route="dmz-route"]')
    expect_chosen(page, site_atlas, "dmz-route")
    page.click("#story-dmz-route .step-next")  # its steps work as a served story's do
    expect(page.locator("#story-dmz-route .step-status")).to_contain_text("Stage 1")
    page.go_back()
    expect(page.locator("#story-welcome")).to_be_visible()
    page.click('a.route-link[data-route="dmz-route"]')
    expect_chosen(page, site_atlas, "dmz-route")
    assert page.evaluate("window.stillHere") is True
    assert [url.rsplit("/", 2)[-2:] for url in fetched] == [["routes", "dmz-route"]]
    expect(page.locator("#story-panel")).not_to_have_attribute("aria-busy", "true")


def test_a_story_that_cannot_be_fetched_opens_its_page_instead(page: Page, site_atlas, guard):
    page.route("**/routes/northern-route", lambda route, request: route.fulfill(status=503)
               if request.resource_type == "fetch" else route.fallback())
    open_page(page)
    page.evaluate("window.stillHere = true")
    page.click('a.route-link[data-route="northern-route"]')
    expect_chosen(page, site_atlas, "northern-route")
    assert page.evaluate("window.stillHere") is None, "the route's own page was loaded"
    assert guard.forgive(lambda error: "503" in error), "the failed fetch, and only that"


@pytest.mark.parametrize("route_id", ROUTES)
def test_a_deep_link_opens_on_its_route(page: Page, site_atlas, route_id):
    open_page(page, f"/routes/{route_id}")
    expect_chosen(page, site_atlas, route_id)
    page.wait_for_function("""() => {  // no zoom or pan animation left running
        const map = window.map_routes;
        return !map._animatingZoom && !(map._panAnim && map._panAnim._inProgress);
    }""")
    _expect_fitted(page, site_atlas.route(route_id).bounds)


def _expect_fitted(page: Page, bounds) -> None:
    """The map shows these bounds as fitBounds would: whole, at the zoom it would choose."""
    west, south, east, north = bounds
    fitted = page.evaluate("""([south, west, north, east]) => {
        const map = window.map_routes, box = L.latLngBounds([south, west], [north, east]);
        const zoom = Math.min(map.getBoundsZoom(box, false, L.point(56, 56)), map.getMaxZoom());
        return {zoom: map.getZoom(), expected: zoom, shown: map.getBounds().contains(box)};
    }""", [south, west, north, east])
    assert fitted == {**fitted, "zoom": fitted["expected"], "shown": True}, fitted


def test_a_phone_shows_the_panel_below_the_map_and_still_works(page: Page, site_atlas):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page)
    map_box = page.locator(".atlas-map").bounding_box()
    routes_box = page.locator(".atlas-routes").bounding_box()
    story_box = page.locator(".atlas-story").bounding_box()
    assert map_box["width"] >= 380 and routes_box["y"] >= map_box["y"] + map_box["height"] - 1
    assert story_box["y"] > routes_box["y"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "no sideways scroll"
    page.click('a.route-link[data-route="northern-route"]')
    expect_chosen(page, site_atlas, "northern-route")
    heading = page.locator("#story-northern-route h2").bounding_box()
    assert heading["y"] >= page.locator(".atlas-map").bounding_box()["height"] - 1, (
        "the story is scrolled into view below the sticky map")
    page.locator("#story-northern-route .step-next").click()
    expect(page.locator("#story-northern-route .step-status")).to_contain_text("Stage 1 of 2")
    page.go_back()
    expect(page.locator("#story-welcome")).to_be_visible()
