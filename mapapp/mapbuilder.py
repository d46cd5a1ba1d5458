"""The Leaflet map, built with folium from the Atlas once per data version.

Offline and generalised by construction: no tiles (the base map is the shipped country shapes
over a CSS sea colour), Leaflet from our own server, crossings drawn as areas several kilometres
wide, and zoom capped at 8 because the data is at town level at best. Every text folium places
in the page goes through `_text`, because Leaflet inserts tooltip text as HTML.

Nothing here knows about Flask: the web layer passes the asset URLs and embeds the returned parts
(the script as a served file, the configuration as JSON that static/js/app.js reads to find each
route's layer, bounds and stage places).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import numpy as np
import shapely
from branca.element import CssLink, JavascriptLink
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from mapapp import region, style
from mapapp.model import Atlas, Place, Route
from mapapp.region import METRES_PER_DEGREE

MAP_ID = "routes"  # folium names the element and the JS variable "map_routes"
MIN_ZOOM, MAX_ZOOM, STAGE_ZOOM = 3, 8, 6


@dataclass(frozen=True)
class MapParts:
    """What a page needs to show the map: folium's parts, taken apart for embedding."""

    element_id: str  # the <div> folium's script draws into
    script: str  # folium's script, served as a file of its own (no inline script, strict CSP)
    js_urls: tuple[str, ...]
    css_urls: tuple[str, ...]
    config: dict  # for static/js/app.js: map and layer variable names, bounds, stage places


def build_map(atlas: Atlas, leaflet_js: str, leaflet_css: str) -> MapParts:
    """Build the map once; the caller caches the result for this atlas version."""
    m, layers = folium_map(atlas, leaflet_js, leaflet_css)
    root = m.get_root()
    root.render()
    links = root.header._children.values()
    return MapParts(
        element_id=m.get_name(),
        script=root.script.render(),
        js_urls=tuple(link.url for link in links if isinstance(link, JavascriptLink)),
        css_urls=tuple(link.url for link in links if isinstance(link, CssLink)),
        config={
            "map": m.get_name(),
            "overview": _overview_bounds(atlas),
            "stageZoom": STAGE_ZOOM,
            "routes": {route.id: {"layer": layers[route.id],
                                  "bounds": _latlng_bounds(route.bounds),
                                  "stages": [_stage_view(atlas, stage.place)
                                             for stage in route.narrative.stages]}
                       for route in atlas.routes},
        },
    )


