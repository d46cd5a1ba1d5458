"""The `spatial` check: truth against the base map, in metric projections.

Tolerances (also in docs/data-format.md): a crossing lies within 5 km of both countries'
outlines; a route passes through its `countries` in order, ignoring stretches under 2 km; the DMZ
lies across the PRK–KOR border and the MDL within 5 km of it; every stretch of a barrier lies
within 5 km of a land border (one two countries share). Distances are measured in an
azimuthal equidistant projection centred on Korea; routes are walked in Web Mercator, the
projection in which the map draws their straight segments. Coordinates are projected, and routes
walked, for all features at once: the check runs on every commit, on thousands of features.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, Point

from mapapp import contract, region
from mapapp.basemap import BasemapError, CountryShapes, country_shapes, layer_features
from mapapp.parsing import Feature
from mapapp.validation import positions
from mapapp.validation.core import Inspection

CHECK = "spatial"
BORDER_TOLERANCE_M = 5_000
SHORT_STRETCH_M = 2_000
DMZ_COVERAGE = 0.8
QUERY_STEP_M = 200_000  # pieces of route segments looked up in the index of country outlines
BARRIER_STEP_M = 1_000  # a barrier is measured every kilometre along it, not only at vertices
_MARGIN = 1e-9  # closer than this to an end of a segment, or as parallel, GEOS decides
_SLACK_M = 0.001  # for rounding: a barrier's points are measured unless surely within tolerance
AEQD = (f"+proj=aeqd +lat_0={region.KOREA_CENTRE[0]} +lon_0={region.KOREA_CENTRE[1]} "
        "+datum=WGS84 +units=m +no_defs")
TO_AEQD = Transformer.from_crs("EPSG:4326", AEQD, always_xy=True)
_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def transform(transformer: Transformer, shape):
    """The shape (or array of shapes) in another projection, all coordinates at once."""
    return shapely.transform(
        shape, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def projected(transformer: Transformer, shapes: list) -> list[np.ndarray]:
    """The [x, y] coordinates of each shape in another projection, in one call to PROJ."""
    if not shapes:
        return []
    xy, owner = shapely.get_coordinates(shapes, return_index=True)
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    counts = np.bincount(owner, minlength=len(shapes))
    return np.split(np.column_stack([x, y]), np.cumsum(counts)[:-1])


class _Countries:
    """The base map's countries in both projections, with spatial indexes for routes: one of the
    countries, one of every segment of their outlines."""

    def __init__(self, codes: list[str], shapes: list):
        self.codes = codes
        self.metric = dict(zip(self.codes, transform(TO_AEQD, shapes), strict=True))
        self.mercator = list(transform(_TO_MERCATOR, shapes))
        shapely.prepare(self.mercator)
        self.tree = shapely.STRtree(self.mercator)
        edges = _segments(shapely.get_rings(shapely.get_parts(self.mercator)))
        self.edges = edges.reshape(-1, 4)  # x0, y0, x1, y1
        self.edge_tree = shapely.STRtree(shapely.linestrings(edges))
        self._outlines: dict[str, object] = {}
        self._outline_trees: dict[str, shapely.STRtree] = {}
        self._borders: dict[tuple[str, str], object] = {}
        self._metric_tree: shapely.STRtree | None = None
        self._land_borders: dict[tuple, shapely.STRtree | None] = {}

    def at(self, point: Point) -> str | None:
        for index in self.tree.query(point, predicate="intersects"):
            return self.codes[index]
        return None

    def along(self, lines: list[np.ndarray]) -> list[list[str]]:
        """Countries each straight-segment line passes through, in order (Mercator [x, y] arrays).

        Each line is cut where it meets a country outline (found for all lines at once in the
        index of outline segments); the pieces between cuts are named by the country their
        midpoint lies in; a stretch is the pieces of one country between two cuts at outlines,
        and counts from 2 km. That is what intersecting the line with each country gives, many
        times faster; a line for which it might not be (one that meets itself or runs along an
        outline, a piece in two countries, a stretch within a millimetre of 2 km) is intersected.
        """
        if not lines:
            return []
        walk = _Walk(self, lines)
        return [self.along_exactly(LineString(line)) if index in walk.doubtful
                else walk.codes[index] for index, line in enumerate(lines)]

    def along_exactly(self, line) -> list[str]:
        """`along` for one line (or any shape) by intersecting it with each country it meets."""
        stretches: list[tuple[float, str]] = []
        for index in self.tree.query(line, predicate="intersects"):
            pieces = shapely.intersection(line, self.mercator[index])
            for piece in getattr(pieces, "geoms", [pieces]):
                if piece.is_empty or piece.geom_type != "LineString":
                    continue
                start = Point(piece.coords[0])
                scale = np.cos(np.radians(_latitudes(start.y)))
                if piece.length * scale >= SHORT_STRETCH_M:
                    stretches.append((line.project(start), self.codes[index]))
        return [code for _, code in sorted(stretches)]

    def outline(self, code: str):
        if code not in self._outlines:
            self._outlines[code] = self.metric[code].boundary
        return self._outlines[code]

    def distances_to_outline(self, code: str, points: np.ndarray) -> np.ndarray:
        """What outline(code).distance(point) gives for each point (metric [x, y]), through an
        index of the outline's segments: many times faster than measuring to every one."""
        if code not in self._outline_trees:
            segments = _segments(shapely.get_parts(self.outline(code)))
            self._outline_trees[code] = shapely.STRtree(shapely.linestrings(segments))
        return self._outline_trees[code].query_nearest(
            shapely.points(points), all_matches=False, return_distance=True)[1]

    def at_each(self, points: np.ndarray) -> list[str | None]:
        """`at` for many points (Mercator [x, y]) at once; a point in two countries (on their
        border) asks `at`, which says which one the index finds first."""
        found, country = self.tree.query(shapely.points(points))
        hit = np.zeros(len(found), dtype=bool)
        for index in np.unique(country):
            mask = country == index
            hit[mask] = shapely.intersects_xy(self.mercator[index], points[found[mask], 0],
                                              points[found[mask], 1])
        found, country = found[hit], country[hit]
        codes: list[str | None] = [None] * len(points)
        for number, index in zip(found, country, strict=True):
            codes[number] = self.codes[index]
        for number in np.flatnonzero(np.bincount(found, minlength=len(points)) > 1):
            codes[number] = self.at(Point(points[number]))
        return codes

    def border(self, a: str, b: str):
        if (a, b) not in self._borders:
            self._borders[a, b] = shapely.intersection(self.outline(a), self.outline(b))
        return self._borders[a, b]

    def distances_to_land_borders(self, points: np.ndarray, area: np.ndarray | None = None
                                  ) -> np.ndarray:
        """The distance of each point (metric [x, y]) to the nearest line two countries share,
        among the countries within the tolerance of the box of `area`'s points (by default the
        points themselves: a barrier is measured against the borders around it, not the whole
        map's); infinite where there is none."""
        if not len(points):
            return np.empty(0)
        area = points if area is None else area
        tree = self._land_borders_around(*area.min(axis=0), *area.max(axis=0))
        if tree is None:
            return np.full(len(points), np.inf)
        return tree.query_nearest(shapely.points(points), all_matches=False,
                                  return_distance=True)[1]

    def metric_tree(self) -> shapely.STRtree:
        """An index of the countries in metres, in the order of `codes`."""
        if self._metric_tree is None:
            self._metric_tree = shapely.STRtree([self.metric[code] for code in self.codes])
        return self._metric_tree

    def _land_borders_around(self, *bounds: float) -> shapely.STRtree | None:
        """An index of the segments of the lines two countries share, of the countries within
        the tolerance of the box; None where there is none."""
        if bounds in self._land_borders:
            return self._land_borders[bounds]
        box = shapely.box(*bounds).buffer(BORDER_TOLERANCE_M)
        near = sorted(self.metric_tree().query(box))
        lines = shapely.get_parts([
            self.border(self.codes[a], self.codes[b]) for a in near for b in near
            if a < b and self.metric[self.codes[a]].intersects(self.metric[self.codes[b]])])
        lines = lines[(shapely.get_type_id(lines) == 1) & (shapely.get_num_coordinates(lines) > 1)]
        tree = shapely.STRtree(shapely.linestrings(_segments(lines))) if len(lines) else None
        self._land_borders[bounds] = tree
        return tree


