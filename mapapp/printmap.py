"""One route as an SVG map drawn on the server, for the printed handout.

Printing must not wait for tiles or scripts, so the handout's map is plain SVG made from the
Atlas: the shipped country shapes with the site's fills, the DMZ, the route's crossing areas, its
legs in its own colour and dash, and its stages numbered as in the handout's text. Web Mercator
like the site's map, framed on the route with a margin; a stage beyond the map's region (a
distant town: Moscow) is not framed but pointed to from the map's edge, as on the web map.
Presentation attributes only: the site's Content-Security-Policy forbids inline styles.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import shapely
from flask_babel import gettext
from pyproj import Geod
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from mapapp import region, style
from mapapp.language import format_number
from mapapp.model import Atlas, Route
from mapapp.region import METRES_PER_DEGREE
from mapapp.translation import English

WIDTH, HEIGHT = 1000, 640
MARGIN = 0.12  # of the framed extent, on every side
MIN_SPAN = 4.0  # degrees of longitude: a short route (the DMZ) still shows where it is
LINE_SCALE = 1.6  # the site's line widths and dashes are screen pixels; a print needs more
MARKER_RADIUS = 15
Projection = Callable[[float, float], tuple[float, float]]


def _mercator_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _inverse_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def _frame(route: Route, points: list[Point]) -> tuple[float, float, float, float]:
    """West, east (longitude) and bottom, top (Mercator y) of the view, at the SVG's aspect."""
    west, south, east, north = shapely.MultiPoint(
        [*points, *shapely.get_coordinates(route.geometry).tolist()]).bounds
    bottom, top = _mercator_y(south), _mercator_y(north)
    span_x, span_y = max(east - west, MIN_SPAN), max(top - bottom, MIN_SPAN * HEIGHT / WIDTH)
    span_x, span_y = span_x * (1 + 2 * MARGIN), span_y * (1 + 2 * MARGIN)
    if span_x / span_y < WIDTH / HEIGHT:
        span_x = span_y * WIDTH / HEIGHT
    else:
        span_y = span_x * HEIGHT / WIDTH
    mid_x, mid_y = (west + east) / 2, (bottom + top) / 2
    return mid_x - span_x / 2, mid_x + span_x / 2, mid_y - span_y / 2, mid_y + span_y / 2


def _path(geometry: BaseGeometry, project: Projection) -> str:
    """SVG path data for lines and polygons (rings closed with Z)."""
    parts = []
    for line in _lines(geometry):
        coords = [project(x, y) for x, y in line.coords]
        points = " ".join(f"{x:.1f} {y:.1f}" for x, y in coords)
        parts.append(f"M{points}{'Z' if line.is_ring and len(coords) > 3 else ''}")
    return "".join(parts)


def _lines(geometry: BaseGeometry) -> Iterable:
    if geometry.is_empty:
        return
    if geometry.geom_type == "Polygon":
        yield geometry.exterior
        yield from geometry.interiors
    elif geometry.geom_type == "LineString":
        yield geometry
    elif hasattr(geometry, "geoms"):
        for part in geometry.geoms:
            yield from _lines(part)


def _attributes(**values) -> str:
    return " ".join(f'{name.replace("_", "-")}="{html.escape(str(value))}"'
                    for name, value in values.items() if value not in (None, ""))


def _scaled(dash: str) -> str:
    return " ".join(f"{float(step) * LINE_SCALE:g}" for step in dash.split())


