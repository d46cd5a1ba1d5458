"""The content in Korean: which English texts a catalogue holds (mapapp.translation), the
catalogue brought up to date like `pybabel update` (mapapp.catalogue, `mapapp translations
update`), the Atlas built in Korean from it, and the `translation` check with its fixtures
(tests/data/translation-faults, pinned to message and line).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from helpers import ROOT, SITE_DATA

from mapapp.catalogue import read_catalogue, updated_catalogue
from mapapp.cli import cli
from mapapp.loading import load_dataset
from mapapp.model import load_atlas
from mapapp.parsing import parse
from mapapp.translation import English, Mixed, english_texts
from mapapp.validation import translation as check

DATA = Path(__file__).parent / "data"
FAULTS = DATA / "translation-faults"


def texts_of(data: Path) -> dict[str, list]:
    found: dict[str, list] = {}
    for text in english_texts(parse(load_dataset(data))):
        found.setdefault(text.context, []).append(text)
    return found


def fill(catalogue_text: str, translations: dict[str, str]) -> str:
    """A catalogue with `translations` (English -> Korean) filled in, as a translator would."""
    lines, out, pending = catalogue_text.splitlines(), [], None
    for line in lines:
        if line.startswith("msgid "):
            pending = json.loads(line[6:])
        elif line.startswith('"') and pending is not None:
            pending += json.loads(line)
        elif line.startswith("msgstr ") and pending in translations:
            line = "msgstr " + json.dumps(translations[pending], ensure_ascii=False)
            pending = None
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture
def site(tmp_path) -> Path:
    shutil.copytree(SITE_DATA.parent, tmp_path / "site")
    return tmp_path / "site" / "routes.geojson"


# -- the texts ---------------------------------------------------------------------------------
def test_every_text_is_named_where_it_is_used_and_located_in_its_file():
    texts = texts_of(FAULTS / "routes.geojson")
    [title] = texts["route:test-route:title"]
    assert title.source == "A test route into China"
    assert title.locations == (("translation-faults/routes.geojson", 9),)
    body = texts["route:test-route:stage-1:body"]
    assert [t.source[:12] for t in body] == ["People wade ", "Guards watch", "- arrest by "]
    assert [t.locations[0][1] for t in body] == [15, 17, 19], "one entry per paragraph"
    assert texts["route:test-route:stage-1:dangers"][0].locations[0][1] == 12
    assert texts["river"][0].source == "Tumen" and texts["river"][0].comments
    assert "event:test-event:chart_label" in texts
    assert "statistics:hiding_in_china:2002:note" in texts


def test_a_text_used_in_several_places_is_one_entry_with_each_place():
    river = texts_of(SITE_DATA)["river"]
    tumen = next(text for text in river if text.source == "Tumen")
    assert len(tumen.locations) >= 1 and len({t.source for t in river}) == len(river)


def test_the_atlas_in_korean_uses_translations_and_keeps_the_rest_english(site):
    update = updated_catalogue(english_texts(parse(load_dataset(site))), None, "ko")
    route = load_atlas(site).routes[0]
    first = route.narrative.stages[0].body.split("\n\n")[0]
    story = site.parent / "narratives" / f"{route.id}.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        first, first + "\n\nSecond paragraph.", 1), encoding="utf-8")
    update = updated_catalogue(english_texts(parse(load_dataset(site))), update.text, "ko")
    (site.parent / "translations").mkdir()
    (site.parent / "translations" / "ko.po").write_text(
        fill(update.text, {route.title: "번역한 제목", first: "번역한 첫 문단.", "Tumen": "두만강"}),
        encoding="utf-8")
    english = load_atlas(site)
    korean = english.edition("ko")
    assert korean.language == "ko" and english.language == "en"
    assert english.edition("en") is english
    translated = korean.route(route.id)
    assert translated.title == "번역한 제목" and not isinstance(translated.title, English)
    assert isinstance(translated.summary, English) and translated.summary == route.summary
    body = translated.narrative.stages[0].body
    assert isinstance(body, Mixed)
    assert body.blocks == (("번역한 첫 문단.", ""), ("Second paragraph.", "en"))
    assert {crossing.river for crossing in korean.crossings} >= {"두만강"}
    source = translated.sources[0]
    assert isinstance(source.title, English) and isinstance(source.publisher, English)
    assert english.route(route.id).title == route.title, "the English Atlas is unchanged"


def test_base_map_names_come_in_korean_from_the_base_map_build(site_atlas):
    korean = site_atlas.edition("ko")
    names = {town.name for town in korean.towns}
    assert {"평양", "서울", "옌지"} <= names
    assert {"Pyongyang", "Seoul"} <= {town.name for town in site_atlas.towns}
    chn = next(country for country in korean.countries if country.iso3 == "JPN")
    assert chn.name == "일본", "a country the data does not describe: the base map's name"


# -- the catalogue -----------------------------------------------------------------------------
def test_an_update_keeps_translations_marks_changes_fuzzy_and_keeps_the_gone_as_obsolete(site):
    first = updated_catalogue(english_texts(parse(load_dataset(site))), None, "ko")
    assert first.added == first.total and first.translated == 0
    route = load_atlas(site).routes[0]
    stage = route.narrative.stages[1]
    current = fill(first.text, {route.title: "번역한 제목", route.summary: "번역한 요약",
                                stage.dangers: "번역한 위험"})
    assert updated_catalogue(english_texts(parse(load_dataset(site))), current, "ko").text \
        == current, "nothing changed: the same file"
    data = site.read_text(encoding="utf-8")
    site.write_text(data.replace(route.summary, route.summary.rstrip(".") + " again."),
                    encoding="utf-8")
    story = site.parent / "narratives" / f"{route.id}.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace(f"dangers: {stage.dangers}", "dangers: something new"),
                     encoding="utf-8")
    update = updated_catalogue(english_texts(parse(load_dataset(site))), current, "ko")
    assert (update.translated, update.outdated, update.removed) == (1, 1, 1)
    catalog = read_po(iter(update.text.splitlines(keepends=True)))
    summary = next(m for m in catalog if m.context == f"route:{route.id}:summary")
    assert summary.fuzzy and summary.string == "번역한 요약"
    previous = " ".join(line[3:] for line in update.text.splitlines() if line.startswith("#| "))
    assert route.summary.split(",")[0] in previous, "the old English beside it, for review"
    assert next(m for m in catalog if m.context == f"route:{route.id}:title").string == "번역한 제목"
    assert [m.string for m in catalog.obsolete.values()] == ["번역한 위험"]


def test_an_entry_that_only_moved_keeps_its_translation_without_a_fuzzy_mark(site):
    first = updated_catalogue(english_texts(parse(load_dataset(site))), None, "ko")
    route = load_atlas(site).routes[0]
    stage = route.narrative.stages[0]
    current = fill(first.text, {stage.title: "옮겨진 단계"})
    story = site.parent / "narratives" / f"{route.id}.md"
    text = story.read_text(encoding="utf-8")
    heading = text.index(f"## {stage.title}")
    story.write_text(text[:heading] + "## A new first stage\nplace: country CHN\nduration: "
                     "a day\ndangers: none\n\nA new stage.\n\nsources:\n"
                     "- [The Invisible Exodus](https://www.hrw.org/reports/2002/northkorea/), "
                     "Human Rights Watch, 2002\n\n" + text[heading:], encoding="utf-8")
    catalog = read_po(iter(updated_catalogue(english_texts(parse(load_dataset(site))), current,
                                             "ko").text.splitlines(keepends=True)))
    moved = next(m for m in catalog if m.id == stage.title)
    assert moved.context == f"route:{route.id}:stage-2:title"
    assert moved.string == "옮겨진 단계" and not moved.fuzzy


def test_a_catalogue_that_is_not_po_is_one_problem_at_its_line():
    catalogue, issues = read_catalogue('msgid "a"\nmsgstr "b"\nwhat is this\n', "ko.po", "ko")
    assert catalogue.entries == ()
    [issue] = issues
    assert issue.line == 3 and issue.check == "translation"
    assert issue.message.startswith("the catalogue is not a valid PO file")


# -- the command -------------------------------------------------------------------------------
def test_the_update_command_writes_checks_and_says_what_it_did(site):
    runner = CliRunner()
    assert "--check" in runner.invoke(cli, ["translations", "update", "--help"]).output
    target = site.parent / "translations" / "ko.po"
    stale = runner.invoke(cli, ["translations", "update", "--check", "--data", str(site)])
    assert stale.exit_code == 1 and not target.exists()
    assert "Run `mapapp translations update`" in stale.stderr
    made = runner.invoke(cli, ["translations", "update", "--data", str(site)])
    assert made.exit_code == 0, made.output
    total = len(english_texts(parse(load_dataset(site))))
    assert f"{target}: updated; {total} texts, 0 translated (0%), {total} new" in made.stderr
    assert "Updating" in made.stderr, "a progress bar"
    again = runner.invoke(cli, ["translations", "update", "--check", "--data", str(site)])
    assert again.exit_code == 0 and "already up to date" in again.stderr
    unknown = runner.invoke(cli, ["translations", "update", "--language", "xx"])
    assert unknown.exit_code == 2 and "the languages are ko" in unknown.output


# -- the check ---------------------------------------------------------------------------------
EXPECTED = [  # (file, line, severity, message)
    ("narratives/test-route.md", 7, "warning",
     '"route:test-route:intro" (“A test narrative.”) is not yet translated into Korean'),
    ("narratives/test-route.md", 12, "warning",
     'the Korean of "route:test-route:stage-1:dangers" (“arrest and forced return”) is '
     "outdated: the English changed since (ko.po:62 is marked fuzzy)"),
    ("narratives/test-route.md", 25, "warning",
     'the Korean of "route:test-route:stage-2:title" (“North to Yanji”) is outdated: the '
     "English changed since it was translated (ko.po:169)"),
    ("narratives/test-route.md", 26, "warning",
     '"place" (“Yanji”) is not yet in the Korean catalogue'),
    ("translations/ko.po", 69, "error",
     'the Korean of "route:test-route:stage-1:body" (“People wade across where the river is '
     "s…”) drops or changes the figure 1,000"),
    ("translations/ko.po", 76, "error",
     'the Korean of "route:test-route:stage-1:body" (“Guards watch the bank ([Human Rights '
     "Wa…”) breaks the link to https://www.hrw.org/reports/2002/northkorea/"),
    ("translations/ko.po", 83, "error",
     'the Korean of "route:test-route:stage-1:body" (“- arrest by border guards - forced '
     "retu…”) changes the Markdown structure: 2 list items in the English, 0 in the "
     "translation"),
    ("translations/ko.po", 159, "error",
     'the Korean of "event:test-event:chart_label" (“Fences”) is 29 characters long, more '
     "than 24"),
    ("translations/ko.po", 174, "warning",
     'the entry "route:test-route:stage-3:title" (“Over the Mekong”) translates English that '
     "the data no longer has"),
]


def test_every_translation_fault_is_reported_at_its_line_with_its_severity():
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(FAULTS)])
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {problem["check"] for problem in problems} == {"translation"}
    got = [(str(Path(p["path"]).relative_to(FAULTS)), p["line"], p["severity"], p["message"])
           for p in problems]
    assert got == EXPECTED
    hints = {p["message"]: p["hint"] for p in problems}
    assert hints[EXPECTED[4][3]].endswith("test-route.md:15"), "where the English is"


def test_warnings_alone_pass_unless_strict(site):
    runner = CliRunner()
    assert runner.invoke(cli, ["translations", "update", "--data", str(site)]).exit_code == 0
    relaxed = runner.invoke(cli, ["validate", str(site)])
    assert relaxed.exit_code == 0, relaxed.output
    assert "warning: " in relaxed.stdout and "warning(s)" in relaxed.stderr
    assert runner.invoke(cli, ["validate", "--strict", str(site)]).exit_code == 1
    load_atlas(site)  # and the site still serves the data


def test_a_broken_catalogue_stops_the_data_with_its_line(site):
    (site.parent / "translations").mkdir()
    (site.parent / "translations" / "ko.po").write_text('msgid "x"\nmsgstr "y"\nwhat\n',
                                                         encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(site)])
    [problem] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert result.exit_code == 1 and problem["line"] == 3
    assert problem["path"].endswith("ko.po")


@pytest.mark.parametrize(("english", "korean"), [
    ("about 10,000 people", "약 1만 명"),
    ("between 240,000 and 3.5 million", "24만에서 350만 사이"),
    ("34,538 by the end of 2025", "2025년 말까지 3만 4,538명"),
    ("US$2,000–10,000 in 2007–2015", "2007–2015년에 2천~1만 달러"),
    ("on 9 January 2005", "2005년 1월 9일에"),
    ("24.9 million people", "2,490만 명"),
    ("* one\n* **two** and *three*\n\nAfter.", "* 하나\n* **둘**과 *셋*\n\n그다음.\n"),
])
def test_figures_may_be_written_the_korean_way(english, korean):
    assert check._faults(_text(english), korean) == []


@pytest.mark.parametrize(("english", "korean", "fault"), [
    ("about 10,000 people", "약 1천 명", "drops or changes the figure 10,000"),
    ("in 2005", "2006년에", "drops or changes the figure 2005"),
    ("see [HRW](https://hrw.org/a)", "HRW 참고", "breaks the link to https://hrw.org/a"),
    ("see [MDL](glossary:mdl)", "[군사분계선](glossary:nll) 참고", "breaks the link to glossary:mdl"),
    ("**bold** text", "**굵은 글씨", "leaves a ** mark unclosed"),
    ("*Hanawon* first", "*하나원 먼저", "leaves a * mark unclosed"),
    ("One.\n\nTwo.", "하나.\n\n둘.\n\n셋.",
     "changes the Markdown structure: 1 paragraph breaks in the English, 2 in the translation"),
    ("One.\n\nTwo.", "하나. 둘.",
     "changes the Markdown structure: 1 paragraph breaks in the English, 0 in the translation"),
    ("Hello %(name)s", "안녕하세요", "leaves out the placeholder %(name)s"),
])
def test_a_translation_that_breaks_its_english_is_a_fault(english, korean, fault):
    assert fault in [message for message, _ in check._faults(_text(english), korean)]


def _text(source: str):
    from mapapp.catalogue import Text
    return Text("route:x:summary", source, (("data/routes.geojson", 1),))


def test_a_catalogue_is_checked_alone_against_the_data_it_translates():
    whole = json.loads(CliRunner().invoke(cli, ["validate", "--format", "json",
                                                str(FAULTS)]).stdout)
    alone = CliRunner().invoke(cli, ["validate", "--format", "json",
                                     str(FAULTS / "translations" / "ko.po")])
    assert alone.exit_code == 1

    def found(problems: list[dict]) -> list:
        return [(Path(p["path"]).resolve(), p["line"], p["message"]) for p in problems]

    assert found(json.loads(alone.stdout)) == found(whole)
    missing = CliRunner().invoke(cli, ["validate", str(FAULTS / "translations" / "xx.po")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_a_source_is_marked_in_its_own_language_where_the_edition_has_another(site):
    data = site.read_text(encoding="utf-8")
    route = load_atlas(site).routes[0]
    title = route.sources[0].title
    site.write_text(data.replace(f'"title": "{title}"', '"title": "새해부터 바뀝니다"', 1),
                    encoding="utf-8")
    english = load_atlas(site)
    source = english.route(route.id).sources[0]
    assert source.title == "새해부터 바뀝니다" and source.title.lang == "ko"
    assert not hasattr(source.publisher, "lang"), "English in the English edition: unmarked"
    korean = english.edition("ko").route(route.id).sources[0]
    assert not hasattr(korean.title, "lang") and korean.publisher.lang == "en"


def test_a_clean_catalogue_checked_alone_is_named_alone():
    catalogue = ROOT / "data" / "translations" / "ko.po"
    result = CliRunner().invoke(cli, ["validate", str(catalogue)])
    assert result.exit_code == 0
    assert result.stderr.strip() == f"Checked {catalogue}: no problems."
