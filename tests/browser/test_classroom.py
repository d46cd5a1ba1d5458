"""For educators, in Chromium: decks driven by the keys a keyboard and a clicker send, every slide
of the shipped decks on a projector's screen, the blank keys and Esc, decks of chosen and of
compared routes, the handout and worksheets printed to PDF on A4 and US Letter, the embed framed
by a class page on a server and on disk, the guide linked from every page's header, axe on the
new pages.

Every test runs under the guard of tests/browser/conftest.py (nothing leaves 127.0.0.1, no
console error), on a 16:9 screen with reduced motion unless it says otherwise. The tests of
what must hold for the content a class sees (slides that fit, handouts of two pages, names on
the printed map) run on the shipped data, served with a public address; the others on the
small dataset of tests/data/site.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from itertools import combinations
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import route_ids, serve_in_thread, static_server
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sweeps import each_once, first_then_slow

from mapapp import paths
from mapapp.model import load_atlas
from mapapp.web import create_app, deck

DECK = "/present/southern-route"
SHIPPED = paths.data_dir() / "routes.geojson"
SHIPPED_ROUTES = route_ids(SHIPPED)
PUBLIC = "https://example.org/escape-routes"
AXE = Axe()
pytestmark = [pytest.mark.usefixtures("guard"),
              pytest.mark.browser_context_args(viewport={"width": 1920, "height": 1080})]


@pytest.fixture(scope="module")
def southern(site_atlas):
    return site_atlas.route("southern-route")


@pytest.fixture(scope="module")
def total(site_atlas, southern) -> int:
    """The number of slides of the southern route's deck."""
    return len(deck.route_deck(site_atlas, southern))


@pytest.fixture(scope="module")
def shipped_atlas():
    return load_atlas(SHIPPED)


@pytest.fixture(scope="module")
def shipped():
    """The shipped data, served with a public address (as a school would serve it)."""
    with serve_in_thread(create_app({"MAPAPP_DATA": str(SHIPPED),
                                     "MAPAPP_PUBLIC_URL": PUBLIC})) as url:
        yield url


def open_deck(page: Page, path: str = DECK) -> None:
    page.goto(path)
    page.wait_for_selector("html.js-ready")


def expect_slide(page: Page, number: int, total: int) -> None:
    expect(page.locator(f"#slide-{number}")).to_be_visible()
    expect(page.locator(".slide:visible")).to_have_count(1)
    expect(page).to_have_url(re.compile(rf"\?step={number}$"))
    expect(page.locator(".deck-count")).to_have_text(f"Slide {number} of {total}")


def expect_view(page: Page, route_id: str | None, stage: int) -> None:
    """The map shows the view the page's configuration gives this slide: inside its bounds, or
    centred on its town at the stage zoom."""
    shown = page.evaluate("""([routeId, stage]) => {
        const config = JSON.parse(document.getElementById('map-config').textContent);
        const route = config.routes[routeId];
        const view = !route ? {bounds: config.overview}
            : stage >= 0 ? route.stages[stage] : {bounds: route.bounds};
        const map = window.map_routes, centre = map.getCenter();
        if (view.center) {
            return Math.abs(centre.lat - view.center[0]) < 0.05
                && Math.abs(centre.lng - view.center[1]) < 0.05
                && map.getZoom() === config.stageZoom;
        }
        return L.latLngBounds(view.bounds).contains(centre)
            && map.getBounds().contains(L.latLngBounds(view.bounds));
    }""", [route_id, stage])
    assert shown, (route_id, stage)


def slide_of(page: Page, kind: str, stage: int = -1) -> int:
    """The number of the first slide of a kind (and stage) in the open deck."""
    return page.evaluate("""([kind, stage]) => 1 + [...document.querySelectorAll('.slide')]
        .findIndex(s => s.classList.contains('slide-' + kind) && +s.dataset.stage === stage)""",
                         [kind, stage])


# -- stepping ----------------------------------------------------------------------------------
def test_keyboard_and_clicker_keys_step_through_the_route(page: Page, southern, total):
    open_deck(page)
    expect_slide(page, 1, total)
    expect(page.locator("#slide-1 h2")).to_have_text(southern.title)
    expect_view(page, "southern-route", -1)
    first_stage = slide_of(page, "stage", 0)
    for key in ["ArrowRight", "PageDown", " ", "ArrowDown"][:first_stage - 1]:
        page.keyboard.press(key)
    expect_slide(page, first_stage, total)
    expect_view(page, "southern-route", 0)
    for key, number in [("PageUp", first_stage - 1), ("End", total), ("ArrowLeft", total - 1),
                        ("Home", 1)]:
        page.keyboard.press(key)
        expect_slide(page, number, total)
    legs = len(southern.legs)
    assert page.locator("path.route-southern-route.route-selected").count() == legs


