"""mapapp.narrative: a route's story read into its header, introduction and stages, every fault
with its line (docs/data-format.md, section narratives)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mapapp.contract import Source
from mapapp.narrative import Place, parse_context, parse_glossary, parse_narrative

PATH = Path("narratives/test-route.md")
HRW = ("- [The Invisible Exodus](https://www.hrw.org/reports/2002/northkorea/), "
       "Human Rights Watch, 2002")
STORY = f"""---
content_note: This route describes detention.
questions:
  - Why through China?
  - What is an illegal economic migrant?
---

# A title the page gives itself

Who takes this route, and why.

## Across the Tumen
place: crossing musan-nanping
duration: one night
cost: US$2,000–10,000
dangers: shooting by border guards
confidence: medium

People cross at night.

sources:
{HRW}

## North to Yanji
place: Yanji @ 42.89, 129.5
duration: a day
dangers: police checks

By bus.

sources:
{HRW}, via https://web.archive.org/web/2002/https://www.hrw.org/reports/2002/northkorea/
"""


def parse(text: str):
    return parse_narrative(text, "test-route", PATH)


def test_a_narrative_is_read_into_its_header_introduction_and_stages():
    narrative, issues = parse(STORY)
    assert issues == []
    assert (narrative.route_id, narrative.path) == ("test-route", PATH)
    assert narrative.content_note == "This route describes detention."
    assert narrative.questions == ("Why through China?", "What is an illegal economic migrant?")
    assert narrative.intro == "Who takes this route, and why.", "the page's own title is left out"
    first, second = narrative.stages
    assert (first.title, first.line, first.place) == (
        "Across the Tumen", 12, Place("crossing", "musan-nanping"))
    assert (first.duration, first.cost, first.dangers, first.confidence) == (
        "one night", "US$2,000–10,000", "shooting by border guards", "medium")
    assert first.body == "People cross at night."
    assert first.sources == (Source("The Invisible Exodus", "Human Rights Watch", 2002,
                                    "https://www.hrw.org/reports/2002/northkorea/"),)
    assert second.place == Place("point", "Yanji", 42.89, 129.5, decimals=2)
    assert (second.cost, second.confidence) == (None, None)
    assert second.sources[0].via.startswith("https://web.archive.org/")


def test_windows_and_old_mac_line_breaks_give_the_same_stages_and_lines():
    expected = parse(STORY)
    assert parse(STORY.replace("\n", "\r\n")) == expected
    assert parse(STORY.replace("\n", "\r")) == expected


@pytest.mark.parametrize("header", [
    "content_note: Violence.\nquestions:\n  - One?\n  - Two, with a comma?\n",
    "questions:\n  - 'Quoted?'\n  - \"Double: quoted?\"\n",
    "content_note: 'yes'\n",
    "questions:\n- Not indented?\n",
    "content_note: >\n  Folded\n  text.\n",
    "questions: [One, Two]\n",
    "content_note: Line one\n  continued.\n",
])
def test_the_header_reads_as_yaml_reads_it(header):
    """The usual form is read without yaml's slow parser: the result must be yaml's."""
    narrative, issues = parse(f"---\n{header}---\n\n## A stage\n")
    wanted = yaml.safe_load(header.removesuffix("\n"))
    assert not [issue for issue in issues if issue.line < 4]
    assert narrative.content_note == wanted.get("content_note")
    assert narrative.questions == tuple(wanted.get("questions") or ())


def test_a_question_yaml_reads_as_a_mapping_is_refused():
    """`- Two: and a colon?` is a mapping to YAML: quote it."""
    narrative, issues = parse("---\nquestions:\n  - One?\n  - Two: and a colon?\n---\n\n## S\n")
    assert narrative.questions == ()
    assert (2, "questions must be a list of texts") in {(i.line, i.message) for i in issues}


@pytest.mark.parametrize("text, line, message", [
    ("---\naudience: adults\n---\n\n## S\n", 2, 'the header has an unknown key "audience"'),
    ("---\ncontent_note: x\n\n## S\n", 1, "the header starting with --- is never closed"),
    ("---\nquestions: [unclosed\n---\n## S\n", 2, "the header is not valid YAML"),
    ("---\nquestions: 3\n---\n## S\n", 2, "questions must be a list of texts"),
    ("Only an introduction.\n", 1, "the narrative has no stages"),
    (f"## S\nplace: country CHN\nduration: d\n\nText.\n\nsources:\n{HRW}\n", 1,
     'stage "S" has no "dangers:" line'),
    (f"## S\nplace: country CHN\nduration: d\ndangers: x\nmood: calm\n\nText.\n\nsources:\n{HRW}\n",
     5, 'stage "S" has an unknown key "mood"'),
    (f"## S\nplace: country CHN\nduration: d\ndangers: x\nconfidence: sure\n\nT.\n\nsources:\n"
     f"{HRW}\n", 5, 'stage "S" has confidence "sure"'),
    ("## S\nplace: country CHN\nduration: d\ndangers: x\n\nText.\n", 1, 'stage "S" cites no source'),
    (f"## S\nplace: country CHN\nduration: d\ndangers: x\n\nsources:\n{HRW}\n", 1,
     'stage "S" tells nothing'),
    ("## S\nplace: country CHN\nduration: d\ndangers: x\n\nText.\n\nsources:\n- HRW, 2002\n", 9,
     'stage "S": a source line is not written as `- [Title](https://address), Publisher, Year`'),
    ("## S\nplace: country CHN\nduration: d\ndangers: x\n\nText.\n\nsources:\n"
     "- [T](ftp://x.org/r), P, 2002\n", 9, "stage \"S\": a source's url 'ftp://x.org/r' is not an "
     "http or https address"),
    (f"## S\nplace: the river\nduration: d\ndangers: x\n\nText.\n\nsources:\n{HRW}\n", 2,
     'stage "S" has a place the map cannot find: "the river"'),
])
def test_each_fault_is_named_at_its_line(text, line, message):
    _, issues = parse(text)
    assert (line, message) in {(issue.line, issue.message[:len(message)]) for issue in issues}


def test_a_place_keeps_how_many_decimals_it_was_written_with():
    narrative, _ = parse(f"## S\nplace: Yanji @ 42.8912, 129.5\nduration: d\ndangers: x\n\nT.\n\n"
                         f"sources:\n{HRW}\n")
    assert narrative.stages[0].place.decimals == 4, "the safety check refuses more than 2"


# -- the teacher's note, the context chapter and the glossary: the same parser ---------------------
def test_a_teacher_note_is_read_from_the_header_apart_from_the_story():
    narrative, issues = parse("---\ncontent_note: Trafficking.\nquestions:\n  - Why?\n"
                              "teacher_note: Read the content note first.\n---\n\n" + STORY[
                                  STORY.index("## Across"):])
    assert issues == []
    assert narrative.teacher_note == "Read the content note first."
    assert "Read the content note" not in narrative.intro + "".join(
        stage.body for stage in narrative.stages)


CONTEXT = f"""---
title: Why people leave, and why most cannot
content_note: Famine and punishment.
questions:
  - Why do most people stay?
