"""A stage beyond the map's region, in Chromium: the Russian Far East route's stage at the UN
refugee agency in Moscow keeps the map on the route and points to Moscow from the map's edge
(its number, its name and its distance from Vladivostok), on the map page, in the presentation
and in Korean; its marker stays a stage marker, reached and pressed as the others are.

On the shipped data (the only route with such a stage), served by waitress.
"""

from __future__ import annotations

import re

import pytest
from helpers import serve_in_thread
from playwright.sync_api import Page, expect

from mapapp import paths
from mapapp.web import create_app

pytestmark = [pytest.mark.usefixtures("guard"),
              pytest.mark.browser_context_args(viewport={"width": 1280, "height": 720})]
ROUTE = "russia-route"
MOSCOW = 3  # the stage's index (stage 4)
POINTER = ".map-distant"
# Where the map is and where the pointer sits on it, in the map container's pixels.
GEOMETRY = """() => {
    const map = window.map_routes, box = map.getContainer().getBoundingClientRect();
    const config = JSON.parse(document.getElementById('map-config').textContent);
    const route = config.routes['russia-route'];
    const pointer = document.querySelector('.map-distant').getBoundingClientRect();
    return {
        routeShown: map.getBounds().pad(0.01).contains(L.latLngBounds(route.bounds)),
        centreOnRoute: L.latLngBounds(route.bounds).pad(0.5).contains(map.getCenter()),
        moscow: route.stages[3].center,
        left: pointer.left - box.left, right: box.right - pointer.right,
        top: pointer.top - box.top, bottom: box.bottom - pointer.bottom,
        scrolled: map.getContainer().scrollLeft + map.getContainer().scrollTop,
    };
}"""


@pytest.fixture(scope="module")
def shipped():
    with serve_in_thread(create_app({"MAPAPP_DATA": str(paths.data_dir() / "routes.geojson")})) \
            as url:
        yield url


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html.js-ready")


def expect_on_the_route_pointing_west(page: Page) -> None:
    seen = page.evaluate(GEOMETRY)
    assert seen["moscow"] == [55.75, 37.62]
    assert seen["routeShown"] and seen["centreOnRoute"], seen
    # Moscow lies west of the whole route, a little north of its middle: the left edge.
    assert 0 <= seen["left"] <= 16 and seen["right"] > 100, seen
    assert seen["top"] > 0 and seen["bottom"] > 0, seen
    assert seen["scrolled"] == 0, seen


def test_the_map_stays_on_the_route_and_points_to_moscow(page: Page, shipped):
    open_page(page, f"{shipped}/routes/{ROUTE}#{ROUTE}-stage-{MOSCOW + 1}")
    story = page.locator(f"#story-{ROUTE}")
    expect(story.locator(".step-status")).to_contain_text("Stage 4 of 5")
    pointer = page.locator(POINTER)
    expect(pointer).to_have_count(1)
    expect(pointer).to_be_visible()
    expect(pointer).to_have_class(re.compile(r"\bis-current\b"))
    expect(pointer.locator(".map-distant-number")).to_have_text("4")
    # Vladivostok to Moscow: about 6,430 km as the crow flies.
    expect(pointer.locator(".map-distant-text")).to_have_text("Moscow, 6,400 km")
    expect_on_the_route_pointing_west(page)
    angle = page.evaluate("""() => new DOMMatrix(getComputedStyle(
        document.querySelector('.map-distant-arrow')).transform)""")
    assert angle["a"] < -0.9, "the arrow points west"
    # The stage marker list is as for any route: five markers, the fourth current.
    markers = page.locator(".stage-marker")
    expect(markers).to_have_count(5)
    expect(markers.nth(MOSCOW)).to_have_attribute("aria-current", "step")
    expect(markers.nth(MOSCOW)).to_have_attribute(
        "aria-label", "Stage 4: The UN refugee agency in Moscow (Moscow)")


def test_the_other_stages_keep_the_pointer_and_fly_as_before(page: Page, shipped):
    open_page(page, f"{shipped}/routes/{ROUTE}#{ROUTE}-stage-3")
    pointer = page.locator(POINTER)
    expect(pointer).to_be_visible()
    expect(pointer).not_to_have_class(re.compile(r"\bis-current\b"))
    centre = page.evaluate("() => window.map_routes.getCenter()")
    assert abs(centre["lat"] - 43.11) < 0.05 and abs(centre["lng"] - 131.87) < 0.05, centre
    pointer.click()
    expect(page.locator(f"#story-{ROUTE} .step-status")).to_contain_text("Stage 4 of 5")
    expect(pointer).to_have_class(re.compile(r"\bis-current\b"))
    expect_on_the_route_pointing_west(page)
    page.locator(f"#story-{ROUTE} .step-next").click()
    expect(page.locator(f"#story-{ROUTE} .step-status")).to_contain_text("Stage 5 of 5")
    expect(pointer).not_to_have_class(re.compile(r"\bis-current\b"))


def test_a_route_without_such_a_stage_has_no_pointer(page: Page, shipped):
    open_page(page, f"{shipped}/routes/southern-route#southern-route-stage-2")
    expect(page.locator(".stage-marker")).not_to_have_count(0)
    expect(page.locator(POINTER)).to_have_count(0)


def test_the_keyboard_opens_the_stage_from_its_marker(page: Page, shipped):
    open_page(page, f"{shipped}/routes/{ROUTE}")
    marker = page.locator(".stage-marker").nth(MOSCOW)
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#story-{ROUTE} .step-status")).to_contain_text("Stage 4 of 5")
    expect(marker).to_have_attribute("aria-current", "step")
    expect_on_the_route_pointing_west(page)


def test_the_presentation_points_to_moscow_in_korean_too(page: Page, shipped):
    open_page(page, f"{shipped}/ko/present/{ROUTE}")
    step = page.evaluate("""() => 1 + [...document.querySelectorAll('.slide')]
        .findIndex(s => s.dataset.stage === '3')""")
    open_page(page, f"{shipped}/ko/present/{ROUTE}?step={step}")
    pointer = page.locator(POINTER)
    expect(pointer).to_have_class(re.compile(r"\bis-current\b"))
    expect(pointer.locator(".map-distant-text")).to_contain_text("모스크바")
    expect(pointer.locator(".map-distant-text")).to_contain_text("6,400")
    expect_on_the_route_pointing_west(page)
    while page.locator(".slide:visible").get_attribute("data-stage") == str(MOSCOW):
        page.keyboard.press("ArrowRight")  # past the stage's continued slides
    expect(pointer).not_to_have_class(re.compile(r"\bis-current\b"))
