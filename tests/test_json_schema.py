"""docs/routes.schema.json and docs/narrative-header.schema.json: made from the contract, and
useful in an editor (the shipped data passes, common slips are flagged)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "routes.schema.json").read_text(encoding="utf-8"))
DATA = json.loads((ROOT / "data" / "routes.geojson").read_text(encoding="utf-8"))
HEADER = json.loads((ROOT / "docs" / "narrative-header.schema.json").read_text("utf-8"))
STORIES = sorted((ROOT / "data" / "narratives").glob("*.md"))


def _errors(document) -> list[str]:
    return [error.message for error in jsonschema.Draft7Validator(SCHEMA).iter_errors(document)]


def test_the_committed_schemas_are_the_ones_the_contract_makes():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_schema.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_schemas_are_valid_draft_07():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.Draft7Validator.check_schema(HEADER)


def _header_errors(text: str) -> list[str]:
    """The header between the first two `---` lines, read as YAML, against the schema."""
    header = yaml.safe_load(text.split("---\n")[1])
    return [error.message for error in jsonschema.Draft7Validator(HEADER).iter_errors(header)]


@pytest.mark.parametrize("story", STORIES, ids=lambda path: path.stem)
def test_every_shipped_narrative_header_passes_its_schema(story):
    assert _header_errors(story.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("header", "expected"), [
    ("audience: everyone\n", "Additional properties are not allowed ('audience'"),
    ("questions: Why this way?\n", "'Why this way?' is not of type 'array'"),
    ("content_note: ''\n", "'' should be non-empty"),
])
def test_the_header_schema_flags_the_common_slips(header, expected):
    assert any(expected in error for error in _header_errors(f"---\n{header}---\n\nText.\n"))


def test_the_shipped_data_passes():
    assert _errors(DATA) == []


def _route() -> dict:
    return copy.deepcopy(next(f for f in DATA["features"] if f["properties"]["layer"] == "route"))


@pytest.mark.parametrize(("change", "expected"), [
    (lambda p: p.pop("summary"), "'summary' is a required property"),
    (lambda p: p.update(confidence="certain"), "'certain' is not one of"),
    (lambda p: p.update(colour="red"), "Additional properties are not allowed ('colour'"),
    (lambda p: p["sources"][0].update(year="2006"), "'2006' is not of type 'integer'"),
    (lambda p: p["period"].update({"from": 1890}), "1890 is less than the minimum of 1945"),
    (lambda p: p.update(countries=["prk"]), "'prk' does not match"),
])
def test_an_editor_flags_the_common_slips(change, expected):
    route = _route()
    change(route["properties"])
    errors = _errors({"type": "FeatureCollection", "features": [route]})
    assert any(expected in error for error in errors), errors


def test_a_crossing_with_a_line_geometry_is_flagged():
    crossing = copy.deepcopy(next(f for f in DATA["features"]
                                  if f["properties"]["layer"] == "crossing"))
    crossing["geometry"] = {"type": "LineString", "coordinates": [[129.2, 42.2], [129.3, 42.3]]}
    errors = _errors({"type": "FeatureCollection", "features": [crossing]})
    assert any("'LineString' is not one of ['Point']" in error for error in errors), errors
