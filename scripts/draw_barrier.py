#!/usr/bin/env python3
"""Draw a barrier's geometry along a border of the base map, for data/routes.geojson.

A barrier (a fence, a wall, a line of guard posts) is drawn on the border itself, at the base
map's scale: this takes the line two countries of data/basemap/countries.geojson share, cuts
out the stretches the sources describe, simplifies them to 0.01° and rounds them to 2 decimals
(docs/data-format.md, barriers), and prints the GeoJSON geometry to paste into the feature.

A stretch is given by a point and the kilometres of border on either side of it
(`LON,LAT:KM`), or between two points (`LON,LAT..LON,LAT`); a point is taken to the nearest
place on the border. With no stretch, the whole shared border is drawn.

    scripts/draw_barrier.py PRK CHN                              # the whole border
    scripts/draw_barrier.py PRK CHN 124.39,40.15..124.55,40.28   # from Dandong upstream
    scripts/draw_barrier.py PRK CHN 129.23,42.23:10 129.75,42.44:10   # two sections, 20 km each
"""

from __future__ import annotations

import argparse
import json
import sys

import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point
from shapely.ops import substring

from mapapp.basemap import BasemapError, country_shapes
from mapapp.contract import MAX_DECIMALS
from mapapp.validation.spatial import AEQD, transform

SIMPLIFY_DEGREES = 0.01
_TO_METRES = Transformer.from_crs("EPSG:4326", AEQD, always_xy=True)
_TO_DEGREES = Transformer.from_crs(AEQD, "EPSG:4326", always_xy=True)


def shared_border(a: str, b: str) -> LineString:
    """The line two countries of the base map share, in metres (one piece, or the longest)."""
    shapes = country_shapes()
    outline = dict(zip(shapes.codes, (shape.boundary for shape in shapes.shapes), strict=True))
    for code in (a, b):
        if code not in outline:
            raise SystemExit(f"{code} is not a country of the base map")
    border = shapely.line_merge(shapely.intersection(outline[a], outline[b]))
    pieces = [piece for piece in getattr(border, "geoms", [border]) if piece.length > 0]
    if not pieces:
        raise SystemExit(f"{a} and {b} share no border on the base map")
    return transform(_TO_METRES, max(pieces, key=lambda piece: piece.length))


def _point(text: str) -> Point:
    lon, lat = (float(number) for number in text.split(","))
    return Point(_TO_METRES.transform(lon, lat))


def stretch(border: LineString, spec: str) -> LineString:
    """The part of the border a `LON,LAT:KM` or `LON,LAT..LON,LAT` describes."""
    if ".." in spec:
        start, end = sorted(border.project(_point(text)) for text in spec.split(".."))
    else:
        where, km = spec.split(":")
        middle = border.project(_point(where))
        start, end = middle - float(km) * 1000, middle + float(km) * 1000
    return substring(border, max(start, 0), min(end, border.length))


def in_degrees(line: LineString) -> list[list[float]]:
    """The line back in longitude and latitude, simplified and rounded, repeats dropped."""
    lon, lat = _TO_DEGREES.transform(*line.xy)
    simple = LineString(zip(lon, lat, strict=True)).simplify(SIMPLIFY_DEGREES)
    rounded: list[list[float]] = []
    for x, y in simple.coords:
        position = [round(x, MAX_DECIMALS), round(y, MAX_DECIMALS)]
        if not rounded or rounded[-1] != position:
            rounded.append(position)
    return rounded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("countries", nargs=2, metavar="ISO3",
                        help="the two countries, e.g. PRK CHN")
    parser.add_argument("stretches", nargs="*", metavar="STRETCH",
                        help="LON,LAT:KM or LON,LAT..LON,LAT (default: the whole border)")
    args = parser.parse_args()
    try:
        border = shared_border(*args.countries)
    except BasemapError as error:
        print(error, file=sys.stderr)
        return 2
    parts = [in_degrees(stretch(border, spec)) for spec in args.stretches] or [in_degrees(border)]
    if len(parts) == 1:
        print(json.dumps({"type": "LineString", "coordinates": parts[0]}))
    else:
        print(json.dumps({"type": "MultiLineString", "coordinates": parts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
