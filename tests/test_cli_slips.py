"""The slips a maintainer makes by hand (issue 16), each caught by `mapapp validate` with one
clear message at the line of the mistake, and a hint.

Each folder of tests/data/faults/slips/ is the valid dataset with one slip (see
tests/data/README.md); tests/data/faults/syntax/ holds JSON that does not parse.
"""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp.cli import cli

DATA = Path(__file__).parent / "data"
SLIPS = DATA / "faults" / "slips"
SYNTAX = DATA / "faults" / "syntax"
STORY = "narratives/test-route.md"

# slip: (file, line, check, severity, message, hint), the one problem it gives.
EXPECTED = {
    "heading-level-1": (
        STORY, 20, "schema", "error", '"# North to Yanji" is a level-1 heading; stage headings '
        'are "## "', "write `## North to Yanji` (see docs/data-format.md, section narratives)"),
    "heading-level-3": (
        STORY, 20, "schema", "error", '"### North to Yanji" is a level-3 heading; stage headings '
        'are "## "', "write `## North to Yanji` (see docs/data-format.md, section narratives)"),
    "first-heading-level-1": (
        STORY, 9, "schema", "error", '"# Across the Tumen" is a level-1 heading; stage headings '
        'are "## "', "write `## Across the Tumen` (see docs/data-format.md, section narratives)"),
    "heading-no-space": (
        STORY, 20, "schema", "error", '"#North to Yanji" has no space after "#"; stage headings '
        'are "## "', "write `## North to Yanji` (see docs/data-format.md, section narratives)"),
    # A line of text over `---` is a heading to Markdown; the underline is no source line.
    "heading-setext": (
        STORY, 20, "schema", "error", '"North to Yanji" is underlined with "--------------"; '
        'stage headings are "## "',
        "write `## North to Yanji` (see docs/data-format.md, section narratives)"),
    "stage-line-in-intro": (
        STORY, 8, "schema", "error", 'a "duration:" line in the introduction, before the first '
        "stage", "put it right below the `## ` heading of its stage, or write it as a sentence "
        "(see docs/data-format.md, section narratives)"),
    # Alone: not also the guide's aims for "0 questions" nor the catalogue's header entries
    # as English "the data no longer has".
    "header-tab": (
        STORY, 2, "schema", "error", "the header has a tab, which YAML does not allow",
        "use spaces instead: one after the colon, two before each `- ` item"),
    "stage-at-unlisted-crossing": (
        STORY, 10, "reference", "error", 'stage "Across the Tumen" goes to crossing '
        '"musan-nanping", which the route does not list in its crossings',
        'add "musan-nanping" to the crossings of route "test-route", or place the stage at one '
        "of them: musan-ford"),
    "crossing-far-from-line": (
        "routes.geojson", 12, "spatial", "error", 'lists crossing "hyesan-changbai", which lies '
        "116 km from its line", "draw the line through the crossing, or list the crossing the "
        "line really takes"),
    # The typo alone: not also "add CHM to the route's countries".
    "stage-country-typo": (
        STORY, 21, "reference", "error", 'stage "North to Yanji" goes to country "CHM", which '
        "the data does not have",
        "did you mean CHN? Else use the id of a country feature of routes.geojson"),
    "stage-crossing-typo": (
        STORY, 10, "reference", "error", 'stage "Across the Tumen" goes to crossing '
        '"musan-nanpin", which the data does not have',
        'did you mean "musan-nanping"? Else use the id of a crossing feature of routes.geojson'),
    "route-crossing-typo": (
        "routes.geojson", 12, "reference", "error", 'uses crossing "musan-nanpnig", but that id '
        "names no feature", 'did you mean "musan-nanping"? Else add the crossing feature'),
    "stage-in-country-not-entered": (
        STORY, 21, "reference", "error", 'stage "North to Yanji" is placed in KOR, a country '
        'route "test-route" never enters', "place it in one of PRK, CHN, or add KOR to the "
        "route's countries (and draw the line through it)"),
    # A town the base map has in a country the route does not list.
    "stage-town-in-country-not-entered": (
        STORY, 21, "spatial", "error", 'stage "North to Yanji" is placed at Vladivostok, in RUS, '
        'a country route "test-route" never enters', "place it in one of PRK, CHN, or add RUS to "
        "the route's countries (and draw the line through it)"),
    "stages-out-of-order": (
        STORY, 19, "spatial", "warning", 'stage "Across the Tumen" comes after stage "North to '
        "Yanji\" in the story, but lies before it along the route's line",
        "put the stages in travel order, or draw the line the way the story goes (from North "
        "Korea onwards)"),
    # The root cause alone: walked as land, the air leg would pass through PRK again.
    "one-mode-for-two-parts": (
        "routes.geojson", 25, "schema", "error", '"modes" lists 1 mode(s) but the route has 2 '
        "part(s)", "give exactly one mode per part of the MultiLineString"),
    # At the value's own line, not at the source's `{`.
    "source-year-as-text": (
        "routes.geojson", 21, "schema", "error", "a source's year must be a whole year between "
        "1945 and 2026, found \"2002\"", "write the year of publication, e.g. 2006"),
    "country-code-typo": (
        "routes.geojson", 11, "reference", "error", "lists CHM, which has no country feature",
        'did you mean CHN? Else add a feature with "layer": "country", "iso3": "CHM" and its '
        "role, policy and sources (docs/maintainers.md, adding a country)"),
}


