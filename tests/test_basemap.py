"""The shipped base map (data/basemap/) and mapapp.basemap.

The files are on every page, under every border the site draws and behind every name on the
map, so these tests check what a reader would notice: North Korea at full 1:10m detail,
neighbours that meet without gaps or overlaps, every town and river the stories name present in
English and Korean and named at some zoom without covering another name, nothing smaller than a
town, positions no finer than the data's safety rule, layers small enough for the first view,
RFC 7946 conformance for other tools, and rebuilds that give the same bytes.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib.util
import itertools
import json
import os
import re
import sys
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Polygon, shape

from mapapp import region
from mapapp.basemap import BASEMAP_PATH, BasemapError, country_names, load_basemap
from mapapp.mapbuilder import MAX_ZOOM, MIN_ZOOM, STAGE_ZOOM
from mapapp.narrative import parse_narrative
from mapapp.validation.safety import _MARKING as MARKING
from mapapp.validation.schema import SAFETY_KEYS

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


# --- rebuilding -----------------------------------------------------------------------------


@functools.cache
def _build_module():
    pytest.importorskip("pycountry", reason="the build script maps ids with pycountry")
    spec = importlib.util.spec_from_file_location("build_basemap", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
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


def test_countries_rebuild_to_the_committed_bytes():
    build = _build_module()
    tarball = _cached_tarball(build.TARBALL_SHA256)
    built, _, _ = build.build_geojson(tarball)
    assert built == SHIPPED.read_bytes(), "countries.geojson is stale: rerun the build script"


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


# --- rivers, towns and labels -------------------------------------------------------------

BASEMAP = REPO / "data" / "basemap"
LAYERS = ("rivers", "towns", "labels")
PLACES = BASEMAP / "places.csv"
NATURALEARTH = Path(os.environ.get("MAPAPP_NATURALEARTH", REPO.parent / "shared" / "naturalearth"))
SHARED_PLACES = REPO.parent / "shared" / "facts" / "places.csv"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# The capitals of the countries the routes cross, where they lie in the map's region (Russia's
# does not).
ROUTE_CAPITALS = {"PRK": "Pyongyang", "KOR": "Seoul", "CHN": "Beijing", "MNG": "Ulaanbaatar",
                  "LAO": "Vientiane", "THA": "Bangkok", "VNM": "Hanoi", "KHM": "Phnom Penh"}
# The rivers the stories cross, with their Korean names (FACTS rows H5, H6).
STORY_RIVERS = {"Tumen": "두만강", "Yalu": "압록강", "Mekong": "메콩강"}


@pytest.fixture(scope="module")
def layers() -> dict[str, list[dict]]:
    return {name: json.loads((BASEMAP / f"{name}.geojson").read_text(encoding="utf-8"))[
        "features"] for name in LAYERS}


@pytest.fixture(scope="module")
def places() -> list[dict]:
    with PLACES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def stage_places() -> list:
    """Every stage placed at a named town or region, with its narrative."""
    found = []
    for path in sorted((REPO / "data" / "narratives").glob("*.md")):
        narrative, _ = parse_narrative(path.read_text(encoding="utf-8"), path.stem, path)
        found += [(path.name, stage) for stage in narrative.stages
                  if stage.place and stage.place.kind == "point"]
    assert found, "no narrative places a stage at a town: the test would check nothing"
    return found


def by_name(features: list[dict]) -> dict[str, dict]:
    return {f["properties"]["name"]: f for f in features}


def test_layers_are_rfc7946_feature_collections_with_unique_ids(layers):
    for name, features in layers.items():
        document = json.loads((BASEMAP / f"{name}.geojson").read_text(encoding="utf-8"))
        assert document["type"] == "FeatureCollection" and "crs" not in document, name
        ids = [f["id"] for f in features]
        assert len(ids) == len(set(ids)), f"{name}: an id appears twice"
        for feature in features:
            assert feature["type"] == "Feature" and "crs" not in feature
            assert feature["properties"]["name"] and HANGUL.search(
                feature["properties"]["name_ko"]), f"{name} {feature['id']}: both names"
            kinds = ("LineString", "MultiLineString") if name == "rivers" else ("Point",)
            assert feature["geometry"]["type"] in kinds, (name, feature["id"])


def test_layers_are_region_sized():
    sizes = {name: (BASEMAP / f"{name}.geojson").stat().st_size for name in LAYERS}
    # Measured when built: rivers 48 KB, towns 13 KB, labels 7 KB.
    assert sum(sizes.values()) < 150_000, sizes


def test_label_positions_are_no_finer_than_the_safety_rule(layers, stage_places):
    """Every name inside the map's region, but a distant town (docs/data-format.md): a stage's
    town beyond the region, which lies outside it."""
    west, south, east, north = BOX
    staged = {stage.place.ref for _file, stage in stage_places}
    for name in ("towns", "labels"):
        for feature in layers[name]:
            lon, lat = feature["geometry"]["coordinates"]
            inside = west <= lon <= east and south <= lat <= north
            if feature["properties"].get("distant"):
                assert name == "towns" and not inside, feature["id"]
                assert feature["properties"]["name"] in staged, feature["id"]
            else:
                assert inside, (name, feature["id"])
            assert round(lon, 2) == lon and round(lat, 2) == lat, (name, feature["id"], lon, lat)
    for feature in layers["rivers"]:
        parts = feature["geometry"]["coordinates"]
        for part in parts if feature["geometry"]["type"] == "MultiLineString" else [parts]:
            assert len(part) >= 2, feature["id"]
            for lon, lat in part:
                assert west <= lon <= east and south <= lat <= north, (feature["id"], lon, lat)
                assert round(lon, 3) == lon and round(lat, 3) == lat, (feature["id"], lon, lat)


def test_every_stage_place_is_named_in_both_languages_near_its_stage(layers, stage_places):
    named = by_name(layers["towns"]) | by_name(
        [f for f in layers["labels"] if f["properties"]["kind"] == "region"])
    for file, stage in stage_places:
        where = f"{file}:{stage.line} {stage.place.ref}"
        assert stage.place.ref in named, f"{where}: no town or region of this name"
        feature = named[stage.place.ref]
        assert HANGUL.search(feature["properties"]["name_ko"]), where
        assert feature["properties"].get("route", True), f"{where}: not marked as a route town"
        assert feature["properties"]["min_zoom"] is not None, f"{where}: never named"
        lon, lat = feature["geometry"]["coordinates"]
        km = GEOD.inv(lon, lat, stage.place.lon, stage.place.lat)[2] / 1000
        assert km < 15, f"{where}: named {km:.0f} km from the stage's place"


def test_every_town_a_crossing_names_is_labelled(layers):
    """A crossing named "Town – Town" or "Town area" names towns; a longer part (Lower Tumen,
    Joint Security Area) names a stretch of border."""
    towns = by_name(layers["towns"])
    routes = json.loads((REPO / "data" / "routes.geojson").read_text(encoding="utf-8"))
    checked = 0
    for feature in routes["features"]:
        if feature["properties"]["layer"] != "crossing":
            continue
        name = re.sub(r"\s*\(.*\)|\s+area$", "", feature["properties"]["name"])
        for part in name.split(" – "):
            if " " not in part:
                assert part in towns, f"crossing {feature['id']}: no town {part!r}"
                properties = towns[part]["properties"]
                assert properties["route"] and properties["min_zoom"] is not None, part
                checked += 1
    assert checked >= 8, "the crossings name fewer towns than the test expects: check the rule"


def test_capitals_of_the_route_countries_are_present(layers):
    capitals = {f["properties"]["country"]: f["properties"]["name"] for f in layers["towns"]
                if f["properties"]["capital"]}
    assert capitals.items() >= ROUTE_CAPITALS.items()
    counted = [f["properties"]["country"] for f in layers["towns"] if f["properties"]["capital"]]
    assert len(counted) == len(set(counted)), "a country has two capitals"
    for feature in layers["towns"]:
        if feature["properties"]["name"] in ROUTE_CAPITALS.values():
            assert feature["properties"]["min_zoom"] <= 5, feature["id"]


def test_the_story_rivers_are_drawn_and_named_at_the_stage_zoom(layers):
    rivers, names = by_name(layers["rivers"]), by_name(
        [f for f in layers["labels"] if f["properties"]["kind"] == "river"])
    for river, korean in STORY_RIVERS.items():
        assert rivers[river]["properties"]["name_ko"] == korean
        assert names[river]["properties"]["name_ko"] == korean
        assert names[river]["properties"]["min_zoom"] <= STAGE_ZOOM, river
    for river in ("Amur", "Ussuri"):
        assert river in rivers and river in names
    # The border rivers lie along the border: their lines stay near North Korea.
    prk = load_basemap(SHIPPED).set_index("iso3").geometry["PRK"]
    for river in ("Tumen", "Yalu"):
        line = shape(rivers[river]["geometry"])
        assert line.distance(prk) < 0.05, river


def test_every_country_of_the_base_map_has_one_name_point(document, layers):
    points = {f["properties"]["iso3"]: f for f in layers["labels"]
              if f["properties"]["kind"] == "country"}
    assert sorted(points) == sorted(f["properties"]["iso3"] for f in document["features"])
    outlines = load_basemap(SHIPPED).set_index("iso3").geometry
    for iso3, feature in points.items():
        assert HANGUL.search(feature["properties"]["name_ko"]), iso3
        # Inside the country, or within a kilometre or so of a small island's coast.
        assert outlines[iso3].distance(shape(feature["geometry"])) < 0.02, iso3
    assert points["PRK"]["properties"]["name_ko"] == "북한"
    assert points["KOR"]["properties"]["name_ko"] == "대한민국"


def test_names_shown_together_never_overlap(layers):
    """At every zoom step, the names shown there (by min_zoom) cover no other name, as drawn
    by the collision model the build uses; a regression here means a hand edit or a bug."""
    build = _build_module()
    labels = []
    for name in ("towns", "labels"):
        for feature in layers[name]:
            p = feature["properties"]
            if p["min_zoom"] is None:
                continue
            font = build.COUNTRY_FONT_PX if p.get("kind") == "country" else build.TOWN_FONT_PX
            label = build.Label.sized(feature["id"], (p["name"], p["name_ko"]), font,
                                      candidates=[tuple(feature["geometry"]["coordinates"])],
                                      anchors=(p["anchor"],), dot=p.get("kind") != "country",
                                      background=p.get("kind") == "country", wanted_from=3)
            labels.append((p["min_zoom"], label, p["anchor"]))
    steps = [z / 2 for z in range(2 * MIN_ZOOM, 2 * MAX_ZOOM + 1)]
    for z in steps:
        shown = [(label, *label.boxes(label.candidates[0], anchor, z)[:1])
                 for min_zoom, label, anchor in labels if min_zoom <= z]
        for (a, box_a), (b, box_b) in itertools.combinations(shown, 2):
            overlap = (box_a[0] < box_b[2] and box_b[0] < box_a[2] and box_a[1] < box_b[3]
                       and box_b[1] < box_a[3])
            assert not overlap, f"zoom {z}: {a.id} and {b.id} overlap"


def test_route_towns_are_drawn_from_low_zooms_and_orientation_towns_later(layers):
    for feature in layers["towns"]:
        p = feature["properties"]
        assert p["anchor"] in ("right", "left", "top", "bottom") or p["min_zoom"] is None
        if not p["route"] and not p["capital"]:
            assert p["min_zoom"] >= 5, feature["id"]
        if p["route"]:
            assert p["min_zoom"] is not None and p["min_zoom"] <= MAX_ZOOM, feature["id"]


def test_no_label_marks_a_forbidden_kind_of_place(layers, places):
    """Towns at most: every town is a populated place of Natural Earth or GeoNames, or a stage's
    town; no name or property marks a shelter, broker, church or contact."""
    for name in ("towns", "labels"):
        for feature in layers[name]:
            assert not MARKING.search(feature["properties"]["name"]), feature["id"]
            assert not set(map(str.lower, feature["properties"])) & SAFETY_KEYS, feature["id"]
    for row in places:
        if row["kind"] in ("capital", "town"):
            assert row["position"].split(":")[0] in ("naturalearth", "geonames", "narrative"), row
    if not (NATURALEARTH / "ne_10m_populated_places.region.geojson").exists():
        pytest.skip(f"no Natural Earth extracts at {NATURALEARTH}: their classes not checked")
    populated = json.loads((NATURALEARTH / "ne_10m_populated_places.region.geojson").read_text(
        encoding="utf-8"))["features"]
    classes = {(f["properties"]["NAME"], f["properties"]["ADM0_A3"]): f["properties"]["FEATURECLA"]
               for f in populated}
    for row in places:
        if row["position"].startswith("naturalearth:") and row["kind"] in ("capital", "town"):
            featurecla = classes[(row["position"].split(":", 1)[1], row["country"])]
            assert featurecla in ("Populated place", "Admin-0 capital", "Admin-1 capital",
                                  "Admin-0 region capital"), (row["id"], featurecla)


def test_places_csv_gives_a_source_for_every_korean_name_and_position(places):
    for row in places:
        assert HANGUL.search(row["name_ko"]) and row["name_ko_source"].strip(), row["id"]
        if row["position"].startswith("geonames:"):
            assert row["lat"] and row["lon"], row["id"]
    if not SHARED_PLACES.exists():
        pytest.skip(f"no {SHARED_PLACES}: GeoNames positions not compared")
    with SHARED_PLACES.open(encoding="utf-8") as handle:
        geonames = {r["geonameid"]: r for r in csv.DictReader(handle)}
    compared = 0
    for row in places:
        if row["position"].startswith("geonames:"):
            source = geonames[row["position"].split(":", 1)[1]]
            assert (float(row["lat"]), float(row["lon"])) == (
                round(float(source["lat"]), 2), round(float(source["lon"]), 2)), row["id"]
            compared += 1
    assert compared


def test_place_layers_rebuild_to_the_committed_bytes():
    build = _build_module()
    if not (NATURALEARTH / build.NE_RIVERS).exists():
        pytest.skip(f"no Natural Earth extracts at {NATURALEARTH} (set MAPAPP_NATURALEARTH); "
                    "the rebuild of rivers, towns and labels is not checked")
    countries = json.loads(SHIPPED.read_text(encoding="utf-8"))
    built = build.build_places(NATURALEARTH, countries)
    assert not built.crowded
    for name, text in built.files.items():
        assert text == (BASEMAP / name).read_text(encoding="utf-8"), f"{name} is stale: rebuild"


def test_a_missing_naturalearth_folder_is_named_with_its_flag(tmp_path, capsys):
    build = _build_module()
    code = build.main(["--naturalearth", str(tmp_path / "nowhere"), "--out-dir",
                       str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--naturalearth DIR" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists(), "nothing is written when an input is missing"


@pytest.mark.parametrize(("row", "message"), [
    ("town,here,Here,여기,x,PRK,geonames:1,40.123,127.0", "more than 2 decimals"),
    ("town,here,Here,,x,PRK,naturalearth:Here,,", "name_ko is empty"),
    ("town,here,Here,여기,x,,naturalearth:Here,,", "ISO 3166-1 alpha-3"),
    ("river,here,Here,여기,x,,geonames:1,40.1,127.0", "a river takes naturalearth:..."),
    ("town,here,Here,여기,x,PRK,naturalearth:Here,40.1,127.0", "geonames position"),
    ("town,moscow,Moscow,모스크바,x,RUS,geonames:524901,55.75,37.62",
     "outside the map's region (a stage's town beyond it is kind distant)"),
    ("distant,here,Here,여기,x,PRK,geonames:1,40.1,127.0", "inside the map's region"),
    ("distant,here,Here,여기,x,RUS,naturalearth:Here,,", "a distant takes geonames:..."),
])
def test_a_bad_places_row_is_named_with_its_line(tmp_path, row, message):
    build = _build_module()
    path = tmp_path / "places.csv"
    path.write_text(PLACES.read_text(encoding="utf-8").splitlines()[0] + "\n" + row + "\n",
                    encoding="utf-8")
    with pytest.raises(build.BuildError, match=re.escape(message)) as info:
        build.read_places(path)
    assert str(info.value).startswith(f"{path}:2: ")


def test_a_stage_town_without_a_row_stops_the_build(tmp_path):
    build = _build_module()
    (tmp_path / "narratives").mkdir()
    (tmp_path / "routes.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    story = (REPO / "data" / "narratives" / "northern-route.md").read_text(encoding="utf-8")
    story = re.sub(r"place: Erenhot @", "place: Nowhere Town @", story)
    (tmp_path / "narratives" / "northern-route.md").write_text(story, encoding="utf-8")
    rows = build.read_places(PLACES)
    outlines = {f["properties"]["iso3"]: f
                for f in json.loads(SHIPPED.read_text(encoding="utf-8"))["features"]}
    with pytest.raises(build.BuildError, match="'Nowhere Town' has no row") as info:
        build.check_rows(rows, build.Story.read(tmp_path), outlines, PLACES)
    assert "northern-route.md:" in str(info.value)


def test_a_distant_town_no_stage_is_placed_at_stops_the_build(tmp_path):
    """The exception to the region is for a stage's place only, not a town to draw."""
    build = _build_module()
    (tmp_path / "narratives").mkdir()
    (tmp_path / "routes.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    rows = build.read_places(PLACES)
    assert [row.name for row in rows if row.kind == "distant"] == ["Moscow"]
    outlines = {f["properties"]["iso3"]: f
                for f in json.loads(SHIPPED.read_text(encoding="utf-8"))["features"]}
    with pytest.raises(build.BuildError, match="no stage is placed at this town") as info:
        build.check_rows(rows, build.Story.read(tmp_path), outlines, PLACES)
    assert str(info.value).startswith(f"{PLACES}:")


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
