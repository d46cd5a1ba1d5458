"""`mapapp new route|crossing`: the new feature in canonical form after its layer, the route's
story skeleton, placeholders the validator reports, and nothing else touched."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp.cli import cli

DATA = Path(__file__).parent / "data"
PROJECT = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the project's data (the base map is the project's: it has none of its own)."""
    for source in PROJECT.iterdir():
        if source.name != "basemap":
            (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / source.name)
    return tmp_path / "routes.geojson"


def new(*args: str):
    return CliRunner().invoke(cli, ["new", *args])


def test_a_new_route_goes_after_the_last_route_and_nothing_else_changes(data):
    before = data.read_text()
    routes = [f["id"] for f in json.loads(before)["features"] if f["properties"]["layer"] == "route"]
    result = new("route", "gobi-2024", "--data", str(data))
    assert result.exit_code == 0, result.output
    after = data.read_text()
    features = json.loads(after)["features"]
    ids = [feature["id"] for feature in features]
    assert ids.index("gobi-2024") == ids.index(routes[-1]) + 1
    # The rest of the file is byte for byte what it was: only the new feature was inserted.
    start = after.index('    {\n      "type": "Feature",\n      "id": "gobi-2024"')
    inserted = after[start - 2:after.index("\n    }", start) + 6]
    assert inserted.startswith(",\n")
    assert after.replace(inserted, "", 1) == before
    # In canonical form: `mapapp format --check` has nothing to change.
    assert CliRunner().invoke(cli, ["format", "--check", str(data)]).exit_code == 0
    assert f'Added route "gobi-2024" at {data}:{after[:start].count(chr(10)) + 1}' in result.stderr


def test_the_story_skeleton_has_every_required_line_and_fails_until_filled_in(data):
    assert new("route", "gobi-2024", "--data", str(data)).exit_code == 0
    story = (data.parent / "narratives" / "gobi-2024.md").read_text()
    for line in ("---", "content_note: TODO", "questions:", "  - TODO", "## TODO", "place: TODO",
                 "duration: TODO", "dangers: TODO", "sources:", "- [TODO"):
        assert any(written.startswith(line) for written in story.splitlines()), line
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(data)])
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    errors = [p for p in problems if p["severity"] == "error"]
    ours = [p for p in errors if p["feature"] == "gobi-2024"
            or p["path"].endswith("gobi-2024.md")]
    assert ours == errors  # the rest of the data is as valid as before
    placeholders = [p for p in ours if "still holds a placeholder" in p["message"]]
    assert {p["line"] for p in placeholders if p["path"].endswith(".md")} == {
        number for number, line in enumerate(story.splitlines(), start=1) if "TODO" in line}
    assert {p["message"] for p in ours} >= {
        '"title" still holds a placeholder: "TODO: the route\'s title, as the list of routes '
        'shows it"',
        "a route needs a geometry, found null",
    }


def test_what_a_new_route_needs_in_the_guide_and_the_catalogue_is_listed_too(data):
    """Neither file is touched: both need the story's questions and English first."""
    teach, catalogue = data.parent / "teach.md", data.parent / "translations" / "ko.po"
    before = teach.read_bytes(), catalogue.read_bytes()
    result = new("route", "gobi-2024", "--data", str(data))
    assert result.exit_code == 0
    line = teach.read_text().splitlines().index("question_aims:") + 1
    listed = result.stderr.split("Left to fill in:\n")[1].splitlines()
    assert listed[-3:] == [
        f"{teach}:{line}: add `  gobi-2024: [aim, …]` under question_aims, one aim of `aims` "
        "per question of its story",
        f"{catalogue}:1: run `mapapp translations update` once the story's English is final; a "
        "translator then fills in its entries (docs/translating.md)",
        "Then run `mapapp validate`, and `mapapp serve --debug` to see it on the map."]
    assert (teach.read_bytes(), catalogue.read_bytes()) == before


def test_a_crossing_needs_nothing_elsewhere(tmp_path):
    shutil.copytree(DATA / "site", tmp_path / "data")
    result = new("crossing", "musan-ford", "--data", str(tmp_path / "data" / "routes.geojson"))
    assert result.exit_code == 0
    assert "teach.md" not in result.stderr


def test_filling_in_the_placeholders_makes_it_valid(tmp_path):
    shutil.copytree(DATA / "valid", tmp_path / "data")
    data = tmp_path / "data" / "routes.geojson"
    assert new("crossing", "musan-ford", "--data", str(data)).exit_code == 0
    text = data.read_text()
    filled = json.loads(text)
    crossing = next(f for f in filled["features"] if f["id"] == "musan-ford")
    musan = next(f for f in filled["features"] if f["id"] == "musan-nanping")
    crossing["properties"] = {**musan["properties"], "name": "Musan ford"}
    crossing["geometry"] = musan["geometry"]
    data.write_text(json.dumps(filled))
    result = CliRunner().invoke(cli, ["validate", str(data)])
    assert result.exit_code == 0, result.output


def test_a_new_crossing_goes_after_the_last_crossing(tmp_path):
    shutil.copytree(DATA / "valid", tmp_path / "data")
    data = tmp_path / "data" / "routes.geojson"
    assert new("crossing", "musan-ford", "--data", str(data)).exit_code == 0
    ids = [f["id"] for f in json.loads(data.read_text())["features"]]
    assert ids[:3] == ["test-route", "musan-nanping", "musan-ford"]
    assert not (tmp_path / "data" / "narratives" / "musan-ford.md").exists()


@pytest.mark.parametrize("feature_id, code, message", [
    ("southern-route", 1, 'mapapp: the id "southern-route" is already used by the feature on '
                          "line 4; nothing was written."),
    ("Gobi Route", 1, 'mapapp: "Gobi Route" is not an id: use lowercase letters, digits and '
                      "single hyphens, as in northern-route; nothing was written."),
])
def test_an_id_that_is_taken_or_not_an_id_is_refused_and_nothing_is_written(
        data, feature_id, code, message):
    before = data.read_bytes()
    stories = sorted((data.parent / "narratives").iterdir())
    result = new("route", feature_id, "--data", str(data))
    assert (result.exit_code, result.stderr.strip()) == (code, message)
    assert data.read_bytes() == before
    assert sorted((data.parent / "narratives").iterdir()) == stories


def test_a_story_already_there_is_never_overwritten(data):
    story = data.parent / "narratives" / "gobi-2024.md"
    story.write_text("my draft")
    before = data.read_bytes()
    result = new("route", "gobi-2024", "--data", str(data))
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert story.read_text() == "my draft" and data.read_bytes() == before


def test_unreadable_data_exits_2(tmp_path):
    data = tmp_path / "routes.geojson"
    data.write_text('{"type": "FeatureCollection", "features": [,]}')
    result = new("route", "gobi-2024", "--data", str(data))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{data}:1: is not valid JSON")
    assert data.read_text() == '{"type": "FeatureCollection", "features": [,]}'
