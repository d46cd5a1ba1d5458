"""The map as a reader sees it in Chromium: the story's geography named at the zooms where it
matters, the chosen route's stages numbered on the map and followed step by step, by mouse and
keyboard, and the map as it was in a year.

Screenshots of the overview, a crossing stage and the Mekong stage are saved under
test-results/map/ (not kept in git) for a person to look at: a test cannot tell whether a map
reads well, only that its names, markers and layers are there.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import ROOT
from playwright.sync_api import Page, expect
from shapely.geometry import Point

from mapapp import mapbuilder, style

ARTEFACTS = ROOT / "test-results" / "map"
AXE = Axe()
pytestmark = pytest.mark.usefixtures("guard")

# Names whose box lies inside the map's box, by kind (country, river, region, town, capital).
VISIBLE_NAMES = """kind => {
    const box = window.map_routes.getContainer().getBoundingClientRect();
    return [...document.querySelectorAll(`.map-name-${kind} .map-name-text`)].filter(name => {
        const r = name.getBoundingClientRect();
        return r.width > 0 && r.left >= box.left && r.right <= box.right && r.top >= box.top &&
            r.bottom <= box.bottom;
    }).map(name => name.textContent);
}"""
# The colour painted at a place on the countries' canvas (the base map is not made of elements).
CANVAS_COLOUR = """([lat, lon]) => {
    const map = window.map_routes, canvas = document.querySelector('.leaflet-base-pane canvas');
    const point = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect(), own = canvas.getBoundingClientRect();
    const x = (box.left + point.x - own.left) * canvas.width / own.width;
    const y = (box.top + point.y - own.top) * canvas.height / own.height;
    const [r, g, b] = canvas.getContext('2d').getImageData(x, y, 1, 1).data;
    return '#' + [r, g, b].map(v => v.toString(16).padStart(2, '0')).join('');
}"""
STAGE_OF_MARKER = """() => [...document.querySelectorAll('.stage-marker')]
    .findIndex(marker => marker.getAttribute('aria-current') === 'step')"""


def open_page(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("html.js-ready")


def names(page: Page, kind: str) -> list[str]:
    return page.evaluate(VISIBLE_NAMES, kind)


def zoom(page: Page) -> float:
    return page.evaluate("() => window.map_routes.getZoom()")


def screenshot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".leaflet-container").screenshot(path=str(ARTEFACTS / f"{name}.png"))


def step_to(page: Page, route_id: str, stage: int) -> None:
    """On a route's page, the Next button pressed until stage `stage` (0-based) is shown."""
    for _ in range(stage + 1):
        page.locator(f"#story-{route_id} .step-next").click()
    expect(page.locator(f"#story-{route_id} .step-status")).to_contain_text(
        f"Stage {stage + 1} of")


def markers(page: Page):
    return page.locator(".stage-marker")


# -- names ---------------------------------------------------------------------------------------
def test_the_overview_names_the_countries_and_the_capitals_not_the_small_towns(page: Page,
                                                                              site_atlas):
    open_page(page, "/")
    shown = names(page, "country")
    for country in site_atlas.described_countries:
        assert country.name in shown
    overview = zoom(page)
    in_dom = page.evaluate("() => [...document.querySelectorAll('.map-name-town .map-name-text')]"
                           ".map(name => name.textContent)")
    assert {t.name for t in site_atlas.towns if t.min_zoom > overview} & set(in_dom) == set()
    assert "Beijing" in names(page, "capital")
    for name in page.locator(".map-name-text").all()[:20]:
        size, halo = name.evaluate("n => [parseFloat(getComputedStyle(n).fontSize), "
                                   "getComputedStyle(n).textShadow]")
        assert size >= 12 and halo != "none", "legible on land and sea"
    screenshot(page, "overview")


def test_a_crossing_stage_names_its_river_and_its_towns(page: Page):
    open_page(page, "/routes/southern-route")
    step_to(page, "southern-route", 0)
    assert zoom(page) >= 7
    assert "Tumen" in names(page, "river")
    assert {"Musan", "Nanping"} <= set(names(page, "town"))
    screenshot(page, "crossing-tumen")
    open_page(page, "/routes/northern-route")
    step_to(page, "northern-route", 0)
    assert "Yalu" in names(page, "river")
    assert {"Hyesan", "Changbai"} <= set(names(page, "town"))


