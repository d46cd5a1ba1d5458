"""The year control of the static export, opened from disk (file://, a USB stick): the slider
filters the list and the map, a route's page (a file of its own) keeps the year, and each year's
page opens on its year. The export's folder is the only place the guard lets a page read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from year_view import FIRST, SLIDER, expect_year

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
