"""mapapp.parsing: the typed documents the checks and the model read, whatever the data holds."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest

from mapapp.loading import DataError, load_dataset
from mapapp.parsing import Feature, parse

DATA = Path(__file__).parent / "data"


def parsed_geojson(tmp_path: Path, data) -> tuple[Feature, ...]:
    path = tmp_path / "routes.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return parse(load_dataset(path)).features


def test_features_of_a_collection_with_their_ids_layers_and_shapes(tmp_path):
    features = parsed_geojson(tmp_path, {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "a-route", "properties": {"layer": "route"},
         "geometry": {"type": "LineString", "coordinates": [[129.1, 42.1, 300], [129.2, 42.2]]}},
        {"type": "Feature", "id": 7, "properties": ["not", "an", "object"], "geometry": None},
        "not a feature",
    ]})
    route, numbered, text = features
    assert (route.index, route.id, route.layer, route.label) == (0, "a-route", "route",
                                                                 'feature "a-route"')
    assert route.pointer == ("features", 0)
    assert route.shape.geom_type == "LineString" and not route.shape.has_z, "altitude dropped"
    assert list(route.shape.coords) == [(129.1, 42.1), (129.2, 42.2)]
    assert (numbered.id, numbered.properties, numbered.shape) == (None, {}, None)
    assert numbered.label == "feature #2"
    assert (text.value, text.layer, text.shape) == ("not a feature", None, None)


def test_a_lone_feature_is_the_only_feature_and_other_json_has_none(tmp_path):
    lone = {"type": "Feature", "properties": {"layer": "crossing"},
            "geometry": {"type": "Point", "coordinates": [129.21, 42.24]}}
    [feature] = parsed_geojson(tmp_path, lone)
    assert feature.pointer == () and feature.shape.x == 129.21
    assert parsed_geojson(tmp_path, [1, 2]) == ()
    assert parsed_geojson(tmp_path, {"type": "FeatureCollection", "features": {}}) == ()


@pytest.mark.parametrize("geometry", [
    {"type": "LineString", "coordinates": [[129.1, 42.1]]},
    {"type": "Polygon", "coordinates": [[[1, 2], [3, 4]]]},
    {"type": "MultiPolygon", "coordinates": [[[[1e400, 0]]]]},
    {"type": "Polygon"},
    {"type": "Circle", "coordinates": [1, 2]},
    {"type": "GeometryCollection", "geometries": [None]},
])
def test_a_geometry_shapely_cannot_read_has_no_shape(tmp_path, geometry):
    """What is wrong is for the checks to say: parsing neither raises nor warns."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        [feature] = parsed_geojson(tmp_path, {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": geometry}]})
    assert feature.shape is None
    assert feature.value["geometry"]["type"] == geometry["type"]


def test_nan_positions_are_parsed_without_a_warning(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        [feature] = parsed_geojson(tmp_path, {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": {
                "type": "LineString", "coordinates": [[float("nan"), 42.1], [129.2, 42.2]]}}]})
    assert feature.shape.geom_type == "LineString"


def test_narratives_and_figures_are_parsed_with_the_faults_located_in_their_files(tmp_path):
    shutil.copytree(DATA / "valid", tmp_path / "data")
    folder = tmp_path / "data"
    (folder / "narratives" / "other-route.md").write_text("## A stage\nplace: country CHN\n")
    (folder / "narratives" / "broken-route.md").write_bytes(b"\xff")
    parsed = parse(load_dataset(folder / "routes.geojson"))
    assert sorted(parsed.narratives) == ["other-route", "test-route"]
    assert parsed.narratives["test-route"].stages[0].title == "Across the Tumen"
    assert isinstance(parsed.dataset.narratives["broken-route"], DataError)
    located = {(found.path.name, found.issue.line, found.issue.message) for found in parsed.issues}
    assert ("other-route.md", 1, 'stage "A stage" has no "duration:" line') in located
    assert {path for path, _, _ in located} == {"other-route.md"}
    assert parsed.figures and parsed.figures[0].series == "arrivals"
    assert parsed.document is parsed.dataset.geojson