def _segments(lines) -> np.ndarray:
    """The straight segments of lines (or rings), line after line: [[x0, y0], [x1, y1]] each."""
    xy, line = shapely.get_coordinates(lines, return_index=True)
    within = line[1:] == line[:-1]
    return np.stack([xy[:-1][within], xy[1:][within]], axis=1)


class _Walk:
    """The fast walk of `_Countries.along`: the codes of each line, and the lines to redo."""

    def __init__(self, countries: _Countries, lines: list[np.ndarray]):
        self.countries = countries
        self.codes: list[list[str]] = [[] for _ in lines]
        self.doubtful: set[int] = {i for i, line in enumerate(lines)
                                   if np.array_equal(line[0], line[-1])}
        xy = np.vstack(lines)
        line_of = np.repeat(np.arange(len(lines)), [len(line) for line in lines])
        # Repeated positions make segments without length: drop them.
        kept = np.ones(len(xy), dtype=bool)
        kept[1:] = (line_of[1:] != line_of[:-1]) | np.any(xy[1:] != xy[:-1], axis=1)
        self.xy, self.line_of = xy[kept], line_of[kept]
        simple = shapely.is_simple(shapely.linestrings(self.xy, indices=self.line_of))
        self.doubtful.update(np.flatnonzero(~simple).tolist())
        # Segments, by their first vertex; where each vertex lies along its line.
        self.first = np.flatnonzero(self.line_of[1:] == self.line_of[:-1])
        self.delta = self.xy[self.first + 1] - self.xy[self.first]
        self.length = np.hypot(self.delta[:, 0], self.delta[:, 1])
        per_line = np.split(self.length, np.cumsum(np.bincount(self.line_of) - 1)[:-1])
        self.vertex_at = np.concatenate([np.concatenate(([0.0], np.cumsum(lengths)))
                                         for lengths in per_line])
        self._stretches(*self._pieces())

    def _pieces(self):
        """Cut every line at its vertices and where it meets an outline: (line, start, end,
        whether an outline cut starts it, segment) of each piece between two cuts."""
        first, length = self.first, self.length
        segment, fraction = self._meetings()
        cut_line = np.concatenate([self.line_of, self.line_of[first[segment]]])
        cut_at = np.concatenate([self.vertex_at,
                                 self.vertex_at[first[segment]] + fraction * length[segment]])
        is_vertex = np.arange(len(cut_line)) < len(self.line_of)
        order = np.lexsort((cut_at, cut_line))
        cut_line, cut_at, is_vertex = cut_line[order], cut_at[order], is_vertex[order]
        distinct = np.ones(len(cut_line), dtype=bool)
        distinct[1:] = (cut_line[1:] != cut_line[:-1]) | (cut_at[1:] != cut_at[:-1])
        groups = np.flatnonzero(distinct)
        at_outline = np.logical_or.reduceat(~is_vertex, groups)
        vertices_so_far = np.cumsum(np.logical_or.reduceat(is_vertex, groups))
        cut_line, cut_at = cut_line[groups], cut_at[groups]
        piece = np.flatnonzero(cut_line[1:] == cut_line[:-1])
        line = cut_line[piece]
        # Every line before this one has one vertex that starts no segment: its last.
        in_segment = vertices_so_far[piece] - 1 - line
        return line, cut_at[piece], cut_at[piece + 1], at_outline[piece], in_segment

    def _meetings(self) -> tuple[np.ndarray, np.ndarray]:
        """(segment, fraction of its length) of every point where a segment meets an outline.

        The outline index is asked with boxes around short pieces of each segment: the box of a
        long diagonal segment holds thousands of outline segments. Whether two segments meet is
        computed for all candidates at once; the few too close to call are asked of GEOS."""
        first, delta = self.first, self.delta
        pieces = np.ceil(self.length / QUERY_STEP_M).astype(int)
        owner = np.repeat(np.arange(len(first)), pieces)
        number = np.arange(len(owner)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        ends = [self.xy[first[owner]] + (share / pieces[owner])[:, None] * delta[owner]
                for share in (number, number + 1)]
        # The diagonal of each piece's box, with a metre of slack for rounding.
        diagonals = np.stack([np.minimum(*ends) - 1, np.maximum(*ends) + 1], axis=1)
        candidate, edge = self.countries.edge_tree.query(shapely.linestrings(diagonals))
        segment = owner[candidate]  # a pair found twice gives the same cut twice: harmless
        edges = self.countries.edges[edge]
        along_edge, to_edge = edges[:, 2:] - edges[:, :2], edges[:, :2] - self.xy[first[segment]]
        denominator = _cross(delta[segment], along_edge)
        with np.errstate(divide="ignore", invalid="ignore"):  # parallel: GEOS decides below
            fraction = _cross(to_edge, along_edge) / denominator
            on_edge = _cross(to_edge, delta[segment]) / denominator
            sine = np.abs(denominator) / (self.length[segment] * np.hypot(*along_edge.T))
        loose = (fraction >= -_MARGIN) & (fraction <= 1 + _MARGIN) & (on_edge >= -_MARGIN) & (
            on_edge <= 1 + _MARGIN)
        strict = (fraction > _MARGIN) & (fraction < 1 - _MARGIN) & (on_edge > _MARGIN) & (
            on_edge < 1 - _MARGIN)
        unsure = (sine < _MARGIN) | (loose & ~strict)
        meet = strict & ~unsure
        meet[unsure] = shapely.intersects(
            shapely.linestrings(np.stack([self.xy[first[segment[unsure]]],
                                          self.xy[first[segment[unsure]] + 1]], axis=1)),
            shapely.linestrings(edges[unsure].reshape(-1, 2, 2)))
        self.doubtful.update(self.line_of[first[segment[meet & (sine < _MARGIN)]]].tolist())
        return segment[meet], np.clip(np.nan_to_num(fraction[meet]), 0, 1)

    def _stretches(self, line, begin, end, at_outline, in_segment) -> None:
        country = self._countries_at(self._point_at((begin + end) / 2, in_segment), line)
        head = np.ones(len(line), dtype=bool)
        head[1:] = (line[1:] != line[:-1]) | (country[1:] != country[:-1]) | at_outline[1:]
        heads = np.flatnonzero(head)
        tails = np.append(heads[1:], len(line)) - 1
        latitude = _latitudes(self._point_at(begin[heads], in_segment[heads])[:, 1])
        metres = (end[tails] - begin[heads]) * np.cos(np.radians(latitude))
        self.doubtful.update(line[heads[np.abs(metres - SHORT_STRETCH_M) <= 1e-3]].tolist())
        for index in heads[(country[heads] >= 0) & (metres >= SHORT_STRETCH_M)]:
            self.codes[line[index]].append(self.countries.codes[country[index]])

    def _point_at(self, where: np.ndarray, segment: np.ndarray) -> np.ndarray:
        vertex = self.first[segment]
        share = (where - self.vertex_at[vertex]) / self.length[segment]
        return self.xy[vertex] + share[:, None] * self.delta[segment]

    def _countries_at(self, points: np.ndarray, line: np.ndarray) -> np.ndarray:
        """The index of the country each point lies inside, or -1."""
        found, country = self.countries.tree.query(shapely.points(points))
        inside = np.zeros(len(found), dtype=bool)
        for index in np.unique(country):
            mask = country == index
            inside[mask] = shapely.contains_xy(self.countries.mercator[index],
                                               points[found[mask], 0], points[found[mask], 1])
        found, country = found[inside], country[inside]
        twice = np.bincount(found, minlength=len(points)) > 1
        self.doubtful.update(line[twice].tolist())
        result = np.full(len(points), -1)
        result[found] = country
        return result


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]