def route_svg(atlas: Atlas, route: Route, element_id: str) -> str:
    """The SVG, to be placed in the page as it is (it is built from escaped text only)."""
    line = style.route_styles(atlas)[route.id]
    every_point = list(atlas.stage_points(route))
    numbers = [number for number, point in enumerate(every_point, start=1)
               if region.in_region(point.x, point.y)]
    points = [every_point[number - 1] for number in numbers]
    west, east, bottom, top = _frame(route, points)
    scale = WIDTH / (east - west)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * scale, (top - _mercator_y(lat)) * scale

    view = box(west, _inverse_y(bottom), east, _inverse_y(top))
    tolerance = 0.6 / scale  # below a unit of the drawing
    title = gettext("Map of the route: %(title)s", title=route.title)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'class="print-map" role="img" aria-labelledby="{element_id}-title '
           f'{element_id}-desc" font-family="system-ui, sans-serif">',
           f'<title id="{element_id}-title">{html.escape(title)}</title>',
           f'<desc id="{element_id}-desc">{html.escape(_description(atlas, route))}</desc>',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{style.SEA}"/>']

    out.append(_patterns(element_id))
    for country in atlas.countries:
        shape = shapely.clip_by_rect(country.shape, *view.bounds).simplify(tolerance)
        if not shape.is_empty:
            fill = (f"url(#{element_id}-{country.role})" if country.role in PATTERNED
                    else style.ROLE_FILLS.get(country.role, style.ROLE_FILLS[None]))
            out.append(f'<path {_attributes(d=_path(shape, project), fill=fill)} '
                       f'stroke="{style.BORDER}" stroke-width="1" '
                       f'stroke-linejoin="round"/>')
    rivers = _rivers(atlas, route, view, zoom_of(east - west))
    for river in rivers:
        shape = shapely.clip_by_rect(river.geometry, *view.bounds).simplify(tolerance)
        out.append(f'<path {_attributes(d=_path(shape, project))} fill="none" '
                   f'stroke="{style.RIVER}" stroke-width="2.5" stroke-linecap="round"/>')
    for feature in atlas.dmz:
        shape = shapely.clip_by_rect(feature.geometry, *view.bounds)
        if shape.is_empty:
            continue
        dmz = style.DMZ_STYLES[feature.kind]
        attributes = _attributes(d=_path(shape, project), fill=dmz.get("fillColor", "none"),
                                 fill_opacity=dmz.get("fillOpacity"), stroke=dmz["color"],
                                 stroke_width=f"{dmz['weight'] * LINE_SCALE:g}",
                                 stroke_dasharray=_scaled(dmz.get("dashArray", "")))
        out.append(f"<path {attributes}/>")
    for crossing_id in route.crossings:
        crossing = atlas.crossing(crossing_id)
        x, y = project(crossing.lon, crossing.lat)
        radius = (style.CROSSING_RADIUS_M * scale
                  / (METRES_PER_DEGREE * math.cos(math.radians(crossing.lat))))
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{max(radius, 6):.1f}" fill="#ffffff" '
                   f'fill-opacity="0.6" stroke="{style.INK}" stroke-width="2" '
                   f'stroke-dasharray="4 5"/>')
    for leg in route.legs:
        air = leg.mode == "air"
        d = _path(shapely.LineString(leg.coordinates), project)
        width = (style.AIR_WEIGHT if air else style.LAND_WEIGHT) * LINE_SCALE
        dash = _scaled(style.AIR_DASH if air else line.dash)
        for colour, stroke, dashes in (("#ffffff", width + 4, ""), (line.colour, width, dash)):
            attributes = _attributes(d=d, stroke=colour, stroke_width=f"{stroke:g}",
                                     stroke_dasharray=dashes)  # a white casing, then the line
            out.append(f'<path {attributes} fill="none" stroke-linecap="round" '
                       f'stroke-linejoin="round"/>')
    markers = _spread([project(p.x, p.y) for p in points])
    taken = [_Box(x - MARKER_RADIUS - 3, y - MARKER_RADIUS - 3, x + MARKER_RADIUS + 3,
                  y + MARKER_RADIUS + 3) for x, y in markers]
    taken.append(_Box(WIDTH - 10 - CREDIT_WIDTH, HEIGHT - 30, WIDTH, HEIGHT))  # the credit
    pointers = [_distant_stage(atlas, route, number, every_point, project, taken)
                for number in range(1, len(every_point) + 1) if number not in numbers]
    towns = _towns(atlas, route, view, zoom_of(east - west))
    for town in towns:
        x, y = project(town.lon, town.lat)
        radius = 5 if town.capital else 4
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{style.INK}" '
                   f'stroke="#ffffff" stroke-width="1.5"/>')
        taken.append(_Box(x - radius, y - radius, x + radius, y + radius))
    crossed = {atlas.crossing(crossing_id).river for crossing_id in route.crossings}

    def river_names(chosen) -> list:
        return [[_Label(river.name, *project(*point), 20, "400", style.WATER_INK, "italic")
                 for point in _river_points(river, view)] for river in chosen]

    # The names the story needs first (the rivers it crosses, the countries, its regions and
    # towns), then the rest where room is left.
    labels = river_names(river for river in rivers if river.name in crossed)
    labels += [[_Label(name, *project(*point), 24, "600", style.INK, "") for point in points]
               for name, points in _country_points(atlas, route, view)]
    labels += [_Label(region.name, *project(region.lon, region.lat), 20, "600", style.INK,
                      "italic") for region in _regions(atlas, route, view)]
    labels += [_Label(town.name, *project(town.lon, town.lat), 19, "600", style.INK, "",
                      town=True) for town in towns if town.on_route]
    labels += river_names(river for river in rivers if river.name not in crossed)
    labels += [_Label(town.name, *project(town.lon, town.lat), 19, "400", style.INK, "",
                      town=True) for town in towns if not town.on_route]
    for options in labels:  # a label, or a river's name at any of several points
        for label in options if isinstance(options, list) else [options]:
            if (placed := _place(label, taken)) is not None:
                out.append(placed)
                break
    for (x, y), point in zip(markers, points, strict=True):
        px, py = project(point.x, point.y)
        if math.dist((x, y), (px, py)) > 1:  # moved aside: a line back to its place
            out.append(f'<line x1="{px:.1f}" y1="{py:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                       f'stroke="{style.INK}" stroke-width="1.5"/>')
    for number, (x, y) in zip(numbers, markers, strict=True):
        out.append(f'<g class="stage-marker"><circle cx="{x:.1f}" cy="{y:.1f}" '
                   f'r="{MARKER_RADIUS}" fill="#ffffff" stroke="{style.INK}" '
                   f'stroke-width="2.5"/><text x="{x:.1f}" y="{y + 6:.1f}" text-anchor="middle" '
                   f'font-size="18" font-weight="700" fill="{style.INK}">{number}</text></g>')
    out += pointers  # on top of everything, as the markers
    credit = gettext("Borders: Natural Earth. Routes drawn between towns, at regional scale.")
    out.append(f'<text x="{WIDTH - 10}" y="{HEIGHT - 10}" text-anchor="end" font-size="14" '
               f'fill="{style.INK}">{html.escape(credit)}</text>')
    out.append("</svg>")
    return "\n".join(out)


# Black-and-white printers: the roles differ by pattern too, not only by fill.
PATTERNED = ("origin", "transit")
PRINTED_WIDTH_PX = 446  # the map on paper (118 mm), in CSS pixels: for the web map's zooms
CREDIT_WIDTH = 560


def _patterns(element_id: str) -> str:
    """North Korea hatched, the countries people cross dotted (the handout's caption says so)."""
    fills = style.ROLE_FILLS
    return (f'<defs><pattern id="{element_id}-origin" width="9" height="9" '
            f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="9" height="9" fill="{fills["origin"]}"/>'
            f'<line x1="0" y1="0" x2="0" y2="9" stroke="#6b3b2b" stroke-width="1.6"/></pattern>'
            f'<pattern id="{element_id}-transit" width="11" height="11" '
            f'patternUnits="userSpaceOnUse"><rect width="11" height="11" '
            f'fill="{fills["transit"]}"/><circle cx="5.5" cy="5.5" r="1.4" fill="#6e6040"/>'
            f"</pattern></defs>")


def zoom_of(span: float) -> float:
    """The web map's zoom that shows `span` degrees of longitude as wide as the printed map:
    the names the web map shows at that zoom are the ones the paper has room for."""
    return math.log2(PRINTED_WIDTH_PX * 360 / (256 * span))


def _rivers(atlas: Atlas, route: Route, view, zoom: float) -> list:
    """The rivers in view that the web map names at this zoom, and always those the route
    crosses (the Tumen or the Yalu at its crossings, the Mekong)."""
    crossed = {atlas.crossing(crossing_id).river for crossing_id in route.crossings}
    return [river for river in atlas.rivers
            if river.geometry.intersects(view) and (
                river.min_zoom <= zoom + 0.5 or river.name in crossed
                or river.geometry.intersects(route.geometry))]


def _river_points(river, view) -> list[tuple[float, float]]:
    """Where a river's name may go, best first: along its longest stretch in view, from the
    middle outwards."""
    inside = shapely.clip_by_rect(river.geometry, *view.bounds)
    longest = max(getattr(inside, "geoms", [inside]), key=lambda part: part.length)
    shares = sorted((step / 20 for step in range(1, 20)), key=lambda share: abs(share - 0.5))
    return [(point.x, point.y) for point in (longest.interpolate(share, normalized=True)
                                             for share in shares)]


def _towns(atlas: Atlas, route: Route, view, zoom: float) -> list:
    """The towns in view: those the route's stages and crossings name, the capitals, and the
    others the web map names at this zoom, in that order (the first get room for their names)."""
    found = [town for town in atlas.towns if view.contains(Point(town.lon, town.lat)) and (
        town.on_route or town.capital or town.min_zoom <= zoom)]
    return sorted(found, key=lambda town: (not town.on_route, not town.capital))  # named first


def _regions(atlas: Atlas, route: Route, view) -> list:
    """The regions the route's stages are placed at (a province, a desert), where in view."""
    named = {stage.place.ref for stage in route.narrative.stages if stage.place.kind == "point"}
    return [label for label in atlas.labels if label.kind == "region" and label.name in named
            and view.contains(Point(label.lon, label.lat))]


def _country_points(atlas: Atlas, route: Route, view) -> list[tuple[str, list]]:
    """Each country of the route with where its name may go, best first: its label point (or a
    point inside the part of it in view), then other points inside that part, nearest first."""
    points = {label.iso3: (label.lon, label.lat) for label in atlas.labels
              if label.kind == "country"}
    found = []
    for iso3 in dict.fromkeys(route.countries):
        country = atlas.country(iso3)
        inside = shapely.clip_by_rect(country.shape, *view.bounds)
        if inside.is_empty:
            continue
        best = points.get(iso3)
        if best is None or not inside.contains(Point(best)):
            best = inside.representative_point().coords[0]
        west, south, east, north = inside.bounds
        grid = [(west + (east - west) * i / 8, south + (north - south) * j / 8)
                for i in range(1, 8) for j in range(1, 8)]
        grid = [point for point in grid if inside.contains(Point(point))]
        found.append((country.name, [best, *sorted(grid, key=lambda p: math.dist(p, best))]))
    return found


@dataclass(frozen=True)
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: _Box) -> bool:
        return not (self.x1 <= other.x0 or other.x1 <= self.x0 or self.y1 <= other.y0
                    or other.y1 <= self.y0)


