"""The year control of the static export, opened from disk (file://, a USB stick): the slider
filters the list and the map, a route's page (a file of its own) keeps the year, each year's
page opens on its year and keeps a year chosen there across a reload, and the timeline's
presentation steps through the years with the map. The export's folder is the only place the guard lets a page read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from year_view import FIRST, IN_USE, LAST, ROUTES, SLIDER, expect_year

pytestmark = pytest.mark.usefixtures("guard")


def test_from_disk_the_year_control_filters_and_a_route_keeps_the_year(page: Page, exported):
    page.goto((exported / "index.html").as_uri())
    page.wait_for_selector("html.js-ready")
    page.focus(SLIDER)
    page.keyboard.press("Home")
    expect_year(page, FIRST)
    page.click("a.route-link[data-route='northern-route']")  # a page of its own, from disk
    expect(page).to_have_url(re.compile(rf"/routes/northern-route\.html\?year={FIRST}$"))
    page.wait_for_selector("html.js-ready")
    expect_year(page, FIRST)
    page.goto((exported / "years" / "2012.html").as_uri())
    page.wait_for_selector("html.js-ready")
    expect_year(page, 2012)
    page.focus(SLIDER)
    page.keyboard.press("End")  # a file may not become another file: the year goes in ?year=
    expect(page).to_have_url(re.compile(rf"/years/2012\.html\?year={LAST}$"))
    page.reload()
    page.wait_for_selector("html.js-ready")
    expect_year(page, LAST)


def test_from_disk_the_timeline_presentation_steps_through_the_years(page: Page, exported):
    page.goto((exported / "present" / "timeline.html").as_uri())
    page.wait_for_selector("html.js-ready")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/present/timeline\.html\?step=2$"))
    expect(page.locator(".slide:visible")).to_have_attribute("data-year", str(FIRST))
    for route_id in ROUTES:  # the map as it was in that year
        legs = page.locator(f"path.route-{route_id}")
        if route_id in IN_USE[FIRST]:
            expect(legs.first).to_be_attached()
        else:
            expect(legs).to_have_count(0)
    page.reload()  # the slide is in the address
    page.wait_for_selector("html.js-ready")
    expect(page.locator(".slide:visible")).to_have_attribute("data-year", str(FIRST))
