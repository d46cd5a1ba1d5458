"""The Korean edition in Chromium: the map with Korean names, the presentation by keyboard, the
handout printed on A4, the export opened from disk in both languages, axe on every kind of
Korean page, the link between the editions following the reader, the English front page's
offer of the Korean edition, and Korean drawn with the font the site ships (not a system font,
not missing-glyph boxes), on a computer that has Korean fonts and on one that has none.
"""

from __future__ import annotations

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import route_ids, serve_in_thread
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sweeps import each_once, first_then_slow

from mapapp import paths
from mapapp.web import create_app

ROUTE = route_ids()[0]
SHIPPED = paths.data_dir() / "routes.geojson"
AXE = Axe()
HANGUL = re.compile(r"[\uac00-\ud7a3]")
pytestmark = pytest.mark.usefixtures("guard")


@pytest.fixture(scope="module")
def shipped():
    """The shipped data, whose catalogue has the Korean the translators wrote."""
    with serve_in_thread(create_app({"MAPAPP_DATA": str(SHIPPED)})) as url:
        yield url


NAMES = "() => [...document.querySelectorAll('.map-name-text')].map(name => name.textContent)"


def ready(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("html.js-ready")


# -- the map ------------------------------------------------------------------------------------
def test_the_korean_map_names_places_in_korean(page: Page):
    ready(page, "/ko/")
    names = page.evaluate(NAMES)
    assert {"중국", "몽골", "라오스"} <= set(names)
    assert not {"China", "Mongolia"} & set(names)
    page.evaluate("() => window.map_routes.setView([38.4, 126.8], 7, {animate: false})")
    expect(page.locator(".map-name-text", has_text="평양")).to_be_visible()
    assert {"평양", "서울"} <= set(page.evaluate(NAMES))
    label = page.locator("#map_routes").get_attribute("aria-label")
    assert label.startswith("지도.")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "확대")


# -- the twin follows the reader ----------------------------------------------------------------
def test_the_link_to_english_follows_the_route_chosen(page: Page, base_url):
    ready(page, "/ko/")
    page.click(f'a.route-link[data-route="{ROUTE}"]')
    expect(page).to_have_url(re.compile(f"/ko/routes/{ROUTE}$"))
    twin = page.locator(".masthead a.language-switch")
    twin.hover()
    expect(twin).to_have_attribute("href", f"{base_url}/routes/{ROUTE}")
    twin.click()
    expect(page).to_have_url(f"{base_url}/routes/{ROUTE}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(f"#story-{ROUTE}")).to_be_visible()


def test_the_presentation_steps_by_keyboard_and_its_twin_keeps_the_slide(page: Page, base_url):
    ready(page, f"/ko/present/{ROUTE}")
    page.locator(".deck-slides").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"\?step=3$"))
    expect(page.locator(".deck-count")).to_contain_text("슬라이드 3/")
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".deck-count")).to_contain_text("슬라이드 2/")
    twin = page.locator(".deck-controls a.language-switch")
    twin.focus()
    expect(twin).to_have_attribute("href", f"{base_url}/present/{ROUTE}?step=2")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base_url}/present/{ROUTE}?step=2")
    expect(page.locator(".deck-count")).to_contain_text("Slide 2 of")


# -- print ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("route_id", first_then_slow(route_ids(SHIPPED)))
def test_the_korean_handout_prints_on_two_a4_pages(page: Page, shipped, route_id):
    page.goto(f"{shipped}/ko/print/{route_id}")
    page.wait_for_load_state("networkidle")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(reader.pages) <= 2, f"{route_id}: {len(reader.pages)} pages"
    assert HANGUL.search(reader.pages[0].extract_text()), "Korean, as text, in the PDF"


# -- the export -----------------------------------------------------------------------------------


