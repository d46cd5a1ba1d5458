"""The peer corpus chrieke/geojson-invalid-geometry (../shared/corpora): every invalid file is
reported as a structure or geometry problem, no valid file is, and each "problematic" file is
decided as the table below says."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapapp.cli import cli

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "geojson-invalid-geometry"
EXAMPLES = CORPUS / "examples"
pytestmark = pytest.mark.skipif(
    not EXAMPLES.is_dir(), reason=f"the peer corpus is not here ({EXAMPLES}): outside the project's CI")


def _files(pattern: str) -> list[Path]:
    return sorted(EXAMPLES.glob(pattern)) if EXAMPLES.is_dir() else []


def _checks(path: Path) -> tuple[int, set[str]]:
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    return result.exit_code, {problem["check"] for problem in json.loads(result.stdout)}


@pytest.mark.parametrize("path", _files("invalid_*/*.geojson"), ids=lambda p: p.name)
def test_invalid_files_yield_a_structure_or_geometry_problem(path):
    code, checks = _checks(path)
    assert code == 1
    assert checks & {"structure", "geometry"}


@pytest.mark.parametrize("path", _files("valid/*.geojson"), ids=lambda p: p.name)
def test_valid_files_yield_no_structure_or_geometry_problem(path):
    code, checks = _checks(path)
    assert not checks & {"structure", "geometry"}
    # Valid GeoJSON, but only the empty FeatureCollection is valid data of ours: the others are
    # not a FeatureCollection, or hold features without our layers and properties.
    if path.stem == "valid_featurecollection_empty_features":
        assert (code, checks) == (0, set())
    else:
        assert code == 1 and "schema" in checks


# Our decision for each "problematic" file: the check that rejects it, or None where we accept
# the geometry (the file still fails, on our schema: none of them holds our layers).
PROBLEMATIC = {
    "problematic_3d_coordinates": "schema",  # positions are [longitude, latitude] only
    "problematic_4d_coordinates": "schema",
    "problematic_crosses_antimeridian": "geometry",  # far outside the region, ring clockwise
    "problematic_duplicate_nodes": None,
    "problematic_excessive_coordinate_precision": "safety",
    "problematic_excessive_vertices": None,
    "problematic_feature_null_geometry": None,  # country features have no geometry
    "problematic_holes": None,
    "problematic_inner_and_exterior_ring_intersect": "geometry",
    "problematic_multitype_geometry_with_just_one_geometry": None,
    "problematic_outside_lat_lon_boundaries": "structure",
    "problematic_self_intersection_large": "geometry",
    "problematic_self_intersection_small": "geometry",
    "problematic_wrong_bbox_coordinate_order": "structure",
    "problematic_zero_length_linestring": "geometry",
    "problematic_crs_defined": "structure",
    "problematic_geometry_not_wrapped": "schema",
    "problematic_geometrycollection_single": "schema",
    "problematic_nested_geometrycollection": "schema",
}


@pytest.mark.parametrize("path", _files("problematic_*/*.geojson"), ids=lambda p: p.name)
def test_problematic_files_are_decided_as_documented(path):
    assert path.stem in PROBLEMATIC, "a new file in the corpus: decide it here"
    code, checks = _checks(path)
    assert code == 1
    decision = PROBLEMATIC[path.stem]
    if decision is None:
        assert not checks & {"structure", "geometry"} and "schema" in checks
    else:
        assert decision in checks
