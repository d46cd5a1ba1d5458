"""The shipped base map (data/basemap/countries.geojson) and mapapp.basemap.

The file is on every page and under every border the site draws, so these tests check what
a reader would notice: North Korea at full 1:10m detail, neighbours that meet without gaps or
overlaps, RFC 7946 conformance for other tools, and a rebuild that gives the same bytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import os
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Polygon, shape

from mapapp import region
from mapapp.basemap import BASEMAP_PATH, BasemapError, country_names, load_basemap

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data" / "basemap" / "countries.geojson"
SCRIPT = REPO / "scripts" / "build_basemap.py"
BOX = (region.WEST, region.SOUTH, region.EAST, region.NORTH)
# Albers equal-area for East and South-East Asia: areas in m2 without distortion.
EQUAL_AREA = "+proj=aea +lat_1=15 +lat_2=50 +lat_0=30 +lon_0=117 +datum=WGS84"
GEOD = Geod(ellps="WGS84")
REQUIRED = {"PRK", "KOR", "CHN", "RUS", "MNG", "LAO", "THA", "VNM", "KHM", "MMR"}
# Shared border length (geodesic, km) on the full 1:10m source, less a margin.  If the two
# outlines did not coincide, their boundaries would only cross at points: length ~0.
BORDERS = {
    ("PRK", "CHN"): 950,  # 1,004 km on the 1:10m line
    ("PRK", "KOR"): 190,  # 204 km
    ("PRK", "RUS"): 25,  # 32 km
    ("CHN", "LAO"): 300,
    ("CHN", "VNM"): 900,
    ("CHN", "MNG"): 4000,
    ("LAO", "THA"): 1400,
}
TARBALL_PLACES = [os.environ.get("MAPAPP_WORLD_ATLAS_TGZ"), "/tmp/npmwa/world-atlas-2.0.2.tgz"]


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def projected():
    frame = load_basemap(SHIPPED)
    return dict(zip(frame["iso3"], frame.to_crs(EQUAL_AREA).geometry, strict=True))


def rings(geometry: dict):
    polygons = [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    for polygon in polygons:
        yield from ((n == 0, ring) for n, ring in enumerate(polygon))


def signed_area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


# --- the shipped file ---------------------------------------------------------------------


def test_default_path_is_the_shipped_file():
    assert Path(BASEMAP_PATH).resolve() == SHIPPED.resolve()


def test_rfc7946_structure_and_coordinates(document):
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document, "RFC 7946 removed the crs member"
    west, south, east, north = BOX
    for feature in document["features"]:
        iso3 = feature["properties"]["iso3"]
        assert "crs" not in feature
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon"), iso3
        for exterior, ring in rings(feature["geometry"]):
            assert len(ring) >= 4 and ring[0] == ring[-1], f"{iso3}: ring not closed"
            area = signed_area(ring)
            assert (area > 0) if exterior else (area < 0), f"{iso3}: wrong winding"
            for lon, lat in ring:
                assert west <= lon <= east and south <= lat <= north, (iso3, lon, lat)
                assert round(lon, 3) == lon and round(lat, 3) == lat, (iso3, lon, lat)


def test_countries_present_once_with_names(document):
    codes = [f["properties"]["iso3"] for f in document["features"]]
    assert len(codes) == len(set(codes)), "an iso3 code appears twice"
    assert codes == sorted(codes), "features are sorted by iso3 (deterministic output)"
    assert set(codes) >= REQUIRED
    names = country_names(SHIPPED)
    assert names["PRK"] == "North Korea"
    assert names["KOR"] == "South Korea"
    assert (names["LAO"], names["VNM"], names["RUS"]) == ("Laos", "Vietnam", "Russia")


def test_every_geometry_is_valid():
    frame = load_basemap(SHIPPED)
    invalid = frame[~frame.is_valid]
    reasons = dict(zip(invalid["iso3"], invalid.geometry.is_valid_reason(), strict=True))
    assert not reasons


def test_size_stays_within_the_page_budget():
    assert SHIPPED.stat().st_size <= 250_000


def test_north_korea_keeps_its_full_outline():
    frame = load_basemap(SHIPPED).set_index("iso3")
    assert shapely.get_num_coordinates(frame.geometry["PRK"]) >= 1500


def test_no_two_countries_overlap(projected):
    codes = list(projected)
    tree = shapely.STRtree([projected[c] for c in codes])
    overlaps = {}
    for n, code in enumerate(codes):
        for m in tree.query(projected[code]):
            if m > n:
                km2 = projected[code].intersection(projected[codes[m]]).area / 1e6
                if km2 >= 0.01:
                    overlaps[(code, codes[m])] = round(km2, 3)
    assert not overlaps


@pytest.mark.parametrize(("a", "b"), sorted(BORDERS))
def test_neighbours_share_their_border_exactly(a, b, projected):
    frame = load_basemap(SHIPPED).set_index("iso3")
    line = frame.geometry[a].boundary.intersection(frame.geometry[b].boundary)
    km = GEOD.geometry_length(line) / 1000
    assert km > BORDERS[(a, b)], f"{a}-{b}: outlines coincide over only {km:.0f} km"

    # A gap between two neighbours is a hole in their union that no third country fills.
    union = projected[a].union(projected[b])
    others = shapely.union_all([g for c, g in projected.items() if c not in (a, b)])
    for part in shapely.get_parts(union):
        for interior in part.interiors:
            hole = Polygon(interior)
            assert hole.area / 1e6 >= 1, f"{a}-{b}: sliver hole of {hole.area:.0f} m2"
            gap = hole.difference(others).area / 1e6
            assert gap < 0.01, f"{a}-{b}: {gap:.2f} km2 gap at {hole.representative_point()}"


def test_build_box_matches_the_region():
    build = _build_module()
    assert build.REGION_BOX == BOX


# --- rebuilding -----------------------------------------------------------------------------


def _build_module():
    pytest.importorskip("pycountry", reason="the build script maps ids with pycountry")
    spec = importlib.util.spec_from_file_location("build_basemap", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cached_tarball(expected_sha256: str) -> Path:
    for place in filter(None, TARBALL_PLACES):
        path = Path(place)
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == expected_sha256:
            return path
    pytest.skip(
        "no cached world-atlas-2.0.2.tgz with the recorded sha256 (set MAPAPP_WORLD_ATLAS_TGZ "
        "or run `npm pack world-atlas@2.0.2` in /tmp/npmwa); the rebuild is not checked"
    )


def test_build_is_deterministic_and_reproduces_the_shipped_file():
    build = _build_module()
    tarball = _cached_tarball(build.TARBALL_SHA256)
    first, _, _ = build.build_geojson(tarball)
    second, _, _ = build.build_geojson(tarball)
    assert first == second, "two builds from the same tarball differ"
    assert first == SHIPPED.read_bytes(), "countries.geojson is stale: rerun the build script"


def test_simplification_keeps_junctions_and_the_korea_window():
    import numpy as np

    build = _build_module()
    # Teeth of 0.01 deg (under the tolerance) from outside the window (lon < 123.5) into it.
    lon = np.linspace(122.0, 125.0, 301)
    lat = 40.0 + 0.01 * (np.arange(301) % 2)
    arc = np.column_stack([lon, lat])
    kept = build.simplify_arc(arc, tolerance=0.03)
    inside = arc[lon >= 123.5]
    # Outside: only the junction at the west end; inside: every vertex, teeth included.
    assert np.array_equal(kept, np.vstack([arc[:1], inside]))


# --- loading errors -------------------------------------------------------------------------


def test_missing_file_raises_a_clear_error(tmp_path):
    path = tmp_path / "nowhere" / "countries.geojson"
    with pytest.raises(BasemapError, match="missing") as info:
        load_basemap(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_non_json_file_raises_a_clear_error(tmp_path):
    path = tmp_path / "countries.geojson"
    path.write_text("<html>not a map</html>", encoding="utf-8")
    with pytest.raises(BasemapError, match="not JSON") as info:
        load_basemap(path)
    assert "\n" not in str(info.value)


def test_json_that_is_not_a_basemap_raises_a_clear_error(tmp_path):
    path = tmp_path / "countries.geojson"
    path.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(BasemapError, match="not usable"):
        load_basemap(path)


def test_loaded_frame_shape_and_cache():
    frame = load_basemap(SHIPPED)
    assert list(frame.columns) == ["iso3", "name", "geometry"]
    assert frame.crs.to_epsg() == 4326
    assert load_basemap(str(SHIPPED)) is frame, "parsed once per path"
    assert shape(json.loads(SHIPPED.read_text())["features"][0]["geometry"]).equals(
        frame.geometry.iloc[0]
    )
