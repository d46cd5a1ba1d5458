"""The `spatial` check: truth against the base map, in metric projections.

Tolerances (also in docs/data-format.md): a crossing lies within 5 km of both countries'
outlines; a route passes through its `countries` in order, ignoring stretches under 2 km; the DMZ
lies across the PRK–KOR border and the MDL within 5 km of it. Distances are measured in an
azimuthal equidistant projection centred on Korea; routes are walked in Web Mercator, the
projection in which the map draws their straight segments.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, Point

from mapapp import region
from mapapp.basemap import BasemapError, load_basemap
from mapapp.validation import positions
from mapapp.validation.core import FeatureRef, Inspection

CHECK = "spatial"
BORDER_TOLERANCE_M = 5_000
SHORT_STRETCH_M = 2_000
DMZ_COVERAGE = 0.8
AEQD = (f"+proj=aeqd +lat_0={region.KOREA_CENTRE[0]} +lon_0={region.KOREA_CENTRE[1]} "
        "+datum=WGS84 +units=m +no_defs")
_TO_AEQD = Transformer.from_crs("EPSG:4326", AEQD, always_xy=True)
_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def transform(transformer: Transformer, shape):
    """The shape in another projection, all coordinates at once."""
    return shapely.transform(
        shape, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


class _Countries:
    """The base map's countries in both projections, with a spatial index for routes."""

    def __init__(self, frame):
        self.codes = list(frame.iso3)
        shapes = list(frame.geometry)
        self.metric = dict(zip(self.codes, (transform(_TO_AEQD, s) for s in shapes),
                               strict=True))
        self.mercator = [transform(_TO_MERCATOR, s) for s in shapes]
        for shape in self.mercator:
            shapely.prepare(shape)
        self.tree = shapely.STRtree(self.mercator)

    def at(self, point: Point) -> str | None:
        for index in self.tree.query(point, predicate="intersects"):
            return self.codes[index]
        return None

    def along(self, line: LineString) -> list[str]:
        """Countries a straight-segment line passes through, in order (Mercator coordinates)."""
        stretches: list[tuple[float, str]] = []
        for index in self.tree.query(line, predicate="intersects"):
            pieces = shapely.intersection(line, self.mercator[index])
            for piece in getattr(pieces, "geoms", [pieces]):
                if piece.is_empty or piece.geom_type != "LineString":
                    continue
                start = Point(piece.coords[0])
                scale = np.cos(np.radians(_latitude(start.y)))
                if piece.length * scale >= SHORT_STRETCH_M:
                    stretches.append((line.project(start), self.codes[index]))
        return [code for _, code in sorted(stretches)]

    def border(self, a: str, b: str):
        return shapely.intersection(self.metric[a].boundary, self.metric[b].boundary)


@lru_cache(maxsize=4)
def _countries(path) -> _Countries:
    return _Countries(load_basemap(path))


def _latitude(mercator_y: float) -> float:
    return float(np.degrees(2 * np.arctan(np.exp(mercator_y / 6_378_137)) - np.pi / 2))


def check(inspection: Inspection) -> None:
    outside = _positions_in_region(inspection)
    try:
        countries = _countries(inspection.dataset.basemap_path)
    except BasemapError as error:
        inspection.report(CHECK, f"spatial checks skipped: {error}",
                          "run scripts/build_basemap.py", line=1)
        return
    checks = {"crossing": _crossing, "route": _route, "dmz": _dmz}
    for ref in inspection.features_in(*checks):
        if ref.index in inspection.shapes and ref.index not in outside:
            checks[ref.layer](inspection, ref, countries)


def _positions_in_region(inspection: Inspection) -> set[int]:
    """Report positions outside the map's region, and name swapped longitude and latitude.

    Returns the features concerned: nothing more can be said of them against the map."""
    outside = set()
    for ref in inspection.features:
        shape = inspection.shapes.get(ref.index)
        if shape is None:
            continue
        xy = shapely.get_coordinates(shape)
        inside = ((xy[:, 0] >= region.WEST) & (xy[:, 0] <= region.EAST) &
                  (xy[:, 1] >= region.SOUTH) & (xy[:, 1] <= region.NORTH))
        if inside.all():
            continue
        for pointer, part in positions.geometries(ref.value["geometry"], ("geometry",)):
            for where, position in positions.walk(part["coordinates"],
                                                  positions.DEPTH[part["type"]],
                                                  (*pointer, "coordinates")):
                lon, lat = position[:2]
                if region.in_region(lon, lat):
                    continue
                _outside(inspection, ref, where, position)
                break
        outside.add(ref.index)
    for narrative in inspection.narratives.values():
        for stage in narrative.stages:
            place = stage.place
            if place and place.kind == "point" and not region.in_region(place.lon, place.lat):
                swapped = region.in_region(place.lat, place.lon)
                question = ": did you swap latitude and longitude?" if swapped else ""
                inspection.report(CHECK, f'stage "{stage.title}" places the map outside the region '
                                  f"it covers{question}",
                                  "write `place: Town @ <latitude>, <longitude>` (latitude first)",
                                  path=str(narrative.path), line=stage.line)
    return outside