def test_the_stage_slides_tell_the_stages_and_the_last_ones_ask_and_cite(page: Page, southern,
                                                                          total):
    open_deck(page)
    titles = []
    for _ in range(total - 1):
        page.keyboard.press("PageDown")
        titles.append(page.locator(".slide:visible h2").inner_text())
    stages = [stage.title for stage in southern.narrative.stages]
    assert [t for t in dict.fromkeys(titles) if t in stages] == stages
    assert titles[-3:] == ["Questions for discussion", "Sources", "Explore the map"]
    page.keyboard.press("Home")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".slide:visible .questions li")).to_have_text(
        list(southern.narrative.questions))


def test_a_reload_keeps_the_place(page: Page, total):
    open_deck(page, f"{DECK}?step=3")
    expect_slide(page, 3, total)
    page.keyboard.press("ArrowRight")
    expect_slide(page, 4, total)
    page.reload()
    page.wait_for_selector("html.js-ready")
    expect_slide(page, 4, total)


@pytest.mark.browser_context_args(java_script_enabled=False,
                                   viewport={"width": 1920, "height": 1080})
def test_without_javascript_the_server_renders_every_step(page: Page):
    page.goto(f"{DECK}?step=3")
    expect(page.locator("#slide-3")).to_be_visible()
    expect(page.locator(".slide:visible")).to_have_count(1)
    page.click(".deck-next")
    expect(page).to_have_url(re.compile(r"\?step=4$"))
    expect(page.locator("#slide-4")).to_be_visible()
    page.click(".deck-prev")
    expect(page.locator("#slide-3")).to_be_visible()
    expect(page.locator(".deck-fullscreen")).to_be_hidden()


def test_the_buttons_step_stop_at_either_end_and_keep_their_rel(page: Page, total):
    open_deck(page)
    expect(page.locator(".deck-prev")).to_have_attribute("aria-disabled", "true")
    page.click(".deck-prev")
    expect_slide(page, 1, total)
    for number in range(2, total + 1):
        page.click(".deck-next")
        expect_slide(page, number, total)
    expect(page.locator(".deck-next")).to_have_attribute("aria-disabled", "true")
    expect(page.locator(".deck-next")).not_to_have_attribute("rel", "next")
    page.click(".deck-next")
    expect_slide(page, total, total)
    page.click(".deck-prev")
    expect_slide(page, total - 1, total)
    expect(page.locator(".deck-next")).to_have_attribute("rel", "next")
    expect(page.locator(".deck-prev")).to_have_attribute("rel", "prev")


def test_space_on_the_focused_next_button_steps_once(page: Page, total):
    open_deck(page)
    page.focus(".deck-next")
    page.keyboard.press(" ")
    expect_slide(page, 2, total)
    page.keyboard.press("Enter")  # the link's own activation: one step too
    expect_slide(page, 3, total)


def test_the_map_flies_to_each_stage_unless_motion_is_reduced(page: Page):
    open_deck(page)
    first_stage = slide_of(page, "stage", 0)
    page.goto(f"{DECK}?step={first_stage - 1}")
    page.wait_for_selector("html.js-ready")
    page.evaluate("""() => { window.zoomSteps = 0; window.zoomEnded = false;
        window.map_routes.on('zoom', () => { window.zoomSteps += 1; });
        window.map_routes.on('zoomend', () => { window.zoomEnded = true; }); }""")
    page.keyboard.press("ArrowRight")
    expect_view(page, "southern-route", 0)
    assert page.evaluate("() => window.zoomSteps") <= 1, "reduced motion: one jump"
    page.emulate_media(reduced_motion="no-preference")
    page.evaluate("() => { window.zoomSteps = 0; window.zoomEnded = false; }")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => window.zoomEnded && window.zoomSteps > 3")


# -- blank keys and Esc ----------------------------------------------------------------------
def blank_colour(page: Page) -> str | None:
    return page.evaluate("""() => { const b = document.querySelector('.deck-blank');
        return b.hidden ? null : getComputedStyle(b).backgroundColor; }""")


