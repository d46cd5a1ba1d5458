"""Pages built from tests/data/hostile in Chromium: no payload runs, every payload reads as text.

Each payload that could run sets `window.__pwned` or opens a dialog. A page passes when, after
it is loaded and used (tooltips opened on every shape, every stage stepped through, the lists
opened), no dialog opened, `window.__pwned` is unset, the console has no error, no request left
127.0.0.1 and the Content-Security-Policy was never violated: a blocked inline script is still an
escaping bug, only one the policy caught. Each test runs twice, the second time with the policy
switched off (Playwright's bypass_csp), to show that escaping alone holds; that second run comes
with --slow (CI runs it), since the first already fails on anything the policy had to block.
"""

from __future__ import annotations

import pytest
from helpers import HOSTILE_DATA, PageGuard, route_ids, serve_in_thread
from playwright.sync_api import Browser, Page, expect

from mapapp.web import create_app

ROUTES = route_ids(HOSTILE_DATA)
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module")
def hostile_url():
    """The hostile data served as `mapapp serve` serves it (not in testing mode)."""
    with serve_in_thread(create_app({"MAPAPP_DATA": str(HOSTILE_DATA)})) as url:
        yield url


@pytest.fixture(params=["policy on", pytest.param("policy off", marks=pytest.mark.slow)])
def hostile_page(request, browser: Browser, hostile_url):
    """A page with every guard; fails the test if anything ran, loaded or complained."""
    context = browser.new_context(bypass_csp=request.param == "policy off",
                                  reduced_motion="reduce", viewport={"width": 1440, "height": 900},
                                  base_url=hostile_url)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    guard = PageGuard.watch(page)
    page.add_init_script(WATCH)
    yield page
    try:
        assert dialogs == [], "a payload opened a dialog"
        assert page.evaluate("() => window.__pwned") is None, "a payload ran"
        assert page.evaluate("() => window.__violations") == [], "the policy blocked something"
        guard.check()
    finally:
        context.close()


def open_every_tooltip(page: Page, atlas) -> list[str]:
    """Focus each shape (Leaflet opens its tooltip on focus), point at each country (painted on
    a canvas, which names the country under the pointer) and collect the tooltips' text."""
    texts = []

    def read() -> None:
        tooltip = page.locator(".leaflet-tooltip").last
        if tooltip.count():
            texts.append(" ".join(tooltip.text_content().split()))

    shapes = page.locator("path.route, path.crossing, path.dmz")
    for index in range(shapes.count()):
        shapes.nth(index).focus()
        read()
    container = page.locator(".leaflet-container")
    if not container.count():  # a page without the live map (the handout draws SVG)
        return texts
    box = container.bounding_box()
    for country in atlas.described_countries:
        at = country.shape.representative_point()
        page.evaluate("([lat, lon]) => map_routes.setView([lat, lon], 6, {animate: false})",
                      [at.y, at.x])
        page.mouse.move(box["x"] + 5, box["y"] + box["height"] - 5)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        read()
    return texts


def step_through(page: Page, atlas, route_id: str) -> None:
    story = page.locator(f"#story-{route_id}")
    following = story.locator(".step-next")
    for _ in range(len(atlas.route(route_id).narrative.stages)):
        following.click()
    expect(following).to_be_disabled()


def test_the_map_page_runs_nothing_and_shows_every_payload(hostile_page: Page, hostile_atlas):
    page = hostile_page
    page.goto("/")
    page.wait_for_selector("html.js-ready")
    for route in hostile_atlas.routes:
        expect(page.locator(f'a.route-link[data-route="{route.id}"] .route-title')).to_have_text(
            route.title)
    page.locator(".map-contents summary").click()
    contents = page.locator(".map-contents")
    for country in hostile_atlas.described_countries:
        expect(contents).to_contain_text(f"{country.name}, ")
        expect(contents).to_contain_text(country.policy)
    for crossing in hostile_atlas.crossings:
        expect(contents).to_contain_text(crossing.name)
    expect(page.locator(".legend")).to_contain_text(hostile_atlas.dmz[0].name)

    tooltips = " | ".join(open_every_tooltip(page, hostile_atlas))
    for crossing in hostile_atlas.crossings:
        assert crossing.name in tooltips, crossing.name
    for feature in hostile_atlas.dmz:
        assert feature.name in tooltips, feature.name
    for country in hostile_atlas.described_countries:
        assert country.name in tooltips, country.name


