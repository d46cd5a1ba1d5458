"""`mapapp format` beyond the GeoJSON: the narratives and statistics beside it, the diff of
--check, what it says when it rounds, --data, and the docs' examples in canonical form. The
GeoJSON's canonical form and hostile input are tests/test_cli_validate.py; interrupted writes
tests/test_formatting_atomic.py."""

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp.cli import cli
from mapapp.formatting import canonical, canonical_json

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).resolve().parents[1] / "docs"
MESSY_STORY = ("---\r\nquestions:\r\n  - Why this way?  \r\ncontent_note: This test narrative "
               "mentions arrest.\r\n---\r\n\r\nA test narrative.   \r\n\r\n\r\n")
TIDY_STORY = ("---\ncontent_note: This test narrative mentions arrest.\nquestions:\n"
              "  - Why this way?\n---\n\nA test narrative.\n")


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(DATA / "valid", tmp_path / "data")
    return tmp_path / "data" / "routes.geojson"


def run(*args: str):
    return CliRunner().invoke(cli, ["format", *args])


def test_narratives_get_lf_no_trailing_spaces_and_header_keys_in_order(data):
    story = data.parent / "narratives" / "test-route.md"
    tidy = story.read_text()
    header, body = tidy.split("\n---\n", 1)
    dashes, content_note, *questions = header.split("\n")
    messy = "\n".join([dashes, *questions, content_note, "---", body, "", ""])
    story.write_bytes(messy.replace("\n", "  \r\n").encode())
    result = run(str(data))
    assert result.exit_code == 0
    assert result.stderr == f"{story}: reformatted.\n"
    assert story.read_bytes() == tidy.encode()
    assert run(str(data)).stderr == (f"{data} and the 2 file(s) beside it: already in canonical "
                                     "form.\n")


def test_a_single_narrative_can_be_formatted(tmp_path):
    story = tmp_path / "some-route.md"
    story.write_bytes(MESSY_STORY.encode())
    assert run(str(story)).exit_code == 0
    assert story.read_text() == TIDY_STORY


def test_statistics_get_lf_and_no_trailing_spaces(data):
    table = data.parent / "statistics.csv"
    tidy = table.read_text()
    table.write_bytes(tidy.replace("\n", " \r\n").encode() + b"\r\n")
    assert run(str(data)).exit_code == 0
    assert table.read_text() == tidy


def test_check_shows_the_diff_and_changes_nothing(data):
    story = data.parent / "narratives" / "test-route.md"
    story.write_text(story.read_text().replace("A test narrative.", "A test narrative.  "))
    before = story.read_bytes()
    result = run("--check", str(data))
    assert result.exit_code == 1
    assert story.read_bytes() == before
    assert result.stdout == (f"--- {story}\n+++ {story} (canonical)\n@@ -4,7 +4,7 @@\n"
                             "   - Why this way?\n ---\n \n-A test narrative.  \n"
                             "+A test narrative.\n \n ## Across the Tumen\n"
                             " place: crossing musan-nanping\n")
    assert result.stderr == (f"{story}: not in canonical form.\n"
                             f"Run `mapapp format {data}` to make these changes.\n")


def test_it_says_how_many_coordinates_it_rounded(data):
    text = data.read_text().replace("[129.21, 42.24]", "[129.2149, 42.2361]")
    data.write_text(text)
    occurrences = data.read_text().count("[129.2149, 42.2361]")
    assert run("--check", str(data)).stderr.startswith(
        f"{data}: not in canonical form (would round {2 * occurrences} coordinate(s) to 2 "
        "decimals).\n")
    assert run(str(data)).stderr == (f"{data}: reformatted (rounded {2 * occurrences} "
                                     "coordinate(s) to 2 decimals).\n")


def test_nothing_is_written_when_one_file_cannot_be_read(data):
    story = data.parent / "narratives" / "test-route.md"
    story.write_bytes(b"\xff\xfe not text")
    data.write_text(json.dumps(json.loads(data.read_text())))  # one line: not canonical
    before = data.read_bytes()
    result = run(str(data))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{story}:1: is not UTF-8 text")
    assert data.read_bytes() == before


def test_data_option_and_mapapp_data(data, monkeypatch):
    data.write_text(json.dumps(json.loads(data.read_text())))
    monkeypatch.setenv("MAPAPP_DATA", str(data))
    result = run("--check")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Using {data} (from $MAPAPP_DATA).\n")
    assert run("--data", str(DATA / "valid" / "routes.geojson")).exit_code == 0


@pytest.mark.parametrize("doc", ["data-format.md", "maintainers.md"])
def test_the_docs_json_examples_are_in_canonical_form(doc):
    text = (DOCS / doc).read_text()
    examples = re.findall(r"```json\n(.*?)```", text, re.S)
    assert examples
    for example in examples:
        assert canonical_json(canonical(json.loads(example))) + "\n" == example


# A Markdown example is checked as the document its header says it is (its keys in that
# document's order); one without a header as a narrative.
_EXAMPLE_FILES = (({"title", "content_note", "questions"}, "context.md"),
                  ({"content_note", "questions", "teacher_note"}, "example-route.md"))


def _example_file(example: str) -> str:
    header = example.split("---\n")[1] if example.startswith("---\n") else ""
    keys = set(re.findall(r"^([a-z_]+):", header, re.M))
    return next((name for known, name in _EXAMPLE_FILES if keys <= known), "example-route.md")


def test_the_docs_markdown_and_csv_examples_are_in_canonical_form(tmp_path):
    """What `mapapp format --check` says of each example, written to a file of its kind."""
    text = (DOCS / "data-format.md").read_text()
    examples = [(_example_file(example), example)
                for example in re.findall(r"```markdown\n(.*?)```", text, re.S)]
    examples += [("statistics.csv", example)
                 for example in re.findall(r"```csv\n(.*?)```", text, re.S)]
    assert {name for name, _ in examples} == {"context.md", "example-route.md", "statistics.csv"}
    for number, (name, example) in enumerate(examples):
        (tmp_path / str(number)).mkdir()
        path = tmp_path / str(number) / name
        path.write_text(example)
        result = run("--check", str(path))
        assert result.exit_code == 0, f"{example}\n{result.output}"
