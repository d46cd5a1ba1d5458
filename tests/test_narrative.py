"""mapapp.narrative: a route's story read into its header, introduction and stages, every fault
with its line (docs/data-format.md, section narratives)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mapapp.contract import Source
from mapapp.narrative import Place, parse_narrative

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
     f"{HRW}\n", 1, 'stage "S" has confidence "sure"'),
    ("## S\nplace: country CHN\nduration: d\ndangers: x\n\nText.\n", 1, 'stage "S" cites no source'),
    (f"## S\nplace: country CHN\nduration: d\ndangers: x\n\nsources:\n{HRW}\n", 1,
     'stage "S" tells nothing'),
    ("## S\nplace: country CHN\nduration: d\ndangers: x\n\nText.\n\nsources:\n- HRW, 2002\n", 9,
     'stage "S": a source line is not written as `- [Title](https://address), Publisher, Year`'),
    ("## S\nplace: country CHN\nduration: d\ndangers: x\n\nText.\n\nsources:\n"
     "- [T](ftp://x.org/r), P, 2002\n", 9, "stage \"S\": a source's url 'ftp://x.org/r' is not an "
     "http or https address"),
    (f"## S\nplace: the river\nduration: d\ndangers: x\n\nText.\n\nsources:\n{HRW}\n", 1,
     'stage "S" has a place the map cannot find: "the river"'),
])
def test_each_fault_is_named_at_its_line(text, line, message):
    _, issues = parse(text)
    assert (line, message) in {(issue.line, issue.message[:len(message)]) for issue in issues}


def test_a_place_keeps_how_many_decimals_it_was_written_with():
    narrative, _ = parse(f"## S\nplace: Yanji @ 42.8912, 129.5\nduration: d\ndangers: x\n\nT.\n\n"
                         f"sources:\n{HRW}\n")
    assert narrative.stages[0].place.decimals == 4, "the safety check refuses more than 2"