def test_the_mekong_stage_names_the_mekong_and_its_town(page: Page, site_atlas):
    route = site_atlas.route("southern-route")
    mekong = next(i for i, s in enumerate(route.narrative.stages) if "Mekong" in s.title)
    open_page(page, "/routes/southern-route")
    step_to(page, "southern-route", mekong)
    assert "Mekong" in names(page, "river")
    assert "Chiang Saen" in names(page, "town")
    screenshot(page, "mekong")


def test_names_show_from_their_zoom(page: Page, site_atlas):
    open_page(page, "/")
    town = next(t for t in site_atlas.towns if t.name == "Musan")
    at = f"[{town.lat}, {town.lon}]"
    page.evaluate(f"() => map_routes.setView({at}, {town.min_zoom - 1}, {{animate: false}})")
    assert "Musan" not in names(page, "town")
    page.evaluate(f"() => map_routes.setView({at}, {town.min_zoom}, {{animate: false}})")
    assert "Musan" in names(page, "town")


def test_countries_are_painted_in_their_colours(page: Page, site_atlas):
    open_page(page, "/")
    expect(page.locator(".leaflet-base-pane canvas")).to_have_count(2)
    for label in site_atlas.labels:
        country = site_atlas.country(label.iso3) if label.kind == "country" else None
        if country and country.iso3 in ("MNG", "PRK", "THA"):
            assert page.evaluate(CANVAS_COLOUR, [label.lat, label.lon]) == (
                style.ROLE_FILLS[country.role])


def test_zooming_in_loads_and_paints_the_countries_in_full_detail(page: Page, site_atlas):
    open_page(page, "/")
    detail = "() => window[mapapp.pageConfig().base.detail] !== undefined"
    assert not page.evaluate(detail), "the first view does without it"
    crossing = site_atlas.crossing("musan-nanping")
    with page.expect_response(re.compile(r"/map/\w+\.js$")):
        page.evaluate(f"() => map_routes.setView([{crossing.lat}, {crossing.lon}], 8, "
                      "{animate: false})")
    page.wait_for_function(detail)
    # Where the coarse copy and the shapes as shipped disagree near the crossing, the paint
    # follows the shapes as shipped.
    shapes = mapbuilder.web_outlines([country.shape for country in site_atlas.countries])
    coarse = mapbuilder.coarse_outlines(shapes)
    near = Point(crossing.lon, crossing.lat).buffer(0.2)
    prk = [c.iso3 for c in site_atlas.countries].index("PRK")
    gained = shapes[prk].difference(coarse[prk]).intersection(near)
    inside = max(getattr(gained, "geoms", [gained]), key=lambda part: part.area)
    at = inside.buffer(-0.003).representative_point()  # a pixel or so from its edges
    assert page.evaluate(CANVAS_COLOUR, [at.y, at.x]) == (
        style.ROLE_FILLS[site_atlas.country("PRK").role])


# -- stage markers -------------------------------------------------------------------------------
@pytest.mark.parametrize("route_id", ["southern-route", "northern-route", "dmz-route"])
def test_one_numbered_marker_per_stage_named_after_it(page: Page, site_atlas, route_id):
    route = site_atlas.route(route_id)
    open_page(page, f"/routes/{route_id}")
    expect(markers(page)).to_have_count(len(route.narrative.stages))
    for number, stage in enumerate(route.narrative.stages, start=1):
        marker = markers(page).nth(number - 1)
        expect(marker).to_have_text(str(number))
        expect(marker).to_have_attribute("role", "button")
        expect(marker).to_have_attribute("tabindex", "0")
        expect(marker).to_have_attribute("aria-label", style.stage_label(
            number, stage.title, site_atlas.place_name(stage.place)))
    expect(page.locator(".stage-marker[aria-current]")).to_have_count(0)
    open_page(page, "/")
    expect(markers(page)).to_have_count(0)


def test_the_current_stage_follows_the_story_forwards_and_back(page: Page, site_atlas):
    stages = len(site_atlas.route("southern-route").narrative.stages)
    open_page(page, "/routes/southern-route")
    story = page.locator("#story-southern-route")
    steps = [(".step-next", index) for index in range(stages)]
    steps += [(".step-prev", index) for index in range(stages - 2, -1, -1)]
    for button, index in steps:
        story.locator(button).click()
        expect(page.locator(".stage-marker[aria-current]")).to_have_count(1)
        current = markers(page).nth(index)
        expect(current).to_have_attribute("aria-current", "step")
        other = markers(page).nth((index + 1) % stages)
        assert current.bounding_box()["width"] > other.bounding_box()["width"], "drawn larger"
    story.locator(".step-prev").click()
    expect(page.locator(".stage-marker[aria-current]")).to_have_count(0)