def _latitudes(mercator_y):
    return np.degrees(2 * np.arctan(np.exp(mercator_y / 6_378_137)) - np.pi / 2)


@lru_cache(maxsize=4)
def _countries(basemap: CountryShapes) -> _Countries:
    return _Countries(list(basemap.codes), list(basemap.shapes))


def countries_at(inspection: Inspection, lonlat: np.ndarray, metric: list,
                 within_m: float) -> list[tuple[str | None, set[str]]]:
    """For each [lon, lat] position (`metric`: the same points in metres): the base map's
    country it lies in (None at sea) and every country within `within_m` of it, which it may
    stand for at the base map's scale. Raises BasemapError when the base map cannot be read."""
    countries = _countries(country_shapes(inspection.dataset.basemap_path))
    if not len(lonlat):
        return []
    x, y = _TO_MERCATOR.transform(lonlat[:, 0], lonlat[:, 1])
    found = countries.at_each(np.column_stack([x, y]))
    near, index = countries.metric_tree().query(metric, predicate="dwithin", distance=within_m)
    nearby: list[set[str]] = [set() for _ in metric]
    for point, country in zip(near, index, strict=True):
        nearby[point].add(countries.codes[country])
    return list(zip(found, nearby, strict=True))


def check(inspection: Inspection) -> None:
    outside = _positions_in_region(inspection)
    try:
        countries = _countries(country_shapes(inspection.dataset.basemap_path))
    except BasemapError as error:
        inspection.report(CHECK, f"spatial checks skipped: {error}",
                          "run scripts/build_basemap.py", line=1)
        return
    features = [ref for ref in inspection.features_in("crossing", "route", "dmz", "barrier")
                if ref.index not in outside and _drawn_as_contracted(ref)]
    # A code without a country feature (a typo, reported by the reference check) would only
    # be repeated here as a line through other countries.
    known = {code for ref in inspection.features_in("country")
             if isinstance(code := ref.properties.get("iso3"), str)}
    routes = [ref for ref in features if ref.layer == "route"
              and isinstance(ref.properties.get("countries"), list)
              and all(code in known for code in ref.properties["countries"]
                      if isinstance(code, str)) and _modes_usable(ref)]
    walked = _walk(inspection, routes, countries)
    distances = _crossing_distances(
        inspection, [ref for ref in features if ref.layer == "crossing"], countries)
    dmz = [ref for ref in features if ref.layer == "dmz"]
    metric = dict(zip((ref.index for ref in dmz), transform(
        TO_AEQD, [ref.shape for ref in dmz]), strict=True))
    barriers = _barrier_distances([ref for ref in features if ref.layer == "barrier"], countries)
    for ref in features:
        if ref.index in barriers:
            _barrier(inspection, ref, barriers[ref.index])
        elif ref.index in distances:
            _crossing(inspection, ref, distances[ref.index])
        elif ref.index in walked:
            _route(inspection, ref, walked[ref.index])
        elif ref.index in metric:
            _dmz(inspection, ref, countries, metric[ref.index])


