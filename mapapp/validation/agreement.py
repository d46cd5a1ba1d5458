"""A route and its narrative tell the same journey: the stages go where the route goes, in the
order its line is drawn, and the crossings it lists lie on its line.

Each side may be right alone and the two still disagree; the site would then number a stage on
the map where the line never passes, or fly backwards along it. A stage placed in a country the
route does not list (`place: country X`, or a town the base map has in X) is an error: one of
the two is wrong, and the hint says which to change. Stages out of the line's order are a
warning: a story may turn back where the line does not; `mapapp validate --strict` fails on it.
"""

from __future__ import annotations

from itertools import accumulate, pairwise

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Point

from mapapp import region
from mapapp.basemap import BasemapError
from mapapp.narrative import Narrative, Stage
from mapapp.parsing import Feature
from mapapp.validation.core import Inspection
from mapapp.validation.spatial import TO_AEQD, countries_at, transform

CROSSING_TOLERANCE_M = 10_000  # a route's crossing lies on its line, give or take a town
STAGE_NEAR_M = 50_000  # a stage this close to the line has a place along it
BACKTRACK_M = 20_000  # stages closer than this along the line are in any order
TOWN_BORDER_M = 10_000  # a town this close to a country may lie in it, at the base map's scale


def check(inspection: Inspection) -> None:
    by_id = inspection.by_id()
    # What an earlier check found wrong with a route or a crossing (a line the wrong way round,
    # a swapped position) is the cause; a disagreement with it would only be its consequence.
    faulty = {problem.feature for problem in inspection.problems if problem.is_error}
    by_id = {key: ref for key, ref in by_id.items() if ref.label not in faulty}
    routes = [route for route in inspection.features_in("route") if route.label not in faulty]
    # Everything is projected at once, in one call to PROJ each: thousands of routes and stages.
    lines = _metric_lines(routes)
    metric = _metric_shapes(by_id)
    stories = {route.index: story for route in routes
               if (story := inspection.narratives.get(route.id or "")) is not None}
    points = _stage_points(stories, metric)
    # A stage in a country with no feature (a typo) is reported by the reference check alone.
    known = {code for ref in inspection.features_in("country")
             if isinstance(code := ref.properties.get("iso3"), str)}
    towns = _town_countries(inspection, stories, points)
    for route in routes:
        line = lines[route.index]
        crossings = route.properties.get("crossings")
        listed = [c for c in crossings if isinstance(c, str)] if isinstance(crossings, list) else []
        if line is not None:
            _crossings_on_line(inspection, route, line, listed, by_id, metric)
        narrative = stories.get(route.index)
        if narrative is None:
            continue
        _stage_places(inspection, route, narrative, listed, by_id, known,
                      towns.get(route.index, {}))
        if isinstance(line, LineString):
            _travel_order(inspection, narrative, line, points[route.index])


def _metric_lines(routes: list[Feature]) -> dict[int, object]:
    """Each route's line in metres, by feature index: its parts joined when they follow on, else
    the parts; None when it has no line."""
    lines = {route.index: _joined(route.shape) for route in routes}
    drawn = [index for index, line in lines.items() if line is not None]
    lines.update(zip(drawn, transform(TO_AEQD, [lines[index] for index in drawn]), strict=True))
    return lines


def _joined(shape):
    if isinstance(shape, MultiLineString):
        parts = [shapely.get_coordinates(part) for part in shape.geoms]
        if all((a[-1] == b[0]).all() for a, b in pairwise(parts)):
            shape = shapely.linestrings(np.vstack([parts[0][:1], *(p[1:] for p in parts)]))
    if not isinstance(shape, LineString | MultiLineString) or shape.is_empty:
        return None
    return shape


def _metric_shapes(by_id: dict[str, Feature]) -> dict[str, object]:
    """In metres, by id, the shapes a route or a stage may name: crossings, and any point."""
    named = [(key, ref.shape) for key, ref in by_id.items() if ref.shape is not None
             and (ref.layer == "crossing" or isinstance(ref.shape, Point))]
    return dict(zip((key for key, _ in named), transform(TO_AEQD, [s for _, s in named]),
                    strict=True))


def _stage_points(stories: dict[int, Narrative], metric: dict[str, object]) -> dict[int, list]:
    """Where each stage of each story is, in metres (None where it has no point), by route: a
    town's position (all projected at once), or the point of the crossing it names."""
    positions = np.array([(stage.place.lon, stage.place.lat) for story in stories.values()
                          for stage in story.stages
                          if stage.place is not None and stage.place.kind == "point"],
                         dtype=float).reshape(-1, 2)
    projected = iter(transform(TO_AEQD, shapely.points(positions)))
    points: dict[int, list] = {}
    for route_index, story in stories.items():
        points[route_index] = found = []
        for stage in story.stages:
            place = stage.place
            if place is None:
                found.append(None)
            elif place.kind == "point":
                found.append(next(projected))
            else:
                target = metric.get(place.ref)
                found.append(target if place.kind == "crossing" and isinstance(target, Point)
                             else None)
    return points