---

North Korea does not let its people leave ([forced return](glossary:forced-return) aside).

## The famine of the 1990s

Estimates range widely.

sources:
{HRW}

## Why most never try

- **Family.** Relatives can be punished; [brokers](glossary:broker) cost money.

sources:
{HRW}
"""


def test_the_context_chapter_has_themes_without_place_duration_or_dangers():
    chapter, issues = parse_context(CONTEXT, Path("context.md"))
    assert issues == []
    assert (chapter.title, chapter.content_note, chapter.questions) == (
        "Why people leave, and why most cannot", "Famine and punishment.",
        ("Why do most people stay?",))
    assert chapter.intro.startswith("North Korea does not let")
    assert [(s.title, s.line, s.body) for s in chapter.sections] == [
        ("The famine of the 1990s", 10, "Estimates range widely."),
        ("Why most never try", 17, chapter.sections[1].body)]
    assert chapter.sections[1].body.startswith("- **Family.**")
    assert chapter.sections[0].sources == (Source(
        "The Invisible Exodus", "Human Rights Watch", 2002,
        "https://www.hrw.org/reports/2002/northkorea/"),)
    assert [(link.line, link.id) for link in chapter.glossary_links] == [
        (8, "forced-return"), (19, "broker")]


def test_a_context_chapter_needs_a_title_and_sourced_sections():
    _, issues = parse_context("Only prose.\n", Path("context.md"))
    assert [(i.line, i.message) for i in issues] == [
        (1, 'the header has no "title:" line'), (1, "the context chapter has no sections")]
    assert issues[0].hint.startswith("start the file with a header")
    _, issues = parse_context("---\ntitle: T\nplace: x\n---\n\n## A\n\nText.\n",
                              Path("context.md"))
    assert [(i.line, i.message) for i in issues] == [
        (3, 'the header has an unknown key "place"'), (6, 'section "A" cites no source')]


GLOSSARY = f"""---
title: Glossary
---

Words the stories use.

## mdl
term: Military Demarcation Line (MDL)

The line inside the [DMZ](glossary:dmz).

sources:
{HRW}

## dmz
term: Demilitarized Zone (DMZ)

The strip between the two Koreas.

sources:
{HRW}
"""


def test_a_glossary_entry_is_its_id_its_term_and_its_explanation():
    glossary, issues = parse_glossary(GLOSSARY, Path("glossary.md"))
    assert issues == []
    assert (glossary.title, glossary.intro) == ("Glossary", "Words the stories use.")
    assert [(t.id, t.term, t.body, t.line) for t in glossary.terms] == [
        ("mdl", "Military Demarcation Line (MDL)", "The line inside the [DMZ](glossary:dmz).", 7),
        ("dmz", "Demilitarized Zone (DMZ)", "The strip between the two Koreas.", 15)]
    assert glossary.term("dmz") is glossary.terms[1] and glossary.term("jsa") is None
    assert [(link.line, link.id) for link in glossary.glossary_links] == [(10, "dmz")]


def test_glossary_links_are_collected_from_the_prose_only_with_their_lines():
    narrative, issues = parse(
        f"Intro with [a](glossary:one) and [b](glossary:two).\n\n## S\nplace: country CHN\n"
        f"duration: d\ndangers: [c](glossary:three)\n\nText [d](glossary:four).\n\n"
        f"sources:\n{HRW}\n")
    assert [(link.line, link.id) for link in narrative.glossary_links] == [
        (1, "one"), (1, "two"), (8, "four")]
    assert [(i.line, i.message) for i in issues] == [
        (6, 'stage "S": the "dangers:" line has a glossary link, which is shown as plain text '
            "there")]