@dataclass(frozen=True)
class _Label:
    text: str
    x: float
    y: float
    size: float
    weight: str
    fill: str
    font_style: str
    town: bool = False  # beside a dot, rather than centred on its point


def _text_width(text: str, size: float, weight: str) -> float:
    latin = 0.7 if weight != "400" else 0.62  # of the size, per character: DejaVu Sans
    return size * sum(1.0 if unicodedata.east_asian_width(char) in "WF" else latin
                      for char in text)  # a Hangul character is an em


def _place(label: _Label, taken: list[_Box]) -> str | None:
    """The label as SVG text where it covers nothing already on the map (stage markers, town
    dots, other names) and stays inside it: beside its dot for a town, else centred on its
    point or moved a little; None when there is no room (the name is left out)."""
    width = _text_width(label.text, label.size, label.weight)
    size = label.size
    if label.town:
        candidates = [(anchor, dx * gap, dy * gap + lift) for gap in (8, 34, 60, 90)
                      for anchor, dx, dy, lift in (
                          ("start", 1, 0, size * 0.35), ("end", -1, 0, size * 0.35),
                          ("middle", 0, -1, -1), ("middle", 0, 1, size),
                          ("start", 0.7, -0.7, 0), ("start", 0.7, 0.7, size * 0.7),
                          ("end", -0.7, -0.7, 0), ("end", -0.7, 0.7, size * 0.7))]
    else:
        candidates = [("middle", dx * width / 2, dy * size)
                      for dx, dy in ((0, 0), (0, -1), (0, 1), (-1, 0), (1, 0), (0, -2), (0, 2),
                                     (-1, -1), (1, 1), (-1, 1), (1, -1))]
    for anchor, dx, dy in candidates:
        x, y = label.x + dx, label.y + dy
        x0 = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
        box = _Box(x0 - 3, y - size * 0.95 - 3, x0 + width + 3, y + size * 0.3 + 3)
        if box.x0 < 0 or box.y0 < 0 or box.x1 > WIDTH or box.y1 > HEIGHT:
            continue
        if any(box.overlaps(other) for other in taken):
            continue
        taken.append(box)
        attributes = _attributes(font_size=f"{size:g}", font_weight=label.weight,
                                 fill=label.fill, font_style=label.font_style)
        language = ' lang="en"' if isinstance(label.text, English) else ""  # left in English
        return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {attributes} '
                f'stroke="#ffffff" stroke-width="4" stroke-linejoin="round" '
                f'class="map-label"{language}>{html.escape(label.text)}</text>')
    return None