def test_b_and_w_blank_the_screen_and_any_key_brings_the_slide_back(page: Page, total):
    open_deck(page, f"{DECK}?step=2")
    black, white = "rgb(0, 0, 0)", "rgb(255, 255, 255)"
    for key, colour in [("b", black), (".", black), ("w", white), (",", white), ("B", black)]:
        page.keyboard.press(key)
        assert blank_colour(page) == colour, key
        expect(page.locator(".deck-blank")).to_be_visible()
        covered = page.evaluate("""() => { const r = document.querySelector('.deck-blank')
            .getBoundingClientRect(); return r.width >= innerWidth && r.height >= innerHeight; }""")
        assert covered
        expect(page.locator(".deck-announce")).not_to_have_text("")
        page.keyboard.press(key)  # the same key again
        assert blank_colour(page) is None
    page.keyboard.press("b")
    page.keyboard.press("ArrowRight")  # shows the slide again, and does not step
    assert blank_colour(page) is None
    expect_slide(page, 2, total)
    page.keyboard.press("w")
    page.mouse.click(200, 200)
    assert blank_colour(page) is None
    expect_slide(page, 2, total)


def test_escape_leaves_full_screen_and_never_the_deck(page: Page, total):
    open_deck(page, f"{DECK}?step=3")
    button = page.locator(".deck-fullscreen")
    button.click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    expect(button).to_have_text("Exit full screen")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.fullscreenElement === null")
    expect(button).to_have_text("Full screen")
    expect_slide(page, 3, total)
    for _ in range(3):
        page.keyboard.press("Escape")
    expect_slide(page, 3, total)
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement !== null")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.fullscreenElement === null")
    expect_slide(page, 3, total)
    page.click(".deck-leave")
    expect(page).to_have_url(re.compile(r"/routes/southern-route$"))


# -- decks of chosen and compared routes ---------------------------------------------------------
def test_a_deck_of_chosen_routes_steps_through_them_alone(page: Page, site_atlas):
    chosen = [site_atlas.route("dmz-route"), site_atlas.route("southern-route")]
    slides = deck.routes_deck(site_atlas, chosen)
    open_deck(page, "/present?routes=dmz-route,southern-route")
    seen = []
    for number in range(1, len(slides) + 1):
        expect(page.locator(".deck-count")).to_have_text(f"Slide {number} of {len(slides)}")
        seen.append(page.locator(".slide:visible").get_attribute("data-route"))
        page.keyboard.press("ArrowRight")
    assert [r for r in dict.fromkeys(seen) if r] == ["dmz-route", "southern-route"]
    expect(page.locator(".slide-intro li")).to_have_text([route.title for route in chosen])


def test_two_routes_compared_show_both_sides_on_every_slide(page: Page, site_atlas):
    open_deck(page, "/present/compare/southern-route/dmz-route")
    slides = page.locator(".slide")
    for number in range(1, slides.count() + 1):
        slide = page.locator(f"#slide-{number}")
        if "slide-compare" in slide.get_attribute("class"):
            expect(slide.locator(".column h3")).to_have_text(
                [site_atlas.route("southern-route").title, site_atlas.route("dmz-route").title])
        page.keyboard.press("PageDown")


FIT = """() => {
    const container = document.querySelector('.deck-slides');
    const slides = [...container.querySelectorAll('.slide')];
    const shown = slides.map(s => s.hidden);
    const found = [];
    for (const slide of slides) {
        slides.forEach(s => { s.hidden = s !== slide; });
        let smallest = Infinity, where = '';
        const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const element = walker.currentNode.parentElement;
            if (!walker.currentNode.textContent.trim() || element.closest('svg')) continue;
            const size = parseFloat(getComputedStyle(element).fontSize);
            if (size < smallest) { smallest = size; where = element.tagName; }
        }
        found.push({id: slide.id, title: slide.querySelector('h2').textContent,
                    overflow: container.scrollHeight - container.clientHeight,
                    wide: Math.max(document.documentElement.scrollWidth - innerWidth,
                                   container.scrollWidth - container.clientWidth),
                    smallest, where,
                    heading: parseFloat(getComputedStyle(slide.querySelector('h2')).fontSize),
                    controls: document.querySelector('.deck-controls')
                        .getBoundingClientRect().bottom});
    }
    slides.forEach((s, i) => { s.hidden = shown[i]; });
    return found;
}"""