def _outside(inspection: Inspection, ref: FeatureRef, where, position) -> None:
    lon, lat = position[:2]
    bounds = (f"longitude {region.WEST:g}–{region.EAST:g}, latitude "
              f"{region.SOUTH:g}–{region.NORTH:g}")
    if region.in_region(lat, lon):
        inspection.report(CHECK, f"position {positions.fmt(position)} lies outside the map's "
                          "region but inside it when read the other way round: did you swap "
                          "longitude and latitude?",
                          f"GeoJSON positions are [longitude, latitude]: write "
                          f"{positions.fmt([lat, lon])}", ref, where)
    else:
        inspection.report(CHECK, f"position {positions.fmt(position)} lies outside the region the "
                          f"map covers ({bounds})", "check the position: GeoJSON positions are "
                          "[longitude, latitude] in degrees", ref, where)


def _crossing(inspection: Inspection, ref: FeatureRef, countries: _Countries) -> None:
    sides = ref.properties.get("countries")
    known = isinstance(sides, list) and all(
        isinstance(side, str) and side in countries.metric for side in sides)
    if not (known and len(sides) == 2):
        return  # the schema or reference check has said what is wrong
    point = transform(_TO_AEQD, inspection.shapes[ref.index])
    distances = [countries.metric[side].boundary.distance(point) for side in sides]
    if max(distances) > BORDER_TOLERANCE_M:
        far = sides[int(np.argmax(distances))]
        inspection.report(CHECK, f"lies {max(distances) / 1000:.1f} km from the outline of {far}; "
                          f"a crossing must lie within {BORDER_TOLERANCE_M // 1000} km of the "
                          f"border between {sides[0]} and {sides[1]}",
                          "move the point to the border between the two countries (midway "
                          "between the two towns), or correct its countries", ref, ("geometry",))


def _route(inspection: Inspection, ref: FeatureRef, countries: _Countries) -> None:
    listed = ref.properties.get("countries")
    if not isinstance(listed, list):
        return
    shape = inspection.shapes[ref.index]
    parts = list(shape.geoms) if isinstance(shape, MultiLineString) else [shape]
    modes = ref.properties.get("modes")
    if not isinstance(modes, list) or len(modes) != len(parts):
        modes = ["land"] * len(parts)
    branches = _branches(list(zip(parts, modes, strict=True)))
    for number, branch in enumerate(branches, start=1):
        walked = _walk(branch, countries)
        if walked != listed:
            which = f"branch {number} of the line" if len(branches) > 1 else "the line"
            passes = " → ".join(walked) or "no country"
            wanted = " → ".join(map(str, listed))
            inspection.report(CHECK, f"{which} passes through {passes}, but its countries are "
                              f"{wanted}",
                              "correct \"countries\" to the order the line really takes, or redraw "
                              "the line (air legs count only where they start and end)",
                              ref, ("properties", "countries"))


def _branches(legs: list) -> list[list]:
    """Split a route's parts into journeys: a part that does not start where the previous one
    ended begins another way of making the same journey (e.g. an East Sea and a West Sea boat)."""
    branches: list[list] = []
    for part, mode in legs:
        joined = branches and Point(branches[-1][-1][0].coords[-1]).equals(Point(part.coords[0]))
        if joined:
            branches[-1].append((part, mode))
        else:
            branches.append([(part, mode)])
    return branches


def _walk(legs: list, countries: _Countries) -> list[str]:
    walked: list[str] = []
    for part, mode in legs:
        mercator = transform(_TO_MERCATOR, part)
        if mode == "air":
            ends = [countries.at(Point(mercator.coords[i])) for i in (0, -1)]
            walked += [code for code in ends if code]
        else:
            walked += countries.along(mercator)
    return [code for i, code in enumerate(walked) if i == 0 or walked[i - 1] != code]


def _dmz(inspection: Inspection, ref: FeatureRef, countries: _Countries) -> None:
    if not {"PRK", "KOR"} <= set(countries.metric):
        return
    kind = ref.properties.get("kind")
    border = countries.border("PRK", "KOR")
    shape = transform(_TO_AEQD, inspection.shapes[ref.index])
    if kind == "zone":
        covered = border.intersection(shape.buffer(BORDER_TOLERANCE_M)).length / border.length
        if not shape.intersects(border) or covered < DMZ_COVERAGE:
            inspection.report(CHECK, f"the zone covers {covered:.0%} of the border between PRK and "
                              f"KOR; it must lie across it (at least {DMZ_COVERAGE:.0%})",
                              "draw the zone 2 km either side of the Military Demarcation Line",
                              ref, ("geometry",))
    elif kind == "mdl":
        far = max(border.distance(Point(xy)) for xy in shapely.get_coordinates(shape))
        if far > BORDER_TOLERANCE_M:
            inspection.report(CHECK, f"a vertex of the line lies {far / 1000:.1f} km from the "
                              "border between PRK and KOR", "the MDL follows that border: move "
                              f"its vertices within {BORDER_TOLERANCE_M // 1000} km of it",
                              ref, ("geometry",))