def test_route_titles_run_nothing_in_their_tooltips_and_the_title(hostile_page: Page, hostile_atlas):
    page = hostile_page
    page.goto("/")
    page.wait_for_selector("html.js-ready")
    for route in hostile_atlas.routes:
        path = page.locator(f"path.route-{route.id}").first
        path.focus()
        expect(page.locator(".leaflet-tooltip").last).to_have_text(route.title)
        page.click(f'a.route-link[data-route="{route.id}"]')
        expect(page).to_have_title(f"{route.title} · Escape routes from North Korea")
        expect(page.locator(f"#story-{route.id} h2")).to_have_text(route.title)
        expect(page.locator(f"#story-{route.id} .lede")).to_have_text(route.summary)


@pytest.mark.parametrize("route_id", ROUTES)
def test_narratives_run_nothing_and_read_as_text_stage_by_stage(hostile_page: Page, hostile_atlas, route_id):
    page = hostile_page
    page.goto(f"/routes/{route_id}")
    page.wait_for_selector("html.js-ready")
    story = page.locator(f"#story-{route_id}")
    route = hostile_atlas.route(route_id)
    if route.narrative.content_note:
        expect(story.locator(".content-note")).to_contain_text(route.narrative.content_note)
    for question in route.narrative.questions:
        expect(story.locator(".questions")).to_contain_text(question)
    for source in route.sources:
        link = story.locator(".route-sources a", has_text=source.title)
        expect(link).to_have_attribute("href", source.url)
    step_through(page, hostile_atlas, route_id)
    if route_id == "southern-route":
        page.locator(f"#story-{route_id} .step-prev").click()
        page.locator(f"#story-{route_id} .step-prev").click()  # back to the first stage
        stage = story.locator(".stage:visible")
        for text in ("Body <svg onload=window.__pwned=50>", "<script>window.__pwned=49</script>",
                     route.narrative.stages[0].title):
            expect(stage).to_contain_text(text)
        page.locator(f"#story-{route_id} .step-prev").click()  # the overview
        intro = story.locator(".story-overview .prose")
        for text in ("Intro <script>window.__pwned=42</script>",
                     "[click me](javascript:window.__pwned=44)", "{{ 7*7 }}",
                     "<div><b>unclosed <i>italics </article></section></main>",
                     "<!-- a comment that never closes"):
            expect(intro).to_contain_text(text)
        hrefs = story.locator(".prose a[href]").evaluate_all("links => links.map(a => a.href)")
        assert hrefs and all(href.startswith(("http://", "https://")) for href in hrefs)


@pytest.mark.parametrize("path", ["/statistics", "/about", "/glossary",
                                  "/routes/%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E",
                                  "/ko/statistics", "/ko/about"])  # untranslated: marked English
def test_other_pages_run_nothing(hostile_page: Page, hostile_atlas, path):
    page = hostile_page
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_be_visible()
    if path.startswith("/routes/"):
        expect(page.locator("main .lede")).to_contain_text("<img src=x onerror=window.__pwned=1>")
    elif path == "/glossary":
        [term] = hostile_atlas.glossary.terms
        expect(page.locator(f"#{term.id} h2")).to_have_text(term.term)
        page.locator(".glossary-index a").focus()
        page.keyboard.press("Enter")
    else:
        expect(page.locator("main")).to_contain_text(hostile_atlas.figures[0].source.title)


@pytest.mark.parametrize("path", ["/present", f"/present/{ROUTES[0]}", f"/print/{ROUTES[0]}",
                                  f"/embed/{ROUTES[0]}", f"/ko/present/{ROUTES[0]}",
                                  f"/ko/print/{ROUTES[0]}"])
def test_the_educators_pages_run_nothing(hostile_page: Page, hostile_atlas, path):
    page = hostile_page
    page.goto(path)
    page.wait_for_load_state("networkidle")
    route = hostile_atlas.routes[0]
    expect(page.locator("body")).to_contain_text(route.title)
    open_every_tooltip(page, hostile_atlas)
    for key in ("ArrowRight", "ArrowRight", "PageDown", " "):
        page.keyboard.press(key)
