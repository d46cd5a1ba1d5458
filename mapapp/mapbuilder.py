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

from mapapp import region
from mapapp.model import Atlas, Place, Route

MAP_ID = "routes"  # folium names the element and the JS variable "map_routes"
MIN_ZOOM, MAX_ZOOM, STAGE_ZOOM = 3, 8, 6
CROSSING_RADIUS_M = 10_000  # an area, never a spot (docs/data-format.md: safety rules)
METRES_PER_DEGREE = 111_320

# Okabe–Ito without its yellow, which vanishes on the pale land, and Paul Tol's wine to make
# eight; each route also gets its own dash pattern, so colour is never the only cue.
ROUTE_COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#000000", "#56B4E9",
                 "#882255")
ROUTE_DASHES = ("", "12 6", "2 7", "14 5 3 5", "7 7", "20 6", "3 4 3 10", "1 5 9 5")
LAND_WEIGHT, AIR_WEIGHT, AIR_DASH = 4, 2.5, "1 6"

# No sea here: the sea is the map container's background (--sea in static/css/site.css).
ROLE_FILLS = {None: "#f4f2ec", "origin": "#ecc9bb", "transit": "#f2e3b8",
              "refuge": "#dbe8cd", "destination": "#c6dfb9"}
ROLE_LABELS = {"origin": "country of origin", "transit": "transit country",
               "refuge": "country of refuge", "destination": "destination"}
BORDER = "#a9a195"
INK = "#3a3530"
DMZ_STYLES = {
    "zone": {"color": INK, "weight": 0.5, "fillColor": "#6b5f52", "fillOpacity": 0.45},
    "mdl": {"color": INK, "weight": 1.5},
    "nll": {"color": "#1f4e79", "weight": 2, "dashArray": "6 6"},  # dashed: schematic
}


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: str


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend, drawn as a small SVG swatch by templates/_legend.html."""

    label: str
    shape: str  # "line", "area" or "circle"
    stroke: str
    fill: str = "none"
    dash: str = ""
    width: float = 2


@dataclass(frozen=True)
class MapParts:
    """What a page needs to show the map: folium's parts, taken apart for embedding."""

    element_id: str  # the <div> folium's script draws into
    script: str  # folium's script, served as a file of its own (no inline script, strict CSP)
    js_urls: tuple[str, ...]
    css_urls: tuple[str, ...]
    config: dict  # for static/js/app.js: map and layer variable names, bounds, stage places
    route_styles: dict[str, LineStyle]
    legend: tuple[LegendEntry, ...]


def route_style(index: int) -> LineStyle:
    return LineStyle(ROUTE_COLOURS[index % len(ROUTE_COLOURS)],
                     ROUTE_DASHES[index % len(ROUTE_DASHES)])


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
        route_styles={route.id: route_style(index) for index, route in enumerate(atlas.routes)},
        legend=_legend(atlas),
    )