def _modes_usable(ref: Feature) -> bool:
    """Whether the route's `modes` (if any) give one known mode a part: else which parts fly is
    unknown, the schema check reports the cause, and the countries walked would be a
    consequence of it, with wrong advice."""
    modes = ref.properties.get("modes")
    return modes is None or (isinstance(modes, list) and len(modes) == len(_parts(ref.shape))
                             and all(mode in contract.MODES for mode in modes))


def _drawn_as_contracted(ref: Feature) -> bool:
    """Whether the feature is drawn as its layer (a dmz feature, as its kind) must be: the
    schema check reports any other shape, and nothing can be said of it against the map."""
    allowed = contract.LAYERS[ref.layer].geometry
    if ref.layer == "dmz":
        kind = ref.properties.get("kind")
        allowed = contract.DMZ_KINDS.get(kind, ()) if isinstance(kind, str) else ()
    return ref.shape is not None and ref.shape.geom_type in allowed


def _positions_in_region(inspection: Inspection) -> set[int]:
    """Report positions outside the map's region, and name swapped longitude and latitude.

    Returns the features concerned: nothing more can be said of them against the map."""
    outside = set()
    shapes = inspection.shapes()
    indices = list(shapes)
    xy, owner = shapely.get_coordinates(list(shapes.values()), return_index=True)
    inside = ((xy[:, 0] >= region.WEST) & (xy[:, 0] <= region.EAST) &
              (xy[:, 1] >= region.SOUTH) & (xy[:, 1] <= region.NORTH))
    beyond = {indices[i] for i in np.unique(owner[~inside])}
    for ref in inspection.features:
        if ref.index not in beyond:
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
    distant = _distant_towns(inspection)
    by_id = inspection.by_id()  # once: a dataset may place thousands of stages at a distant town
    for route_id, narrative in inspection.narratives.items():
        for stage in narrative.stages:
            place = stage.place
            if place and place.kind == "point" and not region.in_region(place.lon, place.lat):
                if place.ref in distant:
                    _distant_stage(inspection, by_id.get(route_id), narrative, stage,
                                   distant[place.ref])
                    continue
                swapped = region.in_region(place.lat, place.lon)
                question = ": did you swap latitude and longitude?" if swapped else ""
                hint = "write `place: Town @ <latitude>, <longitude>` (latitude first)"
                if not swapped:
                    hint += ("; a town beyond the map is a `distant` row of "
                             "data/basemap/places.csv, then rebuild the base map")
                inspection.report(CHECK, f'stage "{stage.title}" places the map outside the region '
                                  f"it covers{question}", hint,
                                  path=str(narrative.path), line=stage.line_of("place"))
    return outside