def validate(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


@pytest.mark.parametrize("slip", EXPECTED)
def test_each_slip_is_one_problem_at_its_line_with_a_hint(slip):
    result = validate("--format", "json", str(SLIPS / slip))
    file, line, check, severity, message, hint = EXPECTED[slip]
    if "2026" in message:  # the latest year a source may have is this year
        from mapapp.contract import this_year
        message = message.replace("2026", str(this_year()))
    [problem] = json.loads(result.stdout)
    assert (problem["path"], problem["line"], problem["check"], problem["severity"],
            problem["message"], problem["hint"]) == (
        str(SLIPS / slip / file), line, check, severity, message, hint)
    # Tools get the feature's id; the text says 'feature "test-route"'.
    assert problem["feature"] == ("test-route" if file == "routes.geojson" else None)
    assert result.exit_code == (1 if severity == "error" else 0)


def test_a_warning_fails_only_with_strict():
    assert validate(str(SLIPS / "stages-out-of-order")).exit_code == 0
    assert validate("--strict", str(SLIPS / "stages-out-of-order")).exit_code == 1


@pytest.mark.parametrize("place, problems", [
    ("Kraskino @ 42.78, 130.75", 0),  # 5 km into Russia: China's, at the base map's scale
    ("Kraskino @ 42.72, 130.9", 1),  # 14 km into Russia
])
def test_a_town_near_a_listed_country_may_stand_for_it(tmp_path, place, problems):
    shutil.copytree(DATA / "valid", tmp_path / "data")
    story = tmp_path / "data" / STORY
    story.write_text(story.read_text().replace("Yanji @ 42.89, 129.5", place))
    result = validate("--format", "json", str(tmp_path / "data"))
    assert [p["message"] for p in json.loads(result.stdout)] == [
        'stage "North to Yanji" is placed at Kraskino, in RUS, a country route "test-route" '
        "never enters"][:problems]


def test_every_slip_folder_is_pinned():
    assert {path.name for path in SLIPS.iterdir()} == set(EXPECTED)


# file: (line, column, what it probably is, hint)
SYNTAX_ERRORS = {
    "trailing-comma": (9, 32, "a trailing comma: the last item of a list or object has a comma "
                       "after it", "delete this comma"),
    "missing-comma": (8, 28, "a comma is missing after this value",
                      "add a comma between the two items or members"),
    "unquoted-key": (9, 9, "a key without double quotes",
                     'write the key in double quotes: "key": value'),
    "single-quotes": (9, 17, "a text in single quotes",
                      'JSON texts and keys use double quotes: write "…"'),
    "comment": (11, 7, "a comment, which JSON does not allow", "delete the comment"),
}


@pytest.mark.parametrize("name", SYNTAX_ERRORS)
def test_a_json_syntax_error_is_named_at_the_mistake(name):
    path = SYNTAX / f"{name}.geojson"
    line, column, what, hint = SYNTAX_ERRORS[name]
    result = validate(str(path))
    assert result.exit_code == 2
    assert result.stderr == (f"{path}:{line}: is not valid JSON: {what} (column {column})\n"
                             f"    hint: {hint}\n")


def test_a_json_syntax_error_is_an_object_in_json_output_too():
    path = SYNTAX / "trailing-comma.geojson"
    result = validate("--format", "json", str(path))
    assert result.exit_code == 2
    assert json.loads(result.stdout) == [{
        "path": str(path), "line": 9, "feature": None, "check": "structure",
        "severity": "error", "hint": "delete this comma",
        "message": "is not valid JSON: a trailing comma: the last item of a list or object has a "
                   "comma after it (column 32)"}]


def test_every_syntax_fixture_is_pinned():
    assert {path.stem for path in SYNTAX.iterdir()} == set(SYNTAX_ERRORS)


def test_success_names_what_was_checked():
    result = validate(str(DATA / "valid"))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == (f"Checked {DATA / 'valid' / 'routes.geojson'} and 1 narrative: "
                             "no problems.\n")


def test_a_folder_of_narratives_is_checked_file_by_file(tmp_path):
    folder = tmp_path / "narratives"
    folder.mkdir()
    (folder / "test-route.md").write_text((DATA / "valid" / STORY).read_text())
    (folder / "other-route.md").write_text((SLIPS / "heading-level-3" / STORY).read_text())
    result = validate(str(folder))
    assert result.exit_code == 1
    assert result.stderr == "1 problem(s) in 1 file(s).\n"
    assert result.stdout.startswith(f'{folder / "other-route.md"}:20: "### North to Yanji" is a '
                                    "level-3 heading")
    (folder / "other-route.md").unlink()
    result = validate(str(folder))
    assert (result.exit_code, result.stderr) == (
        0, f"Checked {folder / 'test-route.md'}: no problems.\n")


def test_mapapp_data_is_named_when_it_chose_the_file(monkeypatch):
    monkeypatch.setenv("MAPAPP_DATA", str(DATA / "valid" / "routes.geojson"))
    result = validate()
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        f"Using {DATA / 'valid' / 'routes.geojson'} (from $MAPAPP_DATA).")


