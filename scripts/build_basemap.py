#!/usr/bin/env python3
"""Regenerate data/basemap/countries.geojson, the offline country base map, reproducibly.

Why: every page of the site draws the countries from this one file, with no tile server and
no network at run time, so the file has to be small (about 250 KB) and still show the
North Korean borders (Yalu, Tumen, DMZ) at full Natural Earth 1:10m detail.  The source is
fetched by name from npm (world-atlas 2.0.2 = Natural Earth v4.1.0), checked against a
recorded sha256, and transformed by the documented steps below, so anyone can rebuild the
same bytes and see what was changed.

Steps: decode the TopoJSON arcs; simplify each arc once (so neighbours, which share arcs,
stay gap- and overlap-free): keep every vertex inside the Korea window, Douglas-Peucker
elsewhere; drop small islands that no other country touches; build polygons, make them
valid, clip all to one region box, orient exterior rings counter-clockwise (RFC 7946) and
round to 3 decimals.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np
import pycountry
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.geometry.polygon import orient

PACKAGE = "world-atlas@2.0.2"
# sha256 of the tarball that `npm pack world-atlas@2.0.2` downloads (checked 2026-11-20).
TARBALL_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
MEMBER = "package/countries-10m.json"

# (min lon, min lat, max lon, max lat).  Every country is clipped to REGION_BOX, the same
# box for all of them, so the cut edges of neighbours coincide.
REGION_BOX = (88.0, 5.0, 146.0, 56.0)
# Inside this window (North Korea, the Yalu and Tumen, the DMZ) no vertex is removed.
KOREA_WINDOW = (123.5, 37.0, 131.5, 43.5)
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
KM_PER_DEG = 111.32

# Natural Earth names are used, except these common short names.
NAME_OVERRIDES = {
    "PRK": "North Korea",
    "KOR": "South Korea",
    "LAO": "Laos",
    "VNM": "Vietnam",
    "RUS": "Russia",
}

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = REPO_ROOT / "data" / "basemap"
REBUILD_COMMAND = "python scripts/build_basemap.py"


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


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and os.replace: never a half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def notice_text(dropped: list[str]) -> str:
    x0, y0, x1, y1 = REGION_BOX
    k0, l0, k1, l1 = KOREA_WINDOW
    return f"""countries.geojson - country outlines for the base map

Source: Natural Earth v4.1.0, Admin 0 - Countries, 1:10m (public domain,
https://www.naturalearthdata.com/), via the npm package {PACKAGE}
(world-atlas by Mike Bostock, ISC licence), file {MEMBER}.
Tarball sha256: {TARBALL_SHA256}

Regenerate (fetches the tarball with `npm pack {PACKAGE}` and checks the sha256):
    {REBUILD_COMMAND}
or, with an already downloaded tarball:
    {REBUILD_COMMAND} --from-tarball world-atlas-2.0.2.tgz

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
"""


def summary(features: list[dict], size: int) -> str:
    counts = {f["iso3"]: shapely.get_num_coordinates(f["geometry"]) for f in features}
    return (
        f"{len(features)} countries, {sum(counts.values()):,} vertices, {size:,} bytes; "
        f"PRK {counts.get('PRK', 0):,} vertices"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Rebuild data/basemap/countries.geojson and NOTICE from Natural Earth "
        f"1:10m ({PACKAGE} from npm, sha256-checked).",
    )
    parser.add_argument(
        "--from-tarball",
        type=Path,
        metavar="PATH",
        help=f"use this already downloaded {PACKAGE} tarball instead of running npm pack",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="folder for countries.geojson and NOTICE (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="basemap-") as tmp:
            tarball = args.from_tarball or fetch_tarball(Path(tmp))
            if not tarball.is_file():
                raise BuildError(f"{tarball}: no such file")
            data, features, dropped = build_geojson(tarball)
    except BuildError as exc:
        print(f"build_basemap: error: {exc}", file=sys.stderr)
        return 2
    write_atomic(args.out_dir / "countries.geojson", data)
    write_atomic(args.out_dir / "NOTICE", notice_text(dropped).encode("utf-8"))
    for name in dropped:
        print(f"dropped {name!r}: its id has no ISO 3166-1 alpha-3 code")
    elapsed = time.perf_counter() - started
    print(f"wrote {args.out_dir / 'countries.geojson'}: {summary(features, len(data))}")
    print(f"wrote {args.out_dir / 'NOTICE'} ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