def test_the_export_opens_from_disk_in_both_languages(page: Page, exported):
    page.goto((exported / "index.html").as_uri())
    page.wait_for_selector("html.js-ready")
    page.locator(".masthead a.language-switch").click()
    expect(page).to_have_url((exported / "ko" / "index.html").as_uri())
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#routes-heading")).to_have_text("북한을 떠나는 경로")
    page.wait_for_selector("html.js-ready")
    expect(page.locator(".map-status")).to_be_hidden()
    page.click(f'a.route-link[data-route="{ROUTE}"]')
    expect(page).to_have_url((exported / "ko" / "routes" / f"{ROUTE}.html").as_uri())
    page.locator(".masthead a.language-switch").click()
    expect(page).to_have_url((exported / "routes" / f"{ROUTE}.html").as_uri())
    expect(page.locator(f"#story-{ROUTE} h2")).to_be_visible()


# -- axe ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/ko/", f"/ko/routes/{ROUTE}", "/ko/statistics", "/ko/about",
                                  "/ko/glossary", "/ko/timeline", "/ko/teach", "/ko/nowhere",
                                  f"/ko/present/{ROUTE}", f"/ko/print/{ROUTE}",
                                  f"/ko/embed/{ROUTE}"])
def test_axe_finds_no_violation_on_korean_pages(page: Page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    results = AXE.run(page)
    assert results.violations_count == 0, f"{path}\n{results.generate_report()}"


# -- the offer on the English front page ----------------------------------------------------------
@pytest.mark.parametrize(("locale", "shown"), [("ko-KR", True), ("en-GB", False)])
def test_a_browser_that_prefers_korean_is_offered_the_korean_edition(browser, base_url, locale,
                                                                     shown):
    context = browser.new_context(locale=locale, base_url=base_url)
    try:
        page = context.new_page()
        ready(page, "/")
        offer = page.locator(".edition-offer")
        expect(page).to_have_url(f"{base_url}/"), "never redirected"
        if not shown:
            expect(offer).to_be_hidden()
            return
        expect(offer).to_be_visible()
        expect(offer.locator("a")).to_have_attribute("href", "/ko/")
        offer.locator("button").click()
        expect(offer).to_be_hidden()
        ready(page, "/")
        expect(offer).to_be_hidden(), "closed once, not offered again"
    finally:
        context.close()


# -- the font -------------------------------------------------------------------------------------
# Laid out, then every font it asked for loaded (page.evaluate, not wait_for_function: the
# site's policy refuses the eval that Playwright's polling needs).
FONTS_LOADED = "async () => { document.body.offsetHeight; await document.fonts.ready; }"
FONTS_OF = """async selector => {
    const element = document.querySelector(selector);
    await document.fonts.ready;
    return [...document.fonts].filter(face => face.family.includes('Map Gothic'))
        .map(face => [face.weight, face.status]);
}"""


def drawn_with(page: Page, selector: str) -> list[dict]:
    """The fonts Chromium drew an element's text with (DevTools' CSS.getPlatformFontsForNode)."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_korean_is_drawn_with_the_font_the_site_ships(page: Page):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    ready(page, "/ko/")
    page.evaluate(FONTS_LOADED)
    assert ["400", "loaded"] in page.evaluate(FONTS_OF, "h1")
    fonts = [url.rsplit("/", 1)[1] for url in fetched if "/fonts/" in url]
    assert sorted(fonts) == ["map-gothic-ko-bold.woff2", "map-gothic-ko-regular.woff2"], (
        "each once: preloaded at the address the stylesheet asks for")
    heading = page.locator("#routes-heading").inner_text()
    fonts = drawn_with(page, "#routes-heading")
    shipped = [font for font in fonts if font["isCustomFont"]]
    assert [font["familyName"] for font in shipped] == ["Map Gothic"], fonts
    assert shipped[0]["glyphCount"] == len(heading.strip()), "every glyph, its spaces too"


def test_a_korean_pages_figures_are_drawn_with_the_shipped_font_too(page: Page):
    """Digits and Latin on a Korean page (a route's years, the year control's ends) come from the
    shipped font, not from a system font the browser would have to look up."""
    ready(page, "/ko/")
    page.evaluate(FONTS_LOADED)
    for selector in (".route-meta", ".year-end"):
        text = page.locator(selector).first.inner_text()
        fonts = drawn_with(page, selector)
        assert re.search(r"[0-9]", text) and fonts, (selector, text)
        assert [font["familyName"] for font in fonts] == ["Map Gothic"], (selector, fonts)


def test_an_english_page_fetches_only_the_korean_names_it_shows(page: Page):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    ready(page, "/")
    page.wait_for_load_state("networkidle")
    fonts = [url.split("?")[0].rsplit("/", 1)[1] for url in fetched if "/fonts/" in url]
    assert fonts == ["map-gothic-ko-names.woff2"]
    drawn = drawn_with(page, ".masthead a.language-switch")
    assert [font["familyName"] for font in drawn] == ["Map Gothic Names"]


def test_korean_reads_on_a_computer_without_korean_fonts(page: Page, shipped):
    """With no system font allowed to draw Hangul (the page's fonts set to the shipped one and a
    Latin-only one), every Hangul character of a translated page, interface and story, is drawn
    by the shipped font: none falls back to a missing-glyph box."""
    ready(page, f"{shipped}/ko/routes/{route_ids(SHIPPED)[0]}")
    page.evaluate("""() => {
        for (const name of ['--sans', '--serif']) {
            document.documentElement.style.setProperty(name, "'Map Gothic', 'DejaVu Sans'");
        }
    }""")
    page.evaluate(FONTS_LOADED)
    selectors = [".masthead .brand", ".site-nav li:first-child a", "#routes-heading",
                 ".story:not([hidden]) h2", ".story:not([hidden]) .lede",
                 ".story:not([hidden]) .stage-title"]
    for selector in selectors:
        text = page.locator(selector).first.inner_text()
        fonts = drawn_with(page, selector)
        drawn = sum(font["glyphCount"] for font in fonts if font["familyName"] == "Map Gothic")
        assert HANGUL.search(text) and drawn >= len(HANGUL.findall(text)), (selector, fonts)
        assert not [font for font in fonts if "Nanum" in font["familyName"]], (selector, fonts)


# -- layout ----------------------------------------------------------------------------------------
OVERFLOWING = """() => [...document.querySelectorAll('h1, h2, h3, h4, p, li, dd, a, button')]
    .filter(element => element.offsetParent && element.scrollWidth > element.clientWidth + 1
            && getComputedStyle(element).overflowX === 'visible')
    .map(element => element.tagName + ': ' + element.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize(("path", "width"), each_once(
    ["/ko/", f"/ko/routes/{route_ids(SHIPPED)[0]}", "/ko/about", "/ko/statistics", "/ko/glossary",
     "/ko/teach"], [1366, 390]))
def test_korean_pages_fit_phones_and_laptops(page: Page, shipped, path, width):
    """Korean breaks lines between words only (keep-all): no heading or paragraph may run out of
    its box, and nothing out of the screen, on a phone or a laptop (each page on one of them by
    default, the route's story on the phone; on both with --slow)."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(shipped + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(OVERFLOWING) == []


def test_the_link_to_english_keeps_the_stage_being_read(page: Page, base_url):
    ready(page, f"/ko/routes/{ROUTE}")
    page.locator(f"#story-{ROUTE} .step-next").click()
    page.locator(f"#story-{ROUTE} .step-next").click()
    expect(page).to_have_url(re.compile(f"/ko/routes/{ROUTE}#{ROUTE}-stage-2$"))
    page.locator(".masthead a.language-switch").click()
    expect(page).to_have_url(f"{base_url}/routes/{ROUTE}#{ROUTE}-stage-2")
    page.wait_for_selector("html.js-ready")
    expect(page.locator(f"#story-{ROUTE} .step-status")).to_contain_text("Stage 2 of")
    expect(page.locator(f"#{ROUTE}-stage-2")).to_be_visible()
    expect(page.locator(f"#{ROUTE}-stage-1")).to_be_hidden()
