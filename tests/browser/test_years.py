"""The map in time, in Chromium: the year control by keyboard filters the list, the map and the
year's panel and writes /years/<year> into the address; back and forward return to each year;
the live region says what the list holds; a route's page keeps the year; without JavaScript
the form asks the server; the timeline, its presentation and the year pages (in English and
Korean) are axe-clean; the link to the other language keeps the year. The static export's
control, from disk: test_years_export.py.

tests/data/site is made so that 2003, 2012 and 2024 each show something the others do not
(tests/data/site/README.md): 2003 the northern route and the first fences, 2012 all three routes
and Kim Jong Un's crackdown, from 2020 North Korea's own fences.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from year_view import FIRST, IN_USE, LAST, ROUTES, SLIDER, expect_year

pytestmark = pytest.mark.usefixtures("guard")


def open_map(page: Page, path: str = "/") -> None:
    page.goto(path)
    page.wait_for_selector("html.js-ready")


def test_the_slider_by_keyboard_filters_the_list_the_map_and_the_address(page: Page):
    open_map(page)
    expect_year(page, None)
    expect(page.locator(".year-submit")).to_be_hidden()  # the script shows each year at once
    page.focus(SLIDER)
    page.keyboard.press("Home")
    expect_year(page, FIRST)
    expect(page).to_have_url(re.compile(rf"/years/{FIRST}$"))
    expect(page).to_have_title(re.compile(rf"^The map in {FIRST} · "))
    expect(page.locator(".year-events:visible")).to_contain_text("China fences crossing routes")
    expect(page.locator("[data-barrier]:visible")).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect_year(page, FIRST + 1)
    expect(page).to_have_url(re.compile(rf"/years/{FIRST + 1}$"))
    page.keyboard.press("End")
    expect_year(page, LAST)
    expect(page).to_have_url(re.compile(rf"/years/{LAST}$"))
    expect(page.locator("[data-barrier]:visible")).to_have_count(2)


def test_back_and_forward_return_to_each_year(page: Page):
    open_map(page)
    page.focus(SLIDER)
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    expect_year(page, FIRST + 1)
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/years/{FIRST}$"))
    expect_year(page, FIRST)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))
    expect_year(page, None)
    page.go_forward()
    expect_year(page, FIRST)
    page.go_forward()
    expect_year(page, FIRST + 1)


def test_the_live_region_says_what_the_list_holds(page: Page):
    open_map(page, "/years/2012")
    status = page.locator("#year-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("3 routes in use in 2012.")
    page.focus(SLIDER)
    page.keyboard.press("Home")
    expect(status).to_have_text(f"1 route in use in {FIRST}. 2 others were not.")
    page.click("[data-year-all]")
    expect(status).to_have_text("All 3 routes, in all years.")
    expect_year(page, None)
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_year_page_opens_on_its_year_and_a_route_keeps_it(page: Page):
    open_map(page, f"/years/{FIRST}")
    expect_year(page, FIRST)
    expect(page.locator(SLIDER)).to_have_value(str(FIRST))
    page.click("a.route-link[data-route='northern-route']")
    expect(page).to_have_url(re.compile(rf"/routes/northern-route\?year={FIRST}$"))
    expect(page.locator("#story-northern-route")).to_be_visible()
    page.reload()
    page.wait_for_selector("html.js-ready")
    expect_year(page, FIRST)
    expect(page.locator("#story-northern-route")).to_be_visible()
    page.focus(SLIDER)
    page.keyboard.press("End")
    expect(page).to_have_url(re.compile(rf"/routes/northern-route\?year={LAST}$"))
    expect_year(page, LAST)


def test_a_route_chosen_in_place_keeps_its_address_as_the_year_moves(page: Page):
    open_map(page, "/years/2012")
    page.click("a.route-link[data-route='northern-route']")
    expect(page).to_have_url(re.compile(r"/routes/northern-route\?year=2012$"))
    page.focus(SLIDER)
    page.keyboard.press("End")
    expect_year(page, LAST)
    expect(page).to_have_url(re.compile(rf"/routes/northern-route\?year={LAST}$"))
    page.click("[data-year-all]")
    expect(page).to_have_url(re.compile(r"/routes/northern-route$"))
    page.go_back()
    page.reload()
    page.wait_for_selector("html.js-ready")
    expect_year(page, LAST)
    expect(page.locator("#story-northern-route")).to_be_visible()


def test_back_to_the_map_in_place_then_the_year_moves_the_map_page(page: Page):
    open_map(page, "/routes/northern-route?year=2012")
    page.locator("#story-northern-route a[data-route='']").click()
    expect(page).to_have_url(re.compile(r"/years/2012$"))
    page.focus(SLIDER)
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/years/2011$"))
    expect(page.locator(".route-link[aria-current]")).to_have_count(0)
    expect(page).to_have_title(re.compile(r"^The map in 2011 · "))
    page.reload()
    page.wait_for_selector("html.js-ready")
    expect(page.locator(SLIDER)).to_have_value("2011")
    expect(page.locator(".route-link[aria-current]")).to_have_count(0)


def test_the_link_to_the_other_language_keeps_the_year(page: Page):
    open_map(page)
    twin = page.locator("a[data-twin][hreflang=ko]").first
    expect(twin).to_have_attribute("href", "/ko/")
    page.focus(SLIDER)
    page.keyboard.press("Home")
    expect(twin).to_have_attribute("href", re.compile(rf"/ko/years/{FIRST}$"))
    page.click("a.route-link[data-route='northern-route']")
    expect(page.locator("#story-northern-route")).to_be_visible()
    page.focus(SLIDER)
    page.keyboard.press("End")
    expect(twin).to_have_attribute("href", re.compile(rf"/ko/routes/northern-route\?year={LAST}$"))
    page.click("[data-year-all]")
    expect(twin).to_have_attribute("href", re.compile(r"/ko/routes/northern-route$"))
    page.go_back()
    expect(twin).to_have_attribute("href", re.compile(rf"/ko/routes/northern-route\?year={LAST}$"))


def test_a_route_page_says_when_its_route_was_not_in_use(page: Page):
    open_map(page, "/routes/dmz-route?year=2012")  # the DMZ route: from 2007
    note = page.locator(".year-route-note")
    expect(note).to_be_hidden()
    page.focus(SLIDER)
    page.keyboard.press("Home")
    expect(note).to_be_visible()
    expect(note).to_have_text(f"This route was not in use in {FIRST}.")
    expect(page.locator("#year-status")).to_have_text(
        f"1 route in use in {FIRST}. 2 others were not. This route was not in use in {FIRST}.")
    expect(page.locator("#story-dmz-route")).to_be_visible()  # its story stays
    page.keyboard.press("End")
    expect(note).to_be_hidden()
    page.keyboard.press("Home")
    page.locator("#story-dmz-route a[data-route='']").click()  # no route chosen: nothing to say
    expect(page).to_have_url(re.compile(rf"/years/{FIRST}$"))
    expect(note).to_be_hidden()


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_form_asks_the_server(page: Page):
    page.goto("/")
    page.focus(SLIDER)
    page.keyboard.press("Home")  # the browser moves a range by keyboard by itself
    page.click(".year-submit")
    expect(page).to_have_url(re.compile(rf"/years/{FIRST}$"))
    expect(page.locator(".route-list li:visible")).to_have_count(1)
    expect(page.locator(".year-events:visible")).to_contain_text("China fences crossing routes")
    expect(page.locator("#year-status")).to_have_text(f"1 route in use in {FIRST}. 2 others were not.")


@pytest.mark.parametrize("path", ["/years/2012", "/timeline", "/years", "/present/timeline",
                                  "/ko/years/2012"])
def test_axe_finds_no_violation(page: Page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_timeline_links_each_event_to_its_year(page: Page):
    page.goto("/timeline")
    event = page.locator("#kim-jong-un-crackdown-2012")
    expect(event).to_contain_text("Kim Jong Un's crackdown on leaving")
    page.get_by_role("link", name="The map in 2012").click()
    page.wait_for_selector("html.js-ready")
    expect(page).to_have_url(re.compile(r"/years/2012$"))
    expect_year(page, 2012)


def test_the_timeline_presentation_steps_through_the_years_with_the_map(page: Page):
    page.goto("/present/timeline")
    page.wait_for_selector("html.js-ready")
    slides = page.locator(".slide")
    expect(slides.first).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/present/timeline\?step=2$"))
    shown = page.locator(".slide:visible")
    expect(shown).to_have_attribute("data-year", str(FIRST))
    expect(shown).to_contain_text("China fences crossing routes on the Tumen")
    for route_id in ROUTES:  # the map as it was in 2003: the northern route only
        expect(page.locator(f"path.route-{route_id}")).to_have_count(
            0 if route_id not in IN_USE[FIRST] else 2 if route_id == "northern-route" else 1)
    page.keyboard.press("ArrowRight")
    expect(page.locator(".slide:visible")).to_have_attribute("data-year", "2005")
    expect(page.locator("path.route-southern-route").first).to_be_attached()
    page.keyboard.press("End")  # the last slide is not a year's: the map shows every route
    expect(page.locator("path.route-dmz-route").first).to_be_attached()
    page.goto("/present/timeline?step=4")  # a deep link opens on its slide and its year
    page.wait_for_selector("html.js-ready")
    expect(page.locator(".slide:visible")).to_have_attribute("data-year", "2012")
    expect(page.locator("path.route-dmz-route").first).to_be_attached()