def check_fit(page: Page, url: str, width: int, height: int) -> int:
    """Every slide of the deck at `url`: nothing scrolls or runs off the screen, the text is at
    least 28 px at 1280×720 (scaled with the screen) and the headings larger."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector("html.js-ready")
    smallest = 28 * min(width / 1280, height / 720) - 0.5
    slides = page.evaluate(FIT)
    for slide in slides:
        assert slide["overflow"] <= 0 and slide["wide"] <= 0, (url, slide)
        assert slide["controls"] <= height, (url, slide)
        assert slide["smallest"] >= smallest, (url, slide)
        assert slide["heading"] >= 1.25 * slide["smallest"], (url, slide)
    return len(slides)


SCREENS = [(1280, 720), (1920, 1080)]


@pytest.mark.parametrize(("path", "width", "height"), each_once([
    "/present", "/present/southern-route", "/present/compare/southern-route/northern-route",
    "/present?routes=dmz-route,sea-route&context=1",
    # Korean: wider characters, lines broken between words only
    "/ko/present", "/ko/present/southern-route",
    "/ko/present/compare/southern-route/northern-route"], SCREENS))
def test_every_slide_fits_a_projector_in_large_type(page: Page, shipped, path, width, height):
    assert check_fit(page, shipped + path, width, height) > 3


@pytest.fixture(scope="module")
def unpublished():
    """The shipped data served with no public address (a teacher's own computer): the closing
    slide then says how to give the site one instead of showing it."""
    with serve_in_thread(create_app({"MAPAPP_DATA": str(SHIPPED)})) as url:
        yield url


@pytest.mark.parametrize(("path", "width", "height"), each_once(
    ["/present/southern-route", "/ko/present/southern-route"], SCREENS))
def test_a_deck_without_a_public_address_fits_a_projector_in_large_type(page: Page, unpublished,
                                                                        path, width, height):
    assert check_fit(page, unpublished + path, width, height) > 3
    assert page.locator(".setup-note code").count() == 2, "the closing slide's note is checked"


@pytest.mark.slow
@pytest.mark.parametrize("route_id", SHIPPED_ROUTES)
def test_every_route_deck_and_comparison_fits_both_screens(page: Page, shipped, route_id):
    paths_ = [f"/present/{route_id}"] + [f"/present/compare/{a}/{b}" for a, b in
                                         combinations(SHIPPED_ROUTES, 2) if a == route_id]
    for path in paths_:
        for width, height in SCREENS:
            check_fit(page, shipped + path, width, height)


# -- printing ----------------------------------------------------------------------------------
def pdf_pages(page: Page, paper: str) -> list[str]:
    """The page printed to PDF on `paper`: each page's text, ligatures undone, spaces gone (long
    addresses break across lines)."""
    reader = PdfReader(io.BytesIO(page.pdf(format=paper)))
    return ["".join(unicodedata.normalize("NFKC", p.extract_text()).split())
            for p in reader.pages]


def flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("route_id", first_then_slow(SHIPPED_ROUTES))
def test_every_handout_prints_on_two_pages_with_everything_on_them(page: Page, shipped,
                                                                     shipped_atlas, route_id,
                                                                     paper):
    route = shipped_atlas.route(route_id)
    page.goto(f"{shipped}/print/{route_id}")
    printed = pdf_pages(page, paper)
    assert len(printed) <= 2, f"{route_id} on {paper}: {len(printed)} pages"
    text = "".join(printed)
    assert flat(route.title) in text
    for stage in route.narrative.stages:
        assert flat(stage.title) in text and flat(stage.duration) in text
    for question in route.narrative.questions:
        assert flat(question) in text
    for reference in deck.source_references(route):
        assert flat(reference) in text
    assert flat(f"{PUBLIC}/routes/{route_id}") in text, "the QR code's address"
    for chrome in ("Skip to the content", "It prints on A4", "Statistics", "127.0.0.1"):
        assert flat(chrome) not in text, chrome


def test_without_a_public_address_the_handout_says_so_on_screen_and_prints_no_address(
        page: Page, live_server):
    page.goto("/print/southern-route")
    expect(page.locator(".setup-note")).to_be_visible()
    expect(page.locator(".qr-code")).to_have_count(0)
    text = "".join(pdf_pages(page, "A4"))
    assert "127.0.0.1" not in text and "MAPAPP_PUBLIC_URL" not in text


@pytest.mark.parametrize("route_id", first_then_slow(SHIPPED_ROUTES))
def test_stage_markers_never_cover_the_printed_maps_names(page: Page, shipped, route_id):
    page.goto(f"{shipped}/print/{route_id}")
    overlaps = page.evaluate("""() => {
        const svg = document.querySelector('svg.print-map');
        const box = (e) => { const b = e.getBBox(); return [b.x, b.y, b.x + b.width,
                                                             b.y + b.height]; };
        const meet = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
        const names = [...svg.querySelectorAll('text.map-label')].map(t => [t.textContent,
                                                                             box(t)]);
        const markers = [...svg.querySelectorAll('.stage-marker circle')].map(box);
        const found = [];
        names.forEach(([name, b], i) => {
            markers.forEach((m, j) => { if (meet(b, m)) found.push([name, 'marker ' + (j + 1)]); });
            names.slice(i + 1).forEach(([other, c]) => { if (meet(b, c)) found.push([name, other]); });
        });
        return {found, names: names.length, markers: markers.length};
    }""")
    assert overlaps["names"] > 5 and overlaps["markers"] > 0
    assert overlaps["found"] == [], overlaps["found"]


@pytest.mark.parametrize("path", ["/print/southern-route/worksheet",
                                  "/print/compare/southern-route/northern-route"])
def test_a_worksheet_keeps_its_answer_key_on_pages_of_its_own(page: Page, shipped, shipped_atlas,
                                                               path):
    atlas = shipped_atlas
    page.goto(shipped + path)
    printed = pdf_pages(page, "A4")
    key = next(i for i, text in enumerate(printed) if "Answerkey(fortheteacher)" in text)
    assert printed[key].startswith("Answerkey"), "the key starts a page"
    routes = [atlas.route(i) for i in re.findall(r"(\w+-route)", path)]
    students, answers = "".join(printed[:key]), "".join(printed[key:])
    for route in routes:
        assert flat(route.title) in students
        for stage in route.narrative.stages:
            if len(routes) == 1:  # one route's worksheet asks stage by stage
                assert flat(stage.title) in students
            assert flat(stage.dangers) not in students and flat(stage.dangers) in answers


# -- embedding ---------------------------------------------------------------------------------
@pytest.fixture
def lesson(page: Page, tmp_path) -> Iterator:
    """Opens a class page that frames a URL, from a server (served from this machine, Chromium
    lets no public page frame a loopback address, but another origin, localhost:<port>, than the
    site's) or from disk (file://)."""
    def open_lesson(frame_url: str, from_disk: bool = False) -> None:
        file = tmp_path / "lesson.html"
        file.write_text(f'<!doctype html><title>Lesson</title><h1>Lesson</h1><iframe '
                        f'src="{frame_url}" title="Map" width="800" height="600"></iframe>')
        if from_disk:
            page.goto(file.as_uri())
        else:
            page.route(f"{origin}/**", lambda route: route.continue_())
            page.goto(f"{origin}/lesson.html")

    with static_server(tmp_path) as url:
        origin = f"http://localhost:{urlsplit(url).port}"
        yield open_lesson


@pytest.fixture
def local_files(tmp_path) -> list[str]:
    return [tmp_path.as_uri() + "/"]


@pytest.mark.parametrize("from_disk", [False, True], ids=["from a server", "from disk"])
def test_a_class_page_can_frame_the_route_alone(page: Page, southern, live_server, lesson,
                                                from_disk):
    lesson(f"{live_server}/embed/southern-route", from_disk)
    frame = page.frame_locator("iframe")
    expect(frame.locator("html.js-ready")).to_have_count(1)
    expect(frame.locator("path.route-southern-route")).to_have_count(len(southern.legs))
    expect(frame.locator(".content-note")).to_contain_text(southern.narrative.content_note)
    link = frame.locator("a.embed-open")
    expect(link).to_have_attribute("target", "_blank")
    expect(frame.locator(".map-status")).to_be_hidden()


def test_the_other_pages_refuse_to_be_framed(page: Page, live_server, lesson, guard):
    lesson(f"{live_server}/routes/southern-route")
    expect(page.locator("h1")).to_have_text("Lesson")  # loaded, and so has its frame
    assert page.frames[1].url.startswith("chrome-error://"), "the frame was refused"
    assert guard.forgive(lambda error: "frame-ancestors 'none'" in error), (
        "Chromium reports the refusal")


def test_the_embed_box_copies_its_code(page: Page, context, live_server):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/routes/southern-route")
    page.wait_for_selector("html.js-ready")
    box = page.locator("#story-southern-route .embed-box")
    teach = page.locator("#story-southern-route .teach")
    assert teach.locator(":scope > *").nth(1).get_attribute("class") == "embed-box", "on top"
    box.locator(".copy-button").click()
    expect(box.locator(".copy-status")).to_have_text("Copied")
    code = box.locator("textarea").input_value()
    assert page.evaluate("() => navigator.clipboard.readText()") == code
    assert code.startswith(f'<iframe src="{live_server}/embed/southern-route"')



def test_from_a_usb_stick_the_embed_box_gives_a_code_that_works_on_this_computer(
        page: Page, exported, tmp_path, guard):
    guard.local += (exported.as_uri() + "/", tmp_path.as_uri() + "/")
    page.goto((exported / "routes" / "southern-route.html").as_uri())
    page.wait_for_selector("html.js-ready")
    box = page.locator("#story-southern-route .embed-box")
    expect(box.locator(".embed-help")).to_contain_text("This copy of the map has no public address")
    code = box.locator("textarea").input_value()
    address = (exported / "embed" / "southern-route.html").as_uri()
    assert code.startswith(f'<iframe src="{address}"'), code
    lesson = tmp_path / "lesson.html"
    lesson.write_text(f"<!doctype html><title>Lesson</title>{code}")
    page.goto(lesson.as_uri())
    frame = page.frame_locator("iframe")
    expect(frame.locator("html.js-ready")).to_have_count(1)
    expect(frame.locator("path.route-southern-route")).not_to_have_count(0)


def test_from_a_usb_stick_a_deck_of_chosen_routes_keeps_them_alone(page: Page, exported, guard,
                                                                  site_atlas):
    guard.local += (exported.as_uri() + "/",)
    page.goto((exported / "present.html").as_uri() + "?routes=dmz-route")
    page.wait_for_selector("html.js-ready")
    routes = page.evaluate("""() => [...document.querySelectorAll('.slide')]
        .map(s => s.dataset.route || '')""")
    assert set(routes) == {"", "dmz-route"}
    total = len(routes)
    expect(page.locator(".deck-count")).to_have_text(f"Slide 1 of {total}")
    page.keyboard.press("End")
    expect(page.locator(".deck-count")).to_have_text(f"Slide {total} of {total}")
    expect(page.locator(".slide:visible")).to_have_class(re.compile("slide-end"))


# -- the guide ---------------------------------------------------------------------------------
# One header for every page (base.html): the map page by default, the others with --slow.
@pytest.mark.parametrize("path", first_then_slow(["/", "/routes/southern-route", "/statistics",
                                                  "/about", "/glossary", "/print/southern-route",
                                                  "/nowhere", "/teach"]))
def test_the_guide_is_linked_from_every_page_header(page: Page, path):
    page.goto(path)
    link = page.locator("header.masthead nav a", has_text="For teachers")
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(re.compile(r"/teach$"))
    expect(page.locator("h1")).to_have_text("Teaching with this map")


def test_the_guide_puts_a_comparison_together(page: Page, site_atlas):
    page.goto("/teach")
    form = page.locator("form.compare-form")
    form.locator("select").nth(0).select_option("dmz-route")
    form.locator("select").nth(1).select_option("dmz-route")
    form.locator("button", has_text="Present the comparison").click()
    expect(form.locator(".form-status")).to_have_text("Choose two different routes.")
    form.locator("select").nth(1).select_option("southern-route")
    form.locator("button", has_text="Print the comparison worksheet").click()
    expect(page).to_have_url(re.compile(r"/print/compare/dmz-route/southern-route$"))
    page.go_back()
    page.locator("form.deck-form input[value='southern-route']").check()
    page.locator("form.deck-form button").click()
    expect(page).to_have_url(re.compile(r"/present\?routes=southern-route&context=1&step=1$"))
    expect(page.locator(".slide-context").first).to_be_attached()


# -- accessibility -----------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/teach",
                                  # the handout: by default at test_accessibility.py's screens
                                  pytest.param("/print/southern-route", marks=pytest.mark.slow),
                                  "/print/southern-route/teacher",
                                  "/print/southern-route/worksheet",
                                  "/print/compare/southern-route/dmz-route",
                                  "/present/compare/southern-route/dmz-route",
                                  "/present?routes=dmz-route", "/present/southern-route?step=999"])
def test_axe_finds_no_violation_on_the_classroom_pages(page: Page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    results = AXE.run(page)
    assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
