"""The teachers' guide as data (mapapp/guide.py): read from data/teach.md beside the routes, its
aims tied to the questions of the stories, each fault reported at its line.
The page /teach is tested in tests/test_educators.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SITE_DATA

from mapapp.guide import parse_guide
from mapapp.model import AtlasError, load_atlas

QUESTIONS = {"context": 1, "southern-route": 2, "dmz-route": 0}
GOOD = """---
title: Teaching with this map
aims:
  geography: Reading a map
  rights: Refugees' rights
question_aims:
  context: [rights]
  southern-route: [geography, [geography, rights]]
---

Intro.

## A 45-minute lesson

Steps.

## Printing

Print it.
"""


def parse(text: str):
    return parse_guide(text, Path("teach.md"), QUESTIONS)


def test_a_guide_gives_its_sections_and_the_aims_of_each_question():
    guide, issues = parse(GOOD)
    assert issues == []
    assert guide.title == "Teaching with this map" and guide.intro == "Intro."
    assert [(s.id, s.title, s.body) for s in guide.sections] == [
        ("a-45-minute-lesson", "A 45-minute lesson", "Steps."), ("printing", "Printing",
                                                                 "Print it.")]
    assert guide.aims_of("southern-route") == (("geography",), ("geography", "rights"))
    assert guide.aim("rights") == "Refugees' rights" and guide.aims_of("dmz-route") == ()


@pytest.mark.parametrize(("change", "line", "message"), [
    (("  southern-route: [geography, [geography, rights]]\n", "  southern-route: [geography]\n"),
     8, 'question_aims of "southern-route" gives 1 aims for 2 questions'),
    (("  context: [rights]\n", "  context: [history]\n"), 7,
     'question_aims of "context" names the aim "history", which `aims` does not list'),
    (("  context: [rights]\n", "  context: [rights]\n  sea-route: [rights]\n"), 8,
     'question_aims names "sea-route", which is neither a route nor the context chapter'),
    (("  context: [rights]\n", ""), 6, 'question_aims has no entry for "context", which has 1 '
                                       "questions"),
    (("title: Teaching with this map\n", ""), 1, 'the guide has no "title:" line'),
    (("  rights: Refugees' rights\n", "  rights: Rights: a colon\n"), 5,
     "the header is not valid YAML"),
    (("title: Teaching", "level: 3\ntitle: Teaching"), 2, 'the header has an unknown key "level"'),
    (("Steps.", "[A copy](https://example.blogspot.com/post)"), 15,
     "is a copy on blogspot.com"),
])
def test_each_fault_is_reported_at_its_line(change, line, message):
    _, issues = parse(GOOD.replace(*change, 1))
    assert [(issue.line, message in issue.message) for issue in issues] == [(line, True)], issues


def test_the_atlas_carries_the_guide_and_refuses_one_out_of_step_with_the_stories(site_copy):
    assert load_atlas(SITE_DATA).guide.aims_of("southern-route") == (("geography", "rights"),)
    guide = site_copy.parent / "teach.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "  southern-route: [[geography, rights]]\n", ""), encoding="utf-8")
    with pytest.raises(AtlasError, match=r'teach\.md:6: question_aims has no entry for '
                                         r'"southern-route"'):
        load_atlas(site_copy)
    guide.unlink()
    assert load_atlas(site_copy).guide is None
