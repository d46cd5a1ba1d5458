"""The static export in Chromium: opened straight from disk (file://, a USB stick) and from a
plain static server (Python's http.server on 127.0.0.1, a school's server). The map is drawn,
routes can be chosen, presentation mode steps, and nothing is requested from outside the folder
or the server (the guard of tests/browser/conftest.py; `local_files` lets it read the export's
folder).
"""

from __future__ import annotations

import re

import pytest
from helpers import static_server
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.usefixtures("guard")




@pytest.fixture
def served(exported):
    with static_server(exported) as url:
        yield url


def expect_map_drawn(page: Page, atlas, routes=None) -> None:
    """The map is drawn with every country and the legs of `routes` (default: every route)."""
    page.wait_for_selector("html.js-ready")
    expect(page.locator(".map-status")).to_be_hidden()
    expect(page.locator(".leaflet-base-pane canvas")).to_have_count(2)  # countries, rivers
    expect(page.locator("path.route")).to_have_count(
        sum(len(route.legs) for route in routes or atlas.routes))


def expect_chosen(page: Page, atlas, route_id: str) -> None:
    expect(page.locator(f"#story-{route_id}")).to_be_visible()
    expect(page.locator(".story:visible")).to_have_count(1)
    legs = len(atlas.route(route_id).legs)
    expect(page.locator(f"path.route-{route_id}.route-selected")).to_have_count(legs)


def test_from_disk_the_map_is_drawn_and_routes_can_be_chosen(page: Page, site_atlas, exported):
    page.goto((exported / "index.html").as_uri())
    expect_map_drawn(page, site_atlas)
    page.click('a.route-link[data-route="northern-route"]')
    # file:// refuses pushState to another file: the route's own page opens instead.
    expect(page).to_have_url(re.compile(r"/routes/northern-route\.html$"))
    expect_map_drawn(page, site_atlas)
    expect_chosen(page, site_atlas, "northern-route")
    page.click('a.route-link[data-route="dmz-route"]')
    expect(page).to_have_url(re.compile(r"/routes/dmz-route\.html$"))
    expect_chosen(page, site_atlas, "dmz-route")
    page.click("#story-dmz-route .back-link")
    expect(page).to_have_url(re.compile(r"/index\.html$"))
    expect(page.locator("#story-welcome")).to_be_visible()


def test_from_disk_the_presentation_steps_and_keeps_its_place(page: Page, site_atlas, exported):
    page.goto((exported / "present" / "southern-route.html").as_uri() + "?step=3")
    expect_map_drawn(page, site_atlas)
    expect(page.locator("#slide-3")).to_be_visible()
    page.keyboard.press("PageDown")
    expect(page).to_have_url(re.compile(r"southern-route\.html\?step=4$"))
    expect(page.locator("#slide-4")).to_be_visible()
    page.keyboard.press("Escape")  # never leaves the deck (issue 17): the Leave button does
    expect(page.locator("#slide-4")).to_be_visible()
    page.click(".deck-leave")
    expect(page).to_have_url(re.compile(r"/routes/southern-route\.html$"))


@pytest.mark.parametrize("name", ["embed/southern-route.html", "print/southern-route.html",
                                  "present.html", "statistics.html", "about.html"])
def test_from_disk_every_kind_of_page_opens_cleanly(page: Page, site_atlas, exported, name):
    page.goto((exported / name).as_uri())
    expect(page.locator("h1")).to_have_count(1)
    if name.startswith("embed"):
        expect_map_drawn(page, site_atlas, [site_atlas.route("southern-route")])
    elif name.startswith("present"):
        expect_map_drawn(page, site_atlas)


def test_from_a_static_server_routes_are_chosen(page: Page, site_atlas, served):
    page.goto(f"{served}/")
    expect_map_drawn(page, site_atlas)
    page.click('a.route-link[data-route="southern-route"]')  # another folder: a page load
    expect(page).to_have_url(f"{served}/routes/southern-route.html")
    expect_map_drawn(page, site_atlas)
    expect_chosen(page, site_atlas, "southern-route")
    page.evaluate("() => { window.samePage = true; }")
    page.click('a.route-link[data-route="dmz-route"]')  # the same folder: in place
    expect(page).to_have_url(f"{served}/routes/dmz-route.html")
    expect_chosen(page, site_atlas, "dmz-route")
    assert page.evaluate("() => window.samePage") is True, "no page load: pushState"
    page.click('a[href="../about.html"]')  # relative links still lead where they should
    expect(page).to_have_url(f"{served}/about.html")
    page.go_back()
    expect_chosen(page, site_atlas, "dmz-route")
    page.go_back()
    expect_chosen(page, site_atlas, "southern-route")
    page.go_back()
    expect(page).to_have_url(f"{served}/")
    expect(page.locator("#story-welcome")).to_be_visible()


@pytest.mark.parametrize("path", ["/present.html?step=2", "/embed/dmz-route.html",
                                  "/print/northern-route.html", "/statistics.html"])
def test_from_a_static_server_every_kind_of_page_works(page: Page, site_atlas, served, path):
    page.goto(f"{served}{path}")
    expect(page.locator("h1")).to_have_count(1)
    if "print" not in path and "statistics" not in path:
        expect_map_drawn(page, site_atlas,
                         [site_atlas.route("dmz-route")] if "embed" in path else None)