def _town_countries(inspection: Inspection, stories: dict[int, Narrative],
                    points: dict[int, list]) -> dict[int, dict[int, tuple[str, set[str]]]]:
    """By route and stage number, the base map's country of each stage placed at a town inside
    the map's region, with the countries within TOWN_BORDER_M of it; none when the base map
    cannot be read (the spatial check says so). A town beyond the region is a `distant` town
    of the base map or a fault, both for the spatial check."""
    where = [(route_index, number, (place.lon, place.lat), points[route_index][number])
             for route_index, story in stories.items()
             for number, place in enumerate(stage.place for stage in story.stages)
             if place is not None and place.kind == "point"
             and region.in_region(place.lon, place.lat)]
    try:
        found = countries_at(inspection, np.array([lonlat for _, _, lonlat, _ in where],
                                                  dtype=float).reshape(-1, 2),
                             [point for *_, point in where], TOWN_BORDER_M)
    except BasemapError:
        return {}
    towns: dict[int, dict[int, tuple[str, set[str]]]] = {}
    for (route_index, number, _, _), (code, near) in zip(where, found, strict=True):
        if code is not None:
            towns.setdefault(route_index, {})[number] = (code, near)
    return towns


def _crossings_on_line(inspection: Inspection, route: Feature, line, listed: list[str],
                       by_id: dict[str, Feature], metric: dict[str, object]) -> None:
    for index, crossing_id in enumerate(listed):
        crossing = by_id.get(crossing_id)
        if crossing is None or crossing.layer != "crossing" or crossing.shape is None:
            continue  # the reference check reports it
        distance = line.distance(metric[crossing_id])
        if distance > CROSSING_TOLERANCE_M:
            inspection.report("spatial", f'lists crossing "{crossing_id}", which lies '
                              f"{distance / 1000:.0f} km from its line",
                              "draw the line through the crossing, or list the crossing the "
                              "line really takes", route, ("properties", "crossings", index))


def _stage_places(inspection: Inspection, route: Feature, narrative: Narrative,
                  listed: list[str], by_id: dict[str, Feature], known: set[str],
                  towns: dict[int, tuple[str, set[str]]]) -> None:
    countries = route.properties.get("countries")
    countries = countries if isinstance(countries, list) else []
    # A listed id that names no crossing is the cause (the reference check reports it); a stage
    # at another crossing may be its consequence, not another fault.
    resolved = all(getattr(by_id.get(c), "layer", None) == "crossing" for c in listed)
    for number, stage in enumerate(narrative.stages):
        place = stage.place
        if place is None:
            continue
        target = by_id.get(place.ref)
        if (place.kind == "crossing" and resolved and place.ref not in listed and target
                is not None and target.layer == "crossing"):
            inspection.report("reference", f'stage "{stage.title}" goes to crossing '
                              f'"{place.ref}", which the route does not list in its crossings',
                              f'add "{place.ref}" to the crossings of route "{route.id}", or '
                              f"place the stage at one of them: {', '.join(listed) or 'none yet'}",
                              path=str(narrative.path), line=stage.line_of("place"))
        elif (place.kind == "country" and countries and place.ref not in countries
              and place.ref in known):
            _not_entered(inspection, "reference", route, countries, narrative, stage, place.ref,
                         f"in {place.ref}")
        elif number in towns and countries and not towns[number][1] & set(countries):
            code = towns[number][0]
            _not_entered(inspection, "spatial", route, countries, narrative, stage, code,
                         f"at {place.ref}, in {code}")


def _not_entered(inspection: Inspection, check: str, route: Feature, countries: list,
                 narrative: Narrative, stage: Stage, code: str, where: str) -> None:
    inspection.report(check, f'stage "{stage.title}" is placed {where}, a country route '
                      f'"{route.id}" never enters',
                      f"place it in one of {', '.join(map(str, countries))}, or add {code} to "
                      "the route's countries (and draw the line through it)",
                      path=str(narrative.path), line=stage.line_of("place"))


def _travel_order(inspection: Inspection, narrative: Narrative, line: LineString,
                  points: list[Point | None]) -> None:
    """Each stage near the line must lie at or after the previous one along it; a stage that
    lies near the line only before that point is out of order. `points`: the stages' places."""
    reached, previous, rest = 0.0, None, _Rest(line)
    for stage, point in zip(narrative.stages, points, strict=True):
        if point is None or line.distance(point) > STAGE_NEAR_M:
            continue
        ahead = rest.after(reached)  # a point once the end is reached
        if ahead.distance(point) <= STAGE_NEAR_M:
            reached += ahead.project(point) if isinstance(ahead, LineString) else 0.0
            previous = stage
        elif line.project(point) < reached - BACKTRACK_M and previous is not None:
            inspection.report("spatial", f'stage "{stage.title}" comes after stage '
                              f'"{previous.title}" in the story, but lies before it along the '
                              "route's line",
                              "put the stages in travel order, or draw the line the way the "
                              "story goes (from North Korea onwards)",
                              path=str(narrative.path), line=stage.line, severity="warning")


class _Rest:
    """What is left of a line from a distance along it: shapely.ops.substring(line, start,
    line.length), the same shape to the last bit, without reading the line's vertices again
    for each stage (which took most of this check's time). Where each vertex lies along the
    line is summed once, in the order and the arithmetic substring sums it."""

    def __init__(self, line: LineString):
        self.line, self.length = line, line.length
        self.xy = shapely.get_coordinates(line)
        steps = (((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
                 for (x1, y1), (x2, y2) in pairwise(self.xy.tolist()))
        self.vertex_at = np.array([0.0, *accumulate(steps)])[:-1]  # all but the last vertex
        self.end = line.interpolate(self.length)

    def after(self, start: float) -> LineString | Point:
        if start >= self.length:
            return self.end
        between = (start < self.vertex_at) & (self.vertex_at < self.length)
        return shapely.linestrings(np.vstack([shapely.get_coordinates(self.line.interpolate(
            start)), self.xy[:-1][between], shapely.get_coordinates(self.end)]))