def _distant_towns(inspection: Inspection) -> dict[str, dict]:
    """The towns beyond the map's region that a stage may be placed at, by English name: the
    base map's `distant` towns (data/basemap/places.csv), the one documented exception to the
    region; none when the base map cannot be read (the check below says so)."""
    try:
        towns = layer_features(inspection.dataset.basemap.get("towns"))
    except BasemapError:
        return {}
    return {town["properties"]["name"]: town for town in towns
            if town["properties"].get("distant")}


def _distant_stage(inspection: Inspection, route: Feature | None, narrative, stage,
                   town: dict) -> None:
    """A stage at a distant town: at the base map's position of it, in a country its route
    lists (the maps cannot show either: they point to it from their edge)."""
    where = {"path": str(narrative.path), "line": stage.line_of("place")}
    lon, lat = town["geometry"]["coordinates"]
    if (stage.place.lon, stage.place.lat) != (lon, lat):
        inspection.report(CHECK, f'stage "{stage.title}" places {stage.place.ref} at '
                          f"{stage.place.lat:g}, {stage.place.lon:g}, beyond the map's region, "
                          f"where the base map has it at {lat:g}, {lon:g}",
                          f"write `place: {stage.place.ref} @ {lat:g}, {lon:g}`", **where)
        return
    countries = route.properties.get("countries") if route is not None else None
    country = town["properties"]["country"]
    if isinstance(countries, list) and country not in countries:
        inspection.report(CHECK, f'stage "{stage.title}" is placed at {stage.place.ref}, in '
                          f'{country}, a country route "{route.id}" never enters',
                          f"place it in one of {', '.join(map(str, countries))}, or add "
                          f"{country} to the route's countries", **where)


