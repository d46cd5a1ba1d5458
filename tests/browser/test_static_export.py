"""The static export in Chromium: opened straight from disk (file://, a USB stick) and from a
plain static server (Python's http.server on 127.0.0.1, a school's server). The map is drawn,
routes can be chosen, presentation mode steps, and nothing is requested from outside the folder
or the server (conftest.py's guard; `local_files` lets it read the export's folder).
"""

from __future__ import annotations

import re

import pytest
from conftest import SITE_DATA, static_server
from playwright.sync_api import Page, expect

from mapapp.export import Export
from mapapp.model import load_atlas

ATLAS = load_atlas(SITE_DATA)
pytestmark = pytest.mark.usefixtures("guard")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    job = Export(tmp_path_factory.mktemp("export") / "usb-stick", SITE_DATA)
    for _ in job.run():
        pass
    return job.outdir


@pytest.fixture
def local_files(exported) -> list[str]:
    return [exported.as_uri() + "/"]


@pytest.fixture
def served(exported):
    with static_server(exported) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "reduced_motion": "reduce",
            "viewport": {"width": 1440, "height": 900}}


def expect_map_drawn(page: Page, routes=ATLAS.routes) -> None:
    page.wait_for_selector("html.js-ready")
    expect(page.locator(".map-status")).to_be_hidden()
    expect(page.locator("path.country")).to_have_count(len(ATLAS.countries))
    expect(page.locator("path.route")).to_have_count(sum(len(route.legs) for route in routes))


def expect_chosen(page: Page, route_id: str) -> None:
    expect(page.locator(f"#story-{route_id}")).to_be_visible()
    expect(page.locator(".story:visible")).to_have_count(1)
    legs = len(ATLAS.route(route_id).legs)
    expect(page.locator(f"path.route-{route_id}.route-selected")).to_have_count(legs)


def test_from_disk_the_map_is_drawn_and_routes_can_be_chosen(page: Page, exported):
    page.goto((exported / "index.html").as_uri())
    expect_map_drawn(page)
    page.click('a.route-link[data-route="northern-route"]')
    # file:// refuses pushState to another file: the route's own page opens instead.
    expect(page).to_have_url(re.compile(r"/routes/northern-route\.html$"))
    expect_map_drawn(page)
    expect_chosen(page, "northern-route")
    page.click('a.route-link[data-route="dmz-route"]')
    expect(page).to_have_url(re.compile(r"/routes/dmz-route\.html$"))
    expect_chosen(page, "dmz-route")
    page.click("#story-dmz-route .back-link")
    expect(page).to_have_url(re.compile(r"/index\.html$"))
    expect(page.locator("#story-welcome")).to_be_visible()


def test_from_disk_the_presentation_steps_and_keeps_its_place(page: Page, exported):
    page.goto((exported / "present" / "southern-route.html").as_uri() + "?step=3")
    expect_map_drawn(page)
    expect(page.locator("#slide-3")).to_be_visible()
    page.keyboard.press("PageDown")
    expect(page).to_have_url(re.compile(r"southern-route\.html\?step=4$"))
    expect(page.locator("#slide-4")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/routes/southern-route\.html$"))


@pytest.mark.parametrize("name", ["embed/southern-route.html", "print/southern-route.html",
                                  "present.html", "statistics.html", "about.html"])
def test_from_disk_every_kind_of_page_opens_cleanly(page: Page, exported, name):
    page.goto((exported / name).as_uri())
    expect(page.locator("h1")).to_have_count(1)
    if name.startswith("embed"):
        expect_map_drawn(page, [ATLAS.route("southern-route")])
    elif name.startswith("present"):
        expect_map_drawn(page)


def test_from_a_static_server_routes_are_chosen(page: Page, served):
    page.goto(f"{served}/")
    expect_map_drawn(page)
    page.click('a.route-link[data-route="southern-route"]')  # another folder: a page load
    expect(page).to_have_url(f"{served}/routes/southern-route.html")
    expect_map_drawn(page)
    expect_chosen(page, "southern-route")
    page.evaluate("() => { window.samePage = true; }")
    page.click('a.route-link[data-route="dmz-route"]')  # the same folder: in place
    expect(page).to_have_url(f"{served}/routes/dmz-route.html")
    expect_chosen(page, "dmz-route")
    assert page.evaluate("() => window.samePage") is True, "no page load: pushState"
    page.click('a[href="../about.html"]')  # relative links still lead where they should
    expect(page).to_have_url(f"{served}/about.html")
    page.go_back()
    expect_chosen(page, "dmz-route")
    page.go_back()
    expect_chosen(page, "southern-route")
    page.go_back()
    expect(page).to_have_url(f"{served}/")
    expect(page.locator("#story-welcome")).to_be_visible()


@pytest.mark.parametrize("path", ["/present.html?step=2", "/embed/dmz-route.html",
                                  "/print/northern-route.html", "/statistics.html"])
def test_from_a_static_server_every_kind_of_page_works(page: Page, served, path):
    page.goto(f"{served}{path}")
    expect(page.locator("h1")).to_have_count(1)
    if "print" not in path and "statistics" not in path:
        expect_map_drawn(page, [ATLAS.route("dmz-route")] if "embed" in path else ATLAS.routes)