def folium_map(atlas: Atlas, leaflet_js: str, leaflet_css: str) -> tuple[folium.Map, dict]:
    """The folium map itself, and the JS name of each route's layer by route id.

    It has no first view: the page's script sets it (static/js/mapview.js), so that every layer
    is drawn once, where the page opens, instead of at folium's view first and again there.
    """
    m = folium.Map(tiles=None,
                   max_bounds=True,
                   min_lat=region.SOUTH, max_lat=region.NORTH,
                   min_lon=region.WEST, max_lon=region.EAST,
                   max_bounds_viscosity=1.0, control_scale=True, zoom_snap=0.5)
    m._id = MAP_ID
    m.location = None  # after construction: folium takes a None location for "the world"
    # folium passes min_zoom/max_zoom to its tile layer only, and there is none.
    m.options.update(minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    # Per instance: the class attributes are shared by every map in the process.
    m.default_js = [("leaflet", leaflet_js)]
    m.default_css = [("leaflet_css", leaflet_css)]

    # Drawn in this order, so that route lines lie on top and stay clickable everywhere.
    _countries(atlas).add_to(m)
    if atlas.dmz:  # folium's tooltip cannot describe an empty layer
        _dmz(atlas).add_to(m)
    _crossings(atlas).add_to(m)
    routes = folium.FeatureGroup(name="Escape routes")
    routes._id = "routes"
    styles = style.route_styles(atlas)
    layers = {route.id: _route(route, styles[route.id]).add_to(routes).get_name()
              for route in atlas.routes}
    routes.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m, layers


def _text(value: str) -> str:
    """Text for a place where Leaflet or folium expects HTML: escaped, and also safe inside
    the JavaScript template literal folium writes tooltips into (backtick, ${, backslash) and
    from Jinja: branca renders the map's script a second time as a template, so `{{ … }}` in a
    tooltip would run on the server (tests/test_security.py) unless its braces are entities."""
    return (html.escape(value).replace("`", "&#96;").replace("$", "&#36;")
            .replace("\\", "&#92;").replace("{", "&#123;").replace("}", "&#125;"))


def _countries(atlas: Atlas) -> folium.GeoJson:
    shapes = web_outlines([country.shape for country in atlas.countries])
    features = [{"type": "Feature", "id": country.iso3,
                 "properties": {"role": country.role,
                                "tooltip": _text(style.country_label(country.name, country.role))},
                 "geometry": mapping(shape)}
                for country, shape in zip(atlas.countries, shapes, strict=True)]

    def fill(feature: dict) -> dict:
        role = feature["properties"]["role"]
        return {"fillColor": style.ROLE_FILLS.get(role, style.ROLE_FILLS[None]), "fillOpacity": 1,
                "color": style.BORDER, "weight": 0.8, "opacity": 1,
                "className": f"country country-{feature['id']}"}

    layer = folium.GeoJson({"type": "FeatureCollection", "features": features}, name="Countries",
                           style_function=fill, smooth_factor=0.5,
                           tooltip=folium.GeoJsonTooltip(["tooltip"], labels=False),
                           attribution="Borders: Natural Earth (public domain)")
    layer._id = "countries"
    return layer


# Outside the window drawn at full 1:10m (region.FULL_DETAIL), where scripts/build_basemap.py
# already simplified the outlines to 0.03°, the map rounds the base map to 2 decimals: 0.01°,
# about a kilometre, is a pixel or two at zoom 8, the closest the map goes, and a third of that
# simplification; the file keeps 3 decimals for the validator. Neighbours share their border
# vertices and a vertex rounds the same way in both, so no gap or overlap opens between them.
WEB_DECIMALS = 2
_SPOT = re.compile(r"\[(\S+) (\S+)\]")


def web_outlines(shapes: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """The country shapes as the map draws them: rounded where far from Korea, and valid.

    Rounding can pinch a thin cape or collapse an islet (an invalid polygon, drawn as a spike).
    The vertices around such a spot keep their 3 decimals, in every country that has them, and
    the shapes are rounded again until all are valid, the circle kept growing where a spot
    persists (a long edge crossing it); the shapes as shipped if that never settles.
    """
    west, south, east, north = region.FULL_DETAIL
    spots: list[list[float]] = []  # longitude, latitude, radius in degrees

    def round_far(coords: np.ndarray) -> np.ndarray:
        lon, lat = coords[:, 0], coords[:, 1]
        far = (lon < west) | (lon > east) | (lat < south) | (lat > north)
        for x, y, radius in spots:
            far &= np.maximum(np.abs(lon - x), np.abs(lat - y)) > radius
        rounded = coords.copy()
        rounded[far] = np.round(coords[far], WEB_DECIMALS)
        return rounded

    for _ in range(30):
        rounded = [shapely.transform(shape, round_far) for shape in shapes]
        found = [_SPOT.search(shapely.is_valid_reason(shape)) for shape in rounded
                 if not shape.is_valid]
        if not found:
            return rounded
        for spot in found:
            x, y = float(spot[1]), float(spot[2])
            known = next((s for s in spots if abs(s[0] - x) + abs(s[1] - y) < 1e-9), None)
            if known:
                known[2] *= 2
            else:
                spots.append([x, y, 0.02])
    return list(shapes)


def _route(route: Route, line: style.LineStyle) -> folium.GeoJson:
    features = [{"type": "Feature", "id": f"{route.id}-{index}",
                 "properties": {"mode": leg.mode},
                 "geometry": {"type": "LineString", "coordinates": leg.coordinates}}
                for index, leg in enumerate(route.legs)]

    def leg_style(feature: dict) -> dict:
        air = feature["properties"]["mode"] == "air"
        return {"color": line.colour, "weight": style.AIR_WEIGHT if air else style.LAND_WEIGHT,
                "dashArray": style.AIR_DASH if air else line.dash, "opacity": 0.95,
                "lineCap": "round", "className": f"route route-{route.id}"}

    layer = folium.GeoJson({"type": "FeatureCollection", "features": features},
                           style_function=leg_style, control=False,
                           tooltip=folium.Tooltip(_text(route.title)))
    layer._id = "route_" + route.id.replace("-", "_")
    return layer


def _crossings(atlas: Atlas) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Crossing areas")
    group._id = "crossings"
    look = style.CROSSING_STYLE
    for crossing in atlas.crossings:
        label = style.crossing_label(crossing.name, crossing.river)
        folium.Circle((crossing.lat, crossing.lon), radius=style.CROSSING_RADIUS_M,
                      color=look["color"], weight=look["weight"], dash_array=look["dashArray"],
                      fill=True, fill_color=look["fillColor"], fill_opacity=look["fillOpacity"],
                      class_name=f"crossing crossing-{crossing.id}",
                      tooltip=folium.Tooltip(_text(label))).add_to(group)
    return group


def _dmz(atlas: Atlas) -> folium.GeoJson:
    features = [{"type": "Feature", "id": feature.id,
                 "properties": {"kind": feature.kind, "tooltip": _text(style.dmz_label(feature))},
                 "geometry": mapping(feature.geometry)}
                for feature in atlas.dmz]

    def line(feature: dict) -> dict:
        kind = feature["properties"]["kind"]
        return {**style.DMZ_STYLES[kind], "opacity": 1, "className": f"dmz dmz-{kind}"}

    layer = folium.GeoJson({"type": "FeatureCollection", "features": features},
                           name="DMZ and sea border", style_function=line,
                           tooltip=folium.GeoJsonTooltip(["tooltip"], labels=False))
    layer._id = "dmz"
    return layer


def _latlng_bounds(bounds: tuple[float, float, float, float]) -> list[list[float]]:
    west, south, east, north = bounds
    return [[south, west], [north, east]]


def _overview_bounds(atlas: Atlas) -> list[list[float]]:
    """All routes at once, or the whole region when there are none yet."""
    if not atlas.routes:
        return _latlng_bounds((region.WEST, region.SOUTH, region.EAST, region.NORTH))
    boxes = [route.bounds for route in atlas.routes]
    return _latlng_bounds((min(b[0] for b in boxes), min(b[1] for b in boxes),
                           max(b[2] for b in boxes), max(b[3] for b in boxes)))


def _stage_view(atlas: Atlas, place: Place) -> dict:
    """Where the map flies for a stage: a crossing's area, a country's extent, or a town."""
    if place.kind == "crossing":
        crossing = atlas.crossing(place.ref)
        dlat = style.CROSSING_RADIUS_M / METRES_PER_DEGREE
        dlon = dlat / math.cos(math.radians(crossing.lat))
        return {"bounds": [[round(crossing.lat - dlat, 4), round(crossing.lon - dlon, 4)],
                           [round(crossing.lat + dlat, 4), round(crossing.lon + dlon, 4)]]}
    if place.kind == "country":
        return {"bounds": _latlng_bounds(atlas.country(place.ref).shape.bounds)}
    return {"center": [place.lat, place.lon]}
