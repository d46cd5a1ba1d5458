"""mapapp.markup: Markdown from the data to safe HTML, glossary links resolved, headings fitted
under the page's own, and the plain first sentence a glossary link shows as its title."""

from __future__ import annotations

import re

import pytest
from helpers import Html

from mapapp.markup import first_sentence, markdown_html, plain_text

ENTRIES = {"mdl": ("/glossary#mdl", "The line that divides the two Koreas.")}


def words(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip()


def resolve(term_id: str):
    return ENTRIES.get(term_id)


def test_a_glossary_link_goes_to_its_entry_with_the_short_definition_as_title():
    html = markdown_html("Soldiers cross the [MDL *line*](glossary:mdl) at night.", resolve)
    [link] = Html(html).find("a")
    assert link["href"] == "/glossary#mdl"
    assert link["title"] == "The line that divides the two Koreas."
    assert link["class"] == "glossary-link"
    assert words(html) == "Soldiers cross the MDL line at night."


def test_an_unknown_entry_or_no_glossary_keeps_the_words_and_drops_the_link():
    for html in (markdown_html("The [JSA](glossary:jsa) and [x](https://example.org).", resolve),
                 markdown_html("The [JSA](glossary:jsa) and [x](https://example.org).")):
        assert [a["href"] for a in Html(html).find("a")] == ["https://example.org"]
        assert words(html) == "The JSA and x."


def test_the_address_a_resolver_makes_is_kept_even_relative_but_an_author_cannot_write_one():
    def exported(term_id):
        return ("../glossary.html#" + term_id, "A definition.") if term_id == "mdl" else None

    html = markdown_html("[MDL](glossary:mdl), [other](../glossary.html#nll)", exported)
    assert [a.get("href") for a in Html(html).find("a")] == ["../glossary.html#mdl", None]


@pytest.mark.parametrize("title", ['"><script>alert(1)</script>', "It's <b>bold</b> & more"])
def test_a_definition_is_an_attribute_value_escaped(title):
    html = markdown_html("[MDL](glossary:mdl)", lambda _: ("/glossary#mdl", title))
    assert "<script" not in html and "<b>" not in html
    assert Html(html).find("a")[0]["title"] == title


def test_headings_can_be_demoted_under_the_pages_own():
    html = markdown_html("## Organisations\n\n### Books\n\nText.", demote=1)
    assert [tag for tag, _ in Html(html).tags] == ["h3", "h4", "p"]
    assert "<h2" not in markdown_html("## Organisations"), "h2 is the page's, never the data's"


@pytest.mark.parametrize("text, sentence", [
    ("An agreement to stop fighting, which is not a peace treaty. The war stopped in 1953.",
     "An agreement to stop fighting, which is not a peace treaty."),
    ("South Korea's resettlement centre; its name means *Settlement Support Center*. It opened "
     "in 1999.", "South Korea’s resettlement centre; its name means Settlement Support Center."),
    ("The strip that separates the [two Koreas](glossary:dmz) (about 4 km wide, e.g. at "
     "Panmunjom). Few cross it.", "The strip that separates the two Koreas (about 4 km wide, "
     "e.g. at Panmunjom)."),
    ("One sentence without a full stop", "One sentence without a full stop"),
])
def test_the_short_definition_is_the_first_sentence_as_plain_text(text, sentence):
    assert first_sentence(text) == sentence


def test_plain_text_unescapes_what_the_renderer_escaped():
    assert plain_text("Fish & chips <b>not a tag</b>") == "Fish & chips <b>not a tag</b>"
