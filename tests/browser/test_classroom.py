"""For educators, in Chromium: presentation mode driven by the keys a keyboard and a clicker send,
the handout printed to PDF on A4 and US Letter, and the embed page framed by another site.

Every test runs under the guard of tests/browser/conftest.py (nothing leaves 127.0.0.1, no
console error), on a 16:9 screen with reduced motion unless it says otherwise.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from helpers import static_server
from playwright.sync_api import Page, expect
from pypdf import PdfReader

DECK = "/present/southern-route"  # intro, route, three stages, closing: six slides
pytestmark = [pytest.mark.usefixtures("guard"),
              pytest.mark.browser_context_args(viewport={"width": 1920, "height": 1080})]


@pytest.fixture(scope="module")
def southern(site_atlas):
    return site_atlas.route("southern-route")


def open_deck(page: Page, path: str = DECK) -> None:
    page.goto(path)
    page.wait_for_selector("html.js-ready")


def expect_slide(page: Page, number: int, total: int = 6) -> None:
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


def test_keyboard_and_clicker_keys_step_through_the_route(page: Page, southern):
    open_deck(page)
    expect_slide(page, 1)
    expect_view(page, "southern-route", -1)
    # (key, slide it leads to, stage shown: -1 for the route as a whole)
    for key, number, stage in [("ArrowRight", 2, -1), ("PageDown", 3, 0), (" ", 4, 1),
                               ("ArrowDown", 5, 2), ("PageUp", 4, 1), ("ArrowLeft", 3, 0),
                               ("ArrowUp", 2, -1), ("End", 6, -1), ("Home", 1, -1)]:
        page.keyboard.press(key)
        expect_slide(page, number)
        expect_view(page, "southern-route", stage)
    legs = len(southern.legs)
    assert page.locator("path.route-southern-route.route-selected").count() == legs
    expect(page.locator("#slide-1 h2")).to_have_text(southern.title)


def test_the_stage_slides_tell_the_stages_and_the_last_asks_the_questions(page: Page, southern):
    open_deck(page, f"{DECK}?step=2")
    for index, stage in enumerate(southern.narrative.stages):
        page.keyboard.press("PageDown")
        expect(page.locator(".slide:visible h2")).to_have_text(stage.title)
        expect(page.locator(".slide:visible .kicker")).to_contain_text(
            f"Stage {index + 1} of {len(southern.narrative.stages)}")
    page.keyboard.press("PageDown")
    closing = page.locator("#slide-6")
    expect(closing.locator("h2")).to_have_text("Questions for discussion")
    expect(closing.locator(".questions li")).to_have_text(list(southern.narrative.questions))
    expect(closing.locator(".source-list li")).to_have_count(len(southern.sources))


def test_a_reload_keeps_the_place(page: Page):
    open_deck(page, f"{DECK}?step=4")
    expect_slide(page, 4)
    expect_view(page, "southern-route", 1)
    page.keyboard.press("ArrowRight")
    expect_slide(page, 5)
    page.reload()
    page.wait_for_selector("html.js-ready")
    expect_slide(page, 5)
    expect_view(page, "southern-route", 2)


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


def test_the_buttons_step_and_stop_at_either_end(page: Page):
    open_deck(page)
    expect(page.locator(".deck-prev")).to_have_attribute("aria-disabled", "true")
    page.click(".deck-prev")
    expect_slide(page, 1)
    for number in range(2, 7):
        page.click(".deck-next")
        expect_slide(page, number)
    expect(page.locator(".deck-next")).to_have_attribute("aria-disabled", "true")
    page.click(".deck-next")
    expect_slide(page, 6)
    page.click(".deck-prev")
    expect_slide(page, 5)


def test_space_on_the_focused_next_button_steps_once(page: Page):
    open_deck(page)
    page.focus(".deck-next")
    page.keyboard.press(" ")
    expect_slide(page, 2)
    page.keyboard.press("Enter")  # the link's own activation: one step too
    expect_slide(page, 3)


def _count_zoom_steps(page: Page) -> None:
    page.evaluate("""() => { window.zoomSteps = 0; window.zoomEnded = false;
        window.map_routes.on('zoom', () => { window.zoomSteps += 1; });
        window.map_routes.on('zoomend', () => { window.zoomEnded = true; }); }""")


def test_the_map_flies_to_each_stage_unless_motion_is_reduced(page: Page):
    open_deck(page, f"{DECK}?step=2")
    _count_zoom_steps(page)
    page.keyboard.press("ArrowRight")
    expect_view(page, "southern-route", 0)
    assert page.evaluate("() => window.zoomSteps") <= 1, "reduced motion: one jump"

    page.emulate_media(reduced_motion="no-preference")
    page.evaluate("() => { window.zoomSteps = 0; window.zoomEnded = false; }")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => window.zoomEnded && window.zoomSteps > 3")
    expect_view(page, "southern-route", -1)


def test_escape_leaves_full_screen_then_the_presentation(page: Page):
    open_deck(page, f"{DECK}?step=3")
    button = page.locator(".deck-fullscreen")
    button.click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    expect(button).to_have_text("Exit full screen")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.fullscreenElement === null")
    expect(button).to_have_text("Full screen")
    expect_slide(page, 3)
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/routes/southern-route$"))

    open_deck(page, "/present")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r":\d+/$"))


@pytest.mark.parametrize(("width", "height", "smallest"), [(1920, 1080, 28), (1280, 720, 19)])
def test_every_slide_fits_a_projector_in_large_type(page: Page, width, height, smallest):
    page.set_viewport_size({"width": width, "height": height})
    open_deck(page, "/present")
    total = int(page.locator(".deck-bar").get_attribute("max"))
    for number in range(1, total + 1):
        expect_slide(page, number, total)
        layout = page.evaluate("""() => {
            const slides = document.querySelector('.deck-slides');
            const size = (e) => parseFloat(getComputedStyle(e).fontSize);
            const slide = document.querySelector('.slide:not([hidden])');
            return {
                overflowX: document.documentElement.scrollWidth > innerWidth,
                overflowY: slides.scrollHeight > slides.clientHeight + 1,
                controlsBottom: document.querySelector('.deck-controls')
                    .getBoundingClientRect().bottom,
                body: size(slide), heading: size(slide.querySelector('h2')),
            };
        }""")
        assert not layout["overflowX"] and not layout["overflowY"], (number, layout)
        assert layout["controlsBottom"] <= height
        assert layout["body"] >= smallest and layout["heading"] >= 1.8 * smallest, layout
        page.keyboard.press("PageDown")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_handout_prints_in_two_pages_with_everything_on_them(page: Page, southern, live_server,
                                                                 paper):
    page.goto("/print/southern-route")
    reader = PdfReader(io.BytesIO(page.pdf(format=paper)))
    assert len(reader.pages) == 2
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))
    flat = "".join(text.split())  # long addresses break across lines; NFKC undoes ligatures

    def printed(words: str) -> bool:
        return "".join(words.split()) in flat

    assert printed(southern.title) and printed(southern.summary)
    for stage in southern.narrative.stages:
        assert printed(stage.title)
        for source in stage.sources:
            assert printed(source.title) and printed(source.url)
    for source in southern.sources:
        assert printed(source.title) and printed(source.url)
    assert printed(southern.narrative.questions[0])
    assert printed(f"{live_server}/routes/southern-route"), "the QR code's address"
    for chrome in ("Skip to the content", "Print this handout", "Statistics"):
        assert not printed(chrome), chrome


@pytest.fixture
def lesson(page: Page, tmp_path) -> Iterator:
    """Opens a class page that frames a URL: served from this machine (Chromium lets no public
    page frame a loopback address) but another origin, localhost:<port>, than the site's."""
    def open_lesson(frame_url: str) -> None:
        (tmp_path / "lesson.html").write_text(
            f'<!doctype html><title>Lesson</title><h1>Lesson</h1><iframe src="{frame_url}" '
            'title="Map" width="800" height="600"></iframe>')
        page.route(f"{origin}/**", lambda route: route.continue_())
        page.goto(f"{origin}/lesson.html")

    with static_server(tmp_path) as url:
        origin = f"http://localhost:{urlsplit(url).port}"
        yield open_lesson


def test_another_site_can_frame_the_route_alone(page: Page, southern, live_server, lesson):
    lesson(f"{live_server}/embed/southern-route")
    frame = page.frame_locator("iframe")
    expect(frame.locator("html.js-ready")).to_have_count(1)
    expect(frame.locator("path.route-southern-route")).to_have_count(len(southern.legs))
    expect(frame.locator("path.route")).to_have_count(len(southern.legs))
    link = frame.locator("a.embed-open")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("href", "/routes/southern-route")
    expect(frame.locator(".map-status")).to_be_hidden()


def test_the_other_pages_refuse_to_be_framed(page: Page, live_server, lesson, guard):
    lesson(f"{live_server}/routes/southern-route")
    expect(page.locator("h1")).to_have_text("Lesson")  # loaded, and so has its frame
    assert page.frames[1].url.startswith("chrome-error://"), "the frame was refused"
    assert guard.forgive(lambda error: "frame-ancestors 'none'" in error), (
        "Chromium reports the refusal")
