"""Accessibility in Chromium: axe-core on every page and state, and the keyboard path.

axe-core comes with the axe-playwright-python package (PyPI); it runs every rule it has (WCAG
2.0-2.2 A and AA and best practices) and must find no violation, on wide and phone screens (each
page on one of them by default, on both with --slow), with a route open, while stepping through
stages and with the layers control open. Its "needs review" results (colour over the map, which
it cannot compute) were checked by hand: see docs/operations.md.

The keyboard tests walk the map page as a keyboard user does: skip link, a tab order in which
the map's shapes are not stops (everything they show is in the page as text), a visible focus
indicator and a name on every stop, a route chosen with Enter and announced, stages stepped with
Enter and Space without losing focus, Leaflet's zoom and layers controls.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import route_ids
from playwright.sync_api import Page, expect
from sweeps import each_once

ROUTE = route_ids()[0]
AXE = Axe()
PAGES = ["/", f"/routes/{ROUTE}", "/statistics", "/about", "/glossary", "/nowhere",
         "/present", f"/present/{ROUTE}", f"/print/{ROUTE}", f"/embed/{ROUTE}"]
pytestmark = pytest.mark.usefixtures("guard")


def visit(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")


def assert_no_violations(page: Page, where: str) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, f"{where}\n{results.generate_report()}"


# -- axe-core ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "width"), each_once(PAGES, [1440, 390]))
def test_axe_finds_no_violation(page: Page, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    visit(page, path)
    assert_no_violations(page, f"{path} at {width}px")


def test_axe_finds_no_violation_while_the_map_page_is_used(page: Page):
    visit(page, "/")
    page.wait_for_selector("html.js-ready")
    page.locator(".map-contents summary").click()
    page.click(f'a.route-link[data-route="{ROUTE}"]')
    assert_no_violations(page, "a route chosen")
    page.locator(f"#story-{ROUTE} .step-next").click()
    assert_no_violations(page, "stepping through stages")
    page.hover(".leaflet-control-layers")
    expect(page.locator(".leaflet-control-layers-list")).to_be_visible()
    assert_no_violations(page, "layers control open")


def test_the_axe_check_can_fail(page: Page):
    """The same check on a page broken on purpose: a control without a name, low contrast."""
    visit(page, "/about")
    page.evaluate("""() => {
        const button = document.createElement('button');
        document.querySelector('main').append(button);
        document.querySelector('h1').style.color = '#ccc';
    }""")
    results = AXE.run(page)
    assert {"button-name", "color-contrast"} <= {v["id"] for v in results.response["violations"]}


# -- the keyboard path ---------------------------------------------------------------------------
FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const label = element.getAttribute('aria-label') || element.getAttribute('title') ||
        (element.labels && element.labels[0] ? element.labels[0].textContent : '') ||
        element.textContent || '';
    return {tag: element.tagName.toLowerCase(), cls: String(element.className.baseVal ??
            element.className), name: label.trim().replace(/\\s+/g, ' '),
            route: element.dataset ? element.dataset.route || null : null,
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
            shadow: style.boxShadow !== 'none'};
}"""


def tab_stops(page: Page, limit: int = 60) -> list[dict]:
    """Every stop from the top of the page, in order, until focus comes round again."""
    page.locator("body").focus()
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["tag"] == "body" or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