def test_data_option_chooses_the_file_over_mapapp_data(monkeypatch):
    monkeypatch.setenv("MAPAPP_DATA", str(SLIPS / "heading-level-1" / "routes.geojson"))
    result = validate("--data", str(DATA / "valid" / "routes.geojson"))
    assert result.exit_code == 0
    assert "MAPAPP_DATA" not in result.stderr


@pytest.mark.parametrize("text, flagged", [
    ("The boat crossed the Northern Limit Line: the sea border the North does not accept.", False),
    ("A line: the fence follows the river.", False),
    ("Write to LINE ID: abc123 for help.", True),
    ("Ask line: @helper for the way.", True),
    ("WeChat: wxid_helper1 knows a driver.", True),
    ("WeChat: a messenger many people in China use.", False),
])
def test_a_messenger_id_needs_the_form_of_one(tmp_path, text, flagged):
    """Found by the content editor: "Northern Limit Line:" was read as a LINE messenger id."""
    shutil.copytree(DATA / "valid", tmp_path / "data")
    routes = tmp_path / "data" / "routes.geojson"
    data = json.loads(routes.read_text())
    data["features"][0]["properties"]["summary"] = text
    routes.write_text(json.dumps(data))
    problems = json.loads(validate("--format", "json", str(routes)).stdout)
    assert [(p["check"], p["message"]) for p in problems] == (
        [("safety", "a text holds a messenger id")] if flagged else [])