def folium_map(atlas: Atlas, leaflet_js: str, leaflet_css: str,
               web: bool = True) -> tuple[folium.Map, dict]:
    """The folium map itself, and the JS name of each route's layer by route id.

    build_map takes it apart for the site. With web=False it is the map as folium alone would
    publish it from the shipped files (the base map as shipped): scripts/bench saves that whole
    (`Map.save()`) as the baseline the site is measured against.
    """
    overview = _overview_bounds(atlas)
    # folium's own first view, for a page of its own (web=False); the site's pages set theirs.
    (south, west), (north, east) = overview
    m = folium.Map(location=((south + north) / 2, (west + east) / 2), zoom_start=4, tiles=None,
                   max_bounds=True,
                   min_lat=region.SOUTH, max_lat=region.NORTH,
                   min_lon=region.WEST, max_lon=region.EAST,
                   max_bounds_viscosity=1.0, control_scale=True, zoom_snap=0.5)
    m._id = MAP_ID
    # folium passes min_zoom/max_zoom to its tile layer only, and there is none.
    m.options.update(minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    if web:
        # No first view: the page's script sets it (static/js/mapview.js), so that every layer
        # is drawn once, where the page opens, instead of here first and again there.
        m.location = None
    # Per instance: the class attributes are shared by every map in the process.
    m.default_js = [("leaflet", leaflet_js)]
    m.default_css = [("leaflet_css", leaflet_css)]

    # Drawn in this order, so that route lines lie on top and stay clickable everywhere.
    _countries(atlas, web).add_to(m)
    if atlas.dmz:  # folium's tooltip cannot describe an empty layer
        _dmz(atlas).add_to(m)
    _crossings(atlas).add_to(m)
    routes = folium.FeatureGroup(name="Escape routes")
    routes._id = "routes"
    layers = {route.id: _route(route, route_style(index)).add_to(routes).get_name()
              for index, route in enumerate(atlas.routes)}
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


def _countries(atlas: Atlas, web: bool) -> folium.GeoJson:
    shapes = [country.shape for country in atlas.countries]
    features = [{"type": "Feature", "id": country.iso3,
                 "properties": {"role": country.role,
                                "tooltip": _text(_country_label(country.name, country.role))},
                 "geometry": mapping(shape)}
                for country, shape in zip(atlas.countries, web_outlines(shapes) if web else shapes,
                                          strict=True)]

    def style(feature: dict) -> dict:
        role = feature["properties"]["role"]
        return {"fillColor": ROLE_FILLS.get(role, ROLE_FILLS[None]), "fillOpacity": 1,
                "color": BORDER, "weight": 0.8, "opacity": 1,
                "className": f"country country-{feature['id']}"}

    layer = folium.GeoJson({"type": "FeatureCollection", "features": features}, name="Countries",
                           style_function=style, smooth_factor=0.5,
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


def _country_label(name: str, role: str | None) -> str:
    return f"{name}: {ROLE_LABELS[role]}" if role else name


def _route(route: Route, style: LineStyle) -> folium.GeoJson:
    features = [{"type": "Feature", "id": f"{route.id}-{index}",
                 "properties": {"mode": leg.mode},
                 "geometry": {"type": "LineString", "coordinates": leg.coordinates}}
                for index, leg in enumerate(route.legs)]

    def leg_style(feature: dict) -> dict:
        air = feature["properties"]["mode"] == "air"
        return {"color": style.colour, "weight": AIR_WEIGHT if air else LAND_WEIGHT,
                "dashArray": AIR_DASH if air else style.dash, "opacity": 0.95,
                "lineCap": "round", "className": f"route route-{route.id}"}

    layer = folium.GeoJson({"type": "FeatureCollection", "features": features},
                           style_function=leg_style, control=False,
                           tooltip=folium.Tooltip(_text(route.title)))
    layer._id = "route_" + route.id.replace("-", "_")
    return layer


def _crossings(atlas: Atlas) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Crossing areas")
    group._id = "crossings"
    for crossing in atlas.crossings:
        label = f"{crossing.name}: crossing area ({_river(crossing.river)})"
        folium.Circle((crossing.lat, crossing.lon), radius=CROSSING_RADIUS_M, color=INK,
                      weight=1.5, dash_array="3 4", fill=True, fill_color="#ffffff",
                      fill_opacity=0.55, class_name=f"crossing crossing-{crossing.id}",
                      tooltip=folium.Tooltip(_text(label))).add_to(group)
    return group


def _river(river: str) -> str:
    return {"land": "over land", "sea": "by sea"}.get(river, f"{river} river")


def _dmz_label(feature) -> str:
    if feature.schematic or feature.disputed:
        notes = [word for word, flag in (("schematic", feature.schematic),
                                         ("disputed", feature.disputed)) if flag]
        return f"{feature.name} ({', '.join(notes)})"
    return feature.name


def _dmz(atlas: Atlas) -> folium.GeoJson:
    features = [{"type": "Feature", "id": feature.id,
                 "properties": {"kind": feature.kind, "tooltip": _text(_dmz_label(feature))},
                 "geometry": mapping(feature.geometry)}
                for feature in atlas.dmz]

    def style(feature: dict) -> dict:
        kind = feature["properties"]["kind"]
        return {**DMZ_STYLES[kind], "opacity": 1, "className": f"dmz dmz-{kind}"}

    layer = folium.GeoJson({"type": "FeatureCollection", "features": features},
                           name="DMZ and sea border", style_function=style,
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
        dlat = CROSSING_RADIUS_M / METRES_PER_DEGREE
        dlon = dlat / math.cos(math.radians(crossing.lat))
        return {"bounds": [[round(crossing.lat - dlat, 4), round(crossing.lon - dlon, 4)],
                           [round(crossing.lat + dlat, 4), round(crossing.lon + dlon, 4)]]}
    if place.kind == "country":
        return {"bounds": _latlng_bounds(atlas.country(place.ref).shape.bounds)}
    return {"center": [place.lat, place.lon]}


def _legend(atlas: Atlas) -> tuple[LegendEntry, ...]:
    roles = [role for role in ROLE_LABELS if any(c.role == role for c in atlas.countries)]
    entries = [LegendEntry(ROLE_LABELS[role].capitalize(), "area", BORDER, ROLE_FILLS[role])
               for role in roles]
    if atlas.routes:
        entries.append(LegendEntry("Flight", "line", INK, dash=AIR_DASH, width=AIR_WEIGHT))
    if atlas.crossings:
        entries.append(LegendEntry("Crossing area (about 20 km across)", "circle", INK,
                                   "#ffffff", "3 4", 1.5))
    for feature in atlas.dmz:
        style = DMZ_STYLES[feature.kind]
        entries.append(LegendEntry(_dmz_label(feature), "area" if feature.kind == "zone" else
                                   "line", style["color"], style.get("fillColor", "none"),
                                   style.get("dashArray", ""), style["weight"]))
    return tuple(entries)
