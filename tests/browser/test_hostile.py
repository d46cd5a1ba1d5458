"""Pages built from tests/data/hostile in Chromium: no payload runs, every payload reads as text.

Each payload that could run sets `window.__pwned` or opens a dialog. A page passes when, after
it is loaded and used (tooltips opened on every shape, every stage stepped through, the lists
opened), no dialog opened, `window.__pwned` is unset, the console has no error, no request left
127.0.0.1 and the Content-Security-Policy was never violated: a blocked inline script is still an
escaping bug, only one the policy caught. Each test runs twice, the second time with the policy
switched off (Playwright's bypass_csp), to show that escaping alone holds.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
from conftest import TESTS
from playwright.sync_api import Browser, Page, expect

from mapapp.model import load_atlas
from mapapp.web import create_app
from mapapp.web.server import create_server

HOSTILE_DATA = TESTS / "data" / "hostile" / "routes.geojson"
HOSTILE = load_atlas(HOSTILE_DATA)
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module")
def hostile_url():
    server = create_server(create_app({"MAPAPP_DATA": str(HOSTILE_DATA)}), host="127.0.0.1",
                           port=0, threads=4)
    thread = threading.Thread(target=server.run, name="hostile-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(params=["policy on", "policy off"])
def hostile_page(request, browser: Browser, hostile_url):
    """A page with every guard; fails the test if anything ran, loaded or complained."""
    context = browser.new_context(bypass_csp=request.param == "policy off",
                                  reduced_motion="reduce", viewport={"width": 1440, "height": 900},
                                  base_url=hostile_url)
    page = context.new_page()
    dialogs, foreign, errors, missing = [], [], [], set()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: message.type == "error" and errors.append(
        (message.text, message.location.get("url"))))
    page.on("pageerror", lambda error: errors.append((f"uncaught: {error}", None)))
    # A 404 page is itself a "failed" load in the console: expected for the document only.
    page.on("response", lambda response: response.status == 404
            and response.request.is_navigation_request() and missing.add(response.url))

    def route(handler):
        if urlsplit(handler.request.url).hostname == "127.0.0.1":
            handler.continue_()
        else:
            foreign.append(handler.request.url)
            handler.abort()

    page.route("**/*", route)
    page.add_init_script(WATCH)
    yield page
    try:
        assert dialogs == [], "a payload opened a dialog"
        assert page.evaluate("() => window.__pwned") is None, "a payload ran"
        assert page.evaluate("() => window.__violations") == [], "the policy blocked something"
        assert foreign == [], "a request left the site"
        assert [e for e in errors if e[1] not in missing] == [], "the console has errors"
    finally:
        context.close()


def optional(page: Page, path: str) -> None:
    """Open one of the educators' pages, or skip while it does not exist."""
    response = page.goto(path)
    if response.status == 404:
        pytest.skip(f"{path} does not exist yet (educators' feature)")
    page.wait_for_load_state("networkidle")


def open_every_tooltip(page: Page) -> list[str]:
    """Focus each shape (Leaflet opens its tooltip on focus) and collect the tooltips' text."""
    texts = []
    shapes = page.locator(", ".join(["path.route", "path.crossing", "path.dmz"] + [
        f"path.country-{country.iso3}" for country in HOSTILE.described_countries]))
    for index in range(shapes.count()):
        shapes.nth(index).focus()
        tooltip = page.locator(".leaflet-tooltip").last
        if tooltip.count():
            texts.append(" ".join(tooltip.text_content().split()))
    return texts


def step_through(page: Page, route_id: str) -> None:
    story = page.locator(f"#story-{route_id}")
    following = story.locator(".step-next")
    for _ in range(len(HOSTILE.route(route_id).narrative.stages)):
        following.click()
    expect(following).to_be_disabled()


def test_the_map_page_runs_nothing_and_shows_every_payload(hostile_page: Page):
    page = hostile_page
    page.goto("/")
    page.wait_for_selector("html.js-ready")
    for route in HOSTILE.routes:
        expect(page.locator(f'a.route-link[data-route="{route.id}"] .route-title')).to_have_text(
            route.title)
    page.locator(".map-contents summary").click()
    contents = page.locator(".map-contents")
    for country in HOSTILE.described_countries:
        expect(contents).to_contain_text(f"{country.name}, ")
        expect(contents).to_contain_text(country.policy)
    for crossing in HOSTILE.crossings:
        expect(contents).to_contain_text(crossing.name)
    expect(page.locator(".legend")).to_contain_text(HOSTILE.dmz[0].name)

    tooltips = " | ".join(open_every_tooltip(page))
    for crossing in HOSTILE.crossings:
        assert crossing.name in tooltips, crossing.name
    for feature in HOSTILE.dmz:
        assert feature.name in tooltips, feature.name
    for country in HOSTILE.described_countries:
        assert country.name in tooltips, country.name


def test_route_titles_run_nothing_in_their_tooltips_and_the_title(hostile_page: Page):
    page = hostile_page
    page.goto("/")
    page.wait_for_selector("html.js-ready")
    for route in HOSTILE.routes:
        path = page.locator(f"path.route-{route.id}").first
        path.focus()
        expect(page.locator(".leaflet-tooltip").last).to_have_text(route.title)
        page.click(f'a.route-link[data-route="{route.id}"]')
        expect(page).to_have_title(f"{route.title} · Escape routes from North Korea")
        expect(page.locator(f"#story-{route.id} h2")).to_have_text(route.title)
        expect(page.locator(f"#story-{route.id} .lede")).to_have_text(route.summary)


@pytest.mark.parametrize("route_id", [route.id for route in HOSTILE.routes])
def test_narratives_run_nothing_and_read_as_text_stage_by_stage(hostile_page: Page, route_id):
    page = hostile_page
    page.goto(f"/routes/{route_id}")
    page.wait_for_selector("html.js-ready")
    story = page.locator(f"#story-{route_id}")
    route = HOSTILE.route(route_id)
    if route.narrative.content_note:
        expect(story.locator(".content-note")).to_contain_text(route.narrative.content_note)
    for question in route.narrative.questions:
        expect(story.locator(".questions")).to_contain_text(question)
    for source in route.sources:
        link = story.locator(".route-sources a", has_text=source.title)
        expect(link).to_have_attribute("href", source.url)
    step_through(page, route_id)
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


@pytest.mark.parametrize("path", ["/statistics", "/about", "/routes/%3Cimg%20src%3Dx%20onerror"
                                  "%3Dwindow.__pwned%3D1%3E"])
def test_other_pages_run_nothing(hostile_page: Page, path):
    page = hostile_page
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_be_visible()
    if path.startswith("/routes/"):
        expect(page.locator("main .lede")).to_contain_text("<img src=x onerror=window.__pwned=1>")
    else:
        expect(page.locator("main")).to_contain_text(HOSTILE.figures[0].source.title)


@pytest.mark.parametrize("path", ["/present", f"/present/{HOSTILE.routes[0].id}",
                                  f"/print/{HOSTILE.routes[0].id}",
                                  f"/embed/{HOSTILE.routes[0].id}"])
def test_the_educators_pages_run_nothing(hostile_page: Page, path):
    page = hostile_page
    optional(page, path)
    route = HOSTILE.routes[0]
    expect(page.locator("body")).to_contain_text(route.title)
    open_every_tooltip(page)
    for key in ("ArrowRight", "ArrowRight", "PageDown", " "):
        page.keyboard.press(key)
