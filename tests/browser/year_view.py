"""What the year control shows, in Chromium: shared by the served site's tests (test_years.py)
and the static export's (test_years_export.py).

tests/data/site is made so that 2003, 2012 and 2024 each show something the others do not
(tests/data/site/README.md).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from mapapp.contract import this_year

FIRST, LAST = 2003, this_year()  # the site data's first event, and this year
ROUTES = ("southern-route", "northern-route", "dmz-route")
IN_USE = {2003: {"northern-route"}, 2004: {"southern-route", "northern-route"},
          2012: set(ROUTES), LAST: set(ROUTES)}
SLIDER = "#year-input"


def expect_year(page: Page, year: int | None) -> None:
    """The list, the map and the panel show `year` (None: all years)."""
    shown = set(ROUTES) if year is None else IN_USE[year]
    for route_id in ROUTES:
        item = page.locator(f".route-list li:has(a[data-route='{route_id}'])")
        legs = page.locator(f"path.route-{route_id}")
        if route_id in shown:
            expect(item).to_be_visible()
            expect(legs.first).to_be_attached()
        else:
            expect(item).to_be_hidden()
            expect(legs).to_have_count(0)
    expect(page.locator("#year-output")).to_have_text(str(year) if year else "All years")
    panel = page.locator(".year-panel")
    if year is None:
        expect(panel).to_be_hidden()
    else:
        expect(panel).to_be_visible()
        expect(page.locator(".year-events:visible")).to_have_count(
            1 if year in (2003, 2005, 2012, 2013, 2020) else 0)
