"""`mapapp validate` and `mapapp format` as a maintainer runs them, on hostile input too:
never a traceback, the documented exit code, and the input file left exactly as it was."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp.cli import cli

DATA = Path(__file__).parent / "data"
PROJECT_DATA = Path(__file__).resolve().parents[1] / "data" / "routes.geojson"
MAPAPP = [sys.executable, "-m", "mapapp"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*MAPAPP, *args], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# (content, message, hint): JSON syntax errors come with a hint on a second line.
HOSTILE = {
    "empty": (b"", "is empty: a FeatureCollection is expected", None),
    "whitespace": (b"  \n\t\n", "is empty: a FeatureCollection is expected", None),
    "binary": (bytes(range(256)) * 4, "is not UTF-8 text", None),
    "truncated": (b'{"type": "FeatureCollection", "features": [{"type": "Fea',
                  "is not valid JSON: ends before the JSON is complete",
                  "restore the end of the file: every [ and { needs its ] and }"),
    "deeply-nested": (b"[" * 200_000 + b"]" * 200_000, "nested too deeply", None),
    "not-json": (b"type: FeatureCollection\n",
                 "is not valid JSON: a word JSON does not know (a text without quotes?)",
                 "write texts in double quotes; the only bare words are true, false and null"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_unreadable_input_exits_2_with_one_line_and_is_not_changed(tmp_path, name):
    content, message, hint = HOSTILE[name]
    path = tmp_path / f"{name}.geojson"
    path.write_bytes(content)
    before = digest(path)
    result = run("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[1:] == ([f"    hint: {hint}"] if hint else [])
    assert message in lines[0]
    assert lines[0].startswith(f"{path}:")
    assert digest(path) == before


@pytest.mark.parametrize("text, check, message", [
    ("[1, 2, 3]", "structure", "the file holds a JSON array, not a GeoJSON object"),
    ('"FeatureCollection"', "structure", "the file holds a JSON string, not a GeoJSON object"),
    ("null", "structure", "the file holds a JSON null, not a GeoJSON object"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
     '"geometry": {"type": "Point", "coordinates": [Infinity, 1]}}]}', "structure",
     "position [Infinity, 1] holds NaN or Infinity, which JSON does not allow"),
])
def test_wrong_top_level_and_non_finite_numbers_are_problems(tmp_path, text, check, message):
    path = tmp_path / "odd.geojson"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    assert (check, message) in {(p["check"], p["message"]) for p in problems}


def test_a_100_megabyte_file_gets_an_answer_not_a_traceback(tmp_path):
    path = tmp_path / "huge.geojson"
    filler = "x" * (100 * 1024 * 1024)
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "big", '
                    f'"properties": {{"layer": "crossing", "name": "{filler}"}}, '
                    '"geometry": null}]}')
    result = run("validate", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert 'feature "big": a crossing needs a geometry, found null' in result.stdout


def test_missing_file_and_folder_exit_2(tmp_path):
    result = run("validate", str(tmp_path / "nope.geojson"), str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path / 'nope.geojson'}: no such file" in result.stderr
    assert "is a folder without a routes.geojson" in result.stderr


def test_shipped_data_is_valid_in_a_real_process_which_says_what_it_checked():
    result = run("validate", cwd=PROJECT_DATA.parents[1])
    narratives = len(list((PROJECT_DATA.parent / "narratives").glob("*.md")))
    assert result.returncode == 0
    assert (f"Checked data/routes.geojson and {narratives} narratives: no problems"
            in result.stderr)


@pytest.mark.parametrize("name", ["teach.md", "further-reading.md"])
def test_the_guide_and_the_further_reading_are_checked_as_what_they_are(name):
    """Not as a route's story (which asked them for stages with places and sources)."""
    result = CliRunner().invoke(cli, ["validate", str(PROJECT_DATA.parent / name)])
    assert result.exit_code == 0, result.output
    assert f"{name}: no problems." in result.stderr