_GEOD = Geod(ellps="WGS84")
EDGE_INSET = 14  # between a distant stage's pointer and the map's edge
DISTANT_SIZE = 19  # its text


def _distant_stage(atlas: Atlas, route: Route, number: int, points: list[Point],
                   project: Projection, taken: list[_Box]) -> str:
    """A stage beyond the map's region: its number and its town's name with the distance from
    the stage before it ("4 Moscow, 6,400 km"), at the edge of the map on the line from its
    centre towards the town, with an arrow on the side facing the town, pointing to it."""
    stage, target = route.narrative.stages[number - 1], points[number - 1]
    name = atlas.place_name(stage.place)
    near = points[number - 2] if number > 1 else points[number] if len(points) > 1 else None
    text = name
    if near is not None:
        metres = _GEOD.inv(near.x, near.y, target.x, target.y)[2]
        text = gettext("%(place)s, %(distance)s km", place=name,
                       distance=format_number(round(metres / 100_000) * 100))
    width = 2 * MARKER_RADIUS + 12 + _text_width(text, DISTANT_SIZE, "600") + 42
    height = 2 * MARKER_RADIUS + 8
    cx, cy = WIDTH / 2, HEIGHT / 2
    tx, ty = project(target.x, target.y)
    dx, dy = tx - cx, ty - cy
    scale = min((cx - width / 2 - EDGE_INSET) / (abs(dx) or 1e-9),
                (cy - height / 2 - EDGE_INSET) / (abs(dy) or 1e-9))
    x, y = cx + dx * scale - width / 2, cy + dy * scale - height / 2  # the pointer's corner
    taken.append(_Box(x, y, x + width, y + height))
    angle = math.degrees(math.atan2(dy, dx))
    westward = dx < 0  # the arrow first, then the number and the name
    circle_x, middle = x + (34 if westward else 0) + 4 + MARKER_RADIUS, y + height / 2
    arrow_x = x + 18 if westward else x + width - 18
    language = ' lang="en"' if isinstance(name, English) else ""
    return (f'<g class="distant-stage"><rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{height:.1f}" rx="{height / 2:.1f}" fill="#ffffff" stroke="{style.INK}" '
            f'stroke-width="2.5"/><circle cx="{circle_x:.1f}" cy="{middle:.1f}" '
            f'r="{MARKER_RADIUS}" fill="#ffffff" stroke="{style.INK}" stroke-width="2.5"/>'
            f'<text x="{circle_x:.1f}" y="{middle + 6:.1f}" text-anchor="middle" font-size="18" '
            f'font-weight="700" fill="{style.INK}">{number}</text>'
            f'<text x="{circle_x + MARKER_RADIUS + 8:.1f}" y="{middle + 6.5:.1f}" '
            f'font-size="{DISTANT_SIZE}" font-weight="600" fill="{style.INK}"{language}>'
            f"{html.escape(text)}</text>"
            f'<path d="M-10 -8 L10 0 L-10 8 Z" fill="{style.INK}" transform="translate('
            f'{arrow_x:.1f} {middle:.1f}) rotate({angle:.1f})"/></g>')