def _outside(inspection: Inspection, ref: Feature, where, position) -> None:
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


def _crossing_distances(inspection: Inspection, crossings: list[Feature],
                        countries: _Countries) -> dict[int, list[float]]:
    """For each crossing that names two countries of the base map, by feature index: its
    distances (m) to their outlines, for all points at once."""
    points = [ref for ref in crossings if _two_known_sides(ref.properties.get("countries"),
                                                            countries)]
    xy = projected(TO_AEQD, [ref.shape for ref in points])
    measured = np.zeros((len(points), 2))
    for side in (0, 1):
        by_code: dict[str, list[int]] = {}
        for number, ref in enumerate(points):
            by_code.setdefault(ref.properties["countries"][side], []).append(number)
        for code, numbers in by_code.items():
            measured[numbers, side] = countries.distances_to_outline(
                code, np.vstack([xy[number] for number in numbers]))
    return {ref.index: list(row) for ref, row in zip(points, measured, strict=True)}


def _two_known_sides(sides, countries: _Countries) -> bool:
    """Whether a crossing's countries are two of the base map (else the schema or reference
    check has said what is wrong)."""
    return isinstance(sides, list) and len(sides) == 2 and all(
        isinstance(side, str) and side in countries.metric for side in sides)


def _crossing(inspection: Inspection, ref: Feature, distances: list[float]) -> None:
    sides = ref.properties["countries"]
    if max(distances) > BORDER_TOLERANCE_M:
        far = sides[int(np.argmax(distances))]
        inspection.report(CHECK, f"lies {max(distances) / 1000:.1f} km from the outline of {far}; "
                          f"a crossing must lie within {BORDER_TOLERANCE_M // 1000} km of the "
                          f"border between {sides[0]} and {sides[1]}",
                          "move the point to the border between the two countries (midway "
                          "between the two towns), or correct its countries", ref, ("geometry",))