def test_the_guide_checked_alone_counts_its_aims_against_the_stories_beside_it(tmp_path):
    shutil.copytree(PROJECT_DATA.parent, tmp_path / "data")
    guide = tmp_path / "data" / "teach.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("  southern-route: [", "  southern-route: [geography, ", 1),
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(guide)])
    [problem] = json.loads(result.stdout)
    assert result.exit_code == 1 and Path(problem["path"]).name == "teach.md"
    assert problem["line"] == text.split("\n").index(
        next(line for line in text.split("\n") if line.startswith("  southern-route: ["))) + 1
    assert 'question_aims of "southern-route" gives' in problem["message"]


def test_json_output_has_the_documented_fields():
    result = CliRunner().invoke(cli, ["validate", "--format", "json",
                                      str(DATA / "faults" / "schema-missing-summary.geojson")])
    [problem] = json.loads(result.stdout)
    assert set(problem) == {"path", "line", "feature", "check", "message", "hint", "severity"}
    assert problem["severity"] == "error"


def test_mapapp_data_environment_variable_chooses_the_file(tmp_path):
    bad = tmp_path / "routes.geojson"
    bad.write_text("[]")
    result = subprocess.run([*MAPAPP, "validate"], capture_output=True, text=True,
                            env={**os.environ, "MAPAPP_DATA": str(bad)})
    assert result.returncode == 1
    assert str(bad) in result.stdout


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("validate", "format", "new", "serve", "export"):
        assert command in result.stdout
    assert run("validate", "--help").returncode == 0
    assert run("no-such-command").returncode == 2


# -- format ----------------------------------------------------------------------------------

def test_format_is_idempotent_and_check_agrees(tmp_path):
    path = tmp_path / "routes.geojson"
    messy = json.loads((DATA / "valid" / "routes.geojson").read_text())
    messy["features"][1]["geometry"]["coordinates"] = [129.21449, 42.2361]
    path.write_text(json.dumps(messy))  # one line, keys in any order
    assert run("format", "--check", str(path)).returncode == 1
    before = digest(path)
    assert run("format", "--check", str(path)).returncode == 1
    assert digest(path) == before  # --check writes nothing
    assert run("format", str(path)).returncode == 0
    first = path.read_text()
    assert '"coordinates": [129.21, 42.24]' in first
    assert first.endswith("}\n") and '\n  "features": [\n' in first
    assert run("format", str(path)).returncode == 0
    assert path.read_text() == first
    assert run("format", "--check", str(path)).returncode == 0


def test_format_orients_rings_counter_clockwise(tmp_path):
    path = tmp_path / "routes.geojson"
    path.write_text((DATA / "faults" / "geometry-clockwise-ring.geojson").read_text())
    assert run("format", str(path)).returncode == 0
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    assert "geometry" not in {p["check"] for p in json.loads(result.stdout)}


@pytest.mark.parametrize("content, reason", [
    (b'{"type": "FeatureCollection", "features": [', "is not valid JSON"),
    (b'{"type": "Feature", "properties": {"x": NaN}}', "holds NaN"),
    (b"\xff\xfe binary", "is not UTF-8 text"),
])
def test_format_refuses_what_is_not_json_and_changes_nothing(tmp_path, content, reason):
    path = tmp_path / "routes.geojson"
    path.write_bytes(content)
    result = run("format", str(path))
    assert result.returncode == 2
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["routes.geojson"]  # no temporary file left


def test_shipped_data_is_in_canonical_form():
    result = run("format", "--check", str(PROJECT_DATA))
    assert result.returncode == 0, result.stderr


def test_format_leaves_a_ring_of_huge_integers_as_it_is(tmp_path):
    """Found by the long property run: integers too large for a float in a polygon ring."""
    path = tmp_path / "routes.geojson"
    huge = "1" + "0" * 400
    path.write_text('{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", '
                    f'"coordinates": [[[0, 0], [{huge}, 0], [0, 1], [0, 0]]]}}}}')
    result = CliRunner().invoke(cli, ["format", str(path)])
    assert result.exception is None, repr(result.exception)  # exit 0 leaves no exception
    assert result.exit_code == 0
    assert huge in path.read_text()
    assert CliRunner().invoke(cli, ["format", "--check", str(path)]).exit_code == 0


@pytest.mark.parametrize("command", [["validate"], ["format"], ["serve"], ["export"],
                                     ["new", "route"], ["new", "crossing"]])
def test_every_command_takes_data(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "--data PATH" in result.output and "$MAPAPP_DATA" in result.output
