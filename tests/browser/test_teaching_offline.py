"""The teachers' decks from a USB stick, in Chromium: the static export opened from disk with
JavaScript switched off (a locked-down school computer) and on.

Without JavaScript no server answers the guide's forms: the comparison form leads to the list of
every comparison, each a page of the export; the chosen-routes form says that it shows every
route and points to each route's own deck; every link of the guide and of the comparison page
opens a file the export wrote. With JavaScript, a comparison chosen in either order opens a page
the export has. A comparison deck's map shows both routes, served and from disk.

On the small dataset of tests/data/site (southern, northern and DMZ routes, in that order),
exported once per session (the `exported` fixture of conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import static_server, wait_until
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.usefixtures("guard")
NO_SCRIPT = pytest.mark.browser_context_args(java_script_enabled=False)
PAIRS = [("southern-route", "northern-route"), ("southern-route", "dmz-route"),
         ("northern-route", "dmz-route")]
# Where a page's links lead, as absolute addresses (a[href], without fragments).
LINKS = """selector => [...document.querySelectorAll(selector)]
    .map(a => a.href.split('#')[0]).filter(Boolean)"""



def settle(page: Page) -> None:
    """The page's fonts loaded before the test leaves it: Chromium reports a font load that
    leaving a file:// page cuts off as a CORS error. (Playwright's own evaluation works in a
    page whose scripts are off.)"""
    page.evaluate("() => document.fonts.ready.then(() => true)")


def on_disk(address: str) -> Path:
    return Path(unquote(urlsplit(address).path))


def expect_links_to_written_files(page: Page, exported: Path, selector: str) -> int:
    """Every link of `selector` inside the export names a file the export wrote."""
    inside = [address for address in page.evaluate(LINKS, selector)
              if address.startswith(exported.as_uri() + "/")]
    missing = [address for address in inside if not on_disk(address).is_file()]
    assert not missing, missing
    return len(inside)


@NO_SCRIPT
def test_without_javascript_the_guide_leads_to_every_comparison(page: Page, exported,
                                                                 site_atlas):
    page.goto((exported / "teach.html").as_uri())
    settle(page)
    form = page.locator("form.compare-form")
    note = form.locator(".setup-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Without JavaScript, this copy of the map cannot open the "
                                 "comparison you choose here")
    # The form itself goes where the export has no answer to it: the same list.
    form.locator("select").nth(0).select_option("dmz-route")
    form.locator("button", has_text="Present the comparison").click()
    expect(page).to_have_url(re.compile(r"/present/compare\.html\?routes=dmz-route&"))
    expect(page.locator("#every-comparison .setup-note")).to_be_visible()
    items = page.locator("#every-comparison li")
    expect(items).to_have_count(len(PAIRS))
    assert expect_links_to_written_files(page, exported, "#every-comparison a") == 2 * len(PAIRS)
    first, second = (site_atlas.route(route_id) for route_id in PAIRS[1])
    pair = items.nth(1)
    expect(pair).to_contain_text(f"{first.title} · {second.title}")
    settle(page)
    pair.locator("a", has_text="slides").click()
    expect(page).to_have_url(re.compile(r"/present/compare/southern-route/dmz-route\.html$"))
    expect(page.locator("#slide-1 .compared li")).to_have_text([first.title, second.title])
    settle(page)
    page.go_back()
    settle(page)
    page.locator("#every-comparison li").nth(1).locator("a", has_text="worksheet").click()
    expect(page).to_have_url(re.compile(r"/print/compare/southern-route/dmz-route\.html$"))
    expect(page.locator("h1")).to_have_text("Worksheet: comparing two routes")
    expect(page.locator("main")).to_contain_text(second.title)


@NO_SCRIPT
def test_without_javascript_the_deck_form_says_what_it_cannot_do(page: Page, exported):
    page.goto((exported / "teach.html").as_uri())
    settle(page)
    note = page.locator("form.deck-form .setup-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("shows every route here, whichever you choose")
    # What it points to instead: each route's own deck, and every other link of the guide,
    # opens a page the export wrote.
    decks = page.locator("table.tools a", has_text=re.compile(r"\d+ slides"))
    expect(decks).to_have_count(3)
    assert expect_links_to_written_files(page, exported, "main a") > 3 * 5
    decks.first.click()
    expect(page).to_have_url(re.compile(r"/present/southern-route\.html$"))
    expect(page.locator(".deck-hint")).to_be_visible()  # every slide, one under the other


@NO_SCRIPT
def test_the_served_guide_needs_no_such_notes(page: Page):
    page.goto("/teach")
    expect(page.locator("form.compare-form")).to_be_visible()
    expect(page.locator(".setup-note")).to_have_count(0)
    page.goto("/present/compare")
    expect(page.locator("#every-comparison li")).to_have_count(len(PAIRS))
    expect(page.locator(".setup-note")).to_have_count(0)


@pytest.mark.parametrize("name", ["teach.html", "present/compare.html", "ko/teach.html"])
def test_axe_finds_no_violation_on_the_export_s_guide_and_comparisons(page: Page, exported,
                                                                       name):
    """With the notes the export shows without JavaScript, shown (axe itself is a script; from
    a static server, since axe reads the stylesheets, which file:// refuses)."""
    with static_server(exported) as url:
        page.goto(f"{url}/{name}")
        page.wait_for_load_state("networkidle")
        page.evaluate("""() => document.querySelectorAll('noscript').forEach(node => {
            const shown = document.createElement('div');
            shown.innerHTML = node.textContent;
            node.replaceWith(shown);
        })""")
        assert page.locator(".setup-note").count() >= 1
        results = Axe().run(page)
    assert results.violations_count == 0, f"{name}\n{results.generate_report()}"


@pytest.mark.parametrize(("first", "second"), [("southern-route", "dmz-route"),
                                               ("dmz-route", "southern-route")])
def test_with_javascript_a_comparison_in_either_order_opens_a_page_of_the_export(
        page: Page, exported, first, second):
    page.goto((exported / "teach.html").as_uri())
    form = page.locator("form.compare-form")
    form.locator("select").nth(0).select_option(first)
    form.locator("select").nth(1).select_option(second)
    form.locator("button", has_text="Print the comparison worksheet").click()
    expect(page).to_have_url(re.compile(r"/print/compare/southern-route/dmz-route\.html$"))
    expect(page.locator("h1")).to_be_visible()


# -- the comparison deck's map -----------------------------------------------------------------
BOTH_SHOWN = """ids => {
    const map = window.map_routes;
    const config = JSON.parse(document.getElementById('map-config').textContent);
    const view = map.getBounds().pad(0.01);
    return ids.every(id => view.contains(L.latLngBounds(config.routes[id].bounds)));
}"""


def expect_both_routes(page: Page, atlas, ids: tuple[str, str]) -> None:
    for route_id in ids:
        legs = len(atlas.route(route_id).legs)
        expect(page.locator(f"path.route-{route_id}.route-selected")).to_have_count(legs)
    others = [route.id for route in atlas.routes if route.id not in ids]
    for route_id in others:
        expect(page.locator(f"path.route-{route_id}.route-dimmed")).not_to_have_count(0)
    assert page.evaluate(BOTH_SHOWN, list(ids))
    expect(page.locator(".stage-marker")).to_have_count(0)


@pytest.mark.browser_context_args(viewport={"width": 1280, "height": 720})
def test_the_comparison_deck_shows_both_routes_on_its_map(page: Page, site_atlas):
    ids = ("southern-route", "dmz-route")
    page.goto(f"/present/compare/{ids[0]}/{ids[1]}")
    page.wait_for_selector("html.js-ready")
    expect_both_routes(page, site_atlas, ids)
    page.keyboard.press("ArrowRight")
    expect(page.locator(".slide:visible")).to_have_class(re.compile(r"\bslide-compare\b"))
    expect_both_routes(page, site_atlas, ids)
    # A slide of one route (its questions) shows that route alone.
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    route_id = page.locator(".slide:visible").get_attribute("data-route")
    assert route_id in ids
    legs = len(site_atlas.route(route_id).legs)
    expect(page.locator("path.route-selected")).to_have_count(legs)


@pytest.mark.browser_context_args(viewport={"width": 1280, "height": 720})
def test_from_disk_the_comparison_deck_shows_both_routes(page: Page, exported, site_atlas):
    ids = ("northern-route", "dmz-route")
    page.goto((exported / "present" / "compare" / ids[0] / f"{ids[1]}.html").as_uri()
              + "?step=2")
    page.wait_for_selector("html.js-ready")
    expect_both_routes(page, site_atlas, ids)


# -- a deck from disk without JavaScript ---------------------------------------------------------
SLIDES_SEEN = """() => {
    const box = document.querySelector('.deck-slides').getBoundingClientRect();
    return [...document.querySelectorAll('.slide')].filter(slide => {
        const r = slide.getBoundingClientRect();
        return r.bottom > box.top + 1 && r.top < box.bottom - 1;
    }).map(slide => slide.id);
}"""


@NO_SCRIPT
@pytest.mark.browser_context_args(java_script_enabled=False,
                                  viewport={"width": 1280, "height": 720})
def test_without_javascript_a_deck_from_disk_steps_with_the_clicker_keys(page: Page, exported,
                                                                         site_atlas):
    """No server reads ?step= from disk: every slide is there, one screen each, and Page Down
    (a clicker's forward key), the arrow keys and Page Up go from one to the next."""
    page.goto((exported / "present" / "southern-route.html").as_uri())
    total = page.locator(".slide").count()
    assert total > 5
    expect(page.locator(".deck-next")).to_be_hidden()
    expect(page.locator(".deck-hint")).to_have_text(
        "Page Down and Page Up, or the arrow keys, go from slide to slide.")
    expect(page.locator(".deck-slides")).to_be_focused()
    assert page.evaluate(SLIDES_SEEN) == ["slide-1"]
    for key, number in (("PageDown", 2), ("PageDown", 3), ("ArrowDown", 4), ("PageUp", 3),
                        ("End", total)):
        page.keyboard.press(key)
        # Without scripts in the page, Playwright cannot wait inside it: ask until it settles.
        wait_until(lambda number=number: page.evaluate(SLIDES_SEEN) == [f"slide-{number}"],
                   timeout=5)
    expect(page.locator(f"#slide-{total}")).to_have_class(re.compile(r"\bslide-end\b"))
    # Each slide fills the slides' box and nothing of it is cut off.
    cut = page.evaluate("""() => [...document.querySelectorAll('.slide')]
        .filter(slide => slide.scrollHeight > slide.clientHeight + 1).map(slide => slide.id)""")
    assert cut == []


def test_with_javascript_the_deck_from_disk_shows_one_slide_and_no_focus_ring(page: Page,
                                                                             exported):
    page.goto((exported / "present" / "southern-route.html").as_uri())
    page.wait_for_selector("html.js-ready")
    expect(page.locator(".slide:visible")).to_have_count(1)
    expect(page.locator(".deck-next")).to_be_visible()
    expect(page.locator(".deck-slides")).not_to_be_focused()
    page.keyboard.press("PageDown")
    expect(page.locator(".deck-count")).to_contain_text("Slide 2 of")
