"""The context chapter and the glossary in Chromium: the chapter before the routes on the map
page and first in the presentation, both walked with the keyboard alone; the glossary reached by
keyboard from the map page, from a story's glossary link and within its own index.
(axe-core runs on /glossary with the other pages in test_accessibility.py.)
"""

from __future__ import annotations

import re

import pytest
from helpers import SITE_DATA
from playwright.sync_api import Page, expect

from mapapp.model import load_atlas

ATLAS = load_atlas(SITE_DATA)
pytestmark = pytest.mark.usefixtures("guard")

ACTIVE = """() => {
    const element = document.activeElement;
    return {tag: element.tagName, text: element.textContent.trim(),
            href: element.getAttribute('href'), className: element.className};
}"""
IN_VIEW = """(selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight && box.height > 0;
}"""


def tab_to(page: Page, wanted, limit: int = 150) -> dict:
    """Press Tab until the focused element is the one `wanted(active)` accepts."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if wanted(active):
            return active
    raise AssertionError(f"Tab never reached it in {limit} presses")


def test_the_chapter_comes_before_the_routes_and_the_keyboard_reaches_it(page: Page):
    page.goto("/")
    page.wait_for_selector("html.js-ready")
    page.locator("main").focus()  # where the skip link leads
    first = tab_to(page, lambda active: active["tag"] == "A")
    assert (first["text"], first["href"]) == (ATLAS.context.title, "/#context"), \
        "the first link of the page's content is the chapter"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/#context$"))
    assert page.evaluate(IN_VIEW, "#context-title"), "the chapter's title is in view"
    for section in ATLAS.context.sections:
        expect(page.locator(".context-section h4", has_text=section.title)).to_be_visible()


def test_a_glossary_link_in_the_chapter_leads_by_keyboard_to_its_entry(page: Page):
    page.goto("/")
    page.wait_for_selector("html.js-ready")
    page.locator("#context-title").scroll_into_view_if_needed()
    page.locator("#context").evaluate("(chapter) => chapter.previousElementSibling.focus()")
    link = tab_to(page, lambda active: "glossary-link" in active["className"])
    assert link["href"] == "/glossary#broker"
    title = page.evaluate("() => document.activeElement.title")
    assert title == ATLAS.glossary.term("broker").body.split(". ")[0] + "."
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/glossary#broker$"))
    expect(page.locator("#broker h2")).to_have_text("broker")
    assert page.evaluate(IN_VIEW, "#broker h2")
    assert page.evaluate("() => document.querySelector(':target').id") == "broker"


def test_the_glossary_is_reached_from_the_map_page_and_walked_by_keyboard(page: Page):
    page.goto("/routes/dmz-route")
    page.wait_for_selector("html.js-ready")
    tab_to(page, lambda active: active["href"] == "/glossary" and active["text"] == "Glossary")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/glossary$"))
    expect(page.locator("h1")).to_have_text("Glossary")
    last = ATLAS.glossary.terms[-1]
    tab_to(page, lambda active: active["href"] == f"#{last.id}")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(fr"/glossary#{last.id}$"))
    assert page.evaluate(IN_VIEW, f"#{last.id} h2")


def test_a_story_links_its_terms_to_the_glossary(page: Page):
    page.goto("/routes/dmz-route")
    page.wait_for_selector("html.js-ready")
    page.locator("#story-dmz-route .step-next").focus()
    page.keyboard.press("Enter")  # the first stage, where the term is used
    link = page.locator("#story-dmz-route a.glossary-link")
    expect(link).to_have_text("MDL")
    expect(link).to_have_attribute("title", ATLAS.glossary.term("mdl").body)
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/glossary#mdl$"))
    assert page.evaluate(IN_VIEW, "#mdl h2")


def test_the_presentation_opens_with_the_chapter_stepped_through_by_keyboard(page: Page):
    page.goto("/present")
    page.wait_for_selector("html.js-ready")
    shown = page.locator(".slide:not([hidden])")
    expect(shown.locator("h2").first).to_have_text(ATLAS.context.title)
    titles = []
    for _ in range(40):
        heading = shown.locator("h2").first.text_content().strip()
        if not titles or titles[-1] != heading:
            titles.append(heading)
        if "slide-intro" in shown.get_attribute("class"):
            break
        page.keyboard.press("ArrowRight")
    else:
        raise AssertionError(f"the introduction never came: {titles}")
    sections = [section.title for section in ATLAS.context.sections]
    assert [title for title in titles if title in sections] == sections, titles
    assert titles[0] == ATLAS.context.title
    page.keyboard.press("PageUp")
    expect(shown.locator("h2").first).not_to_have_text("How people leave North Korea")
    assert shown.get_attribute("class").startswith("slide slide-context")
