"""One route as an SVG map drawn on the server, for the printed handout.

Printing must not wait for tiles or scripts, so the handout's map is plain SVG made from the
Atlas: the shipped country shapes with the site's fills, the DMZ, the route's crossing areas, its
legs in its own colour and dash, and its stages numbered as in the handout's text. Web Mercator
like the site's map, framed on the route with a margin. Presentation attributes only: the site's
Content-Security-Policy forbids inline styles.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable

import shapely
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from mapapp import style
from mapapp.model import Atlas, Route
from mapapp.region import METRES_PER_DEGREE

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
    points = list(atlas.stage_points(route))
    west, east, bottom, top = _frame(route, points)
    scale = WIDTH / (east - west)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * scale, (top - _mercator_y(lat)) * scale

    view = box(west, _inverse_y(bottom), east, _inverse_y(top))
    tolerance = 0.6 / scale  # below a unit of the drawing
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'class="print-map" role="img" aria-labelledby="{element_id}-title '
           f'{element_id}-desc" font-family="system-ui, sans-serif">',
           f'<title id="{element_id}-title">Map of the route: {html.escape(route.title)}</title>',
           f'<desc id="{element_id}-desc">{html.escape(_description(atlas, route))}</desc>',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{style.SEA}"/>']

    for country in atlas.countries:
        shape = shapely.clip_by_rect(country.shape, *view.bounds).simplify(tolerance)
        if not shape.is_empty:
            fill = style.ROLE_FILLS.get(country.role, style.ROLE_FILLS[None])
            out.append(f'<path {_attributes(d=_path(shape, project), fill=fill)} '
                       f'stroke="{style.BORDER}" stroke-width="1" '
                       f'stroke-linejoin="round"/>')
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
    for iso3 in dict.fromkeys(route.countries):
        country = atlas.country(iso3)
        inside = shapely.clip_by_rect(country.shape, *view.bounds)
        if not inside.is_empty:
            x, y = project(*inside.representative_point().coords[0])
            out.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="24" '
                       f'font-weight="600" fill="{style.INK}" stroke="#ffffff" '
                       f'stroke-width="5" stroke-linejoin="round">'
                       f'{html.escape(country.name)}</text>')
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
    for number, (x, y) in enumerate(_spread([project(p.x, p.y) for p in points]), start=1):
        out.append(f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="{MARKER_RADIUS}" fill="#ffffff" '
                   f'stroke="{style.INK}" stroke-width="2.5"/>'
                   f'<text x="{x:.1f}" y="{y + 6:.1f}" text-anchor="middle" font-size="18" '
                   f'font-weight="700" fill="{style.INK}">{number}</text></g>')
    out.append(f'<text x="{WIDTH - 10}" y="{HEIGHT - 10}" text-anchor="end" font-size="14" '
               f'fill="{style.INK}">Borders: Natural Earth. Routes drawn between towns, '
               f'at regional scale.</text>')
    out.append("</svg>")
    return "\n".join(out)


def _spread(positions: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Stage numbers that would cover each other moved apart, along the diagonal."""
    placed: list[tuple[float, float]] = []
    for x, y in positions:
        while any(math.dist((x, y), other) < 2 * MARKER_RADIUS + 2 for other in placed):
            x, y = x + MARKER_RADIUS * 1.5, y + MARKER_RADIUS * 1.5
        placed.append((x, y))
    return placed


def _description(atlas: Atlas, route: Route) -> str:
    countries = " to ".join(atlas.country(code).name for code in route.countries)
    stages = "; ".join(f"{number}: {stage.title}"
                       for number, stage in enumerate(route.narrative.stages, start=1))
    return f"The route from {countries}. Numbered stages: {stages}."