def _route(inspection: Inspection, ref: Feature, walked: list[list[str]]) -> None:
    """`walked` holds the countries each part of the line passes through."""
    listed = ref.properties.get("countries")
    branches = _branches(list(zip(_parts(ref.shape), walked, strict=True)))
    for number, branch in enumerate(branches, start=1):
        codes = [code for _, part_codes in branch for code in part_codes]
        passed = [code for i, code in enumerate(codes) if i == 0 or codes[i - 1] != code]
        if passed != listed:
            which = f"branch {number} of the line" if len(branches) > 1 else "the line"
            passes = " → ".join(passed) or "no country"
            wanted = " → ".join(map(str, listed))
            inspection.report(CHECK, f"{which} passes through {passes}, but its countries are "
                              f"{wanted}",
                              "correct \"countries\" to the order the line really takes, or redraw "
                              "the line (air legs count only where they start and end)",
                              ref, ("properties", "countries"))


def _parts(shape) -> list:
    return list(shape.geoms) if isinstance(shape, MultiLineString) else [shape]


def _branches(legs: list) -> list[list]:
    """Split a route's parts into journeys: a part that does not start where the previous one
    ended begins another way of making the same journey (e.g. an East Sea and a West Sea boat)."""
    branches: list[list] = []
    for part, walked in legs:
        if branches and branches[-1][-1][0].coords[-1] == part.coords[0]:
            branches[-1].append((part, walked))
        else:
            branches.append([(part, walked)])
    return branches


def _walk(inspection: Inspection, routes: list[Feature],
          countries: _Countries) -> dict[int, list[list[str]]]:
    """The countries each part of each route passes through, by feature index; an air leg counts
    only where it starts and ends. Lines are walked all at once."""
    parts, modes = [], []
    for ref in routes:
        its_parts = _parts(ref.shape)
        given = ref.properties.get("modes")
        valid = isinstance(given, list) and len(given) == len(its_parts)
        parts.append(its_parts)
        modes += given if valid else ["land"] * len(its_parts)
    flat = [part for its_parts in parts for part in its_parts]
    mercator = projected(_TO_MERCATOR, flat)
    land = [i for i in range(len(flat)) if modes[i] != "air"]
    air = [i for i in range(len(flat)) if modes[i] == "air"]
    walked = dict(zip(land, countries.along([mercator[i] for i in land]), strict=True))
    ends = countries.at_each(np.array([mercator[i][end] for i in air for end in (0, -1)],
                                      dtype=float).reshape(-1, 2))
    for number, i in enumerate(air):
        walked[i] = [code for code in ends[2 * number:2 * number + 2] if code]
    result, end = {}, 0
    for ref, its_parts in zip(routes, parts, strict=True):
        result[ref.index] = [walked[i] for i in range(end, end + len(its_parts))]
        end += len(its_parts)
    return result