def _spread(positions: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Stage numbers that would cover each other moved apart: each to the nearest free spot
    around its place (a ring at a time), joined to its place by a leader line."""
    placed: list[tuple[float, float]] = []
    for x, y in positions:
        spot, ring = (x, y), 0
        while any(math.dist(spot, other) < 2 * MARKER_RADIUS + 2 for other in placed):
            ring += 1
            spots = [(x + math.cos(angle) * ring * MARKER_RADIUS,
                      y + math.sin(angle) * ring * MARKER_RADIUS)
                     for angle in (math.pi * k / 6 for k in range(12))]
            free = [p for p in spots if MARKER_RADIUS <= p[0] <= WIDTH - MARKER_RADIUS
                    and MARKER_RADIUS <= p[1] <= HEIGHT - MARKER_RADIUS and not any(
                        math.dist(p, other) < 2 * MARKER_RADIUS + 2 for other in placed)]
            if free:
                spot = free[0]
        placed.append(spot)
    return placed


def _description(atlas: Atlas, route: Route) -> str:
    countries = " → ".join(atlas.country(code).name for code in route.countries)
    stages = "; ".join(f"{number}: {stage.title}"
                       for number, stage in enumerate(route.narrative.stages, start=1))
    return gettext("The route: %(countries)s. Numbered stages: %(stages)s.",
                   countries=countries, stages=stages)