def test_the_skip_link_comes_first_shows_and_jumps_to_the_content(page: Page):
    visit(page, "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "visible when focused"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_tab_order_reaches_routes_before_the_map_and_skips_its_shapes(page: Page, site_atlas):
    visit(page, "/")
    page.wait_for_selector("html.js-ready")
    stops = tab_stops(page)
    kinds = [stop["tag"] for stop in stops]
    assert "path" not in kinds, "the map's shapes are not tab stops"
    routes = [stop["route"] for stop in stops if "route-link" in stop["cls"]]
    assert routes == [route.id for route in site_atlas.routes]
    first_route = next(i for i, stop in enumerate(stops) if "route-link" in stop["cls"])
    map_stop = next(i for i, stop in enumerate(stops) if "leaflet-container" in stop["cls"])
    assert first_route < map_stop
    names = [stop["name"] for stop in stops]
    assert {"Zoom in", "Zoom out", "Layers"} <= set(names), names
    for stop in stops:
        assert stop["name"], f"a stop without a name: {stop}"
        assert stop["outline"] or stop["shadow"], f"no visible focus indicator: {stop}"


def test_every_route_on_the_map_has_a_focusable_twin_in_the_list(page: Page, site_atlas):
    visit(page, "/")
    page.wait_for_selector("html.js-ready")
    for route in site_atlas.routes:
        lines = page.locator(f"path.route-{route.id}")
        assert lines.count() == len(route.legs)
        for index in range(lines.count()):
            assert lines.nth(index).get_attribute("tabindex") == "-1"
        link = page.locator(f'a.route-link[data-route="{route.id}"]')
        expect(link).to_have_attribute("href", f"/routes/{route.id}")
        expect(link).to_contain_text(route.title)


def test_a_route_is_chosen_and_announced_from_the_keyboard(page: Page, site_atlas):
    route = site_atlas.route("dmz-route")
    visit(page, "/")
    page.wait_for_selector("html.js-ready")
    announcer = page.locator("#story-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text("")
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED)["route"] == route.id:
            break
    else:
        pytest.fail("Tab never reached the route")
    page.keyboard.press("Enter")
    story = page.locator(f"#story-{route.id}")
    expect(story).to_be_visible()
    expect(story.locator("h2")).to_be_focused()
    stages = len(route.narrative.stages)
    expect(announcer).to_have_text(f"{route.title}. Overview · {stages} stage"
                                   f"{'s' if stages != 1 else ''}")
    expect(page).to_have_url(f"{page.url.split('/routes/')[0].rstrip('/')}/routes/{route.id}")


def test_stages_step_with_enter_and_space_and_focus_is_never_lost(page: Page, site_atlas):
    route = site_atlas.route("southern-route")
    stages = route.narrative.stages
    visit(page, f"/routes/{route.id}")
    page.wait_for_selector("html.js-ready")
    story = page.locator(f"#story-{route.id}")
    status = story.locator(".step-status")
    expect(status).to_have_attribute("aria-live", "polite")
    story.locator("h2").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('step-next')"):
            break
    else:
        pytest.fail("Tab never reached the Next button")
    for index, key in zip(range(len(stages)), ["Enter", " ", "Enter", " "], strict=False):
        page.keyboard.press(key)
        expect(status).to_have_text(f"Stage {index + 1} of {len(stages)}: {stages[index].title}")
        expect(story.locator(".stage:visible h4")).to_contain_text(stages[index].title)
    expect(story.locator(".step-next")).to_be_disabled()
    expect(story.locator(".step-prev")).to_be_focused()  # not dropped to the top of the page
    page.keyboard.press("Enter")
    expect(status).to_contain_text(f"Stage {len(stages) - 1} of {len(stages)}")
    expect(story.locator(".stages-heading")).to_be_attached()
    for _ in range(len(stages) - 1):  # back to the first stage, then the overview
        page.keyboard.press("Enter")
    expect(status).to_contain_text("Overview")
    expect(story.locator(".step-prev")).to_be_disabled()
    expect(story.locator(".step-next")).to_be_focused()


def test_leaflet_controls_work_from_the_keyboard(page: Page):
    visit(page, "/")
    page.wait_for_selector("html.js-ready")
    zoom = page.evaluate("() => window.map_routes.getZoom()")
    page.locator(".leaflet-control-zoom-in").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => window.map_routes.getZoom() > {zoom}")

    page.locator(".leaflet-control-layers-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-control-layers-list")).to_be_visible()
    page.keyboard.press("Tab")
    checkbox = page.locator(".leaflet-control-layers-selector").first
    expect(checkbox).to_be_focused()
    expect(page.locator(".leaflet-control-layers-overlays label").first).to_contain_text(
        "Countries")
    base = page.locator(".leaflet-base-pane canvas")
    page.keyboard.press(" ")
    expect(base).to_have_count(1)
    expect(checkbox).not_to_be_checked()
    expect(checkbox).to_be_focused()
    page.keyboard.press(" ")
    expect(checkbox).to_be_checked()
    expect(base).to_have_count(2)
    dmz = page.locator(".leaflet-control-layers-overlays label", has_text="DMZ").locator("input")
    dmz.focus()
    page.keyboard.press(" ")
    expect(page.locator("path.dmz")).to_have_count(0)
    page.keyboard.press(" ")
    expect(page.locator("path.dmz").first).to_have_attribute("tabindex", "-1")


def test_the_map_is_a_named_region_and_its_place_list_is_complete(page: Page, site_atlas):
    visit(page, "/")
    page.wait_for_selector("html.js-ready")
    container = page.locator(".leaflet-container")
    expect(container).to_have_attribute("role", "region")
    expect(container).to_have_attribute("aria-label", re.compile(r"^Map\. Arrow keys"))
    page.locator(".map-contents summary").press("Enter")
    contents = page.locator(".map-contents")
    for country in site_atlas.described_countries:
        expect(contents).to_contain_text(country.policy)
    for crossing in site_atlas.crossings:
        expect(contents).to_contain_text(crossing.name)
    for feature in site_atlas.dmz:
        expect(contents).to_contain_text(feature.name)


def test_less_motion_means_no_transitions_and_no_smooth_scrolling(page: Page):
    visit(page, "/")
    page.wait_for_selector("html.js-ready")
    durations = page.evaluate("""() => [...document.querySelectorAll(
        '.leaflet-zoom-animated, .leaflet-pane, .route-link, .stepper button')]
        .map(element => getComputedStyle(element).transitionDuration)""")
    assert durations and set(durations) == {"0s"}, durations
    assert page.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") in (
        "auto", "")