def _barrier_distances(barriers: list[Feature], countries: _Countries) -> dict[int, float]:
    """For each barrier, by feature index: the distance (m) from a border between two countries
    of its farthest point, of those every kilometre along it; exact whenever it is beyond the
    tolerance.

    The vertices are measured first, all at once. A point lies no farther from a border than a
    point measured d from it plus the distance between them, so between two measured points
    a and b, none lies farther than (d(a) + d(b) + |ab|) / 2; where that is within the
    tolerance, the kilometre points between them need not be measured. The others are measured
    halfway, and each half looked at again, until every kilometre point is measured or known to
    be near: a few rounds of measuring all segments at once, each with fewer points."""
    parts, owner = shapely.get_parts([ref.shape for ref in barriers], return_index=True)
    lines = projected(TO_AEQD, list(parts))
    if not lines:
        return {}
    xy = np.vstack(lines)
    near = countries.distances_to_land_borders(xy)
    line_of = np.repeat(np.arange(len(lines)), [len(line) for line in lines])
    far = np.full(len(barriers), -np.inf)
    np.maximum.at(far, owner[line_of], near)
    # Segments by their first vertex (the last vertex of a line starts none).
    first = np.flatnonzero(line_of[1:] == line_of[:-1])
    length = np.hypot(*(xy[first + 1] - xy[first]).T)
    loose = (near[first] + near[first + 1] + length) / 2 > BORDER_TOLERANCE_M
    first, length = first[loose], length[loose]
    steps = np.ceil(length / BARRIER_STEP_M).astype(int)  # the kilometre points: k / steps
    start, end = xy[first], xy[first + 1]

    def point(segment, k):
        return start[segment] + (k / steps[segment])[:, None] * (end[segment] - start[segment])

    # The borders measured against are those around all of the kilometre points (the first
    # and last of each segment span their box).
    inner = np.flatnonzero(steps > 1)
    area = np.vstack([point(inner, np.ones(len(inner), dtype=int)),
                      point(inner, steps[inner] - 1)])
    # Stretches still in doubt: their segment, their ends' numbers and distances.
    segment, i, j = np.arange(len(first)), np.zeros(len(first), dtype=int), steps
    d_i, d_j = near[first], near[first + 1]
    while len(segment):
        bound = (d_i + d_j + (j - i) * length[segment] / steps[segment]) / 2
        doubt = (j - i > 1) & (bound > BORDER_TOLERANCE_M - _SLACK_M)
        segment, i, j, d_i, d_j = (a[doubt] for a in (segment, i, j, d_i, d_j))
        middle = (i + j) // 2
        d_m = countries.distances_to_land_borders(point(segment, middle), area)
        np.maximum.at(far, owner[line_of[first[segment]]], d_m)
        segment, i, j = np.tile(segment, 2), np.concatenate([i, middle]), np.concatenate(
            [middle, j])
        d_i, d_j = np.concatenate([d_i, d_m]), np.concatenate([d_m, d_j])
    return {ref.index: float(distance) for ref, distance in zip(barriers, far, strict=True)}


def _barrier(inspection: Inspection, ref: Feature, far: float) -> None:
    """A barrier is drawn on a border: measured every kilometre, no stretch may leave it."""
    if far > BORDER_TOLERANCE_M:
        distance = "nowhere near" if np.isinf(far) else f"{far / 1000:.1f} km from"
        inspection.report(CHECK, f"a stretch of the barrier lies {distance} a border between two "
                          "countries of the base map", "draw it along the border it guards, within "
                          f"{BORDER_TOLERANCE_M // 1000} km (scripts/draw_barrier.py draws it from "
                          "the base map)", ref, ("geometry",))


def _dmz(inspection: Inspection, ref: Feature, countries: _Countries, shape) -> None:
    """`shape` is the feature's in the metric projection."""
    if not {"PRK", "KOR"} <= set(countries.metric):
        return
    kind = ref.properties.get("kind")
    border = countries.border("PRK", "KOR")
    if border.length == 0:
        return  # a base map on which the two Koreas do not meet says nothing of the DMZ
    if kind == "zone":
        covered = border.intersection(shape.buffer(BORDER_TOLERANCE_M)).length / border.length
        if not shape.intersects(border) or covered < DMZ_COVERAGE:
            inspection.report(CHECK, f"the zone covers {covered:.0%} of the border between PRK and "
                              f"KOR; it must lie across it (at least {DMZ_COVERAGE:.0%})",
                              "draw the zone 2 km either side of the Military Demarcation Line",
                              ref, ("geometry",))
    elif kind == "mdl":
        far = shapely.distance(border, shapely.points(shapely.get_coordinates(shape))).max()
        if far > BORDER_TOLERANCE_M:
            inspection.report(CHECK, f"a vertex of the line lies {far / 1000:.1f} km from the "
                              "border between PRK and KOR", "the MDL follows that border: move "
                              f"its vertices within {BORDER_TOLERANCE_M // 1000} km of it",
                              ref, ("geometry",))