def test_the_current_stage_follows_the_presentation(page: Page):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, "/present/southern-route")

    def check() -> None:
        stage = page.locator(".slide:visible").get_attribute("data-stage")
        expected = int(stage) if stage and stage.lstrip("-").isdigit() else -1
        assert page.evaluate(STAGE_OF_MARKER) == expected

    seen = set()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
        check()
        seen.add(page.evaluate(STAGE_OF_MARKER))
    for _ in range(6):
        page.keyboard.press("ArrowLeft")
        check()
    assert len(seen - {-1}) >= 2, "stepped through stages"


def test_the_keyboard_reaches_the_markers_and_opens_their_stages(page: Page):
    open_page(page, "/routes/southern-route")
    page.locator(".leaflet-container").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('stage-marker')"):
            break
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused and focused.startswith("Stage 1:")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "a visible focus indicator"
    page.keyboard.press("Enter")
    status = page.locator("#story-southern-route .step-status")
    expect(status).to_contain_text("Stage 1 of")
    expect(markers(page).first).to_have_attribute("aria-current", "step")
    page.keyboard.press("Tab")
    page.keyboard.press(" ")
    expect(status).to_contain_text("Stage 2 of")
    expect(markers(page).nth(1)).to_have_attribute("aria-current", "step")
    expect(markers(page).nth(1)).to_be_focused()


def test_a_click_on_a_marker_opens_its_stage_in_the_presentation(page: Page):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, "/present/southern-route")
    page.keyboard.press("ArrowRight")
    markers(page).nth(2).dispatch_event("click")
    expect(page.locator(".slide:visible")).to_have_attribute("data-stage", "2")
    assert page.evaluate(STAGE_OF_MARKER) == 2


def test_no_marker_moves_when_motion_is_reduced(page: Page):
    open_page(page, "/routes/southern-route")
    durations = markers(page).evaluate_all(
        "all => all.map(m => getComputedStyle(m).transitionDuration)")
    assert durations and set(durations) == {"0s"}


def test_axe_finds_no_violation_with_names_and_markers(page: Page):
    open_page(page, "/routes/southern-route")
    step_to(page, "southern-route", 0)
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, "/present/southern-route?step=3")
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_legend_explains_the_new_marks(page: Page):
    open_page(page, "/")
    legend = page.locator(".legend")
    for text in ("River", "Town", "Capital", "Stage of the chosen route",
                 "Border fence, wall or guard posts"):
        expect(legend).to_contain_text(text)


# -- years ---------------------------------------------------------------------------------------
def test_show_year_keeps_what_was_there_that_year(page: Page, site_atlas):
    """The map shows the lists the server wrote for a year (the year control's)."""
    open_page(page, "/")

    def shown() -> tuple[set, set]:
        routes = {r.id for r in site_atlas.routes
                  if page.locator(f"path.route-{r.id}").count()}
        barriers = {b.id for b in site_atlas.barriers
                    if page.locator(f"path.barrier-{b.id}").count()}
        return routes, barriers

    everything = ({r.id for r in site_atlas.routes}, {b.id for b in site_atlas.barriers})
    assert shown() == everything
    for year in (2003, 2012, 2024):
        page.evaluate("year => mapapp.view.showYear(JSON.parse(document.getElementById("
                      "'years-config').textContent).years[year])", str(year))
        assert shown() == ({r.id for r in site_atlas.routes if r.in_use(year)},
                           {b.id for b in site_atlas.barriers if b.in_use(year)}), year
    assert shown()[0] != everything[0] or shown()[1] != everything[1]
    page.evaluate("() => mapapp.view.showYear(null)")
    assert shown() == everything


# -- from a USB stick ----------------------------------------------------------------------------


def test_from_disk_the_details_load_and_the_markers_work(page: Page, exported):
    page.goto((exported / "routes" / "southern-route.html").as_uri())
    page.wait_for_selector("html.js-ready")
    expect(markers(page)).to_have_count(3)
    page.locator("#story-southern-route .step-next").click()
    assert "Tumen" in names(page, "river")
    page.wait_for_function("() => window[mapapp.pageConfig().base.detail] !== undefined")
    markers(page).nth(1).dispatch_event("click")
    expect(page.locator("#story-southern-route .step-status")).to_contain_text("Stage 2 of")
